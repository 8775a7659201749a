//! Which packet's scope applies: `--wp`, else `GOV_WP`, else the assignment `gov
//! start` recorded for this worktree or branch (a `PREPARE` event in the gate state),
//! else the one packet In Progress on the board. None or several is an answer too:
//! the guard blocks and says how to choose.

use crate::diag::codes::grd;
use crate::diag::Diagnostic;
use crate::model::board::Board;
use crate::model::gate_state::{parse_timestamp, GateState, LOG_KEY};
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use serde_json::Value;
use std::path::Path;

/// How the active packet was chosen (said in messages, so a surprise is explainable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Flag,
    Env,
    Assignment,
    OnlyInProgress,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Flag => "--wp",
            How::Env => "GOV_WP",
            How::Assignment => "the assignment `gov start` recorded for this worktree",
            How::OnlyInProgress => "the only In Progress packet",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivePacket {
    pub id: WpId,
    pub how: How,
}

/// The packets In Progress on the board, in board order, without repeats.
pub fn in_progress(board: &Board) -> Vec<WpId> {
    let mut out: Vec<WpId> = Vec::new();
    for e in board.status_entries() {
        let status_entry = board.status_entry(&e.id).map(|s| s.line) == Some(e.line);
        if status_entry
            && board.entry_status(e) == Some(StatusKind::InProgress)
            && !out.contains(&e.id)
        {
            out.push(e.id.clone());
        }
    }
    out
}

/// Chooses the active packet. `board` is `None` when the board could not be read.
pub fn resolve_active(
    repo: &Repo,
    flag: Option<&str>,
    env: Option<&str>,
    board: Option<&Board>,
) -> Result<ActivePacket, Box<Diagnostic>> {
    let given = |s: &str, how: How| {
        WpId::parse(s.trim())
            .map(|id| ActivePacket { id, how })
            .map_err(|e| {
                Box::new(Diagnostic::new(
                    &grd::NO_ACTIVE_PACKET,
                    format!(
                        "{} names `{}`, which is not a packet id: {e}",
                        how.as_str(),
                        crate::model::wp_id::printable(s)
                    ),
                ))
            })
    };
    if let Some(f) = flag {
        return given(f, How::Flag);
    }
    if let Some(e) = env.filter(|e| !e.trim().is_empty()) {
        return given(e, How::Env);
    }
    if let Some(id) = assignment(repo) {
        return Ok(ActivePacket {
            id,
            how: How::Assignment,
        });
    }
    let Some(board) = board else {
        return Err(Box::new(Diagnostic::new(
            &grd::NO_ACTIVE_PACKET,
            format!(
                "no packet was named and the task board {} could not be read to find the one In Progress",
                repo.layout.task_board
            ),
        )));
    };
    let mut ids = in_progress(board);
    match ids.len() {
        1 => Ok(ActivePacket {
            id: ids.remove(0),
            how: How::OnlyInProgress,
        }),
        0 => Err(Box::new(Diagnostic::new(
            &grd::NO_ACTIVE_PACKET,
            format!(
                "no packet was named (--wp, GOV_WP, `gov start`) and none is In Progress on {}",
                board.path
            ),
        ))),
        _ => Err(Box::new(Diagnostic::new(
            &grd::AMBIGUOUS_ACTIVE_PACKET,
            format!(
                "{} packets are In Progress ({}) and none is assigned to this worktree",
                ids.len(),
                ids.iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))),
    }
}

/// The packet the latest `PREPARE` event assigned to this worktree (its folder) or
/// its current branch.
fn assignment(repo: &Repo) -> Option<WpId> {
    let path = &repo.layout.gate_state;
    if !repo.exists(path) {
        return None;
    }
    let text = repo.read(path, "gate state").ok()?.text;
    let state = GateState::parse(&text).ok()?;
    let prepares: Vec<_> = state
        .events()
        .into_iter()
        .filter(|e| e.kind == "PREPARE")
        .collect();
    if prepares.is_empty() {
        return None;
    }
    // `events()` gives wpId, type and time; the assignment's worktree and branch
    // are in the entry's `data`, read from the same text
    let raw: Value = serde_json::from_str(&text).ok()?;
    let entries = raw.get(LOG_KEY)?.as_array()?;
    let here = canonical(&repo.root);
    let mut branch: Option<Option<String>> = None;
    let mut best: Option<(chrono::NaiveDateTime, WpId)> = None;
    for entry in entries {
        if entry.get("type").and_then(Value::as_str) != Some("PREPARE") {
            continue;
        }
        let (Some(wp), Some(at)) = (
            entry.get("wpId").and_then(Value::as_str),
            entry
                .get("timestamp")
                .and_then(Value::as_str)
                .and_then(parse_timestamp),
        ) else {
            continue;
        };
        if !prepares.iter().any(|p| p.wp_id == wp && p.at == at) {
            continue;
        }
        let data = entry.get("data");
        let field = |k: &str| data.and_then(|d| d.get(k)).and_then(Value::as_str);
        let by_worktree = field("worktree").is_some_and(|w| canonical(Path::new(w)) == here);
        let by_branch = field("branch").is_some_and(|b| {
            branch
                .get_or_insert_with(|| current_branch(&repo.root))
                .as_deref()
                == Some(b)
        });
        if !(by_worktree || by_branch) {
            continue;
        }
        let Ok(id) = WpId::parse(wp) else { continue };
        if best.as_ref().is_none_or(|(t, _)| at >= *t) {
            best = Some((at, id));
        }
    }
    best.map(|(_, id)| id)
}

fn canonical(p: &Path) -> std::path::PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// The checked-out branch's short name, if the root is a git work tree on a branch.
fn current_branch(root: &Path) -> Option<String> {
    let git = crate::git::GitRepo::open(root).ok()?;
    let head = git.repo().head().ok()?;
    if !head.is_branch() {
        return None;
    }
    head.shorthand().ok().map(str::to_string)
}
