//! Block structure of a Markdown document, line by line, from gov's own tolerant
//! block reader. Document parsers (packet, board, refinement) work on these
//! classified lines: they know which lines are headings, list items (and how deep),
//! code, tables, comments or prose, and which byte ranges are inline code — without
//! re-parsing Markdown. The reader reads damaged documents the way their author
//! meant them (see `block.rs` and docs/reader.md).

mod block;
pub mod conflict;
mod doc;
mod invisible;
pub mod table;
#[cfg(test)]
mod tests;

pub use conflict::{conflict_diagnostics, conflicts, refuse_write, Conflict};
pub use doc::{CodeBlock, LineKind, MdDoc, MdLine};
