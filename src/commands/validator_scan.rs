//! `gov validator-scan [PATH...]`: forbidden and placeholder patterns in production
//! code, with waivers, baselines, staged and changed-line modes, and SARIF output.

use crate::cli::Format;
use crate::diag::codes::scn;
use crate::diag::Severity;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::io::RepoLock;
use crate::repo::Repo;
use crate::scan::baseline::{fingerprint, snippet, Baseline, Entry};
use crate::scan::rules::RuleSet;
use crate::scan::walk::FileReport;
use crate::scan::{self, Request, Scan};
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Default, Args)]
pub struct ScanArgs {
    /// Files or folders to scan (default: scan.include, else src/ and app/src/, else the root)
    pub paths: Vec<PathBuf>,
    /// Scan the staged content of staged files, read from the index (for pre-commit hooks)
    #[arg(long)]
    pub staged: bool,
    /// Report only findings on lines changed since BASE (a commit, branch or tag)
    #[arg(long, value_name = "BASE")]
    pub changed: Option<String>,
    /// Fail only on findings that are not in this baseline file; report stale entries
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to a baseline file and pass
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "changed", "staged", "paths"])]
    pub write_baseline: Option<PathBuf>,
    /// List the effective rules (built-in and from gov.yaml) without scanning
    #[arg(long)]
    pub list_rules: bool,
}

const COMMAND: &str = "validator-scan";

pub fn run(args: &ScanArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    if args.list_rules {
        return list_rules(repo);
    }
    let paths = args
        .paths
        .iter()
        .map(|p| inside_root(repo, &ctx.cwd, p, true))
        .collect::<Result<Vec<_>, _>>()?;
    let baseline = match &args.baseline {
        Some(p) => Some(read_baseline(repo, &ctx.cwd, p)?),
        None => None,
    };
    let request = Request {
        paths,
        staged: args.staged,
        changed: args.changed.clone(),
        keep_paths: baseline.is_some(),
        invariants: None,
    };
    run_request(args, repo, ctx, &request, baseline)
}

/// The scan and its report for a built request (`codex-check` scans with its own rules).
pub fn run_request(
    args: &ScanArgs,
    repo: &Repo,
    ctx: &super::Context,
    request: &Request,
    baseline: Option<(String, Baseline)>,
) -> Result<Report, GovError> {
    let scan = scan::run(repo, request)?;
    let findings = Findings::collect(&scan);
    let waived = findings.waived;
    let mut report = Report::new(COMMAND, None);
    report.extend(scan.tally.problems.iter().cloned());
    if let Some(target) = &args.write_baseline {
        return write_baseline(repo, ctx, target, &scan, findings, report);
    }
    report.extend(findings.scan_diagnostics.iter().cloned());
    let baselined = match &baseline {
        Some((shown, b)) => apply_baseline(
            &mut report,
            findings,
            b,
            shown,
            &scan,
            args.changed.is_some(),
        ),
        None => {
            report.extend(findings.list.into_iter().map(|(d, _)| d));
            0
        }
    };
    let counts = describe(
        &mut report,
        &scan,
        waived,
        baseline.as_ref().map(|_| baselined),
    );
    report.set_typed(ValidatorScanData {
        scan: Some(counts),
        baseline_written: None,
        // the SARIF run's rule list (SARIF is not this JSON document)
        rules: (ctx.global.format == Format::Sarif).then(|| rule_views(&scan.rules)),
    });
    report.next = next_steps(&report);
    Ok(report)
}

/// Every finding of a scan as a diagnostic with its baseline entry, plus the
/// diagnostics about the scan itself (bare and unused waivers, truncated files).
struct Findings {
    list: Vec<(Diagnostic, Entry)>,
    scan_diagnostics: Vec<Diagnostic>,
    waived: usize,
}

impl Findings {
    fn collect(scan: &Scan) -> Findings {
        let mut f = Findings {
            list: Vec::new(),
            scan_diagnostics: Vec::new(),
            waived: 0,
        };
        for report in &scan.tally.reports {
            f.waived += report.result.waived;
            f.add_file(&scan.rules, report);
        }
        f
    }

    fn add_file(&mut self, rules: &RuleSet, fr: &FileReport) {
        let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
        let mut sorted: Vec<_> = fr.result.findings.iter().collect();
        sorted.sort_by_key(|f| (f.line, f.column, f.rule));
        for f in sorted {
            let rule = &rules.rules[f.rule].rule;
            let occurrence = seen.entry((f.rule, f.line_text.as_str())).or_insert(0);
            let entry = Entry {
                path: fr.rel.clone(),
                line: f.line,
                code: rule.code.to_string(),
                fingerprint: fingerprint(rule.code, &fr.rel, &f.line_text, *occurrence),
                text: snippet(&f.line_text),
            };
            *occurrence += 1;
            let d = Diagnostic {
                code: rule.code,
                severity: rule.severity,
                message: finding_message(&rule.message, &f.matched),
                path: Some(fr.rel.clone()),
                line: Some(f.line),
                column: Some(f.column),
                help: if rule.reason.is_empty() {
                    rule.help.clone()
                } else {
                    format!("{}; {}", rule.reason, rule.help)
                },
            };
            self.list.push((d, entry));
        }
        for w in &fr.result.waivers {
            self.add_waiver(&fr.rel, w);
        }
        if fr.result.truncated {
            self.scan_diagnostics.push(
                Diagnostic::new(
                    &scn::SCAN_TRUNCATED,
                    format!(
                        "{} has {max} findings or more; only the first {max} are listed",
                        fr.rel,
                        max = scan::file::MAX_FINDINGS_PER_FILE
                    ),
                )
                .in_file(fr.rel.clone()),
            );
        }
    }

    fn add_waiver(&mut self, rel: &str, w: &scan::waiver::Waiver) {
        let codes = w.codes.join(", ");
        if w.reason.is_none() {
            self.scan_diagnostics.push(
                Diagnostic::new(
                    &scn::WAIVER_WITHOUT_REASON,
                    format!("waiver `gov:allow({codes})` gives no reason"),
                )
                .at(rel, w.line, w.column),
            );
        }
        for (code, used) in w.codes.iter().zip(&w.used) {
            if !used {
                self.scan_diagnostics.push(
                    Diagnostic::new(
                        &scn::WAIVER_UNUSED,
                        format!(
                            "waiver for {code} matches no {code} finding on this line or the next"
                        ),
                    )
                    .at(rel, w.line, w.column),
                );
            }
        }
    }
}

/// The rule's message, naming what was found unless the message already does
/// (`unwrap()` in production code, but `TODO` without a tracking id: `TODO(TBD)`).
fn finding_message(message: &str, matched: &str) -> String {
    let core = matched.trim().trim_start_matches('.').trim_end_matches('(');
    if !core.is_empty() && message.contains(core) {
        message.to_string()
    } else {
        format!("{message}: `{}`", printable(matched))
    }
}

fn printable(s: &str) -> String {
    let s: String = s.chars().take(80).collect();
    crate::diag::render::escape_control(&s).into_owned()
}

/// Keeps findings that are not in the baseline and reports stale entries; returns how
/// many findings the baseline accepted.
fn apply_baseline(
    report: &mut Report,
    findings: Findings,
    baseline: &Baseline,
    shown: &str,
    scan: &Scan,
    partial_lines: bool,
) -> usize {
    let key = |e: &Entry| (e.path.clone(), e.code.clone(), e.fingerprint.clone());
    let known: HashSet<_> = baseline.findings.iter().map(key).collect();
    let mut matched = HashSet::new();
    for (d, e) in findings.list {
        let k = key(&e);
        if known.contains(&k) {
            matched.insert(k);
        } else {
            report.push(d);
        }
    }
    if !partial_lines {
        let scanned: HashSet<&str> = scan.tally.paths.iter().map(String::as_str).collect();
        for e in &baseline.findings {
            if scanned.contains(e.path.as_str()) && !matched.contains(&key(e)) {
                report.push(
                    Diagnostic::new(
                        &scn::BASELINE_STALE,
                        format!(
                            "{shown} lists {} `{}`, which no longer occurs",
                            e.code, e.text
                        ),
                    )
                    .at_line(e.path.clone(), e.line.max(1)),
                );
            }
        }
    }
    matched.len()
}

fn write_baseline(
    repo: &Repo,
    ctx: &super::Context,
    target: &Path,
    scan: &Scan,
    findings: Findings,
    mut report: Report,
) -> Result<Report, GovError> {
    let rel = inside_root(repo, &ctx.cwd, target, false)?;
    let baseline = Baseline::new(findings.list.into_iter().map(|(_, e)| e).collect());
    let _lock =
        RepoLock::acquire(&repo.root, Duration::from_secs(10)).map_err(|error| GovError::Lock {
            path: RepoLock::path_for(&repo.root).display().to_string(),
            error,
        })?;
    crate::io::write_inside(&repo.root, &rel, baseline.to_json().as_bytes())?;
    let counts = describe(&mut report, scan, findings.waived, None);
    report.headline.push(format!(
        "wrote {} baseline entries to {rel}",
        baseline.findings.len()
    ));
    report.set_typed(ValidatorScanData {
        scan: Some(counts),
        baseline_written: Some(BaselineWritten {
            path: rel.clone(),
            entries: baseline.findings.len(),
        }),
        rules: None,
    });
    report.next = vec![format!("gov validator-scan --baseline {rel}")];
    Ok(report)
}

/// The headline, and the counts every scanning mode reports.
fn describe(
    report: &mut Report,
    scan: &Scan,
    waived: usize,
    baselined: Option<usize>,
) -> ScanCounts {
    let t = &scan.tally;
    let scope = scan
        .roots
        .iter()
        .map(|r| {
            if r.is_empty() {
                ".".to_string()
            } else {
                r.clone()
            }
        })
        .collect::<Vec<_>>();
    let mut line = format!(
        "validator-scan: {} scanned in {} with {}",
        plural(t.scanned, "file"),
        scope.join(", "),
        plural(scan.rules.rules.len(), "rule")
    );
    if t.binary > 0 {
        line.push_str(&format!("; {} skipped", plural(t.binary, "binary file")));
    }
    if waived > 0 {
        line.push_str(&format!("; {waived} waived"));
    }
    if let Some(b) = baselined {
        line.push_str(&format!("; {b} accepted by the baseline"));
    }
    report.headline.push(line);
    ScanCounts {
        scope,
        files_scanned: t.scanned,
        skipped_binary: t.binary,
        waived,
        baselined,
    }
}

/// The data members of `gov validator-scan --format json`: the counts of a scan (also
/// when writing a baseline), or the rule list of `--list-rules` alone.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ValidatorScanData {
    #[serde(flatten)]
    pub scan: Option<ScanCounts>,
    /// `--write-baseline`: the file written.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "BaselineWritten")]
    pub baseline_written: Option<BaselineWritten>,
    /// `--list-rules`: the effective rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<RuleView>")]
    pub rules: Option<Vec<RuleView>>,
}

/// What a scan covered.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ScanCounts {
    /// The scanned roots, relative to the repository root (`.` for the root).
    pub scope: Vec<String>,
    pub files_scanned: usize,
    pub skipped_binary: usize,
    /// Findings waived by a waiver comment.
    pub waived: usize,
    /// With `--baseline`: findings the baseline accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "usize")]
    pub baselined: Option<usize>,
}

/// A baseline file written by `--write-baseline`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BaselineWritten {
    pub path: String,
    pub entries: usize,
}

/// One effective scan rule.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RuleView {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Why the pattern is forbidden.
    pub reason: String,
    pub help: String,
    /// Regular expression (Rust `regex` syntax) matched within one line.
    pub pattern: String,
    /// A match whose text also matches this is not a finding, or null.
    pub unless: Option<String>,
    /// Languages the rule applies to; empty: every language.
    pub languages: Vec<&'static str>,
    /// Globs of files the rule applies to; empty: every file.
    pub globs: Vec<String>,
    pub in_code: bool,
    pub in_comments: bool,
    pub in_strings: bool,
    pub in_tests: bool,
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn next_steps(report: &Report) -> Vec<String> {
    let first = report
        .diagnostics
        .iter()
        .find(|d| d.severity == crate::diag::Severity::Error);
    match first {
        Some(d) => vec![
            format!("gov explain {}", d.code),
            "gov validator-scan".into(),
        ],
        None => Vec::new(),
    }
}

fn list_rules(repo: &Repo) -> Result<Report, GovError> {
    let rules = RuleSet::build(&repo.config.scan)?;
    let mut report = Report::new(COMMAND, None);
    report.informational = true;
    report.headline = rules
        .rules
        .iter()
        .map(|r| {
            let r = &r.rule;
            let langs = if r.languages.is_empty() {
                "all".to_string()
            } else {
                r.languages
                    .iter()
                    .map(|l| l.name())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            format!(
                "{:<7} {:<7} {:<21} {}",
                r.code,
                r.severity.as_str(),
                langs,
                r.message
            )
        })
        .collect();
    report.set_typed(ValidatorScanData {
        scan: None,
        baseline_written: None,
        rules: Some(rule_views(&rules)),
    });
    Ok(report)
}

/// The effective rules (`rules` member of `--list-rules` and of SARIF runs).
pub fn rule_views(rules: &RuleSet) -> Vec<RuleView> {
    rules
        .rules
        .iter()
        .map(|c| {
            let r = &c.rule;
            RuleView {
                code: r.code,
                severity: r.severity,
                message: r.message.clone(),
                reason: r.reason.clone(),
                help: r.help.clone(),
                pattern: r.pattern.clone(),
                unless: r.unless.clone(),
                languages: r.languages.iter().map(|l| l.name()).collect(),
                globs: r.globs.clone(),
                in_code: r.contexts.code,
                in_comments: r.contexts.comments,
                in_strings: r.contexts.strings,
                in_tests: r.in_tests,
            }
        })
        .collect()
}

/// A command-line path (relative to the working directory) as a path relative to the
/// root; it must lie inside the root and, when `must_exist`, exist.
fn inside_root(repo: &Repo, cwd: &Path, p: &Path, must_exist: bool) -> Result<String, GovError> {
    let shown = p.display().to_string();
    let bad = |why: &str| -> GovError {
        Diagnostic::new(&scn::SCAN_BAD_PATH, format!("`{shown}` {why}")).into()
    };
    let full = cwd.join(p);
    let root = repo
        .root
        .canonicalize()
        .unwrap_or_else(|_| repo.root.clone());
    let canon = if must_exist {
        full.canonicalize().map_err(|_| bad("does not exist"))?
    } else {
        let parent = full.parent().ok_or_else(|| bad("is not a file path"))?;
        let name = full.file_name().ok_or_else(|| bad("is not a file path"))?;
        parent
            .canonicalize()
            .map_err(|_| bad("is in a folder that does not exist"))?
            .join(name)
    };
    let rel = canon
        .strip_prefix(&root)
        .map_err(|_| bad("is outside the repository"))?;
    Ok(scan::clean(&crate::paths::to_slash(rel)))
}

fn read_baseline(repo: &Repo, cwd: &Path, p: &Path) -> Result<(String, Baseline), GovError> {
    let rel = inside_root(repo, cwd, p, true).map_err(|_| {
        GovError::from(
            Diagnostic::new(
                &scn::BASELINE_INVALID,
                format!(
                    "the baseline {} does not exist inside the repository",
                    p.display()
                ),
            )
            .help("write one with `gov validator-scan --write-baseline FILE`"),
        )
    })?;
    let source = repo.read(&rel, "baseline")?;
    Ok((rel.clone(), Baseline::parse(&rel, &source.text)?))
}
