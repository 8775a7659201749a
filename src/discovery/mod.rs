//! Layout discovery: where each governance document lives when gov.yaml does not say.
//!
//! Every document has a stable file name (`SPEC_CURRENT.md`, `TASK_BOARD.md`, ...).
//! Without configuration gov looks for those names under the governance folders it
//! finds (`docs/`, `.GOV/`, `.gov/`, `governance/`, then any other top-level folder),
//! at a bounded depth, in a fixed order, never following a link. For each document the
//! first rule that answers wins:
//!
//! 1. `paths.<key>` in gov.yaml (or the `layout:` preset it names);
//! 2. the `docs` or `dotgov` preset, when its pointer, board and audit all exist
//!    (the fast path: no walk);
//! 3. exactly one file of that name under a governance folder, else under another
//!    top-level folder. Two candidates are an error naming both and the key that
//!    settles it (GOV020).
//!
//! A document found by no rule keeps an expected path, and the places that were
//! looked at are kept so that "missing" can say where gov looked.

mod names;
pub mod packets;
mod walk;

pub use names::Doc;

use crate::config::{Config, Layout, LayoutName};
use crate::diag::codes::gov;
use crate::diag::Diagnostic;
use serde::Serialize;
use std::path::Path;

/// How a document's path was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// `paths.<key>` in the configuration file.
    Configured,
    /// The `layout:` preset named in the configuration file.
    Preset { layout: String },
    /// A complete preset found on disk (pointer, board and audit all present).
    FastPath { layout: String },
    /// The only file (or folder) with the document's stable name.
    Discovered { name: String, under: String },
    /// Derived from another document (stubs beside packets, template in packets).
    Beside { of: String },
    /// Found by no rule: the path gov would expect.
    Expected,
}

impl Rule {
    pub fn describe(&self) -> String {
        match self {
            Rule::Configured => "set in the configuration file".into(),
            Rule::Preset { layout } => format!("layout preset `{layout}` (configured)"),
            Rule::FastPath { layout } => format!("layout preset `{layout}` (complete on disk)"),
            Rule::Discovered { name, under } => format!("the only {name} under {under}"),
            Rule::Beside { of } => format!("beside the {of}"),
            Rule::Expected => "not found; expected here".into(),
        }
    }
}

/// Where one document was found, and why there.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Found {
    pub doc: Doc,
    pub path: String,
    pub rule: Rule,
    /// Whether something exists at `path` (inside the root).
    pub exists: bool,
    /// Places looked at when it was not found (empty when found).
    pub looked: Vec<String>,
    /// The gate state points beside the repository: never read.
    pub outside: bool,
}

/// Two or more files that could each be one document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Ambiguity {
    pub doc: Doc,
    pub candidates: Vec<String>,
}

impl Ambiguity {
    pub fn diagnostic(&self) -> Diagnostic {
        let list = self.candidates.join(" and ");
        Diagnostic::new(
            &gov::LAYOUT_AMBIGUOUS,
            format!(
                "{} files could be the {}: {list}",
                self.candidates.len(),
                self.doc.what()
            ),
        )
        .in_file(self.candidates[0].clone())
        .help(format!(
            "set `paths.{}` in gov.yaml to the one gov should use (e.g. `paths.{}: {}`)",
            self.doc.key(),
            self.doc.key(),
            self.candidates[0]
        ))
    }
}

/// The outcome of discovery: one entry per document, plus what stopped or puzzled it.
#[derive(Debug, Clone, Serialize)]
pub struct Discovery {
    pub documents: Vec<Found>,
    pub ambiguities: Vec<Ambiguity>,
    /// Governance folders searched, in order (empty on the fast path).
    pub searched: Vec<String>,
    /// Links met while searching, not followed.
    pub links_skipped: Vec<String>,
    /// The walk stopped at its entry bound.
    pub bounded: bool,
}

impl Discovery {
    pub fn get(&self, doc: Doc) -> Option<&Found> {
        self.documents.iter().find(|f| f.doc == doc)
    }

    /// The found entry for a repository path, if that path is one of the documents.
    pub fn for_path(&self, path: &str) -> Option<&Found> {
        self.documents.iter().find(|f| f.path == path)
    }

    /// Notes and warnings about the search itself (bounds, links).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .links_skipped
            .iter()
            .map(|l| {
                Diagnostic::new(
                    &gov::LINK_NOT_FOLLOWED,
                    format!("{l} is a symbolic link; discovery does not follow links"),
                )
                .in_file(l.clone())
            })
            .collect();
        if self.bounded {
            out.push(Diagnostic::new(
                &gov::DISCOVERY_BOUNDED,
                format!(
                    "layout discovery looked at {} entries and stopped; documents beyond were not seen",
                    walk::MAX_ENTRIES
                ),
            ));
        }
        out
    }
}

/// Decides the layout of the repository at `root` for `config`.
pub fn discover(root: &Path, config: &Config) -> (Layout, Discovery) {
    if let Some(name) = config.layout {
        return configured(root, config, name);
    }
    if let Some(name) = complete_preset(root) {
        let mut d = from_layout(
            root,
            config,
            Layout::preset(name),
            Rule::FastPath {
                layout: name.as_str().into(),
            },
        );
        d.1.searched.clear();
        return d;
    }
    discovered(root, config)
}

fn configured(root: &Path, config: &Config, name: LayoutName) -> (Layout, Discovery) {
    from_layout(
        root,
        config,
        Layout::preset(name),
        Rule::Preset {
            layout: name.as_str().into(),
        },
    )
}

/// A preset whose pointer, board and audit are all regular files inside the root.
fn complete_preset(root: &Path) -> Option<LayoutName> {
    [LayoutName::Dotgov, LayoutName::Docs]
        .into_iter()
        .find(|&n| {
            let l = Layout::preset(n);
            [&l.spec_pointer, &l.task_board, &l.signature_audit]
                .iter()
                .all(|p| is_file_inside(root, p))
        })
}

/// A preset layout with configured overrides, each document's rule recorded.
fn from_layout(root: &Path, config: &Config, preset: Layout, rule: Rule) -> (Layout, Discovery) {
    let layout = preset.with_overrides(&config.paths);
    let documents = Doc::ALL
        .iter()
        .map(|&doc| {
            let path = doc.path_in(&layout).to_string();
            let rule = if doc.configured(&config.paths).is_some() {
                Rule::Configured
            } else {
                rule.clone()
            };
            found(root, doc, path, rule, Vec::new())
        })
        .collect();
    (
        layout,
        Discovery {
            documents,
            ambiguities: Vec::new(),
            searched: Vec::new(),
            links_skipped: Vec::new(),
            bounded: false,
        },
    )
}

fn found(root: &Path, doc: Doc, path: String, rule: Rule, looked: Vec<String>) -> Found {
    let outside = doc == Doc::GateState && path.starts_with("../");
    let exists = !outside && exists_inside(root, &path);
    let looked = if exists { Vec::new() } else { looked };
    Found {
        doc,
        path,
        rule,
        exists,
        looked,
        outside,
    }
}

/// Discovery proper: walk the governance folders and match stable names.
fn discovered(root: &Path, config: &Config) -> (Layout, Discovery) {
    let seen = walk::walk(root);
    let mut layout = Layout::preset(LayoutName::Docs);
    let mut documents = Vec::new();
    let mut ambiguities = Vec::new();
    // documents found by their own name first; stubs and template may depend on packets
    for &doc in Doc::ALL {
        if let Some(p) = doc.configured(&config.paths) {
            let p = p.trim_end_matches('/').to_string();
            *doc.slot(&mut layout) = p.clone();
            documents.push(found(root, doc, p, Rule::Configured, Vec::new()));
            continue;
        }
        // stubs live in the packets folder; a `stubs/` elsewhere is not theirs
        let candidates = match doc {
            Doc::Stubs => Vec::new(),
            _ => seen.candidates(doc),
        };
        match candidates.as_slice() {
            [] => documents.push(Found {
                doc,
                path: String::new(),
                rule: Rule::Expected,
                exists: false,
                looked: Vec::new(),
                outside: false,
            }),
            [one] => {
                *doc.slot(&mut layout) = one.path.clone();
                let rule = Rule::Discovered {
                    name: doc.display_name().into(),
                    under: one.under.clone(),
                };
                documents.push(found(root, doc, one.path.clone(), rule, Vec::new()));
            }
            many => {
                ambiguities.push(Ambiguity {
                    doc,
                    candidates: many.iter().map(|c| c.path.clone()).collect(),
                });
                *doc.slot(&mut layout) = many[0].path.clone();
                documents.push(found(
                    root,
                    doc,
                    many[0].path.clone(),
                    Rule::Expected,
                    Vec::new(),
                ));
            }
        }
    }
    fill_missing(root, &seen, &mut layout, &mut documents);
    let name = if layout.spec_pointer.starts_with(".GOV/") || layout.task_board.starts_with(".GOV/")
    {
        LayoutName::Dotgov
    } else {
        LayoutName::Docs
    };
    layout.name = name;
    (
        layout,
        Discovery {
            documents,
            ambiguities,
            searched: seen.folders.clone(),
            links_skipped: seen.links.clone(),
            bounded: seen.bounded,
        },
    )
}

/// Gives every document found by no rule its expected path: stubs and template beside
/// the packets, the others beside the documents that were found (else the `docs`
/// preset), and records where gov looked.
fn fill_missing(root: &Path, seen: &walk::Seen, layout: &mut Layout, documents: &mut [Found]) {
    // the board's folder, else the audit's, else the pointer's (which moved alone)
    let home = [Doc::TaskBoard, Doc::SignatureAudit, Doc::SpecPointer]
        .iter()
        .find_map(|&doc| {
            documents
                .iter()
                .find(|f| f.doc == doc && f.rule != Rule::Expected && !f.path.is_empty())
        })
        .and_then(|f| f.path.rsplit_once('/').map(|(d, _)| d.to_string()));
    // documents that no rule found are expected where the preset of the layout's
    // look would keep them
    let preset = match &home {
        Some(h) if h.starts_with(".GOV") => Layout::preset(LayoutName::Dotgov),
        _ => Layout::preset(LayoutName::Docs),
    };
    let packets = layout.packets.clone();
    let packets_known = documents
        .iter()
        .any(|f| f.doc == Doc::Packets && f.rule != Rule::Expected);
    for f in documents.iter_mut() {
        if f.rule != Rule::Expected || !f.path.is_empty() {
            continue;
        }
        let (path, rule) = match f.doc {
            Doc::Stubs if packets_known => (
                format!("{packets}/stubs"),
                Rule::Beside {
                    of: "packets folder".into(),
                },
            ),
            Doc::PacketTemplate if packets_known => (
                format!("{packets}/TEMPLATE.md"),
                Rule::Beside {
                    of: "packets folder".into(),
                },
            ),
            doc => {
                let path = match (&home, doc) {
                    (Some(h), Doc::SpecPointer | Doc::TaskBoard | Doc::SignatureAudit) => {
                        format!("{h}/{}", doc.display_name())
                    }
                    _ => doc.path_in(&preset).to_string(),
                };
                (path, Rule::Expected)
            }
        };
        *f.doc.slot(layout) = path.clone();
        let looked = seen.looked_for(f.doc);
        *f = found(root, f.doc, path, rule, looked);
    }
}

/// Something exists at `rel` and resolves inside the root.
fn exists_inside(root: &Path, rel: &str) -> bool {
    crate::paths::resolve_inside(root, rel).is_ok_and(|p| p.exists())
}

fn is_file_inside(root: &Path, rel: &str) -> bool {
    crate::paths::resolve_inside(root, rel).is_ok_and(|p| p.is_file())
}

#[cfg(test)]
mod tests;
