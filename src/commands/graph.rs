//! `gov graph [--format mermaid|dot|json]`: the dependency graph of the board's WPs,
//! coloured by state. Mermaid (the default) renders inside Markdown on the common
//! forges; DOT feeds Graphviz; JSON lists nodes and links.

use crate::cli::Format;
use crate::diag::Report;
use crate::error::GovError;
use crate::repo::Repo;
use crate::rules::board::picture::Picture;
use crate::rules::board::picture::{Link, Node};
use crate::rules::board::Snapshot;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct GraphArgs {}

/// The data of `gov graph`: every WP of the board and its packets, coloured by state,
/// and who waits for whom.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GraphData {
    /// One node per WP (board entries, packets, stubs, ids named as dependencies),
    /// sorted by id.
    pub nodes: Vec<Node>,
    /// One link per dependency: `from` waits for `to`.
    pub links: Vec<Link>,
}

pub fn run(_args: &GraphArgs, repo: &Repo, format: Format) -> Result<Report, GovError> {
    let snap = Snapshot::load(repo)?;
    let picture = Picture::of(&snap);
    let mut report = Report::new("graph", None);
    report.informational = true;
    let text = match format {
        Format::Dot => picture.dot(),
        _ => picture.mermaid(),
    };
    report.headline.push(text.trim_end().to_string());
    report.set_typed(GraphData {
        nodes: picture.nodes,
        links: picture.links,
    });
    crate::exit::release(snap);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_nodes_and_links() {
        let schema = serde_json::to_value(schemars::schema_for!(GraphData)).unwrap();
        assert_eq!(schema["required"], serde_json::json!(["nodes", "links"]));
        assert!(schema.to_string().contains("The WP that waits."));
    }
}
