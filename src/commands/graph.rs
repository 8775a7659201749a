//! `gov graph [--format mermaid|dot|json]`: the dependency graph of the board's WPs,
//! coloured by state. Mermaid (the default) renders inside Markdown on the common
//! forges; DOT feeds Graphviz; JSON lists nodes and links.

use crate::cli::Format;
use crate::diag::Report;
use crate::error::GovError;
use crate::repo::Repo;
use crate::rules::board::picture::Picture;
use crate::rules::board::Snapshot;
use clap::Args;
use serde_json::json;

#[derive(Debug, Args)]
pub struct GraphArgs {}

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
    report.set_data("nodes", json!(picture.nodes));
    report.set_data("links", json!(picture.links));
    Ok(report)
}
