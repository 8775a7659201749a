//! Check 5: every `path:line` / `path:start-end` in EVIDENCE_MAPPING (or the Evidence
//! Mapping table) exists in the changed tree and points at non-blank lines; every
//! DONE_MEANS item has evidence (a warning, an error for HIGH risk).

use super::{ChangeCheck, CheckResult, Finding, Side};
use crate::diag::codes::git;
use crate::diag::Severity;
use crate::git::{is_binary, FileContent};
use crate::model::packet::{RiskTier, TierValue};
use crate::model::validation::EvidenceRef;
use crate::text::Spanned;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let items = c.packet.evidence();
    let mut findings = Vec::new();
    for r in items.iter().flat_map(|i| &i.refs) {
        if let Some(d) = check_ref(c, r) {
            findings.push(Finding::packet(d));
        }
    }
    let high = matches!(
        c.packet.risk_tier().map(|t| t.value),
        Some(TierValue::Tier(RiskTier::High))
    );
    let evidenced: Vec<Requirement> = items
        .iter()
        .filter(|i| !i.refs.is_empty())
        .filter_map(|i| i.requirement.as_ref())
        .map(|r| Requirement {
            number: cited_number(&r.value),
            words: words(&r.value),
        })
        .collect();
    for (n, dm) in c.packet.done_means().iter().enumerate() {
        let text = words(&dm.value);
        if evidenced.iter().any(|r| r.covers(n + 1, &text)) {
            continue;
        }
        let mut d = c.at(
            &git::DONE_MEANS_NO_EVIDENCE,
            format!(
                "DONE_MEANS {} `{}` has no file:line evidence",
                n + 1,
                dm.value
            ),
            dm.line,
            dm.column,
        );
        if high {
            d = d.severity(Severity::Error);
            d.message.push_str(" (required for HIGH risk)");
        }
        findings.push(Finding::packet(d));
    }
    CheckResult::new("evidence", findings)
}

fn check_ref(c: &ChangeCheck, r: &Spanned<EvidenceRef>) -> Option<crate::diag::Diagnostic> {
    let e = &r.value;
    let shown = if e.start == e.end {
        format!("{}:{}", e.path, e.start)
    } else {
        format!("{}:{}-{}", e.path, e.start, e.end)
    };
    let at = |code, msg: String| Some(c.at(code, msg, r.line, r.column));
    if crate::paths::check_relative(&e.path).is_err() {
        return at(
            &git::EVIDENCE_PATH_MISSING,
            format!("evidence `{shown}` points outside the repository"),
        );
    }
    let content = (c.content)(Side::Head, &e.path);
    let bytes = match &*content {
        FileContent::Present(b) => b,
        FileContent::Absent => {
            return at(
                &git::EVIDENCE_PATH_MISSING,
                format!(
                    "evidence `{shown}`: `{}` does not exist in the changed tree",
                    e.path
                ),
            )
        }
        FileContent::Unreadable(why) => {
            return at(
                &git::EVIDENCE_PATH_MISSING,
                format!("evidence `{shown}`: `{}` could not be read: {why}", e.path),
            )
        }
    };
    if is_binary(bytes) {
        return None; // binary files are checked by path only
    }
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    if e.start == 0 || e.end < e.start || e.end > lines.len() {
        return at(
            &git::EVIDENCE_LINES_INVALID,
            format!(
                "evidence `{shown}` is out of range: `{}` has {} lines",
                e.path,
                lines.len()
            ),
        );
    }
    if lines[e.start - 1..e.end]
        .iter()
        .all(|l| l.trim().is_empty())
    {
        return at(
            &git::EVIDENCE_LINES_INVALID,
            format!("evidence `{shown}` points at blank lines"),
        );
    }
    None
}

/// An evidenced requirement, prepared for matching against DONE_MEANS items.
struct Requirement {
    number: Option<usize>,
    words: String,
}

impl Requirement {
    /// Whether this is about DONE_MEANS number `n` whose words are `text`: it cites the
    /// number (`DONE_MEANS 2`, `DM-2`, `2.`), or one text contains the other.
    fn covers(&self, n: usize, text: &str) -> bool {
        if self.number == Some(n) {
            return true;
        }
        let (short, long) = if self.words.len() <= text.len() {
            (self.words.as_str(), text)
        } else {
            (text, self.words.as_str())
        };
        short.len() >= 12 && long.contains(short)
    }
}

/// The DONE_MEANS number a requirement cites at its start.
fn cited_number(req: &str) -> Option<usize> {
    let lower = req
        .trim()
        .trim_start_matches(['*', '"', '`'])
        .to_ascii_lowercase();
    let rest = [
        "done means",
        "done_means",
        "done-means",
        "donemeans",
        "dm",
        "d",
    ]
    .iter()
    .find_map(|p| lower.strip_prefix(p))
    .unwrap_or(&lower);
    let rest = rest.trim_start_matches([' ', '#', '-', '_', '[', '(']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].chars().next();
    if digits.is_empty() || after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    digits.parse().ok()
}

/// Lower-case words of letters and digits, one space apart.
fn words(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::cited_number;

    #[test]
    fn numbers_cited() {
        assert_eq!(cited_number("DONE_MEANS 2: token TTL"), Some(2));
        assert_eq!(cited_number("DM-3 x"), Some(3));
        assert_eq!(cited_number("1. login"), Some(1));
        assert_eq!(cited_number("#4"), Some(4));
        assert_eq!(cited_number("DB is behind trait"), None);
        assert_eq!(cited_number("3des cipher"), None);
    }
}
