//! A variant packet copied from another (`create-task-packet WP-1-X-v2 --from
//! WP-1-X`): the same content under the new id, with its own state, its signature
//! pending (a variant needs a fresh approval) and without the old packet's
//! validation reports, which judged the old packet.

use crate::edit::report::REPORTS_HEADING;
use crate::edit::status_line::{set_status, value_slot};
use crate::markdown::LineKind;
use crate::model::fields;
use crate::model::lifecycle::State;
use crate::model::packet::{names, Packet};
use crate::model::wp_id::{ids_in, WpId};
use crate::text::{normalize_name, strip_decoration, Source};

pub const PENDING: &str = "<pending>";

pub fn copy(from: &Packet, id: &WpId, state: State) -> String {
    let text = without_reports(from);
    let text = renamed(&text, &from.id, id);
    let p = Packet::parse(
        id.clone(),
        Source::from_string(from.path.clone(), text.clone(), None),
    );
    let text = set_status(&p, state, false).unwrap_or(text);
    let p = Packet::parse(
        id.clone(),
        Source::from_string(from.path.clone(), text, None),
    );
    pending_signature(&p)
}

/// The text without its VALIDATION_REPORTS sections.
fn without_reports(p: &Packet) -> String {
    let doc = &p.doc;
    let text = &doc.source.text;
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        let LineKind::Heading(level) = doc.lines[i].kind else {
            i += 1;
            continue;
        };
        let name = normalize_name(&strip_decoration(doc.content(i).trim_end_matches('#')));
        if name != normalize_name(REPORTS_HEADING) {
            i += 1;
            continue;
        }
        let end = (i + 1..doc.lines.len())
            .find(|&j| matches!(doc.lines[j].kind, LineKind::Heading(l) if l <= level))
            .unwrap_or(doc.lines.len());
        let start = doc.lines[i].range.start;
        let stop = doc.lines.get(end).map_or(text.len(), |l| l.range.start);
        cut.push(start..stop);
        i = end;
    }
    let mut out = text.clone();
    for r in cut.into_iter().rev() {
        out.replace_range(r, "");
    }
    out
}

/// Every exact occurrence of `old` (not a longer id that starts with it) as `new`.
fn renamed(text: &str, old: &WpId, new: &WpId) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for (at, found) in ids_in(text) {
        if &found == old {
            out.push_str(&text[last..at]);
            out.push_str(new.as_str());
            last = at + old.as_str().len();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// USER_SIGNATURE and the Signature & Enrichment Log's `Signature:` set to pending.
fn pending_signature(p: &Packet) -> String {
    let mut slots: Vec<&fields::Field> = p.field(names::USER_SIGNATURE).into_iter().collect();
    if let Some(log) = p.field(names::SIGNATURE_LOG) {
        slots.extend(fields::nested(&p.fields, log).find(|f| f.name == "signature"));
    }
    let mut edits: Vec<(std::ops::Range<usize>, String)> = slots
        .into_iter()
        .map(|f| value_slot(p, f))
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(range, _)| (range, PENDING.to_string()))
        .collect();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = p.doc.source.text.clone();
    for (r, s) in edits {
        out.replace_range(r, &s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_content_under_the_new_id_with_a_pending_signature() {
        let old = "# Task Packet: WP-1-A\n- TASK_ID: WP-1-A\n- STATUS: In-Progress\n- USER_SIGNATURE: alice151120261130\n- Depends on: WP-1-A-Base\n\n## TEST_PLAN\n- just post-work WP-1-A\n\n## VALIDATION_REPORTS\n### r\n- Verdict: FAIL\n\n## Signature & Enrichment Log\n- Signature: alice151120261130\n";
        let p = Packet::parse(
            WpId::parse("WP-1-A").unwrap(),
            Source::from_string("a.md", old.to_string(), None),
        );
        let out = copy(&p, &WpId::parse("WP-1-A-v2").unwrap(), State::Backlog);
        assert_eq!(
            out,
            "# Task Packet: WP-1-A-v2\n- TASK_ID: WP-1-A-v2\n- STATUS: Backlog\n- USER_SIGNATURE: <pending>\n- Depends on: WP-1-A-Base\n\n## TEST_PLAN\n- just post-work WP-1-A-v2\n\n## Signature & Enrichment Log\n- Signature: <pending>\n"
        );
    }
}
