//! The governance documents and the stable names discovery knows them by.

use crate::config::{Layout, PathsConfig};
use serde::Serialize;

/// A governance document kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Doc {
    SpecPointer,
    TaskBoard,
    SignatureAudit,
    Packets,
    Stubs,
    Refinements,
    PacketTemplate,
    GateState,
}

impl Doc {
    /// In discovery order: packets before the stubs and template that sit beside them.
    pub const ALL: &'static [Doc] = &[
        Doc::SpecPointer,
        Doc::TaskBoard,
        Doc::SignatureAudit,
        Doc::Packets,
        Doc::Stubs,
        Doc::Refinements,
        Doc::PacketTemplate,
        Doc::GateState,
    ];

    /// The gov.yaml `paths:` key that settles this document.
    pub fn key(self) -> &'static str {
        match self {
            Doc::SpecPointer => "spec_pointer",
            Doc::TaskBoard => "task_board",
            Doc::SignatureAudit => "signature_audit",
            Doc::Packets => "packets",
            Doc::Stubs => "stubs",
            Doc::Refinements => "refinements",
            Doc::PacketTemplate => "packet_template",
            Doc::GateState => "gate_state",
        }
    }

    /// How messages name it.
    pub fn what(self) -> &'static str {
        match self {
            Doc::SpecPointer => "spec pointer",
            Doc::TaskBoard => "task board",
            Doc::SignatureAudit => "signature audit",
            Doc::Packets => "packets folder",
            Doc::Stubs => "stubs folder",
            Doc::Refinements => "refinements folder",
            Doc::PacketTemplate => "packet template",
            Doc::GateState => "gate state",
        }
    }

    /// The stable file (or folder) name discovery matches first.
    pub fn display_name(self) -> &'static str {
        self.names()[0]
    }

    /// Exact names (case-sensitive, never by suffix: `X_TASK_BOARD.md` is not a board).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Doc::SpecPointer => &["SPEC_CURRENT.md"],
            Doc::TaskBoard => &["TASK_BOARD.md"],
            Doc::SignatureAudit => &["SIGNATURE_AUDIT.md"],
            Doc::Packets => &["task_packets", "work_packets"],
            Doc::Stubs => &["stubs"],
            Doc::Refinements => &["refinements"],
            Doc::PacketTemplate => &["TASK_PACKET_TEMPLATE.md"],
            Doc::GateState => &["ORCHESTRATOR_GATES.json"],
        }
    }

    /// Folders, not files.
    pub fn is_folder(self) -> bool {
        matches!(self, Doc::Packets | Doc::Stubs | Doc::Refinements)
    }

    /// Required by most commands: a missing one is exit 2 where it is read.
    pub fn required(self) -> bool {
        matches!(
            self,
            Doc::SpecPointer | Doc::TaskBoard | Doc::SignatureAudit | Doc::Packets
        )
    }

    /// The document for a stable name.
    pub fn for_name(name: &str, folder: bool) -> Option<Doc> {
        Doc::ALL
            .iter()
            .copied()
            .filter(|d| *d != Doc::Stubs)
            .find(|d| d.is_folder() == folder && d.names().contains(&name))
    }

    pub fn path_in(self, l: &Layout) -> &str {
        match self {
            Doc::SpecPointer => &l.spec_pointer,
            Doc::TaskBoard => &l.task_board,
            Doc::SignatureAudit => &l.signature_audit,
            Doc::Packets => &l.packets,
            Doc::Stubs => &l.stubs,
            Doc::Refinements => &l.refinements,
            Doc::PacketTemplate => &l.packet_template,
            Doc::GateState => &l.gate_state,
        }
    }

    pub fn slot(self, l: &mut Layout) -> &mut String {
        match self {
            Doc::SpecPointer => &mut l.spec_pointer,
            Doc::TaskBoard => &mut l.task_board,
            Doc::SignatureAudit => &mut l.signature_audit,
            Doc::Packets => &mut l.packets,
            Doc::Stubs => &mut l.stubs,
            Doc::Refinements => &mut l.refinements,
            Doc::PacketTemplate => &mut l.packet_template,
            Doc::GateState => &mut l.gate_state,
        }
    }

    pub fn configured(self, p: &PathsConfig) -> Option<&str> {
        match self {
            Doc::SpecPointer => &p.spec_pointer,
            Doc::TaskBoard => &p.task_board,
            Doc::SignatureAudit => &p.signature_audit,
            Doc::Packets => &p.packets,
            Doc::Stubs => &p.stubs,
            Doc::Refinements => &p.refinements,
            Doc::PacketTemplate => &p.packet_template,
            Doc::GateState => &p.gate_state,
        }
        .as_deref()
    }
}
