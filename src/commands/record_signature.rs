//! `gov record-signature <WP_ID> <SIGNATURE>`: consumes a one-time user signature.
//! Every refusal happens before anything is written. Under one exclusive lock the
//! audit and the packet are re-read, the packet's pending USER_SIGNATURE is filled
//! and the audit row is appended, each file written atomically; if the audit cannot
//! be written the packet is restored, so the two never disagree (a run killed
//! between the writes is completed by running it again).

mod search;
mod turn_lock;
mod write;

pub use turn_lock::{load_gate_state, refinement_path};
pub(crate) use write::{lock, write_file, Exact};

use crate::diag::codes::{gov, sig};
use crate::diag::{Diagnostic, Report};
use crate::edit::{fill_signature, FillError};
use crate::error::GovError;
use crate::model::audit::{NewRow, SignatureAudit};
use crate::model::packet::Packet;
use crate::model::signature::Signature;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::signature::given;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use std::time::Duration;

pub use search::MAX_SEARCH_BYTES;

/// How long a writer waits for another gov process to release the lock.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Args)]
#[command(allow_missing_positional = true)]
pub struct RecordSignatureArgs {
    /// The packet being signed, e.g. WP-1-Storage-Layer (may be omitted with --purpose)
    pub wp_id: Option<String>,
    /// The user's signature: {username}{DDMMYYYYHHMM}, e.g. alice151220251430
    pub signature: String,
    /// Who consumed the signature (the audit's Used By cell)
    #[arg(long, default_value = "Orchestrator", value_name = "ROLE")]
    pub by: String,
    /// What the signature approves. Without a packet (no WP_ID, or no packet file
    /// for it), only the audit row is written: use it for a spec enrichment.
    #[arg(long, value_name = "TEXT")]
    pub purpose: Option<String>,
}

/// What is being signed.
pub(super) enum Subject {
    Packet(Box<Packet>),
    /// A use that is not a packet (`--purpose`): the audit row alone.
    Purpose,
}

/// The data members of `gov record-signature --format json`. Each appears once its
/// step is done: `search` after the search for earlier uses, `signature` and `audit`
/// once the audit row is written, `packet` once the packet is filled and locked.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct RecordSignatureData {
    /// The one-time search for earlier uses of the signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "search::Searched")]
    pub search: Option<search::Searched>,
    #[serde(flatten)]
    pub recorded: Option<Recorded>,
    /// The packet signed and the hash of its locked sections.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "PacketLocked")]
    pub packet: Option<PacketLocked>,
}

/// The signature recorded and the audit row written.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Recorded {
    /// The signature as given.
    pub signature: String,
    pub audit: AuditWritten,
}

/// Where the audit row was written.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditWritten {
    pub path: String,
    /// 1-based line of the new row.
    pub line: usize,
    pub row: NewRow,
}

/// The packet signed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PacketLocked {
    pub path: String,
    /// `sha256:` hash of DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS and OUT_OF_SCOPE.
    pub locked_sections: String,
}

pub fn run(
    args: &RecordSignatureArgs,
    repo: &Repo,
    ctx: &super::Context,
) -> Result<Report, GovError> {
    let id = args.wp_id.as_deref().map(WpId::parse).transpose()?;
    let target = id
        .as_ref()
        .map_or_else(|| args.signature.clone(), |i| i.to_string());
    let mut report = Report::new("record-signature", Some(target));
    if id.is_none() && args.purpose.is_none() {
        return Err(Diagnostic::new(
            &gov::USAGE,
            "record-signature needs the WP_ID of the packet being signed, or --purpose for a use that is not a packet",
        )
        .help("e.g. `gov record-signature WP-1-Login alice151220251430` or `gov record-signature alice151220251430 --purpose \"Spec enrichment v1.2\"`")
        .into());
    }
    let signature = match given::check(
        &args.signature,
        ctx.now,
        repo.config.signatures.clock_skew_minutes,
    ) {
        Ok(s) => s,
        Err(d) => {
            report.push(*d);
            return Ok(report);
        }
    };
    let audit = repo.load_audit()?;
    let spec_version = repo
        .load_pointer()?
        .version
        .unwrap_or_else(|| "unversioned".into());
    let subject = subject(repo, id.as_ref(), args, &mut report)?;
    if let (Subject::Packet(p), Some(id)) = (&subject, &id) {
        report.extend(turn_lock::approval(repo, id, ctx)?);
        report.extend(fillable(p, &signature).err().map(|d| *d));
    }
    // the approval's own documents may already cite the signature (the seed's grep
    // "should return only the lines you are about to add")
    let skip: Vec<String> = match (&subject, &id) {
        (Subject::Packet(p), Some(id)) => {
            vec![p.path.clone(), turn_lock::refinement_path(repo, id)]
        }
        _ => Vec::new(),
    };
    if report.has_errors() {
        return Ok(report);
    }
    if let Some(d) = previous_use(repo, &audit, &signature, &skip, &mut report) {
        report.push(d);
        return Ok(report);
    }
    let purpose = args.purpose.clone().unwrap_or_else(|| match &id {
        Some(id) => format!("Task packet creation: {id}"),
        None => String::new(),
    });
    let row = NewRow {
        signature: signature.raw.clone(),
        used_by: args.by.clone(),
        timestamp: ctx.now_utc.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        purpose,
        spec_version,
        evidence: String::new(),
    };
    write::commit(repo, &subject, &signature, row, &mut report)?;
    if let (Subject::Packet(p), false) = (&subject, report.has_errors()) {
        report.next = vec![format!("gov pre-work {}", p.id)];
    }
    Ok(report)
}

/// The packet to sign, or the audit-only subject of a `--purpose` use. A missing
/// packet without `--purpose` is a refusal (exit 1), reported into `report`.
fn subject(
    repo: &Repo,
    id: Option<&WpId>,
    args: &RecordSignatureArgs,
    report: &mut Report,
) -> Result<Subject, GovError> {
    let Some(id) = id else {
        return Ok(Subject::Purpose);
    };
    if let Some(file) = repo.packet_file(id) {
        // gov edits Markdown packets only; packet.json belongs to the project's tools
        if file.form.is_json() {
            return Err(Diagnostic::new(
                &gov::PACKET_JSON_READ_ONLY,
                format!(
                    "{id} exists only as {}; gov does not write into packet.json",
                    file.path
                ),
            )
            .in_file(file.path)
            .into());
        }
        return Ok(Subject::Packet(Box::new(repo.load_packet(id)?)));
    }
    if args.purpose.is_none() {
        let stub = repo
            .stub_path(id)
            .map(|s| format!(" ({id} is a stub, {s}: activate it first)"))
            .unwrap_or_default();
        report.push(
            Diagnostic::new(
                &gov::UNKNOWN_PACKET,
                format!("there is no packet {id} to sign in {}{stub}", repo.layout.packets),
            )
            .help(format!("create it with `gov create-task-packet {id}` and sign it then, or pass --purpose \"...\" for a use that is not a packet (e.g. a spec enrichment)")),
        );
    }
    Ok(Subject::Purpose)
}

/// The packet text with the signature filled in, or why it cannot be.
pub(super) fn fillable(p: &Packet, signature: &Signature) -> Result<String, Box<Diagnostic>> {
    fill_signature(p, &signature.raw).map_err(|e| {
        Box::new(match e {
            FillError::AlreadySigned { token, line } => Diagnostic::new(
                &sig::PACKET_ALREADY_SIGNED,
                format!("{} is already signed with `{token}`", p.id),
            )
            .at_line(p.path.clone(), line)
            .help(format!(
            "signed packets are immutable: create {} with `gov create-task-packet` and sign that",
            p.id.base()
                .with_variant(p.id.variant().map_or(2, |v| v + 1))
        )),
            FillError::NoField => Diagnostic::new(
                &sig::NO_SIGNATURE_FIELD,
                format!(
                    "{} has no USER_SIGNATURE (or Signature & Enrichment Log `Signature:`) to fill",
                    p.id
                ),
            )
            .in_file(p.path.clone()),
        })
    })
}

/// The first earlier use: an audit row, else any tracked file.
fn previous_use(
    repo: &Repo,
    audit: &SignatureAudit,
    signature: &Signature,
    skip: &[String],
    report: &mut Report,
) -> Option<Diagnostic> {
    if let Some(row) = audit.rows_for(&signature.raw).next() {
        return Some(already_used(
            &signature.raw,
            &audit.path,
            row.line,
            1,
            "recorded in the signature audit",
        ));
    }
    let extra: Vec<String> = repo
        .load_pointer()
        .ok()
        .and_then(|p| repo.spec_path(&p))
        .into_iter()
        .collect();
    let (found, searched) =
        search::first_use(&repo.root, &repo.layout, &extra, &signature.raw, skip);
    report.set_typed(RecordSignatureData {
        search: Some(searched.clone()),
        ..RecordSignatureData::default()
    });
    if searched.method == "work-tree" {
        // never a silent change of what "used before" means: say it in every format
        report.push(Diagnostic::new(
            &sig::SEARCH_WIDENED,
            format!(
                "{}; the one-time search read every file of the work tree ({} files) instead of the tracked files",
                searched.note.as_deref().unwrap_or("the git index could not be read"),
                searched.files
            ),
        ));
    }
    found.map(|u| {
        already_used(
            &signature.raw,
            &u.path,
            u.line,
            u.column,
            "found in a tracked file",
        )
    })
}

pub(super) fn already_used(
    signature: &str,
    path: &str,
    line: usize,
    column: usize,
    how: &str,
) -> Diagnostic {
    Diagnostic::new(
        &sig::SIGNATURE_ALREADY_USED,
        format!("`{signature}` was used before: {how}, first at {path}:{line}"),
    )
    .at(path.to_string(), line, column)
}
