//! STATUS allows work to start; RISK_TIER is a real tier.

use super::PacketCheck;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::model::packet::TierValue;
use crate::model::status::StatusKind;

pub fn status(c: &PacketCheck) -> Vec<Diagnostic> {
    let Some(s) = c.packet.status() else {
        return Vec::new();
    };
    if s.value.raw.is_empty() {
        return Vec::new(); // reported as an empty field
    }
    match s.value.kind {
        None => vec![c.at(
            &pkt::STATUS_UNKNOWN,
            format!("STATUS `{}` is not a known status", s.value.raw),
            s.line,
            s.column,
        )],
        Some(StatusKind::ReadyForDev | StatusKind::InProgress) => Vec::new(),
        Some(k) => vec![c.at(
            &pkt::STATUS_NOT_STARTABLE,
            format!(
                "STATUS is {} (`{}`); work can start only from Ready for Dev or In Progress",
                k.label(),
                s.value.raw
            ),
            s.line,
            s.column,
        )],
    }
}

pub fn risk_tier(c: &PacketCheck) -> Vec<Diagnostic> {
    let Some(t) = c.packet.risk_tier() else {
        return Vec::new();
    };
    let msg = match &t.value {
        TierValue::Tier(_) => return Vec::new(),
        TierValue::Unfilled(v) => {
            format!("RISK_TIER still holds the template hint `{v}`; choose one tier")
        }
        TierValue::Invalid(v) if v.is_empty() => return Vec::new(),
        TierValue::Invalid(v) => format!("RISK_TIER `{v}` is not LOW, MEDIUM or HIGH"),
    };
    vec![c.at(&pkt::RISK_TIER_INVALID, msg, t.line, t.column)]
}
