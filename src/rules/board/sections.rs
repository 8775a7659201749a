//! The board's shape: the fixed sections exist, and every line that names a WP was
//! read (as an entry, or as a nested line of one) with a status gov recognises.

use super::{BoardCheck, Finding, FindingKind};
use crate::diag::codes::brd;
use crate::diag::Diagnostic;
use crate::model::board::SectionKind;

pub fn fixed(c: &BoardCheck) -> Vec<Finding> {
    SectionKind::FIXED
        .iter()
        .filter(|(_, kind)| !c.board.sections.iter().any(|s| &s.kind == kind))
        .map(|(title, _)| {
            let d = Diagnostic::new(
                &brd::SECTION_MISSING,
                format!("the board has no `## {title}` section"),
            )
            .in_file(c.board.path.clone())
            .help(format!("add `## {title}` (it may stay empty)"));
            Finding::new(FindingKind::Structure, Vec::new(), d)
        })
        .collect()
}

pub fn unreadable(c: &BoardCheck) -> Vec<Finding> {
    let mut out: Vec<Finding> = c
        .board
        .unread
        .iter()
        .map(|u| {
            let section = &c.board.sections[u.section].title;
            let d = Diagnostic::new(
                &brd::ENTRY_UNREADABLE,
                format!(
                    "`{}` in section `{section}` names a WP but is not an entry gov can read",
                    shorten(&u.text)
                ),
            )
            .at(c.board.path.clone(), u.line, u.column);
            let wps = crate::model::wp_id::ids_in(&u.text)
                .into_iter()
                .map(|(_, id)| id)
                .collect();
            Finding::new(FindingKind::Unreadable, wps, d)
        })
        .collect();
    for e in &c.board.entries {
        let Some(status) = &e.explicit else { continue };
        if c.board.sections[e.section].kind == SectionKind::Historical {
            continue; // baseline tokens there are labels, not statuses
        }
        if status.kind.is_some() {
            continue;
        }
        let Some((line, column)) = e.status_at else {
            continue;
        };
        let d = Diagnostic::new(
            &brd::BOARD_STATUS_UNKNOWN,
            format!(
                "{}: status `{}` is not a status gov knows",
                e.id, status.raw
            ),
        )
        .at(c.board.path.clone(), line, column);
        out.push(Finding::new(
            FindingKind::UnknownStatus,
            vec![e.id.clone()],
            d,
        ));
    }
    out
}

/// Id-shaped words with lookalike hyphens or invisible characters, anywhere on the
/// board: reported where they are, never read as (or cut into) another id.
pub fn lookalikes(c: &BoardCheck) -> Vec<Finding> {
    c.board
        .lookalikes
        .iter()
        .map(|l| {
            let d = Diagnostic::new(&brd::ID_LOOKALIKE, lookalike_message(c, l)).at(
                c.board.path.clone(),
                l.line,
                l.column,
            );
            Finding::new(FindingKind::Unreadable, Vec::new(), d)
        })
        .collect()
}

pub(super) fn lookalike_message(c: &BoardCheck, l: &crate::model::board::Lookalike) -> String {
    lookalike_text(&c.board.sections[l.section].title, l)
}

/// `` `WP-1-A‑Fix` in section `Done` holds U+2011 ... ``, shared with phase-gate.
pub fn lookalike_text(section: &str, l: &crate::model::board::Lookalike) -> String {
    format!(
        "`{}` in section `{section}` looks like a WP id but holds U+{:04X} (a lookalike or invisible character); it is not read as an entry",
        crate::model::wp_id::spelled_out(&l.word),
        l.character as u32
    )
}

/// Long free-text lines are cut for messages.
pub(super) fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX).collect();
    format!("{cut}…")
}
