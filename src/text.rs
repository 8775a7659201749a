//! Source text as gov sees it: decoded once, with a line index for locations.
//!
//! Real governance documents arrive with a byte-order mark, CRLF line endings and
//! now and then invalid UTF-8. We keep the original byte layout (so spans stay true to
//! the file on disk) and only replace invalid sequences, remembering that we did.

use std::ops::Range;

/// One decoded document and the index that turns byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// The text, BOM removed, invalid UTF-8 replaced by U+FFFD.
    pub text: String,
    /// Byte offset of the first invalid UTF-8 sequence, if the file had one.
    pub invalid_utf8_at: Option<usize>,
    /// Built on first use: the spec index never needs it, and it costs a pass over MBs.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Source {
    pub fn from_bytes(path: impl Into<String>, bytes: &[u8]) -> Source {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let (text, invalid_utf8_at) = match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_owned(), None),
            Err(e) => (
                String::from_utf8_lossy(bytes).into_owned(),
                Some(e.valid_up_to()),
            ),
        };
        Source::from_string(path, text, invalid_utf8_at)
    }

    /// Like [`Source::from_bytes`], taking the buffer: valid UTF-8 (the usual case) is
    /// not copied, which matters for multi-megabyte specs.
    pub fn from_vec(path: impl Into<String>, mut bytes: Vec<u8>) -> Source {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Source::from_string(path, text, None),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Source::from_string(path, text, Some(at))
            }
        }
    }

    pub fn from_string(
        path: impl Into<String>,
        text: String,
        invalid_utf8_at: Option<usize>,
    ) -> Source {
        Source {
            path: path.into(),
            text,
            invalid_utf8_at,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| line_starts(self.text.as_bytes()))
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, col)
    }

    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    /// Byte range of 1-based line `n`, without its line terminator (`\n`, `\r\n` or a
    /// lone `\r`).
    pub fn line_range(&self, n: usize) -> Range<usize> {
        let starts = self.starts();
        let start = starts[n - 1];
        let bytes = self.text.as_bytes();
        let mut end = starts.get(n).map_or(bytes.len(), |&e| e - 1);
        // `end` is on the terminator's last byte: `\n` (maybe after `\r`) or a lone `\r`
        if end > start && bytes.get(end) == Some(&b'\n') && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    pub fn line_text(&self, n: usize) -> &str {
        &self.text[self.line_range(n)]
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        // the line alone: no need to count the characters for a column
        let offset = offset.min(self.text.len());
        self.starts().partition_point(|&s| s <= offset)
    }

    pub fn line_start(&self, n: usize) -> usize {
        self.starts()[n - 1]
    }
}

/// Where each line starts. Every line ending is one: `\n`, `\r\n` and a lone `\r`
/// (old Mac files, and damage seen mid-document), so a CR-only file is not one line.
pub fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut v = Vec::with_capacity(bytes.len() / 40 + 1);
    v.push(0);
    if memchr::memchr(b'\r', bytes).is_none() {
        v.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        return v;
    }
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            v.push(i + 1);
        }
    }
    v
}

/// A value read from a document, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    /// 1-based line in the source document.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
}

impl<T> Spanned<T> {
    pub fn new(value: T, line: usize, column: usize) -> Self {
        Spanned {
            value,
            line,
            column,
        }
    }
    pub fn at(source: &Source, offset: usize, value: T) -> Self {
        let (line, column) = source.line_col(offset);
        Spanned {
            value,
            line,
            column,
        }
    }
}

/// Strips what decorates a heading or value but carries no meaning for gov: emoji
/// (also as mojibake), markdown emphasis and code ticks, and surrounding whitespace.
pub fn strip_decoration(s: &str) -> String {
    strip_decoration_cow(s).into_owned()
}

/// Bytes that send [`strip_decoration_cow`] down its slow path: emphasis, code ticks,
/// control characters and every non-ASCII byte (emoji, mojibake).
static NEEDS_STRIPPING: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = b == b'*' as usize
            || b == b'`' as usize
            || (b < 0x20 && b != b'\t' as usize)
            || b >= 0x7f;
        b += 1;
    }
    t
};

/// [`strip_decoration`] without an allocation when there is nothing to strip.
pub fn strip_decoration_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // fast path: plain ASCII with nothing to strip (most headings and values)
    if !s.as_bytes().iter().any(|&b| NEEDS_STRIPPING[b as usize]) {
        return std::borrow::Cow::Borrowed(s.trim());
    }
    let repaired = repair_mojibake(s);
    let kept: String = repaired
        .chars()
        .filter(|c| !is_decoration_char(*c))
        .collect();
    std::borrow::Cow::Owned(kept.trim().to_string())
}

fn is_decoration_char(c: char) -> bool {
    matches!(c, '*' | '`' | '\u{FE0F}' | '\u{200D}' | '\u{FFFD}')
        || (c as u32) >= 0x1F000 // emoji planes
        || ('\u{2600}'..='\u{27BF}').contains(&c) // dingbats and symbols: ✅ ❌ ✋ ⚠
        || ('\u{2B00}'..='\u{2BFF}').contains(&c)
        || (c.is_control() && c != '\t')
}

/// Undoes the most common damage to UTF-8 text: bytes re-read as Windows-1252 and
/// written back as UTF-8 (`Â§` for `§`, `ðŸ”´` for 🔴, `â€”` for —). Each run of
/// such characters is re-encoded and kept only if it decodes to valid UTF-8, so
/// genuine accented text is left alone.
pub fn repair_mojibake(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut run: Vec<u8> = Vec::new();
    let mut run_text = String::new();
    let flush = |out: &mut String, run: &mut Vec<u8>, run_text: &mut String| {
        match std::str::from_utf8(run) {
            Ok(decoded) if !run.is_empty() => out.push_str(decoded),
            _ => out.push_str(run_text),
        }
        run.clear();
        run_text.clear();
    };
    for c in s.chars() {
        match cp1252_byte(c) {
            Some(b) if b >= 0x80 => {
                run.push(b);
                run_text.push(c);
            }
            _ => {
                flush(&mut out, &mut run, &mut run_text);
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut run, &mut run_text);
    std::borrow::Cow::Owned(out)
}

/// The Windows-1252 byte for a character, where it has one.
fn cp1252_byte(c: char) -> Option<u8> {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    HIGH.iter().position(|&h| h == c).map(|i| 0x80 + i as u8)
}

/// Normalises a field or section name for comparison: case-folded, with `_`, `-` and
/// runs of spaces collapsed to one space. `## VALIDATION` and `## VALIDATION_REPORTS`
/// stay different names.
pub fn normalize_name(s: &str) -> String {
    if s.is_ascii() {
        return normalize_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    normalized_chars(s, |c| out.push(c));
    out
}

/// [`normalize_name`] of an ASCII name (almost every key of every packet), a byte at
/// a time.
fn normalize_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        // `char::is_whitespace` of an ASCII character
        if b == b'_' || b == b'-' || matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(char::from(b.to_ascii_lowercase()));
        }
    }
    out
}

/// `normalize_name(raw) == normalized`, without building the name.
pub fn normalizes_to(raw: &str, normalized: &str) -> bool {
    let mut want = normalized.chars();
    let mut same = true;
    normalized_chars(raw, |c| same &= want.next() == Some(c));
    same && want.next().is_none()
}

/// The characters of [`normalize_name`]`(s)`, one at a time, for callers that only
/// compare or hash them.
fn normalized_chars(s: &str, mut emit: impl FnMut(char)) {
    let (mut started, mut pending_space) = (false, false);
    for c in s.chars() {
        if c == '_' || c == '-' || c.is_whitespace() {
            pending_space = started;
            continue;
        }
        if pending_space {
            emit(' ');
            pending_space = false;
        }
        started = true;
        if c.is_ascii() {
            emit(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut emit);
        }
    }
}

/// A hash of [`normalize_name`]`(s)` without building it: field look-ups compare a
/// name's hash with each field's ([`bytes_hash`] of its normalised name) and only
/// compare the text where they agree.
pub fn name_hash(s: &str) -> u64 {
    let mut h = NameHash::default();
    normalized_chars(s, |c| h.write(c.encode_utf8(&mut [0; 4]).as_bytes()));
    h.0
}

/// The hash [`name_hash`] gives a name that normalises to `normalized`.
pub fn bytes_hash(normalized: &[u8]) -> u64 {
    let mut h = NameHash::default();
    h.write(normalized);
    h.0
}

/// FNV-1a: names are a few bytes, and the hash only narrows a comparison.
struct NameHash(u64);

impl Default for NameHash {
    fn default() -> Self {
        NameHash(0xcbf2_9ce4_8422_2325)
    }
}

impl NameHash {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Every concatenation of 1 to `max` pieces, each followed by `sep`: exhaustive
/// inputs for tests that check a fast path against the rule it implements.
/// A regular expression written into gov's source. Such a pattern either always compiles
/// or never does, and every one is compiled by the unit tests of its caller, so a typo
/// fails there and cannot reach a user. This is the one place gov accepts a panic on a
/// regex; patterns built from user input go through `Regex::new` and report an error.
pub fn static_regex(pattern: &str) -> regex::Regex {
    // gov:allow(SCN011) a pattern from gov's own source, compiled by its unit tests
    regex::Regex::new(pattern).expect("a pattern in gov's source compiles")
}

/// [`static_regex`] over bytes, for file contents that need not be UTF-8.
pub fn static_bytes_regex(pattern: &str) -> regex::bytes::Regex {
    // gov:allow(SCN011) a pattern from gov's own source, compiled by its unit tests
    regex::bytes::Regex::new(pattern).expect("a pattern in gov's source compiles")
}

#[cfg(test)]
pub(crate) fn every_concatenation(pieces: &[&str], max: usize, sep: &str) -> Vec<String> {
    let mut all = Vec::new();
    let mut level = vec![String::new()];
    for _ in 0..max {
        level = level
            .iter()
            .flat_map(|w| pieces.iter().map(move |p| format!("{w}{p}{sep}")))
            .collect();
        all.extend(level.iter().cloned());
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_keep_offsets() {
        let s = Source::from_bytes("a.md", b"\xEF\xBB\xBFab\r\ncd\r\n");
        assert_eq!(s.text, "ab\r\ncd\r\n");
        assert_eq!(s.line_text(1), "ab");
        assert_eq!(s.line_text(2), "cd");
        assert_eq!(s.line_col(4), (2, 1));
    }

    #[test]
    fn every_line_ending_ends_a_line() {
        let s = Source::from_bytes("a.md", b"a\rb\r\nc\nd\r\re");
        let lines: Vec<_> = (1..=s.line_count()).map(|n| s.line_text(n)).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(s.line_col(2), (2, 1));
        assert_eq!(s.line_of(8), 4);
        let lone = Source::from_bytes("a.md", b"- x\r- y\r");
        assert_eq!(lone.line_count(), 3);
        assert_eq!(lone.line_text(2), "- y");
        assert_eq!(lone.line_text(3), "");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_remembered() {
        let s = Source::from_bytes("a.md", b"ok\n\xFF\xFEbad\n");
        assert_eq!(s.invalid_utf8_at, Some(3));
        assert!(s.text.contains('\u{FFFD}'));
    }

    #[test]
    fn from_vec_matches_from_bytes() {
        for bytes in [
            b"\xEF\xBB\xBFab\r\ncd\r\n".as_slice(),
            b"ok\n\xFF\xFEbad\n".as_slice(),
            b"".as_slice(),
        ] {
            let a = Source::from_bytes("a.md", bytes);
            let b = Source::from_vec("a.md", bytes.to_vec());
            assert_eq!(a.line_count(), b.line_count());
            let lines = |s: &Source| {
                (1..=s.line_count())
                    .map(|n| s.line_range(n))
                    .collect::<Vec<_>>()
            };
            assert_eq!(lines(&a), lines(&b));
            assert_eq!((a.text, a.invalid_utf8_at), (b.text, b.invalid_utf8_at));
        }
    }

    #[test]
    fn names_normalise_separators_not_words() {
        assert_eq!(normalize_name("IN_SCOPE_PATHS"), "in scope paths");
        assert_eq!(normalize_name("In-Scope  Paths"), "in scope paths");
        assert_ne!(
            normalize_name("VALIDATION"),
            normalize_name("VALIDATION_REPORTS")
        );
    }

    #[test]
    fn ascii_names_normalise_as_the_character_walk_says() {
        let pieces = [
            "", "A", "b", "_", "-", " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "9", "(", "Ä",
            "\u{a0}",
        ];
        let walked = |key: &str| {
            let mut out = String::new();
            normalized_chars(key, |c| out.push(c));
            out
        };
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let key = format!("{a}{b}{c}x{c}{a}");
                    assert_eq!(normalize_name(&key), walked(&key), "{key:?}");
                }
            }
        }
        assert_eq!(normalize_name("IN_SCOPE_PATHS"), "in scope paths");
    }

    /// A name's hash is the hash of its normalised text, whatever it is spelt with.
    #[test]
    fn name_hashes_follow_the_normalised_name() {
        let names = [
            "IN_SCOPE_PATHS",
            "  in-scope\tpaths ",
            "Status",
            "ÉTAT du Paquet",
            "İstanbul_KEY",
            "ß-Straße",
            "",
            "__",
            "a_-_b",
        ];
        for n in names {
            assert_eq!(
                name_hash(n),
                bytes_hash(normalize_name(n).as_bytes()),
                "{n}"
            );
        }
        assert_eq!(name_hash("IN_SCOPE_PATHS"), name_hash("In Scope Paths"));
        assert_ne!(name_hash("VALIDATION"), name_hash("VALIDATION_REPORTS"));
    }

    #[test]
    fn decoration_is_stripped() {
        assert_eq!(strip_decoration("**READY FOR DEV 🔴**"), "READY FOR DEV");
        assert_eq!(strip_decoration("ðŸš¨ PHASE 1"), "PHASE 1");
        assert_eq!(repair_mojibake("Â§2.3.12"), "§2.3.12");
        assert_eq!(repair_mojibake("âœ‹ STOP"), "✋ STOP");
        assert_eq!(repair_mojibake("café §1"), "café §1");
    }
}
