//! `gov pre-work <WP_ID>` — Gate 0. Loads the packet, spec, board and audit once,
//! runs every packet rule, and reports each problem (never first-failure).

use crate::diag::Report;
use crate::error::GovError;
use crate::model::packet::Packet;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::packet::{pre_work, PacketCheck};
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Debug, Args)]
pub struct PreWorkArgs {
    /// The packet id, e.g. WP-1-Storage-Layer
    pub wp_id: String,
}

/// A loader thread's result; a loader that panicked is an internal error, not a crash.
fn join<T>(h: std::thread::ScopedJoinHandle<'_, Result<T, GovError>>) -> Result<T, GovError> {
    h.join().unwrap_or_else(|_| {
        Err(crate::diag::Diagnostic::new(
            &crate::diag::codes::gov::INTERNAL,
            "a document loader failed unexpectedly",
        )
        .into())
    })
}

/// Every pre-work rule over documents already loaded (or, for a lifecycle move, as they
/// would be after it). Packets the rules look up (blockers) are loaded once each.
pub fn findings(
    repo: &Repo,
    ctx: &super::Context,
    packet: &Packet,
    spec: &crate::model::spec::Spec,
    board: &crate::model::board::Board,
    audit: &crate::model::audit::SignatureAudit,
) -> Vec<crate::diag::Diagnostic> {
    let cache: RefCell<HashMap<WpId, Option<Packet>>> = RefCell::new(HashMap::new());
    let load = |other: &WpId| -> Option<Packet> {
        cache
            .borrow_mut()
            .entry(other.clone())
            .or_insert_with(|| repo.load_packet(other).ok())
            .clone()
    };
    pre_work(&PacketCheck {
        packet,
        spec,
        board,
        audit,
        config: &repo.config,
        root: &repo.root,
        now: ctx.now,
        load: &load,
    })
}

/// The data members of `gov pre-work --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PreWorkData {
    /// The packet checked, relative to the repository root.
    pub packet_path: String,
    /// The current spec the packet was checked against.
    pub spec: SpecRef,
}

/// A spec file and the version its pointer or file name gives it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpecRef {
    pub path: String,
    /// `v2.3`-style version, or null when the spec is unversioned.
    pub version: Option<String>,
}

pub fn run(args: &PreWorkArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    // The four documents are independent; a multi-MB spec and a long board or audit
    // parse in parallel, so the gate's wall time is the slowest load, not their sum.
    let (packet, current, board, audit) = std::thread::scope(|s| {
        let spec = s.spawn(|| repo.load_spec());
        let board = s.spawn(|| repo.load_board());
        let audit = s.spawn(|| repo.load_audit());
        let packet = repo.load_packet(&id);
        crate::rules::packet::prepare();
        (packet, join(spec), join(board), join(audit))
    });
    let (packet, current, board, audit) = (packet?, current?, board?, audit?);
    let mut report = Report::new("pre-work", Some(id.to_string()));
    report.extend(findings(repo, ctx, &packet, &current.spec, &board, &audit));
    report.headline = vec![format!(
        "pre-work {id}: {} against {} ({})",
        packet.path,
        current.spec.path,
        current.spec.version.as_deref().unwrap_or("unversioned")
    )];
    report.set_typed(PreWorkData {
        packet_path: packet.path.clone(),
        spec: SpecRef {
            path: current.spec.path.clone(),
            version: current.spec.version.clone(),
        },
    });
    report.next = if report.has_errors() {
        vec![format!("gov show {id}"), format!("gov pre-work {id}")]
    } else {
        vec![format!("gov post-work {id}")]
    };
    Ok(report)
}
