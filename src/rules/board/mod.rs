//! Task board integrity (`gov board-check`), and the phase-gate evaluation built on
//! it. Each rule family lives in its own file and returns [`Finding`]s: a diagnostic
//! plus the WPs it concerns, so `phase-gate` can keep the findings about its gate WPs
//! and `status` can list drift without re-running anything.

mod blocked;
pub mod deps;
mod drift;
pub mod gate;
pub mod history;
pub mod id_map;
mod membership;
pub mod picture;
mod sections;
pub mod sla;

use crate::config::Config;
use crate::diag::{CodeInfo, Diagnostic};
use crate::model::board::{Board, Entry};
use crate::model::wp_id::WpId;
use crate::rules::inventory::Inventory;
use crate::text::Source;
use chrono::NaiveDateTime;
use serde::Serialize;

pub use deps::Graph;
pub use history::History;

/// Everything a board rule may look at.
pub struct BoardCheck<'a> {
    pub board: &'a Board,
    pub inventory: &'a Inventory,
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub now: NaiveDateTime,
    /// Dates of board lines from git history, when the SLA check needs them.
    pub history: &'a History,
}

impl BoardCheck<'_> {
    /// A diagnostic located at a board entry's id.
    pub fn at_entry(&self, code: &CodeInfo, msg: impl Into<String>, e: &Entry) -> Diagnostic {
        Diagnostic::new(code, msg).at(self.board.path.clone(), e.line, e.column)
    }

    /// `docs/TASK_BOARD.md:12`, for messages that name a second location.
    pub fn where_is(&self, e: &Entry) -> String {
        format!("{}:{}", self.board.path, e.line)
    }

    /// The title of the section an entry sits in.
    pub fn section_of(&self, e: &Entry) -> &str {
        &self.board.sections[e.section].title
    }
}

/// What a finding is about, so callers can group findings without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Structure,
    Unreadable,
    UnknownStatus,
    NoPacket,
    NotOnBoard,
    StatusMismatch,
    /// A status token that contradicts the section it is listed in.
    TokenContradictsSection,
    Duplicate,
    DoneNotValidated,
    BlockedWithoutReason,
    DependencyUnknown,
    DependencyCycle,
    Sla,
}

impl FindingKind {
    /// Disagreement between the board and the packets (what `status` calls drift).
    pub fn is_drift(self) -> bool {
        matches!(
            self,
            FindingKind::NoPacket
                | FindingKind::NotOnBoard
                | FindingKind::StatusMismatch
                | FindingKind::TokenContradictsSection
                | FindingKind::Duplicate
                | FindingKind::DoneNotValidated
        )
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: FindingKind,
    /// The WPs the finding is about (empty for board-wide findings).
    pub wps: Vec<WpId>,
    pub diagnostic: Diagnostic,
}

impl Finding {
    pub fn new(kind: FindingKind, wps: Vec<WpId>, diagnostic: Diagnostic) -> Finding {
        Finding {
            kind,
            wps,
            diagnostic,
        }
    }

    pub fn about(&self, id: &WpId) -> bool {
        self.wps.contains(id)
    }
}

/// Runs every board rule; each problem is its own finding.
pub fn check(c: &BoardCheck) -> Vec<Finding> {
    let rules: [fn(&BoardCheck) -> Vec<Finding>; 12] = [
        sections::fixed,
        sections::unreadable,
        sections::lookalikes,
        membership::entries_have_packets,
        membership::packets_are_on_board,
        drift::status_agrees,
        drift::token_agrees,
        drift::duplicates,
        drift::done_is_validated,
        blocked::has_reason,
        deps::check,
        sla::check,
    ];
    rules.iter().flat_map(|rule| rule(c)).collect()
}

/// The board, every packet, and the dependency graph between them: what board-check,
/// phase-gate and status all start from, loaded once.
pub struct Snapshot {
    pub board: Board,
    pub inventory: Inventory,
    pub graph: Graph,
}

impl Snapshot {
    /// Reads the board (required: exit 2 when missing) and every packet.
    pub fn load(repo: &crate::repo::Repo) -> Result<Snapshot, crate::error::GovError> {
        Ok(Snapshot::with_board(repo, repo.load_board()?))
    }

    /// [`Snapshot::load`], with the board's text (for [`Snapshot::history`]).
    pub fn load_keeping_text(
        repo: &crate::repo::Repo,
    ) -> Result<(Snapshot, Source), crate::error::GovError> {
        let (board, text) = repo.load_board_with_text()?;
        Ok((Snapshot::with_board(repo, board), text))
    }

    /// As [`Snapshot::load`], with the board's git history (when the SLA check needs
    /// it) read on a second thread while the packets load: the walk needs only the
    /// board, and on a long history it is the largest single-threaded cost.
    pub fn load_with_history(
        repo: &crate::repo::Repo,
        now: chrono::NaiveDateTime,
    ) -> Result<(Snapshot, History), crate::error::GovError> {
        let (board, source) = repo.load_board_with_text()?;
        if !sla::needs_history(&board, &repo.config) {
            return Ok((Snapshot::with_board(repo, board), History::NotNeeded));
        }
        let question = sla::question(&board, &repo.config, now.date());
        let (path, text) = (board.path.clone(), &source.text);
        std::thread::scope(|s| {
            let walk = s.spawn(|| History::load(&repo.root, &path, text, now.date(), &question));
            let snap = Snapshot::with_board(repo, board);
            match walk.join() {
                Ok(history) => Ok((snap, history)),
                // a panic is a bug; re-raise it as the single-threaded path would
                Err(p) => std::panic::resume_unwind(p),
            }
        })
    }

    /// Every packet, around a board already read (phase-gate reads the board first).
    pub fn with_board(repo: &crate::repo::Repo, board: Board) -> Snapshot {
        let inventory = Inventory::load(repo);
        let graph = Graph::build(&board, &inventory);
        Snapshot {
            board,
            inventory,
            graph,
        }
    }

    /// Runs every board rule.
    pub fn check(&self, config: &Config, now: NaiveDateTime, history: &History) -> Vec<Finding> {
        check(&BoardCheck {
            board: &self.board,
            inventory: &self.inventory,
            graph: &self.graph,
            config,
            now,
            history,
        })
    }

    /// Git history of the board whose text is `text`, read only when the SLA check
    /// needs it.
    pub fn history(&self, repo: &crate::repo::Repo, text: &str, now: NaiveDateTime) -> History {
        if sla::needs_history(&self.board, &repo.config) {
            History::load(
                &repo.root,
                &self.board.path,
                text,
                now.date(),
                &sla::question(&self.board, &repo.config, now.date()),
            )
        } else {
            History::NotNeeded
        }
    }
}
