//! Every Blocked entry says what it waits for.

use super::{BoardCheck, Finding, FindingKind};
use crate::diag::codes::brd;
use crate::model::status::StatusKind;

pub fn has_reason(c: &BoardCheck) -> Vec<Finding> {
    c.board
        .entries
        .iter()
        .filter(|e| c.board.entry_status(e) == Some(StatusKind::Blocked))
        .filter(|e| e.blockers.is_empty() && e.reason.is_none())
        .map(|e| {
            let d = c.at_entry(
                &brd::BLOCKED_WITHOUT_REASON,
                format!(
                    "{} is Blocked (section `{}`) without a reason or a blocking WP",
                    e.id,
                    c.section_of(e)
                ),
                e,
            );
            Finding::new(FindingKind::BlockedWithoutReason, vec![e.id.clone()], d)
        })
        .collect()
}
