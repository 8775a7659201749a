//! Spec anchors as packets cite them: `§2.3.12.3`, `A2.3.12.3`, `2.3.12.3`, `Â§2.3.12`,
//! `??2.3.12`, `A`+U+0015, `\u00a7` spelled out, ranges `2.3.10.6-2.3.10.8`, wildcards
//! `2.3.14.x` / `4.3.9.15.*` (the section itself), a spec file name before the number,
//! `[CX-...]` codes, a module of a modular spec (`03-storage.md#3.5`, `#3.5 Title`,
//! `#cache-minimum`), a heading title after a spec file name, and a line of a spec file
//! (`X_v02.50.md:4120 Title`). Numbers are normalised to a bare dotted section number.

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
    /// A section of a named spec module (`03-storage.md#3.5`): looked for in that module
    /// first. Exactly one of `number` and `slug` is set.
    Module {
        module: String,
        number: Option<SectionNumber>,
        /// `#cache-minimum`: a heading title written as a slug.
        slug: Option<String>,
    },
    /// A heading title after a spec file name (`X_v02.50.md WidgetSummaryV1 record format`).
    Title {
        title: String,
    },
    /// A line of a spec file (`X_v02.50.md:4120 Title`); the title, when given, decides.
    Line {
        file: String,
        line: usize,
        title: Option<String>,
    },
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anchor::Section { number } => write!(f, "§{number}"),
            Anchor::Range { from, to } => write!(f, "§{from}-§{to}"),
            Anchor::Code { code } => write!(f, "[{code}]"),
            Anchor::Module {
                module,
                number: Some(n),
                ..
            } => write!(f, "{module}#{n}"),
            Anchor::Module { module, slug, .. } => {
                write!(f, "{module}#{}", slug.as_deref().unwrap_or(""))
            }
            Anchor::Title { title } => write!(f, "the heading `{title}`"),
            Anchor::Line {
                file,
                line,
                title: Some(t),
            } => write!(f, "{file}:{line} `{t}`"),
            Anchor::Line { file, line, .. } => write!(f, "{file}:{line}"),
        }
    }
}

impl Anchor {
    /// The section numbers the anchor names (both ends of a range).
    pub fn numbers(&self) -> Vec<SectionNumber> {
        match self {
            Anchor::Section { number } => vec![number.clone()],
            Anchor::Range { from, to } => vec![from.clone(), to.clone()],
            Anchor::Module {
                number: Some(n), ..
            } => vec![n.clone()],
            _ => Vec::new(),
        }
    }
}

/// Reads every anchor cited in a piece of text, in order, without duplicates.
///
/// A number counts as an anchor when it carries a section prefix (`§`, `A`, `??`), a
/// wildcard end (`.x`, `.*`) or has at least one dot; numbers glued to letters
/// (`v02.85`) and `.md` file names are skipped, so `Master_Spec_v02.85.md §2.3.12
/// (requirement 1)` yields only `2.3.12`. Clauses are separated by `,` and `;`; a
/// clause holding a spec file name and no anchor cites the heading titled by the words
/// after the name.
pub fn parse_anchors(text: &str) -> Vec<Anchor> {
    let repaired = crate::text::repair_mojibake(text);
    let text = normalize_section_signs(&repaired);
    let mut out: Vec<Anchor> = Vec::new();
    for clause in text.split([',', ';', '\n']) {
        for a in clause_anchors(clause) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// `\u00a7`, `\u00A7` and `\\u00a7` written out, and `A` + U+0015 (a `§` that lost its
/// first byte), become `§`.
fn normalize_section_signs(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\u00") && !text.contains('\u{15}') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.replace("A\u{15}", "§").replace('\u{15}', "§");
    for from in ["\\\\u00a7", "\\\\u00A7", "\\u00a7", "\\u00A7"] {
        out = out.replace(from, "§");
    }
    std::borrow::Cow::Owned(out)
}

/// A word without quotes, parentheses and bold markers; a wildcard `.*` end is kept.
fn trim_word(w: &str) -> &str {
    let w = w
        .trim_matches(|c: char| "()`\"'".contains(c))
        .trim_start_matches('*');
    if w.ends_with(".*") && !w.ends_with(".**") {
        w
    } else {
        w.trim_end_matches('*')
    }
}

fn clause_anchors(clause: &str) -> Vec<Anchor> {
    let words: Vec<&str> = clause.split_whitespace().collect();
    let mut out = Vec::new();
    let mut spec_file_at: Option<usize> = None;
    for (i, raw) in words.iter().enumerate() {
        let word = trim_word(raw);
        if word.is_empty() {
            continue;
        }
        if let Some(a) = module_anchor(word) {
            out.push(a);
            continue;
        }
        if let Some((file, line)) = line_reference(word) {
            let title = title_words(&words[i + 1..]);
            out.push(Anchor::Line { file, line, title });
            // the rest of the clause is the line's title
            return out;
        }
        if word.to_ascii_lowercase().ends_with(".md") {
            if spec_file_at.is_none() && names_a_spec(word) {
                spec_file_at = Some(i);
            }
            continue;
        }
        if let Some(code) = code_token(word) {
            out.push(Anchor::Code { code });
            continue;
        }
        if let Some(a) = range_or_section(word) {
            out.push(a);
        }
    }
    if out.is_empty() {
        if let Some(title) = spec_file_at.and_then(|i| title_words(&words[i + 1..])) {
            out.push(Anchor::Title { title });
        }
    }
    out
}

/// A spec file name: versioned (`X_v02.50.md`) or named a spec.
fn names_a_spec(word: &str) -> bool {
    let name = file_name(word);
    name.to_ascii_lowercase().contains("spec") || super::spec::split_version(name).is_some()
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The words of a title, trimmed of quotes and trailing punctuation; `None` if empty.
fn title_words(words: &[&str]) -> Option<String> {
    let joined = words.join(" ");
    let t = joined
        .trim()
        .trim_matches(|c: char| "`\"'“”:-–—()[]".contains(c))
        .trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// `path/03-storage.md#3.5`, `03-storage.md#A3.5`, `03-storage.md#cache-minimum`.
fn module_anchor(word: &str) -> Option<Anchor> {
    let lower = word.to_ascii_lowercase();
    let at = lower.find(".md#")?;
    let module = file_name(&word[..at + 3]).to_string();
    if module.len() <= 3 {
        return None;
    }
    let fragment = word[at + 4..].trim_end_matches([':', '.', ')', ']']);
    let (_, rest) = strip_section_prefix(fragment);
    if let Some(number) = wildcard_or_number(rest).map(|(n, _)| n) {
        return Some(Anchor::Module {
            module,
            number: Some(SectionNumber(number)),
            slug: None,
        });
    }
    let slug = fragment.trim_matches(['-', '#']);
    (!slug.is_empty() && slug.len() <= 200).then(|| Anchor::Module {
        module,
        number: None,
        slug: Some(slug.to_string()),
    })
}

/// `X_v02.50.md:4120` → (`X_v02.50.md`, 4120).
fn line_reference(word: &str) -> Option<(String, usize)> {
    let lower = word.to_ascii_lowercase();
    let at = lower.find(".md:")?;
    let digits = word[at + 4..].trim_end_matches([':', '.', ',', ')']);
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let line: usize = digits.parse().ok()?;
    (line > 0).then(|| (file_name(&word[..at + 3]).to_string(), line))
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
        .trim_end_matches([':', ']', ')'])
        .trim_start_matches(['[', '(']);
    let word = if word.ends_with(".*") {
        word
    } else {
        word.trim_end_matches('.')
    };
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

/// One section token: optional `§` / `A` / `??` prefix, then a dotted number, maybe
/// ending in a wildcard (`.x`, `.*`) that stands for the section itself.
fn section_token(tok: &str) -> Option<SectionNumber> {
    let (prefixed, rest) = strip_section_prefix(tok);
    let (number, wildcard) = wildcard_or_number(rest)?;
    if prefixed || wildcard || number.contains('.') {
        Some(SectionNumber(number))
    } else {
        None
    }
}

/// A dotted number, or one ending in `.x` / `.*` (then `true`: the section itself).
fn wildcard_or_number(s: &str) -> Option<(String, bool)> {
    for w in [".x", ".*"] {
        if let Some(base) = s.strip_suffix(w) {
            return dotted_number(base).map(|n| (n, true));
        }
    }
    dotted_number(s).map(|n| (n, false))
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

    #[test]
    fn section_signs_spelled_out_and_damaged() {
        assert_eq!(sections("X_v02.50.md \\u00a72.6.6 Title"), ["§2.6.6"]);
        assert_eq!(sections("X_v02.50.md \\u00A72.6.6"), ["§2.6.6"]);
        assert_eq!(sections("X_v02.50.md \\\\u00a72.6.6"), ["§2.6.6"]);
        assert_eq!(sections("A\u{15}2.3.12"), ["§2.3.12"]);
        assert_eq!(sections("??2.9.3"), ["§2.9.3"]);
        // not an escape of `§`: nothing
        assert_eq!(sections("\\u00a8 7"), Vec::<String>::new());
    }

    #[test]
    fn wildcards_are_their_section() {
        assert_eq!(sections("2.3.14.x"), ["§2.3.14"]);
        assert_eq!(sections("4.3.9.15.*"), ["§4.3.9.15"]);
        assert_eq!(sections("A7.6.x"), ["§7.6"]);
        assert_eq!(sections("7.x"), ["§7"]);
        assert_eq!(sections("**7.*"), ["§7"]);
        // an upper-case X is an appendix letter, not a wildcard
        assert_eq!(sections("2.3.14.X"), ["§2.3.14.X"]);
        // a bare `x` or `*` is nothing
        assert_eq!(sections("x * .x"), Vec::<String>::new());
    }

    #[test]
    fn module_citations() {
        let a = parse_anchors(".GOV/spec/master-spec-v02.55/spec-modules/03-storage.md#3.5");
        assert_eq!(
            a,
            [Anchor::Module {
                module: "03-storage.md".into(),
                number: Some(SectionNumber("3.5".into())),
                slug: None
            }]
        );
        assert_eq!(a[0].numbers(), [SectionNumber("3.5".into())]);
        let t = parse_anchors("03-storage.md#2.3.13.11 Some Title [ADD v02.55]");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].to_string(), "03-storage.md#2.3.13.11");
        let slug = parse_anchors("`03-storage.md#cache-minimum`");
        assert_eq!(slug[0].to_string(), "03-storage.md#cache-minimum");
        assert!(slug[0].numbers().is_empty());
        assert_eq!(parse_anchors("x.md#"), Vec::<Anchor>::new());
    }

    #[test]
    fn titles_and_lines() {
        assert_eq!(
            parse_anchors("X_v02.50.md WidgetSummaryV1 record format"),
            [Anchor::Title {
                title: "WidgetSummaryV1 record format".into()
            }]
        );
        assert_eq!(
            parse_anchors("X_v02.50.md:4120 Title here"),
            [Anchor::Line {
                file: "X_v02.50.md".into(),
                line: 4120,
                title: Some("Title here".into())
            }]
        );
        assert_eq!(sections("`#### 7.5.4.8 Title`"), ["§7.5.4.8"]);
        // a number wins over the title words; prose without a spec file is nothing
        assert_eq!(sections("X_v02.50.md §2.6.6 Title"), ["§2.6.6"]);
        assert_eq!(sections("see the storage chapter"), Vec::<String>::new());
        assert_eq!(
            sections("docs/TASK_BOARD.md the board"),
            Vec::<String>::new()
        );
        assert_eq!(parse_anchors("X.md:0 Title"), Vec::<Anchor>::new());
    }
}
