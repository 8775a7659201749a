//! The spec pointer (`SPEC_CURRENT.md`): which spec file is current.
//!
//! Forms seen in real repositories: a Markdown link, a bold file name, a bold path,
//! a JSON object with the entry path and version, or a bare file name in prose.

use crate::text::Source;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

impl Pointer {
    /// Reads the pointer; `None` when no form names a `.md` file.
    pub fn parse(source: &Source) -> Option<Pointer> {
        let text = &source.text;
        let found = json_form(text)
            .or_else(|| link_form(text))
            .or_else(|| bold_form(text))
            .or_else(|| text_form(text))?;
        let (offset, target, form, version) = found;
        let (line, column) = source.line_col(offset);
        let version = version.or_else(|| super::spec::version_from_name(&target));
        Some(Pointer {
            path: source.path.clone(),
            target,
            form,
            version,
            line,
            column,
        })
    }
}

type Found = (usize, String, PointerForm, Option<String>);

fn is_spec_file(s: &str) -> bool {
    let s = s.trim();
    s.to_ascii_lowercase().ends_with(".md") && !s.contains(char::is_whitespace) && s.len() > 3
}

fn json_form(text: &str) -> Option<Found> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    if end <= start {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(&text[start..=end]).ok()?;
    let obj = value.as_object()?;
    let target = [
        "spec",
        "entry",
        "entry_path",
        "path",
        "file",
        "spec_file",
        "current",
        "master_spec",
    ]
    .iter()
    .find_map(|k| obj.get(*k).and_then(|v| v.as_str()))
    .or_else(|| {
        obj.values()
            .filter_map(|v| v.as_str())
            .find(|s| is_spec_file(s))
    })?;
    let version = ["version", "spec_version"]
        .iter()
        .find_map(|k| obj.get(*k).and_then(|v| v.as_str()))
        .map(str::to_string);
    let offset = text[start..].find(target).map_or(start, |o| start + o);
    Some((offset, target.to_string(), PointerForm::Json, version))
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
}
