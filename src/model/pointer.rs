//! The spec pointer (`SPEC_CURRENT.md`): which spec file is current.
//!
//! Forms seen in real repositories: a Markdown link, a bold file name, a bold path,
//! a JSON object with the entry path and version, or a bare file name in prose.
//!
//! The JSON form of 2026-05 (`{"schema":"<name>.spec_current@1","current_spec":{..},
//! "previous_current_spec":{..},..}`) is read by its keys: the current spec is
//! `current_spec.entrypoint_path` (an indexed-bundle manifest, repository-relative) at
//! `current_spec.version`; the baseline monolith it was cut from
//! (`source_baseline_path`), the previous spec and the bundle and archive roots are
//! never taken for it. A file that is one JSON object is read as JSON only: text found
//! in a broken one (a baseline path, say) is never taken for the current spec.

use crate::text::Source;
use serde::Serialize;
use serde_json::Value;

/// How the pointer names the spec: a Markdown link, a bold name or path, a JSON
/// document, or plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PointerForm {
    Link,
    BoldName,
    BoldPath,
    Json,
    Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pointer {
    pub path: String,
    /// The spec file as written in the pointer.
    pub target: String,
    pub form: PointerForm,
    /// A version given explicitly (JSON form) or read from the file name.
    pub version: Option<String>,
    pub line: usize,
    pub column: usize,
    /// `current_spec.previous_version` (JSON form): the version spec comparison uses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
    /// `previous_current_spec.entrypoint_path`, when it is that previous version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_target: Option<String>,
    /// Other paths the JSON pointer references (`resolver_index_path`,
    /// `governance_reference.path`), by key: looked at, never required.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<(String, String)>,
}

impl Pointer {
    /// Reads the pointer; `None` when no form names a `.md` file.
    pub fn parse(source: &Source) -> Option<Pointer> {
        let text = &source.text;
        if is_json_document(text) {
            // a broken JSON pointer names nothing: its other strings are not the spec
            return json_form(text).map(|found| Pointer::build(source, found));
        }
        let found = json_form(text)
            .or_else(|| link_form(text))
            .or_else(|| bold_form(text))
            .or_else(|| text_form(text))?;
        Some(Pointer::build(source, found))
    }

    fn build(source: &Source, found: Found) -> Pointer {
        let text = &source.text;
        let (offset, target, form, version) = found;
        let (line, column) = source.line_col(offset);
        let version = version.or_else(|| super::spec::version_from_name(&target));
        let mut pointer = Pointer {
            path: source.path.clone(),
            target,
            form,
            version,
            line,
            column,
            previous_version: None,
            previous_target: None,
            references: Vec::new(),
        };
        if form == PointerForm::Json {
            if let Some(obj) = json_object(text) {
                pointer.read_json_extras(&obj);
            }
        }
        pointer
    }

    /// The previous version and the paths referenced beside the current spec.
    fn read_json_extras(&mut self, obj: &Map<String, Value>) {
        let current = obj.get("current_spec");
        fn at<'a>(v: Option<&'a Value>, k: &str) -> Option<&'a str> {
            v.and_then(|o| o.get(k)).and_then(Value::as_str)
        }
        self.previous_version = at(current, "previous_version").map(str::to_string);
        let previous = obj.get("previous_current_spec");
        let prev_version = at(previous, "version");
        if prev_version.is_none() || prev_version == self.previous_version.as_deref() {
            self.previous_target = at(previous, "entrypoint_path").map(str::to_string);
            if self.previous_version.is_none() {
                self.previous_version = prev_version.map(str::to_string);
            }
        }
        for (key, value) in [
            (
                "current_spec.resolver_index_path",
                at(current, "resolver_index_path"),
            ),
            (
                "governance_reference.path",
                at(obj.get("governance_reference"), "path"),
            ),
        ] {
            if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                self.references.push((key.to_string(), v.to_string()));
            }
        }
    }
}

/// Why a pointer written as JSON names no current spec (for a located diagnostic):
/// `None` when the file is not JSON or names one.
pub fn json_problem(text: &str) -> Option<String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('{') {
        return None;
    }
    match serde_json::from_str::<Value>(trimmed) {
        Err(e) => Some(format!("it is not valid JSON ({e})")),
        Ok(Value::Object(obj)) => match current_target(&obj) {
            Some(_) => None,
            None if obj.contains_key("current_spec") => Some(
                "`current_spec` has no `entrypoint_path` (the baseline and previous spec are not the current one)"
                    .to_string(),
            ),
            None => Some("it has no `current_spec.entrypoint_path`".to_string()),
        },
        Ok(_) => Some("it is not a JSON object".to_string()),
    }
}

type Found = (usize, String, PointerForm, Option<String>);
type Map<K, V> = serde_json::Map<K, V>;

fn is_spec_file(s: &str) -> bool {
    let s = s.trim();
    s.to_ascii_lowercase().ends_with(".md") && !s.contains(char::is_whitespace) && s.len() > 3
}

/// Keys that name something other than the current spec, wherever they appear.
const NOT_CURRENT: &[&str] = &[
    "source_baseline_path",
    "previous_current_spec",
    "active_bundle_root_path",
    "archive_root_path",
    "changelog_path",
    "governance_reference",
];

/// The JSON object of a pointer: the whole file, or (in a Markdown pointer) the text
/// from its first `{` to its last `}`.
fn json_object(text: &str) -> Option<Map<String, Value>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let candidate = if trimmed.starts_with('{') {
        trimmed
    } else {
        let start = text.find('{')?;
        let end = text.rfind('}')?;
        if end <= start {
            return None;
        }
        &text[start..=end]
    };
    match serde_json::from_str(candidate).ok()? {
        Value::Object(obj) => Some(obj),
        _ => None,
    }
}

/// The current spec's path and version in a pointer object.
fn current_target(obj: &Map<String, Value>) -> Option<(&str, Option<&str>)> {
    fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    }
    if let Some(current) = obj.get("current_spec") {
        // the schema'd form: only `current_spec` names the current spec
        let path = ["entrypoint_path", "entry_path", "path", "spec_path"]
            .iter()
            .find_map(|k| s(current, k))?;
        let version = s(current, "version").or_else(|| s(current, "spec_version"));
        return Some((path, version));
    }
    let top = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    let path = [
        "spec",
        "entry",
        "entry_path",
        "entrypoint_path",
        "path",
        "file",
        "spec_file",
        "current",
        "master_spec",
    ]
    .iter()
    .find_map(|k| top(k))
    .or_else(|| {
        obj.iter()
            .filter(|(k, _)| !NOT_CURRENT.contains(&k.as_str()))
            .filter_map(|(_, v)| v.as_str())
            .find(|s| is_spec_file(s))
    })?;
    let version = top("version").or_else(|| top("spec_version"));
    Some((path, version))
}

fn json_form(text: &str) -> Option<Found> {
    let obj = json_object(text)?;
    let (target, version) = current_target(&obj)?;
    // locate the value where it is written (after its key, for the schema'd form)
    let key_at = ["\"entrypoint_path\"", "\"current_spec\""]
        .iter()
        .find_map(|k| text.find(k))
        .unwrap_or(0);
    let offset = text[key_at..]
        .find(target)
        .map(|o| key_at + o)
        .or_else(|| text.find(target))
        .unwrap_or(0);
    Some((
        offset,
        target.to_string(),
        PointerForm::Json,
        version.map(str::to_string),
    ))
}

/// Whether the pointer file is one JSON object: then only its keys count.
fn is_json_document(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

fn link_form(text: &str) -> Option<Found> {
    let mut from = 0;
    while let Some(i) = text[from..].find("](") {
        let at = from + i + 2;
        let end = text[at..].find(')').map(|e| at + e)?;
        let target = text[at..end].trim().trim_matches(['<', '>']);
        let target = target.split_whitespace().next().unwrap_or("");
        if is_spec_file(target) {
            return Some((at, target.to_string(), PointerForm::Link, None));
        }
        from = end;
    }
    None
}

fn bold_form(text: &str) -> Option<Found> {
    let mut from = 0;
    while let Some(i) = text[from..].find("**") {
        let at = from + i + 2;
        let end = text[at..].find("**").map(|e| at + e)?;
        let inner = text[at..end].trim().trim_matches('`');
        if is_spec_file(inner) {
            let form = if inner.contains('/') {
                PointerForm::BoldPath
            } else {
                PointerForm::BoldName
            };
            return Some((at, inner.to_string(), form, None));
        }
        from = end + 2;
    }
    None
}

fn text_form(text: &str) -> Option<Found> {
    let mut offset = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let w = word
            .trim()
            .trim_matches(|c: char| "`\"'()[]<>,;:".contains(c))
            .trim_end_matches('.');
        if is_spec_file(w) && w.to_ascii_lowercase().contains("spec") {
            let at = offset + word.find(w).unwrap_or(0);
            return Some((at, w.to_string(), PointerForm::Text, None));
        }
        offset += word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Pointer {
        Pointer::parse(&Source::from_bytes("docs/SPEC_CURRENT.md", text.as_bytes())).unwrap()
    }

    #[test]
    fn all_forms() {
        let l = p("Current: [Master_Spec_v02.44.md](../Master_Spec_v02.44.md)\n");
        assert_eq!(
            (l.target.as_str(), l.form),
            ("../Master_Spec_v02.44.md", PointerForm::Link)
        );
        assert_eq!(l.version.as_deref(), Some("v02.44"));
        let b = p("Current spec: **Master_Spec_v02.103.md**\n");
        assert_eq!(
            (b.target.as_str(), b.form),
            ("Master_Spec_v02.103.md", PointerForm::BoldName)
        );
        let bp = p("**.GOV/spec/Master_Spec_v02.179.md**\n");
        assert_eq!(bp.form, PointerForm::BoldPath);
        let j = p("```json\n{\"entry\": \".GOV/spec/Master_Spec_v02.179.md\", \"version\": \"v02.179\"}\n```\n");
        assert_eq!(
            (j.target.as_str(), j.form, j.version.as_deref()),
            (
                ".GOV/spec/Master_Spec_v02.179.md",
                PointerForm::Json,
                Some("v02.179")
            )
        );
        let t = p("Current spec is Master_Spec_v1.0.md.\n");
        assert_eq!(t.target, "Master_Spec_v1.0.md");
    }

    #[test]
    fn nothing_named() {
        assert!(Pointer::parse(&Source::from_bytes("x", b"no spec here\n")).is_none());
    }

    const CURRENT: &str = r#"{"schema":"x.spec_current@1","current_spec":{"entrypoint_path":".GOV/spec/b-v02.60/indexed-spec-manifest.json","entrypoint_type":"indexed_manifest","resolver_index_path":".GOV/spec/b-v02.60/INDEX.json","version":"v02.60","previous_version":"v02.59","source_baseline_path":".GOV/spec/Spec_v02.60.md"},"previous_current_spec":{"entrypoint_path":".GOV/spec/b-v02.59/indexed-spec-manifest.json","version":"v02.59"},"archive_root_path":".GOV/spec/spec_archive","governance_reference":{"path":"../runtime/GOV.md"}}"#;

    #[test]
    fn json_pointer_by_its_keys() {
        for text in [
            CURRENT.to_string(),
            format!("# Current\n\n```json\n{CURRENT}\n```\n"),
        ] {
            let j = p(&text);
            assert_eq!(j.form, PointerForm::Json);
            assert_eq!(j.target, ".GOV/spec/b-v02.60/indexed-spec-manifest.json");
            assert_eq!(j.version.as_deref(), Some("v02.60"));
            assert_eq!(j.previous_version.as_deref(), Some("v02.59"));
            assert_eq!(
                j.previous_target.as_deref(),
                Some(".GOV/spec/b-v02.59/indexed-spec-manifest.json")
            );
            assert_eq!(j.references.len(), 2);
            assert_eq!(json_problem(&text), None);
        }
    }

    #[test]
    fn broken_json_pointers_name_nothing() {
        let cut = &CURRENT[..CURRENT.find("\"previous_current_spec\"").unwrap()];
        let src = Source::from_bytes("SPEC_CURRENT.md", cut.as_bytes());
        assert!(
            Pointer::parse(&src).is_none(),
            "not the baseline named in the text"
        );
        assert!(json_problem(cut).unwrap().contains("not valid JSON"));
        let baseline = r#"{"current_spec":{"source_baseline_path":"Spec_v1.md"},"archive_root_path":"a/Spec_v0.md"}"#;
        assert!(Pointer::parse(&Source::from_bytes("x", baseline.as_bytes())).is_none());
        assert!(json_problem(baseline).unwrap().contains("entrypoint_path"));
        let deep = format!("{}1{}", "{\"a\":".repeat(1000), "}".repeat(1000));
        assert!(Pointer::parse(&Source::from_bytes("x", deep.as_bytes())).is_none());
        assert!(json_problem(&deep).is_some());
        // a previous spec of another version is not taken for the previous version
        let other = CURRENT.replace("\"version\":\"v02.59\"", "\"version\":\"v02.58\"");
        assert_eq!(p(&other).previous_target, None);
        assert_eq!(json_problem("# Markdown pointer\n"), None);
    }
}
