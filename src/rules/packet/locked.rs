//! A signed packet's locked sections still match the hash recorded at signing.

use super::PacketCheck;
use crate::diag::Diagnostic;

pub fn check(c: &PacketCheck) -> Vec<Diagnostic> {
    crate::rules::signature::locked::check(c.packet, c.audit)
        .into_iter()
        .collect()
}
