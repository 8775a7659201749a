//! The Master Spec as an index of numbered headings: one file (a monolith) or the
//! modules of an indexed bundle (see [`bundle`]), read as one spec.
//!
//! Specs run to several MB and are read on every gate, so this parser is a single
//! line scan rather than a full Markdown parse. It follows CommonMark's rules for
//! ATX headings, code fences (a fence closes only on a line of the same character
//! at least as long, with nothing after it) and HTML comment blocks, which keeps it in
//! phase where a toggle-on-``` parser drifts. A fence that is never closed would, by
//! the letter of CommonMark, turn the rest of the spec into code; gov instead reports
//! it and reads on, so one stray fence cannot hide every later section. Text inside an
//! HTML comment is never a heading: a reader does not see it.
//!
//! Every look-up table is built in one pass with keyed hashes (std's `RandomState`, so
//! no input can force collisions), which keeps duplicate detection and resolution
//! linear in the number of headings whatever the input.

pub mod bundle;
mod cached;

pub use cached::CachedIndex;

use super::anchor::{dotted_number, is_canonical_number, Anchor, SectionNumber};
use crate::text::strip_decoration_cow;
use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::BuildHasher;
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
    /// 1-based line (in its module for a bundle).
    pub line: usize,
    pub part: Part,
    /// The module file holding the heading, for a spec made of modules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub number: SectionNumber,
    pub first_path: String,
    pub first_line: usize,
    pub path: String,
    pub line: usize,
}

/// A place in the spec: a file (the spec or one of its modules) and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
}

/// A numbered heading line that sits inside a code fence: not a heading, but worth
/// naming when a packet cites its number (the fence may be damaged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenHeading {
    pub path: String,
    pub line: usize,
    /// Where the fence holding it opens and closes.
    pub fence_line: usize,
    pub fence_close: usize,
}

/// One module of a modular spec, in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct Module {
    /// Repository path of the module file.
    pub path: String,
    /// `module_id` from the manifest (`03`, `07-6`).
    pub id: String,
    /// `section_id` from the manifest (`3`, `7.6`): numbers under it are at home here.
    pub section_id: Option<String>,
    /// Range of the module's headings in the spec's heading list.
    #[serde(skip)]
    heads: (u32, u32),
}

impl Module {
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// A module's text as read, for [`Spec::from_modules`].
#[derive(Debug, Clone)]
pub struct ModuleText {
    pub path: String,
    pub id: String,
    pub section_id: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Spec {
    /// The spec file, or the manifest of a modular spec.
    pub path: String,
    pub version: Option<String>,
    /// Fences that never close (read past).
    pub unclosed_fences: Vec<Place>,
    /// HTML comments that never close: everything after them is hidden, as a reader
    /// sees it.
    pub unclosed_comments: Vec<Place>,
    /// 1-based line where the Roadmap part starts, if the spec has one (in the module
    /// [`Spec::roadmap_place`] names, for a modular spec).
    pub roadmap_line: Option<usize>,
    roadmap_head: Option<u32>,
    /// Empty for a single-file spec.
    pub modules: Vec<Module>,
    /// The spec text (all modules, one after the other); heading records point into it.
    text: String,
    /// Normalised numbers and cleaned titles that differ from the text.
    arena: String,
    heads: Vec<Head>,
    code_spans: Vec<Span>,
    hidden: Vec<HiddenLine>,
    hiding_fences: Vec<HidingFence>,
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
    module: u16,
    number: Option<Span>,
    title: Span,
    /// Range into `code_spans`.
    codes: (u32, u16),
}

/// A heading-like line inside a fence.
#[derive(Debug, Clone, Copy)]
struct HiddenLine {
    line: u32,
    text: Span,
    fence: u32,
}

#[derive(Debug, Clone, Copy)]
struct HidingFence {
    module: u16,
    open: u32,
    close: u32,
}

/// Where an anchor resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    MainBody(Heading),
    RoadmapOnly(Heading),
    Missing,
}

/// Scan state that carries from one module to the next.
#[derive(Default)]
struct ScanState {
    roadmap_level: Option<u8>,
    roadmap_line: Option<usize>,
    roadmap_head: Option<u32>,
}

impl Spec {
    /// Parses a single-file spec. `roadmap` decides which heading starts the Roadmap.
    pub fn parse(path: &str, text: impl Into<String>, roadmap: &RoadmapMatcher) -> Spec {
        let text: String = text.into();
        let mut spec = Spec::empty(path, version_from_name(path), text);
        let mut b = Builder::default();
        let mut state = ScanState::default();
        let end = spec.text.len();
        b.scan(&spec.text, 0, end, 1, 0, roadmap, &mut state);
        spec.finish(b, state, &[path.to_string()]);
        spec
    }

    /// Reads the modules of a modular spec as one spec, in the order given. Each
    /// module's frontmatter (`---` … `---`) is skipped; lines stay those of the module
    /// file, and fences and comments never run from one module into the next.
    pub fn from_modules(
        path: &str,
        version: Option<String>,
        modules: Vec<ModuleText>,
        roadmap: &RoadmapMatcher,
    ) -> Spec {
        let total = modules.iter().map(|m| m.text.len()).sum();
        let mut text = String::with_capacity(total);
        let mut ranges = Vec::with_capacity(modules.len());
        for m in &modules {
            let start = text.len();
            text.push_str(&m.text);
            ranges.push((start, text.len()));
        }
        let mut spec = Spec::empty(path, version, text);
        let mut b = Builder::default();
        let mut state = ScanState::default();
        let mut paths = Vec::with_capacity(modules.len());
        // u16 module numbers: a manifest lists tens of modules; more are not read
        for (k, (m, (start, end))) in modules
            .into_iter()
            .zip(ranges)
            .take(u16::MAX as usize)
            .enumerate()
        {
            let (body, first_line) = bundle::frontmatter_end(&spec.text[start..end])
                .map_or((start, 1), |(off, lines)| (start + off, lines + 1));
            let first = b.heads.len() as u32;
            b.scan(
                &spec.text, body, end, first_line, k as u16, roadmap, &mut state,
            );
            spec.modules.push(Module {
                path: m.path.clone(),
                id: m.id,
                section_id: m.section_id,
                heads: (first, b.heads.len() as u32),
            });
            paths.push(m.path);
        }
        spec.finish(b, state, &paths);
        spec
    }

    fn empty(path: &str, version: Option<String>, text: String) -> Spec {
        Spec {
            path: path.to_string(),
            version,
            unclosed_fences: Vec::new(),
            unclosed_comments: Vec::new(),
            roadmap_line: None,
            roadmap_head: None,
            modules: Vec::new(),
            text,
            arena: String::new(),
            heads: Vec::new(),
            code_spans: Vec::new(),
            hidden: Vec::new(),
            hiding_fences: Vec::new(),
            index: OnceLock::new(),
            materialized: OnceLock::new(),
        }
    }

    fn finish(&mut self, b: Builder, state: ScanState, paths: &[String]) {
        let place = |(m, line): (u16, usize)| Place {
            path: paths.get(m as usize).cloned().unwrap_or_default(),
            line,
        };
        self.unclosed_fences = b.unclosed_fences.into_iter().map(place).collect();
        self.unclosed_comments = b.unclosed_comments.into_iter().map(place).collect();
        self.arena = b.arena;
        self.heads = b.heads;
        self.code_spans = b.code_spans;
        self.hidden = b.hidden;
        self.hiding_fences = b.hiding_fences;
        self.roadmap_line = state.roadmap_line;
        self.roadmap_head = state.roadmap_head;
    }

    /// Whether the spec is made of modules.
    pub fn is_modular(&self) -> bool {
        !self.modules.is_empty()
    }

    fn get(&self, s: Span) -> &str {
        span_str(&self.text, &self.arena, s)
    }

    fn number_of(&self, i: usize) -> &str {
        self.heads[i].number.map_or("", |s| self.get(s))
    }

    /// The file a heading record lives in.
    fn file_of(&self, module: u16) -> &str {
        self.modules
            .get(module as usize)
            .map_or(self.path.as_str(), |m| m.path.as_str())
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
            module: self.modules.get(h.module as usize).map(|m| m.path.clone()),
        }
    }

    /// The file a heading is in: its module, or the spec itself.
    pub fn path_of<'a>(&'a self, h: &'a Heading) -> &'a str {
        h.module.as_deref().unwrap_or(&self.path)
    }

    /// `v1.1 line 12`, or `v02.60 03-storage.md line 12` for a modular spec.
    pub fn describe(&self, h: &Heading) -> String {
        match &h.module {
            Some(m) => format!("{} line {}", m.rsplit('/').next().unwrap_or(m), h.line),
            None => format!("line {}", h.line),
        }
    }

    /// Where the Roadmap part starts.
    pub fn roadmap_place(&self) -> Option<Place> {
        let i = self.roadmap_head? as usize;
        Some(Place {
            path: self.file_of(self.heads.get(i)?.module).to_string(),
            line: self.roadmap_line?,
        })
    }

    /// Every heading in reading order (built on first call).
    pub fn headings(&self) -> &[Heading] {
        self.materialized
            .get_or_init(|| (0..self.heads.len()).map(|i| self.materialize(i)).collect())
    }

    pub fn heading_count(&self) -> usize {
        self.heads.len()
    }

    /// How many heading lines sit inside code fences (not headings).
    pub fn hidden_count(&self) -> usize {
        self.hidden.len()
    }

    fn index(&self) -> &SpecIndex {
        self.index.get_or_init(SpecIndex::default)
    }

    /// How strongly a heading owns its number: Main Body first, then the module whose
    /// section the number belongs to (`7.6.3` in the `7.6` module before the `7`
    /// one), then file order (the caller keeps the earlier one on a tie).
    fn rank(&self, i: usize) -> u32 {
        let h = self.heads[i];
        let main = u32::from(h.part == Part::MainBody) << 16;
        let home = self
            .modules
            .get(h.module as usize)
            .and_then(|m| m.section_id.as_deref())
            .filter(|sid| {
                let n = self.number_of(i);
                n == *sid || (n.starts_with(sid) && n[sid.len()..].starts_with('.'))
            })
            .map_or(0, |sid| sid.len().min(0xFFFF) as u32);
        main | home
    }

    /// The heading an anchor number resolves to: its first Main Body occurrence (in a
    /// modular spec, preferring the module that holds the number's section), else its
    /// first occurrence at all.
    pub fn heading(&self, number: &SectionNumber) -> Option<Heading> {
        self.number_owner(&number.0).map(|i| self.materialize(i))
    }

    /// The index of the heading a section number resolves to. The first few look-ups
    /// scan the headings instead of building the index: a gate that resolves one
    /// packet's anchors (pre-work) would spend more hashing every number of a large
    /// spec than scanning it a few times.
    fn number_owner(&self, number: &str) -> Option<usize> {
        let index = self.index();
        if index.by_number.get().is_none()
            && index
                .scans
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                < SCANS_BEFORE_INDEX
        {
            return self.scan_number_owner(number);
        }
        let idx = self.number_index();
        let h = idx.hasher.hash_one(number);
        idx.groups
            .find(h, |k| self.number_of(k as usize) == number)
            .map(|g| g.best as usize)
    }

    /// [`Spec::number_owner`] by a scan: the best-ranked heading with the number, the
    /// first of equals, as the index keeps it.
    fn scan_number_owner(&self, number: &str) -> Option<usize> {
        let mut best: Option<usize> = None;
        for i in 0..self.heads.len() {
            if self.heads[i].number.is_some()
                && self.number_of(i) == number
                && best.is_none_or(|b| self.better(i as u32, b as u32))
            {
                best = Some(i);
            }
        }
        best
    }

    /// The Main Body heading each section number resolves to, in reading order (other
    /// headings with the number left out): what a previous version is compared by.
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

    /// Headings that repeat an earlier heading's section number, in reading order.
    /// Found while the number index is built: one hash look-up per heading.
    pub fn duplicates(&self) -> Vec<Duplicate> {
        self.number_index()
            .repeats
            .iter()
            .map(|&(first, i)| {
                let (f, h) = (self.heads[first as usize], self.heads[i as usize]);
                Duplicate {
                    number: SectionNumber(self.number_of(i as usize).to_string()),
                    first_path: self.file_of(f.module).to_string(),
                    first_line: f.line as usize,
                    path: self.file_of(h.module).to_string(),
                    line: h.line as usize,
                }
            })
            .collect()
    }

    /// How many headings repeat an earlier number, without building the list.
    pub fn duplicate_count(&self) -> usize {
        self.number_index().repeats.len()
    }

    fn state_of(&self, found: Option<usize>) -> Resolution {
        match found.map(|i| self.materialize(i)) {
            Some(h) if h.part == Part::MainBody => Resolution::MainBody(h),
            Some(h) => Resolution::RoadmapOnly(h),
            None => Resolution::Missing,
        }
    }

    /// Resolves an anchor; a range resolves when both ends do (to its first end).
    pub fn resolve(&self, anchor: &Anchor) -> Resolution {
        match anchor {
            Anchor::Section { number } => self.state_of(self.number_owner(&number.0)),
            Anchor::Range { from, to } => {
                let (a, b) = (self.number_owner(&from.0), self.number_owner(&to.0));
                match (self.state_of(a), self.state_of(b)) {
                    (Resolution::Missing, _) | (_, Resolution::Missing) => Resolution::Missing,
                    (Resolution::MainBody(h), Resolution::MainBody(_)) => Resolution::MainBody(h),
                    (Resolution::RoadmapOnly(h), _) | (_, Resolution::RoadmapOnly(h)) => {
                        Resolution::RoadmapOnly(h)
                    }
                }
            }
            Anchor::Code { code } => self.state_of(self.code_owner(code)),
            Anchor::Module {
                module,
                number,
                slug,
            } => {
                let m = self.module_named(module);
                let found = match (number, slug) {
                    (Some(n), _) => m
                        .and_then(|m| self.module_number_owner(m, &n.0))
                        .or_else(|| self.number_owner(&n.0)),
                    (None, Some(s)) => {
                        let key = comparable_title(&s.replace(['-', '_'], " "));
                        m.and_then(|m| self.title_owner(Some(m), &key))
                            .or_else(|| self.title_owner(None, &key))
                            .or_else(|| {
                                // a slug of a numbered heading: `35-cache-minimum`
                                let rest = key.split_once(' ').map(|(_, r)| r)?;
                                m.and_then(|m| self.title_owner(Some(m), rest))
                                    .or_else(|| self.title_owner(None, rest))
                            })
                    }
                    (None, None) => None,
                };
                self.state_of(found)
            }
            Anchor::Title { title } => {
                self.state_of(self.title_owner(None, &comparable_title(title)))
            }
            Anchor::Line { file, line, title } => {
                let by_title = title
                    .as_deref()
                    .and_then(|t| self.title_owner(None, &comparable_title(t)));
                self.state_of(by_title.or_else(|| self.heading_at_line(file, *line)))
            }
        }
    }

    /// The module a citation names, by file name, else by its `NN-` module id (a
    /// module renamed since, or cited from a bundle folder that has moved).
    fn module_named(&self, name: &str) -> Option<u16> {
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
        if let Some(k) = self
            .modules
            .iter()
            .position(|m| m.file_name().eq_ignore_ascii_case(name))
        {
            return Some(k as u16);
        }
        self.modules
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                !m.id.is_empty()
                    && name.len() > m.id.len()
                    && name.starts_with(m.id.as_str())
                    && name[m.id.len()..].starts_with('-')
            })
            .max_by_key(|(_, m)| m.id.len())
            .map(|(k, _)| k as u16)
    }

    /// The heading whose section holds `line` of `file` (the spec or a module).
    fn heading_at_line(&self, file: &str, line: usize) -> Option<usize> {
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let (lo, hi) = if self.modules.is_empty() {
            let own = self.path.rsplit('/').next().unwrap_or(&self.path);
            own.eq_ignore_ascii_case(name)
                .then_some((0, self.heads.len()))?
        } else {
            let m = self
                .modules
                .iter()
                .find(|m| m.file_name().eq_ignore_ascii_case(name))?;
            (m.heads.0 as usize, m.heads.1 as usize)
        };
        let within = &self.heads[lo..hi];
        let after = within.partition_point(|h| h.line as usize <= line);
        after.checked_sub(1).map(|k| lo + k)
    }

    /// Every distinct section number in the spec, in reading order of first appearance.
    pub fn section_numbers(&self) -> Vec<SectionNumber> {
        let idx = self.number_index();
        (0..self.heads.len())
            .filter(|&i| self.heads[i].number.is_some())
            .filter(|&i| {
                let n = self.number_of(i);
                idx.groups
                    .find(idx.hasher.hash_one(n), |k| self.number_of(k as usize) == n)
                    .is_some_and(|g| g.key as usize == i)
            })
            .map(|i| SectionNumber(self.number_of(i).to_string()))
            .collect()
    }

    /// Where a section number appears as a heading line inside a code fence, when no
    /// real heading carries it: the fence, not the packet citing it, is then the thing
    /// to look at.
    pub fn hidden_heading(&self, number: &SectionNumber) -> Option<HiddenHeading> {
        if self.number_owner(&number.0).is_some() {
            return None;
        }
        let map = self.index().hidden.get_or_init(|| {
            let mut map: HashMap<String, u32> = HashMap::new();
            for (k, h) in self.hidden.iter().enumerate() {
                let number = atx_heading(self.get(h.text))
                    .and_then(|(_, _, t)| section_token(t.split_whitespace().next()?))
                    .map(|n| n.into_owned());
                if let Some(n) = number {
                    map.entry(n).or_insert(k as u32);
                }
            }
            map
        });
        let h = self.hidden[*map.get(number.0.as_str())? as usize];
        let f = self.hiding_fences[h.fence as usize];
        Some(HiddenHeading {
            path: self.file_of(f.module).to_string(),
            line: h.line as usize,
            fence_line: f.open as usize,
            fence_close: f.close as usize,
        })
    }
}

fn span_str<'a>(text: &'a str, arena: &'a str, s: Span) -> &'a str {
    let src = if s.arena { arena } else { text };
    src.get(s.start as usize..(s.start + s.len) as usize)
        .unwrap_or("")
}

/// Titles compared without case, spacing, punctuation or `[ADD v02.115]`-style notes.
pub fn comparable_title(title: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
    }
    out.trim_end().to_string()
}

/// Builds compact heading records during the scan.
#[derive(Default)]
struct Builder {
    arena: String,
    heads: Vec<Head>,
    code_spans: Vec<Span>,
    hidden: Vec<HiddenLine>,
    hiding_fences: Vec<HidingFence>,
    unclosed_fences: Vec<(u16, usize)>,
    unclosed_comments: Vec<(u16, usize)>,
}

impl Builder {
    fn get<'a>(&'a self, text: &'a str, s: Span) -> &'a str {
        span_str(text, &self.arena, s)
    }

    /// Scans `text[start..end]` (one file; its first line is line `first_line`).
    #[allow(clippy::too_many_arguments)]
    fn scan(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        first_line: usize,
        module: u16,
        roadmap: &RoadmapMatcher,
        state: &mut ScanState,
    ) {
        // Only fence, heading and comment lines matter; collect them in one memchr pass.
        let candidates = candidate_lines(&text[start..end], start, first_line);
        let closable = closable_fences(&candidates);
        let mut open: Option<(Fence, usize, Option<u32>)> = None;
        let mut comment_end: Option<usize> = None;
        for (k, cand) in candidates.iter().enumerate() {
            if let Some((f, open_line, hiding)) = open.as_mut() {
                match cand.kind {
                    Kind::Fence(c) if c.closes(f) => {
                        if let Some(h) = *hiding {
                            self.hiding_fences[h as usize].close = cand.line as u32;
                        }
                        open = None;
                    }
                    // `#include`, `#!/bin/sh` and the like are no heading lines
                    Kind::Heading if atx_heading(cand.text).is_some() => {
                        let fence = *hiding.get_or_insert_with(|| {
                            self.hiding_fences.push(HidingFence {
                                module,
                                open: *open_line as u32,
                                close: 0,
                            });
                            self.hiding_fences.len() as u32 - 1
                        });
                        self.hidden.push(HiddenLine {
                            line: cand.line as u32,
                            text: Span {
                                arena: false,
                                start: cand.offset as u32,
                                len: cand.text.len() as u32,
                            },
                            fence,
                        });
                    }
                    _ => {}
                }
                continue;
            }
            if comment_end.is_some_and(|e| cand.offset <= e) {
                continue;
            }
            match cand.kind {
                Kind::Fence(f) => {
                    if closable[k] {
                        open = Some((f, cand.line, None));
                    } else {
                        self.unclosed_fences.push((module, cand.line));
                    }
                }
                Kind::Comment(at) => {
                    // an HTML block of comment kind ends on the line holding `-->`
                    let from = cand.offset + at + 4;
                    match memchr::memmem::find(&text.as_bytes()[from..end], b"-->") {
                        Some(p) => comment_end = Some(from + p),
                        None => {
                            self.unclosed_comments.push((module, cand.line));
                            return;
                        }
                    }
                }
                Kind::Heading => self.heading(text, cand, module, roadmap, state),
            }
        }
    }

    fn heading(
        &mut self,
        text: &str,
        cand: &Candidate,
        module: u16,
        roadmap: &RoadmapMatcher,
        state: &mut ScanState,
    ) {
        let Some((level, title_at, raw_title)) = atx_heading(cand.text) else {
            return;
        };
        let offset = cand.offset + title_at;
        if state.roadmap_level.is_some_and(|l| level <= l) {
            state.roadmap_level = None;
        }
        let mut head = self.head(level, offset, raw_title, cand.line);
        head.module = module;
        if state.roadmap_level.is_none() && roadmap.is_match(self.get(text, head.title)) {
            state.roadmap_level = Some(level);
            if state.roadmap_line.is_none() {
                state.roadmap_line = Some(cand.line);
                state.roadmap_head = Some(self.heads.len() as u32);
            }
        }
        head.part = if state.roadmap_level.is_some() {
            Part::Roadmap
        } else {
            Part::MainBody
        };
        self.heads.push(head);
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
            module: 0,
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

const NONE: u32 = u32::MAX;

/// Items grouped by key in one pass: the first item of each key (`key`), the best one
/// by the caller's ranking (`best`), and further keys with the same 64-bit hash chained
/// behind it. Keys are compared through the caller, so a collision never merges two
/// keys, and the hashes are keyed per process, so no input can build long chains.
#[derive(Debug, Clone, Default)]
struct Groups {
    map: HashMap<u64, u32, BuildPassThrough>,
    groups: Vec<Group>,
}

#[derive(Debug, Clone, Copy)]
struct Group {
    key: u32,
    best: u32,
    next: u32,
}

impl Groups {
    fn find(&self, h: u64, same: impl Fn(u32) -> bool) -> Option<&Group> {
        let mut g = *self.map.get(&h)?;
        loop {
            let group = &self.groups[g as usize];
            if same(group.key) {
                return Some(group);
            }
            if group.next == NONE {
                return None;
            }
            g = group.next;
        }
    }

    /// Adds `item` under its key, with `owner` as the key's best owner unless `better`
    /// prefers the one it has; returns the key's first item when it had one.
    fn add(
        &mut self,
        h: u64,
        (item, owner): (u32, u32),
        same: impl Fn(u32) -> bool,
        better: impl Fn(u32, u32) -> bool,
    ) -> Option<u32> {
        let fresh = self.groups.len() as u32;
        let new = Group {
            key: item,
            best: owner,
            next: NONE,
        };
        let mut g = match self.map.entry(h) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(fresh);
                self.groups.push(new);
                return None;
            }
            std::collections::hash_map::Entry::Occupied(o) => *o.get(),
        };
        loop {
            let group = self.groups[g as usize];
            if same(group.key) {
                if better(owner, group.best) {
                    self.groups[g as usize].best = owner;
                }
                return Some(group.key);
            }
            if group.next == NONE {
                self.groups[g as usize].next = fresh;
                self.groups.push(new);
                return None;
            }
            g = group.next;
        }
    }
}

/// The keys are already hashes; hashing them again would only cost time.
#[derive(Debug, Clone, Copy, Default)]
struct BuildPassThrough;

impl BuildHasher for BuildPassThrough {
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

/// The section-number table and the repeats found while building it.
#[derive(Debug, Clone, Default)]
struct NumberIndex {
    hasher: std::collections::hash_map::RandomState,
    groups: Groups,
    /// (first heading, repeating heading) pairs, in reading order.
    repeats: Vec<(u32, u32)>,
}

/// Look-ups, each built on first use.
#[derive(Debug, Default)]
struct SpecIndex {
    by_number: OnceLock<NumberIndex>,
    /// Keyed by (module, number), for anchors that name their module.
    by_module_number: OnceLock<NumberIndex>,
    /// Keyed by code; `key` indexes `code_spans`, `best` the heading.
    by_code: OnceLock<NumberIndex>,
    /// Comparable title → heading; per module too.
    by_title: OnceLock<HashMap<String, u32>>,
    by_module_title: OnceLock<HashMap<(u16, String), u32>>,
    hidden: OnceLock<HashMap<String, u32>>,
    /// Number look-ups answered by a scan so far.
    scans: std::sync::atomic::AtomicU32,
}

/// How many number look-ups scan the headings before the index is built. Building
/// it costs about four scans (callgrind, a 16 MB spec: 3.3 M instructions against
/// 0.87 M a scan), so scanning four times first costs at most twice the best choice
/// whatever the number of look-ups turns out to be (pre-work resolves a handful).
const SCANS_BEFORE_INDEX: u32 = 4;

impl Clone for SpecIndex {
    /// Indexes are caches: a clone builds its own on first use.
    fn clone(&self) -> Self {
        SpecIndex::default()
    }
}

impl Spec {
    fn better(&self, new: u32, old: u32) -> bool {
        self.rank(new as usize) > self.rank(old as usize)
    }

    fn number_index(&self) -> &NumberIndex {
        self.index().by_number.get_or_init(|| {
            let mut idx = NumberIndex::default();
            for i in 0..self.heads.len() {
                if self.heads[i].number.is_none() {
                    continue;
                }
                let n = self.number_of(i);
                let h = idx.hasher.hash_one(n);
                let same = |k: u32| self.number_of(k as usize) == n;
                if let Some(first) = idx
                    .groups
                    .add(h, (i as u32, i as u32), same, |a, b| self.better(a, b))
                {
                    idx.repeats.push((first, i as u32));
                }
            }
            idx
        })
    }

    fn module_number_owner(&self, module: u16, number: &str) -> Option<usize> {
        let idx = self.index().by_module_number.get_or_init(|| {
            let mut idx = NumberIndex::default();
            for i in 0..self.heads.len() {
                if self.heads[i].number.is_none() {
                    continue;
                }
                let (m, n) = (self.heads[i].module, self.number_of(i));
                let h = idx.hasher.hash_one((m, n));
                let same =
                    |k: u32| self.heads[k as usize].module == m && self.number_of(k as usize) == n;
                idx.groups
                    .add(h, (i as u32, i as u32), same, |a, b| self.better(a, b));
            }
            idx
        });
        let h = idx.hasher.hash_one((module, number));
        idx.groups
            .find(h, |k| {
                self.heads[k as usize].module == module && self.number_of(k as usize) == number
            })
            .map(|g| g.best as usize)
    }

    fn code_owner(&self, code: &str) -> Option<usize> {
        let idx = self.index().by_code.get_or_init(|| {
            let mut idx = NumberIndex::default();
            for i in 0..self.heads.len() {
                let (start, n) = self.heads[i].codes;
                for c in start..start + n as u32 {
                    let s = self.get(self.code_spans[c as usize]);
                    let h = idx.hasher.hash_one(s);
                    let same = |k: u32| self.get(self.code_spans[k as usize]) == s;
                    idx.groups
                        .add(h, (c, i as u32), same, |a, b| self.better(a, b));
                }
            }
            idx
        });
        let h = idx.hasher.hash_one(code);
        idx.groups
            .find(h, |k| self.get(self.code_spans[k as usize]) == code)
            .map(|g| g.best as usize)
    }

    /// The heading with this comparable title, in a module or anywhere.
    fn title_owner(&self, module: Option<u16>, key: &str) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        let better = |new: usize, old: usize| self.rank(new) > self.rank(old);
        match module {
            None => {
                let map = self.index().by_title.get_or_init(|| {
                    let mut map: HashMap<String, u32> = HashMap::new();
                    for i in 0..self.heads.len() {
                        let key = comparable_title(self.get(self.heads[i].title));
                        let slot = map.entry(key).or_insert(i as u32);
                        if better(i, *slot as usize) {
                            *slot = i as u32;
                        }
                    }
                    map
                });
                map.get(key).map(|&i| i as usize)
            }
            Some(m) => {
                let map = self.index().by_module_title.get_or_init(|| {
                    let mut map: HashMap<(u16, String), u32> = HashMap::new();
                    for i in 0..self.heads.len() {
                        let key = comparable_title(self.get(self.heads[i].title));
                        let slot = map.entry((self.heads[i].module, key)).or_insert(i as u32);
                        if better(i, *slot as usize) {
                            *slot = i as u32;
                        }
                    }
                    map
                });
                map.get(&(m, key.to_string())).map(|&i| i as usize)
            }
        }
    }
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
    /// What the matcher is, for keying cached indexes: another pattern, another index.
    pub fn key(&self) -> &str {
        match self {
            RoadmapMatcher::Pattern(re) => re.as_str(),
            RoadmapMatcher::Default => "",
        }
    }

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

/// What a candidate line may be.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Heading,
    Fence(Fence),
    /// An HTML comment opening at this byte of the line.
    Comment(usize),
}

/// A line that may matter to the index: a fence, a heading or a comment start.
struct Candidate<'a> {
    /// 1-based line number.
    line: usize,
    /// Byte offset of the line in the whole spec text.
    offset: usize,
    text: &'a str,
    kind: Kind,
}

/// The candidate lines of `text`, which starts at byte `base` of the spec text and at
/// line `first_line` of its file.
fn candidate_lines(text: &str, base: usize, first_line: usize) -> Vec<Candidate<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut line = first_line;
    let mut ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    while start <= bytes.len() {
        let Some(end) = ends.next() else { break };
        let raw = &text[start..end];
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        let indent = l.len() - l.trim_start_matches(' ').len();
        let kind = match l.as_bytes().get(indent) {
            Some(b'#') => Some(Kind::Heading),
            Some(b'`' | b'~') => Fence::of(l).map(Kind::Fence),
            Some(b'<') if indent <= 3 && l[indent..].starts_with("<!--") => {
                Some(Kind::Comment(indent))
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(Candidate {
                line,
                offset: base + start,
                text: l,
                kind,
            });
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
        if let Kind::Fence(f) = candidates[i].kind {
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
        assert_eq!(
            s.unclosed_fences.iter().map(|p| p.line).collect::<Vec<_>>(),
            [8]
        );
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

    #[test]
    fn headings_inside_html_comments_are_not_headings() {
        let s = spec("## 1 A\n<!--\n## 2 Hidden\n-->\n## 3 B\n  <!-- one line --> \n## 4 C\n<!-- never closed\n## 5 Gone\n");
        assert!(matches!(s.resolve(&sec("2")), Resolution::Missing));
        assert!(matches!(s.resolve(&sec("3")), Resolution::MainBody(_)));
        assert!(matches!(s.resolve(&sec("4")), Resolution::MainBody(_)));
        assert!(matches!(s.resolve(&sec("5")), Resolution::Missing));
        assert_eq!(
            s.unclosed_comments
                .iter()
                .map(|p| p.line)
                .collect::<Vec<_>>(),
            [8]
        );
        // a comment opener inside a fence is code, and a heading after a paragraph
        // holding `<!--` inline is still a heading
        let s = spec("```\n<!--\n```\n## 6 Seen\ntext <!-- inline\n## 7 Seen too\n-->\n");
        assert!(matches!(s.resolve(&sec("6")), Resolution::MainBody(_)));
        assert!(matches!(s.resolve(&sec("7")), Resolution::MainBody(_)));
        assert!(s.unclosed_comments.is_empty());
    }

    #[test]
    fn fenced_heading_lines_are_named_with_their_fence() {
        let s =
            spec("## 1 A\n````md\n# Doc\n```\n#include <x>\n## 3.9 Example\n```\n````\n## 2 B\n");
        assert!(matches!(s.resolve(&sec("3.9")), Resolution::Missing));
        let h = s.hidden_heading(&SectionNumber("3.9".into())).unwrap();
        assert_eq!((h.line, h.fence_line, h.fence_close), (6, 2, 8));
        assert_eq!(s.hidden_count(), 2);
        assert!(s.hidden_heading(&SectionNumber("1".into())).is_none());
        assert!(s.hidden_heading(&SectionNumber("8".into())).is_none());
    }

    /// 100,000 headings with one number: the duplicate list, the owner and the walk
    /// over Main Body sections take one hash look-up per heading (a quadratic pass
    /// would take minutes here).
    #[test]
    fn a_hundred_thousand_repeats_stay_linear() {
        let text = "## 1.1 Same\n".repeat(100_000);
        let s = spec(&text);
        assert_eq!(s.duplicate_count(), 99_999);
        let d = s.duplicates();
        assert_eq!((d[0].first_line, d[0].line), (1, 2));
        assert_eq!((d[99_998].first_line, d[99_998].line), (1, 100_000));
        assert_eq!(s.main_body_sections().len(), 1);
        assert_eq!(s.heading(&SectionNumber("1.1".into())).unwrap().line, 1);
        // all in the Roadmap: the owner is still found in one look-up
        let text = format!("# Roadmap\n{}", "## 7.1 Later\n".repeat(100_000));
        let s = spec(&text);
        assert!(matches!(s.resolve(&sec("7.1")), Resolution::RoadmapOnly(h) if h.line == 2));
        let codes = "## 1 X [CX-SAME-001]\n".repeat(100_000);
        let s = spec(&codes);
        assert!(matches!(
            s.resolve(&Anchor::Code { code: "CX-SAME-001".into() }),
            Resolution::MainBody(h) if h.line == 1
        ));
    }

    #[test]
    fn titles_slugs_and_lines() {
        let s = spec("## 1 Intro\n### 1.1 WidgetSummaryV1 record format [ADD v02.50]\nText.\nMore.\n## 2 Storage\n");
        let title = |t: &str| Anchor::Title { title: t.into() };
        assert!(
            matches!(s.resolve(&title("widgetsummaryv1 record FORMAT")), Resolution::MainBody(h) if h.line == 2)
        );
        assert!(matches!(
            s.resolve(&title("No such title")),
            Resolution::Missing
        ));
        let line = |l: usize, t: Option<&str>| Anchor::Line {
            file: "Master_Spec_v02.85.md".into(),
            line: l,
            title: t.map(str::to_string),
        };
        assert!(matches!(s.resolve(&line(4, None)), Resolution::MainBody(h) if h.line == 2));
        assert!(
            matches!(s.resolve(&line(99, Some("Storage"))), Resolution::MainBody(h) if h.line == 5)
        );
        let other = Anchor::Line {
            file: "Other.md".into(),
            line: 4,
            title: None,
        };
        assert!(matches!(s.resolve(&other), Resolution::Missing));
        let slug = |m: &str, sl: &str| Anchor::Module {
            module: m.into(),
            number: None,
            slug: Some(sl.into()),
        };
        assert!(matches!(
            s.resolve(&slug("x.md", "widgetsummaryv1-record-format")),
            Resolution::MainBody(_)
        ));
        assert!(
            matches!(s.resolve(&slug("x.md", "2-storage")), Resolution::MainBody(h) if h.line == 5)
        );
    }

    #[test]
    fn a_scanned_number_resolves_as_the_index_resolves_it() {
        let single = spec(
            "# Roadmap\n## 1 Early\n# Body\n## 1 Main\n## 1 Again\n## 2 Two\n# Roadmap\n## 3 Late\n## 3 Later\n",
        );
        let modular = Spec::from_modules(
            "b/indexed-spec-manifest.json",
            None,
            vec![
                module("01-a.md", "01", "1", "## 2.1 Visitor\n## 1 A\n"),
                module("02-b.md", "02", "2", "## 2.1 Home\n## 2.1 Home again\n"),
            ],
            &RoadmapMatcher::Default,
        );
        // by a scan (no index yet): the module that holds section 2 owns 2.1
        let home = modular.heading(&SectionNumber("2.1".into()));
        assert_eq!(home.map(|h| h.title), Some("Home".to_string()));
        for s in [&single, &modular] {
            let numbers = ["1", "2", "3", "2.1", "9"];
            let scanned: Vec<_> = numbers.iter().map(|n| s.scan_number_owner(n)).collect();
            let idx = s.number_index();
            let indexed: Vec<_> = numbers
                .iter()
                .map(|n| {
                    let h = idx.hasher.hash_one(n);
                    idx.groups
                        .find(h, |k| s.number_of(k as usize) == *n)
                        .map(|g| g.best as usize)
                })
                .collect();
            assert_eq!(scanned, indexed);
            assert!(scanned.iter().flatten().count() >= 2, "{scanned:?}");
        }
        // past the scans, look-ups use the index and answer the same
        let first: Vec<_> = (0..40)
            .map(|_| single.heading(&SectionNumber("1".into())))
            .collect();
        assert!(first.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(first[0].as_ref().map(|h| h.title.as_str()), Some("Main"));
    }

    fn module(path: &str, id: &str, sid: &str, text: &str) -> ModuleText {
        ModuleText {
            path: format!("b/spec-modules/{path}"),
            id: id.into(),
            section_id: Some(sid.into()),
            text: text.into(),
        }
    }

    #[test]
    fn modules_are_one_spec_with_their_own_lines() {
        let fm = "---\nschema: x\n# not a heading\n---\n";
        let s = Spec::from_modules(
            "b/indexed-spec-manifest.json",
            Some("v02.60".into()),
            vec![
                module(
                    "01-a.md",
                    "01",
                    "1",
                    &format!("{fm}# 1. A\n## 1.1 One\n## 2.1 Copy\n```\n"),
                ),
                module(
                    "02-b.md",
                    "02",
                    "2",
                    &format!("{fm}# 2. B\n## 2.1 Two\n```\n## 2.2 In fence\n```\n"),
                ),
                module(
                    "07-6-r.md",
                    "07-6",
                    "7.6",
                    "## 7.6 Roadmap\n### 7.6.1 Later\n",
                ),
            ],
            &RoadmapMatcher::Default,
        );
        assert_eq!(s.version.as_deref(), Some("v02.60"));
        let h = s.heading(&SectionNumber("1.1".into())).unwrap();
        assert_eq!(
            (h.line, h.module.as_deref()),
            (6, Some("b/spec-modules/01-a.md"))
        );
        // frontmatter is skipped: its `#` line is no heading
        assert_eq!(s.heading_count(), 7);
        // 2.1 repeats across modules: the module of section 2 owns it ...
        let h = s.heading(&SectionNumber("2.1".into())).unwrap();
        assert_eq!(h.module.as_deref(), Some("b/spec-modules/02-b.md"));
        // ... and a citation naming the other module finds that one first
        let cite = |m: &str, n: &str| Anchor::Module {
            module: m.into(),
            number: Some(SectionNumber(n.into())),
            slug: None,
        };
        assert!(
            matches!(s.resolve(&cite("01-a.md", "2.1")), Resolution::MainBody(h) if h.title == "Copy")
        );
        assert!(
            matches!(s.resolve(&cite("old/folder/01-a-renamed.md", "2.1")), Resolution::MainBody(h) if h.title == "Copy")
        );
        assert!(
            matches!(s.resolve(&cite("09-none.md", "2.1")), Resolution::MainBody(h) if h.title == "Two")
        );
        // a fence left open at the end of one module does not run into the next
        assert_eq!(s.unclosed_fences.len(), 1);
        assert_eq!(s.unclosed_fences[0].path, "b/spec-modules/01-a.md");
        assert!(s
            .hidden_heading(&SectionNumber("2.2".into()))
            .is_some_and(|h| h.path.ends_with("02-b.md")));
        assert!(matches!(
            s.resolve(&sec("7.6.1")),
            Resolution::RoadmapOnly(_)
        ));
        let roadmap = s.roadmap_place().unwrap();
        assert_eq!(
            (roadmap.path.as_str(), roadmap.line),
            ("b/spec-modules/07-6-r.md", 1)
        );
        let d = s.duplicates();
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].first_path.as_str(), d[0].path.as_str()),
            ("b/spec-modules/01-a.md", "b/spec-modules/02-b.md")
        );
        let line = Anchor::Line {
            file: "02-b.md".into(),
            line: 6,
            title: None,
        };
        assert!(matches!(s.resolve(&line), Resolution::MainBody(h) if h.title == "Two"));
    }
}
