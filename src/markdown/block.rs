//! The tolerant block reader: one pass over the lines, classifying each the way a
//! person reading the rendered document would (CommonMark's block rules where they
//! agree with that reader, repairs where real documents break them).
//!
//! Repairs (FORMATS.md, "Markdown damage"):
//! - a fence closes only on a fence line, at any indentation: a fence indented under
//!   a list item whose lines are not indented stays one block;
//! - a fence opener with stray control bytes is a fence, and so is the mangled
//!   opener `` ` `` + U+0008 + `ash` (a ```` ```bash ```` whose `\b` became a
//!   backspace), closed by a lone backtick;
//! - a fence that never closes ends before the next `##`-or-deeper heading at the
//!   start of a line, with a warning, instead of swallowing the rest;
//! - HTML comments are not content: their lines are [`LineKind::Comment`] and their
//!   text is blanked out of what the model reads; so are zero-width and bidi
//!   characters;
//! - merge-conflict markers are their own kind, never a setext underline.
//!
//! Every step is linear in the document: searches ahead (fence closers, comment
//! ends, where a paragraph breaks) are memoised so no line is scanned twice per
//! question.

use super::conflict::{marker, Marker};
use super::doc::{CodeBlock, LineKind, MdLine};
use super::invisible;
use super::table::{is_delimiter_row, split_row};
use crate::diag::codes::gov;
use crate::diag::Diagnostic;
use crate::text::Source;
use std::collections::HashMap;
use std::ops::Range;

pub(super) struct Output {
    pub lines: Vec<MdLine>,
    pub code_blocks: Vec<CodeBlock>,
    pub code_spans: Vec<Range<usize>>,
    pub issues: Vec<Diagnostic>,
    pub visible: Option<String>,
}

pub(super) fn read(source: &Source) -> Output {
    let mut r = Reader::new(source);
    let n = r.lines.len();
    let mut i = 0;
    while i < n {
        i = r.line(i).max(i + 1);
    }
    r.finish()
}

/// The paragraph a line may continue lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Para {
    /// Plain paragraph text starting on `start`, at list depth `depth`: a setext
    /// underline can turn it into a heading.
    Text { start: usize, depth: usize },
    /// A list item's or block quote's paragraph.
    Other,
}

#[derive(Debug, Clone, Copy)]
enum HtmlEnd {
    Blank,
    Contains(&'static str),
}

struct Reader<'a> {
    src: &'a Source,
    text: &'a str,
    lines: Vec<MdLine>,
    code_blocks: Vec<CodeBlock>,
    code_spans: Vec<Range<usize>>,
    masks: Vec<Range<usize>>,
    issues: Vec<Diagnostic>,
    /// Content columns of the open list items, outermost first (increasing).
    items: Vec<usize>,
    para: Option<Para>,
    table: bool,
    html: Option<HtmlEnd>,
    /// The open indented code block and the blank lines waiting to join it.
    indented: Option<usize>,
    pending_blank: Vec<usize>,
    conflict_open: bool,
    has_comments: bool,
    /// Memo for `-->` searches: (searched from, found at).
    close_memo: Option<(usize, Option<usize>)>,
    /// Memo for paragraph breaks: (asked from, first break at).
    break_memo: Option<(usize, usize)>,
    /// Longest closing fence at or after each line, for backticks and tildes.
    closers: Option<[Vec<u32>; 2]>,
}

impl<'a> Reader<'a> {
    fn new(src: &'a Source) -> Self {
        let n = src.line_count();
        let text = src.text.as_str();
        let lines = (1..=n)
            .map(|ln| {
                let range = src.line_range(ln);
                let t = &text[range.clone()];
                let kind = if is_blank(t) {
                    LineKind::Blank
                } else {
                    LineKind::Text
                };
                MdLine {
                    content: range.start + leading_prose_markers(t),
                    range,
                    kind,
                    depth: 0,
                    code_block: None,
                }
            })
            .collect();
        Reader {
            src,
            text,
            lines,
            code_blocks: Vec::new(),
            code_spans: Vec::new(),
            masks: Vec::new(),
            issues: Vec::new(),
            items: Vec::new(),
            para: None,
            table: false,
            html: None,
            indented: None,
            pending_blank: Vec::new(),
            conflict_open: false,
            has_comments: memchr::memmem::find(text.as_bytes(), b"<!--").is_some(),
            close_memo: None,
            break_memo: None,
            closers: None,
        }
    }

    fn finish(mut self) -> Output {
        let mut masks = std::mem::take(&mut self.masks);
        masks.extend(invisible::ranges(self.text));
        let visible = if masks.is_empty() {
            None
        } else {
            masks.sort_by_key(|r| r.start);
            Some(invisible::blank_out(self.text, &masks))
        };
        self.code_spans.sort_by_key(|r| r.start);
        Output {
            lines: self.lines,
            code_blocks: self.code_blocks,
            code_spans: self.code_spans,
            issues: self.issues,
            visible,
        }
    }

    fn line_str(&self, i: usize) -> &'a str {
        &self.text[self.lines[i].range.clone()]
    }

    fn set(&mut self, i: usize, kind: LineKind, depth: usize) {
        let l = &mut self.lines[i];
        l.kind = kind;
        l.depth = depth as u32;
    }

    fn depth(&self) -> usize {
        self.items.len()
    }

    fn end_blocks(&mut self) {
        self.para = None;
        self.table = false;
        self.html = None;
        self.indented = None;
    }

    /// Classifies line `i`; returns the next line to look at.
    fn line(&mut self, i: usize) -> usize {
        let s = self.line_str(i);
        if let Some(m) = marker(s, self.conflict_open) {
            match m {
                Marker::Ours => self.conflict_open = true,
                Marker::Theirs => self.conflict_open = false,
                Marker::Base | Marker::Split => {}
            }
            self.flush_blanks();
            self.end_blocks();
            self.set(i, LineKind::Conflict, self.depth());
            return i + 1;
        }
        if is_blank(s) {
            self.para = None;
            self.table = false;
            if matches!(self.html, Some(HtmlEnd::Blank)) {
                self.html = None;
            }
            self.lines[i].depth = self.depth() as u32;
            self.pending_blank.push(i);
            return i + 1;
        }
        if let Some(end) = self.html {
            return self.html_line(i, end);
        }
        let (cols, ib) = indent(s);
        let fit = self.items.iter().take_while(|&&c| c <= cols).count();
        let base = if fit == 0 { 0 } else { self.items[fit - 1] };
        let rel = cols.saturating_sub(base);
        let rest = &s[ib..];
        let at = self.lines[i].range.start + ib;
        if rel >= 4 {
            return self.deep_line(i, fit);
        }
        self.indented = None;
        self.flush_blanks();
        if self.has_comments && rest.starts_with("<!--") {
            return self.block_comment(i, at);
        }
        if let Some((level, content)) = atx(rest) {
            self.items.truncate(fit);
            self.end_blocks();
            self.set(i, LineKind::Heading(level), fit);
            self.lines[i].content = at + content;
            return self.inline(i, at + content, false);
        }
        if let Some(f) = fence_open(rest) {
            self.items.truncate(fit);
            return self.open_fence(i, f);
        }
        if let Some(Para::Text { start, depth }) = self.para {
            if let Some(level) = setext(rest).filter(|_| fit == self.depth() && depth == fit) {
                for j in start..=i {
                    self.set(j, LineKind::Heading(level), fit);
                }
                self.para = None;
                return i + 1;
            }
        }
        if is_rule(rest) {
            self.items.truncate(fit);
            self.end_blocks();
            self.set(i, LineKind::Rule, fit);
            return i + 1;
        }
        if let Some(m) = list_marker(rest) {
            let starts_list = fit == self.depth();
            let interrupts = self.para.is_some() && starts_list;
            if !(interrupts && (m.empty || m.number.is_some_and(|n| n != 1))) {
                return self.item(i, fit, cols, at, rest, m);
            }
        }
        if rest.starts_with('>') {
            return self.quote(i, fit, at, rest);
        }
        if rest.starts_with('<') {
            if let Some(end) = html_start(rest, self.para.is_some()) {
                self.items.truncate(fit);
                self.end_blocks();
                self.html = Some(end);
                return self.html_line(i, end);
            }
        }
        if self.table {
            self.set(i, LineKind::TableRow, self.depth());
            return self.inline(i, at, false);
        }
        if rest.contains('|') && self.table_starts(i, rest) {
            self.items.truncate(fit);
            self.end_blocks();
            self.table = true;
            self.set(i, LineKind::TableRow, fit);
            self.set(i + 1, LineKind::TableRow, fit);
            self.inline(i, at, false);
            return i + 2;
        }
        match self.para {
            Some(_) => self.set(i, LineKind::Text, self.depth()),
            None => {
                self.items.truncate(fit);
                self.para = Some(Para::Text {
                    start: i,
                    depth: fit,
                });
                self.set(i, LineKind::Text, fit);
            }
        }
        self.inline(i, at, true)
    }

    /// A line indented four or more columns past its container: paragraph or table
    /// continuation, else indented code.
    fn deep_line(&mut self, i: usize, fit: usize) -> usize {
        let content = self.lines[i].content;
        if self.table {
            self.flush_blanks();
            self.set(i, LineKind::TableRow, self.depth());
            return self.inline(i, content, false);
        }
        if self.para.is_some() {
            self.set(i, LineKind::Text, self.depth());
            return self.inline(i, content, true);
        }
        self.items.truncate(fit);
        let idx = match self.indented {
            Some(idx) => {
                for b in std::mem::take(&mut self.pending_blank) {
                    self.set(b, LineKind::Code, fit);
                    self.lines[b].code_block = Some(idx);
                }
                idx
            }
            None => {
                self.flush_blanks();
                self.code_blocks.push(CodeBlock {
                    lang: None,
                    lines: i..i,
                });
                self.code_blocks.len() - 1
            }
        };
        self.indented = Some(idx);
        self.code_blocks[idx].lines.end = i + 1;
        self.set(i, LineKind::Code, fit);
        self.lines[i].code_block = Some(idx);
        i + 1
    }

    fn flush_blanks(&mut self) {
        self.pending_blank.clear();
    }

    fn item(
        &mut self,
        i: usize,
        fit: usize,
        cols: usize,
        at: usize,
        rest: &str,
        m: Marker2,
    ) -> usize {
        self.items.truncate(fit);
        self.end_blocks();
        let after = &rest[m.len..];
        let (sp_cols, sp_bytes) = indent(after);
        let width = if m.empty || sp_cols > 4 { 1 } else { sp_cols };
        self.items.push(cols + m.len + width);
        let depth = self.depth();
        self.set(i, LineKind::ItemStart, depth);
        if m.empty {
            self.lines[i].content = self.lines[i].range.end;
            return i + 1;
        }
        let content = at + m.len + sp_bytes;
        self.lines[i].content = content;
        if let Some(f) = fence_open(&after[sp_bytes..]) {
            return self.open_fence(i, f);
        }
        self.para = Some(Para::Other);
        self.inline(i, content, true)
    }

    fn quote(&mut self, i: usize, fit: usize, at: usize, rest: &str) -> usize {
        self.items.truncate(fit);
        self.end_blocks();
        let inner = rest.trim_start_matches(['>', ' ', '\t']);
        let inner_at = at + (rest.len() - inner.len());
        if let Some((level, content)) = atx(inner) {
            self.set(i, LineKind::Heading(level), fit);
            self.lines[i].content = inner_at + content;
            return self.inline(i, inner_at + content, false);
        }
        self.set(i, LineKind::Text, fit);
        self.para = Some(Para::Other);
        self.inline(i, inner_at, true)
    }

    fn html_line(&mut self, i: usize, end: HtmlEnd) -> usize {
        self.flush_blanks();
        self.set(i, LineKind::Html, self.depth());
        if let HtmlEnd::Contains(needle) = end {
            if contains_ignore_case(self.line_str(i), needle) {
                self.html = None;
            }
        }
        let start = self.lines[i].range.start;
        self.comments_only(i, start)
    }

    fn table_starts(&self, i: usize, header: &str) -> bool {
        let Some(next) = self.lines.get(i + 1) else {
            return false;
        };
        let delim = &self.text[next.range.clone()];
        let t = delim.trim();
        t.contains('-')
            && t.contains('|')
            && t.bytes()
                .all(|b| matches!(b, b'|' | b':' | b'-' | b' ' | b'\t'))
            && is_delimiter_row(delim)
            && split_row(header).len() == split_row(delim).len()
    }

    // ---- fences ----

    fn open_fence(&mut self, i: usize, f: FenceOpen) -> usize {
        self.end_blocks();
        let depth = self.depth();
        let idx = self.code_blocks.len();
        self.code_blocks.push(CodeBlock {
            lang: f.lang,
            lines: i + 1..i + 1,
        });
        self.set(i, LineKind::CodeFence, depth);
        self.lines[i].code_block = Some(idx);
        let n = self.lines.len();
        let closed = self.longest_closer_from(i + 1, f.ch) >= f.len;
        let mut j = i + 1;
        while j < n {
            let s = self.line_str(j);
            if closed && closer_len(s, f.ch) >= f.len {
                break;
            }
            if !closed && recovery_heading(s) {
                break;
            }
            self.set(j, LineKind::Code, depth);
            self.lines[j].code_block = Some(idx);
            j += 1;
        }
        self.code_blocks[idx].lines = i + 1..j;
        if closed {
            self.set(j, LineKind::CodeFence, depth);
            self.lines[j].code_block = Some(idx);
            return j + 1;
        }
        let (message, help) = if j < n {
            (
                format!(
                    "the code fence opened on line {} never closes; it is read as ending before the heading on line {}",
                    i + 1,
                    j + 1
                ),
                "close the fence with a line of the same fence characters before the heading",
            )
        } else {
            (
                format!(
                    "the code fence opened on line {} never closes; everything after it is code",
                    i + 1
                ),
                "close the fence with a line of the same fence characters",
            )
        };
        self.issues.push(
            Diagnostic::new(&gov::UNCLOSED_FENCE, message)
                .at(self.src.path.clone(), i + 1, 1)
                .help(help),
        );
        j
    }

    /// The longest closing-fence run of `ch` on any line at or after `from`.
    fn longest_closer_from(&mut self, from: usize, ch: u8) -> usize {
        if self.closers.is_none() {
            let n = self.lines.len();
            let mut tick = vec![0u32; n + 1];
            let mut tilde = vec![0u32; n + 1];
            for j in (0..n).rev() {
                let s = self.line_str(j);
                tick[j] = tick[j + 1].max(closer_len(s, b'`') as u32);
                tilde[j] = tilde[j + 1].max(closer_len(s, b'~') as u32);
            }
            self.closers = Some([tick, tilde]);
        }
        let k = usize::from(ch == b'~');
        self.closers
            .as_ref()
            .and_then(|c| c[k].get(from).copied())
            .unwrap_or(0) as usize
    }

    // ---- HTML comments ----

    /// A comment that starts a line: CommonMark's HTML block of type 2, running to
    /// the line holding `-->` (or to the end of the document).
    fn block_comment(&mut self, i: usize, open: usize) -> usize {
        self.para = None;
        self.table = false;
        let depth = self.depth();
        let n = self.lines.len();
        let Some(close) = self.find_close(open + 2) else {
            self.masks.push(open..self.text.len());
            for j in i..n {
                self.set(j, LineKind::Comment, depth);
            }
            self.issues.push(
                Diagnostic::new(
                    &gov::UNCLOSED_COMMENT,
                    format!(
                        "the HTML comment opened on line {} never closes; nothing after it is read",
                        i + 1
                    ),
                )
                .at(self.src.path.clone(), i + 1, 1)
                .help("close the comment with `-->`"),
            );
            return n;
        };
        let end = close + 3;
        self.masks.push(open..end);
        let mut j = i;
        while self.lines[j].range.end < end {
            self.set(j, LineKind::Comment, depth);
            j += 1;
        }
        let after = &self.text[end..self.lines[j].range.end];
        if is_blank(after) {
            self.set(j, LineKind::Comment, depth);
            j + 1
        } else {
            // text after `-->` stays visible, as in CommonMark's raw HTML block
            self.set(j, LineKind::Html, depth);
            self.comments_only(j, end)
        }
    }

    /// Position of the first `-->` at or after `from`, memoised (asked in order).
    fn find_close(&mut self, from: usize) -> Option<usize> {
        if let Some((asked, found)) = self.close_memo {
            if asked <= from && found.is_none_or(|f| f >= from) {
                return found;
            }
        }
        let found = memchr::memmem::find(&self.text.as_bytes()[from..], b"-->").map(|p| from + p);
        self.close_memo = Some((from, found));
        found
    }

    /// The first line at or after `from` that a paragraph cannot run into (blank,
    /// or the start of another block), memoised.
    fn paragraph_break(&mut self, from: usize) -> usize {
        if let Some((asked, at)) = self.break_memo {
            if asked <= from && from <= at {
                return at;
            }
        }
        let n = self.lines.len();
        let mut j = from;
        while j < n && continues_paragraph(self.line_str(j)) {
            j += 1;
        }
        self.break_memo = Some((from, j));
        j
    }

    // ---- inline: code spans and comments ----

    /// Finds the code spans and HTML comments of line `i` from byte `from`. A comment
    /// may run over following lines of the same paragraph when `multiline`; those
    /// lines become comments. Returns the next line to classify.
    fn inline(&mut self, i: usize, from: usize, multiline: bool) -> usize {
        self.scan_inline(i, from, multiline, true)
    }

    /// As [`Self::inline`], for HTML lines: comments only.
    fn comments_only(&mut self, i: usize, from: usize) -> usize {
        if !self.has_comments {
            return i + 1;
        }
        self.scan_inline(i, from, false, false)
    }

    fn scan_inline(&mut self, mut i: usize, from: usize, multiline: bool, spans: bool) -> usize {
        let bytes = self.text.as_bytes();
        let mut end = self.lines[i].range.end;
        let mut p = from.min(end);
        let mut seg = p;
        let mut runs: Option<Runs> = None;
        loop {
            let hit = match (spans, self.has_comments) {
                (true, true) => memchr::memchr2(b'`', b'<', &bytes[p..end]),
                (true, false) => memchr::memchr(b'`', &bytes[p..end]),
                (false, _) => memchr::memchr(b'<', &bytes[p..end]),
            };
            let Some(off) = hit else { break };
            let q = p + off;
            if bytes[q] == b'`' {
                let r = runs.get_or_insert_with(|| Runs::of(bytes, seg, end));
                p = match r.span_at(q) {
                    Some(span) => {
                        let e = span.end;
                        self.code_spans.push(span);
                        e
                    }
                    None => q + r.len_at(q).max(1),
                };
                continue;
            }
            if !(self.has_comments && bytes[q..end].starts_with(b"<!--")) {
                p = q + 1;
                continue;
            }
            let Some(close) = self.find_close(q + 2) else {
                p = q + 4;
                continue;
            };
            if close + 3 <= end {
                self.masks.push(q..close + 3);
                p = close + 3;
                continue;
            }
            // the comment goes on over later lines: only within one paragraph
            let last = self.line_of_offset(i, close + 2);
            if !multiline || self.paragraph_break(i + 1) <= last {
                p = q + 4;
                continue;
            }
            self.masks.push(q..close + 3);
            let depth = self.depth();
            for j in i + 1..last {
                self.set(j, LineKind::Comment, depth);
            }
            i = last;
            end = self.lines[i].range.end;
            p = close + 3;
            seg = p;
            runs = None;
            if is_blank(&self.text[p..end]) {
                self.set(i, LineKind::Comment, depth);
                break;
            }
            self.set(i, LineKind::Text, depth);
            let rest = &self.text[p..end];
            self.lines[i].content = p + (rest.len() - rest.trim_start().len());
        }
        i + 1
    }

    /// The line holding byte `offset`, searching forward from line `i`.
    fn line_of_offset(&self, i: usize, offset: usize) -> usize {
        let mut j = i;
        while j + 1 < self.lines.len() && self.lines[j + 1].range.start <= offset {
            j += 1;
        }
        j
    }
}

/// Backtick runs of one line, each paired with the next run of the same length
/// (CommonMark's code span rule), built once per line that has a backtick.
struct Runs {
    /// (start, length, index of the closing run)
    runs: Vec<(usize, usize, Option<usize>)>,
}

impl Runs {
    fn of(bytes: &[u8], from: usize, end: usize) -> Runs {
        let mut runs: Vec<(usize, usize, Option<usize>)> = Vec::new();
        let mut p = from;
        while let Some(off) = memchr::memchr(b'`', &bytes[p..end]) {
            let mut s = p + off;
            let e = s + bytes[s..end].iter().take_while(|&&b| b == b'`').count();
            if s > from && bytes[s - 1] == b'\\' {
                s += 1; // an escaped backtick is literal
            }
            if e > s {
                runs.push((s, e - s, None));
            }
            p = e;
        }
        let mut next: HashMap<usize, usize> = HashMap::new();
        for k in (0..runs.len()).rev() {
            let len = runs[k].1;
            runs[k].2 = next.insert(len, k);
        }
        Runs { runs }
    }

    fn find(&self, q: usize) -> Option<usize> {
        let k = self.runs.partition_point(|r| r.0 < q);
        self.runs.get(k).filter(|r| r.0 == q).map(|_| k)
    }

    fn len_at(&self, q: usize) -> usize {
        self.find(q).map_or(1, |k| self.runs[k].1)
    }

    /// The code span opened by the run at `q`, backticks included.
    fn span_at(&self, q: usize) -> Option<Range<usize>> {
        let k = self.find(q)?;
        let c = self.runs[k].2?;
        Some(q..self.runs[c].0 + self.runs[c].1)
    }
}

// ---- line shapes ----

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t')
}

fn is_ctrl(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// Leading indentation: (columns, with tabs to the next multiple of 4; bytes).
fn indent(s: &str) -> (usize, usize) {
    let mut cols = 0;
    for (k, b) in s.bytes().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, k),
        }
    }
    (cols, s.len())
}

/// Width of leading indentation and block-quote markers on a prose line.
fn leading_prose_markers(text: &str) -> usize {
    text.bytes()
        .take_while(|&b| b == b' ' || b == b'\t' || b == b'>')
        .count()
}

/// An ATX heading: its level and the offset of its text in `rest`.
fn atx(rest: &str) -> Option<(u8, usize)> {
    let b = rest.as_bytes();
    let hashes = b.iter().take_while(|&&c| c == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    match b.get(hashes) {
        None => Some((hashes as u8, hashes)),
        Some(b' ' | b'\t') => {
            let sp = b[hashes..]
                .iter()
                .take_while(|&&c| c == b' ' || c == b'\t')
                .count();
            Some((hashes as u8, hashes + sp))
        }
        _ => None,
    }
}

/// A heading an unclosed fence gives way to: `##` to `######` at the line start.
fn recovery_heading(s: &str) -> bool {
    atx(s).is_some_and(|(level, _)| level >= 2)
}

fn setext(rest: &str) -> Option<u8> {
    let t = rest.trim_end();
    let c = *t.as_bytes().first()?;
    if !(c == b'=' || c == b'-') || !t.bytes().all(|b| b == c) {
        return None;
    }
    Some(if c == b'=' { 1 } else { 2 })
}

fn is_rule(rest: &str) -> bool {
    let Some(&c) = rest.as_bytes().first() else {
        return false;
    };
    if !matches!(c, b'-' | b'*' | b'_') {
        return false;
    }
    let mut count = 0;
    for b in rest.bytes() {
        if b == c {
            count += 1;
        } else if b != b' ' && b != b'\t' {
            return false;
        }
    }
    count >= 3
}

#[derive(Debug, Clone, Copy)]
struct Marker2 {
    /// Marker width in bytes (`-`, `12.`).
    len: usize,
    /// Start number of an ordered item.
    number: Option<u64>,
    /// Nothing after the marker.
    empty: bool,
}

fn list_marker(rest: &str) -> Option<Marker2> {
    let b = rest.as_bytes();
    let (len, number) = match b.first()? {
        b'-' | b'*' | b'+' => (1, None),
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 || !matches!(b.get(digits), Some(b'.' | b')')) {
                return None;
            }
            (digits + 1, rest[..digits].parse().ok())
        }
        _ => return None,
    };
    match b.get(len) {
        None => Some(Marker2 {
            len,
            number,
            empty: true,
        }),
        Some(b' ' | b'\t') => Some(Marker2 {
            len,
            number,
            empty: is_blank(&rest[len..]),
        }),
        _ => None,
    }
}

#[derive(Debug)]
struct FenceOpen {
    ch: u8,
    len: usize,
    lang: Option<String>,
}

/// A fence opener, also with stray control bytes, and the mangled `` `\x08ash ``.
fn fence_open(rest: &str) -> Option<FenceOpen> {
    let b = rest.as_bytes();
    let mut j = b.iter().take_while(|&&c| is_ctrl(c)).count();
    let ch = *b.get(j)?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let mut run = 0;
    let mut ctrl_after_run = None;
    while j < b.len() && (b[j] == ch || is_ctrl(b[j])) {
        if b[j] == ch {
            run += 1;
        } else if ctrl_after_run.is_none() {
            ctrl_after_run = Some(b[j]);
        }
        j += 1;
    }
    let info: String = rest[j..].chars().filter(|&c| !c.is_control()).collect();
    let info = info.trim();
    if ch == b'`' && info.contains('`') {
        return None; // inline code at the start of a line
    }
    let lang = |prefix: &str| {
        let word = info.split_whitespace().next().unwrap_or("");
        let l = format!("{prefix}{word}");
        (!l.is_empty()).then_some(l)
    };
    if run >= 3 {
        return Some(FenceOpen {
            ch,
            len: run,
            lang: lang(""),
        });
    }
    // `` ` `` + U+0008 + `ash`: the `\b` of an escaped "```bash" became a backspace
    let c = ctrl_after_run.filter(|_| ch == b'`')?;
    let eaten = match c {
        0x08 => "b",
        0x0C => "f",
        0x0B => "v",
        0x07 => "a",
        _ => "",
    };
    Some(FenceOpen {
        ch,
        len: run,
        lang: lang(eaten),
    })
}

/// The run length of a closing fence of `ch` on this line (0 if it is not one):
/// fence characters alone, at any indentation, control bytes ignored.
fn closer_len(s: &str, ch: u8) -> usize {
    let b = s.as_bytes();
    let quiet = |x: u8| x == b' ' || x == b'\t' || is_ctrl(x);
    let mut k = b.iter().take_while(|&&x| quiet(x)).count();
    let mut run = 0;
    while k < b.len() && (b[k] == ch || is_ctrl(b[k])) {
        run += usize::from(b[k] == ch);
        k += 1;
    }
    if b[k..].iter().all(|&x| quiet(x)) {
        run
    } else {
        0
    }
}

/// Whether a line can continue a paragraph (so an inline comment may run over it).
fn continues_paragraph(s: &str) -> bool {
    if is_blank(s) || marker(s, true).is_some() {
        return false;
    }
    let (cols, ib) = indent(s);
    if cols >= 4 {
        return true;
    }
    let rest = &s[ib..];
    !(atx(rest).is_some()
        || fence_open(rest).is_some()
        || rest.starts_with('>')
        || is_rule(rest)
        || list_marker(rest).is_some_and(|m| !m.empty && m.number.is_none_or(|n| n == 1))
        || (rest.starts_with('<') && !rest.starts_with("<!--") && html_start(rest, true).is_some()))
}

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// The start of an HTML block (CommonMark types 1 and 3 to 7; comments are handled
/// before) and what ends it.
fn html_start(rest: &str, in_paragraph: bool) -> Option<HtmlEnd> {
    let b = rest.as_bytes();
    if rest.starts_with("<?") {
        return Some(HtmlEnd::Contains("?>"));
    }
    if rest.starts_with("<![CDATA[") {
        return Some(HtmlEnd::Contains("]]>"));
    }
    if rest.starts_with("<!") && b.get(2).is_some_and(u8::is_ascii_alphabetic) {
        return Some(HtmlEnd::Contains(">"));
    }
    let closing = rest.starts_with("</");
    let name_at = if closing { 2 } else { 1 };
    let name_len = b[name_at.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
        return None;
    }
    let name = rest[name_at..name_at + name_len].to_ascii_lowercase();
    let after = &rest[name_at + name_len..];
    let ends_name =
        after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>");
    if !closing && ends_name {
        let end = match name.as_str() {
            "script" => Some("</script>"),
            "pre" => Some("</pre>"),
            "style" => Some("</style>"),
            "textarea" => Some("</textarea>"),
            _ => None,
        };
        if let Some(e) = end {
            return Some(HtmlEnd::Contains(e));
        }
    }
    if ends_name && BLOCK_TAGS.contains(&name.as_str()) {
        return Some(HtmlEnd::Blank);
    }
    // type 7: a complete tag alone on its line, which cannot interrupt a paragraph
    let t = rest.trim_end();
    let alone = t.ends_with('>')
        && !t[1..].contains('<')
        && !after.starts_with(|c: char| !" \t/>".contains(c));
    (!in_paragraph && alone).then_some(HtmlEnd::Blank)
}

fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}
