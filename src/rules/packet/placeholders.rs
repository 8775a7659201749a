//! Zero Placeholder Policy: unfilled template text in prose. Code (fenced blocks and
//! inline code) may contain braces freely, except `{{X}}` template tokens.

use super::PacketCheck;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::markdown::LineKind;
use crate::model::packet::names;
use crate::text::normalize_name;
use regex::Regex;
use std::sync::OnceLock;

struct Patterns {
    template: Regex,
    prose: Regex,
}

/// Longer brace groups are prose or code, not a template token.
const MAX_PLACEHOLDER: usize = 84;

pub(super) fn prepare() {
    patterns();
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        template: Regex::new(r"\{\{[^{}\n]+\}\}").expect("static regex"),
        // ASCII word boundaries and unbounded repetition: the words are ASCII, and Unicode
        // `\b` or counted repetition of a Unicode class cost milliseconds to compile
        prose: Regex::new(r"(?i:<fill>|<pending>|<paste[^>\n]*>)|(?-u:\b)TODO\(TBD\)|(?-u:\b)TBD(?-u:\b)|(?-u:\b)FIXME(?-u:\b)|\?\?\?|\{[^{}\n]+\}").expect("static regex"),
    })
}

/// `{email, password}` is a JSON-ish field list, not a placeholder; `{field_name}`,
/// `{1-2 sentences}` and `{e.g., A2.3.12}` are.
fn is_placeholder_braces(m: &str) -> bool {
    let inner = &m[1..m.len() - 1];
    if inner.contains(':') || inner.contains('"') || inner.trim().is_empty() {
        return false;
    }
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    let identifier = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    !(parts.len() >= 2 && parts.iter().all(|p| identifier(p)))
}

pub fn check(c: &PacketCheck) -> Vec<Diagnostic> {
    let doc = &c.packet.doc;
    let pats = patterns();
    // an unfilled signature (USER_SIGNATURE, or the log's `Signature:` line) is reported
    // once, by the signature rule (PKT017)
    let signature_lines: Vec<usize> = c
        .packet
        .fields
        .iter()
        .filter(|f| {
            f.name == "signature"
                || names::USER_SIGNATURE
                    .iter()
                    .any(|n| normalize_name(n) == f.name)
        })
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
        for m in pats
            .template
            .find_iter(text)
            .filter(|m| m.len() <= MAX_PLACEHOLDER)
        {
            out.push(hit(c, i, range.start + m.start(), m.as_str()));
        }
        if doc.is_code(i) || matches!(kind, LineKind::Html | LineKind::Comment) {
            continue;
        }
        for m in pats
            .prose
            .find_iter(text)
            .filter(|m| m.len() <= MAX_PLACEHOLDER)
        {
            let offset = range.start + m.start();
            let s = m.as_str();
            let braces = s.starts_with('{');
            let inside_template = braces
                && pats
                    .template
                    .find_iter(text)
                    .any(|t| t.start() <= m.start() && m.end() <= t.end());
            if doc.in_code_span(offset)
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
    use super::is_placeholder_braces;

    #[test]
    fn braces() {
        assert!(is_placeholder_braces("{field_name}"));
        assert!(is_placeholder_braces("{1-2 sentences}"));
        assert!(is_placeholder_braces("{e.g., A2.3.12.3}"));
        assert!(!is_placeholder_braces("{email, password}"));
        assert!(!is_placeholder_braces("{jwt_token, expires_in: 86400}"));
        assert!(!is_placeholder_braces("{}"));
    }
}
