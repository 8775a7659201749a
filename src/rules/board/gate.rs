//! Phase closure gates: the WPs listed under `Phase N Closure Gates (BLOCKING)`, each
//! with its state. A gate WP is clear when its packet is VALIDATED (last verdict
//! PASS) and everything it depends on, directly or not, is VALIDATED too. Shared by
//! `phase-gate`, which turns a gate into diagnostics, and `status`.

use super::Graph;
use crate::diag::codes::brd;
use crate::diag::Diagnostic;
use crate::model::board::{normalize_phase, Board, Entry, SectionKind};
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use crate::rules::inventory::Inventory;
use serde::Serialize;
use std::collections::BTreeSet;

/// Where a gate WP stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GateState {
    /// VALIDATED, with every upstream WP validated.
    Validated,
    /// Not VALIDATED itself (its counted verdict is not PASS).
    NotValidated,
    /// Listed in the gate but no packet exists (GAP).
    NoPacket,
    /// VALIDATED itself, but an upstream WP is not.
    Blocked,
}

/// An upstream WP that is not validated.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Upstream {
    pub id: WpId,
    /// `status In Progress, no validation verdict`, or `no packet`.
    pub state: String,
}

/// One WP of a phase's closure gate.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    /// The packet's counted validation verdict (`PASS`, `FAIL`, ...), or null.
    pub last_verdict: Option<&'static str>,
    /// 1-based line of that verdict in the packet, or null.
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

/// A section the gate was read from.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GateSection {
    pub title: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    /// The normalised phase (`1`).
    pub phase: String,
    pub title: String,
    pub path: String,
    pub line: usize,
    /// Every closure-gate section of the phase (one gate may be written in several).
    pub sections: Vec<GateSection>,
    /// The board has no closure-gate section for the phase: the gate is every active
    /// (not Stub, not Superseded) board entry whose id carries the phase.
    pub derived: bool,
    pub wps: Vec<GateWp>,
    /// Lines in the gate's sections that name a WP gov cannot read: errors, so no WP
    /// drops out of the gate unseen.
    #[serde(skip)]
    pub unreadable: Vec<Diagnostic>,
}

impl Gate {
    pub fn clear(&self) -> usize {
        self.wps
            .iter()
            .filter(|w| w.state == GateState::Validated)
            .count()
    }

    /// The phase may close as far as its WPs go: some listed, all clear, and every
    /// line of the gate read.
    pub fn is_clear(&self) -> bool {
        !self.wps.is_empty() && self.clear() == self.wps.len() && self.unreadable.is_empty()
    }
}

/// Whether a board entry belongs to a derived gate for `phase`: its id carries the
/// phase, it sits in a status section (or Active), and its board status is neither
/// Stub nor Superseded.
fn active_in_phase(board: &Board, e: &Entry, phase: &str) -> bool {
    let section = &board.sections[e.section].kind;
    let listed = section.implied_status().is_some() || *section == SectionKind::Active;
    listed
        && normalize_phase(e.id.phase()) == phase
        && !matches!(
            board
                .status_entry(&e.id)
                .and_then(|s| board.entry_status(s)),
            Some(StatusKind::Stub | StatusKind::Superseded)
        )
}

/// Whether the board names any WP of `phase`, in a gate section or as an active
/// entry: what `phase-gate` checks before it parses anything else.
pub fn phase_known(board: &Board, phase: &str) -> bool {
    !phase.is_empty()
        && (!board.phase_gates(phase).is_empty()
            || board
                .entries
                .iter()
                .any(|e| active_in_phase(board, e, phase)))
}

/// The gate of `phase`: every closure-gate section of it, or, with none, the board's
/// active entries of the phase (possibly none: the caller decides whether the phase
/// exists, see [`phase_known`]). `None` for an empty phase name.
pub fn for_phase(board: &Board, phase: &str, inventory: &Inventory, graph: &Graph) -> Option<Gate> {
    let phase = normalize_phase(phase);
    if phase.is_empty() {
        return None;
    }
    let sections = board.phase_gates(&phase);
    let derived = sections.is_empty();
    let entries: Vec<&Entry> = if derived {
        board
            .entries
            .iter()
            .filter(|e| active_in_phase(board, e, &phase))
            .collect()
    } else {
        board
            .entries
            .iter()
            .filter(|e| sections.contains(&e.section))
            .collect()
    };
    let in_gate = |section: usize| {
        if derived {
            board.sections[section].kind != SectionKind::Other
        } else {
            sections.contains(&section)
        }
    };
    let mut unreadable: Vec<Diagnostic> = board
        .lookalikes
        .iter()
        .filter(|l| in_gate(l.section))
        .map(|l| {
            Diagnostic::new(
                &brd::ID_LOOKALIKE,
                super::sections::lookalike_text(&board.sections[l.section].title, l),
            )
            .at(board.path.clone(), l.line, l.column)
        })
        .collect();
    if !derived {
        unreadable.extend(board.unread.iter().filter(|u| in_gate(u.section)).map(|u| {
            Diagnostic::new(
                &brd::GATE_LINE_UNREADABLE,
                format!(
                    "`{}` in gate section `{}` names a WP but is not an entry gov can read",
                    super::sections::shorten(&u.text),
                    board.sections[u.section].title
                ),
            )
            .at(board.path.clone(), u.line, u.column)
        }));
    }
    let first = sections.first().map(|&i| &board.sections[i]);
    Some(Gate {
        title: first.map_or_else(
            || format!("Phase {phase} (derived: active WPs of phase {phase})"),
            |s| s.title.clone(),
        ),
        line: first.map_or(1, |s| s.line),
        sections: sections
            .iter()
            .map(|&i| GateSection {
                title: board.sections[i].title.clone(),
                line: board.sections[i].line,
            })
            .collect(),
        phase,
        path: board.path.clone(),
        derived,
        wps: evaluate_entries(board, &entries, inventory, graph),
        unreadable,
    })
}

/// Each WP of the gate once, in board order, with its state.
fn evaluate_entries(
    board: &Board,
    entries: &[&Entry],
    inventory: &Inventory,
    graph: &Graph,
) -> Vec<GateWp> {
    let mut seen: BTreeSet<&WpId> = BTreeSet::new();
    entries
        .iter()
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
        .collect()
}

/// Every phase gate on the board, in phase order: one per phase with a closure-gate
/// section (several sections of a phase are one gate).
pub fn all(board: &Board, inventory: &Inventory, graph: &Graph) -> Vec<Gate> {
    board
        .phases()
        .iter()
        .filter_map(|p| for_phase(board, p, inventory, graph))
        .collect()
}

/// The gate's own findings: empty gates, WPs not validated, unresolved upstream,
/// lines of the gate gov cannot read; a derived gate says so.
pub fn diagnostics(gate: &Gate) -> Vec<Diagnostic> {
    let mut out = gate.unreadable.clone();
    if gate.derived {
        out.push(
            Diagnostic::new(
                &brd::GATE_DERIVED,
                format!(
                    "the board has no closure-gate section for phase {}: the gate is its active WPs whose id carries the phase ({})",
                    gate.phase,
                    gate.wps.len()
                ),
            )
            .in_file(gate.path.clone()),
        );
    }
    if gate.wps.is_empty() {
        out.push(
            Diagnostic::new(
                &brd::GATE_EMPTY,
                format!("`{}` lists no WP entries gov can read", gate.title),
            )
            .at_line(gate.path.clone(), gate.line),
        );
        return out;
    }
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
