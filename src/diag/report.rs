use super::{sort_diagnostics, Diagnostic, Severity};
use serde_json::{Map, Value};

/// The outcome of one gov command: what the renderers print and the exit code.
#[derive(Debug, Clone)]
pub struct Report {
    pub command: String,
    pub target: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Commands that move the work forward, in the order to run them.
    pub next: Vec<String>,
    /// Lines printed before the diagnostics in human mode (the command's own view).
    pub headline: Vec<String>,
    /// Extra top-level members of the JSON document set one by one ([`Report::set_data`]);
    /// [`Report::members`] gives them with the typed data's.
    pub data: Map<String, Value>,
    /// The command's typed data, serialized only when an output reads it.
    typed: Vec<Typed>,
    /// Set when the gate could not be evaluated (exit 2).
    pub fatal: bool,
    /// A report that is information, not a gate (show, explain): human output is the
    /// headline alone, without a verdict line.
    pub informational: bool,
    /// The gates of a combined run (`gov check`), each a report of its own. When
    /// present, this report's diagnostics are theirs ([`Report::absorb_parts`]).
    pub parts: Vec<Report>,
    /// What the cache of parsed documents did in this run (JSON only).
    pub cache: Option<super::document::CacheStats>,
}

/// A command's typed data, as a function that serializes it.
#[derive(Clone)]
struct Typed(std::sync::Arc<dyn Fn() -> Map<String, Value> + Send + Sync>);

impl std::fmt::Debug for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Typed(..)")
    }
}

/// `pass` (exit 0), `fail` (exit 1: a gate failed), `error` (exit 2: could not evaluate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
        }
    }
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Error => 2,
        }
    }
}

impl Report {
    pub fn new(command: impl Into<String>, target: Option<String>) -> Report {
        Report {
            command: command.into(),
            target,
            diagnostics: Vec::new(),
            next: Vec::new(),
            headline: Vec::new(),
            data: Map::new(),
            typed: Vec::new(),
            fatal: false,
            informational: false,
            parts: Vec::new(),
            cache: None,
        }
    }

    /// A report for a command that could not be evaluated.
    pub fn fatal(command: impl Into<String>, target: Option<String>, diag: Diagnostic) -> Report {
        let mut r = Report::new(command, target);
        r.diagnostics.push(diag.severity(Severity::Error));
        r.fatal = true;
        r
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(ds);
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    pub fn verdict(&self) -> Verdict {
        if self.fatal {
            Verdict::Error
        } else if self.has_errors() {
            Verdict::Fail
        } else {
            Verdict::Pass
        }
    }

    pub fn set_data(&mut self, key: &str, value: Value) {
        self.data.insert(key.to_string(), value);
    }

    /// Sets every member of a command's typed data (a struct that serializes to an
    /// object) as a top-level member of the JSON document; its type is what the
    /// command's JSON Schema describes (`crate::schema`). It is kept as it is and
    /// serialized only when an output reads it ([`Report::members`]): human output
    /// never does, and a JSON tree of every packet or board entry cost a tenth of a
    /// warm run on a large repository.
    pub fn set_typed<T: serde::Serialize + Send + Sync + 'static>(&mut self, data: T) {
        self.typed.push(Typed(std::sync::Arc::new(
            move || match serde_json::to_value(&data) {
                Ok(Value::Object(members)) => members,
                _ => Map::new(),
            },
        )));
    }

    /// The extra top-level members of the JSON document: the typed data's, then those
    /// set one by one.
    pub fn members(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for t in &self.typed {
            out.extend((t.0)());
        }
        out.extend(self.data.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }

    /// Sorts and de-duplicates the diagnostics; renderers call this so output is
    /// deterministic whatever order the checks ran in.
    pub fn finish(&mut self) {
        for p in &mut self.parts {
            p.finish();
        }
        sort_diagnostics(&mut self.diagnostics);
    }

    /// A combined report's diagnostics and fatality are its parts': recomputed after
    /// severity settings changed the parts, so the exit code is the worst gate's.
    pub fn absorb_parts(&mut self) {
        if self.parts.is_empty() {
            return;
        }
        self.diagnostics = self
            .parts
            .iter()
            .flat_map(|p| p.diagnostics.iter().cloned())
            .collect();
        self.fatal = self.parts.iter().any(|p| p.fatal);
    }
}
