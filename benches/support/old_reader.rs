//! The line classifier as it was before the tolerant reader (pulldown-cmark's offset
//! iterator), kept verbatim for the reader benchmark's same-session baseline.

#![allow(dead_code)]

use gov::text::Source;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    /// An ATX or setext heading line, with its level 1-6.
    Heading(u8),
    /// The first line of a list item.
    ItemStart,
    /// Any other line of prose (paragraph text, item continuation, block quote).
    Text,
    /// The opening or closing fence of a fenced code block.
    CodeFence,
    /// A line inside a code block (fenced or indented).
    Code,
    TableRow,
    Html,
    Rule,
}

#[derive(Debug, Clone)]
pub struct MdLine {
    /// Byte range of the line in the source, without its terminator.
    pub range: Range<usize>,
    pub kind: LineKind,
    /// How many list items contain this line (0 outside lists).
    pub depth: u32,
    /// Byte offset where the line's content starts: after a list marker, heading
    /// hashes, block-quote markers and indentation.
    pub content: usize,
    /// Index into [`MdDoc::code_blocks`] for code and fence lines.
    pub code_block: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub lang: Option<String>,
    /// 0-based line indices of the code content (fences excluded).
    pub lines: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct MdDoc {
    pub source: Source,
    pub lines: Vec<MdLine>,
    pub code_blocks: Vec<CodeBlock>,
    /// Byte ranges of inline code spans, sorted.
    pub code_spans: Vec<Range<usize>>,
}

impl MdDoc {
    pub fn parse(source: Source) -> MdDoc {
        let mut b = Builder::new(&source);
        b.run();
        let Builder {
            lines,
            code_blocks,
            code_spans,
            ..
        } = b;
        MdDoc {
            source,
            lines,
            code_blocks,
            code_spans,
        }
    }

    /// The text of line `i` (0-based) from its content start.
    pub fn content(&self, i: usize) -> &str {
        let l = &self.lines[i];
        &self.source.text[l.content.min(l.range.end)..l.range.end]
    }

    pub fn raw(&self, i: usize) -> &str {
        &self.source.text[self.lines[i].range.clone()]
    }

    /// 1-based line number of 0-based line index `i`.
    pub fn line_no(&self, i: usize) -> usize {
        i + 1
    }

    /// 1-based column of byte offset `offset` on line `i`.
    pub fn column(&self, i: usize, offset: usize) -> usize {
        let start = self.lines[i].range.start;
        self.source
            .text
            .get(start..offset.max(start))
            .map_or(1, |s| s.chars().count() + 1)
    }

    pub fn is_code(&self, i: usize) -> bool {
        matches!(self.lines[i].kind, LineKind::Code | LineKind::CodeFence)
    }

    /// Whether byte `offset` lies inside an inline code span.
    pub fn in_code_span(&self, offset: usize) -> bool {
        let i = self.code_spans.partition_point(|r| r.end <= offset);
        self.code_spans.get(i).is_some_and(|r| r.start <= offset)
    }
}

struct Builder<'a> {
    src: &'a Source,
    lines: Vec<MdLine>,
    code_blocks: Vec<CodeBlock>,
    code_spans: Vec<Range<usize>>,
    depth_diff: Vec<i64>,
}

impl<'a> Builder<'a> {
    fn new(src: &'a Source) -> Self {
        let n = src.line_count();
        let lines = (1..=n)
            .map(|ln| {
                let range = src.line_range(ln);
                let text = &src.text[range.clone()];
                let kind = if text.trim().is_empty() {
                    LineKind::Blank
                } else {
                    LineKind::Text
                };
                let content = range.start + leading_prose_markers(text);
                MdLine {
                    range,
                    kind,
                    depth: 0,
                    content,
                    code_block: None,
                }
            })
            .collect();
        Builder {
            src,
            lines,
            code_blocks: Vec::new(),
            code_spans: Vec::new(),
            depth_diff: vec![0; n + 1],
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.src.line_of(offset) - 1
    }

    /// Last line of a range whose end offset is exclusive (and may sit after a newline).
    fn last_line(&self, r: &Range<usize>) -> usize {
        self.line(r.end.saturating_sub(1).max(r.start))
    }

    fn run(&mut self) {
        let text = self.src.text.as_str();
        let mut opts = Options::empty();
        opts.insert(Options::ENABLE_TABLES);
        opts.insert(Options::ENABLE_STRIKETHROUGH);
        opts.insert(Options::ENABLE_TASKLISTS);
        let mut pending_item: Option<usize> = None;
        for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
            if let Some(item_line) = pending_item.take() {
                // the first event after an item start tells where its content begins
                if self.line(range.start) == item_line
                    && range.start >= self.lines[item_line].range.start
                {
                    self.lines[item_line].content = range.start;
                }
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) => self.heading(&range, level as u8),
                Event::Start(Tag::Item) => {
                    let first = self.line(range.start);
                    let last = self.last_line(&range);
                    self.depth_diff[first] += 1;
                    self.depth_diff[last + 1] -= 1;
                    self.lines[first].kind = LineKind::ItemStart;
                    self.lines[first].content = self.lines[first].range.end;
                    pending_item = Some(first);
                }
                Event::Start(Tag::CodeBlock(kind)) => self.code_block(&range, kind),
                Event::Start(Tag::Table(_)) => self.mark(&range, LineKind::TableRow),
                Event::Start(Tag::HtmlBlock) => self.mark(&range, LineKind::Html),
                Event::Rule => self.mark(&range, LineKind::Rule),
                Event::Code(_) => self.code_spans.push(range),
                Event::End(TagEnd::Item) => pending_item = None,
                _ => {}
            }
        }
        let mut depth: i64 = 0;
        for (i, line) in self.lines.iter_mut().enumerate() {
            depth += self.depth_diff[i];
            line.depth = depth.max(0) as u32;
        }
        self.code_spans.sort_by_key(|r| r.start);
    }

    fn heading(&mut self, range: &Range<usize>, level: u8) {
        let first = self.line(range.start);
        let last = self.last_line(range);
        for i in first..=last {
            self.lines[i].kind = LineKind::Heading(level);
        }
        let text = &self.src.text[self.lines[first].range.clone()];
        let hashes = text.trim_start().bytes().take_while(|&b| b == b'#').count();
        let lead = text.len() - text.trim_start().len();
        let content = self.lines[first].range.start + lead + hashes;
        let rest = &self.src.text[content..self.lines[first].range.end];
        self.lines[first].content = content + (rest.len() - rest.trim_start().len());
    }

    fn code_block(&mut self, range: &Range<usize>, kind: CodeBlockKind) {
        let first = self.line(range.start);
        let last = self.last_line(range).max(first);
        let idx = self.code_blocks.len();
        let (lang, content) = match kind {
            CodeBlockKind::Fenced(info) => {
                let lang = info.split_whitespace().next().map(str::to_string);
                let closed =
                    last > first && is_fence_line(&self.src.text[self.lines[last].range.clone()]);
                let end = if closed { last } else { last + 1 };
                self.lines[first].kind = LineKind::CodeFence;
                if closed {
                    self.lines[last].kind = LineKind::CodeFence;
                }
                for i in first + 1..end {
                    self.lines[i].kind = LineKind::Code;
                }
                (lang, first + 1..end)
            }
            CodeBlockKind::Indented => {
                for i in first..=last {
                    self.lines[i].kind = LineKind::Code;
                }
                (None, first..last + 1)
            }
        };
        for i in first..=last {
            self.lines[i].code_block = Some(idx);
        }
        self.code_blocks.push(CodeBlock {
            lang,
            lines: content,
        });
    }

    fn mark(&mut self, range: &Range<usize>, kind: LineKind) {
        let first = self.line(range.start);
        let last = self.last_line(range);
        for i in first..=last {
            if self.lines[i].kind != LineKind::Blank {
                self.lines[i].kind = kind;
            }
        }
    }
}

fn is_fence_line(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("```") && t.chars().all(|c| c == '`'))
        || (t.starts_with("~~~") && t.chars().all(|c| c == '~'))
}

/// Width of leading indentation and block-quote markers on a prose line.
fn leading_prose_markers(text: &str) -> usize {
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'>') {
        i += 1;
    }
    i
}
