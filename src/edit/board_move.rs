//! A WP's task-board entries brought to a new lifecycle state, in the board's own
//! style. The entry in a status section moves to the section of the new state (or is
//! rewritten where it is, if it is there already); entries in phase-gate and Active
//! sections stay where they are and only a status written on them changes. Bold ids,
//! bracketed states (`[VALIDATED]`), separators and notes are kept; a block reason is
//! dropped when the WP leaves Blocked.

use super::status_line::Spelling;
use super::{insert_board_entry, line_ending, HiddenEntry};
use crate::markdown::MdDoc;
use crate::model::board::{Board, Entry, SectionKind};
use crate::model::lifecycle::State;
use crate::model::status::{Status, StatusKind};
use crate::model::wp_id::WpId;
use crate::text::Source;

/// What a Blocked entry says it waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockNote {
    On(Vec<WpId>),
    Reason(String),
}

impl BlockNote {
    fn text(&self) -> String {
        match self {
            BlockNote::On(ids) => {
                let ids: Vec<&str> = ids.iter().map(WpId::as_str).collect();
                format!("on {}", ids.join(", "))
            }
            BlockNote::Reason(r) => r.clone(),
        }
    }
}

/// The new state of one WP on the board.
#[derive(Debug, Clone)]
pub struct BoardState<'a> {
    pub id: &'a WpId,
    pub state: State,
    /// Done with a passing verdict: written `VALIDATED` where the board brackets states.
    pub validated: bool,
    pub block: Option<&'a BlockNote>,
}

/// The section kind and default title that hold entries of `state` on this board.
pub fn section_for(board: &Board, state: State) -> (SectionKind, &'static str) {
    let has = |k: &SectionKind| board.sections.iter().any(|s| &s.kind == k);
    match state {
        State::Backlog if !has(&SectionKind::Backlog) && has(&SectionKind::Stub) => {
            (SectionKind::Stub, "Stub Backlog")
        }
        State::Backlog => (SectionKind::Backlog, "Backlog"),
        State::ReadyForDev => (SectionKind::ReadyForDev, "Ready for Dev"),
        State::InProgress => (SectionKind::InProgress, "In Progress"),
        State::ReadyForValidation => (SectionKind::ReadyForValidation, "Ready for Validation"),
        State::Done => (SectionKind::Done, "Done"),
        State::Blocked => (SectionKind::Blocked, "Blocked"),
        State::Superseded => (SectionKind::Superseded, "Superseded (Archive)"),
    }
}

/// The board text with `change` applied. Applying it twice changes nothing more.
pub fn set_board_state(board_text: &str, change: &BoardState) -> Result<String, HiddenEntry> {
    let doc = MdDoc::parse(Source::from_string("board", board_text.to_string(), None));
    let board = Board::read(&doc);
    let (kind, title) = section_for(&board, change.state);
    let mut lines = Lines::new(board_text);
    let entries: Vec<&Entry> = board.entries_for(change.id).collect();
    let in_status: Vec<&Entry> = entries
        .iter()
        .copied()
        .filter(|e| board.sections[e.section].kind.implied_status().is_some())
        .collect();
    // phase gates and Active: the entry stays; a written status follows the packet
    for e in entries
        .iter()
        .filter(|e| !in_status.iter().any(|s| s.line == e.line))
    {
        if e.explicit.is_some() {
            let old = lines.get(e.line).to_string();
            lines.set(e.line, rewrite_line(&old, e, &board, change, true));
            rewrite_nested(&mut lines, e, change);
        }
    }
    let keep = in_status
        .iter()
        .find(|e| board.sections[e.section].kind == kind)
        .copied();
    let template = keep.or_else(|| in_status.first().copied());
    for e in &in_status {
        if Some(e.line) == keep.map(|k| k.line) {
            let old = lines.get(e.line).to_string();
            lines.set(e.line, rewrite_line(&old, e, &board, change, false));
            rewrite_nested(&mut lines, e, change);
        } else {
            lines.drop_block(e);
        }
    }
    let text = lines.join();
    if keep.is_some() {
        return Ok(text);
    }
    let entry = match template {
        Some(e) => {
            let mut block = vec![rewrite_line(
                doc.source.line_text(e.line),
                e,
                &board,
                change,
                false,
            )];
            for n in &e.nested {
                block.push(nested_line(doc.source.line_text(n.line), change));
            }
            block.join(line_ending(board_text))
        }
        None => new_entry(&board, &doc.source, change),
    };
    insert_board_entry(&text, &kind, title, &entry)
}

/// A new entry in the style of the board's first entry that writes its status
/// (`src`: the board's text).
fn new_entry(board: &Board, src: &Source, change: &BoardState) -> String {
    let model = board
        .status_entries()
        .find(|e| e.explicit.is_some())
        .or_else(|| board.entries.iter().find(|e| e.explicit.is_some()));
    match model {
        Some(e) => {
            let line = src.line_text(e.line);
            let cut = tail_start(line, e.id.as_str());
            let prefix = line[..cut].replacen(e.id.as_str(), change.id.as_str(), 1);
            let (sep, token, _) = split_tail(&line[cut..]);
            format!("{prefix}{}", new_tail(sep, token, "", change))
        }
        None => {
            let (sep, token) = (" ", Some(Token::Plain("Ready-for-Dev".to_string())));
            format!("- [{}]{}", change.id, new_tail(sep, token, "", change))
        }
    }
}

/// The line of entry `e` with its status rewritten. `in_place`: a gate or Active
/// entry, whose line keeps everything but the status.
fn rewrite_line(
    line: &str,
    e: &Entry,
    board: &Board,
    change: &BoardState,
    in_place: bool,
) -> String {
    let cut = tail_start(line, e.id.as_str());
    let (sep, token, after) = split_tail(&line[cut..]);
    let was_blocked = e.explicit.as_ref().and_then(|s| s.kind) == Some(StatusKind::Blocked)
        || board.sections[e.section].kind == SectionKind::Blocked;
    // a block reason is not a note of the new state
    let after = if was_blocked && change.state != State::Blocked {
        ""
    } else {
        after
    };
    let implicit_ok = token.is_none() && change.state != State::Blocked;
    if implicit_ok && !in_place {
        // the section says the status; the line stays as written (without a reason)
        let rest = if was_blocked { "" } else { &line[cut..] };
        return format!("{}{rest}", &line[..cut]);
    }
    if token.is_none() && in_place {
        return line.to_string();
    }
    let sep = if sep.is_empty() { " " } else { sep };
    format!("{}{}", &line[..cut], new_tail(sep, token, after, change))
}

/// The tail `{sep}{status}{after}`, with the block note for Blocked.
fn new_tail(sep: &str, token: Option<Token>, after: &str, change: &BoardState) -> String {
    let status = match &token {
        Some(Token::Bracketed(old)) => {
            let word = if change.state == State::Done && change.validated {
                "VALIDATED".to_string()
            } else {
                Spelling::of(old).write(change.state, false)
            };
            format!("[{word}]")
        }
        Some(Token::Plain(old)) => Spelling::of(old).write(change.state, change.validated),
        None => Spelling {
            separator: '-',
            ..Spelling::default()
        }
        .write(change.state, change.validated),
    };
    match (change.state, change.block) {
        (State::Blocked, Some(note)) => {
            let joiner = match (&token, note) {
                (Some(Token::Bracketed(_)), _) | (_, BlockNote::Reason(_)) => " - ",
                _ => " ",
            };
            format!("{sep}{status}{joiner}{}", note.text())
        }
        _ => format!("{sep}{status}{after}"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// `[VALIDATED]`: the text inside the brackets.
    Bracketed(String),
    /// `Ready-for-Dev`: the status phrase as written.
    Plain(String),
}

/// Byte offset just after the entry's id and the brackets or emphasis closing it.
fn tail_start(line: &str, id: &str) -> usize {
    let at = line.find(id).map_or(0, |i| i + id.len());
    let rest = &line[at..];
    at + (rest.len() - rest.trim_start_matches([']', ')', '*', '`', '_']).len())
}

/// A tail split into its leading separator, its status token (if it writes one) and
/// the text after the token.
fn split_tail(tail: &str) -> (&str, Option<Token>, &str) {
    let body = tail.trim_start_matches(|c: char| c.is_whitespace() || "-–—:|,".contains(c));
    let sep = &tail[..tail.len() - body.len()];
    if let Some(inner) = body.strip_prefix('[') {
        if let Some(close) = inner.find(']') {
            let word = &inner[..close];
            if Status::parse(word).kind.is_some() {
                return (
                    sep,
                    Some(Token::Bracketed(word.to_string())),
                    &inner[close + 1..],
                );
            }
        }
    }
    let Some(kind) = Status::parse(body).kind else {
        return (sep, None, body);
    };
    // the shortest leading run of words that reads as the same status
    let mut end = body.len();
    for (i, c) in body.char_indices() {
        if !c.is_alphanumeric() && i > 0 && Status::parse(&body[..i]).kind == Some(kind) {
            end = i;
            break;
        }
    }
    (
        sep,
        Some(Token::Plain(body[..end].to_string())),
        &body[end..],
    )
}

/// Nested `- Status:` lines follow the entry's new status.
fn rewrite_nested(lines: &mut Lines, e: &Entry, change: &BoardState) {
    for n in &e.nested {
        let old = lines.get(n.line).to_string();
        lines.set(n.line, nested_line(&old, change));
    }
}

fn nested_line(line: &str, change: &BoardState) -> String {
    // the key starts after the indentation and the list marker
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let marker = rest
        .strip_prefix(['-', '*', '+'])
        .map(|r| rest.len() - r.len())
        .unwrap_or(0);
    let at = indent + marker;
    let Some((key, v)) = crate::model::fields::split_key_value(&line[at..]) else {
        return line.to_string();
    };
    let v = at + v;
    if crate::text::normalize_name(&key) != "status" {
        return line.to_string();
    }
    let value = line[v..].trim();
    let written = match value.strip_prefix('[') {
        Some(inner) if change.state == State::Done && change.validated => {
            let _ = inner;
            "[VALIDATED]".to_string()
        }
        Some(inner) => format!("[{}]", Spelling::of(inner).write(change.state, false)),
        None => Spelling::of(value).write(change.state, change.validated),
    };
    let lead = &line[..v];
    let space = if lead.ends_with(' ') { "" } else { " " };
    format!("{lead}{space}{written}")
}

/// The board's lines, edited by number, joined back with their own endings.
struct Lines<'t> {
    src: Source,
    text: &'t str,
    replaced: std::collections::BTreeMap<usize, Option<String>>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            src: Source::from_string("board", text.to_string(), None),
            text,
            replaced: Default::default(),
        }
    }

    fn get(&self, n: usize) -> &str {
        match self.replaced.get(&n) {
            Some(Some(s)) => s,
            _ => self.src.line_text(n),
        }
    }

    fn set(&mut self, n: usize, s: String) {
        self.replaced.insert(n, Some(s));
    }

    /// Drops an entry's line and its nested lines, and a blank line after them when
    /// one is before them too (so moves leave no runs of blank lines).
    fn drop_block(&mut self, e: &Entry) {
        let last = e.nested.iter().map(|n| n.line).max().unwrap_or(e.line);
        for n in e.line..=last {
            self.replaced.insert(n, None);
        }
        let blank =
            |n: usize| n >= 1 && n <= self.src.line_count() && self.get(n).trim().is_empty();
        if blank(e.line - 1) && blank(last + 1) && !self.replaced.contains_key(&(last + 1)) {
            self.replaced.insert(last + 1, None);
        }
    }

    fn join(&self) -> String {
        if self.replaced.is_empty() {
            return self.text.to_string();
        }
        let mut out = String::with_capacity(self.text.len());
        for n in 1..=self.src.line_count() {
            let range = self.src.line_range(n);
            let end = if n < self.src.line_count() {
                self.src.line_start(n + 1)
            } else {
                self.text.len()
            };
            match self.replaced.get(&n) {
                None => out.push_str(&self.text[range.start..end]),
                Some(None) => {}
                Some(Some(s)) => {
                    out.push_str(s);
                    out.push_str(&self.text[range.end..end]);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> WpId {
        WpId::parse(s).unwrap()
    }

    fn apply(board: &str, wp: &str, state: State) -> String {
        let id = id(wp);
        set_board_state(
            board,
            &BoardState {
                id: &id,
                state,
                validated: state == State::Done,
                block: None,
            },
        )
        .unwrap()
    }

    const B: &str = "# Board\n\n## Phase 1 Closure Gates (BLOCKING)\n- [WP-1-A] Ready-for-Dev (no blockers)\n\n## Ready for Dev\n\n- [WP-1-A] Ready-for-Dev (no blockers)\n- [WP-1-B] Ready-for-Dev\n\n## In Progress\n\n## Done\n\n## Blocked\n";

    #[test]
    fn moves_the_entry_and_rewrites_the_gate_entry_in_place() {
        let out = apply(B, "WP-1-A", State::InProgress);
        assert_eq!(
            out,
            "# Board\n\n## Phase 1 Closure Gates (BLOCKING)\n- [WP-1-A] In-Progress (no blockers)\n\n## Ready for Dev\n\n- [WP-1-B] Ready-for-Dev\n\n## In Progress\n\n- [WP-1-A] In-Progress (no blockers)\n\n## Done\n\n## Blocked\n"
        );
        assert_eq!(apply(&out, "WP-1-A", State::InProgress), out, "idempotent");
    }

    #[test]
    fn bold_ids_and_bracketed_states_are_kept() {
        let b = "## In Progress\n- **[WP-1-A]** - [IN PROGRESS] - started by coder-a\n\n## Done\n- **[WP-1-Z]** - [VALIDATED]\n";
        let out = apply(b, "WP-1-A", State::Done);
        assert_eq!(
            out,
            "## In Progress\n\n## Done\n- **[WP-1-Z]** - [VALIDATED]\n- **[WP-1-A]** - [VALIDATED] - started by coder-a\n"
        );
        // a WP with no entry gets one in the board's style
        let out = apply(b, "WP-1-N", State::ReadyForDev);
        assert!(
            out.ends_with("## Ready for Dev\n\n- **[WP-1-N]** - [READY FOR DEV]\n"),
            "{out}"
        );
    }

    #[test]
    fn implicit_entries_keep_their_notes_and_lose_block_reasons() {
        let b = "## Blocked\n- [WP-1-A] waiting for the schema\n\n## Ready for Dev\n";
        assert_eq!(
            apply(b, "WP-1-A", State::ReadyForDev),
            "## Blocked\n\n## Ready for Dev\n\n- [WP-1-A]\n"
        );
        let b = "## Ready for Dev\n- [WP-1-A] (owner: ana)\n\n## In Progress\n";
        assert_eq!(
            apply(b, "WP-1-A", State::InProgress),
            "## Ready for Dev\n\n## In Progress\n\n- [WP-1-A] (owner: ana)\n"
        );
    }

    #[test]
    fn blocking_writes_what_it_waits_for() {
        let wp = id("WP-1-A");
        let note = BlockNote::On(vec![id("WP-1-B")]);
        let out = set_board_state(
            B,
            &BoardState {
                id: &wp,
                state: State::Blocked,
                validated: false,
                block: Some(&note),
            },
        )
        .unwrap();
        assert!(
            out.contains("## Phase 1 Closure Gates (BLOCKING)\n- [WP-1-A] Blocked on WP-1-B\n"),
            "{out}"
        );
        assert!(
            out.ends_with("## Blocked\n\n- [WP-1-A] Blocked on WP-1-B\n"),
            "{out}"
        );
        let board = Board::parse(Source::from_string("b", out.clone(), None));
        let e = board.status_entry(&wp).unwrap();
        assert_eq!(e.blockers, vec![id("WP-1-B")]);
        // and back: the reason goes
        let back = apply(&out, "WP-1-A", State::InProgress);
        assert!(back.contains("- [WP-1-A] In-Progress\n"), "{back}");
        assert!(
            !back.contains("WP-1-B\n\n## Blocked") || !back.contains("on WP-1-B"),
            "{back}"
        );
    }

    #[test]
    fn gate_entries_with_nested_status_lines_follow() {
        let b = "## Phase 1 Closure Gates (BLOCKING)\n1. **[WP-1-A]** - Storage\n   - Status: [READY FOR DEV]\n   - Blocker: None\n\n## Ready for Dev\n- [WP-1-A] Ready-for-Dev\n\n## Done\n";
        let out = apply(b, "WP-1-A", State::Done);
        assert!(out.starts_with("## Phase 1 Closure Gates (BLOCKING)\n1. **[WP-1-A]** - Storage\n   - Status: [VALIDATED]\n   - Blocker: None\n"), "{out}");
        assert!(
            out.ends_with("## Done\n\n- [WP-1-A] Done (VALIDATED)\n"),
            "{out}"
        );
    }

    #[test]
    fn a_wp_in_two_status_sections_ends_in_one() {
        let b = "## Ready for Dev\n- [WP-1-A] Ready-for-Dev\n\n## In Progress\n- [WP-1-A] In-Progress\n  - Status: In-Progress\n\n## Done\n";
        let out = apply(b, "WP-1-A", State::InProgress);
        assert_eq!(out, "## Ready for Dev\n\n## In Progress\n- [WP-1-A] In-Progress\n  - Status: In-Progress\n\n## Done\n");
        let out = apply(b, "WP-1-A", State::Done);
        assert_eq!(
            out,
            "## Ready for Dev\n\n## In Progress\n\n## Done\n\n- [WP-1-A] Done (VALIDATED)\n"
        );
    }
}
