//! `gov mcp`: the gates as Model Context Protocol tools, served over standard input
//! and output (the server is in `crate::mcp`; the binary hands it the streams).

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct McpArgs {}
