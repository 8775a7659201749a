//! `gov init [--layout docs|dotgov]`: scaffolds a governance tree that passes the
//! gates. Checks every file before it writes one; never overwrites an existing file
//! unless `--force`, and even then never one that holds user data (board entries,
//! audit rows, a spec that is not the template). Re-running it on a governed
//! repository changes nothing.

use crate::config::{Layout, LayoutName};
use crate::diag::codes::{gov, lif};
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::io::{write_inside, RepoLock};
use crate::templates;
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where governance documents live
    #[arg(long, value_enum, default_value_t = CliLayout::Docs)]
    pub layout: CliLayout,
    /// Overwrite files that already exist
    #[arg(long)]
    pub force: bool,
    /// Also add a section to AGENTS.md telling coding agents which gov command answers what
    #[arg(long)]
    pub agents_md: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CliLayout {
    Docs,
    Dotgov,
}

pub const SPEC_FILE: &str = "Master_Spec_v1.0.md";

/// The files `init` writes for a layout, as (repository path, content).
pub fn scaffold(name: LayoutName) -> Vec<(String, String)> {
    let layout = Layout::preset(name);
    let spec_path = match name {
        LayoutName::Docs => SPEC_FILE.to_string(),
        LayoutName::Dotgov => format!(".GOV/spec/{SPEC_FILE}"),
    };
    let pointer_dir = layout.spec_pointer.rsplit_once('/').map_or("", |(d, _)| d);
    let link = relative_link(pointer_dir, &spec_path);
    vec![
        (
            "gov.yaml".to_string(),
            templates::fill(templates::CONFIG, &[("LAYOUT", name.as_str())]),
        ),
        (spec_path.clone(), templates::SPEC.to_string()),
        (
            layout.spec_pointer.clone(),
            templates::fill(
                templates::SPEC_POINTER,
                &[("SPEC_FILE", SPEC_FILE), ("SPEC_LINK", &link)],
            ),
        ),
        (layout.task_board.clone(), templates::TASK_BOARD.to_string()),
        (
            layout.signature_audit.clone(),
            templates::SIGNATURE_AUDIT.to_string(),
        ),
        (
            layout.packet_template.clone(),
            templates::PACKET.to_string(),
        ),
    ]
}

/// `../Master_Spec_v1.0.md` from `docs/` to the root file.
fn relative_link(from_dir: &str, to: &str) -> String {
    let ups = from_dir.split('/').filter(|s| !s.is_empty()).count();
    format!("{}{to}", "../".repeat(ups))
}

/// The data members of `gov init --format json`; absent when init refused to write
/// over existing files (the diagnostics name them).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct InitData {
    /// Files created, relative to the root (empty: the tree was already complete).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    pub created: Option<Vec<String>>,
    /// `--force`: files kept because they hold the user's data.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    pub kept: Option<Vec<String>>,
}

pub fn run(args: &InitArgs, ctx: &super::Context) -> Result<Report, GovError> {
    let root: PathBuf = ctx
        .global
        .root
        .as_ref()
        .map_or_else(|| ctx.cwd.clone(), |r| ctx.cwd.join(r));
    let name = match args.layout {
        CliLayout::Docs => LayoutName::Docs,
        CliLayout::Dotgov => LayoutName::Dotgov,
    };
    let files = scaffold(name);
    let mut report = Report::new("init", Some(name.as_str().to_string()));
    // everything is checked before anything is written
    let problems = unwritable(&root, &files);
    if !problems.is_empty() {
        report.extend(problems);
        return Ok(report);
    }
    std::fs::create_dir_all(&root).map_err(|e| {
        Diagnostic::new(
            &gov::WRITE_FAILED,
            format!("cannot create {}: {e}", root.display()),
        )
    })?;
    let _lock =
        RepoLock::acquire(&root, Duration::from_secs(10)).map_err(|error| GovError::Lock {
            path: RepoLock::path_for(&root).display().to_string(),
            error,
        })?;
    let existing: Vec<&String> = files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| root.join(p).exists())
        .collect();
    if existing.len() == files.len() && !args.force {
        report.headline = vec![format!(
            "{} is already a {} governance tree; nothing changed",
            root.display(),
            name.as_str()
        )];
        report.set_typed(InitData {
            created: Some(Vec::new()),
            kept: None,
        });
        report.next = vec!["gov status".into()];
        return Ok(report);
    }
    if !existing.is_empty() && !args.force {
        for p in existing {
            report.push(
                Diagnostic::new(
                    &gov::FILE_EXISTS,
                    format!("{p} already exists; init did not change it"),
                )
                .in_file(p.clone())
                .help("nothing was written; `gov init --force` creates the missing files and never rewrites board entries, audit rows or a changed spec"),
            );
        }
        report.next = vec!["gov status".into()];
        return Ok(report);
    }
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for (path, content) in &files {
        let target = root.join(path);
        if let Some(what) = user_data(&target, path, content) {
            report.push(
                Diagnostic::new(
                    &lif::KEPT_USER_DATA,
                    format!("{path} holds {what}; init --force kept it"),
                )
                .in_file(path.clone()),
            );
            kept.push(path.clone());
            continue;
        }
        write_inside(&root, path, content.as_bytes())?;
        created.push(path.clone());
    }
    report.headline = std::iter::once(format!(
        "initialised a {} governance tree in {}",
        name.as_str(),
        root.display()
    ))
    .chain(created.iter().map(|p| format!("  created {p}")))
    .chain(kept.iter().map(|p| format!("  kept {p}")))
    .collect();
    report.set_typed(InitData {
        created: Some(created),
        kept: (!kept.is_empty()).then_some(kept),
    });
    report.next = vec![
        "gov spec-regression".into(),
        "gov create-task-packet WP-1-First-Task --backlog --gate Phase-1".into(),
    ];
    if args.agents_md {
        crate::guard::agents_md::write(&root, &mut report)?;
    }
    Ok(report)
}

/// Why a scaffold file cannot be written, for every file, before any is: a path
/// that leads out of the root, a folder where a file goes, a file where a folder goes.
fn unwritable(root: &std::path::Path, files: &[(String, String)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (path, _) in files {
        if let Err(u) = crate::paths::resolve_inside(root, path) {
            out.push(
                Diagnostic::new(
                    &gov::PATH_ESCAPES_ROOT,
                    format!("{} is refused: {}; nothing was written", u.path, u.reason),
                )
                .in_file(path.clone()),
            );
            continue;
        }
        let target = root.join(path);
        if target.is_dir() {
            out.push(
                Diagnostic::new(
                    &gov::WRITE_FAILED,
                    format!("{path} is a folder; nothing was written"),
                )
                .in_file(path.clone()),
            );
        }
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| d.starts_with(root) && *d != root) {
            if d.exists() && !d.is_dir() {
                let rel = d.strip_prefix(root).unwrap_or(d).display().to_string();
                out.push(
                    Diagnostic::new(
                        &gov::WRITE_FAILED,
                        format!("{rel} is a file where {path} needs a folder; nothing was written"),
                    )
                    .in_file(rel),
                );
                break;
            }
            dir = d.parent();
        }
    }
    out
}

/// What user data an existing scaffold file holds, if any: board entries, audit
/// rows, or a spec that is no longer the template.
fn user_data(target: &std::path::Path, rel: &str, template: &str) -> Option<String> {
    let bytes = std::fs::read(target).ok()?;
    let source = crate::text::Source::from_bytes(rel.to_string(), &bytes);
    if source.text == template {
        return None;
    }
    if rel.ends_with(SPEC_FILE) {
        return Some("a spec that is not the template".into());
    }
    let board = crate::model::board::Board::parse(source.clone());
    if !board.entries.is_empty() && rel.ends_with("TASK_BOARD.md") {
        return Some(format!("{} board entries", board.entries.len()));
    }
    let audit = crate::model::audit::SignatureAudit::parse(&source);
    if !audit.rows.is_empty() && rel.ends_with("SIGNATURE_AUDIT.md") {
        return Some(format!("{} audit rows", audit.rows.len()));
    }
    None
}
