//! Check 2: every changed path (both sides of a rename) is in IN_SCOPE_PATHS, as an
//! exact file or under a listed specific directory. Governance documents are exempt;
//! a WAIVERS GRANTED entry naming the path turns the error into a warning.

use super::{ChangeCheck, CheckResult, Finding};
use crate::diag::codes::git;
use crate::git::{ChangeKind, ChangedFile};
use crate::model::packet::path_token;
use crate::text::Spanned;
use std::collections::HashSet;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let scope = c.packet.in_scope_paths();
    // exact files by look-up; only directory entries are scanned per path
    let exact: HashSet<&str> = scope.iter().map(|e| entry_path(&e.value)).collect();
    let dirs: Vec<&Spanned<String>> = scope
        .iter()
        .filter(|e| !e.value.contains(['*', '?', '[', '{']))
        .collect();
    let out_of_scope = c.packet.out_of_scope();
    let waivers = c.packet.waivers();
    let mut findings = Vec::new();
    for file in &c.changes.files {
        for path in file.paths() {
            if c.is_governance(path) || exact.contains(path) {
                continue;
            }
            let mut broad = None;
            let mut inside = false;
            for entry in &dirs {
                match covers(&entry.value, path) {
                    Cover::Yes => inside = true,
                    Cover::TooBroad => broad = Some(*entry),
                    Cover::No => {}
                }
            }
            if inside {
                continue;
            }
            let mut msg = format!(
                "`{path}` {} but is not in IN_SCOPE_PATHS",
                what_happened(file, path)
            );
            if let Some(b) = broad {
                msg.push_str(&format!(
                    " (`{}` on line {} is a top-level directory, not a specific one)",
                    b.value, b.line
                ));
            }
            if let Some(o) = listed(&out_of_scope, path) {
                msg.push_str(&format!(
                    "; OUT_OF_SCOPE lists it on line {}: {}",
                    o.line,
                    quoted(&o.value)
                ));
            }
            let waiver = waivers.as_ref().and_then(|w| w.for_path(path));
            let diag = match waiver {
                Some(w) => crate::diag::Diagnostic::new(
                    &git::OUT_OF_SCOPE_WAIVED,
                    format!(
                        "{msg}; waived by WAIVERS GRANTED line {}: {}",
                        w.line,
                        quoted(&w.value)
                    ),
                ),
                None => crate::diag::Diagnostic::new(&git::OUT_OF_SCOPE, msg),
            };
            findings.push(Finding::file(diag.in_file(path), &file.path));
        }
    }
    CheckResult::new("scope", findings)
}

fn what_happened(file: &ChangedFile, path: &str) -> String {
    match (file.kind, file.old_path.as_deref()) {
        (ChangeKind::Renamed, Some(old)) if old == path => {
            format!("was renamed to `{}`", file.path)
        }
        (ChangeKind::Renamed, Some(old)) => format!("was renamed from `{old}`"),
        (ChangeKind::Copied, Some(old)) if old != path => format!("was copied from `{old}`"),
        (ChangeKind::Added, _) if file.untracked => "was added (untracked)".to_string(),
        (kind, _) => format!("was {}", serde_plain(kind)),
    }
}

fn serde_plain(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Modified => "modified",
        ChangeKind::Deleted => "deleted",
        ChangeKind::Renamed => "renamed",
        ChangeKind::Copied => "copied",
        ChangeKind::Typechange => "changed in type",
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cover {
    Yes,
    /// Under a top-level directory entry (`src/`): pre-work rejects those.
    TooBroad,
    No,
}

/// Whether a scope entry covers `path`: the exact file, or a file under a directory
/// entry with at least two segments. Globs cover nothing (pre-work reports them).
pub(crate) fn covers(entry: &str, path: &str) -> Cover {
    let e = entry_path(entry);
    if e.is_empty() || e.contains(['*', '?', '[', '{']) {
        return Cover::No;
    }
    if e == path {
        return Cover::Yes;
    }
    let dir = e.trim_end_matches('/');
    if !dir.is_empty() && path.starts_with(dir) && path[dir.len()..].starts_with('/') {
        return if dir.contains('/') {
            Cover::Yes
        } else {
            Cover::TooBroad
        };
    }
    Cover::No
}

/// Document text in backticks, its own backticks dropped so the quotes stay balanced.
fn quoted(text: &str) -> String {
    format!("`{}`", text.replace('`', ""))
}

fn entry_path(entry: &str) -> &str {
    entry.trim_start_matches("./").trim_start_matches('/')
}

/// The OUT_OF_SCOPE entry that names `path` (as the entry's leading path).
fn listed<'a>(entries: &'a [Spanned<String>], path: &str) -> Option<&'a Spanned<String>> {
    entries.iter().find(|o| {
        let token = path_token(&o.value);
        let t = token.trim_start_matches("./").trim_end_matches('/');
        !t.is_empty() && (t == path || (path.starts_with(t) && path[t.len()..].starts_with('/')))
    })
}

#[cfg(test)]
mod tests {
    use super::{covers, Cover};

    #[test]
    fn scope_entries() {
        assert_eq!(covers("src/a.rs", "src/a.rs"), Cover::Yes);
        assert_eq!(covers("./src/a.rs", "src/a.rs"), Cover::Yes);
        assert_eq!(
            covers("src/storage/migrations/", "src/storage/migrations/1.sql"),
            Cover::Yes
        );
        assert_eq!(
            covers("src/storage/migrations", "src/storage/migrations/1.sql"),
            Cover::Yes
        );
        assert_eq!(
            covers("src/storage/mig", "src/storage/migrations/1.sql"),
            Cover::No
        );
        assert_eq!(covers("src/", "src/a.rs"), Cover::TooBroad);
        assert_eq!(covers("src/*.rs", "src/a.rs"), Cover::No);
        assert_eq!(covers("src/a.rs", "src/a.rs.bak"), Cover::No);
    }
}
