//! When the board lines the SLA check asks about were introduced, from git history
//! (through git2, no subprocess): [`crate::git::line_history`] follows just those lines
//! back, and stops at the SLA horizon. This is the one place board-check reads beyond
//! the documents; the SLA rule only sees the resulting dates. Without a repository, or
//! when the board was never committed, the SLA check falls back to the entries' dates.

use crate::git::line_history::{self, Introduced};
use chrono::{DateTime, NaiveDate};
use std::path::Path;

/// The day a line was introduced. `exact` is false for a line older than the SLA
/// horizon: the walk stopped there, so the line is known to be at least that old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineDate {
    pub date: NaiveDate,
    pub exact: bool,
}

#[derive(Debug, Clone)]
pub enum History {
    /// For the lines asked about, the day each was introduced into the board's working
    /// copy (uncommitted lines count as changed today); `None` for the others.
    Git(Vec<Option<LineDate>>),
    /// History could not be used; the reason is reported in JSON.
    Unavailable(String),
    /// Not consulted: every entry the SLA check looks at carries its own date.
    NotNeeded,
    /// The SLA check is not wanted (phase-gate and status: warnings cannot fail them).
    Skipped,
}

/// What the SLA check asks history: 1-based lines, and the horizon (a line older than
/// it is over every SLA asked about, however old it is).
#[derive(Debug, Clone, Default)]
pub struct Question {
    pub lines: Vec<usize>,
    pub horizon: Option<NaiveDate>,
}

impl History {
    /// Follows the asked lines of `board_rel` (relative to `root`), whose working copy
    /// is `text`, back through the board's git history.
    pub fn load(
        root: &Path,
        board_rel: &str,
        text: &str,
        today: NaiveDate,
        question: &Question,
    ) -> History {
        match introduced(root, board_rel, text, today, question) {
            Ok(dates) => History::Git(dates),
            Err(why) => History::Unavailable(why),
        }
    }

    /// The date 1-based `line` was introduced, when history knows it.
    pub fn date(&self, line: usize) -> Option<LineDate> {
        match self {
            History::Git(dates) => dates.get(line.checked_sub(1)?).copied().flatten(),
            _ => None,
        }
    }

    /// What the SLA dates came from, for the JSON report.
    /// Whether git history dated the entries, and if not, why.
    pub fn describe(&self) -> (bool, Option<String>) {
        match self {
            History::Git(_) => (true, None),
            History::Unavailable(why) => (false, Some(why.to_string())),
            History::NotNeeded => (false, Some("every entry checked carries a date".into())),
            History::Skipped => (false, Some("SLAs not checked".into())),
        }
    }
}

fn introduced(
    root: &Path,
    board_rel: &str,
    text: &str,
    today: NaiveDate,
    question: &Question,
) -> Result<Vec<Option<LineDate>>, String> {
    // through git's hook environment (GIT_DIR, GIT_WORK_TREE) like every git read
    let repo = crate::git::open_repository(root)
        .map_err(|_| "not a git repository: SLA dates come from the entries only".to_string())?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| "a bare git repository has no board history".to_string())?;
    let board = root
        .join(board_rel)
        .canonicalize()
        .map_err(|e| format!("the board could not be located: {e}"))?;
    let workdir = workdir
        .canonicalize()
        .map_err(|e| format!("the git work tree could not be located: {e}"))?;
    let inside = board
        .strip_prefix(&workdir)
        .map_err(|_| "the board is outside the git work tree".to_string())?;
    let inside = crate::paths::to_slash(inside);
    let wanted: Vec<usize> = question
        .lines
        .iter()
        .filter_map(|l| l.checked_sub(1))
        .collect();
    let horizon = question
        .horizon
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp());
    let found = line_history::introductions(&repo, &inside, text.as_bytes(), &wanted, horizon)
        .map_err(|e| match e {
            line_history::Error::NotCommitted => {
                "the board has no committed history: SLA dates come from the entries only"
                    .to_string()
            }
            line_history::Error::Git(e) => {
                format!("git history could not be read: {}", e.message())
            }
        })?;
    let mut dates = vec![None; text.split('\n').count()];
    for (line, found) in wanted.iter().zip(found) {
        let date = match found {
            Some(Introduced::Uncommitted) => Some(LineDate {
                date: today,
                exact: true,
            }),
            Some(Introduced::Commit { author, exact, .. }) => {
                DateTime::from_timestamp(line_history::local_seconds(author), 0).map(|d| LineDate {
                    date: d.date_naive(),
                    exact,
                })
            }
            None => None,
        };
        if let Some(slot) = dates.get_mut(*line) {
            *slot = date;
        }
    }
    Ok(dates)
}
