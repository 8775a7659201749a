//! `gov record-refinement <WP_ID>`: validates the Technical Refinement Block in the
//! refinements folder and, when it is complete, appends a REFINEMENT event to the
//! gate state file. That event starts the turn lock: `record-signature` refuses
//! until `signatures.refinement_gap_seconds` have passed.

use super::record_signature::{lock, refinement_path, write_file};
use crate::diag::codes::gov;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::io::ReadError;
use crate::model::gate_state::format_timestamp;
use crate::model::refinement::Refinement;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::signature::refinement;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Map};
use sha2::{Digest, Sha256};

#[derive(Debug, Args)]
pub struct RecordRefinementArgs {
    /// The packet the refinement is for, e.g. WP-1-Storage-Layer
    pub wp_id: String,
}

/// The data members of `gov record-refinement --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RecordRefinementData {
    pub refinement: RefinementFile,
    /// Once the refinement is complete: the event appended to the gate state.
    #[serde(flatten)]
    pub gate_state: Option<GateStateEvent>,
}

/// The refinement file validated.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RefinementFile {
    pub path: String,
    /// `sha256:` hash of the file's bytes, as recorded in the gate state.
    pub sha256: String,
}

/// The `gate_state` member.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GateStateEvent {
    pub gate_state: GateStateWritten,
}

/// The REFINEMENT event appended to the gate state file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GateStateWritten {
    pub path: String,
    #[schemars(extend("const" = "REFINEMENT"))]
    pub event: &'static str,
    /// When it was recorded (UTC, as the gate state writes it).
    pub timestamp: String,
    /// When record-signature for the WP becomes possible (the turn lock).
    pub signature_possible_from: String,
}

pub fn run(
    args: &RecordRefinementArgs,
    repo: &Repo,
    ctx: &super::Context,
) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    let path = refinement_path(repo, &id);
    let source = repo.read_markdown(&path, "refinement").map_err(|e| match e {
        GovError::Read { error: ReadError::Missing(_), .. } => GovError::from(
            Diagnostic::new(&gov::DOC_MISSING, format!("{id} has no refinement: {path} does not exist"))
                .in_file(path.clone())
                .help(format!("write the Technical Refinement Block (GAPS_IDENTIFIED, RED_TEAM_ADVISORY, PRIMITIVES, PROPOSED_SPEC_ENRICHMENT, CLEARLY_COVERS, ENRICHMENT_NEEDED) to {path}")),
        ),
        other => other,
    })?;
    let digest = format!("sha256:{:x}", Sha256::digest(source.text.as_bytes()));
    let r = Refinement::parse(source);
    let mut report = Report::new("record-refinement", Some(id.to_string()));
    report.set_typed(RecordRefinementData {
        refinement: RefinementFile {
            path: path.clone(),
            sha256: digest.clone(),
        },
        gate_state: None,
    });
    report.extend(refinement::validate(&r, &id));
    if report.has_errors() {
        report.next = vec![
            format!("complete {path}"),
            format!("gov record-refinement {id}"),
        ];
        return Ok(report);
    }
    let gate_path = repo.layout.gate_state.clone();
    {
        let _lock = lock(repo)?;
        // exact bytes: a gate state that is not UTF-8 is refused, not rewritten lossily
        let mut state = super::lifecycle::load_gate_state_exact(repo)?
            .map(|(_, s)| s)
            .unwrap_or_default();
        let mut detail = Map::new();
        detail.insert("data".into(), json!(format!("{path} {digest}")));
        detail.insert("recordedBy".into(), json!("gov"));
        state.append(id.as_str(), "REFINEMENT", ctx.now_utc, detail);
        let file = crate::paths::resolve_inside(&repo.root, &gate_path).map_err(|u| {
            Diagnostic::new(
                &gov::PATH_ESCAPES_ROOT,
                format!("{} is refused: {}", u.path, u.reason),
            )
        })?;
        write_file(&gate_path, &file, state.to_text().as_bytes())?;
    }
    let gap = repo.config.signatures.refinement_gap_seconds;
    let ready = ctx
        .now_utc
        .checked_add_signed(chrono::Duration::seconds(gap))
        .unwrap_or(chrono::NaiveDateTime::MAX);
    report.headline = vec![
        format!(
            "recorded REFINEMENT for {id} at {} in {gate_path}",
            format_timestamp(ctx.now_utc)
        ),
        format!(
            "turn lock: record-signature for {id} is possible from {} ({gap} s)",
            format_timestamp(ready)
        ),
    ];
    report.set_typed(GateStateEvent {
        gate_state: GateStateWritten {
            path: gate_path.clone(),
            event: "REFINEMENT",
            timestamp: format_timestamp(ctx.now_utc),
            signature_possible_from: format_timestamp(ready),
        },
    });
    let approved = r.is_approved(id.as_str());
    report.next = if approved {
        vec![format!(
            "gov record-signature {id} <SIGNATURE>  (in a new turn)"
        )]
    } else {
        vec![
            format!("present the refinement to the user and wait for `APPROVE REFINEMENT {id}`"),
            format!("add `- USER_APPROVAL_EVIDENCE: APPROVE REFINEMENT {id}` to {path}"),
            format!("gov record-signature {id} <SIGNATURE>  (in a new turn)"),
        ]
    };
    Ok(report)
}
