//! `gov signatures verify`: a read-only audit of the whole repository's signatures —
//! the audit table against itself and against every packet, including the
//! locked-section hashes recorded at signing.

use crate::diag::Report;
use crate::error::GovError;
use crate::repo::Repo;
use crate::rules::inventory::load_facts;
use crate::rules::signature::verify::Summary;
use crate::rules::signature::verify::{verify, SignedFacts};
use clap::{Args, Subcommand};
use schemars::JsonSchema;
use serde::Serialize;

/// The data members of `gov signatures verify --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SignaturesData {
    /// The signature audit, relative to the repository root.
    pub audit_path: String,
    pub signatures: Summary,
}

#[derive(Debug, Args)]
pub struct SignaturesArgs {
    #[command(subcommand)]
    pub action: SignaturesAction,
}

#[derive(Debug, Subcommand)]
pub enum SignaturesAction {
    /// Check the audit and every packet: reuse, unrecorded or doubly cited
    /// signatures, unreadable rows, impossible dates, edited signed packets
    Verify,
}

pub fn run(args: &SignaturesArgs, repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    match args.action {
        SignaturesAction::Verify => run_verify(repo, ctx),
    }
}

fn run_verify(repo: &Repo, ctx: &super::Context) -> Result<Report, GovError> {
    let audit = repo.load_audit()?;
    let mut report = Report::new("signatures verify", None);
    // one copy per packet id (a packet's own twin is not a second citation); each is
    // read, parsed and reduced to its facts on a worker thread, in input order, so the
    // parsed documents never accumulate; the facts are cached per packet
    let (_, loaded) = load_facts::<SignedFacts>(repo, "signed");
    let mut packets = Vec::with_capacity(loaded.len());
    for l in loaded {
        match l {
            Ok(l) => {
                packets.push(l.facts);
                report.extend(l.notes);
            }
            // an unreadable packet is reported, never silently skipped
            Err(e) => report.push(e.diagnostic()),
        }
    }
    let (diags, summary) = verify(
        &audit,
        &packets,
        ctx.now,
        repo.config.signatures.clock_skew_minutes,
    );
    report.extend(diags);
    report.headline = vec![
        format!(
            "signatures verify: {} audit rows in {}, {} packets ({} signed)",
            summary.audit_rows, audit.path, summary.packets, summary.signed_packets
        ),
        format!(
            "locked sections: {} unchanged, {} changed, {} without a recorded hash (legacy rows)",
            summary.locks_verified, summary.locks_changed, summary.locks_not_recorded
        ),
    ];
    report.set_typed(SignaturesData {
        audit_path: audit.path.clone(),
        signatures: summary,
    });
    let mut codes: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.code)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    report.next = codes.iter().map(|c| format!("gov explain {c}")).collect();
    Ok(report)
}
