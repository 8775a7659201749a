//! The Technical Refinement Block (orchestrator protocol 2.5.2) as written to
//! `refinements/WP-ID.md`: gaps, red-team advisory, primitives, the proposed spec
//! enrichment, the five-point clearly-covers checklist, ENRICHMENT_NEEDED and the
//! user's approval evidence. Sections may be headings or `- KEY:` bullets, and keys
//! may use the protocol's long labels (`red team advisory: Architectural risks ...`).

use super::fields::{self, Field};
use crate::markdown::{LineKind, MdDoc};
use crate::text::{normalize_name, strip_decoration, Source, Spanned};
use regex::Regex;
use std::sync::OnceLock;

/// Section names and the spellings seen for them.
pub mod names {
    pub const WP_ID: &[&str] = &["WP_ID", "TASK_ID"];
    pub const GAPS: &[&str] = &["GAPS_IDENTIFIED", "Gaps"];
    pub const FLIGHT_RECORDER: &[&str] = &[
        "FLIGHT_RECORDER_INTERACTION",
        "Interaction with flight recorder",
        "FLIGHT_RECORDER",
    ];
    pub const RED_TEAM: &[&str] = &["RED_TEAM_ADVISORY", "Red team"];
    pub const PRIMITIVES: &[&str] = &["PRIMITIVES"];
    pub const PROPOSED_ENRICHMENT: &[&str] = &[
        "PROPOSED_SPEC_ENRICHMENT",
        "Proposed Enrichment",
        "SPEC_ENRICHMENT",
    ];
    pub const CLEARLY_COVERS: &[&str] = &["CLEARLY_COVERS", "Clearly Covers Checklist"];
    pub const ENRICHMENT_NEEDED: &[&str] = &["ENRICHMENT_NEEDED"];
    pub const APPROVAL: &[&str] = &["USER_APPROVAL_EVIDENCE"];
    pub const VERDICT: &[&str] = &["VERDICT", "CLEARLY_COVERS_VERDICT", "Result"];
    /// The five points of "clearly covers", in the protocol's order.
    pub const POINTS: [&str; 5] = [
        "APPEARS_IN_MAIN_BODY",
        "EXPLICITLY_NAMED",
        "SPECIFIC",
        "MEASURABLE_ACCEPTANCE_CRITERIA",
        "NO_AMBIGUITY",
    ];
}

/// A yes/no answer as written: `YES`, `NO`, `PASS`, `FAIL`, ✅, ❌, or the template's
/// `YES | NO` left in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Unfilled(String),
    Invalid(String),
}

impl Answer {
    pub fn parse(raw: &str) -> Answer {
        if raw.contains('|') {
            return Answer::Unfilled(raw.trim().to_string());
        }
        if raw.contains('✅') {
            return Answer::Yes;
        }
        if raw.contains('❌') {
            return Answer::No;
        }
        let v = strip_decoration(raw);
        let word: String = v
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        match word.as_str() {
            "YES" | "Y" | "PASS" | "PASSED" | "TRUE" => Answer::Yes,
            "NO" | "N" | "FAIL" | "FAILED" | "FALSE" => Answer::No,
            _ if v.is_empty() || v.starts_with(['<', '{']) => Answer::Unfilled(v),
            _ => Answer::Invalid(v),
        }
    }
}

/// What PROPOSED_SPEC_ENRICHMENT holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrichment {
    /// `NOT APPLICABLE`, `N/A`, `NONE` (the Main Body already covers the work).
    NotApplicable,
    /// Proposed text, with whether it looks like verbatim spec text (a heading, a code
    /// block or a normative MUST/SHALL) rather than a summary.
    Text {
        lines: usize,
        verbatim: bool,
    },
    Empty,
}

#[derive(Debug, Clone)]
pub struct Refinement {
    pub path: String,
    pub doc: MdDoc,
    pub fields: Vec<Field>,
}

/// A located section of the block.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    pub field: &'a Field,
    pub line: usize,
    /// Non-blank content lines (inline value first), trimmed, with 1-based lines.
    pub content: Vec<Spanned<String>>,
}

impl Refinement {
    pub fn parse(source: Source) -> Refinement {
        let path = source.path.clone();
        let doc = MdDoc::parse(source);
        let fields = fields::collect(&doc);
        Refinement { path, doc, fields }
    }

    fn named<'a>(&'a self, names: &[&str]) -> impl Iterator<Item = &'a Field> + 'a {
        let wanted: Vec<String> = names.iter().map(|n| normalize_name(n)).collect();
        self.fields.iter().filter(move |f| wanted.contains(&f.name))
    }

    /// A section by name, with its content.
    pub fn section(&self, names: &[&str]) -> Option<Section<'_>> {
        let field = self.named(names).next()?;
        let mut content = Vec::new();
        if !strip_decoration(&field.value).is_empty() {
            content.push(Spanned::at(
                &self.doc.source,
                field.value_offset,
                field.value.clone(),
            ));
        }
        for i in field.body.clone() {
            if matches!(
                self.doc.lines[i].kind,
                LineKind::Blank | LineKind::CodeFence
            ) {
                continue;
            }
            let text = self.doc.content(i).trim();
            if !text.is_empty() {
                content.push(Spanned::new(text.to_string(), i + 1, 1));
            }
        }
        Some(Section {
            field,
            line: field.line + 1,
            content,
        })
    }

    /// A scalar value: the first field of these names with an inline value (a heading
    /// `## ENRICHMENT_NEEDED` holding `- ENRICHMENT_NEEDED: NO` finds the bullet), else
    /// the first content line of the first such field.
    pub fn value(&self, names: &[&str]) -> Option<Spanned<String>> {
        if let Some(f) = self
            .named(names)
            .find(|f| !strip_decoration(&f.value).is_empty())
        {
            return Some(Spanned::at(
                &self.doc.source,
                f.value_offset,
                f.value.clone(),
            ));
        }
        self.section(names)?.content.into_iter().next()
    }

    pub fn wp_id(&self) -> Option<Spanned<String>> {
        self.value(names::WP_ID).map(|s| {
            let id = strip_decoration(&s.value)
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            Spanned::new(id, s.line, s.column)
        })
    }

    /// ENRICHMENT_NEEDED as a field, or in the protocol's `ENRICHMENT_NEEDED=YES` form.
    pub fn enrichment_needed(&self) -> Option<Spanned<Answer>> {
        if let Some(v) = self.value(names::ENRICHMENT_NEEDED) {
            return Some(Spanned::new(Answer::parse(&v.value), v.line, v.column));
        }
        let re = equals_form();
        (0..self.doc.lines.len())
            .filter(|&i| !self.doc.is_code(i))
            .find_map(|i| {
                let raw = self.doc.raw(i);
                let m = re.captures(raw)?.get(1)?;
                let offset = self.doc.lines[i].range.start + m.start();
                Some(Spanned::at(
                    &self.doc.source,
                    offset,
                    Answer::parse(m.as_str()),
                ))
            })
    }

    /// The USER_APPROVAL_EVIDENCE value as written.
    pub fn approval_evidence(&self) -> Option<Spanned<String>> {
        self.value(names::APPROVAL)
    }

    /// Whether the approval evidence is exactly `APPROVE REFINEMENT <wp_id>`
    /// (decoration such as code ticks or bold around it is ignored).
    pub fn is_approved(&self, wp_id: &str) -> bool {
        self.approval_evidence().is_some_and(|v| {
            let text = strip_decoration(&v.value);
            let text = text.trim_matches(|c| c == '"' || c == '\'').trim();
            text == format!("APPROVE REFINEMENT {wp_id}")
        })
    }

    /// The five checklist points (each `None` when absent) and the verdict, looked
    /// up inside CLEARLY_COVERS when that section exists, else anywhere.
    pub fn clearly_covers(&self) -> Checklist {
        let scope: Option<&Field> = self.named(names::CLEARLY_COVERS).next();
        let within = |f: &&Field| scope.is_none_or(|s| s.body.contains(&f.line));
        let find = |name: &str| -> Option<Spanned<Answer>> {
            let n = normalize_name(name);
            let f = self
                .fields
                .iter()
                .filter(within)
                .find(|f| f.name == n || f.name.starts_with(&format!("{n} ")))?;
            Some(Spanned::at(
                &self.doc.source,
                f.value_offset,
                Answer::parse(&f.value),
            ))
        };
        Checklist {
            points: names::POINTS.map(|p| (p, find(p))),
            verdict: names::VERDICT.iter().find_map(|v| find(v)),
        }
    }

    /// What PROPOSED_SPEC_ENRICHMENT holds; `None` when the section is missing.
    pub fn proposed_enrichment(&self) -> Option<Spanned<Enrichment>> {
        let s = self.section(names::PROPOSED_ENRICHMENT)?;
        let at = |value| Spanned::new(value, s.line, 1);
        let Some(first) = s.content.first() else {
            return Some(at(Enrichment::Empty));
        };
        let head = strip_decoration(&first.value).to_ascii_uppercase();
        if ["NOT APPLICABLE", "N/A", "NONE", "NOT NEEDED"]
            .iter()
            .any(|p| head.starts_with(p))
        {
            return Some(at(Enrichment::NotApplicable));
        }
        let body = s.field.body.clone();
        let has_structure = body.clone().any(|i| {
            matches!(
                self.doc.lines[i].kind,
                LineKind::Heading(_) | LineKind::CodeFence | LineKind::Code
            )
        });
        let normative = normative().is_match(
            &s.content
                .iter()
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        Some(at(Enrichment::Text {
            lines: s.content.len(),
            verbatim: has_structure || normative,
        }))
    }
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub points: [(&'static str, Option<Spanned<Answer>>); 5],
    pub verdict: Option<Spanned<Answer>>,
}

impl Checklist {
    /// True when every point is answered YES.
    pub fn all_yes(&self) -> bool {
        self.points
            .iter()
            .all(|(_, a)| matches!(a, Some(s) if s.value == Answer::Yes))
    }
}

fn equals_form() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::text::static_regex(r"(?i)\bENRICHMENT[_ ]NEEDED\s*\**\s*=\s*\**\s*([A-Za-z]+)")
    })
}

fn normative() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| crate::text::static_regex(r"\b(MUST|SHALL|REQUIRED|MUST NOT|SHALL NOT)\b"))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const GOOD: &str = "# Technical Refinement: WP-1-X\n\n- WP_ID: WP-1-X\n\n## GAPS_IDENTIFIED\n- NONE: 3.1 covers login\n\n## RED_TEAM_ADVISORY\n- timing attacks on the password check\n\n## PRIMITIVES\n- struct LoginRequest\n\n## PROPOSED_SPEC_ENRICHMENT\nNOT APPLICABLE (the Main Body already clearly covers this WP)\n\n## CLEARLY_COVERS\n- APPEARS_IN_MAIN_BODY: YES\n- EXPLICITLY_NAMED: YES\n- SPECIFIC: YES\n- MEASURABLE_ACCEPTANCE_CRITERIA: YES\n- NO_AMBIGUITY: YES\n- VERDICT: PASS\n\n## ENRICHMENT_NEEDED\n- ENRICHMENT_NEEDED: NO\n\n## APPROVAL\n- USER_APPROVAL_EVIDENCE: APPROVE REFINEMENT WP-1-X\n";

    fn parse(text: &str) -> Refinement {
        Refinement::parse(Source::from_bytes("r.md", text.as_bytes()))
    }

    #[test]
    fn reads_the_template_shape() {
        let r = parse(GOOD);
        assert_eq!(r.wp_id().unwrap().value, "WP-1-X");
        assert!(r.is_approved("WP-1-X"));
        assert!(!r.is_approved("WP-1-Y"));
        assert_eq!(r.enrichment_needed().unwrap().value, Answer::No);
        let c = r.clearly_covers();
        assert!(c.all_yes());
        assert_eq!(c.verdict.unwrap().value, Answer::Yes);
        assert_eq!(
            r.proposed_enrichment().unwrap().value,
            Enrichment::NotApplicable
        );
        assert_eq!(r.section(names::RED_TEAM).unwrap().content.len(), 1);
    }

    #[test]
    fn protocol_labels_and_equals_form() {
        let r = parse("**red team advisory: Architectural risks and security failure modes:** replay attacks\n\nThe refinement concludes ENRICHMENT_NEEDED=YES.\n");
        assert!(r.section(names::RED_TEAM).is_some());
        assert_eq!(r.enrichment_needed().unwrap().value, Answer::Yes);
    }

    #[test]
    fn answers() {
        assert_eq!(Answer::parse("YES"), Answer::Yes);
        assert_eq!(Answer::parse("**NO** (roadmap only)"), Answer::No);
        assert_eq!(Answer::parse("✅"), Answer::Yes);
        assert!(matches!(Answer::parse("YES | NO"), Answer::Unfilled(_)));
        assert!(matches!(Answer::parse("maybe"), Answer::Invalid(_)));
    }

    #[test]
    fn enrichment_text_verbatim_or_summary() {
        let r = parse("## PROPOSED_SPEC_ENRICHMENT\n```markdown\n### 3.1.2 Lockout\nThe service MUST lock an account after 5 failures.\n```\n");
        assert!(matches!(
            r.proposed_enrichment().unwrap().value,
            Enrichment::Text { verbatim: true, .. }
        ));
        let r = parse("## PROPOSED_SPEC_ENRICHMENT\nAdd something about lockouts.\n");
        assert!(matches!(
            r.proposed_enrichment().unwrap().value,
            Enrichment::Text {
                verbatim: false,
                ..
            }
        ));
    }
}
