//! The writes of `record-signature`, under the repository lock: re-check what a
//! concurrent run may have changed, fill the packet, append the audit row, and roll
//! the packet back if the audit cannot be written.
//!
//! The packet is written first so that a run killed between the two writes is
//! finished by running it again: the packet already carries the signature (which
//! the search for earlier uses skips), and the audit row is added then. The other
//! order would leave a consumed signature on an unsigned packet, which a re-run
//! refuses as already used.

use super::{already_used, fillable, Subject, LOCK_TIMEOUT};
use super::{AuditWritten, PacketLocked, RecordSignatureData, Recorded};
use crate::diag::codes::{gov, sig};
use crate::diag::{Diagnostic, Report};
use crate::edit::insert_audit_row;
use crate::error::GovError;
use crate::io::{write_atomic, RepoLock};
use crate::model::audit::{NewRow, SignatureAudit};
use crate::model::locked::locked_hash;
use crate::model::packet::Packet;
use crate::model::signature::Signature;
use crate::repo::Repo;
use crate::text::Source;
use std::path::PathBuf;

/// A file as it is on disk: exact bytes (for rollback), the text and its BOM.
pub(crate) struct Exact {
    pub rel: String,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub text: String,
    bom: bool,
}

impl Exact {
    pub fn read(repo: &Repo, rel: &str, what: &'static str) -> Result<Exact, GovError> {
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
        if let Some(refusal) = crate::markdown::refuse_write(&source, what) {
            return Err(refusal.into());
        }
        Ok(Exact {
            rel: rel.to_string(),
            bom: bytes.starts_with(b"\xEF\xBB\xBF"),
            path,
            bytes,
            text: source.text,
        })
    }

    pub fn with_text(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// Under the lock: re-check, then write the packet and the audit.
pub fn commit(
    repo: &Repo,
    subject: &Subject,
    signature: &Signature,
    mut row: NewRow,
    report: &mut Report,
) -> Result<(), GovError> {
    let _lock = lock(repo)?;
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
    let packet_written = match &packet {
        Some((file, filled, _, _)) if *filled != file.text => {
            write_file(&file.rel, &file.path, &file.with_text(filled))?;
            Some(file)
        }
        _ => None,
    };
    if let Err(e) = write_file(
        &audit_file.rel,
        &audit_file.path,
        &audit_file.with_text(&inserted.text),
    ) {
        return Err(match packet_written {
            Some(file) => rollback(file, &e),
            None => e,
        });
    }
    let audit_at = format!("{}:{}", audit.path, inserted.line);
    report
        .headline
        .push(format!("recorded `{}` in {audit_at}", signature.raw));
    report.set_typed(RecordSignatureData {
        recorded: Some(Recorded {
            signature: signature.raw.clone(),
            audit: AuditWritten {
                path: audit.path.clone(),
                line: inserted.line,
                row: row.clone(),
            },
        }),
        ..RecordSignatureData::default()
    });
    let Some((file, filled, hash, path)) = packet else {
        return Ok(());
    };
    if filled != file.text {
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
    report.set_typed(RecordSignatureData {
        packet: Some(PacketLocked {
            path: path.clone(),
            locked_sections: hash.clone(),
        }),
        ..RecordSignatureData::default()
    });
    Ok(())
}

/// Restores the packet after the audit write failed, and says what happened.
fn rollback(packet: &Exact, audit_error: &GovError) -> GovError {
    let mut d = audit_error.diagnostic();
    d.message = match write_file(&packet.rel, &packet.path, &packet.bytes) {
        Ok(()) => format!("{audit_error}; the packet's signature was rolled back, nothing changed"),
        Err(e) => format!("{audit_error}; rolling back {} failed too ({e}): it carries the signature, so run the same record-signature again to add the audit row", packet.rel),
    };
    d.into()
}

/// The repository's write lock, waiting up to [`LOCK_TIMEOUT`] for another writer.
pub(crate) fn lock(repo: &Repo) -> Result<RepoLock, GovError> {
    RepoLock::acquire(&repo.root, LOCK_TIMEOUT).map_err(|error| GovError::Lock {
        path: RepoLock::path_for(&repo.root).display().to_string(),
        error,
    })
}

/// An atomic write whose error names the repository path, not the absolute one.
pub(crate) fn write_file(rel: &str, path: &std::path::Path, bytes: &[u8]) -> Result<(), GovError> {
    // `path` is the root joined with `rel`: write by handle beneath that root
    let depth = std::path::Path::new(rel).components().count();
    let written = match path.ancestors().nth(depth) {
        Some(root) if root.join(rel) == path => crate::io::write_inside(root, rel, bytes),
        _ => write_atomic(path, bytes),
    };
    written.map_err(|e| {
        Diagnostic::new(
            &gov::WRITE_FAILED,
            format!("{rel} could not be written: {}", e.error),
        )
        .in_file(rel.to_string())
        .into()
    })
}
