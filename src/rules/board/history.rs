//! When each board line last changed, from git history: libgit2's blame through git2
//! (no subprocess). This is the one place board-check reads beyond the documents;
//! the SLA rule only sees the resulting dates. Without a repository, or when the
//! board was never committed, the SLA check falls back to the dates in the entries.

use chrono::{DateTime, NaiveDate};
use std::path::Path;

#[derive(Debug, Clone)]
pub enum History {
    /// The date each line of the board's working copy last changed (uncommitted
    /// lines count as changed today).
    Git(Vec<Option<NaiveDate>>),
    /// History could not be used; the reason is reported in JSON.
    Unavailable(String),
    /// Not consulted: every entry the SLA check looks at carries its own date.
    NotNeeded,
    /// The SLA check is not wanted (phase-gate and status: warnings cannot fail them).
    Skipped,
}

impl History {
    /// Blames `board_rel` (relative to `root`) against the working-copy `text`.
    pub fn load(root: &Path, board_rel: &str, text: &str, today: NaiveDate) -> History {
        match blame(root, board_rel, text, today) {
            Ok(dates) => History::Git(dates),
            Err(why) => History::Unavailable(why),
        }
    }

    /// The date 1-based `line` last changed, when history knows it.
    pub fn date(&self, line: usize) -> Option<NaiveDate> {
        match self {
            History::Git(dates) => dates.get(line.checked_sub(1)?).copied().flatten(),
            _ => None,
        }
    }

    /// What the SLA dates came from, for the JSON report.
    pub fn describe(&self) -> serde_json::Value {
        match self {
            History::Git(_) => serde_json::json!({"git": true}),
            History::Unavailable(why) => serde_json::json!({"git": false, "note": why}),
            History::NotNeeded => {
                serde_json::json!({"git": false, "note": "every entry checked carries a date"})
            }
            History::Skipped => serde_json::json!({"git": false, "note": "SLAs not checked"}),
        }
    }
}

fn blame(
    root: &Path,
    board_rel: &str,
    text: &str,
    today: NaiveDate,
) -> Result<Vec<Option<NaiveDate>>, String> {
    let repo = git2::Repository::discover(root)
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
    let committed = repo.blame_file(inside, None).map_err(|_| {
        "the board has no committed history: SLA dates come from the entries only".to_string()
    })?;
    let blame = committed
        .blame_buffer(text.as_bytes())
        .map_err(|e| format!("git blame failed: {}", e.message()))?;
    let lines = text.split('\n').count();
    let mut dates = vec![None; lines];
    for hunk in blame.iter() {
        let date = if hunk.final_commit_id().is_zero() {
            Some(today)
        } else {
            hunk.final_signature().and_then(|s| {
                let t = s.when();
                DateTime::from_timestamp(t.seconds() + i64::from(t.offset_minutes()) * 60, 0)
                    .map(|d| d.date_naive())
            })
        };
        // libgit2 can report a hunk of a wrapped-around (near usize::MAX) length
        // when the buffer ends differently from the file: clamp to the text's lines
        let start = hunk.final_start_line().max(1).min(lines + 1);
        let end = start.saturating_add(hunk.lines_in_hunk()).min(lines + 1);
        for slot in &mut dates[start - 1..end - 1] {
            *slot = date;
        }
    }
    Ok(dates)
}
