//! JSON Schemas of gov's JSON documents and of gov.yaml, generated from the Rust
//! types that write (or read) them, so a schema cannot drift from the output.
//!
//! A command's document is the typed [`Envelope`] with the command's data members
//! beside it at the top level; a run that stopped before it produced its data (exit
//! 1 or 2, the diagnostics say why) writes the envelope alone. The committed copies live in `schemas/`;
//! `gov schema NAME` prints one, and a test keeps the two equal.

mod registry;

pub use registry::DOCUMENTS;

use crate::diag::document::Envelope;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};

/// Builds the schema of one document: a registry entry's function.
pub type SchemaFn = fn() -> Schema;

/// The name `gov schema` and the registry use for gov.yaml's schema.
pub const CONFIG: &str = "gov.yaml";

/// The schema of the JSON document of a command whose data members are `D`.
pub fn document<D: JsonSchema>() -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(RecursiveTransform(close_object))
        .into_generator()
        .into_root_schema_for::<CommandDocument<D>>();
    schema.insert("title".into(), "gov JSON document".into());
    schema
}

/// A registered command's schema, titled with the command line that prints it.
/// A document that is not a gov report: the JSON a command prints for another tool
/// (the guard's answer to an agent harness), closed like the documents.
pub fn answer<D: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(RecursiveTransform(close_object))
        .into_generator()
        .into_root_schema_for::<D>()
}

fn titled(name: &str, f: SchemaFn) -> Schema {
    let mut schema = f();
    schema.insert("title".into(), format!("gov {name} --format json").into());
    schema
}

/// Documents are closed: an object with declared members allows no others, so a
/// member a type does not declare fails validation instead of going unnoticed. (Maps,
/// such as a `gates` entry's data, declare no members and stay open.)
fn close_object(schema: &mut Schema) {
    if let Some(obj) = schema.as_object_mut() {
        if obj.contains_key("properties") && !obj.contains_key("additionalProperties") {
            obj.insert("additionalProperties".into(), false.into());
        }
    }
}

/// The schema of gov.yaml: what the loader accepts (unknown keys are refused).
pub fn config() -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<crate::config::Config>();
    schema.insert("title".into(), "gov.yaml".into());
    schema
}

/// Every schema by name: each registered command, then gov.yaml.
pub fn all() -> Vec<(&'static str, Schema)> {
    DOCUMENTS
        .iter()
        .map(|(name, f)| (*name, titled(name, *f)))
        .chain(std::iter::once((CONFIG, config())))
        .collect()
}

/// The schema named `name`: a command as its documents name it (`signatures verify`,
/// also `signatures-verify`) or `gov.yaml`.
pub fn find(name: &str) -> Option<Schema> {
    if name == CONFIG || name == file_name(CONFIG) {
        return Some(config());
    }
    DOCUMENTS
        .iter()
        .find(|(n, _)| *n == name || file_name(n) == name || file_stem(n) == name)
        .map(|(n, f)| titled(n, *f))
}

/// The file a schema is committed as under `schemas/`.
pub fn file_name(name: &str) -> String {
    format!("{}.schema.json", file_stem(name))
}

fn file_stem(name: &str) -> String {
    name.replace(' ', "-")
}

/// A schema as committed: pretty JSON with a final newline.
pub fn to_text(schema: &Schema) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// Every schema file as committed under `schemas/`: (file name, text).
pub fn files() -> Vec<(String, String)> {
    all()
        .iter()
        .map(|(name, schema)| (file_name(name), to_text(schema)))
        .collect()
}

/// A command's document: the envelope with the command's data members, or the
/// envelope alone for a run that stopped first (verdict `fail` or `error`).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // a schema-only type: never built, its shape is the schema
enum CommandDocument<D> {
    Complete(Document<D>),
    Stopped(Stopped),
}

/// The document of a run that produced its data.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Document<D> {
    #[serde(flatten)]
    envelope: Envelope<'static>,
    #[serde(flatten)]
    data: D,
}

/// The document of a run that stopped before it produced its data: the envelope
/// alone, verdict `fail` (a finding stopped it) or `error` (it could not evaluate).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = verdict_is_not_pass)]
#[allow(dead_code)]
struct Stopped {
    #[serde(flatten)]
    envelope: Envelope<'static>,
}

fn verdict_is_not_pass(schema: &mut Schema) {
    if let Some(props) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
        props.insert(
            "verdict".into(),
            serde_json::json!({
                "description": "`fail` (exit 1: a finding stopped the run) or `error` (exit 2: could not evaluate)",
                "enum": ["fail", "error"]
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_is_found_by_command_file_stem_or_file_name() {
        let by_command = find("signatures verify").expect("registered");
        assert_eq!(find("signatures-verify"), Some(by_command.clone()));
        assert_eq!(
            find("signatures-verify.schema.json"),
            Some(by_command.clone())
        );
        assert_eq!(
            by_command.get("title").and_then(|t| t.as_str()),
            Some("gov signatures verify --format json")
        );
        assert_eq!(find("gov.yaml"), Some(config()));
        assert_eq!(find("gov.yaml.schema.json"), Some(config()));
        assert_eq!(find("signatures"), None);
        assert_eq!(find("PRE-WORK"), None);
    }

    #[test]
    fn every_schema_has_a_file_of_its_own() {
        let names: Vec<String> = files().into_iter().map(|(n, _)| n).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(names.iter().all(|n| !n.contains(' ')));
    }
}
