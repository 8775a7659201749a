//! A modular spec ("indexed bundle"): `indexed-spec-manifest.json` lists the module
//! files (`spec-modules/NN-slug.md`), their SHA-256 and their reading order
//! (`reconstruction.module_order`). This file reads the manifest and checks a module
//! against it; reading the files is the caller's (it knows the repository root).
//!
//! The manifest is the authority: `INDEX.json` beside it is a resolver that can lag a
//! version behind. Hashes were taken on the author's disk, whose line endings a
//! checkout may change, so a module matches when its raw bytes, its LF→CRLF form or its
//! CRLF→LF form hash to the manifest's value.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The manifest's file name, by which bundles are recognised.
pub const MANIFEST: &str = "indexed-spec-manifest.json";

/// More module entries than this is not a manifest anyone wrote (real ones list 15).
pub const MAX_MODULES: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `spec_version` (or `version`), if the manifest names one.
    pub version: Option<String>,
    /// Modules in manifest order.
    pub modules: Vec<ManifestModule>,
    /// `reconstruction.module_order`: module ids (or paths), in reading order.
    pub order: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestModule {
    pub id: String,
    pub section_id: Option<String>,
    /// Relative to the manifest's folder, as written.
    pub path: String,
    pub sha256: Option<String>,
}

/// Something in the manifest's order that does not fit its module list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderIssue {
    /// `module_order` names no listed module.
    Unknown(String),
    /// A module is listed or ordered twice; read once.
    Repeated(String),
    /// A listed module missing from `module_order`; read after the ordered ones.
    Unordered(String),
}

/// A string or number member as text (`"07-6"`, `7.6`, `3`).
fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Manifest {
    /// Reads a manifest; the error says what is wrong, for a diagnostic.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("not valid JSON ({e})"))?;
        let obj = value.as_object().ok_or("not a JSON object".to_string())?;
        let list = obj
            .get("modules")
            .and_then(Value::as_array)
            .ok_or("it has no `modules` list".to_string())?;
        if list.len() > MAX_MODULES {
            return Err(format!(
                "it lists {} modules; gov reads at most {MAX_MODULES}",
                list.len()
            ));
        }
        let mut modules = Vec::with_capacity(list.len());
        for (i, m) in list.iter().enumerate() {
            let path = m
                .get("path")
                .and_then(Value::as_str)
                .filter(|p| !p.trim().is_empty())
                .ok_or(format!("`modules[{i}]` has no `path`"))?;
            modules.push(ManifestModule {
                id: text_of(m.get("module_id")).unwrap_or_else(|| i.to_string()),
                section_id: text_of(m.get("section_id")),
                path: path.to_string(),
                sha256: m
                    .get("sha256")
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_ascii_lowercase()),
            });
        }
        let order = obj
            .get("reconstruction")
            .and_then(|r| r.get("module_order"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| text_of(Some(v))).collect())
            .unwrap_or_default();
        let version = text_of(obj.get("spec_version")).or_else(|| text_of(obj.get("version")));
        Ok(Manifest {
            version,
            modules,
            order,
        })
    }

    /// The modules in reading order: `module_order` first (by module id, path or file
    /// name), then any module it leaves out, in manifest order; each module once.
    pub fn ordered(&self) -> (Vec<&ManifestModule>, Vec<OrderIssue>) {
        let mut taken = vec![false; self.modules.len()];
        let mut out = Vec::with_capacity(self.modules.len());
        let mut issues = Vec::new();
        let mut by_key: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (k, m) in self.modules.iter().enumerate() {
            let name = m.path.rsplit('/').next().unwrap_or(&m.path);
            for key in [m.id.as_str(), m.path.as_str(), name] {
                by_key.entry(key).or_insert(k);
            }
        }
        for key in &self.order {
            match by_key.get(key.as_str()) {
                Some(&k) if taken[k] => issues.push(OrderIssue::Repeated(key.clone())),
                Some(&k) => {
                    taken[k] = true;
                    out.push(&self.modules[k]);
                }
                None => issues.push(OrderIssue::Unknown(key.clone())),
            }
        }
        let mut seen_paths = std::collections::HashSet::new();
        for m in out.iter() {
            seen_paths.insert(m.path.as_str());
        }
        for (k, m) in self.modules.iter().enumerate() {
            if taken[k] {
                continue;
            }
            if !seen_paths.insert(m.path.as_str()) {
                issues.push(OrderIssue::Repeated(m.path.clone()));
                continue;
            }
            if !self.order.is_empty() {
                issues.push(OrderIssue::Unordered(m.id.clone()));
            }
            out.push(m);
        }
        (out, issues)
    }
}

/// Why a module path may not be read: gov reads modules inside the bundle folder only.
pub fn path_problem(path: &str) -> Option<&'static str> {
    let p = path.trim();
    if p.starts_with('/') || p.starts_with('\\') || p.get(1..2) == Some(":") {
        return Some("it is an absolute path");
    }
    if p.split(['/', '\\']).any(|s| s == "..") {
        return Some("it climbs out of the bundle folder with `..`");
    }
    if p.chars().any(char::is_control) {
        return Some("it holds control characters");
    }
    None
}

/// How a module's bytes compare with the manifest's `sha256`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashCheck {
    /// The manifest gives no hash.
    NotGiven,
    Raw,
    /// Matches once every lone LF is written as CRLF (the author's disk).
    Crlf,
    /// Matches once every CRLF is written as LF.
    Lf,
    Mismatch,
}

impl HashCheck {
    pub fn matches(self) -> bool {
        !matches!(self, HashCheck::Mismatch)
    }
}

pub fn check_hash(bytes: &[u8], expected: Option<&str>) -> HashCheck {
    let Some(expected) = expected else {
        return HashCheck::NotGiven;
    };
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    if hex(&Sha256::digest(bytes)) == expected {
        return HashCheck::Raw;
    }
    if hex(&line_ending_digest(bytes, true)) == expected {
        return HashCheck::Crlf;
    }
    if hex(&line_ending_digest(bytes, false)) == expected {
        return HashCheck::Lf;
    }
    HashCheck::Mismatch
}

/// SHA-256 of `bytes` with line endings rewritten, streamed (no copy of the module).
fn line_ending_digest(bytes: &[u8], to_crlf: bool) -> Vec<u8> {
    let mut h = Sha256::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let cr_before = nl > 0 && bytes[nl - 1] == b'\r';
        if to_crlf && !cr_before {
            h.update(&bytes[start..nl]);
            h.update(b"\r\n");
            start = nl + 1;
        } else if !to_crlf && cr_before {
            h.update(&bytes[start..nl - 1]);
            h.update(b"\n");
            start = nl + 1;
        }
    }
    h.update(&bytes[start..]);
    h.finalize().to_vec()
}

/// How many lines a frontmatter block may hold (real modules have 13).
const MAX_FRONTMATTER_LINES: usize = 200;

/// The end of a module's frontmatter: the byte offset just after its closing `---`
/// line and the number of lines it takes; `None` when the text does not open with a
/// `---` line closed within [`MAX_FRONTMATTER_LINES`].
pub fn frontmatter_end(text: &str) -> Option<(usize, usize)> {
    let text_start = text.len() - text.trim_start_matches('\u{feff}').len();
    let mut lines = text[text_start..].split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut offset = text_start + first.len();
    for (k, line) in lines.take(MAX_FRONTMATTER_LINES).enumerate() {
        offset += line.len();
        let l = line.trim_end();
        if l == "---" || l == "..." {
            return Some((offset, k + 2));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_order_and_issues() {
        let m = Manifest::parse(
            r#"{"spec_version":"v02.60","modules":[
                {"module_id":"00","section_id":"0","path":"spec-modules/00-preamble.md"},
                {"module_id":"01","section_id":1,"path":"spec-modules/01-intro.md"},
                {"module_id":"07-6","section_id":"7.6","path":"spec-modules/07-6-roadmap.md"}],
              "reconstruction":{"module_order":["01","00","nope","01"]}}"#,
        )
        .unwrap();
        assert_eq!(m.version.as_deref(), Some("v02.60"));
        assert_eq!(m.modules[1].section_id.as_deref(), Some("1"));
        let (order, issues) = m.ordered();
        let ids: Vec<&str> = order.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["01", "00", "07-6"]);
        assert_eq!(
            issues,
            [
                OrderIssue::Unknown("nope".into()),
                OrderIssue::Repeated("01".into()),
                OrderIssue::Unordered("07-6".into())
            ]
        );
    }

    #[test]
    fn bad_manifests_say_why() {
        assert!(Manifest::parse("{\"modules\": [")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(Manifest::parse("[1]").unwrap_err().contains("object"));
        assert!(Manifest::parse("{}").unwrap_err().contains("modules"));
        assert!(Manifest::parse("{\"modules\":[{}]}")
            .unwrap_err()
            .contains("path"));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(
            Manifest::parse(&deep).is_err(),
            "nesting is refused, not a crash"
        );
    }

    #[test]
    fn module_paths_stay_in_the_bundle() {
        assert_eq!(path_problem("spec-modules/01-a.md"), None);
        assert!(path_problem("../01-a.md").is_some());
        assert!(path_problem("spec-modules/../../x.md").is_some());
        assert!(path_problem("/etc/passwd").is_some());
        assert!(path_problem("C:\\x.md").is_some());
    }

    #[test]
    fn hashes_raw_crlf_and_lf() {
        let sha = |b: &[u8]| {
            Sha256::digest(b)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let lf = b"---\na\n---\n## 1 A\n";
        let crlf = b"---\r\na\r\n---\r\n## 1 A\r\n";
        assert_eq!(check_hash(lf, Some(&sha(lf))), HashCheck::Raw);
        assert_eq!(check_hash(lf, Some(&sha(crlf))), HashCheck::Crlf);
        assert_eq!(check_hash(crlf, Some(&sha(lf))), HashCheck::Lf);
        assert_eq!(check_hash(lf, Some(&"0".repeat(64))), HashCheck::Mismatch);
        assert_eq!(check_hash(lf, None), HashCheck::NotGiven);
    }

    #[test]
    fn frontmatter() {
        let t = "---\nschema: x\nmodule_id: 01\n---\n# 1. Intro\n";
        let (off, lines) = frontmatter_end(t).unwrap();
        assert_eq!((&t[off..], lines), ("# 1. Intro\n", 4));
        assert_eq!(frontmatter_end("# 1. Intro\n---\n"), None);
        assert_eq!(frontmatter_end("---\nno end\n"), None);
        let crlf = "---\r\na: b\r\n---\r\n## 1.1 X\r\n";
        assert_eq!(&crlf[frontmatter_end(crlf).unwrap().0..], "## 1.1 X\r\n");
    }
}
