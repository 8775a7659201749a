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
use crate::rules::board::{Finding, History, Snapshot};
use crate::rules::inventory::Inventory;
use crate::rules::spec;
use clap::Args;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[derive(Debug, Args)]
pub struct StatusArgs {}

/// Most `next` commands status lists; the rest follow once these are done.
const MAX_NEXT: usize = 10;

#[derive(Debug, Clone, Serialize)]
struct Waiting {
    id: WpId,
    state: String,
    validated: bool,
}

#[derive(Debug, Clone, Serialize)]
struct Blocked {
    id: WpId,
    status: String,
    reason: Option<String>,
    blockers: Vec<Waiting>,
}

pub fn run(_args: &StatusArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let (parsed, snap) = spec::parse_alongside(repo, || Snapshot::load(repo))?;
    let snap = snap?;
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
            .map(|d| d.clone().severity(Severity::Warning)),
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
    report.set_data(
        "board",
        json!({"path": snap.board.path, "errors": board_errors}),
    );
    report.set_data(
        "spec",
        json!({
            "path": spec.spec.as_ref().map(|s| &s.path),
            "version": spec.spec.as_ref().and_then(|s| s.version.as_ref()),
            "verdict": if spec_errors == 0 { "pass" } else { "fail" },
            "errors": spec_errors,
        }),
    );
    report.set_data(
        "phases",
        json!(gates.iter().map(phase_json).collect::<Vec<_>>()),
    );
    report.set_data("counts", counts_json(&counts));
    report.set_data(
        "drift",
        json!(drift.iter().map(|f| drift_json(f)).collect::<Vec<_>>()),
    );
    report.set_data("blocked", json!(blocked));
    report.next = next(&snap, &gates, spec_errors > 0, board_errors > 0);
    if ctx.global.format == crate::cli::Format::Html {
        // the page draws the graph and the SLA ageing too
        let picture = crate::rules::board::picture::Picture::of(&snap);
        report.set_data("picture", json!(picture));
        // SLA ageing needs the board's history, which the text screen skips for speed
        let history = snap.history(repo, ctx.now);
        let sla: Vec<Diagnostic> = snap
            .check(&repo.config, ctx.now, &history)
            .into_iter()
            .filter(|f| f.diagnostic.code == crate::diag::codes::brd::SLA_EXCEEDED.code)
            .map(|f| f.diagnostic)
            .collect();
        report.set_data("sla", json!(sla));
    }
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

fn counts_json(counts: &[(Option<StatusKind>, usize)]) -> Value {
    let map: serde_json::Map<String, Value> = counts
        .iter()
        .map(|(k, n)| (k.map_or("unknown", StatusKind::key).to_string(), json!(n)))
        .collect();
    Value::Object(map)
}

/// Active WPs that are Blocked or wait for a WP that is not validated.
fn blocked(snap: &Snapshot) -> Vec<Blocked> {
    let mut ids: BTreeSet<&WpId> = snap.inventory.packets.keys().collect();
    ids.extend(snap.board.entries.iter().map(|e| &e.id));
    let mut out = Vec::new();
    for id in ids {
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

fn phase_json(g: &Gate) -> Value {
    json!({
        "phase": g.phase,
        "title": g.title,
        "line": g.line,
        "done": g.clear(),
        "total": g.wps.len(),
        "clear": g.is_clear(),
        "wps": g.wps.iter().map(|w| json!({"id": w.id, "state": w.state, "status": w.status})).collect::<Vec<_>>(),
    })
}

fn drift_json(f: &Finding) -> Value {
    let d: &Diagnostic = &f.diagnostic;
    json!({
        "id": f.wps.first(),
        "kind": f.kind,
        "code": d.code,
        "message": d.message,
        "path": d.path,
        "line": d.line,
    })
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
    let push = |cmd: String, out: &mut Vec<String>| {
        if !out.contains(&cmd) {
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
