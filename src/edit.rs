//! Text edits that writing commands make to governance documents. Each edit changes
//! only the lines it must and keeps the rest of the file — including its line
//! endings — byte for byte.

use crate::model::board::{Board, SectionKind};
use crate::text::Source;

/// Adds `entry` (one Markdown list line) to the board section of `kind`, after the
/// section's last non-blank line. A missing section is appended at the end as `## title`.
pub fn insert_board_entry(
    board_text: &str,
    kind: &SectionKind,
    title: &str,
    entry: &str,
) -> String {
    let eol = if board_text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let board = Board::parse(Source::from_string("board", board_text.to_string(), None));
    let Some(section) = board.sections.iter().find(|s| &s.kind == kind) else {
        let mut out = board_text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&format!("{eol}## {title}{eol}{eol}{entry}{eol}"));
        return out;
    };
    let src = &board.doc.source;
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
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    if last == section.line {
        out.push_str(eol); // keep a blank line between heading and first entry
    }
    out.push_str(entry);
    out.push_str(eol);
    out.push_str(&board_text[insert_at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_after_last_entry_and_keeps_rest() {
        let b = "# B\n\n## Ready for Dev\n\n- [WP-1-A] Ready-for-Dev\n\n## In Progress\n";
        let out = insert_board_entry(
            b,
            &SectionKind::ReadyForDev,
            "Ready for Dev",
            "- [WP-1-B] Ready-for-Dev",
        );
        assert_eq!(out, "# B\n\n## Ready for Dev\n\n- [WP-1-A] Ready-for-Dev\n- [WP-1-B] Ready-for-Dev\n\n## In Progress\n");
    }

    #[test]
    fn empty_section_and_missing_section_and_crlf() {
        let b = "## Ready for Dev\r\n\r\n## Done\r\n";
        let out = insert_board_entry(
            b,
            &SectionKind::ReadyForDev,
            "Ready for Dev",
            "- [WP-1-B] x",
        );
        assert_eq!(
            out,
            "## Ready for Dev\r\n\r\n- [WP-1-B] x\r\n\r\n## Done\r\n"
        );
        let out = insert_board_entry(
            "# B",
            &SectionKind::Backlog,
            "Backlog",
            "- [WP-1-C] Backlog",
        );
        assert_eq!(out, "# B\n\n## Backlog\n\n- [WP-1-C] Backlog\n");
    }
}
