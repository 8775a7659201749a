//! The walk against libgit2's blame on generated histories (proptest, fixed seed):
//! edits that make duplicate lines (where diff placement matters), a long common tail
//! (blame's block trimming), commits that do not touch the file, merges (either side,
//! TREESAME to one parent), and renames, some too different to be detected.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::collections::BTreeMap;

const WORDS: &[&str] = &[
    "a",
    "b",
    "",
    "- [WP-1-X] x",
    "  - Status: Ready",
    "filler line of the board",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize),
    Replace(usize, usize),
    Unique(usize),
}

#[derive(Debug, Clone)]
enum Step {
    Edit(Vec<Edit>),
    Other,
    Rename(Vec<Edit>),
    /// Side-branch edits, main-branch edits, then the merge: its own edits on top of
    /// main's version, or side's version as is.
    Merge(Vec<Edit>, Vec<Edit>, Vec<Edit>, bool),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..200usize, 0..WORDS.len()).prop_map(|(p, w)| Edit::Insert(p, w)),
        (0..200usize).prop_map(Edit::Delete),
        (0..200usize, 0..WORDS.len()).prop_map(|(p, w)| Edit::Replace(p, w)),
        (0..200usize).prop_map(Edit::Unique),
    ]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(edit(), 0..4)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => edits().prop_map(Step::Edit),
        1 => Just(Step::Other),
        1 => edits().prop_map(Step::Rename),
        2 => (edits(), edits(), edits(), any::<bool>())
            .prop_map(|(s, m, x, take_side)| Step::Merge(s, m, x, take_side)),
    ]
}

fn apply(lines: &mut Vec<String>, edits: &[Edit], counter: &mut usize) {
    for e in edits {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % len };
        match *e {
            Edit::Insert(p, w) => {
                let i = at(p, lines.len() + 1);
                lines.insert(i, WORDS[w].to_string());
            }
            Edit::Delete(p) if !lines.is_empty() => {
                let i = at(p, lines.len());
                lines.remove(i);
            }
            Edit::Replace(p, w) if !lines.is_empty() => {
                let i = at(p, lines.len());
                lines[i] = WORDS[w].to_string();
            }
            Edit::Unique(p) => {
                *counter += 1;
                let i = at(p, lines.len() + 1);
                lines.insert(i, format!("- [WP-1-U{counter}] unique"));
            }
            _ => {}
        }
    }
}

fn text(lines: &[String]) -> Vec<u8> {
    let mut s = lines.join("\n");
    s.push('\n');
    s.into_bytes()
}

/// A repository built commit by commit from `files` snapshots (root and one level of
/// folders), with distinct author and committer times.
struct Builder {
    repo: Repository,
    clock: i64,
}

impl Builder {
    fn tree(&self, files: &BTreeMap<String, Vec<u8>>) -> Oid {
        let mut dirs: BTreeMap<&str, Vec<(&str, &[u8])>> = BTreeMap::new();
        let mut root = self.repo.treebuilder(None).unwrap();
        for (path, content) in files {
            let blob = self.repo.blob(content).unwrap();
            match path.split_once('/') {
                Some((dir, name)) => dirs.entry(dir).or_default().push((name, content)),
                None => {
                    root.insert(path, blob, 0o100644).unwrap();
                }
            }
        }
        for (dir, entries) in dirs {
            let mut sub = self.repo.treebuilder(None).unwrap();
            for (name, content) in entries {
                let blob = self.repo.blob(content).unwrap();
                sub.insert(name, blob, 0o100644).unwrap();
            }
            root.insert(dir, sub.write().unwrap(), 0o040000).unwrap();
        }
        root.write().unwrap()
    }

    fn commit(&mut self, files: &BTreeMap<String, Vec<u8>>, parents: &[Oid]) -> Oid {
        self.clock += 3600;
        let tree = self.repo.find_tree(self.tree(files)).unwrap();
        let author = Signature::new("a", "a@example.com", &Time::new(self.clock - 7200, 60));
        let committer = Signature::new("c", "c@example.com", &Time::new(self.clock, 0));
        let parents: Vec<Commit> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&Commit> = parents.iter().collect();
        self.repo
            .commit(
                None,
                &author.unwrap(),
                &committer.unwrap(),
                "c",
                &tree,
                &refs,
            )
            .unwrap()
    }
}

use git2::Signature;

/// Builds the history; returns the repository, the board's final path and content.
fn build(dir: &Path, long: bool, steps: &[Step]) -> (Repository, String, Vec<u8>) {
    let mut b = Builder {
        repo: Repository::init(dir).unwrap(),
        clock: 1_790_000_000,
    };
    let mut counter = 0;
    let mut lines: Vec<String> = ["# Board", "## Ready", "a", "b", "a"]
        .map(String::from)
        .to_vec();
    if long {
        // a common tail over 1 KiB, so blame's block trimming comes into play
        lines.extend((0..60).map(|_| WORDS[5].to_string()));
    }
    let mut path = "docs/board.md".to_string();
    let mut files = BTreeMap::from([
        ("other.txt".to_string(), b"other\n".to_vec()),
        (path.clone(), text(&lines)),
    ]);
    let mut head = b.commit(&files, &[]);
    for (k, s) in steps.iter().enumerate() {
        match s {
            Step::Edit(e) => {
                apply(&mut lines, e, &mut counter);
                files.insert(path.clone(), text(&lines));
                head = b.commit(&files, &[head]);
            }
            Step::Other => {
                files.insert("other.txt".into(), format!("other {k}\n").into_bytes());
                head = b.commit(&files, &[head]);
            }
            Step::Rename(e) => {
                files.remove(&path);
                path = if k % 2 == 0 {
                    format!("docs/b{k}.md")
                } else {
                    format!("b{k}.md")
                };
                apply(&mut lines, e, &mut counter);
                files.insert(path.clone(), text(&lines));
                head = b.commit(&files, &[head]);
            }
            Step::Merge(side, main, merge, take_side) => {
                let mut side_lines = lines.clone();
                apply(&mut side_lines, side, &mut counter);
                let mut side_files = files.clone();
                side_files.insert(path.clone(), text(&side_lines));
                let side_head = b.commit(&side_files, &[head]);
                apply(&mut lines, main, &mut counter);
                files.insert(path.clone(), text(&lines));
                let main_head = b.commit(&files, &[head]);
                if *take_side {
                    lines = side_lines;
                } else {
                    apply(&mut lines, merge, &mut counter);
                }
                files.insert(path.clone(), text(&lines));
                head = b.commit(&files, &[main_head, side_head]);
            }
        }
    }
    b.repo.set_head_detached(head).unwrap();
    let content = files[&path].clone();
    (b.repo, path, content)
}

#[test]
fn agrees_with_libgit2_blame_on_generated_histories() {
    let mut runner = TestRunner::new(Config {
        cases: 96,
        rng_seed: RngSeed::Fixed(13),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (any::<bool>(), proptest::collection::vec(step(), 0..10));
    runner
        .run(&strategy, |(long, steps)| {
            let dir = tempfile::tempdir().unwrap();
            let (repo, path, content) = build(dir.path(), long, &steps);
            let blame = repo.blame_file(Path::new(&path), None).unwrap();
            let n = line_count(&content);
            let all: Vec<usize> = (0..n).collect();
            let ours = introductions(&repo, &path, &content, &all, None).unwrap();
            for (line, found) in ours.iter().enumerate() {
                let theirs = blame.get_line(line + 1).map(|h| h.final_commit_id());
                let mine = match found {
                    Some(Introduced::Commit { commit, exact, .. }) => {
                        prop_assert!(*exact, "no horizon, so every answer is exact");
                        Some(*commit)
                    }
                    other => panic!("line {line}: {other:?}"),
                };
                prop_assert_eq!(mine, theirs, "line {} of {}", line + 1, path);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn uncommitted_lines_and_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let steps = [
        Step::Edit(vec![Edit::Unique(9)]),
        Step::Other,
        Step::Edit(vec![Edit::Unique(0)]),
    ];
    let (repo, path, content) = build(dir.path(), false, &steps);
    let mut text = b"new first line\n".to_vec();
    text.extend_from_slice(&content);
    let all: Vec<usize> = (0..line_count(&text)).collect();
    let exact = introductions(&repo, &path, &text, &all, None).unwrap();
    assert_eq!(exact[0], Some(Introduced::Uncommitted));
    let when = |i: usize| match exact[i] {
        Some(Introduced::Commit { author, exact, .. }) => (local_seconds(author), exact),
        other => panic!("{other:?}"),
    };
    // line 1 (`- [WP-1-U2]`) is the newest commit's; the old lines the root's
    let (newest, _) = when(1);
    let (oldest, _) = when(2);
    assert!(newest > oldest);
    // a horizon just before the newest commit: older lines stop there, inexact
    let cut = introductions(&repo, &path, &text, &all, Some(newest - 60)).unwrap();
    assert_eq!(
        cut[1], exact[1],
        "the newest line is found before the horizon"
    );
    match cut[2] {
        Some(Introduced::Commit { exact, author, .. }) => {
            assert!(!exact);
            assert!(local_seconds(author) > oldest, "bounded by a later commit");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        introductions(&repo, "missing.md", &text, &all, None)
            .err()
            .map(|e| matches!(e, Error::NotCommitted)),
        Some(true)
    );
}

/// Every line's commit, ours and blame's, for the final version.
fn both(repo: &Repository, path: &str, content: &[u8]) -> (Vec<Option<Oid>>, Vec<Option<Oid>>) {
    let blame = repo.blame_file(Path::new(path), None).unwrap();
    let all: Vec<usize> = (0..line_count(content)).collect();
    let ours = introductions(repo, path, content, &all, None).unwrap();
    let ours = ours
        .iter()
        .map(|f| match f {
            Some(Introduced::Commit { commit, .. }) => Some(*commit),
            _ => None,
        })
        .collect();
    let theirs = all
        .iter()
        .map(|l| blame.get_line(l + 1).map(|h| h.final_commit_id()))
        .collect();
    (ours, theirs)
}

#[test]
fn a_long_repeated_tail_is_placed_as_blame_places_it() {
    // a line inserted into a long run of equal lines: where it lands depends on
    // blame's trimming of the common tail before xdiff runs
    let dir = tempfile::tempdir().unwrap();
    let steps = [Step::Edit(vec![Edit::Insert(70, 5)])];
    let (repo, path, content) = build(dir.path(), true, &steps);
    let (ours, theirs) = both(&repo, &path, &content);
    assert_eq!(ours, theirs);
    let head = repo.head().unwrap().target();
    let newest: Vec<usize> = (0..ours.len()).filter(|&i| ours[i] == head).collect();
    assert_eq!(newest.len(), 1);
    assert!(
        newest[0] < 60,
        "trimmed: the new line is not placed at the very end"
    );
}
