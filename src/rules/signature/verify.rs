//! `gov signatures verify`: the audit and every packet, checked together. Legacy
//! audit rows with invalid signatures are warnings (they are history and cannot be
//! rewritten); reuse, unrecorded citations and edits to signed packets are errors.

use super::locked::{LockState, Signed};
use crate::cache::{Reader, Record, Writer};
use crate::diag::codes::sig;
use crate::diag::{Diagnostic, Severity};
use crate::model::audit::{Column, SignatureAudit};
use crate::model::locked::locked_hash;
use crate::model::packet::{Packet, SignatureValue};
use crate::model::signature::{Signature, SignatureError};
use crate::model::wp_id::WpId;
use crate::rules::inventory::FromPacket;
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::HashMap;

/// Counts over the audit and the packets.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// Rows of the signature audit table.
    pub audit_rows: usize,
    /// Audit rows gov could not read.
    pub unreadable_rows: usize,
    pub packets: usize,
    pub signed_packets: usize,
    /// Signed packets whose locked sections match the recorded hash.
    pub locks_verified: usize,
    /// Signed packets whose audit row records no hash (legacy rows).
    pub locks_not_recorded: usize,
    pub locks_changed: usize,
}

/// What verification needs from one packet, taken while it is parsed so the parsed
/// document can be dropped at once (memory stays bounded by the facts, not the
/// packets, and packets can be parsed on several threads). Nothing here depends on
/// the audit, so the facts can be cached with the packet's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedFacts {
    pub id: WpId,
    pub path: String,
    /// The cited signature and where it is written, when the packet is signed.
    pub signature: Option<(String, usize, usize)>,
    /// The hash of the locked sections, when the packet is signed.
    pub locked_hash: Option<String>,
}

impl SignedFacts {
    pub fn of(p: &Packet) -> SignedFacts {
        let signature = p.signature().and_then(|s| match s.value {
            SignatureValue::Given(token) => Some((token, s.line, s.column)),
            _ => None,
        });
        SignedFacts {
            id: p.id.clone(),
            path: p.path.clone(),
            locked_hash: signature.as_ref().map(|_| locked_hash(p)),
            signature,
        }
    }

    /// How the locked sections compare with what the audit recorded at signing.
    fn lock(&self, audit: &SignatureAudit) -> LockState {
        let (Some((token, line, column)), Some(hash)) = (&self.signature, &self.locked_hash) else {
            return LockState::NotApplicable;
        };
        let signed = Signed {
            id: &self.id,
            path: &self.path,
            token,
            at: (*line, *column),
        };
        signed.state(audit, || hash.clone())
    }
}

/// Cached per packet by `signatures verify` (the `signed` table): the path is the
/// entry's key; every length and tag is checked on the way in.
impl Record for SignedFacts {
    fn encode(&self, w: &mut Writer) {
        w.str(self.id.as_str());
        match &self.signature {
            None => w.u8(0),
            Some((token, line, column)) => {
                w.u8(1);
                w.str(token);
                w.u32(*line);
                w.u32(*column);
            }
        }
        w.opt_str(self.locked_hash.as_deref());
    }

    fn decode(key: &str, r: &mut Reader<'_>) -> Option<SignedFacts> {
        let id = WpId::parse(r.str()?).ok()?;
        let signature = match r.u8()? {
            0 => None,
            1 => Some((r.string()?, r.u32()?, r.u32()?)),
            _ => return None,
        };
        Some(SignedFacts {
            id,
            path: key.to_string(),
            signature,
            locked_hash: r.opt_string()?,
        })
    }
}

impl FromPacket for SignedFacts {
    fn of(packet: Packet) -> SignedFacts {
        SignedFacts::of(&packet)
    }
    fn path(&self) -> &str {
        &self.path
    }
}

pub fn verify(
    audit: &SignatureAudit,
    packets: &[SignedFacts],
    now: NaiveDateTime,
    skew_minutes: i64,
) -> (Vec<Diagnostic>, Summary) {
    let mut out = audit_rows(audit, now, skew_minutes);
    let mut summary = Summary {
        audit_rows: audit.rows.len(),
        unreadable_rows: audit.bad_rows.len(),
        packets: packets.len(),
        ..Summary::default()
    };
    // one approval whatever its case or Unicode form (`alice…`, `ALICE…`, `Ａlice…`)
    let mut cited: HashMap<String, &SignedFacts> = HashMap::new();
    for p in packets {
        let Some((token, line, column)) = &p.signature else {
            continue;
        };
        summary.signed_packets += 1;
        let here = |d: Diagnostic| d.at(p.path.clone(), *line, *column);
        if !audit.contains(token) {
            out.push(
                here(Diagnostic::new(
                    &sig::SIGNATURE_NOT_IN_AUDIT,
                    format!(
                        "{} cites `{token}`, which {} does not record",
                        p.id, audit.path
                    ),
                ))
                .help(format!(
                    "if the signature is genuine, record it: `gov record-signature {} {token}`",
                    p.id
                )),
            );
        }
        let identity = crate::model::signature::key(token);
        match cited.get(&identity) {
            Some(first) => out.push(here(Diagnostic::new(
                &sig::SIGNATURE_CITED_TWICE,
                format!(
                    "{} cites `{token}`, which {} ({}) already cites",
                    p.id, first.id, first.path
                ),
            ))),
            None => {
                cited.insert(identity, p);
            }
        }
        match p.lock(audit) {
            LockState::Matches => summary.locks_verified += 1,
            LockState::NotRecorded => summary.locks_not_recorded += 1,
            LockState::Changed(d) => {
                summary.locks_changed += 1;
                out.push(*d);
            }
            LockState::NotApplicable => {}
        }
    }
    (out, summary)
}

/// Unreadable rows, invalid legacy signatures and duplicates within the audit.
fn audit_rows(audit: &SignatureAudit, now: NaiveDateTime, skew_minutes: i64) -> Vec<Diagnostic> {
    let here = |d: Diagnostic, line: usize| d.at_line(audit.path.clone(), line);
    let mut out: Vec<Diagnostic> = audit
        .bad_rows
        .iter()
        .map(|b| {
            here(
                Diagnostic::new(
                    &sig::AUDIT_ROW_UNPARSEABLE,
                    format!("audit row: {}", b.reason),
                ),
                b.line,
            )
        })
        .collect();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for row in &audit.rows {
        let token = audit.signature_of(row);
        let legacy = |d: Diagnostic| here(d, row.line).severity(Severity::Warning);
        match Signature::parse(&token) {
            Err(e) => {
                let code = match e {
                    SignatureError::Malformed(_) => &sig::SIGNATURE_MALFORMED,
                    SignatureError::ImpossibleDate(_) => &sig::SIGNATURE_IMPOSSIBLE_DATE,
                };
                out.push(legacy(Diagnostic::new(code, format!("audit row signature `{token}` is invalid: {e}")))
                    .help("a legacy row cannot be rewritten; make sure no packet relies on it, and record new signatures with `gov record-signature`"));
            }
            Ok(s) if s.is_in_future(now, skew_minutes) => out.push(legacy(Diagnostic::new(
                &sig::SIGNATURE_IN_FUTURE,
                format!(
                    "audit row signature `{token}` is dated {}, in the future",
                    s.at.format("%Y-%m-%d %H:%M")
                ),
            ))),
            Ok(_) => {}
        }
        if marks_invalid(audit, row) {
            continue; // the seed's recovery row for a reused signature
        }
        let identity = crate::model::signature::key(&token);
        match first_row.get(&identity) {
            Some(first) => out.push(here(
                Diagnostic::new(
                    &sig::AUDIT_DUPLICATE,
                    format!("`{token}` is recorded again; its first row is line {first}"),
                ),
                row.line,
            )),
            None => {
                first_row.insert(identity, row.line);
            }
        }
    }
    out
}

/// A row the seed's Error 1 recovery adds: `(INVALID - used twice by mistake)`.
fn marks_invalid(audit: &SignatureAudit, row: &crate::model::audit::AuditRow) -> bool {
    [Column::Purpose, Column::Notes]
        .iter()
        .filter_map(|c| audit.col_index(*c).and_then(|i| row.cells.get(i)))
        .any(|cell| cell.to_ascii_uppercase().contains("INVALID"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Source;

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2026-11-21T12:00:00", "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn signed_facts_round_trip_through_the_cache_form() {
        for p in [
            packet("WP-1-A", "alice010120261200"),
            packet("WP-1-D", "<pending>"),
        ] {
            let facts = SignedFacts::of(&p);
            let mut w = Writer::default();
            facts.encode(&mut w);
            let bytes = w.into_bytes();
            let mut r = Reader::new(&bytes);
            assert_eq!(
                SignedFacts::decode(&facts.path, &mut r),
                Some(facts.clone())
            );
            assert!(r.is_empty());
            for cut in 0..bytes.len() {
                let mut r = Reader::new(&bytes[..cut]);
                let back = SignedFacts::decode(&facts.path, &mut r);
                assert!(back.is_none() || !r.is_empty() || back != Some(facts.clone()));
            }
        }
        // a bad signature tag, and an id that is no WP id
        let mut w = Writer::default();
        w.str("WP-1-A");
        w.u8(7);
        assert_eq!(
            SignedFacts::decode("p.md", &mut Reader::new(&w.into_bytes())),
            None
        );
        let mut w = Writer::default();
        w.str("not an id");
        w.u8(0);
        w.opt_str(None);
        assert_eq!(
            SignedFacts::decode("p.md", &mut Reader::new(&w.into_bytes())),
            None
        );
    }

    fn packet(id: &str, sig: &str) -> Packet {
        let text = format!("# Task Packet: {id}\n- USER_SIGNATURE: {sig}\n## DONE_MEANS\n1. one\n");
        Packet::parse(
            WpId::parse(id).unwrap(),
            Source::from_bytes(format!("docs/task_packets/{id}.md"), text.as_bytes()),
        )
    }

    #[test]
    fn finds_every_kind_of_problem() {
        let audit = "## Consumed Signatures\n\n| Signature | Used By | Purpose |\n|---|---|---|\n| alice010120261200 | O | WP-1-A |\n| alice010120261200 | O | WP-1-B |\n| alice010120261200 | O | (INVALID - used twice by mistake) |\n| ilja251225032800 | O | legacy |\n| bob010120301200 | O | future |\n| | broken |\n";
        let audit = SignatureAudit::parse(&Source::from_bytes(
            "docs/SIGNATURE_AUDIT.md",
            audit.as_bytes(),
        ));
        let packets = [
            packet("WP-1-A", "alice010120261200"),
            packet("WP-1-B", "alice010120261200"),
            packet("WP-1-C", "carol010120261200"),
            packet("WP-1-D", "<pending>"),
        ];
        let facts: Vec<SignedFacts> = packets.iter().map(SignedFacts::of).collect();
        let (diags, summary) = verify(&audit, &facts, now(), 5);
        let mut got: Vec<(&str, Severity)> = diags.iter().map(|d| (d.code, d.severity)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("SIG002", Severity::Warning),
                ("SIG003", Severity::Warning),
                ("SIG004", Severity::Error),
                ("SIG005", Severity::Warning),
                ("SIG007", Severity::Error),
                ("SIG008", Severity::Error),
            ]
        );
        assert_eq!(summary.signed_packets, 3);
        assert_eq!(summary.locks_not_recorded, 2);
    }
}
