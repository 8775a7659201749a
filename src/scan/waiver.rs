//! Inline waivers: `gov:allow(SCN010) reason` in a comment (any style: `//`, `#`,
//! `/* */`, `--`) on the finding's line or the line above. Several codes may be given:
//! `gov:allow(SCN010, SCN011) reason`.

pub const MARKER: &[u8] = b"gov:allow(";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub line: usize,
    pub column: usize,
    pub codes: Vec<String>,
    pub reason: Option<String>,
    /// Per code: did it excuse a finding?
    pub used: Vec<bool>,
}

impl Waiver {
    /// Parses the waiver whose marker starts at `at` in `line` (the text of one line).
    /// `None` when the parentheses are not closed (then it is prose, not a waiver).
    pub fn parse(line_text: &str, at: usize, line: usize, column: usize) -> Option<Waiver> {
        let rest = line_text.get(at + MARKER.len()..)?;
        let close = rest.find(')')?;
        let codes: Vec<String> = rest[..close]
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        if codes.is_empty() {
            return None;
        }
        let reason = clean_reason(&rest[close + 1..]);
        Some(Waiver {
            line,
            column,
            used: vec![false; codes.len()],
            codes,
            reason,
        })
    }

    /// Marks `code` used if this waiver covers a finding on `line`.
    pub fn covers(&mut self, code: &str, line: usize) -> bool {
        if line != self.line && line != self.line + 1 {
            return false;
        }
        match self.codes.iter().position(|c| c.eq_ignore_ascii_case(code)) {
            Some(i) => {
                self.used[i] = true;
                true
            }
            None => false,
        }
    }
}

/// The reason after the closing parenthesis, without comment terminators and
/// separators; `None` unless it has at least one letter or digit.
fn clean_reason(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s
        .strip_suffix("*/")
        .or_else(|| s.strip_suffix("-->"))
        .unwrap_or(s)
        .trim()
        .trim_start_matches([':', '-', '—', ' '])
        .trim();
    s.chars().any(char::is_alphanumeric).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Option<Waiver> {
        let at = line.find("gov:allow(")?;
        Waiver::parse(line, at, 1, at + 1)
    }

    #[test]
    fn parses_codes_and_reason() {
        let w = parse("x.unwrap(); // gov:allow(SCN010) length checked above").unwrap();
        assert_eq!(w.codes, ["SCN010"]);
        assert_eq!(w.reason.as_deref(), Some("length checked above"));
        let w = parse("/* gov:allow(SCN010, SCN011): startup only */").unwrap();
        assert_eq!(w.codes, ["SCN010", "SCN011"]);
        assert_eq!(w.reason.as_deref(), Some("startup only"));
        assert_eq!(parse("# gov:allow(SCN020)").unwrap().reason, None);
        assert_eq!(parse("-- gov:allow(SCN020) -- */").unwrap().reason, None);
        assert!(parse("see gov:allow(CODE").is_none());
        assert!(parse("gov:allow() x").is_none());
    }

    #[test]
    fn covers_own_line_and_next() {
        let mut w = parse("// gov:allow(SCN010) ok").unwrap();
        assert!(w.covers("SCN010", 1));
        assert!(w.covers("scn010", 2));
        assert!(!w.covers("SCN010", 3));
        assert!(!w.covers("SCN011", 1));
        assert_eq!(w.used, [true]);
    }
}
