//! `gov create-task-packet <WP_ID>`: a new packet from the template, and its board
//! entry, written under the repository lock. The board is written first: if the
//! packet cannot be written the board is restored, and a run killed between the two
//! writes is finished by running it again (the entry, already there, is not added
//! twice).

use super::record_signature::{write_file, Exact};
use crate::diag::codes::{gov, pkt};
use crate::diag::{Diagnostic, Report};
use crate::edit::insert_board_entry;
use crate::error::GovError;
use crate::io::{write_atomic, RepoLock};
use crate::model::board::SectionKind;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::templates;
use clap::Args;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The new packet id: WP-{phase}-{Name}[-vN]
    pub wp_id: String,
    /// Put the packet in Backlog instead of Ready for Dev
    #[arg(long)]
    pub backlog: bool,
}

pub fn run(args: &CreateArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    let mut report = Report::new("create-task-packet", Some(id.to_string()));
    let spec_version = repo
        .load_pointer()?
        .version
        .unwrap_or_else(|| "unversioned".into());
    let template = packet_template(repo)?;
    let _lock =
        RepoLock::acquire(&repo.root, Duration::from_secs(10)).map_err(|error| GovError::Lock {
            path: RepoLock::path_for(&repo.root).display().to_string(),
            error,
        })?;
    if let Some(d) = collision(repo, &id)? {
        report.push(d);
        return Ok(report);
    }
    let (status, section, title) = if args.backlog {
        ("Backlog", SectionKind::Backlog, "Backlog")
    } else {
        ("Ready-for-Dev", SectionKind::ReadyForDev, "Ready for Dev")
    };
    let date = ctx.now.format("%Y-%m-%d").to_string();
    let text = templates::fill(
        &template,
        &[
            ("WP_ID", id.as_str()),
            ("DATE", &date),
            ("SPEC_VERSION", &spec_version),
            ("STATUS", status),
        ],
    );
    let path = format!("{}/{}.md", repo.layout.packets, id);
    repo.read_markdown(&repo.layout.task_board, "task board")?; // refuses a huge board
    let board = Exact::read(repo, &repo.layout.task_board, "task board")?;
    let board_after = insert_board_entry(
        &board.text,
        &section,
        title,
        &format!("- [{id}] {status}"),
    )
    .map_err(|h| {
        Diagnostic::new(
            &gov::WRITE_FAILED,
            format!("a new entry in {title} would not be read back from the task board: the Markdown around line {} hides it", h.line),
        )
        .at_line(repo.layout.task_board.clone(), h.line)
        .help("close the code block (or HTML block) that runs to this line, then run the command again; nothing was written")
    })?;
    let packet_file = crate::paths::resolve_inside(&repo.root, &path).map_err(|u| {
        Diagnostic::new(
            &gov::PATH_ESCAPES_ROOT,
            format!("{} is refused: {}", u.path, u.reason),
        )
    })?;
    if board_after != board.text {
        write_file(&board.rel, &board.path, &board.with_text(&board_after))?;
    }
    if let Err(e) = write_atomic(&packet_file, text.as_bytes()) {
        let _ = write_file(&board.rel, &board.path, &board.bytes);
        return Err(e.into());
    }
    report.headline = vec![
        format!("created {path}"),
        format!(
            "added `- [{id}] {status}` to {} ({title})",
            repo.layout.task_board
        ),
    ];
    report.set_data("path", serde_json::json!(path));
    report.set_data(
        "board",
        serde_json::json!({"path": repo.layout.task_board, "section": title}),
    );
    report.next = vec![
        format!("fill the placeholders in {path}"),
        format!("gov pre-work {id}"),
    ];
    Ok(report)
}

fn packet_template(repo: &Repo) -> Result<String, GovError> {
    if !repo.exists(&repo.layout.packet_template) {
        return Ok(templates::PACKET.to_string());
    }
    repo.read_markdown(&repo.layout.packet_template, "packet template")
        .map(|s| s.text)
        .map_err(|e| {
            Diagnostic::new(&gov::TEMPLATE_UNREADABLE, e.to_string())
                .in_file(repo.layout.packet_template.clone())
                .into()
        })
}

/// A refusal when the id, or (for a base id) its family, already exists.
fn collision(repo: &Repo, id: &WpId) -> Result<Option<Diagnostic>, GovError> {
    let Some(existing) = repo.packet_path(id)?.or_else(|| repo.stub_path(id)) else {
        return Ok(None);
    };
    let base = id.base();
    let taken: Vec<u32> = repo
        .packet_ids()
        .into_iter()
        .filter(|(other, _)| other.base() == base)
        .map(|(other, _)| other.variant().unwrap_or(1))
        .collect();
    let next = (2..)
        .find(|n| {
            !taken.contains(n)
                && repo
                    .packet_path(&base.with_variant(*n))
                    .ok()
                    .flatten()
                    .is_none()
        })
        .unwrap_or(2);
    let suggestion = base.with_variant(next);
    Ok(Some(
        Diagnostic::new(
            &pkt::ID_EXISTS,
            format!("{id} already exists; the next free revision is {suggestion}"),
        )
        .in_file(existing)
        .help(format!("run `gov create-task-packet {suggestion}`")),
    ))
}
