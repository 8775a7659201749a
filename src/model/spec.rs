//! The Master Spec as an index of numbered headings.
//!
//! Specs run to several MB and are read on every gate, so this parser is a single
//! line scan rather than a full Markdown parse. It follows CommonMark's rules for
//! ATX headings and code fences (a fence closes only on a line of the same character
//! at least as long, with nothing after it), which keeps it in phase where a
//! toggle-on-``` parser drifts. A fence that is never closed would, by the letter of
//! CommonMark, turn the rest of the spec into code; gov instead reports it and reads
//! on, so one stray fence cannot hide every later section.

use super::anchor::{dotted_number, Anchor, SectionNumber};
use crate::text::{repair_mojibake, strip_decoration};
use regex::Regex;
use serde::Serialize;

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
    pub headings: Vec<Heading>,
    /// One entry per section number, pointing at its first Main Body heading (or its
    /// first heading at all), sorted by (hash of the number, number) for binary search.
    /// Built once after the scan: sorting on a precomputed hash is far cheaper than
    /// comparing thousands of numbers as strings, and stays O(n log n) even for numbers
    /// crafted to collide.
    by_number: Vec<(u64, usize)>,
    /// The same for `[CX-...]` codes: (hash, (heading index, code index)).
    by_code: Vec<(u64, (usize, usize))>,
    pub duplicates: Vec<Duplicate>,
    /// 1-based lines of fences that never close.
    pub unclosed_fences: Vec<usize>,
    /// 1-based line where the Roadmap part starts, if the spec has one.
    pub roadmap_line: Option<usize>,
}

/// Where an anchor resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution<'a> {
    MainBody(&'a Heading),
    RoadmapOnly(&'a Heading),
    Missing,
}

impl Spec {
    /// Parses spec text. `roadmap` decides which heading starts the Roadmap part.
    pub fn parse(path: &str, text: &str, roadmap: &Regex) -> Spec {
        let mut spec = Spec {
            path: path.to_string(),
            version: version_from_name(path),
            headings: Vec::new(),
            by_number: Vec::new(),
            by_code: Vec::new(),
            duplicates: Vec::new(),
            unclosed_fences: Vec::new(),
            roadmap_line: None,
        };
        let lines: Vec<&str> = split_lines(text);
        let fences: Vec<Option<Fence>> = lines.iter().map(|l| Fence::of(l)).collect();
        let closable = closable_fences(&fences);
        let mut open: Option<Fence> = None;
        let mut roadmap_level: Option<u8> = None;
        let default_roadmap = roadmap.as_str() == DEFAULT_ROADMAP_PATTERN;
        for (i, line) in lines.iter().enumerate() {
            if let Some(f) = open {
                if fences[i].is_some_and(|c| c.closes(&f)) {
                    open = None;
                }
                continue;
            }
            if let Some(f) = fences[i] {
                if closable[i] {
                    open = Some(f);
                } else {
                    spec.unclosed_fences.push(i + 1);
                }
                continue;
            }
            let Some((level, raw_title)) = atx_heading(line) else {
                continue;
            };
            let heading = make_heading(level, raw_title, i + 1);
            match roadmap_level {
                Some(l) if level <= l => roadmap_level = None,
                _ => {}
            }
            if roadmap_level.is_none()
                && maybe_roadmap(default_roadmap, &heading.title)
                && roadmap.is_match(&heading.title)
            {
                roadmap_level = Some(level);
                spec.roadmap_line.get_or_insert(i + 1);
            }
            let part = if roadmap_level.is_some() {
                Part::Roadmap
            } else {
                Part::MainBody
            };
            spec.headings.push(Heading { part, ..heading });
        }
        spec.index();
        spec
    }

    /// Builds the number and code indexes and the duplicate list from the headings.
    fn index(&mut self) {
        let headings = &self.headings;
        let number_of = |&i: &usize| headings[i].number.as_ref().map_or("", |n| n.0.as_str());
        let numbers: Vec<usize> = (0..headings.len())
            .filter(|&i| headings[i].number.is_some())
            .collect();
        let mut duplicates = Vec::new();
        self.by_number = winners(numbers, headings, number_of, |first, later| {
            if let Some(number) = &headings[later].number {
                duplicates.push(Duplicate {
                    number: number.clone(),
                    first_line: headings[first].line,
                    line: headings[later].line,
                });
            }
        });
        let codes: Vec<(usize, usize)> = headings
            .iter()
            .enumerate()
            .flat_map(|(i, h)| (0..h.codes.len()).map(move |c| (i, c)))
            .collect();
        let code_of = |&(i, c): &(usize, usize)| headings[i].codes[c].as_str();
        self.by_code = winners(codes, headings, code_of, |_, _| {});
        duplicates.sort_by_key(|d| d.line);
        self.duplicates = duplicates;
    }

    pub fn heading(&self, number: &SectionNumber) -> Option<&Heading> {
        self.number_index(number).map(|i| &self.headings[i])
    }

    fn number_index(&self, number: &SectionNumber) -> Option<usize> {
        let key = (key_hash(&number.0), number.0.as_str());
        let p = self
            .by_number
            .binary_search_by(|(h, i)| {
                let n = self.headings[*i]
                    .number
                    .as_ref()
                    .map_or("", |n| n.0.as_str());
                (*h, n).cmp(&key)
            })
            .ok()?;
        Some(self.by_number[p].1)
    }

    fn code_heading(&self, code: &str) -> Option<&Heading> {
        let key = (key_hash(code), code);
        let p = self
            .by_code
            .binary_search_by(|(h, (i, c))| (*h, self.headings[*i].codes[*c].as_str()).cmp(&key))
            .ok()?;
        Some(&self.headings[self.by_code[p].1 .0])
    }

    fn resolve_number(&self, n: &SectionNumber) -> Resolution<'_> {
        match self.heading(n) {
            Some(h) if h.part == Part::MainBody => Resolution::MainBody(h),
            Some(h) => Resolution::RoadmapOnly(h),
            None => Resolution::Missing,
        }
    }

    /// Resolves an anchor; a range resolves when both ends do (to its first end).
    pub fn resolve(&self, anchor: &Anchor) -> Resolution<'_> {
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
            Anchor::Code { code } => match self.code_heading(code) {
                Some(h) if h.part == Part::MainBody => Resolution::MainBody(h),
                Some(h) => Resolution::RoadmapOnly(h),
                None => Resolution::Missing,
            },
        }
    }

    pub fn section_numbers(&self) -> impl Iterator<Item = &SectionNumber> {
        self.by_number
            .iter()
            .filter_map(|(_, i)| self.headings[*i].number.as_ref())
    }

    /// The Main Body heading each section number resolves to, in document order
    /// (later duplicates of a number are left out).
    pub fn main_body_sections(&self) -> impl Iterator<Item = &Heading> {
        self.headings.iter().enumerate().filter_map(|(i, h)| {
            let n = h.number.as_ref()?;
            (h.part == Part::MainBody && self.number_index(n) == Some(i)).then_some(h)
        })
    }
}

/// Indexes entries by key: sorted by (hash, key, document order), then each run of
/// equal keys reduced to one entry, the first Main Body heading else the first
/// heading. `dup` sees every later heading of a run.
fn winners<'h, T: Copy + HeadingRef>(
    entries: Vec<T>,
    headings: &'h [Heading],
    key: impl Fn(&T) -> &'h str,
    mut dup: impl FnMut(usize, usize),
) -> Vec<(u64, T)> {
    let mut keyed: Vec<(u64, T)> = entries
        .into_iter()
        .map(|t| (key_hash(key(&t)), t))
        .collect();
    // integers only; document order breaks ties
    keyed.sort_unstable_by_key(|(h, t)| (*h, t.order()));
    // the rare runs of equal hashes with different keys are put in key order
    let mut start = 0;
    while start < keyed.len() {
        let h = keyed[start].0;
        let end = keyed[start + 1..]
            .iter()
            .position(|(hb, _)| *hb != h)
            .map_or(keyed.len(), |n| start + 1 + n);
        let run = &mut keyed[start..end];
        let first_key = key(&run[0].1);
        if run.iter().any(|(_, t)| key(t) != first_key) {
            run.sort_by(|(_, a), (_, b)| key(a).cmp(key(b)));
        }
        start = end;
    }
    let mut out = Vec::with_capacity(keyed.len());
    let mut start = 0;
    while start < keyed.len() {
        let (h, first) = keyed[start];
        let end = keyed[start + 1..]
            .iter()
            .position(|(hb, b)| *hb != h || key(b) != key(&first))
            .map_or(keyed.len(), |n| start + 1 + n);
        let run = &keyed[start..end];
        for (_, t) in &run[1..] {
            dup(first.heading(), t.heading());
        }
        let winner = run
            .iter()
            .find(|(_, t)| headings[t.heading()].part == Part::MainBody)
            .unwrap_or(&run[0]);
        out.push(*winner);
        start = end;
    }
    out
}

/// FNV-1a: a cheap, deterministic hash for short keys such as `2.3.12`.
fn key_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// An index entry that points at a heading.
trait HeadingRef {
    fn heading(&self) -> usize;
    /// Document order of entries.
    fn order(&self) -> (usize, usize);
}

impl HeadingRef for usize {
    fn heading(&self) -> usize {
        *self
    }
    fn order(&self) -> (usize, usize) {
        (*self, 0)
    }
}

impl HeadingRef for (usize, usize) {
    fn heading(&self) -> usize {
        self.0
    }
    fn order(&self) -> (usize, usize) {
        *self
    }
}

/// A cheap pre-check before the Roadmap regex: the default pattern needs the word.
fn maybe_roadmap(default_pattern: bool, title: &str) -> bool {
    !default_pattern
        || title
            .as_bytes()
            .windows(7)
            .any(|w| w.eq_ignore_ascii_case(b"roadmap"))
}

/// The default pattern for the heading that starts the Roadmap part: a title that is
/// "Roadmap", starts with "Roadmap" followed by punctuation, or ends with "Roadmap"
/// ("Development Roadmap"). "Roadmap Coverage Matrix" stays Main Body.
pub const DEFAULT_ROADMAP_PATTERN: &str =
    r"(?i)^(?:part\s+\w+\s*[:.\-–—]?\s*)?(?:.*\s)?roadmap(?:\s*[:(\-–—].*)?$";

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

/// The lines of `text` without their `\n` / `\r\n` terminators (a final empty line
/// included, as `str::split` gives it), found with a SIMD newline search.
fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
        let line = text.get(start..end).unwrap_or("");
        out.push(line.strip_suffix('\r').unwrap_or(line));
        start = end + 1;
    }
    out
}

/// For each fence line, whether some later line could close it. Computed from the
/// end with the longest bare fence seen per character, so the scan stays linear.
fn closable_fences(fences: &[Option<Fence>]) -> Vec<bool> {
    let mut out = vec![false; fences.len()];
    let (mut best_tick, mut best_tilde) = (0usize, 0usize);
    for i in (0..fences.len()).rev() {
        if let Some(f) = fences[i] {
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

fn atx_heading(line: &str) -> Option<(u8, &str)> {
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
    Some((hashes as u8, title))
}

fn make_heading(level: u8, raw: &str, line: usize) -> Heading {
    // most headings of a large spec are plain ASCII: skip the character-wise cleanup
    let plain_ascii = raw
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'*' && b != b'`');
    let text = if plain_ascii {
        raw.trim().to_string()
    } else {
        strip_decoration(&repair_mojibake(raw))
    };
    let mut codes = Vec::new();
    let mut plain = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('[') {
        plain.push_str(&rest[..open]);
        match rest[open..].find(']') {
            Some(close) => {
                let inner = &rest[open + 1..open + close];
                if is_code(inner) {
                    codes.push(inner.to_string());
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
    let (number, title) = split_number(plain.trim());
    Heading {
        level,
        number,
        title,
        codes,
        line,
        part: Part::MainBody,
    }
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

/// `2.3.13 Storage Backend` → (2.3.13, "Storage Backend"); `§2.3 X`, `A2.3 X` too.
fn split_number(title: &str) -> (Option<SectionNumber>, String) {
    let (first, rest) = title.split_once(char::is_whitespace).unwrap_or((title, ""));
    let token = first.trim_start_matches('§');
    let token = match token.strip_prefix('A') {
        Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => r,
        _ => token,
    };
    match dotted_number(token.trim_end_matches(':')) {
        Some(n) => (Some(SectionNumber(n)), rest.trim().to_string()),
        None => (None, title.to_string()),
    }
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
        Spec::parse(
            "Master_Spec_v02.85.md",
            text,
            &Regex::new(DEFAULT_ROADMAP_PATTERN).unwrap(),
        )
    }

    fn sec(n: &str) -> Anchor {
        Anchor::Section {
            number: SectionNumber(n.into()),
        }
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
        assert_eq!(s.duplicates.len(), 1);
        assert_eq!(
            s.heading(&SectionNumber("2.1".into())).unwrap().title,
            "First"
        );
    }

    #[test]
    fn roadmap_pattern() {
        let re = Regex::new(DEFAULT_ROADMAP_PATTERN).unwrap();
        for t in [
            "Roadmap",
            "Development Roadmap",
            "Roadmap (Phases 2-4)",
            "Part II: Roadmap",
        ] {
            assert!(re.is_match(t), "{t}");
        }
        for t in ["Roadmap Coverage Matrix", "Main Body"] {
            assert!(!re.is_match(t), "{t}");
        }
    }

    #[test]
    fn main_body_sections_skip_duplicates_and_roadmap() {
        let s = spec("## 1 A\n## 1 Again\n## 2 B\n# 9 Roadmap\n## 9.1 Later\n");
        let numbers: Vec<_> = s
            .main_body_sections()
            .map(|h| (h.number.as_ref().unwrap().0.clone(), h.title.clone()))
            .collect();
        assert_eq!(
            numbers,
            [("1".to_string(), "A".to_string()), ("2".into(), "B".into())]
        );
    }

    #[test]
    fn index_finds_every_number_and_code() {
        let mut text = String::new();
        for a in 1..=60 {
            for b in 1..=60 {
                text.push_str(&format!("### {a}.{b} T{a}x{b} [CX-T-{a:03}{b:03}]\n"));
            }
        }
        text.push_str("### 7.7 Again\n");
        let s = spec(&text);
        for a in 1..=60 {
            for b in 1..=60 {
                let h = s.heading(&SectionNumber(format!("{a}.{b}"))).unwrap();
                assert_eq!(h.title, format!("T{a}x{b}"));
                let code = Anchor::Code {
                    code: format!("CX-T-{a:03}{b:03}"),
                };
                assert!(
                    matches!(s.resolve(&code), Resolution::MainBody(h) if h.title == format!("T{a}x{b}"))
                );
            }
        }
        assert_eq!(s.duplicates.len(), 1);
        assert_eq!(s.duplicates[0].first_line, 6 * 60 + 7);
    }

    #[test]
    fn lines_split_like_str_split() {
        for text in ["", "a", "a\n", "a\r\nb", "a\n\nb\r\n", "\n"] {
            let expected: Vec<&str> = text
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect();
            assert_eq!(split_lines(text), expected, "{text:?}");
        }
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
    fn versions() {
        assert_eq!(
            version_from_name("docs/Master_Spec_v1.0.md").as_deref(),
            Some("v1.0")
        );
        assert!(version_key("v02.103") > version_key("v02.85"));
    }
}
