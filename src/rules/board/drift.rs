//! Board and packets agree on each WP's status: the same status, one status section
//! per WP, and Done/VALIDATED only with a passing validation report.

use super::{BoardCheck, Finding, FindingKind};
use crate::diag::codes::brd;
use crate::model::board::Entry;
use crate::model::status::StatusKind;

/// Statuses that say the same thing in board and packet vocabulary.
pub fn equivalent(a: StatusKind, b: StatusKind) -> bool {
    use StatusKind::*;
    a == b
        || matches!(
            (a, b),
            (Done, Validated) | (Validated, Done) | (Stub, Backlog) | (Backlog, Stub)
        )
}

pub fn status_agrees(c: &BoardCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &c.board.entries {
        let Some(theirs) = c.board.entry_status(e) else {
            continue;
        };
        let msg = if let Some(p) = c.inventory.get(&e.id) {
            let Some(mine) = p.status_kind() else {
                continue;
            };
            if equivalent(mine, theirs) {
                continue;
            }
            let line = p.status.as_ref().map_or(1, |s| s.line);
            format!(
                "{}: the board (section `{}`) shows {} but the packet ({}:{line}) says {}",
                e.id,
                c.section_of(e),
                theirs.label(),
                p.path,
                mine.label()
            )
        } else if let Some(stub) = c.inventory.stubs.get(&e.id) {
            // a stub folded into other work sits in Superseded, and that is fine
            if equivalent(StatusKind::Stub, theirs) || theirs == StatusKind::Superseded {
                continue;
            }
            format!(
                "{}: the board (section `{}`) shows {} but it is only a stub ({stub}), not an activated packet",
                e.id,
                c.section_of(e),
                theirs.label()
            )
        } else {
            continue;
        };
        let d = c.at_entry(&brd::STATUS_MISMATCH, msg, e);
        out.push(Finding::new(
            FindingKind::StatusMismatch,
            vec![e.id.clone()],
            d,
        ));
    }
    out
}

/// A status token written on an entry agrees with the section it is listed in:
/// `[READY_FOR_DEV]` under `## Blocked` is drift. Superseded may hold stubs.
pub fn token_agrees(c: &BoardCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &c.board.entries {
        let Some(token) = e.explicit.as_ref().and_then(|s| s.kind) else {
            continue;
        };
        let Some(section) = c.board.sections[e.section].kind.implied_status() else {
            continue;
        };
        let archived_stub = section == StatusKind::Superseded
            && matches!(token, StatusKind::Stub | StatusKind::Backlog);
        if equivalent(token, section) || archived_stub {
            continue;
        }
        let written = e.explicit.as_ref().map_or("", |s| s.raw.as_str());
        let d = c.at_entry(
            &brd::TOKEN_CONTRADICTS_SECTION,
            format!(
                "{}: its token `{written}` says {} but it is listed under `{}` ({})",
                e.id,
                token.label(),
                c.section_of(e),
                section.label()
            ),
            e,
        );
        out.push(Finding::new(
            FindingKind::TokenContradictsSection,
            vec![e.id.clone()],
            d,
        ));
    }
    out
}

pub fn duplicates(c: &BoardCheck) -> Vec<Finding> {
    let in_status_section = |e: &Entry| c.board.sections[e.section].kind.implied_status().is_some();
    let mut out = Vec::new();
    for (e, earlier) in c.board.repeated_entries(in_status_section) {
        let msg = if earlier.section == e.section {
            format!(
                "{} is listed twice in `{}` (also at {})",
                e.id,
                c.section_of(e),
                c.where_is(earlier)
            )
        } else {
            format!(
                "{} is listed in `{}` and in `{}` ({})",
                e.id,
                c.section_of(e),
                c.section_of(earlier),
                c.where_is(earlier)
            )
        };
        let d = c.at_entry(&brd::DUPLICATE_ENTRY, msg, e);
        out.push(Finding::new(FindingKind::Duplicate, vec![e.id.clone()], d));
    }
    out
}

pub fn done_is_validated(c: &BoardCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for wp in c.board.wps_in_board_order() {
        let entries = wp.iter().map(|&i| &c.board.entries[i]);
        let done = entries.clone().find(|e| {
            matches!(
                c.board.entry_status(e),
                Some(StatusKind::Done | StatusKind::Validated)
            )
        });
        let Some(e) = done else { continue };
        let Some(p) = c.inventory.get(&e.id) else {
            continue;
        };
        if p.is_validated() {
            continue;
        }
        let shown = c.board.entry_status(e).map_or("Done", StatusKind::label);
        let why = match &p.last_verdict {
            Some(v) => format!(
                "its last validation verdict is {} ({}:{})",
                v.value.as_str(),
                p.path,
                v.line
            ),
            None => format!("{} has no validation report with a verdict", p.path),
        };
        let d = c.at_entry(
            &brd::DONE_NOT_VALIDATED,
            format!(
                "the board shows {} as {shown} (section `{}`) but {why}",
                e.id,
                c.section_of(e)
            ),
            e,
        );
        out.push(Finding::new(
            FindingKind::DoneNotValidated,
            vec![e.id.clone()],
            d,
        ));
    }
    out
}
