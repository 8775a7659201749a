//! Baselines: accept today's findings, fail only on new ones. An entry is identified by
//! a fingerprint of its code, path, the trimmed text of its line and its occurrence
//! among identical lines, so moving code up or down does not make it "new".

use crate::diag::codes::scn;
use crate::diag::Diagnostic;
use crate::error::GovError;
use serde::{Deserialize, Serialize};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    /// Where it was when the baseline was written (informational).
    pub line: usize,
    pub code: String,
    pub fingerprint: String,
    /// The line's text, trimmed and shortened, for reviewers of the baseline file.
    pub text: String,
}

/// A stable 64-bit FNV-1a fingerprint, written as 16 hex digits.
pub fn fingerprint(code: &str, path: &str, line_text: &str, occurrence: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let occurrence = occurrence.to_string();
    for part in [code, path, line_text, &occurrence] {
        for &b in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Shortens a line for the baseline file (characters, not bytes).
pub fn snippet(line_text: &str) -> String {
    const MAX: usize = 120;
    if line_text.chars().count() <= MAX {
        line_text.to_string()
    } else {
        let mut s: String = line_text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

impl Baseline {
    pub fn new(mut findings: Vec<Entry>) -> Baseline {
        findings.sort();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// Parses a baseline file; anything unreadable is exit 2 (SCN006).
    pub fn parse(shown: &str, text: &str) -> Result<Baseline, GovError> {
        let bad = |reason: String| -> GovError {
            Diagnostic::new(&scn::BASELINE_INVALID, format!("{shown}: {reason}"))
                .in_file(shown.to_string())
                .into()
        };
        let b: Baseline = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if b.version != VERSION {
            return Err(bad(format!(
                "baseline version {} is not supported; write a new one",
                b.version
            )));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = fingerprint("SCN010", "src/a.rs", "x.unwrap();", 0);
        assert_eq!(a, fingerprint("SCN010", "src/a.rs", "x.unwrap();", 0));
        assert_ne!(a, fingerprint("SCN010", "src/a.rs", "x.unwrap();", 1));
        assert_ne!(a, fingerprint("SCN011", "src/a.rs", "x.unwrap();", 0));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn round_trip_and_errors() {
        let b = Baseline::new(vec![Entry {
            path: "src/a.rs".into(),
            line: 3,
            code: "SCN010".into(),
            fingerprint: "00".into(),
            text: "x".into(),
        }]);
        let back = Baseline::parse("b.json", &b.to_json()).unwrap();
        assert_eq!(back.findings, b.findings);
        assert!(Baseline::parse("b.json", "{").is_err());
        assert!(Baseline::parse("b.json", "{\"version\": 9, \"findings\": []}").is_err());
    }
}
