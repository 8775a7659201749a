//! `gov pre-work <WP_ID>` — Gate 0. Loads the packet, spec, board and audit once,
//! runs every packet rule, and reports each problem (never first-failure).

use crate::diag::Report;
use crate::error::GovError;
use crate::model::packet::Packet;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::packet::{pre_work, LockTable, PacketCheck};
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
/// would be after it).
pub fn findings(
    repo: &Repo,
    ctx: &super::Context,
    packet: &Packet,
    docs: &Documents,
) -> Vec<crate::diag::Diagnostic> {
    let load = |other: &WpId| docs.packet(repo, other);
    pre_work(&PacketCheck {
        packet,
        spec: &docs.current.spec,
        board: &docs.board,
        audit: &docs.audit,
        config: &repo.config,
        root: &repo.root,
        now: ctx.now,
        locks: &docs.locks,
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

/// The documents every pre-work gate reads besides its packet. `gov check` loads them
/// once for all its pre-work gates: thousands of Ready for Dev packets must not each
/// re-read a multi-MB spec, the board and the audit, nor re-parse the blockers and
/// In Progress packets they share.
pub struct Documents {
    pub current: crate::repo::CurrentSpec,
    pub board: crate::model::board::Board,
    pub audit: crate::model::audit::SignatureAudit,
    locks: LockTable,
    /// Other packets the rules looked up (blockers, file locks), each loaded once.
    packets: Mutex<HashMap<WpId, Option<Arc<Packet>>>>,
}

impl Documents {
    pub fn new(
        current: crate::repo::CurrentSpec,
        board: crate::model::board::Board,
        audit: crate::model::audit::SignatureAudit,
    ) -> Documents {
        Documents {
            locks: LockTable::of(&board),
            current,
            board,
            audit,
            packets: Mutex::new(HashMap::new()),
        }
    }

    /// The three documents, each on its own thread.
    pub fn load(repo: &Repo) -> Result<Documents, GovError> {
        Documents::load_beside(repo, || ()).0
    }

    /// Another packet by id, loaded at most once; `None` when it cannot be loaded.
    fn packet(&self, repo: &Repo, id: &WpId) -> Option<Arc<Packet>> {
        let known = self.packets.lock().ok()?.get(id).cloned();
        known.unwrap_or_else(|| {
            let loaded = repo.load_packet(id).ok().map(Arc::new);
            if let Ok(mut packets) = self.packets.lock() {
                packets.insert(id.clone(), loaded.clone());
            }
            loaded
        })
    }

    /// Loads the three documents on their own threads while `meanwhile` runs on this
    /// one: they are independent, so the wall time is the slowest load, not their sum.
    pub fn load_beside<T>(
        repo: &Repo,
        meanwhile: impl FnOnce() -> T,
    ) -> (Result<Self, GovError>, T) {
        std::thread::scope(|s| {
            let spec = s.spawn(|| repo.load_spec());
            let board = s.spawn(|| repo.load_board());
            let audit = s.spawn(|| repo.load_audit());
            let other = meanwhile();
            crate::rules::packet::prepare();
            let (current, board, audit) = (join(spec), join(board), join(audit));
            let docs = (|| Ok(Documents::new(current?, board?, audit?)))();
            (docs, other)
        })
    }
}

pub fn run(args: &PreWorkArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    // an id with no packet (a typo) is reported at once, not after the spec has loaded
    let file = repo.find_packet(&id)?;
    let (docs, packet) = Documents::load_beside(repo, || repo.load_found_packet(&file));
    let (packet, docs) = (packet?, docs?);
    let report = gate(repo, ctx, &packet, &docs);
    crate::exit::release((packet, docs));
    Ok(report)
}

/// Gate 0 for one loaded packet against documents already loaded.
pub fn gate(repo: &Repo, ctx: &super::Context, packet: &Packet, docs: &Documents) -> Report {
    let id = &packet.id;
    let spec = &docs.current.spec;
    let mut report = Report::new("pre-work", Some(id.to_string()));
    report.extend(findings(repo, ctx, packet, docs));
    report.headline = vec![format!(
        "pre-work {id}: {} against {} ({})",
        packet.path,
        spec.path,
        spec.version.as_deref().unwrap_or("unversioned")
    )];
    report.set_typed(PreWorkData {
        packet_path: packet.path.clone(),
        spec: SpecRef {
            path: spec.path.clone(),
            version: spec.version.clone(),
        },
    });
    report.next = if report.has_errors() {
        vec![format!("gov show {id}"), format!("gov pre-work {id}")]
    } else {
        vec![format!("gov post-work {id}")]
    };
    report
}
