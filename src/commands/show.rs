//! `gov show <WP_ID>`: the parsed packet, so agents read packets through gov.
//!
//! A view: every value comes from a typed accessor of [`Packet`]; this file only
//! shapes them into [`ShowData`], the JSON contract, and its human rendering.

use crate::diag::Report;
use crate::error::GovError;
use crate::model::packet::{Packet, SignatureValue, TierValue, Verdict};
use crate::model::packet_fields::Location;
use crate::model::validation::{Outcome, Reports, ReviewKind, Target, ValidationEntry, Why};
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::text::Spanned;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The packet id, e.g. WP-1-Storage-Layer
    pub wp_id: String,
}

pub fn run(args: &ShowArgs, repo: &Repo) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    let packet = repo.load_packet(&id)?;
    let mut report = Report::new("show", Some(id.to_string()));
    report.informational = true;
    let data = ShowData {
        packet: ShowPacket::of(&packet),
    };
    report.headline = human(&data.packet);
    report.set_typed(data);
    // the counted verdict against the packet's own status and summary
    report.extend(crate::rules::packet::verdict::findings(&packet));
    report.next = vec![format!("gov pre-work {id}")];
    Ok(report)
}

/// The data of `gov show`: one packet, every typed field with its location.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowData {
    /// The packet as gov parsed it.
    pub packet: ShowPacket,
}

/// A packet's typed fields. Each value carries its location in the packet's file
/// (`path`): line and column, and for a `packet.json` packet the JSON Pointer of the
/// value. A field the packet does not have is `null` (or an empty list).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowPacket {
    /// The packet id, e.g. `WP-1-Storage-Layer-v2`.
    pub id: String,
    /// The id without its `-vN` revision.
    pub base_id: String,
    /// The `N` of a `-vN` revision.
    pub variant: Option<u32>,
    /// The packet's file, relative to the repository root (`WP-ID.md`,
    /// `WP-ID/packet.md` or `WP-ID/packet.json`).
    pub path: String,
    /// TASK_ID (or WP_ID) as written, first word only; located in `locations.task_id`.
    pub task_id: Option<String>,
    /// The authoritative STATUS line.
    pub status: Option<ShowStatus>,
    /// RISK_TIER: `LOW`, `MEDIUM`, `HIGH`, or the text written when it is none of
    /// them; located in `locations.risk_tier`.
    pub risk_tier: Option<String>,
    /// The user signature, from USER_SIGNATURE or the Signature & Enrichment Log.
    pub signature: Option<ShowSignature>,
    /// Spec anchors of the SPEC_ANCHOR fields, in order, without repeats.
    pub spec_anchors: Vec<ShowAnchor>,
    /// IN_SCOPE_PATHS entries reduced to the path.
    pub in_scope_paths: Vec<Located>,
    /// OUT_OF_SCOPE entries.
    pub out_of_scope: Vec<Located>,
    /// DONE_MEANS entries.
    pub done_means: Vec<Located>,
    /// TEST_PLAN commands (code lines, inline code, program-like list items).
    pub test_plan: Vec<Located>,
    /// The BOOTSTRAP work plan.
    pub bootstrap: ShowBootstrap,
    /// WP ids this packet depends on (`Depends on:`-style fields, BUILD_ORDER_DEPENDS_ON).
    pub dependencies: Vec<ShowDependency>,
    /// The verdict of the report that counts (see `validation_reports.counted`).
    pub last_verdict: Option<ShowVerdict>,
    /// Every validation report, and which one counts and why.
    pub validation_reports: ShowReports,
    /// The `## CURRENT_STATE` summary: the packet's own, often stale, account.
    pub current_state: Option<ShowCurrentState>,
    /// SPEC_VERSION (or SPEC_BASELINE) as written; located in `locations.spec_version`.
    pub spec_version: Option<String>,
    /// Where the fields shown above as bare strings sit.
    pub locations: ShowLocations,
    /// What: what the packet builds. Multi-line values are joined with `\n`.
    pub what: Option<Located>,
    /// Why: the rationale and its spec reference.
    pub why: Option<Located>,
    /// ROLLBACK_HINT: how to undo the work.
    pub rollback_hint: Option<Located>,
    /// The VALIDATION section's `Command:` / `Result:` / `Notes:` entries, in order
    /// (the template's empty entry included).
    pub validation: Vec<ShowValidationEntry>,
    /// The VALIDATION section's deterministic manifest, one entry per target file.
    pub manifest: Vec<ShowManifestEntry>,
    /// Review records (`ai-review` / `manual-review` entries, `AI_REVIEW:` lines); the
    /// last one counts.
    pub reviews: Vec<ShowReview>,
    /// The evidence mapping: each requirement with the `path:line` evidence given for
    /// it (EVIDENCE_MAPPING lines and Evidence Mapping tables).
    pub evidence: Vec<ShowEvidence>,
    /// The WAIVERS GRANTED section.
    pub waivers: Option<ShowWaivers>,
    /// MERGE_BASE_SHA as written.
    pub merge_base_sha: Option<Located>,
    /// PACKET_FORMAT_VERSION as written.
    pub packet_format_version: Option<Located>,
}

/// A text value and where it is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Located {
    /// The value as written (emphasis and checkbox markers removed in list entries).
    pub value: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// JSON Pointer of the value; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// Where a value is, for values shown without one.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowLocation {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// JSON Pointer of the value; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// Locations of `task_id`, `risk_tier` and `spec_version`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowLocations {
    /// Where TASK_ID is.
    pub task_id: Option<ShowLocation>,
    /// Where RISK_TIER's value is.
    pub risk_tier: Option<ShowLocation>,
    /// Where SPEC_VERSION is.
    pub spec_version: Option<ShowLocation>,
}

/// The STATUS line.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowStatus {
    /// The status as written.
    pub raw: String,
    /// The recognised status (`ready_for_dev`, `in_progress`, `validated`, ...), or
    /// `null` when the written form is not recognised.
    pub canonical: Option<String>,
    /// Text after the status word: `(revalidation required)`, a date, a reason.
    pub qualifier: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// JSON Pointer; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// What the packet says about its user signature.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowSignature {
    /// `given`: a token that should be a signature; `pending`: `<pending>`, `TBD`, an
    /// empty value; `unsigned`: a bare username with no digits.
    pub state: SignatureState,
    /// The token or text as written.
    pub value: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// JSON Pointer; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// How a signature value reads.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SignatureState {
    /// A token that should be a signature (it may still be malformed).
    Given,
    /// `<pending>`, `PENDING`, `TBD`, an empty value, a template token.
    Pending,
    /// A bare username with no digits: never signed.
    Unsigned,
}

/// One spec anchor.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowAnchor {
    /// The anchor as gov reads it (`§2.1.1`, a module and section, a title).
    pub anchor: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the text the anchor was read from.
    pub column: usize,
    /// JSON Pointer; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// One dependency.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowDependency {
    /// The WP id depended on.
    pub id: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// JSON Pointer; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// A `Verdict:` line.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowVerdict {
    /// The verdict read.
    pub verdict: Verdict,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the verdict word.
    pub column: usize,
    /// JSON Pointer; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// The BOOTSTRAP work plan.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowBootstrap {
    /// FILES_TO_OPEN entries.
    pub files_to_open: Vec<Located>,
    /// SEARCH_TERMS entries.
    pub search_terms: Vec<Located>,
    /// RUN_COMMANDS commands (or entries, when none reads as a command).
    pub run_commands: Vec<Located>,
    /// RISK_MAP entries.
    pub risk_map: Vec<Located>,
}

/// The `## CURRENT_STATE` summary.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowCurrentState {
    /// 1-based line of the heading.
    pub line: usize,
    /// Its `Verdict:` line.
    pub verdict: Option<ShowVerdict>,
    /// Its `Blockers:` value.
    pub blockers: Option<String>,
    /// Its `Next:` value.
    pub next: Option<String>,
}

/// Every report, which one counts and why, and what superseded what.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowReports {
    /// The report whose verdict counts, or `null` when the packet has none.
    pub counted: Option<ShowCountedReport>,
    /// Every report, in file order.
    pub reports: Vec<ShowReport>,
}

/// The counted report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowCountedReport {
    /// 1-based line of the report's opener (0 when no heading precedes it).
    pub line: usize,
    /// The opener as written (shortened).
    pub title: String,
    /// The report's verdict (its last `Verdict:` line).
    pub verdict: Verdict,
    /// 1-based line of that `Verdict:` line.
    pub verdict_line: usize,
    /// Why this report counts.
    pub why: Option<Why>,
    /// `why` in words.
    pub reason: Option<String>,
}

/// One validation report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowReport {
    /// 1-based line of the report's opener (0 when no heading precedes it).
    pub line: usize,
    /// The opener as written (shortened).
    pub title: String,
    /// The opener's timestamp in UTC (`2026-04-02T10:20:30Z`), if it has one.
    pub timestamp: Option<String>,
    /// The report's verdict (its last `Verdict:` line).
    pub verdict: Verdict,
    /// 1-based line of that `Verdict:` line.
    pub verdict_line: usize,
    /// 1-based column of the verdict word.
    pub verdict_column: usize,
    /// JSON Pointer of the verdict; only for a `packet.json` packet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict_pointer: Option<String>,
    /// Whether this is the report that counts.
    pub counted: bool,
    /// Line of the report whose supersession claim set this one aside.
    pub superseded_by_line: Option<usize>,
    /// Supersession claims written in the report.
    pub claims: Vec<ShowClaim>,
}

/// A supersession claim (`SUPERSEDES: FAIL report <ts>`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowClaim {
    /// 1-based line.
    pub line: usize,
    /// The claim as written.
    pub text: String,
    /// Whether it names a report gov found; a claim that does not changes nothing.
    pub names_a_report: bool,
}

/// One `Command:` / `Result:` / `Notes:` entry.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowValidationEntry {
    /// 1-based line where the entry starts.
    pub line: usize,
    /// The command run.
    pub command: Option<Located>,
    /// Its result as written.
    pub result: Option<Located>,
    /// How the result reads (`OTHER` for `8/8 cases`, `exit 0`, ...); `null` when no
    /// result is written.
    pub outcome: Option<Outcome>,
    /// Notes.
    pub notes: Option<Located>,
    /// Neither command nor result: the template's empty entry.
    pub blank: bool,
}

/// One deterministic-manifest entry, values as written.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowManifestEntry {
    /// `Target File`.
    pub target: Located,
    /// `Start` line.
    pub start: Option<Located>,
    /// `End` line.
    pub end: Option<Located>,
    /// `Line Delta`.
    pub line_delta: Option<Located>,
    /// `Pre-SHA1` (of the content with LF line endings).
    pub pre_sha1: Option<Located>,
    /// `Post-SHA1`.
    pub post_sha1: Option<Located>,
    /// `Gates Passed` checkboxes.
    pub gates: Vec<ShowGate>,
}

/// One `- [x] gate` line.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowGate {
    /// The gate's name.
    pub name: String,
    /// Whether its box is ticked.
    pub checked: bool,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A review record.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowReview {
    /// Which review.
    pub kind: ReviewKind,
    /// How its result reads.
    pub outcome: Outcome,
    /// The result as written.
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A requirement and the evidence given for it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowEvidence {
    /// The requirement (a DONE_MEANS item, a spec clause); `null` for evidence
    /// written before any requirement.
    pub requirement: Option<Located>,
    /// The `path:line` (or `path:start-end`) references given for it.
    pub refs: Vec<ShowEvidenceRef>,
}

/// One `path:line` evidence reference.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowEvidenceRef {
    /// The file named, as written.
    pub path: String,
    /// First line named.
    pub start: usize,
    /// Last line named (`start` for a single line).
    pub end: usize,
    /// 1-based line of the reference in the packet.
    pub line: usize,
    /// 1-based column of the reference in the packet.
    pub column: usize,
}

/// The WAIVERS GRANTED section.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShowWaivers {
    /// 1-based line of the section.
    pub line: usize,
    /// The waivers granted (a `NONE` entry grants nothing and is left out).
    pub entries: Vec<Located>,
}

impl ShowPacket {
    /// The view of a parsed packet.
    pub fn of(p: &Packet) -> ShowPacket {
        let at = |s: &Spanned<String>| located(p, s);
        let list = |v: Vec<Spanned<String>>| v.iter().map(at).collect::<Vec<_>>();
        let where_ = |line, column| {
            let l = p.locate(line, column);
            ShowLocation {
                line: l.line,
                column: l.column,
                pointer: l.pointer,
            }
        };
        let tier = p.risk_tier();
        let task_id = p.task_id();
        let spec_version = p.spec_version();
        let reports = p.reports();
        let bootstrap = p.bootstrap();
        ShowPacket {
            id: p.id.to_string(),
            base_id: p.id.base().to_string(),
            variant: p.id.variant(),
            path: p.path.clone(),
            task_id: task_id.as_ref().map(|t| t.value.clone()),
            status: p.status().map(|s| {
                let l = p.location_of(&s);
                ShowStatus {
                    raw: s.value.raw,
                    canonical: s.value.kind.map(|k| k.key().to_string()),
                    qualifier: s.value.qualifier,
                    line: l.line,
                    column: l.column,
                    pointer: l.pointer,
                }
            }),
            risk_tier: tier.as_ref().map(|t| match &t.value {
                TierValue::Tier(r) => r.as_str().to_string(),
                TierValue::Unfilled(s) | TierValue::Invalid(s) => s.clone(),
            }),
            signature: p.signature().map(|s| {
                let l = p.location_of(&s);
                let (state, value) = match s.value {
                    SignatureValue::Given(v) => (SignatureState::Given, v),
                    SignatureValue::Pending(v) => (SignatureState::Pending, v),
                    SignatureValue::Unsigned(v) => (SignatureState::Unsigned, v),
                };
                ShowSignature {
                    state,
                    value,
                    line: l.line,
                    column: l.column,
                    pointer: l.pointer,
                }
            }),
            spec_anchors: p
                .spec_anchors()
                .iter()
                .map(|a| {
                    let l = p.location_of(a);
                    ShowAnchor {
                        anchor: a.value.to_string(),
                        line: l.line,
                        column: l.column,
                        pointer: l.pointer,
                    }
                })
                .collect(),
            in_scope_paths: list(p.in_scope_paths()),
            out_of_scope: list(p.out_of_scope()),
            done_means: list(p.done_means()),
            test_plan: list(p.test_plan()),
            bootstrap: ShowBootstrap {
                files_to_open: list(bootstrap.files_to_open),
                search_terms: list(bootstrap.search_terms),
                run_commands: list(bootstrap.run_commands),
                risk_map: list(bootstrap.risk_map),
            },
            dependencies: p
                .dependencies()
                .iter()
                .map(|d| {
                    let l = p.location_of(d);
                    ShowDependency {
                        id: d.value.to_string(),
                        line: l.line,
                        column: l.column,
                        pointer: l.pointer,
                    }
                })
                .collect(),
            last_verdict: reports.counted_verdict().map(|v| verdict(p, &v)),
            validation_reports: show_reports(p, &reports),
            current_state: p.current_state().map(|c| ShowCurrentState {
                line: c.line,
                verdict: c.verdict.as_ref().map(|v| verdict(p, v)),
                blockers: c.blockers.map(|b| b.value),
                next: c.next.map(|n| n.value),
            }),
            spec_version: spec_version.as_ref().map(|s| s.value.clone()),
            locations: ShowLocations {
                task_id: task_id.map(|t| where_(t.line, t.column)),
                risk_tier: tier.map(|t| where_(t.line, t.column)),
                spec_version: spec_version.map(|s| where_(s.line, s.column)),
            },
            what: p.what().as_ref().map(at),
            why: p.why().as_ref().map(at),
            rollback_hint: p.rollback_hint().as_ref().map(at),
            validation: p
                .validation_entries()
                .iter()
                .map(|e| validation_entry(p, e))
                .collect(),
            manifest: p
                .manifest()
                .into_iter()
                .map(|m| {
                    let opt = |s: Option<Spanned<String>>| s.as_ref().map(at);
                    ShowManifestEntry {
                        target: at(&m.target),
                        start: opt(m.start),
                        end: opt(m.end),
                        line_delta: opt(m.line_delta),
                        pre_sha1: opt(m.pre_sha1),
                        post_sha1: opt(m.post_sha1),
                        gates: m
                            .gates
                            .into_iter()
                            .map(|g| ShowGate {
                                name: g.value.1,
                                checked: g.value.0,
                                line: g.line,
                                column: g.column,
                            })
                            .collect(),
                    }
                })
                .collect(),
            reviews: p
                .review_records()
                .into_iter()
                .map(|r| ShowReview {
                    kind: r.kind,
                    outcome: r.outcome,
                    text: r.text,
                    line: r.line,
                    column: r.column,
                })
                .collect(),
            evidence: p
                .evidence()
                .into_iter()
                .map(|e| ShowEvidence {
                    requirement: e.requirement.as_ref().map(at),
                    refs: e
                        .refs
                        .into_iter()
                        .map(|r| ShowEvidenceRef {
                            path: r.value.path,
                            start: r.value.start,
                            end: r.value.end,
                            line: r.line,
                            column: r.column,
                        })
                        .collect(),
                })
                .collect(),
            waivers: p.waivers().map(|w| ShowWaivers {
                line: w.line,
                entries: list(w.entries),
            }),
            merge_base_sha: p.merge_base_sha().as_ref().map(at),
            packet_format_version: p.packet_format_version().as_ref().map(at),
        }
    }
}

fn located(p: &Packet, s: &Spanned<String>) -> Located {
    let Location {
        line,
        column,
        pointer,
    } = p.location_of(s);
    Located {
        value: s.value.clone(),
        line,
        column,
        pointer,
    }
}

fn verdict(p: &Packet, v: &Spanned<Verdict>) -> ShowVerdict {
    let l = p.location_of(v);
    ShowVerdict {
        verdict: v.value,
        line: l.line,
        column: l.column,
        pointer: l.pointer,
    }
}

fn validation_entry(p: &Packet, e: &ValidationEntry) -> ShowValidationEntry {
    let at = |s: &Option<Spanned<String>>| s.as_ref().map(|s| located(p, s));
    ShowValidationEntry {
        line: e.line(),
        command: at(&e.command),
        result: at(&e.result),
        outcome: e
            .result
            .as_ref()
            .filter(|r| !r.value.is_empty())
            .map(|r| Outcome::parse(&r.value)),
        notes: at(&e.notes),
        blank: e.is_blank(),
    }
}

/// Every report, which one counted and why, what superseded what.
fn show_reports(p: &Packet, r: &Reports) -> ShowReports {
    let reports = r
        .list
        .iter()
        .enumerate()
        .map(|(k, rep)| {
            let by = r
                .superseded
                .iter()
                .find(|(s, _)| *s == k)
                .map(|(_, b)| r.list[*b].line);
            let at = p.location_of(&rep.verdict);
            ShowReport {
                line: rep.line,
                title: rep.title.clone(),
                timestamp: rep
                    .timestamp
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()),
                verdict: rep.verdict.value,
                verdict_line: rep.verdict.line,
                verdict_column: at.column,
                verdict_pointer: at.pointer,
                counted: r.counted == Some(k),
                superseded_by_line: by,
                claims: rep
                    .claims
                    .iter()
                    .map(|c| ShowClaim {
                        line: c.line,
                        text: c.text.clone(),
                        names_a_report: c.target != Target::Unnamed,
                    })
                    .collect(),
            }
        })
        .collect();
    ShowReports {
        counted: r.counted_report().map(|c| ShowCountedReport {
            line: c.line,
            title: c.title.clone(),
            verdict: c.verdict.value,
            verdict_line: c.verdict.line,
            why: r.why,
            reason: r.why.map(|w| Why::describe(w).to_string()),
        }),
        reports,
    }
}

/// The status in the one spelling `status` and `phase-gate` use, with the packet's own
/// wording when it differs (`Ready for Dev (written `Ready-for-Dev`)`).
fn status_line(status: Option<&ShowStatus>) -> String {
    let Some(s) = status else {
        return "-".into();
    };
    let label = s
        .canonical
        .as_deref()
        .and_then(crate::model::status::StatusKind::from_key)
        .map(|k| k.label());
    match label {
        Some(l) if l == s.raw => l.to_string(),
        Some(l) => format!("{l} (written `{}`)", s.raw),
        None => format!("{} (not a status gov recognises)", s.raw),
    }
}

fn human(v: &ShowPacket) -> Vec<String> {
    let mut out = vec![format!("{} ({})", v.id, v.path)];
    for (label, field) in [("what:", &v.what), ("why:", &v.why)] {
        if let Some(text) = field {
            out.push(format!("  {label:<14}{}", first_line(&text.value)));
        }
    }
    out.push(format!(
        "  status:       {}",
        status_line(v.status.as_ref())
    ));
    out.push(format!(
        "  risk tier:    {}",
        v.risk_tier.as_deref().unwrap_or("-")
    ));
    out.push(match &v.signature {
        Some(s) => format!("  signature:    {} ({})", s.value, state_word(s.state)),
        None => "  signature:    - (missing)".to_string(),
    });
    let anchors: Vec<&str> = v.spec_anchors.iter().map(|a| a.anchor.as_str()).collect();
    out.push(format!("  spec anchors: {}", or_dash(&anchors.join(", "))));
    let verdict = v
        .last_verdict
        .as_ref()
        .map_or("none", |l| l.verdict.as_str());
    out.push(format!("  last verdict: {verdict}"));
    let reports = &v.validation_reports;
    if let Some(c) = &reports.counted {
        let n = reports.reports.len();
        out.push(format!(
            "  counted:      verdict at line {} in `{}` ({} {}: {})",
            c.verdict_line,
            c.title,
            n,
            if n == 1 { "report" } else { "reports" },
            c.reason.as_deref().unwrap_or("")
        ));
        for r in &reports.reports {
            if let Some(by) = r.superseded_by_line {
                out.push(format!(
                    "  superseded:   line {} `{}` ({}) by the report at line {by}",
                    r.line,
                    r.title,
                    r.verdict.as_str()
                ));
            }
        }
    }
    if let Some(c) = &v.current_state {
        out.push(format!(
            "  current state: line {}, verdict {}, next: {}",
            c.line,
            c.verdict.as_ref().map_or("-", |v| v.verdict.as_str()),
            c.next.as_deref().unwrap_or("-")
        ));
    }
    let deps: Vec<&str> = v.dependencies.iter().map(|d| d.id.as_str()).collect();
    out.push(format!("  depends on:   {}", or_dash(&deps.join(", "))));
    for (label, items) in [
        ("IN_SCOPE_PATHS", &v.in_scope_paths),
        ("OUT_OF_SCOPE", &v.out_of_scope),
        ("DONE_MEANS", &v.done_means),
        ("TEST_PLAN", &v.test_plan),
        ("FILES_TO_OPEN", &v.bootstrap.files_to_open),
        ("SEARCH_TERMS", &v.bootstrap.search_terms),
        ("RUN_COMMANDS", &v.bootstrap.run_commands),
        ("RISK_MAP", &v.bootstrap.risk_map),
    ] {
        list(&mut out, label, items);
    }
    out
}

fn state_word(s: SignatureState) -> &'static str {
    match s {
        SignatureState::Given => "given",
        SignatureState::Pending => "pending",
        SignatureState::Unsigned => "unsigned",
    }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

/// The first line of a multi-line value, marked when more follows.
fn first_line(s: &str) -> String {
    match s.split_once('\n') {
        Some((first, _)) => format!("{first} …"),
        None if s.is_empty() => "-".to_string(),
        None => s.to_string(),
    }
}

fn list(out: &mut Vec<String>, label: &str, items: &[Located]) {
    out.push(format!("  {label} ({})", items.len()));
    for i in items {
        out.push(format!("    {}  {}", i.line, i.value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::packet::test_packet;

    #[test]
    fn the_schema_describes_each_field_from_its_doc_comment() {
        let schema = serde_json::to_value(schemars::schema_for!(ShowData)).unwrap();
        let text = schema.to_string();
        assert!(
            text.contains("ROLLBACK_HINT: how to undo the work."),
            "{text}"
        );
        assert!(text.contains("JSON Pointer of the value"));
    }

    #[test]
    fn every_new_field_is_shown_with_its_location() {
        let p = test_packet(
            "- What: Add login.\n- Why: §3.1.\n- ROLLBACK_HINT: git revert abc\n## VALIDATION\n- Command: cargo test\n- Result: FAIL (1 of 8)\n## EVIDENCE_MAPPING\n- login accepts JSON\n  EVIDENCE: src/a.rs:4-9\n",
        );
        let v = serde_json::to_value(ShowPacket::of(&p)).unwrap();
        assert_eq!(
            v["what"],
            serde_json::json!({"value": "Add login.", "line": 1, "column": 9})
        );
        assert_eq!(v["rollback_hint"]["value"], "git revert abc");
        assert_eq!(v["validation"][0]["outcome"], "FAIL");
        assert_eq!(v["validation"][0]["result"]["line"], 6);
        assert_eq!(
            v["evidence"][0]["refs"][0],
            serde_json::json!({"path": "src/a.rs", "start": 4, "end": 9, "line": 9, "column": 13})
        );
        assert_eq!(
            v["evidence"][0]["requirement"]["value"],
            "login accepts JSON"
        );
        // nothing of the kind: null and empty lists, never made up
        let bare = serde_json::to_value(ShowPacket::of(&test_packet("# nothing\n"))).unwrap();
        assert!(bare["what"].is_null() && bare["rollback_hint"].is_null());
        assert_eq!(bare["validation"], serde_json::json!([]));
        assert_eq!(bare["evidence"], serde_json::json!([]));
    }
}
