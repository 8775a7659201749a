//! The write-time scope guard: given the files a tool call would write, decide
//! against the active packet whether the call may run. Harness formats live in
//! `crate::harness`; this module knows only tool calls, packets and paths.
//!
//! Allowed: the active packet's IN_SCOPE_PATHS (and paths its WAIVERS GRANTED name),
//! the packet's own file as long as its signed sections stay as signed, and paths
//! gov.yaml exempts (`guard.exempt`). Everything else is blocked with a reason that
//! names the packet, the path and what to do.

pub mod active;
pub mod agents_md;
pub mod patch;
pub mod paths;
pub mod shell;
pub mod verdict;

pub use active::{resolve_active, ActivePacket, How};
pub use verdict::{decide, Against};

use crate::diag::{Diagnostic, Severity};
use std::path::PathBuf;

/// Events larger than this are refused unread: a tool call's JSON is kilobytes, and
/// a hook must not be made to hold an arbitrary amount in memory.
pub const MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// One tool call, reduced to what it would write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolCall {
    /// The tool's name as the harness gave it (`Write`, `apply_patch`, `write_file`).
    pub tool: String,
    /// The working folder relative paths are resolved against.
    pub cwd: Option<PathBuf>,
    pub writes: Vec<Write>,
    /// Targets that cannot be read from the call (`> $F`), each described.
    pub unreadable: Vec<String>,
}

/// One file the call would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub path: String,
    pub change: Change,
}

/// What the write does to the file, as far as the call says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The whole new content.
    Whole(String),
    /// Replacements in order: (old, new, every occurrence).
    Replace(Vec<(String, String, bool)>),
    Delete,
    /// Written, content unknown (a shell redirection, a move).
    Unknown,
}

impl Write {
    pub fn new(path: impl Into<String>, change: Change) -> Write {
        Write {
            path: path.into(),
            change,
        }
    }
}

/// The guard's answer for one call.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    /// The active packet, when one was found.
    pub packet: Option<String>,
    /// Why the call is blocked (errors), or notes about what was let through.
    pub findings: Vec<Diagnostic>,
    /// Repository paths the call writes that were checked and allowed.
    pub allowed_paths: Vec<String>,
}

impl Decision {
    pub fn allowed(&self) -> bool {
        !self.findings.iter().any(|d| d.severity == Severity::Error)
    }

    /// A decision that blocks with one finding.
    pub fn blocked(d: Diagnostic) -> Decision {
        Decision {
            findings: vec![d],
            ..Decision::default()
        }
    }

    /// `guard.fail_open`: a decision the guard could not make lets the call through,
    /// saying so.
    pub fn fail_open(mut self) -> Decision {
        if self.allowed() {
            return self;
        }
        let why: Vec<String> = self.findings.iter().map(|d| d.message.clone()).collect();
        self.findings = vec![Diagnostic::new(
            &crate::diag::codes::grd::FAIL_OPEN,
            format!(
                "let through unchecked (guard.fail_open): {}",
                why.join("; ")
            ),
        )];
        self
    }

    /// The text the agent reads: what was blocked, for which packet, and what to do.
    pub fn reason(&self) -> String {
        let mut s = match &self.packet {
            Some(p) if !self.allowed() => {
                format!("gov guard blocked this tool call (active packet {p}):\n")
            }
            Some(p) => format!("gov guard allowed this tool call (active packet {p}):\n"),
            None if !self.allowed() => "gov guard blocked this tool call:\n".to_string(),
            None => "gov guard allowed this tool call:\n".to_string(),
        };
        for d in &self.findings {
            s.push_str(&format!(
                "- [{}] {}\n  what to do: {}\n",
                d.code, d.message, d.help
            ));
        }
        s
    }
}
