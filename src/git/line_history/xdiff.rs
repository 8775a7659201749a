//! libgit2's xdiff line diff (Myers with xdiff's heuristics, no flags), as blame runs
//! it, ported to Rust so the walk can diff two versions without `Patch::from_buffers`:
//! that call SHA-1-hashes both buffers to name them (over half of the walk's
//! instructions), and the walk only needs which lines changed.
//!
//! Faithful to `deps/xdiff` of libgit2 1.9 (`xprepare.c`, `xdiffi.c`) with flags 0:
//! records are lines with their `\n`; the common head and tail are trimmed; lines
//! without a match on the other side, and runs of lines with very many matches, are
//! discarded before the search (`xdl_cleanup_records`); the search is xdiff's
//! divide-and-conquer Myers with its cost cut-offs (`xdl_split`); then changed groups
//! slide as `xdl_change_compact` slides them (no indent heuristic). Where and how
//! much a change group moves decides which of two equal lines blame calls unchanged,
//! so every step is kept as written there. A test compares every changed line with
//! libgit2's own diff on random and adversarial inputs.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A changed region, 0-based: (old start, old count, new start, new count). For an
/// empty side, the start is the position the other side's lines sit at.
pub(super) type Hunk = (usize, usize, usize, usize);

const MAX_EQLIMIT: usize = 1024;
const SIMSCAN_WINDOW: isize = 100;
const KPDIS_RUN: isize = 4;
const MAX_COST_MIN: isize = 256;
const HEUR_MIN_COST: isize = 256;
const SNAKE_CNT: isize = 20;
const K_HEUR: isize = 4;
const LINE_MAX: isize = isize::MAX;

/// The changed regions from `a` to `b`, in order; `None` only if xdiff's own
/// consistency checks would fail (not expected; the caller then asks libgit2).
pub(super) fn hunks(a: &[u8], b: &[u8]) -> Option<Vec<Hunk>> {
    let (r1, r2) = (records(a), records(b));
    let (ha1, ha2, counts) = classify(&r1, &r2);
    let mut f1 = File::new(ha1);
    let mut f2 = File::new(ha2);
    trim_ends(&mut f1, &mut f2);
    cleanup_records(&mut f1, &mut f2, &counts);
    recs_cmp(&mut f1, &mut f2);
    change_compact(&mut f1, &mut f2)?;
    change_compact(&mut f2, &mut f1)?;
    script(&f1, &f2)
}

/// xdiff's records: every line with its `\n`, and a last line without one.
fn records(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(text.len() / 32 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text) {
        out.push(&text[start..=nl]);
        start = nl + 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Equal lines get one class number (xdiff compares records by class); `counts` holds
/// how often each class occurs in each file.
fn classify<'t>(r1: &[&'t [u8]], r2: &[&'t [u8]]) -> (Vec<usize>, Vec<usize>, Vec<[usize; 2]>) {
    let mut classes: HashMap<Line<'t>, usize, BuildHasherDefault<Hashed>> =
        HashMap::with_capacity_and_hasher(r1.len() + r2.len(), BuildHasherDefault::default());
    let mut counts: Vec<[usize; 2]> = Vec::new();
    let mut ha = [Vec::with_capacity(r1.len()), Vec::with_capacity(r2.len())];
    for (side, recs) in [r1, r2].into_iter().enumerate() {
        for &text in recs {
            let line = Line {
                hash: xxhash_rust::xxh3::xxh3_64(text),
                text,
            };
            let id = *classes.entry(line).or_insert_with(|| {
                counts.push([0, 0]);
                counts.len() - 1
            });
            counts[id][side] += 1;
            ha[side].push(id);
        }
    }
    let [ha1, ha2] = ha;
    (ha1, ha2, counts)
}

/// A record keyed by its XXH3 hash, computed once, and compared by its bytes: the
/// class table hashes every line of both versions, and std's SipHash was most of it.
#[derive(Clone, Copy)]
struct Line<'t> {
    hash: u64,
    text: &'t [u8],
}

impl PartialEq for Line<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for Line<'_> {}

impl Hash for Line<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Passes a [`Line`]'s hash through (anything else is folded in, for completeness).
#[derive(Default)]
struct Hashed(u64);

impl Hasher for Hashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// One side of the diff (xdiff's `xdfile_t`).
struct File {
    /// The class of every record.
    ha: Vec<usize>,
    /// Changed marks, shifted by one: `rchg[0]` and `rchg[nrec + 1]` stay 0 (xdiff's
    /// sentinels before the first and after the last record).
    rchg: Vec<u8>,
    /// The records that take part in the search (`rindex`) and their classes.
    rindex: Vec<usize>,
    reff: Vec<usize>,
    /// The records between the trimmed head and tail: `dstart..dend`.
    dstart: usize,
    dend: usize,
}

impl File {
    fn new(ha: Vec<usize>) -> File {
        let n = ha.len();
        File {
            ha,
            rchg: vec![0; n + 2],
            rindex: Vec::new(),
            reff: Vec::new(),
            dstart: 0,
            dend: n,
        }
    }

    fn nrec(&self) -> isize {
        self.ha.len() as isize
    }

    fn changed(&self, i: isize) -> bool {
        self.rchg[(i + 1) as usize] != 0
    }

    fn mark(&mut self, i: isize, v: u8) {
        self.rchg[(i + 1) as usize] = v;
    }
}

/// `xdl_bogosqrt`: a power of two near the square root.
fn bogosqrt(mut n: usize) -> usize {
    let mut i = 1;
    while n > 0 {
        i <<= 1;
        n >>= 2;
    }
    i
}

/// `xdl_trim_ends`: the common head and tail take no part in the search.
fn trim_ends(f1: &mut File, f2: &mut File) {
    let lim = f1.ha.len().min(f2.ha.len());
    let head = (0..lim).take_while(|&i| f1.ha[i] == f2.ha[i]).count();
    let (n1, n2) = (f1.ha.len(), f2.ha.len());
    let tail = (0..lim - head)
        .take_while(|&i| f1.ha[n1 - 1 - i] == f2.ha[n2 - 1 - i])
        .count();
    f1.dstart = head;
    f2.dstart = head;
    f1.dend = n1 - tail;
    f2.dend = n2 - tail;
}

/// `xdl_cleanup_records`: a line with no match on the other side is changed; a line
/// with many matches inside a run of such lines is too; the rest are searched.
fn cleanup_records(f1: &mut File, f2: &mut File, counts: &[[usize; 2]]) {
    cleanup_side(f1, counts, 1);
    cleanup_side(f2, counts, 0);
}

fn cleanup_side(f: &mut File, counts: &[[usize; 2]], other: usize) {
    let mlim = bogosqrt(f.ha.len()).min(MAX_EQLIMIT);
    let mut dis = vec![0u8; f.ha.len()];
    for i in f.dstart..f.dend {
        let nm = counts[f.ha[i]][other];
        dis[i] = match nm {
            0 => 0,
            n if n >= mlim => 2,
            _ => 1,
        };
    }
    let (s, e) = (f.dstart as isize, f.dend as isize - 1);
    for i in f.dstart..f.dend {
        if dis[i] == 1 || (dis[i] == 2 && !clean_mmatch(&dis, i as isize, s, e)) {
            f.rindex.push(i);
            f.reff.push(f.ha[i]);
        } else {
            f.mark(i as isize, 1);
        }
    }
}

/// `xdl_clean_mmatch`: whether a many-matches line at `i` sits in a run of lines
/// without matches (between `s` and `e`, inclusive) and so is discarded.
fn clean_mmatch(dis: &[u8], i: isize, mut s: isize, mut e: isize) -> bool {
    if i - s > SIMSCAN_WINDOW {
        s = i - SIMSCAN_WINDOW;
    }
    if e - i > SIMSCAN_WINDOW {
        e = i + SIMSCAN_WINDOW;
    }
    let run = |step: isize| {
        let (mut none, mut many) = (0isize, 1isize);
        let mut r = 1;
        loop {
            let j = i + step * r;
            if j < s || j > e {
                break;
            }
            match dis[j as usize] {
                0 => none += 1,
                2 => many += 1,
                _ => break,
            }
            r += 1;
        }
        (none, many)
    };
    let (rdis0, rpdis0) = run(-1);
    if rdis0 == 0 {
        return false;
    }
    let (rdis1, rpdis1) = run(1);
    if rdis1 == 0 {
        return false;
    }
    let (rdis, rpdis) = (rdis0 + rdis1, rpdis0 + rpdis1);
    rpdis * KPDIS_RUN < rpdis + rdis
}

/// The forward and backward diagonal vectors of `xdl_split`, indexed by diagonal.
struct Kv {
    v: Vec<isize>,
    /// Where diagonal 0 of the forward and of the backward vector sit in `v`.
    f0: isize,
    b0: isize,
}

impl Kv {
    fn f(&self, d: isize) -> isize {
        self.v[(self.f0 + d) as usize]
    }
    fn set_f(&mut self, d: isize, x: isize) {
        self.v[(self.f0 + d) as usize] = x;
    }
    fn b(&self, d: isize) -> isize {
        self.v[(self.b0 + d) as usize]
    }
    fn set_b(&mut self, d: isize, x: isize) {
        self.v[(self.b0 + d) as usize] = x;
    }
}

struct Split {
    i1: isize,
    i2: isize,
    min_lo: bool,
    min_hi: bool,
}

/// `xdl_do_diff` + `xdl_recs_cmp`: divide and conquer over the searched records
/// (an explicit stack instead of recursion; each box only marks its own lines).
fn recs_cmp(f1: &mut File, f2: &mut File) {
    let (n1, n2) = (f1.reff.len() as isize, f2.reff.len() as isize);
    let ndiags = n1 + n2 + 3;
    let mut kv = Kv {
        v: vec![0; (2 * ndiags + 2) as usize],
        f0: n2 + 1,
        b0: ndiags + n2 + 1,
    };
    let mxcost = (bogosqrt(ndiags as usize) as isize).max(MAX_COST_MIN);
    let mut boxes = vec![(0isize, n1, 0isize, n2, false)];
    while let Some((mut off1, mut lim1, mut off2, mut lim2, need_min)) = boxes.pop() {
        let (ha1, ha2) = (&f1.reff, &f2.reff);
        while off1 < lim1 && off2 < lim2 && ha1[off1 as usize] == ha2[off2 as usize] {
            off1 += 1;
            off2 += 1;
        }
        while off1 < lim1 && off2 < lim2 && ha1[lim1 as usize - 1] == ha2[lim2 as usize - 1] {
            lim1 -= 1;
            lim2 -= 1;
        }
        if off1 == lim1 {
            for k in off2..lim2 {
                let r = f2.rindex[k as usize] as isize;
                f2.mark(r, 1);
            }
        } else if off2 == lim2 {
            for k in off1..lim1 {
                let r = f1.rindex[k as usize] as isize;
                f1.mark(r, 1);
            }
        } else {
            let spl = split(ha1, off1, lim1, ha2, off2, lim2, &mut kv, need_min, mxcost);
            boxes.push((spl.i1, lim1, spl.i2, lim2, spl.min_hi));
            boxes.push((off1, spl.i1, off2, spl.i2, spl.min_lo));
        }
    }
}

/// `xdl_split`: the middle snake of a box (Myers), or, past xdiff's cost limits, a
/// good-enough split point.
#[allow(clippy::too_many_arguments)]
fn split(
    ha1: &[usize],
    off1: isize,
    lim1: isize,
    ha2: &[usize],
    off2: isize,
    lim2: isize,
    kv: &mut Kv,
    need_min: bool,
    mxcost: isize,
) -> Split {
    let a = |i: isize| ha1[i as usize];
    let b = |i: isize| ha2[i as usize];
    let (dmin, dmax) = (off1 - lim2, lim1 - off2);
    let (fmid, bmid) = (off1 - off2, lim1 - lim2);
    let odd = (fmid - bmid) & 1 != 0;
    let (mut fmin, mut fmax) = (fmid, fmid);
    let (mut bmin, mut bmax) = (bmid, bmid);
    kv.set_f(fmid, off1);
    kv.set_b(bmid, lim1);
    let mut ec: isize = 1;
    loop {
        let mut got_snake = false;
        if fmin > dmin {
            fmin -= 1;
            kv.set_f(fmin - 1, -1);
        } else {
            fmin += 1;
        }
        if fmax < dmax {
            fmax += 1;
            kv.set_f(fmax + 1, -1);
        } else {
            fmax -= 1;
        }
        let mut d = fmax;
        while d >= fmin {
            let mut i1 = if kv.f(d - 1) >= kv.f(d + 1) {
                kv.f(d - 1) + 1
            } else {
                kv.f(d + 1)
            };
            let prev1 = i1;
            let mut i2 = i1 - d;
            while i1 < lim1 && i2 < lim2 && a(i1) == b(i2) {
                i1 += 1;
                i2 += 1;
            }
            if i1 - prev1 > SNAKE_CNT {
                got_snake = true;
            }
            kv.set_f(d, i1);
            if odd && bmin <= d && d <= bmax && kv.b(d) <= i1 {
                return Split {
                    i1,
                    i2,
                    min_lo: true,
                    min_hi: true,
                };
            }
            d -= 2;
        }
        if bmin > dmin {
            bmin -= 1;
            kv.set_b(bmin - 1, LINE_MAX);
        } else {
            bmin += 1;
        }
        if bmax < dmax {
            bmax += 1;
            kv.set_b(bmax + 1, LINE_MAX);
        } else {
            bmax -= 1;
        }
        let mut d = bmax;
        while d >= bmin {
            let mut i1 = if kv.b(d - 1) < kv.b(d + 1) {
                kv.b(d - 1)
            } else {
                kv.b(d + 1) - 1
            };
            let prev1 = i1;
            let mut i2 = i1 - d;
            while i1 > off1 && i2 > off2 && a(i1 - 1) == b(i2 - 1) {
                i1 -= 1;
                i2 -= 1;
            }
            if prev1 - i1 > SNAKE_CNT {
                got_snake = true;
            }
            kv.set_b(d, i1);
            if !odd && fmin <= d && d <= fmax && i1 <= kv.f(d) {
                return Split {
                    i1,
                    i2,
                    min_lo: true,
                    min_hi: true,
                };
            }
            d -= 2;
        }
        if need_min {
            ec += 1;
            continue;
        }
        if got_snake && ec > HEUR_MIN_COST {
            if let Some(s) =
                forward_heuristic(&a, &b, (off1, lim1, off2, lim2), kv, fmin, fmax, fmid, ec)
            {
                return s;
            }
            if let Some(s) =
                backward_heuristic(&a, &b, (off1, lim1, off2, lim2), kv, bmin, bmax, bmid, ec)
            {
                return s;
            }
        }
        if ec >= mxcost {
            return furthest(kv, (off1, lim1, off2, lim2), (fmin, fmax), (bmin, bmax));
        }
        ec += 1;
    }
}

/// The forward half of xdiff's "interesting diagonal" sampling.
#[allow(clippy::too_many_arguments)]
fn forward_heuristic(
    a: &impl Fn(isize) -> usize,
    b: &impl Fn(isize) -> usize,
    (off1, lim1, off2, lim2): (isize, isize, isize, isize),
    kv: &Kv,
    fmin: isize,
    fmax: isize,
    fmid: isize,
    ec: isize,
) -> Option<Split> {
    let mut best = 0;
    let mut found = None;
    let mut d = fmax;
    while d >= fmin {
        let dd = if d > fmid { d - fmid } else { fmid - d };
        let i1 = kv.f(d);
        let i2 = i1 - d;
        let v = (i1 - off1) + (i2 - off2) - dd;
        if v > K_HEUR * ec
            && v > best
            && off1 + SNAKE_CNT <= i1
            && i1 < lim1
            && off2 + SNAKE_CNT <= i2
            && i2 < lim2
        {
            let mut k = 1;
            while a(i1 - k) == b(i2 - k) {
                if k == SNAKE_CNT {
                    best = v;
                    found = Some((i1, i2));
                    break;
                }
                k += 1;
            }
        }
        d -= 2;
    }
    found.map(|(i1, i2)| Split {
        i1,
        i2,
        min_lo: true,
        min_hi: false,
    })
}

/// The backward half of the sampling.
#[allow(clippy::too_many_arguments)]
fn backward_heuristic(
    a: &impl Fn(isize) -> usize,
    b: &impl Fn(isize) -> usize,
    (off1, lim1, off2, lim2): (isize, isize, isize, isize),
    kv: &Kv,
    bmin: isize,
    bmax: isize,
    bmid: isize,
    ec: isize,
) -> Option<Split> {
    let mut best = 0;
    let mut found = None;
    let mut d = bmax;
    while d >= bmin {
        let dd = if d > bmid { d - bmid } else { bmid - d };
        let i1 = kv.b(d);
        let i2 = i1 - d;
        let v = (lim1 - i1) + (lim2 - i2) - dd;
        if v > K_HEUR * ec
            && v > best
            && off1 < i1
            && i1 <= lim1 - SNAKE_CNT
            && off2 < i2
            && i2 <= lim2 - SNAKE_CNT
        {
            let mut k = 0;
            while a(i1 + k) == b(i2 + k) {
                if k == SNAKE_CNT - 1 {
                    best = v;
                    found = Some((i1, i2));
                    break;
                }
                k += 1;
            }
        }
        d -= 2;
    }
    found.map(|(i1, i2)| Split {
        i1,
        i2,
        min_lo: false,
        min_hi: true,
    })
}

/// "Enough is enough": the furthest-reaching point found so far.
fn furthest(
    kv: &Kv,
    (off1, lim1, off2, lim2): (isize, isize, isize, isize),
    (fmin, fmax): (isize, isize),
    (bmin, bmax): (isize, isize),
) -> Split {
    let (mut fbest, mut fbest1) = (-1, -1);
    let mut d = fmax;
    while d >= fmin {
        let mut i1 = kv.f(d).min(lim1);
        let mut i2 = i1 - d;
        if lim2 < i2 {
            i1 = lim2 + d;
            i2 = lim2;
        }
        if fbest < i1 + i2 {
            fbest = i1 + i2;
            fbest1 = i1;
        }
        d -= 2;
    }
    let (mut bbest, mut bbest1) = (LINE_MAX, LINE_MAX);
    let mut d = bmax;
    while d >= bmin {
        let mut i1 = off1.max(kv.b(d));
        let mut i2 = i1 - d;
        if i2 < off2 {
            i1 = off2 + d;
            i2 = off2;
        }
        if i1 + i2 < bbest {
            bbest = i1 + i2;
            bbest1 = i1;
        }
        d -= 2;
    }
    if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
        Split {
            i1: fbest1,
            i2: fbest - fbest1,
            min_lo: true,
            min_hi: false,
        }
    } else {
        Split {
            i1: bbest1,
            i2: bbest - bbest1,
            min_lo: false,
            min_hi: true,
        }
    }
}

/// A group of changed records `start..end` (empty: the position above `start`).
#[derive(Clone, Copy)]
struct Group {
    start: isize,
    end: isize,
}

impl Group {
    fn first(f: &File) -> Group {
        let mut end = 0;
        while f.changed(end) {
            end += 1;
        }
        Group { start: 0, end }
    }

    fn next(&mut self, f: &File) -> bool {
        if self.end == f.nrec() {
            return false;
        }
        self.start = self.end + 1;
        self.end = self.start;
        while f.changed(self.end) {
            self.end += 1;
        }
        true
    }

    fn previous(&mut self, f: &File) -> bool {
        if self.start == 0 {
            return false;
        }
        self.end = self.start - 1;
        self.start = self.end;
        while f.changed(self.start - 1) {
            self.start -= 1;
        }
        true
    }

    fn slide_down(&mut self, f: &mut File) -> bool {
        if self.end < f.nrec() && f.ha[self.start as usize] == f.ha[self.end as usize] {
            f.mark(self.start, 0);
            self.start += 1;
            f.mark(self.end, 1);
            self.end += 1;
            while f.changed(self.end) {
                self.end += 1;
            }
            true
        } else {
            false
        }
    }

    fn slide_up(&mut self, f: &mut File) -> bool {
        if self.start > 0 && f.ha[self.start as usize - 1] == f.ha[self.end as usize - 1] {
            self.start -= 1;
            f.mark(self.start, 1);
            self.end -= 1;
            f.mark(self.end, 0);
            while f.changed(self.start - 1) {
                self.start -= 1;
            }
            true
        } else {
            false
        }
    }
}

/// `xdl_change_compact` without the indent heuristic: each group of changes slides
/// up as far as it can, then down as far as it can (merging with neighbours), then
/// back up to line up with a change on the other side if it passed one. `None` where
/// xdiff would report `XDL_BUG` (the two sides' groups out of step).
fn change_compact(f: &mut File, other: &mut File) -> Option<()> {
    let mut g = Group::first(f);
    let mut go = Group::first(other);
    loop {
        if g.end != g.start {
            let mut earliest_end;
            let mut end_matching_other;
            loop {
                let groupsize = g.end - g.start;
                end_matching_other = -1;
                while g.slide_up(f) {
                    if !go.previous(other) {
                        return None;
                    }
                }
                earliest_end = g.end;
                if go.end > go.start {
                    end_matching_other = g.end;
                }
                while g.slide_down(f) {
                    if !go.next(other) {
                        return None;
                    }
                    if go.end > go.start {
                        end_matching_other = g.end;
                    }
                }
                if groupsize == g.end - g.start {
                    break;
                }
            }
            if g.end != earliest_end && end_matching_other != -1 {
                while go.end == go.start {
                    if !g.slide_up(f) || !go.previous(other) {
                        return None;
                    }
                }
            }
        }
        if !g.next(f) {
            break;
        }
        if !go.next(other) {
            return None;
        }
    }
    if go.next(other) {
        return None;
    }
    Some(())
}

/// The changed regions from both sides' marks (xdiff's `xdl_build_script`, forward);
/// `None` if the unchanged lines of the two sides do not pair up.
fn script(f1: &File, f2: &File) -> Option<Vec<Hunk>> {
    let (n1, n2) = (f1.nrec(), f2.nrec());
    let mut out = Vec::new();
    let (mut i1, mut i2) = (0isize, 0isize);
    while i1 < n1 || i2 < n2 {
        if f1.changed(i1) || f2.changed(i2) {
            let (s1, s2) = (i1, i2);
            while f1.changed(i1) {
                i1 += 1;
            }
            while f2.changed(i2) {
                i2 += 1;
            }
            out.push((
                s1 as usize,
                (i1 - s1) as usize,
                s2 as usize,
                (i2 - s2) as usize,
            ));
        } else if i1 < n1 && i2 < n2 {
            i1 += 1;
            i2 += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
