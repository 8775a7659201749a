//! Command-line arguments of the lifecycle commands, and their entry points.

use super::{run_move, MoveSpec, Prepare, VerdictSpec};
use crate::commands::post_work::DiffArgs;
use crate::diag::codes::gov;
use crate::diag::{Diagnostic, Report};
use crate::edit::board_move::BlockNote;
use crate::error::GovError;
use crate::model::lifecycle::Action;
use crate::model::packet::Verdict;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use clap::Args;

type Ctx = crate::commands::Context;

#[derive(Debug, Args)]
pub struct ReadyArgs {
    /// The packet: Backlog → Ready for Dev (pre-work must pass)
    pub wp_id: String,
    /// Print the diff the move would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The packet: Ready for Dev → In Progress (pre-work must pass, no file-lock overlap)
    pub wp_id: String,
    /// Who works on it (recorded in the gate state's PREPARE event)
    #[arg(long, value_name = "NAME")]
    pub coder: Option<String>,
    /// The worktree it is worked in, relative to the repository root (e.g. ../wt-WP-1-X)
    #[arg(long, value_name = "PATH")]
    pub worktree: Option<String>,
    /// The branch it is worked on (default: the repository's current branch)
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// Print the diff the move would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// The packet: In Progress → Ready for Validation (post-work must pass)
    pub wp_id: String,
    #[command(flatten)]
    pub diff: DiffArgs,
    /// Print the diff the move would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerdictArg {
    #[value(name = "PASS", alias = "pass")]
    Pass,
    #[value(name = "FAIL", alias = "fail")]
    Fail,
}

#[derive(Debug, Args)]
pub struct VerdictArgs {
    /// The packet, Ready for Validation: PASS → Done (VALIDATED), FAIL → In Progress
    pub wp_id: String,
    /// The verdict
    #[arg(value_enum)]
    pub verdict: VerdictArg,
    /// The validation report (scope, findings, tests, risks): a file in the repository, or - for stdin
    #[arg(long, value_name = "FILE")]
    pub report: String,
    /// Who validated (the report's Validator line)
    #[arg(long, value_name = "NAME", default_value = "Validator")]
    pub validator: String,
    /// Print the diff the move would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct BlockArgs {
    /// The packet to block
    pub wp_id: String,
    /// The WPs it waits for
    #[arg(long, value_name = "WP_ID", num_args = 1.., conflicts_with = "reason")]
    pub on: Vec<String>,
    /// Why it is blocked, when no WP blocks it
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Print the diff the move would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct UnblockArgs {
    /// The packet to unblock (every blocker must be VALIDATED); it returns to the state it was blocked from
    pub wp_id: String,
    /// Print the diff the move would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SupersedeArgs {
    /// The packet being replaced
    pub wp_id: String,
    /// The packet replacing it (usually its -vN variant); it takes the old one's phase-gate places
    #[arg(long, value_name = "NEW_ID")]
    pub by: String,
    /// Print the diff the move would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn ready(a: &ReadyArgs, repo: &Repo, ctx: &Ctx) -> Result<Report, GovError> {
    run_move(
        "ready",
        Action::Ready,
        &a.wp_id,
        &MoveSpec::default(),
        a.dry_run,
        repo,
        ctx,
    )
}

pub fn start(a: &StartArgs, repo: &Repo, ctx: &Ctx) -> Result<Report, GovError> {
    let branch = a.branch.clone().or_else(|| current_branch(repo));
    let spec = MoveSpec {
        prepare: Some(Prepare {
            coder: a.coder.clone(),
            worktree: a.worktree.clone(),
            branch,
        }),
        ..MoveSpec::default()
    };
    run_move(
        "start",
        Action::Start,
        &a.wp_id,
        &spec,
        a.dry_run,
        repo,
        ctx,
    )
}

pub fn submit(a: &SubmitArgs, repo: &Repo, ctx: &Ctx) -> Result<Report, GovError> {
    let spec = MoveSpec {
        diff: Some(a.diff.clone()),
        ..MoveSpec::default()
    };
    run_move(
        "submit",
        Action::Submit,
        &a.wp_id,
        &spec,
        a.dry_run,
        repo,
        ctx,
    )
}

pub fn verdict(a: &VerdictArgs, repo: &Repo, ctx: &Ctx) -> Result<Report, GovError> {
    let body = read_report(&a.report, repo, ctx)?;
    let (action, verdict) = match a.verdict {
        VerdictArg::Pass => (Action::Pass, Verdict::Pass),
        VerdictArg::Fail => (Action::Fail, Verdict::Fail),
    };
    let spec = MoveSpec {
        verdict: Some(VerdictSpec {
            verdict,
            validator: a.validator.trim().to_string(),
            body,
        }),
        ..MoveSpec::default()
    };
    run_move("verdict", action, &a.wp_id, &spec, a.dry_run, repo, ctx)
}

pub fn block(a: &BlockArgs, repo: &Repo, ctx: &Ctx) -> Result<Report, GovError> {
    let note = if !a.on.is_empty() {
        let ids =
            a.on.iter()
                .map(|s| WpId::parse(s))
                .collect::<Result<Vec<_>, _>>()?;
        Some(BlockNote::On(ids))
    } else {
        a.reason.clone().map(BlockNote::Reason)
    };
    let spec = MoveSpec {
        block: note,
        ..MoveSpec::default()
    };
    run_move(
        "block",
        Action::Block,
        &a.wp_id,
        &spec,
        a.dry_run,
        repo,
        ctx,
    )
}

pub fn unblock(a: &UnblockArgs, repo: &Repo, ctx: &Ctx) -> Result<Report, GovError> {
    run_move(
        "unblock",
        Action::Unblock,
        &a.wp_id,
        &MoveSpec::default(),
        a.dry_run,
        repo,
        ctx,
    )
}

pub fn supersede(a: &SupersedeArgs, repo: &Repo, ctx: &Ctx) -> Result<Report, GovError> {
    let spec = MoveSpec {
        superseded_by: Some(WpId::parse(&a.by)?),
        ..MoveSpec::default()
    };
    run_move(
        "supersede",
        Action::Supersede,
        &a.wp_id,
        &spec,
        a.dry_run,
        repo,
        ctx,
    )
}

/// The report body: stdin for `-`, else a file inside the repository (gov reads
/// nothing outside the root).
fn read_report(arg: &str, repo: &Repo, ctx: &Ctx) -> Result<String, GovError> {
    if arg == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| {
            Diagnostic::new(
                &gov::DOC_UNREADABLE,
                format!("the report could not be read from stdin: {e}"),
            )
        })?;
        return Ok(s);
    }
    let full = ctx.cwd.join(arg);
    let rel = full
        .strip_prefix(&repo.root)
        .ok()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|r| !r.is_empty())
        .or_else(|| relative_via_canonical(&full, repo))
        .ok_or_else(|| {
            Diagnostic::new(
                &gov::PATH_ESCAPES_ROOT,
                format!("the report {arg} is outside the repository; gov reads nothing outside the root"),
            )
            .help("put the report inside the repository, or pipe it: `--report -`")
        })?;
    repo.read_markdown(&rel, "validation report")
        .map(|s| s.text)
}

fn relative_via_canonical(full: &std::path::Path, repo: &Repo) -> Option<String> {
    let canon_root = repo.root.canonicalize().ok()?;
    let dir = full.parent()?.canonicalize().ok()?;
    let rel = dir.join(full.file_name()?);
    let rel = rel.strip_prefix(&canon_root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// The repository's checked-out branch, when it is a git work tree on a branch.
fn current_branch(repo: &Repo) -> Option<String> {
    let git = git2::Repository::open(&repo.root).ok()?;
    let head = git.head().ok()?;
    if !head.is_branch() {
        return None;
    }
    head.shorthand().ok().map(str::to_string)
}
