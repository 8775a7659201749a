//! Zero Placeholder Policy: unfilled template text in prose. Code (fenced blocks and
//! inline code) may contain braces freely, except `{{X}}` template tokens and the
//! hints of gov's own templates (`{command that proves a DONE_MEANS item}`), which are
//! placeholders wherever they are left.

use super::PacketCheck;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::markdown::LineKind;
use crate::model::packet::names;
use std::sync::OnceLock;
use tokens::{matches, Literals};

mod tokens;

/// Longer brace groups are prose or code, not a template token.
const MAX_PLACEHOLDER: usize = 84;

/// Collects the template hints ahead of time (a scan of two small texts; the regexes
/// this once compiled are gone).
pub(super) fn prepare() {
    hints();
}

/// Every `{hint}` of the built-in packet and refinement templates, verbatim.
fn hints() -> &'static Literals {
    static HINTS: OnceLock<Literals> = OnceLock::new();
    HINTS.get_or_init(|| {
        let hints = [crate::templates::PACKET, crate::templates::REFINEMENT]
            .iter()
            .flat_map(|t| matches(t, tokens::brace_group).map(|m| &t[m]))
            .filter(|m| !m.starts_with("{{"))
            .collect();
        Literals::new(hints)
    })
}

/// `{email, password}` and `{jwt_token, expires_in: 86400}` are JSON-ish data, not
/// placeholders; `{field_name}`, `{1-2 sentences}`, `{e.g., A2.3.12}` and
/// `{1-2 sentences: what changes}` are. Data is a list of fields (two or more
/// identifiers) or of `key: value` pairs whose key is an identifier or a quoted string
/// and whose value is one token or a quoted string; anything else in braces in prose
/// is a hint someone forgot to fill.
fn is_placeholder_braces(m: &str) -> bool {
    let inner = &m[1..m.len() - 1];
    if inner.trim().is_empty() {
        return false;
    }
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    let quoted = |s: &str| s.len() >= 2 && s.starts_with('"') && s.ends_with('"');
    let identifier = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    let pair = |p: &str| match p.split_once(':') {
        Some((k, v)) => {
            let (k, v) = (k.trim(), v.trim());
            (identifier(k) || quoted(k))
                && !v.is_empty()
                && (quoted(v) || !v.contains(char::is_whitespace))
        }
        None => false,
    };
    let fields = parts.len() >= 2 && parts.iter().all(|p| identifier(p) || pair(p));
    let pairs = parts.iter().all(|p| pair(p));
    !(fields || pairs)
}

pub fn check(c: &PacketCheck) -> Vec<Diagnostic> {
    let doc = &c.packet.doc;
    let hints = hints();
    // an unfilled signature (USER_SIGNATURE, or the log's `Signature:` line) is reported
    // once, by the signature rule (PKT017)
    let signature_lines: Vec<usize> = c
        .packet
        .fields_named(names::USER_SIGNATURE)
        .chain(c.packet.fields.iter().filter(|f| f.name == "signature"))
        .map(|f| f.line + 1)
        .collect();
    let mut out = Vec::new();
    for i in 0..doc.lines.len() {
        let kind = doc.lines[i].kind;
        if kind == LineKind::Blank {
            continue;
        }
        let range = doc.lines[i].range.clone();
        let text = &doc.source.text[range.clone()];
        // found once per line: reported here, and a brace group inside one is not
        let templates: Vec<std::ops::Range<usize>> = matches(text, tokens::template).collect();
        for m in templates.iter().filter(|m| m.len() <= MAX_PLACEHOLDER) {
            out.push(hit(c, i, range.start + m.start, &text[m.clone()]));
        }
        if kind == LineKind::Comment {
            continue; // text a reader never sees is never content
        }
        let code = doc.is_code(i) || kind == LineKind::Html;
        // a built-in template's hint is a placeholder even in code (the TEST_PLAN
        // block of a fresh packet holds `# {command that proves a DONE_MEANS item}`);
        // in prose the general rule below finds it
        if code {
            for m in matches(text, |t, at| hints.find(t, at)) {
                out.push(hit(c, i, range.start + m.start, &text[m]));
            }
            continue;
        }
        for m in matches(text, tokens::prose).filter(|m| m.len() <= MAX_PLACEHOLDER) {
            let offset = range.start + m.start;
            let s = &text[m.clone()];
            let braces = s.starts_with('{');
            let inside_template = braces
                && templates
                    .iter()
                    .any(|t| t.start <= m.start && m.end <= t.end);
            let known_hint = braces && hints.is_match(s);
            if (doc.in_code_span(offset) && !known_hint)
                || inside_template
                || (braces && !is_placeholder_braces(s))
                || signature_lines.contains(&(i + 1))
            {
                continue;
            }
            out.push(hit(c, i, offset, s));
        }
    }
    out
}

fn hit(c: &PacketCheck, i: usize, offset: usize, text: &str) -> Diagnostic {
    let doc = &c.packet.doc;
    c.at(
        &pkt::PLACEHOLDER,
        format!("placeholder `{}` left in the packet", text),
        i + 1,
        doc.column(i, offset),
    )
}

#[cfg(test)]
mod tests {
    use super::{hints, is_placeholder_braces, matches};
    use crate::templates::{PACKET, REFINEMENT};
    use proptest::prelude::*;
    use regex::Regex;

    /// The hints of the built-in templates as the regex replaced here found them.
    fn hint_texts() -> Vec<String> {
        let group = Regex::new(r"\{+[^{}\n]+\}+").unwrap();
        let mut hints: Vec<String> = [PACKET, REFINEMENT]
            .iter()
            .flat_map(|t| group.find_iter(t).map(|m| m.as_str().to_string()))
            .filter(|m| !m.starts_with("{{"))
            .collect();
        hints.sort();
        hints.dedup();
        hints
    }

    fn hints_regex() -> Regex {
        let escaped: Vec<String> = hint_texts().iter().map(|h| regex::escape(h)).collect();
        Regex::new(&escaped.join("|")).unwrap()
    }

    fn same_as_regex(s: &str) -> Result<(), TestCaseError> {
        let found: Vec<_> = matches(s, |t, at| hints().find(t, at)).collect();
        let by_regex: Vec<_> = hints_regex().find_iter(s).map(|m| m.range()).collect();
        prop_assert_eq!(found, by_regex, "{:?}", s);
        prop_assert_eq!(hints().is_match(s), hints_regex().is_match(s));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Lines of the templates' own hints, cut and joined with braces and text.
        #[test]
        fn the_hints_are_found_as_the_regex_found_them(
            pieces in prop::collection::vec(
                (0usize..64, prop::sample::select(&["", "{", "}", "}}", "x", " ", "\n", "é"][..])),
                0..8,
            )
        ) {
            let texts = hint_texts();
            let s: String = pieces
                .iter()
                .map(|(k, glue)| {
                    let h = &texts[k % texts.len()];
                    // a whole hint, or a hint missing its last character
                    let h = if k % 3 == 0 { &h[..h.len() - 1] } else { &h[..] };
                    format!("{h}{glue}")
                })
                .collect();
            same_as_regex(&s)?;
        }
    }

    #[test]
    fn the_templates_hold_the_hints_the_regex_found() {
        for t in [PACKET, REFINEMENT] {
            same_as_regex(t).unwrap();
        }
        assert_eq!(hint_texts().len(), 19);
    }

    #[test]
    fn braces() {
        assert!(is_placeholder_braces("{field_name}"));
        assert!(is_placeholder_braces("{1-2 sentences}"));
        assert!(is_placeholder_braces("{e.g., A2.3.12.3}"));
        assert!(!is_placeholder_braces("{email, password}"));
        assert!(!is_placeholder_braces("{jwt_token, expires_in: 86400}"));
        assert!(!is_placeholder_braces("{}"));
        // hints holding a colon, and other shapes
        assert!(is_placeholder_braces("{1-2 sentences: what changes}"));
        assert!(is_placeholder_braces("{note: fill this in later}"));
        assert!(is_placeholder_braces(
            "{git revert <sha> or explicit undo steps}"
        ));
        assert!(!is_placeholder_braces("{\"a\": 1, \"b\": \"two words\"}"));
        assert!(!is_placeholder_braces("{retries: 3}"));
    }

    #[test]
    fn every_hint_of_the_built_in_templates_is_known() {
        let hints = super::hints();
        for h in [
            "{1-2 sentences: what changes}",
            "{command that proves a DONE_MEANS item}",
            "{exact file path 1}",
            "{traits, structs or enums that must be implemented}",
        ] {
            assert!(hints.is_match(h), "{h}");
        }
        assert!(!hints.is_match("{{WP_ID}}x"));
        assert!(!hints.is_match("{jwt_token, expires_in: 86400}"));
    }
}
