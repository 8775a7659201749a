//! Fields of a governance document. Real packets write a field as a heading
//! (`## DONE_MEANS`, `### RISK_TIER: HIGH`), as a bullet (`- **IN_SCOPE_PATHS**:` with
//! nested items), or as a bold line in prose (`**Status:** In Progress`). This module
//! finds every such opener on the classified lines and works out which lines belong
//! to it, so document parsers can ask for fields by name.

use crate::markdown::{LineKind, MdDoc};
use crate::text::{normalize_name, strip_decoration};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    Heading(u8),
    Item,
    Line,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The key as written, decoration removed (`IN_SCOPE_PATHS`, `Status`).
    pub key: String,
    /// `normalize_name(key)`: the form used for look-ups.
    pub name: String,
    /// `text::bytes_hash(name)`: a look-up compares the text only where this agrees.
    pub name_hash: u64,
    pub opener: Opener,
    /// 0-based index of the opening line.
    pub line: usize,
    /// List depth of the opening line.
    pub depth: u32,
    /// Inline value after the `:` (or after the heading name), trimmed.
    pub value: String,
    /// Byte offset of `value` in the source.
    pub value_offset: usize,
    /// 0-based line indices belonging to the field, after the opening line.
    pub body: Range<usize>,
}

impl Field {
    pub fn is_empty(&self, doc: &MdDoc) -> bool {
        self.value_is_blank()
            && self
                .body
                .clone()
                .all(|i| doc.is_invisible(i) || is_fence_only(doc, i))
    }

    fn value_is_blank(&self) -> bool {
        strip_decoration(&self.value).is_empty()
    }
}

fn is_fence_only(doc: &MdDoc, i: usize) -> bool {
    doc.lines[i].kind == LineKind::CodeFence
        && doc.code_blocks[doc.lines[i].code_block.unwrap_or(0)]
            .lines
            .is_empty()
}

/// A `KEY: value` split of a prose or item line. Keys are short, start with a letter
/// and may be wrapped in `**`/`*`/`` ` ``; the colon may sit inside or outside the bold.
pub fn split_key_value(content: &str) -> Option<(String, usize)> {
    let s = content.trim_start();
    let lead = content.len() - s.len();
    // a key is at most 64 bytes: no need to look for the colon further (every line of
    // every document passes here)
    let colon = memchr::memchr(b':', &s.as_bytes()[..s.len().min(65)])?;
    if colon == 0 || colon > 64 {
        return None;
    }
    let raw_key = &s[..colon];
    let key = raw_key
        .trim()
        .trim_matches(|c| c == '*' || c == '`' || c == '_' && raw_key.starts_with("__"))
        .trim();
    // `trim_end_matches("**")`, without building a substring searcher per line
    let mut key = key;
    while let Some(k) = key.strip_suffix("**") {
        key = k;
    }
    let key = key.trim();
    let key_ok = key.starts_with(|c: char| c.is_alphabetic())
        && key.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '&' | '/' | '.' | '(' | ')')
        })
        && key.split_whitespace().count() <= 6;
    if !key_ok {
        return None;
    }
    // value begins after the colon and any closing emphasis that wraps the key
    let mut v = colon + 1;
    let bytes = s.as_bytes();
    while v < bytes.len() && (bytes[v] == b'*' || bytes[v] == b'`') {
        v += 1;
    }
    // reject URLs and times: `http://`, `10:30`
    if s[v..].starts_with("//") || (key.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Some((key.to_string(), lead + v))
}

/// Heading text split into a field name and an inline value:
/// `RISK_TIER: HIGH` → (`RISK_TIER`, `HIGH`); `BOOTSTRAP (Coder Work Plan)` → (`BOOTSTRAP`, ``);
/// `3. DONE_MEANS` → (`DONE_MEANS`, ``).
fn heading_key(content: &str) -> (String, usize) {
    let text = content.trim_end().trim_end_matches('#').trim_end();
    if let Some((key, v)) = split_key_value(text) {
        return (key, v);
    }
    let stripped = strip_heading_decoration(text);
    (stripped, text.len())
}

/// Removes numbering, emoji and trailing `(…)` / `[…]` groups from a heading title.
pub fn strip_heading_decoration(title: &str) -> String {
    let mut t = strip_decoration(title);
    loop {
        let trimmed = t.trim_end();
        let cut = if trimmed.ends_with(')') {
            trimmed.rfind('(')
        } else if trimmed.ends_with(']') {
            trimmed.rfind('[')
        } else {
            None
        };
        match cut {
            Some(i) if i > 0 => t = trimmed[..i].trim_end().to_string(),
            _ => break,
        }
    }
    let without_number = t
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_start();
    if without_number.len() < t.len()
        && !without_number.is_empty()
        && t.starts_with(|c: char| c.is_ascii_digit())
    {
        t = without_number.to_string();
    }
    t.trim().to_string()
}

/// Every field opener in the document, in order, with its body resolved.
pub fn collect(doc: &MdDoc) -> Vec<Field> {
    let mut fields = Vec::new();
    for i in 0..doc.lines.len() {
        if let Some(f) = opener_at(doc, i) {
            fields.push(f);
        }
    }
    for k in 0..fields.len() {
        let end = body_end(doc, &fields, k);
        fields[k].body = fields[k].line + 1..end;
    }
    fields
}

fn opener_at(doc: &MdDoc, i: usize) -> Option<Field> {
    let line = &doc.lines[i];
    let content = doc.content(i);
    let (opener, key, value_at) = match line.kind {
        LineKind::Heading(level) => {
            let (key, v) = heading_key(content);
            (Opener::Heading(level), key, v)
        }
        LineKind::ItemStart => {
            let (key, v) = split_key_value(content)?;
            (Opener::Item, key, v)
        }
        LineKind::Text => {
            if !(content.starts_with('*') || content.starts_with(|c: char| c.is_ascii_uppercase()))
            {
                return None;
            }
            let (key, v) = split_key_value(content)?;
            (Opener::Line, key, v)
        }
        _ => return None,
    };
    // most keys have nothing to strip: keep the string rather than copy it
    let key = match crate::text::strip_decoration_cow(&key) {
        std::borrow::Cow::Borrowed(b) if b.len() == key.len() => None,
        other => Some(other.into_owned()),
    }
    .unwrap_or(key);
    if key.is_empty() {
        return None;
    }
    let value_at = value_at.min(content.len());
    let raw_value = &content[value_at..];
    let trimmed = raw_value.trim();
    let value_offset = line.content + value_at + (raw_value.len() - raw_value.trim_start().len());
    let name = normalize_name(&key);
    Some(Field {
        name_hash: crate::text::bytes_hash(name.as_bytes()),
        name,
        key,
        opener,
        line: i,
        depth: line.depth,
        value: trimmed.to_string(),
        value_offset,
        body: i + 1..i + 1,
    })
}

/// Where field `k`'s body ends (exclusive line index).
fn body_end(doc: &MdDoc, fields: &[Field], k: usize) -> usize {
    let f = &fields[k];
    let n = doc.lines.len();
    let next_opener = |from: usize| fields[k + 1..].iter().find(|g| g.line >= from);
    let end = match f.opener {
        Opener::Heading(level) => (f.line + 1..n)
            .find(|&j| matches!(doc.lines[j].kind, LineKind::Heading(l) if l <= level))
            .unwrap_or(n),
        Opener::Item => item_body_end(doc, f, next_opener(f.line + 1).map(|g| g.line)),
        Opener::Line => {
            // look no further than the next opener: a scan to the end of the document
            // for every line field would be quadratic
            let next = next_opener(f.line + 1).map_or(n, |g| g.line);
            (f.line + 1..next)
                .find(|&j| {
                    matches!(doc.lines[j].kind, LineKind::Heading(_))
                        || (doc.lines[j].kind == LineKind::ItemStart
                            && doc.lines[j].depth <= f.depth)
                })
                .unwrap_or(next)
        }
    };
    trim_trailing_blank(doc, f.line + 1, end)
}

fn item_body_end(doc: &MdDoc, f: &Field, next_opener: Option<usize>) -> usize {
    let n = doc.lines.len();
    let mut j = f.line + 1;
    let mut owns_children = false;
    while j < n {
        let l = &doc.lines[j];
        let belongs = match l.kind {
            LineKind::Heading(_) => false,
            // comments and conflict markers are not seen: they neither end nor fill a body
            LineKind::Blank | LineKind::Comment | LineKind::Conflict => true,
            LineKind::ItemStart => l.depth > f.depth,
            _ => l.depth >= f.depth && f.depth > 0 || l.depth > f.depth,
        };
        if belongs {
            owns_children |= !doc.is_invisible(j);
            j += 1;
            continue;
        }
        // `- TEST_PLAN:` followed by an unindented fence: attach the lazy block
        let lazy = !owns_children
            && f.value.is_empty()
            && matches!(
                l.kind,
                LineKind::CodeFence | LineKind::Code | LineKind::Text | LineKind::TableRow
            )
            && next_opener != Some(j);
        if lazy {
            j += 1;
            continue;
        }
        break;
    }
    j
}

fn trim_trailing_blank(doc: &MdDoc, start: usize, mut end: usize) -> usize {
    while end > start && doc.is_invisible(end - 1) {
        end -= 1;
    }
    end
}

/// Key/value lines nested inside a field's body (`- Status: ...`, `- Blocker: ...`).
pub fn nested<'a>(fields: &'a [Field], parent: &Field) -> impl Iterator<Item = &'a Field> {
    let body = parent.body.clone();
    fields.iter().filter(move |f| body.contains(&f.line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Source;

    fn fields_of(text: &str) -> (MdDoc, Vec<Field>) {
        let doc = MdDoc::parse(Source::from_bytes("p.md", text.as_bytes()));
        let f = collect(&doc);
        (doc, f)
    }

    #[test]
    fn key_value_spellings() {
        for (s, k) in [
            ("STATUS: Ready", "STATUS"),
            ("**Status:** In Progress", "Status"),
            ("**RISK_TIER**: HIGH", "RISK_TIER"),
            ("`USER_SIGNATURE`: x", "USER_SIGNATURE"),
            (
                "Signature & Enrichment Log: x",
                "Signature & Enrichment Log",
            ),
        ] {
            assert_eq!(
                split_key_value(s).map(|(k, _)| k),
                Some(k.to_string()),
                "{s}"
            );
        }
        assert_eq!(split_key_value("see http://x"), None);
        assert_eq!(
            split_key_value("this is a long sentence with many words before: colon"),
            None
        );
    }

    #[test]
    fn heading_and_item_bodies() {
        let (doc, f) = fields_of("## Scope\n- IN_SCOPE_PATHS:\n  - src/a.rs\n  - src/b.rs\n- OUT_OF_SCOPE:\n  - ui\n\n## DONE_MEANS\n1. one\n2. two\n");
        let scope = f.iter().find(|x| x.name == "in scope paths").unwrap();
        let body: Vec<_> = scope.body.clone().map(|i| doc.content(i)).collect();
        assert_eq!(body, ["src/a.rs", "src/b.rs"]);
        let dm = f.iter().find(|x| x.name == "done means").unwrap();
        assert_eq!(dm.body.len(), 2);
    }

    #[test]
    fn lazy_fence_after_item() {
        let (doc, f) = fields_of("- TEST_PLAN:\n```bash\ncargo test\n```\n- BOOTSTRAP: x\n");
        let tp = f.iter().find(|x| x.name == "test plan").unwrap();
        assert!(tp.body.clone().any(|i| doc.content(i) == "cargo test"));
        assert!(!tp.body.contains(&4));
    }

    #[test]
    fn heading_decorations() {
        assert_eq!(
            strip_heading_decoration("BOOTSTRAP (Coder Work Plan)"),
            "BOOTSTRAP"
        );
        assert_eq!(
            strip_heading_decoration("LINEAGE_AUDIT (ALL VERSIONS) [CX-580E]"),
            "LINEAGE_AUDIT"
        );
        assert_eq!(
            strip_heading_decoration("🚨 PHASE 1 CLOSURE GATES (BLOCKING)"),
            "PHASE 1 CLOSURE GATES"
        );
        let (_, f) = fields_of("### RISK_TIER: HIGH\n");
        assert_eq!(f[0].value, "HIGH");
    }
}
