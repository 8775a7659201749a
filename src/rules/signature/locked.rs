//! Signed packets are immutable: the locked sections must still hash to what the
//! audit recorded at signing. Shared by `pre-work`, `post-work` and
//! `signatures verify`, so all three report the same finding.

use crate::diag::codes::sig;
use crate::diag::Diagnostic;
use crate::model::audit::SignatureAudit;
use crate::model::locked::locked_hash;
use crate::model::packet::{Packet, SignatureValue};
use crate::model::wp_id::WpId;

/// How a signed packet compares with its audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockState {
    /// Not signed, or the signature is not in the audit (other rules report that).
    NotApplicable,
    /// The audit row has no hash (a legacy row, or one written by hand).
    NotRecorded,
    Matches,
    Changed(Box<Diagnostic>),
}

pub fn state(packet: &Packet, audit: &SignatureAudit) -> LockState {
    let Some(s) = packet.signature() else {
        return LockState::NotApplicable;
    };
    let SignatureValue::Given(token) = &s.value else {
        return LockState::NotApplicable;
    };
    let signed = Signed {
        id: &packet.id,
        path: &packet.path,
        token,
        at: (s.line, s.column),
    };
    // hashed only when the audit recorded a hash to compare with
    signed.state(audit, || locked_hash(packet))
}

/// A packet's signature as the lock check reads it.
pub struct Signed<'a> {
    pub id: &'a WpId,
    pub path: &'a str,
    pub token: &'a str,
    /// Line and column of the signature in the packet.
    pub at: (usize, usize),
}

impl Signed<'_> {
    /// How the packet's locked sections (hashed by `now` when needed) compare with
    /// the hash the audit recorded for this signature and packet.
    pub fn state(&self, audit: &SignatureAudit, now: impl FnOnce() -> String) -> LockState {
        let token = self.token;
        if !audit.contains(token) {
            return LockState::NotApplicable;
        }
        // the row for this packet: its evidence names this packet, or no packet at all
        let recorded = audit.rows_for(token).find_map(|row| {
            let e = audit.evidence(row);
            let ours = e.path.as_deref().is_none_or(|p| p == self.path);
            e.hash.filter(|_| ours).map(|h| (row.line, h))
        });
        let Some((row_line, recorded)) = recorded else {
            return LockState::NotRecorded;
        };
        let now = now();
        if now == recorded {
            return LockState::Matches;
        }
        LockState::Changed(Box::new(
            Diagnostic::new(
                &sig::LOCKED_SECTIONS_CHANGED,
                format!(
                    "{} was signed with `{token}`, but its locked sections (DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS, OUT_OF_SCOPE) no longer match the hash recorded at signing ({}:{row_line}): recorded {}, now {}",
                    self.id,
                    audit.path,
                    short(&recorded),
                    short(&now)
                ),
            )
            .at(self.path.to_string(), self.at.0, self.at.1),
        ))
    }
}

/// The mismatch diagnostic, if any: what pre-work and post-work report.
pub fn check(packet: &Packet, audit: &SignatureAudit) -> Option<Diagnostic> {
    match state(packet, audit) {
        LockState::Changed(d) => Some(*d),
        _ => None,
    }
}

/// `sha256:` and the first 12 hex digits: enough to compare by eye.
fn short(hash: &str) -> String {
    hash.chars().take(7 + 12).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::wp_id::WpId;
    use crate::text::Source;

    const PACKET: &str = "# Task Packet: WP-1-X\n- USER_SIGNATURE: alice151220251430\n## DONE_MEANS\n1. one\n## TEST_PLAN\n```bash\ncargo test\n```\n";

    fn packet(text: &str) -> Packet {
        Packet::parse(
            WpId::parse("WP-1-X").unwrap(),
            Source::from_bytes("docs/task_packets/WP-1-X.md", text.as_bytes()),
        )
    }

    fn audit(evidence: &str) -> SignatureAudit {
        let text = format!("## Consumed Signatures\n\n| Signature | Used By | Evidence |\n|---|---|---|\n| alice151220251430 | Orchestrator | {evidence} |\n");
        SignatureAudit::parse(&Source::from_bytes(
            "docs/SIGNATURE_AUDIT.md",
            text.as_bytes(),
        ))
    }

    #[test]
    fn matches_changes_and_legacy_rows() {
        let p = packet(PACKET);
        let h = locked_hash(&p);
        let a = audit(&format!("docs/task_packets/WP-1-X.md {h}"));
        assert_eq!(state(&p, &a), LockState::Matches);
        let edited = packet(&PACKET.replace("1. one", "1. one, and more"));
        let d = check(&edited, &a).unwrap();
        assert_eq!(d.code, "SIG009");
        assert_eq!(d.line, Some(2));
        assert_eq!(
            state(&p, &audit("docs/task_packets/WP-1-X.md")),
            LockState::NotRecorded
        );
        // a row whose evidence names another packet does not lock this one
        let other = audit(&format!("docs/task_packets/WP-1-Y.md {h}"));
        assert_eq!(state(&edited, &other), LockState::NotRecorded);
    }
}
