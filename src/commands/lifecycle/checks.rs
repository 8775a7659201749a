//! What each move requires, checked before anything is written. Pre-work runs on
//! the documents as they would be after the move (the packet Ready for Dev or In
//! Progress, the board agreeing), so the status rule and the board-drift rule judge
//! the result, not the starting point.

use super::documents::Documents;
use super::MoveSpec;
use crate::commands::post_work::{self, PostWorkArgs};
use crate::commands::pre_work;
use crate::diag::codes::lif;
use crate::diag::{Diagnostic, Severity};
use crate::edit::board_move::{set_board_state, BlockNote, BoardState};
use crate::edit::status_line::set_status;
use crate::error::GovError;
use crate::model::board::Board;
use crate::model::lifecycle::{self, Action, Requirement, State};
use crate::model::packet::Packet;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::text::Source;

/// The diagnostics of every unmet requirement of `action` (errors refuse the move).
pub fn requirements(
    action: Action,
    id: &WpId,
    docs: &mut Documents,
    spec: &MoveSpec,
    to: State,
    repo: &Repo,
    ctx: &crate::commands::Context,
) -> Result<Vec<Diagnostic>, GovError> {
    let mut out = Vec::new();
    for r in lifecycle::transition(action).requires {
        match r {
            Requirement::PreWork => out.extend(pre_work_after(id, docs, to, repo, ctx)?),
            // part of pre-work (the board's In Progress entries are the lock table)
            Requirement::NoFileLockOverlap => {}
            Requirement::PostWork => out.extend(post_work_passes(id, spec, repo)?),
            Requirement::Report => out.extend(report_given(id, spec)),
            Requirement::BlockerOrReason => out.extend(block_cause(id, spec, repo)?),
            Requirement::BlockersValidated => out.extend(blockers_validated(id, docs, repo)?),
            Requirement::Replacement => out.extend(replacement(id, docs, spec, repo)?),
        }
    }
    Ok(out)
}

/// Pre-work on the packet and board as the move would leave them.
fn pre_work_after(
    id: &WpId,
    docs: &Documents,
    to: State,
    repo: &Repo,
    ctx: &crate::commands::Context,
) -> Result<Vec<Diagnostic>, GovError> {
    let p = &docs.packet;
    let Ok(text) = set_status(p, to, false) else {
        return Ok(Vec::new()); // reported as LIF015 by the move itself
    };
    let packet = Packet::parse(id.clone(), Source::from_string(p.path.clone(), text, None));
    let board_text = set_board_state(
        &docs.board.text,
        &BoardState {
            id,
            state: to,
            validated: false,
            block: None,
        },
    )
    .unwrap_or_else(|_| docs.board.text.clone());
    let board = Board::parse(Source::from_string(
        docs.board.rel.clone(),
        board_text,
        None,
    ));
    let after = pre_work::Documents::new(repo.load_spec()?, board, repo.load_audit()?);
    let mut found = pre_work::findings(repo, ctx, &packet, &after);
    let mut r = crate::diag::Report::new("", None);
    r.extend(found.drain(..));
    repo.config.apply_severity(&mut r);
    let mut out: Vec<Diagnostic> = r.diagnostics;
    if !out.iter().any(|d| d.severity == Severity::Error) {
        return Ok(Vec::new()); // its warnings are pre-work's to show
    }
    {
        out.insert(
            0,
            Diagnostic::new(
                &lif::PRE_WORK_FAILS,
                format!("{id} cannot be {}: pre-work fails", to.label()),
            )
            .in_file(p.path.clone())
            .help(format!("fix the findings below (`gov pre-work {id}` shows them too), then run the move again")),
        );
    }
    Ok(out)
}

fn post_work_passes(id: &WpId, spec: &MoveSpec, repo: &Repo) -> Result<Vec<Diagnostic>, GovError> {
    let args = PostWorkArgs {
        wp_id: id.to_string(),
        diff: spec.diff.clone().unwrap_or_default(),
    };
    let mut r = post_work::run(&args, repo)?;
    repo.config.apply_severity(&mut r);
    let mut out = r.diagnostics;
    if !out.iter().any(|d| d.severity == Severity::Error) {
        return Ok(Vec::new()); // its warnings are post-work's to show
    }
    {
        out.insert(
            0,
            Diagnostic::new(
                &lif::POST_WORK_FAILS,
                format!("{id} cannot be submitted: post-work fails"),
            )
            .help(format!(
                "fix the findings below (`gov post-work {id}`), then run `gov submit {id}` again"
            )),
        );
    }
    Ok(out)
}

fn report_given(id: &WpId, spec: &MoveSpec) -> Vec<Diagnostic> {
    match &spec.verdict {
        Some(v) if !v.body.trim().is_empty() => Vec::new(),
        _ => vec![Diagnostic::new(
            &lif::REPORT_EMPTY,
            format!("the validation report for {id} is empty"),
        )],
    }
}

fn known(repo: &Repo, id: &WpId) -> Result<bool, GovError> {
    Ok(repo.packet_path(id)?.is_some() || repo.stub_path(id).is_some())
}

fn block_cause(id: &WpId, spec: &MoveSpec, repo: &Repo) -> Result<Vec<Diagnostic>, GovError> {
    let mut out = Vec::new();
    match &spec.block {
        None => out.push(Diagnostic::new(
            &lif::BLOCK_WITHOUT_CAUSE,
            format!("`gov block {id}` needs --on <WP_ID> or --reason"),
        )),
        Some(BlockNote::Reason(r)) if r.trim().is_empty() => out.push(Diagnostic::new(
            &lif::BLOCK_WITHOUT_CAUSE,
            format!("the reason to block {id} is empty"),
        )),
        Some(BlockNote::Reason(_)) => {}
        Some(BlockNote::On(ids)) => {
            for b in ids {
                if b == id {
                    out.push(Diagnostic::new(
                        &lif::BLOCKED_ON_ITSELF,
                        format!("{id} cannot be blocked on itself"),
                    ));
                } else if !known(repo, b)? {
                    out.push(Diagnostic::new(
                        &lif::UNKNOWN_WP,
                        format!("the blocker {b} has no packet in {}", repo.layout.packets),
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Every WP the entry waits for — on the board and in the recorded block — is VALIDATED.
fn blockers_validated(
    id: &WpId,
    docs: &Documents,
    repo: &Repo,
) -> Result<Vec<Diagnostic>, GovError> {
    let board = Board::parse(Source::from_string(
        docs.board.rel.clone(),
        docs.board.text.clone(),
        None,
    ));
    let mut blockers: Vec<WpId> = board
        .entries_for(id)
        .flat_map(|e| e.blockers.clone())
        .collect();
    if let Some((_, g)) = &docs.gate {
        let recorded = g
            .last_data(id.as_str(), crate::model::gate_state::STATUS_SYNC)
            .and_then(|d| d.get("on"))
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().and_then(|s| WpId::parse(s).ok()));
        blockers.extend(recorded);
    }
    blockers.sort();
    blockers.dedup();
    let mut out = Vec::new();
    for b in blockers.iter().filter(|b| *b != id) {
        let validated = match repo.packet_path(b)? {
            Some(_) => repo.load_packet(b)?.is_validated(),
            None => false,
        };
        if !validated {
            out.push(
                Diagnostic::new(
                    &lif::BLOCKERS_NOT_VALIDATED,
                    format!("{id} waits for {b}, which is not VALIDATED"),
                )
                .in_file(docs.board.rel.clone()),
            );
        }
    }
    Ok(out)
}

fn replacement(
    id: &WpId,
    docs: &mut Documents,
    spec: &MoveSpec,
    repo: &Repo,
) -> Result<Vec<Diagnostic>, GovError> {
    let Some(by) = &spec.superseded_by else {
        return Ok(vec![Diagnostic::new(
            &lif::UNKNOWN_WP,
            format!("`gov supersede {id}` needs --by <NEW_ID>"),
        )]);
    };
    if by == id {
        return Ok(vec![Diagnostic::new(
            &lif::UNKNOWN_WP,
            format!("{id} cannot supersede itself"),
        )]);
    }
    if repo.packet_path(by)?.is_none() {
        return Ok(vec![Diagnostic::new(
            &lif::UNKNOWN_WP,
            format!(
                "the replacement {by} has no packet in {}",
                repo.layout.packets
            ),
        )
        .help(format!(
            "create it first: `gov create-task-packet {by} --from {id}`"
        ))]);
    }
    let packet = repo.load_packet(by)?;
    docs.replacement_state = packet.status().and_then(|s| s.value.kind).map(State::of);
    Ok(Vec::new())
}

/// Assignments are repository-relative: `../wt-WP-1-X`, never `/home/...` or `C:\...`.
pub(super) fn worktree_relative(worktree: Option<&str>) -> Option<Diagnostic> {
    let w = worktree?;
    let drive = w.len() >= 2 && w.as_bytes()[1] == b':' && w.as_bytes()[0].is_ascii_alphabetic();
    let absolute = std::path::Path::new(w).is_absolute()
        || w.starts_with(['/', '\\'])
        || drive
        || w.starts_with('~');
    let empty = w.trim().is_empty();
    (absolute || empty).then(|| {
        Diagnostic::new(
            &lif::WORKTREE_NOT_RELATIVE,
            format!(
                "--worktree `{}` is not a repository-relative path",
                crate::model::wp_id::printable(w)
            ),
        )
    })
}
