//! Check 3: VALIDATION records outcomes. Entries need both a Command and a Result;
//! every TEST_PLAN command (comments and the post-work call itself aside) must appear
//! as a recorded Command with a Result; a Result of FAIL or BLOCKED is an error.

use super::{ChangeCheck, CheckResult, Finding};
use crate::diag::codes::git;
use crate::model::validation::{review_command, Outcome, ValidationEntry};
use std::collections::HashSet;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let p = c.packet;
    let entries = p.validation_entries();
    let mut findings = Vec::new();
    for e in entries.iter().filter(|e| !e.is_blank()) {
        let missing = match (e.command_text().is_empty(), e.result_text().is_empty()) {
            (true, _) => "Command",
            (_, true) => "Result",
            _ => continue,
        };
        let shown = if e.command_text().is_empty() {
            format!("Result `{}`", e.result_text())
        } else {
            format!("Command `{}`", e.command_text())
        };
        findings.push(Finding::packet(c.at(
            &git::VALIDATION_INCOMPLETE,
            format!("VALIDATION entry {shown} has no {missing}"),
            e.line(),
            1,
        )));
    }
    let complete: Vec<&ValidationEntry> = entries
        .iter()
        .filter(|e| !e.command_text().is_empty() && !e.result_text().is_empty())
        .collect();
    if complete.is_empty() {
        let sections = p.validation_sections();
        let d = match sections.first() {
            Some(f) => c.at(
                &git::VALIDATION_EMPTY,
                "VALIDATION records no outcome (no entry has both a Command and a Result)",
                f.line + 1,
                1,
            ),
            None => c.in_packet(
                &git::VALIDATION_EMPTY,
                "the packet has no VALIDATION section recording the commands that were run",
            ),
        };
        findings.push(Finding::packet(d));
    }
    for e in &complete {
        let Some(result) = &e.result else { continue };
        let outcome = Outcome::parse(&result.value);
        if matches!(outcome, Outcome::Fail | Outcome::Blocked) {
            findings.push(Finding::packet(c.at(
                &git::VALIDATION_FAILED,
                format!("`{}` recorded Result `{}`", e.command_text(), result.value),
                result.line,
                result.column,
            )));
        }
    }
    let reviews = p.review_records();
    let recorded_commands: HashSet<String> = complete
        .iter()
        .map(|e| normalize_command(e.command_text()))
        .collect();
    for cmd in p.test_plan() {
        if is_post_work_call(&cmd.value) {
            continue;
        }
        let recorded = match review_command(&cmd.value) {
            Some(kind) => reviews
                .iter()
                .any(|r| r.kind == kind && !r.text.trim().is_empty()),
            None => recorded_commands.contains(&normalize_command(&cmd.value)),
        };
        if !recorded {
            findings.push(Finding::packet(c.at(
                &git::TEST_PLAN_NOT_RECORDED,
                format!(
                    "TEST_PLAN command `{}` has no recorded result in VALIDATION",
                    cmd.value
                ),
                cmd.line,
                cmd.column,
            )));
        }
    }
    CheckResult::new("validation", findings)
}

/// The gate's own invocation (`just post-work WP-..`, `gov post-work ...`).
fn is_post_work_call(cmd: &str) -> bool {
    cmd.split_whitespace().any(|w| w == "post-work")
}

/// A command as compared: whitespace collapsed, a leading `$ ` prompt dropped.
fn normalize_command(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix("$ ").unwrap_or(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{is_post_work_call, normalize_command};

    #[test]
    fn command_matching() {
        assert_eq!(
            normalize_command("cargo test  --all"),
            normalize_command("$ cargo test --all")
        );
        assert_ne!(
            normalize_command("cargo test"),
            normalize_command("cargo test --release")
        );
        assert!(is_post_work_call("just post-work WP-1-X"));
        assert!(!is_post_work_call("cargo test post_work"));
    }
}
