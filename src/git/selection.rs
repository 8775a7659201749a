//! Which change the gate looks at. `--range A..B`, `--rev R` (R's first parent to R),
//! `--staged` (index vs HEAD), or by default the working tree (index and untracked,
//! not ignored files included) vs HEAD; when that is empty, the packet's
//! `MERGE_BASE_SHA..HEAD`, else `merge-base(main, HEAD)..HEAD`.

use super::changes::{self, ChangeSet};
use super::{failed, short, GitRepo};
use crate::diag::codes::git as codes;
use crate::diag::Diagnostic;
use crate::error::GovError;
use git2::Oid;
use serde::Serialize;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Range(String),
    Rev(String),
    Staged,
    /// The working tree, falling back to committed work when it is clean.
    Default {
        /// The packet's MERGE_BASE_SHA, when it records one.
        merge_base_sha: Option<String>,
        main_branch: String,
    },
}

/// How the diff was selected: `--range`, `--rev`, `--staged`, the working tree, or a
/// default-mode fallback to committed work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Range,
    Rev,
    Staged,
    Worktree,
    /// The packet's `MERGE_BASE_SHA..HEAD` (default mode, clean working tree).
    PacketMergeBase,
    /// `merge-base(main, HEAD)..HEAD` (default mode, clean tree, no MERGE_BASE_SHA).
    MainMergeBase,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Range => "range",
            Mode::Rev => "rev",
            Mode::Staged => "staged",
            Mode::Worktree => "worktree",
            Mode::PacketMergeBase => "packet-merge-base",
            Mode::MainMergeBase => "main-merge-base",
        }
    }
}

/// One side of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tree {
    /// No commit yet (an unborn branch, or the parent of a root commit).
    Empty,
    Commit(Oid),
    Index,
    Worktree,
}

impl Tree {
    pub fn commit(self) -> Option<Oid> {
        match self {
            Tree::Commit(o) => Some(o),
            _ => None,
        }
    }

    pub fn source(self) -> &'static str {
        match self {
            Tree::Empty => "empty",
            Tree::Commit(_) => "commit",
            Tree::Index => "index",
            Tree::Worktree => "worktree",
        }
    }
}

/// The resolved diff: its mode, both sides, and how to ask for it again.
#[derive(Debug, Clone)]
pub struct Selection {
    pub mode: Mode,
    pub base: Tree,
    pub head: Tree,
    /// HEAD's commit when the head side is the index or the working tree.
    pub head_commit: Option<Oid>,
    /// Why the default mode fell back to committed work.
    pub fallback: Option<String>,
}

impl Selection {
    /// One line for humans: `worktree (working tree, index and untracked files vs HEAD 1a2b3c4d5e)`.
    pub fn describe(&self) -> String {
        let side = |t: Tree| match t {
            Tree::Empty => "the empty tree".to_string(),
            Tree::Commit(o) => short(o),
            Tree::Index => "the index".to_string(),
            Tree::Worktree => "the working tree".to_string(),
        };
        let text = match self.mode {
            Mode::Worktree => format!(
                "working tree, index and untracked files vs {}",
                head_name(self.base)
            ),
            Mode::Staged => format!("index vs {}", head_name(self.base)),
            _ => format!("{}..{}", side(self.base), side(self.head)),
        };
        format!("{} ({text})", self.mode.as_str())
    }

    /// The options that select this diff again. The default mode's fallbacks are
    /// selected again by passing nothing (`gov manifest` needs `--wp` for the packet's
    /// MERGE_BASE_SHA).
    pub fn args(&self) -> Vec<String> {
        match (self.mode, self.base, self.head) {
            (Mode::Staged, _, _) => vec!["--staged".into()],
            (Mode::Rev, _, Tree::Commit(h)) => vec!["--rev".into(), h.to_string()],
            (Mode::Range, Tree::Commit(b), Tree::Commit(h)) => {
                vec!["--range".into(), format!("{b}..{h}")]
            }
            _ => Vec::new(),
        }
    }

    /// Whether the default mode fell back to committed work.
    pub fn is_fallback(&self) -> bool {
        matches!(self.mode, Mode::PacketMergeBase | Mode::MainMergeBase)
    }

    /// The selection as JSON documents carry it (`diff` of post-work and manifest).
    pub fn view(&self) -> DiffView {
        let sha = |t: Tree| t.commit().map(|o| o.to_string());
        DiffView {
            mode: self.mode,
            base: sha(self.base),
            head: sha(self.head),
            head_commit: self.head_commit.map(|o| o.to_string()),
            base_source: self.base.source(),
            head_source: self.head.source(),
            fallback: self.fallback.clone(),
            description: self.describe(),
        }
    }
}

/// The diff a change gate looked at.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct DiffView {
    pub mode: Mode,
    /// The base commit, or null when the base is the empty tree.
    pub base: Option<String>,
    /// The head commit, or null when the head side is the index or the working tree.
    pub head: Option<String>,
    /// HEAD's commit when the head side is the index or the working tree.
    pub head_commit: Option<String>,
    #[schemars(extend("enum" = ["empty", "commit", "index", "worktree"]))]
    pub base_source: &'static str,
    #[schemars(extend("enum" = ["empty", "commit", "index", "worktree"]))]
    pub head_source: &'static str,
    /// Why the default mode fell back to committed work, or null.
    pub fallback: Option<String>,
    /// One line for humans: the mode and both sides.
    pub description: String,
}

fn head_name(base: Tree) -> String {
    match base {
        Tree::Commit(o) => format!("HEAD {}", short(o)),
        _ => "an unborn HEAD (no commit yet)".to_string(),
    }
}

/// Resolves a request and computes its change set.
pub fn select(git: &GitRepo, req: &Request) -> Result<(Selection, ChangeSet), GovError> {
    let selection = match req {
        Request::Range(spec) => range(git, spec)?,
        Request::Rev(rev) => rev_selection(git, rev)?,
        Request::Staged => Selection {
            mode: Mode::Staged,
            base: head_tree(git)?,
            head: Tree::Index,
            head_commit: head_commit(git)?,
            fallback: None,
        },
        Request::Default {
            merge_base_sha,
            main_branch,
        } => {
            let worktree = Selection {
                mode: Mode::Worktree,
                base: head_tree(git)?,
                head: Tree::Worktree,
                head_commit: head_commit(git)?,
                fallback: None,
            };
            let changes = changes::diff(git, worktree.base, worktree.head)?;
            if !changes.files.is_empty() {
                return Ok((worktree, changes));
            }
            committed_work(git, merge_base_sha.as_deref(), main_branch)?
        }
    };
    let changes = changes::diff(git, selection.base, selection.head)?;
    Ok((selection, changes))
}

/// The default mode's fallback for a clean working tree.
fn committed_work(
    git: &GitRepo,
    merge_base_sha: Option<&str>,
    main: &str,
) -> Result<Selection, GovError> {
    let Some(head) = head_commit(git)? else {
        // nothing committed and nothing changed: an empty change, reported by the gate
        return Ok(Selection {
            mode: Mode::Worktree,
            base: Tree::Empty,
            head: Tree::Worktree,
            head_commit: None,
            fallback: None,
        });
    };
    if let Some(sha) = merge_base_sha {
        let base = commit_of(git, sha, "MERGE_BASE_SHA")?;
        return Ok(Selection {
            mode: Mode::PacketMergeBase,
            base: Tree::Commit(base),
            head: Tree::Commit(head),
            head_commit: Some(head),
            fallback: Some(format!(
                "the working tree is clean; using the packet's MERGE_BASE_SHA {}..HEAD",
                short(base)
            )),
        });
    }
    let trunk = commit_of(git, main, "the main branch (git.main_branch)")?;
    let base = git
        .repo()
        .merge_base(trunk, head)
        .map_err(|e| missing(git, &format!("merge-base({main}, HEAD)"), &e))?;
    Ok(Selection {
        mode: Mode::MainMergeBase,
        base: Tree::Commit(base),
        head: Tree::Commit(head),
        head_commit: Some(head),
        fallback: Some(format!(
            "the working tree is clean and the packet has no MERGE_BASE_SHA; using merge-base({main}, HEAD) {}..HEAD",
            short(base)
        )),
    })
}

fn range(git: &GitRepo, spec: &str) -> Result<Selection, GovError> {
    let (from, to, symmetric) = split_range(spec).ok_or_else(|| {
        GovError::from(Diagnostic::new(
            &crate::diag::codes::gov::USAGE,
            format!("--range expects A..B (or A...B), got `{spec}`"),
        ))
    })?;
    let head = commit_of(git, to, "the range end")?;
    let mut base = commit_of(git, from, "the range start")?;
    if symmetric {
        base = git
            .repo()
            .merge_base(base, head)
            .map_err(|e| missing(git, &format!("merge-base({from}, {to})"), &e))?;
    }
    Ok(Selection {
        mode: Mode::Range,
        base: Tree::Commit(base),
        head: Tree::Commit(head),
        head_commit: Some(head),
        fallback: None,
    })
}

/// `A..B` → (A, B, false); `A...B` → (A, B, true); an empty side means HEAD, as in git.
fn split_range(spec: &str) -> Option<(&str, &str, bool)> {
    let (from, to, symmetric) = if let Some((a, b)) = spec.split_once("...") {
        (a, b, true)
    } else {
        let (a, b) = spec.split_once("..")?;
        (a, b, false)
    };
    Some((or_head(from), or_head(to), symmetric))
}

fn or_head(s: &str) -> &str {
    if s.is_empty() {
        "HEAD"
    } else {
        s
    }
}

fn rev_selection(git: &GitRepo, rev: &str) -> Result<Selection, GovError> {
    let head = commit_of(git, rev, "the revision")?;
    let commit = git
        .repo()
        .find_commit(head)
        .map_err(|e| failed("read a commit", &e))?;
    let recorded = recorded_parents(&commit);
    let base = match recorded.first() {
        None => Tree::Empty,
        Some(&parent) => {
            // a shallow clone grafts its boundary commits to have no parents
            if commit.parent_count() == 0 || git.repo().find_commit(parent).is_err() {
                return Err(missing_commit(
                    git,
                    &format!("{parent} (first parent of {rev})"),
                ));
            }
            Tree::Commit(parent)
        }
    };
    Ok(Selection {
        mode: Mode::Rev,
        base,
        head: Tree::Commit(head),
        head_commit: Some(head),
        fallback: None,
    })
}

/// Parent ids as written in the commit object, shallow grafts notwithstanding.
fn recorded_parents(commit: &git2::Commit) -> Vec<Oid> {
    String::from_utf8_lossy(commit.raw_header_bytes())
        .lines()
        .filter_map(|l| l.strip_prefix("parent "))
        .filter_map(|s| Oid::from_str(s.trim()).ok())
        .collect()
}

fn commit_of(git: &GitRepo, rev: &str, what: &str) -> Result<Oid, GovError> {
    let obj = git
        .repo()
        .revparse_single(rev)
        .map_err(|e| missing(git, &format!("{what} `{}`", printable(rev)), &e))?;
    let commit = obj
        .peel_to_commit()
        .map_err(|e| missing(git, &format!("{what} `{}`", printable(rev)), &e))?;
    Ok(commit.id())
}

fn printable(s: &str) -> String {
    crate::model::wp_id::printable(s)
}

fn missing(git: &GitRepo, what: &str, e: &git2::Error) -> GovError {
    match e.code() {
        git2::ErrorCode::NotFound
        | git2::ErrorCode::Ambiguous
        | git2::ErrorCode::InvalidSpec
        | git2::ErrorCode::Peel
        | git2::ErrorCode::UnbornBranch => missing_commit(git, what),
        _ => failed(&format!("resolve {what}"), e),
    }
}

fn missing_commit(git: &GitRepo, what: &str) -> GovError {
    let shallow = if git.is_shallow() {
        " (this is a shallow clone: the commit may lie beyond its history)"
    } else {
        ""
    };
    Diagnostic::new(
        &codes::UNKNOWN_REVISION,
        format!("{what} is not a commit in this repository{shallow}"),
    )
    .into()
}

/// HEAD's commit, or `None` on an unborn branch. A detached HEAD is fine.
fn head_commit(git: &GitRepo) -> Result<Option<Oid>, GovError> {
    match git.repo().head() {
        Ok(r) => r
            .peel_to_commit()
            .map(|c| Some(c.id()))
            .map_err(|e| failed("read HEAD", &e)),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(failed("read HEAD", &e)),
    }
}

fn head_tree(git: &GitRepo) -> Result<Tree, GovError> {
    Ok(head_commit(git)?.map_or(Tree::Empty, Tree::Commit))
}

#[cfg(test)]
mod tests {
    use super::split_range;

    #[test]
    fn range_forms() {
        assert_eq!(split_range("a..b"), Some(("a", "b", false)));
        assert_eq!(split_range("a...b"), Some(("a", "b", true)));
        assert_eq!(split_range("a.."), Some(("a", "HEAD", false)));
        assert_eq!(split_range("main"), None);
    }
}
