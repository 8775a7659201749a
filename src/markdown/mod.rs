//! Block structure of a Markdown document, line by line, from pulldown-cmark's offset
//! iterator. Document parsers (packet, board, refinement) work on these classified
//! lines: they know which lines are headings, list items (and how deep), code, tables
//! or prose, and which byte ranges are inline code — without re-parsing Markdown.

mod lines;
pub mod table;

pub use lines::{CodeBlock, LineKind, MdDoc, MdLine};
