//! SARIF 2.1.0 rendering of a validator-scan report, for code-scanning upload. A pure
//! function of the finished report (after severity settings and `--strict`), with the
//! rule metadata the command put in the report's `rules` data member.

use crate::diag::{codes, Diagnostic, Report, Severity};
use serde_json::{json, Map, Value};

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// One `reportingDescriptor` per rule of the run, then per other code that occurs.
fn driver_rules(report: &Report) -> Vec<Value> {
    let mut rules: Vec<Value> = report
        .data
        .get("rules")
        .and_then(Value::as_array)
        .map(|rs| rs.iter().map(rule_descriptor).collect())
        .unwrap_or_default();
    let mut codes_used: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    codes_used.sort_unstable();
    codes_used.dedup();
    for code in codes_used {
        if rules.iter().any(|r| r["id"] == code) {
            continue;
        }
        if let Some(info) = codes::find(code) {
            rules.push(json!({
                "id": info.code,
                "name": info.code,
                "shortDescription": {"text": info.title},
                "fullDescription": {"text": info.explanation},
                "help": {"text": info.help},
                "defaultConfiguration": {"level": level(info.severity)},
            }));
        }
    }
    rules
}

fn rule_descriptor(r: &Value) -> Value {
    let text = |k: &str| {
        r.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let full = match text("reason") {
        reason if reason.is_empty() => text("message"),
        reason => format!("{}: {reason}", text("message")),
    };
    let level = match text("severity").as_str() {
        "warning" => "warning",
        "note" => "note",
        _ => "error",
    };
    json!({
        "id": text("code"),
        "name": text("code"),
        "shortDescription": {"text": text("message")},
        "fullDescription": {"text": full},
        "help": {"text": text("help")},
        "defaultConfiguration": {"level": level},
        "properties": {"pattern": text("pattern"), "languages": r.get("languages").cloned().unwrap_or(json!([]))},
    })
}

fn result(d: &Diagnostic, rules: &[Value]) -> Value {
    let mut region = Map::new();
    region.insert("startLine".into(), json!(d.line.unwrap_or(1).max(1)));
    if let Some(c) = d.column {
        region.insert("startColumn".into(), json!(c.max(1)));
    }
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": format!("{} (help: {})", d.message, d.help)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                "region": region,
            }
        }],
    });
    if let Some(i) = rules.iter().position(|x| x["id"] == d.code) {
        r["ruleIndex"] = json!(i);
    }
    r
}

/// The SARIF log for a report: located diagnostics become results, the others
/// (exit-2 conditions) tool execution notifications.
pub fn to_sarif(report: &Report) -> Value {
    let rules = driver_rules(report);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| d.path.is_some())
        .map(|d| result(d, &rules))
        .collect();
    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| d.path.is_none())
        .map(|d| {
            json!({
                "level": level(d.severity),
                "message": {"text": format!("{}: {} (help: {})", d.code, d.message, d.help)},
                "descriptor": {"id": d.code},
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gov",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": !report.fatal,
                "exitCode": report.verdict().exit_code(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

pub fn to_text(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_sarif(report)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
