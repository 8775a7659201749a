//! `gov show <WP_ID>`: the parsed packet, so agents read packets through gov.

use crate::diag::Report;
use crate::error::GovError;
use crate::model::packet::{Packet, SignatureValue, TierValue};
use crate::model::validation::{Reports, Target, Why};
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::text::Spanned;
use clap::Args;
use serde_json::{json, Value};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The packet id, e.g. WP-1-Storage-Layer
    pub wp_id: String,
}

pub fn run(args: &ShowArgs, repo: &Repo) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    let packet = repo.load_packet(&id)?;
    let mut report = Report::new("show", Some(id.to_string()));
    report.informational = true;
    let view = packet_json(&packet);
    report.headline = human(&view);
    report.set_data("packet", view);
    // the counted verdict against the packet's own status and summary
    report.extend(crate::rules::packet::verdict::findings(&packet));
    report.next = vec![format!("gov pre-work {id}")];
    Ok(report)
}

fn values(v: &[Spanned<String>]) -> Value {
    json!(v
        .iter()
        .map(|s| json!({"value": s.value, "line": s.line}))
        .collect::<Vec<_>>())
}

/// The packet as the JSON contract of `gov show`.
pub fn packet_json(p: &Packet) -> Value {
    let status = p.status();
    let tier = p.risk_tier();
    let sig = p.signature();
    let reports = p.reports();
    let last = reports.counted_verdict();
    let current = p.current_state();
    let bootstrap = p.bootstrap();
    json!({
        "id": p.id,
        "base_id": p.id.base(),
        "variant": p.id.variant(),
        "path": p.path,
        "task_id": p.task_id().map(|t| t.value),
        "status": status.as_ref().map(|s| json!({
            "raw": s.value.raw,
            "canonical": s.value.kind.map(|k| k.key()),
            "qualifier": s.value.qualifier,
            "line": s.line,
        })),
        "risk_tier": tier.as_ref().map(|t| match &t.value {
            TierValue::Tier(r) => json!(r.as_str()),
            TierValue::Unfilled(s) | TierValue::Invalid(s) => json!(s),
        }),
        "signature": sig.as_ref().map(|s| match &s.value {
            SignatureValue::Given(v) => json!({"state": "given", "value": v, "line": s.line}),
            SignatureValue::Pending(v) => json!({"state": "pending", "value": v, "line": s.line}),
            SignatureValue::Unsigned(v) => json!({"state": "unsigned", "value": v, "line": s.line}),
        }),
        "spec_anchors": p.spec_anchors().iter().map(|a| json!({"anchor": a.value.to_string(), "line": a.line})).collect::<Vec<_>>(),
        "in_scope_paths": values(&p.in_scope_paths()),
        "out_of_scope": values(&p.out_of_scope()),
        "done_means": values(&p.done_means()),
        "test_plan": values(&p.test_plan()),
        "bootstrap": {
            "files_to_open": values(&bootstrap.files_to_open),
            "search_terms": values(&bootstrap.search_terms),
            "run_commands": values(&bootstrap.run_commands),
            "risk_map": values(&bootstrap.risk_map),
        },
        "dependencies": p.dependencies().iter().map(|d| json!({"id": d.value, "line": d.line})).collect::<Vec<_>>(),
        "last_verdict": last.as_ref().map(|v| json!({"verdict": v.value.as_str(), "line": v.line})),
        "validation_reports": reports_json(&reports),
        "current_state": current.as_ref().map(|c| json!({
            "line": c.line,
            "verdict": c.verdict.as_ref().map(|v| json!({"verdict": v.value.as_str(), "line": v.line})),
            "blockers": c.blockers.as_ref().map(|b| b.value.clone()),
            "next": c.next.as_ref().map(|n| n.value.clone()),
        })),
        "spec_version": p.spec_version().map(|s| s.value),
    })
}

/// Every report, which one counted and why, what superseded what.
fn reports_json(r: &Reports) -> Value {
    let list: Vec<Value> = r
        .list
        .iter()
        .enumerate()
        .map(|(k, rep)| {
            let by = r
                .superseded
                .iter()
                .find(|(s, _)| *s == k)
                .map(|(_, b)| r.list[*b].line);
            json!({
                "line": rep.line,
                "title": rep.title,
                "timestamp": rep.timestamp.map(|t| t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()),
                "verdict": rep.verdict.value.as_str(),
                "verdict_line": rep.verdict.line,
                "counted": r.counted == Some(k),
                "superseded_by_line": by,
                "claims": rep.claims.iter().map(|c| json!({
                    "line": c.line,
                    "text": c.text,
                    "names_a_report": c.target != Target::Unnamed,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "counted": r.counted_report().map(|c| json!({
            "line": c.line,
            "title": c.title,
            "verdict": c.verdict.value.as_str(),
            "verdict_line": c.verdict.line,
            "why": r.why,
            "reason": r.why.map(Why::describe),
        })),
        "reports": list,
    })
}

fn human(v: &Value) -> Vec<String> {
    let s = |k: &str| v[k].as_str().unwrap_or("-").to_string();
    let mut out = vec![format!("{} ({})", s("id"), s("path"))];
    let status = &v["status"];
    out.push(format!(
        "  status:       {}{}",
        status["raw"].as_str().unwrap_or("-"),
        status["canonical"]
            .as_str()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default()
    ));
    out.push(format!(
        "  risk tier:    {}",
        v["risk_tier"].as_str().unwrap_or("-")
    ));
    let sig = &v["signature"];
    out.push(format!(
        "  signature:    {} ({})",
        sig["value"].as_str().unwrap_or("-"),
        sig["state"].as_str().unwrap_or("missing")
    ));
    let anchors: Vec<&str> = v["spec_anchors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["anchor"].as_str())
        .collect();
    out.push(format!(
        "  spec anchors: {}",
        if anchors.is_empty() {
            "-".to_string()
        } else {
            anchors.join(", ")
        }
    ));
    let verdict = v["last_verdict"]["verdict"].as_str().unwrap_or("none");
    out.push(format!("  last verdict: {verdict}"));
    let reports = &v["validation_reports"];
    if let Some(c) = reports["counted"].as_object() {
        let n = reports["reports"].as_array().map_or(0, Vec::len);
        out.push(format!(
            "  counted:      verdict at line {} in `{}` ({} {}: {})",
            c["verdict_line"],
            c["title"].as_str().unwrap_or(""),
            n,
            if n == 1 { "report" } else { "reports" },
            c["reason"].as_str().unwrap_or("")
        ));
        for r in reports["reports"].as_array().into_iter().flatten() {
            if let Some(by) = r["superseded_by_line"].as_u64() {
                out.push(format!(
                    "  superseded:   line {} `{}` ({}) by the report at line {by}",
                    r["line"],
                    r["title"].as_str().unwrap_or(""),
                    r["verdict"].as_str().unwrap_or("")
                ));
            }
        }
    }
    if let Some(c) = v["current_state"].as_object() {
        out.push(format!(
            "  current state: line {}, verdict {}, next: {}",
            c["line"],
            c["verdict"]["verdict"].as_str().unwrap_or("-"),
            c["next"].as_str().unwrap_or("-")
        ));
    }
    let deps: Vec<&str> = v["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    out.push(format!(
        "  depends on:   {}",
        if deps.is_empty() {
            "-".to_string()
        } else {
            deps.join(", ")
        }
    ));
    for (label, key) in [
        ("IN_SCOPE_PATHS", "in_scope_paths"),
        ("OUT_OF_SCOPE", "out_of_scope"),
        ("DONE_MEANS", "done_means"),
        ("TEST_PLAN", "test_plan"),
    ] {
        list(&mut out, label, &v[key]);
    }
    for (label, key) in [
        ("FILES_TO_OPEN", "files_to_open"),
        ("SEARCH_TERMS", "search_terms"),
        ("RUN_COMMANDS", "run_commands"),
        ("RISK_MAP", "risk_map"),
    ] {
        list(&mut out, label, &v["bootstrap"][key]);
    }
    out
}

fn list(out: &mut Vec<String>, label: &str, items: &Value) {
    let items = items.as_array().cloned().unwrap_or_default();
    out.push(format!("  {label} ({})", items.len()));
    for i in items {
        out.push(format!(
            "    {:>4}  {}",
            i["line"],
            i["value"].as_str().unwrap_or("")
        ));
    }
}
