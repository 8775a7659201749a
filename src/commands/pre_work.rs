//! `gov pre-work <WP_ID>` — Gate 0. Loads the packet, spec, board and audit once,
//! runs every packet rule, and reports each problem (never first-failure).

use crate::diag::Report;
use crate::error::GovError;
use crate::model::packet::Packet;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::packet::{pre_work, PacketCheck};
use clap::Args;
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Debug, Args)]
pub struct PreWorkArgs {
    /// The packet id, e.g. WP-1-Storage-Layer
    pub wp_id: String,
}

pub fn run(args: &PreWorkArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let id = WpId::parse(&args.wp_id)?;
    let packet = repo.load_packet(&id)?;
    let current = repo.load_spec()?;
    let board = repo.load_board()?;
    let audit = repo.load_audit()?;
    let cache: RefCell<HashMap<WpId, Option<Packet>>> = RefCell::new(HashMap::new());
    let load = |other: &WpId| -> Option<Packet> {
        cache
            .borrow_mut()
            .entry(other.clone())
            .or_insert_with(|| repo.load_packet(other).ok())
            .clone()
    };
    let check = PacketCheck {
        packet: &packet,
        spec: &current.spec,
        board: &board,
        audit: &audit,
        config: &repo.config,
        root: &repo.root,
        now: ctx.now,
        load: &load,
    };
    let mut report = Report::new("pre-work", Some(id.to_string()));
    report.extend(pre_work(&check));
    report.headline = vec![format!(
        "pre-work {id}: {} against {} ({})",
        packet.path,
        current.spec.path,
        current.spec.version.as_deref().unwrap_or("unversioned")
    )];
    report.set_data("packet_path", serde_json::json!(packet.path));
    report.set_data(
        "spec",
        serde_json::json!({"path": current.spec.path, "version": current.spec.version}),
    );
    report.next = if report.has_errors() {
        vec![format!("gov show {id}"), format!("gov pre-work {id}")]
    } else {
        vec![format!("gov post-work {id}")]
    };
    Ok(report)
}
