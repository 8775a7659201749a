//! Board and packets list the same WPs: every board entry has a packet, every packet
//! (stubs aside) is on the board.

use super::{BoardCheck, Finding, FindingKind};
use crate::diag::codes::brd;
use crate::diag::Diagnostic;
use crate::model::board::{Entry, SectionKind};
use crate::model::status::StatusKind;

/// The first entry of each WP, in board order.
pub(super) fn first_entries<'a>(c: &BoardCheck<'a>) -> Vec<&'a Entry> {
    c.board.first_entries()
}

pub fn entries_have_packets(c: &BoardCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in first_entries(c) {
        if c.inventory.is_known(&e.id) {
            continue;
        }
        // historical baselines and superseded ids need no file (the board keeps them)
        if matches!(
            c.board.sections[e.section].kind,
            SectionKind::Historical | SectionKind::Superseded
        ) {
            continue;
        }
        // planned work (Backlog, `GAP - packet not yet created`) has no packet yet
        let status = c
            .board
            .status_entry(&e.id)
            .and_then(|s| c.board.entry_status(s));
        if matches!(status, Some(StatusKind::Backlog | StatusKind::Stub)) {
            continue;
        }
        let d = c.at_entry(
            &brd::ENTRY_WITHOUT_PACKET,
            format!(
                "{} (section `{}`) has no packet in {}",
                e.id,
                c.section_of(e),
                c.inventory.dir
            ),
            e,
        );
        out.push(Finding::new(FindingKind::NoPacket, vec![e.id.clone()], d));
    }
    out
}

pub fn packets_are_on_board(c: &BoardCheck) -> Vec<Finding> {
    // the packets and the board's WPs, both in id order, walked side by side
    let mut on_board = c.board.ids().peekable();
    c.inventory
        .packets
        .values()
        .filter(|p| {
            while on_board.next_if(|id| **id < p.id).is_some() {}
            on_board.peek() != Some(&&p.id)
        })
        .map(|p| {
            let msg = format!(
                "{} ({}) is not on the task board {}",
                p.id,
                p.status_label(),
                c.board.path
            );
            let d = match &p.status {
                Some(s) => Diagnostic::new(&brd::PACKET_NOT_ON_BOARD, msg).at(
                    p.path.clone(),
                    s.line,
                    s.column,
                ),
                None => Diagnostic::new(&brd::PACKET_NOT_ON_BOARD, msg).in_file(p.path.clone()),
            };
            Finding::new(FindingKind::NotOnBoard, vec![p.id.clone()], d)
        })
        .collect()
}
