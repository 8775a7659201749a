//! `gov board-check` (alias `task-board-check`): the board's fixed sections, board and
//! packets listing the same WPs with the same status, Done only when validated,
//! reasons for blocks, a sound dependency graph, and time-in-state SLAs.

use crate::diag::Report;
use crate::error::GovError;
use crate::model::board::Board;
use crate::repo::Repo;
use crate::rules::board::{sla, History, Snapshot};
use clap::Args;
use serde_json::{json, Value};

#[derive(Debug, Args)]
pub struct BoardCheckArgs {}

pub fn run(_args: &BoardCheckArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let (snap, history) = Snapshot::load_with_history(repo, ctx.now)?;
    let findings = snap.check(&repo.config, ctx.now, &history);
    let mut report = Report::new("board-check", None);
    report.extend(snap.inventory.problems.iter().cloned());
    report.extend(findings.iter().map(|f| f.diagnostic.clone()));
    report.extend(super::lifecycle::sequence_findings(repo)?);
    let (ages, undated) = sla::ages(&snap.board, &repo.config, &history, ctx.now.date());
    report.headline = vec![
        format!(
            "board-check: {} ({} sections, {} entries) against {} packets and {} stubs in {}",
            snap.board.path,
            snap.board.sections.len(),
            snap.board.entries.len(),
            snap.inventory.packets.len(),
            snap.inventory.stubs.len(),
            snap.inventory.dir
        ),
        format!(
            "  SLA dates: {}",
            sla_source(&history, ages.len(), undated.len())
        ),
    ];
    // the per-entry JSON members are large on big boards: built only when printed
    if ctx.global.format != crate::cli::Format::Human {
        report.set_data("board", board_json(&snap.board));
        report.set_data(
            "packets",
            json!({"dir": snap.inventory.dir, "packets": snap.inventory.packets.len(), "stubs": snap.inventory.stubs.len()}),
        );
        let mut sla_json = history.describe();
        sla_json["limits"] = json!(repo.config.board.sla_days);
        sla_json["timed"] = json!(ages);
        sla_json["undated"] = json!(undated);
        report.set_data("sla", sla_json);
    }
    let mut next: Vec<String> = Vec::new();
    for f in findings
        .iter()
        .filter(|f| f.diagnostic.severity == crate::diag::Severity::Error)
    {
        for id in &f.wps {
            let cmd = format!("gov show {id}");
            if snap.inventory.get(id).is_some() && !next.contains(&cmd) && next.len() < 5 {
                next.push(cmd);
            }
        }
    }
    next.push(if report.has_errors() {
        "gov board-check".to_string()
    } else {
        "gov status".to_string()
    });
    report.next = next;
    Ok(report)
}

fn sla_source(history: &History, timed: usize, undated: usize) -> String {
    let from = match history {
        History::Git(_) => "entry dates, else git history of the board".to_string(),
        History::Unavailable(why) => format!("entry dates only ({why})"),
        History::NotNeeded | History::Skipped => "entry dates".to_string(),
    };
    if undated == 0 {
        format!("{from}; {timed} WPs timed")
    } else {
        format!("{from}; {timed} WPs timed, {undated} without a date")
    }
}

/// The board as JSON: sections with their kind and entry count.
pub fn board_json(board: &Board) -> Value {
    let sections: Vec<Value> = board
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let kind = serde_json::to_value(&s.kind).unwrap_or(Value::Null);
            json!({
                "title": s.title,
                "kind": kind["kind"],
                "phase": kind.get("phase"),
                "line": s.line,
                "entries": board.section_entries(i).count(),
            })
        })
        .collect();
    let entries: Vec<Value> = board
        .entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "line": e.line,
                "section": board.sections[e.section].title,
                "status": board.entry_status(e).map(|k| k.key()),
                "written": e.explicit.as_ref().map(|s| &s.raw),
                "blockers": e.blockers,
                "reason": e.reason,
                "date": e.date,
            })
        })
        .collect();
    json!({"path": board.path, "sections": sections, "entries": entries})
}
