//! USER_SIGNATURE is present, well formed, real, not in the future, and recorded.

use super::PacketCheck;
use crate::diag::codes::{pkt, sig};
use crate::diag::Diagnostic;
use crate::model::packet::SignatureValue;
use crate::model::signature::{Signature, SignatureError, EXAMPLE};

pub fn check(c: &PacketCheck) -> Vec<Diagnostic> {
    let Some(s) = c.packet.signature() else {
        return Vec::new();
    };
    let (line, col) = (s.line, s.column);
    let token = match &s.value {
        SignatureValue::Given(t) => t,
        SignatureValue::Pending(v) => {
            let shown = if v.is_empty() {
                "empty".to_string()
            } else {
                format!("`{v}`")
            };
            return vec![c.at(
                &pkt::UNSIGNED,
                format!("USER_SIGNATURE is {shown}: the packet is not signed"),
                line,
                col,
            )];
        }
        SignatureValue::Unsigned(u) => {
            return vec![c.at(&pkt::UNSIGNED, format!("USER_SIGNATURE `{u}` is a username without a timestamp: the packet is not signed"), line, col)];
        }
    };
    let signature = match Signature::parse(token) {
        Ok(s) => s,
        Err(e) => {
            let code = match e {
                SignatureError::Malformed(_) => &sig::SIGNATURE_MALFORMED,
                SignatureError::ImpossibleDate(_) => &sig::SIGNATURE_IMPOSSIBLE_DATE,
            };
            return vec![c
                .at(
                    code,
                    format!("USER_SIGNATURE `{token}` is invalid: {e}"),
                    line,
                    col,
                )
                .help(format!(
                    "a valid signature looks like {EXAMPLE}: username, then DDMMYYYYHHMM"
                ))];
        }
    };
    let mut out = Vec::new();
    if signature.is_in_future(c.now, c.config.signatures.clock_skew_minutes) {
        out.push(c.at(
            &sig::SIGNATURE_IN_FUTURE,
            format!(
                "USER_SIGNATURE `{token}` is dated {} — in the future",
                signature.at.format("%Y-%m-%d %H:%M")
            ),
            line,
            col,
        ));
    }
    if !c.audit.contains(token) {
        out.push(c.at(
            &sig::SIGNATURE_NOT_IN_AUDIT,
            format!(
                "USER_SIGNATURE `{token}` is not recorded in {}",
                c.audit.path
            ),
            line,
            col,
        ));
    }
    out
}
