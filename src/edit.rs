//! Text edits that writing commands make to governance documents. Each edit changes
//! only the lines it must and keeps the rest of the file — including its line
//! endings — byte for byte.

pub mod board_move;
pub mod report;
pub mod status_line;

use crate::markdown::table::split_row;
use crate::markdown::LineKind;
use crate::model::audit::{NewRow, SignatureAudit, STANDARD_HEADER};
use crate::model::board::{Board, SectionKind};
use crate::model::fields::{self, Field, Opener};
use crate::model::packet::{classify_signature, names, Packet, SignatureValue};
use crate::text::{normalize_name, strip_decoration, Source};

/// Why a board entry could not be added where it would be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenEntry {
    /// 1-based line of the board where the entry would have gone.
    pub line: usize,
}

/// Adds `entry` (one Markdown list line) to the board section of `kind`, after the
/// section's last non-blank line. A missing section is appended at the end as `## title`.
/// When a section of that kind already lists the entry's WP id, the board is
/// returned unchanged (a re-run after an interrupted write adds nothing twice).
///
/// The result is parsed again and must hold the entry as one new entry of that
/// section. Directly under an HTML block, a table or a paragraph it would be
/// swallowed, so it is retried after a blank line; inside a code fence that never
/// closes nothing helps, and the line of the block that hides it is returned.
pub fn insert_board_entry(
    board_text: &str,
    kind: &SectionKind,
    title: &str,
    entry: &str,
) -> Result<String, HiddenEntry> {
    let doc =
        crate::markdown::MdDoc::parse(Source::from_string("board", board_text.to_string(), None));
    let board = Board::read(&doc);
    if let Some((_, id)) = crate::model::wp_id::first_id_in(entry) {
        let listed = board
            .entries
            .iter()
            .any(|e| e.id == id && &board.sections[e.section].kind == kind);
        if listed {
            return Ok(board_text.to_string());
        }
    }
    let (plain, line) = board_insertion(board_text, &doc.source, &board, kind, title, entry, false);
    let (spaced, _) = board_insertion(board_text, &doc.source, &board, kind, title, entry, true);
    // after prose (a gate's explanation), the first entry starts its own block
    let after_prose = board
        .sections
        .iter()
        .find(|s| &s.kind == kind)
        .and_then(|s| {
            s.lines
                .clone()
                .rev()
                .find(|&i| doc.lines[i].kind != LineKind::Blank)
        })
        .is_some_and(|i| doc.lines[i].kind == LineKind::Text && doc.lines[i].depth == 0);
    if after_prose && reads_back(&board, &spaced, kind, entry) {
        return Ok(spaced);
    }
    if reads_back(&board, &plain, kind, entry) {
        return Ok(plain);
    }
    if reads_back(&board, &spaced, kind, entry) {
        return Ok(spaced);
    }
    Err(HiddenEntry {
        line: hiding_block(&plain, line),
    })
}

/// The first line of the code block that swallows 1-based line `line` of `text`,
/// else `line` itself.
fn hiding_block(text: &str, line: usize) -> usize {
    let doc = crate::markdown::MdDoc::parse(Source::from_string("board", text.to_string(), None));
    let block = doc.lines.get(line - 1).and_then(|l| l.code_block);
    block
        .and_then(|b| doc.lines.iter().position(|l| l.code_block == Some(b)))
        .map_or(line, |i| i + 1)
}

/// Whether `after` holds exactly one more entry than `before`, and that entry is
/// the new one, in a `kind` section.
fn reads_back(before: &Board, after: &str, kind: &SectionKind, entry: &str) -> bool {
    let Some((_, id)) = crate::model::wp_id::first_id_in(entry) else {
        return true; // not an entry gov can look for; nothing to verify
    };
    let in_kind = |b: &Board| {
        b.entries
            .iter()
            .filter(|e| e.id == id && &b.sections[e.section].kind == kind)
            .count()
    };
    let b = Board::parse(Source::from_string("board", after.to_string(), None));
    b.entries.len() == before.entries.len() + 1 && in_kind(&b) == in_kind(before) + 1
}

/// The board text with the entry inserted, and the 1-based line it goes to;
/// `spaced` puts a blank line before it. `src` is the text read as a source.
fn board_insertion(
    board_text: &str,
    src: &Source,
    board: &Board,
    kind: &SectionKind,
    title: &str,
    entry: &str,
    spaced: bool,
) -> (String, usize) {
    let eol = line_ending(board_text);
    let Some(section) = board.sections.iter().find(|s| &s.kind == kind) else {
        let mut out = board_text.to_string();
        if !out.is_empty() && !out.ends_with(['\n', '\r']) {
            out.push_str(eol);
        }
        let heading = Source::from_string("board", out.clone(), None).line_count() + 1;
        out.push_str(&format!("{eol}## {title}{eol}{eol}{entry}{eol}"));
        return (out, heading + 2);
    };
    // last non-blank line inside the section body (or the heading itself)
    let mut last = section.line;
    for ln in section.lines.clone() {
        if ln < src.line_count() && !src.line_text(ln + 1).trim().is_empty() {
            last = ln + 1;
        }
    }
    let insert_at = if last < src.line_count() {
        src.line_start(last + 1)
    } else {
        board_text.len()
    };
    let mut out = String::with_capacity(board_text.len() + entry.len() + 4);
    out.push_str(&board_text[..insert_at]);
    if !out.ends_with(['\n', '\r']) {
        out.push_str(eol);
    }
    if last == section.line || spaced {
        out.push_str(eol); // keep a blank line between heading and first entry
    }
    out.push_str(entry);
    out.push_str(eol);
    out.push_str(&board_text[insert_at..]);
    (
        out,
        last + if last == section.line || spaced { 2 } else { 1 },
    )
}

pub(crate) fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else if text.contains('\r') && !text.contains('\n') {
        "\r" // a CR-only file stays CR-only
    } else {
        "\n"
    }
}

/// A value made safe for one table cell: `|` escaped, line breaks and control
/// characters turned into spaces. Backticks are kept unless they would open a code
/// span that swallows the cell's end, in which case they become `'`.
pub fn table_cell(value: &str) -> String {
    let flat: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let escaped = flat.trim().replace('|', "\\|");
    if split_row(&format!("| {escaped} | x |")).len() == 2 {
        escaped
    } else {
        escaped.replace('`', "'")
    }
}

fn table_row(cells: &[String]) -> String {
    let inner: Vec<String> = cells.iter().map(|c| table_cell(c)).collect();
    format!("| {} |", inner.join(" | "))
}

/// The audit after adding one row, and where the row went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditInsert {
    pub text: String,
    /// 1-based line of the new row.
    pub line: usize,
    /// False when the table has neither an Evidence nor a Notes column.
    pub evidence_recorded: bool,
}

/// Adds a row to the Consumed Signatures table: after its last row (newest-first
/// tables too: gov always appends, so the table's bottom is the newest gov row).
/// Without a table, one is created under `## Consumed Signatures` (that heading is
/// appended at the end when missing). The rest of the file is kept byte for byte.
pub fn insert_audit_row(audit_text: &str, row: &NewRow) -> AuditInsert {
    let eol = line_ending(audit_text);
    let src = Source::from_string("audit", audit_text.to_string(), None);
    let audit = SignatureAudit::parse(&src);
    if let Some(h) = audit.header_line {
        let (cells, evidence_recorded) = row.cells_for(&audit.headers);
        let last = audit.table_end_line.unwrap_or(h + 2) - 1;
        return AuditInsert {
            text: insert_lines_after(audit_text, &src, last, &[table_row(&cells)], eol),
            line: last + 1,
            evidence_recorded,
        };
    }
    let headers: Vec<String> = STANDARD_HEADER.iter().map(|h| h.to_string()).collect();
    let (cells, evidence_recorded) = row.cells_for(&headers);
    let mut block = vec![
        String::new(),
        format!("| {} |", headers.join(" | ")),
        format!("|{}|", vec!["---"; headers.len()].join("|")),
        table_row(&cells),
    ];
    let (text, heading) = match consumed_heading(&src) {
        Some(h) => (audit_text.to_string(), h),
        None => {
            let mut out = audit_text.to_string();
            if !out.is_empty() && !out.ends_with(['\n', '\r']) {
                out.push_str(eol);
            }
            if !out.is_empty() {
                out.push_str(eol);
            }
            out.push_str("## Consumed Signatures");
            out.push_str(eol);
            let h = Source::from_string("audit", out.clone(), None).line_count() - 1;
            (out, h)
        }
    };
    let src = Source::from_string("audit", text.clone(), None);
    if heading < src.line_count() && !src.line_text(heading + 1).trim().is_empty() {
        block.push(String::new()); // keep what follows out of the new table
    }
    AuditInsert {
        text: insert_lines_after(&text, &src, heading, &block, eol),
        line: heading + 4,
        evidence_recorded,
    }
}

/// `text` with `lines` inserted after 1-based line `after`.
fn insert_lines_after(
    text: &str,
    src: &Source,
    after: usize,
    lines: &[String],
    eol: &str,
) -> String {
    let insert_at = if after < src.line_count() {
        src.line_start(after + 1)
    } else {
        text.len()
    };
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str(&text[..insert_at]);
    if !out.is_empty() && !out.ends_with(['\n', '\r']) {
        out.push_str(eol);
    }
    for l in lines {
        out.push_str(l);
        out.push_str(eol);
    }
    out.push_str(&text[insert_at..]);
    out
}

/// 1-based line of the `## Consumed Signatures` heading.
fn consumed_heading(src: &Source) -> Option<usize> {
    (1..=src.line_count()).find(|&ln| {
        let t = src.line_text(ln).trim_start();
        t.starts_with('#')
            && normalize_name(&strip_decoration(t.trim_start_matches('#'))) == "consumed signatures"
    })
}

/// Why a packet's signature could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    /// The packet already holds another signature (1-based line).
    AlreadySigned { token: String, line: usize },
    /// Neither USER_SIGNATURE nor a Signature & Enrichment Log `Signature:` exists.
    NoField,
}

/// The packet text with `signature` written into its pending USER_SIGNATURE and
/// Signature & Enrichment Log `Signature:` values. A value that already holds this
/// signature is left alone; one holding another signature refuses the fill.
pub fn fill_signature(packet: &Packet, signature: &str) -> Result<String, FillError> {
    let mut slots: Vec<&Field> = packet.field(names::USER_SIGNATURE).into_iter().collect();
    if let Some(log) = packet.field(names::SIGNATURE_LOG) {
        slots.extend(fields::nested(&packet.fields, log).find(|f| f.name == "signature"));
    }
    if slots.is_empty() {
        return Err(FillError::NoField);
    }
    let text = &packet.doc.source.text;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for f in slots {
        let (range, value, line) = signature_slot(packet, f);
        match classify_signature(&value) {
            SignatureValue::Given(t) if t == signature => {}
            SignatureValue::Given(token) => return Err(FillError::AlreadySigned { token, line }),
            SignatureValue::Pending(_) | SignatureValue::Unsigned(_) => {
                edits.push(signature_edit(text, f, range, &value, signature));
            }
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.clone();
    for (range, new) in edits {
        out.replace_range(range, &new);
    }
    Ok(out)
}

/// The edit that writes `signature` into an empty or pending slot. A heading with no
/// value gets the separator it lacks: `## USER_SIGNATURE` and `## USER_SIGNATURE:`
/// both become `## USER_SIGNATURE: sig` (never `:: sig`), so filling twice is a no-op.
fn signature_edit(
    text: &str,
    f: &Field,
    range: std::ops::Range<usize>,
    value: &str,
    signature: &str,
) -> (std::ops::Range<usize>, String) {
    let before = &text[..range.start];
    match f.opener {
        Opener::Heading(_) if range.is_empty() && value.is_empty() => {
            let kept = before.trim_end_matches([' ', '\t']);
            let sep = if kept.ends_with(':') { " " } else { ": " };
            (kept.len()..range.end, format!("{sep}{signature}"))
        }
        _ if range.is_empty() && before.ends_with([':', '*']) => (range, format!(" {signature}")),
        _ => (range, signature.to_string()),
    }
}

/// The byte range holding a signature field's value (empty where it would go), the
/// value, and the 1-based line.
fn signature_slot(packet: &Packet, f: &Field) -> (std::ops::Range<usize>, String, usize) {
    let doc = &packet.doc;
    let line_end = doc.lines[f.line].range.end;
    if !strip_decoration(&f.value).is_empty() {
        let start = f.value_offset.min(line_end);
        return (start..line_end, f.value.clone(), f.line + 1);
    }
    let first = f
        .body
        .clone()
        .find(|&i| !matches!(doc.lines[i].kind, LineKind::Blank | LineKind::CodeFence));
    match first {
        Some(i) if !packet.fields.iter().any(|g| g.line == i) => {
            let l = &doc.lines[i];
            let start = l.content.min(l.range.end);
            (start..l.range.end, doc.content(i).to_string(), i + 1)
        }
        _ => {
            let at = f.value_offset.min(line_end);
            (at..at, String::new(), f.line + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `entry` inserted into the Ready for Dev section of `board`.
    fn into_ready(board: &str, entry: &str) -> Result<String, HiddenEntry> {
        insert_board_entry(board, &SectionKind::ReadyForDev, "Ready for Dev", entry)
    }

    #[test]
    fn a_heading_signature_slot_gets_one_separator() {
        let sig = "alice151120261130";
        for (heading, want) in [
            ("## USER_SIGNATURE", "## USER_SIGNATURE: alice151120261130"),
            ("## USER_SIGNATURE:", "## USER_SIGNATURE: alice151120261130"),
            (
                "## USER_SIGNATURE: ",
                "## USER_SIGNATURE: alice151120261130",
            ),
            (
                "## USER_SIGNATURE  ",
                "## USER_SIGNATURE: alice151120261130",
            ),
        ] {
            for end in ["\n", ""] {
                let text = format!("# Task Packet: WP-1-X\n\n{heading}{end}");
                let p = Packet::parse(
                    crate::model::wp_id::WpId::parse("WP-1-X").unwrap(),
                    crate::text::Source::from_string("p.md", text, None),
                );
                let filled = fill_signature(&p, sig).unwrap();
                assert_eq!(
                    filled,
                    format!("# Task Packet: WP-1-X\n\n{want}{end}"),
                    "{heading:?}"
                );
                let again = Packet::parse(
                    p.id.clone(),
                    crate::text::Source::from_string("p.md", filled.clone(), None),
                );
                assert_eq!(fill_signature(&again, sig).unwrap(), filled, "{heading:?}");
            }
        }
    }

    #[test]
    fn inserts_after_last_entry_and_keeps_rest() {
        let b = "# B\n\n## Ready for Dev\n\n- [WP-1-A] Ready-for-Dev\n\n## In Progress\n";
        let out = into_ready(b, "- [WP-1-B] Ready-for-Dev").unwrap();
        assert_eq!(out, "# B\n\n## Ready for Dev\n\n- [WP-1-A] Ready-for-Dev\n- [WP-1-B] Ready-for-Dev\n\n## In Progress\n");
    }

    #[test]
    fn empty_section_and_missing_section_and_crlf() {
        let b = "## Ready for Dev\r\n\r\n## Done\r\n";
        let out = into_ready(b, "- [WP-1-B] x").unwrap();
        assert_eq!(
            out,
            "## Ready for Dev\r\n\r\n- [WP-1-B] x\r\n\r\n## Done\r\n"
        );
        let out = insert_board_entry(
            "# B",
            &SectionKind::Backlog,
            "Backlog",
            "- [WP-1-C] Backlog",
        )
        .unwrap();
        assert_eq!(out, "# B\n\n## Backlog\n\n- [WP-1-C] Backlog\n");
    }

    #[test]
    fn an_entry_already_listed_is_not_added_twice() {
        let b = "## Ready for Dev\n\n- [WP-1-B] Ready-for-Dev\n";
        let out = into_ready(b, "- [WP-1-B] x");
        assert_eq!(out.as_deref(), Ok(b));
        // listed in another section: added where it was asked for
        let out = insert_board_entry(b, &SectionKind::Backlog, "Backlog", "- [WP-1-B] x").unwrap();
        assert!(out.ends_with("## Backlog\n\n- [WP-1-B] x\n"));
    }

    #[test]
    fn entries_that_would_be_hidden_are_spaced_or_refused() {
        // an HTML block swallows the next line unless a blank line ends it
        let b = "## Ready for Dev\n\n<div>\n- [WP-1-A] x\n";
        let out = into_ready(b, "- [WP-1-B] x").unwrap();
        assert_eq!(
            out,
            "## Ready for Dev\n\n<div>\n- [WP-1-A] x\n\n- [WP-1-B] x\n"
        );
        // inside a code fence that never closes nothing can be added
        let b = "# B\n\n## Ready for Dev\n\n```\nstray fence\n";
        assert_eq!(into_ready(b, "- [WP-1-B] x"), Err(HiddenEntry { line: 5 }));
        // a new section after such a fence is read: the fence gives way to its heading
        let b = "# B\n\n```\nstray fence\n";
        let out = into_ready(b, "- [WP-1-B] x").unwrap();
        assert!(out.ends_with("stray fence\n\n## Ready for Dev\n\n- [WP-1-B] x\n"));
    }

    fn row(sig: &str) -> NewRow {
        NewRow {
            signature: sig.into(),
            used_by: "Orchestrator".into(),
            timestamp: "2026-11-21 12:00:00 UTC".into(),
            purpose: "WP-1-X".into(),
            spec_version: "v1.0".into(),
            evidence: "docs/task_packets/WP-1-X.md sha256:00".into(),
        }
    }

    #[test]
    fn audit_row_goes_after_the_last_row() {
        let a = "# A\n\n## Consumed Signatures\n\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Evidence |\n|---|---|---|---|---|---|\n| bob010120261200 | O | t | p | v | e |\n\n## How to Use\n";
        let out = insert_audit_row(a, &row("alice151220251430"));
        assert_eq!(out.line, 8);
        assert!(out.evidence_recorded);
        assert_eq!(out.text, a.replace("| e |\n", "| e |\n| alice151220251430 | Orchestrator | 2026-11-21 12:00:00 UTC | WP-1-X | v1.0 | docs/task_packets/WP-1-X.md sha256:00 |\n"));
        // an empty table: right after the delimiter; no trailing newline: one is added
        let empty = "| Signature | Used By |\n|---|---|";
        let out = insert_audit_row(empty, &row("a010120261200"));
        assert_eq!(
            out.text,
            "| Signature | Used By |\n|---|---|\n| a010120261200 | Orchestrator |\n"
        );
        assert_eq!(out.line, 3);
    }

    #[test]
    fn audit_columns_follow_the_header() {
        let a = "| Notes | Signature | Reviewer |\r\n|---|---|---|\r\n";
        let out = insert_audit_row(a, &row("a010120261200"));
        assert_eq!(out.text, "| Notes | Signature | Reviewer |\r\n|---|---|---|\r\n| docs/task_packets/WP-1-X.md sha256:00 | a010120261200 |  |\r\n");
        let out = insert_audit_row("| Signature | Date |\n|---|---|\n", &row("a010120261200"));
        assert!(!out.evidence_recorded);
    }

    #[test]
    fn cells_are_escaped_so_rows_keep_their_shape() {
        assert_eq!(table_cell("a | b"), "a \\| b");
        assert_eq!(table_cell("two\nlines"), "two lines");
        assert_eq!(table_cell("`a|b`"), "`a\\|b`");
        assert_eq!(table_cell("one ` tick | pipe"), "one ' tick \\| pipe");
        let cells = split_row(&format!("| {} | x |", table_cell("one ` tick | pipe")));
        assert_eq!(cells, ["one ' tick | pipe", "x"]);
    }

    fn packet(text: &str) -> Packet {
        Packet::parse(
            crate::model::wp_id::WpId::parse("WP-1-X").unwrap(),
            Source::from_bytes("p.md", text.as_bytes()),
        )
    }

    #[test]
    fn fills_pending_signatures_in_every_spelling() {
        let p = packet("## Metadata\n- USER_SIGNATURE: <pending>\n\n## Signature & Enrichment Log\n- Signature: <pending>\n- Locked: DONE_MEANS\n");
        assert_eq!(
            fill_signature(&p, "alice151220251430").unwrap(),
            "## Metadata\n- USER_SIGNATURE: alice151220251430\n\n## Signature & Enrichment Log\n- Signature: alice151220251430\n- Locked: DONE_MEANS\n"
        );
        for (before, after) in [
            (
                "**User Signature Locked:** `<pending>`\r\nnext\r\n",
                "**User Signature Locked:** alice151220251430\r\nnext\r\n",
            ),
            (
                "- USER_SIGNATURE:\n",
                "- USER_SIGNATURE: alice151220251430\n",
            ),
            (
                "- USER_SIGNATURE: alice\n",
                "- USER_SIGNATURE: alice151220251430\n",
            ),
            (
                "## USER_SIGNATURE\nTBD\n",
                "## USER_SIGNATURE\nalice151220251430\n",
            ),
            (
                "## USER_SIGNATURE\n",
                "## USER_SIGNATURE: alice151220251430\n",
            ),
        ] {
            assert_eq!(
                fill_signature(&packet(before), "alice151220251430").unwrap(),
                after,
                "{before:?}"
            );
        }
    }

    #[test]
    fn refuses_to_overwrite_a_signature() {
        let p = packet("- USER_SIGNATURE: bob010120261200\n");
        assert_eq!(
            fill_signature(&p, "alice151220251430"),
            Err(FillError::AlreadySigned {
                token: "bob010120261200".into(),
                line: 1
            })
        );
        assert_eq!(
            fill_signature(&p, "bob010120261200").unwrap(),
            "- USER_SIGNATURE: bob010120261200\n"
        );
        assert_eq!(
            fill_signature(&packet("# nothing\n"), "a010120261200"),
            Err(FillError::NoField)
        );
    }
}
