//! Check 1 (`change`): something changed, and not only governance documents.

use super::{ChangeCheck, CheckResult, Finding};
use crate::diag::codes::git;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let files = &c.changes.files;
    let how = c.selection.describe();
    let mut findings = Vec::new();
    if files.is_empty() {
        findings.push(Finding::packet(c.in_packet(
            &git::EMPTY_CHANGE,
            format!("the selected diff, {how}, changes nothing"),
        )));
    } else if files.iter().all(|f| f.paths().all(|p| c.is_governance(p))) {
        let list: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        findings.push(Finding::packet(c.in_packet(
            &git::EMPTY_CHANGE,
            format!(
                "the selected diff, {how}, changes only governance documents ({}); the work itself is not in it",
                list.join(", ")
            ),
        )));
    }
    CheckResult::new("change", findings)
}
