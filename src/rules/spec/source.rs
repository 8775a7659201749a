//! Reading the spec a pointer names: one Markdown file, or an indexed bundle (a
//! manifest and its module files) read as one spec; and finding the previous version
//! to compare with. Only files inside the repository are read: paths that lead out
//! of it (sibling worktrees, a runtime folder beside the checkout) are named in a
//! note, never followed.

use crate::diag::codes::spc;
use crate::diag::{Diagnostic, Severity};
use crate::error::GovError;
use crate::io::{read_bytes, OpenedFile, ReadError, MAX_FILE_BYTES};
use crate::model::pointer::{Pointer, PointerForm};
use crate::model::spec::bundle::{self, check_hash, path_problem, HashCheck, Manifest, OrderIssue};
use crate::model::spec::{split_version, version_key, ModuleText, RoadmapMatcher, Spec};
use crate::repo::Repo;
use crate::text::Source;
use std::path::Path;

/// A spec as read, before parsing: a single file is only opened (its cached index may
/// spare reading it), a bundle's modules are read.
pub enum SpecSource {
    Single(OpenedFile),
    Modular(ModularSource),
}

pub struct ModularSource {
    manifest: String,
    version: Option<String>,
    modules: Vec<ModuleText>,
}

impl SpecSource {
    pub fn path(&self) -> &str {
        match self {
            SpecSource::Single(f) => f.rel(),
            SpecSource::Modular(m) => &m.manifest,
        }
    }

    /// Parses the spec; the text is handed over, not copied (specs run to several MB).
    /// A single-file spec comes from the cache when the file and its text are those
    /// the cached index was made from; reading it warns as [`Repo::read`] does.
    pub fn parse(
        self,
        repo: &Repo,
        cache: &SpecCache,
        roadmap: &RoadmapMatcher,
    ) -> Result<Spec, GovError> {
        match self {
            SpecSource::Single(file) => load_single(repo, cache, file, roadmap),
            SpecSource::Modular(m) => Ok(Spec::from_modules(
                &m.manifest,
                m.version,
                m.modules,
                roadmap,
            )),
        }
    }
}

/// A single-file spec. When the cache has an entry with the file's identity, the file
/// streams through a small buffer to be hashed, and a matching hash builds the spec
/// from the entry alone: the text is never held. Otherwise the file is read and
/// parsed, and a clean text's index is cached (a text with invalid UTF-8 or conflict
/// markers is not: a hit skips the checks that would warn about them). The matcher
/// is part of the key: another Roadmap pattern is a miss.
fn load_single(
    repo: &Repo,
    store: &SpecCache,
    mut file: OpenedFile,
    roadmap: &RoadmapMatcher,
) -> Result<Spec, GovError> {
    let path = file.rel().to_string();
    let meta = file.meta.clone();
    let key = format!("{path}\n{}", roadmap.key());
    if store.is_active() && store.knows(&key, &meta) {
        let hash = stream_hash(&mut file).map_err(|error| GovError::Read {
            what: "spec",
            error,
        })?;
        let cached = store.get(&key, &meta, hash);
        if let Some(spec) = cached.and_then(|index| Spec::from_cached_index(&path, index)) {
            return Ok(spec);
        }
    }
    let (source, clean) = repo.read_opened(file, "spec")?;
    let fill = clean && store.is_active() && !store.is_read_only();
    let hash = fill.then(|| crate::cache::content_hash(source.text.as_bytes()));
    let spec = Spec::parse(&path, source.text, roadmap);
    if let (Some(hash), Some(index)) = (hash, spec.cached_index()) {
        store.put(&key, &meta, hash, &index);
    }
    Ok(spec)
}

/// The content hash ([`crate::cache::content_hash`]) of a file's text as a clean
/// read decodes it: without a leading byte-order mark.
fn stream_hash(file: &mut OpenedFile) -> Result<u64, ReadError> {
    let mut hasher = crate::cache::ContentHasher::default();
    let mut head = true;
    file.stream(|chunk| {
        let chunk = match head {
            true => chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk),
            false => chunk,
        };
        head = false;
        hasher.update(chunk);
    })?;
    Ok(hasher.finish())
}

/// Cached spec indexes: the current spec and its previous version (a table keeps the
/// entries its run used; `Repo::load_spec`, which reads the current spec alone, only
/// looks in it).
pub type SpecCache = crate::cache::Table<crate::model::spec::CachedIndex>;

/// The spec index cache of the repository at `root` (save it after parsing).
pub fn spec_cache(root: &Path) -> SpecCache {
    crate::cache::Table::open(root, "spec")
}

/// The spec index cache, looked in only: `Repo::load_spec` (pre-work and the commands
/// that read just the current spec) uses what spec-regression, phase-gate and status
/// cached, and a cold run pays neither the hash nor the write.
pub fn spec_cache_read_only(root: &Path) -> SpecCache {
    crate::cache::Table::open(root, "spec").read_only()
}

/// Whether a spec path names a bundle manifest rather than a Markdown spec.
pub fn is_manifest(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == bundle::MANIFEST || name.to_ascii_lowercase().ends_with(".json")
}

/// `a/b` + `../c` → `a/c`; `None` if it climbs above the root or is absolute.
pub fn join(dir: &str, target: &str) -> Option<String> {
    if target.starts_with('/') || target.starts_with('\\') || target.get(1..2) == Some(":") {
        return None;
    }
    crate::paths::join_segments(dir, target.split(['/', '\\']))
}

fn parent(path: &str) -> String {
    Path::new(path)
        .parent()
        .map(crate::paths::to_slash)
        .unwrap_or_default()
}

/// The spec's repository path, or the finding that says why there is none.
pub fn locate(repo: &Repo, pointer: &Pointer) -> Result<String, Box<Diagnostic>> {
    if let Some(path) = repo.spec_path(pointer) {
        return Ok(path);
    }
    let target = pointer.target.trim();
    let why = if !escapes(pointer) {
        format!(
            "the spec `{}` named by the pointer does not exist (looked beside the pointer and at the repository root)",
            crate::model::wp_id::printable(target)
        )
    } else {
        format!(
            "the spec `{}` named by the pointer is outside the repository; gov reads nothing outside the root",
            crate::model::wp_id::printable(target)
        )
    };
    Err(Box::new(Diagnostic::new(&spc::SPEC_MISSING, why).at(
        pointer.path.clone(),
        pointer.line,
        pointer.column,
    )))
}

/// Whether the pointer's target lies outside the repository (and so is never read).
pub fn escapes(pointer: &Pointer) -> bool {
    let target = pointer.target.trim();
    match pointer.form {
        PointerForm::Link => join(&parent(&pointer.path), target).is_none(),
        _ => join("", target).is_none(),
    }
}

/// Reads the spec at `path` (a Markdown file or a bundle manifest). `Ok(None)` when a
/// manifest cannot be read as one (the finding says why); an unreadable file is an
/// error, as for every document.
pub fn read(
    repo: &Repo,
    path: &str,
    version: Option<&str>,
    findings: &mut Vec<Diagnostic>,
) -> Result<Option<SpecSource>, GovError> {
    if !is_manifest(path) {
        return Ok(Some(SpecSource::Single(repo.open_file(path, "spec")?)));
    }
    let src = repo.read_markdown(path, "spec manifest")?;
    let manifest = match Manifest::parse(&src.text) {
        Ok(m) => m,
        Err(why) => {
            findings.push(
                Diagnostic::new(
                    &spc::MANIFEST_INVALID,
                    format!("the spec manifest cannot be read: {why}"),
                )
                .in_file(path.to_string()),
            );
            return Ok(None);
        }
    };
    let dir = parent(path);
    let (order, issues) = manifest.ordered();
    for issue in issues {
        let what = match issue {
            OrderIssue::Unknown(k) => format!("`reconstruction.module_order` names `{k}`, which no module of the manifest is"),
            OrderIssue::Repeated(k) => format!("the module `{k}` is listed twice; gov reads it once"),
            OrderIssue::Unordered(k) => format!("the module `{k}` is missing from `reconstruction.module_order`; gov reads it after the ordered ones"),
        };
        findings.push(
            Diagnostic::new(&spc::MODULE_ORDER, what)
                .at_line(path.to_string(), line_of(&src.text, "module_order")),
        );
    }
    let mut modules = Vec::with_capacity(order.len());
    let mut budget = MAX_FILE_BYTES;
    for m in order {
        let at_line = line_of(&src.text, &format!("\"{}\"", m.path));
        let unreadable = |why: String| {
            Diagnostic::new(
                &spc::MODULE_UNREADABLE,
                format!(
                    "the spec module `{}` is not read: {why}",
                    crate::model::wp_id::printable(&m.path)
                ),
            )
            .at_line(path.to_string(), at_line)
        };
        if let Some(why) = path_problem(&m.path) {
            findings.push(unreadable(why.to_string()));
            continue;
        }
        let Some(rel) = join(&dir, &m.path) else {
            findings.push(unreadable("it lies outside the repository".to_string()));
            continue;
        };
        let bytes = match read_bytes(&repo.root, &rel) {
            Ok(b) => b,
            Err(ReadError::Missing(_)) => {
                findings.push(unreadable(format!("{rel} does not exist")));
                continue;
            }
            Err(e) => {
                findings.push(unreadable(e.to_string()));
                continue;
            }
        };
        if bytes.len() as u64 > budget {
            findings.push(unreadable(format!(
                "the bundle's modules together exceed {MAX_FILE_BYTES} bytes"
            )));
            break;
        }
        budget -= bytes.len() as u64;
        if check_hash(&bytes, m.sha256.as_deref()) == HashCheck::Mismatch {
            findings.push(
                Diagnostic::new(
                    &spc::MODULE_HASH_MISMATCH,
                    format!(
                        "the module {rel} does not match its manifest sha256, as written nor with CRLF or LF line endings; gov reads it anyway"
                    ),
                )
                .in_file(rel.clone()),
            );
        }
        let source = Source::from_vec(rel.clone(), bytes);
        if let Some(d) = crate::repo::lossy_warning(&source, "spec module") {
            findings.push(d);
        }
        modules.push(ModuleText {
            path: rel,
            id: m.id.clone(),
            section_id: m.section_id.clone(),
            text: source.text,
        });
    }
    let version = version
        .map(str::to_string)
        .or(manifest.version.clone())
        .or_else(|| split_version(&dir).map(|(_, v)| v.to_string()));
    Ok(Some(SpecSource::Modular(ModularSource {
        manifest: path.to_string(),
        version,
        modules,
    })))
}

/// The 1-based line of the first occurrence of `needle` in `text` (1 if absent).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(1, |at| {
        text[..at].bytes().filter(|&b| b == b'\n').count() + 1
    })
}

/// A note when the bundle's `INDEX.json` (or the pointer's resolver index) names
/// another version than the spec: gov follows the manifest, the resolver index can lag.
pub fn resolver_lag(repo: &Repo, spec: &SpecSource, resolver: Option<&str>) -> Option<Diagnostic> {
    let SpecSource::Modular(m) = spec else {
        return None;
    };
    let version = m.version.as_deref()?;
    let dir = parent(&m.manifest);
    let path = resolver
        .and_then(|r| join("", r))
        .or_else(|| join(&dir, "INDEX.json"))
        .filter(|p| repo.exists(p))?;
    let src =
        crate::io::read_source_within(&repo.root, &path, crate::repo::MAX_MARKDOWN_BYTES).ok()?;
    let value = serde_json::from_str::<serde_json::Value>(&src.text).ok()?;
    let named = ["spec_version", "version"]
        .iter()
        .find_map(|k| value.get(*k).and_then(|v| v.as_str()));
    let named = named.filter(|n| version_key(n) != version_key(version))?;
    Some(
        Diagnostic::new(
            &spc::RESOLVER_INDEX_LAGS,
            format!("{path} names spec version {named}, the current spec is {version}; gov follows the manifest"),
        )
        .in_file(path.clone()),
    )
}

/// Notes for the paths a JSON pointer references beside the current spec when they
/// are outside the repository or absent: not available here, never an error.
pub fn reference_notes(repo: &Repo, pointer: &Pointer) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, path) in &pointer.references {
        let shown = crate::model::wp_id::printable(path);
        let why = match join("", path) {
            None => format!(
                "`{key}` names `{shown}`, outside the repository: not available here and not read"
            ),
            Some(p) if !repo.exists(&p) => {
                format!("`{key}` names `{shown}`, which is not in the repository: not available")
            }
            Some(_) => continue,
        };
        out.push(Diagnostic::new(&spc::REFERENCE_NOT_AVAILABLE, why).at(
            pointer.path.clone(),
            pointer.line,
            pointer.column,
        ));
    }
    out
}

/// The previous spec version to compare with: the JSON pointer's `previous_version`
/// (where the pointer's previous entry, a bundle folder or a versioned file of the
/// spec folder or its archive has it), else the highest lower version beside the spec.
/// `Err` holds a note when the pointer names a previous version gov cannot find.
pub fn previous(
    repo: &Repo,
    pointer: &Pointer,
    current: &str,
) -> Result<Option<String>, Box<Diagnostic>> {
    let modular = is_manifest(current);
    // the folder that holds the spec files or the bundle folders
    let base = if modular {
        parent(&parent(current))
    } else {
        parent(current)
    };
    let Some(wanted) = pointer.previous_version.as_deref() else {
        return Ok(highest_lower(repo, &base, current, modular));
    };
    if let Some(p) = pointer
        .previous_target
        .as_deref()
        .and_then(|t| join("", t))
        .filter(|p| p != current && repo.exists(p))
    {
        return Ok(Some(p));
    }
    let key = version_key(wanted);
    let mut dirs = vec![base.clone()];
    for sub in ["spec_archive", "history", "archive"] {
        dirs.push(join(&base, sub).unwrap_or_else(|| sub.to_string()));
    }
    for dir in dirs {
        let mut found: Vec<String> = entries(repo, &dir)
            .into_iter()
            .filter(|(name, _)| split_version(name).is_some_and(|(_, v)| version_key(v) == key))
            .filter_map(|(name, is_dir)| spec_in(repo, &dir, &name, is_dir))
            .filter(|p| p != current)
            .collect();
        found.sort();
        if let Some(p) = found.into_iter().next() {
            return Ok(Some(p));
        }
    }
    Err(Box::new(Diagnostic::new(
        &spc::PREVIOUS_NOT_FOUND,
        format!("the pointer names {wanted} as the previous spec version, but gov finds no spec of that version in the repository; versions are not compared"),
    )
    .at(pointer.path.clone(), pointer.line, pointer.column)))
}

/// The spec an entry of a spec folder holds: a Markdown spec file, or a bundle
/// folder's manifest.
fn spec_in(repo: &Repo, dir: &str, name: &str, is_dir: bool) -> Option<String> {
    let path = join(dir, name)?;
    if is_dir {
        let manifest = join(&path, bundle::MANIFEST)?;
        return repo.exists(&manifest).then_some(manifest);
    }
    name.to_ascii_lowercase().ends_with(".md").then_some(path)
}

/// Names in a repository folder, with whether each is a folder (links not followed).
fn entries(repo: &Repo, dir: &str) -> Vec<(String, bool)> {
    let Ok(full) = crate::paths::resolve_inside(&repo.root, if dir.is_empty() { "." } else { dir })
    else {
        return Vec::new();
    };
    let Ok(read) = std::fs::read_dir(full) else {
        return Vec::new();
    };
    read.flatten()
        .filter_map(|e| {
            let t = e.file_type().ok()?;
            (t.is_file() || t.is_dir())
                .then(|| (e.file_name().to_string_lossy().to_string(), t.is_dir()))
        })
        .collect()
}

/// The highest lower version of the same spec beside it: `Master_Spec_v1.0.md` beside
/// `Master_Spec_v1.1.md`, or the bundle folder `master-spec-v02.59` beside
/// `master-spec-v02.60`.
fn highest_lower(repo: &Repo, base: &str, current: &str, modular: bool) -> Option<String> {
    let own = if modular {
        parent(current)
    } else {
        current.to_string()
    };
    let (prefix, version) = split_version(&own)?;
    let now = version_key(version);
    entries(repo, base)
        .into_iter()
        .filter(|(_, is_dir)| *is_dir == modular)
        .filter_map(|(name, is_dir)| {
            let (p, v) = split_version(&name)?;
            let key = version_key(v);
            if p != prefix || key >= now {
                return None;
            }
            Some((key, spec_in(repo, base, &name, is_dir)?))
        })
        .max()
        .map(|(_, p)| p)
}

/// Reads the previous version; what goes wrong is a warning, never a failure.
pub fn read_previous(
    repo: &Repo,
    path: &str,
    findings: &mut Vec<Diagnostic>,
) -> Option<SpecSource> {
    let mut quiet = Vec::new();
    match read(repo, path, None, &mut quiet) {
        Ok(src) => {
            // an old bundle's hash or order notes are not this version's business
            findings.extend(
                quiet
                    .into_iter()
                    .filter(|d| {
                        d.code == spc::MODULE_UNREADABLE.code
                            || d.code == spc::MANIFEST_INVALID.code
                    })
                    .map(|d| d.severity(Severity::Warning)),
            );
            src
        }
        Err(e) => {
            findings.push(e.diagnostic().severity(Severity::Warning));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_streamed_hash_is_the_content_hash_of_the_decoded_text() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# Spec\n## 1 A\n".repeat(20_000); // several stream chunks
        for (name, bytes) in [
            ("plain.md", text.clone().into_bytes()),
            ("bom.md", format!("\u{feff}{text}").into_bytes()),
        ] {
            std::fs::write(dir.path().join(name), bytes).unwrap();
            let mut file = crate::io::open_within(dir.path(), name, MAX_FILE_BYTES).unwrap();
            let hash = super::stream_hash(&mut file).unwrap();
            assert_eq!(hash, crate::cache::content_hash(text.as_bytes()), "{name}");
        }
    }

    use super::*;

    #[test]
    fn joins_stay_inside() {
        assert_eq!(
            join(".GOV/spec/b", "spec-modules/01.md").as_deref(),
            Some(".GOV/spec/b/spec-modules/01.md")
        );
        assert_eq!(
            join("docs", "../Master_Spec_v1.md").as_deref(),
            Some("Master_Spec_v1.md")
        );
        assert_eq!(join("", "../outside/x.json"), None);
        assert_eq!(join("", "/etc/x"), None);
        assert_eq!(join("", "C:\\x"), None);
    }
}
