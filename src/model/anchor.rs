//! Spec anchors as packets cite them: `§2.3.12.3`, `A2.3.12.3`, `2.3.12.3`, `Â§2.3.12`,
//! `??2.3.12`, ranges `2.3.10.6-2.3.10.8`, a spec file name before the number, and
//! `[CX-...]` codes. Everything is normalised to a bare dotted section number.

use serde::Serialize;
use std::fmt;

/// A normalised section number: `2.3.12`, `2.3.14.A`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct SectionNumber(pub String);

impl fmt::Display for SectionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Anchor {
    Section {
        number: SectionNumber,
    },
    Range {
        from: SectionNumber,
        to: SectionNumber,
    },
    Code {
        code: String,
    },
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anchor::Section { number } => write!(f, "§{number}"),
            Anchor::Range { from, to } => write!(f, "§{from}-§{to}"),
            Anchor::Code { code } => write!(f, "[{code}]"),
        }
    }
}

/// Reads every anchor cited in a piece of text, in order, without duplicates.
///
/// A number counts as an anchor when it carries a section prefix (`§`, `A`, `??`) or
/// has at least one dot; numbers glued to letters (`v02.85`) and `.md` file names are
/// skipped, so `Master_Spec_v02.85.md §2.3.12 (requirement 1)` yields only `2.3.12`.
pub fn parse_anchors(text: &str) -> Vec<Anchor> {
    let text = crate::text::repair_mojibake(text);
    let mut out: Vec<Anchor> = Vec::new();
    let push = |a: Anchor, out: &mut Vec<Anchor>| {
        if !out.contains(&a) {
            out.push(a);
        }
    };
    for word in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let word = word.trim_matches(|c: char| "()*`\"'".contains(c));
        if word.is_empty() || word.to_ascii_lowercase().ends_with(".md") {
            continue;
        }
        if let Some(code) = code_token(word) {
            push(Anchor::Code { code }, &mut out);
            continue;
        }
        if let Some(a) = range_or_section(word) {
            push(a, &mut out);
        }
    }
    out
}

fn code_token(word: &str) -> Option<String> {
    let inner = word
        .trim_start_matches('[')
        .trim_end_matches([']', ':', '.']);
    let is_code = inner.len() > 3
        && inner.contains('-')
        && inner.starts_with(|c: char| c.is_ascii_uppercase())
        && !inner.starts_with("WP-")
        && inner
            .split('-')
            .next()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_uppercase()) && p.len() >= 2)
        && inner
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    (word.starts_with('[') && is_code).then(|| inner.to_string())
}

fn range_or_section(word: &str) -> Option<Anchor> {
    let word = word
        .trim_end_matches([':', '.', ']', ')'])
        .trim_start_matches(['[', '(']);
    // en dash and hyphen both separate ranges
    let parts: Vec<&str> = word.splitn(2, ['-', '–']).collect();
    if parts.len() == 2 {
        let from = section_token(parts[0])?;
        let to = section_token(parts[1]).or_else(|| short_range_end(&from, parts[1]))?;
        return Some(Anchor::Range { from, to });
    }
    section_token(word).map(|number| Anchor::Section { number })
}

/// `2.3.10.6-8` style ranges: the end repeats only the last component.
fn short_range_end(from: &SectionNumber, end: &str) -> Option<SectionNumber> {
    if end.is_empty() || !end.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let prefix = from.0.rsplit_once('.').map(|(p, _)| p)?;
    Some(SectionNumber(format!("{prefix}.{end}")))
}

/// One section token: optional `§` / `A` / `??` prefix, then a dotted number.
fn section_token(tok: &str) -> Option<SectionNumber> {
    let (prefixed, rest) = strip_section_prefix(tok);
    let number = dotted_number(rest)?;
    if prefixed || number.contains('.') {
        Some(SectionNumber(number))
    } else {
        None
    }
}

fn strip_section_prefix(tok: &str) -> (bool, &str) {
    let mut rest = tok;
    let mut prefixed = false;
    for p in ["§", "??", "?"] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            prefixed = true;
            break;
        }
    }
    // `A2.3.12` and `§A9.2.1`: a single A directly before the first digit.
    if let Some(r) = rest.strip_prefix('A') {
        if r.starts_with(|c: char| c.is_ascii_digit()) {
            rest = r;
            prefixed = true;
        }
    }
    (prefixed, rest)
}

/// `2.3.12`, `2.3.14.A`, `1.1` — the first component numeric, the rest alphanumeric.
pub fn dotted_number(s: &str) -> Option<String> {
    let s = s.trim_end_matches('.');
    if is_canonical_number(s) {
        return Some(s.to_string());
    }
    let mut comps = s.split('.');
    let first = comps.next()?;
    if first.is_empty() || first.len() > 6 || !first.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut out = first.trim_start_matches('0').to_string();
    if out.is_empty() {
        out.push('0');
    }
    for c in comps {
        let ok = !c.is_empty() && c.len() <= 6 && c.chars().all(|ch| ch.is_ascii_alphanumeric());
        if !ok {
            return None;
        }
        out.push('.');
        if c.chars().all(|ch| ch.is_ascii_digit()) {
            let trimmed = c.trim_start_matches('0');
            out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
        } else {
            out.push_str(c);
        }
    }
    Some(out)
}

/// Already normalised (`2.3.12`): digits and dots, no empty or zero-padded parts.
pub(crate) fn is_canonical_number(s: &str) -> bool {
    // one pass over the bytes: this runs for every heading of multi-MB specs
    let mut part_len = 0usize;
    let mut leading_zero = false;
    for &b in s.as_bytes() {
        match b {
            b'.' if part_len > 0 => part_len = 0,
            b'0'..=b'9' if part_len == 0 => {
                leading_zero = b == b'0';
                part_len = 1;
            }
            // `0` alone is a part, `01` is not
            b'0'..=b'9' if !leading_zero && part_len < 6 => part_len += 1,
            _ => return false,
        }
    }
    part_len > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Vec<String> {
        parse_anchors(text).iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn canonical_numbers() {
        for ok in ["1", "0", "2.3.12", "10.0.1", "123456.1"] {
            assert!(is_canonical_number(ok), "{ok}");
        }
        for bad in [
            "", ".", "1.", ".1", "1..2", "01", "1.02", "1234567", "1.a", "1 2", "§1",
        ] {
            assert!(!is_canonical_number(bad), "{bad}");
        }
    }

    /// The one-pass check agrees with the rule as written: parts of 1–6 ASCII digits
    /// without a leading zero (except `0` itself), separated by single dots.
    #[test]
    fn canonical_numbers_match_the_rule_exhaustively() {
        let rule = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|p| {
                    (1..=6).contains(&p.len())
                        && p.bytes().all(|b| b.is_ascii_digit())
                        && (p == "0" || !p.starts_with('0'))
                })
        };
        for w in crate::text::every_concatenation(&["0", "1", ".", "a"], 8, "") {
            assert_eq!(is_canonical_number(&w), rule(&w), "{w:?}");
        }
    }

    #[test]
    fn prefixes_and_mojibake() {
        assert_eq!(sections("§2.3.12.3"), ["§2.3.12.3"]);
        assert_eq!(sections("A2.3.12.3"), ["§2.3.12.3"]);
        assert_eq!(sections("2.3.12.3"), ["§2.3.12.3"]);
        assert_eq!(sections("Â§2.3.12"), ["§2.3.12"]);
        assert_eq!(sections("??2.3.12"), ["§2.3.12"]);
        assert_eq!(sections("§A9.2.1 (Error Code Registry)"), ["§9.2.1"]);
        assert_eq!(sections("§7"), ["§7"]);
    }

    #[test]
    fn prose_numbers_and_file_names_are_not_anchors() {
        assert_eq!(
            sections("Master_Spec_v02.85.md §2.3.12 (requirement 1)"),
            ["§2.3.12"]
        );
        assert_eq!(
            sections("see version v02.85 and 3 items"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn ranges_codes_and_lists() {
        assert_eq!(sections("2.3.10.6-2.3.10.8"), ["§2.3.10.6-§2.3.10.8"]);
        assert_eq!(sections("§2.3.10.6–8"), ["§2.3.10.6-§2.3.10.8"]);
        assert_eq!(sections("[CX-DBP-001]"), ["[CX-DBP-001]"]);
        assert_eq!(
            sections("§2.3.12.1, §2.3.12.3; A4.2"),
            ["§2.3.12.1", "§2.3.12.3", "§4.2"]
        );
        assert_eq!(sections("2.3.14.A"), ["§2.3.14.A"]);
    }
}
