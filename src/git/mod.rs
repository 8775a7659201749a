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
pub use selection::{select, DiffView, Mode, Request, Selection, Tree};

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
        let repo = open_repository(root).map_err(|e| {
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

/// Opens the repository around `root` the way git itself sees it, also inside a hook:
/// `GIT_DIR` names the repository (relative to the working directory, as for git),
/// `GIT_WORK_TREE` its work tree, and `GIT_INDEX_FILE` the index. For `git commit -a`
/// and `git commit <path>` git hands the pre-commit hook a temporary index through
/// `GIT_INDEX_FILE`; reading `.git/index` instead would check something other than
/// what is being committed. Without `GIT_DIR` the repository is searched upward from
/// `root`, as `git -C root` would.
pub fn open_repository(root: &Path) -> Result<git2::Repository, git2::Error> {
    // gov only reads; like git itself it trusts the object database instead of
    // re-hashing (SHA-1 with collision detection) every object it inflates: for the
    // board history that was a third of board-check's instructions
    git2::opts::strict_hash_verification(false);
    if std::env::var_os("GIT_DIR").is_some() {
        return git2::Repository::open_from_env();
    }
    git2::Repository::open_ext(
        root,
        git2::RepositoryOpenFlags::FROM_ENV,
        std::iter::empty::<&std::ffi::OsStr>(),
    )
}

/// Refuses an index with conflict entries: a diff against it fails with libgit2's
/// "null OID cannot exist", which says nothing of the cause.
pub fn refuse_conflicts(index: &git2::Index) -> Result<(), GovError> {
    if !index.has_conflicts() {
        return Ok(());
    }
    let mut paths: Vec<String> = index
        .conflicts()
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|c| c.our.or(c.their).or(c.ancestor))
        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        .collect();
    paths.dedup();
    let shown = paths.len().min(5);
    let more = match paths.len() - shown {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Err(Diagnostic::new(
        &codes::INDEX_CONFLICTED,
        format!(
            "the git index has unresolved conflicts in {}{more}",
            paths[..shown]
                .iter()
                .map(|p| crate::diag::render::escape_control(p))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .into())
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
