//! IN_SCOPE_PATHS are exact; list sizes stay within bounds; TEST_PLAN has a command.

use super::PacketCheck;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::model::packet::{names, Packet};

pub fn check(c: &PacketCheck) -> Vec<Diagnostic> {
    let p = c.packet;
    let mut out = Vec::new();
    let paths = p.in_scope_paths();
    for entry in &paths {
        if let Some(sibling) = sibling_worktree(&entry.value) {
            out.push(c.at(
                &pkt::SCOPE_SIBLING_WORKTREE,
                format!(
                    "IN_SCOPE_PATHS entry `{}` points into the sibling worktree `../{sibling}/`, not into this repository; gov does not read or check it",
                    entry.value
                ),
                entry.line,
                entry.column,
            ));
            continue;
        }
        if let Some(why) = inexact(c, &entry.value) {
            out.push(c.at(
                &pkt::IN_SCOPE_NOT_EXACT,
                format!("IN_SCOPE_PATHS entry `{}` {why}", entry.value),
                entry.line,
                entry.column,
            ));
        }
    }
    let b = &c.config.packet.bounds;
    let boot = p.bootstrap();
    let counts: [(&str, &[&str], usize, [usize; 2]); 6] = [
        (
            "IN_SCOPE_PATHS",
            names::IN_SCOPE_PATHS,
            paths.len(),
            b.in_scope_paths,
        ),
        (
            "DONE_MEANS",
            names::DONE_MEANS,
            p.done_means().len(),
            b.done_means,
        ),
        (
            "FILES_TO_OPEN",
            names::FILES_TO_OPEN,
            boot.files_to_open.len(),
            b.files_to_open,
        ),
        (
            "SEARCH_TERMS",
            names::SEARCH_TERMS,
            Packet::search_term_count(&boot.search_terms),
            b.search_terms,
        ),
        (
            "RUN_COMMANDS",
            names::RUN_COMMANDS,
            boot.run_commands.len(),
            b.run_commands,
        ),
        ("RISK_MAP", names::RISK_MAP, boot.risk_map.len(), b.risk_map),
    ];
    for (label, spellings, n, [lo, hi]) in counts {
        let Some(f) = p.field(spellings) else {
            continue;
        };
        if n == 0 || f.is_empty(&p.doc) {
            continue; // a missing or empty field is reported once, by the field rule
        }
        if n < lo || n > hi {
            out.push(c.at(
                &pkt::LIST_BOUNDS,
                format!("{label} has {n} entries; expected {lo} to {hi}"),
                f.line + 1,
                1,
            ));
        }
    }
    if let Some(f) = p.field(names::TEST_PLAN) {
        if !f.is_empty(&p.doc) && p.test_plan().is_empty() {
            out.push(c.at(
                &pkt::TEST_PLAN_NO_COMMAND,
                "TEST_PLAN lists no runnable command (comment lines and prose do not count)",
                f.line + 1,
                1,
            ));
        }
    }
    out
}

/// `../name/rest`: a path into a worktree beside this repository (the project's
/// layout keeps several checkouts side by side), with the worktree's name.
pub fn sibling_worktree(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("../")?;
    let (name, tail) = rest.split_once('/')?;
    let plain = !name.is_empty() && name != "." && name != ".." && !name.contains('\\');
    (plain && !tail.trim_matches('/').is_empty() && !tail.split('/').any(|s| s == ".."))
        .then_some(name)
}

/// Why a scope entry is not an exact path, if it is not.
fn inexact(c: &PacketCheck, path: &str) -> Option<String> {
    if path.is_empty() {
        return Some("is empty".into());
    }
    if path.contains(['*', '?', '[', ']', '{', '}']) {
        return Some("is a glob; list the exact files".into());
    }
    let rel = path.trim_start_matches("./").trim_start_matches('/');
    if crate::paths::check_relative(rel).is_err() {
        return Some("points outside the repository".into());
    }
    let segments: Vec<&str> = rel
        .trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if !crate::io::beneath::leads_inside(c.root, rel) {
        return Some("points outside the repository through a symbolic link".into());
    }
    let on_disk = c.root.join(rel);
    if segments.len() == 1 {
        if rel.ends_with('/') || on_disk.is_dir() {
            return Some("is a top-level directory, not an exact file".into());
        }
        if !rel.contains('.') && !on_disk.is_file() {
            return Some("is a bare word, not a path".into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::sibling_worktree;

    #[test]
    fn sibling_worktrees() {
        assert_eq!(
            sibling_worktree("../example_main/src/a.rs"),
            Some("example_main")
        );
        assert_eq!(sibling_worktree("../example_main/"), None);
        assert_eq!(sibling_worktree("../../etc/passwd"), None);
        assert_eq!(sibling_worktree("../x/../../etc"), None);
        assert_eq!(sibling_worktree("src/a.rs"), None);
    }
}
