//! The typed envelope of every gov JSON document: the members `render::to_json`
//! writes whatever the command, and the diagnostics in it. The JSON Schemas in
//! `schemas/` are generated from these types (see `crate::schema`), so what is
//! documented is what is written.

use super::{Diagnostic, Report, Severity, Verdict};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

/// The members every gov JSON document starts with. A command adds its own members
/// (its data) beside them at the top level.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Envelope<'a> {
    /// Version of the document format. Raised only by an incompatible change (a member
    /// removed, renamed or retyped, a value's meaning changed); adding members or enum
    /// values does not raise it (see docs/json-schemas.md).
    #[schemars(range(min = 1, max = 1))]
    pub schema_version: u32,
    /// The command that ran, as the verdict line names it (`pre-work`, `signatures verify`).
    pub command: &'a str,
    /// What the command ran on (a WP id, a phase, a code), or null.
    pub target: Option<&'a str>,
    /// `pass` (exit 0), `fail` (exit 1: a gate failed), `error` (exit 2: could not evaluate).
    pub verdict: Verdict,
    pub summary: Summary,
    /// Every finding, sorted by path, line, column and code.
    pub diagnostics: Vec<DiagnosticEntry<'a>>,
    /// Only in a combined run (`gov check`): one entry per gate that ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<GateEntry<'a>>")]
    pub gates: Option<Vec<GateEntry<'a>>>,
    /// Commands that move the work forward, in the order to run them.
    pub next: &'a [String],
    /// What the cache of parsed documents did in this run; absent when the run used
    /// no cache (`--no-cache`, `GOV_NO_CACHE`, or a command that parses no packet).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "CacheStats")]
    pub cache: Option<CacheStats>,
}

/// Counts of the cache's work in one run (see docs/performance.md).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CacheStats {
    /// Documents whose parsed facts were read from the cache.
    pub hits: usize,
    /// Documents parsed because the cache had no valid entry for them.
    pub misses: usize,
    /// Cache files written.
    pub writes: usize,
    /// Cache writes that failed (the run's answer does not depend on them).
    pub write_failures: usize,
    /// Cache files ignored as stale, corrupt or from another gov version.
    pub rejected_files: usize,
}

/// How many diagnostics of each severity the document holds.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// One diagnostic; in a combined run it names the gate that found it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DiagnosticEntry<'a> {
    #[serde(flatten)]
    pub diagnostic: &'a Diagnostic,
    /// The gate (command) that found it; only in a combined run (`gov check`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "&'a str")]
    pub gate: Option<&'a str>,
}

/// One gate of a combined run: its own verdict and counts, and its own data members
/// (those of the gate's command document; its diagnostics are in the top-level list).
#[derive(Debug, Serialize, JsonSchema)]
pub struct GateEntry<'a> {
    /// The gate's command.
    pub gate: &'a str,
    pub command: &'a str,
    pub target: Option<&'a str>,
    pub verdict: Verdict,
    pub summary: Summary,
    /// The gate's own data members, as in that command's document.
    #[serde(flatten)]
    pub data: Map<String, Value>,
}

/// The members a gate entry writes itself: a gate's data member of the same name
/// (phase-gate's `gate`) is left out rather than overwrite it.
const GATE_ENTRY_MEMBERS: &[&str] = &["gate", "command", "target", "verdict", "summary"];

impl Summary {
    pub fn of(report: &Report) -> Summary {
        Summary {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            notes: report.count(Severity::Note),
        }
    }
}

impl<'a> Envelope<'a> {
    pub fn of(report: &'a Report, schema_version: u32) -> Envelope<'a> {
        Envelope {
            schema_version,
            command: &report.command,
            target: report.target.as_deref(),
            verdict: report.verdict(),
            summary: Summary::of(report),
            diagnostics: diagnostics(report),
            gates: (!report.parts.is_empty())
                .then(|| report.parts.iter().map(GateEntry::of).collect()),
            next: &report.next,
            cache: report.cache.clone(),
        }
    }
}

impl<'a> GateEntry<'a> {
    fn of(part: &'a Report) -> GateEntry<'a> {
        GateEntry {
            gate: &part.command,
            command: &part.command,
            target: part.target.as_deref(),
            verdict: part.verdict(),
            summary: Summary::of(part),
            data: part
                .members()
                .into_iter()
                .filter(|(k, _)| !GATE_ENTRY_MEMBERS.contains(&k.as_str()))
                .collect(),
        }
    }
}

/// A combined report's diagnostics carry the gate that found them.
fn diagnostics(report: &Report) -> Vec<DiagnosticEntry<'_>> {
    if report.parts.is_empty() {
        return report
            .diagnostics
            .iter()
            .map(|d| DiagnosticEntry {
                diagnostic: d,
                gate: None,
            })
            .collect();
    }
    let mut all: Vec<DiagnosticEntry> = report
        .parts
        .iter()
        .flat_map(|p| {
            p.diagnostics.iter().map(|d| DiagnosticEntry {
                diagnostic: d,
                gate: Some(p.command.as_str()),
            })
        })
        .collect();
    all.sort_by(|a, b| {
        a.diagnostic
            .sort_key()
            .cmp(&b.diagnostic.sort_key())
            .then(a.gate.cmp(&b.gate))
    });
    all
}
