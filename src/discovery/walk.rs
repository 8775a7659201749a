//! The bounded walk behind discovery: top-level folders in a fixed order, names
//! matched exactly, links never followed, a depth and an entry bound.

use super::Doc;
use std::path::Path;

/// Levels below a top-level folder that are searched (`.GOV/roles/orchestrator/
/// runtime/ORCHESTRATOR_GATES.json` is four).
pub const MAX_DEPTH: usize = 5;
/// Entries looked at in all, so that a huge tree never makes a command slow.
pub const MAX_ENTRIES: usize = 50_000;

/// Searched first, in this order; any other top-level folder comes after them.
pub const GOVERNANCE_FOLDERS: &[&str] = &["docs", ".GOV", ".gov", "governance"];

/// Never searched: version control, build output, dependencies.
const NEVER: &[&str] = &[".git", ".hg", ".svn", "node_modules", "target", "vendor"];

/// Folders whose contents are history, not the current document.
fn is_archive(name: &str) -> bool {
    name.starts_with('_') || matches!(name, "history" | "spec_archive" | "archive")
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: String,
    /// The top-level folder it was found under, with a trailing `/`.
    pub under: String,
    /// 0 under a governance folder, 1 under any other top-level folder.
    tier: u8,
}

#[derive(Debug, Default)]
pub struct Seen {
    found: Vec<(Doc, Candidate)>,
    /// Top-level folders searched, in order.
    pub folders: Vec<String>,
    pub links: Vec<String>,
    pub bounded: bool,
}

impl Seen {
    /// The candidates of the best tier that has any, in walk order.
    pub fn candidates(&self, doc: Doc) -> Vec<Candidate> {
        let all: Vec<&Candidate> = self
            .found
            .iter()
            .filter(|(d, _)| *d == doc)
            .map(|(_, c)| c)
            .collect();
        let best = all.iter().map(|c| c.tier).min();
        all.into_iter()
            .filter(|c| Some(c.tier) == best)
            .cloned()
            .collect()
    }

    /// Where a document was looked for, for the "missing" message.
    pub fn looked_for(&self, doc: Doc) -> Vec<String> {
        let name = doc.display_name();
        let mut out: Vec<String> = [
            crate::config::LayoutName::Docs,
            crate::config::LayoutName::Dotgov,
        ]
        .iter()
        .map(|&n| doc.path_in(&crate::config::Layout::preset(n)).to_string())
        .collect();
        out.extend(
            self.folders
                .iter()
                .map(|f| format!("{f}/**/{name} ({MAX_DEPTH} levels)")),
        );
        out
    }
}

/// Walks the top-level folders of `root` for documents with stable names.
pub fn walk(root: &Path) -> Seen {
    walk_within(root, MAX_ENTRIES)
}

/// [`walk`] that looks at no more than `budget` entries.
pub fn walk_within(root: &Path, mut budget: usize) -> Seen {
    let mut seen = Seen::default();
    for (top, tier) in top_folders(root, &mut seen) {
        seen.folders.push(top.clone());
        if !walk_folder(root, &top, tier, &mut seen, &mut budget) {
            seen.bounded = true;
            break;
        }
    }
    seen
}

/// Governance folders first (in their fixed order), then the other visible folders
/// sorted by name. Links are noted and skipped.
fn top_folders(root: &Path, seen: &mut Seen) -> Vec<(String, u8)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut others = Vec::new();
    let mut governance = Vec::new();
    for e in entries.flatten() {
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        let Ok(ft) = e.file_type() else { continue };
        let is_gov = GOVERNANCE_FOLDERS.contains(&name.as_str());
        if ft.is_symlink() {
            if is_gov || e.path().is_dir() {
                seen.links.push(name);
            }
            continue;
        }
        if !ft.is_dir() || NEVER.contains(&name.as_str()) {
            continue;
        }
        if is_gov {
            governance.push(name);
        } else if !name.starts_with('.') && !is_archive(&name) {
            others.push(name);
        }
    }
    governance.sort_by_key(|n| GOVERNANCE_FOLDERS.iter().position(|g| g == n));
    others.sort();
    seen.links.sort();
    governance
        .into_iter()
        .map(|n| (n, 0))
        .chain(others.into_iter().map(|n| (n, 1)))
        .collect()
}

/// Walks one top-level folder; `false` when the entry budget ran out.
fn walk_folder(root: &Path, top: &str, tier: u8, seen: &mut Seen, budget: &mut usize) -> bool {
    let mut it = walkdir::WalkDir::new(root.join(top))
        .follow_links(false)
        .max_depth(MAX_DEPTH)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = it.next() {
        let Ok(entry) = entry else { continue };
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let Some(name) = entry.file_name().to_str() else {
            continue;
        };
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = crate::paths::to_slash(rel);
        let ft = entry.file_type();
        if ft.is_symlink() {
            link(root, name, rel, top, tier, seen);
            continue;
        }
        if ft.is_dir() {
            if entry.depth() > 0 && (NEVER.contains(&name) || is_archive(name)) {
                it.skip_current_dir();
                continue;
            }
            if let Some(doc) = Doc::for_name(name, true) {
                add(seen, doc, rel, top, tier);
                // a packets or refinements folder holds documents, not more layout
                it.skip_current_dir();
            }
        } else if ft.is_file() {
            if let Some(doc) = Doc::for_name(name, false) {
                add(seen, doc, rel, top, tier);
            }
        }
    }
    true
}

/// A link with a document's name counts when it stays inside the root; any other
/// link to a folder is noted (never followed).
fn link(root: &Path, name: &str, rel: String, top: &str, tier: u8, seen: &mut Seen) {
    let inside = crate::paths::resolve_inside(root, &rel).ok();
    let target_is_dir = inside.as_ref().is_some_and(|p| p.is_dir());
    let target_is_file = inside.as_ref().is_some_and(|p| p.is_file());
    match Doc::for_name(name, false) {
        Some(doc) if target_is_file => add(seen, doc, rel, top, tier),
        _ if target_is_dir || inside.is_none() || Doc::for_name(name, true).is_some() => {
            seen.links.push(rel)
        }
        _ => {}
    }
}

fn add(seen: &mut Seen, doc: Doc, path: String, top: &str, tier: u8) {
    seen.found.push((
        doc,
        Candidate {
            path,
            under: format!("{top}/"),
            tier,
        },
    ));
}
