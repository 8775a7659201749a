//! `gov phase-gate <PHASE>` (alias `validator-phase-gate`): may this phase close?
//! Every WP in the board's `Phase N Closure Gates` section must be VALIDATED (its
//! packet's last verdict PASS) with every upstream dependency validated, no
//! board-check error may concern a gate WP, and spec-regression must pass.

use crate::config::Config;
use crate::diag::codes::brd;
use crate::diag::{Diagnostic, Report, Severity};
use crate::error::GovError;
use crate::model::board::normalize_phase;
use crate::repo::Repo;
use crate::rules::board::gate::{self, Gate, GateState};
use crate::rules::board::{History, Snapshot};
use crate::rules::spec;
use clap::Args;
use serde_json::json;

#[derive(Debug, Args)]
pub struct PhaseGateArgs {
    /// The phase: `Phase-1`, `Phase 1` and `1` name the same phase
    pub phase: String,
}

pub fn run(args: &PhaseGateArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let (parsed, snap) = spec::parse_alongside(repo, || Snapshot::load(repo))?;
    let snap = snap?;
    let phase = normalize_phase(&args.phase);
    let Some((section, _)) = snap.board.phase_gate(&phase).filter(|_| !phase.is_empty()) else {
        return Err(unknown_phase(&args.phase, &snap).into());
    };
    let gate = gate::evaluate(&snap.board, section, &snap.inventory, &snap.graph);
    let spec = spec::check(parsed, &snap.inventory);
    let spec_errors = effective_errors(&repo.config, spec.diagnostics.clone());
    // SLA warnings cannot fail a gate: not checked here
    let findings = snap.check(&repo.config, ctx.now, &History::Skipped);
    let on_gate: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|f| gate.wps.iter().any(|w| f.about(&w.id)))
        .map(|f| f.diagnostic)
        .collect();
    let board_errors = effective_errors(&repo.config, on_gate);
    let mut report = Report::new("phase-gate", Some(format!("Phase-{phase}")));
    report.extend(gate::diagnostics(&gate));
    let gate_wps: Vec<_> = gate.wps.iter().map(|w| &w.id).collect();
    report.extend(snap.inventory.problems.iter().cloned());
    report.headline = headline(&gate, spec_errors.len(), board_errors.len());
    report.extend(spec_errors.iter().cloned());
    report.extend(board_errors.iter().cloned());
    report.set_data("phase", json!(phase));
    report.set_data("gate", gate_json(&gate));
    report.set_data(
        "spec_regression",
        json!({
            "verdict": if spec_errors.is_empty() { "pass" } else { "fail" },
            "errors": spec_errors.len(),
            "warnings": spec.count(Severity::Warning),
            "spec": spec.spec.as_ref().map(|s| json!({"path": s.path, "version": s.version})),
        }),
    );
    report.set_data(
        "board_check",
        json!({"errors_on_gate_wps": board_errors.len(), "gate_wps": gate_wps}),
    );
    report.next = next(
        &gate,
        &snap,
        !spec_errors.is_empty(),
        !board_errors.is_empty(),
        &phase,
    );
    Ok(report)
}

fn unknown_phase(asked: &str, snap: &Snapshot) -> Diagnostic {
    let phases = snap.board.phases();
    let listed = if phases.is_empty() {
        "the board has no `Phase N Closure Gates` section at all".to_string()
    } else {
        let names: Vec<String> = phases.iter().map(|p| format!("Phase-{p}")).collect();
        format!("phases on the board: {}", names.join(", "))
    };
    Diagnostic::new(
        &brd::UNKNOWN_PHASE,
        format!(
            "the board has no closure gates for phase `{}`; {listed}",
            crate::model::wp_id::printable(asked)
        ),
    )
    .in_file(snap.board.path.clone())
}

/// The diagnostics that are errors once gov.yaml `severity:` settings apply: only
/// those may fail the gate.
pub fn effective_errors(config: &Config, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut r = Report::new("", None);
    r.extend(diags);
    config.apply_severity(&mut r);
    r.diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// The seed's output: one line per gate WP, then the three closure criteria.
fn headline(gate: &Gate, spec_errors: usize, board_errors: usize) -> Vec<String> {
    let mark = |ok: bool| if ok { "✅" } else { "❌" };
    let mut out = vec![format!(
        "{} check ({}:{}, {} gate WPs)",
        gate.title,
        gate.path,
        gate.line,
        gate.wps.len()
    )];
    for w in &gate.wps {
        let word = if w.state == GateState::Validated {
            "VALIDATED"
        } else {
            "BLOCKED"
        };
        out.push(format!(
            "{} {word}: {} ({})",
            mark(w.state == GateState::Validated),
            w.id,
            w.describe()
        ));
    }
    let validated = gate
        .wps
        .iter()
        .filter(|w| matches!(w.state, GateState::Validated | GateState::Blocked))
        .count();
    out.push(if gate.wps.is_empty() {
        "❌ No gate WPs listed".to_string()
    } else if validated == gate.wps.len() {
        format!("✅ All {} blocking WPs VALIDATED", gate.wps.len())
    } else {
        format!(
            "❌ {validated} of {} blocking WPs VALIDATED",
            gate.wps.len()
        )
    });
    out.push(if spec_errors == 0 {
        "✅ Spec regression check passed".to_string()
    } else {
        format!(
            "❌ Spec regression check failed ({})",
            plural(spec_errors, "error")
        )
    });
    let waiting: Vec<&str> = gate
        .wps
        .iter()
        .filter(|w| !w.unresolved.is_empty())
        .map(|w| w.id.as_str())
        .collect();
    out.push(if waiting.is_empty() {
        "✅ No unresolved dependencies".to_string()
    } else {
        format!("❌ Unresolved dependencies for {}", waiting.join(", "))
    });
    if board_errors > 0 {
        out.push(format!(
            "❌ Board-check: {} on gate WPs",
            plural(board_errors, "error")
        ));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn gate_json(gate: &Gate) -> serde_json::Value {
    json!({
        "title": gate.title,
        "path": gate.path,
        "line": gate.line,
        "validated": gate.clear(),
        "total": gate.wps.len(),
        "wps": gate.wps,
    })
}

fn next(
    gate: &Gate,
    snap: &Snapshot,
    spec_failed: bool,
    board_failed: bool,
    phase: &str,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if spec_failed {
        out.push("gov spec-regression".to_string());
    }
    if board_failed {
        out.push("gov board-check".to_string());
    }
    for w in &gate.wps {
        // the farthest upstream WP first: it is what everything else waits for
        let own = matches!(w.state, GateState::NotValidated | GateState::NoPacket);
        let targets = w
            .unresolved
            .iter()
            .rev()
            .map(|u| &u.id)
            .chain(std::iter::once(&w.id).filter(|_| own));
        for id in targets.filter(|id| super::status::ready(id, snap)) {
            let cmd = super::status::next_for(id, &snap.inventory);
            if !out.contains(&cmd) {
                out.push(cmd);
            }
        }
    }
    if gate.is_clear() && !spec_failed && !board_failed {
        out.push("gov status".to_string());
    } else {
        out.push(format!("gov phase-gate Phase-{phase}"));
    }
    out
}
