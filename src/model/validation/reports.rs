//! Validation reports and which one counts. Reports are appended, but not always in
//! order: newer packets date each report (`### VALIDATOR_REPORT - 2026-04-02T10:20:30Z`,
//! `- <ts> | Validator: bob` with a nested `- VERDICT: **FAIL**`), put a newer copy on
//! top, or go on after an unrelated heading. The counted report is the latest by
//! time; position breaks ties and places undated reports (after every dated report
//! above them); a report that explicitly supersedes another wins over it.
//!
//! A report is the run of lines under one opener: the nearest heading, or a list
//! item (or prose line) that starts with a timestamp, whichever is nearer. Its verdict
//! is its last `Verdict:` line; several `VALIDATION REPORT` blocks under one undated
//! heading therefore read as before: the last verdict counts.

use crate::markdown::{LineKind, MdDoc};
use crate::model::packet::{Packet, Verdict};
use crate::text::Spanned;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// One validation report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// 1-based line of the report's opener; 0 when no heading precedes it.
    pub line: usize,
    /// The opener as written (shortened), or `(before any heading)`.
    pub title: String,
    /// The opener's timestamp, in UTC.
    pub timestamp: Option<NaiveDateTime>,
    /// The report's last `Verdict:` line.
    pub verdict: Spanned<Verdict>,
    /// Supersession claims written in the report.
    pub claims: Vec<Claim>,
}

/// `SUPERSEDES: FAIL report <ts>`, `REPORT_TYPE: CLOSEOUT (supersedes X [<ts>])`,
/// `Verdict: PASS (supersedes earlier FAIL)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub line: usize,
    pub text: String,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The reports dated exactly so.
    At(Vec<NaiveDateTime>),
    /// Every report before the claiming one, or only those with this verdict.
    Earlier(Option<Verdict>),
    /// A claim that names no report gov can find (reported, changes nothing).
    Unnamed,
}

/// Why the counted report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// The packet holds one report.
    Only,
    /// No report is dated: the last in the file counts.
    LastInFile,
    /// It carries the latest timestamp.
    LatestTimestamp,
    /// It is undated and follows the latest dated report in the file.
    AfterLatestTimestamp,
    /// A later report would count, but this one explicitly supersedes it.
    Supersedes,
}

impl Why {
    pub fn describe(self) -> &'static str {
        match self {
            Why::Only => "the only report (its last `Verdict:` line counts)",
            Why::LastInFile => "no report is dated; the last one in the file counts",
            Why::LatestTimestamp => "the latest timestamp",
            Why::AfterLatestTimestamp => {
                "undated, written after the latest dated report (position orders it)"
            }
            Why::Supersedes => "it explicitly supersedes the report that would otherwise count",
        }
    }
}

/// Every report of a packet, in file order, and the one that counts.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    pub list: Vec<Report>,
    /// Index into `list` of the counted report.
    pub counted: Option<usize>,
    pub why: Option<Why>,
    /// (superseded report, the report whose claim superseded it), indexes into `list`.
    pub superseded: Vec<(usize, usize)>,
}

impl Reports {
    pub fn counted_report(&self) -> Option<&Report> {
        self.counted.map(|i| &self.list[i])
    }

    pub fn counted_verdict(&self) -> Option<Spanned<Verdict>> {
        self.counted_report().map(|r| r.verdict.clone())
    }

    /// Claims that name no report: written but without effect.
    pub fn unmatched_claims(&self) -> impl Iterator<Item = &Claim> {
        self.list
            .iter()
            .flat_map(|r| &r.claims)
            .filter(|c| c.target == Target::Unnamed)
    }
}

impl Packet {
    /// The packet's validation reports and the one that counts.
    pub fn reports(&self) -> Reports {
        let verdicts = self.verdicts();
        if verdicts.is_empty() {
            return Reports::default();
        }
        let openers = openers(&self.doc);
        let hidden = comment_lines(&self.doc);
        let summary = self.current_state_lines();
        let mut list: Vec<Report> = Vec::new();
        let mut index: BTreeMap<Option<usize>, usize> = BTreeMap::new();
        for v in verdicts {
            let opener = openers[v.line - 1];
            match index.get(&opener) {
                Some(&k) => list[k].verdict = v,
                None => {
                    index.insert(opener, list.len());
                    list.push(self.report_at(opener, v));
                }
            }
        }
        for (i, opener) in openers.iter().enumerate() {
            if !mentions_supersession(self.doc.raw(i))
                || hidden.contains(&i)
                || summary.contains(&i)
            {
                continue;
            }
            let Some(&k) = index.get(opener) else {
                continue;
            };
            if let Some(claim) = claim_at(&self.doc, i, &list[k]) {
                list[k].claims.push(claim);
            }
        }
        // claims naming no report are kept as such
        let dated: BTreeSet<NaiveDateTime> = list.iter().filter_map(|r| r.timestamp).collect();
        for r in &mut list {
            for c in &mut r.claims {
                if let Target::At(ts) = &c.target {
                    if !ts.iter().any(|t| dated.contains(t)) {
                        c.target = Target::Unnamed;
                    }
                }
            }
        }
        decide(list)
    }

    fn report_at(&self, opener: Option<usize>, verdict: Spanned<Verdict>) -> Report {
        let (line, title, timestamp) = match opener {
            Some(i) => {
                let text = self.doc.content(i).trim();
                let ts = match self.doc.lines[i].kind {
                    LineKind::Heading(_) => timestamps_in(text).into_iter().next(),
                    _ => leading_timestamp(text),
                };
                (i + 1, shorten(text), ts)
            }
            None => (0, "(before any heading)".to_string(), None),
        };
        Report {
            line,
            title,
            timestamp,
            verdict,
            claims: Vec::new(),
        }
    }
}

/// Orders the reports, applies supersession claims and picks the counted one.
fn decide(list: Vec<Report>) -> Reports {
    // undated reports take the latest time seen above them, so position places them
    let mut seen: Option<NaiveDateTime> = None;
    let mut keys: Vec<(Option<NaiveDateTime>, usize)> = Vec::new();
    for (k, r) in list.iter().enumerate() {
        if let Some(t) = r.timestamp {
            seen = seen.max(Some(t));
        }
        keys.push((r.timestamp.or(seen), k));
    }
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&k| keys[k]);
    let Some(&natural) = order.last() else {
        return Reports {
            list,
            counted: None,
            why: None,
            superseded: Vec::new(),
        };
    };
    // the newest claims first: a superseded report's own claims no longer apply
    let mut removed: Vec<Option<usize>> = vec![None; list.len()];
    let mut by_time: BTreeMap<NaiveDateTime, Vec<usize>> = BTreeMap::new();
    for (k, r) in list.iter().enumerate() {
        if let Some(t) = r.timestamp {
            by_time.entry(t).or_default().push(k);
        }
    }
    // an `earlier` claim covers every older one of its kind: each kind is applied once
    let mut covered: Vec<Option<Verdict>> = Vec::new();
    for pos in (0..order.len()).rev() {
        let by = order[pos];
        if removed[by].is_some() {
            continue;
        }
        for c in &list[by].claims {
            let targets: Vec<usize> = match &c.target {
                Target::At(ts) => ts
                    .iter()
                    .filter_map(|t| by_time.get(t))
                    .flatten()
                    .copied()
                    .collect(),
                Target::Earlier(v) => {
                    if covered.contains(&None) || covered.contains(v) {
                        continue;
                    }
                    covered.push(*v);
                    order[..pos]
                        .iter()
                        .copied()
                        .filter(|&t| v.is_none_or(|v| list[t].verdict.value == v))
                        .collect()
                }
                Target::Unnamed => continue,
            };
            for t in targets {
                if t != by && removed[t].is_none() {
                    removed[t] = Some(by);
                }
            }
        }
    }
    let counted = order.iter().rev().copied().find(|&k| removed[k].is_none());
    let why = counted.map(|k| {
        if k != natural {
            Why::Supersedes
        } else if list.len() == 1 {
            Why::Only
        } else if list[k].timestamp.is_some() {
            Why::LatestTimestamp
        } else if keys[k].0.is_some() {
            Why::AfterLatestTimestamp
        } else {
            Why::LastInFile
        }
    });
    let superseded = removed
        .iter()
        .enumerate()
        .filter_map(|(k, by)| by.map(|b| (k, b)))
        .collect();
    Reports {
        list,
        counted,
        why,
        superseded,
    }
}

/// For each line, the report opener it belongs to: the nearest heading, or a nearer
/// list item / prose line starting with a timestamp that contains it. One pass.
fn openers(doc: &MdDoc) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(doc.lines.len());
    let mut base: Option<usize> = None;
    // dated list items open reports for the lines nested in them
    let mut items: Vec<(u32, usize)> = Vec::new();
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        match l.kind {
            LineKind::Heading(_) => {
                let continues_setext = i > 0
                    && doc.lines[i - 1].kind == l.kind
                    && !doc.raw(i).trim_start().starts_with('#');
                if !continues_setext {
                    base = Some(i);
                    items.clear();
                }
            }
            LineKind::Blank => {}
            LineKind::ItemStart => {
                items.retain(|&(d, _)| d < l.depth);
                if leading_timestamp(doc.content(i)).is_some() {
                    items.push((l.depth, i));
                }
            }
            _ => {
                items.retain(|&(d, _)| d <= l.depth);
                if l.depth == 0 && leading_timestamp(doc.content(i).trim()).is_some() {
                    base = Some(i);
                    items.clear();
                }
            }
        }
        out.push(items.last().map(|&(_, k)| k).or(base));
    }
    out
}

/// 0-based lines a reader does not see because they sit inside `<!-- ... -->`: lines
/// that start inside a comment or open one, unless visible text follows the comment's
/// end on the same line (`<!-- x --> Verdict: FAIL` is a visible FAIL). Found from the
/// raw text, whatever the line classifier calls the line; code is never a comment.
pub fn comment_lines(doc: &MdDoc) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    // every line read below is a slice of the visible text (the source with some
    // bytes blanked to spaces, which cannot make a `<!--`): one search over the whole
    // text settles the usual document without a comment
    if memchr::memmem::find(doc.visible_text().as_bytes(), b"<!--").is_none() {
        return out;
    }
    let mut open = false;
    for i in 0..doc.lines.len() {
        let raw = doc.raw(i);
        if !open && (doc.is_code(i) || !raw.contains("<!--")) {
            continue;
        }
        let starts_hidden = open || raw.trim_start().starts_with("<!--");
        let mut rest = raw;
        let mut visible_after = false;
        loop {
            if open {
                match rest.find("-->") {
                    Some(e) => {
                        open = false;
                        rest = &rest[e + 3..];
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(s) => {
                        visible_after = false;
                        open = true;
                        rest = &rest[s + 4..];
                    }
                    None => {
                        visible_after = !rest.trim().is_empty();
                        break;
                    }
                }
            }
        }
        if starts_hidden && !visible_after {
            out.insert(i);
        }
    }
    out
}

/// Whether a line mentions `supersed...` at all (cheap, no allocation).
fn mentions_supersession(raw: &str) -> bool {
    raw.as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"superse"))
}

/// A supersession claim on line `i` of `report`, if the line makes one.
fn claim_at(doc: &MdDoc, i: usize, report: &Report) -> Option<Claim> {
    let raw = doc.raw(i);
    let lower = raw.to_ascii_lowercase();
    let at = lower.find("superse")?;
    // `SUPERSEDED_BY:` and `superseded by` point the other way
    if lower[at..].starts_with("superseded") {
        return None;
    }
    let mut text = &raw[at..];
    // `...; final verdict PASS per <ts>` names the winner, not a superseded report
    let low = &lower[at..];
    if let Some(cut) = [" final ", "; final", " per "]
        .iter()
        .filter_map(|w| low.find(w))
        .min()
    {
        text = &text[..cut];
    }
    let own = report.timestamp;
    let named: Vec<NaiveDateTime> = timestamps_in(text)
        .into_iter()
        .filter(|t| Some(*t) != own)
        .collect();
    let target = if !named.is_empty() {
        Target::At(named)
    } else if ["earlier", "previous", "prior"]
        .iter()
        .any(|w| text.to_ascii_lowercase().contains(w))
    {
        let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        let verdict = words
            .skip(1)
            .map(Verdict::parse)
            .find(|v| *v != Verdict::Unknown);
        Target::Earlier(verdict)
    } else {
        Target::Unnamed
    };
    Some(Claim {
        line: i + 1,
        text: shorten(raw.trim().trim_start_matches(['-', '*', ' '])),
        target,
    })
}

fn timestamp_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::text::static_regex(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2})[:-](\d{2})(?:[:-](\d{2}))?(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?",)
    })
}

/// Every timestamp in `text` (`2026-04-02T10:20:30Z`, `T08-45Z`, 3 or 7 decimals,
/// an offset), in UTC, in order. A date alone is not a timestamp.
pub fn timestamps_in(text: &str) -> Vec<NaiveDateTime> {
    if !text.contains('-') {
        return Vec::new();
    }
    timestamp_re()
        .captures_iter(text)
        .filter_map(|c| {
            let n = |k: usize| c.get(k).and_then(|m| m.as_str().parse::<u32>().ok());
            let date = NaiveDate::from_ymd_opt(i32::try_from(n(1)?).ok()?, n(2)?, n(3)?)?;
            let frac = c.get(7).map_or(0, |m| {
                let digits: String = m
                    .as_str()
                    .chars()
                    .chain("000000000".chars())
                    .take(9)
                    .collect();
                digits.parse::<u32>().unwrap_or(0)
            });
            let local = date.and_hms_nano_opt(n(4)?, n(5)?, n(6).unwrap_or(0), frac)?;
            let offset = c.get(8).map_or(0, |m| offset_minutes(m.as_str()));
            local.checked_sub_signed(Duration::minutes(offset))
        })
        .collect()
}

/// `+02:00` → 120, `-0130` → -90, `Z` → 0.
fn offset_minutes(s: &str) -> i64 {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return 0;
    }
    let h: i64 = digits[..2].parse().unwrap_or(0);
    let m: i64 = digits[2..].parse().unwrap_or(0);
    sign * (h * 60 + m)
}

/// A timestamp at the start of a line's content (after emphasis or code ticks).
fn leading_timestamp(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim_start_matches(['*', '`', '[', '(', ' ']);
    if !t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    timestamps_in(t.get(..40).unwrap_or(t).trim_end())
        .into_iter()
        .next()
        .filter(|_| timestamp_re().find(t).is_some_and(|m| m.start() == 0))
}

fn shorten(s: &str) -> String {
    const MAX: usize = 100;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::packet::test_packet;

    fn counted(text: &str) -> (Verdict, usize, Why) {
        let r = test_packet(text).reports();
        let c = r.counted_report().expect("a counted report");
        (c.verdict.value, c.verdict.line, r.why.unwrap())
    }

    fn ts(s: &str) -> NaiveDateTime {
        timestamps_in(s)[0]
    }

    #[test]
    fn timestamp_shapes() {
        let base = NaiveDate::from_ymd_opt(2026, 4, 2)
            .unwrap()
            .and_hms_opt(8, 45, 0)
            .unwrap();
        assert_eq!(ts("## VALIDATOR_FINAL_REVIEW_2026-04-02T08-45Z"), base);
        assert_eq!(ts("2026-04-02T08:45:00Z"), base);
        assert_eq!(ts("2026-04-02T10:45:00+02:00"), base);
        assert_eq!(
            ts("x 2026-04-02T08:45:00.123Z"),
            base + Duration::milliseconds(123)
        );
        assert_eq!(
            ts("2026-04-02T08:45:00.1234567Z"),
            base + Duration::nanoseconds(123_456_700)
        );
        assert!(timestamps_in("2026-04-02 only a date").is_empty());
        assert!(timestamps_in("2026-13-02T08:45Z").is_empty());
    }

    #[test]
    fn later_dated_report_wins_wherever_it_sits() {
        let text = "## VALIDATION_REPORTS\n### VALIDATOR_REPORT - 2026-04-03T09:00:00Z\n- Verdict: FAIL\n\n### VALIDATOR_REPORT - 2026-04-02T10:20:30Z\n- Verdict: PASS\n";
        assert_eq!(counted(text), (Verdict::Fail, 3, Why::LatestTimestamp));
        // and in order, the same answer
        let text = "### VALIDATOR_REVIEW_2026-04-02T09:15:00Z\nVerdict: PASS\n### 2026-04-03T09:00:00.123Z | VALIDATOR | session=a\nVerdict: FAIL\n";
        assert_eq!(counted(text), (Verdict::Fail, 4, Why::LatestTimestamp));
    }

    #[test]
    fn dated_bullets_with_nested_verdicts() {
        let text = "## VALIDATION_REPORTS\n- 2026-04-03T09:00:00.1234567Z | Validator: bob | rerun\n  - VERDICT: **FAIL**\n- 2026-04-02T09:00:00Z | Validator: bob | first\n  - VERDICT: **PASS**\n";
        let r = test_packet(text).reports();
        assert_eq!(r.list.len(), 2);
        assert_eq!(r.list[0].line, 2);
        assert_eq!(counted(text), (Verdict::Fail, 3, Why::LatestTimestamp));
    }

    #[test]
    fn undated_reports_keep_the_old_rule() {
        let text = "VALIDATION REPORT\n**Verdict:** PASS\n\nVALIDATION REPORT\nVerdict: **FAIL** (tests)\n";
        assert_eq!(counted(text), (Verdict::Fail, 5, Why::Only));
        let text = "## A\nVerdict: PASS\n## B\nVerdict: FAIL\n";
        assert_eq!(counted(text), (Verdict::Fail, 4, Why::LastInFile));
        let text = "## VALIDATION\nVerdict: PASS\n";
        assert_eq!(counted(text), (Verdict::Pass, 2, Why::Only));
        // an undated report appended after a dated one follows it
        let text = "### R [2026-04-02T10:00:00Z]\nVerdict: FAIL\n### Revalidation\nVerdict: PASS\n";
        assert_eq!(counted(text), (Verdict::Pass, 4, Why::AfterLatestTimestamp));
    }

    #[test]
    fn reports_after_an_unrelated_heading_still_count() {
        let text = "## VALIDATION_REPORTS\n### VALIDATOR_REPORT - 2026-04-02T10:00:00Z\nVerdict: PASS\n## ORCHESTRATOR_CLOSEOUT_PREP_SYNC\n- synced\n### VALIDATOR_REPORT - 2026-04-04T10:00:00Z\nVerdict: FAIL\n";
        assert_eq!(counted(text).0, Verdict::Fail);
    }

    #[test]
    fn explicit_supersession_wins() {
        let text = "### VALIDATOR_REPORT - 2026-04-02T10:00:00Z\n- SUPERSEDES: FAIL report 2026-04-02T11:00:00Z (appended out of order); final verdict PASS per 2026-04-02T10:00:00Z\n- Verdict: PASS\n### VALIDATOR_REPORT - 2026-04-02T11:00:00Z\n- Verdict: FAIL\n";
        let r = test_packet(text).reports();
        assert_eq!(r.counted_report().unwrap().verdict.value, Verdict::Pass);
        assert_eq!(r.why, Some(Why::Supersedes));
        assert_eq!(r.superseded, [(1, 0)]);
        for claim in [
            "- SUPERSESSION: replaces report 2026-04-02T11:00:00Z (FAIL)",
            "SUPERSEDES_REPORT: VALIDATOR_REPORT dated 2026-04-02T11:00Z",
            "- REPORT_TYPE: CLOSEOUT (supersedes VALIDATOR_REPORT [2026-04-02T11:00:00Z])",
        ] {
            let text = format!("### A - 2026-04-02T10:00:00Z\n{claim}\n- Verdict: PASS\n### B - 2026-04-02T11:00:00Z\n- Verdict: FAIL\n");
            assert_eq!(counted(&text).0, Verdict::Pass, "{claim}");
        }
        let text = "### A - 2026-04-02T10:00:00Z\nVerdict: FAIL\n### B - 2026-04-02T11:00:00Z\nVerdict: PASS (supersedes earlier FAIL)\n";
        assert_eq!(counted(text).0, Verdict::Pass);
    }

    #[test]
    fn hostile_supersession_claims_change_nothing() {
        // a claim naming no report
        let text = "### A - 2026-04-02T10:00:00Z\n- SUPERSEDES: report 2026-01-01T00:00:00Z\n- Verdict: PASS\n### B - 2026-04-02T11:00:00Z\n- Verdict: FAIL\n";
        let r = test_packet(text).reports();
        assert_eq!(r.counted_report().unwrap().verdict.value, Verdict::Fail);
        assert_eq!(r.unmatched_claims().count(), 1);
        // a claim hidden in an HTML comment
        let text = "### A - 2026-04-02T10:00:00Z\n<!-- SUPERSEDES: report 2026-04-02T11:00:00Z -->\n- Verdict: PASS\n### B - 2026-04-02T11:00:00Z\n- Verdict: FAIL\n";
        assert_eq!(counted(text).0, Verdict::Fail);
        // a superseded report's own claim does not apply
        let text = "### A - 2026-04-02T10:00:00Z\n- SUPERSEDES: 2026-04-02T11:00:00Z\n- Verdict: PASS\n### B - 2026-04-02T11:00:00Z\n- SUPERSEDES: 2026-04-02T10:00:00Z\n- Verdict: FAIL\n";
        assert_eq!(counted(text).0, Verdict::Fail);
        // `superseded by` points the other way
        let text = "### A - 2026-04-02T11:00:00Z\n- Note: superseded by 2026-04-02T10:00:00Z\n- Verdict: FAIL\n### B - 2026-04-02T10:00:00Z\n- Verdict: PASS\n";
        assert_eq!(counted(text).0, Verdict::Fail);
    }

    #[test]
    fn many_reports_each_superseding_the_earlier_ones() {
        // every report claims to supersede the earlier ones: each kind of claim is
        // applied once (the newest), which also keeps this from being quadratic
        let mut text = String::new();
        for k in 0..5000u32 {
            let (h, m) = (k / 60 % 24, k % 60);
            let day = 1 + k / 1440;
            text.push_str(&format!(
                "### R - 2026-04-{day:02}T{h:02}:{m:02}:00Z\nVerdict: FAIL (supersedes earlier FAIL)\n"
            ));
        }
        let r = test_packet(&text).reports();
        assert_eq!(r.list.len(), 5000);
        assert_eq!(r.counted, Some(4999));
        assert_eq!(r.superseded.len(), 4999);
    }

    #[test]
    fn comments_hide_only_what_they_cover() {
        let p = test_packet("Verdict: PASS\n<!-- a --> Verdict: FAIL\n");
        assert_eq!(p.last_verdict().unwrap().value, Verdict::Fail);
        let p = test_packet("Verdict: FAIL\n<!--\nVerdict: PASS\n-->\n");
        assert_eq!(p.last_verdict().unwrap().value, Verdict::Fail);
        let p = test_packet("Verdict: FAIL\n\n<!-- Verdict: PASS -->\n");
        assert_eq!(p.last_verdict().unwrap().value, Verdict::Fail);
        let p = test_packet("```\n<!--\n```\nVerdict: FAIL\n");
        assert_eq!(p.last_verdict().unwrap().value, Verdict::Fail);
    }

    #[test]
    fn sub_verdicts_current_state_and_comments_are_not_verdicts() {
        let text = "## CURRENT_STATE (orchestrator)\n- Verdict: PASS\n- Blockers: NONE\n- Next: close\n## VALIDATION_REPORTS\n### R - 2026-04-02T10:00:00Z\n- GOVERNANCE_VERDICT: PASS\n- TEST_VERDICT: PASS\n- Verdict: NOT_PROVEN\n<!-- Verdict: PASS -->\n";
        let p = test_packet(text);
        assert_eq!(p.verdicts().len(), 1);
        assert_eq!(p.last_verdict().unwrap().value, Verdict::NotProven);
        let cs = p.current_state().unwrap();
        assert_eq!(cs.verdict.unwrap().value, Verdict::Pass);
        assert_eq!(cs.next.unwrap().value, "close");
    }
}
