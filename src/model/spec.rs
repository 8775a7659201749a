//! The Master Spec as an index of numbered headings.
//!
//! Specs run to several MB and are read on every gate, so this parser is a single
//! line scan rather than a full Markdown parse. It follows CommonMark's rules for
//! ATX headings and code fences (a fence closes only on a line of the same character
//! at least as long, with nothing after it), which keeps it in phase where a
//! toggle-on-``` parser drifts. A fence that is never closed would, by the letter of
//! CommonMark, turn the rest of the spec into code; gov instead reports it and reads
//! on, so one stray fence cannot hide every later section.

use super::anchor::{dotted_number, is_canonical_number, Anchor, SectionNumber};
use crate::text::strip_decoration_cow;
use regex::Regex;
use serde::Serialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    MainBody,
    Roadmap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub number: Option<SectionNumber>,
    /// Title without number, codes or decoration.
    pub title: String,
    /// `[CX-...]`-style codes in the heading.
    pub codes: Vec<String>,
    /// 1-based line.
    pub line: usize,
    pub part: Part,
}

#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub number: SectionNumber,
    pub first_line: usize,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub path: String,
    pub version: Option<String>,
    /// 1-based lines of fences that never close.
    pub unclosed_fences: Vec<usize>,
    /// 1-based line where the Roadmap part starts, if the spec has one.
    pub roadmap_line: Option<usize>,
    /// The spec text; compact heading records point into it.
    text: String,
    /// Normalised numbers and cleaned titles that differ from the text.
    arena: String,
    heads: Vec<Head>,
    code_spans: Vec<Span>,
    /// Built on first look-up: most gates resolve a handful of anchors, and a 4 MB
    /// spec has tens of thousands of headings.
    index: OnceLock<SpecIndex>,
    /// Full [`Heading`] values, built only for commands that walk every heading.
    materialized: OnceLock<Vec<Heading>>,
}

/// A string stored either in the spec text or in the arena, by byte range.
#[derive(Debug, Clone, Copy)]
struct Span {
    arena: bool,
    start: u32,
    len: u32,
}

/// One heading without allocations: spans into the text or arena.
#[derive(Debug, Clone, Copy)]
struct Head {
    line: u32,
    level: u8,
    part: Part,
    number: Option<Span>,
    title: Span,
    /// Range into `code_spans`.
    codes: (u32, u16),
}

/// Where an anchor resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    MainBody(Heading),
    RoadmapOnly(Heading),
    Missing,
}

impl Spec {
    /// Parses spec text. `roadmap` decides which heading starts the Roadmap part.
    pub fn parse(path: &str, text: impl Into<String>, roadmap: &RoadmapMatcher) -> Spec {
        let text: String = text.into();
        let mut b = Builder {
            arena: String::new(),
            heads: Vec::new(),
            code_spans: Vec::new(),
        };
        let mut unclosed_fences = Vec::new();
        let mut roadmap_line = None;
        {
            // Only fence and heading lines matter; collect them in one memchr pass.
            let candidates = candidate_lines(&text);
            let closable = closable_fences(&candidates);
            let mut open: Option<Fence> = None;
            let mut roadmap_level: Option<u8> = None;
            for (k, cand) in candidates.iter().enumerate() {
                if let Some(f) = open {
                    if cand.fence.is_some_and(|c| c.closes(&f)) {
                        open = None;
                    }
                    continue;
                }
                if let Some(f) = cand.fence {
                    if closable[k] {
                        open = Some(f);
                    } else {
                        unclosed_fences.push(cand.line);
                    }
                    continue;
                }
                let Some((level, title_at, raw_title)) = atx_heading(cand.text) else {
                    continue;
                };
                let offset = cand.offset + title_at;
                if roadmap_level.is_some_and(|l| level <= l) {
                    roadmap_level = None;
                }
                let mut head = b.head(level, offset, raw_title, cand.line);
                if roadmap_level.is_none() && roadmap.is_match(b.get(&text, head.title)) {
                    roadmap_level = Some(level);
                    roadmap_line.get_or_insert(cand.line);
                }
                head.part = if roadmap_level.is_some() {
                    Part::Roadmap
                } else {
                    Part::MainBody
                };
                b.heads.push(head);
            }
        }
        Spec {
            path: path.to_string(),
            version: version_from_name(path),
            unclosed_fences,
            roadmap_line,
            text,
            arena: b.arena,
            heads: b.heads,
            code_spans: b.code_spans,
            index: OnceLock::new(),
            materialized: OnceLock::new(),
        }
    }

    fn get(&self, s: Span) -> &str {
        span_str(&self.text, &self.arena, s)
    }

    fn number_of(&self, i: usize) -> &str {
        self.heads[i].number.map_or("", |s| self.get(s))
    }

    fn materialize(&self, i: usize) -> Heading {
        let h = self.heads[i];
        let (start, n) = h.codes;
        Heading {
            level: h.level,
            number: h.number.map(|s| SectionNumber(self.get(s).to_string())),
            title: self.get(h.title).to_string(),
            codes: self.code_spans[start as usize..start as usize + n as usize]
                .iter()
                .map(|&c| self.get(c).to_string())
                .collect(),
            line: h.line as usize,
            part: h.part,
        }
    }

    /// Every heading in file order (built on first call).
    pub fn headings(&self) -> &[Heading] {
        self.materialized
            .get_or_init(|| (0..self.heads.len()).map(|i| self.materialize(i)).collect())
    }

    pub fn heading_count(&self) -> usize {
        self.heads.len()
    }

    fn index(&self) -> &SpecIndex {
        self.index.get_or_init(SpecIndex::default)
    }

    /// The heading an anchor number resolves to: its first Main Body occurrence, else
    /// its first occurrence at all.
    pub fn heading(&self, number: &SectionNumber) -> Option<Heading> {
        self.number_owner(&number.0).map(|i| self.materialize(i))
    }

    /// The index of the heading a section number resolves to.
    fn number_owner(&self, number: &str) -> Option<usize> {
        let found = self
            .number_index()
            .get(fnv1a(number))
            .map(|i| i as usize)
            .filter(|&i| self.number_of(i) == number);
        self.pick(found)
    }

    /// The Main Body heading each section number resolves to, in file order (later
    /// duplicates of a number left out): what a previous version is compared by.
    pub fn main_body_sections(&self) -> Vec<Heading> {
        (0..self.heads.len())
            .filter(|&i| self.heads[i].part == Part::MainBody && self.heads[i].number.is_some())
            .filter(|&i| self.number_owner(self.number_of(i)) == Some(i))
            .map(|i| self.materialize(i))
            .collect()
    }

    /// How many headings sit in a part, without building them.
    pub fn part_count(&self, part: Part) -> usize {
        self.heads.iter().filter(|h| h.part == part).count()
    }

    /// The first Main Body heading among candidates in file order, else the first one.
    fn pick(&self, candidates: impl Iterator<Item = usize> + Clone) -> Option<usize> {
        candidates
            .clone()
            .find(|&i| self.heads[i].part == Part::MainBody)
            .or_else(|| candidates.min())
    }

    /// Headings that repeat an earlier heading's section number, in file order.
    pub fn duplicates(&self) -> Vec<Duplicate> {
        let idx = self.number_index();
        let mut out = Vec::new();
        for &(h, i) in &idx.more {
            let i = i as usize;
            let first = idx
                .get(h)
                .map(|j| j as usize)
                .filter(|&j| j < i && self.number_of(j) == self.number_of(i))
                .min();
            if let Some(first) = first {
                out.push(Duplicate {
                    number: SectionNumber(self.number_of(i).to_string()),
                    first_line: self.heads[first].line as usize,
                    line: self.heads[i].line as usize,
                });
            }
        }
        out.sort_by_key(|d| d.line);
        out
    }

    fn resolve_number(&self, n: &SectionNumber) -> Resolution {
        match self.heading(n) {
            Some(h) if h.part == Part::MainBody => Resolution::MainBody(h),
            Some(h) => Resolution::RoadmapOnly(h),
            None => Resolution::Missing,
        }
    }

    /// Resolves an anchor; a range resolves when both ends do (to its first end).
    pub fn resolve(&self, anchor: &Anchor) -> Resolution {
        match anchor {
            Anchor::Section { number } => self.resolve_number(number),
            Anchor::Range { from, to } => {
                match (self.resolve_number(from), self.resolve_number(to)) {
                    (Resolution::Missing, _) | (_, Resolution::Missing) => Resolution::Missing,
                    (Resolution::MainBody(h), Resolution::MainBody(_)) => Resolution::MainBody(h),
                    (Resolution::RoadmapOnly(h), _) | (_, Resolution::RoadmapOnly(h)) => {
                        Resolution::RoadmapOnly(h)
                    }
                }
            }
            Anchor::Code { code } => {
                let found = self
                    .code_index()
                    .get(fnv1a(code))
                    .map(|c| c as usize)
                    .filter(|&c| self.get(self.code_spans[c]) == code.as_str())
                    .map(|c| self.head_of_code(c));
                match self.pick(found).map(|i| self.materialize(i)) {
                    Some(h) if h.part == Part::MainBody => Resolution::MainBody(h),
                    Some(h) => Resolution::RoadmapOnly(h),
                    None => Resolution::Missing,
                }
            }
        }
    }

    /// Every distinct section number in the spec, in file order of first appearance.
    pub fn section_numbers(&self) -> Vec<SectionNumber> {
        let mut seen = std::collections::HashSet::new();
        (0..self.heads.len())
            .filter(|&i| self.heads[i].number.is_some())
            .map(|i| self.number_of(i))
            .filter(|n| seen.insert(*n))
            .map(|n| SectionNumber(n.to_string()))
            .collect()
    }
}

fn span_str<'a>(text: &'a str, arena: &'a str, s: Span) -> &'a str {
    let src = if s.arena { arena } else { text };
    src.get(s.start as usize..(s.start + s.len) as usize)
        .unwrap_or("")
}

/// Builds compact heading records during the scan.
struct Builder {
    arena: String,
    heads: Vec<Head>,
    code_spans: Vec<Span>,
}

impl Builder {
    fn get<'a>(&'a self, text: &'a str, s: Span) -> &'a str {
        span_str(text, &self.arena, s)
    }

    fn in_arena(&mut self, s: &str) -> Span {
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        Span {
            arena: true,
            start,
            len: s.len() as u32,
        }
    }

    /// Reads `raw` (the heading text at byte `offset` of the spec) into a record.
    /// Clean ASCII titles (the common case) are stored as spans of the text, so a
    /// heading costs no allocation.
    fn head(&mut self, level: u8, offset: usize, raw: &str, line: usize) -> Head {
        let code_start = self.code_spans.len() as u32;
        let clean = strip_decoration_cow(raw);
        let borrowed = matches!(clean, std::borrow::Cow::Borrowed(_));
        let (without_codes, plain) = if memchr::memchr(b'[', clean.as_bytes()).is_some() {
            (std::borrow::Cow::Owned(self.take_codes(&clean)), false)
        } else {
            (clean, borrowed)
        };
        // byte offset of a sub-slice of `raw` in the spec text
        let at = |s: &str| (offset + (s.as_ptr() as usize - raw.as_ptr() as usize)) as u32;
        let trimmed = without_codes.trim_ascii();
        let (num_tok, rest) = match memchr::memchr2(b' ', b'\t', trimmed.as_bytes()) {
            Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
            // an empty slice *of the title*: `at` measures offsets from `raw`
            None => (trimmed, &trimmed[trimmed.len()..]),
        };
        let number = section_token(num_tok).map(|n| match n {
            std::borrow::Cow::Borrowed(b) if plain => Span {
                arena: false,
                start: at(b),
                len: b.len() as u32,
            },
            other => self.in_arena(&other),
        });
        let title_str = if number.is_some() {
            rest.trim()
        } else {
            trimmed
        };
        let title = if plain {
            Span {
                arena: false,
                start: at(title_str),
                len: title_str.len() as u32,
            }
        } else {
            self.in_arena(title_str)
        };
        let codes = (
            code_start,
            (self.code_spans.len() as u32 - code_start).min(u16::MAX as u32) as u16,
        );
        Head {
            line: line as u32,
            level,
            part: Part::MainBody,
            number,
            title,
            codes,
        }
    }

    /// Moves `[CX-...]` codes out of a title into the code list; returns the rest.
    fn take_codes(&mut self, title: &str) -> String {
        let mut plain = String::with_capacity(title.len());
        let mut rest = title;
        while let Some(open) = rest.find('[') {
            plain.push_str(&rest[..open]);
            match rest[open..].find(']') {
                Some(close) => {
                    let inner = &rest[open + 1..open + close];
                    if is_code(inner) {
                        let span = self.in_arena(inner);
                        self.code_spans.push(span);
                    } else {
                        plain.push_str(&rest[open..=open + close]);
                    }
                    rest = &rest[open + close + 1..];
                }
                None => {
                    plain.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        plain.push_str(rest);
        plain
    }
}

/// Look-up tables from section number and from code to heading positions, keyed by a
/// 64-bit hash of the string. The first occurrence of each hash lives in a hash map;
/// later ones (duplicates, and in theory collisions) in a sorted side list. Look-ups
/// compare the strings, so a collision can never resolve to the wrong heading.
#[derive(Debug, Clone, Default)]
struct HashIndex {
    first: std::collections::HashMap<u64, u32, BuildPassThrough>,
    more: Vec<(u64, u32)>,
}

impl HashIndex {
    fn build(keys: impl Iterator<Item = (u64, u32)>) -> HashIndex {
        let mut idx = HashIndex::default();
        for (h, i) in keys {
            match idx.first.entry(h) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(i);
                }
                std::collections::hash_map::Entry::Occupied(_) => idx.more.push((h, i)),
            }
        }
        idx.more.sort_unstable();
        idx
    }

    /// Positions stored under this hash, in insertion (file) order.
    fn get(&self, h: u64) -> impl Iterator<Item = u32> + Clone + '_ {
        let start = self.more.partition_point(|e| e.0 < h);
        self.first.get(&h).copied().into_iter().chain(
            self.more[start..]
                .iter()
                .take_while(move |e| e.0 == h)
                .map(|e| e.1),
        )
    }
}

/// The keys are already hashes; hashing them again would only cost time.
#[derive(Debug, Clone, Copy, Default)]
struct BuildPassThrough;

impl std::hash::BuildHasher for BuildPassThrough {
    type Hasher = PassThrough;
    fn build_hasher(&self) -> PassThrough {
        PassThrough(0)
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Number and code look-ups, each built on first use.
#[derive(Debug, Clone, Default)]
struct SpecIndex {
    by_number: OnceLock<HashIndex>,
    /// Keyed by code; values index `code_spans`.
    by_code: OnceLock<HashIndex>,
}

impl Spec {
    fn number_index(&self) -> &HashIndex {
        self.index().by_number.get_or_init(|| {
            HashIndex::build(
                (0..self.heads.len())
                    .filter(|&i| self.heads[i].number.is_some())
                    .map(|i| (fnv1a(self.number_of(i)), i as u32)),
            )
        })
    }

    fn code_index(&self) -> &HashIndex {
        self.index().by_code.get_or_init(|| {
            HashIndex::build(
                (0..self.code_spans.len()).map(|c| (fnv1a(self.get(self.code_spans[c])), c as u32)),
            )
        })
    }

    /// The heading owning code position `c`.
    fn head_of_code(&self, c: usize) -> usize {
        self.heads
            .partition_point(|h| (h.codes.0 as usize + h.codes.1 as usize) <= c)
    }
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Decides which heading title starts the Roadmap part.
#[derive(Debug, Clone, Default)]
pub enum RoadmapMatcher {
    /// A title that is "Roadmap", starts with "Roadmap" followed by punctuation
    /// ("Roadmap (Phases 2-4)"), or ends with the word ("Development Roadmap",
    /// "Part II: Roadmap"). "Roadmap Coverage Matrix" stays Main Body.
    #[default]
    Default,
    /// `spec.roadmap_heading` from gov.yaml.
    Pattern(Regex),
}

impl RoadmapMatcher {
    pub fn is_match(&self, title: &str) -> bool {
        match self {
            RoadmapMatcher::Pattern(re) => re.is_match(title),
            RoadmapMatcher::Default => default_roadmap_title(title),
        }
    }
}

fn default_roadmap_title(title: &str) -> bool {
    let has_word = title
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"roadmap"));
    if !has_word {
        return false;
    }
    let lower = title.to_lowercase();
    lower.match_indices("roadmap").any(|(i, w)| {
        let before_ok = lower[..i]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let rest = lower[i + w.len()..].trim_start();
        before_ok && (rest.is_empty() || rest.starts_with([':', '(', '-', '–', '—']))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fence {
    ch: u8,
    len: usize,
    /// Only whitespace follows the fence characters (so it can close a block).
    bare: bool,
}

impl Fence {
    fn of(line: &str) -> Option<Fence> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            return None;
        }
        let rest = &line[indent..];
        let ch = *rest.as_bytes().first()?;
        if ch != b'`' && ch != b'~' {
            return None;
        }
        let len = rest.bytes().take_while(|&b| b == ch).count();
        if len < 3 {
            return None;
        }
        let info = &rest[len..];
        if ch == b'`' && info.contains('`') {
            return None; // backtick fences may not have backticks in their info string
        }
        Some(Fence {
            ch,
            len,
            bare: info.trim().is_empty(),
        })
    }

    fn closes(&self, open: &Fence) -> bool {
        self.bare && self.ch == open.ch && self.len >= open.len
    }
}

/// A line that may matter to the index: a fence or a heading.
struct Candidate<'a> {
    /// 1-based line number.
    line: usize,
    /// Byte offset of the line in the text.
    offset: usize,
    text: &'a str,
    fence: Option<Fence>,
}

fn candidate_lines(text: &str) -> Vec<Candidate<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut line = 1;
    let mut ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    while start <= bytes.len() {
        let Some(end) = ends.next() else { break };
        let raw = &text[start..end];
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        let first = l.trim_start_matches(' ').as_bytes().first().copied();
        match first {
            Some(b'#') => out.push(Candidate {
                line,
                offset: start,
                text: l,
                fence: None,
            }),
            Some(b'`' | b'~') => {
                if let Some(f) = Fence::of(l) {
                    out.push(Candidate {
                        line,
                        offset: start,
                        text: l,
                        fence: Some(f),
                    });
                }
            }
            _ => {}
        }
        start = end + 1;
        line += 1;
    }
    out
}

/// For each candidate fence, whether some later line could close it. Computed from
/// the end with the longest bare fence seen per character, so the scan stays linear.
fn closable_fences(candidates: &[Candidate]) -> Vec<bool> {
    let mut out = vec![false; candidates.len()];
    let (mut best_tick, mut best_tilde) = (0usize, 0usize);
    for i in (0..candidates.len()).rev() {
        if let Some(f) = candidates[i].fence {
            let best = if f.ch == b'`' { best_tick } else { best_tilde };
            out[i] = best >= f.len;
            if f.bare {
                let slot = if f.ch == b'`' {
                    &mut best_tick
                } else {
                    &mut best_tilde
                };
                *slot = (*slot).max(f.len);
            }
        }
    }
    out
}

/// An ATX heading's level, the byte offset of its title in the line, and the title.
fn atx_heading(line: &str) -> Option<(u8, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let after = &rest[hashes..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let title = after.trim().trim_end_matches('#').trim_end();
    let at = title.as_ptr() as usize - line.as_ptr() as usize;
    Some((hashes as u8, at, title))
}

fn is_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let head = parts.next().unwrap_or("");
    head.len() >= 2
        && head.chars().all(|c| c.is_ascii_uppercase())
        && s.contains('-')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// The section number a heading starts with: `2.3.13`, `§2.3`, `A2.3`, `2.` → `2`.
fn section_token(first: &str) -> Option<std::borrow::Cow<'_, str>> {
    let token = first.trim_start_matches('§');
    let token = match token.strip_prefix('A') {
        Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => r,
        _ => token,
    };
    let token = token.trim_end_matches(':');
    if is_canonical_number(token) {
        return Some(std::borrow::Cow::Borrowed(token));
    }
    dotted_number(token).map(std::borrow::Cow::Owned)
}

/// `Master_Spec_v02.85.md` → `v02.85`.
pub fn version_from_name(path: &str) -> Option<String> {
    split_version(path).map(|(_, v)| v.to_string())
}

/// `docs/Master_Spec_v02.85.md` → (`Master_Spec_`, `v02.85`): the versions of one spec
/// share the file-name prefix before the version.
pub fn split_version(path: &str) -> Option<(&str, &str)> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let at = stem
        .rfind("_v")
        .or_else(|| stem.rfind("-v"))
        .or_else(|| stem.rfind(" v"))?;
    let v = &stem[at + 1..];
    (v.len() > 1
        && v[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
        && v[1..].starts_with(|c: char| c.is_ascii_digit()))
    .then_some((&stem[..=at], v))
}

/// Numeric components of a version for ordering: `v02.85` → [2, 85].
pub fn version_key(v: &str) -> Vec<u64> {
    v.trim_start_matches(['v', 'V'])
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Spec {
        Spec::parse("Master_Spec_v02.85.md", text, &RoadmapMatcher::Default)
    }

    fn sec(n: &str) -> Anchor {
        Anchor::Section {
            number: SectionNumber(n.into()),
        }
    }

    #[test]
    fn main_body_sections_skip_duplicates_and_roadmap() {
        let s = spec("## 1 A\n## 1 Again\n## 2 B\n# 9 Roadmap\n## 9.1 Later\n");
        let numbers: Vec<_> = s
            .main_body_sections()
            .into_iter()
            .map(|h| (h.number.unwrap().0, h.title))
            .collect();
        assert_eq!(
            numbers,
            [("1".to_string(), "A".to_string()), ("2".into(), "B".into())]
        );
        assert_eq!(s.part_count(Part::MainBody), 3);
        assert_eq!(s.part_count(Part::Roadmap), 2);
    }

    #[test]
    fn version_prefixes() {
        assert_eq!(
            split_version("docs/Master_Spec_v02.85.md"),
            Some(("Master_Spec_", "v02.85"))
        );
        assert_eq!(split_version("Spec v1.md"), Some(("Spec ", "v1")));
        assert_eq!(split_version("README.md"), None);
    }

    #[test]
    fn headings_and_parts() {
        let s = spec("ASCII ART\n# Spec\n## 1.1 Executive Summary\n### 2.3.13 Storage Backend Portability [CX-DBP-001]\n#### 2.3.14.A Appendix A\n## 7.6.1 Roadmap Coverage Matrix\n# 8 Roadmap\n## 8.1 Phase 2\n");
        assert_eq!(s.version.as_deref(), Some("v02.85"));
        assert!(matches!(s.resolve(&sec("1.1")), Resolution::MainBody(_)));
        assert!(matches!(
            s.resolve(&sec("2.3.14.A")),
            Resolution::MainBody(_)
        ));
        assert!(matches!(s.resolve(&sec("7.6.1")), Resolution::MainBody(_)));
        assert!(matches!(s.resolve(&sec("8.1")), Resolution::RoadmapOnly(_)));
        assert!(matches!(
            s.resolve(&Anchor::Code {
                code: "CX-DBP-001".into()
            }),
            Resolution::MainBody(_)
        ));
        assert!(matches!(s.resolve(&sec("9.9")), Resolution::Missing));
        assert_eq!(
            s.heading(&SectionNumber("2.3.13".into())).unwrap().title,
            "Storage Backend Portability"
        );
    }

    #[test]
    fn a_heading_that_is_only_a_number() {
        // found by the property tests: the empty title was measured against the text
        let s = spec("## 1.2\n### 2.3.4   \n");
        assert_eq!(s.heading(&SectionNumber("1.2".into())).unwrap().title, "");
        assert_eq!(s.headings()[1].line, 2);
    }

    #[test]
    fn fences_hide_headings_and_unclosed_fences_are_survived() {
        let s = spec("## 1 A\n````md\n```\n## 2 Hidden\n```\n````\n## 3 B\n```bash\n## 4 After stray fence\n");
        assert!(matches!(s.resolve(&sec("2")), Resolution::Missing));
        assert!(matches!(s.resolve(&sec("3")), Resolution::MainBody(_)));
        assert!(matches!(s.resolve(&sec("4")), Resolution::MainBody(_)));
        assert_eq!(s.unclosed_fences, [8]);
    }

    #[test]
    fn duplicates_resolve_to_first_main_body() {
        let s = spec("## 2.1 First\n## 2.1 Again\n");
        assert_eq!(s.duplicates().len(), 1);
        assert_eq!(
            s.heading(&SectionNumber("2.1".into())).unwrap().title,
            "First"
        );
    }

    #[test]
    fn roadmap_pattern() {
        let re = RoadmapMatcher::Default;
        for t in [
            "Roadmap",
            "Development Roadmap",
            "Roadmap (Phases 2-4)",
            "Part II: Roadmap",
            "ROADMAP: later",
        ] {
            assert!(re.is_match(t), "{t}");
        }
        for t in ["Roadmap Coverage Matrix", "Main Body", "Roadmapping"] {
            assert!(!re.is_match(t), "{t}");
        }
        let custom = RoadmapMatcher::Pattern(Regex::new("(?i)^future work$").unwrap());
        assert!(custom.is_match("Future Work") && !custom.is_match("Roadmap"));
    }

    #[test]
    fn versions() {
        assert_eq!(
            version_from_name("docs/Master_Spec_v1.0.md").as_deref(),
            Some("v1.0")
        );
        assert!(version_key("v02.103") > version_key("v02.85"));
    }
}
