//! `gov schema [NAME]` / `gov schema --list`: the JSON Schemas of gov's JSON
//! documents and of gov.yaml, generated from the types that write them (the same
//! text as the committed `schemas/*.schema.json`).

use crate::diag::codes::gov;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::schema;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// A command as its documents name it (`pre-work`, `signatures-verify`) or `gov.yaml`
    pub name: Option<String>,
    /// List the schemas there are, with the file each is committed as
    #[arg(long, conflicts_with = "name")]
    pub list: bool,
}

/// The data members of `gov schema --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SchemaData {
    /// With a NAME: the schema itself (a JSON Schema, draft 2020-12).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "serde_json::Value")]
    pub schema: Option<serde_json::Value>,
    /// Without a NAME or with `--list`: every schema there is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<SchemaEntry>")]
    pub schemas: Option<Vec<SchemaEntry>>,
}

/// One schema: its name and the file under `schemas/` it is committed as.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SchemaEntry {
    pub name: String,
    pub file: String,
}

pub fn run(args: &SchemaArgs) -> Result<Report, GovError> {
    let mut report = Report::new("schema", args.name.clone());
    report.informational = true;
    let Some(name) = args.name.as_deref().filter(|_| !args.list) else {
        let schemas: Vec<SchemaEntry> = schema::all()
            .into_iter()
            .map(|(name, _)| SchemaEntry {
                name: name.to_string(),
                file: format!("schemas/{}", schema::file_name(name)),
            })
            .collect();
        report.headline = schemas
            .iter()
            .map(|s| format!("{:<20} {}", s.name, s.file))
            .collect();
        report.set_typed(SchemaData {
            schema: None,
            schemas: Some(schemas),
        });
        return Ok(report);
    };
    let found = schema::find(name).ok_or_else(|| {
        Diagnostic::new(
            &gov::USAGE,
            format!("`{}` names no schema", crate::model::wp_id::printable(name)),
        )
        .help("run `gov schema --list` to see every schema")
    })?;
    report.headline = vec![schema::to_text(&found).trim_end().to_string()];
    report.set_typed(SchemaData {
        schema: Some(found.to_value()),
        schemas: None,
    });
    Ok(report)
}
