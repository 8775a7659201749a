//! The classified document: one record per source line, the code blocks and inline
//! code spans, the text as a reader sees it, and what the reader had to repair.

use super::block;
use crate::diag::Diagnostic;
use crate::text::Source;
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
    /// An HTML block line other than a comment.
    Html,
    Rule,
    /// A line inside an HTML comment (`<!-- ... -->`): never content. Nothing —
    /// heading, field, verdict, entry — is read from it.
    Comment,
    /// A merge-conflict marker line (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`).
    Conflict,
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
    /// Byte ranges of inline code spans (backticks included), sorted.
    pub code_spans: Vec<Range<usize>>,
    /// What the reader repaired or could not read (a fence that never closes, an
    /// HTML comment that never closes), each with its line.
    pub issues: Vec<Diagnostic>,
    /// The text with invisible parts blanked out byte for byte (HTML comments,
    /// zero-width and bidi controls), so offsets are the source's. `None` when the
    /// document has none.
    visible: Option<String>,
}

impl MdDoc {
    pub fn parse(source: Source) -> MdDoc {
        let out = block::read(&source);
        MdDoc {
            source,
            lines: out.lines,
            code_blocks: out.code_blocks,
            code_spans: out.code_spans,
            issues: out.issues,
            visible: out.visible,
        }
    }

    /// The document as a reader sees it: the source with HTML comments and
    /// invisible characters replaced by spaces (same length, same offsets).
    pub fn visible_text(&self) -> &str {
        self.visible.as_deref().unwrap_or(&self.source.text)
    }

    /// The text of line `i` (0-based) from its content start, as a reader sees it.
    pub fn content(&self, i: usize) -> &str {
        let l = &self.lines[i];
        &self.visible_text()[l.content.min(l.range.end)..l.range.end]
    }

    /// The whole of line `i` as a reader sees it (comments and invisible
    /// characters blanked).
    pub fn raw(&self, i: usize) -> &str {
        &self.visible_text()[self.lines[i].range.clone()]
    }

    /// Line `i` exactly as in the file (for hashes and edits).
    pub fn original(&self, i: usize) -> &str {
        &self.source.text[self.lines[i].range.clone()]
    }

    /// 1-based line number of 0-based line index `i`.
    pub fn line_no(&self, i: usize) -> usize {
        i + 1
    }

    /// 1-based column of byte offset `offset` on line `i`.
    pub fn column(&self, i: usize, offset: usize) -> usize {
        let start = self.lines[i].range.start;
        let end = offset.max(start);
        self.source
            .text
            .get(start..end)
            .or_else(|| self.visible_text().get(start..end))
            .map_or(1, |s| s.chars().count() + 1)
    }

    pub fn is_code(&self, i: usize) -> bool {
        matches!(self.lines[i].kind, LineKind::Code | LineKind::CodeFence)
    }

    /// Whether line `i` carries nothing a reader sees (blank, comment, conflict marker).
    pub fn is_invisible(&self, i: usize) -> bool {
        matches!(
            self.lines[i].kind,
            LineKind::Blank | LineKind::Comment | LineKind::Conflict
        )
    }

    /// Whether byte `offset` lies inside an inline code span.
    pub fn in_code_span(&self, offset: usize) -> bool {
        let i = self.code_spans.partition_point(|r| r.end <= offset);
        self.code_spans.get(i).is_some_and(|r| r.start <= offset)
    }
}
