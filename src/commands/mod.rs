//! One module per command. Each takes typed arguments and a [`Repo`] and returns a
//! [`Report`]; conditions that prevent evaluation are [`GovError`]s.

pub mod agent;
pub mod board_check;
pub mod board_sync;
pub mod check;
pub mod codex_check;
pub mod commit_msg;
pub mod completions;
pub mod create_packet;
pub mod doctor;
pub mod explain;
pub mod graph;
pub mod guard;
pub mod hook;
pub mod init;
pub mod lifecycle;
pub mod manifest;
pub mod mcp;
pub mod phase_gate;
pub mod post_work;
pub mod pre_work;
pub mod record_refinement;
pub mod record_signature;
pub mod schema;
pub mod show;
pub mod signatures;
pub mod spec_regression;
pub mod status;
pub mod status_page;
pub mod validator_scan;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Config;
use crate::diag::Report;
use crate::error::GovError;
use crate::repo::{Repo, RepoOptions};
use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};

/// What every command may need besides its own arguments.
#[derive(Debug, Clone)]
pub struct Context {
    pub cwd: PathBuf,
    pub global: GlobalArgs,
    /// "Now", for signature and SLA checks: UTC, from [`crate::clock`] (which says
    /// when `GOV_NOW` may fix it).
    pub now: NaiveDateTime,
    /// "Now" for recorded timestamps (audit rows, gate events): the same UTC instant.
    pub now_utc: NaiveDateTime,
}

impl Context {
    pub fn new(cli: &Cli, cwd: &Path) -> Context {
        let now = crate::clock::now_utc();
        Context {
            cwd: cwd.to_path_buf(),
            global: cli.global.clone(),
            now,
            now_utc: now,
        }
    }

    pub fn repo_options(&self) -> RepoOptions {
        RepoOptions {
            root: self.global.root.clone(),
            config: self.global.config.clone(),
        }
    }

    pub fn open_repo(&self) -> Result<Repo, GovError> {
        Repo::open(&self.repo_options(), &self.cwd)
    }
}

pub fn dispatch(command: &Command, ctx: &Context) -> Result<(Report, Option<Config>), GovError> {
    let run_in = |repo: Repo, f: &dyn Fn(&Repo) -> Result<Report, GovError>| {
        let mut report = f(&repo)?;
        report.extend(repo.take_warnings());
        Ok((report, Some(repo.config)))
    };
    let with_repo = |f: &dyn Fn(&Repo) -> Result<Report, GovError>| run_in(ctx.open_repo()?, f);
    // Scans read code, not the governance documents, so two candidates for the spec
    // pointer (a monorepo holding several governed projects, gov's own fixtures)
    // must not stop them.
    let with_code_repo = |f: &dyn Fn(&Repo) -> Result<Report, GovError>| {
        run_in(Repo::open_unchecked(&ctx.repo_options(), &ctx.cwd)?, f)
    };
    match command {
        Command::Init(a) => init::run(a, ctx).map(|r| (r, None)),
        Command::CreateTaskPacket(a) => with_repo(&|repo| create_packet::run(a, repo, ctx)),
        Command::PreWork(a) => with_repo(&|repo| pre_work::run(a, repo, ctx)),
        Command::PostWork(a) => with_repo(&|repo| post_work::run(a, repo)),
        Command::Manifest(a) => with_repo(&|repo| manifest::run(a, repo, ctx)),
        Command::Show(a) => with_repo(&|repo| show::run(a, repo)),
        Command::Explain(a) => explain::run(a).map(|r| (r, None)),
        Command::SpecRegression(a) => with_repo(&|repo| spec_regression::run(a, repo)),
        Command::BoardCheck(a) => with_repo(&|repo| board_check::run(a, repo, ctx)),
        Command::PhaseGate(a) => with_repo(&|repo| phase_gate::run(a, repo, ctx)),
        Command::Status(a) => with_repo(&|repo| status::run(a, repo, ctx)),
        Command::RecordRefinement(a) => with_repo(&|repo| record_refinement::run(a, repo, ctx)),
        Command::RecordSignature(a) => with_repo(&|repo| record_signature::run(a, repo, ctx)),
        Command::Signatures(a) => with_repo(&|repo| signatures::run(a, repo, ctx)),
        Command::ValidatorScan(a) => with_code_repo(&|repo| validator_scan::run(a, repo, ctx)),
        Command::Hook(a) => with_repo(&|repo| hook::run(a, repo)),
        Command::Check(a) => with_repo(&|repo| check::run(a, repo, ctx)),
        Command::CodexCheck(a) => with_code_repo(&|repo| codex_check::run(a, repo, ctx)),
        Command::CommitMsg(a) => with_repo(&|repo| commit_msg::run(a, repo, ctx)),
        Command::Graph(a) => with_repo(&|repo| graph::run(a, repo, ctx.global.format)),
        Command::Completions(a) => completions::run_completions(a).map(|r| (r, None)),
        Command::Man(a) => completions::run_man(a).map(|r| (r, None)),
        Command::Schema(a) => schema::run(a).map(|r| (r, None)),
        // doctor opens the repository itself: it reports ambiguities instead of stopping
        Command::Doctor(a) => doctor::run(a, ctx).map(|r| (r, None)),
        Command::Ready(a) => with_repo(&|repo| lifecycle::ready(a, repo, ctx)),
        Command::Start(a) => with_repo(&|repo| lifecycle::start(a, repo, ctx)),
        Command::Submit(a) => with_repo(&|repo| lifecycle::submit(a, repo, ctx)),
        Command::Verdict(a) => with_repo(&|repo| lifecycle::verdict(a, repo, ctx)),
        Command::Block(a) => with_repo(&|repo| lifecycle::block(a, repo, ctx)),
        Command::Unblock(a) => with_repo(&|repo| lifecycle::unblock(a, repo, ctx)),
        Command::Supersede(a) => with_repo(&|repo| lifecycle::supersede(a, repo, ctx)),
        Command::Board(a) => with_repo(&|repo| board_sync::run(a, repo, ctx)),
        Command::Agent(a) => with_repo(&|repo| agent::run(a, repo, ctx)),
        // both talk over standard input and output; `app` and `main` run them
        Command::Guard(_) | Command::Mcp(_) => Err(crate::diag::Diagnostic::new(
            &crate::diag::codes::gov::USAGE,
            format!("`gov {}` runs only as its own process", command.name()),
        )
        .into()),
    }
}

/// The command's subject, for reports of commands that failed before producing one.
pub fn target_of(command: &Command) -> Option<String> {
    match command {
        Command::CreateTaskPacket(a) => Some(a.wp_id.clone()),
        Command::PreWork(a) => Some(a.wp_id.clone()),
        Command::PostWork(a) => Some(a.wp_id.clone()),
        Command::Manifest(a) => Some(a.path.clone()),
        Command::Show(a) => Some(a.wp_id.clone()),
        Command::Explain(a) => a.code.clone(),
        Command::PhaseGate(a) => Some(a.phase.clone()),
        Command::Init(_)
        | Command::ValidatorScan(_)
        | Command::SpecRegression(_)
        | Command::BoardCheck(_)
        | Command::Status(_) => None,
        Command::RecordRefinement(a) => Some(a.wp_id.clone()),
        Command::RecordSignature(a) => Some(a.wp_id.clone().unwrap_or_else(|| a.signature.clone())),
        Command::Doctor(_) => None,
        Command::Signatures(_)
        | Command::Man(_)
        | Command::Check(_)
        | Command::Graph(_)
        | Command::CodexCheck(_) => None,
        Command::CommitMsg(a) => Some(a.file.display().to_string()),
        Command::Completions(a) => Some(format!("{:?}", a.shell).to_lowercase()),
        Command::Schema(a) => a.name.clone(),
        Command::Ready(a) => Some(a.wp_id.clone()),
        Command::Start(a) => Some(a.wp_id.clone()),
        Command::Submit(a) => Some(a.wp_id.clone()),
        Command::Verdict(a) => Some(a.wp_id.clone()),
        Command::Block(a) => Some(a.wp_id.clone()),
        Command::Unblock(a) => Some(a.wp_id.clone()),
        Command::Supersede(a) => Some(a.wp_id.clone()),
        Command::Board(_) => None,
        Command::Guard(a) => a.wp.clone(),
        Command::Agent(a) => Some(a.action.name().to_string()),
        Command::Mcp(_) => None,
        Command::Hook(a) => Some(
            match a.action {
                hook::HookAction::Install { .. } => "install",
                hook::HookAction::Uninstall => "uninstall",
            }
            .to_string(),
        ),
    }
}
