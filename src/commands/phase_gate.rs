//! `gov phase-gate <PHASE>` (alias `validator-phase-gate`): may this phase close?
//! Every WP in the board's `Phase N Closure Gates` sections (all of them, lists and
//! tables) must be VALIDATED (its packet's counted verdict PASS) with every upstream
//! dependency validated, no board-check error may concern a gate WP, and
//! spec-regression must pass. A board without a gate section for the phase gates it
//! on its active WPs whose id carries the phase, and says so. The phase is resolved
//! from the board alone before anything else is parsed.

use super::spec_regression::SpecVersion;
use crate::config::Config;
use crate::diag::codes::brd;
use crate::diag::Verdict;
use crate::diag::{Diagnostic, Report, Severity};
use crate::error::GovError;
use crate::model::board::{normalize_phase, Board};
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::board::gate::{self, Gate, GateState};
use crate::rules::board::gate::{GateSection, GateWp};
use crate::rules::board::{History, Snapshot};
use crate::rules::spec;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct PhaseGateArgs {
    /// The phase: `Phase-1`, `Phase 1` and `1` name the same phase
    pub phase: String,
}

pub fn run(args: &PhaseGateArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let phase = normalize_phase(&args.phase);
    // the phase first: an unknown phase costs one board read, not the full parse
    let board = repo.load_board()?;
    let known =
        gate::phase_known(&board, &phase) || (!phase.is_empty() && packets_of_phase(repo, &phase));
    if !known {
        return Err(unknown_phase(&args.phase, &board).into());
    }
    let (parsed, snap) = spec::parse_alongside(repo, || Snapshot::with_board(repo, board))?;
    let Some(gate) = gate::for_phase(&snap.board, &phase, &snap.inventory, &snap.graph) else {
        return Err(unknown_phase(&args.phase, &snap.board).into());
    };
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
    report.set_typed(PhaseGateData {
        phase: phase.clone(),
        gate: gate_view(&gate),
        spec_regression: SpecRegressionPart {
            verdict: if spec_errors.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Fail
            },
            errors: spec_errors.len(),
            warnings: spec.count(Severity::Warning),
            spec: spec.spec.as_ref().map(|s| SpecVersion {
                path: s.path.clone(),
                version: s.version.clone(),
            }),
        },
        board_check: BoardCheckPart {
            errors_on_gate_wps: board_errors.len(),
            gate_wps: gate_wps.into_iter().cloned().collect(),
        },
    });
    report.next = next(
        &gate,
        &snap,
        !spec_errors.is_empty(),
        !board_errors.is_empty(),
        &phase,
    );
    crate::exit::release((snap, spec));
    Ok(report)
}

/// Whether a packet file (not parsed: its name is enough) carries the phase.
fn packets_of_phase(repo: &Repo, phase: &str) -> bool {
    repo.packet_ids()
        .iter()
        .any(|(id, _)| normalize_phase(id.phase()) == phase)
}

fn unknown_phase(asked: &str, board: &Board) -> Diagnostic {
    let phases = board.phases();
    let listed = if phases.is_empty() {
        "the board has no `Phase N Closure Gates` section at all".to_string()
    } else {
        let names: Vec<String> = phases.iter().map(|p| format!("Phase-{p}")).collect();
        format!("phases on the board: {}", names.join(", "))
    };
    Diagnostic::new(
        &brd::UNKNOWN_PHASE,
        format!(
            "the board has no closure gates and no WP for phase `{}`; {listed}",
            crate::model::wp_id::printable(asked)
        ),
    )
    .in_file(board.path.clone())
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
    let mut out = if gate.derived {
        vec![format!(
            "Phase {} check ({}: no closure-gate section; gate derived from the board's {} of phase {})",
            gate.phase,
            gate.path,
            plural(gate.wps.len(), "active WP"),
            gate.phase
        )]
    } else {
        let mut lines: Vec<String> = gate
            .sections
            .iter()
            .map(|s| format!("{}:{}", gate.path, s.line))
            .collect();
        lines.dedup();
        vec![format!(
            "{} check ({}, {} gate WPs)",
            gate.title,
            lines.join(", "),
            gate.wps.len()
        )]
    };
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
    if !gate.unreadable.is_empty() {
        out.push(format!(
            "❌ {} in the gate that gov cannot read",
            plural(gate.unreadable.len(), "line")
        ));
    }
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

fn gate_view(gate: &Gate) -> GateView {
    GateView {
        title: gate.title.clone(),
        path: gate.path.clone(),
        line: gate.line,
        derived: gate.derived,
        sections: gate.sections.clone(),
        unreadable_lines: gate.unreadable.len(),
        validated: gate.clear(),
        total: gate.wps.len(),
        wps: gate.wps.clone(),
    }
}

/// The data members of `gov phase-gate --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PhaseGateData {
    /// The normalised phase (`1`).
    pub phase: String,
    pub gate: GateView,
    /// The spec-regression part of the gate.
    pub spec_regression: SpecRegressionPart,
    /// The board-check part of the gate: only errors about gate WPs count.
    pub board_check: BoardCheckPart,
}

/// The phase's closure gate.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GateView {
    pub title: String,
    /// The board.
    pub path: String,
    /// 1-based line of the (first) gate section.
    pub line: usize,
    /// No closure-gate section: the gate is every active WP whose id carries the phase.
    pub derived: bool,
    pub sections: Vec<GateSection>,
    /// Lines in the gate's sections that name a WP gov cannot read.
    pub unreadable_lines: usize,
    /// Gate WPs that are clear.
    pub validated: usize,
    pub total: usize,
    pub wps: Vec<GateWp>,
}

/// spec-regression as the gate counts it (after gov.yaml severity settings).
#[derive(Debug, Serialize, JsonSchema)]
pub struct SpecRegressionPart {
    /// `pass` or `fail`.
    pub verdict: Verdict,
    pub errors: usize,
    pub warnings: usize,
    /// The current spec, or null.
    pub spec: Option<SpecVersion>,
}

/// board-check as the gate counts it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BoardCheckPart {
    pub errors_on_gate_wps: usize,
    pub gate_wps: Vec<WpId>,
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
