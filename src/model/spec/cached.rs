//! A single-file spec's index without its text, for the persistent cache
//! (`crate::cache`): a warm run reads and hashes the text, then puts this index back
//! around it instead of scanning the text again.
//!
//! The records are stored as flat number lists, written as one hex string each (a JSON
//! array of numbers decodes about 20 times slower), and every number is
//! checked on the way back in: a cache file that passes its checksum can still have
//! been written by hand, and a bad span or index must be a miss, never a panic.

use super::{HiddenLine, HidingFence, Part, Place, Span, Spec};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedIndex {
    unclosed_fences: Vec<usize>,
    unclosed_comments: Vec<usize>,
    roadmap_line: Option<usize>,
    roadmap_head: Option<u32>,
    arena: String,
    /// 13 numbers per heading: line, level, part, module, number (present, arena,
    /// start, len), title (arena, start, len), codes (start, count).
    #[serde(with = "hex")]
    heads: Vec<u32>,
    /// 3 numbers per code span: arena, start, len.
    #[serde(with = "hex")]
    code_spans: Vec<u32>,
    /// 5 numbers per hidden line: line, fence, text (arena, start, len).
    #[serde(with = "hex")]
    hidden: Vec<u32>,
    /// 3 numbers per hiding fence: module, open, close.
    #[serde(with = "hex")]
    hiding_fences: Vec<u32>,
}

const HEAD: usize = 13;

/// `Vec<u32>` as a string of 8 hex digits per number.
mod hex {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    const DIGITS: &[u8; 16] = b"0123456789abcdef";

    pub fn serialize<S: Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(v.len() * 8);
        for &n in v {
            out.extend((0..8).rev().map(|k| DIGITS[(n >> (4 * k)) as usize & 15]));
        }
        // only ASCII hex digits were written
        s.serialize_str(std::str::from_utf8(&out).unwrap_or_default())
    }

    fn digit(b: u8) -> Option<u32> {
        match b {
            b'0'..=b'9' => Some(u32::from(b - b'0')),
            b'a'..=b'f' => Some(u32::from(b - b'a' + 10)),
            _ => None,
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let bytes = text.as_bytes();
        if !bytes.len().is_multiple_of(8) {
            return Err(D::Error::custom("hex numbers of 8 digits"));
        }
        let mut out = Vec::with_capacity(bytes.len() / 8);
        for chunk in bytes.chunks_exact(8) {
            let mut n = 0u32;
            for &b in chunk {
                n = n << 4 | digit(b).ok_or_else(|| D::Error::custom("a hex digit"))?;
            }
            out.push(n);
        }
        Ok(out)
    }
}

fn span(s: Span) -> [u32; 3] {
    [u32::from(s.arena), s.start, s.len]
}

impl Spec {
    /// The cache form of a single-file spec (`None` for a modular one).
    pub fn cached_index(&self) -> Option<CachedIndex> {
        if self.is_modular() {
            return None;
        }
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
        Some(CachedIndex {
            unclosed_fences: self.unclosed_fences.iter().map(|p| p.line).collect(),
            unclosed_comments: self.unclosed_comments.iter().map(|p| p.line).collect(),
            roadmap_line: self.roadmap_line,
            roadmap_head: self.roadmap_head,
            arena: self.arena.clone(),
            heads,
            code_spans: self.code_spans.iter().flat_map(|&s| span(s)).collect(),
            hidden: self
                .hidden
                .iter()
                .flat_map(|h| {
                    let [a, st, l] = span(h.text);
                    [h.line, h.fence, a, st, l]
                })
                .collect(),
            hiding_fences: self
                .hiding_fences
                .iter()
                .flat_map(|f| [u32::from(f.module), f.open, f.close])
                .collect(),
        })
    }

    /// The spec at `path` with text `text` and a cached index of it, or `None` (and
    /// the text back) when the index does not fit the text.
    pub fn from_cached_index(path: &str, text: String, c: CachedIndex) -> Result<Spec, String> {
        let mut spec = Spec::empty(path, super::version_from_name(path), text);
        let ok = spec.fill(c).is_some();
        if ok {
            Ok(spec)
        } else {
            Err(std::mem::take(&mut spec.text))
        }
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
            let back = Spec::from_cached_index("Spec_v1.0.md", text.to_string(), cached).unwrap();
            same(&parsed, &back);
        }
    }

    #[test]
    fn number_lists_are_hex_strings() {
        let parsed = Spec::parse("S.md", TEXT, &RoadmapMatcher::Default);
        let json = serde_json::to_string(&parsed.cached_index().unwrap()).unwrap();
        let back: CachedIndex = serde_json::from_str(&json).unwrap();
        assert_eq!(back.heads, parsed.cached_index().unwrap().heads);
        assert!(!back.heads.is_empty());
        for bad in ["0000000", "0000000g"] {
            let forged = json.replacen(
                &json[json.find("\"heads\":\"").unwrap()..][..9],
                &format!("\"heads\":\"{bad}"),
                1,
            );
            assert!(
                serde_json::from_str::<CachedIndex>(&forged).is_err(),
                "{bad}"
            );
        }
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
        for bad in [spans_past_end, bad_codes, ragged, bad_head, bad_fence] {
            let back = Spec::from_cached_index("S.md", TEXT.to_string(), bad);
            assert_eq!(back.err().as_deref(), Some(TEXT));
        }
        // a shorter text than the index was made for: spans past its end
        assert!(Spec::from_cached_index("S.md", "# A\n".into(), good).is_err());
    }
}
