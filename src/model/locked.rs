//! The sections a user signature locks: DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS and
//! OUT_OF_SCOPE. Their canonical text is hashed when a packet is signed, so any later
//! edit to what was approved is detectable (signed packets are immutable).
//!
//! The canonical form ignores what does not change meaning: indentation, trailing
//! spaces, blank lines, CRLF endings and code-fence lines. It keeps everything else,
//! including list markers and code, byte for byte.

use super::packet::{names, Packet};
use crate::markdown::LineKind;
use sha2::{Digest, Sha256};

/// The locked fields, in the fixed order of the canonical text.
pub const LOCKED: [(&str, &[&str]); 4] = [
    ("DONE_MEANS", names::DONE_MEANS),
    ("TEST_PLAN", names::TEST_PLAN),
    ("IN_SCOPE_PATHS", names::IN_SCOPE_PATHS),
    ("OUT_OF_SCOPE", names::OUT_OF_SCOPE),
];

/// One locked section: its canonical name, the 1-based line of its opener (when the
/// packet has the field) and its canonical lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedSection {
    pub name: &'static str,
    pub line: Option<usize>,
    pub lines: Vec<String>,
}

/// The four sections in the fixed order, each with the lines [`locked_sections`]
/// writes for it: the inline value and body lines (prose, items and code), trimmed,
/// blank and code-fence lines dropped. Post-work compares signed packets section by
/// section with these, so its verdict and the signature hash agree.
pub fn locked_parts(p: &Packet) -> Vec<LockedSection> {
    LOCKED
        .iter()
        .map(|&(name, spellings)| {
            let Some(f) = p.field(spellings) else {
                return LockedSection {
                    name,
                    line: None,
                    lines: Vec::new(),
                };
            };
            let body = f
                .body
                .clone()
                .filter(|&i| !matches!(p.doc.lines[i].kind, LineKind::Blank | LineKind::CodeFence))
                // the file's own text: a signature locks what was signed, comments included
                .map(|i| p.doc.original(i).trim());
            let lines = std::iter::once(f.value.trim())
                .chain(body)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            LockedSection {
                name,
                line: Some(f.line + 1),
                lines,
            }
        })
        .collect()
}

/// The canonical text of the locked sections: for each, `NAME\n` then the field's
/// inline value and body lines (prose, items and code), trimmed, blank lines dropped.
/// A missing field contributes its name alone.
pub fn locked_sections(p: &Packet) -> String {
    let mut out = String::new();
    for section in locked_parts(p) {
        out.push_str(section.name);
        out.push('\n');
        for line in section.lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// `sha256:<64 hex>` of [`locked_sections`]: the form recorded in the audit.
pub fn locked_hash(p: &Packet) -> String {
    let digest = Sha256::digest(locked_sections(p).as_bytes());
    format!("{HASH_PREFIX}{digest:x}")
}

pub const HASH_PREFIX: &str = "sha256:";

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(text: &str) -> Packet {
        crate::model::packet::test_packet(text)
    }

    const P: &str = "# Task Packet: WP-1-X\n## Metadata\n- USER_SIGNATURE: <pending>\n## Scope\n- IN_SCOPE_PATHS:\n  - src/a.rs\n  - src/b.rs\n- OUT_OF_SCOPE:\n  - ui\n\n## DONE_MEANS\n1. one\n2. two\n\n## TEST_PLAN\n```bash\ncargo test\n```\n## ROLLBACK_HINT\n- revert\n";

    #[test]
    fn canonical_order_and_content() {
        assert_eq!(
            locked_sections(&packet(P)),
            "DONE_MEANS\n1. one\n2. two\nTEST_PLAN\ncargo test\nIN_SCOPE_PATHS\n- src/a.rs\n- src/b.rs\nOUT_OF_SCOPE\n- ui\n"
        );
    }

    #[test]
    fn whitespace_crlf_and_other_fields_do_not_change_the_hash() {
        let h = locked_hash(&packet(P));
        assert!(h.starts_with("sha256:") && h.len() == 7 + 64);
        let crlf = P.replace('\n', "\r\n");
        assert_eq!(locked_hash(&packet(&crlf)), h);
        let signed = P.replace("<pending>", "alice151220251430");
        assert_eq!(locked_hash(&packet(&signed)), h);
        let spaced = P.replace("1. one\n", "1. one   \n\n");
        assert_eq!(locked_hash(&packet(&spaced)), h);
        let edited = P.replace("2. two", "2. two and a half");
        assert_ne!(locked_hash(&packet(&edited)), h);
        let test_plan = P.replace("cargo test", "cargo test --release");
        assert_ne!(locked_hash(&packet(&test_plan)), h);
    }

    #[test]
    fn missing_fields_contribute_their_names() {
        assert_eq!(
            locked_sections(&packet("# nothing\n")),
            "DONE_MEANS\nTEST_PLAN\nIN_SCOPE_PATHS\nOUT_OF_SCOPE\n"
        );
    }
}
