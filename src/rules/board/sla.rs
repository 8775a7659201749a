//! Time in state: Backlog 5 days, Ready for Dev 10, In Progress 30, Ready for
//! Validation 3, Blocked 5 (calendar days, `board.sla_days`). The start of the state
//! is the first date written in the entry (`Started 2026-09-15`), else the day git
//! history last changed the entry's line. History is read back to the SLA horizon
//! only: an undated line older than every limit asked about is over its SLA however
//! old it is, and is reported as "at least" that old.

use super::history::{LineDate, Question};
use super::{BoardCheck, Finding, FindingKind, History};
use crate::config::Config;
use crate::diag::codes::brd;
use crate::model::board::{Board, Entry};
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use chrono::NaiveDate;
use serde::Serialize;

/// The SLA in days for a state, if the state has one.
pub fn limit(config: &Config, state: StatusKind) -> Option<u32> {
    let d = &config.board.sla_days;
    match state {
        StatusKind::Backlog => Some(d.backlog),
        StatusKind::ReadyForDev => Some(d.ready_for_dev),
        StatusKind::InProgress => Some(d.in_progress),
        StatusKind::ReadyForValidation => Some(d.ready_for_validation),
        StatusKind::Blocked => Some(d.blocked),
        _ => None,
    }
}

/// Where an SLA's start date came from: the entry, or the board's git history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    Entry,
    Git,
    /// Older than the SLA horizon: history was not read further back, so `since` is
    /// the latest day the line can date from.
    GitHorizon,
}

/// How long one WP has been in its board state.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Age {
    pub id: WpId,
    /// The board state, by its canonical key (`in_progress`).
    #[serde(serialize_with = "status_key")]
    #[schemars(with = "String", extend("enum" = ["backlog", "stub", "ready_for_dev", "in_progress", "ready_for_validation", "done", "validated", "blocked", "superseded"]))]
    pub state: StatusKind,
    pub since: NaiveDate,
    pub source: DateSource,
    pub days: i64,
    pub limit: u32,
    pub line: usize,
}

/// Statuses appear in JSON by their canonical key (`in_progress`).
fn status_key<S: serde::Serializer>(k: &StatusKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.key())
}

/// Each WP's state-fixing entry (first in a status section), if its state has an SLA,
/// in the board order of the WP's first entry.
fn timed<'a>(board: &'a Board, config: &Config) -> Vec<(&'a Entry, StatusKind, u32)> {
    board
        .status_entries_of_wps()
        .into_iter()
        .filter_map(|entry| {
            let state = board.entry_status(entry)?;
            Some((entry, state, limit(config, state)?))
        })
        .collect()
}

/// Whether some timed entry has no date of its own (so git history is worth reading).
pub fn needs_history(board: &Board, config: &Config) -> bool {
    timed(board, config).iter().any(|(e, ..)| e.date.is_none())
}

/// The lines of undated timed entries (entry and `Status:` lines), and the horizon:
/// the day before which every one of them is over its SLA.
pub fn question(board: &Board, config: &Config, today: NaiveDate) -> Question {
    let undated: Vec<_> = timed(board, config)
        .into_iter()
        .filter(|(e, ..)| e.date.is_none())
        .collect();
    let lines = undated.iter().flat_map(|(e, ..)| lines_of(e)).collect();
    let longest = undated.iter().map(|(.., limit)| *limit).max();
    let horizon = longest.and_then(|l| today.checked_sub_days(chrono::Days::new(u64::from(l))));
    Question { lines, horizon }
}

/// The ages of timed WPs, and the WPs whose start date is unknown.
pub fn ages(
    board: &Board,
    config: &Config,
    history: &History,
    today: NaiveDate,
) -> (Vec<Age>, Vec<WpId>) {
    let (aged, undated) = aged_entries(board, config, history, today);
    (aged.into_iter().map(|(age, _)| age).collect(), undated)
}

/// [`ages`], each with the entry it was read from.
fn aged_entries<'a>(
    board: &'a Board,
    config: &Config,
    history: &History,
    today: NaiveDate,
) -> (Vec<(Age, &'a Entry)>, Vec<WpId>) {
    let (mut out, mut undated) = (Vec::new(), Vec::new());
    for (e, state, limit) in timed(board, config) {
        let (since, source) = match e.date {
            Some(d) => (d, DateSource::Entry),
            None => match changed(e, history) {
                Some(d) if d.exact => (d.date, DateSource::Git),
                Some(d) => (d.date, DateSource::GitHorizon),
                None => {
                    undated.push(e.id.clone());
                    continue;
                }
            },
        };
        let age = Age {
            id: e.id.clone(),
            state,
            since,
            source,
            days: (today - since).num_days(),
            limit,
            line: e.line,
        };
        out.push((age, e));
    }
    (out, undated)
}

/// The entry line and its nested `Status:` line, if any.
fn lines_of(e: &Entry) -> impl Iterator<Item = usize> {
    let status_line = e
        .nested
        .iter()
        .find(|n| n.key.eq_ignore_ascii_case("status"))
        .map(|n| n.line);
    [Some(e.line), status_line].into_iter().flatten()
}

/// The last change to the entry line or its nested `Status:` line. A horizon date
/// only bounds the line's age, so an exact date on the same day wins.
fn changed(e: &Entry, history: &History) -> Option<LineDate> {
    lines_of(e)
        .filter_map(|l| history.date(l))
        .max_by_key(|d| (d.date, d.exact))
}

pub fn check(c: &BoardCheck) -> Vec<Finding> {
    if matches!(c.history, History::Skipped) {
        return Vec::new();
    }
    let (aged, _) = aged_entries(c.board, c.config, c.history, c.now.date());
    aged.into_iter()
        .filter(|(a, _)| a.days > i64::from(a.limit))
        .map(|(a, e)| {
            let (at_least, since, from) = match a.source {
                DateSource::Entry => ("", "since", "the entry's date"),
                DateSource::Git => ("", "since", "git history of the board line"),
                DateSource::GitHorizon => (
                    "at least ",
                    "on or before",
                    "git history of the board line, read back to the SLA horizon",
                ),
            };
            let d = c.at_entry(
                &brd::SLA_EXCEEDED,
                format!(
                    "{} has been {} for {at_least}{} days ({since} {}, from {from}); the SLA is {} days",
                    a.id,
                    a.state.label(),
                    a.days,
                    a.since,
                    a.limit
                ),
                e,
            );
            Finding::new(FindingKind::Sla, vec![a.id], d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Source;

    fn board(text: &str) -> Board {
        Board::parse(Source::from_bytes("TASK_BOARD.md", text.as_bytes()))
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn entry_dates_win_over_history() {
        let b = board("## In Progress\n- [WP-1-A] Started 2026-09-01\n- [WP-1-B] by coder\n## Done\n- [WP-1-C] done\n");
        let config = Config::default();
        assert!(needs_history(&b, &config));
        let at = |d: &str| {
            Some(LineDate {
                date: day(d),
                exact: true,
            })
        };
        let history = History::Git(vec![None, at("2026-11-01"), at("2026-10-01")]);
        let (ages, undated) = ages(&b, &config, &history, day("2026-11-21"));
        assert!(undated.is_empty());
        assert_eq!(ages.len(), 2, "Done has no SLA");
        assert_eq!((ages[0].days, ages[0].source), (81, DateSource::Entry));
        assert_eq!((ages[1].days, ages[1].source), (51, DateSource::Git));
        assert_eq!(ages[1].limit, 30);
    }

    #[test]
    fn without_history_undated_entries_are_listed() {
        let b = board("## Ready for Dev\n- [WP-1-A] waiting\n");
        let (ages, undated) = ages(
            &b,
            &Config::default(),
            &History::NotNeeded,
            day("2026-11-21"),
        );
        assert!(ages.is_empty());
        assert_eq!(undated[0].as_str(), "WP-1-A");
    }
}
