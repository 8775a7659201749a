//! A small lexer that marks comments and string literals, once per file, so that code
//! rules skip them. It is deliberately forgiving: it never fails, and where a language
//! is ambiguous (a Rust lifetime vs a char literal, a stray quote in C) it prefers to
//! end a string at the end of the line rather than swallow the rest of the file.

use super::lang::Syntax;
use memchr::{memchr, memchr2, memchr3};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Code,
    Comment,
    Str,
}

/// The comment and string spans of one file, sorted and non-overlapping; everything
/// else is code.
#[derive(Debug, Clone, Default)]
pub struct Regions {
    spans: Vec<(usize, usize, Region)>,
}

impl Regions {
    /// What the byte at `pos` belongs to.
    pub fn at(&self, pos: usize) -> Region {
        let i = self.spans.partition_point(|s| s.0 <= pos);
        match i.checked_sub(1).map(|i| self.spans[i]) {
            Some((_, end, kind)) if pos < end => kind,
            _ => Region::Code,
        }
    }

    /// The end of the comment or string that contains `pos`, or `pos` if it is code.
    pub fn skip(&self, pos: usize) -> usize {
        let i = self.spans.partition_point(|s| s.0 <= pos);
        match i.checked_sub(1).map(|i| self.spans[i]) {
            Some((_, end, _)) if pos < end => end,
            _ => pos,
        }
    }

    /// The comment and string spans, `(start, end, kind)`, in file order.
    pub fn spans(&self) -> &[(usize, usize, Region)] {
        &self.spans
    }

    fn push(&mut self, start: usize, end: usize, kind: Region) {
        if end > start {
            self.spans.push((start, end, kind));
        }
    }
}

/// Marks the comments and strings of `text`.
pub fn lex(syntax: Syntax, text: &[u8]) -> Regions {
    let mut out = Regions::default();
    match syntax {
        Syntax::Rust => lex_rust(text, &mut out),
        Syntax::CLike {
            backtick,
            triple_quote,
        } => lex_generic(
            text,
            &Generic {
                line: b"//",
                block: true,
                backtick,
                triple_quote,
                regex: false,
            },
            &mut out,
        ),
        Syntax::Js => lex_generic(
            text,
            &Generic {
                line: b"//",
                block: true,
                backtick: true,
                triple_quote: false,
                regex: true,
            },
            &mut out,
        ),
        Syntax::Hash { triple_quote } => lex_generic(
            text,
            &Generic {
                line: b"#",
                block: false,
                backtick: false,
                triple_quote,
                regex: false,
            },
            &mut out,
        ),
        Syntax::Dash => lex_generic(
            text,
            &Generic {
                line: b"--",
                block: true,
                backtick: false,
                triple_quote: false,
                regex: false,
            },
            &mut out,
        ),
    }
    out
}

fn line_end(t: &[u8], from: usize) -> usize {
    memchr(b'\n', &t[from..]).map_or(t.len(), |o| from + o)
}

/// The end (exclusive) of a `/* */` comment that starts at `start`.
fn block_comment_end(t: &[u8], start: usize, nested: bool) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(o) = memchr2(b'/', b'*', &t[i..]) {
        let p = i + o;
        match (t[p], t.get(p + 1)) {
            (b'/', Some(b'*')) if nested || depth == 0 => {
                depth += 1;
                i = p + 2;
            }
            (b'*', Some(b'/')) => {
                depth = depth.saturating_sub(1);
                i = p + 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i = p + 1,
        }
    }
    t.len()
}

/// The end (exclusive) of a quoted string whose body starts at `from`, honouring `\`
/// escapes. Single-line strings stop at a newline, so one stray quote cannot turn
/// the rest of the file into a string.
fn string_end(t: &[u8], from: usize, quote: u8, multiline: bool) -> usize {
    let mut i = from;
    loop {
        let next = if multiline {
            memchr2(quote, b'\\', &t[i..])
        } else {
            memchr3(quote, b'\\', b'\n', &t[i..])
        };
        let Some(o) = next else { return t.len() };
        let p = i + o;
        match t[p] {
            b'\\' => i = p + 2,
            b'\n' => return p,
            _ => return p + 1,
        }
        if i >= t.len() {
            return t.len();
        }
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn lex_rust(t: &[u8], out: &mut Regions) {
    let mut i = 0;
    while let Some(o) = memchr3(b'/', b'"', b'\'', &t[i..]) {
        let p = i + o;
        i = match t[p] {
            b'/' => match t.get(p + 1) {
                Some(b'/') => {
                    let end = line_end(t, p);
                    out.push(p, end, Region::Comment);
                    end
                }
                Some(b'*') => {
                    let end = block_comment_end(t, p, true);
                    out.push(p, end, Region::Comment);
                    end
                }
                _ => p + 1,
            },
            b'"' => {
                let end = match raw_hashes(t, p) {
                    Some(h) => raw_string_end(t, p + 1, h),
                    None => string_end(t, p + 1, b'"', true),
                };
                out.push(p, end, Region::Str);
                end
            }
            _ => match rust_char_end(t, p) {
                Some(end) => {
                    out.push(p, end, Region::Str);
                    end
                }
                None => p + 1,
            },
        };
    }
}

/// For a `"` at `q`, the number of `#` of a raw string prefix (`r"`, `r#"`, `br##"`,
/// `cr"`), or `None` for an ordinary string.
fn raw_hashes(t: &[u8], q: usize) -> Option<usize> {
    let mut j = q;
    while j > 0 && t[j - 1] == b'#' {
        j -= 1;
    }
    let hashes = q - j;
    if j == 0 || t[j - 1] != b'r' {
        return None;
    }
    let mut k = j - 1;
    if k > 0 && (t[k - 1] == b'b' || t[k - 1] == b'c') {
        k -= 1;
    }
    (k == 0 || !is_ident(t[k - 1])).then_some(hashes)
}

fn raw_string_end(t: &[u8], from: usize, hashes: usize) -> usize {
    let mut i = from;
    while let Some(o) = memchr(b'"', &t[i..]) {
        let p = i + o;
        let closing = t[p + 1..]
            .iter()
            .take(hashes)
            .filter(|&&b| b == b'#')
            .count();
        if closing == hashes {
            return p + 1 + hashes;
        }
        i = p + 1;
    }
    t.len()
}

/// A char literal (`'a'`, `'\n'`, `'\u{1F600}'`, `'é'`) starting at `p`; `None` when
/// the quote starts a lifetime or a label (`'a`, `'static`).
fn rust_char_end(t: &[u8], p: usize) -> Option<usize> {
    let first = *t.get(p + 1)?;
    if first == b'\\' {
        let from = p + 3;
        let window = t.get(from..(from + 10).min(t.len()))?;
        return memchr(b'\'', window).map(|o| from + o + 1);
    }
    if first == b'\'' || first == b'\n' {
        return None;
    }
    let width = utf8_width(first);
    (t.get(p + 1 + width) == Some(&b'\'')).then_some(p + 2 + width)
}

fn utf8_width(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

struct Generic {
    /// The line-comment opener.
    line: &'static [u8],
    /// `/* */` block comments.
    block: bool,
    /// Backtick strings (JavaScript templates, Go raw strings), which span lines.
    backtick: bool,
    /// `"""` / `'''` strings, which span lines.
    triple_quote: bool,
    /// JavaScript regular expression literals (`/["']/g`): a quote inside one is not
    /// a string, or the lexer would lose its place for the rest of the line.
    regex: bool,
}

fn lex_generic(t: &[u8], g: &Generic, out: &mut Regions) {
    let mut interesting = [false; 256];
    for b in [b'"', b'\'', g.line[0]] {
        interesting[b as usize] = true;
    }
    interesting[b'/' as usize] |= g.block || g.regex;
    interesting[b'`' as usize] |= g.backtick;
    let mut i = 0;
    while i < t.len() {
        let Some(o) = t[i..].iter().position(|&b| interesting[b as usize]) else {
            break;
        };
        let p = i + o;
        let rest = &t[p..];
        i = if rest.starts_with(g.line) {
            let end = line_end(t, p);
            out.push(p, end, Region::Comment);
            end
        } else if g.block && rest.starts_with(b"/*") {
            let end = block_comment_end(t, p, false);
            out.push(p, end, Region::Comment);
            end
        } else if g.triple_quote && (rest.starts_with(b"\"\"\"") || rest.starts_with(b"'''")) {
            let end = triple_end(t, p + 3, &rest[..3]);
            out.push(p, end, Region::Str);
            end
        } else if rest[0] == b'"' || rest[0] == b'\'' {
            let end = string_end(t, p + 1, rest[0], false);
            out.push(p, end, Region::Str);
            end
        } else if g.backtick && rest[0] == b'`' {
            let end = string_end(t, p + 1, b'`', true);
            out.push(p, end, Region::Str);
            end
        } else if g.regex && rest[0] == b'/' && regex_may_start(t, p) {
            let end = regex_end(t, p + 1);
            out.push(p, end, Region::Str);
            end
        } else {
            p + 1
        };
    }
}

/// Whether a `/` at `p` starts a regular expression literal rather than a division:
/// the previous token is an operator, an opening bracket, a separator, a keyword
/// that takes an expression, or nothing (the usual rule of JavaScript tokenizers).
fn regex_may_start(t: &[u8], p: usize) -> bool {
    let mut j = p;
    while j > 0 && t[j - 1].is_ascii_whitespace() {
        j -= 1;
    }
    let Some(&prev) = j.checked_sub(1).and_then(|k| t.get(k)) else {
        return true;
    };
    if is_ident(prev) {
        let mut k = j;
        while k > 0 && is_ident(t[k - 1]) {
            k -= 1;
        }
        const KEYWORDS: &[&[u8]] = &[
            b"return",
            b"typeof",
            b"instanceof",
            b"in",
            b"of",
            b"new",
            b"delete",
            b"void",
            b"throw",
            b"case",
            b"do",
            b"else",
            b"yield",
            b"await",
        ];
        return KEYWORDS.contains(&&t[k..j]);
    }
    !matches!(prev, b')' | b']' | b'}' | b'"' | b'\'' | b'`')
}

/// The end (exclusive) of a regular expression literal whose body starts at `from`:
/// after the closing `/` (and its flags), honouring `\` escapes and `[...]` classes,
/// in which a `/` does not close. It never crosses a newline.
fn regex_end(t: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut class = false;
    while i < t.len() {
        match t[i] {
            b'\\' => i += 1,
            b'\n' => return i,
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => {
                i += 1;
                while i < t.len() && t[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return i;
            }
            _ => {}
        }
        i += 1;
    }
    t.len()
}

fn triple_end(t: &[u8], from: usize, delim: &[u8]) -> usize {
    memchr::memmem::find(&t[from..], delim).map_or(t.len(), |o| from + o + 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(syntax: Syntax, src: &str, needle: &str) -> Vec<Region> {
        let r = lex(syntax, src.as_bytes());
        src.match_indices(needle).map(|(i, _)| r.at(i)).collect()
    }

    #[test]
    fn rust_comments_strings_chars_lifetimes() {
        use Region::*;
        let src = r####"
x.unwrap(); // x.unwrap()
/* outer /* x.unwrap() */ x.unwrap() */ x.unwrap();
let s = "say \"x.unwrap()\""; x.unwrap();
let r = r##"x.unwrap() "# x.unwrap()"##; x.unwrap();
fn f<'a>(c: char) { if c == '"' { x.unwrap() } let q = '\''; x.unwrap(); }
let b = b'x'; let e = 'é'; x.unwrap(); 'outer: loop { x.unwrap() }
"####;
        assert_eq!(
            kinds(Syntax::Rust, src, "x.unwrap()"),
            vec![
                Code, Comment, Comment, Comment, Code, Str, Code, Str, Str, Code, Code, Code, Code,
                Code
            ]
        );
    }

    #[test]
    fn unterminated_constructs_end_at_eof() {
        let r = lex(Syntax::Rust, b"/* open");
        assert_eq!(r.at(3), Region::Comment);
        let r = lex(Syntax::Rust, b"\"open");
        assert_eq!(r.at(3), Region::Str);
    }

    #[test]
    fn generic_languages() {
        use Region::*;
        let ts = Syntax::CLike {
            backtick: true,
            triple_quote: false,
        };
        let src = "console.log(1); // console.log\nconst s = `console.log ${a}`; const t = 'it\\'s'; console.log(2)\n";
        assert_eq!(
            kinds(ts, src, "console.log"),
            vec![Code, Comment, Str, Code]
        );
        let py = Syntax::Hash { triple_quote: true };
        let src = "x = 'a#b'  # TODO\n\"\"\"TODO\nTODO\"\"\"\nTODO\n";
        assert_eq!(kinds(py, src, "TODO"), vec![Comment, Str, Str, Code]);
        // a stray quote only swallows its own line
        let c = Syntax::CLike {
            backtick: false,
            triple_quote: false,
        };
        assert_eq!(kinds(c, "a = \"open\nTODO\n", "TODO"), vec![Code]);
        assert_eq!(
            kinds(Syntax::Dash, "-- TODO\nTODO", "TODO"),
            vec![Comment, Code]
        );
    }

    #[test]
    fn js_regex_literals_hold_quotes_without_desyncing() {
        use Region::*;
        let src = "const q = /[\"']/g; console.log(q)
if (/\\/\"/.test(s)) console.log(s)
const r = a / b / c; console.log(r) // console.log
return /'/.test(x) && console.log(x)
";
        assert_eq!(
            kinds(Syntax::Js, src, "console.log"),
            vec![Code, Code, Code, Comment, Code]
        );
        // before: the quote inside the literal opened a string to the end of the line
        let old = Syntax::CLike {
            backtick: true,
            triple_quote: false,
        };
        assert_eq!(kinds(old, src, "console.log")[0], Str);
    }
}
