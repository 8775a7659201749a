//! `gov doctor [--write-config [--force]]`: what layout discovery found, where, and by
//! which rule; what is missing; and, on request, the layout pinned in gov.yaml.
//!
//! Exit codes: 0 every required document found; 1 one is missing (or gov.yaml exists
//! and `--force` was not given); 2 two files could be one document (GOV020).

use crate::config::CONFIG_FILE;
use crate::diag::codes::gov;
use crate::diag::{Diagnostic, Report};
use crate::discovery::packets::Form;
use crate::discovery::Ambiguity;
use crate::discovery::{Doc, Found};
use crate::error::GovError;
use crate::io::{write_inside, RepoLock};
use crate::repo::Repo;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Pin the discovered layout in gov.yaml (`paths:`), atomically
    #[arg(long)]
    pub write_config: bool,
    /// With --write-config: replace the `version`, `layout` and `paths` of an existing
    /// gov.yaml (its other settings are kept)
    #[arg(long, requires = "write_config")]
    pub force: bool,
}

pub fn run(args: &DoctorArgs, ctx: &super::Context) -> Result<Report, GovError> {
    let repo = Repo::open_unchecked(&ctx.repo_options(), &ctx.cwd)?;
    let mut report = Report::new("doctor", None);
    report.headline = headline(&repo);
    report.extend(repo.discovery.diagnostics());
    for f in &repo.discovery.documents {
        if let Some(d) = finding(f) {
            report.push(d);
        }
    }
    let ambiguous = !repo.discovery.ambiguities.is_empty();
    for a in &repo.discovery.ambiguities {
        report.push(a.diagnostic());
    }
    report.fatal = ambiguous;
    report.set_typed(DoctorData {
        root: repo.root.display().to_string(),
        config: repo.config_path.clone(),
        documents: repo.discovery.documents.clone(),
        ambiguities: repo.discovery.ambiguities.clone(),
        searched: repo.discovery.searched.clone(),
        packets: packet_counts(&repo),
        config_written: None,
    });
    if args.write_config && !ambiguous {
        write_config(&repo, args.force, &mut report)?;
    } else if ambiguous {
        report.next = repo
            .discovery
            .ambiguities
            .iter()
            .map(|a| format!("set paths.{} in {CONFIG_FILE}", a.doc.key()))
            .collect();
    } else if repo.config_path.is_none() {
        report.next = vec!["gov doctor --write-config".into()];
    }
    report.extend(repo.take_warnings());
    Ok(report)
}

fn headline(repo: &Repo) -> Vec<String> {
    let d = &repo.discovery;
    let how = match &repo.config_path {
        Some(c) => format!("configuration {c}"),
        None => "no configuration file: layout discovered".into(),
    };
    let mut out = vec![format!("doctor: {} ({how})", repo.root.display())];
    let width = Doc::ALL.iter().map(|d| d.what().len()).max().unwrap_or(0);
    for f in &d.documents {
        let state = if f.outside {
            "outside the repository: not available"
        } else if f.exists {
            "found"
        } else if f.doc.required() {
            "MISSING"
        } else if f.doc == Doc::GateState {
            "not available"
        } else {
            "not found"
        };
        out.push(format!(
            "  {:width$}  {}  [{state}] {}",
            f.doc.what(),
            f.path,
            f.rule.describe()
        ));
    }
    if !d.searched.is_empty() {
        out.push(format!("  searched: {}", d.searched.join(", ")));
    }
    let counts = packet_counts(repo);
    out.push(format!(
        "  packets: {} ({} flat, {} folder packet.md, {} packet.json only, {} archived, {} with a twin not read); stubs: {} ({} with a contract)",
        counts.total, counts.flat, counts.folder_markdown, counts.json,
        counts.archived, counts.twins, counts.stubs, counts.stub_contracts
    ));
    out
}

fn packet_counts(repo: &Repo) -> PacketForms {
    let files = repo.packet_files();
    let form = |f: Form| files.iter().filter(|p| p.form == f).count();
    let stubs = repo.stub_files();
    PacketForms {
        total: files.len(),
        flat: form(Form::Flat),
        folder_markdown: form(Form::FolderMarkdown),
        json: form(Form::FolderJson),
        archived: files.iter().filter(|p| p.archived).count(),
        twins: files.iter().filter(|p| !p.twins.is_empty()).count(),
        stubs: stubs.len(),
        stub_contracts: stubs.iter().filter(|(_, s)| s.contract.is_some()).count(),
    }
}

/// The data members of `gov doctor --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DoctorData {
    /// The repository root (an absolute path).
    pub root: String,
    /// The configuration file read, or null when the layout was discovered.
    pub config: Option<String>,
    /// Every governance document: where it is and which rule decided it.
    pub documents: Vec<Found>,
    /// Documents that two or more files could be (exit 2 until gov.yaml decides).
    pub ambiguities: Vec<Ambiguity>,
    /// Governance folders searched, in order (empty on the fast path).
    pub searched: Vec<String>,
    pub packets: PacketForms,
    #[serde(flatten)]
    pub config_written: Option<ConfigWritten>,
}

/// `--write-config`: the configuration file written.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ConfigWritten {
    pub config_written: &'static str,
}

/// How many packets there are in each form, and how many stubs.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PacketForms {
    pub total: usize,
    /// `WP-ID.md` files.
    pub flat: usize,
    /// `WP-ID/packet.md` folders.
    pub folder_markdown: usize,
    /// Folders with a `packet.json` only.
    pub json: usize,
    pub archived: usize,
    /// Packets with a twin in another form that is not read.
    pub twins: usize,
    pub stubs: usize,
    /// Stubs with a contract.
    pub stub_contracts: usize,
}

/// A missing required document is an error naming where gov looked; a gate state
/// outside the repository is a note.
fn finding(f: &Found) -> Option<Diagnostic> {
    if f.outside {
        return Some(
            Diagnostic::new(
                &gov::GATE_STATE_NOT_AVAILABLE,
                format!(
                    "the gate state {} is outside the repository; gov does not read it (not available)",
                    f.path
                ),
            )
            .in_file(f.path.clone()),
        );
    }
    if f.exists || !f.doc.required() {
        return None;
    }
    let looked = if f.looked.is_empty() {
        String::new()
    } else {
        format!(" (looked at {})", f.looked.join(", "))
    };
    Some(
        Diagnostic::new(
            &gov::DOC_MISSING,
            format!("no {} found at {}{looked}", f.doc.what(), f.path),
        )
        .in_file(f.path.clone())
        .help(format!(
            "create it, or set `paths.{}` in {CONFIG_FILE} to where it is",
            f.doc.key()
        )),
    )
}

/// Writes gov.yaml with the layout as found, under the repository lock, atomically.
fn write_config(repo: &Repo, force: bool, report: &mut Report) -> Result<(), GovError> {
    let _lock =
        RepoLock::acquire(&repo.root, Duration::from_secs(10)).map_err(|error| GovError::Lock {
            path: RepoLock::path_for(&repo.root).display().to_string(),
            error,
        })?;
    let target = repo.root.join(CONFIG_FILE);
    let existing = match std::fs::symlink_metadata(&target) {
        Ok(_) => Some(repo.read(CONFIG_FILE, "configuration file")?.text),
        Err(_) => None,
    };
    if existing.is_some() && !force {
        report.push(
            Diagnostic::new(
                &gov::FILE_EXISTS,
                format!("{CONFIG_FILE} already exists; doctor did not change it"),
            )
            .in_file(CONFIG_FILE),
        );
        report.next = vec!["gov doctor --write-config --force".into()];
        return Ok(());
    }
    let text = config_text(&repo.discovery.documents, existing.as_deref());
    // what is written must read back as a valid configuration
    crate::config::load_file(CONFIG_FILE, &text)?;
    crate::paths::resolve_inside(&repo.root, CONFIG_FILE).map_err(|u| {
        Diagnostic::new(
            &gov::PATH_ESCAPES_ROOT,
            format!("{} is refused: {}", u.path, u.reason),
        )
    })?;
    write_inside(&repo.root, CONFIG_FILE, text.as_bytes())?;
    report
        .headline
        .push(format!("wrote {CONFIG_FILE}: the layout above is pinned"));
    report.set_typed(ConfigWritten {
        config_written: CONFIG_FILE,
    });
    report.next = vec!["gov status".into()];
    Ok(())
}

/// The new gov.yaml: `version` and `paths:` for every document that exists, followed
/// by the other top-level settings of the previous file (its `version`, `layout` and
/// `paths` are replaced).
pub fn config_text(documents: &[Found], previous: Option<&str>) -> String {
    let mut out = String::from(
        "# Layout pinned by `gov doctor --write-config`; edit freely.\nversion: 1\npaths:\n",
    );
    for f in documents.iter().filter(|f| f.exists || f.outside) {
        let value = serde_json::to_string(&f.path).unwrap_or_default();
        out.push_str(&format!("  {}: {value}\n", f.doc.key()));
    }
    if let Some(prev) = previous {
        let kept = other_sections(prev);
        if !kept.trim().is_empty() {
            out.push('\n');
            out.push_str(&kept);
            if !kept.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}

/// Top-level YAML blocks other than `version`, `layout` and `paths`, verbatim. A block
/// is a line starting at column 0 and the indented, blank or comment lines after it.
fn other_sections(text: &str) -> String {
    let mut out = String::new();
    let mut keep = true;
    for line in text.lines() {
        let top = !line.is_empty() && !line.starts_with([' ', '\t', '#']);
        if top {
            let key = line.split(':').next().unwrap_or("").trim();
            keep = !matches!(key, "version" | "layout" | "paths" | "---");
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_settings_are_kept_and_layout_replaced() {
        let prev = "version: 1\nlayout: docs\npaths:\n  task_board: a.md\n\n# scan settings\nscan:\n  include: [src]\nseverity:\n  PKT012: error\n";
        let kept = other_sections(prev);
        assert_eq!(
            kept,
            "scan:\n  include: [src]\nseverity:\n  PKT012: error\n"
        );
    }
}
