//! `gov create-task-packet <WP_ID>`: a new packet from the template, and its board
//! entry, written under the repository lock. The board is written first: if the
//! packet cannot be written the board is restored, and a run killed between the two
//! writes is finished by running it again (the entry, already there, is not added
//! twice). `--gate PHASE` lists the packet in that phase's closure gate in the same
//! board write; `--from WP_ID` copies another packet's content for a variant.

use super::record_signature::{write_file, Exact};
mod variant;

use crate::diag::codes::{gov, lif, pkt};
use crate::diag::{Diagnostic, Report};
use crate::edit::insert_board_entry;
use crate::error::GovError;
use crate::io::RepoLock;
use crate::model::board::{normalize_phase, SectionKind};
use crate::model::lifecycle::State;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::templates;
use clap::Args;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The new packet id: WP-{phase}-{Name}[-vN]
    pub wp_id: String,
    /// Put the packet in Backlog instead of Ready for Dev (then `gov ready` moves it on)
    #[arg(long)]
    pub backlog: bool,
    /// Copy the content of this packet (a variant: `--from WP-1-X` for WP-1-X-v2);
    /// the signature is left pending, validation reports are not copied
    #[arg(long, value_name = "WP_ID")]
    pub from: Option<String>,
    /// Also list the packet in this phase's closure gate (Phase-1, "Phase 1" or 1)
    #[arg(long, value_name = "PHASE")]
    pub gate: Option<String>,
}

/// The data members of `gov create-task-packet --format json`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CreatePacketData {
    /// The packet created, relative to the repository root.
    pub path: String,
    pub board: BoardListing,
}

/// Where the new packet was listed on the board.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct BoardListing {
    pub path: String,
    /// The board section its entry was added to.
    pub section: String,
    /// The phase whose closure gate lists it too, or null.
    pub gate: Option<String>,
}

pub fn run(args: &CreateArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    let mut report = Report::new("create-task-packet", Some(id.to_string()));
    let spec_version = repo
        .load_pointer()?
        .version
        .unwrap_or_else(|| "unversioned".into());
    let source = match args.from.as_deref().map(WpId::parse).transpose()? {
        Some(from) => match repo.packet_path(&from)? {
            Some(_) => Some(repo.load_packet(&from)?),
            None => {
                report.push(
                    Diagnostic::new(
                        &lif::UNKNOWN_WP,
                        format!(
                            "--from {from}: there is no such packet in {}",
                            repo.layout.packets
                        ),
                    )
                    .help("name an existing packet (exact id, with its -vN suffix)"),
                );
                return Ok(report);
            }
        },
        None => None,
    };
    let gate_phase = args.gate.as_deref().map(normalize_phase);
    if gate_phase.as_deref() == Some("") {
        return Err(Diagnostic::new(
            &gov::USAGE,
            "--gate needs a phase: Phase-1, \"Phase 1\" or 1",
        )
        .into());
    }
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
    let text = match &source {
        Some(from) => variant::copy(
            from,
            &id,
            if args.backlog {
                State::Backlog
            } else {
                State::ReadyForDev
            },
        ),
        None => templates::fill(
            &template,
            &[
                ("WP_ID", id.as_str()),
                ("DATE", &date),
                ("SPEC_VERSION", &spec_version),
                ("STATUS", status),
            ],
        ),
    };
    let path = format!("{}/{}.md", repo.layout.packets, id);
    repo.read_markdown(&repo.layout.task_board, "task board")?; // refuses a huge board
    let board = Exact::read(repo, &repo.layout.task_board, "task board")?;
    let board_after =
        insert_board_entry(&board.text, &section, title, &format!("- [{id}] {status}"))
            .map_err(|h| hidden(repo, title, h.line))?;
    let board_after = match &gate_phase {
        Some(phase) => {
            let gate_title = format!("Phase {phase} Closure Gates (BLOCKING)");
            insert_board_entry(
                &board_after,
                &SectionKind::PhaseGate(phase.clone()),
                &gate_title,
                &format!("- [{id}]"),
            )
            .map_err(|h| hidden(repo, &gate_title, h.line))?
        }
        None => board_after,
    };
    // refused before the board is touched; write_inside checks again as it writes
    crate::paths::resolve_inside(&repo.root, &path).map_err(|u| {
        Diagnostic::new(
            &gov::PATH_ESCAPES_ROOT,
            format!("{} is refused: {}", u.path, u.reason),
        )
    })?;
    if board_after != board.text {
        write_file(&board.rel, &board.path, &board.with_text(&board_after))?;
    }
    if let Err(e) = crate::io::write_inside(&repo.root, &path, text.as_bytes()) {
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
    if let Some(phase) = &gate_phase {
        report
            .headline
            .push(format!("listed {id} in the Phase {phase} closure gate"));
    }
    if let Some(from) = &source {
        report.headline.push(format!(
            "copied the content of {} (signature pending, no validation reports)",
            from.id
        ));
    }
    report.set_typed(CreatePacketData {
        path: path.clone(),
        board: BoardListing {
            path: repo.layout.task_board.clone(),
            section: title.to_string(),
            gate: gate_phase.clone(),
        },
    });
    report.next = match (&source, args.backlog) {
        (Some(from), _) => vec![
            format!("revise {path} and have it signed (`gov record-signature {id} <SIGNATURE>`)"),
            format!("gov supersede {} --by {id}", from.id),
        ],
        (None, true) => vec![
            format!("fill the placeholders in {path}"),
            format!("gov ready {id}"),
        ],
        (None, false) => vec![
            format!("fill the placeholders in {path}"),
            format!("gov pre-work {id}"),
        ],
    };
    Ok(report)
}

fn hidden(repo: &Repo, title: &str, line: usize) -> GovError {
    Diagnostic::new(
        &gov::WRITE_FAILED,
        format!("a new entry in {title} would not be read back from the task board: the Markdown around line {line} hides it"),
    )
    .at_line(repo.layout.task_board.clone(), line)
    .help("close the code block (or HTML block) that runs to this line, then run the command again; nothing was written")
    .into()
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
