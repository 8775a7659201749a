//! SARIF 2.1.0 rendering of a gate's report, for code-scanning upload. A pure function
//! of the finished report (after severity settings and `--strict`). Rules are the
//! codes that occur, described by their `gov explain` text, plus any rule metadata a
//! command put in the report's `rules` data member (validator-scan's own patterns).

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
        .members()
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
            let mut rule = json!({
                "id": info.code,
                "name": info.code,
                "shortDescription": {"text": info.title},
                "fullDescription": {"text": info.explanation},
                "help": {"text": info.help},
                "defaultConfiguration": {"level": level(info.severity)},
            });
            if let Some(uri) = codes::reference::help_uri(info.code) {
                rule["helpUri"] = json!(uri);
            }
            rules.push(rule);
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
    let mut rule = json!({
        "id": text("code"),
        "name": text("code"),
        "shortDescription": {"text": text("message")},
        "fullDescription": {"text": full},
        "help": {"text": text("help")},
        "defaultConfiguration": {"level": level},
        "properties": {"pattern": text("pattern"), "languages": r.get("languages").cloned().unwrap_or(json!([]))},
    });
    // a project's own scan rule has no entry in gov's reference
    if let Some(uri) = codes::find(&text("code")).and_then(|c| codes::reference::help_uri(c.code)) {
        rule["helpUri"] = json!(uri);
    }
    rule
}

/// A fingerprint that survives the finding moving to another line: code-scanning
/// services use it to match a result across commits, so it hashes what the finding
/// is (code, file, message), not where it sits.
fn fingerprint(d: &Diagnostic) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [d.code, d.path.as_deref().unwrap_or(""), &d.message] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
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
        "partialFingerprints": {"govFinding/v1": fingerprint(d)},
    });
    if let Some(i) = rules.iter().position(|x| x["id"] == d.code) {
        r["ruleIndex"] = json!(i);
    }
    r
}

/// The SARIF log for a report: one run, or one per gate of a combined report.
pub fn to_sarif(report: &Report) -> Value {
    if report.parts.is_empty() {
        log(vec![run(report)])
    } else {
        log(report.parts.iter().map(run).collect())
    }
}

/// One SARIF log holding a run per report (`gov check` runs several gates).
pub fn log(runs: Vec<Value>) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": runs,
    })
}

/// The run's category: gate and subject, so that the runs of one log (and of
/// successive uploads) never share a category unless they check the same thing.
fn automation_id(report: &Report) -> String {
    let mut id = format!("gov/{}", report.command.replace(' ', "-"));
    if let Some(t) = &report.target {
        id.push('-');
        id.extend(
            t.chars()
                .filter(|c| c.is_ascii_alphanumeric() || "-._".contains(*c)),
        );
    }
    id.push('/');
    id
}

/// One run: located diagnostics become results, the others (exit-2 conditions) tool
/// execution notifications. The run's automation id names the gate, so results of
/// different gates never match each other.
pub fn run(report: &Report) -> Value {
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
        "tool": {"driver": {
            "name": "gov",
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        "automationDetails": {"id": automation_id(report)},
        "columnKind": "unicodeCodePoints",
        "invocations": [{
            "executionSuccessful": !report.fatal,
            "exitCode": report.verdict().exit_code(),
            "toolExecutionNotifications": notifications,
        }],
        "results": results,
    })
}

pub fn to_text(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_sarif(report)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
