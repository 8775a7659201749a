//! Spec pointer and anchor integrity (`gov spec-regression`), as a library call that
//! `phase-gate` and `status` reuse. The pointer and the spec are this check's subject,
//! so a pointer that names nothing or a missing spec file are findings here (exit 1),
//! where other commands stop with exit 2.

mod anchors;
pub mod source;
mod structure;
mod versions;

pub use anchors::{Cited, RequiredState};

use crate::config::ConfigError;
use crate::diag::codes::{cfg, spc};
use crate::diag::{Diagnostic, Severity};
use crate::error::GovError;
use crate::io::ReadError;
use crate::model::anchor::{dotted_number, parse_anchors, Anchor, SectionNumber};
use crate::model::pointer::Pointer;
use crate::model::spec::{RoadmapMatcher, Spec};
use crate::repo::Repo;
use crate::rules::inventory::Inventory;
use source::SpecSource;

/// The outcome of the spec checks, with the documents they read.
#[derive(Debug, Clone, Default)]
pub struct SpecRegression {
    pub diagnostics: Vec<Diagnostic>,
    pub pointer: Option<Pointer>,
    pub spec: Option<Spec>,
    /// The previous version found beside the spec, if any.
    pub previous: Option<Spec>,
    pub required: Vec<RequiredState>,
    pub cited: Cited,
    /// Headings that repeat an earlier heading's number.
    pub duplicates: usize,
}

impl SpecRegression {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// An anchor listed in `spec.required_anchors`, as written and as parsed.
#[derive(Debug, Clone)]
pub struct Required {
    pub written: String,
    pub anchor: Anchor,
}

/// Runs every spec check. Exit-2 conditions (bad configuration, an unreadable file)
/// are errors; everything about the pointer and the spec is a diagnostic.
pub fn run(repo: &Repo, inventory: &Inventory) -> Result<SpecRegression, GovError> {
    Ok(check(read(repo)?.parse(repo)?, inventory))
}

/// Reads the spec files, then parses them on a second thread while `alongside` runs
/// on this one (loading the packets, typically): the two largest costs of the
/// integrity commands overlap instead of adding up.
pub fn parse_alongside<T>(
    repo: &Repo,
    alongside: impl FnOnce() -> T,
) -> Result<(ParsedSpec, T), GovError> {
    let files = read(repo)?;
    std::thread::scope(|s| {
        let parsing = s.spawn(move || files.parse(repo));
        let other = alongside();
        match parsing.join() {
            Ok(parsed) => Ok((parsed?, other)),
            // a panic is a bug; re-raise it as the single-threaded path would
            Err(p) => std::panic::resume_unwind(p),
        }
    })
}

/// The spec documents as read, before parsing.
pub struct SpecFiles {
    required: Vec<Required>,
    pointer: Option<Pointer>,
    spec: Option<SpecSource>,
    previous: Option<SpecSource>,
    roadmap: RoadmapMatcher,
    findings: Vec<Diagnostic>,
    /// The repository root, where the index cache is looked for.
    root: std::path::PathBuf,
}

/// The spec documents parsed, ready for [`check`].
pub struct ParsedSpec {
    required: Vec<Required>,
    pointer: Option<Pointer>,
    spec: Option<Spec>,
    previous: Option<Spec>,
    findings: Vec<Diagnostic>,
}

/// Reads the configuration's required anchors, the pointer, the spec and its
/// previous version (file access only; parsing is [`SpecFiles::parse`]).
pub fn read(repo: &Repo) -> Result<SpecFiles, GovError> {
    let mut files = SpecFiles {
        required: required_anchors(repo)?,
        pointer: None,
        spec: None,
        previous: None,
        roadmap: repo.config.roadmap_regex(),
        findings: Vec::new(),
        root: repo.root.clone(),
    };
    let Some(pointer) = load_pointer(repo, &mut files.findings)? else {
        return Ok(files);
    };
    files
        .findings
        .extend(source::reference_notes(repo, &pointer));
    let located = source::locate(repo, &pointer);
    let pointer = files.pointer.insert(pointer);
    let path = match located {
        Ok(path) => path,
        Err(d) => {
            files.findings.push(*d);
            return Ok(files);
        }
    };
    let resolver = pointer
        .references
        .iter()
        .find(|(k, _)| k == "current_spec.resolver_index_path")
        .map(|(_, v)| v.as_str());
    files.spec = source::read(
        repo,
        &path,
        pointer
            .version
            .as_deref()
            .filter(|_| source::is_manifest(&path)),
        &mut files.findings,
    )?;
    if let Some(spec) = &files.spec {
        files
            .findings
            .extend(source::resolver_lag(repo, spec, resolver));
    }
    match source::previous(repo, pointer, &path) {
        Ok(Some(prev)) => files.previous = source::read_previous(repo, &prev, &mut files.findings),
        Ok(None) => {}
        Err(note) => files.findings.push(*note),
    }
    Ok(files)
}

impl SpecFiles {
    /// Reads (unless the cache spares it) and parses the spec and its previous version.
    pub fn parse(self, repo: &Repo) -> Result<ParsedSpec, GovError> {
        let cache = source::spec_cache(&self.root);
        let parse = |src: Option<SpecSource>| {
            src.map(|s| s.parse(repo, &cache, &self.roadmap))
                .transpose()
        };
        let mut findings = self.findings;
        let spec = parse(self.spec)?;
        // as when it cannot be opened, a previous version that cannot be read is a note
        let previous = parse(self.previous).unwrap_or_else(|e| {
            findings.push(e.diagnostic().severity(Severity::Warning));
            None
        });
        cache.save();
        Ok(ParsedSpec {
            spec,
            previous,
            required: self.required,
            pointer: self.pointer,
            findings,
        })
    }
}

/// Runs the checks on parsed documents and the packets.
pub fn check(parsed: ParsedSpec, inventory: &Inventory) -> SpecRegression {
    let mut out = SpecRegression {
        diagnostics: parsed.findings,
        pointer: parsed.pointer,
        ..SpecRegression::default()
    };
    let Some(spec) = parsed.spec else {
        return out;
    };
    let previous = parsed.previous;
    let (states, diags) = anchors::required(&spec, &parsed.required);
    out.required = states;
    out.diagnostics.extend(diags);
    let (cited, diags) = anchors::cited(&spec, previous.as_ref(), inventory);
    out.diagnostics.extend(diags);
    if let Some(prev) = &previous {
        out.diagnostics
            .extend(versions::compare(&spec, prev, &cited.numbers));
    }
    let duplicates = spec.duplicates();
    out.duplicates = duplicates.len();
    out.diagnostics.extend(structure::check(&spec, &duplicates));
    out.cited = cited;
    out.spec = Some(spec);
    out.previous = previous;
    out
}

/// The pointer, or a finding saying why there is none.
fn load_pointer(repo: &Repo, findings: &mut Vec<Diagnostic>) -> Result<Option<Pointer>, GovError> {
    let path = &repo.layout.spec_pointer;
    match repo.load_pointer() {
        Ok(p) => Ok(Some(p)),
        Err(e @ GovError::PointerUnresolved { .. }) => {
            let why = repo
                .read_markdown(path, "spec pointer")
                .ok()
                .and_then(|src| crate::model::pointer::json_problem(&src.text));
            findings.push(match why {
                Some(why) => Diagnostic::new(
                    &spc::POINTER_JSON_INVALID,
                    format!("the spec pointer names no current spec: {why}"),
                )
                .in_file(path.clone()),
                None => e.diagnostic(),
            });
            Ok(None)
        }
        Err(GovError::Read {
            error: ReadError::Missing(_),
            ..
        }) => {
            findings.push(
                Diagnostic::new(
                    &spc::POINTER_UNRESOLVED,
                    format!("the spec pointer {path} does not exist"),
                )
                .in_file(path.clone())
                .help(format!("create {path} naming the current spec, e.g. `[Master_Spec_v1.0.md](../Master_Spec_v1.0.md)`")),
            );
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// `spec.required_anchors` parsed; an entry that is no anchor is a configuration error.
pub fn required_anchors(repo: &Repo) -> Result<Vec<Required>, GovError> {
    let mut out = Vec::new();
    for (i, written) in repo.config.spec.required_anchors.iter().enumerate() {
        let anchor = parse_required(written).ok_or_else(|| ConfigError {
            code: &cfg::CONFIG_INVALID_VALUE,
            path: repo
                .config_path
                .clone()
                .unwrap_or_else(|| crate::config::CONFIG_FILE.to_string()),
            key: Some(format!("spec.required_anchors[{i}]")),
            line: None,
            reason: format!(
                "`{written}` is not a section number (such as 2.3.12) or a [CX-...] code"
            ),
        })?;
        out.push(Required {
            written: written.clone(),
            anchor,
        });
    }
    Ok(out)
}

/// `2.3.12`, `A2.3.12`, `§7`, `7`, `CX-DBP-001`, `[CX-DBP-001]`.
fn parse_required(written: &str) -> Option<Anchor> {
    let w = written.trim();
    if let Some(a) = parse_anchors(w).into_iter().next() {
        return Some(a);
    }
    if let Some(n) = dotted_number(w) {
        return Some(Anchor::Section {
            number: SectionNumber(n),
        });
    }
    parse_anchors(&format!("[{w}]")).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_anchor_forms() {
        let sec = |n: &str| Anchor::Section {
            number: SectionNumber(n.into()),
        };
        assert_eq!(parse_required("2.3.12"), Some(sec("2.3.12")));
        assert_eq!(parse_required("A2.3.12"), Some(sec("2.3.12")));
        assert_eq!(parse_required("7"), Some(sec("7")));
        assert_eq!(parse_required("§7"), Some(sec("7")));
        assert_eq!(
            parse_required("CX-DBP-001"),
            Some(Anchor::Code {
                code: "CX-DBP-001".into()
            })
        );
        assert_eq!(parse_required("storage"), None);
    }
}
