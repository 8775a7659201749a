//! Repository hygiene from git's own data (libgit2, no `git` process): the root
//! `.gitignore` ignores the required patterns, no build artifact is tracked, and no
//! large untracked file waits to be added by accident.

use crate::config::codex::HygieneConfig;
use crate::diag::codes::cdx;
use crate::diag::Diagnostic;
use crate::git::GitRepo;
use crate::scan::rules::globset;
use ignore::gitignore::GitignoreBuilder;
use std::path::Path;

/// At most this many findings per kind are listed; the rest are counted in one more.
const LIST_LIMIT: usize = 20;

pub fn check(root: &Path, git: &GitRepo, cfg: &HygieneConfig) -> Vec<Diagnostic> {
    let mut out = ignores(root, cfg);
    out.extend(tracked_artifacts(git, cfg));
    out.extend(large_untracked(root, git, cfg));
    out
}

/// A path each required pattern must ignore: `target/` → `target/gov-probe`,
/// `*.pdb` → `gov-probe.pdb`.
fn probe(pattern: &str) -> (String, bool) {
    let p = pattern.trim().trim_start_matches('/').replace("**/", "");
    let dir = p.ends_with('/');
    let p = p.trim_end_matches('/').replace('*', "gov-probe");
    (p, dir)
}

fn ignores(root: &Path, cfg: &HygieneConfig) -> Vec<Diagnostic> {
    let gitignore = root.join(".gitignore");
    let mut b = GitignoreBuilder::new(root);
    let exists = std::fs::symlink_metadata(&gitignore).is_ok_and(|m| m.is_file());
    if exists {
        // a malformed line is git's problem too; what parsed still counts
        let _ = b.add(&gitignore);
    }
    let matcher = b.build().ok();
    cfg.required_ignores
        .iter()
        .filter(|pat| {
            let (path, dir) = probe(pat);
            // a pattern without a trailing `/` names files and folders alike (a `.dSYM`
            // is a folder): either form of ignore covers it
            let ignored_as = |is_dir: bool| {
                matcher.as_ref().is_some_and(|m| {
                    m.matched_path_or_any_parents(Path::new(&path), is_dir)
                        .is_ignore()
                })
            };
            !(ignored_as(dir) || (!dir && ignored_as(true)))
        })
        .map(|pat| {
            let why = if exists {
                "does not ignore"
            } else {
                "is missing, so nothing ignores"
            };
            Diagnostic::new(
                &cdx::IGNORE_MISSING,
                format!("the root .gitignore {why} `{pat}`"),
            )
            .in_file(".gitignore")
        })
        .collect()
}

fn tracked_artifacts(git: &GitRepo, cfg: &HygieneConfig) -> Vec<Diagnostic> {
    let Ok(set) = globset(&cfg.artifacts) else {
        return Vec::new();
    };
    let Ok(index) = git.repo().index() else {
        return Vec::new();
    };
    let tracked: Vec<String> = index
        .iter()
        .map(|e| git.gov_path(&e.path))
        .filter(|p| set.is_match(p))
        .collect();
    limited(tracked, |p| {
        Diagnostic::new(
            &cdx::ARTIFACT_TRACKED,
            format!("`{p}` is a build artifact tracked by git"),
        )
        .in_file(p.to_string())
    })
}

fn large_untracked(root: &Path, git: &GitRepo, cfg: &HygieneConfig) -> Vec<Diagnostic> {
    if cfg.max_untracked_bytes == 0 {
        return Vec::new();
    }
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .exclude_submodules(true);
    let Ok(statuses) = git.repo().statuses(Some(&mut opts)) else {
        return Vec::new();
    };
    let mut big = Vec::new();
    for s in statuses.iter().filter(|s| s.status().is_wt_new()) {
        let rel = git.gov_path(s.path_bytes());
        // sizes without following links: a link is not the file it names
        let size = std::fs::symlink_metadata(root.join(&rel)).map_or(0, |m| m.len());
        if size > cfg.max_untracked_bytes {
            big.push((rel, size));
        }
    }
    limited(big, |(p, size)| {
        Diagnostic::new(
            &cdx::LARGE_UNTRACKED,
            format!(
                "`{p}` is untracked, not ignored and {size} bytes (limit {})",
                cfg.max_untracked_bytes
            ),
        )
        .in_file(p.clone())
    })
}

/// One diagnostic per item up to [`LIST_LIMIT`], then one that counts the rest.
fn limited<T>(items: Vec<T>, each: impl Fn(&T) -> Diagnostic) -> Vec<Diagnostic> {
    let extra = items.len().saturating_sub(LIST_LIMIT);
    let mut out: Vec<Diagnostic> = items.iter().take(LIST_LIMIT).map(&each).collect();
    if extra > 0 {
        if let Some(last) = out.last().cloned() {
            out.push(Diagnostic {
                message: format!("… and {extra} more like the above"),
                ..last
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_follow_the_pattern_shape() {
        assert_eq!(probe("target/"), ("target".into(), true));
        assert_eq!(probe("*.pdb"), ("gov-probe.pdb".into(), false));
        assert_eq!(probe("/node_modules/"), ("node_modules".into(), true));
        assert_eq!(probe("**/.DS_Store"), (".DS_Store".into(), false));
    }
}
