//! Check 8: a packet already signed at the diff base keeps its locked sections
//! (DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS, OUT_OF_SCOPE) at the head. A signed packet
//! is immutable; changes need a `-vN` packet.

use super::{ChangeCheck, CheckResult, Finding, Side};
use crate::diag::codes::git;
use crate::git::FileContent;
use crate::model::locked::locked_parts;
use crate::model::packet::{Packet, SignatureValue};
use crate::text::Source;
use std::borrow::Cow;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let p = c.packet;
    let Some(base) = packet_at(c, Side::Base) else {
        return CheckResult::skipped("locked");
    };
    let signature = match base.signature().map(|s| s.value) {
        Some(SignatureValue::Given(s)) => s,
        _ => return CheckResult::skipped("locked"),
    };
    let Some(head) = packet_at(c, Side::Head) else {
        return CheckResult::skipped("locked");
    };
    let next = p.id.with_variant(p.id.variant().unwrap_or(1) + 1);
    let findings = locked_parts(&base)
        .into_iter()
        .zip(locked_parts(&head))
        .filter(|(before, after)| before.lines != after.lines)
        .map(|(_, after)| {
            let msg = format!(
                "{} changed after the packet was signed ({signature} at the diff base); a signed packet is immutable: restore it and put the change in {next}",
                after.name
            );
            let d = match after.line {
                Some(line) => c.at(&git::LOCKED_PACKET_CHANGED, msg, line, 1),
                None => c.in_packet(&git::LOCKED_PACKET_CHANGED, msg),
            };
            Finding::file(d, &p.path)
        })
        .collect();
    CheckResult::new("locked", findings)
}

/// The packet at `side`: the one already loaded when the text there is its text (the
/// head of a working-tree diff, a base the packet has not moved from), which parses
/// to the same packet; else that text parsed.
fn packet_at<'a>(c: &'a ChangeCheck, side: Side) -> Option<Cow<'a, Packet>> {
    let p = c.packet;
    let content = (c.content)(side, &p.path);
    let FileContent::Present(bytes) = &*content else {
        return None;
    };
    let source = Source::from_bytes(p.path.clone(), bytes);
    // a packet loaded from its JSON form was not parsed from this text as Markdown
    let markdown = !p.path.ends_with(".json");
    if markdown
        && source.text == p.doc.source.text
        && source.invalid_utf8_at == p.doc.source.invalid_utf8_at
    {
        return Some(Cow::Borrowed(p));
    }
    Some(Cow::Owned(Packet::parse(p.id.clone(), source)))
}
