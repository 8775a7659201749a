//! A structured packet, `WP-ID/packet.json` (`<abbr>.work_packet_contract@1`), read
//! into the same typed [`Packet`] as a Markdown one.
//!
//! The fields FORMATS.md lists are read with their JSON Pointer and location:
//! `wp_id`, `base_wp_id`, `lifecycle.status`, `lifecycle.risk_tier`,
//! `lifecycle.user_signature`, `lifecycle.validator_verdict`, `scope.spec_anchors[]`,
//! `scope.allowed_paths[]`, `scope.forbidden_paths[]`, `workflow.depends_on_wp`.
//!
//! The [`Packet`] is built from a canonical Markdown projection of those fields, so
//! that every rule reads a JSON packet exactly as it reads a Markdown one. The
//! projection puts each value on the line where it sits in the JSON file (and a
//! scalar at its column), so locations in findings point into `packet.json`. That is
//! exact for JSON written one value per line, as the project's tools write it; in JSON
//! with several values on one line, a value that cannot keep its line is placed on the
//! next free one.

use super::json_locations::JsonLocations;
use super::packet::{classify_signature, path_token, Packet, SignatureValue};
use super::packet_fields::JsonOrigin;
use super::status::Status;
use super::wp_id::WpId;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::error::GovError;
use crate::text::Source;
use serde_json::Value;
use std::collections::BTreeSet;

/// One string value of the JSON document, with its pointer and location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonValue {
    pub pointer: String,
    pub value: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Default)]
pub struct PacketJson {
    pub path: String,
    pub wp_id: Option<JsonValue>,
    pub base_wp_id: Option<JsonValue>,
    pub status: Option<JsonValue>,
    pub risk_tier: Option<JsonValue>,
    pub user_signature: Option<JsonValue>,
    pub validator_verdict: Option<JsonValue>,
    pub spec_anchors: Vec<JsonValue>,
    pub allowed_paths: Vec<JsonValue>,
    pub forbidden_paths: Vec<JsonValue>,
    pub depends_on: Vec<JsonValue>,
    /// Fields of an unexpected type (PKT041), ignored.
    pub problems: Vec<Diagnostic>,
}

/// The JSON object a packet or stub contract holds. Not JSON, or not an object, is
/// PKT040 with the place where reading stopped.
pub fn json_object(source: &Source) -> Result<Value, GovError> {
    let root: Value = serde_json::from_str(&source.text).map_err(|e| {
        let d = Diagnostic::new(
            &pkt::PACKET_JSON_INVALID,
            format!("{} is not valid JSON: {e}", source.path),
        )
        .at(source.path.clone(), e.line().max(1), e.column().max(1));
        GovError::from(d)
    })?;
    if !root.is_object() {
        return Err(Diagnostic::new(
            &pkt::PACKET_JSON_INVALID,
            format!("{} is JSON but not an object", source.path),
        )
        .at(source.path.clone(), 1, 1)
        .into());
    }
    Ok(root)
}

/// Reads the JSON of `source`. Not JSON, or not an object, is PKT040 with the place
/// where reading stopped.
pub fn parse(source: &Source) -> Result<PacketJson, GovError> {
    let root = json_object(source)?;
    let reader = Reader {
        source,
        root: &root,
        at: JsonLocations::of(&source.text),
    };
    let mut problems = Vec::new();
    let mut p = PacketJson {
        path: source.path.clone(),
        ..PacketJson::default()
    };
    p.wp_id = reader.scalar("/wp_id", &mut problems);
    p.base_wp_id = reader.scalar("/base_wp_id", &mut problems);
    p.status = reader.scalar("/lifecycle/status", &mut problems);
    p.risk_tier = reader.scalar("/lifecycle/risk_tier", &mut problems);
    p.user_signature = reader.scalar("/lifecycle/user_signature", &mut problems);
    p.validator_verdict = reader.scalar("/lifecycle/validator_verdict", &mut problems);
    p.spec_anchors = reader.list("/scope/spec_anchors", &mut problems);
    p.allowed_paths = reader.list("/scope/allowed_paths", &mut problems);
    p.forbidden_paths = reader.list("/scope/forbidden_paths", &mut problems);
    p.depends_on = reader.list("/workflow/depends_on_wp", &mut problems);
    p.problems = problems;
    Ok(p)
}

/// Reads string values and lists of strings by pointer, with locations.
pub(crate) struct Reader<'a> {
    pub source: &'a Source,
    pub root: &'a Value,
    pub at: JsonLocations,
}

impl Reader<'_> {
    pub fn locate(&self, pointer: &str) -> (usize, usize) {
        self.at
            .offset(pointer)
            .map_or((1, 1), |o| self.source.line_col(o))
    }

    fn value(&self, pointer: &str, text: String) -> JsonValue {
        let (line, column) = self.locate(pointer);
        JsonValue {
            pointer: pointer.to_string(),
            value: text,
            line,
            column,
        }
    }

    fn wrong_type(&self, pointer: &str, expected: &str, problems: &mut Vec<Diagnostic>) {
        let (line, column) = self.locate(pointer);
        problems.push(
            Diagnostic::new(
                &pkt::PACKET_JSON_FIELD,
                format!("{pointer} should be {expected}; the value is ignored"),
            )
            .at(self.source.path.clone(), line, column),
        );
    }

    /// A string (numbers and booleans are reported, `null` is absent).
    pub fn scalar(&self, pointer: &str, problems: &mut Vec<Diagnostic>) -> Option<JsonValue> {
        match self.root.pointer(pointer)? {
            Value::String(s) => Some(self.value(pointer, s.clone())),
            Value::Null => None,
            _ => {
                self.wrong_type(pointer, "a string", problems);
                None
            }
        }
    }

    /// An array of strings; a lone string counts as one entry.
    pub fn list(&self, pointer: &str, problems: &mut Vec<Diagnostic>) -> Vec<JsonValue> {
        match self.root.pointer(pointer) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![self.value(pointer, s.clone())],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let p = format!("{pointer}/{i}");
                    match item {
                        Value::String(s) => Some(self.value(&p, s.clone())),
                        Value::Null => None,
                        _ => {
                            self.wrong_type(&p, "a string", problems);
                            None
                        }
                    }
                })
                .collect(),
            Some(_) => {
                self.wrong_type(pointer, "an array of strings", problems);
                Vec::new()
            }
        }
    }
}

impl PacketJson {
    /// The typed packet: a Markdown projection of the fields, parsed like any packet.
    pub fn to_packet(&self, id: WpId) -> Packet {
        let mut p = Projection::default();
        let scalars = [
            ("WP_ID", &self.wp_id),
            ("BASE_WP_ID", &self.base_wp_id),
            ("STATUS", &self.status),
            ("RISK_TIER", &self.risk_tier),
            ("USER_SIGNATURE", &self.user_signature),
            ("Verdict", &self.validator_verdict),
        ];
        let lists = [
            ("SPEC_ANCHOR", &self.spec_anchors),
            ("IN_SCOPE_PATHS", &self.allowed_paths),
            ("OUT_OF_SCOPE", &self.forbidden_paths),
            ("Dependencies", &self.depends_on),
        ];
        let mut blocks: Vec<Block> = scalars
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| Block::Scalar(k, v)))
            .chain(
                lists
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| Block::List(k, v)),
            )
            .collect();
        blocks.sort_by_key(Block::line);
        for b in blocks {
            p.block(&b);
        }
        let mut packet = Packet::parse(id, Source::from_string(self.path.clone(), p.text, None));
        packet.json_origins = p.origins;
        packet
    }

    /// Where this JSON and the authoritative `packet.md` disagree on status, signature
    /// or scope: one warning per field, located in the JSON.
    pub fn disagreements(&self, md: &Packet) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let warn = |v: &JsonValue, msg: String| {
            Diagnostic::new(&pkt::PACKET_FORMS_DISAGREE, msg).at(
                self.path.clone(),
                v.line,
                v.column,
            )
        };
        if let Some(j) = &self.status {
            let json = Status::parse(&j.value);
            let md_status = md.status().map(|s| s.value);
            let differs = match &md_status {
                Some(m) => m.kind != json.kind || (m.kind.is_none() && m.raw != json.raw),
                None => true,
            };
            if differs {
                let said = md_status.map_or("no status".into(), |s| format!("`{}`", s.raw));
                out.push(warn(
                    j,
                    format!(
                        "{} {} is `{}`, but {} says {said}",
                        self.path, j.pointer, j.value, md.path
                    ),
                ));
            }
        }
        if let Some(j) = &self.user_signature {
            let token = |s: &SignatureValue| match s {
                SignatureValue::Given(t) => Some(t.clone()),
                _ => None,
            };
            let json = token(&classify_signature(&j.value));
            let md_sig = md.signature().and_then(|s| token(&s.value));
            if json != md_sig {
                out.push(warn(
                    j,
                    format!(
                        "{} {} is `{}`, but {} has {}",
                        self.path,
                        j.pointer,
                        j.value,
                        md.path,
                        md_sig.map_or("no signature".into(), |s| format!("`{s}`"))
                    ),
                ));
            }
        }
        let md_in: Vec<String> = md.in_scope_paths().into_iter().map(|s| s.value).collect();
        let md_out: Vec<String> = md.out_of_scope().into_iter().map(|s| s.value).collect();
        for (list, md_list, name, field) in [
            (
                &self.allowed_paths,
                &md_in,
                "/scope/allowed_paths",
                "IN_SCOPE_PATHS",
            ),
            (
                &self.forbidden_paths,
                &md_out,
                "/scope/forbidden_paths",
                "OUT_OF_SCOPE",
            ),
        ] {
            let Some(first) = list.first() else { continue };
            let json: BTreeSet<String> =
                list.iter().map(|v| path_token(&clean(&v.value))).collect();
            let mdset: BTreeSet<String> = md_list.iter().map(|v| path_token(v)).collect();
            if json != mdset {
                let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
                    let v: Vec<&str> = a.difference(b).map(String::as_str).take(5).collect();
                    if v.is_empty() {
                        "none".to_string()
                    } else {
                        v.join(", ")
                    }
                };
                let at = JsonValue {
                    pointer: name.to_string(),
                    ..first.clone()
                };
                out.push(warn(
                    &at,
                    format!(
                        "{} {name} lists {} entries, {} {field} {}; only in the JSON: {}; only in the Markdown: {}",
                        self.path,
                        json.len(),
                        md.path,
                        mdset.len(),
                        only(&json, &mdset),
                        only(&mdset, &json)
                    ),
                ));
            }
        }
        out
    }
}

enum Block<'a> {
    Scalar(&'static str, &'a JsonValue),
    List(&'static str, &'a [JsonValue]),
}

impl Block<'_> {
    fn line(&self) -> usize {
        match self {
            Block::Scalar(_, v) => v.line,
            Block::List(_, v) => v[0].line.saturating_sub(1).max(1),
        }
    }
}

/// Markdown text built line by line, each value on its JSON line when that is free.
#[derive(Default)]
struct Projection {
    text: String,
    /// Lines written so far.
    lines: usize,
    /// The last block was a list: a scalar after it needs a heading to end it.
    in_list: bool,
    /// The JSON value behind each value line written.
    origins: Vec<JsonOrigin>,
}

impl Projection {
    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
        self.lines += 1;
    }

    /// Writes the line holding `v`, remembering where `v` is in the JSON.
    fn value_line(&mut self, text: &str, v: &JsonValue) {
        self.line(text);
        self.origins.push(JsonOrigin {
            projected_line: self.lines,
            pointer: v.pointer.clone(),
            line: v.line,
            column: v.column,
        });
    }

    /// Blank lines until the next line written is `line` (if it is still ahead).
    fn advance_to(&mut self, line: usize) {
        while self.lines + 1 < line {
            self.line("");
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Scalar(key, v) => {
                if self.in_list {
                    self.advance_to(v.line.saturating_sub(1));
                    self.line("## METADATA");
                    self.in_list = false;
                }
                self.advance_to(v.line);
                // the value at the JSON value's column, so that its location is the JSON one
                let lead = format!("- {key}");
                let pad = v.column.saturating_sub(3 + lead.chars().count());
                self.value_line(
                    &format!("{lead}: {}{}", " ".repeat(pad), clean(&v.value)),
                    v,
                );
            }
            Block::List(heading, items) => {
                self.advance_to(b.line());
                self.line(&format!("## {heading}"));
                for v in items.iter() {
                    self.advance_to(v.line);
                    let item = clean(&v.value);
                    let item = item.trim_start_matches(['-', '*', '+', '#', '>', ' ']);
                    self.value_line(&format!("- {item}"), v);
                }
                self.in_list = true;
            }
        }
    }
}

/// A JSON string as one line of Markdown text: control characters (line breaks
/// included) become spaces, and comment delimiters are broken so that a value can
/// never hide the lines after it.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace("<!--", "<!- -")
        .replace("-->", "- ->")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::packet::{RiskTier, TierValue};
    use crate::model::status::StatusKind;

    const PRETTY: &str = r#"{
  "schema_id": "ex.work_packet_contract@1",
  "wp_id": "WP-1-Json",
  "base_wp_id": "WP-1-Json",
  "lifecycle": {
    "status": "IN_PROGRESS",
    "risk_tier": "HIGH",
    "user_signature": "alice110220262332"
  },
  "scope": {
    "spec_anchors": [
      "2.3.1"
    ],
    "allowed_paths": [
      "src/a.rs",
      "- src/b.rs"
    ],
    "forbidden_paths": []
  },
  "workflow": {
    "depends_on_wp": ["WP-1-Base"]
  }
}
"#;

    fn json(text: &str) -> PacketJson {
        parse(&Source::from_bytes(
            "p/WP-1-Json/packet.json",
            text.as_bytes(),
        ))
        .unwrap()
    }

    fn id() -> WpId {
        WpId::parse("WP-1-Json").unwrap()
    }

    #[test]
    fn fields_with_pointers_and_locations() {
        let j = json(PRETTY);
        let s = j.status.as_ref().unwrap();
        assert_eq!(
            (s.pointer.as_str(), s.value.as_str()),
            ("/lifecycle/status", "IN_PROGRESS")
        );
        assert_eq!((s.line, s.column), (6, 15));
        assert_eq!(j.allowed_paths[1].pointer, "/scope/allowed_paths/1");
        assert_eq!(j.allowed_paths[1].line, 16);
        assert!(j.forbidden_paths.is_empty());
        assert_eq!(j.depends_on[0].value, "WP-1-Base");
    }

    #[test]
    fn the_typed_packet_reads_like_markdown_with_json_locations() {
        let p = json(PRETTY).to_packet(id());
        assert_eq!(p.path, "p/WP-1-Json/packet.json");
        let s = p.status().unwrap();
        assert_eq!(s.value.kind, Some(StatusKind::InProgress));
        assert_eq!((s.line, s.column), (6, 15), "status located in the JSON");
        assert_eq!(
            p.risk_tier().unwrap().value,
            TierValue::Tier(RiskTier::High)
        );
        assert_eq!(
            p.signature().unwrap().value,
            SignatureValue::Given("alice110220262332".into())
        );
        let paths: Vec<_> = p
            .in_scope_paths()
            .into_iter()
            .map(|s| (s.value, s.line))
            .collect();
        assert_eq!(
            paths,
            [("src/a.rs".to_string(), 15), ("src/b.rs".to_string(), 16)]
        );
        let deps: Vec<_> = p
            .dependencies()
            .into_iter()
            .map(|d| d.value.to_string())
            .collect();
        assert_eq!(deps, ["WP-1-Base"]);
        assert_eq!(p.spec_anchors().len(), 1);
    }

    #[test]
    fn values_are_located_by_pointer_in_the_json() {
        let p = json(PRETTY).to_packet(id());
        let at = p.location_of(&p.status().unwrap());
        assert_eq!(
            (at.line, at.column, at.pointer.as_deref()),
            (6, 15, Some("/lifecycle/status"))
        );
        let paths = p.in_scope_paths();
        let second = p.location_of(&paths[1]);
        assert_eq!(
            (second.line, second.pointer.as_deref()),
            (16, Some("/scope/allowed_paths/1"))
        );
        // compact JSON: projected lines differ from the JSON's, the location does not
        let c =
            json(r#"{"lifecycle":{"status":"Done"},"scope":{"allowed_paths":["a.rs","b.rs"]}}"#)
                .to_packet(id());
        let b = c.location_of(&c.in_scope_paths()[1]);
        assert_eq!(
            (b.line, b.column, b.pointer.as_deref()),
            (1, 65, Some("/scope/allowed_paths/1"))
        );
        // a line that stands for no JSON value has no pointer
        assert_eq!(c.locate(999, 1).pointer, None);
    }

    #[test]
    fn compact_json_still_reads_every_value() {
        let p = json(r#"{"wp_id":"WP-1-Json","lifecycle":{"status":"Done","validator_verdict":"PASS"},"scope":{"allowed_paths":["a.rs","b.rs"]}}"#)
            .to_packet(id());
        assert_eq!(p.status().unwrap().value.kind, Some(StatusKind::Done));
        assert_eq!(p.in_scope_paths().len(), 2);
        assert!(p.is_validated());
    }

    #[test]
    fn wrong_types_are_reported_and_ignored() {
        let j = json(
            r#"{"lifecycle":{"status":7},"scope":{"allowed_paths":"one.rs","spec_anchors":[1,"2.1"]}}"#,
        );
        assert!(j.status.is_none());
        assert_eq!(j.allowed_paths.len(), 1, "a lone string is one entry");
        assert_eq!(j.spec_anchors.len(), 1);
        let codes: Vec<_> = j.problems.iter().map(|d| d.message.clone()).collect();
        assert_eq!(codes.len(), 2, "{codes:?}");
        assert!(codes[0].contains("/lifecycle/status"));
        assert!(codes[1].contains("/scope/spec_anchors/0"));
    }

    #[test]
    fn invalid_json_is_located() {
        for bad in ["{\"wp_id\": ", "[1,2]", "", "{\"a\": tru}", "\u{0}"] {
            let e = parse(&Source::from_bytes("x/packet.json", bad.as_bytes()))
                .unwrap_err()
                .diagnostic();
            assert_eq!(e.code, "PKT040");
            assert!(e.line.is_some());
        }
    }

    #[test]
    fn hostile_values_cannot_hide_or_add_lines() {
        let p = json(r##"{"lifecycle":{"status":"Done\n- STATUS: In Progress <!--"},"scope":{"allowed_paths":["\u0023 heading","a.rs -->"]}}"##)
            .to_packet(id());
        let s = p.status().unwrap();
        assert!(s.value.raw.starts_with("Done"), "{}", s.value.raw);
        let paths: Vec<_> = p.in_scope_paths().into_iter().map(|s| s.value).collect();
        assert_eq!(paths, ["heading", "a.rs"]);
    }

    #[test]
    fn disagreements_with_the_markdown() {
        let md = crate::model::packet::test_packet(
            "- STATUS: Done\n- USER_SIGNATURE: alice110220262332\n## IN_SCOPE_PATHS\n- src/a.rs\n- src/b.rs\n- src/c.rs\n",
        );
        let d = json(PRETTY).disagreements(&md);
        let msgs: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("/lifecycle/status") && msgs[0].contains("`Done`"));
        assert!(msgs[1].contains("only in the Markdown: src/c.rs"));
        let same = crate::model::packet::test_packet(
            "- STATUS: In Progress\n- USER_SIGNATURE: alice110220262332\n## IN_SCOPE_PATHS\n- src/a.rs\n- src/b.rs\n",
        );
        assert!(json(PRETTY).disagreements(&same).is_empty());
    }
}
