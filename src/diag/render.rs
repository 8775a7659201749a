//! Human and JSON renderings of a [`Report`]. Both are pure functions of the report.

use super::document::Envelope;
use super::{Diagnostic, Report, Severity};
use serde_json::Value;
use std::borrow::Cow;

/// Text from documents, file names and the command line made safe for a terminal:
/// control characters (a newline that would forge an output line, ESC and OSC
/// sequences that would drive the terminal), line and paragraph separators and the
/// bidirectional overrides that reorder what is shown ("Trojan Source") are written
/// as Rust escapes (`\n`, `\u{1b}`). A tab is kept. Every human rendering of
/// untrusted text goes through this one function (the human renderer below and
/// validator-scan's summary lines); JSON needs none, its encoder escapes them.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    // printable ASCII and tabs (nearly every message) need no look at characters
    if is_plain(s.as_bytes()) || !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if needs_escape(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Only printable ASCII and tabs. Without an early exit, so that the check runs on
/// many bytes at a time: a large board's report prints thousands of messages.
fn is_plain(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7f).contains(&b) | (b == b'\t'))
        })
    })
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Untrusted text for XML and HTML (JUnit reports, the status page): control
/// characters shown escaped as [`escape_control`] does, then every markup character
/// as an entity, so a document can neither close an element nor break the file.
/// U+FFFE and U+FFFF, which XML cannot carry either, are shown escaped too.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_control(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// [`escape_control`] for text that may hold deliberate line breaks (a headline
/// made of several lines): each line is escaped on its own.
fn escape_lines(s: &str) -> Cow<'_, str> {
    if !s.contains('\n') {
        return escape_control(s);
    }
    Cow::Owned(
        s.split('\n')
            .map(escape_control)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

pub const SCHEMA_VERSION: u32 = 1;

/// The JSON document: exactly one per run, also for exit codes 1 and 2. The typed
/// [`Envelope`] first, then the command's own data members (never replacing one of
/// the envelope's).
pub fn to_json(report: &Report) -> Value {
    let envelope = Envelope::of(report, SCHEMA_VERSION);
    let mut doc = match serde_json::to_value(&envelope) {
        Ok(Value::Object(m)) => m,
        // an envelope is a struct of plain members: it always serializes to an object
        _ => serde_json::Map::new(),
    };
    for (k, v) in report.members() {
        doc.entry(k).or_insert(v);
    }
    Value::Object(doc)
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub quiet: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// ruff/rustc-style text: headline, one block per diagnostic, a verdict line, `next`.
/// With `quiet`, only error diagnostics and the verdict line are kept; the headline of
/// an informational report (show, status, manifest, explain) is the command's answer,
/// not chatter around it, so it is kept too.
pub fn to_human(report: &Report, style: Style) -> String {
    // sized for the diagnostics up front: a large board's report is megabytes, and a
    // string grown by doubling copies itself into fresh pages as it grows
    let size: usize = report
        .diagnostics
        .iter()
        .map(|d| d.path.as_ref().map_or(0, String::len) + d.message.len() + d.help.len() + 64)
        .sum();
    let mut out = String::with_capacity(size + 1024);
    if !style.quiet || report.informational {
        for line in &report.headline {
            out.push_str(&escape_lines(line));
            out.push('\n');
        }
        if !report.headline.is_empty() && !report.diagnostics.is_empty() {
            out.push('\n');
        }
    }
    if report.parts.is_empty() {
        push_diagnostics(&mut out, report, style);
    }
    for part in &report.parts {
        // a combined run: each gate's findings under its own verdict line
        push_diagnostics(&mut out, part, style);
        out.push_str(&verdict_line(part, style));
    }
    if !report.informational || report.fatal || !report.diagnostics.is_empty() {
        out.push_str(&verdict_line(report, style));
    }
    if !style.quiet && !report.next.is_empty() {
        out.push_str("next:\n");
        for n in &report.next {
            out.push_str("  ");
            out.push_str(&escape_control(n));
            out.push('\n');
        }
    }
    out
}

fn push_diagnostics(out: &mut String, report: &Report, style: Style) {
    for d in &report.diagnostics {
        if style.quiet && d.severity != Severity::Error {
            continue;
        }
        write_diag(out, d, style);
    }
}

/// One diagnostic's block, written into `out` (a large board gives thousands: no
/// string per piece).
fn write_diag(out: &mut String, d: &Diagnostic, style: Style) {
    use std::fmt::Write as _;
    let (sev_color, sev) = match d.severity {
        Severity::Error => ("1;31", "error"),
        Severity::Warning => ("1;33", "warning"),
        Severity::Note => ("1;36", "note"),
    };
    // pieces pushed as they are: formatting each through `write!` cost more than the
    // checks themselves on a board with thousands of findings
    let paint = Painter(style.color);
    paint.open(out, "1");
    if let Some(p) = d.path.as_deref() {
        out.push_str(&escape_control(p));
        let _ = match (d.line, d.column) {
            (Some(l), Some(c)) => write!(out, ":{l}:{c}: "),
            (Some(l), None) => write!(out, ":{l}: "),
            (None, _) => write!(out, ": "),
        };
    }
    paint.close(out);
    paint.open(out, sev_color);
    out.push_str(sev);
    paint.close(out);
    paint.open(out, "1");
    out.push('[');
    out.push_str(d.code);
    out.push(']');
    paint.close(out);
    out.push(' ');
    out.push_str(&escape_control(&d.message));
    out.push_str("\n  ");
    paint.open(out, "36");
    out.push_str("help");
    paint.close(out);
    out.push_str(": ");
    out.push_str(&escape_control(&d.help));
    out.push('\n');
}

/// ANSI styles around pieces of text, when colors are on.
#[derive(Clone, Copy)]
struct Painter(bool);

impl Painter {
    fn open(self, out: &mut String, code: &str) {
        if self.0 {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
        }
    }

    fn close(self, out: &mut String) {
        if self.0 {
            out.push_str("\x1b[0m");
        }
    }
}

pub(crate) fn verdict_line(report: &Report, style: Style) -> String {
    let subject = match &report.target {
        // escaped: a target comes from the command line and must not forge output lines
        Some(t) => format!("{} {}", report.command, escape_control(t)),
        None => report.command.clone(),
    };
    let verdict = match report.verdict() {
        super::Verdict::Pass => style.paint("1;32", "PASS"),
        super::Verdict::Fail => style.paint("1;31", "FAIL"),
        super::Verdict::Error => style.paint("1;31", "ERROR (could not evaluate)"),
    };
    let e = report.count(Severity::Error);
    let w = report.count(Severity::Warning);
    format!(
        "{subject}: {verdict} ({} , {})\n",
        plural(e, "error"),
        plural(w, "warning")
    )
    .replace(" , ", ", ")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::codes::scn;

    /// A diagnostic's block, plain and colored, as `write!` through a painter of
    /// `Display` pieces wrote it.
    #[test]
    fn a_diagnostic_block_plain_and_colored() {
        let d = Diagnostic::new(&scn::UNWRAP, "found a\tthing").at("src/a.rs", 3, 7);
        let block = |color| {
            let mut out = String::new();
            write_diag(
                &mut out,
                &d,
                Style {
                    color,
                    quiet: false,
                },
            );
            out
        };
        let help = &d.help;
        assert_eq!(
            block(false),
            format!(
                "src/a.rs:3:7: {}[{}] found a\tthing\n  help: {help}\n",
                severity_word(d.severity),
                d.code
            )
        );
        assert_eq!(
            block(true),
            format!(
                "\x1b[1msrc/a.rs:3:7: \x1b[0m\x1b[{}m{}\x1b[0m\x1b[1m[{}]\x1b[0m found a\tthing\n  \x1b[36mhelp\x1b[0m: {help}\n",
                if d.severity == Severity::Error { "1;31" } else { "1;33" },
                severity_word(d.severity),
                d.code
            )
        );
        let unplaced = Diagnostic::new(&scn::UNWRAP, "m").in_file("x");
        let mut out = String::new();
        write_diag(
            &mut out,
            &unplaced,
            Style {
                color: false,
                quiet: false,
            },
        );
        assert!(out.starts_with("x: "), "{out}");
    }

    fn severity_word(s: Severity) -> &'static str {
        match s {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, ..Default::default() })]

        /// The chunked check is the byte-by-byte one.
        #[test]
        fn plain_text_is_printable_ascii_and_tabs(s in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200), printable in 0usize..200) {
            // mostly printable runs, so that long plain texts are tried too
            let mut bytes: Vec<u8> = (0..printable).map(|i| b' ' + (i % 95) as u8).collect();
            bytes.extend(s.iter().filter(|_| printable % 3 == 0));
            let by_byte = bytes.iter().all(|b| (0x20..0x7f).contains(b) || *b == b'\t');
            proptest::prop_assert_eq!(is_plain(&bytes), by_byte);
        }
    }

    #[test]
    fn untrusted_text_cannot_forge_lines_or_drive_the_terminal() {
        assert_eq!(escape_control("plain\ttext"), "plain\ttext");
        assert_eq!(
            escape_control("a\nsrc/x.rs:1:1: error[SCN010]"),
            "a\\nsrc/x.rs:1:1: error[SCN010]"
        );
        assert_eq!(
            escape_control("\u{1b}]0;pwned\u{7}"),
            "\\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(escape_control("a\u{202e}b\u{2028}"), "a\\u{202e}b\\u{2028}");
        let mut r = Report::new("validator-scan", None);
        r.headline.push("scanned a\u{1b}[31m".into());
        r.push(
            Diagnostic::new(&scn::UNWRAP, "found \u{1b}[2J".to_string())
                .in_file("src/a\nsrc/forged.rs:1:1: error[SCN010] x.rs".to_string()),
        );
        r.next.push("gov show \u{1b}[0m".into());
        let out = to_human(
            &r,
            Style {
                color: false,
                quiet: false,
            },
        );
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(
            !out.lines().any(|l| l.starts_with("src/forged.rs")),
            "{out}"
        );
    }
}
