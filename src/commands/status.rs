//! `gov status`: one screen for the orchestrator. Each phase gate and how far it is,
//! packets per state, drift between board and packets, what is blocked and on what,
//! and the next commands to run. Information, not a gate: it exits 0 whenever it
//! could read the board.

use super::phase_gate::effective_errors;
use crate::diag::{Diagnostic, Report, Severity};
use crate::error::GovError;
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::board::gate::{self, Gate, GateState};
use crate::rules::board::picture::Picture;
use crate::rules::board::FindingKind;
use crate::rules::board::{Finding, History, Snapshot};
use crate::rules::inventory::Inventory;
use crate::rules::spec;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Args)]
pub struct StatusArgs {}

/// Most `next` commands status lists; the rest follow once these are done.
const MAX_NEXT: usize = 10;

/// The data of `gov status`: the board, the spec, every phase gate, packets per
/// state, drift and what is blocked.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusData {
    /// The task board and its gate errors.
    pub board: StatusBoard,
    /// The current spec and its regression check.
    pub spec: StatusSpec,
    /// Each phase's closure gate and how far it is.
    pub phases: Vec<StatusPhase>,
    /// Packets per canonical status (`backlog`, `stub`, `ready_for_dev`,
    /// `in_progress`, `ready_for_validation`, `done`, `validated`, `blocked`,
    /// `superseded`), and `unknown` for an unrecognised or missing status. Every key
    /// is present, zero included.
    pub counts: BTreeMap<String, usize>,
    /// Where the board and the packets disagree.
    pub drift: Vec<StatusDrift>,
    /// Active WPs that are Blocked or wait for a WP that is not validated.
    pub blocked: Vec<Blocked>,
    /// The dependency picture the HTML page draws; only with `--format html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture: Option<Picture>,
    /// SLA findings (BRD codes, as in `diagnostics`) from the board's history; only
    /// with `--format html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<Vec<Diagnostic>>,
}

/// The task board.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusBoard {
    /// Its path, relative to the repository root.
    pub path: String,
    /// Board-check errors (after configured severities).
    pub errors: usize,
}

/// The current spec.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusSpec {
    /// The spec the pointer names, or `null` when there is none.
    pub path: Option<String>,
    /// Its version, if the file name or pointer carries one.
    pub version: Option<String>,
    /// Whether spec-regression passes.
    pub verdict: SpecVerdict,
    /// Spec-regression errors (after configured severities).
    pub errors: usize,
}

/// The spec-regression outcome.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpecVerdict {
    /// No errors.
    Pass,
    /// At least one error.
    Fail,
}

/// One phase's closure gate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusPhase {
    /// The normalised phase (`1`).
    pub phase: String,
    /// The gate section's title.
    pub title: String,
    /// Board line of the gate section.
    pub line: usize,
    /// WPs of the gate that are validated, with every upstream WP validated.
    pub done: usize,
    /// WPs in the gate.
    pub total: usize,
    /// The phase may close: some WPs listed, all clear, no unreadable line.
    pub clear: bool,
    /// The gate's WPs.
    pub wps: Vec<StatusPhaseWp>,
}

/// A WP of a phase gate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusPhaseWp {
    /// The WP id.
    pub id: WpId,
    /// Where it stands for the gate.
    pub state: GateState,
    /// The packet's status (`In Progress`, a verbatim unknown form, `no status`), or
    /// `null` without a packet.
    pub status: Option<String>,
}

impl StatusPhase {
    fn of(g: &Gate) -> StatusPhase {
        StatusPhase {
            phase: g.phase.clone(),
            title: g.title.clone(),
            line: g.line,
            done: g.clear(),
            total: g.wps.len(),
            clear: g.is_clear(),
            wps: g
                .wps
                .iter()
                .map(|w| StatusPhaseWp {
                    id: w.id.clone(),
                    state: w.state,
                    status: w.status.clone(),
                })
                .collect(),
        }
    }
}

/// One disagreement between the board and the packets.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusDrift {
    /// The WP it is about, or `null` for a board-wide finding.
    pub id: Option<WpId>,
    /// What kind of disagreement.
    pub kind: FindingKind,
    /// The diagnostic code (`BRD...`).
    pub code: String,
    /// The diagnostic message.
    pub message: String,
    /// The file it points at.
    pub path: Option<String>,
    /// 1-based line in that file.
    pub line: Option<usize>,
}

impl StatusDrift {
    fn of(f: &Finding) -> StatusDrift {
        let d: &Diagnostic = &f.diagnostic;
        StatusDrift {
            id: f.wps.first().cloned(),
            kind: f.kind,
            code: d.code.to_string(),
            message: d.message.clone(),
            path: d.path.clone(),
            line: d.line,
        }
    }
}

/// A WP the blocked one waits for.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Waiting {
    /// The WP waited for.
    pub id: WpId,
    /// Its packet's status, or `no packet`.
    pub state: String,
    /// Whether it is validated (always false: validated WPs block nothing).
    pub validated: bool,
}

/// An active WP that is Blocked or waits for a WP that is not validated.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Blocked {
    /// The WP.
    pub id: WpId,
    /// Its packet's status (else the board's, else `no packet`).
    pub status: String,
    /// The reason the board gives, if any.
    pub reason: Option<String>,
    /// The WPs it waits for that are not validated.
    pub blockers: Vec<Waiting>,
}

pub fn run(_args: &StatusArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let (parsed, snap) = spec::parse_alongside(repo, || Snapshot::load_keeping_text(repo))?;
    let (snap, board_text) = snap?;
    let spec = spec::check(parsed, &snap.inventory);
    let spec_errors = effective_errors(&repo.config, spec.diagnostics.clone()).len();
    let findings = snap.check(&repo.config, ctx.now, &History::Skipped);
    let board_errors = effective_errors(
        &repo.config,
        findings.iter().map(|f| f.diagnostic.clone()).collect(),
    )
    .len();
    let gates = gate::all(&snap.board, &snap.inventory, &snap.graph);
    let drift: Vec<&Finding> = findings.iter().filter(|f| f.kind.is_drift()).collect();
    let blocked = blocked(&snap);
    let counts = counts(&snap.inventory);

    let mut report = Report::new("status", None);
    report.informational = true;
    // unreadable packets are worth seeing here, but a dashboard is not a gate
    report.extend(
        snap.inventory
            .problems
            .iter()
            .map(|d| d.clone().severity(d.severity.min(Severity::Warning))),
    );
    let spec_line = match &spec.spec {
        Some(s) => format!(
            "{} ({})",
            s.path,
            s.version.as_deref().unwrap_or("unversioned")
        ),
        None => "no current spec".to_string(),
    };
    report.headline = human(
        &snap,
        &spec_line,
        &gates,
        &counts,
        &drift,
        &blocked,
        spec_errors,
        board_errors,
    );
    let mut data = StatusData {
        board: StatusBoard {
            path: snap.board.path.clone(),
            errors: board_errors,
        },
        spec: StatusSpec {
            path: spec.spec.as_ref().map(|s| s.path.clone()),
            version: spec.spec.as_ref().and_then(|s| s.version.clone()),
            verdict: if spec_errors == 0 {
                SpecVerdict::Pass
            } else {
                SpecVerdict::Fail
            },
            errors: spec_errors,
        },
        phases: gates.iter().map(StatusPhase::of).collect(),
        counts: counts
            .iter()
            .map(|(k, n)| (k.map_or("unknown", StatusKind::key).to_string(), *n))
            .collect(),
        drift: drift.iter().map(|f| StatusDrift::of(f)).collect(),
        blocked,
        picture: None,
        sla: None,
    };
    report.next = next(&snap, &gates, spec_errors > 0, board_errors > 0);
    if ctx.global.format == crate::cli::Format::Html {
        // the page draws the graph and the SLA ageing too
        data.picture = Some(crate::rules::board::picture::Picture::of(&snap));
        // SLA ageing needs the board's history, which the text screen skips for speed
        let history = snap.history(repo, &board_text.text, ctx.now);
        let sla: Vec<Diagnostic> = snap
            .check(&repo.config, ctx.now, &history)
            .into_iter()
            .filter(|f| f.diagnostic.code == crate::diag::codes::brd::SLA_EXCEEDED.code)
            .map(|f| f.diagnostic)
            .collect();
        data.sla = Some(sla);
    }
    report.set_typed(data);
    crate::exit::release((snap, spec, board_text));
    Ok(report)
}

/// The command that moves one WP forward, from its packet status.
pub fn next_for(id: &WpId, inventory: &Inventory) -> String {
    let Some(p) = inventory.get(id) else {
        return format!("gov create-task-packet {id}");
    };
    // the lifecycle command that moves the WP on (its gate runs inside it)
    p.status_kind()
        .map(crate::model::lifecycle::State::of)
        .and_then(|s| crate::model::lifecycle::next_command(s, id.as_str()))
        .unwrap_or_else(|| format!("gov show {id}"))
}

/// Packets per canonical status; `unknown` for unrecognised or missing statuses.
fn counts(inventory: &Inventory) -> Vec<(Option<StatusKind>, usize)> {
    let mut out: Vec<(Option<StatusKind>, usize)> =
        StatusKind::ALL.iter().map(|k| (Some(*k), 0)).collect();
    out.push((None, 0));
    for p in inventory.packets.values() {
        let k = p.status_kind();
        if let Some(slot) = out.iter_mut().find(|(kind, _)| *kind == k) {
            slot.1 += 1;
        }
    }
    out
}

/// Every WP with a packet or a board entry, once each, in id order: the packets and the
/// board's WPs are each in id order already, so they merge without a set of ids.
fn every_wp(snap: &Snapshot) -> Vec<&WpId> {
    let board = &snap.board;
    let mut packets = snap.inventory.packets.keys().peekable();
    let mut entries = board.wps().map(|wp| &board.entries[wp[0]].id).peekable();
    let mut out = Vec::with_capacity(snap.inventory.packets.len());
    loop {
        let next = match (packets.peek(), entries.peek()) {
            (Some(p), Some(e)) if p < e => packets.next(),
            (Some(p), Some(e)) if p > e => entries.next(),
            (Some(_), Some(_)) => entries.next().and(packets.next()),
            (Some(_), None) => packets.next(),
            (None, _) => entries.next(),
        };
        match next {
            Some(id) => out.push(id),
            None => return out,
        }
    }
}

/// Active WPs that are Blocked or wait for a WP that is not validated.
fn blocked(snap: &Snapshot) -> Vec<Blocked> {
    let mut out = Vec::new();
    for id in every_wp(snap) {
        let facts = snap.inventory.get(id);
        let entry = snap.board.status_entry(id);
        let board_status = entry.and_then(|e| snap.board.entry_status(e));
        let status = facts.and_then(|p| p.status_kind()).or(board_status);
        if status.is_some_and(StatusKind::is_closed) {
            continue;
        }
        let blockers: Vec<Waiting> = snap
            .graph
            .direct(id)
            .iter()
            .filter(|e| !snap.inventory.is_validated(&e.to))
            .map(|e| Waiting {
                id: e.to.clone(),
                state: snap
                    .inventory
                    .get(&e.to)
                    .map_or_else(|| "no packet".to_string(), |p| p.status_label()),
                validated: false,
            })
            .collect();
        let is_blocked =
            status == Some(StatusKind::Blocked) || board_status == Some(StatusKind::Blocked);
        if blockers.is_empty() && !is_blocked {
            continue;
        }
        out.push(Blocked {
            id: id.clone(),
            status: facts.map_or_else(
                || status.map_or("no packet".to_string(), |k| k.label().to_string()),
                |p| p.status_label(),
            ),
            reason: snap.board.entries_for(id).find_map(|e| e.reason.clone()),
            blockers,
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn human(
    snap: &Snapshot,
    spec_line: &str,
    gates: &[Gate],
    counts: &[(Option<StatusKind>, usize)],
    drift: &[&Finding],
    blocked: &[Blocked],
    spec_errors: usize,
    board_errors: usize,
) -> Vec<String> {
    let mut out = vec![format!(
        "status: {} · spec {spec_line} · {} packets",
        snap.board.path,
        snap.inventory.packets.len()
    )];
    out.push(String::new());
    out.push("Phase gates".to_string());
    if gates.is_empty() {
        out.push("  (the board has no `Phase N Closure Gates` section)".to_string());
    }
    for g in gates {
        let open: Vec<String> = g
            .wps
            .iter()
            .filter(|w| w.state != GateState::Validated)
            .map(|w| format!("{} ({})", w.id, short_state(w)))
            .collect();
        let tail = if g.is_clear() {
            "clear".to_string()
        } else if open.is_empty() {
            "no WPs listed".to_string()
        } else {
            format!("open: {}", open.join(", "))
        };
        out.push(format!(
            "  Phase-{:<4} {}/{} VALIDATED {}  {tail}",
            g.phase,
            g.clear(),
            g.wps.len(),
            bar(g.clear(), g.wps.len())
        ));
    }
    out.push(String::new());
    let shown: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{} {n}", k.map_or("Unknown", StatusKind::label)))
        .collect();
    out.push(format!(
        "Packets by state: {}",
        if shown.is_empty() {
            "none".to_string()
        } else {
            shown.join(", ")
        }
    ));
    out.push(String::new());
    if drift.is_empty() {
        out.push("Drift (board vs packets): none".to_string());
    } else {
        out.push(format!("Drift (board vs packets): {}", drift.len()));
        for f in drift {
            let d = &f.diagnostic;
            let at = match (&d.path, d.line) {
                (Some(p), Some(l)) => format!("{p}:{l}"),
                (Some(p), None) => p.clone(),
                _ => String::new(),
            };
            out.push(format!("  {at}: {}", d.message));
        }
    }
    out.push(String::new());
    if blocked.is_empty() {
        out.push("Blocked: nothing".to_string());
    } else {
        out.push(format!("Blocked: {}", blocked.len()));
        for b in blocked {
            let on: Vec<String> = b
                .blockers
                .iter()
                .map(|w| format!("{} ({})", w.id, w.state))
                .collect();
            let what = match (on.is_empty(), &b.reason) {
                (false, _) => format!("waits for {}", on.join(", ")),
                (true, Some(r)) => format!("blocked: {r}"),
                (true, None) => "blocked, no reason given".to_string(),
            };
            out.push(format!("  {} ({}) {what}", b.id, b.status));
        }
    }
    out.push(String::new());
    out.push(format!(
        "Checks: spec-regression {}, board-check {}",
        pass_fail(spec_errors),
        pass_fail(board_errors)
    ));
    out
}

fn short_state(w: &gate::GateWp) -> String {
    match w.state {
        GateState::NoPacket => "no packet".to_string(),
        GateState::Blocked => "validated, waits for upstream".to_string(),
        _ => w.status.clone().unwrap_or_else(|| "no status".to_string()),
    }
}

fn pass_fail(errors: usize) -> String {
    match errors {
        0 => "pass".to_string(),
        1 => "FAIL (1 error)".to_string(),
        n => format!("FAIL ({n} errors)"),
    }
}

/// `[###.......]`: ten cells, filled in proportion.
fn bar(done: usize, total: usize) -> String {
    let filled = (done * 10 + total / 2).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}]",
        "#".repeat(filled),
        ".".repeat(10 - filled.min(10))
    )
}

fn next(snap: &Snapshot, gates: &[Gate], spec_failed: bool, board_failed: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // at most MAX_NEXT distinct commands are kept, so `contains` stays short
    let push = |cmd: String, out: &mut Vec<String>| {
        if out.len() < MAX_NEXT && !out.contains(&cmd) {
            out.push(cmd);
        }
    };
    if spec_failed {
        push("gov spec-regression".to_string(), &mut out);
    }
    if board_failed {
        push("gov board-check".to_string(), &mut out);
    }
    // gate work first: the phases close in order
    for g in gates.iter().filter(|g| !g.is_clear()) {
        for w in &g.wps {
            for u in w.unresolved.iter().rev() {
                if ready(&u.id, snap) {
                    push(next_for(&u.id, &snap.inventory), &mut out);
                }
            }
            if matches!(w.state, GateState::NotValidated | GateState::NoPacket)
                && ready(&w.id, snap)
            {
                push(next_for(&w.id, &snap.inventory), &mut out);
            }
        }
        if g.wps.is_empty() {
            // an empty gate is not a failure yet: it waits for its first WP
            let first = format!("WP-{}-Name", g.phase);
            push(
                format!(
                    "gov create-task-packet {first} --backlog --gate Phase-{}",
                    g.phase
                ),
                &mut out,
            );
            continue;
        }
        push(format!("gov phase-gate Phase-{}", g.phase), &mut out);
    }
    for p in snap.inventory.active() {
        if out.len() >= MAX_NEXT {
            break; // the list is full: later packets cannot change it
        }
        let id = &p.id;
        if matches!(
            p.status_kind(),
            Some(
                StatusKind::Backlog
                    | StatusKind::ReadyForDev
                    | StatusKind::InProgress
                    | StatusKind::ReadyForValidation
            )
        ) && ready(id, snap)
        {
            push(next_for(id, &snap.inventory), &mut out);
        }
    }
    out.truncate(MAX_NEXT);
    out
}

/// Work on a WP can proceed when everything it depends on is validated.
pub fn ready(id: &WpId, snap: &Snapshot) -> bool {
    snap.graph
        .direct(id)
        .iter()
        .all(|e| snap.inventory.is_validated(&e.to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::board::Board;
    use crate::model::packet::Packet;
    use crate::rules::board::Graph;
    use crate::text::Source;
    use std::collections::BTreeSet;

    proptest::proptest! {
        /// The merge of packets and board WPs is the set of their ids, in its order,
        /// for WPs with a packet only, a board entry only, both, or several entries.
        #[test]
        fn every_wp_is_the_union_in_id_order(
            packets in proptest::collection::btree_set(0u8..40, 0..20),
            entries in proptest::collection::vec(0u8..40, 0..30),
        ) {
            let id = |n: u8| format!("WP-1-Gen-{n:02}");
            let inventory = Inventory::from_packets(packets.iter().map(|&n| {
                Packet::parse(
                    WpId::parse(&id(n)).unwrap(),
                    Source::from_string(format!("{}.md", id(n)), String::new(), None),
                )
            }));
            let mut text = String::from("# Board\n\n## Ready for Dev\n\n");
            for &n in &entries {
                text.push_str(&format!("- [{}] Ready-for-Dev\n", id(n)));
            }
            let board = Board::parse(Source::from_string("TASK_BOARD.md", text, None));
            let graph = Graph::build(&board, &inventory);
            let snap = Snapshot { board, inventory, graph };
            let expected: BTreeSet<&WpId> = snap
                .inventory
                .packets
                .keys()
                .chain(snap.board.entries.iter().map(|e| &e.id))
                .collect();
            let merged = every_wp(&snap);
            proptest::prop_assert_eq!(merged, expected.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn html_only_members_are_optional_in_the_schema() {
        let schema = serde_json::to_value(schemars::schema_for!(StatusData)).unwrap();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for key in ["board", "spec", "phases", "counts", "drift", "blocked"] {
            assert!(required.contains(&key), "{key} required");
        }
        for key in ["picture", "sla"] {
            assert!(!required.contains(&key), "{key} only with --format html");
            assert!(schema["properties"][key].is_object());
        }
    }
}
