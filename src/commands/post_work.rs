//! `gov post-work <WP_ID> [--range A..B | --rev R | --staged]` — Gate 1, the
//! completion gate. Selects the change through git2, runs every change rule over the
//! packet and the diff, and reports each problem with the diff selection and a
//! verdict per changed file and per check.

use crate::config::{override_severity, Config};
use crate::diag::Report;
use crate::error::GovError;
use crate::git::{self, ChangeSet, FileContent, GitRepo, Request, Selection, Tree};
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::change::{post_work, verdict_of, ChangeCheck, CheckResult, Finding, Side};
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::rc::Rc;

/// The data members of `gov post-work --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PostWorkData {
    /// The packet whose change was checked, relative to the repository root.
    pub packet_path: String,
    /// The diff that was checked.
    pub diff: crate::git::DiffView,
    pub changed: ChangedSummary,
    /// Every changed file with its verdict.
    pub files: Vec<FileView>,
    /// Each change check by name (`scope`, `manifest`, ...) with its verdict.
    #[schemars(with = "BTreeMap<String, CheckVerdict>")]
    pub checks: BTreeMap<&'static str, &'static str>,
}

/// A check's verdict: `skipped` when it did not apply to this packet.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // a schema-only type: the verdicts are the strings of `verdict_of`
enum CheckVerdict {
    Pass,
    Warn,
    Fail,
    Skipped,
}

/// Counts over the changed files.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ChangedSummary {
    pub files: usize,
    /// Governance documents among them.
    pub governance: usize,
    /// Files with an error finding.
    pub failing: usize,
    pub added_lines: usize,
    pub deleted_lines: usize,
}

/// One changed file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FileView {
    /// Root-relative path after the change (before it, for a deletion).
    pub path: String,
    /// The path before a rename or copy, or null.
    pub old_path: Option<String>,
    pub status: crate::git::ChangeKind,
    /// An untracked file (working-tree mode).
    pub untracked: bool,
    pub binary: bool,
    /// Lines added (0 for a binary file).
    pub added: usize,
    /// Lines deleted (0 for a binary file).
    pub deleted: usize,
    /// A governance document (packet, board, spec, ...).
    pub governance: bool,
    /// `exempt` is an untouched governance document.
    #[schemars(extend("enum" = ["pass", "warn", "fail", "exempt"]))]
    pub verdict: &'static str,
    /// The codes of the findings in this file, sorted.
    pub codes: Vec<&'static str>,
}

/// How many changed files human output lists before summarising the rest.
const HUMAN_FILE_LIMIT: usize = 50;

#[derive(Debug, Args)]
pub struct PostWorkArgs {
    /// The packet id, e.g. WP-1-Storage-Layer
    pub wp_id: String,
    #[command(flatten)]
    pub diff: DiffArgs,
}

/// The diff selection options shared by post-work and manifest. Without one: the
/// working tree (index and untracked files included) vs HEAD; when that is clean, the
/// packet's MERGE_BASE_SHA..HEAD, else merge-base(main, HEAD)..HEAD.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Diff selection (default: the working tree vs HEAD)")]
pub struct DiffArgs {
    /// Check the commits A..B (A...B: from their merge base)
    #[arg(long, value_name = "A..B", conflicts_with_all = ["rev", "staged"])]
    pub range: Option<String>,
    /// Check one commit: R's first parent to R
    #[arg(long, value_name = "R", conflicts_with = "staged")]
    pub rev: Option<String>,
    /// Check the index against HEAD
    #[arg(long)]
    pub staged: bool,
}

impl DiffArgs {
    /// The request; without an option, the working tree with the committed fallback.
    pub fn request(&self, merge_base_sha: Option<String>, config: &Config) -> Request {
        if let Some(r) = &self.range {
            Request::Range(r.clone())
        } else if let Some(r) = &self.rev {
            Request::Rev(r.clone())
        } else if self.staged {
            Request::Staged
        } else {
            Request::Default {
                merge_base_sha,
                main_branch: config.git.main_branch.clone(),
            }
        }
    }
}

/// The same SIG009 that pre-work and `signatures verify` report: the packet's locked
/// sections no longer hash to what the audit recorded at signing. Repositories without
/// an audit have nothing to compare against.
fn signed_hash_mismatch(
    repo: &Repo,
    packet: &crate::model::packet::Packet,
) -> Result<Option<crate::diag::Diagnostic>, GovError> {
    if !repo.exists(&repo.layout.signature_audit) {
        return Ok(None);
    }
    let audit = repo.load_audit()?;
    Ok(crate::rules::signature::locked::check(packet, &audit))
}

pub fn run(args: &PostWorkArgs, repo: &Repo) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    let packet = repo.load_packet(&id)?;
    let git = GitRepo::open(&repo.root)?;
    let request = args
        .diff
        .request(packet.merge_base_sha().map(|s| s.value), &repo.config);
    let (selection, changes) = git::select(&git, &request)?;
    let content = content_reader(&git, &selection);
    let check = ChangeCheck {
        packet: &packet,
        config: &repo.config,
        layout: &repo.layout,
        selection: &selection,
        changes: &changes,
        content: &content,
    };
    let mut results = post_work(&check);
    apply_overrides(&repo.config, &mut results);
    let mut report = Report::new("post-work", Some(id.to_string()));
    let files = file_views(&check, &results);
    report.headline = headline(&id, &packet.path, &selection, &changes, &files, &results);
    report.set_typed(PostWorkData {
        packet_path: packet.path.clone(),
        diff: selection.view(),
        changed: changed_summary(&files),
        checks: results.iter().map(|r| (r.name, r.verdict())).collect(),
        files,
    });
    report.extend(
        results
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| f.diag.clone())),
    );
    report.extend(signed_hash_mismatch(repo, &packet)?);
    report.next = next_steps(&id, &selection, &results, report.has_errors());
    Ok(report)
}

/// Reads files on either side of the selection, each at most once.
fn content_reader<'a>(
    git: &'a GitRepo,
    selection: &'a Selection,
) -> impl Fn(Side, &str) -> Rc<FileContent> + 'a {
    let cache: RefCell<HashMap<(Side, String), Rc<FileContent>>> = RefCell::new(HashMap::new());
    move |side: Side, path: &str| {
        let key = (side, path.to_string());
        if let Some(c) = cache.borrow().get(&key) {
            return Rc::clone(c);
        }
        let tree: Tree = match side {
            Side::Base => selection.base,
            Side::Head => selection.head,
        };
        let c = Rc::new(git.content(tree, path));
        cache.borrow_mut().insert(key, Rc::clone(&c));
        c
    }
}

/// gov.yaml severity overrides, applied before per-file and per-check verdicts are
/// computed so that they agree with the diagnostics printed.
fn apply_overrides(config: &Config, results: &mut [CheckResult]) {
    let overrides = config.severity_overrides();
    if overrides.is_empty() {
        return;
    }
    for r in results {
        r.findings
            .retain_mut(|f| override_severity(&overrides, &mut f.diag));
    }
}

/// Each changed file with its verdict (`pass`, `warn`, `fail`, or `exempt` for an
/// untouched governance document).
fn file_views(c: &ChangeCheck, results: &[CheckResult]) -> Vec<FileView> {
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in results.iter().flat_map(|r| &r.findings) {
        if let Some(file) = &f.file {
            by_file.entry(file.as_str()).or_default().push(f);
        }
    }
    c.changes
        .files
        .iter()
        .map(|file| {
            let findings = by_file.get(file.path.as_str()).map_or(&[][..], |v| v);
            let governance = file.paths().all(|p| c.is_governance(p));
            let verdict = if governance && findings.is_empty() {
                "exempt"
            } else {
                verdict_of(true, findings.iter().map(|f| f.diag.severity))
            };
            let mut codes: Vec<&str> = findings.iter().map(|f| f.diag.code).collect();
            codes.sort_unstable();
            codes.dedup();
            FileView {
                path: file.path.clone(),
                old_path: file.old_path.clone(),
                status: file.kind,
                untracked: file.untracked,
                binary: file.binary,
                added: file.added,
                deleted: file.deleted,
                governance,
                verdict,
                codes,
            }
        })
        .collect()
}

fn changed_summary(files: &[FileView]) -> ChangedSummary {
    ChangedSummary {
        files: files.len(),
        governance: files.iter().filter(|f| f.governance).count(),
        failing: files.iter().filter(|f| f.verdict == "fail").count(),
        added_lines: files.iter().map(|f| f.added).sum(),
        deleted_lines: files.iter().map(|f| f.deleted).sum(),
    }
}

fn headline(
    id: &WpId,
    packet_path: &str,
    selection: &Selection,
    changes: &ChangeSet,
    files: &[FileView],
    results: &[CheckResult],
) -> Vec<String> {
    let mut out = vec![
        format!("post-work {id}: {packet_path}"),
        format!("diff: {}", selection.describe()),
    ];
    if let Some(why) = &selection.fallback {
        out.push(format!("note: {why}"));
    }
    let checks: Vec<String> = results
        .iter()
        .map(|r| format!("{} {}", r.name, r.verdict()))
        .collect();
    out.push(format!("checks: {}", checks.join(", ")));
    let governance = files.iter().filter(|f| f.governance).count();
    out.push(format!(
        "changed files: {} ({governance} governance)",
        files.len()
    ));
    for (file, view) in changes.files.iter().zip(files).take(HUMAN_FILE_LIMIT) {
        let name = match &file.old_path {
            Some(old) => format!("{old} -> {}", file.path),
            None => file.path.clone(),
        };
        let size = if file.binary {
            "binary".to_string()
        } else {
            format!("+{} -{}", file.added, file.deleted)
        };
        out.push(format!(
            "  {} {name} {size} {}",
            file.kind.letter(),
            view.verdict
        ));
    }
    if files.len() > HUMAN_FILE_LIMIT {
        out.push(format!(
            "  ... and {} more (see --format json)",
            files.len() - HUMAN_FILE_LIMIT
        ));
    }
    out
}

/// On pass, the validator's step; on failure, the fixes and the re-run.
fn next_steps(
    id: &WpId,
    selection: &Selection,
    results: &[CheckResult],
    failed: bool,
) -> Vec<String> {
    if !failed {
        return vec!["gov validator-scan".to_string()];
    }
    let args: Vec<String> = selection.args().iter().map(|a| shell_word(a)).collect();
    let tail = if args.is_empty() {
        String::new()
    } else {
        format!(" {}", args.join(" "))
    };
    let manifest_tail = if selection.is_fallback() {
        format!(" --wp {id}")
    } else {
        tail.clone()
    };
    let mut next: Vec<String> = Vec::new();
    let manifest_files = results
        .iter()
        .filter(|r| r.name == "manifest")
        .flat_map(|r| &r.findings)
        .filter(|f| f.diag.severity == crate::diag::Severity::Error)
        .filter_map(|f| f.file.as_deref());
    for file in manifest_files {
        let cmd = format!("gov manifest {}{manifest_tail}", shell_word(file));
        if !next.contains(&cmd) && next.len() < 3 {
            next.push(cmd);
        }
    }
    next.push(format!("gov show {id}"));
    next.push(format!("gov post-work {id}{tail}"));
    next
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@+=,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
