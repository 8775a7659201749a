//! Anchors that must resolve in the Main Body: the required ones from gov.yaml, and
//! every anchor cited by an active packet.

use super::Required;
use crate::diag::codes::spc;
use crate::diag::Diagnostic;
use crate::model::anchor::{Anchor, SectionNumber};
use crate::model::spec::{Resolution, Spec};
use crate::model::wp_id::WpId;
use crate::rules::inventory::Inventory;
use serde::Serialize;
use std::collections::BTreeSet;

/// Where a required anchor resolves.
#[derive(Debug, Clone, Serialize)]
pub struct RequiredState {
    pub anchor: String,
    /// `main_body`, `roadmap` or `missing`.
    pub state: &'static str,
    pub line: Option<usize>,
}

/// What the active packets cite.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cited {
    pub active_packets: usize,
    pub anchors: usize,
    pub unresolved: usize,
    /// Section numbers cited by active packets (range ends included).
    #[serde(skip)]
    pub numbers: BTreeSet<SectionNumber>,
    /// Active packets with an unresolved anchor.
    #[serde(skip)]
    pub packets: BTreeSet<WpId>,
}

pub fn required(spec: &Spec, required: &[Required]) -> (Vec<RequiredState>, Vec<Diagnostic>) {
    let mut states = Vec::new();
    let mut diags = Vec::new();
    for r in required {
        let shown = r.anchor.to_string();
        let (state, line) = match spec.resolve(&r.anchor) {
            Resolution::MainBody(h) => ("main_body", Some(h.line)),
            Resolution::RoadmapOnly(h) => {
                diags.push(
                    Diagnostic::new(
                        &spc::REQUIRED_ANCHOR_MISSING,
                        format!(
                            "required anchor {shown} (`{}` in gov.yaml) is a heading only in the Roadmap of {}, not in the binding Main Body",
                            r.written,
                            label(spec)
                        ),
                    )
                    .at_line(spec.path.clone(), h.line),
                );
                ("roadmap", Some(h.line))
            }
            Resolution::Missing => {
                diags.push(
                    Diagnostic::new(
                        &spc::REQUIRED_ANCHOR_MISSING,
                        format!(
                            "required anchor {shown} (`{}` in gov.yaml) is not a heading in {}",
                            r.written,
                            label(spec)
                        ),
                    )
                    .in_file(spec.path.clone()),
                );
                ("missing", None)
            }
        };
        states.push(RequiredState {
            anchor: shown,
            state,
            line,
        });
    }
    (states, diags)
}

/// Every anchor cited by an active packet resolves in the Main Body. When it does not
/// and the previous version had it, the message says so.
pub fn cited(
    spec: &Spec,
    previous: Option<&Spec>,
    inventory: &Inventory,
) -> (Cited, Vec<Diagnostic>) {
    let mut cited = Cited::default();
    let mut diags = Vec::new();
    for p in inventory.active() {
        cited.active_packets += 1;
        for a in p.anchors.iter().cloned() {
            cited.anchors += 1;
            cited.numbers.extend(numbers_of(&a.value));
            let problem = match spec.resolve(&a.value) {
                Resolution::MainBody(_) => continue,
                Resolution::RoadmapOnly(h) => format!(
                    "is only in the Roadmap of {} (line {}), not in the binding Main Body",
                    label(spec),
                    h.line
                ),
                Resolution::Missing => {
                    format!("is not a heading in the Main Body of {}", label(spec))
                }
            };
            cited.unresolved += 1;
            cited.packets.insert(p.id.clone());
            let before = previous.map(|prev| had(prev, &a.value)).unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    &spc::CITED_ANCHOR_MISSING,
                    format!(
                        "{} ({}) cites {}, which {problem}{before}",
                        p.id,
                        p.status_label(),
                        a.value
                    ),
                )
                .at(p.path.clone(), a.line, a.column),
            );
        }
    }
    (cited, diags)
}

/// `; v1.0 had it as `Title`` when the previous version's Main Body had the anchor.
fn had(prev: &Spec, anchor: &Anchor) -> String {
    match (anchor, prev.resolve(anchor)) {
        (Anchor::Section { .. } | Anchor::Code { .. }, Resolution::MainBody(h)) => {
            format!("; {} had it as `{}` (removed since)", label(prev), h.title)
        }
        (Anchor::Range { .. }, Resolution::MainBody(_)) => {
            format!("; {} had the whole range (removed since)", label(prev))
        }
        _ => String::new(),
    }
}

fn numbers_of(a: &Anchor) -> Vec<SectionNumber> {
    match a {
        Anchor::Section { number } => vec![number.clone()],
        Anchor::Range { from, to } => vec![from.clone(), to.clone()],
        Anchor::Code { .. } => Vec::new(),
    }
}

/// `v1.1`, or the path for an unversioned spec.
pub fn label(spec: &Spec) -> &str {
    spec.version.as_deref().unwrap_or(&spec.path)
}
