//! `gov spec-regression` (alias `validator-spec-regression`): the pointer resolves, the
//! spec exists, required and cited anchors are Main Body headings, nothing cited
//! vanished since the previous version, and the spec's numbering is sound.

use crate::diag::Report;
use crate::error::GovError;
use crate::model::spec::Part;
use crate::repo::Repo;
use crate::rules::inventory::Inventory;
use crate::rules::spec::{self, SpecRegression};
use clap::Args;
use serde_json::{json, Value};

#[derive(Debug, Args)]
pub struct SpecRegressionArgs {}

pub fn run(_args: &SpecRegressionArgs, repo: &Repo) -> Result<Report, GovError> {
    let (parsed, inventory) = spec::parse_alongside(repo, || Inventory::load(repo))?;
    let result = spec::check(parsed, &inventory);
    let mut report = Report::new("spec-regression", None);
    report.extend(inventory.problems.iter().cloned());
    report.extend(result.diagnostics.iter().cloned());
    report.headline = headline(&result);
    for (k, v) in data(&result) {
        report.set_data(k, v);
    }
    report.next = next(&report, &result);
    Ok(report)
}

/// The JSON members spec-regression adds (also embedded by phase-gate and status).
pub fn data(r: &SpecRegression) -> Vec<(&'static str, Value)> {
    vec![
        (
            "pointer",
            json!(r.pointer.as_ref().map(|p| json!({
                "path": p.path, "target": p.target, "form": p.form, "version": p.version, "line": p.line,
                "previous_version": p.previous_version,
            }))),
        ),
        (
            "spec",
            json!(r.spec.as_ref().map(|s| json!({
                "path": s.path,
                "version": s.version,
                "headings": s.heading_count(),
                "main_body_headings": s.part_count(Part::MainBody),
                "roadmap_line": s.roadmap_line,
                "duplicates": r.duplicates,
                "unclosed_fences": s.unclosed_fences.len(),
                "unclosed_comments": s.unclosed_comments.len(),
                "fenced_heading_lines": s.hidden_count(),
                "modules": s.is_modular().then(|| s.modules.iter().map(|m| json!({
                    "id": m.id, "path": m.path, "section_id": m.section_id,
                })).collect::<Vec<_>>()),
            }))),
        ),
        (
            "previous",
            json!(r
                .previous
                .as_ref()
                .map(|s| json!({"path": s.path, "version": s.version}))),
        ),
        ("required_anchors", json!(r.required)),
        ("cited", json!(r.cited)),
    ]
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
