//! `gov spec-regression` (alias `validator-spec-regression`): the pointer resolves, the
//! spec exists, required and cited anchors are Main Body headings, nothing cited
//! vanished since the previous version, and the spec's numbering is sound.

use crate::diag::Report;
use crate::error::GovError;
use crate::model::pointer::PointerForm;
use crate::model::spec::Part;
use crate::repo::Repo;
use crate::rules::inventory::Inventory;
use crate::rules::spec::{self, SpecRegression};
use crate::rules::spec::{Cited, RequiredState};
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Args)]
pub struct SpecRegressionArgs {}

pub fn run(_args: &SpecRegressionArgs, repo: &Repo) -> Result<Report, GovError> {
    let (parsed, inventory) = spec::parse_alongside(repo, || Inventory::load(repo))?;
    let result = spec::check(parsed, &inventory);
    let mut report = Report::new("spec-regression", None);
    report.extend(inventory.problems.iter().cloned());
    report.extend(result.diagnostics.iter().cloned());
    report.headline = headline(&result);
    report.set_typed(typed_data(&result));
    report.next = next(&report, &result);
    crate::exit::release((result, inventory));
    Ok(report)
}

/// The data members of `gov spec-regression --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SpecRegressionData {
    /// The spec pointer as read, or null when there is none to read.
    pub pointer: Option<PointerView>,
    /// The current spec, or null when the pointer does not lead to one.
    pub spec: Option<SpecView>,
    /// The previous version found beside the spec, or null.
    pub previous: Option<SpecVersion>,
    /// Every `spec.required_anchors` entry and where it resolves.
    pub required_anchors: Vec<RequiredState>,
    /// What the active packets cite.
    pub cited: Cited,
}

/// The spec pointer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PointerView {
    pub path: String,
    /// The spec file as written in the pointer.
    pub target: String,
    pub form: PointerForm,
    /// A version given explicitly (JSON form) or read from the file name.
    pub version: Option<String>,
    /// 1-based line of the spec's name in the pointer.
    pub line: usize,
    /// `current_spec.previous_version` (JSON form), or null.
    pub previous_version: Option<String>,
}

/// The current spec.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SpecView {
    /// The spec file, or the manifest of a modular spec.
    pub path: String,
    pub version: Option<String>,
    pub headings: usize,
    pub main_body_headings: usize,
    /// 1-based line where the Roadmap starts, or null.
    pub roadmap_line: Option<usize>,
    /// Headings that repeat an earlier heading's number.
    pub duplicates: usize,
    pub unclosed_fences: usize,
    pub unclosed_comments: usize,
    /// Heading-like lines hidden in fences or comments.
    pub fenced_heading_lines: usize,
    /// The modules of a modular spec, or null for a single file.
    pub modules: Option<Vec<ModuleView>>,
}

/// One module of a modular spec.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ModuleView {
    /// `module_id` from the manifest (`03`, `07-6`).
    pub id: String,
    pub path: String,
    /// `section_id` from the manifest (`3`, `7.6`), or null.
    pub section_id: Option<String>,
}

/// A spec file and its version.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SpecVersion {
    pub path: String,
    pub version: Option<String>,
}

/// The typed members spec-regression adds to its document.
pub fn typed_data(r: &SpecRegression) -> SpecRegressionData {
    SpecRegressionData {
        pointer: r.pointer.as_ref().map(|p| PointerView {
            path: p.path.clone(),
            target: p.target.clone(),
            form: p.form,
            version: p.version.clone(),
            line: p.line,
            previous_version: p.previous_version.clone(),
        }),
        spec: r.spec.as_ref().map(|s| SpecView {
            path: s.path.clone(),
            version: s.version.clone(),
            headings: s.heading_count(),
            main_body_headings: s.part_count(Part::MainBody),
            roadmap_line: s.roadmap_line,
            duplicates: r.duplicates,
            unclosed_fences: s.unclosed_fences.len(),
            unclosed_comments: s.unclosed_comments.len(),
            fenced_heading_lines: s.hidden_count(),
            modules: s.is_modular().then(|| {
                s.modules
                    .iter()
                    .map(|m| ModuleView {
                        id: m.id.clone(),
                        path: m.path.clone(),
                        section_id: m.section_id.clone(),
                    })
                    .collect()
            }),
        }),
        previous: r.previous.as_ref().map(|s| SpecVersion {
            path: s.path.clone(),
            version: s.version.clone(),
        }),
        required_anchors: r.required.clone(),
        cited: r.cited.clone(),
    }
}

/// The JSON members spec-regression adds, one by one (for documents that embed them).
pub fn data(r: &SpecRegression) -> Vec<(String, Value)> {
    match serde_json::to_value(typed_data(r)) {
        Ok(Value::Object(m)) => m.into_iter().collect(),
        _ => Vec::new(),
    }
}

fn headline(r: &SpecRegression) -> Vec<String> {
    let mut out = Vec::new();
    let (Some(p), Some(s)) = (&r.pointer, &r.spec) else {
        out.push("spec-regression: no current spec to check".to_string());
        return out;
    };
    let modules = if s.is_modular() {
        format!(", {} modules", s.modules.len())
    } else {
        String::new()
    };
    out.push(format!(
        "spec-regression: {} → {} ({}{modules})",
        p.path,
        s.path,
        s.version.as_deref().unwrap_or("unversioned")
    ));
    let main = s.part_count(Part::MainBody);
    let roadmap = match s.roadmap_place() {
        None => "no Roadmap".to_string(),
        Some(at) if s.is_modular() => format!(
            "Roadmap from {} line {}",
            at.path.rsplit('/').next().unwrap_or(&at.path),
            at.line
        ),
        Some(at) => format!("Roadmap from line {}", at.line),
    };
    out.push(format!(
        "  headings: {} ({main} in the Main Body, {roadmap})",
        s.heading_count()
    ));
    if let Some(prev) = &r.previous {
        out.push(format!("  previous version: {}", prev.path));
    }
    if !r.required.is_empty() {
        let list: Vec<String> = r
            .required
            .iter()
            .map(|a| match (a.state, a.line, &a.module) {
                ("main_body", Some(l), Some(m)) => format!(
                    "{} ✓ ({} line {l})",
                    a.anchor,
                    m.rsplit('/').next().unwrap_or(m)
                ),
                ("main_body", Some(l), None) => format!("{} ✓ (line {l})", a.anchor),
                (state, _, _) => format!("{} ✗ ({})", a.anchor, state.replace('_', " ")),
            })
            .collect();
        out.push(format!("  required anchors: {}", list.join(", ")));
    }
    out.push(format!(
        "  active packets: {}, citing {} anchors, {} unresolved",
        r.cited.active_packets, r.cited.anchors, r.cited.unresolved
    ));
    out
}

fn next(report: &Report, r: &SpecRegression) -> Vec<String> {
    if !report.has_errors() {
        return vec!["gov status".to_string()];
    }
    let mut out: Vec<String> = r
        .cited
        .packets
        .iter()
        .map(|id| format!("gov show {id}"))
        .collect();
    out.push("gov spec-regression".to_string());
    out
}
