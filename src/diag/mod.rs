//! Typed diagnostics: every finding gov reports has a stable code, a severity, a
//! location and a one-line `help`. The library builds them; `render` turns a whole
//! [`Report`] into human or JSON text; only `main.rs` prints.

pub mod codes;
pub mod github;
pub mod junit;
pub mod render;
mod report;
pub mod sarif;

pub use codes::CodeInfo;
pub use report::{Report, Verdict};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub path: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
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
