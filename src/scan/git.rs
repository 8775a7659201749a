//! `--staged` and `--changed BASE`: which files (and lines) to scan, read through
//! libgit2. Staged content comes from the index blobs, never from the working tree,
//! so a pre-commit hook checks exactly what is about to be committed.

use crate::diag::codes::{git as gitcodes, scn};
use crate::diag::Diagnostic;
use crate::error::GovError;
use git2::{Delta, DiffOptions, FileMode};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A file selected from git.
#[derive(Debug)]
pub struct GitFile {
    /// Relative to the governance root, `/`-separated.
    pub rel: String,
    /// The staged blob, for `--staged`; `None`: read the working tree.
    pub content: Option<Vec<u8>>,
    /// Lines added or changed since BASE, for `--changed`.
    pub lines: Option<BTreeSet<usize>>,
}

fn git_error(what: &str, e: &git2::Error) -> GovError {
    Diagnostic::new(&scn::SCAN_GIT, format!("{what}: {}", e.message())).into()
}

/// The staged files (index vs HEAD) or the files changed since `base` (against the
/// index with `staged`, else the working tree including untracked files).
pub fn select(root: &Path, staged: bool, base: Option<&str>) -> Result<Vec<GitFile>, GovError> {
    let repo = crate::git::open_repository(root).map_err(|_| {
        GovError::from(Diagnostic::new(
            &gitcodes::NOT_A_GIT_REPOSITORY,
            format!("{} is not inside a git work tree", root.display()),
        ))
    })?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| {
            GovError::from(Diagnostic::new(
                &gitcodes::NOT_A_GIT_REPOSITORY,
                "the repository is bare; --staged and --changed need a work tree",
            ))
        })?
        .to_path_buf();
    let prefix = root_in_workdir(root, &workdir);
    let index = repo
        .index()
        .map_err(|e| git_error("cannot read the index", &e))?;
    crate::git::refuse_conflicts(&index)?;
    let base_tree = match base {
        Some(b) => Some(
            repo.revparse_single(b)
                .and_then(|o| o.peel_to_tree())
                .map_err(|e| git_error(&format!("cannot resolve `{b}`"), &e))?,
        ),
        // an unborn HEAD (first commit): everything in the index is staged
        None => repo.head().ok().and_then(|h| h.peel_to_tree().ok()),
    };
    let mut opts = DiffOptions::new();
    opts.context_lines(0).ignore_submodules(true);
    let diff = if staged {
        repo.diff_tree_to_index(base_tree.as_ref(), Some(&index), Some(&mut opts))
    } else {
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true);
        repo.diff_tree_to_workdir_with_index(base_tree.as_ref(), Some(&mut opts))
    }
    .map_err(|e| git_error("cannot compute the diff", &e))?;
    let mut files: BTreeMap<String, GitFile> = BTreeMap::new();
    for delta in diff.deltas() {
        let new = delta.new_file();
        if matches!(
            delta.status(),
            Delta::Deleted | Delta::Ignored | Delta::Unreadable
        ) || matches!(
            new.mode(),
            FileMode::Link | FileMode::Commit | FileMode::Tree
        ) {
            continue;
        }
        let Some(path) = new.path().map(crate::paths::to_slash) else {
            continue;
        };
        let Some(rel) = under_prefix(&path, &prefix) else {
            continue;
        };
        let content = if staged {
            let blob = repo
                .find_blob(new.id())
                .map_err(|e| git_error(&format!("cannot read the staged {path}"), &e))?;
            Some(blob.content().to_vec())
        } else {
            None
        };
        files.insert(
            path,
            GitFile {
                rel,
                content,
                lines: base.map(|_| BTreeSet::new()),
            },
        );
    }
    if base.is_some() {
        diff.foreach(
            &mut |_, _| true,
            None,
            None,
            Some(&mut |delta, _hunk, line| {
                if line.origin() == '+' {
                    let path = delta.new_file().path().map(crate::paths::to_slash);
                    let entry = path.and_then(|p| files.get_mut(&p));
                    if let (Some(f), Some(n)) = (entry, line.new_lineno()) {
                        f.lines.get_or_insert_with(BTreeSet::new).insert(n as usize);
                    }
                }
                true
            }),
        )
        .map_err(|e| git_error("cannot read the diff", &e))?;
    }
    Ok(files.into_values().collect())
}

/// The governance root relative to the git work tree (`""` when they are the same).
pub fn root_in_workdir(root: &Path, workdir: &Path) -> String {
    root.canonicalize()
        .ok()
        .zip(workdir.canonicalize().ok())
        .and_then(|(r, w)| r.strip_prefix(&w).ok().map(crate::paths::to_slash))
        .unwrap_or_default()
}

/// A work-tree path relative to the governance root, or `None` if outside it.
fn under_prefix(path: &str, prefix: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some(path.to_string());
    }
    path.strip_prefix(prefix)?
        .strip_prefix('/')
        .map(str::to_string)
}
