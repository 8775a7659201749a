//! One module per command. Each takes typed arguments and a [`Repo`] and returns a
//! [`Report`]; conditions that prevent evaluation are [`GovError`]s.

pub mod board_check;
pub mod create_packet;
pub mod explain;
pub mod init;
pub mod phase_gate;
pub mod pre_work;
pub mod show;
pub mod spec_regression;
pub mod status;

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
    /// "Now", for signature and SLA checks: local time, or `GOV_NOW`
    /// (`YYYY-MM-DDTHH:MM[:SS]`) for reproducible runs.
    pub now: NaiveDateTime,
}

impl Context {
    pub fn new(cli: &Cli, cwd: &Path) -> Context {
        Context {
            cwd: cwd.to_path_buf(),
            global: cli.global.clone(),
            now: now(),
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

fn now() -> NaiveDateTime {
    std::env::var("GOV_NOW")
        .ok()
        .and_then(|s| {
            NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S")
                .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M"))
                .ok()
        })
        .unwrap_or_else(|| chrono::Local::now().naive_local())
}

pub fn dispatch(command: &Command, ctx: &Context) -> Result<(Report, Option<Config>), GovError> {
    let with_repo = |f: &dyn Fn(&Repo) -> Result<Report, GovError>| -> Result<(Report, Option<Config>), GovError> {
        let repo = ctx.open_repo()?;
        let mut report = f(&repo)?;
        report.extend(repo.take_warnings());
        Ok((report, Some(repo.config)))
    };
    match command {
        Command::Init(a) => init::run(a, ctx).map(|r| (r, None)),
        Command::CreateTaskPacket(a) => with_repo(&|repo| create_packet::run(a, repo, ctx)),
        Command::PreWork(a) => with_repo(&|repo| pre_work::run(a, repo, ctx)),
        Command::Show(a) => with_repo(&|repo| show::run(a, repo)),
        Command::Explain(a) => explain::run(a).map(|r| (r, None)),
        Command::SpecRegression(a) => with_repo(&|repo| spec_regression::run(a, repo)),
        Command::BoardCheck(a) => with_repo(&|repo| board_check::run(a, repo, ctx)),
        Command::PhaseGate(a) => with_repo(&|repo| phase_gate::run(a, repo, ctx)),
        Command::Status(a) => with_repo(&|repo| status::run(a, repo, ctx)),
    }
}

/// The command's subject, for reports of commands that failed before producing one.
pub fn target_of(command: &Command) -> Option<String> {
    match command {
        Command::CreateTaskPacket(a) => Some(a.wp_id.clone()),
        Command::PreWork(a) => Some(a.wp_id.clone()),
        Command::Show(a) => Some(a.wp_id.clone()),
        Command::Explain(a) => a.code.clone(),
        Command::PhaseGate(a) => Some(a.phase.clone()),
        Command::Init(_)
        | Command::SpecRegression(_)
        | Command::BoardCheck(_)
        | Command::Status(_) => None,
    }
}
