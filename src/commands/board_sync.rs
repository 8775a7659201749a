//! `gov board sync [--dry-run]`: repairs the task board's mechanical drift from the
//! packets, which are authoritative — an entry whose status disagrees with its
//! packet, a WP listed in two status sections, a packet with no board entry. Each
//! repair moves or rewrites the WP's entries exactly as a lifecycle move would, in
//! the board's own style. What gov cannot decide (a packet without a readable
//! STATUS, an entry with no packet) stays a finding (exit 1).

use crate::commands::lifecycle::load_gate_state_exact;
use crate::commands::record_signature::{lock, write_file, Exact};
use crate::diag::codes::lif;
use crate::diag::{Diagnostic, Report};
use crate::edit::board_move::{set_board_state, BoardState};
use crate::error::GovError;
use crate::model::board::{Board, Entry};
use crate::model::lifecycle::State;
use crate::model::packet::Packet;
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::text::Source;
use clap::{Args, Subcommand};
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct BoardArgs {
    #[command(subcommand)]
    pub action: BoardAction,
}

#[derive(Debug, Subcommand)]
pub enum BoardAction {
    /// Repair board drift from the packets (status, duplicates, missing entries)
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print the diff the repair would write, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// The data of `gov board sync`: the entries repaired from the packets' statuses.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BoardSyncData {
    /// One repair per WP whose entries disagreed with its packet, in id order.
    pub repairs: Vec<Repair>,
    /// `--dry-run`: nothing was written.
    pub dry_run: bool,
    /// The task board, relative to the repository root.
    pub board: String,
    /// For a dry run that would change the board, the unified diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// One WP's board entries set from its packet.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Repair {
    /// The WP.
    pub id: WpId,
    /// What was wrong: `no board entry`, `listed in several status sections`, or
    /// `board status disagreed with the packet`.
    pub repair: String,
    /// The state its entry now shows.
    pub state: State,
}

pub fn run(args: &BoardArgs, repo: &Repo, _ctx: &super::Context) -> Result<Report, GovError> {
    let BoardAction::Sync(sync) = &args.action;
    let mut report = Report::new("board sync", None);
    let _lock = lock(repo)?;
    load_gate_state_exact(repo)?; // a damaged gate state is reported, as by every writer
    repo.read_markdown(&repo.layout.task_board, "task board")?;
    let file = Exact::read(repo, &repo.layout.task_board, "task board")?;
    let mut text = file.text.clone();
    let mut repairs = Vec::new();
    for (id, path) in repo.packet_ids() {
        let packet = Packet::parse(id.clone(), repo.read_markdown(&path, "packet")?);
        let Some(kind) = packet.status().and_then(|s| s.value.kind) else {
            report.push(
                Diagnostic::new(
                    &lif::BOARD_UNDECIDABLE,
                    format!("{id}: the packet has no STATUS gov can read, so its board entry cannot be decided"),
                )
                .in_file(path.clone())
                .help(format!("write a STATUS in {path}, then run `gov board sync` again")),
            );
            continue;
        };
        let board = Board::parse(Source::from_string(file.rel.clone(), text.clone(), None));
        let Some(why) = drift(&board, &id, kind) else {
            continue;
        };
        let state = State::of(kind);
        let change = BoardState {
            id: &id,
            state,
            validated: packet.is_validated(),
            block: None,
        };
        let Ok(next) = set_board_state(&text, &change) else {
            report.push(
                Diagnostic::new(
                    &lif::BOARD_UNDECIDABLE,
                    format!("{id}: its entry would be hidden by the Markdown around it"),
                )
                .in_file(file.rel.clone()),
            );
            continue;
        };
        if next != text {
            report
                .headline
                .push(format!("{id}: {why} → {}", state.label()));
            repairs.push(Repair {
                id: id.clone(),
                repair: why.to_string(),
                state,
            });
            text = next;
        }
    }
    orphans(repo, &text, &file.rel, &mut report);
    let changed = text != file.text;
    let mut diff_data = None;
    if sync.dry_run && changed {
        let diff = similar::TextDiff::from_lines(&file.text, &text)
            .unified_diff()
            .context_radius(2)
            .header(&format!("a/{}", file.rel), &format!("b/{}", file.rel))
            .to_string();
        report
            .headline
            .push(format!("dry run: would write {}", file.rel));
        report.headline.extend(diff.lines().map(str::to_string));
        diff_data = Some(diff);
    } else if changed {
        write_file(&file.rel, &file.path, &file.with_text(&text))?;
        report.headline.push(format!("wrote {}", file.rel));
    } else {
        report
            .headline
            .push(format!("{}: nothing to repair", file.rel));
    }
    report.set_typed(BoardSyncData {
        repairs,
        dry_run: sync.dry_run,
        board: file.rel.clone(),
        diff: diff_data,
    });
    report.next = if report.has_errors() {
        vec!["gov board-check".to_string()]
    } else {
        vec!["gov status".to_string()]
    };
    Ok(report)
}

/// What is wrong with the WP's entries, if anything gov can repair.
fn drift(board: &Board, id: &WpId, kind: StatusKind) -> Option<&'static str> {
    let entries: Vec<&Entry> = board.entries_for(id).collect();
    let in_status = entries
        .iter()
        .filter(|e| board.sections[e.section].kind.implied_status().is_some())
        .count();
    if in_status == 0 {
        return Some("no board entry");
    }
    if in_status > 1 {
        return Some("listed in several status sections");
    }
    let disagrees = entries.iter().any(|e| {
        board
            .entry_status(e)
            .is_some_and(|theirs| State::of(theirs) != State::of(kind))
    });
    disagrees.then_some("board status disagreed with the packet")
}

/// Entries for WPs with neither a packet nor a stub: removing or creating is a
/// decision, not a repair.
fn orphans(repo: &Repo, text: &str, rel: &str, report: &mut Report) {
    let board = Board::parse(Source::from_string(rel.to_string(), text.to_string(), None));
    for id in board.ids() {
        let known = repo.packet_path(id).ok().flatten().is_some() || repo.stub_path(id).is_some();
        if known {
            continue;
        }
        if let Some(e) = board.status_entry(id) {
            report.push(
                Diagnostic::new(&lif::BOARD_UNDECIDABLE, format!("{id} is on the board but has no packet: remove the entry or create the packet"))
                    .at(rel.to_string(), e.line, e.column),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_data_is_the_repairs_and_a_dry_runs_diff() {
        let mut data = BoardSyncData {
            repairs: vec![Repair {
                id: WpId::parse("WP-1-A").unwrap(),
                repair: "no board entry".into(),
                state: State::InProgress,
            }],
            dry_run: false,
            board: "docs/TASK_BOARD.md".into(),
            diff: None,
        };
        assert_eq!(
            serde_json::to_value(&data).unwrap(),
            json!({
                "repairs": [{"id": "WP-1-A", "repair": "no board entry", "state": "in_progress"}],
                "dry_run": false,
                "board": "docs/TASK_BOARD.md",
            })
        );
        data.dry_run = true;
        data.diff = Some("@@".into());
        assert_eq!(serde_json::to_value(&data).unwrap()["diff"], "@@");
    }
}
