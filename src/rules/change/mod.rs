//! Gate 1 rules (`gov post-work`): checks of a packet against the change it claims to
//! complete. One family per file, each run over a [`ChangeCheck`] and reported as its
//! own [`CheckResult`], so the manifest result, the TEST_PLAN results and the evidence
//! mapping stay separate claims (no collapsed PASS signal).

mod ascii;
mod evidence;
mod locked;
mod manifest;
mod nonempty;
mod outcomes;
mod review;
pub(crate) mod scope;

use crate::config::{Config, Layout};
use crate::diag::{CodeInfo, Diagnostic, Severity};
use crate::git::{ChangeSet, FileContent, Selection};
use crate::model::packet::Packet;
use std::rc::Rc;

/// Which side of the diff a file is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Base,
    Head,
}

/// Everything a change rule may look at.
pub struct ChangeCheck<'a> {
    pub packet: &'a Packet,
    pub config: &'a Config,
    pub layout: &'a Layout,
    pub selection: &'a Selection,
    pub changes: &'a ChangeSet,
    /// Reads a root-relative file on one side of the diff (cached by the caller).
    pub content: &'a dyn Fn(Side, &str) -> Rc<FileContent>,
}

impl ChangeCheck<'_> {
    /// Governance documents are exempt from scope and manifest: the board, the audit,
    /// this packet, its refinement, the spec pointer and the gate state file.
    pub fn is_governance(&self, path: &str) -> bool {
        let l = self.layout;
        let refinement = format!("{}/{}", l.refinements, self.packet.id);
        [
            &l.task_board,
            &l.signature_audit,
            &l.spec_pointer,
            &l.gate_state,
            &self.packet.path,
        ]
        .iter()
        .any(|g| g.as_str() == path)
            || path == format!("{refinement}.md")
            || path.starts_with(&format!("{refinement}/"))
    }

    /// A diagnostic located in the packet.
    pub fn at(
        &self,
        code: &CodeInfo,
        msg: impl Into<String>,
        line: usize,
        column: usize,
    ) -> Diagnostic {
        Diagnostic::new(code, msg).at(self.packet.path.clone(), line, column)
    }

    /// A diagnostic about the packet as a whole (no line).
    pub fn in_packet(&self, code: &CodeInfo, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, msg).in_file(self.packet.path.clone())
    }
}

/// One diagnostic, and the changed file it is a verdict on (if any).
#[derive(Debug, Clone)]
pub struct Finding {
    pub diag: Diagnostic,
    pub file: Option<String>,
}

impl Finding {
    pub fn packet(diag: Diagnostic) -> Finding {
        Finding { diag, file: None }
    }

    pub fn file(diag: Diagnostic, file: &str) -> Finding {
        Finding {
            diag,
            file: Some(file.to_string()),
        }
    }
}

/// The outcome of one check: whether it applied to this packet, and what it found.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub name: &'static str,
    pub applied: bool,
    pub findings: Vec<Finding>,
}

impl CheckResult {
    pub fn new(name: &'static str, findings: Vec<Finding>) -> CheckResult {
        CheckResult {
            name,
            applied: true,
            findings,
        }
    }

    pub fn skipped(name: &'static str) -> CheckResult {
        CheckResult {
            name,
            applied: false,
            findings: Vec::new(),
        }
    }

    /// `skipped`, `pass`, `warn` or `fail`: the check's own verdict.
    pub fn verdict(&self) -> &'static str {
        verdict_of(self.applied, self.findings.iter().map(|f| f.diag.severity))
    }
}

/// The verdict of a set of diagnostic severities (`skipped` when not applied).
pub fn verdict_of(applied: bool, severities: impl Iterator<Item = Severity>) -> &'static str {
    if !applied {
        return "skipped";
    }
    match severities.max() {
        Some(Severity::Error) => "fail",
        Some(Severity::Warning) => "warn",
        _ => "pass",
    }
}

/// Runs every post-work check in the order.
pub fn post_work(c: &ChangeCheck) -> Vec<CheckResult> {
    let checks: [fn(&ChangeCheck) -> CheckResult; 8] = [
        nonempty::check,
        scope::check,
        outcomes::check,
        review::check,
        evidence::check,
        manifest::check,
        ascii::check,
        locked::check,
    ];
    checks.iter().map(|check| check(c)).collect()
}
