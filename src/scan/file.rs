//! Scanning one file: NFC-normalise, prefilter with the combined matcher, and only for
//! files with candidates lex comments, strings and Rust test items, confirm each rule
//! on the candidate lines, and apply inline waivers.

use super::lang::Lang;
use super::lex::{lex, Region, Regions};
use super::matcher::Prefilters;
use super::rules::{CompiledRule, RuleSet};
use super::rust_tests::test_ranges;
use super::tokens::CodeView;
use super::waiver::{Waiver, MARKER};
use memchr::memmem;
use std::borrow::Cow;
use std::collections::BTreeSet;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// One file to scan.
#[derive(Debug, Clone, Copy)]
pub struct FileInput<'a> {
    /// Path relative to the repository root, `/`-separated.
    pub rel: &'a str,
    pub lang: Option<Lang>,
    pub test_path: bool,
    /// Report only findings on these 1-based lines (`--changed`).
    pub lines: Option<&'a BTreeSet<usize>>,
}

/// A rule match that survived context, test-code and `unless` checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    pub line: usize,
    pub column: usize,
    pub matched: String,
    /// The line, trimmed (at most [`MAX_KEPT`] bytes): what baseline fingerprints are
    /// computed from.
    pub line_text: String,
}

#[derive(Debug, Default)]
pub struct FileResult {
    pub findings: Vec<Finding>,
    pub waivers: Vec<Waiver>,
    /// Findings excused by a waiver.
    pub waived: usize,
    /// More than [`MAX_FINDINGS_PER_FILE`] findings: the rest were not collected.
    pub truncated: bool,
}

/// A generated or minified file can match on every line; past this many findings
/// gov stops listing them (and says so) instead of growing without bound.
pub const MAX_FINDINGS_PER_FILE: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    Binary,
}

/// Scans the bytes of one file.
pub fn scan_file(
    set: &RuleSet,
    prefilters: &Prefilters,
    file: FileInput<'_>,
    bytes: &[u8],
) -> Result<FileResult, Skipped> {
    if is_binary(bytes) {
        return Err(Skipped::Binary);
    }
    let applicable: Vec<usize> = (0..set.rules.len())
        .filter(|&i| {
            let r = &set.rules[i];
            (r.rule.in_tests || !file.test_path) && r.applies_to(file.rel, file.lang)
        })
        .collect();
    if applicable.is_empty() {
        return Ok(FileResult::default());
    }
    let text = normalize(bytes);
    let text: &[u8] = &text;
    // code-only built-in rules match the token view (below), not the lines
    let (by_token, by_line): (Vec<usize>, Vec<usize>) = applicable
        .iter()
        .partition(|&&i| file.lang.is_some_and(has_token_view) && is_token_rule(set, i));
    let tokens_wanted = !by_token.is_empty() && keyword_gate().is_match(text);
    let candidates = if by_line.is_empty() {
        Vec::new()
    } else {
        candidate_lines(text, prefilters.get(set, &by_line).as_deref())
    };
    let has_waivers = memmem::find(text, MARKER).is_some();
    if candidates.is_empty() && !has_waivers && !tokens_wanted {
        return Ok(FileResult::default());
    }
    let ctx = FileContext::new(set, file, text, &applicable);
    let mut findings = Vec::new();
    let mut truncated = false;
    if tokens_wanted {
        if let Some(regions) = &ctx.regions {
            let view = CodeView::new(text, regions);
            ctx.confirm_view(set, &by_token, &view, &mut findings);
        }
    }
    for start in candidates {
        if findings.len() >= MAX_FINDINGS_PER_FILE {
            truncated = true;
            break;
        }
        ctx.confirm_line(set, &by_line, start, &mut findings);
    }
    // one order whichever path found them: by line, then rule, then column
    findings.sort_by_key(|f| (f.line, f.rule, f.column));
    let mut waivers = if has_waivers {
        ctx.waivers()
    } else {
        Vec::new()
    };
    let before = findings.len();
    findings.retain(|f| {
        let code = set.rules[f.rule].rule.code;
        !waivers.iter_mut().any(|w| w.covers(code, f.line))
    });
    let waived = before - findings.len();
    let truncated = truncated || before >= MAX_FINDINGS_PER_FILE;
    if let Some(lines) = file.lines {
        findings.retain(|f| lines.contains(&f.line));
    }
    Ok(FileResult {
        findings,
        waivers,
        waived,
        truncated,
    })
}

/// How far into a file binary detection looks, as git does.
pub const BINARY_WINDOW: usize = 8000;

/// Binary, and so not scanned: a NUL byte in the first [`BINARY_WINDOW`] bytes (git's
/// and ripgrep's test) *and* bytes that are not UTF-8. One NUL alone does not make a
/// file binary: it may sit in a comment of a source file (NUL is valid UTF-8), and the
/// compilers gov scans for (rustc, JavaScript engines) refuse a source file that is
/// not UTF-8, so a file that passes this test as binary is not code that compiles.
/// Images, archives and compiled objects fail UTF-8 decoding within bytes.
pub fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(BINARY_WINDOW)];
    memchr::memchr(0, head).is_some() && std::str::from_utf8(bytes).is_err()
}

/// Languages whose lexer feeds a token view.
fn has_token_view(lang: Lang) -> bool {
    matches!(lang, Lang::Rust | Lang::JavaScript | Lang::TypeScript)
}

/// A built-in rule that looks at code only: it matches the token view, so spacing,
/// line breaks and comments between tokens cannot hide a call.
fn is_token_rule(set: &RuleSet, i: usize) -> bool {
    let r = &set.rules[i].rule;
    r.builtin
        && r.contexts
            == (super::rules::Contexts {
                code: true,
                comments: false,
                strings: false,
            })
}

/// Every built-in code rule starts with one of these words: a file holding none of
/// them needs no token view.
fn keyword_gate() -> &'static regex::bytes::Regex {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::text::static_bytes_regex(r"(?-u:\b)(?:unwrap|expect|todo|unimplemented|dbg|println|eprintln|panic|console|debugger|only)(?-u:\b)",)
    })
}

/// NFC-normalised text. ASCII (most source files) is already NFC and is borrowed as is;
/// otherwise the bytes are decoded (invalid UTF-8 replaced) and normalised only when
/// the quick check says they may not be NFC.
pub fn normalize(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.is_ascii() {
        return Cow::Borrowed(bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    // every character below U+0300 (lead bytes up to 0xCB) is NFC on its own and
    // starts no composition: the common case of Latin-1 text in comments
    let below_combining = !text.bytes().any(|b| b >= 0xCC);
    if below_combining || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return match text {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
    }
    Cow::Owned(text.nfc().collect::<String>().into_bytes())
}

/// Start offsets of the lines the combined matcher nominates, ascending, once each.
/// After a match the search resumes at the next line: one candidate per line is
/// enough, and a minified file with a million matches on one line stays linear.
fn candidate_lines(text: &[u8], prefilter: Option<&regex::bytes::Regex>) -> Vec<usize> {
    let Some(re) = prefilter else {
        return line_starts(text);
    };
    let mut out: Vec<usize> = Vec::new();
    let mut from = 0;
    while from <= text.len() {
        let Some(m) = re.find_at(text, from) else {
            break;
        };
        // `from` starts a line, so the search back never crosses it: linear overall
        let mut start =
            memchr::memrchr(b'\n', &text[from..m.start()]).map_or(from, |i| from + i + 1);
        // a match may span lines (a pattern with `\s`); nominate every line it touches
        loop {
            if out.last().is_none_or(|&l| l < start) {
                out.push(start);
            }
            match memchr::memchr(b'\n', &text[start..]) {
                Some(o) if start + o < m.end() => start += o + 1,
                Some(o) => {
                    from = start + o + 1;
                    break;
                }
                None => {
                    from = text.len() + 1;
                    break;
                }
            }
        }
    }
    out
}

fn line_start(text: &[u8], pos: usize) -> usize {
    memchr::memrchr(b'\n', &text[..pos]).map_or(0, |i| i + 1)
}

fn line_end(text: &[u8], start: usize) -> usize {
    let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |o| start + o);
    if end > start && text[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

fn line_starts(text: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text).map(|i| i + 1))
        .filter(|&s| s < text.len())
        .collect()
}

/// What a candidate line needs to know about the whole file; built once per file
/// that has candidates.
struct FileContext<'a> {
    file: FileInput<'a>,
    text: &'a [u8],
    regions: Option<Regions>,
    tests: Vec<(usize, usize)>,
    newlines: Vec<usize>,
}

impl<'a> FileContext<'a> {
    fn new(set: &RuleSet, file: FileInput<'a>, text: &'a [u8], applicable: &[usize]) -> Self {
        let regions = file.lang.map(|l| lex(l.syntax(), text));
        let wants_tests = applicable.iter().any(|&i| !set.rules[i].rule.in_tests);
        let tests = match (&regions, file.lang) {
            (Some(r), Some(Lang::Rust))
                if set.rust_test_items && wants_tests && memmem::find(text, b"test").is_some() =>
            {
                test_ranges(text, r)
            }
            _ => Vec::new(),
        };
        FileContext {
            file,
            text,
            regions,
            tests,
            newlines: memchr::memchr_iter(b'\n', text).collect(),
        }
    }

    fn line_of(&self, pos: usize) -> usize {
        self.newlines.partition_point(|&n| n < pos) + 1
    }

    fn region(&self, pos: usize) -> Region {
        self.regions.as_ref().map_or(Region::Code, |r| r.at(pos))
    }

    /// Whether the text at `pos` follows a backtick (quoted in documentation).
    fn quoted(&self, pos: usize) -> bool {
        pos > 0 && self.text[pos - 1] == b'`'
    }

    fn in_test_code(&self, pos: usize) -> bool {
        let i = self.tests.partition_point(|t| t.0 <= pos);
        i > 0 && pos < self.tests[i - 1].1
    }

    /// Runs every applicable rule on the line that starts at `start`.
    fn confirm_line(
        &self,
        set: &RuleSet,
        applicable: &[usize],
        start: usize,
        out: &mut Vec<Finding>,
    ) {
        let end = line_end(self.text, start);
        let line = &self.text[start..end];
        let mut line_no = None;
        for &i in applicable {
            let rule = &set.rules[i];
            let mut col = Column::default();
            for m in rule.regex.find_iter(line) {
                if out.len() >= MAX_FINDINGS_PER_FILE {
                    return;
                }
                let pos = start + m.start();
                let ctx = rule.rule.contexts;
                let allowed = match self.region(pos) {
                    Region::Code => ctx.code,
                    // `TODO` in backticks is a mention in prose, not a marker
                    Region::Comment => ctx.comments && !self.quoted(pos),
                    Region::Str => ctx.strings,
                };
                if !allowed || self.excused(rule, pos, m.as_bytes()) {
                    continue;
                }
                let n = *line_no.get_or_insert_with(|| self.line_of(start));
                out.push(Finding {
                    rule: i,
                    line: n,
                    column: col.at(line, m.start()),
                    matched: clip(word_around(line, m.start(), m.end())),
                    line_text: clip(line.trim_ascii()),
                });
            }
        }
    }

    /// A match its rule lets pass: in test code (unless the rule covers tests), or
    /// matching the rule's `unless` expression.
    fn excused(&self, rule: &CompiledRule, pos: usize, matched: &[u8]) -> bool {
        (!rule.rule.in_tests && self.in_test_code(pos))
            || rule.unless.as_ref().is_some_and(|u| u.is_match(matched))
    }

    /// Runs the token rules over the file's token view. A match is reported at the
    /// file position of its first byte, with the context, test-code and `unless`
    /// checks of the line path.
    fn confirm_view(
        &self,
        set: &RuleSet,
        rules: &[usize],
        view: &CodeView,
        out: &mut Vec<Finding>,
    ) {
        for &i in rules {
            let rule = &set.rules[i];
            for m in rule.regex.find_iter(&view.text) {
                if out.len() >= MAX_FINDINGS_PER_FILE {
                    return;
                }
                let pos = view.origin[m.start()] as usize;
                if self.region(pos) != Region::Code || self.excused(rule, pos, m.as_bytes()) {
                    continue;
                }
                let start = line_start(self.text, pos);
                let line = &self.text[start..line_end(self.text, start)];
                out.push(Finding {
                    rule: i,
                    line: self.line_of(pos),
                    column: column(line, (pos - start).min(line.len())),
                    matched: clip(word_around(&view.text, m.start(), m.end())),
                    line_text: clip(line.trim_ascii()),
                });
            }
        }
    }

    /// Every `gov:allow(...)` inside a comment (anywhere, for files gov cannot lex).
    fn waivers(&self) -> Vec<Waiver> {
        let mut out = Vec::new();
        for pos in memmem::find_iter(self.text, MARKER) {
            if (self.file.lang.is_some() && self.region(pos) != Region::Comment) || self.quoted(pos)
            {
                continue;
            }
            let start = line_start(self.text, pos);
            let line = String::from_utf8_lossy(&self.text[start..line_end(self.text, start)]);
            let at = pos - start;
            let col = column(line.as_bytes(), at);
            if let Some(w) = Waiver::parse(&line, at, self.line_of(pos), col) {
                out.push(w);
            }
        }
        out
    }
}

/// At most [`MAX_KEPT`] bytes of text (cut on a character boundary): a minified file
/// with one huge line must not be copied once per finding.
fn clip(bytes: &[u8]) -> String {
    // cut the bytes first (a few spare for a character split at the edge)
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_KEPT + 4)]);
    if text.len() <= MAX_KEPT {
        return text.into_owned();
    }
    let mut end = MAX_KEPT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// How much of a line or a match a finding keeps.
pub const MAX_KEPT: usize = 400;

/// The match widened to whole identifiers at either end (`MockP` → `MockPaymentClient`),
/// for messages that name what was found.
fn word_around(line: &[u8], start: usize, end: usize) -> &[u8] {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut s = start;
    if line.get(s).copied().is_some_and(ident) {
        while s > 0 && ident(line[s - 1]) {
            s -= 1;
        }
    }
    let mut e = end;
    if e > s && ident(line[e - 1]) {
        while e < line.len() && ident(line[e]) {
            e += 1;
        }
    }
    &line[s..e]
}

/// Columns of ascending offsets in one line, counted incrementally so that many
/// matches on one long line cost one pass over it.
#[derive(Default)]
struct Column {
    offset: usize,
    chars: usize,
}

impl Column {
    fn at(&mut self, line: &[u8], at: usize) -> usize {
        if at < self.offset {
            *self = Column::default();
        }
        self.chars += line[self.offset..at]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        self.offset = at;
        self.chars + 1
    }
}

/// 1-based column in characters of byte offset `at` within `line`.
fn column(line: &[u8], at: usize) -> usize {
    line[..at].iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::scan::ScanConfig;

    fn scan(rel: &str, src: &str) -> Vec<(String, usize, usize)> {
        let set = RuleSet::build(&ScanConfig::default()).unwrap();
        let file = FileInput {
            rel,
            lang: Lang::of_path(rel),
            test_path: set.is_test_path(rel),
            lines: None,
        };
        let r = scan_file(&set, &Prefilters::default(), file, src.as_bytes()).unwrap();
        r.findings
            .iter()
            .map(|f| (set.rules[f.rule].rule.code.to_string(), f.line, f.column))
            .collect()
    }

    #[test]
    fn code_aware_and_test_exempt() {
        let src = "fn a() {\n    let x = y.unwrap(); // z.unwrap()\n    let s = \"w.unwrap()\";\n    eprintln!(\"é {}\", x.unwrap_or(1));\n}\n#[cfg(test)]\nmod tests {\n    fn t() { q.unwrap(); }\n}\nfn b() { r.unwrap() }\n";
        assert_eq!(
            scan("src/lib.rs", src),
            vec![
                ("SCN010".into(), 2, 15),
                ("SCN016".into(), 4, 5),
                ("SCN010".into(), 10, 12)
            ]
        );
        assert!(scan("tests/it.rs", src).is_empty());
    }

    #[test]
    fn todo_in_comments_and_nfc() {
        let src = "// TODO(PROJ-1) fine\n// TODO(TBD) not fine\nlet todo = \"TODO\";\n/// the `TODO` rule\n";
        assert_eq!(scan("src/a.rs", src), vec![("SCN030".into(), 2, 4)]);
    }

    #[test]
    fn text_is_nfc_normalised_before_matching() {
        let cfg: ScanConfig = serde_json::from_value(serde_json::json!({
            "rules": [{"code": "ACME1", "pattern": "caf\u{e9}", "in_strings": true}]
        }))
        .unwrap();
        let set = RuleSet::build(&cfg).unwrap();
        let file = FileInput {
            rel: "src/a.rs",
            lang: Some(Lang::Rust),
            test_path: false,
            lines: None,
        };
        // `e` + COMBINING ACUTE ACCENT is canonically the same as the precomposed `é`
        let src = "let s = \"cafe\u{301}\";\n";
        let r = scan_file(&set, &Prefilters::default(), file, src.as_bytes()).unwrap();
        assert_eq!(r.findings.len(), 1);
        assert_eq!((r.findings[0].line, r.findings[0].column), (1, 10));
    }

    #[test]
    fn waivers_excuse_and_report() {
        let set = RuleSet::build(&ScanConfig::default()).unwrap();
        let src = "// gov:allow(SCN010) checked above\nlet a = b.unwrap();\nlet c = d.unwrap(); // gov:allow(SCN010)\n// gov:allow(SCN017) nothing here\n";
        let file = FileInput {
            rel: "src/a.rs",
            lang: Some(Lang::Rust),
            test_path: false,
            lines: None,
        };
        let r = scan_file(&set, &Prefilters::default(), file, src.as_bytes()).unwrap();
        assert!(r.findings.is_empty());
        assert_eq!(r.waived, 2);
        assert_eq!(r.waivers.len(), 3);
        assert!(r.waivers[1].reason.is_none());
        assert_eq!(r.waivers[2].used, [false]);
    }

    #[test]
    fn huge_files_stay_bounded() {
        let set = RuleSet::build(&ScanConfig::default()).unwrap();
        let file = FileInput {
            rel: "src/min.js",
            lang: Some(Lang::JavaScript),
            test_path: false,
            lines: None,
        };
        let one_line = "console.log(1);".repeat(5000);
        let r = scan_file(&set, &Prefilters::default(), file, one_line.as_bytes()).unwrap();
        assert_eq!(r.findings.len(), MAX_FINDINGS_PER_FILE);
        assert!(r.truncated);
        assert!(r.findings[0].line_text.len() <= MAX_KEPT);
        assert_eq!(r.findings[999].column, 999 * 15 + 1);
    }

    #[test]
    fn binary_is_skipped() {
        let set = RuleSet::build(&ScanConfig::default()).unwrap();
        let file = FileInput {
            rel: "src/a.rs",
            lang: Some(Lang::Rust),
            test_path: false,
            lines: None,
        };
        let r = scan_file(&set, &Prefilters::default(), file, b"x.unwrap()\0\xff\xfe");
        assert_eq!(r.unwrap_err(), Skipped::Binary);
        // one NUL in a comment of a UTF-8 source file does not hide it
        let r = scan_file(
            &set,
            &Prefilters::default(),
            file,
            b"// \0\nfn a() { x.unwrap() }\n",
        );
        assert_eq!(r.unwrap().findings.len(), 1);
        // a NUL past the window with invalid bytes: text, as for git
        let mut late = b"fn a() { x.unwrap() }\n".to_vec();
        late.extend(std::iter::repeat_n(b' ', BINARY_WINDOW));
        late.extend(b"\0\xff");
        let r = scan_file(&set, &Prefilters::default(), file, &late);
        assert_eq!(r.unwrap().findings.len(), 1);
    }

    #[test]
    fn tokens_not_spellings() {
        let src = "fn a() {\n    todo !();\n    panic /* no */ !(\"x\");\n    let b = v.unwrap(\n    );\n    let c = Option::unwrap(w);\n    let d = v. expect(\"y\");\n    std :: dbg ! (1);\n    xs.map(Result::unwrap);\n}\n";
        let codes: Vec<(String, usize)> = scan("src/lib.rs", src)
            .into_iter()
            .map(|(c, l, _)| (c, l))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("SCN012".into(), 2),
                ("SCN017".into(), 3),
                ("SCN010".into(), 4),
                ("SCN010".into(), 6),
                ("SCN011".into(), 7),
                ("SCN014".into(), 8),
                ("SCN010".into(), 9)
            ]
        );
        // strings and comments still do not count, nor test code
        let quiet = "// todo !()\nlet s = \"v. expect(\";\n#[cfg(test)]\nmod t { fn f() { v.unwrap(\n); } }\n";
        assert!(
            scan("src/lib.rs", quiet).is_empty(),
            "{:?}",
            scan("src/lib.rs", quiet)
        );
    }

    #[test]
    fn inner_cfg_test_exempts_its_module_only() {
        let src =
            "mod m {\n    #![cfg(test)]\n    fn t() { a.unwrap() }\n}\nfn prod() { b.unwrap() }\n";
        assert_eq!(scan("src/lib.rs", src), vec![("SCN010".into(), 5, 15)]);
    }
}
