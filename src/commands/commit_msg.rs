//! `gov commit-msg <FILE>`: the `commit-msg` hook. The message — as git will record
//! it: comment lines and everything below the scissors line stripped — must name a WP
//! that `codex.commit_msg.require` allows: any active packet (default), any packet, or
//! the one `gov start` assigned to the current branch.

use super::Context;
use crate::config::codex::CommitMsgPolicy;
use crate::diag::codes::cdx;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::model::wp_id::{ids_in, printable, WpId};
use crate::repo::Repo;
use crate::rules::inventory::Inventory;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;

/// The data members of `gov commit-msg --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CommitMsgData {
    /// The WPs the message names, in order; absent when the message is exempt by
    /// `codex.commit_msg.exempt_prefixes` or names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<WpId>")]
    pub named: Option<Vec<WpId>>,
}
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CommitMsgArgs {
    /// The message file git passes to the hook (`.git/COMMIT_EDITMSG`)
    pub file: PathBuf,
}

const SCISSORS: &str = "------------------------ >8 ------------------------";

/// The message as git records it (`--cleanup=strip`/`scissors`): no comment lines, and
/// nothing from a scissors line on. Returns each kept line with its 1-based number.
pub fn kept_lines(text: &str, comment: char) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start_matches(comment).trim();
        if line.starts_with(comment) && t == SCISSORS {
            break;
        }
        if !line.starts_with(comment) {
            out.push((i + 1, line));
        }
    }
    out
}

pub fn run(args: &CommitMsgArgs, repo: &Repo, ctx: &Context) -> Result<Report, GovError> {
    let full = ctx.cwd.join(&args.file);
    let shown = printable(&args.file.display().to_string());
    let bytes = crate::io::read_file(&full, &shown).map_err(|error| GovError::Read {
        what: "commit message",
        error,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    // opened once: the comment character and, for `assigned`, the branch come from it
    let git = crate::git::GitRepo::open(&repo.root).ok();
    let comment = comment_char(git.as_ref());
    let lines = kept_lines(&text, comment);
    let mut report = Report::new("commit-msg", Some(shown.clone()));
    let subject = lines
        .iter()
        .find(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| *l);
    let cfg = &repo.config.codex.commit_msg;
    if subject.is_some_and(|s| {
        cfg.exempt_prefixes
            .iter()
            .any(|p| s.starts_with(p.as_str()))
    }) {
        report
            .headline
            .push("commit-msg: exempt by codex.commit_msg.exempt_prefixes".into());
        return Ok(report);
    }
    let named: Vec<(usize, WpId)> = lines
        .iter()
        .flat_map(|(n, l)| ids_in(l).into_iter().map(move |(_, id)| (*n, id)))
        .collect();
    if named.is_empty() {
        report.push(
            Diagnostic::new(
                &cdx::COMMIT_WITHOUT_WP,
                "the commit message names no WP (comment lines do not count)",
            )
            .at_line(shown, 1),
        );
        return Ok(report);
    }
    let verdict = allowed(repo, git.as_ref(), cfg.require, &named);
    report.set_typed(CommitMsgData {
        named: Some(named.iter().map(|(_, id)| id.clone()).collect()),
    });
    if let Err(reason) = verdict {
        let line = named.first().map_or(1, |(n, _)| *n);
        report.push(Diagnostic::new(&cdx::COMMIT_WP_NOT_ALLOWED, reason).at_line(shown, line));
    }
    Ok(report)
}

/// Ok when at least one named WP is one the policy allows; else why none is.
fn allowed(
    repo: &Repo,
    git: Option<&crate::git::GitRepo>,
    policy: CommitMsgPolicy,
    named: &[(usize, WpId)],
) -> Result<(), String> {
    let list = named
        .iter()
        .map(|(_, id)| id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    match policy {
        CommitMsgPolicy::Known | CommitMsgPolicy::Active => {
            let inventory = Inventory::load(repo);
            let ok = named.iter().any(|(_, id)| {
                inventory
                    .get(id)
                    .is_some_and(|p| policy == CommitMsgPolicy::Known || p.is_active())
            });
            match ok {
                true => Ok(()),
                false if policy == CommitMsgPolicy::Known => {
                    Err(format!("no packet has the id {list}"))
                }
                false => Err(format!(
                    "{list}: no active packet has this id (unknown, or Done/Validated/Superseded)"
                )),
            }
        }
        CommitMsgPolicy::Assigned => {
            let branch = git.and_then(current_branch).ok_or(
                "the current branch could not be read (detached HEAD or no git repository)",
            )?;
            let assigned = assigned_to(repo, &branch).ok_or_else(|| {
                format!("no WP is assigned to branch `{branch}` (`gov start <WP> ` records one)")
            })?;
            match named.iter().any(|(_, id)| id.as_str() == assigned) {
                true => Ok(()),
                false => Err(format!(
                    "the message names {list}, but branch `{branch}` is assigned to {assigned}"
                )),
            }
        }
    }
}

/// The WP `gov start` assigned to this branch, from the gate state.
fn assigned_to(repo: &Repo, branch: &str) -> Option<String> {
    let state = super::record_signature::load_gate_state(repo).ok()?;
    state.assignment_for(None, Some(branch)).map(|a| a.wp_id)
}

fn current_branch(git: &crate::git::GitRepo) -> Option<String> {
    let head = git.repo().head().ok()?;
    let name = head.shorthand().ok()?.to_string();
    head.is_branch().then_some(name)
}

/// git's `core.commentChar` (`#` unless set; `auto` is treated as `#`).
fn comment_char(git: Option<&crate::git::GitRepo>) -> char {
    git.and_then(|g| g.repo().config().ok())
        .and_then(|c| c.get_string("core.commentChar").ok())
        .and_then(|s| s.chars().next().filter(|_| s != "auto"))
        .unwrap_or('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_the_scissors_cut_are_not_the_message() {
        let text = "Fix it\n# WP-1-Hidden in a comment\n\nbody WP-1-Body\n# ------------------------ >8 ------------------------\ndiff WP-1-Diff\n";
        let kept: Vec<&str> = kept_lines(text, '#').into_iter().map(|(_, l)| l).collect();
        assert_eq!(kept, ["Fix it", "", "body WP-1-Body"]);
    }

    #[test]
    fn another_comment_char() {
        let kept = kept_lines("; WP-1-X\nreal", ';');
        assert_eq!(kept, [(2, "real")]);
    }
}
