//! The lifecycle commands: `gov ready`, `start` (alias `record-prepare`), `submit`,
//! `verdict`, `block`, `unblock` and `supersede`. Each moves one packet along the
//! state machine of [`crate::model::lifecycle`], writing the packet's STATUS, its
//! board entries and a gate-state event together, under the repository lock.
//! A move the lifecycle does not allow is refused (exit 1) with the reason; a move
//! already made is a no-op that finishes whatever an interrupted run left undone.

mod args;
mod checks;
mod documents;
mod plan;

pub use args::*;
pub(crate) use documents::load_gate_state_exact;

use crate::diag::codes::lif;
use crate::diag::{Diagnostic, Report};
use crate::edit::board_move::{set_board_state, BlockNote, BoardState};
use crate::edit::report::{append_report, NewReport};
use crate::edit::status_line::set_status;
use crate::error::GovError;
use crate::model::gate_state::{format_timestamp, Assignment, PREPARE, STATUS_SYNC};
use crate::model::lifecycle::{self, Action, State};
use crate::model::locked::locked_hash;
use crate::model::packet::{Packet, Verdict};
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::text::Source;
use documents::Documents;
use plan::Plan;
pub use plan::PlanData;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The data of the lifecycle commands (`ready`, `start`, `submit`, `verdict`,
/// `block`, `unblock`, `supersede`): the move asked for, and what it wrote.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LifecycleData {
    /// The move and whether it was allowed.
    pub transition: Transition,
    /// The packet moved; absent when the move was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packet_path: Option<String>,
    /// The files written (or, for a dry run, that would be); absent when refused.
    #[serde(flatten)]
    pub plan: Option<PlanData>,
}

impl LifecycleData {
    fn refused(action: Action, from: State, to: Option<State>) -> LifecycleData {
        LifecycleData {
            transition: Transition {
                action,
                from,
                to,
                allowed: false,
                already: None,
            },
            packet_path: None,
            plan: None,
        }
    }
}

/// One lifecycle move.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Transition {
    /// The move asked for.
    pub action: Action,
    /// The packet's state before.
    pub from: State,
    /// The state after; absent when the lifecycle has no such move from `from`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<State>,
    /// Whether the move was made (or, for a dry run, would be).
    pub allowed: bool,
    /// The move was made before: only what an interrupted run left undone is
    /// finished. Absent when refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub already: Option<bool>,
}

/// Everything one move needs besides the documents.
#[derive(Debug, Clone, Default)]
pub struct MoveSpec {
    pub block: Option<BlockNote>,
    pub prepare: Option<Prepare>,
    pub verdict: Option<VerdictSpec>,
    pub superseded_by: Option<WpId>,
    pub diff: Option<crate::commands::post_work::DiffArgs>,
}

#[derive(Debug, Clone, Default)]
pub struct Prepare {
    pub coder: Option<String>,
    pub worktree: Option<String>,
    pub branch: Option<String>,
}

#[derive(Debug, Clone)]
pub struct VerdictSpec {
    pub verdict: Verdict,
    pub validator: String,
    pub body: String,
}

/// Runs one move and reports it.
pub fn run_move(
    command: &str,
    action: Action,
    wp_id: &str,
    spec: &MoveSpec,
    dry_run: bool,
    repo: &Repo,
    ctx: &crate::commands::Context,
) -> Result<Report, GovError> {
    let id = WpId::parse(wp_id)?;
    let mut report = Report::new(command, Some(id.to_string()));
    let _lock = crate::commands::record_signature::lock(repo)?;
    let mut docs = Documents::read(repo, &id)?;
    let Some(from) = current_state(&docs.packet, &mut report) else {
        return Ok(report);
    };
    // a bad argument is refused even when the move was already made
    if let Some(d) = spec
        .prepare
        .as_ref()
        .and_then(|p| checks::worktree_relative(p.worktree.as_deref()))
    {
        report.push(d);
        return Ok(report);
    }
    let restore = restore_state(&docs, &id);
    let (to, fresh) = match lifecycle::target(action, from, restore) {
        Ok(to) => (to, true),
        Err(refused) if already_made(action, from, &docs, spec) => {
            let _ = refused;
            (from, false)
        }
        Err(refused) => {
            report.push(
                Diagnostic::new(&lif::TRANSITION_REFUSED, format!("{id}: {}", refused.reason()))
                    .at(docs.packet.path.clone(), status_line(&docs.packet), 1)
                    .help(match lifecycle::next_command(from, id.as_str()) {
                        Some(cmd) => format!("from {} the next move is `{cmd}`", from.label()),
                        None => format!("{} is closed; a change is a new packet (`gov create-task-packet --from {id}`)", from.label()),
                    }),
            );
            report.set_typed(LifecycleData::refused(action, from, None));
            return Ok(report);
        }
    };
    if fresh {
        report.extend(checks::requirements(
            action, &id, &mut docs, spec, to, repo, ctx,
        )?);
        if report.has_errors() {
            report.set_typed(LifecycleData::refused(action, from, Some(to)));
            report.headline.push(format!(
                "{id}: {} → {} refused; nothing was written",
                from.label(),
                to.label()
            ));
            return Ok(report);
        }
    }
    let plan = match build_plan(action, &id, &docs, spec, from, to, fresh, ctx) {
        Ok(p) => p,
        Err(d) => {
            report.push(*d);
            return Ok(report);
        }
    };
    if !dry_run {
        plan.commit()?;
    }
    report.headline.insert(
        0,
        if fresh {
            format!("{id}: {} → {}", from.label(), to.label())
        } else {
            format!("{id}: already {}", to.label())
        },
    );
    let written = plan.describe(&mut report, dry_run);
    report.set_typed(LifecycleData {
        transition: Transition {
            action,
            from,
            to: Some(to),
            allowed: true,
            already: Some(!fresh),
        },
        packet_path: Some(docs.packet.path.clone()),
        plan: Some(written),
    });
    report.next = lifecycle::next_command(to, id.as_str())
        .into_iter()
        .collect();
    if to == State::Done {
        report.next = vec!["gov status".to_string()];
    }
    Ok(report)
}

/// The packet's state, or a refusal in `report` when it has none gov can read.
fn current_state(packet: &Packet, report: &mut Report) -> Option<State> {
    let Some(status) = packet.status() else {
        report.push(
            Diagnostic::new(
                &lif::NO_STATUS_FIELD,
                format!("{} has no STATUS field", packet.id),
            )
            .in_file(packet.path.clone()),
        );
        return None;
    };
    match status.value.kind {
        Some(k) => Some(State::of(k)),
        None => {
            report.push(
                Diagnostic::new(
                    &lif::STATUS_UNREADABLE,
                    format!(
                        "{}: STATUS `{}` is not a lifecycle state",
                        packet.id, status.value.raw
                    ),
                )
                .at(packet.path.clone(), status.line, status.column),
            );
            None
        }
    }
}

fn status_line(packet: &Packet) -> usize {
    packet.status().map_or(1, |s| s.line)
}

/// The state an unblock returns to: the one recorded when the WP was blocked, else
/// Backlog (the safe start: `gov ready` then re-checks everything).
fn restore_state(docs: &Documents, id: &WpId) -> State {
    docs.gate
        .as_ref()
        .and_then(|(_, g)| {
            g.entries().iter().rev().find_map(|e| {
                let d = e.get("data")?;
                let ours = e.get("wpId")?.as_str()? == id.as_str()
                    && e.get("type")?.as_str()? == STATUS_SYNC
                    && d.get("to")?.as_str()? == "blocked";
                ours.then(|| state_named(d.get("from")?.as_str()?))
                    .flatten()
            })
        })
        .unwrap_or(State::Backlog)
}

fn state_named(key: &str) -> Option<State> {
    State::ALL
        .into_iter()
        .find(|s| json!(s).as_str() == Some(key))
}

/// Whether the move was made already (a repeated command, or one interrupted after
/// its packet was written): then it finishes the board and changes nothing else.
fn already_made(action: Action, from: State, docs: &Documents, spec: &MoveSpec) -> bool {
    match action {
        Action::Ready => from == State::ReadyForDev,
        Action::Start => from == State::InProgress,
        Action::Submit => from == State::ReadyForValidation,
        Action::Pass | Action::Fail => {
            let want = if action == Action::Pass {
                State::Done
            } else {
                State::InProgress
            };
            from == want
                && spec
                    .verdict
                    .as_ref()
                    .is_some_and(|v| docs.ends_with_report(v))
        }
        Action::Block => from == State::Blocked,
        // the last recorded move of this WP was this unblock, to where it is now
        Action::Unblock => docs.gate.as_ref().is_some_and(|(_, g)| {
            g.last_data(docs.packet.id.as_str(), STATUS_SYNC)
                .is_some_and(|d| {
                    d["action"] == "unblock" && d["from"] == "blocked" && d["to"] == json!(from)
                })
        }),
        Action::Supersede => from == State::Superseded,
    }
}

/// The new text of every file the move touches, checked.
#[allow(clippy::too_many_arguments)]
fn build_plan(
    action: Action,
    id: &WpId,
    docs: &Documents,
    spec: &MoveSpec,
    from: State,
    to: State,
    fresh: bool,
    ctx: &crate::commands::Context,
) -> Result<Plan, Box<Diagnostic>> {
    let validated = to == State::Done && (action == Action::Pass || docs.packet.is_validated());
    let mut plan = Plan::default();
    if fresh {
        let (file, state) = match &docs.gate {
            Some((f, s)) => (Some(f), s.clone()),
            None => (None, Default::default()),
        };
        let mut state = state;
        let stamp = ctx.now_utc;
        if let Some(p) = spec.prepare.as_ref().filter(|_| action == Action::Start) {
            let data = Assignment::data(
                p.coder.as_deref(),
                p.worktree.as_deref(),
                p.branch.as_deref(),
            );
            if state.last_data(id.as_str(), PREPARE) != Some(&data) {
                state.append(id.as_str(), PREPARE, stamp, detail(data));
            }
        }
        let data = sync_data(action, from, to, spec);
        if state.last_data(id.as_str(), STATUS_SYNC) != Some(&data) {
            state.append(id.as_str(), STATUS_SYNC, stamp, detail(data));
        }
        match file {
            Some(f) => plan.edit(f, state.to_text()),
            None => plan.create(&docs.gate_rel, docs.gate_path.clone(), state.to_text()),
        }
    }
    let mut board = docs.board.text.clone();
    if let (Some(by), Action::Supersede) = (&spec.superseded_by, action) {
        // the replacement takes the old packet's gate places, with its own status
        board = take_gate_places(&board, id, by);
        if let Some(state) = docs.replacement_state {
            let change = BoardState {
                id: by,
                state,
                validated: false,
                block: None,
            };
            board = set_board_state(&board, &change).map_err(|h| docs.hidden_entry(h))?;
        }
    }
    let board = set_board_state(
        &board,
        &BoardState {
            id,
            state: to,
            validated,
            block: spec.block.as_ref(),
        },
    )
    .map_err(|h| docs.hidden_entry(h))?;
    plan.edit(&docs.board, board);
    if fresh {
        plan.edit(&docs.packet_file, packet_text(action, docs, spec, to, ctx)?);
    }
    Ok(plan)
}

fn detail(data: Value) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("data".into(), data);
    m
}

/// The STATUS_SYNC event's data: the move, and what a later unblock needs.
fn sync_data(action: Action, from: State, to: State, spec: &MoveSpec) -> Value {
    let mut d = json!({"action": action, "from": from, "to": to});
    match &spec.block {
        Some(BlockNote::On(ids)) => {
            d["on"] = json!(ids.iter().map(WpId::as_str).collect::<Vec<_>>())
        }
        Some(BlockNote::Reason(r)) => d["reason"] = json!(r),
        None => {}
    }
    if let Some(by) = &spec.superseded_by {
        d["by"] = json!(by.as_str());
    }
    d
}

/// The packet's new text: STATUS, plus the appended report for a verdict. The signed
/// sections must hash as before, and a new report must be the packet's last verdict.
fn packet_text(
    action: Action,
    docs: &Documents,
    spec: &MoveSpec,
    to: State,
    ctx: &crate::commands::Context,
) -> Result<String, Box<Diagnostic>> {
    let p = &docs.packet;
    let mut text = set_status(p, to, action == Action::Pass).map_err(|_| {
        Box::new(
            Diagnostic::new(
                &lif::NO_STATUS_FIELD,
                format!("{} has no STATUS field", p.id),
            )
            .in_file(p.path.clone()),
        )
    })?;
    if let Some(v) = spec
        .verdict
        .as_ref()
        .filter(|_| matches!(action, Action::Pass | Action::Fail))
    {
        let stamp = format_timestamp(ctx.now_utc);
        let (with_report, line) = append_report(
            &text,
            &NewReport {
                validator: &v.validator,
                timestamp: &stamp,
                verdict: v.verdict,
                body: &v.body,
            },
        );
        let after = Packet::parse(
            p.id.clone(),
            Source::from_string(p.path.clone(), with_report.clone(), None),
        );
        let last = after.last_verdict();
        if last.as_ref().map(|l| l.value) != Some(v.verdict) || last.is_some_and(|l| l.line < line)
        {
            return Err(Box::new(
                Diagnostic::new(&lif::VERDICT_NOT_LAST, format!("a `Verdict:` line after the VALIDATION_REPORTS section of {} would still decide the packet's verdict", p.id))
                    .in_file(p.path.clone()),
            ));
        }
        text = with_report;
    }
    let after = Packet::parse(
        p.id.clone(),
        Source::from_string(p.path.clone(), text.clone(), None),
    );
    if locked_hash(&after) != locked_hash(p) {
        return Err(Box::new(
            Diagnostic::new(
                &lif::SIGNED_SECTION_WOULD_CHANGE,
                format!(
                    "writing {} would change its signed sections; nothing was written",
                    p.path
                ),
            )
            .in_file(p.path.clone()),
        ));
    }
    Ok(text)
}

/// `OLD`'s entries in phase gates name `NEW` instead (unless `NEW` is listed there).
fn take_gate_places(board_text: &str, old: &WpId, new: &WpId) -> String {
    use crate::model::board::{Board, SectionKind};
    let src = Source::from_string("board", board_text.to_string(), None);
    let (board, src) = Board::parse_keeping_text(src);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for e in board.entries_for(old) {
        let section = &board.sections[e.section];
        if !matches!(section.kind, SectionKind::PhaseGate(_)) {
            continue;
        }
        let taken = board.section_entries(e.section).any(|o| &o.id == new);
        if taken {
            // the new WP is listed already: the old one's place goes, with its lines
            let last = e.nested.iter().map(|n| n.line).max().unwrap_or(e.line);
            let end = if last < src.line_count() {
                src.line_start(last + 1)
            } else {
                board_text.len()
            };
            edits.push((src.line_start(e.line)..end, String::new()));
            continue;
        }
        let range = src.line_range(e.line);
        let line = &board_text[range.clone()];
        if let Some(at) = line.find(old.as_str()) {
            let start = range.start + at;
            edits.push((start..start + old.as_str().len(), new.to_string()));
        }
    }
    let mut out = board_text.to_string();
    for (r, s) in edits.into_iter().rev() {
        out.replace_range(r, &s);
    }
    out
}

/// LIF013 findings for board-check: recorded moves the lifecycle cannot have made,
/// and packets whose state no move leads to from their last recorded one.
pub fn sequence_findings(repo: &Repo) -> Result<Vec<Diagnostic>, GovError> {
    let (file, state) = match load_gate_state_exact(repo) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return Ok(Vec::new()),
        // the board can still be checked; the damaged log is worth a warning
        Err(e) => {
            return Ok(vec![e
                .diagnostic()
                .severity(crate::diag::Severity::Warning)])
        }
    };
    let moves: Vec<lifecycle::Recorded> = state
        .entries()
        .iter()
        .enumerate()
        .filter_map(|(index, e)| {
            if e.get("type")?.as_str()? != STATUS_SYNC {
                return None;
            }
            let d = e.get("data")?;
            Some(lifecycle::Recorded {
                wp_id: e.get("wpId")?.as_str()?.to_string(),
                from: state_named(d.get("from")?.as_str()?)?,
                to: state_named(d.get("to")?.as_str()?)?,
                index,
            })
        })
        .collect();
    let now = |wp: &str| {
        let id = WpId::parse(wp).ok()?;
        repo.packet_path(&id).ok().flatten()?;
        let kind = repo.load_packet(&id).ok()?.status()?.value.kind?;
        Some(State::of(kind))
    };
    Ok(lifecycle::impossible_sequences(&moves, now)
        .into_iter()
        .map(|i| {
            let at = match i.index {
                Some(n) => format!(" (gate-state entry {})", n + 1),
                None => String::new(),
            };
            Diagnostic::new(
                &lif::IMPOSSIBLE_SEQUENCE,
                format!("{}: {}{at}", i.wp_id, i.why),
            )
            .in_file(file.rel.clone())
        })
        .collect())
}

/// The packet a worktree (repository-relative) or branch works on, from the gate
/// state's PREPARE events: see [`crate::model::gate_state::GateState::assignment_for`].
pub fn assignment(
    repo: &Repo,
    worktree: Option<&str>,
    branch: Option<&str>,
) -> Result<Option<Assignment>, GovError> {
    Ok(load_gate_state_exact(repo)?.and_then(|(_, g)| g.assignment_for(worktree, branch)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_of(d: &LifecycleData) -> Value {
        serde_json::to_value(d).unwrap()
    }

    #[test]
    fn the_schema_allows_the_plan_to_be_absent() {
        let schema = serde_json::to_value(schemars::schema_for!(LifecycleData)).unwrap();
        assert!(schema["properties"]["files"].is_object(), "{schema}");
        let required = schema["required"].as_array().cloned().unwrap_or_default();
        assert_eq!(required, [json!("transition")], "{schema}");
    }

    #[test]
    fn a_refused_move_is_its_transition_alone() {
        let none = LifecycleData::refused(Action::Submit, State::Backlog, None);
        assert_eq!(
            json_of(&none),
            json!({"transition": {"action": "submit", "from": "backlog", "allowed": false}})
        );
        let checked =
            LifecycleData::refused(Action::Start, State::ReadyForDev, Some(State::InProgress));
        assert_eq!(
            json_of(&checked),
            json!({"transition": {"action": "start", "from": "ready_for_dev", "to": "in_progress", "allowed": false}})
        );
    }

    #[test]
    fn a_made_move_carries_its_files_and_a_dry_run_its_diff() {
        let made = LifecycleData {
            transition: Transition {
                action: Action::Pass,
                from: State::ReadyForValidation,
                to: Some(State::Done),
                allowed: true,
                already: Some(false),
            },
            packet_path: Some("docs/task_packets/WP-1-A.md".into()),
            plan: Some(PlanData {
                files: vec!["docs/TASK_BOARD.md".into()],
                dry_run: true,
                diff: Some("--- a\n+++ b\n".into()),
            }),
        };
        assert_eq!(
            json_of(&made),
            json!({
                "transition": {"action": "pass", "from": "ready_for_validation", "to": "done", "allowed": true, "already": false},
                "packet_path": "docs/task_packets/WP-1-A.md",
                "files": ["docs/TASK_BOARD.md"],
                "dry_run": true,
                "diff": "--- a\n+++ b\n",
            })
        );
        let written = LifecycleData {
            plan: Some(PlanData {
                files: vec![],
                dry_run: false,
                diff: None,
            }),
            ..made
        };
        assert!(json_of(&written).get("diff").is_none());
    }
}
