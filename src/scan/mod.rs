//! validator-scan: fast, code-aware forbidden-pattern scanning.
//!
//! One pass per file: the bytes are read once, NFC-normalised when not ASCII, and run
//! through one combined matcher; only files with candidate lines are lexed (comments,
//! strings, Rust test items) and confirmed rule by rule. The working tree is walked in
//! parallel with ripgrep's walker; `--staged` / `--changed` select files through git2.

pub mod baseline;
pub mod file;
pub mod git;
pub mod lang;
pub mod lex;
pub mod matcher;
pub mod rules;
pub mod rust_tests;
/// SARIF rendering moved to `diag::sarif` when every gate gained it.
pub use crate::diag::sarif;
pub mod tokens;
pub mod waiver;
pub mod walk;

use crate::diag::codes::scn;
use crate::diag::Diagnostic;
use crate::error::GovError;
use crate::repo::Repo;
use file::FileInput;
use ignore::overrides::Override;
use lang::Lang;
use matcher::Prefilters;
use rules::RuleSet;
use walk::{Collector, Tally};

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Repository-relative files or folders; empty: `scan.include` or the defaults.
    pub paths: Vec<String>,
    /// Scan the staged content of staged files.
    pub staged: bool,
    /// Report only lines changed since this revision.
    pub changed: Option<String>,
    /// Keep the list of scanned paths (for baseline staleness).
    pub keep_paths: bool,
    /// Run only the invariant rules (`invariant: true` in `scan.rules`) plus these
    /// (the Codex's machine-checked rules): what `gov codex-check` scans with.
    pub invariants: Option<Vec<crate::config::scan::ScanRule>>,
}

#[derive(Debug)]
pub struct Scan {
    pub rules: RuleSet,
    pub tally: Tally,
    /// The folders and files that were scanned (`""` is the root).
    pub roots: Vec<String>,
}

pub fn run(repo: &Repo, req: &Request) -> Result<Scan, GovError> {
    let rules = match &req.invariants {
        None => RuleSet::build(&repo.config.scan)?,
        Some(extra) => {
            let mut cfg = repo.config.scan.clone();
            cfg.rules.extend(extra.iter().cloned());
            let mut set = RuleSet::build(&cfg)?;
            set.rules.retain(|r| r.rule.invariant);
            set
        }
    };
    let roots = if req.paths.is_empty() {
        default_roots(repo)?
    } else {
        req.paths.clone()
    };
    let exclude = walk::excludes(&repo.root, &repo.config.scan.exclude).map_err(|reason| {
        GovError::from(Diagnostic::new(
            &crate::diag::codes::cfg::CONFIG_INVALID_VALUE,
            format!("gov.yaml: key `scan.exclude`: {reason}"),
        ))
    })?;
    let prefilters = Prefilters::default();
    let collector = Collector::new(req.keep_paths);
    if req.staged || req.changed.is_some() {
        let files = git::select(&repo.root, req.staged, req.changed.as_deref())?;
        let scope = Scope {
            roots: &roots,
            exclude: &exclude,
            root: &repo.root,
        };
        scan_git_files(&scope, files, &rules, &prefilters, &collector);
    } else {
        walk::walk(&repo.root, &roots, exclude, &rules, &prefilters, &collector);
    }
    Ok(Scan {
        rules,
        tally: collector.finish(),
        roots,
    })
}

/// `scan.include` (each must exist), else `src/` and `app/src/` where they exist, else
/// the repository root.
fn default_roots(repo: &Repo) -> Result<Vec<String>, GovError> {
    let include = &repo.config.scan.include;
    if !include.is_empty() {
        return include
            .iter()
            .map(|p| {
                let p = clean(p);
                if p.is_empty() {
                    return Ok(p);
                }
                let full = crate::paths::resolve_inside(&repo.root, &p)
                    .map_err(|u| escapes("scan.include names", &u))?;
                if full.exists() {
                    Ok(p)
                } else {
                    Err(Diagnostic::new(
                        &scn::SCAN_BAD_PATH,
                        format!("scan.include names `{p}`, which does not exist"),
                    )
                    .help("fix `scan.include` in gov.yaml")
                    .into())
                }
            })
            .collect();
    }
    let mut found: Vec<String> = Vec::new();
    for p in ["src", "app/src"] {
        // a default folder that is a link out of the root is refused, not followed:
        // findings and baselines must never quote a file outside the repository
        let full = crate::paths::resolve_inside(&repo.root, p)
            .map_err(|u| escapes("the default scan folder", &u))?;
        if full.is_dir() {
            found.push(p.to_string());
        }
    }
    Ok(if found.is_empty() {
        vec![String::new()]
    } else {
        found
    })
}

fn escapes(what: &str, u: &crate::paths::UnsafePath) -> GovError {
    Diagnostic::new(
        &scn::SCAN_BAD_PATH,
        format!("{what} `{}`, which is refused: {}", u.path, u.reason),
    )
    .help("scan folders inside the repository; replace the link by the folder, or list the real folder in `scan.include`")
    .into()
}

/// `./src/` → `src`; `.` → `` (the root).
pub fn clean(p: &str) -> String {
    let p = p.trim().trim_start_matches("./").trim_end_matches('/');
    if p == "." {
        String::new()
    } else {
        p.to_string()
    }
}

struct Scope<'a> {
    roots: &'a [String],
    exclude: &'a Override,
    root: &'a std::path::Path,
}

impl Scope<'_> {
    fn contains(&self, rel: &str) -> bool {
        let under = self.roots.iter().any(|r| {
            r.is_empty()
                || rel == r
                || rel
                    .strip_prefix(r.as_str())
                    .is_some_and(|s| s.starts_with('/'))
        });
        under && !self.exclude.matched(self.root.join(rel), false).is_ignore()
    }
}

fn scan_git_files(
    scope: &Scope<'_>,
    files: Vec<git::GitFile>,
    rules: &RuleSet,
    prefilters: &Prefilters,
    collector: &Collector,
) {
    let mut buf = Vec::new();
    for f in files {
        if !scope.contains(&f.rel) {
            continue;
        }
        let lang = Lang::of_path(&f.rel);
        let test_path = rules.is_test_path(&f.rel);
        if !rules.wants(&f.rel, lang, test_path) {
            continue;
        }
        let bytes: &[u8] = match &f.content {
            Some(c) => c,
            None => {
                let full = match crate::paths::resolve_inside(scope.root, &f.rel) {
                    Ok(p) if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) => p,
                    _ => continue,
                };
                if let Err(reason) = walk::read_into(&full, &mut buf) {
                    collector.problem(
                        Diagnostic::new(
                            &scn::SCAN_UNREADABLE,
                            format!("{} was not scanned: {reason}", f.rel),
                        )
                        .in_file(f.rel.clone()),
                    );
                    continue;
                }
                &buf
            }
        };
        let input = FileInput {
            rel: &f.rel,
            lang,
            test_path,
            lines: f.lines.as_ref(),
        };
        collector.scan(rules, prefilters, input, bytes);
    }
}
