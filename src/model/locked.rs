//! The sections a user signature locks: DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS and
//! OUT_OF_SCOPE. A signed packet is immutable in these; post-work compares them
//! between the diff base and head, and the signature protocol hashes them. Both use
//! the one canonical form below, so a cosmetic re-indent never counts as a change and
//! any change of wording always does.

use super::packet::{names, Packet};
use crate::markdown::LineKind;

/// The locked sections, in this fixed order, with the names used in the canonical form.
pub const LOCKED: [(&str, &[&str]); 4] = [
    ("DONE_MEANS", names::DONE_MEANS),
    ("TEST_PLAN", names::TEST_PLAN),
    ("IN_SCOPE_PATHS", names::IN_SCOPE_PATHS),
    ("OUT_OF_SCOPE", names::OUT_OF_SCOPE),
];

/// One locked section: its canonical name, the 1-based line of its opener (if the
/// packet has it) and its whitespace-normalised body lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedSection {
    pub name: &'static str,
    pub line: Option<usize>,
    pub lines: Vec<String>,
}

/// The four sections in the fixed order; a missing section has no lines.
pub fn locked_parts(p: &Packet) -> Vec<LockedSection> {
    LOCKED
        .iter()
        .map(|&(name, spellings)| match p.field(spellings) {
            None => LockedSection {
                name,
                line: None,
                lines: Vec::new(),
            },
            Some(f) => {
                let inline = normalize_ws(&f.value);
                let body = f
                    .body
                    .clone()
                    .filter(|&i| p.doc.lines[i].kind != LineKind::Blank)
                    .map(|i| normalize_ws(p.doc.raw(i)));
                LockedSection {
                    name,
                    line: Some(f.line + 1),
                    lines: std::iter::once(inline)
                        .chain(body)
                        .filter(|l| !l.is_empty())
                        .collect(),
                }
            }
        })
        .collect()
}

/// The canonical text of the locked sections: for each section in the order
/// DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS, OUT_OF_SCOPE, a line `[NAME]` followed by the
/// section's non-blank lines (its inline value first, then its body as written, list
/// markers and code included), each trimmed with inner whitespace runs collapsed to
/// one space, every line ending in `\n`. Hash this text to pin a signed packet.
pub fn locked_sections(p: &Packet) -> String {
    let mut out = String::new();
    for s in locked_parts(p) {
        out.push('[');
        out.push_str(s.name);
        out.push_str("]\n");
        for l in s.lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::wp_id::WpId;
    use crate::text::Source;

    fn packet(text: &str) -> Packet {
        Packet::parse(
            WpId::parse("WP-1-X").unwrap(),
            Source::from_bytes("WP-1-X.md", text.as_bytes()),
        )
    }

    #[test]
    fn canonical_form_is_ordered_and_whitespace_normalised() {
        let p = packet("## TEST_PLAN\n```bash\ncargo   test\n```\n\n## Scope\n- IN_SCOPE_PATHS:\n  - src/a.rs\n\n## DONE_MEANS\n1. works\n");
        assert_eq!(
            locked_sections(&p),
            "[DONE_MEANS]\n1. works\n[TEST_PLAN]\n```bash\ncargo test\n```\n[IN_SCOPE_PATHS]\n- src/a.rs\n[OUT_OF_SCOPE]\n"
        );
        let reindented = packet("## TEST_PLAN\n```bash\ncargo test  \n```\n## Scope\n- IN_SCOPE_PATHS:\n    - src/a.rs\n## DONE_MEANS\n1.  works\n");
        assert_eq!(locked_sections(&p), locked_sections(&reindented));
        let changed = packet("## TEST_PLAN\n```bash\ncargo test\n```\n## Scope\n- IN_SCOPE_PATHS:\n  - src/a.rs\n  - src/b.rs\n## DONE_MEANS\n1. works\n");
        assert_ne!(locked_sections(&p), locked_sections(&changed));
    }

    #[test]
    fn crlf_does_not_count() {
        let lf = packet("## DONE_MEANS\n1. a\n2. b\n");
        let crlf = packet("## DONE_MEANS\r\n1. a\r\n2. b\r\n");
        assert_eq!(locked_sections(&lf), locked_sections(&crlf));
    }
}
