//! Git access for the completion gate, through libgit2 (git2) only: no git process and
//! no shell is ever started. This module opens the repository that holds the
//! governance root, turns a diff request into a [`Selection`] (base and head), lists the
//! changed files with their hunks, and reads file contents on either side.

mod changes;
mod content;
mod hash;
pub mod line_history;
mod selection;

pub use changes::{diff, is_binary, ChangeKind, ChangeSet, ChangedFile, Hunk};
pub use content::FileContent;
pub use hash::{lf_sha1, EMPTY_SHA1};
pub use selection::{select, Mode, Request, Selection, Tree};

use crate::diag::codes::git as codes;
use crate::diag::Diagnostic;
use crate::error::GovError;
use std::path::{Path, PathBuf};

/// The git repository around a governance root.
pub struct GitRepo {
    repo: git2::Repository,
    /// The work tree on disk (its files are read through `crate::io`, path-safe).
    workdir: PathBuf,
    /// The governance root relative to the work tree, with a trailing `/`, or empty
    /// when the two coincide. Git paths are work-tree relative; gov paths root relative.
    prefix: String,
}

impl GitRepo {
    /// Opens the repository containing `root` (searching upward, as git does).
    pub fn open(root: &Path) -> Result<GitRepo, GovError> {
        // gov only reads; like git itself it trusts the object database instead of
        // re-hashing every object it inflates (a large share of a big diff's time)
        git2::opts::strict_hash_verification(false);
        let repo = git2::Repository::discover(root).map_err(|e| {
            if e.code() == git2::ErrorCode::NotFound {
                GovError::from(Diagnostic::new(
                    &codes::NOT_A_GIT_REPOSITORY,
                    format!(
                        "no git repository at or above {}; post-work needs the change history",
                        root.display()
                    ),
                ))
            } else {
                failed("open the git repository", &e)
            }
        })?;
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return Err(Diagnostic::new(
                &codes::BARE_REPOSITORY,
                format!(
                    "{} is a bare git repository: there is no work tree to check",
                    repo.path().display()
                ),
            )
            .into());
        };
        let prefix = prefix_of(root, &workdir);
        Ok(GitRepo {
            repo,
            workdir,
            prefix,
        })
    }

    pub fn repo(&self) -> &git2::Repository {
        &self.repo
    }

    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// A work-tree-relative git path as a root-relative gov path. Invalid UTF-8 is
    /// replaced (reported lossily, never dropped); paths outside the governance root
    /// climb out of it with `../`.
    pub fn gov_path(&self, git_path: &[u8]) -> String {
        let p = String::from_utf8_lossy(git_path);
        match p.strip_prefix(self.prefix.as_str()) {
            Some(rest) => rest.to_string(),
            None => {
                let depth = self.prefix.matches('/').count();
                format!("{}{p}", "../".repeat(depth))
            }
        }
    }

    /// A root-relative gov path as a work-tree-relative git path.
    pub fn git_path(&self, gov_path: &str) -> String {
        format!("{}{gov_path}", self.prefix)
    }
}

fn prefix_of(root: &Path, workdir: &Path) -> String {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (root, workdir) = (canon(root), canon(workdir));
    match root.strip_prefix(&workdir) {
        Ok(rel) if !rel.as_os_str().is_empty() => format!("{}/", crate::paths::to_slash(rel)),
        _ => String::new(),
    }
}

/// A libgit2 failure while doing `what`: the gate cannot be evaluated (exit 2).
pub(crate) fn failed(what: &str, e: &git2::Error) -> GovError {
    Diagnostic::new(
        &codes::GIT_FAILED,
        format!("could not {what}: {}", e.message()),
    )
    .into()
}

/// A short object id for human output.
pub fn short(oid: git2::Oid) -> String {
    let s = oid.to_string();
    s[..s.len().min(10)].to_string()
}
