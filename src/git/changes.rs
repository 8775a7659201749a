//! The changed files of a diff, with their hunks, line counts and SHA1s. Each file's
//! two versions are read once (blobs through git2, working-tree files through
//! `crate::io`); hunks are computed on the LF-normalised contents without context
//! lines, so each one covers exactly the lines that changed.

use super::hash::{lf_sha1, EMPTY_SHA1};
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
    file.pre_sha1 = lf_sha1(&before);
    file.post_sha1 = lf_sha1(&after);
    file.binary = is_binary(&before) || is_binary(&after);
    if !file.binary {
        count_hunks(&mut file, &before, &after)?;
    }
    Ok(Some(file))
}

/// Hunks and line counts of the LF-normalised contents, without context lines.
fn count_hunks(file: &mut ChangedFile, before: &[u8], after: &[u8]) -> Result<(), GovError> {
    let (before, after) = (to_lf(before), to_lf(after));
    let mut opts = DiffOptions::new();
    opts.context_lines(0).interhunk_lines(0).force_text(true);
    // no paths: no attribute look-ups, no diff drivers, just the two buffers
    let patch = Patch::from_buffers(&before, None, &after, None, Some(&mut opts))
        .map_err(|e| failed("compute a patch", &e))?;
    let (_, added, deleted) = patch
        .line_stats()
        .map_err(|e| failed("count changed lines", &e))?;
    file.added = added;
    file.deleted = deleted;
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

/// `\r\n` as `\n`, so hunks agree with the LF-normalised SHA1s.
fn to_lf(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    std::borrow::Cow::Owned(out)
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
    use super::Hunk;

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
