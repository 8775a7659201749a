//! Every SPEC_ANCHOR resolves in the current spec's Main Body.

use super::PacketCheck;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::model::packet::names;
use crate::model::spec::Resolution;

pub fn check(c: &PacketCheck) -> Vec<Diagnostic> {
    let p = c.packet;
    let Some(field) = p.field(names::SPEC_ANCHOR) else {
        return Vec::new();
    };
    if field.is_empty(&p.doc) {
        return Vec::new();
    }
    let anchors = p.spec_anchors();
    if anchors.is_empty() {
        return vec![c.at(
            &pkt::ANCHOR_UNPARSEABLE,
            format!(
                "SPEC_ANCHOR `{}` holds no section number or [CX-...] code",
                field.value
            ),
            field.line + 1,
            1,
        )];
    }
    let spec = c.spec;
    let version = spec.version.as_deref().unwrap_or(&spec.path);
    anchors
        .iter()
        .filter_map(|a| match spec.resolve(&a.value) {
            Resolution::MainBody(_) => None,
            Resolution::RoadmapOnly(h) => Some(c.at(
                &pkt::ANCHOR_IN_ROADMAP,
                format!("SPEC_ANCHOR {} exists only in the Roadmap of {version} (line {}), which is not binding", a.value, h.line),
                a.line,
                a.column,
            )),
            Resolution::Missing => Some(c.at(
                &pkt::ANCHOR_NOT_FOUND,
                format!(
                    "SPEC_ANCHOR {} is not a heading in {version}{}",
                    a.value,
                    only_in_a_fence(spec, &a.value)
                ),
                a.line,
                a.column,
            )),
        })
        .collect()
}

/// A spec whose code fence was left open hides the headings after it; say where the
/// number was seen, so the author mends the fence instead of the packet.
fn only_in_a_fence(
    spec: &crate::model::spec::Spec,
    anchor: &crate::model::anchor::Anchor,
) -> String {
    anchor
        .numbers()
        .iter()
        .find_map(|n| spec.hidden_heading(n))
        .map(|h| {
            format!(
                " (it is a heading line only inside the code fence of {} lines {}-{}, at line {})",
                h.path, h.fence_line, h.fence_close, h.line
            )
        })
        .unwrap_or_default()
}
