//! Gate 0 rules for one packet (`gov pre-work`).

mod anchors;
mod dependencies;
mod fields;
mod locked;
mod placeholders;
mod scope;
mod signature;
mod status;
pub mod verdict;

pub use dependencies::LockTable;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::audit::SignatureAudit;
use crate::model::board::Board;
use crate::model::packet::Packet;
use crate::model::spec::Spec;
use crate::model::wp_id::WpId;
use chrono::NaiveDateTime;
use std::path::Path;
use std::sync::Arc;

/// Everything a packet rule may look at.
pub struct PacketCheck<'a> {
    pub packet: &'a Packet,
    pub spec: &'a Spec,
    pub board: &'a Board,
    pub audit: &'a SignatureAudit,
    pub config: &'a Config,
    pub root: &'a Path,
    pub now: NaiveDateTime,
    /// The board's lock table (In Progress and Active entries).
    pub locks: &'a dependencies::LockTable,
    /// Loads another packet by id (dependencies, file locks); `None` if absent.
    pub load: &'a dyn Fn(&WpId) -> Option<Arc<Packet>>,
}

impl PacketCheck<'_> {
    pub fn at(
        &self,
        code: &crate::diag::CodeInfo,
        msg: impl Into<String>,
        line: usize,
        column: usize,
    ) -> Diagnostic {
        Diagnostic::new(code, msg).at(self.packet.path.clone(), line, column)
    }
}

/// Compiles the rules' patterns ahead of time. Callers that load large documents on
/// other threads run this meanwhile, so the compile cost leaves the critical path.
pub fn prepare() {
    placeholders::prepare();
}

/// Runs every pre-work rule; each problem is its own diagnostic.
pub fn pre_work(c: &PacketCheck) -> Vec<Diagnostic> {
    let rules: [fn(&PacketCheck) -> Vec<Diagnostic>; 11] = [
        fields::required,
        fields::task_id,
        placeholders::check,
        status::status,
        status::risk_tier,
        scope::check,
        anchors::check,
        signature::check,
        locked::check,
        dependencies::check,
        |c| verdict::findings(c.packet),
    ];
    rules.iter().flat_map(|rule| rule(c)).collect()
}
