//! A single-file spec's index for the persistent cache (`crate::cache`), carrying
//! the few pieces of the text it points into (titles, numbers, codes, hidden
//! lines): a warm run hashes the spec file as it streams through a small buffer and,
//! when the hash matches, builds the spec from this index alone. The multi-megabyte
//! text is never held in memory, which on a warm run was most of the memory touched.
//!
//! The records are stored as flat number lists in the cache's binary table (a hit
//! reads them at memory speed), and every number is checked on the way back in: a
//! cache file that passes its checksum can still have been written by hand, and a bad
//! span or index must be a miss, never a panic.

use super::{HiddenLine, HidingFence, Part, Place, Span, Spec};
use crate::cache::{Reader, Record, Writer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedIndex {
    unclosed_fences: Vec<usize>,
    unclosed_comments: Vec<usize>,
    roadmap_line: Option<usize>,
    roadmap_head: Option<u32>,
    arena: String,
    /// The pieces of the spec text the records point into, one after the other: a
    /// spec built from the cache has this as its text.
    extract: String,
    /// 13 numbers per heading: line, level, part, module, number (present, arena,
    /// start, len), title (arena, start, len), codes (start, count).
    heads: Vec<u32>,
    /// 3 numbers per code span: arena, start, len.
    code_spans: Vec<u32>,
    /// 5 numbers per hidden line: line, fence, text (arena, start, len).
    hidden: Vec<u32>,
    /// 3 numbers per hiding fence: module, open, close.
    hiding_fences: Vec<u32>,
}

const HEAD: usize = 13;

/// The binary form in the spec table: number lists as counts and little-endian `u32`s,
/// strings length-prefixed. Decoding checks every length; [`Spec::from_cached_index`]
/// then checks every span and index.
impl Record for CachedIndex {
    fn encode(&self, w: &mut Writer) {
        let numbers = |w: &mut Writer, v: &mut dyn Iterator<Item = usize>, n: usize| {
            w.u32(n);
            v.for_each(|x| w.u32(x));
        };
        let lines = [
            &self.unclosed_fences,
            &self.unclosed_comments,
            &self.roadmap_line.into_iter().collect(),
        ];
        for l in lines {
            numbers(w, &mut l.iter().copied(), l.len());
        }
        let head = self.roadmap_head.map(|h| h as usize);
        numbers(w, &mut head.into_iter(), usize::from(head.is_some()));
        w.str(&self.arena);
        w.str(&self.extract);
        for v in [
            &self.heads,
            &self.code_spans,
            &self.hidden,
            &self.hiding_fences,
        ] {
            numbers(w, &mut v.iter().map(|&x| x as usize), v.len());
        }
    }

    fn decode(_key: &str, r: &mut Reader<'_>) -> Option<CachedIndex> {
        fn numbers(r: &mut Reader<'_>) -> Option<Vec<usize>> {
            let n = r.count(4)?;
            (0..n).map(|_| r.u32()).collect()
        }
        fn words(r: &mut Reader<'_>) -> Option<Vec<u32>> {
            let n = r.count(4)?;
            (0..n).map(|_| r.u32().map(|v| v as u32)).collect()
        }
        fn at_most_one<T>(v: Vec<T>) -> Option<Option<T>> {
            (v.len() <= 1).then(|| v.into_iter().next())
        }
        Some(CachedIndex {
            unclosed_fences: numbers(r)?,
            unclosed_comments: numbers(r)?,
            roadmap_line: at_most_one(numbers(r)?)?,
            roadmap_head: at_most_one(words(r)?)?,
            arena: r.string()?,
            extract: r.string()?,
            heads: words(r)?,
            code_spans: words(r)?,
            hidden: words(r)?,
            hiding_fences: words(r)?,
        })
    }
}

impl Spec {
    /// The cache form of a single-file spec (`None` for a modular one).
    pub fn cached_index(&self) -> Option<CachedIndex> {
        if self.is_modular() {
            return None;
        }
        let mut extract = String::new();
        // a text span moves into the extract; an arena span stays as it is
        let mut span = |s: Span| -> [u32; 3] {
            if s.arena {
                return [1, s.start, s.len];
            }
            let start = extract.len() as u32;
            extract.push_str(self.get(s));
            [0, start, s.len]
        };
        let mut heads = Vec::with_capacity(self.heads.len() * HEAD);
        for h in &self.heads {
            let number = h.number.map_or([0; 4], |s| {
                let [a, st, l] = span(s);
                [1, a, st, l]
            });
            heads.extend([
                h.line,
                u32::from(h.level),
                u32::from(h.part == Part::Roadmap),
                u32::from(h.module),
            ]);
            heads.extend(number);
            heads.extend(span(h.title));
            heads.extend([h.codes.0, u32::from(h.codes.1)]);
        }
        let code_spans = self.code_spans.iter().flat_map(|&s| span(s)).collect();
        let hidden = self
            .hidden
            .iter()
            .flat_map(|h| {
                let [a, st, l] = span(h.text);
                [h.line, h.fence, a, st, l]
            })
            .collect();
        Some(CachedIndex {
            unclosed_fences: self.unclosed_fences.iter().map(|p| p.line).collect(),
            unclosed_comments: self.unclosed_comments.iter().map(|p| p.line).collect(),
            roadmap_line: self.roadmap_line,
            roadmap_head: self.roadmap_head,
            arena: self.arena.clone(),
            extract,
            heads,
            code_spans,
            hidden,
            hiding_fences: self
                .hiding_fences
                .iter()
                .flat_map(|f| [u32::from(f.module), f.open, f.close])
                .collect(),
        })
    }

    /// The spec at `path` from a cached index alone (its extract becomes the text), or
    /// `None` when the index does not hold together.
    pub fn from_cached_index(path: &str, mut c: CachedIndex) -> Option<Spec> {
        let text = std::mem::take(&mut c.extract);
        let mut spec = Spec::empty(path, super::version_from_name(path), text);
        spec.fill(c)?;
        Some(spec)
    }

    fn fill(&mut self, c: CachedIndex) -> Option<()> {
        let (text_len, arena_len) = (self.text.len(), c.arena.len());
        let (text, arena) = (&self.text, &c.arena);
        let check = |a: u32, start: u32, len: u32| -> Option<Span> {
            let (src, max) = match a {
                0 => (text, text_len),
                1 => (arena, arena_len),
                _ => return None,
            };
            let end = start.checked_add(len)? as usize;
            let ok =
                end <= max && src.is_char_boundary(start as usize) && src.is_char_boundary(end);
            ok.then_some(Span {
                arena: a == 1,
                start,
                len,
            })
        };
        let whole = [
            (c.heads.len(), HEAD),
            (c.code_spans.len(), 3),
            (c.hidden.len(), 5),
            (c.hiding_fences.len(), 3),
        ];
        if whole.iter().any(|&(len, per)| !len.is_multiple_of(per)) {
            return None;
        }
        let code_spans = c
            .code_spans
            .chunks_exact(3)
            .map(|s| check(s[0], s[1], s[2]))
            .collect::<Option<Vec<_>>>()?;
        let mut heads = Vec::with_capacity(c.heads.len() / HEAD);
        for h in c.heads.chunks_exact(HEAD) {
            let number = match h[4] {
                0 => None,
                1 => Some(check(h[5], h[6], h[7])?),
                _ => return None,
            };
            let codes = (h[11], u16::try_from(h[12]).ok()?);
            let end = codes.0.checked_add(u32::from(codes.1))? as usize;
            if end > code_spans.len() || h[3] != 0 {
                return None;
            }
            heads.push(super::Head {
                line: h[0],
                level: u8::try_from(h[1]).ok()?,
                part: match h[2] {
                    0 => Part::MainBody,
                    1 => Part::Roadmap,
                    _ => return None,
                },
                module: 0,
                number,
                title: check(h[8], h[9], h[10])?,
                codes,
            });
        }
        let hiding_fences = c
            .hiding_fences
            .chunks_exact(3)
            .map(|f| {
                (f[0] == 0).then_some(HidingFence {
                    module: 0,
                    open: f[1],
                    close: f[2],
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let hidden = c
            .hidden
            .chunks_exact(5)
            .map(|h| {
                ((h[1] as usize) < hiding_fences.len()).then_some(())?;
                Some(HiddenLine {
                    line: h[0],
                    fence: h[1],
                    text: check(h[2], h[3], h[4])?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        if c.roadmap_head.is_some_and(|i| i as usize >= heads.len()) {
            return None;
        }
        let place = |line: usize| Place {
            path: self.path.clone(),
            line,
        };
        self.unclosed_fences = c.unclosed_fences.into_iter().map(place).collect();
        self.unclosed_comments = c.unclosed_comments.into_iter().map(place).collect();
        self.roadmap_line = c.roadmap_line;
        self.roadmap_head = c.roadmap_head;
        self.arena = c.arena;
        self.heads = heads;
        self.code_spans = code_spans;
        self.hidden = hidden;
        self.hiding_fences = hiding_fences;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec::RoadmapMatcher;

    const TEXT: &str = "# Spec v1\n\n## 1.2 Widgets [CX-W-1] [CX-W-2]\n\n```\n## 9.9 Hidden\n```\n\
                        ### 1.2.3 **Bold** title\n<!-- open\n\n# Roadmap\n## 7.1 Later\n```\nopen fence\n";

    fn same(a: &Spec, b: &Spec) {
        assert_eq!(a.headings(), b.headings());
        assert_eq!(a.unclosed_fences, b.unclosed_fences);
        assert_eq!(a.unclosed_comments, b.unclosed_comments);
        assert_eq!(a.roadmap_line, b.roadmap_line);
        assert_eq!(a.roadmap_place(), b.roadmap_place());
        assert_eq!(a.version, b.version);
        let n = crate::model::anchor::SectionNumber("9.9".into());
        assert_eq!(a.hidden_heading(&n), b.hidden_heading(&n));
        assert_eq!(a.hidden_count(), b.hidden_count());
    }

    #[test]
    fn an_index_put_back_around_its_text_is_the_parsed_spec() {
        for text in [TEXT, "", "no headings\n", "# Roadmap\n## 1 A\n## 1 A\n"] {
            let parsed = Spec::parse("Spec_v1.0.md", text, &RoadmapMatcher::Default);
            let cached = parsed.cached_index().unwrap();
            assert!(cached.extract.len() <= text.len());
            let back = Spec::from_cached_index("Spec_v1.0.md", cached).unwrap();
            same(&parsed, &back);
        }
    }

    #[test]
    fn the_binary_form_round_trips_and_refuses_cut_bytes() {
        let text = format!("{TEXT}```\n-->\n# Roadmap\n## 8 Later still\n");
        let parsed = Spec::parse("S.md", text, &RoadmapMatcher::Default);
        let index = parsed.cached_index().unwrap();
        assert!(!index.heads.is_empty() && index.roadmap_line.is_some());
        let mut w = Writer::default();
        index.encode(&mut w);
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        assert_eq!(CachedIndex::decode("S.md", &mut r), Some(index));
        assert!(r.is_empty());
        for cut in [0, 1, 4, bytes.len() / 2, bytes.len() - 1] {
            let mut r = Reader::new(&bytes[..cut]);
            assert_eq!(CachedIndex::decode("S.md", &mut r), None, "cut at {cut}");
        }
        // two roadmap lines where one at most is allowed
        let mut two = bytes.clone();
        // the roadmap line's count, after the two lists of unclosed fences and comments
        let listed = parsed.unclosed_fences.len() + parsed.unclosed_comments.len();
        let at = 8 + 4 * listed;
        assert_eq!(two[at], 1);
        two[at] = 2;
        assert_eq!(CachedIndex::decode("S.md", &mut Reader::new(&two)), None);
    }

    #[test]
    fn an_index_that_does_not_fit_the_text_is_refused() {
        let parsed = Spec::parse("S.md", TEXT, &RoadmapMatcher::Default);
        let good = parsed.cached_index().unwrap();
        let mut spans_past_end = good.clone();
        spans_past_end.heads[9] = u32::MAX; // a title starting past the end
        let mut bad_codes = good.clone();
        bad_codes.heads[11] = 1000;
        let mut ragged = good.clone();
        ragged.heads.pop();
        let mut bad_head = good.clone();
        bad_head.roadmap_head = Some(10_000);
        let mut bad_fence = good.clone();
        bad_fence.hidden[1] = 7;
        let mut short_extract = good.clone();
        short_extract.extract.truncate(3); // spans past its end
        let mut mid_char = good.clone();
        assert_eq!(
            mid_char.heads[8], 0,
            "the first title is a span of the text"
        );
        mid_char.extract = "é".repeat(mid_char.extract.len());
        mid_char.heads[9] = 1; // a title starting inside `é`
        for bad in [
            spans_past_end,
            bad_codes,
            ragged,
            bad_head,
            bad_fence,
            short_extract,
            mid_char,
        ] {
            assert!(Spec::from_cached_index("S.md", bad).is_none());
        }
        assert!(Spec::from_cached_index("S.md", good).is_some());
    }
}
