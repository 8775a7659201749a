//! The Technical Refinement Block (protocol 2.5.2): complete before it is recorded,
//! approved and free of pending enrichment before a signature is consumed.

use crate::diag::codes::refinement as code;
use crate::diag::{CodeInfo, Diagnostic};
use crate::model::refinement::{names, Answer, Enrichment, Refinement};
use crate::model::wp_id::WpId;
use crate::text::{strip_decoration, Spanned};

/// Every problem that keeps `gov record-refinement` from recording the block.
pub fn validate(r: &Refinement, wp: &WpId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(id) = r.wp_id() {
        if id.value != wp.as_str() {
            out.push(at(
                r,
                &code::REFINEMENT_WRONG_WP,
                format!(
                    "the refinement's WP_ID is `{}`, but it is the refinement of {wp}",
                    id.value
                ),
                id.line,
                id.column,
            ));
        }
    }
    for (label, spellings) in [
        ("GAPS_IDENTIFIED", names::GAPS),
        ("RED_TEAM_ADVISORY", names::RED_TEAM),
        ("PRIMITIVES", names::PRIMITIVES),
    ] {
        out.extend(required_section(r, label, spellings));
    }
    out.extend(enrichment_text(r));
    out.extend(checklist(r));
    out.extend(enrichment_needed(r));
    out
}

/// What refuses a signature: no exact approval line, or pending spec enrichment.
pub fn approval(r: &Refinement, wp: &WpId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !r.is_approved(wp.as_str()) {
        let wanted = format!("- USER_APPROVAL_EVIDENCE: APPROVE REFINEMENT {wp}");
        let d = match r.approval_evidence() {
            Some(v) => at(
                r,
                &code::REFINEMENT_NOT_APPROVED,
                format!(
                    "USER_APPROVAL_EVIDENCE is `{}`, not `APPROVE REFINEMENT {wp}`",
                    v.value
                ),
                v.line,
                v.column,
            ),
            None => Diagnostic::new(
                &code::REFINEMENT_NOT_APPROVED,
                format!("the refinement of {wp} has no USER_APPROVAL_EVIDENCE line"),
            )
            .in_file(r.path.clone()),
        };
        out.push(d.help(format!(
            "after the user approves in chat, add `{wanted}` (exact text) to {}",
            r.path
        )));
    }
    if let Some(e) = r.enrichment_needed() {
        if e.value == Answer::Yes {
            out.push(at(r, &code::ENRICHMENT_PENDING, format!("the refinement of {wp} declares ENRICHMENT_NEEDED: YES; the spec must be enriched before a packet is signed"), e.line, e.column));
        }
    }
    out
}

fn at(r: &Refinement, c: &CodeInfo, msg: String, line: usize, column: usize) -> Diagnostic {
    Diagnostic::new(c, msg).at(r.path.clone(), line, column)
}

fn missing(r: &Refinement, label: &str) -> Diagnostic {
    Diagnostic::new(
        &code::SECTION_MISSING,
        format!("the refinement has no {label} section"),
    )
    .in_file(r.path.clone())
}

/// Template text left in a line: `{...}`, `<...>`, `TBD`.
fn is_placeholder(line: &str) -> bool {
    let t = strip_decoration(line);
    let t = t.trim();
    (t.starts_with('{') && t.ends_with('}'))
        || (t.starts_with('<') && t.ends_with('>'))
        || matches!(
            t.to_ascii_uppercase().as_str(),
            "TBD" | "TODO" | "..." | "???"
        )
}

fn unfilled(
    r: &Refinement,
    label: &str,
    content: &[Spanned<String>],
    line: usize,
) -> Option<Diagnostic> {
    if content.is_empty() {
        return Some(at(
            r,
            &code::SECTION_UNFILLED,
            format!("{label} is empty"),
            line,
            1,
        ));
    }
    content.iter().find(|c| is_placeholder(&c.value)).map(|c| {
        at(
            r,
            &code::SECTION_UNFILLED,
            format!("{label} still holds template text `{}`", c.value),
            c.line,
            c.column,
        )
    })
}

fn required_section(r: &Refinement, label: &str, spellings: &[&str]) -> Option<Diagnostic> {
    match r.section(spellings) {
        None => Some(missing(r, label)),
        Some(s) => unfilled(r, label, &s.content, s.line),
    }
}

fn enrichment_text(r: &Refinement) -> Option<Diagnostic> {
    let label = "PROPOSED_SPEC_ENRICHMENT";
    let s = r.section(names::PROPOSED_ENRICHMENT)?;
    if let Some(d) = unfilled(r, label, &s.content, s.line) {
        return Some(d);
    }
    match r.proposed_enrichment()?.value {
        Enrichment::Text { verbatim: false, .. } => Some(at(r, &code::ENRICHMENT_NOT_VERBATIM, format!("{label} reads like a summary: it has no heading, code block or normative MUST/SHALL text"), s.line, 1)),
        _ => None,
    }
}

fn checklist(r: &Refinement) -> Vec<Diagnostic> {
    let c = r.clearly_covers();
    let section_line = r.section(names::CLEARLY_COVERS).map(|s| s.line);
    let locate = |d: Diagnostic| match section_line {
        Some(l) => d.at(r.path.clone(), l, 1),
        None => d.in_file(r.path.clone()),
    };
    let mut out = Vec::new();
    let answered = |name: &str, a: &Option<Spanned<Answer>>, out: &mut Vec<Diagnostic>| match a {
        None => out.push(locate(Diagnostic::new(
            &code::CLEARLY_COVERS_INCOMPLETE,
            format!("the clearly-covers checklist has no {name}"),
        ))),
        Some(s) => match &s.value {
            Answer::Yes | Answer::No => {}
            Answer::Unfilled(v) | Answer::Invalid(v) => out.push(at(
                r,
                &code::CLEARLY_COVERS_INCOMPLETE,
                format!("{name} is `{v}`, not YES or NO"),
                s.line,
                s.column,
            )),
        },
    };
    for (name, a) in &c.points {
        answered(name, a, &mut out);
    }
    answered("VERDICT", &c.verdict, &mut out);
    if !out.is_empty() {
        return out;
    }
    if let Some(v) = &c.verdict {
        let pass = v.value == Answer::Yes;
        if pass != c.all_yes() {
            let msg = if pass {
                "VERDICT is PASS, but not all five points are YES"
            } else {
                "VERDICT is FAIL, but all five points are YES"
            };
            out.push(at(
                r,
                &code::VERDICT_INCONSISTENT,
                msg.into(),
                v.line,
                v.column,
            ));
        }
    }
    out
}

fn enrichment_needed(r: &Refinement) -> Vec<Diagnostic> {
    let Some(e) = r.enrichment_needed() else {
        return vec![missing(r, "ENRICHMENT_NEEDED")];
    };
    let needed = match &e.value {
        Answer::Yes => true,
        Answer::No => false,
        Answer::Unfilled(v) | Answer::Invalid(v) => {
            return vec![at(
                r,
                &code::SECTION_UNFILLED,
                format!("ENRICHMENT_NEEDED is `{v}`, not YES or NO"),
                e.line,
                e.column,
            )]
        }
    };
    let inconsistent = |msg: &str| {
        vec![at(
            r,
            &code::ENRICHMENT_INCONSISTENT,
            msg.to_string(),
            e.line,
            e.column,
        )]
    };
    let verdict = r.clearly_covers().verdict.map(|v| v.value);
    match verdict {
        Some(Answer::Yes) if needed => return inconsistent("ENRICHMENT_NEEDED is YES, but the clearly-covers VERDICT is PASS"),
        Some(Answer::No) if !needed => return inconsistent("ENRICHMENT_NEEDED is NO, but the clearly-covers VERDICT is FAIL: the spec does not clearly cover this work"),
        _ => {}
    }
    let text = r.proposed_enrichment().map(|p| p.value);
    match text {
        None => vec![missing(r, "PROPOSED_SPEC_ENRICHMENT")],
        Some(Enrichment::NotApplicable | Enrichment::Empty) if needed => inconsistent(
            "ENRICHMENT_NEEDED is YES, but PROPOSED_SPEC_ENRICHMENT gives no verbatim text",
        ),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Source;

    const GOOD: &str = "# Technical Refinement: WP-1-X\n\n- WP_ID: WP-1-X\n\n## GAPS_IDENTIFIED\n- NONE\n\n## RED_TEAM_ADVISORY\n- timing attacks\n\n## PRIMITIVES\n- struct LoginRequest\n\n## PROPOSED_SPEC_ENRICHMENT\nNOT APPLICABLE\n\n## CLEARLY_COVERS\n- APPEARS_IN_MAIN_BODY: YES\n- EXPLICITLY_NAMED: YES\n- SPECIFIC: YES\n- MEASURABLE_ACCEPTANCE_CRITERIA: YES\n- NO_AMBIGUITY: YES\n- VERDICT: PASS\n\n## ENRICHMENT_NEEDED\n- ENRICHMENT_NEEDED: NO\n\n## APPROVAL\n- USER_APPROVAL_EVIDENCE: APPROVE REFINEMENT WP-1-X\n";

    fn codes(text: &str) -> Vec<&'static str> {
        let r = Refinement::parse(Source::from_bytes("r.md", text.as_bytes()));
        let wp = WpId::parse("WP-1-X").unwrap();
        validate(&r, &wp)
            .into_iter()
            .chain(approval(&r, &wp))
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn complete_block_passes() {
        assert!(codes(GOOD).is_empty(), "{:?}", codes(GOOD));
    }

    #[test]
    fn each_problem_is_reported() {
        assert_eq!(
            codes(&GOOD.replace("## PRIMITIVES\n- struct LoginRequest\n", "")),
            ["REF006"]
        );
        assert_eq!(
            codes(&GOOD.replace("- timing attacks", "- {architectural risks}")),
            ["REF007"]
        );
        assert_eq!(
            codes(&GOOD.replace("- SPECIFIC: YES", "- SPECIFIC: YES | NO")),
            ["REF009"]
        );
        assert_eq!(
            codes(&GOOD.replace("- SPECIFIC: YES", "- SPECIFIC: NO")),
            ["REF010"]
        );
        assert_eq!(
            codes(&GOOD.replace("ENRICHMENT_NEEDED: NO", "ENRICHMENT_NEEDED: YES")),
            ["REF011", "REF003"]
        );
        assert_eq!(
            codes(&GOOD.replace("- WP_ID: WP-1-X", "- WP_ID: WP-1-Y")),
            ["REF012"]
        );
        assert_eq!(
            codes(&GOOD.replace("APPROVE REFINEMENT WP-1-X", "<paste approval>")),
            ["REF002"]
        );
        let fail = GOOD
            .replace("- SPECIFIC: YES", "- SPECIFIC: NO")
            .replace("VERDICT: PASS", "VERDICT: FAIL")
            .replace("ENRICHMENT_NEEDED: NO", "ENRICHMENT_NEEDED: YES");
        assert_eq!(codes(&fail), ["REF011", "REF003"]);
        let summary = fail.replace("NOT APPLICABLE", "Add a lockout rule.");
        assert_eq!(codes(&summary), ["REF008", "REF003"]);
        let verbatim = fail.replace("NOT APPLICABLE", "```markdown\n### 3.1.2 Lockout\nThe service MUST lock an account after 5 failures.\n```");
        assert_eq!(codes(&verbatim), ["REF003"]);
    }
}
