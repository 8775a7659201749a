//! The placeholder tokens, found by hand. The regular expressions they replace (kept in
//! the tests, which compare both on generated lines) cost about a third of a warm
//! pre-work run to compile, for a scan of one packet. Each finder returns the match
//! `Regex::find_at` would: the leftmost start at or after `at`, the first alternative
//! matching there, never empty; [`matches`] iterates them like `Regex::find_iter`.

use std::ops::Range;

/// Non-overlapping matches, each search starting where the previous match ended (a
/// boundary check may still look at the byte before, as the regex does).
pub fn matches<'t>(
    text: &'t str,
    mut find: impl FnMut(&'t str, usize) -> Option<Range<usize>> + 't,
) -> impl Iterator<Item = Range<usize>> + 't {
    let mut at = 0;
    std::iter::from_fn(move || {
        let m = find(text, at)?;
        at = m.end;
        Some(m)
    })
}

/// `\{\{[^{}\n]+\}\}`: a template token such as `{{WP_ID}}`.
pub fn template(text: &str, at: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut from = at;
    while let Some(i) = memchr::memmem::find(b.get(from..)?, b"{{") {
        let p = from + i;
        let end = run_end(b, p + 2);
        if end > p + 2 && b.get(end..end + 2) == Some(b"}}") {
            return Some(p..end + 2);
        }
        from = p + 1;
    }
    None
}

/// The prose placeholders, in the order of the alternation they replace (the test's
/// `prose_regex`): the caseless `<fill>`, `<pending>` and `<paste ...>`, the to-do
/// and fix-me markers between ASCII word boundaries, `???`, and `{hint}`. No two
/// alternatives can match at the same start (they differ by their first two
/// characters), so the first one found at the leftmost start is the regex's.
pub fn prose(text: &str, at: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    (at..b.len()).find_map(|i| {
        let end = match b[i] {
            b'<' => angle(text, i + 1),
            b'T' if !is_word(b, i.wrapping_sub(1)) => {
                if b[i..].starts_with(b"TODO(TBD)") {
                    Some(i + 9)
                } else {
                    word(b, i, b"TBD")
                }
            }
            b'F' if !is_word(b, i.wrapping_sub(1)) => word(b, i, b"FIXME"),
            b'?' => b[i..].starts_with(b"???").then_some(i + 3),
            b'{' => single_braces(b, i),
            _ => None,
        };
        end.map(|end| i..end)
    })
}

/// `\{+[^{}\n]+\}+`: a brace group, the shape of every hint in gov's templates.
pub fn brace_group(text: &str, at: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut from = at;
    while let Some(i) = memchr::memchr(b'{', b.get(from..)?) {
        let p = from + i;
        let open = p + b[p..].iter().take_while(|&&c| c == b'{').count();
        let end = run_end(b, open);
        if end > open && b.get(end) == Some(&b'}') {
            let close = end + b[end..].iter().take_while(|&&c| c == b'}').count();
            return Some(p..close);
        }
        from = p + 1;
    }
    None
}

/// A sorted set of literal hints, searched as the alternation of them in sorted order
/// (leftmost start, then the first literal in that order) would be.
#[derive(Debug)]
pub struct Literals(Vec<&'static str>);

impl Literals {
    /// Every literal must be `{`, text without braces or newlines, then one or more `}`.
    pub fn new(mut literals: Vec<&'static str>) -> Self {
        literals.sort_unstable();
        literals.dedup();
        debug_assert!(literals
            .iter()
            .all(|l| brace_group(l, 0) == Some(0..l.len()) && !l.starts_with("{{")));
        Literals(literals)
    }

    pub fn find(&self, text: &str, at: usize) -> Option<Range<usize>> {
        let b = text.as_bytes();
        let mut from = at;
        while let Some(i) = memchr::memchr(b'{', b.get(from..)?) {
            let p = from + i;
            // a literal found at `p` spans exactly the text's run after `{` and some of
            // the `}` after it; the fewest braces is the prefix, first in sorted order
            let end = run_end(b, p + 1);
            if end > p + 1 {
                let closing = b[end..].iter().take_while(|&&c| c == b'}').count();
                if let Some(k) =
                    (1..=closing).find(|k| self.0.binary_search(&&text[p..end + k]).is_ok())
                {
                    return Some(p..end + k);
                }
            }
            from = p + 1;
        }
        None
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.find(text, 0).is_some()
    }
}

/// `(?i:<fill>|<pending>|<paste[^>\n]*>)` after its `<`, at `i`.
fn angle(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let closed = |end: usize| (b.get(end) == Some(&b'>')).then_some(end + 1);
    if let Some(end) = caseless(text, i, "fill") {
        return closed(end);
    }
    if let Some(end) = caseless(text, i, "pending") {
        return closed(end);
    }
    let end = caseless(text, i, "paste")?;
    let stop = memchr::memchr2(b'>', b'\n', &b[end..])?;
    closed(end + stop)
}

/// The end of `word` (ASCII lowercase) at `i`, compared as `(?i)` compares: by Unicode
/// simple case folding, which adds `ſ` (U+017F) to `s` among these letters (and the
/// Kelvin sign to `k`, for completeness).
fn caseless(text: &str, i: usize, word: &str) -> Option<usize> {
    let mut end = i;
    for w in word.chars() {
        let c = text.get(end..)?.chars().next()?;
        let folds = c.to_ascii_lowercase() == w
            || (w == 's' && c == '\u{17F}')
            || (w == 'k' && c == '\u{212A}');
        if !folds {
            return None;
        }
        end += c.len_utf8();
    }
    Some(end)
}

/// `word(?-u:\b)` at `i` (the boundary before is the caller's).
fn word(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    let end = i + word.len();
    (b[i..].starts_with(word) && !is_word(b, end)).then_some(end)
}

/// `\{[^{}\n]+\}` at `p`.
fn single_braces(b: &[u8], p: usize) -> Option<usize> {
    let end = run_end(b, p + 1);
    (end > p + 1 && b.get(end) == Some(&b'}')).then_some(end + 1)
}

/// The first `{`, `}` or newline at or after `from` (the length when none): the end of
/// a `[^{}\n]+` run. Those are ASCII, so a byte scan cuts no character.
fn run_end(b: &[u8], from: usize) -> usize {
    let rest = b.get(from..).unwrap_or_default();
    memchr::memchr3(b'{', b'}', b'\n', rest).map_or(b.len(), |i| from + i)
}

/// An ASCII word byte at `i` (`(?-u:\b)` looks at bytes); out of range is not.
fn is_word(b: &[u8], i: usize) -> bool {
    b.get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The expressions the finders replace, verbatim.
    fn template_regex() -> Regex {
        Regex::new(r"\{\{[^{}\n]+\}\}").unwrap()
    }
    fn prose_regex() -> Regex {
        Regex::new(r"(?i:<fill>|<pending>|<paste[^>\n]*>)|(?-u:\b)TODO\(TBD\)|(?-u:\b)TBD(?-u:\b)|(?-u:\b)FIXME(?-u:\b)|\?\?\?|\{[^{}\n]+\}").unwrap()
    }
    fn group_regex() -> Regex {
        Regex::new(r"\{+[^{}\n]+\}+").unwrap()
    }
    /// The hints as the regex was built: escaped, sorted, joined.
    fn literals_regex(literals: &[&str]) -> Regex {
        let mut escaped: Vec<String> = literals.iter().map(|l| regex::escape(l)).collect();
        escaped.sort();
        escaped.dedup();
        Regex::new(&escaped.join("|")).unwrap()
    }

    /// Pieces that start, end, or break a token, and what sits next to one.
    const PIECES: &[&str] = &[
        "<fill>",
        "<FiLL>",
        "<fill",
        "<pending>",
        "<PENDING",
        "<paste",
        "<PASTE here>",
        "<paſte>",
        "ſ",
        "<",
        ">",
        "TODO(TBD)",
        "TODO",
        "(TBD)",
        "TBD",
        "tbd",
        "FIXME",
        "FIXMEs",
        "fixme",
        "?",
        "??",
        "???",
        "{",
        "}",
        "{{",
        "}}",
        "{x}",
        "{{X}}",
        "{a b}}",
        "\n",
        " ",
        "a",
        "_",
        "1",
        "é",
        "Ω",
        "İ",
        "ı",
        "\u{212A}",
        "-",
        ":",
        ",",
        "{subsystem}",
        "{failure mode}",
        "{exact file path 1}",
    ];

    fn line() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..16).prop_map(|v| v.concat())
    }

    fn spans(re: &Regex, s: &str) -> Vec<Range<usize>> {
        re.find_iter(s).map(|m| m.range()).collect()
    }

    /// The finder answers as the regex at every character boundary, and iterates as it.
    fn same(re: &Regex, find: impl Fn(&str, usize) -> Option<Range<usize>>, s: &str) {
        for at in (0..=s.len()).filter(|&at| s.is_char_boundary(at)) {
            let by_regex = re.find_at(s, at).map(|m| m.range());
            assert_eq!(find(s, at), by_regex, "{s:?} at {at}");
        }
        let found: Vec<_> = matches(s, &find).collect();
        assert_eq!(found, spans(re, s), "{s:?}");
    }

    fn hints() -> Vec<&'static str> {
        vec![
            "{subsystem}",
            "{failure mode}",
            "{exact file path 1}",
            "{x}}",
            "{x}",
            "{a b}}}",
            "{e.g. §2.3}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

        #[test]
        fn template_is_the_regex(s in line()) {
            same(&template_regex(), template, &s);
        }

        #[test]
        fn prose_is_the_regex(s in line()) {
            same(&prose_regex(), prose, &s);
        }

        #[test]
        fn brace_group_is_the_regex(s in line()) {
            same(&group_regex(), brace_group, &s);
        }

        #[test]
        fn literals_are_the_alternation(s in line()) {
            let literals = Literals::new(hints());
            same(&literals_regex(&hints()), |t, at| literals.find(t, at), &s);
            prop_assert_eq!(literals.is_match(&s), literals_regex(&hints()).is_match(&s));
        }
    }

    fn found(find: fn(&str, usize) -> Option<Range<usize>>, s: &str) -> Vec<&str> {
        matches(s, find).map(|m| &s[m]).collect()
    }

    #[test]
    fn templates() {
        assert_eq!(
            found(template, "a {{WP_ID}} b {{ X }}"),
            ["{{WP_ID}}", "{{ X }}"]
        );
        assert_eq!(found(template, "{{{X}}} {{}} {{a\nb}} {{x}"), ["{{X}}"]);
        assert_eq!(found(template, "{{é}}"), ["{{é}}"]);
        assert!(found(template, "{x} {{").is_empty());
    }

    #[test]
    fn prose_tokens() {
        assert_eq!(
            found(prose, "<FILL> <Pending> <paste the log>"),
            ["<FILL>", "<Pending>", "<paste the log>"]
        );
        assert_eq!(found(prose, "<paſte> <paste\n>"), ["<paſte>"]);
        assert!(found(prose, "<fil> <fill <pendingx> <paste").is_empty());
        assert_eq!(
            found(prose, "TODO(TBD) xTODO TBD_ TBD. éTBD"),
            ["TODO(TBD)", "TBD", "TBD"]
        );
        assert_eq!(
            found(prose, "FIXME FIXME1 1FIXME fixme FIXME"),
            ["FIXME", "FIXME"]
        );
        // a word byte before TODO: the `(TBD)` inside is still a TBD
        assert_eq!(prose("xTODO(TBD)", 0), Some(6..9));
        assert_eq!(found(prose, "???? ??"), ["???"]);
        assert_eq!(found(prose, "{a} {} {{b}} {c\n}"), ["{a}", "{b}"]);
        // a boundary looks back past where the search starts, as the regex does
        assert_eq!(prose("xTBD", 1), None);
        assert_eq!(prose("x TBD", 1), Some(2..5));
    }

    #[test]
    fn groups() {
        assert_eq!(
            found(brace_group, "{{a}} {b}}} {c} {}} {d\n}"),
            ["{{a}}", "{b}}}", "{c}"]
        );
        assert_eq!(found(brace_group, "{{{\n{x}"), ["{x}"]);
    }

    #[test]
    fn literals_take_the_first_in_sorted_order() {
        let l = Literals::new(vec!["{x}}", "{x}", "{y}}"]);
        assert_eq!(l.find("{x}}}", 0), Some(0..3));
        assert_eq!(l.find("{y}", 0), None);
        assert_eq!(l.find("a{y}}}", 0), Some(1..5));
        assert_eq!(l.find("{{x}", 0), Some(1..4));
        assert!(!l.is_match("{z}"));
    }

    /// The one case folding the words need beyond ASCII, checked against every char.
    #[test]
    fn caseless_is_the_regex_case_folding() {
        let all: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        let text: String = all.iter().collect();
        for w in "filpendgastk".chars() {
            let re = Regex::new(&format!("(?i:{w})")).unwrap();
            let by_regex: Vec<&str> = re.find_iter(&text).map(|m| m.as_str()).collect();
            let mut mine = Vec::new();
            let mut at = 0;
            for c in &all {
                if caseless(&text, at, &w.to_string()) == Some(at + c.len_utf8()) {
                    mine.push(&text[at..at + c.len_utf8()]);
                }
                at += c.len_utf8();
            }
            assert_eq!(mine, by_regex, "{w}");
        }
    }
}
