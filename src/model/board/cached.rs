//! A board's facts for the persistent cache (`crate::cache`): everything the checks
//! read (sections, entries, lines naming a WP, lookalike words and the per-WP
//! index), without the Markdown reading they were taken from. The repository path is
//! the entry's key and the text is the file just read, so neither is stored.
//!
//! A cache file that passes its checksum can still have been written by hand: every
//! index and line number is checked on the way back in (a section an entry points
//! to, a line past the text, an index that is not the id order), and anything off is
//! a miss, never a panic or a wrong answer.

use super::{Board, Entry, Lookalike, NestedLine, Section, SectionKind, Unread};
use crate::cache::{Reader, Record, Table, Writer};
use crate::model::status::{Status, StatusKind};
use crate::model::wp_id::WpId;
use crate::text::Source;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

impl Board {
    /// The board read from `source` (just read, with the metadata `meta`), from
    /// the cache of the repository at `root` when it holds the facts of this very
    /// file (identity) and text (hash), else parsed and cached for the next run; the
    /// text is handed back.
    pub fn load_cached(root: &Path, source: Source, meta: &std::fs::Metadata) -> (Board, Source) {
        let table: Table<Board> = Table::open(root, "board");
        if !table.is_active() {
            return Board::parse_keeping_text(source);
        }
        let hash = crate::cache::content_hash(source.text.as_bytes());
        let hit = table
            .lookup(&source.path, meta, hash)
            .decode(|r| Board::decode(&source.path, r).filter(|b| b.fits(line_count(&source))));
        let (board, source) = match hit {
            Some(board) => (board, source),
            None => {
                let (board, source) = Board::parse_keeping_text(source);
                // the reader's issues are not stored: such a board is parsed every run
                if board.issues.is_empty() {
                    table.put(&board.path, meta, hash, &board);
                }
                (board, source)
            }
        };
        table.save();
        (board, source)
    }
}

/// Section kinds by tag; the phase of a gate follows its tag.
const KINDS: [SectionKind; 11] = [
    SectionKind::ReadyForDev,
    SectionKind::InProgress,
    SectionKind::ReadyForValidation,
    SectionKind::Done,
    SectionKind::Blocked,
    SectionKind::Superseded,
    SectionKind::Backlog,
    SectionKind::Stub,
    SectionKind::Active,
    SectionKind::Historical,
    SectionKind::Other,
];
const GATE: u8 = KINDS.len() as u8;

impl Record for Board {
    /// Not written: the path (the entry's key) and the reader's issues (a board with
    /// any is not cached).
    fn encode(&self, w: &mut Writer) {
        w.u32(self.sections.len());
        self.sections.iter().for_each(|s| encode_section(w, s));
        w.u32(self.entries.len());
        self.entries.iter().for_each(|e| encode_entry(w, e));
        w.u32(self.unread.len());
        for u in &self.unread {
            w.u32(u.line);
            w.u32(u.column);
            w.u32(u.section);
            w.str(&u.text);
        }
        w.u32(self.lookalikes.len());
        for l in &self.lookalikes {
            w.u32(l.line);
            w.u32(l.column);
            w.u32(l.section);
            w.str(&l.word);
            w.u32(l.character as usize);
        }
        w.u32(self.by_id.len());
        self.by_id.iter().for_each(|&i| w.u32(i));
    }

    fn decode(key: &str, r: &mut Reader<'_>) -> Option<Board> {
        // a section takes at least 18 bytes, an entry 31, an unread line 16, a
        // lookalike 20, an index 4
        let sections = list(r, 18, decode_section)?;
        let entries = list(r, 31, decode_entry)?;
        let unread = list(r, 16, |r| {
            Some(Unread {
                line: r.u32()?,
                column: r.u32()?,
                section: r.u32()?,
                text: r.string()?,
            })
        })?;
        let lookalikes = list(r, 20, |r| {
            Some(Lookalike {
                line: r.u32()?,
                column: r.u32()?,
                section: r.u32()?,
                word: r.string()?,
                character: char::from_u32(u32::try_from(r.u32()?).ok()?)?,
            })
        })?;
        let by_id = list(r, 4, Reader::u32)?;
        Board::from_parts(
            key.to_string(),
            sections,
            entries,
            unread,
            lookalikes,
            by_id,
        )
    }
}

/// [`Source::line_count`], without building the line index when the text has no
/// `\r` (nothing else on a warm run needs the index).
fn line_count(source: &Source) -> usize {
    let text = source.text.as_bytes();
    match memchr::memchr(b'\r', text) {
        None => memchr::memchr_iter(b'\n', text).count() + 1,
        Some(_) => source.line_count(),
    }
}

/// An id as the parser made it: `WP-` and the characters of the id grammar (the
/// full grammar is the parser's; the cache only needs to know that an id names no
/// path outside the packet folder, as the packet store does).
fn wp_id(s: &str) -> Option<WpId> {
    use serde::de::IntoDeserializer;
    use serde::Deserialize;
    let shaped = s.starts_with("WP-")
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !shaped {
        return None;
    }
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = s.into_deserializer();
    WpId::deserialize(de).ok()
}

/// A counted list of items that each take at least `min_bytes`. Sized once: a list
/// grown by doubling copies thousands of entries (and touches their pages twice)
/// when the allocator cannot grow it in place.
fn list<'r, T>(
    r: &mut Reader<'r>,
    min_bytes: usize,
    mut item: impl FnMut(&mut Reader<'r>) -> Option<T>,
) -> Option<Vec<T>> {
    let n = r.count(min_bytes)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(item(r)?);
    }
    Some(out)
}

fn encode_section(w: &mut Writer, s: &Section) {
    match &s.kind {
        SectionKind::PhaseGate(phase) => {
            w.u8(GATE);
            w.str(phase);
        }
        kind => w.u8(KINDS.iter().position(|k| k == kind).unwrap_or(0) as u8),
    }
    w.str(&s.title);
    w.u8(s.level);
    w.u32(s.line);
    w.u32(s.lines.start);
    w.u32(s.lines.end);
}

fn decode_section(r: &mut Reader<'_>) -> Option<Section> {
    let kind = match r.u8()? {
        GATE => SectionKind::PhaseGate(r.string()?),
        tag => KINDS.get(usize::from(tag))?.clone(),
    };
    Some(Section {
        kind,
        title: r.string()?,
        level: r.u8()?,
        line: r.u32()?,
        lines: r.u32()?..r.u32()?,
    })
}

fn encode_entry(w: &mut Writer, e: &Entry) {
    w.str(e.id.as_str());
    w.u32(e.line);
    w.u32(e.column);
    w.u32(e.section);
    match &e.explicit {
        None => w.u8(0),
        Some(s) => {
            w.u8(1);
            w.u8(s.kind.map_or(0, |k| status_tag(k) + 1));
            w.str(&s.raw);
            w.opt_str(s.qualifier.as_deref());
        }
    }
    w.str(&e.note);
    w.u32(e.blockers.len());
    e.blockers.iter().for_each(|b| w.str(b.as_str()));
    w.opt_str(e.reason.as_deref());
    match e.date {
        None => w.u8(0),
        Some(d) => {
            w.u8(1);
            // find_date reads four-digit years: never negative
            w.u32(usize::try_from(d.year()).unwrap_or(usize::MAX));
            w.u8(d.month() as u8);
            w.u8(d.day() as u8);
        }
    }
    w.u32(e.nested.len());
    for n in &e.nested {
        w.str(&n.key);
        w.str(&n.value);
        w.u32(n.line);
    }
    match e.status_at {
        None => w.u8(0),
        Some((line, column)) => {
            w.u8(1);
            w.u32(line);
            w.u32(column);
        }
    }
}

fn decode_entry(r: &mut Reader<'_>) -> Option<Entry> {
    let id = wp_id(r.str()?)?;
    let (line, column, section) = (r.u32()?, r.u32()?, r.u32()?);
    let explicit = match r.u8()? {
        0 => None,
        1 => Some(Status {
            kind: match r.u8()? {
                0 => None,
                tag => Some(*StatusKind::ALL.get(usize::from(tag) - 1)?),
            },
            raw: r.string()?,
            qualifier: r.opt_string()?,
        }),
        _ => return None,
    };
    let note = r.string()?;
    let blockers = list(r, 4, |r| wp_id(r.str()?))?;
    let reason = r.opt_string()?;
    let date = match r.u8()? {
        0 => None,
        1 => {
            let year = i32::try_from(r.u32()?).ok()?;
            let (month, day) = (r.u8()?, r.u8()?);
            Some(NaiveDate::from_ymd_opt(year, month.into(), day.into())?)
        }
        _ => return None,
    };
    let nested = list(r, 12, |r| {
        Some(NestedLine {
            key: r.string()?,
            value: r.string()?,
            line: r.u32()?,
        })
    })?;
    let status_at = match r.u8()? {
        0 => None,
        1 => Some((r.u32()?, r.u32()?)),
        _ => return None,
    };
    Some(Entry {
        id,
        line,
        column,
        section,
        explicit,
        note,
        blockers,
        reason,
        date,
        nested,
        status_at,
    })
}

fn status_tag(kind: StatusKind) -> u8 {
    StatusKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOARD: &str = "# Board\n\n## 🚨 PHASE 1 CLOSURE GATES (BLOCKING)\n\n\
        1. **[WP-1-A]** - Define API\n   - Status: [READY FOR DEV 🔴]\n   - Blocker: None (foundational)\n\
        2. **[WP-1-B]** - Remove pool\n   - Status: [SHELVED]\n   - Blocker: WP-1-A (MUST COMPLETE FIRST)\n\n\
        ## In Progress\n- [WP-1-C] Started 2025-12-16, by coder\n- [WP-1-A] In Progress\n\
        See WP-1-Q here.\n\n| WP | Status |\n|---|---|\n| **WP-1-T** | [VALIDATED] |\n\n\
        ## Done\n- **[WP-1-D]** - [VALIDATED]\n- [WP\u{2011}1\u{2011}B] - [VALIDATED]\n\n\
        ## Blocked\n- **[WP-1-E]** - [BLOCKED] - waiting on vendor\n- [WP-1-F] Blocked on WP-1-A, WP-1-C\n\
        - [WP-1-G] Parked\n\n## Superseded (Archive)\n\n\
        ## Historical Failed Closures Used As Live Smoketest Baselines\n\
        - **[WP-1-W-v3]** - [FAILED_HISTORICAL_SMOKETEST_BASELINE] - base_wp_id: WP-1-W\n\n\
        ## Phase 2 Closure Gates\n- [WP-2-A] Ready-for-Dev\n";

    fn parse(text: &str) -> Board {
        Board::parse(Source::from_bytes("docs/TASK_BOARD.md", text.as_bytes()))
    }

    fn encoded(b: &Board) -> Vec<u8> {
        let mut w = Writer::default();
        b.encode(&mut w);
        w.into_bytes()
    }

    fn decoded(bytes: &[u8]) -> Option<Board> {
        let mut r = Reader::new(bytes);
        Board::decode("docs/TASK_BOARD.md", &mut r).filter(|_| r.is_empty())
    }

    #[test]
    fn a_board_survives_its_record() {
        let b = parse(BOARD);
        // every kind of fact is there to be kept
        assert!(b
            .sections
            .iter()
            .any(|s| matches!(s.kind, SectionKind::PhaseGate(_))));
        assert!(b
            .entries
            .iter()
            .any(|e| e.date.is_some() && e.blockers.is_empty()));
        assert!(b
            .entries
            .iter()
            .any(|e| e.blockers.len() == 2 && e.reason.is_some()));
        assert!(b.entries.iter().any(|e| e.status_at.is_some()));
        assert!(b.entries.iter().any(|e| !e.nested.is_empty()));
        assert!(!b.unread.is_empty() && !b.lookalikes.is_empty());
        let back = decoded(&encoded(&b)).expect("decodes");
        assert_eq!(format!("{back:?}"), format!("{b:?}"));
        assert!(back.fits(Source::from_bytes("x", BOARD.as_bytes()).line_count()));
        let empty = parse("");
        assert_eq!(
            format!("{:?}", decoded(&encoded(&empty)).unwrap()),
            format!("{empty:?}")
        );
    }

    #[test]
    fn every_section_kind_and_status_kind_has_its_own_tag() {
        for (i, k) in KINDS.iter().enumerate() {
            let s = Section {
                kind: k.clone(),
                title: String::new(),
                level: 2,
                line: 1,
                lines: 1..1,
            };
            let mut w = Writer::default();
            encode_section(&mut w, &s);
            assert_eq!(usize::from(w.into_bytes()[0]), i);
        }
        for (i, k) in StatusKind::ALL.iter().enumerate() {
            assert_eq!(usize::from(status_tag(*k)), i);
        }
    }

    /// Every cut of a good record, and records whose numbers lie: each is refused
    /// (never a panic), and the board read from them is never a wrong one.
    #[test]
    fn a_damaged_or_lying_record_is_refused() {
        let b = parse(BOARD);
        let good = encoded(&b);
        for cut in 0..good.len() {
            assert!(decoded(&good[..cut]).is_none(), "cut at {cut}");
        }
        let lying = |change: &dyn Fn(&mut Board)| {
            let mut forged = b.clone();
            change(&mut forged);
            decoded(&encoded(&forged))
        };
        assert!(
            lying(&|f| f.entries[0].section = 99).is_none(),
            "no such section"
        );
        assert!(lying(&|f| f.unread[0].section = 99).is_none());
        assert!(lying(&|f| f.lookalikes[0].section = 99).is_none());
        assert!(lying(&|f| f.by_id.swap(0, 1)).is_none(), "not the id order");
        assert!(
            lying(&|f| f.by_id[1] = f.by_id[0]).is_none(),
            "an entry twice"
        );
        assert!(
            lying(&|f| {
                f.by_id.pop();
            })
            .is_none(),
            "an entry missing"
        );
        assert!(lying(&|f| f.entries[0].id = WpId::parse("WP-9-Z").unwrap()).is_none());
        // an id that is not one
        let mut bad = good.clone();
        let at = bad.windows(6).position(|w| w == b"WP-1-A").unwrap();
        bad[at] = b'X';
        assert!(decoded(&bad).is_none(), "an id that is not one");
        // lines past the text it is checked against
        let lines = Source::from_bytes("x", BOARD.as_bytes()).line_count();
        assert!(b.fits(lines) && !b.fits(lines - 3));
        let mut far = b.clone();
        far.entries[0].nested[0].line = lines + 1;
        assert!(!decoded(&encoded(&far)).unwrap().fits(lines));
    }
}
