//! Phase closure gates: the WPs listed under `Phase N Closure Gates (BLOCKING)`, each
//! with its state. A gate WP is clear when its packet is VALIDATED (last verdict
//! PASS) and everything it depends on, directly or not, is VALIDATED too. Shared by
//! `phase-gate`, which turns a gate into diagnostics, and `status`.

use super::Graph;
use crate::diag::codes::brd;
use crate::diag::Diagnostic;
use crate::model::board::{Board, SectionKind};
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use crate::rules::inventory::Inventory;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateState {
    /// VALIDATED, with every upstream WP validated.
    Validated,
    NotValidated,
    /// Listed in the gate but no packet exists (GAP).
    NoPacket,
    /// VALIDATED itself, but an upstream WP is not.
    Blocked,
}

/// An upstream WP that is not validated.
#[derive(Debug, Clone, Serialize)]
pub struct Upstream {
    pub id: WpId,
    /// `status In Progress, no validation verdict`, or `no packet`.
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GateWp {
    pub id: WpId,
    pub state: GateState,
    /// Board line of the gate entry.
    pub line: usize,
    #[serde(skip)]
    pub column: usize,
    pub packet: Option<String>,
    /// The packet's status (`In Progress`, a verbatim unknown form, `no status`).
    pub status: Option<String>,
    /// The status as the packet writes it (`Done (VALIDATED)`).
    #[serde(skip)]
    pub status_raw: Option<String>,
    #[serde(skip)]
    pub status_kind: Option<StatusKind>,
    /// The status the gate entry shows, if it shows one.
    pub board_status: Option<String>,
    pub last_verdict: Option<&'static str>,
    pub verdict_line: Option<usize>,
    /// Upstream WPs (direct and transitive) that are not validated.
    pub unresolved: Vec<Upstream>,
}

impl GateWp {
    /// One line for humans, after the WP id (the seed's `status: Done, not VALIDATED`).
    pub fn describe(&self) -> String {
        let waits = if self.unresolved.is_empty() {
            String::new()
        } else {
            let ids: Vec<&str> = self.unresolved.iter().map(|u| u.id.as_str()).collect();
            format!("; waits for {}", ids.join(", "))
        };
        match self.state {
            GateState::Validated => "last verdict PASS".to_string(),
            GateState::Blocked => format!("VALIDATED{waits}"),
            GateState::NoPacket => format!(
                "no packet; board: {}{waits}",
                self.board_status.as_deref().unwrap_or("no status")
            ),
            GateState::NotValidated => format!("{}{waits}", self.not_validated()),
        }
    }

    /// Why a WP with a packet is not VALIDATED: a Done-like status without a passing
    /// verdict is spelled out, other states are their status.
    fn not_validated(&self) -> String {
        let status = self.status.as_deref().unwrap_or("no status");
        let claims_done = matches!(
            self.status_kind,
            Some(StatusKind::Done | StatusKind::Validated)
        );
        match (claims_done, self.last_verdict) {
            (true, _) => format!(
                "status: {}, not VALIDATED: {}",
                self.status_raw.as_deref().unwrap_or(status),
                self.verdict_text()
            ),
            (false, Some(v)) => format!("status: {status}, last verdict {v}"),
            (false, None) => format!("status: {status}"),
        }
    }

    /// The reason in a sentence, for the diagnostic.
    fn why_not(&self) -> String {
        let written = self
            .status_raw
            .as_deref()
            .or(self.status.as_deref())
            .unwrap_or("no status");
        let claims_done = matches!(
            self.status_kind,
            Some(StatusKind::Done | StatusKind::Validated)
        );
        match (claims_done, self.last_verdict) {
            (true, Some(v)) => format!("its packet says `{written}` but its last verdict is {v}"),
            (true, None) => format!("its packet says `{written}` but has no validation verdict"),
            (false, Some(v)) => format!("its packet is `{written}`, last verdict {v}"),
            (false, None) => format!("its packet is `{written}`"),
        }
    }

    fn verdict_text(&self) -> String {
        match self.last_verdict {
            Some(v) => format!("last verdict {v}"),
            None => "no validation verdict".to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    /// The normalised phase (`1`).
    pub phase: String,
    pub title: String,
    pub path: String,
    pub line: usize,
    pub wps: Vec<GateWp>,
}

impl Gate {
    pub fn clear(&self) -> usize {
        self.wps
            .iter()
            .filter(|w| w.state == GateState::Validated)
            .count()
    }

    /// The phase may close as far as its WPs go: some listed, all clear.
    pub fn is_clear(&self) -> bool {
        !self.wps.is_empty() && self.clear() == self.wps.len()
    }
}

/// Evaluates the gate section at index `section`.
pub fn evaluate(board: &Board, section: usize, inventory: &Inventory, graph: &Graph) -> Gate {
    let s = &board.sections[section];
    let phase = match &s.kind {
        SectionKind::PhaseGate(p) => p.clone(),
        _ => String::new(),
    };
    let mut seen: BTreeSet<&WpId> = BTreeSet::new();
    let wps = board
        .section_entries(section)
        .filter(|e| seen.insert(&e.id))
        .map(|e| {
            let facts = inventory.get(&e.id);
            let unresolved: Vec<Upstream> = graph
                .upstream(&e.id)
                .into_iter()
                .filter(|u| !inventory.is_validated(u))
                .map(|id| Upstream {
                    state: inventory
                        .get(&id)
                        .map_or_else(|| "no packet".to_string(), |p| p.describe()),
                    id,
                })
                .collect();
            let state = match facts {
                None => GateState::NoPacket,
                Some(p) if !p.is_validated() => GateState::NotValidated,
                Some(_) if !unresolved.is_empty() => GateState::Blocked,
                Some(_) => GateState::Validated,
            };
            GateWp {
                id: e.id.clone(),
                state,
                line: e.line,
                column: e.column,
                packet: facts.map(|p| p.path.clone()),
                status: facts.map(|p| p.status_label()),
                status_raw: facts.and_then(|p| p.status.as_ref().map(|s| s.value.raw.clone())),
                status_kind: facts.and_then(|p| p.status_kind()),
                board_status: board.entry_status(e).map(|k| k.label().to_string()),
                last_verdict: facts.and_then(|p| p.last_verdict.as_ref().map(|v| v.value.as_str())),
                verdict_line: facts.and_then(|p| p.last_verdict.as_ref().map(|v| v.line)),
                unresolved,
            }
        })
        .collect();
    Gate {
        phase,
        title: s.title.clone(),
        path: board.path.clone(),
        line: s.line,
        wps,
    }
}

/// Every phase gate on the board, in board order (the first section per phase).
pub fn all(board: &Board, inventory: &Inventory, graph: &Graph) -> Vec<Gate> {
    board
        .phases()
        .iter()
        .filter_map(|p| board.phase_gate(p).map(|(i, _)| i))
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .map(|i| evaluate(board, i, inventory, graph))
        .collect()
}

/// The gate's own findings: empty gates, WPs not validated, unresolved upstream.
pub fn diagnostics(gate: &Gate) -> Vec<Diagnostic> {
    if gate.wps.is_empty() {
        return vec![Diagnostic::new(
            &brd::GATE_EMPTY,
            format!("`{}` lists no WP entries gov can read", gate.title),
        )
        .at_line(gate.path.clone(), gate.line)];
    }
    let mut out = Vec::new();
    for w in &gate.wps {
        let at = |d: Diagnostic| d.at(gate.path.clone(), w.line, w.column);
        match w.state {
            GateState::NoPacket => out.push(at(Diagnostic::new(
                &brd::GATE_NOT_VALIDATED,
                format!("{} has no packet, so it cannot be VALIDATED", w.id),
            ))),
            GateState::NotValidated => out.push(at(Diagnostic::new(
                &brd::GATE_NOT_VALIDATED,
                format!("{} is not VALIDATED: {}", w.id, w.why_not()),
            ))),
            GateState::Validated | GateState::Blocked => {}
        }
        if !w.unresolved.is_empty() {
            let list: Vec<String> = w
                .unresolved
                .iter()
                .map(|u| format!("{} ({})", u.id, u.state))
                .collect();
            out.push(at(Diagnostic::new(
                &brd::GATE_BLOCKER_UNRESOLVED,
                format!(
                    "{} depends on WPs that are not validated: {}",
                    w.id,
                    list.join("; ")
                ),
            )));
        }
    }
    out
}
