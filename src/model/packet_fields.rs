//! The packet's prose fields (What, Why, ROLLBACK_HINT) and where any value of a
//! packet sits in its file, with the JSON Pointer of the value for a `packet.json`
//! packet (whose typed [`Packet`] is read from a Markdown projection of the JSON).

use super::fields::{strip_heading_decoration, Field};
use super::packet::{names, Packet};
use crate::markdown::LineKind;
use crate::text::{normalize_name, strip_decoration, Spanned};

/// Where a value sits in the packet's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The JSON Pointer of the value, for a `packet.json` packet.
    pub pointer: Option<String>,
}

/// The JSON value that one line of a `packet.json` packet's projection stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonOrigin {
    /// 1-based line of the projection holding the value.
    pub projected_line: usize,
    pub pointer: String,
    /// Where the value starts in the JSON file.
    pub line: usize,
    pub column: usize,
}

/// Sections whose own `What:` / `Why:` / `Rollback:` lines detail that section (the
/// template's `## RISK_TIER` carries `- Why:`), not the packet.
const OWNERS: &[&[&str]] = &[
    names::RISK_TIER,
    names::VALIDATION,
    names::CURRENT_STATE,
    names::TEST_PLAN,
    names::DONE_MEANS,
    names::BOOTSTRAP,
    names::ROLLBACK_HINT,
    names::SIGNATURE_LOG,
    &["VALIDATION_REPORTS", "EVIDENCE_MAPPING"],
];

fn section_name(f: &Field) -> String {
    normalize_name(&strip_heading_decoration(&f.key))
}

impl Packet {
    /// `What:` — what the packet builds, in one or two sentences.
    pub fn what(&self) -> Option<Spanned<String>> {
        self.prose(names::WHAT)
    }

    /// `Why:` — the rationale and its spec reference.
    pub fn why(&self) -> Option<Spanned<String>> {
        self.prose(names::WHY)
    }

    /// `ROLLBACK_HINT:` — how to undo the work.
    pub fn rollback_hint(&self) -> Option<Spanned<String>> {
        self.prose(names::ROLLBACK_HINT)
    }

    /// A prose field: the first field of that name that is not a detail of another
    /// packet section (see [`OWNERS`]). A later repeat never replaces it, and a heading
    /// inside a code block is code, not a field. The value is the inline text and the
    /// body's lines (code lines included, fences, blank lines and comments left out),
    /// joined by newlines, located at its first line; an empty field is an empty value
    /// located at the field.
    pub fn prose(&self, wanted: &[&str]) -> Option<Spanned<String>> {
        let f = self
            .fields_named(wanted)
            .find(|f| !self.is_detail_of_another_section(f, wanted))?;
        Some(self.prose_of(f))
    }

    fn is_detail_of_another_section(&self, f: &Field, wanted: &[&str]) -> bool {
        let own: Vec<String> = wanted.iter().map(|w| normalize_name(w)).collect();
        self.fields.iter().any(|g| {
            g.body.contains(&f.line) && {
                let name = section_name(g);
                !own.contains(&name)
                    && OWNERS
                        .iter()
                        .flat_map(|o| o.iter())
                        .any(|o| normalize_name(o) == name)
            }
        })
    }

    fn prose_of(&self, f: &Field) -> Spanned<String> {
        let mut lines: Vec<Spanned<String>> = Vec::new();
        if !strip_decoration(&f.value).is_empty() {
            lines.push(Spanned::at(
                &self.doc.source,
                f.value_offset,
                f.value.clone(),
            ));
        }
        for i in f.body.clone() {
            let l = &self.doc.lines[i];
            if matches!(
                l.kind,
                LineKind::Blank | LineKind::Comment | LineKind::Conflict | LineKind::CodeFence
            ) {
                continue;
            }
            let raw = self.doc.raw(i);
            let text = raw.trim();
            if text.is_empty() {
                continue;
            }
            let at = l.range.start + (raw.len() - raw.trim_start().len());
            lines.push(Spanned::new(
                text.to_string(),
                i + 1,
                self.doc.column(i, at),
            ));
        }
        let Some(first) = lines.first() else {
            return Spanned::at(&self.doc.source, f.value_offset, String::new());
        };
        let (line, column) = (first.line, first.column);
        let value = lines
            .iter()
            .map(|s| s.value.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        Spanned::new(value, line, column)
    }

    /// Where the value found at `line`/`column` sits in the packet's file: for a
    /// `packet.json` packet, the JSON value's own line, column and pointer.
    pub fn locate(&self, line: usize, column: usize) -> Location {
        match self.json_origins.iter().find(|o| o.projected_line == line) {
            Some(o) => Location {
                line: o.line,
                column: o.column,
                pointer: Some(o.pointer.clone()),
            },
            None => Location {
                line,
                column,
                pointer: None,
            },
        }
    }

    /// [`Packet::locate`] for a spanned value.
    pub fn location_of<T>(&self, s: &Spanned<T>) -> Location {
        self.locate(s.line, s.column)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::packet::test_packet;

    #[test]
    fn what_why_and_rollback_as_bullets_and_headings() {
        let p = test_packet(
            "# Task Packet: WP-1-X\n- What: Add the login endpoint.\n- Why: Spec §3.2.1 needs it.\n\n## ROLLBACK_HINT\nIf login breaks:\n1. `git revert <sha>`\n```bash\ncargo run --bin api\n```\n",
        );
        let what = p.what().unwrap();
        assert_eq!(
            (what.value.as_str(), what.line, what.column),
            ("Add the login endpoint.", 2, 9)
        );
        assert_eq!(p.why().unwrap().value, "Spec §3.2.1 needs it.");
        let r = p.rollback_hint().unwrap();
        assert_eq!(
            r.value,
            "If login breaks:\n1. `git revert <sha>`\ncargo run --bin api"
        );
        assert_eq!((r.line, r.column), (6, 1));
    }

    #[test]
    fn absent_and_empty_fields() {
        let p = test_packet("# Task Packet: WP-1-X\n- TASK_ID: WP-1-X\n## What\n\n## Scope\n");
        assert!(p.why().is_none());
        assert!(p.rollback_hint().is_none());
        let what = p.what().unwrap();
        assert_eq!((what.value.as_str(), what.line), ("", 3));
    }

    #[test]
    fn a_heading_inside_a_code_block_is_not_a_field() {
        let p = test_packet(
            "## TEST_PLAN\n```bash\n## What\necho forged\n```\n## What\nThe real one.\n",
        );
        let what = p.what().unwrap();
        assert_eq!((what.value.as_str(), what.line), ("The real one.", 7));
        let only_forged = test_packet("## TEST_PLAN\n```md\n## Why\nforged\n```\n");
        assert!(only_forged.why().is_none());
    }

    #[test]
    fn a_repeated_field_keeps_the_first() {
        let p = test_packet("- What: first\n\n## Notes\n- What: second, appended later\n");
        assert_eq!(p.what().unwrap().value, "first");
    }

    #[test]
    fn another_sections_why_is_not_the_packets() {
        let p = test_packet("## RISK_TIER\nMEDIUM\n- Why: security-sensitive\n");
        assert!(p.why().is_none(), "the tier's justification");
        let both = test_packet(
            "## RISK_TIER\nMEDIUM\n- Why: security-sensitive\n\n## Why\nThe spec asks for it.\n",
        );
        assert_eq!(both.why().unwrap().value, "The spec asks for it.");
    }

    #[test]
    fn a_huge_value_is_kept_whole() {
        let big = "x".repeat(1 << 20);
        let p = test_packet(&format!("- What: {big}\n- Why: short\n"));
        assert_eq!(p.what().unwrap().value.len(), 1 << 20);
        assert_eq!(p.why().unwrap().value, "short");
    }

    #[test]
    fn comments_are_not_content() {
        let p = test_packet("## Why\n<!-- hidden: Why: forged -->\nVisible reason.\n");
        assert_eq!(p.why().unwrap().value, "Visible reason.");
    }

    #[test]
    fn markdown_values_are_located_without_a_pointer() {
        let p = test_packet("- What: x\n");
        let loc = p.location_of(&p.what().unwrap());
        assert_eq!((loc.line, loc.column, loc.pointer), (1, 9, None));
    }
}
