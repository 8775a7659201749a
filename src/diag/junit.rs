//! JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines,
//! CircleCI): one `<testsuite>` per gate, one `<testcase>` per finding. An error is a
//! `<failure>`; a gate that could not evaluate (exit 2) is an `<error>`; warnings and
//! notes pass with their text in `<system-out>`; a gate with no finding is one passing
//! case named after its verdict, so every gate shows up in the report.
//!
//! Document text reaches XML attributes and text: it is escaped for XML, and characters
//! XML 1.0 cannot carry (most control characters) are shown as Rust escapes first, so a
//! document cannot close an element or break the file.

use super::{Diagnostic, Report, Severity};
use std::fmt::Write;

fn xml(s: &str) -> String {
    super::render::escape_markup(s)
}

fn location(d: &Diagnostic) -> String {
    match (&d.path, d.line) {
        (Some(p), Some(l)) => format!("{p}:{l}"),
        (Some(p), None) => p.clone(),
        (None, _) => "(repository)".into(),
    }
}

fn case(out: &mut String, gate: &str, d: &Diagnostic, fatal: bool) {
    let _ = write!(
        out,
        "    <testcase classname=\"gov.{}\" name=\"{} {}\"",
        xml(gate),
        d.code,
        xml(&location(d))
    );
    if let Some(p) = &d.path {
        let _ = write!(out, " file=\"{}\"", xml(p));
    }
    out.push_str(">\n");
    // each part escaped on its own: the newline between them is real, ones inside are not
    let text = format!("{}\nhelp: {}", xml(&d.message), xml(&d.help));
    let element = match d.severity {
        Severity::Error if fatal => "error",
        Severity::Error => "failure",
        Severity::Warning | Severity::Note => "",
    };
    if element.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}: {}</system-out>",
            d.severity.as_str(),
            text
        );
    } else {
        let _ = writeln!(
            out,
            "      <{element} message=\"{}\" type=\"{}\">{}</{element}>",
            xml(&d.message),
            d.code,
            text
        );
    }
    out.push_str("    </testcase>\n");
}

fn suite(out: &mut String, report: &Report) {
    let name = match &report.target {
        Some(t) => format!("{} {t}", report.command),
        None => report.command.clone(),
    };
    let errors = if report.fatal { 1 } else { 0 };
    let failures = report.count(Severity::Error).saturating_sub(errors);
    let tests = report.diagnostics.len().max(1);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">",
        xml(&name)
    );
    if report.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "    <testcase classname=\"gov.{}\" name=\"{}\"/>",
            xml(&report.command),
            report.verdict().as_str()
        );
    }
    // a fatal report's first error is why it could not evaluate; the rest are findings
    let mut fatal = report.fatal;
    for d in &report.diagnostics {
        let is_cause = fatal && d.severity == Severity::Error;
        case(out, &report.command, d, is_cause);
        fatal &= !is_cause;
    }
    out.push_str("  </testsuite>\n");
}

/// The JUnit document for a report: one suite, or one per gate of `gov check`.
pub fn to_text(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"gov {}\">", xml(&report.command));
    if report.parts.is_empty() {
        suite(&mut out, report);
    } else {
        report.parts.iter().for_each(|p| suite(&mut out, p));
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::codes::pkt;

    #[test]
    fn document_text_cannot_close_an_element() {
        let d = Diagnostic::new(pkt::ALL[0], "x\"/><testcase name=\"forged\"/>&\u{1b}")
            .at("a<b>.md", 3, 1)
            .severity(Severity::Error);
        let mut out = String::new();
        case(&mut out, "pre-work", &d, false);
        assert!(!out.contains("forged\"/>"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(out.contains("a&lt;b&gt;.md:3"), "{out}");
        assert_eq!(out.matches("<testcase").count(), 1, "{out}");
    }

    #[test]
    fn a_clean_gate_is_one_passing_case_and_errors_fail() {
        let mut r = Report::new("board-check", None);
        let clean = to_text(&r);
        assert!(
            clean.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
            "{clean}"
        );
        assert!(clean.contains("name=\"pass\"/>"), "{clean}");
        r.extend([Diagnostic::new(pkt::ALL[0], "bad").severity(Severity::Error)]);
        let failed = to_text(&r);
        assert!(failed.contains("failures=\"1\""), "{failed}");
        assert!(failed.contains("<failure message=\"bad\""), "{failed}");
    }
}
