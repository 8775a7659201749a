//! The changed files of a diff, with their hunks and line counts. Hunks are computed
//! without context lines, so each one covers exactly the lines that changed.

use super::selection::Tree;
use super::{failed, GitRepo};
use crate::error::GovError;
use git2::{Delta, DiffFindOptions, DiffOptions, Patch};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// Binary files are checked by path only.
    pub binary: bool,
    pub added: usize,
    pub deleted: usize,
    pub hunks: Vec<Hunk>,
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
}

impl ChangeSet {
    /// The change that touches `path` on either side.
    pub fn find(&self, path: &str) -> Option<&ChangedFile> {
        self.files.iter().find(|f| f.paths().any(|p| p == path))
    }
}

/// Lists what changed between two sides, renames detected (untracked files included).
pub fn diff(git: &GitRepo, base: Tree, head: Tree) -> Result<ChangeSet, GovError> {
    let repo = git.repo();
    let base_tree = tree_of(git, base)?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .interhunk_lines(0)
        .ignore_submodules(true)
        .include_typechange(true);
    let mut diff = match head {
        Tree::Commit(_) | Tree::Empty => {
            let head_tree = tree_of(git, head)?;
            repo.diff_tree_to_tree(base_tree.as_ref(), head_tree.as_ref(), Some(&mut opts))
        }
        Tree::Index => repo.diff_tree_to_index(base_tree.as_ref(), None, Some(&mut opts)),
        Tree::Worktree => {
            opts.include_untracked(true)
                .recurse_untracked_dirs(true)
                .show_untracked_content(true);
            repo.diff_tree_to_workdir_with_index(base_tree.as_ref(), Some(&mut opts))
        }
    }
    .map_err(|e| failed("compute the diff", &e))?;
    let mut find = DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    diff.find_similar(Some(&mut find))
        .map_err(|e| failed("detect renames", &e))?;
    let mut files = Vec::with_capacity(diff.deltas().len());
    for idx in 0..diff.deltas().len() {
        if let Some(f) = changed_file(git, &diff, idx)? {
            files.push(f);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ChangeSet { files })
}

fn changed_file(
    git: &GitRepo,
    diff: &git2::Diff,
    idx: usize,
) -> Result<Option<ChangedFile>, GovError> {
    let Some(delta) = diff.get_delta(idx) else {
        return Ok(None);
    };
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
    let path_of = |f: git2::DiffFile| f.path_bytes().map(|p| git.gov_path(p));
    let old = path_of(delta.old_file());
    let new = path_of(delta.new_file());
    let (path, old_path) = match kind {
        ChangeKind::Deleted => (old.clone().or(new), None),
        ChangeKind::Renamed | ChangeKind::Copied => (new.or(old.clone()), old),
        _ => (new.or(old), None),
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let patch = Patch::from_diff(diff, idx).map_err(|e| failed("compute a patch", &e))?;
    let mut file = ChangedFile {
        path,
        old_path,
        kind,
        untracked,
        binary: delta.flags().is_binary(),
        added: 0,
        deleted: 0,
        hunks: Vec::new(),
    };
    if let Some(patch) = patch {
        file.binary |= patch.delta().flags().is_binary();
        if !file.binary {
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
        }
    }
    Ok(Some(file))
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
