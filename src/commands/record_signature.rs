//! `gov record-signature <WP_ID> <SIGNATURE>`: consumes a one-time user signature.
//! Every refusal happens before anything is written. Under one exclusive lock the
//! audit and the packet are re-read, the audit row is appended and the packet's
//! pending USER_SIGNATURE is filled, each file written atomically; if the packet
//! cannot be written the audit is restored, so the two never disagree.

mod search;

use crate::config::LayoutName;
use crate::diag::codes::{gov, refinement as rcode, sig};
use crate::diag::{Diagnostic, Report};
use crate::edit::{fill_signature, insert_audit_row, FillError};
use crate::error::GovError;
use crate::io::{write_atomic, RepoLock};
use crate::model::audit::{NewRow, SignatureAudit};
use crate::model::gate_state::GateState;
use crate::model::locked::locked_hash;
use crate::model::packet::{Packet, SignatureValue};
use crate::model::refinement::Refinement;
use crate::model::signature::Signature;
use crate::model::wp_id::WpId;
use crate::repo::Repo;
use crate::rules::signature::{given, refinement};
use crate::text::Source;
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
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
enum Subject {
    Packet(Box<Packet>),
    /// A use that is not a packet (`--purpose`): the audit row alone.
    Purpose,
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
        report.extend(approval(repo, id, ctx)?);
        report.extend(fillable(p, &signature).err().map(|d| *d));
    }
    let skip = match &subject {
        Subject::Packet(p) if holds(p, &signature.raw) => Some(p.path.clone()),
        _ => None,
    };
    if report.has_errors() {
        return Ok(report);
    }
    if let Some(d) = previous_use(repo, &audit, &signature, skip.as_deref(), &mut report) {
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
    commit(repo, &subject, &signature, row, &mut report)?;
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
    if repo.packet_path(id)?.is_some() {
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

/// Whether the packet already carries this signature (recording it late: Error 6).
fn holds(p: &Packet, signature: &str) -> bool {
    matches!(p.signature().map(|s| s.value), Some(SignatureValue::Given(t)) if t == signature)
}

/// The packet text with the signature filled in, or why it cannot be.
fn fillable(p: &Packet, signature: &Signature) -> Result<String, Box<Diagnostic>> {
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

/// The refinement and the turn lock: approved, no pending enrichment, recorded, and
/// recorded long enough ago.
fn approval(repo: &Repo, id: &WpId, ctx: &super::Context) -> Result<Vec<Diagnostic>, GovError> {
    let cfg = &repo.config.signatures;
    let required = cfg
        .require_refinement
        .unwrap_or(repo.layout.name == LayoutName::Dotgov);
    let path = refinement_path(repo, id);
    let mut out = Vec::new();
    if repo.exists(&path) {
        let r = Refinement::parse(repo.read(&path, "refinement")?);
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
                let ready = e.at + chrono::Duration::seconds(gap);
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

pub fn refinement_path(repo: &Repo, id: &WpId) -> String {
    format!("{}/{id}.md", repo.layout.refinements)
}

/// The gate state file, or an empty one when it does not exist yet.
pub fn load_gate_state(repo: &Repo) -> Result<GateState, GovError> {
    let path = &repo.layout.gate_state;
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

/// The first earlier use: an audit row, else any tracked file.
fn previous_use(
    repo: &Repo,
    audit: &SignatureAudit,
    signature: &Signature,
    skip: Option<&str>,
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
    report.set_data("search", json!(searched));
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

fn already_used(signature: &str, path: &str, line: usize, column: usize, how: &str) -> Diagnostic {
    Diagnostic::new(
        &sig::SIGNATURE_ALREADY_USED,
        format!("`{signature}` was used before: {how}, first at {path}:{line}"),
    )
    .at(path.to_string(), line, column)
}

/// A file as it is on disk: exact bytes (for rollback), the text and its BOM.
struct Exact {
    rel: String,
    path: PathBuf,
    bytes: Vec<u8>,
    text: String,
    bom: bool,
}

impl Exact {
    fn read(repo: &Repo, rel: &str, what: &'static str) -> Result<Exact, GovError> {
        let source = repo.read(rel, what)?;
        let path = repo.root.join(rel);
        let bytes = std::fs::read(&path).map_err(|e| GovError::Read {
            what,
            error: crate::io::ReadError::Io(rel.to_string(), e),
        })?;
        if source.invalid_utf8_at.is_some() {
            return Err(Diagnostic::new(
                &gov::WRITE_FAILED,
                format!("the {what} {rel} is not valid UTF-8; gov will not rewrite it"),
            )
            .in_file(rel.to_string())
            .help("re-save the file as UTF-8, then run the command again")
            .into());
        }
        Ok(Exact {
            rel: rel.to_string(),
            bom: bytes.starts_with(b"\xEF\xBB\xBF"),
            path,
            bytes,
            text: source.text,
        })
    }

    fn with_text(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// Under the lock: re-check, then write the audit and the packet.
fn commit(
    repo: &Repo,
    subject: &Subject,
    signature: &Signature,
    mut row: NewRow,
    report: &mut Report,
) -> Result<(), GovError> {
    let _lock = RepoLock::acquire(&repo.root, LOCK_TIMEOUT).map_err(|error| GovError::Lock {
        path: RepoLock::path_for(&repo.root).display().to_string(),
        error,
    })?;
    let audit_file = Exact::read(repo, &repo.layout.signature_audit, "signature audit")?;
    let audit = SignatureAudit::parse(&Source::from_string(
        repo.layout.signature_audit.clone(),
        audit_file.text.clone(),
        None,
    ));
    if let Some(r) = audit.rows_for(&signature.raw).next() {
        report.push(already_used(
            &signature.raw,
            &audit.path,
            r.line,
            1,
            "recorded in the signature audit (by a concurrent run)",
        ));
        return Ok(());
    }
    let packet = match subject {
        Subject::Packet(p) => {
            let file = Exact::read(repo, &p.path, "packet")?;
            let fresh = Packet::parse(
                p.id.clone(),
                Source::from_string(p.path.clone(), file.text.clone(), None),
            );
            let filled = match fillable(&fresh, signature) {
                Ok(t) => t,
                Err(d) => {
                    report.push(*d);
                    return Ok(());
                }
            };
            let hash = locked_hash(&Packet::parse(
                p.id.clone(),
                Source::from_string(p.path.clone(), filled.clone(), None),
            ));
            row.evidence = format!("{} {hash}", p.path);
            Some((file, filled, hash, p.path.clone()))
        }
        Subject::Purpose => None,
    };
    let inserted = insert_audit_row(&audit_file.text, &row);
    if !inserted.evidence_recorded {
        report.push(Diagnostic::new(&sig::AUDIT_NO_EVIDENCE_COLUMN, format!("{} has no Evidence or Notes column: the packet path and locked-section hash were not recorded", audit.path)).at_line(audit.path.clone(), audit.header_line.unwrap_or(1)));
    }
    write_file(
        &audit_file.rel,
        &audit_file.path,
        &audit_file.with_text(&inserted.text),
    )?;
    let audit_at = format!("{}:{}", audit.path, inserted.line);
    report
        .headline
        .push(format!("recorded `{}` in {audit_at}", signature.raw));
    report.set_data("signature", json!(signature.raw));
    report.set_data(
        "audit",
        json!({"path": audit.path, "line": inserted.line, "row": {
        "signature": row.signature, "used_by": row.used_by, "timestamp": row.timestamp,
        "purpose": row.purpose, "spec_version": row.spec_version, "evidence": row.evidence}}),
    );
    let Some((file, filled, hash, path)) = packet else {
        return Ok(());
    };
    if filled != file.text {
        if let Err(e) = write_file(&file.rel, &file.path, &file.with_text(&filled)) {
            return Err(rollback(&audit_file, &audit_at, &e));
        }
        report
            .headline
            .push(format!("filled USER_SIGNATURE in {path}"));
    } else {
        report
            .headline
            .push(format!("{path} already carried `{}`", signature.raw));
    }
    report.headline.push(format!(
        "locked DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS, OUT_OF_SCOPE: {hash}"
    ));
    report.set_data("packet", json!({"path": path, "locked_sections": hash}));
    Ok(())
}

/// Restores the audit after the packet write failed, and says what happened.
fn rollback(audit: &Exact, row_at: &str, packet_error: &GovError) -> GovError {
    let msg = match write_file(&audit.rel, &audit.path, &audit.bytes) {
        Ok(()) => format!("{packet_error}; the audit row was rolled back, nothing changed"),
        Err(e) => format!("{packet_error}; rolling back the audit row failed too ({e}): remove the row at {row_at} by hand"),
    };
    Diagnostic::new(&gov::WRITE_FAILED, msg).into()
}

/// An atomic write whose error names the repository path, not the absolute one.
pub(crate) fn write_file(rel: &str, path: &std::path::Path, bytes: &[u8]) -> Result<(), GovError> {
    write_atomic(path, bytes).map_err(|e| {
        Diagnostic::new(
            &gov::WRITE_FAILED,
            format!("{rel} could not be written: {}", e.error),
        )
        .in_file(rel.to_string())
        .into()
    })
}
