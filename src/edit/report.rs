//! A validation report appended to a packet. Reports are never replaced: each verdict
//! adds one block at the end of the packet's `## VALIDATION_REPORTS` section (created
//! at the end of the packet when missing), so the signed sections before it keep
//! their text and their hash.

use super::line_ending;
use crate::markdown::LineKind;
use crate::model::packet::Verdict;
use crate::text::{normalize_name, strip_decoration, Source};

pub const REPORTS_HEADING: &str = "VALIDATION_REPORTS";

/// One report as `gov verdict` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport<'a> {
    pub validator: &'a str,
    /// `2026-11-21T12:00:00Z`.
    pub timestamp: &'a str,
    pub verdict: Verdict,
    pub body: &'a str,
}

impl NewReport<'_> {
    /// The block: a heading, the body verbatim, then the record lines. The Verdict
    /// line comes last so no `Verdict:` in the body can stand for the report's.
    pub fn block(&self, eol: &str) -> String {
        let mut out = format!("### VALIDATION REPORT {}{eol}{eol}", self.timestamp);
        let body = self.body.replace("\r\n", "\n");
        let body = nest_headings(body.trim_matches('\n'));
        if !body.trim().is_empty() {
            for l in body.split('\n') {
                out.push_str(l.trim_end_matches('\r'));
                out.push_str(eol);
            }
            out.push_str(eol);
        }
        out.push_str(&format!("- Validator: {}{eol}", self.validator));
        out.push_str(&format!("- Timestamp: {}{eol}", self.timestamp));
        out.push_str(&format!("- Verdict: {}{eol}", self.verdict.as_str()));
        out
    }
}

/// The packet text with `report` appended, and the 1-based line of its heading.
pub fn append_report(packet_text: &str, report: &NewReport) -> (String, usize) {
    let eol = line_ending(packet_text);
    let doc =
        crate::markdown::MdDoc::parse(Source::from_string("packet", packet_text.to_string(), None));
    let heading = (0..doc.lines.len()).rev().find(|&i| {
        matches!(doc.lines[i].kind, LineKind::Heading(1 | 2))
            && normalize_name(&strip_decoration(doc.content(i).trim_end_matches('#')))
                == normalize_name(REPORTS_HEADING)
    });
    let block = report.block(eol);
    let Some(h) = heading else {
        let mut out = packet_text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        if !out.is_empty() {
            out.push_str(eol);
        }
        let heading_line = out.matches('\n').count() + 1;
        out.push_str(&format!("## {REPORTS_HEADING}{eol}{eol}"));
        out.push_str(&block);
        return (out, heading_line + 2);
    };
    let level = match doc.lines[h].kind {
        LineKind::Heading(l) => l,
        _ => 2,
    };
    // the section ends at the next heading of the same or a higher level
    let end = (h + 1..doc.lines.len())
        .find(|&i| matches!(doc.lines[i].kind, LineKind::Heading(l) if l <= level))
        .unwrap_or(doc.lines.len());
    let last = (h..end)
        .rev()
        .find(|&i| doc.lines[i].kind != LineKind::Blank)
        .unwrap_or(h);
    let src = &doc.source;
    let insert_at = if last + 2 <= src.line_count() {
        src.line_start(last + 2)
    } else {
        packet_text.len()
    };
    let mut out = String::with_capacity(packet_text.len() + block.len() + 4);
    out.push_str(&packet_text[..insert_at]);
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(eol);
    out.push_str(&block);
    let rest = &packet_text[insert_at..];
    if end < doc.lines.len() && !rest.starts_with(['\n', '\r']) {
        out.push_str(eol);
    }
    out.push_str(rest);
    (out, last + 3)
}

/// The body's headings nested below the report's own (`#### ` at least), outside
/// code fences, so a later report still lands at the end of the section.
fn nest_headings(body: &str) -> String {
    let mut fence: Option<&str> = None;
    let mut out: Vec<String> = Vec::new();
    for l in body.split('\n') {
        let t = l.trim_start();
        for mark in ["```", "~~~"] {
            if t.starts_with(mark) {
                fence = match fence {
                    Some(open) if open == mark => None,
                    None => Some(mark),
                    other => other,
                };
            }
        }
        let hashes = t.len() - t.trim_start_matches('#').len();
        let is_heading =
            fence.is_none() && (1..=3).contains(&hashes) && t[hashes..].starts_with([' ', '\t']);
        if is_heading {
            out.push(format!("####{}", &t[hashes..]));
        } else {
            out.push(l.to_string());
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::packet::test_packet;

    fn report(verdict: Verdict, body: &str) -> NewReport<'_> {
        NewReport {
            validator: "val-1",
            timestamp: "2026-11-21T12:00:00Z",
            verdict,
            body,
        }
    }

    #[test]
    fn first_report_creates_the_section_and_later_ones_append() {
        let p = "# Task Packet: WP-1-X\n\n## TEST_PLAN\n- cargo test\n";
        let (one, line) = append_report(p, &report(Verdict::Fail, "Findings: missing test\n"));
        assert_eq!(
            one,
            "# Task Packet: WP-1-X\n\n## TEST_PLAN\n- cargo test\n\n## VALIDATION_REPORTS\n\n### VALIDATION REPORT 2026-11-21T12:00:00Z\n\nFindings: missing test\n\n- Validator: val-1\n- Timestamp: 2026-11-21T12:00:00Z\n- Verdict: FAIL\n"
        );
        assert_eq!(line, 8);
        let (two, line) = append_report(&one, &report(Verdict::Pass, "all good"));
        assert!(two.starts_with(&one), "the first report is kept");
        assert!(two.ends_with("- Verdict: FAIL\n\n### VALIDATION REPORT 2026-11-21T12:00:00Z\n\nall good\n\n- Validator: val-1\n- Timestamp: 2026-11-21T12:00:00Z\n- Verdict: PASS\n"));
        assert_eq!(
            Source::from_string("p", two.clone(), None).line_text(line),
            "### VALIDATION REPORT 2026-11-21T12:00:00Z"
        );
        let packet = test_packet(&two);
        assert_eq!(packet.last_verdict().unwrap().value, Verdict::Pass);
    }

    #[test]
    fn body_headings_nest_below_the_report() {
        let (one, _) = append_report(
            "# P\n",
            &report(Verdict::Fail, "## Findings\n```\n# code\n```\n"),
        );
        assert!(one.contains("#### Findings\n```\n# code\n```\n"), "{one}");
        let (two, _) = append_report(&one, &report(Verdict::Pass, "ok"));
        assert!(two.starts_with(&one));
    }

    #[test]
    fn a_verdict_in_the_body_never_stands_for_the_report() {
        let (out, _) = append_report("# P\n", &report(Verdict::Fail, "Verdict: PASS\n"));
        assert_eq!(
            test_packet(&out).last_verdict().unwrap().value,
            Verdict::Fail
        );
    }

    #[test]
    fn a_section_followed_by_others_gets_the_report_at_its_end() {
        let p =
            "## VALIDATION_REPORTS\n\nold\r\n## Signature & Enrichment Log\r\n- Signature: x\r\n";
        let (out, _) = append_report(p, &report(Verdict::Pass, ""));
        assert_eq!(out, "## VALIDATION_REPORTS\n\nold\r\n\r\n### VALIDATION REPORT 2026-11-21T12:00:00Z\r\n\r\n- Validator: val-1\r\n- Timestamp: 2026-11-21T12:00:00Z\r\n- Verdict: PASS\r\n\r\n## Signature & Enrichment Log\r\n- Signature: x\r\n");
    }
}
