//! Typed diagnostics: every finding gov reports has a stable code, a severity, a
//! location and a one-line `help`. The library builds them; `render` turns a whole
//! [`Report`] into human or JSON text; only `main.rs` prints.

pub mod codes;
pub mod document;
pub mod github;
pub mod junit;
pub mod render;
mod report;
pub mod sarif;

pub use codes::CodeInfo;
pub use report::{Report, Verdict};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much a finding weighs: an `error` fails the gate, a `warning` or `note` does not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding. `path` is relative to the repository root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Diagnostic {
    /// Stable code (`PKT001`); `gov explain CODE` says what it means.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The file, relative to the repository root with `/` separators, or null.
    pub path: Option<String>,
    /// 1-based line, or null.
    #[schemars(range(min = 1))]
    pub line: Option<usize>,
    /// 1-based column, or null.
    #[schemars(range(min = 1))]
    pub column: Option<usize>,
    /// One line on how to fix it.
    pub help: String,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and help line.
    pub fn new(code: &CodeInfo, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: code.code,
            severity: code.severity,
            message: message.into(),
            path: None,
            line: None,
            column: None,
            help: code.help.to_string(),
        }
    }

    pub fn in_file(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn at(mut self, path: impl Into<String>, line: usize, column: usize) -> Self {
        self.path = Some(path.into());
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, path: impl Into<String>, line: usize) -> Self {
        self.path = Some(path.into());
        self.line = Some(line);
        self.column = Some(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub(crate) fn sort_key(&self) -> (&Option<String>, Option<usize>, Option<usize>, &str, &str) {
        (&self.path, self.line, self.column, self.code, &self.message)
    }
}

/// Sorts diagnostics by path, line, column, code (then message, so equal locations
/// stay deterministic) and drops exact duplicates.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}
