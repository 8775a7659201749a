//! The changed files of a diff, with their hunks, line counts and SHA1s. Each file's
//! two versions are read once (blobs through git2, working-tree files through
//! `crate::io`), LF-normalised once, and hashed once: the SHA1s and the hunks both
//! come from the normalised bytes. Hunks are libgit2's diff without context lines (so
//! each one covers exactly the lines that changed), found by the Rust port of its
//! xdiff, which unlike `Patch::from_buffers` does not SHA-1 both buffers to name them.

use super::hash::{sha1_hex, to_lf, EMPTY_SHA1};
use super::selection::Tree;
use super::{failed, GitRepo};
use crate::error::GovError;
use git2::{Delta, DiffDelta, DiffFindOptions, DiffOptions, FileMode, Patch};
use serde::Serialize;
use std::collections::HashMap;

/// What the change did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    Renamed,
    Copied,
    /// A file became a link (or the reverse).
    Typechange,
}

impl ChangeKind {
    /// The one-letter status `git status --short` uses.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Modified => 'M',
            ChangeKind::Deleted => 'D',
            ChangeKind::Renamed => 'R',
            ChangeKind::Copied => 'C',
            ChangeKind::Typechange => 'T',
        }
    }
}

/// One hunk in old and new line numbers (git's `@@ -a,b +c,d @@`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
}

impl Hunk {
    /// The post-image lines the hunk occupies. A pure deletion occupies no line; it is
    /// placed at the line it follows (at least line 1), so a window can still hold it.
    pub fn new_span(&self) -> (u32, u32) {
        if self.new_lines == 0 {
            let at = self.new_start.max(1);
            (at, at)
        } else {
            (
                self.new_start,
                self.new_start.saturating_add(self.new_lines - 1),
            )
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangedFile {
    /// Root-relative path after the change (before it, for a deletion).
    pub path: String,
    /// The path before a rename or copy.
    pub old_path: Option<String>,
    pub kind: ChangeKind,
    /// An untracked file (working-tree mode).
    pub untracked: bool,
    /// Binary content (a NUL byte in the first 8000 bytes, as git decides).
    pub binary: bool,
    /// The name is not valid UTF-8: shown lossily, its content is not read.
    pub lossy_name: bool,
    pub added: usize,
    pub deleted: usize,
    pub hunks: Vec<Hunk>,
    /// LF-normalised SHA1 of the file at the diff base ([`EMPTY_SHA1`] when absent).
    pub pre_sha1: String,
    /// LF-normalised SHA1 of the file at the diff head ([`EMPTY_SHA1`] when absent).
    pub post_sha1: String,
}

impl ChangedFile {
    /// Both sides of a rename or copy, else the one path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.path.as_str()).chain(self.old_path.as_deref())
    }

    /// Where the file's pre-image lives at the diff base.
    pub fn base_path(&self) -> &str {
        self.old_path.as_deref().unwrap_or(&self.path)
    }

    /// Binary files and files with unreadable names are checked by path only.
    pub fn path_only(&self) -> bool {
        self.binary || self.lossy_name
    }

    pub fn line_delta(&self) -> i64 {
        self.added as i64 - self.deleted as i64
    }

    /// The smallest [start, end] window of post-image lines holding every hunk.
    pub fn window(&self) -> Option<(u32, u32)> {
        let spans = self.hunks.iter().map(Hunk::new_span);
        let start = spans.clone().map(|s| s.0).min()?;
        let end = spans.map(|s| s.1).max()?;
        Some((start, end))
    }
}

#[derive(Debug, Clone, Default)]
pub struct ChangeSet {
    /// Sorted by path.
    pub files: Vec<ChangedFile>,
    /// Index into `files` by either side's path (diffs run to many thousand files).
    by_path: HashMap<String, usize>,
}

impl ChangeSet {
    pub fn new(mut files: Vec<ChangedFile>) -> ChangeSet {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut by_path = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            for p in f.paths() {
                by_path.entry(p.to_string()).or_insert(i);
            }
        }
        ChangeSet { files, by_path }
    }

    /// The change that touches `path` on either side.
    pub fn find(&self, path: &str) -> Option<&ChangedFile> {
        self.by_path.get(path).and_then(|&i| self.files.get(i))
    }
}

/// Lists what changed between two sides, renames detected (untracked files included),
/// with each file's hunks and SHA1s.
pub fn diff(git: &GitRepo, base: Tree, head: Tree) -> Result<ChangeSet, GovError> {
    let repo = git.repo();
    let base_tree = tree_of(git, base)?;
    let mut opts = DiffOptions::new();
    opts.ignore_submodules(true).include_typechange(true);
    if matches!(head, Tree::Index | Tree::Worktree) {
        let index = repo.index().map_err(|e| failed("read the git index", &e))?;
        super::refuse_conflicts(&index)?;
    }
    let mut diff = match head {
        Tree::Commit(_) | Tree::Empty => {
            let head_tree = tree_of(git, head)?;
            repo.diff_tree_to_tree(base_tree.as_ref(), head_tree.as_ref(), Some(&mut opts))
        }
        Tree::Index => repo.diff_tree_to_index(base_tree.as_ref(), None, Some(&mut opts)),
        Tree::Worktree => {
            opts.include_untracked(true).recurse_untracked_dirs(true);
            repo.diff_tree_to_workdir_with_index(base_tree.as_ref(), Some(&mut opts))
        }
    }
    .map_err(|e| failed("compute the diff", &e))?;
    let mut find = DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    diff.find_similar(Some(&mut find))
        .map_err(|e| failed("detect renames", &e))?;
    let mut files = Vec::with_capacity(diff.deltas().len());
    for delta in diff.deltas() {
        if let Some(f) = changed_file(git, &delta, head)? {
            files.push(f);
        }
    }
    Ok(ChangeSet::new(files))
}

fn changed_file(
    git: &GitRepo,
    delta: &DiffDelta,
    head: Tree,
) -> Result<Option<ChangedFile>, GovError> {
    let (kind, untracked) = match delta.status() {
        Delta::Added => (ChangeKind::Added, false),
        Delta::Untracked => (ChangeKind::Added, true),
        Delta::Deleted => (ChangeKind::Deleted, false),
        Delta::Modified | Delta::Conflicted | Delta::Unreadable => (ChangeKind::Modified, false),
        Delta::Renamed => (ChangeKind::Renamed, false),
        Delta::Copied => (ChangeKind::Copied, false),
        Delta::Typechange => (ChangeKind::Typechange, false),
        Delta::Unmodified | Delta::Ignored => return Ok(None),
    };
    let (old, new) = (delta.old_file(), delta.new_file());
    let raw = match kind {
        ChangeKind::Deleted => old.path_bytes().or(new.path_bytes()),
        _ => new.path_bytes().or(old.path_bytes()),
    };
    let Some(raw) = raw else {
        return Ok(None);
    };
    let path = git.gov_path(raw);
    let old_path = match kind {
        ChangeKind::Renamed | ChangeKind::Copied => old.path_bytes().map(|p| git.gov_path(p)),
        _ => None,
    };
    let lossy_name = std::str::from_utf8(raw).is_err()
        || old
            .path_bytes()
            .is_some_and(|p| std::str::from_utf8(p).is_err());
    let mut file = ChangedFile {
        path,
        old_path,
        kind,
        untracked,
        binary: false,
        lossy_name,
        added: 0,
        deleted: 0,
        hunks: Vec::new(),
        pre_sha1: EMPTY_SHA1.to_string(),
        post_sha1: EMPTY_SHA1.to_string(),
    };
    if lossy_name || [old.mode(), new.mode()].contains(&FileMode::Commit) {
        return Ok(Some(file)); // checked by path only
    }
    let before = match kind {
        ChangeKind::Added => Vec::new(),
        _ => blob(git, old.id())?,
    };
    let after = match (kind, head) {
        (ChangeKind::Deleted, _) => Vec::new(),
        (_, Tree::Worktree) => git.worktree_bytes(raw, new.mode())?,
        _ => blob(git, new.id())?,
    };
    content_facts(&mut file, &before, &after)?;
    Ok(Some(file))
}

/// Binary or not, both SHA1s, hunks and line counts, from each side's bytes read once:
/// each side is LF-normalised once and hashed once.
fn content_facts(file: &mut ChangedFile, before: &[u8], after: &[u8]) -> Result<(), GovError> {
    // git decides binary on the bytes as stored; the SHA1s and hunks read them as LF
    file.binary = is_binary(before) || is_binary(after);
    let (before, after) = (to_lf(before), to_lf(after));
    file.pre_sha1 = sha1_hex(&before);
    file.post_sha1 = sha1_hex(&after);
    if !file.binary {
        count_hunks(file, &before, &after)?;
    }
    Ok(())
}

/// libgit2 treats a side over this size as binary (no hunks): `GIT_XDIFF_MAX_SIZE`.
const XDIFF_MAX_SIZE: usize = 1024 * 1024 * 1023;

/// Hunks and line counts of the LF-normalised contents, without context lines: the
/// changed regions of libgit2's diff, in its 1-based hunk numbering.
fn count_hunks(file: &mut ChangedFile, before: &[u8], after: &[u8]) -> Result<(), GovError> {
    if before.len() > XDIFF_MAX_SIZE || after.len() > XDIFF_MAX_SIZE {
        return libgit2_hunks(file, before, after);
    }
    let regions = super::line_history::changed_regions(before, after)
        .map_err(|e| failed("compute a patch", &e))?;
    // an empty side names the line before it (the unified-diff convention)
    let one_based = |start: usize, count: usize| {
        let start = if count == 0 { start } else { start + 1 };
        u32::try_from(start).unwrap_or(u32::MAX)
    };
    let lines = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
    file.hunks = regions
        .iter()
        .map(|&(o, oc, n, nc)| Hunk {
            old_start: one_based(o, oc),
            old_lines: lines(oc),
            new_start: one_based(n, nc),
            new_lines: lines(nc),
        })
        .collect();
    file.deleted = regions.iter().map(|r| r.1).sum();
    file.added = regions.iter().map(|r| r.3).sum();
    Ok(())
}

/// The same through libgit2's patch (which also SHA-1-hashes both buffers): for sides
/// past xdiff's size limit, where libgit2 decides what a patch holds, and in tests.
fn libgit2_hunks(file: &mut ChangedFile, before: &[u8], after: &[u8]) -> Result<(), GovError> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0).interhunk_lines(0).force_text(true);
    // no paths: no attribute look-ups, no diff drivers, just the two buffers
    let patch = Patch::from_buffers(before, None, after, None, Some(&mut opts))
        .map_err(|e| failed("compute a patch", &e))?;
    let (_, added, deleted) = patch
        .line_stats()
        .map_err(|e| failed("count changed lines", &e))?;
    file.added = added;
    file.deleted = deleted;
    file.hunks.clear();
    for h in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(h).map_err(|e| failed("read a hunk", &e))?;
        file.hunks.push(Hunk {
            old_start: hunk.old_start(),
            old_lines: hunk.old_lines(),
            new_start: hunk.new_start(),
            new_lines: hunk.new_lines(),
        });
    }
    Ok(())
}

/// Git's heuristic: a NUL byte in the first 8000 bytes makes content binary.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8000).any(|&b| b == 0)
}

fn blob(git: &GitRepo, oid: git2::Oid) -> Result<Vec<u8>, GovError> {
    git.repo()
        .find_blob(oid)
        .map(|b| b.content().to_vec())
        .map_err(|e| failed(&format!("read the blob {oid}"), &e))
}

fn tree_of(git: &GitRepo, side: Tree) -> Result<Option<git2::Tree<'_>>, GovError> {
    match side {
        Tree::Commit(oid) => git
            .repo()
            .find_commit(oid)
            .and_then(|c| c.tree())
            .map(Some)
            .map_err(|e| failed("read a commit's tree", &e)),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn empty_file() -> ChangedFile {
        ChangedFile {
            path: "f".into(),
            old_path: None,
            kind: ChangeKind::Modified,
            untracked: false,
            binary: false,
            lossy_name: false,
            added: 0,
            deleted: 0,
            hunks: Vec::new(),
            pre_sha1: EMPTY_SHA1.into(),
            post_sha1: EMPTY_SHA1.into(),
        }
    }

    /// The facts as gov computed them before each side was read and hashed once: the
    /// SHA1s over the raw bytes skipping each `\r` of a `\r\n`, the hunks through
    /// libgit2's patch of the normalised bytes.
    fn facts_before(before: &[u8], after: &[u8]) -> ChangedFile {
        fn old_lf_sha1(bytes: &[u8]) -> String {
            use sha1::{Digest, Sha1};
            let mut hasher = Sha1::new();
            let mut start = 0;
            for (i, pair) in bytes.windows(2).enumerate() {
                if pair == b"\r\n" {
                    hasher.update(&bytes[start..i]);
                    start = i + 1;
                }
            }
            hasher.update(&bytes[start..]);
            hasher
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        }
        let mut f = empty_file();
        f.pre_sha1 = old_lf_sha1(before);
        f.post_sha1 = old_lf_sha1(after);
        f.binary = is_binary(before) || is_binary(after);
        if !f.binary {
            libgit2_hunks(&mut f, &to_lf(before), &to_lf(after)).expect("libgit2 patch");
        }
        f
    }

    fn facts_now(before: &[u8], after: &[u8]) -> ChangedFile {
        let mut f = empty_file();
        content_facts(&mut f, before, after).expect("facts");
        f
    }

    fn same(a: &ChangedFile, b: &ChangedFile) -> bool {
        (
            a.binary,
            &a.pre_sha1,
            &a.post_sha1,
            a.added,
            a.deleted,
            &a.hunks,
        ) == (
            b.binary,
            &b.pre_sha1,
            &b.post_sha1,
            b.added,
            b.deleted,
            &b.hunks,
        )
    }

    /// A text from a few shared lines, with LF, CRLF, lone CR and (sometimes) a last
    /// line without its end.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        let line = (0u8..6, 0u8..4).prop_map(|(word, end)| {
            let mut l = format!("line {word}").into_bytes();
            l.extend_from_slice(match end {
                0 | 1 => b"\n",
                2 => b"\r\n",
                _ => b"\r",
            });
            l
        });
        (prop::collection::vec(line, 0..40), any::<bool>()).prop_map(|(lines, cut)| {
            let mut t = lines.concat();
            if cut {
                t.pop();
            }
            t
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

        /// Reading, normalising and hashing each side once reports what the two-pass
        /// path reported: binary, both SHA1s, every hunk and both line counts.
        #[test]
        fn facts_match_the_two_pass_path(before in text(), after in text(), nul in any::<bool>()) {
            let mut after = after;
            if nul && !after.is_empty() {
                let at = after.len() / 2;
                after[at] = 0;
            }
            let (was, now) = (facts_before(&before, &after), facts_now(&before, &after));
            prop_assert!(same(&was, &now), "before {:?}\nafter {:?}\nwas {:?}\nnow {:?}",
                String::from_utf8_lossy(&before), String::from_utf8_lossy(&after), was, now);
        }

        /// A side turned into CRLF (or back) hashes and diffs like itself.
        #[test]
        fn crlf_copies_are_unchanged(before in text()) {
            let lf = to_lf(&before).into_owned();
            let crlf: Vec<u8> = lf.iter().flat_map(|&b| if b == b'\n' { vec![b'\r', b'\n'] } else { vec![b] }).collect();
            let f = facts_now(&lf, &crlf);
            prop_assert_eq!(&f.pre_sha1, &f.post_sha1);
            prop_assert!(f.hunks.is_empty() && f.added == 0 && f.deleted == 0);
            prop_assert!(same(&f, &facts_before(&lf, &crlf)));
        }
    }

    #[test]
    fn edge_cases_match_the_two_pass_path() {
        let cases: [(&[u8], &[u8]); 9] = [
            (b"", b""),
            (b"", b"a\n"),
            (b"a\n", b""),
            (b"a", b"a\n"),
            (b"a\r\n", b"a\r"),
            (b"a\r\nb\r\n", b"a\nb\nc"),
            (b"x\n\r\n\r\r\n", b"x\n\n\r\n"),
            (b"a\nb\nc\n", b"c\nb\na\n"),
            (b"same\n", b"same\n"),
        ];
        for (before, after) in cases {
            let (was, now) = (facts_before(before, after), facts_now(before, after));
            assert!(
                same(&was, &now),
                "{before:?} -> {after:?}: {was:?} vs {now:?}"
            );
        }
    }

    #[test]
    fn deletion_hunks_sit_after_their_line() {
        let h = Hunk {
            old_start: 3,
            old_lines: 2,
            new_start: 2,
            new_lines: 0,
        };
        assert_eq!(h.new_span(), (2, 2));
        let h = Hunk {
            old_start: 1,
            old_lines: 1,
            new_start: 0,
            new_lines: 0,
        };
        assert_eq!(h.new_span(), (1, 1));
    }
}
