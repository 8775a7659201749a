//! `gov init [--layout docs|dotgov]`: scaffolds a governance tree that passes the
//! gates. Never overwrites an existing file unless `--force`.

use crate::config::{Layout, LayoutName};
use crate::diag::codes::gov;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::io::{write_atomic, RepoLock};
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

pub fn run(args: &InitArgs, ctx: &super::Context) -> Result<Report, GovError> {
    let root: PathBuf = ctx
        .global
        .root
        .as_ref()
        .map_or_else(|| ctx.cwd.clone(), |r| ctx.cwd.join(r));
    std::fs::create_dir_all(&root).map_err(|e| {
        Diagnostic::new(
            &gov::WRITE_FAILED,
            format!("cannot create {}: {e}", root.display()),
        )
    })?;
    let name = match args.layout {
        CliLayout::Docs => LayoutName::Docs,
        CliLayout::Dotgov => LayoutName::Dotgov,
    };
    let files = scaffold(name);
    let mut report = Report::new("init", Some(name.as_str().to_string()));
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
    if !existing.is_empty() && !args.force {
        for p in existing {
            report.push(
                Diagnostic::new(
                    &gov::FILE_EXISTS,
                    format!("{p} already exists; init did not change it"),
                )
                .in_file(p.clone()),
            );
        }
        report.next = vec![format!("gov init --layout {} --force", name.as_str())];
        return Ok(report);
    }
    for (path, content) in &files {
        crate::paths::resolve_inside(&root, path).map_err(|u| {
            Diagnostic::new(
                &gov::PATH_ESCAPES_ROOT,
                format!("{} is refused: {}", u.path, u.reason),
            )
        })?;
        write_atomic(&root.join(path), content.as_bytes())?;
    }
    report.headline = std::iter::once(format!(
        "initialised a {} governance tree in {}",
        name.as_str(),
        root.display()
    ))
    .chain(files.iter().map(|(p, _)| format!("  created {p}")))
    .collect();
    report.set_data(
        "created",
        serde_json::json!(files.iter().map(|(p, _)| p).collect::<Vec<_>>()),
    );
    report.next = vec![
        "gov spec-regression".into(),
        "gov create-task-packet WP-1-First-Task".into(),
    ];
    if args.agents_md {
        crate::guard::agents_md::write(&root, &mut report)?;
    }
    Ok(report)
}
