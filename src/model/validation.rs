//! What a packet records after the work: VALIDATION entries (`Command:` / `Result:` /
//! `Notes:`, as bullets, plain or fenced lines, or a table), review records, the
//! EVIDENCE_MAPPING (requirement lines followed by `EVIDENCE: path:line`) and the
//! Evidence Mapping table, the deterministic manifest (`Target File`, `Start`, `End`,
//! `Line Delta`, `Pre-SHA1`, `Post-SHA1`, `Gates Passed`), WAIVERS GRANTED,
//! MERGE_BASE_SHA and PACKET_FORMAT_VERSION. Parsed from the packet's classified
//! lines and fields, never grepped from raw text.

use super::fields::{split_key_value, strip_heading_decoration, Field, Opener};
use super::packet::{names, path_token, Packet};
use crate::markdown::table::{is_delimiter_row, split_row};
use crate::markdown::LineKind;
use crate::text::{normalize_name, strip_decoration, Spanned};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::OnceLock;

mod reports;
pub use reports::{comment_lines, timestamps_in, Claim, Report, Reports, Target, Why};

/// One `Command:` / `Result:` / `Notes:` group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationEntry {
    pub command: Option<Spanned<String>>,
    pub result: Option<Spanned<String>>,
    pub notes: Option<Spanned<String>>,
}

impl ValidationEntry {
    /// The 1-based line where the entry starts.
    pub fn line(&self) -> usize {
        [&self.command, &self.result, &self.notes]
            .iter()
            .filter_map(|s| s.as_ref().map(|s| s.line))
            .min()
            .unwrap_or(0)
    }

    pub fn command_text(&self) -> &str {
        self.command.as_ref().map_or("", |c| c.value.as_str())
    }

    pub fn result_text(&self) -> &str {
        self.result.as_ref().map_or("", |c| c.value.as_str())
    }

    /// Neither a command nor a result: the template's empty `- Command:` block.
    pub fn is_blank(&self) -> bool {
        self.command_text().is_empty() && self.result_text().is_empty()
    }
}

/// How a Result or review line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    /// `PASS`, `PASSED`, `OK`, `SUCCESS`.
    Pass,
    /// `FAIL`, `FAILED`, `FAILURE`.
    Fail,
    /// `BLOCKED`: could not run.
    Blocked,
    /// Anything else (`8/8 cases`, `exit 0`, `PENDING`): recorded, neither pass nor fail.
    Other,
}

impl Outcome {
    pub fn parse(s: &str) -> Outcome {
        let word: String = strip_decoration(s)
            .trim_start_matches(['[', '(', '"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        match word.to_ascii_uppercase().as_str() {
            "PASS" | "PASSED" | "OK" | "SUCCESS" => Outcome::Pass,
            "FAIL" | "FAILED" | "FAILURE" => Outcome::Fail,
            "BLOCKED" => Outcome::Blocked,
            _ => Outcome::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReviewKind {
    /// `ai-review` / `AI_REVIEW:`.
    Ai,
    /// `manual-review` / `MANUAL_REVIEW:`.
    Manual,
}

/// A review record: a VALIDATION entry running `ai-review` / `manual-review`, or an
/// `AI_REVIEW:` / `MANUAL_REVIEW:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub kind: ReviewKind,
    pub outcome: Outcome,
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// `path:line` or `path:start-end`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceRef {
    pub path: String,
    pub start: usize,
    pub end: usize,
}

/// A requirement and the evidence given for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceItem {
    pub requirement: Option<Spanned<String>>,
    pub refs: Vec<Spanned<EvidenceRef>>,
}

/// One deterministic-manifest entry, values as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    pub target: Spanned<String>,
    pub start: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
    pub line_delta: Option<Spanned<String>>,
    pub pre_sha1: Option<Spanned<String>>,
    pub post_sha1: Option<Spanned<String>>,
    /// `- [x] gate` lines: (checked, name).
    pub gates: Vec<Spanned<(bool, String)>>,
}

/// The WAIVERS GRANTED section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waivers {
    pub line: usize,
    /// Entries that grant something (a `NONE` entry grants nothing and is left out).
    pub entries: Vec<Spanned<String>>,
}

impl Waivers {
    /// The waiver that names `path` (exactly, or a listed `dir/` above it).
    pub fn for_path(&self, path: &str) -> Option<&Spanned<String>> {
        self.entries
            .iter()
            .find(|w| path_tokens(&w.value).any(|t| names_path(&t, path)))
    }
}

fn names_path(token: &str, path: &str) -> bool {
    let t = token.trim_start_matches("./");
    t == path || (t.ends_with('/') && t.len() > 1 && path.starts_with(t))
}

/// Path-like words of a free-text line.
fn path_tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| c.is_whitespace() || "`,;()\"'[]".contains(c))
        .map(|t| t.trim_end_matches([':', '.']).to_string())
        .filter(|t| !t.is_empty())
}

/// `<fill>`, `{path}`, `TBD`, an empty value: nothing was written.
pub fn is_unfilled(value: &str) -> bool {
    let v = strip_decoration(value);
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || v.starts_with('<')
        || v.starts_with('{')
        || v.contains(" | ")
        || matches!(
            lower.as_str(),
            "tbd" | "pending" | "n/a" | "na" | "none" | "-" | "?" | "???" | "todo"
        )
}

/// A field whose name, after heading decoration is removed, is one of `wanted`
/// (`## VALIDATION (filled by Coder)`, `- VALIDATION (filled after work):`).
fn is_section(f: &Field, wanted: &[&str]) -> bool {
    let name = normalize_name(&strip_heading_decoration(&f.key));
    wanted.iter().any(|w| normalize_name(w) == name)
}

/// Text after list markers, block quotes and a leading checkbox; with its byte offset
/// in the raw line.
fn after_markers(raw: &str) -> (usize, &str) {
    let mut s = raw.trim_start();
    loop {
        let before = s;
        for m in ["- ", "* ", "+ ", "> "] {
            if let Some(rest) = s.strip_prefix(m) {
                s = rest.trim_start();
            }
        }
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            if let Some(rest) = s[digits..]
                .strip_prefix(". ")
                .or_else(|| s[digits..].strip_prefix(") "))
            {
                s = rest.trim_start();
            }
        }
        if s == before {
            break;
        }
    }
    (raw.len() - s.len(), s)
}

/// A value as written: whitespace trimmed, surrounding backticks removed.
fn clean_value(v: &str) -> String {
    let t = v.trim();
    let t = t.trim_end_matches("**").trim();
    let unticked = t
        .strip_prefix('`')
        .and_then(|s| s.strip_suffix('`'))
        .filter(|s| !s.contains('`'));
    unticked.unwrap_or(t).trim().to_string()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKey {
    Command,
    Result,
    Notes,
}

fn entry_key(key: &str) -> Option<EntryKey> {
    match normalize_name(key).as_str() {
        "command" | "cmd" => Some(EntryKey::Command),
        "result" | "results" | "outcome" => Some(EntryKey::Result),
        "notes" | "note" => Some(EntryKey::Notes),
        _ => None,
    }
}

/// A section's lines, with each run of table rows kept together.
enum Block<'a> {
    Table(&'a [usize]),
    Line(usize),
}

impl Packet {
    fn blocks<'a>(&self, lines: &'a [usize]) -> Vec<Block<'a>> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < lines.len() {
            let is_row = |&j: &usize| self.doc.lines[j].kind == LineKind::TableRow;
            let run = lines[k..].iter().take_while(|j| is_row(j)).count();
            if run > 0 {
                out.push(Block::Table(&lines[k..k + run]));
                k += run;
            } else {
                out.push(Block::Line(lines[k]));
                k += 1;
            }
        }
        out
    }

    /// The VALIDATION sections (a heading, or a bullet such as `- VALIDATION:`).
    pub fn validation_sections(&self) -> Vec<&Field> {
        self.fields
            .iter()
            .filter(|f| is_section(f, names::VALIDATION))
            .collect()
    }

    /// 0-based line indices inside any of the sections, in order, without repeats.
    fn section_lines(&self, sections: &[&Field]) -> Vec<usize> {
        let set: BTreeSet<usize> = sections.iter().flat_map(|f| f.body.clone()).collect();
        set.into_iter().collect()
    }

    /// A key-value line (any kind but blank, code fences included) as (key, value).
    fn key_value_at(&self, i: usize) -> Option<(String, Spanned<String>)> {
        let raw = self.doc.raw(i);
        let (lead, text) = after_markers(raw);
        let (key, v) = split_key_value(text)?;
        let offset = self.doc.lines[i].range.start + lead + v;
        let value = text[v..].to_string();
        let value_lead = value.len() - value.trim_start().len();
        Some((
            key,
            Spanned::new(
                clean_value(&value),
                i + 1,
                self.doc.column(i, offset + value_lead),
            ),
        ))
    }

    /// Every VALIDATION entry, in document order. The template's blank entry is kept
    /// (see [`ValidationEntry::is_blank`]).
    pub fn validation_entries(&self) -> Vec<ValidationEntry> {
        let sections = self.validation_sections();
        let lines = self.section_lines(&sections);
        let mut out: Vec<ValidationEntry> = Vec::new();
        for block in self.blocks(&lines) {
            let i = match block {
                Block::Table(rows) => {
                    out.extend(self.table_entries(rows));
                    continue;
                }
                Block::Line(i) => i,
            };
            let Some((key, value)) = self.key_value_at(i) else {
                continue;
            };
            let Some(which) = entry_key(&key) else {
                continue;
            };
            let value = if value.value.contains(" | ") {
                Spanned {
                    value: String::new(),
                    ..value
                }
            } else {
                value
            };
            let open = out.last_mut().filter(|e| match which {
                EntryKey::Command => false,
                EntryKey::Result => e.result.is_none() && e.notes.is_none(),
                EntryKey::Notes => e.notes.is_none(),
            });
            let entry = match open {
                Some(e) => e,
                None => {
                    out.push(ValidationEntry::default());
                    let last = out.len() - 1;
                    &mut out[last]
                }
            };
            let slot = match which {
                EntryKey::Command => &mut entry.command,
                EntryKey::Result => &mut entry.result,
                EntryKey::Notes => &mut entry.notes,
            };
            *slot = Some(value);
        }
        out
    }

    /// Entries from a `| Command | Result | Notes |` table.
    fn table_entries(&self, rows: &[usize]) -> Vec<ValidationEntry> {
        let Some((&head, body)) = rows.split_first() else {
            return Vec::new();
        };
        let header = split_row(self.doc.raw(head));
        let col = |k: EntryKey| header.iter().position(|h| entry_key(h) == Some(k));
        let (Some(c), Some(r)) = (col(EntryKey::Command), col(EntryKey::Result)) else {
            return Vec::new();
        };
        let n = col(EntryKey::Notes);
        let mut out = Vec::new();
        for &i in body {
            let raw = self.doc.raw(i);
            if is_delimiter_row(raw) {
                continue;
            }
            let cells = split_row(raw);
            let column = self.doc.column(i, self.doc.lines[i].content);
            let cell = |k: Option<usize>| {
                k.and_then(|k| cells.get(k))
                    .map(|v| clean_value(v))
                    .filter(|v| !v.is_empty())
                    .map(|v| Spanned::new(v, i + 1, column))
            };
            out.push(ValidationEntry {
                command: cell(Some(c)),
                result: cell(Some(r)),
                notes: cell(n),
            });
        }
        out
    }

    /// Review records in document order; the last one counts.
    pub fn review_records(&self) -> Vec<ReviewRecord> {
        let mut out = Vec::new();
        for e in self.validation_entries() {
            let Some(kind) = review_command(e.command_text()) else {
                continue;
            };
            let at = e.command.as_ref().map_or((0, 1), |c| (c.line, c.column));
            out.push(ReviewRecord {
                kind,
                outcome: Outcome::parse(e.result_text()),
                text: e.result_text().to_string(),
                line: at.0,
                column: at.1,
            });
        }
        // TEST_PLAN and DONE_MEANS may mention a review as a requirement, not a record
        let skip: BTreeSet<usize> = self
            .fields
            .iter()
            .filter(|f| is_section(f, names::TEST_PLAN) || is_section(f, names::DONE_MEANS))
            .flat_map(|f| f.body.clone())
            .collect();
        for i in 0..self.doc.lines.len() {
            if skip.contains(&i) || self.doc.lines[i].kind == LineKind::Blank {
                continue;
            }
            let Some((key, value)) = self.key_value_at(i) else {
                continue;
            };
            let kind = match normalize_name(&key).as_str() {
                "ai review" => ReviewKind::Ai,
                "manual review" => ReviewKind::Manual,
                _ => continue,
            };
            if value.value.contains('|') {
                continue; // the template's `AI_REVIEW: PASS | FAIL`
            }
            out.push(ReviewRecord {
                kind,
                outcome: Outcome::parse(&value.value),
                text: value.value.clone(),
                line: value.line,
                column: value.column,
            });
        }
        out.sort_by_key(|r| (r.line, r.column));
        out
    }

    /// The EVIDENCE_MAPPING section(s) and Evidence Mapping table(s), item by item.
    pub fn evidence(&self) -> Vec<EvidenceItem> {
        let sections: Vec<&Field> = self
            .fields
            .iter()
            .filter(|f| is_section(f, &["EVIDENCE_MAPPING"]))
            .collect();
        let lines = self.section_lines(&sections);
        let mut out: Vec<EvidenceItem> = Vec::new();
        for block in self.blocks(&lines) {
            let i = match block {
                Block::Table(rows) => {
                    out.extend(self.evidence_table(rows));
                    continue;
                }
                Block::Line(i) => i,
            };
            if matches!(
                self.doc.lines[i].kind,
                LineKind::Blank | LineKind::CodeFence | LineKind::Heading(_)
            ) {
                continue;
            }
            self.evidence_line(i, &mut out);
        }
        out
    }

    /// A requirement line, an `EVIDENCE:` line, or both on one line.
    fn evidence_line(&self, i: usize, out: &mut Vec<EvidenceItem>) {
        let raw = self.doc.raw(i);
        let (lead, text) = after_markers(raw);
        let line_start = self.doc.lines[i].range.start;
        let Some(m) = evidence_marker().find(text) else {
            let requirement = clean_value(text);
            if !requirement.is_empty() {
                let col = self.doc.column(i, line_start + lead);
                out.push(EvidenceItem {
                    requirement: Some(Spanned::new(requirement, i + 1, col)),
                    refs: Vec::new(),
                });
            }
            return;
        };
        let before = clean_value(text[..m.start()].trim_end_matches([' ', '-', '|', ':']));
        if !before.is_empty() {
            let col = self.doc.column(i, line_start + lead);
            out.push(EvidenceItem {
                requirement: Some(Spanned::new(before, i + 1, col)),
                refs: Vec::new(),
            });
        }
        // a further EVIDENCE line adds to the requirement above it
        if out.is_empty() {
            out.push(EvidenceItem {
                requirement: None,
                refs: Vec::new(),
            });
        }
        let at = line_start + lead + m.end();
        let refs = self.refs_in(i, &text[m.end()..], at);
        if let Some(last) = out.last_mut() {
            last.refs.extend(refs);
        }
    }

    fn evidence_table(&self, rows: &[usize]) -> Vec<EvidenceItem> {
        let Some((&head, body)) = rows.split_first() else {
            return Vec::new();
        };
        let header: Vec<String> = split_row(self.doc.raw(head))
            .iter()
            .map(|h| normalize_name(h))
            .collect();
        let ev = header
            .iter()
            .position(|h| h.contains("evidence") && !h.contains("test"))
            .or_else(|| header.iter().position(|h| h.contains("evidence")));
        let Some(ev) = ev else {
            return Vec::new();
        };
        let req = if ev == 0 { 1 } else { 0 };
        let mut out = Vec::new();
        for &i in body {
            let raw = self.doc.raw(i);
            if is_delimiter_row(raw) {
                continue;
            }
            let cells = split_row(raw);
            let line_start = self.doc.lines[i].range.start;
            let col = self.doc.column(i, self.doc.lines[i].content);
            let requirement = cells
                .get(req)
                .map(|c| clean_value(c).trim_matches('"').to_string())
                .filter(|c| !c.is_empty())
                .map(|c| Spanned::new(c, i + 1, col));
            let refs = match cells.get(ev) {
                // locate the cell in the raw line for columns; fall back to the row start
                Some(cell) => {
                    let at = raw.find(cell.as_str()).unwrap_or(0);
                    self.refs_in(i, cell, line_start + at)
                }
                None => Vec::new(),
            };
            out.push(EvidenceItem { requirement, refs });
        }
        out
    }

    /// `path:line` / `path:start-end` references in `text`, which starts at byte
    /// `offset` of the source.
    fn refs_in(&self, i: usize, text: &str, offset: usize) -> Vec<Spanned<EvidenceRef>> {
        let mut out = Vec::new();
        for c in evidence_ref().captures_iter(text) {
            let (Some(whole), Some(path), Some(start)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let prev = text[..whole.start()].chars().last();
            if matches!(prev, Some('/' | ':' | '@')) {
                continue; // part of a URL or an address
            }
            let p = path.as_str().trim_start_matches("./");
            if !(p.contains('/') || p.contains('.')) {
                continue;
            }
            let (Ok(start), end) = (
                start.as_str().parse::<usize>(),
                c.get(3).map(|e| e.as_str().parse::<usize>()),
            ) else {
                continue;
            };
            let end = match end {
                Some(Ok(e)) => e,
                Some(Err(_)) => continue,
                None => start,
            };
            out.push(Spanned::new(
                EvidenceRef {
                    path: p.to_string(),
                    start,
                    end,
                },
                i + 1,
                self.doc.column(i, offset + whole.start()),
            ));
        }
        out
    }

    /// The deterministic manifest: one entry per `Target File` with a real path.
    pub fn manifest(&self) -> Vec<ManifestEntry> {
        let mut out: Vec<ManifestEntry> = Vec::new();
        let mut open = false;
        for f in &self.fields {
            if matches!(f.opener, Opener::Heading(_)) {
                open = false;
            }
            let value = || self.field_value(f);
            match f.name.as_str() {
                "target file" => {
                    let target = value();
                    open = !is_unfilled(&target.value);
                    if open {
                        out.push(ManifestEntry {
                            target: Spanned {
                                value: path_token(&target.value),
                                ..target
                            },
                            start: None,
                            end: None,
                            line_delta: None,
                            pre_sha1: None,
                            post_sha1: None,
                            gates: Vec::new(),
                        });
                    }
                }
                name if open => {
                    let Some(e) = out.last_mut() else { continue };
                    match name {
                        "start" => e.start = Some(value()),
                        "end" => e.end = Some(value()),
                        "line delta" => e.line_delta = Some(value()),
                        "pre sha1" => e.pre_sha1 = Some(value()),
                        "post sha1" => e.post_sha1 = Some(value()),
                        "gates passed" => e.gates = self.gates(f),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn field_value(&self, f: &Field) -> Spanned<String> {
        Spanned::at(&self.doc.source, f.value_offset, clean_value(&f.value))
    }

    fn gates(&self, f: &Field) -> Vec<Spanned<(bool, String)>> {
        f.body
            .clone()
            .filter(|&i| self.doc.lines[i].kind == LineKind::ItemStart)
            .filter_map(|i| {
                let c = self.doc.content(i).trim();
                let (checked, rest) =
                    if let Some(r) = c.strip_prefix("[x]").or(c.strip_prefix("[X]")) {
                        (true, r)
                    } else {
                        (false, c.strip_prefix("[ ]")?)
                    };
                let col = self.doc.column(i, self.doc.lines[i].content);
                Some(Spanned::new((checked, rest.trim().to_string()), i + 1, col))
            })
            .collect()
    }

    /// The WAIVERS GRANTED section, if the packet has one.
    pub fn waivers(&self) -> Option<Waivers> {
        let f = self
            .fields
            .iter()
            .find(|f| is_section(f, &["WAIVERS GRANTED", "WAIVERS"]))?;
        let entries = self
            .list_of(f)
            .into_iter()
            .filter(|e| !is_unfilled(e.value.split_whitespace().next().unwrap_or("")))
            .collect();
        Some(Waivers {
            line: f.line + 1,
            entries,
        })
    }

    /// MERGE_BASE_SHA as written (first word), unless unfilled.
    pub fn merge_base_sha(&self) -> Option<Spanned<String>> {
        let s = self.scalar(names::MERGE_BASE_SHA)?;
        let word = strip_decoration(&s.value)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        (!is_unfilled(&word)).then_some(Spanned { value: word, ..s })
    }

    pub fn packet_format_version(&self) -> Option<Spanned<String>> {
        self.scalar(names::PACKET_FORMAT_VERSION)
            .filter(|s| !is_unfilled(&s.value))
    }
}

/// `ai-review`, `just ai-review`, `manual-review` as a command.
pub fn review_command(command: &str) -> Option<ReviewKind> {
    command.split_whitespace().find_map(|w| {
        match w
            .trim_matches('`')
            .to_ascii_lowercase()
            .replace('_', "-")
            .as_str()
        {
            "ai-review" => Some(ReviewKind::Ai),
            "manual-review" => Some(ReviewKind::Manual),
            _ => None,
        }
    })
}

fn evidence_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| crate::text::static_regex(r"(?i)\**\bevidence\**\s*:\**"))
}

fn evidence_ref() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::text::static_regex(
            r"([A-Za-z0-9_.][A-Za-z0-9_./+@-]*):([0-9]{1,9})(?:\s*[-\u2013]\s*([0-9]{1,9}))?",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(text: &str) -> Packet {
        crate::model::packet::test_packet(text)
    }

    fn commands(p: &Packet) -> Vec<(String, String)> {
        p.validation_entries()
            .into_iter()
            .map(|e| (e.command_text().to_string(), e.result_text().to_string()))
            .collect()
    }

    #[test]
    fn validation_bullets_lines_and_tables() {
        let p = packet("## VALIDATION\n- Command: `cargo test`\n- Result: PASS\n- Notes: 8 cases\n- Command: cargo clippy\n- Result: FAIL (2 lints)\n\n### Test Results\n```\nCommand: grep x\nResult: 2\n\nai-review: PASSED (security)\n```\n| Command | Result |\n|---|---|\n| just fmt | PASS |\n\n## VALIDATION_REPORTS\n- Command: not this\n");
        assert_eq!(
            commands(&p),
            [
                ("cargo test".into(), "PASS".into()),
                ("cargo clippy".into(), "FAIL (2 lints)".into()),
                ("grep x".into(), "2".into()),
                ("just fmt".into(), "PASS".into()),
            ]
        );
        let e = &p.validation_entries()[0];
        assert_eq!(e.command.as_ref().unwrap().line, 2);
        assert_eq!(Outcome::parse(e.result_text()), Outcome::Pass);
        let reviews = p.review_records();
        assert_eq!(reviews.len(), 1);
        assert_eq!(reviews[0].outcome, Outcome::Pass);
        assert_eq!(reviews[0].line, 13);
    }

    #[test]
    fn template_entries_are_blank() {
        let p =
            packet("- VALIDATION (filled after work):\n  - Command:\n  - Result:\n  - Notes:\n");
        let e = p.validation_entries();
        assert_eq!(e.len(), 1);
        assert!(e[0].is_blank());
    }

    #[test]
    fn outcomes() {
        assert_eq!(Outcome::parse("**PASS**"), Outcome::Pass);
        assert_eq!(Outcome::parse("PASSED (8/8)"), Outcome::Pass);
        assert_eq!(Outcome::parse("BLOCKED: no db"), Outcome::Blocked);
        assert_eq!(Outcome::parse("failed"), Outcome::Fail);
        assert_eq!(Outcome::parse("exit 0"), Outcome::Other);
    }

    #[test]
    fn review_commands_and_lines() {
        let p = packet("## TEST_PLAN\n- AI_REVIEW: required\n## VALIDATION\n- Command: just ai-review\n- Result: FAIL\n- MANUAL_REVIEW: PASS\n- AI_REVIEW: PASS | FAIL\n");
        let r = p.review_records();
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].kind, r[0].outcome), (ReviewKind::Ai, Outcome::Fail));
        assert_eq!(
            (r[1].kind, r[1].outcome),
            (ReviewKind::Manual, Outcome::Pass)
        );
    }

    #[test]
    fn evidence_lines_and_table() {
        let p = packet("## EVIDENCE_MAPPING\n- REQUIREMENT: login accepts JSON\n  EVIDENCE: src/api/auth.rs:12-40\n- DONE_MEANS 2: token TTL EVIDENCE: `src/token.rs:8`, src/b.rs:3\n\n## Evidence Mapping\n| DONE_MEANS | SPEC_ANCHOR | Code Evidence (path:line) | Test Command |\n|---|---|---|---|\n| \"DB is behind trait\" | A2.3.12.3 | src/storage/mod.rs:45-120 | cargo test |\n| \"No pool leaks\" | A2.3.12.3 | src/api/*.rs imports checked | curl http://127.0.0.1:3000 |\n");
        let ev = p.evidence();
        assert_eq!(ev.len(), 4);
        assert_eq!(
            ev[0].requirement.as_ref().unwrap().value,
            "REQUIREMENT: login accepts JSON"
        );
        assert_eq!(
            ev[0].refs[0].value,
            EvidenceRef {
                path: "src/api/auth.rs".into(),
                start: 12,
                end: 40
            }
        );
        assert_eq!((ev[0].refs[0].line, ev[0].refs[0].column), (3, 13));
        assert_eq!(ev[1].refs.len(), 2);
        assert_eq!(
            ev[2].requirement.as_ref().unwrap().value,
            "DB is behind trait"
        );
        assert_eq!(ev[2].refs[0].value.end, 120);
        assert!(ev[3].refs.is_empty());
    }

    #[test]
    fn manifest_entries() {
        let p = packet("## VALIDATION\n- **Target File**: `src/a.rs`\n- **Start**: 3\n- **End**: 9\n- **Line Delta**: 2\n- **Pre-SHA1**: aa\n- **Post-SHA1**: bb\n- **Gates Passed**:\n  - [x] anchors_present\n  - [ ] tests\n- **Target File**: <path>\n- **Start**: <n>\n");
        let m = p.manifest();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].target.value, "src/a.rs");
        assert_eq!(m[0].start.as_ref().unwrap().value, "3");
        assert_eq!(m[0].post_sha1.as_ref().unwrap().value, "bb");
        assert_eq!(m[0].gates.len(), 2);
        assert!(m[0].gates[0].value.0 && !m[0].gates[1].value.0);
    }

    #[test]
    fn waivers_and_none() {
        let p = packet("## WAIVERS GRANTED\n- `src/extra.rs`: approved by maria 2026-11-20\n- docs/generated/ (regenerated)\n");
        let w = p.waivers().unwrap();
        assert!(w.for_path("src/extra.rs").is_some());
        assert!(w.for_path("docs/generated/a.md").is_some());
        assert!(w.for_path("src/other.rs").is_none());
        let p = packet("## WAIVERS GRANTED\nNONE\n");
        assert!(p.waivers().unwrap().entries.is_empty());
        let p = packet("- WAIVERS GRANTED: NONE\n");
        assert!(p.waivers().unwrap().entries.is_empty());
    }

    #[test]
    fn merge_base_and_format_version() {
        let p = packet(
            "- MERGE_BASE_SHA: `0123abcd` (main at handoff)\n- PACKET_FORMAT_VERSION: 2026-02-01\n",
        );
        assert_eq!(p.merge_base_sha().unwrap().value, "0123abcd");
        assert_eq!(p.packet_format_version().unwrap().value, "2026-02-01");
        let p = packet("- MERGE_BASE_SHA: <sha>\n");
        assert!(p.merge_base_sha().is_none());
    }
}
