//! The documents one move reads, as exact bytes (for writing back and rollback),
//! re-read under the lock so a concurrent move is seen.

use super::VerdictSpec;
use crate::commands::record_signature::Exact;
use crate::diag::codes::{gov, refinement as rcode};
use crate::diag::Diagnostic;
use crate::edit::report::NewReport;
use crate::edit::HiddenEntry;
use crate::error::GovError;
use crate::model::gate_state::GateState;
use crate::model::lifecycle::State;
use crate::model::packet::{Packet, Verdict};
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::text::Source;
use std::path::PathBuf;

pub struct Documents {
    pub packet_file: Exact,
    pub packet: Packet,
    pub board: Exact,
    /// The gate state file and its log, when the file exists.
    pub gate: Option<(Exact, GateState)>,
    pub gate_rel: String,
    pub gate_path: PathBuf,
    /// The state of the packet named by `--by` (supersede), once checked.
    pub replacement_state: Option<State>,
}

impl Documents {
    pub fn read(repo: &Repo, id: &WpId) -> Result<Documents, GovError> {
        let rel = repo
            .packet_path(id)?
            .ok_or_else(|| GovError::UnknownPacket {
                id: id.clone(),
                path: repo.layout.packets.clone(),
                stub: repo.stub_path(id),
            })?;
        repo.read_markdown(&rel, "packet")?; // refuses an oversized packet
        let packet_file = Exact::read(repo, &rel, "packet")?;
        let packet = Packet::parse(
            id.clone(),
            Source::from_string(rel.clone(), packet_file.text.clone(), None),
        );
        repo.read_markdown(&repo.layout.task_board, "task board")?;
        let board = Exact::read(repo, &repo.layout.task_board, "task board")?;
        let gate_rel = repo.layout.gate_state.clone();
        let gate_path = crate::paths::resolve_inside(&repo.root, &gate_rel).map_err(|u| {
            Diagnostic::new(
                &gov::PATH_ESCAPES_ROOT,
                format!("{} is refused: {}", u.path, u.reason),
            )
        })?;
        let gate = load_gate_state_exact(repo)?;
        Ok(Documents {
            packet_file,
            packet,
            board,
            gate,
            gate_rel,
            gate_path,
            replacement_state: None,
        })
    }

    pub fn last_verdict(&self) -> Option<Verdict> {
        self.packet.last_verdict().map(|v| v.value)
    }

    /// Whether the packet's last report is this one (a repeated verdict command).
    pub fn ends_with_report(&self, v: &VerdictSpec) -> bool {
        if self.last_verdict() != Some(v.verdict) {
            return false;
        }
        let block = NewReport {
            validator: &v.validator,
            timestamp: "",
            verdict: v.verdict,
            body: &v.body,
        }
        .block("\n");
        let text = self.packet_file.text.replace("\r\n", "\n");
        let Some(start) = text.rfind("### VALIDATION REPORT") else {
            return false;
        };
        let last = &text[start..];
        block
            .lines()
            .filter(|l| !l.starts_with("### VALIDATION REPORT") && !l.starts_with("- Timestamp:"))
            .all(|l| last.contains(l))
    }

    pub fn hidden_entry(&self, h: HiddenEntry) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::new(
                &gov::WRITE_FAILED,
                format!("the entry would not be read back from the task board: the Markdown around line {} hides it", h.line),
            )
            .at_line(self.board.rel.clone(), h.line)
            .help("close the code block (or HTML block) that runs to this line, then run the command again; nothing was written"),
        )
    }
}

/// The gate state as exact bytes and its parsed log, or `None` when the file does
/// not exist. A file that is not UTF-8 or not gate-state JSON cannot be appended to.
pub(crate) fn load_gate_state_exact(repo: &Repo) -> Result<Option<(Exact, GateState)>, GovError> {
    let rel = &repo.layout.gate_state;
    if !repo.exists(rel) {
        return Ok(None);
    }
    let file = Exact::read(repo, rel, "gate state")?;
    let state = GateState::parse(&file.text).map_err(|e| {
        GovError::from(
            Diagnostic::new(
                &rcode::GATE_STATE_INVALID,
                format!("{rel} cannot be read: {}", e.reason),
            )
            .at(rel.clone(), e.line, e.column),
        )
    })?;
    Ok(Some((file, state)))
}
