//! `gov codex-check [--verbose]`: the project's hard invariants — the scan rules
//! tagged `invariant: true` in gov.yaml, the Codex rules that carry a ```gov block
//! (reported under their CX code), and repository hygiene.

use super::validator_scan::{self, ScanArgs, ValidatorScanData};
use super::Context;
use crate::diag::codes::cdx;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::git::GitRepo;
use crate::model::codex::Codex;
use crate::repo::Repo;
use crate::scan::Request;
use clap::Args;
use regex::Regex;
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::OnceLock;

#[derive(Debug, Args)]
pub struct CodexCheckArgs {
    /// Also list the Codex rules that are not machine-checked
    #[arg(long)]
    pub verbose: bool,
}

/// Folders a Codex is looked for in, besides `codex.path`.
const PLACES: &[&str] = &["", "docs", ".GOV", ".GOV/codex", ".gov", "governance"];

/// The data members of `gov codex-check --format json`: the counts of the invariant
/// scan (validator-scan's, set by it) and the Codex read, when one was found.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CodexCheckData {
    #[serde(flatten)]
    pub scan: ValidatorScanData,
    #[serde(flatten)]
    pub codex: Option<CodexMember>,
}

/// The `codex` member: the Codex document codex-check read.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CodexMember {
    pub codex: CodexView,
}

/// The Codex and its rules.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CodexView {
    pub path: String,
    pub rules: Vec<CodexRuleView>,
}

/// One Codex rule.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CodexRuleView {
    /// The rule's code (`CX-110`).
    pub code: String,
    pub title: String,
    /// 1-based line in the Codex.
    pub line: usize,
    /// Whether a check (a scan rule or a hygiene check) enforces it.
    pub checked: bool,
}

pub fn run(args: &CodexCheckArgs, repo: &Repo, ctx: &Context) -> Result<Report, GovError> {
    let codex = match locate(repo)? {
        Some(path) => Some(Codex::parse(&repo.read_markdown(&path, "Codex")?)),
        None => None,
    };
    let checks = codex.as_ref().map(Codex::checks).unwrap_or_default();
    let request = Request {
        invariants: Some(checks),
        ..Request::default()
    };
    let scan_args = ScanArgs::default();
    // hygiene reads git's index and work tree while the scan reads the sources
    let (scanned, hygiene) = std::thread::scope(|s| {
        let hygiene = s.spawn(|| {
            GitRepo::open(&repo.root).ok().map(|git| {
                crate::rules::hygiene::check(&repo.root, &git, &repo.config.codex.hygiene)
            })
        });
        let scanned = validator_scan::run_request(&scan_args, repo, ctx, &request, None);
        (scanned, hygiene.join().unwrap_or(None))
    });
    let mut report = scanned?;
    report.command = "codex-check".into();
    report.headline.clear();
    match &codex {
        Some(c) => describe(&mut report, c, args.verbose),
        None => report.push(Diagnostic::new(
            &cdx::CODEX_MISSING,
            "no Codex document found (looked for `* Codex v*.md` and `CODEX.md` at the root, in docs/, .GOV/, .GOV/codex/, .gov/ and governance/)",
        )),
    }
    match hygiene {
        Some(found) => report.extend(found),
        None => report
            .headline
            .push("  hygiene: skipped (not a git repository)".into()),
    }
    report.next = if report.has_errors() {
        vec!["gov codex-check".into()]
    } else {
        Vec::new()
    };
    Ok(report)
}

fn describe(report: &mut Report, codex: &Codex, verbose: bool) {
    let checked = codex.rules.iter().filter(|r| r.check.is_some()).count();
    report.headline.push(format!(
        "codex-check: {} ({} rules, {checked} machine-checked)",
        codex.path,
        codex.rules.len()
    ));
    for p in &codex.problems {
        let what = if p.code.is_empty() {
            String::new()
        } else {
            format!("{}: ", p.code)
        };
        report.push(
            Diagnostic::new(&cdx::CODEX_BLOCK_INVALID, format!("{what}{}", p.reason))
                .at_line(codex.path.clone(), p.line),
        );
    }
    if verbose {
        for r in codex.rules.iter().filter(|r| r.check.is_none()) {
            report.push(
                Diagnostic::new(
                    &cdx::RULE_NOT_CHECKED,
                    format!("{} ({}) is not machine-checked", r.code, r.title),
                )
                .at_line(codex.path.clone(), r.line),
            );
        }
    }
    report.set_typed(CodexMember {
        codex: CodexView {
            path: codex.path.clone(),
            rules: codex
                .rules
                .iter()
                .map(|r| CodexRuleView {
                    code: r.code.clone(),
                    title: r.title.clone(),
                    line: r.line,
                    checked: r.check.is_some(),
                })
                .collect(),
        },
    });
}

/// Whether the repository has invariants to check: a Codex, or `invariant: true` rules.
/// (`gov check` runs codex-check only then; hygiene alone is codex-check's own call.)
pub fn has_invariants(repo: &Repo) -> bool {
    repo.config
        .scan
        .rules
        .iter()
        .any(|r| r.invariant == Some(true))
        || locate(repo).ok().flatten().is_some()
}

/// `codex.path`, else the Codex found by name; several → the highest `vN.M`.
fn locate(repo: &Repo) -> Result<Option<String>, GovError> {
    if let Some(p) = &repo.config.codex.path {
        return Ok(Some(p.clone()));
    }
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name = NAME.get_or_init(|| crate::text::static_regex(r"(?i)codex.*\.md$"));
    let mut found: Vec<(Option<(u32, u32)>, String)> = Vec::new();
    for place in PLACES {
        let dir = match *place {
            "" => repo.root.clone(),
            p => match crate::paths::resolve_inside(&repo.root, p) {
                Ok(d) => d,
                Err(_) => continue,
            },
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().to_string();
            if name.is_match(&file) && e.file_type().is_ok_and(|t| t.is_file()) {
                let rel = if place.is_empty() {
                    file.clone()
                } else {
                    format!("{place}/{file}")
                };
                found.push((version(&file), rel));
            }
        }
    }
    found.sort();
    Ok(found.pop().map(|(_, p)| p))
}

fn version(file: &str) -> Option<(u32, u32)> {
    static VERSION: OnceLock<Regex> = OnceLock::new();
    let re = VERSION.get_or_init(|| crate::text::static_regex(r"(?i)v(\d+)\.(\d+)"));
    let c = re.captures(file)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}
