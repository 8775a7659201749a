//! `gov board-check` (alias `task-board-check`): the board's fixed sections, board and
//! packets listing the same WPs with the same status, Done only when validated,
//! reasons for blocks, a sound dependency graph, and time-in-state SLAs.

use crate::config::SlaDays;
use crate::diag::Report;
use crate::error::GovError;
use crate::model::board::Board;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::board::sla::Age;
use crate::rules::board::{sla, History, Snapshot};
use chrono::NaiveDate;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Args)]
pub struct BoardCheckArgs {}

pub fn run(_args: &BoardCheckArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let (snap, history) = Snapshot::load_with_history(repo, ctx.now)?;
    let findings = snap.check(&repo.config, ctx.now, &history);
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
    let mut report = Report::new("board-check", None);
    report.extend(snap.inventory.problems.iter().cloned());
    // moved, not copied: a large board over its SLAs has a finding per entry
    report.extend(findings.into_iter().map(|f| f.diagnostic));
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
        let (git, note) = history.describe();
        report.set_typed(BoardCheckData {
            board: board_view(&snap.board),
            packets: PacketCounts {
                dir: snap.inventory.dir.clone(),
                packets: snap.inventory.packets.len(),
                stubs: snap.inventory.stubs.len(),
            },
            sla: SlaView {
                git,
                note,
                limits: repo.config.board.sla_days.clone(),
                timed: ages,
                undated,
            },
        });
    }
    next.push(if report.has_errors() {
        "gov board-check".to_string()
    } else {
        "gov status".to_string()
    });
    report.next = next;
    crate::exit::release((snap, history));
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

/// The board as JSON: sections with their kind and entry count, and every entry.
pub fn board_view(board: &Board) -> BoardView {
    let sections = board
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let kind = serde_json::to_value(&s.kind).unwrap_or(Value::Null);
            SectionView {
                title: s.title.clone(),
                kind: kind["kind"].as_str().unwrap_or_default().to_string(),
                phase: kind
                    .get("phase")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                line: s.line,
                entries: board.section_entries(i).count(),
            }
        })
        .collect();
    let entries = board
        .entries
        .iter()
        .map(|e| EntryView {
            id: e.id.clone(),
            line: e.line,
            section: board.sections[e.section].title.clone(),
            status: board.entry_status(e).map(|k| k.key()),
            written: e.explicit.as_ref().map(|s| s.raw.clone()),
            blockers: e.blockers.clone(),
            reason: e.reason.clone(),
            date: e.date,
        })
        .collect();
    BoardView {
        path: board.path.clone(),
        sections,
        entries,
    }
}

/// The data members of `gov board-check --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BoardCheckData {
    pub board: BoardView,
    /// The packet folder and how many packets and stubs it holds.
    pub packets: PacketCounts,
    /// Time-in-state SLAs.
    pub sla: SlaView,
}

/// The task board as read.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BoardView {
    pub path: String,
    pub sections: Vec<SectionView>,
    pub entries: Vec<EntryView>,
}

/// One `##` section of the board.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SectionView {
    pub title: String,
    /// What the section holds (`other` for free prose).
    #[schemars(extend("enum" = ["ready_for_dev", "in_progress", "ready_for_validation", "done", "blocked", "superseded", "backlog", "stub", "active", "phase_gate", "historical", "other"]))]
    pub kind: String,
    /// The normalised phase of a phase-gate section, else null.
    pub phase: Option<String>,
    /// 1-based line of the heading.
    pub line: usize,
    /// How many entries the section lists.
    pub entries: usize,
}

/// One WP entry on the board.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EntryView {
    pub id: WpId,
    pub line: usize,
    /// The title of the section listing it.
    pub section: String,
    /// The entry's status by its canonical key, or null.
    #[schemars(extend("enum" = ["backlog", "stub", "ready_for_dev", "in_progress", "ready_for_validation", "done", "validated", "blocked", "superseded", null]))]
    pub status: Option<&'static str>,
    /// A status written on the entry itself, as written, or null.
    pub written: Option<String>,
    /// WPs named as blockers.
    pub blockers: Vec<WpId>,
    /// Free-text reason given for a block, or null.
    pub reason: Option<String>,
    /// First ISO date in the entry, or null.
    pub date: Option<NaiveDate>,
}

/// The packet folder.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PacketCounts {
    pub dir: String,
    pub packets: usize,
    pub stubs: usize,
}

/// Time-in-state SLAs: the limits, the WPs timed and those without a date.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SlaView {
    /// Whether the board's git history dated entries without a date of their own.
    pub git: bool,
    /// Why git history was not used; absent when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub note: Option<String>,
    /// Days in a state before a warning (gov.yaml `board.sla_days`).
    pub limits: SlaDays,
    pub timed: Vec<Age>,
    /// WPs in a timed state with no date to start from.
    pub undated: Vec<WpId>,
}
