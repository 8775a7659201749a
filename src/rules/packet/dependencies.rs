//! Blockers are validated; no file-lock overlap with In-Progress packets; packet and
//! board agree on the status.

use super::PacketCheck;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::model::board::{Board, SectionKind};
use crate::model::packet::Packet;
use crate::model::status::StatusKind;
use crate::model::wp_id::{spelled_out, Lineage, WpId};
use std::sync::Arc;

pub fn check(c: &PacketCheck) -> Vec<Diagnostic> {
    let mut out = lookalikes(c);
    out.extend(blockers(c));
    out.extend(file_locks(c));
    out.extend(drift(c));
    out
}

/// Dependency ids with lookalike or invisible characters: never cut into another id.
fn lookalikes(c: &PacketCheck) -> Vec<Diagnostic> {
    c.packet
        .dependency_lookalikes()
        .into_iter()
        .map(|w| {
            c.at(
                &pkt::DEPENDENCY_LOOKALIKE,
                format!(
                    "dependency `{}` holds U+{:04X} (a lookalike or invisible character); it names no WP gov can check",
                    spelled_out(&w.value.word),
                    w.value.character as u32
                ),
                w.line,
                w.column,
            )
        })
        .collect()
}

fn blockers(c: &PacketCheck) -> Vec<Diagnostic> {
    let p = c.packet;
    let mut named: Vec<(WpId, usize, usize, &'static str)> = p
        .dependencies()
        .into_iter()
        .map(|d| (d.value, d.line, d.column, "packet"))
        .collect();
    for e in c.board.entries_for(&p.id) {
        for b in &e.blockers {
            if !named.iter().any(|(id, ..)| id == b) {
                named.push((b.clone(), e.line, e.column, "board"));
            }
        }
    }
    let mut out = Vec::new();
    for (id, line, col, source) in named {
        let at = |d: Diagnostic| {
            if source == "board" {
                d.at(c.board.path.clone(), line, col)
            } else {
                d.at(p.path.clone(), line, col)
            }
        };
        let Some((resolved, dep)) = resolve(c, &id) else {
            out.push(at(Diagnostic::new(
                &pkt::DEPENDENCY_UNKNOWN,
                format!("dependency {id} has no packet"),
            )));
            continue;
        };
        let shown = if resolved == id {
            id.to_string()
        } else {
            format!("{id} (newest revision {resolved})")
        };
        let verdict = dep.last_verdict();
        if crate::model::packet::is_validated(verdict.as_ref().map(|v| v.value)) {
            continue;
        }
        let status = dep
            .status()
            .map(|s| s.value.label())
            .unwrap_or_else(|| "no status".into());
        let state = match verdict {
            Some(v) => format!("status {status}, last verdict {}", v.value.as_str()),
            None => format!("status {status}, no validation verdict"),
        };
        out.push(at(Diagnostic::new(
            &pkt::DEPENDENCY_NOT_VALIDATED,
            format!("blocker {shown} is not validated ({state})"),
        )));
    }
    out
}

/// The packet a dependency names: its own unless that is missing or Superseded,
/// else the newest revision of its lineage on the board (a build-order base id, a
/// revision since replaced).
fn resolve(c: &PacketCheck, id: &WpId) -> Option<(WpId, Arc<Packet>)> {
    let own = (c.load)(id);
    let live = own.as_ref().is_some_and(|p| {
        !p.status()
            .is_some_and(|s| s.value.is(StatusKind::Superseded))
    });
    if live {
        return own.map(|p| (id.clone(), p));
    }
    let newest = Lineage::new(c.board.ids())
        .resolve(id, |_| false)
        .filter(|n| n != id)
        .and_then(|n| (c.load)(&n).map(|p| (n, p)));
    newest.or_else(|| own.map(|p| (id.clone(), p)))
}

/// The board's In Progress (and Active) entries: the lock table [CX-CONC-001]. Built
/// once per board, so checking thousands of packets does not walk the board each time.
pub struct LockTable {
    ids: Vec<WpId>,
}

impl LockTable {
    pub fn of(board: &Board) -> LockTable {
        let mut seen = std::collections::HashSet::new();
        let ids = board
            .entries
            .iter()
            .filter(|e| {
                board.entry_status(e) == Some(StatusKind::InProgress)
                    || board.sections[e.section].kind == SectionKind::Active
            })
            .filter(|e| seen.insert(&e.id))
            .map(|e| e.id.clone())
            .collect();
        LockTable { ids }
    }
}

fn file_locks(c: &PacketCheck) -> Vec<Diagnostic> {
    let p = c.packet;
    let mine = p.in_scope_paths();
    if mine.is_empty() {
        return Vec::new();
    }
    let others = c.locks.ids.iter().filter(|id| **id != p.id);
    let mut out = Vec::new();
    for id in others {
        let Some(other) = (c.load)(id) else { continue };
        let theirs = other.in_scope_paths();
        for m in &mine {
            let overlapping: Vec<&str> = theirs
                .iter()
                .filter(|t| overlaps(&m.value, &t.value))
                .map(|t| t.value.as_str())
                .collect();
            if !overlapping.is_empty() {
                out.push(c.at(
                    &pkt::FILE_LOCK_OVERLAP,
                    format!(
                        "`{}` overlaps In-Progress {id} ({}): {}",
                        m.value,
                        other.path,
                        overlapping.join(", ")
                    ),
                    m.line,
                    m.column,
                ));
            }
        }
    }
    out
}

/// Two scope entries overlap when equal or when one is a directory holding the other.
pub fn overlaps(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.trim_start_matches("./")
            .trim_start_matches('/')
            .to_string()
    };
    let (a, b) = (norm(a), norm(b));
    let under = |dir: &str, f: &str| {
        let d = dir.trim_end_matches('/');
        f.starts_with(&format!("{d}/"))
    };
    a.trim_end_matches('/') == b.trim_end_matches('/') || under(&a, &b) || under(&b, &a)
}

fn drift(c: &PacketCheck) -> Vec<Diagnostic> {
    let p = c.packet;
    let Some(status) = p.status() else {
        return Vec::new();
    };
    let Some(mine) = status.value.kind else {
        return Vec::new();
    };
    let Some(entry) = c.board.status_entry(&p.id) else {
        return vec![c
            .at(
                &pkt::BOARD_DRIFT,
                format!("{} is not on the task board {}", p.id, c.board.path),
                status.line,
                status.column,
            )
            .help("add the packet to the board section matching its STATUS")];
    };
    let Some(theirs) = c.board.entry_status(entry) else {
        return Vec::new();
    };
    let equivalent = mine == theirs
        || matches!(
            (mine, theirs),
            (StatusKind::Done, StatusKind::Validated) | (StatusKind::Validated, StatusKind::Done)
        );
    if equivalent {
        return Vec::new();
    }
    vec![c.at(
        &pkt::BOARD_DRIFT,
        format!(
            "packet STATUS is {} but the board ({}:{}) shows {}",
            mine.label(),
            c.board.path,
            entry.line,
            theirs.label()
        ),
        status.line,
        status.column,
    )]
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn overlap_rules() {
        assert!(overlaps("src/a.rs", "src/a.rs"));
        assert!(overlaps("src/storage/", "src/storage/mod.rs"));
        assert!(overlaps("/src/a.rs", "src/a.rs"));
        assert!(!overlaps("src/a.rs", "src/ab.rs"));
        assert!(!overlaps("src/store", "src/storage/x.rs"));
    }
}
