//! The refinement that must precede a packet signature, and the turn lock: the
//! refinement is approved and asks for no enrichment, was recorded with
//! `gov record-refinement`, and long enough ago.

use crate::config::LayoutName;
use crate::diag::codes::refinement as rcode;
use crate::diag::Diagnostic;
use crate::error::GovError;
use crate::model::gate_state::GateState;
use crate::model::refinement::Refinement;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::signature::refinement;

/// The refinement and the turn lock: approved, no pending enrichment, recorded, and
/// recorded long enough ago.
pub fn approval(
    repo: &Repo,
    id: &WpId,
    ctx: &crate::commands::Context,
) -> Result<Vec<Diagnostic>, GovError> {
    let cfg = &repo.config.signatures;
    let required = cfg
        .require_refinement
        .unwrap_or(repo.layout.name == LayoutName::Dotgov);
    let path = refinement_path(repo, id);
    let mut out = Vec::new();
    if repo.exists(&path) {
        let r = Refinement::parse(repo.read_markdown(&path, "refinement")?);
        out.extend(refinement::approval(&r, id));
    } else if required {
        out.push(Diagnostic::new(&rcode::REFINEMENT_MISSING, format!("{id} has no refinement ({path}), and this repository requires one before a signature")).in_file(path.clone()));
        return Ok(out);
    }
    let last = load_gate_state(repo)?.last(id.as_str(), "REFINEMENT");
    match last {
        Some(e) => {
            let gap = cfg.refinement_gap_seconds;
            let elapsed = (ctx.now_utc - e.at).num_seconds();
            if elapsed < gap {
                // a timestamp at the end of time must not overflow the addition
                let ready = e
                    .at
                    .checked_add_signed(chrono::Duration::seconds(gap))
                    .unwrap_or(chrono::NaiveDateTime::MAX);
                out.push(
                    Diagnostic::new(&rcode::REFINEMENT_TOO_RECENT, format!(
                        "record-refinement for {id} ran {elapsed} s ago ({} UTC); the signature may be recorded {gap} s after it, from {} UTC",
                        e.at.format("%Y-%m-%d %H:%M:%S"),
                        ready.format("%Y-%m-%d %H:%M:%S")
                    ))
                    .in_file(repo.layout.gate_state.clone()),
                );
            }
        }
        None if required => out.push(
            Diagnostic::new(&rcode::REFINEMENT_NOT_RECORDED, format!("no REFINEMENT event for {id} in {}", repo.layout.gate_state))
                .in_file(repo.layout.gate_state.clone())
                .help(format!("run `gov record-refinement {id}`, present the refinement, and record the signature in a new turn")),
        ),
        None => {}
    }
    Ok(out)
}

/// Where a packet's refinement is: the folder form `WP-ID/refinement.md` (the newer
/// layout, preferred when both exist), else the flat `WP-ID.md`. A missing refinement
/// is named by the flat form, which every layout knows.
pub fn refinement_path(repo: &Repo, id: &WpId) -> String {
    let folder = format!("{}/{id}/refinement.md", repo.layout.refinements);
    if repo.exists(&folder) {
        return folder;
    }
    format!("{}/{id}.md", repo.layout.refinements)
}

/// The gate state file, or an empty one when it does not exist yet.
pub fn load_gate_state(repo: &Repo) -> Result<GateState, GovError> {
    let path = &repo.layout.gate_state;
    // configured beside the repository (`../gov_runtime/...`): never read from there
    if path.starts_with("../") {
        repo.warn(
            Diagnostic::new(
                &crate::diag::codes::gov::GATE_STATE_NOT_AVAILABLE,
                format!("the gate state {path} is outside the repository; gov does not read it (not available)"),
            )
            .in_file(path.clone()),
        );
        return Ok(GateState::default());
    }
    if !repo.exists(path) {
        return Ok(GateState::default());
    }
    let source = repo.read(path, "gate state")?;
    GateState::parse(&source.text).map_err(|e| {
        Diagnostic::new(
            &rcode::GATE_STATE_INVALID,
            format!("{path} cannot be read: {}", e.reason),
        )
        .at(path.clone(), e.line, e.column)
        .into()
    })
}
