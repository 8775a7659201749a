//! Rust test code inside production files: items under `#[cfg(test)]` and functions
//! marked `#[test]` (or `#[tokio::test]`, `#[bench]`, ...), each matched to its own
//! closing brace, not to the end of the file. An inner `#![cfg(test)]` makes test code
//! of the item it stands in (`mod m { #![cfg(test)] ... }` exempts `m` only), or of the
//! whole file at its top level.

use super::lex::{Region, Regions};
use memchr::{memchr, memchr2};

/// Sorted byte ranges of test code.
pub fn test_ranges(t: &[u8], regions: &Regions) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut blocks = Blocks::default();
    let mut i = 0;
    while let Some(o) = memchr(b'#', &t[i..]) {
        let p = i + o;
        i = p + 1;
        if regions.at(p) != Region::Code {
            continue;
        }
        let Some((inner, close, content)) = attribute(t, p, regions) else {
            continue;
        };
        if !is_test_attribute(&content) {
            i = close + 1;
            continue;
        }
        if inner {
            match blocks.enclosing(t, p, regions) {
                None => return vec![(0, t.len())],
                Some(open) => {
                    let end = closing_brace(t, open, regions);
                    out.push((open, end));
                    i = end.max(p + 1);
                }
            }
            continue;
        }
        let end = item_end(t, close + 1, regions);
        out.push((p, end));
        i = end.max(p + 1);
    }
    merge(out)
}

/// The blocks open at a position, tracked forward once over the file (positions asked
/// for only grow), so many inner attributes cost one pass.
#[derive(Default)]
struct Blocks {
    open: Vec<usize>,
    scanned: usize,
}

impl Blocks {
    /// The `{` of the innermost block still open at `p` (code only), if any.
    fn enclosing(&mut self, t: &[u8], p: usize, regions: &Regions) -> Option<usize> {
        let mut i = self.scanned.min(p);
        while let Some(o) = memchr2(b'{', b'}', &t[i..p]) {
            let q = i + o;
            i = q + 1;
            if regions.at(q) != Region::Code {
                continue;
            }
            if t[q] == b'{' {
                self.open.push(q);
            } else {
                self.open.pop();
            }
        }
        self.scanned = self.scanned.max(p);
        self.open.last().copied()
    }
}

/// Sorted, non-overlapping ranges (an inner attribute's block may start before a
/// range found earlier inside it).
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Parses `#[...]` / `#![...]` at `p`: (inner, index of `]`, content without spaces).
fn attribute(t: &[u8], p: usize, regions: &Regions) -> Option<(bool, usize, String)> {
    let mut j = p + 1;
    let inner = t.get(j) == Some(&b'!');
    if inner {
        j += 1;
    }
    while t.get(j).is_some_and(u8::is_ascii_whitespace) {
        j += 1;
    }
    if t.get(j) != Some(&b'[') {
        return None;
    }
    let open = j;
    let mut depth = 0usize;
    let mut k = open;
    while k < t.len() {
        let skipped = regions.skip(k);
        if skipped != k {
            k = skipped;
            continue;
        }
        match t[k] {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    let content: String = String::from_utf8_lossy(&t[open + 1..k])
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    return Some((inner, k, content));
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

fn is_test_attribute(content: &str) -> bool {
    match content {
        "test" | "cfg(test)" | "bench" | "rstest" | "quickcheck" | "test_case" => true,
        c if c.ends_with("::test") || c.starts_with("test_case(") || c.starts_with("rstest(") => {
            true
        }
        c => c
            .strip_prefix("cfg(all(")
            .and_then(|r| r.strip_suffix("))"))
            .is_some_and(|args| args.split(',').any(|a| a == "test")),
    }
}

/// The end of the item that starts at `from`: after its `;`, or after the brace that
/// closes its body.
fn item_end(t: &[u8], from: usize, regions: &Regions) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < t.len() {
        let skipped = regions.skip(i);
        if skipped != i {
            i = skipped;
            continue;
        }
        match t[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => return i + 1,
            b'{' if depth == 0 => return closing_brace(t, i, regions),
            _ => {}
        }
        i += 1;
    }
    t.len()
}

/// The index after the `}` that closes the `{` at `open`.
fn closing_brace(t: &[u8], open: usize, regions: &Regions) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while let Some(o) = memchr2(b'{', b'}', &t[i..]) {
        let p = i + o;
        i = p + 1;
        if regions.at(p) != Region::Code {
            continue;
        }
        if t[p] == b'{' {
            depth += 1;
        } else {
            depth -= 1;
            if depth == 0 {
                return p + 1;
            }
        }
    }
    t.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lang::Syntax;
    use crate::scan::lex::lex;

    fn ranges(src: &str) -> Vec<&str> {
        let r = lex(Syntax::Rust, src.as_bytes());
        test_ranges(src.as_bytes(), &r)
            .into_iter()
            .map(|(a, b)| &src[a..b])
            .collect()
    }

    #[test]
    fn cfg_test_module_ends_at_its_brace() {
        let src = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { let s = \"}\"; }\n}\nfn after() { x.unwrap() }\n";
        assert_eq!(
            ranges(src),
            vec!["#[cfg(test)]\nmod tests {\n    fn b() { let s = \"}\"; }\n}"]
        );
    }

    #[test]
    fn test_functions_and_variants() {
        let src = "#[test]\nfn t() -> Result<(), E> { Ok(()) }\nfn prod() {}\n#[tokio::test]\nasync fn u() {}\n#[cfg(all(test, feature = \"x\"))]\nuse foo;\n#[cfg(feature = \"test\")]\nfn not_test() {}\n#[derive(Debug)]\nstruct S;\n";
        assert_eq!(
            ranges(src),
            vec![
                "#[test]\nfn t() -> Result<(), E> { Ok(()) }",
                "#[tokio::test]\nasync fn u() {}",
                "#[cfg(all(test, feature = \"x\"))]\nuse foo;"
            ]
        );
    }

    #[test]
    fn inner_cfg_test_covers_the_file() {
        let src = "#![cfg(test)]\nfn a() {}\n";
        assert_eq!(ranges(src), vec![src]);
    }

    #[test]
    fn inner_cfg_test_in_a_module_covers_that_module_only() {
        let src = "fn prod() { x.unwrap() }\nmod m {\n    #![cfg(test)]\n    fn t() {}\n}\nfn after() { y.unwrap() }\n";
        assert_eq!(ranges(src), vec!["{\n    #![cfg(test)]\n    fn t() {}\n}"]);
    }

    #[test]
    fn attributes_in_comments_and_strings_do_not_count() {
        let src = "// #[cfg(test)]\nfn a() {}\nconst S: &str = \"#[test]\";\nfn b() {}\n";
        assert!(ranges(src).is_empty());
    }
}
