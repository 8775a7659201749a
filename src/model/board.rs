//! The task board: status sections, phase closure gates, and the WP entries in them.
//!
//! A [`Board`] is what the board says, without the Markdown reading it was taken
//! from: the checks read only these facts, which the persistent cache keeps
//! ([`cached`]); the writers, which edit by line, read the document beside it
//! ([`Board::read`]).

mod cached;

use super::fields::{split_key_value, strip_heading_decoration};
use super::status::{Status, StatusKind};
use super::wp_id::{first_id_in, id_at_start, ids_in, lookalike_words, WpId};
use crate::diag::Diagnostic;
use crate::markdown::table::{is_delimiter_row, split_row};
use crate::markdown::{LineKind, MdDoc};
use crate::text::{normalize_name, strip_decoration, strip_decoration_cow, Source};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "phase", rename_all = "snake_case")]
pub enum SectionKind {
    ReadyForDev,
    InProgress,
    ReadyForValidation,
    Done,
    Blocked,
    Superseded,
    Backlog,
    Stub,
    /// `## Active (Cross-Branch Status)`: status-sync mirror of in-flight work.
    Active,
    /// `## Phase N Closure Gates (BLOCKING)`, with the normalised phase.
    PhaseGate(String),
    /// `## Historical Failed Closures Used As Live Smoketest Baselines`: closed
    /// attempts kept as references; their tokens are not statuses.
    Historical,
    /// Free prose sections.
    Other,
}

impl SectionKind {
    /// The status an entry has by being listed in this section.
    pub fn implied_status(&self) -> Option<StatusKind> {
        Some(match self {
            SectionKind::ReadyForDev => StatusKind::ReadyForDev,
            SectionKind::InProgress => StatusKind::InProgress,
            SectionKind::ReadyForValidation => StatusKind::ReadyForValidation,
            SectionKind::Done => StatusKind::Done,
            SectionKind::Blocked => StatusKind::Blocked,
            SectionKind::Superseded => StatusKind::Superseded,
            SectionKind::Backlog => StatusKind::Backlog,
            SectionKind::Stub => StatusKind::Stub,
            _ => return None,
        })
    }

    /// The five sections every board must keep, even when empty.
    pub const FIXED: [(&'static str, SectionKind); 5] = [
        ("Ready for Dev", SectionKind::ReadyForDev),
        ("In Progress", SectionKind::InProgress),
        ("Done", SectionKind::Done),
        ("Blocked", SectionKind::Blocked),
        ("Superseded (Archive)", SectionKind::Superseded),
    ];

    fn classify(title: &str) -> SectionKind {
        let name = normalize_name(&strip_heading_decoration(title));
        if let Some(phase) = phase_of_gate_title(&name) {
            return SectionKind::PhaseGate(phase);
        }
        match name.as_str() {
            "ready for dev" | "ready for development" => SectionKind::ReadyForDev,
            "in progress" => SectionKind::InProgress,
            "ready for validation" | "awaiting validation" => SectionKind::ReadyForValidation,
            "done" | "completed" | "done validated" => SectionKind::Done,
            "blocked" => SectionKind::Blocked,
            "superseded" | "archive" | "superseded archive" => SectionKind::Superseded,
            "backlog" => SectionKind::Backlog,
            "stub backlog" | "stubs" | "stub" => SectionKind::Stub,
            "active" => SectionKind::Active,
            n if n.starts_with("historical") => SectionKind::Historical,
            _ => SectionKind::Other,
        }
    }
}

/// `phase 1 closure gates` → `1`; also `phase 1: closure gates`, `phase 1 — closure gates`.
fn phase_of_gate_title(name: &str) -> Option<String> {
    let rest = name.strip_prefix("phase ")?;
    let (phase, tail) = rest.split_once(' ')?;
    let phase = phase.trim_end_matches([':', '.', ',']);
    let tail = tail.trim_start_matches(|c: char| !c.is_alphanumeric());
    (!phase.is_empty() && tail.starts_with("closure gate")).then(|| normalize_phase(phase))
}

/// `Phase-1`, `Phase 1`, `phase1` and `1` all name phase `1`.
pub fn normalize_phase(s: &str) -> String {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("phase")
        .map(|r| r.trim_start_matches([' ', '-', '_']))
        .unwrap_or(&lower);
    rest.trim().to_string()
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    pub title: String,
    pub level: u8,
    /// 1-based line of the heading.
    pub line: usize,
    #[serde(skip)]
    pub lines: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NestedLine {
    pub key: String,
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: WpId,
    pub line: usize,
    pub column: usize,
    /// Index into [`Board::sections`].
    pub section: usize,
    /// A status written on the entry itself (`[VALIDATED]`, `- Status: ...`).
    pub explicit: Option<Status>,
    /// The entry's first line without the id.
    pub note: String,
    /// WPs named as blockers (`Blocked on WP-...`, `- Blocker: WP-...`).
    pub blockers: Vec<WpId>,
    /// Free-text reason given for a block.
    pub reason: Option<String>,
    /// First ISO date in the entry (`Started 2025-12-16`).
    pub date: Option<NaiveDate>,
    pub nested: Vec<NestedLine>,
    /// Where a written status gov does not recognise is (1-based line and column):
    /// the diagnostic about it points there.
    #[serde(skip)]
    pub status_at: Option<(usize, usize)>,
}

/// A line in a status or gate section that names a WP but is not an entry (a table
/// row, prose, an item whose id is not at its start): reported, never silently skipped.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    pub line: usize,
    pub column: usize,
    pub section: usize,
    pub text: String,
}

/// An id-shaped word holding a lookalike hyphen or an invisible character: neither
/// read as an entry nor cut into another id.
#[derive(Debug, Clone, Serialize)]
pub struct Lookalike {
    pub line: usize,
    /// Column of the odd character.
    pub column: usize,
    pub section: usize,
    /// The word as written.
    pub word: String,
    /// The odd character (`U+2011`).
    pub character: char,
}

#[derive(Debug, Clone)]
pub struct Board {
    pub path: String,
    pub sections: Vec<Section>,
    pub entries: Vec<Entry>,
    pub unread: Vec<Unread>,
    pub lookalikes: Vec<Lookalike>,
    /// What the Markdown reader repaired or could not read (a fence or a comment
    /// that never closes).
    pub issues: Vec<Diagnostic>,
    /// Entry indexes sorted by WP id, board order among one WP's entries: boards
    /// list thousands of WPs and every check asks for a WP's entries (a sorted index
    /// costs no copy of any id).
    by_id: Vec<usize>,
    /// Where each WP's run starts in `by_id`, in id order: walking the WPs needs no
    /// id comparison.
    wp_starts: Vec<usize>,
}

impl Board {
    pub fn parse(source: Source) -> Board {
        Board::read(&MdDoc::parse(source))
    }

    /// [`Board::parse`], handing the text back (the history walk diffs it).
    pub fn parse_keeping_text(source: Source) -> (Board, Source) {
        let doc = MdDoc::parse(source);
        (Board::read(&doc), doc.source)
    }

    /// The board a Markdown reading shows (writers keep the reading for its lines).
    pub fn read(doc: &MdDoc) -> Board {
        let sections = sections_of(doc);
        // every section reads into the same lists: no per-section copy of thousands
        // of entries; sized for a board that is all entries, so that the list never
        // moves while it grows (untouched capacity costs no memory)
        let mut read = Read {
            entries: Vec::with_capacity(doc.lines.len()),
            ..Read::default()
        };
        for (si, s) in sections.iter().enumerate() {
            let unread_before = read.unread.len();
            entries_of(doc, s, si, &mut read);
            if s.kind == SectionKind::Other {
                read.unread.truncate(unread_before);
            }
        }
        let Read {
            mut entries,
            unread,
            lookalikes,
        } = read;
        entries
            .iter_mut()
            .for_each(|e| e.status_at = unknown_status_at(doc, e));
        let mut by_id: Vec<usize> = (0..entries.len()).collect();
        // stable: board order among one WP's entries
        by_id.sort_by(|&a, &b| entries[a].id.cmp(&entries[b].id));
        let wp_starts = wp_starts(&entries, &by_id);
        Board {
            path: doc.source.path.clone(),
            sections,
            entries,
            unread,
            lookalikes,
            issues: doc.issues.clone(),
            by_id,
            wp_starts,
        }
    }

    /// Each WP's entries as indexes into [`Board::entries`], in board order; the WPs
    /// in id order.
    pub fn wps(&self) -> impl Iterator<Item = &[usize]> + '_ {
        let ends = self.wp_starts.iter().skip(1).copied();
        self.wp_starts
            .iter()
            .zip(ends.chain(std::iter::once(self.by_id.len())))
            .map(|(&start, end)| &self.by_id[start..end])
    }

    /// Whether an entry sits in a status section (not a gate, Active or prose).
    pub fn in_status_section(&self, e: &Entry) -> bool {
        self.sections[e.section].kind.implied_status().is_some()
    }

    /// The entry of one WP's entries (as [`Board::wps`] gives them) that fixes its
    /// board status: its first in a status section, else its first.
    fn status_index(&self, wp: &[usize]) -> usize {
        wp.iter()
            .copied()
            .find(|&i| self.in_status_section(&self.entries[i]))
            .unwrap_or(wp[0])
    }

    /// [`Board::wps`] in the board order of each WP's first entry.
    pub fn wps_in_board_order(&self) -> Vec<&[usize]> {
        let mut wps: Vec<&[usize]> = self.wps().collect();
        wps.sort_unstable_by_key(|wp| wp[0]);
        wps
    }

    /// Each WP's status entry ([`Board::status_entry`]), in the board order of the
    /// WP's first entry.
    pub fn status_entries_of_wps(&self) -> Vec<&Entry> {
        self.wps_in_board_order()
            .into_iter()
            .map(|wp| &self.entries[self.status_index(wp)])
            .collect()
    }

    /// The status an entry stands for: written on it, else implied by its section.
    pub fn entry_status(&self, e: &Entry) -> Option<StatusKind> {
        e.explicit
            .as_ref()
            .and_then(|s| s.kind)
            .or_else(|| self.sections[e.section].kind.implied_status())
    }

    /// Entries in status sections (phase gates, Active and prose sections excluded).
    pub fn status_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| self.sections[e.section].kind.implied_status().is_some())
    }

    pub fn entries_for<'a>(&'a self, id: &'a WpId) -> impl Iterator<Item = &'a Entry> + 'a {
        let start = self.by_id.partition_point(|&i| self.entries[i].id < *id);
        self.by_id[start..]
            .iter()
            .map(|&i| &self.entries[i])
            .take_while(move |e| e.id == *id)
    }

    /// The entry that fixes a WP's board status: its first entry in a status section,
    /// else its first entry anywhere.
    pub fn status_entry<'a>(&'a self, id: &'a WpId) -> Option<&'a Entry> {
        let mut all = self.entries_for(id);
        let first = all.next()?;
        std::iter::once(first)
            .chain(all)
            .find(|e| self.in_status_section(e))
            .or(Some(first))
    }

    /// Each WP's first entry, in board order.
    pub fn first_entries(&self) -> Vec<&Entry> {
        self.wps_in_board_order()
            .into_iter()
            .map(|wp| &self.entries[wp[0]])
            .collect()
    }

    /// Each WP's first entry among those `keep` accepts, and the WP's later accepted
    /// entries, as (later, first) entry pairs in board order: what a duplicate is.
    pub fn repeated_entries(&self, keep: impl Fn(&Entry) -> bool) -> Vec<(&Entry, &Entry)> {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut group: Option<(&WpId, usize)> = None;
        // `by_id` holds a WP's entries together, in board order
        for &i in &self.by_id {
            let e = &self.entries[i];
            if !keep(e) {
                continue;
            }
            match group {
                Some((id, first)) if *id == e.id => pairs.push((i, first)),
                _ => group = Some((&e.id, i)),
            }
        }
        pairs.sort_unstable();
        pairs
            .into_iter()
            .map(|(i, first)| (&self.entries[i], &self.entries[first]))
            .collect()
    }

    /// Every WP on the board, each once, in id order.
    pub fn ids(&self) -> impl Iterator<Item = &WpId> {
        self.wp_starts
            .iter()
            .map(|&k| &self.entries[self.by_id[k]].id)
    }

    pub fn phase_gate(&self, phase: &str) -> Option<(usize, &Section)> {
        let p = normalize_phase(phase);
        self.sections
            .iter()
            .enumerate()
            .find(|(_, s)| s.kind == SectionKind::PhaseGate(p.clone()))
    }

    /// Every closure-gate section of a phase, in board order: a gate written in two
    /// sections is one gate.
    pub fn phase_gates(&self, phase: &str) -> Vec<usize> {
        let p = SectionKind::PhaseGate(normalize_phase(phase));
        (0..self.sections.len())
            .filter(|&i| self.sections[i].kind == p)
            .collect()
    }

    pub fn phases(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .sections
            .iter()
            .filter_map(|s| match &s.kind {
                SectionKind::PhaseGate(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn section_entries(&self, section: usize) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.section == section)
    }

    /// A board put back together from stored facts (the cache), when they hold
    /// together: every section index names a section and `by_id` is the id order
    /// [`Board::read`] makes (each entry once, sorted by id, board order among
    /// equal ids). The reader's issues are not stored: a board with any is not
    /// cached.
    fn from_parts(
        path: String,
        sections: Vec<Section>,
        entries: Vec<Entry>,
        unread: Vec<Unread>,
        lookalikes: Vec<Lookalike>,
        by_id: Vec<usize>,
    ) -> Option<Board> {
        let in_range = |si: usize| si < sections.len();
        let sections_ok = entries.iter().all(|e| in_range(e.section))
            && unread.iter().all(|u| in_range(u.section))
            && lookalikes.iter().all(|l| in_range(l.section));
        if !sections_ok || !is_id_order(&entries, &by_id) {
            return None;
        }
        let wp_starts = wp_starts(&entries, &by_id);
        Some(Board {
            path,
            sections,
            entries,
            unread,
            lookalikes,
            issues: Vec::new(),
            by_id,
            wp_starts,
        })
    }

    /// Whether every line the board names is one of a text of `lines` lines (a
    /// stored board checked against the text it is for: the history walk looks
    /// lines up by these numbers).
    fn fits(&self, lines: usize) -> bool {
        let line = |n: usize| (1..=lines).contains(&n);
        let sections = self
            .sections
            .iter()
            .all(|s| line(s.line) && s.lines.start <= s.lines.end && s.lines.end <= lines);
        let entries = self.entries.iter().all(|e| {
            line(e.line)
                && e.nested.iter().all(|n| line(n.line))
                && e.status_at.is_none_or(|(l, _)| line(l))
        });
        sections
            && entries
            && self.unread.iter().all(|u| line(u.line))
            && self.lookalikes.iter().all(|l| line(l.line))
    }
}

/// Whether `by_id` holds each entry index once, in id order, board order among
/// one WP's entries: each (id, index) pair after the one before it.
fn is_id_order(entries: &[Entry], by_id: &[usize]) -> bool {
    if by_id.len() != entries.len() || by_id.iter().any(|&i| i >= entries.len()) {
        return false;
    }
    // strictly increasing pairs cannot repeat an index: with as many indexes as
    // entries, each is there once
    by_id.windows(2).all(|w| {
        let (a, b) = (&entries[w[0]].id, &entries[w[1]].id);
        a < b || (a == b && w[0] < w[1])
    })
}

/// Where each WP's run of entries starts in `by_id` (entry indexes in id order).
fn wp_starts(entries: &[Entry], by_id: &[usize]) -> Vec<usize> {
    (0..by_id.len())
        .filter(|&k| k == 0 || entries[by_id[k - 1]].id != entries[by_id[k]].id)
        .collect()
}

/// Where an entry's written status is, when gov does not recognise it: on the
/// entry's first `Status:` line if it has one, else on its own line; at the status
/// as written, else where the line's content starts.
fn unknown_status_at(doc: &MdDoc, e: &Entry) -> Option<(usize, usize)> {
    let status = e.explicit.as_ref().filter(|s| s.kind.is_none())?;
    let line = e
        .nested
        .iter()
        .find(|n| n.key.eq_ignore_ascii_case("status"))
        .map_or(e.line, |n| n.line);
    let column = doc.lines.get(line - 1).map_or(1, |l| {
        let at = doc.source.text[l.range.clone()]
            .find(status.raw.as_str())
            .map_or(l.content, |o| l.range.start + o);
        doc.column(line - 1, at)
    });
    Some((line, column))
}

fn sections_of(doc: &MdDoc) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for i in 0..doc.lines.len() {
        if let LineKind::Heading(level) = doc.lines[i].kind {
            let atx = doc.raw(i).trim_start().starts_with('#');
            if !atx && i > 0 && doc.lines[i - 1].kind == LineKind::Heading(level) {
                continue; // setext underline (two ATX headings in a row are two sections)
            }
            let title = strip_decoration(doc.content(i).trim_end_matches('#'));
            out.push(Section {
                kind: SectionKind::classify(&title),
                title,
                level,
                line: i + 1,
                lines: i + 1..doc.lines.len(),
            });
        }
    }
    // a section runs to the next heading of the same or a higher level
    for k in 0..out.len() {
        let level = out[k].level;
        let end = out[k + 1..]
            .iter()
            .find(|s| s.level <= level)
            .map_or(doc.lines.len(), |s| s.line - 1);
        // a status section ends at any sub-heading too, so entries belong to the nearest heading
        let next_any = out.get(k + 1).map_or(doc.lines.len(), |s| s.line - 1);
        out[k].lines = out[k].line..end.min(next_any);
    }
    out
}

/// What one section holds: entries, lines naming a WP that are not part of one, and
/// id-shaped words with lookalike characters.
#[derive(Default)]
struct Read {
    entries: Vec<Entry>,
    unread: Vec<Unread>,
    lookalikes: Vec<Lookalike>,
}

/// The entries of one section: list items that start with an id, and table rows
/// with an id in a cell. A gate counts everything a reader sees as listed.
fn entries_of(doc: &MdDoc, s: &Section, si: usize, read: &mut Read) {
    // entries of earlier sections are in the list too; only this section's count
    let first = read.entries.len();
    let mut table: Option<TableHead> = None;
    for i in s.lines.clone() {
        let l = &doc.lines[i];
        let content = doc.content(i);
        // the line as written: an invisible character inside an id is blanked in the
        // reader's text, and must still keep the id from being read as another
        if !matches!(
            l.kind,
            LineKind::Code | LineKind::CodeFence | LineKind::Comment
        ) && !doc.original(i).is_ascii()
        {
            let found = lookalikes_in(doc, i, si);
            if !found.is_empty() {
                read.lookalikes.extend(found);
                continue; // never cut into another id
            }
        }
        if l.kind == LineKind::TableRow {
            table_row(doc, i, si, &s.kind, &mut table, read);
            continue;
        }
        table = None;
        let listed = l.kind == LineKind::ItemStart || (l.kind == LineKind::Text && l.depth > 0);
        if !listed {
            if l.kind == LineKind::Text {
                read.unread.extend(unread_line(doc, i, si));
            }
            continue;
        }
        let current_depth = read.entries[first..]
            .last()
            .filter(|e| doc.lines[e.line - 1].kind == LineKind::ItemStart)
            .map(|e: &Entry| doc.lines[e.line - 1].depth);
        if l.kind == LineKind::ItemStart && current_depth.is_none_or(|d| l.depth <= d) {
            if let Some(e) = entry_from_line(doc, i, si, &s.kind) {
                read.entries.push(e);
                continue;
            }
        }
        match (read.entries[first..].last_mut(), current_depth) {
            (Some(e), Some(d)) if l.depth > d => absorb_nested(e, content, i + 1),
            _ => read.unread.extend(unread_line(doc, i, si)),
        }
    }
}

/// The header of the table being read: which column holds the status.
struct TableHead {
    status: Option<usize>,
}

/// A table row: the header (remembered), the delimiter (skipped), or a row that is an
/// entry when one of its cells starts with an id.
fn table_row(
    doc: &MdDoc,
    i: usize,
    si: usize,
    kind: &SectionKind,
    head: &mut Option<TableHead>,
    read: &mut Read,
) {
    let raw = doc.raw(i);
    if is_delimiter_row(raw) {
        return;
    }
    if *kind == SectionKind::Other {
        read.unread.extend(unread_line(doc, i, si)); // prose tables are not lists of work
        return;
    }
    let cells = split_row(raw);
    let next_is_delimiter = doc
        .lines
        .get(i + 1)
        .is_some_and(|n| n.kind == LineKind::TableRow && is_delimiter_row(doc.raw(i + 1)));
    if head.is_none() && next_is_delimiter {
        let status = cells.iter().position(|c| {
            matches!(
                normalize_name(&strip_decoration(c)).as_str(),
                "status" | "state" | "board status"
            )
        });
        *head = Some(TableHead { status });
        return;
    }
    let id_cell = cells.iter().enumerate().find_map(|(k, c)| {
        let cleaned = strip_decoration_cow(c);
        id_at_start(cleaned.trim_start_matches(['[', '(', ' '])).map(|id| (k, id))
    });
    let Some((k, id)) = id_cell else {
        read.unread.extend(unread_line(doc, i, si));
        return;
    };
    let id_at = raw.find(id.as_str()).unwrap_or(0);
    let status_cell = head
        .as_ref()
        .and_then(|h| h.status)
        .filter(|&c| c != k)
        .or(Some(k + 1))
        .and_then(|c| cells.get(c))
        .cloned()
        .unwrap_or_default();
    let note: Vec<&str> = cells
        .iter()
        .enumerate()
        .filter(|(c, v)| *c != k && !v.is_empty())
        .map(|(_, v)| v.as_str())
        .collect();
    let mut e = Entry {
        id,
        line: i + 1,
        column: doc.column(i, doc.lines[i].range.start + id_at),
        section: si,
        explicit: None,
        note: note.join(" | "),
        blockers: Vec::new(),
        reason: None,
        date: find_date(raw),
        nested: Vec::new(),
        status_at: None,
    };
    if *kind != SectionKind::Historical {
        read_status_text(&mut e, &status_cell);
    }
    read.entries.push(e);
}

/// Id-shaped words on line `i` that hold a lookalike or invisible character.
fn lookalikes_in(doc: &MdDoc, i: usize, si: usize) -> Vec<Lookalike> {
    let start = doc.lines[i].range.start;
    lookalike_words(doc.original(i))
        .into_iter()
        .map(|w| Lookalike {
            line: i + 1,
            column: doc.column(i, start + w.at),
            section: si,
            word: w.word,
            character: w.character,
        })
        .collect()
}

fn unread_line(doc: &MdDoc, i: usize, si: usize) -> Option<Unread> {
    let content = doc.content(i);
    let (off, _) = first_id_in(content)?;
    Some(Unread {
        line: i + 1,
        column: doc.column(i, doc.lines[i].content + off),
        section: si,
        text: content.trim().to_string(),
    })
}

fn entry_from_line(doc: &MdDoc, i: usize, si: usize, kind: &SectionKind) -> Option<Entry> {
    let content = doc.content(i);
    let cleaned = strip_decoration_cow(content);
    let lead = cleaned.trim_start_matches(|c: char| c == '[' || c.is_whitespace() || c == '(');
    // an entry starts with its id; other lines are not searched further
    let id = id_at_start(lead)?;
    let id_at = match &cleaned {
        // only blanks and brackets precede the lead in the line: the id is where the
        // lead starts (the first place the id is written)
        std::borrow::Cow::Borrowed(_) => lead.as_ptr() as usize - content.as_ptr() as usize,
        std::borrow::Cow::Owned(_) => content.find(id.as_str()).unwrap_or(0),
    };
    let tail = lead[id.as_str().len()..].trim_start_matches([']', ')']);
    let mut e = Entry {
        id,
        line: i + 1,
        column: doc.column(i, doc.lines[i].content + id_at),
        section: si,
        explicit: None,
        note: tail.trim().to_string(),
        blockers: Vec::new(),
        reason: None,
        date: find_date(content),
        nested: Vec::new(),
        status_at: None,
    };
    if *kind == SectionKind::Historical {
        return Some(e); // `[FAILED_HISTORICAL_SMOKETEST_BASELINE] - base_wp_id: ...`
    }
    read_status_text(&mut e, tail);
    // in the Blocked section the note itself is the reason: `- [WP-1-X] Waiting for WP-1-Y`
    if *kind == SectionKind::Blocked && e.explicit.is_none() {
        note_block(&mut e, tail);
    }
    Some(e)
}

/// Reads the status written after an entry's id: `- [VALIDATED]`, `Ready-for-Dev (no
/// blockers)`, `- BLOCKED: reason`, `Blocked on WP-1-X`. Free text is left as a note.
fn read_status_text(e: &mut Entry, tail: &str) {
    let t = tail
        .trim_start_matches(|c: char| c.is_whitespace() || "-–—:|,".contains(c))
        .trim();
    let candidate = match t.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => t,
    };
    let status = Status::parse(candidate);
    if status.kind.is_none() {
        return;
    }
    if status.kind == Some(StatusKind::Blocked) {
        let after = if t.starts_with('[') {
            t.split_once(']').map_or("", |(_, r)| r)
        } else {
            // the text after the word itself, so a reason keeps its closing bracket
            after_word(t, "blocked")
                .or(status.qualifier.as_deref())
                .unwrap_or("")
        };
        note_block(e, after);
    }
    e.explicit = Some(status);
}

/// The text after the first case-insensitive occurrence of an ASCII `word`.
fn after_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let at = text
        .as_bytes()
        .windows(word.len())
        .position(|w| w.eq_ignore_ascii_case(word.as_bytes()))?;
    text.get(at + word.len()..)
}

fn note_block(e: &mut Entry, text: &str) {
    let reason = text
        .trim_start_matches(|c: char| c.is_whitespace() || "-–—:|,".contains(c))
        .trim();
    for (_, id) in ids_in(reason) {
        if id != e.id && !e.blockers.contains(&id) {
            e.blockers.push(id);
        }
    }
    if !reason.is_empty() && !is_none_word(reason) {
        e.reason.get_or_insert_with(|| reason.to_string());
    }
}

fn is_none_word(s: &str) -> bool {
    let w = strip_decoration(s).to_ascii_lowercase();
    w == "none" || w.starts_with("none ") || w.starts_with("none (") || w == "n/a" || w == "-"
}

fn absorb_nested(e: &mut Entry, content: &str, line: usize) {
    if e.date.is_none() {
        e.date = find_date(content);
    }
    let Some((key, v)) = split_key_value(content) else {
        return;
    };
    let value = content[v.min(content.len())..].trim().to_string();
    let k = normalize_name(&key);
    match k.as_str() {
        "status" => e.explicit = Some(Status::parse(&value)),
        "blocker" | "blockers" | "blocked by" | "blocked on" | "depends on" | "reason"
            if !is_none_word(&value) =>
        {
            note_block(e, &value);
        }
        _ => {}
    }
    e.nested.push(NestedLine { key, value, line });
}

/// The first `YYYY-MM-DD` date in the text that is a real calendar date.
fn find_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    // a date's hyphens are its fifth and eighth bytes: most starts are rejected on
    // those two bytes alone
    (0..(b.len() + 1).saturating_sub(10)).find_map(|i| {
        if b[i + 4] != b'-' || b[i + 7] != b'-' {
            return None;
        }
        let shape = b[i..i + 10].iter().enumerate().all(|(k, c)| {
            if k == 4 || k == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
        // a date glued to a longer number is none
        let boundary = i == 0 || !b[i - 1].is_ascii_digit();
        if !(shape && boundary) {
            return None;
        }
        // the shape is checked: the digits are read directly (chrono's format parser
        // costs more than the whole scan)
        let num =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        let year = i32::try_from(num(i..i + 4)).unwrap_or(0);
        NaiveDate::from_ymd_opt(year, num(i + 5..i + 7), num(i + 8..i + 10))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_like_chrono_reads_them() {
        for s in [
            "Done 2025-12-20",
            "2025-13-01",
            "2025-02-30",
            "2024-02-29",
            "0000-01-01",
            "9999-12-31",
            "x12025-12-20",
            "on 2025-1-20 and 2026-01-05",
            "2025-12-2",
        ] {
            let chrono = s
                .split(|c: char| !(c.is_ascii_digit() || c == '-'))
                .flat_map(|w| (0..w.len().saturating_sub(9)).map(move |k| &w[k..k + 10]))
                .find_map(|w| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok());
            let expected = match s {
                "x12025-12-20" => None, // a date glued to a longer number is none
                _ => chrono,
            };
            assert_eq!(find_date(s), expected, "{s:?}");
        }
    }

    /// The date scan before it looked for hyphens: every start of a digit run.
    fn find_date_by_digit_runs(s: &str) -> Option<NaiveDate> {
        let b = s.as_bytes();
        let mut i = 0;
        while i + 10 <= b.len() {
            let shape = b[i..i + 10].iter().enumerate().all(|(k, c)| {
                if k == 4 || k == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
            if shape && (i == 0 || !b[i - 1].is_ascii_digit()) {
                if let Ok(d) = NaiveDate::parse_from_str(&s[i..i + 10], "%Y-%m-%d") {
                    return Some(d);
                }
            }
            i += 1;
            let starts_digit_run = |i: usize| b[i].is_ascii_digit() && !b[i - 1].is_ascii_digit();
            while i < b.len() && !starts_digit_run(i) {
                i += 1;
            }
        }
        None
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4096, ..Default::default() })]

        /// Dates found by hyphen are the dates found at every digit run.
        #[test]
        fn dates_by_hyphen_are_dates_by_digit_run(s in "([0-9]{1,5}|-|x|é| |2025-12-2|2024-02-29|2026-1[0-3]-[0-3][0-9]){0,8}") {
            proptest::prop_assert_eq!(find_date(&s), find_date_by_digit_runs(&s), "{:?}", s);
        }
    }

    fn board(text: &str) -> Board {
        Board::parse(Source::from_bytes("TASK_BOARD.md", text.as_bytes()))
    }

    #[test]
    fn formats_md_entries() {
        let b = board(
            "# Board\n\n## 🚨 PHASE 1 CLOSURE GATES (BLOCKING)\n\n1. **[WP-1-A]** - Define API\n   - Status: [READY FOR DEV 🔴]\n   - Blocker: None (foundational)\n2. **[WP-1-B]** - Remove pool\n   - Status: [GAP 🟡]\n   - Blocker: WP-1-A (MUST COMPLETE FIRST)\n\n## In Progress\n- [WP-1-C] Started 2025-12-16, by coder\n\n## Done\n- **[WP-1-D]** - [VALIDATED]\n\n## Blocked\n- **[WP-1-E]** - [BLOCKED] - waiting on vendor\n- [WP-1-F] Blocked on WP-1-A\n\n## Superseded (Archive)\n",
        );
        assert_eq!(b.phases(), ["1"]);
        let a = &b.entries[0];
        assert_eq!(a.id.as_str(), "WP-1-A");
        assert_eq!(
            a.explicit.as_ref().unwrap().kind,
            Some(StatusKind::ReadyForDev)
        );
        assert!(a.blockers.is_empty());
        assert_eq!(b.entries[1].blockers[0].as_str(), "WP-1-A");
        let c = b
            .entries
            .iter()
            .find(|e| e.id.as_str() == "WP-1-C")
            .unwrap();
        assert_eq!(b.entry_status(c), Some(StatusKind::InProgress));
        assert_eq!(c.date.unwrap().to_string(), "2025-12-16");
        let d = b
            .entries
            .iter()
            .find(|e| e.id.as_str() == "WP-1-D")
            .unwrap();
        assert_eq!(b.entry_status(d), Some(StatusKind::Validated));
        let e = b
            .entries
            .iter()
            .find(|e| e.id.as_str() == "WP-1-E")
            .unwrap();
        assert_eq!(e.reason.as_deref(), Some("waiting on vendor"));
        let f = b
            .entries
            .iter()
            .find(|e| e.id.as_str() == "WP-1-F")
            .unwrap();
        assert_eq!(f.blockers[0].as_str(), "WP-1-A");
        assert!(b.sections.iter().any(|s| s.kind == SectionKind::Superseded));
    }

    #[test]
    fn block_reasons_keep_their_brackets() {
        let b = board("## Blocked\n- **[WP-1-M]** - BLOCKED: waiting for WP-1-O (ETA 3 days)\n- [WP-1-N] Waiting for WP-1-O to VALIDATE\n");
        assert_eq!(
            b.entries[0].reason.as_deref(),
            Some("waiting for WP-1-O (ETA 3 days)")
        );
        assert_eq!(b.entries[0].blockers[0].as_str(), "WP-1-O");
        // in the Blocked section the note is the reason
        assert_eq!(b.entries[1].blockers[0].as_str(), "WP-1-O");
        assert!(b.entries[1].reason.is_some());
    }

    #[test]
    fn gate_titles_in_any_dress() {
        for title in [
            "## 🚨 PHASE 1 CLOSURE GATES (BLOCKING)",
            "## ðŸš¨ PHASE 1 CLOSURE GATES (BLOCKING - MUST COMPLETE)",
            "## Phase 1: Closure Gates",
            "## Phase-1 Closure Gates (Blocking)",
            "### phase 1 — closure gates",
        ] {
            let b = board(&format!("{title}\n- [WP-1-A] Ready-for-Dev\n"));
            assert_eq!(b.phases(), ["1"], "{title}");
        }
    }

    #[test]
    fn unread_lines_are_kept() {
        let b = board("## In Progress\n\n| WP | Note |\n|---|---|\n| see WP-1-A | x |\n\nSee WP-1-B.\n- Storage: WP-1-C (blocked)\n\n## Notes\nWP-1-D prose is fine here.\n");
        let lines: Vec<usize> = b.unread.iter().map(|u| u.line).collect();
        assert_eq!(lines, [5, 7, 8]);
        assert!(b.entries.is_empty());
    }

    #[test]
    fn table_rows_are_entries() {
        let b = board("## Phase 1 Closure Gates (BLOCKING)\n\n| WP | Status | Note |\n|---|---|---|\n| **WP-1-A** | [VALIDATED] | x |\n| WP-1-B | In Progress | y |\n\n## Notes\n| WP | x |\n|---|---|\n| WP-1-C | x |\n");
        let ids: Vec<&str> = b.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["WP-1-A", "WP-1-B"]);
        assert_eq!((b.entries[0].line, b.entries[0].column), (5, 5));
        assert_eq!(
            b.entries[0].explicit.as_ref().unwrap().kind,
            Some(StatusKind::Validated)
        );
        assert_eq!(
            b.entries[1].explicit.as_ref().unwrap().kind,
            Some(StatusKind::InProgress)
        );
        // a table in a prose section lists no work
        assert!(b.unread.is_empty());
    }

    #[test]
    fn two_gate_sections_for_one_phase() {
        let b = board("## Phase 1 Closure Gates (BLOCKING)\n- [WP-1-A] Ready-for-Dev\n## Done\n## PHASE 1 CLOSURE GATES (continued)\n- [WP-1-B] Ready-for-Dev\n");
        assert_eq!(b.phases(), ["1"]);
        assert_eq!(b.phase_gates("Phase-1"), [0, 2]);
    }

    #[test]
    fn lookalike_hyphens_are_never_cut_into_an_id() {
        let b = board("## Done\n- **[WP-1-A]** - [VALIDATED]\n- **[WP-1-A\u{2011}Fix]** - [VALIDATED]\n- [WP\u{2011}1\u{2011}B] - [VALIDATED]\n| x | WP-1-C\u{200B}-v2 |\n");
        let ids: Vec<&str> = b.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["WP-1-A"]);
        let found: Vec<(usize, usize, u32)> = b
            .lookalikes
            .iter()
            .map(|l| (l.line, l.column, l.character as u32))
            .collect();
        assert_eq!(found, [(3, 12, 0x2011), (4, 6, 0x2011), (5, 13, 0x200B)]);
        assert_eq!(b.lookalikes[0].word, "WP-1-A\u{2011}Fix");
    }

    #[test]
    fn sections_since_2026_03() {
        let b = board("## Current Focus (2026-04-01)\nFinish the parser.\n## Historical Failed Closures Used As Live Smoketest Baselines\n- **[WP-1-W-v3]** - [FAILED_HISTORICAL_SMOKETEST_BASELINE] - base_wp_id: WP-1-W - active_recovery: WP-1-W-v4 - live_status: LIVE_SMOKETEST_BASELINE_PENDING\n");
        assert_eq!(b.sections[0].kind, SectionKind::Other);
        assert_eq!(b.sections[1].kind, SectionKind::Historical);
        let e = &b.entries[0];
        assert_eq!(e.id.as_str(), "WP-1-W-v3");
        assert!(e.explicit.is_none() && e.blockers.is_empty());
        assert!(e.note.contains("active_recovery: WP-1-W-v4"));
    }

    #[test]
    fn entries_by_id() {
        let b = board("## Phase 1 Closure Gates\n- [WP-1-A] - [VALIDATED]\n## Done\n- [WP-1-A] Done\n- [WP-1-B] Done\n");
        let id = WpId::parse("WP-1-A").unwrap();
        assert_eq!(b.entries_for(&id).count(), 2);
        assert_eq!(b.status_entry(&id).unwrap().line, 4);
        assert_eq!(b.ids().count(), 2);
    }

    #[test]
    fn entries_by_id_keep_board_order_and_ids_come_once_in_order() {
        let b = board(
            "## Done\n- [WP-1-C] Done\n- [WP-1-A] Done\n## In Progress\n- [WP-1-B] In Progress\n\
             - [WP-1-A] In Progress\n## Blocked\n- [WP-1-A] Blocked on WP-1-B\n",
        );
        let id = WpId::parse("WP-1-A").unwrap();
        let lines: Vec<usize> = b.entries_for(&id).map(|e| e.line).collect();
        assert_eq!(lines, [3, 6, 8]);
        let ids: Vec<&str> = b.ids().map(WpId::as_str).collect();
        assert_eq!(ids, ["WP-1-A", "WP-1-B", "WP-1-C"]);
        assert_eq!(b.entries_for(&WpId::parse("WP-1-Z").unwrap()).count(), 0);
    }

    #[test]
    fn first_and_repeated_entries_in_board_order() {
        let b = board(
            "## Done\n- [WP-1-C] Done\n- [WP-1-A] Done\n## Notes\n- [WP-1-B] see\n\
             ## In Progress\n- [WP-1-B] In Progress\n- [WP-1-A] In Progress\n- [WP-1-C] In Progress\n\
             - [WP-1-A] In Progress\n",
        );
        let firsts: Vec<usize> = b.first_entries().iter().map(|e| e.line).collect();
        assert_eq!(firsts, [2, 3, 5]);
        let status = |e: &Entry| b.sections[e.section].kind.implied_status().is_some();
        let pairs: Vec<(usize, usize)> = b
            .repeated_entries(status)
            .iter()
            .map(|(e, first)| (e.line, first.line))
            .collect();
        // WP-1-B's entry under Notes is not in a status section: its In Progress one
        // is its first status entry
        assert_eq!(pairs, [(8, 3), (9, 2), (10, 3)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// The per-WP index answers as linear scans of the entries do, on boards with
        /// repeated WPs across status, gate and prose sections.
        #[test]
        fn the_wp_index_answers_as_a_scan(
            lines in proptest::collection::vec((0usize..6, 0usize..8), 0..40)
        ) {
            const SECTIONS: [&str; 6] = [
                "## Phase 1 Closure Gates (BLOCKING)",
                "## Ready for Dev",
                "## In Progress",
                "## Notes",
                "## Done",
                "## Blocked",
            ];
            let mut text = String::new();
            for (section, wp) in &lines {
                text.push_str(&format!("{}\n- [WP-1-W{wp}] x\n", SECTIONS[*section]));
            }
            let b = board(&text);
            let ids: Vec<WpId> = (0..8).map(|n| WpId::parse(&format!("WP-1-W{n}")).unwrap()).collect();
            fn scan<'a>(b: &'a Board, id: &'a WpId) -> impl Iterator<Item = &'a Entry> + Clone {
                b.entries.iter().filter(move |e| e.id == *id)
            }
            for id in &ids {
                let by_index: Vec<usize> = b.entries_for(id).map(|e| e.line).collect();
                let scanned: Vec<usize> = scan(&b, id).map(|e| e.line).collect();
                proptest::prop_assert_eq!(by_index, scanned);
                let status = scan(&b, id).find(|e| b.in_status_section(e)).or(scan(&b, id).next());
                proptest::prop_assert_eq!(b.status_entry(id).map(|e| e.line), status.map(|e| e.line));
            }
            let mut firsts: Vec<&Entry> = Vec::new();
            for e in &b.entries {
                if !firsts.iter().any(|f| f.id == e.id) {
                    firsts.push(e);
                }
            }
            let lines_of = |v: Vec<&Entry>| v.iter().map(|e| e.line).collect::<Vec<usize>>();
            proptest::prop_assert_eq!(lines_of(b.first_entries()), lines_of(firsts.clone()));
            let status_entries: Vec<&Entry> =
                firsts.iter().filter_map(|f| b.status_entry(&f.id)).collect();
            proptest::prop_assert_eq!(lines_of(b.status_entries_of_wps()), lines_of(status_entries));
            let mut sorted: Vec<&WpId> = firsts.iter().map(|e| &e.id).collect();
            sorted.sort();
            proptest::prop_assert_eq!(b.ids().collect::<Vec<_>>(), sorted);
            let wps: Vec<Vec<usize>> = b.wps().map(<[usize]>::to_vec).collect();
            proptest::prop_assert_eq!(wps.len(), firsts.len());
            for wp in &wps {
                let id = &b.entries[wp[0]].id;
                let scanned: Vec<usize> = (0..b.entries.len()).filter(|&i| b.entries[i].id == *id).collect();
                proptest::prop_assert_eq!(wp, &scanned);
            }
        }
    }

    #[test]
    fn an_indented_line_at_a_section_start_is_not_nested_in_the_last_section() {
        let b = board("## Done\n- [WP-1-A] Done\n## In Progress\n  - Blocker: WP-1-B\n");
        assert!(b.entries[0].nested.is_empty());
        assert_eq!(
            b.unread.len(),
            1,
            "read as a line naming a WP, not an entry's"
        );
    }

    #[test]
    fn phase_names() {
        assert_eq!(normalize_phase("Phase-1"), "1");
        assert_eq!(normalize_phase("Phase 1"), "1");
        assert_eq!(normalize_phase("1"), "1");
        let b =
            board("## Phase 2 Closure Gates (Blocking)\n- [WP-2-A] Ready-for-Dev (no blockers)\n");
        assert!(b.phase_gate("Phase-2").is_some());
        assert_eq!(
            b.entries[0].explicit.as_ref().unwrap().kind,
            Some(StatusKind::ReadyForDev)
        );
    }

    #[test]
    fn prose_mentions_are_not_entries() {
        let b = board("## Notes\nWP-1-A is important.\n- See WP-1-B for details\n");
        assert!(b.entries.is_empty());
    }
}
