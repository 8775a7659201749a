//! The task packet: parsed once into typed values that keep their source location.

use super::anchor::{parse_anchors, Anchor};
use super::fields::{self, Field, Opener};
use super::status::Status;
use super::wp_id::{
    build_order_dependency, ids_in, is_cut_id, lookalike_words, LookalikeWord, WpId,
};
use crate::markdown::{LineKind, MdDoc};
use crate::text::{strip_decoration, Source, Spanned};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RiskTier {
    #[serde(rename = "LOW")]
    Low,
    #[serde(rename = "MEDIUM")]
    Medium,
    #[serde(rename = "HIGH")]
    High,
}

impl RiskTier {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskTier::Low => "LOW",
            RiskTier::Medium => "MEDIUM",
            RiskTier::High => "HIGH",
        }
    }
    pub fn parse(s: &str) -> Option<RiskTier> {
        match s.to_ascii_uppercase().as_str() {
            "LOW" => Some(RiskTier::Low),
            "MEDIUM" => Some(RiskTier::Medium),
            "HIGH" => Some(RiskTier::High),
            _ => None,
        }
    }
}

/// What the RISK_TIER field holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "lowercase")]
pub enum TierValue {
    Tier(RiskTier),
    /// The template hint `LOW | MEDIUM | HIGH` was left in place.
    Unfilled(String),
    Invalid(String),
}

/// What the packet says about its user signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "lowercase")]
pub enum SignatureValue {
    /// A token that should be a signature (it may still be malformed).
    Given(String),
    /// `<pending>`, `PENDING`, `TBD`, an empty value, a template token.
    Pending(String),
    /// A bare username with no digits: never signed.
    Unsigned(String),
}

/// One validation report verdict (`Verdict: PASS`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// `PASS` (also `PASSED`, `VALIDATED_PASS`).
    Pass,
    /// `FAIL` (also `FAILED`).
    Fail,
    /// `OUTDATED_ONLY`, as written; not a pass.
    OutdatedOnly,
    /// `PENDING`: not decided yet.
    Pending,
    /// Since 2026-03: the validator could not run (`BLOCKED`) or could not show the
    /// work meets its requirements (`NOT_PROVEN`). Neither is a pass.
    Blocked,
    NotProven,
    /// A verdict word gov does not know.
    Unknown,
}

impl Verdict {
    pub fn parse(s: &str) -> Verdict {
        let word: String = strip_decoration(s)
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        match word.to_ascii_uppercase().as_str() {
            // `VALIDATED_PASS` is CURRENT_STATE's spelling of a pass
            "PASS" | "PASSED" | "VALIDATED_PASS" => Verdict::Pass,
            "FAIL" | "FAILED" => Verdict::Fail,
            "OUTDATED_ONLY" => Verdict::OutdatedOnly,
            "PENDING" => Verdict::Pending,
            "BLOCKED" => Verdict::Blocked,
            "NOT_PROVEN" => Verdict::NotProven,
            _ => Verdict::Unknown,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::OutdatedOnly => "OUTDATED_ONLY",
            Verdict::Pending => "PENDING",
            Verdict::Blocked => "BLOCKED",
            Verdict::NotProven => "NOT_PROVEN",
            Verdict::Unknown => "UNKNOWN",
        }
    }
}

/// `## CURRENT_STATE`: the packet's own summary (`Verdict:`, `Blockers:`, `Next:`),
/// often stale; compared with the counted report, never used as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentState {
    /// 1-based line of the heading.
    pub line: usize,
    pub verdict: Option<Spanned<Verdict>>,
    pub blockers: Option<Spanned<String>>,
    pub next: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Bootstrap {
    pub files_to_open: Vec<Spanned<String>>,
    pub search_terms: Vec<Spanned<String>>,
    pub run_commands: Vec<Spanned<String>>,
    pub risk_map: Vec<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Packet {
    pub id: WpId,
    pub path: String,
    pub doc: MdDoc,
    pub fields: Vec<Field>,
    /// For a `packet.json` packet: the JSON value each projected line stands for
    /// (see [`Packet::locate`]). Empty for a Markdown packet.
    pub json_origins: Vec<super::packet_fields::JsonOrigin>,
    /// The counted verdict, worked out once: a packet that blocks many others is asked
    /// for it by every one of their pre-work gates.
    counted_verdict: std::sync::OnceLock<Option<Spanned<Verdict>>>,
}

/// Canonical field names and the spellings real packets use for them.
pub mod names {
    pub const TASK_ID: &[&str] = &["TASK_ID", "WP_ID"];
    pub const STATUS: &[&str] = &["STATUS", "WP_STATUS"];
    pub const SPEC_ANCHOR: &[&str] = &["SPEC_ANCHOR", "SPEC_ANCHORS"];
    pub const WHAT: &[&str] = &["What"];
    pub const WHY: &[&str] = &["Why"];
    pub const IN_SCOPE_PATHS: &[&str] = &["IN_SCOPE_PATHS"];
    pub const OUT_OF_SCOPE: &[&str] = &["OUT_OF_SCOPE"];
    pub const DONE_MEANS: &[&str] = &["DONE_MEANS"];
    pub const TEST_PLAN: &[&str] = &["TEST_PLAN"];
    pub const BOOTSTRAP: &[&str] = &["BOOTSTRAP"];
    pub const FILES_TO_OPEN: &[&str] = &["FILES_TO_OPEN"];
    pub const SEARCH_TERMS: &[&str] = &["SEARCH_TERMS"];
    pub const RUN_COMMANDS: &[&str] = &["RUN_COMMANDS"];
    pub const RISK_MAP: &[&str] = &["RISK_MAP"];
    pub const ROLLBACK_HINT: &[&str] = &["ROLLBACK_HINT"];
    pub const RISK_TIER: &[&str] = &["RISK_TIER"];
    pub const VALIDATION: &[&str] = &["VALIDATION"];
    pub const USER_SIGNATURE: &[&str] =
        &["USER_SIGNATURE", "User Signature Locked", "User Signature"];
    pub const SIGNATURE_LOG: &[&str] = &[
        "Signature & Enrichment Log",
        "Signature and Enrichment Log",
        "SIGNATURE_LOG",
    ];
    pub const DEPENDS_ON: &[&str] = &[
        "Depends on",
        "Depends",
        "Dependencies",
        "Blocked by",
        "Blocked on",
        "Blocker",
        "Blockers",
        "Requires",
    ];
    /// The build-order key since 2026-03: comma-separated lineage ids, `NONE` for none.
    /// (`BUILD_ORDER_BLOCKS` and `STUB_WP_IDS` name no dependency.)
    pub const BUILD_ORDER_DEPENDS_ON: &[&str] = &["BUILD_ORDER_DEPENDS_ON"];
    pub const CURRENT_STATE: &[&str] = &["CURRENT_STATE"];
    pub const METADATA: &[&str] = &["Metadata"];
    pub const SPEC_VERSION: &[&str] = &["SPEC_VERSION", "SPEC_BASELINE", "Master Spec Version"];
    pub const PACKET_FORMAT_VERSION: &[&str] = &["PACKET_FORMAT_VERSION"];
    pub const MERGE_BASE_SHA: &[&str] = &["MERGE_BASE_SHA"];
    pub const DATE: &[&str] = &["DATE", "CREATED"];
}

impl Packet {
    pub fn parse(id: WpId, source: Source) -> Packet {
        let path = source.path.clone();
        let doc = MdDoc::parse(source);
        let fields = fields::collect(&doc);
        Packet {
            id,
            path,
            doc,
            fields,
            json_origins: Vec::new(),
            counted_verdict: std::sync::OnceLock::new(),
        }
    }

    /// The first field with one of these names (the metadata one is authoritative).
    pub fn field(&self, names: &[&str]) -> Option<&Field> {
        let spellings = Spellings::of(names);
        self.fields.iter().find(|f| spellings.name(f))
    }

    pub fn fields_named<'a>(
        &'a self,
        names: &'a [&'a str],
    ) -> impl Iterator<Item = &'a Field> + 'a {
        let spellings = Spellings::of(names);
        self.fields.iter().filter(move |f| spellings.name(f))
    }

    fn spanned_value(&self, f: &Field) -> Spanned<String> {
        Spanned::at(&self.doc.source, f.value_offset, f.value.clone())
    }

    /// A scalar field: its inline value, or the first line of its body.
    pub fn scalar(&self, names: &[&str]) -> Option<Spanned<String>> {
        self.scalar_of(self.field(names)?)
    }

    /// A field's inline value, or the first line of its body.
    pub fn scalar_of(&self, f: &Field) -> Option<Spanned<String>> {
        if !strip_decoration(&f.value).is_empty() {
            return Some(self.spanned_value(f));
        }
        f.body
            .clone()
            .find(|&i| {
                self.doc.lines[i].kind != LineKind::Blank && !self.doc.is_code(i)
                    || is_code_content(&self.doc, i)
            })
            .map(|i| {
                let text = self.doc.content(i);
                Spanned::new(
                    clean_item(text),
                    i + 1,
                    self.doc.column(i, self.doc.lines[i].content),
                )
            })
    }

    pub fn task_id(&self) -> Option<Spanned<String>> {
        self.scalar(names::TASK_ID).map(|s| Spanned {
            value: first_token(&s.value),
            ..s
        })
    }

    pub fn status(&self) -> Option<Spanned<Status>> {
        let f = self.status_field()?;
        self.scalar_of(f).map(|s| Spanned {
            value: Status::parse(&s.value),
            line: s.line,
            column: s.column,
        })
    }

    /// The authoritative STATUS line when a packet has several (metadata and a later
    /// handoff section, a template preamble above the title): the one in the
    /// `## Metadata` section, else the first after the `# Task Packet:` title, else
    /// the first.
    pub fn status_field(&self) -> Option<&Field> {
        let all: Vec<&Field> = self.fields_named(names::STATUS).collect();
        let first = *all.first()?;
        let in_metadata = self
            .fields_named(names::METADATA)
            .filter(|m| matches!(m.opener, Opener::Heading(_)))
            .find_map(|m| all.iter().find(|f| m.body.contains(&f.line)));
        if let Some(f) = in_metadata {
            return Some(f);
        }
        let title = (0..self.doc.lines.len()).find(|&i| {
            self.doc.lines[i].kind == LineKind::Heading(1) && {
                let t = self.doc.content(i).to_ascii_lowercase();
                t.starts_with("task packet") || t.starts_with("work packet")
            }
        });
        title
            .and_then(|t| all.iter().find(|f| f.line > t).copied())
            .or(Some(first))
    }

    pub fn risk_tier(&self) -> Option<Spanned<TierValue>> {
        let f = self.field(names::RISK_TIER)?;
        // `## RISK_TIER` followed by `- Level: HIGH` nests the value one field deeper
        let level = fields::nested(&self.fields, f)
            .find(|g| matches!(g.name.as_str(), "level" | "tier" | "risk tier"));
        let s = match level {
            Some(l) if strip_decoration(&f.value).is_empty() => self.spanned_value(l),
            _ => self.scalar(names::RISK_TIER)?,
        };
        let value = strip_decoration(&s.value);
        let tier = if value.contains('|') {
            TierValue::Unfilled(value)
        } else {
            let first: String = value
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            RiskTier::parse(&first).map_or(TierValue::Invalid(value), TierValue::Tier)
        };
        Some(Spanned {
            value: tier,
            line: s.line,
            column: s.column,
        })
    }

    /// Every anchor in SPEC_ANCHOR fields (inline values and bodies), with locations.
    pub fn spec_anchors(&self) -> Vec<Spanned<Anchor>> {
        let mut out: Vec<Spanned<Anchor>> = Vec::new();
        for f in self.fields_named(names::SPEC_ANCHOR) {
            let mut texts = vec![self.spanned_value(f)];
            texts.extend(self.body_texts(f));
            for t in texts {
                for a in parse_anchors(&t.value) {
                    if !out.iter().any(|o| o.value == a) {
                        out.push(Spanned::new(a, t.line, t.column));
                    }
                }
            }
        }
        out
    }

    /// Non-blank prose lines of a field body (code excluded), as spanned text.
    pub fn body_texts(&self, f: &Field) -> Vec<Spanned<String>> {
        f.body
            .clone()
            .filter(|&i| {
                !matches!(
                    self.doc.lines[i].kind,
                    LineKind::Blank | LineKind::Code | LineKind::CodeFence
                )
            })
            .map(|i| {
                Spanned::new(
                    self.doc.content(i).to_string(),
                    i + 1,
                    self.doc.column(i, self.doc.lines[i].content),
                )
            })
            .collect()
    }

    /// The entries of a list field: its shallowest list items, else its prose lines,
    /// else its inline value. Checkbox markers and emphasis are removed.
    pub fn list(&self, names: &[&str]) -> Vec<Spanned<String>> {
        let Some(f) = self.field(names) else {
            return Vec::new();
        };
        self.list_of(f)
    }

    pub fn list_of(&self, f: &Field) -> Vec<Spanned<String>> {
        let lines = &self.doc.lines;
        let items: Vec<usize> = f
            .body
            .clone()
            .filter(|&i| lines[i].kind == LineKind::ItemStart)
            .collect();
        let chosen: Vec<usize> = match items.iter().map(|&i| lines[i].depth).min() {
            Some(d) => items.into_iter().filter(|&i| lines[i].depth == d).collect(),
            None => f
                .body
                .clone()
                .filter(|&i| lines[i].kind == LineKind::Text)
                .collect(),
        };
        let mut out: Vec<Spanned<String>> = chosen
            .into_iter()
            .map(|i| {
                Spanned::new(
                    clean_item(self.doc.content(i)),
                    i + 1,
                    self.doc.column(i, lines[i].content),
                )
            })
            .filter(|s| !s.value.is_empty())
            .collect();
        if out.is_empty()
            && !strip_decoration(&f.value).is_empty()
            && f.opener != Opener::Heading(1)
        {
            out.push(self.spanned_value(f));
        }
        out
    }

    /// TEST_PLAN commands: lines of code blocks (comments and blank lines skipped,
    /// `\` continuations joined), inline code in list items, and list items that
    /// start with a lower-case program name.
    pub fn test_plan(&self) -> Vec<Spanned<String>> {
        match self.field(names::TEST_PLAN) {
            Some(f) => self.commands_in(f),
            None => Vec::new(),
        }
    }

    pub fn commands_in(&self, f: &Field) -> Vec<Spanned<String>> {
        let mut out = Vec::new();
        let mut pending: Option<Spanned<String>> = None;
        for i in f.body.clone() {
            let l = &self.doc.lines[i];
            match l.kind {
                LineKind::Code => {
                    let raw = self.doc.raw(i).trim();
                    let raw = raw.strip_prefix("$ ").unwrap_or(raw);
                    if let Some(p) = pending.as_mut() {
                        p.value.push(' ');
                        p.value.push_str(raw.trim_end_matches('\\').trim());
                        if !raw.ends_with('\\') {
                            out.extend(pending.take());
                        }
                        continue;
                    }
                    if raw.is_empty() || raw.starts_with('#') || raw.starts_with("//") {
                        continue;
                    }
                    let s = Spanned::new(
                        raw.trim_end_matches('\\').trim().to_string(),
                        i + 1,
                        self.doc.column(
                            i,
                            l.range.start
                                + (self.doc.raw(i).len() - self.doc.raw(i).trim_start().len()),
                        ),
                    );
                    if raw.ends_with('\\') {
                        pending = Some(s);
                    } else {
                        out.push(s);
                    }
                }
                LineKind::ItemStart | LineKind::Text => out.extend(self.item_commands(i)),
                _ => {}
            }
        }
        out.extend(pending);
        out
    }

    fn item_commands(&self, i: usize) -> Vec<Spanned<String>> {
        let l = &self.doc.lines[i];
        let spans: Vec<_> = self
            .doc
            .code_spans
            .iter()
            .filter(|r| r.start >= l.range.start && r.end <= l.range.end)
            .cloned()
            .collect();
        if !spans.is_empty() {
            return spans
                .into_iter()
                .map(|r| {
                    let code = self.doc.source.text[r.clone()]
                        .trim_matches('`')
                        .trim()
                        .to_string();
                    Spanned::new(code, i + 1, self.doc.column(i, r.start))
                })
                .filter(|s| !s.value.is_empty())
                .collect();
        }
        let text = clean_item(self.doc.content(i));
        let first = text.split_whitespace().next().unwrap_or("");
        let looks_like_program = first.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && first
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
        if looks_like_program && l.kind == LineKind::ItemStart {
            vec![Spanned::new(text, i + 1, self.doc.column(i, l.content))]
        } else {
            Vec::new()
        }
    }

    pub fn bootstrap(&self) -> Bootstrap {
        Bootstrap {
            files_to_open: self.list(names::FILES_TO_OPEN),
            search_terms: self.list(names::SEARCH_TERMS),
            run_commands: match self.field(names::RUN_COMMANDS) {
                Some(f) => {
                    let cmds = self.commands_in(f);
                    if cmds.is_empty() {
                        self.list_of(f)
                    } else {
                        cmds
                    }
                }
                None => Vec::new(),
            },
            risk_map: self.list(names::RISK_MAP),
        }
    }

    /// Number of search terms: quoted strings count one each, else one per entry.
    pub fn search_term_count(terms: &[Spanned<String>]) -> usize {
        terms
            .iter()
            .map(|t| {
                let quoted = t.value.matches('"').count() / 2;
                quoted.max(1)
            })
            .sum()
    }

    /// IN_SCOPE_PATHS entries reduced to the path itself (annotation dropped).
    pub fn in_scope_paths(&self) -> Vec<Spanned<String>> {
        self.list(names::IN_SCOPE_PATHS)
            .into_iter()
            .map(|s| Spanned {
                value: path_token(&s.value),
                ..s
            })
            .collect()
    }

    pub fn out_of_scope(&self) -> Vec<Spanned<String>> {
        self.list(names::OUT_OF_SCOPE)
    }

    pub fn done_means(&self) -> Vec<Spanned<String>> {
        self.list(names::DONE_MEANS)
    }

    /// The packet's user signature, from USER_SIGNATURE or the Signature & Enrichment Log.
    pub fn signature(&self) -> Option<Spanned<SignatureValue>> {
        let s = self.scalar(names::USER_SIGNATURE).or_else(|| {
            let log = self.field(names::SIGNATURE_LOG)?;
            let sig = fields::nested(&self.fields, log).find(|f| f.name == "signature")?;
            Some(self.spanned_value(sig))
        })?;
        Some(Spanned {
            value: classify_signature(&s.value),
            line: s.line,
            column: s.column,
        })
    }

    /// WP ids this packet depends on, from `Depends on:`-style fields. `Blocks:` and
    /// `Unblocks:` lines are not dependencies.
    pub fn dependencies(&self) -> Vec<Spanned<WpId>> {
        let mut out: Vec<Spanned<WpId>> = Vec::new();
        for t in self.depends_on_texts() {
            for (off, id) in ids_in(&t.value) {
                // `WP-1-A‑v2` (U+2011) is not WP-1-A: see dependency_lookalikes
                if is_cut_id(&t.value[off..]) {
                    continue;
                }
                if id != self.id && !out.iter().any(|o| o.value == id) {
                    let col = t.column + t.value[..off].chars().count();
                    out.push(Spanned::new(id, t.line, col));
                }
            }
        }
        for d in self.build_order_dependencies() {
            if d.value.as_str() != self.id.lineage_key() && !out.iter().any(|o| o.value == d.value)
            {
                out.push(d);
            }
        }
        out
    }

    /// The texts of `Depends on:`-style fields: inline values and body lines, nested
    /// lines of other keys left out.
    fn depends_on_texts(&self) -> Vec<Spanned<String>> {
        let mut texts = Vec::new();
        let depends_on = Spellings::of(names::DEPENDS_ON);
        for f in self.fields.iter().filter(|f| depends_on.name(f)) {
            if f.opener == Opener::Heading(1) {
                continue;
            }
            texts.push(self.spanned_value(f));
            let other_keys: Vec<usize> = fields::nested(&self.fields, f)
                .filter(|g| !depends_on.name(g))
                .flat_map(|g| std::iter::once(g.line).chain(g.body.clone()))
                .collect();
            texts.extend(
                self.body_texts(f)
                    .into_iter()
                    .filter(|t| !other_keys.contains(&(t.line - 1))),
            );
        }
        texts.into_iter().map(|t| self.as_written(t)).collect()
    }

    /// A field value with the characters the reader blanked put back: invisible
    /// characters are not content, but inside an id they must be seen, or
    /// `WP-1-A` + U+200B + `-v2` would read as WP-1-A. Blanking keeps byte offsets, so
    /// the same bytes of the original line are the value as written.
    fn as_written(&self, t: Spanned<String>) -> Spanned<String> {
        let Some(i) = t.line.checked_sub(1).filter(|&i| i < self.doc.lines.len()) else {
            return t;
        };
        let original = self.doc.original(i);
        if original.is_ascii() {
            return t;
        }
        let raw = self.doc.raw(i);
        let written = raw
            .find(t.value.as_str())
            .and_then(|at| original.get(at..at + t.value.len()));
        match written {
            Some(w) => Spanned::new(w.to_string(), t.line, t.column),
            None => t,
        }
    }

    fn build_order_texts(&self) -> Vec<Spanned<String>> {
        let mut texts = Vec::new();
        for f in self.fields_named(names::BUILD_ORDER_DEPENDS_ON) {
            texts.push(self.spanned_value(f));
            texts.extend(self.body_texts(f));
        }
        texts.into_iter().map(|t| self.as_written(t)).collect()
    }

    /// Id-shaped words in dependency fields that hold a lookalike or invisible
    /// character: never read as (or cut into) another id, reported instead.
    pub fn dependency_lookalikes(&self) -> Vec<Spanned<LookalikeWord>> {
        let mut out = Vec::new();
        for t in self
            .depends_on_texts()
            .into_iter()
            .chain(self.build_order_texts())
        {
            for w in lookalike_words(&t.value) {
                let col = t.column + t.value[..w.at].chars().count();
                out.push(Spanned::new(w, t.line, col));
            }
        }
        out
    }

    /// `BUILD_ORDER_DEPENDS_ON: WP-1-Alpha, WP-1-Beta-v2` (inline or as nested items),
    /// read as the project reads it: split at commas, each token a lineage id (see
    /// [`build_order_dependency`]); `NONE`, `N/A`, `<pending>` name nothing.
    pub fn build_order_dependencies(&self) -> Vec<Spanned<WpId>> {
        let mut out: Vec<Spanned<WpId>> = Vec::new();
        for t in self.build_order_texts() {
            let mut at = 0;
            for token in t.value.split(',') {
                let lead = token.find("WP-").unwrap_or(0);
                if let Some(id) = build_order_dependency(token) {
                    if !out.iter().any(|o| o.value == id) {
                        let col = t.column + t.value[..at + lead].chars().count();
                        out.push(Spanned::new(id, t.line, col));
                    }
                }
                at += token.len() + 1;
            }
        }
        out
    }

    /// Every report `Verdict:` line in document order, code blocks included (reports
    /// are often pasted fenced). Template lines such as `Verdict: PASS | FAIL`, the
    /// CURRENT_STATE summary and HTML comments are skipped; sub-verdicts
    /// (`GOVERNANCE_VERDICT:`, `TEST_VERDICT:`) are not verdicts.
    pub fn verdicts(&self) -> Vec<Spanned<Verdict>> {
        // a verdict line holds the word (see `mentions_verdict`) in its visible text,
        // and every line is a slice of it: most packets settle with one search
        if !mentions_word(self.doc.visible_text().as_bytes(), b"verdict") {
            return Vec::new();
        }
        let summary = self.current_state_lines();
        let hidden = crate::model::validation::comment_lines(&self.doc);
        let mut out = Vec::new();
        for i in 0..self.doc.lines.len() {
            if summary.contains(&i) || hidden.contains(&i) {
                continue;
            }
            if let Some(v) = self.verdict_at(i) {
                out.push(v);
            }
        }
        out
    }

    /// The verdict written on line `i`, if it is a `Verdict:` line.
    pub(crate) fn verdict_at(&self, i: usize) -> Option<Spanned<Verdict>> {
        let raw = self.doc.raw(i);
        let mut t = raw.trim_start();
        // `<!-- note --> Verdict: FAIL`: the text after a closed comment is visible
        while let Some(rest) = t.strip_prefix("<!--") {
            match rest.find("-->") {
                Some(e) => t = rest[e + 3..].trim_start(),
                None => return None,
            }
        }
        let t = t.trim_start_matches(['-', '*', '>', '#', ' ']);
        // cheap pre-check, as every line of every packet passes here
        if !mentions_verdict(t) {
            return None;
        }
        let (key, v) = fields::split_key_value(t)?;
        if !key.eq_ignore_ascii_case("verdict") {
            return None;
        }
        let value = &t[v..];
        if value.contains('|') {
            return None;
        }
        // the location is the verdict's first character, not the space before it
        let v = v + (value.len() - value.trim_start().len());
        let offset = self.doc.lines[i].range.start + (raw.len() - t.len()) + v;
        Some(Spanned::new(
            Verdict::parse(value),
            i + 1,
            self.doc.column(i, offset),
        ))
    }

    /// 0-based lines of the `## CURRENT_STATE` summary: a status block, not a report.
    pub(crate) fn current_state_lines(&self) -> std::ops::Range<usize> {
        self.fields_named(names::CURRENT_STATE)
            .find(|f| matches!(f.opener, Opener::Heading(_)))
            .map_or(0..0, |f| f.line..f.body.end)
    }

    /// The `## CURRENT_STATE (...)` block near the top of newer packets.
    pub fn current_state(&self) -> Option<CurrentState> {
        let lines = self.current_state_lines();
        if lines.is_empty() {
            return None;
        }
        let mut state = CurrentState {
            line: lines.start + 1,
            verdict: None,
            blockers: None,
            next: None,
        };
        for f in self.fields.iter().filter(|f| lines.contains(&f.line)) {
            let slot = match f.name.as_str() {
                "blockers" | "blocker" => &mut state.blockers,
                "next" => &mut state.next,
                _ => continue,
            };
            slot.get_or_insert_with(|| self.spanned_value(f));
        }
        state.verdict = lines.clone().find_map(|i| self.verdict_at(i));
        Some(state)
    }

    /// The verdict of the validation report that counts (see
    /// [`crate::model::validation::Reports`]): by time, then position, unless a report
    /// explicitly supersedes another.
    pub fn last_verdict(&self) -> Option<Spanned<Verdict>> {
        let counted = || self.reports().counted_verdict();
        self.counted_verdict.get_or_init(counted).clone()
    }

    /// VALIDATED means the counted verdict is PASS: Done alone is not enough, and a
    /// later FAIL undoes an earlier PASS.
    pub fn is_validated(&self) -> bool {
        is_validated(self.last_verdict().as_ref().map(|v| v.value))
    }

    pub fn spec_version(&self) -> Option<Spanned<String>> {
        self.scalar(names::SPEC_VERSION)
    }
}

/// Whether a line could be `Verdict: ...`: the word appears before the first colon.
fn mentions_verdict(line: &str) -> bool {
    let Some(colon) = line.find(':') else {
        return false;
    };
    line.as_bytes()[..colon]
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"verdict"))
}

/// The spellings of one field name, with their hashes worked out once per look-up: a
/// packet of forty fields asked for twenty names compares 800 hashes, not 800 texts.
struct Spellings<'a> {
    names: &'a [&'a str],
    hashes: [u64; 8],
}

impl<'a> Spellings<'a> {
    fn of(names: &'a [&'a str]) -> Spellings<'a> {
        let mut hashes = [0; 8];
        for (h, n) in hashes.iter_mut().zip(names) {
            *h = crate::text::name_hash(n);
        }
        Spellings { names, hashes }
    }

    /// Whether `f` has one of these names (the text is compared where a hash agrees).
    fn name(&self, f: &Field) -> bool {
        if self.names.len() > self.hashes.len() {
            return is_named(&f.name, self.names);
        }
        let hashed = self.hashes.iter().zip(self.names);
        hashed
            .filter(|(h, _)| **h == f.name_hash)
            .any(|(_, n)| crate::text::normalizes_to(n, &f.name))
    }
}

/// Whether a field's (normalised) name is one of `names` as written.
fn is_named(normalized: &str, names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| crate::text::normalizes_to(n, normalized))
}

/// Whether `text` holds `word` (lower-case ASCII), in any case.
fn mentions_word(text: &[u8], word: &[u8]) -> bool {
    let Some((&first, rest)) = word.split_first() else {
        return true;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), text).any(|at| {
        text.get(at + 1..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

/// The one rule for VALIDATED, for callers that already hold the last verdict.
pub fn is_validated(last_verdict: Option<Verdict>) -> bool {
    last_verdict == Some(Verdict::Pass)
}

fn is_code_content(doc: &MdDoc, i: usize) -> bool {
    doc.lines[i].kind == LineKind::Code && !doc.raw(i).trim().is_empty()
}

/// An item's text without checkbox markers, emphasis or surrounding whitespace.
pub fn clean_item(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("[ ]")
        .or_else(|| s.strip_prefix("[x]"))
        .or_else(|| s.strip_prefix("[X]"))
        .unwrap_or(s);
    let s = s.trim_start_matches(['✅', '❌']).trim_start();
    // emphasis closes only what it opened: `**src/a.rs**` loses both, the glob
    // `src/ui/**` keeps its stars
    let stars = s.len() - s.trim_start_matches('*').len();
    let s = s.trim_start_matches('*').trim();
    let closing = (s.len() - s.trim_end_matches('*').len()).min(stars);
    s[..s.len() - closing].trim().to_string()
}

fn first_token(s: &str) -> String {
    strip_decoration(s)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string()
}

/// The path at the start of an IN_SCOPE_PATHS entry: `src/a.rs (add endpoint)` →
/// `src/a.rs`. Glob-like entries stay verbatim (`src/ui/**` is not `src/ui/`): only a
/// bold wrapper (`**src/a.rs**`) and quotes are removed.
pub fn path_token(entry: &str) -> String {
    let e = entry.trim().trim_start_matches('-').trim();
    let stars = e.len() - e.trim_start_matches('*').len();
    let e = e.trim_start_matches('*');
    let token = if let Some(rest) = e.strip_prefix('`') {
        rest.split('`').next().unwrap_or("")
    } else {
        e.split_whitespace().next().unwrap_or("")
    };
    let token = token.trim_matches(|c| c == '"' || c == '\'');
    let token = token.trim_end_matches([',', ':', ';']);
    // the emphasis that opened the entry closes it; stars beyond that are a glob
    let closing = (token.len() - token.trim_end_matches('*').len()).min(stars);
    let token = &token[..token.len() - closing];
    token.trim_end_matches([',', ':', ';']).to_string()
}

/// Classifies a signature value as written: a token, pending, or a bare username.
pub fn classify_signature(value: &str) -> SignatureValue {
    let v = strip_decoration(value);
    let token = v
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(['[', ']', '(', ')', '"', '\''])
        .to_string();
    let lower = token.to_ascii_lowercase();
    let pending = token.is_empty()
        || token.starts_with('<')
        || token.starts_with('{')
        || matches!(
            lower.as_str(),
            "pending" | "tbd" | "none" | "n/a" | "todo" | "-" | "?" | "???"
        );
    if pending {
        SignatureValue::Pending(v)
    } else if !token.chars().any(|c| c.is_ascii_digit()) {
        SignatureValue::Unsigned(token)
    } else {
        SignatureValue::Given(token)
    }
}

/// A packet `WP-1-X` parsed from text, for unit tests across the crate.
#[cfg(test)]
pub(crate) fn test_packet(text: &str) -> Packet {
    Packet::parse(
        WpId::parse("WP-1-X").expect("valid id"),
        Source::from_bytes("WP-1-X.md", text.as_bytes()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::status::StatusKind;
    use super::*;

    fn packet(text: &str) -> Packet {
        test_packet(text)
    }

    #[test]
    fn names_match_as_normalize_name_says() {
        use crate::text::normalize_name;
        let raw = [
            "Depends on",
            "depends-on",
            " DEPENDS__ON ",
            "Depends",
            "DependsOn",
            "User Signature Locked",
            "Signature & Enrichment Log",
            "SIGNATURE_LOG",
            "STRAẞE",
            "Straße",
            "İd",
            "",
            "_",
            "a b",
            "a  b",
            "ab",
        ];
        let mut all: Vec<&str> = raw.to_vec();
        all.extend(names::DEPENDS_ON);
        all.extend(names::USER_SIGNATURE);
        all.extend(names::SIGNATURE_LOG);
        all.extend(names::SPEC_VERSION);
        for a in &all {
            for b in &all {
                let normalized = normalize_name(b);
                assert_eq!(
                    crate::text::normalizes_to(a, &normalized),
                    normalize_name(a) == normalized,
                    "{a:?} against {b:?}"
                );
                // a look-up's hash never rules out a name that matches
                if normalize_name(a) == normalized {
                    let field_hash = crate::text::bytes_hash(normalized.as_bytes());
                    assert_eq!(crate::text::name_hash(a), field_hash, "{a:?} {b:?}");
                }
            }
        }
    }

    /// A verdict's column is its first character, after the space and the emphasis.
    #[test]
    fn verdicts_are_located_at_their_word() {
        let p = packet("# T\n\n- Verdict: FAIL\n**Verdict:**  PASS\n> Verdict:PASS\n");
        let at: Vec<(usize, usize)> = (0..p.doc.lines.len())
            .filter_map(|i| p.verdict_at(i))
            .map(|v| (v.line, v.column))
            .collect();
        assert_eq!(at, vec![(3, 12), (4, 15), (5, 11)]);
    }

    #[test]
    fn mentions_word_in_any_case() {
        assert!(mentions_word(b"x\nVerdict: PASS", b"verdict"));
        assert!(mentions_word(b"VERDICT", b"verdict"));
        assert!(mentions_word(b"a vErDiCt", b"verdict"));
        assert!(!mentions_word(b"verdic", b"verdict"));
        assert!(!mentions_word(b"", b"verdict"));
        assert!(!mentions_word(b"v erdict", b"verdict"));
    }

    #[test]
    fn bullet_metadata_spellings() {
        let p = packet("# Task Packet: WP-1-X\n## Metadata\n- **Status:** In Progress\n- **RISK_TIER**: HIGH\n- USER_SIGNATURE: `alice110220262332`\n\n## Handoff\n- STATUS: Done\n");
        assert_eq!(
            p.status().unwrap().value.kind,
            Some(super::super::status::StatusKind::InProgress)
        );
        assert_eq!(
            p.risk_tier().unwrap().value,
            TierValue::Tier(RiskTier::High)
        );
        assert_eq!(
            p.signature().unwrap().value,
            SignatureValue::Given("alice110220262332".into())
        );
    }

    #[test]
    fn risk_tier_heading_forms() {
        let p = packet("## RISK_TIER\n- Level: HIGH\n");
        assert_eq!(
            p.risk_tier().unwrap().value,
            TierValue::Tier(RiskTier::High)
        );
        let p = packet("### RISK_TIER: MEDIUM\n");
        assert_eq!(
            p.risk_tier().unwrap().value,
            TierValue::Tier(RiskTier::Medium)
        );
        let p = packet("## RISK_TIER\nMEDIUM\n- Why: x\n");
        assert_eq!(
            p.risk_tier().unwrap().value,
            TierValue::Tier(RiskTier::Medium)
        );
        let p = packet("- RISK_TIER: LOW | MEDIUM | HIGH\n");
        assert!(matches!(
            p.risk_tier().unwrap().value,
            TierValue::Unfilled(_)
        ));
    }

    #[test]
    fn test_plan_forms() {
        let p = packet(
            "## TEST_PLAN\n```bash\n# build\ncargo build \\\n  --release\ncargo test\n```\n",
        );
        let cmds: Vec<_> = p.test_plan().into_iter().map(|c| c.value).collect();
        assert_eq!(cmds, ["cargo build --release", "cargo test"]);
        let p = packet("- TEST_PLAN:\n  - `cargo test -p api` (PASS)\n  - Code review: no secrets\n  - just post-work WP-1-X\n");
        let cmds: Vec<_> = p.test_plan().into_iter().map(|c| c.value).collect();
        assert_eq!(cmds, ["cargo test -p api", "just post-work WP-1-X"]);
    }

    #[test]
    fn signatures_pending_and_unsigned() {
        assert!(matches!(
            packet("- USER_SIGNATURE: <pending>\n")
                .signature()
                .unwrap()
                .value,
            SignatureValue::Pending(_)
        ));
        assert!(matches!(
            packet("- USER_SIGNATURE: alice\n")
                .signature()
                .unwrap()
                .value,
            SignatureValue::Unsigned(_)
        ));
        let p =
            packet("## Signature & Enrichment Log\n**Signature**: ilja251225032800 (immutable)\n");
        assert_eq!(
            p.signature().unwrap().value,
            SignatureValue::Given("ilja251225032800".into())
        );
    }

    #[test]
    fn dependencies_skip_blocks_lines() {
        let p = packet(
            "## Dependencies\n- Depends on: WP-1-A (MUST COMPLETE FIRST)\n- Blocks: WP-1-B\n",
        );
        let deps: Vec<_> = p
            .dependencies()
            .into_iter()
            .map(|d| d.value.to_string())
            .collect();
        assert_eq!(deps, ["WP-1-A"]);
    }

    #[test]
    fn verdicts_last_counts() {
        let p = packet("VALIDATION REPORT\n**Verdict:** PASS\n\n```\nVerdict: PASS | FAIL\n```\nVALIDATION REPORT\nVerdict: **FAIL** (tests)\n");
        let v: Vec<_> = p.verdicts().into_iter().map(|v| v.value).collect();
        assert_eq!(v, [Verdict::Pass, Verdict::Fail]);
    }

    #[test]
    fn build_order_dependencies_are_lineages() {
        let p = packet("## Metadata\n- BUILD_ORDER_DEPENDS_ON: WP-1-Alpha, - WP-1-Beta-v3, WP-1-Parser-v1.2-Core, NONE\n- BUILD_ORDER_BLOCKS: WP-1-Zeta\n- STUB_WP_IDS: WP-1-Stub\n- Depends on: WP-1-Omega\n");
        let deps: Vec<_> = p
            .dependencies()
            .into_iter()
            .map(|d| (d.value.to_string(), d.line, d.column))
            .collect();
        assert_eq!(
            deps,
            [
                ("WP-1-Omega".to_string(), 5, 15),
                ("WP-1-Alpha".to_string(), 2, 27),
                ("WP-1-Beta".to_string(), 2, 41),
                ("WP-1-Parser-v1-2-Core".to_string(), 2, 55),
            ]
        );
        for none in ["NONE", "N/A", "<pending>", "<fill>"] {
            let p = packet(&format!("- BUILD_ORDER_DEPENDS_ON: {none}\n"));
            assert!(p.dependencies().is_empty(), "{none}");
        }
        // nested items, and the packet's own lineage is no dependency
        let p = packet("- BUILD_ORDER_DEPENDS_ON:\n  - WP-1-A\n  - WP-1-X-v2\n");
        let deps: Vec<_> = p
            .dependencies()
            .into_iter()
            .map(|d| d.value.to_string())
            .collect();
        assert_eq!(deps, ["WP-1-A"]);
    }

    #[test]
    fn lookalike_dependency_ids_are_never_cut() {
        let p = packet("- Depends on: WP-1-Alpha\u{2011}v2, WP-1-Beta\n- BUILD_ORDER_DEPENDS_ON: WP-1-Gamma\u{200B}-v2, WP-1-Delta\n");
        let deps: Vec<_> = p
            .dependencies()
            .into_iter()
            .map(|d| d.value.to_string())
            .collect();
        assert_eq!(deps, ["WP-1-Beta", "WP-1-Delta"]);
        let odd: Vec<_> = p
            .dependency_lookalikes()
            .into_iter()
            .map(|w| (w.line, w.column, w.value.character as u32))
            .collect();
        assert_eq!(odd, [(1, 25, 0x2011), (2, 37, 0x200B)]);
    }

    #[test]
    fn the_metadata_status_is_authoritative() {
        let p = packet("# TASK_PACKET_TEMPLATE\n- **Status:** {Ready for Dev | In Progress}\n\n# Task Packet: WP-1-X\n## Handoff\n- STATUS: In Progress\n## Metadata\n- **Status:** Done\n");
        let s = p.status().unwrap();
        assert_eq!((s.value.kind, s.line), (Some(StatusKind::Done), 8));
        // no metadata section: the first after the title, not the template's
        let p = packet("# TASK_PACKET_TEMPLATE\n- **Status:** {Ready for Dev | In Progress}\n# Task Packet: WP-1-X\n- STATUS: Blocked\n- STATUS: Done\n");
        assert_eq!(p.status().unwrap().line, 4);
        // STUB_STATUS and MAIN_CONTAINMENT_STATUS are other keys
        let p = packet(
            "- STUB_STATUS: STUB (NOT READY FOR DEV)\n- MAIN_CONTAINMENT_STATUS: CONTAINED\n",
        );
        assert!(p.status().is_none());
    }

    #[test]
    fn emphasis_closes_only_what_it_opened() {
        assert_eq!(clean_item("**src/a.rs**"), "src/a.rs");
        assert_eq!(clean_item("src/ui/**"), "src/ui/**");
        assert_eq!(clean_item("[x] *docs/x.md*"), "docs/x.md");
    }

    #[test]
    fn in_scope_path_tokens() {
        assert_eq!(path_token("`src/a.rs` (new)"), "src/a.rs");
        assert_eq!(path_token("Cargo.toml (add jwt crate)"), "Cargo.toml");
        assert_eq!(path_token("**src/a.rs**: the handler"), "src/a.rs");
        assert_eq!(path_token("src/ui/**"), "src/ui/**");
        assert_eq!(path_token("`src/ui/**` (every view)"), "src/ui/**");
        assert_eq!(path_token("src/x/ (new module)"), "src/x/");
        assert_eq!(
            path_token("../example_main/src/a.rs"),
            "../example_main/src/a.rs"
        );
    }
}
