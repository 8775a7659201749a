//! `gov manifest <PATH> [--range A..B | --rev R | --staged] [--wp WP_ID]` prints a
//! ready-to-paste deterministic-manifest entry for one changed file: both SHA1s, the
//! window covering its hunks and the line delta, computed from the same diff
//! selection post-work uses, so nobody computes them by hand.

use super::post_work::DiffArgs;
use crate::diag::codes::git as codes;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::git::{self, ChangedFile, GitRepo};
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use clap::Args;
use schemars::JsonSchema;
use std::path::Path;

#[derive(Debug, Args)]
pub struct ManifestArgs {
    /// The changed file, relative to the repository root (or to the current folder)
    pub path: String,
    #[command(flatten)]
    pub diff: DiffArgs,
    /// Use this packet's MERGE_BASE_SHA when the working tree is clean, as post-work does
    #[arg(long, value_name = "WP_ID")]
    pub wp: Option<String>,
}

/// One entry's values.
/// A deterministic manifest entry for one changed file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, JsonSchema)]
pub struct Entry {
    pub target_file: String,
    /// First changed line (1-based) of the post-change file.
    pub start: u32,
    /// Last changed line.
    pub end: u32,
    /// Lines added minus lines deleted.
    pub line_delta: i64,
    /// SHA-1 of the file before the change (LF line endings).
    pub pre_sha1: String,
    /// SHA-1 of the file after the change (LF line endings).
    pub post_sha1: String,
}

/// The data members of `gov manifest --format json`.
#[derive(Debug, serde::Serialize, JsonSchema)]
pub struct ManifestData {
    /// The diff the entry was computed from.
    pub diff: crate::git::DiffView,
    /// The entry; absent when the file is not changed or is binary (see diagnostics).
    #[serde(flatten)]
    pub entry: Option<EntryData>,
}

/// The manifest entry, as data and as the packet's Markdown bullets.
#[derive(Debug, serde::Serialize, JsonSchema)]
pub struct EntryData {
    pub entry: Entry,
    /// The entry as the packet template writes it (Markdown bullets).
    pub markdown: String,
}

impl Entry {
    /// The entry as Markdown bullets, in the packet template's spelling.
    pub fn markdown(&self) -> Vec<String> {
        vec![
            format!("- **Target File**: `{}`", self.target_file),
            format!("- **Start**: {}", self.start),
            format!("- **End**: {}", self.end),
            format!("- **Line Delta**: {}", self.line_delta),
            format!("- **Pre-SHA1**: {}", self.pre_sha1),
            format!("- **Post-SHA1**: {}", self.post_sha1),
        ]
    }
}

pub fn run(args: &ManifestArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let path = root_relative(repo, &ctx.cwd, &args.path)?;
    let merge_base_sha = match &args.wp {
        Some(wp) => {
            let id = WpId::parse(wp)?;
            repo.load_packet(&id)?.merge_base_sha().map(|s| s.value)
        }
        None => None,
    };
    let git = GitRepo::open(&repo.root)?;
    let request = args.diff.request(merge_base_sha, &repo.config);
    let (selection, changes) = git::select(&git, &request)?;
    let mut report = Report::new("manifest", Some(path.clone()));
    report.informational = true;
    let diff = selection.view();
    // the diff alone until an entry is found
    report.set_typed(ManifestData {
        diff: diff.clone(),
        entry: None,
    });
    if let Some(wp) = &args.wp {
        report.next = vec![format!("gov post-work {wp}")];
    }
    let Some(change) = changes.find(&path) else {
        report.push(
            Diagnostic::new(
                &codes::FILE_NOT_CHANGED,
                format!(
                    "`{path}` is not changed in the selected diff, {}",
                    selection.describe()
                ),
            )
            .in_file(path.clone()),
        );
        return Ok(report);
    };
    if change.path_only() {
        report.push(
            Diagnostic::new(
                &codes::BINARY_FILE,
                format!("`{}` is binary (or has an unreadable name): post-work checks it by path only and needs no manifest entry", change.path),
            )
            .in_file(change.path.clone()),
        );
        return Ok(report);
    }
    let entry = entry_for(change);
    report.headline = entry.markdown();
    report.set_typed(ManifestData {
        diff,
        entry: Some(EntryData {
            markdown: entry.markdown().join("\n"),
            entry,
        }),
    });
    Ok(report)
}

/// The entry for a changed text file.
pub fn entry_for(change: &ChangedFile) -> Entry {
    let (start, end) = change.window().unwrap_or((1, 1));
    Entry {
        target_file: change.path.clone(),
        start,
        end,
        line_delta: change.line_delta(),
        pre_sha1: change.pre_sha1.clone(),
        post_sha1: change.post_sha1.clone(),
    }
}

/// A path given on the command line, as a root-relative path: taken relative to the
/// current folder when that lies inside the root, else to the root.
fn root_relative(repo: &Repo, cwd: &Path, given: &str) -> Result<String, GovError> {
    let given = given.replace('\\', "/");
    let joined = match cwd
        .canonicalize()
        .ok()
        .zip(repo.root.canonicalize().ok())
        .and_then(|(c, r)| c.strip_prefix(&r).ok().map(crate::paths::to_slash))
    {
        Some(sub) if !sub.is_empty() => format!("{sub}/{given}"),
        _ => given,
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(escapes(&joined));
                }
            }
            s => parts.push(s),
        }
    }
    let rel = parts.join("/");
    crate::paths::check_relative(&rel).map_err(|_| escapes(&joined))?;
    Ok(rel)
}

fn escapes(p: &str) -> GovError {
    Diagnostic::new(
        &crate::diag::codes::gov::PATH_ESCAPES_ROOT,
        format!(
            "`{}` is not a path inside the repository",
            crate::model::wp_id::printable(p)
        ),
    )
    .into()
}
