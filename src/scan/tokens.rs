//! The code of a file as a stream of tokens: comments dropped and the whitespace
//! between tokens taken out, so that code rules match tokens, not spellings.
//! `todo !()`, `panic /* */ !()`, `v.unwrap(⏎)` and `v. expect(` all read as the
//! compact form (`todo!()`, `v.unwrap()`, `v.expect(`) a rule is written for. Two
//! identifier characters that were apart stay apart by one space (`return x` never
//! becomes `returnx`); string literals are kept as they are. Every byte of the view
//! remembers where it came from, so findings point into the file.

use super::lex::{Region, Regions};

#[derive(Debug, Default)]
pub struct CodeView {
    pub text: Vec<u8>,
    /// For each byte of `text`, its offset in the file (files gov scans are far below
    /// 4 GB; `u32` halves the view's memory).
    pub origin: Vec<u32>,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl CodeView {
    pub fn new(t: &[u8], regions: &Regions) -> CodeView {
        let mut v = CodeView {
            text: Vec::with_capacity(t.len()),
            origin: Vec::with_capacity(t.len()),
        };
        // start of the whitespace or comment run since the last byte kept
        let mut gap: Option<usize> = None;
        let mut at = 0;
        for &(start, end, kind) in regions.spans() {
            v.code(t, at, start, &mut gap);
            match kind {
                Region::Comment => {
                    gap.get_or_insert(start);
                }
                _ => {
                    v.separate(t[start], &mut gap);
                    v.text.extend_from_slice(&t[start..end]);
                    v.origin.extend((start..end).map(|i| i as u32));
                }
            }
            at = end;
        }
        v.code(t, at, t.len(), &mut gap);
        v
    }

    /// Keeps the code bytes of `t[from..to]`, dropping whitespace between tokens.
    fn code(&mut self, t: &[u8], from: usize, to: usize, gap: &mut Option<usize>) {
        for (i, &b) in t.iter().enumerate().take(to).skip(from) {
            if b.is_ascii_whitespace() {
                gap.get_or_insert(i);
                continue;
            }
            self.separate(b, gap);
            self.text.push(b);
            self.origin.push(i as u32);
        }
    }

    /// Ends a gap before `next`: one space when it separated two identifiers.
    fn separate(&mut self, next: u8, gap: &mut Option<usize>) {
        if let Some(g) = gap.take() {
            if self.text.last().is_some_and(|&p| is_ident(p)) && is_ident(next) {
                self.text.push(b' ');
                self.origin.push(g as u32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lang::Syntax;
    use crate::scan::lex::lex;

    fn view(src: &str) -> String {
        let r = lex(Syntax::Rust, src.as_bytes());
        String::from_utf8(CodeView::new(src.as_bytes(), &r).text).unwrap()
    }

    #[test]
    fn tokens_not_spellings() {
        assert_eq!(view("todo !()"), "todo!()");
        assert_eq!(
            view("panic /* hidden */ ! ( \"a  b\" )"),
            "panic!(\"a  b\")"
        );
        assert_eq!(view("let x = v.unwrap(\n);"), "let x=v.unwrap();");
        assert_eq!(view("v. expect // why\n (\"x\")"), "v.expect(\"x\")");
        assert_eq!(view("return   x"), "return x");
        assert_eq!(view("std :: process :: exit"), "std::process::exit");
    }

    #[test]
    fn origins_point_into_the_file() {
        let src = "a /* c */ .\n unwrap()";
        let r = lex(Syntax::Rust, src.as_bytes());
        let v = CodeView::new(src.as_bytes(), &r);
        assert_eq!(v.text, b"a.unwrap()");
        let u = v.text.iter().position(|&b| b == b'u').unwrap();
        let o = v.origin[u] as usize;
        assert_eq!(&src[o..o + 6], "unwrap");
    }
}
