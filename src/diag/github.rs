//! GitHub Actions workflow commands: one annotation per diagnostic (`::error
//! file=…,line=…,col=…,title=CODE::message`), then a plain summary line. Annotations
//! show on the pull request's diff without any upload step.
//!
//! Escaping follows the runner's rules: in the message, `%`, CR and LF become `%25`,
//! `%0D`, `%0A`; in a property value `:` and `,` also become `%3A`, `%2C`. Other
//! control characters from documents and file names are shown escaped (`\u{1b}`), so
//! no document text can end an annotation early or start a workflow command of its own.

use super::render::escape_control;
use super::{Diagnostic, Report, Severity};

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

fn annotation(d: &Diagnostic, gate: &str) -> String {
    let mut props = Vec::new();
    if let Some(p) = &d.path {
        props.push(format!("file={}", escape_property(&escape_control(p))));
        if let Some(l) = d.line {
            props.push(format!("line={l}"));
        }
        if let Some(c) = d.column {
            props.push(format!("col={c}"));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} ({gate})", d.code))
    ));
    let text = format!(
        "{}\nhelp: {}",
        escape_control(&d.message),
        escape_control(&d.help)
    );
    format!(
        "::{} {}::{}\n",
        command(d.severity),
        props.join(","),
        escape_data(&text)
    )
}

/// The one-line outcome: the human renderer's verdict line, without colour.
pub fn summary(report: &Report) -> String {
    let plain = super::render::Style {
        color: false,
        quiet: false,
    };
    super::render::verdict_line(report, plain)
        .trim_end()
        .to_string()
}

/// Annotations for every diagnostic of the report, then its summary line.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    for part in report
        .parts
        .iter()
        .chain(report.parts.is_empty().then_some(report))
    {
        out.extend(
            part.diagnostics
                .iter()
                .map(|d| annotation(d, &part.command)),
        );
    }
    for part in &report.parts {
        out.push_str(&summary(part));
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::codes::pkt;

    #[test]
    fn document_text_cannot_end_the_annotation_or_start_a_command() {
        let d = Diagnostic::new(pkt::ALL[0], "bad\r\n::error::forged 100%")
            .at("a,b:c.md", 3, 1)
            .severity(Severity::Error);
        let line = annotation(&d, "pre-work");
        assert_eq!(line.matches('\n').count(), 1, "{line}");
        assert!(line.starts_with("::error file=a%2Cb%3Ac.md,line=3,col=1,title="));
        // CR and LF from a document are shown escaped; the one %0A joins message and help
        assert!(
            line.contains("bad\\r\\n::error::forged 100%25%0Ahelp: "),
            "{line}"
        );
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let d = Diagnostic::new(pkt::ALL[0], "x\u{1b}]8;;evil\u{7}").in_file("f\u{1b}.md");
        let line = annotation(&d, "pre-work");
        assert!(
            !line.contains('\u{1b}') && !line.contains('\u{7}'),
            "{line}"
        );
    }
}
