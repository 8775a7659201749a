//! The port against libgit2's own xdiff (through `Patch::from_buffers`): the same
//! lines changed on both sides, on random texts built to reach every branch — few
//! distinct lines (sliding, many-matches discards), lines unique to one side (the
//! cleanup), long texts far apart (xdiff's cost cut-offs and heuristics), a last line
//! without its newline.

use super::super::libgit2_hunks;
use super::*;

/// Which lines of each side a diff calls changed.
fn changed(hunks: &[Hunk], n1: usize, n2: usize) -> (Vec<bool>, Vec<bool>) {
    let (mut c1, mut c2) = (vec![false; n1], vec![false; n2]);
    for &(o, oc, n, nc) in hunks {
        c1[o..o + oc].iter_mut().for_each(|c| *c = true);
        c2[n..n + nc].iter_mut().for_each(|c| *c = true);
    }
    (c1, c2)
}

fn agree(a: &[u8], b: &[u8]) {
    let ours = hunks(a, b).expect("the port's checks hold");
    let theirs = libgit2_hunks(a, b).expect("libgit2 diffs");
    let (n1, n2) = (records(a).len(), records(b).len());
    assert_eq!(
        changed(&ours, n1, n2),
        changed(&theirs, n1, n2),
        "\n--- a\n{}\n--- b\n{}",
        String::from_utf8_lossy(a),
        String::from_utf8_lossy(b)
    );
}

/// A small xorshift generator: the cases are fixed, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A text of `len` lines, each from an alphabet of `alphabet` shared lines, or (one
/// time in `unique_one_in`) unique to this side.
fn text(rng: &mut Rng, len: u64, alphabet: u64, unique_one_in: u64, side: &str) -> Vec<u8> {
    let mut s = String::new();
    for i in 0..len {
        if unique_one_in > 0 && rng.below(unique_one_in) == 0 {
            s.push_str(&format!("{side} only {i}\n"));
        } else {
            s.push_str(&format!("line {}\n", rng.below(alphabet)));
        }
    }
    if rng.below(4) == 0 {
        s.pop();
    }
    s.into_bytes()
}

/// `b` as a few edits of `a` (the usual case: versions of one file).
fn edited(rng: &mut Rng, a: &[u8], edits: u64, alphabet: u64) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = records(a).into_iter().map(<[u8]>::to_vec).collect();
    for k in 0..edits {
        let at = rng.below(lines.len() as u64 + 1) as usize;
        let new = format!("line {}\n", rng.below(alphabet)).into_bytes();
        match rng.below(3) {
            0 if at < lines.len() => {
                lines.remove(at);
            }
            1 if at < lines.len() => lines[at] = new,
            _ => lines.insert(at, format!("edit {k}\n").into_bytes()),
        }
    }
    lines.concat()
}

#[test]
fn small_texts_agree_with_libgit2() {
    let mut rng = Rng(13);
    for case in 0..3000 {
        let len = 1 + rng.below(40);
        let alphabet = 1 + rng.below(6);
        let unique = [0, 2, 5][case % 3];
        let a = text(&mut rng, len, alphabet, unique, "a");
        let b = if case % 2 == 0 {
            {
                let n = 1 + rng.below(40);
                text(&mut rng, n, alphabet, unique, "b")
            }
        } else {
            {
                let n = 1 + rng.below(5);
                edited(&mut rng, &a, n, alphabet)
            }
        };
        agree(&a, &b);
    }
}

#[test]
fn long_texts_agree_with_libgit2() {
    let mut rng = Rng(7);
    for case in 0..24 {
        let len = 300 + rng.below(1500);
        let alphabet = [3, 40, 400, 4000][case % 4];
        let a = text(&mut rng, len, alphabet, [0, 3, 20][case % 3], "a");
        let b = if case % 2 == 0 {
            {
                let n = 300 + rng.below(1500);
                text(&mut rng, n, alphabet, 7, "b")
            }
        } else {
            {
                let n = 1 + rng.below(400);
                edited(&mut rng, &a, n, alphabet)
            }
        };
        agree(&a, &b);
    }
}

#[test]
fn edge_cases_agree_with_libgit2() {
    let cases: &[(&[u8], &[u8])] = &[
        (b"", b""),
        (b"", b"a\n"),
        (b"a\n", b""),
        (b"a", b"a\n"),
        (b"a\nb", b"a\nb\n"),
        (b"a\na\na\n", b"a\na\n"),
        (b"x\na\na\ny\n", b"x\na\ny\n"),
        (b"a\nb\na\nb\n", b"b\na\nb\na\n"),
    ];
    for (a, b) in cases {
        agree(a, b);
    }
}

/// Long shared runs between stretches that differ (lines from a small alphabet, so
/// they stay in the search), over 70,000 lines: only then is xdiff's cost limit past
/// the cost at which it samples the diagonals for a split (snakes longer than its
/// snake count), so both its cut-offs are reached.
#[test]
fn costly_texts_with_long_snakes_agree_with_libgit2() {
    let mut rng = Rng(29);
    for case in 0..2 {
        let (mut a, mut b) = (String::new(), String::new());
        for seg in 0..1200 {
            let shared = 21 + rng.below(60);
            for i in 0..shared {
                let line = format!("shared {case} {seg} {i}\n");
                a.push_str(&line);
                b.push_str(&line);
            }
            for _ in 0..rng.below(30) {
                a.push_str(&format!("line {}\n", rng.below(8)));
            }
            for _ in 0..rng.below(30) {
                b.push_str(&format!("line {}\n", rng.below(8)));
            }
        }
        agree(a.as_bytes(), b.as_bytes());
    }
}
