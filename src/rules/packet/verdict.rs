//! The counted validation verdict agrees with what the packet says about itself: its
//! STATUS and its `## CURRENT_STATE` summary. Supersession claims name a real report.
//! Shared by `pre-work` and `show`.

use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::model::packet::{Packet, Verdict};
use crate::model::status::StatusKind;
use crate::model::validation::Reports;

/// Every disagreement between the counted report and the packet's own statements.
pub fn findings(p: &Packet) -> Vec<Diagnostic> {
    let reports = p.reports();
    let mut out: Vec<Diagnostic> = reports
        .unmatched_claims()
        .map(|c| {
            Diagnostic::new(
                &pkt::SUPERSESSION_UNMATCHED,
                format!("`{}` names no validation report of this packet", c.text),
            )
            .at_line(p.path.clone(), c.line)
        })
        .collect();
    let Some(counted) = reports.counted_report() else {
        return out;
    };
    let verdict = counted.verdict.value;
    let source = counted_source(&reports);
    if let Some(s) = p.status() {
        if let Some(expected) = expected_verdict(s.value.kind, s.value.qualifier.as_deref()) {
            if expected != verdict {
                out.push(
                    Diagnostic::new(
                        &pkt::VERDICT_DISAGREES,
                        format!(
                            "STATUS `{}` implies {} but {source} says {}",
                            s.value.raw,
                            expected.as_str(),
                            verdict.as_str()
                        ),
                    )
                    .at(p.path.clone(), s.line, s.column),
                );
            }
        }
    }
    if let Some(cs) = p.current_state() {
        if let Some(v) = cs.verdict.filter(|v| v.value != Verdict::Unknown) {
            if v.value != verdict {
                out.push(
                    Diagnostic::new(
                        &pkt::VERDICT_DISAGREES,
                        format!(
                            "CURRENT_STATE says Verdict {} but {source} says {}",
                            v.value.as_str(),
                            verdict.as_str()
                        ),
                    )
                    .at(p.path.clone(), v.line, v.column),
                );
            }
        }
    }
    out
}

/// `the counted report (line 40, `### VALIDATOR_REPORT - ...`: the latest timestamp)`.
pub fn counted_source(reports: &Reports) -> String {
    match (reports.counted_report(), reports.why) {
        (Some(r), Some(why)) => format!(
            "the counted report (line {}, `{}`: {})",
            r.verdict.line,
            r.title,
            why.describe()
        ),
        _ => "no report".to_string(),
    }
}

/// The verdict a closed status stands for: Done and Validated mean PASS, unless the
/// status names another verdict (`Validated (FAIL)`). Open statuses imply none.
fn expected_verdict(kind: Option<StatusKind>, qualifier: Option<&str>) -> Option<Verdict> {
    if !matches!(kind, Some(StatusKind::Done | StatusKind::Validated)) {
        return None;
    }
    let named = qualifier
        .map(Verdict::parse)
        .filter(|v| !matches!(v, Verdict::Unknown));
    Some(named.unwrap_or(Verdict::Pass))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::packet::test_packet;

    fn codes(text: &str) -> Vec<(String, usize)> {
        findings(&test_packet(text))
            .into_iter()
            .map(|d| (d.code.to_string(), d.line.unwrap_or(0)))
            .collect()
    }

    #[test]
    fn status_and_counted_verdict() {
        let reports = "## VALIDATION_REPORTS\n### R - 2026-04-03T09:00:00Z\nVerdict: FAIL\n### R - 2026-04-02T09:00:00Z\nVerdict: PASS\n";
        let fails = format!("- STATUS: Validated (PASS)\n{reports}");
        assert_eq!(codes(&fails), [("PKT060".to_string(), 1)]);
        let agrees = format!("- STATUS: Validated (FAIL)\n{reports}");
        assert!(codes(&agrees).is_empty());
        let open = format!("- STATUS: In Progress\n{reports}");
        assert!(codes(&open).is_empty());
        assert!(codes("- STATUS: Done\nVerdict: PASS\n").is_empty());
    }

    #[test]
    fn stale_current_state() {
        let text = "## CURRENT_STATE (orchestrator)\n- Verdict: PENDING\n- Next: close\n## VALIDATION\n- STATUS: Done\nVerdict: PASS\n";
        assert_eq!(codes(text), [("PKT060".to_string(), 2)]);
        let text = "## CURRENT_STATE\n- Verdict: VALIDATED_PASS\n## VALIDATION\nVerdict: PASS\n";
        assert!(codes(text).is_empty());
    }

    #[test]
    fn unmatched_claims() {
        let text =
            "### R - 2026-04-02T09:00:00Z\n- SUPERSEDES: 2025-01-01T00:00:00Z\nVerdict: PASS\n";
        assert_eq!(codes(text), [("PKT062".to_string(), 2)]);
    }
}
