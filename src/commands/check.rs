//! `gov check [--all]`: every repository-wide gate in one process and one report —
//! spec-regression, board-check, signatures verify, validator-scan, codex-check (when the
//! project has a Codex or invariant rules), pre-work for each
//! Ready for Dev packet (every active packet with `--all`) and post-work for each In
//! Progress packet that the current change belongs to. Each gate keeps its own report
//! (a part); the exit code is the worst gate's. This is the command CI and agents run.

use super::board_check::{self, BoardCheckArgs};
use super::post_work::{self, DiffArgs, PostWorkArgs};
use super::pre_work::{self, Documents};
use super::signatures::{self, SignaturesAction, SignaturesArgs};
use super::spec_regression::{self, SpecRegressionArgs};
use super::validator_scan::{self, ScanArgs};
use super::Context;
use crate::diag::Report;
use crate::error::GovError;
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::inventory::{parallel_chunks, Inventory};
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// The data members of `gov check --format json` (each gate's own verdict, counts and
/// data are in the envelope's `gates`, its diagnostics in `diagnostics`).
#[derive(Debug, Serialize, JsonSchema)]
pub struct CheckData {
    /// In Progress packets whose post-work was not run, and why.
    pub post_work_skipped: Vec<Skipped>,
}

/// A post-work gate that was not run.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Skipped {
    pub wp_id: String,
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Run pre-work on every active packet, not only those Ready for Dev
    #[arg(long)]
    pub all: bool,
}

pub fn run(args: &CheckArgs, repo: &Repo, ctx: &Context) -> Result<Report, GovError> {
    let mut parts = vec![
        part("spec-regression", None, || {
            spec_regression::run(&SpecRegressionArgs {}, repo)
        }),
        part("board-check", None, || {
            board_check::run(&BoardCheckArgs {}, repo, ctx)
        }),
        part("signatures verify", None, || {
            let a = SignaturesArgs {
                action: SignaturesAction::Verify,
            };
            signatures::run(&a, repo, ctx)
        }),
        part("validator-scan", None, || {
            validator_scan::run(&ScanArgs::default(), repo, ctx)
        }),
    ];
    if super::codex_check::has_invariants(repo) {
        parts.push(part("codex-check", None, || {
            let a = super::codex_check::CodexCheckArgs { verbose: false };
            super::codex_check::run(&a, repo, ctx)
        }));
    }
    let inventory = Inventory::load(repo);
    let gates: Vec<(&WpId, Option<StatusKind>, bool)> = inventory
        .packets
        .values()
        .map(|facts| {
            let kind = facts.status_kind();
            let wants_pre_work = match kind {
                Some(StatusKind::ReadyForDev) => true,
                _ => args.all && facts.is_active(),
            };
            (&facts.id, kind, wants_pre_work)
        })
        .collect();
    let pre_work_ids: Vec<&WpId> = gates
        .iter()
        .filter(|(_, _, wants_pre_work)| *wants_pre_work)
        .map(|(id, ..)| *id)
        .collect();
    let mut pre_work_reports = pre_work_parts(repo, ctx, &pre_work_ids).into_iter();
    let mut skipped = Vec::new();
    for (id, kind, wants_pre_work) in gates {
        if wants_pre_work {
            parts.extend(pre_work_reports.next());
        }
        if kind == Some(StatusKind::InProgress) {
            let a = PostWorkArgs {
                wp_id: id.to_string(),
                diff: DiffArgs::default(),
            };
            let r = part("post-work", Some(&a.wp_id), || post_work::run(&a, repo));
            match not_its_change(&r) {
                None => parts.push(r),
                Some(reason) => skipped.push(Skipped {
                    wp_id: a.wp_id,
                    reason,
                }),
            }
        }
    }
    let mut report = Report::new("check", None);
    report.extend(repo.take_warnings());
    report.headline = parts.iter().map(headline).collect();
    for s in &skipped {
        report
            .headline
            .push(format!("  post-work {} not run: {}", s.wp_id, s.reason));
    }
    report.set_typed(CheckData {
        post_work_skipped: skipped,
    });
    report.next = parts
        .iter()
        .filter(|p| p.fatal || p.has_errors())
        .map(command_line)
        .collect();
    report.parts = parts;
    Ok(report)
}

/// Pre-work on each packet, in order: the documents are loaded once and shared, and
/// the gates run on every core.
fn pre_work_parts(repo: &Repo, ctx: &Context, ids: &[&WpId]) -> Vec<Report> {
    if ids.is_empty() {
        return Vec::new();
    }
    let docs = Documents::load(repo);
    parallel_chunks(ids, |run| {
        run.iter()
            .map(|id| pre_work_part(repo, ctx, id, &docs))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Pre-work on one packet against the shared documents; when they could not be loaded,
/// every pre-work gate is fatal with the same error, as each would have been alone.
fn pre_work_part(
    repo: &Repo,
    ctx: &Context,
    id: &WpId,
    docs: &Result<Documents, GovError>,
) -> Report {
    let fatal = |e: &GovError| crate::app::fatal_report("pre-work", Some(id.to_string()), e);
    // the packet's own error first, as `gov pre-work` reports it
    match (repo.load_packet(id), docs) {
        (Err(e), _) => fatal(&e),
        (Ok(_), Err(e)) => fatal(e),
        (Ok(packet), Ok(docs)) => pre_work::gate(repo, ctx, &packet, docs),
    }
}

/// One gate's report; a gate that could not be evaluated is a fatal part, so the others
/// still run and the combined exit code is 2.
fn part(
    command: &str,
    target: Option<&str>,
    f: impl FnOnce() -> Result<Report, GovError>,
) -> Report {
    // each part frees its documents: the next part must not run beside them
    let mut r = crate::exit::freeing(f)
        .unwrap_or_else(|e| crate::app::fatal_report(command, target.map(str::to_string), &e));
    // sub-reports render as parts: their own `next` lines are summarised by check's
    r.command = command.to_string();
    r
}

fn headline(r: &Report) -> String {
    let subject = match &r.target {
        Some(t) => format!("{} {t}", r.command),
        None => r.command.clone(),
    };
    format!("  {:<40} {}", subject, r.verdict().as_str())
}

fn command_line(r: &Report) -> String {
    match &r.target {
        Some(t) => format!("gov {} {t}", r.command),
        None => format!("gov {}", r.command),
    }
}

/// Why a post-work run is not this packet's business, if it is not: a run concerns
/// its packet when the change touches at least one file the packet may change
/// (another packet's change is that packet's), and when it could be evaluated at all
/// (no git repository, no commits yet).
fn not_its_change(r: &Report) -> Option<String> {
    if r.fatal {
        let why = r.diagnostics.first().map_or("", |d| d.message.as_str());
        return Some(format!("could not select a change ({why})"));
    }
    let members = r.members();
    let files = members.get("files").and_then(Value::as_array)?;
    let touches_scope = files.iter().any(|f| {
        f["governance"] == false
            && !f["codes"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "GIT011" || c == "GIT012"))
    });
    (!touches_scope).then(|| "the current change touches none of its IN_SCOPE_PATHS".to_string())
}
