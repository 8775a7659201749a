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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RequiredState {
    pub anchor: String,
    /// `main_body`, `roadmap` or `missing`.
    #[schemars(extend("enum" = ["main_body", "roadmap", "missing"]))]
    pub state: &'static str,
    pub line: Option<usize>,
    /// The module holding the heading, for a modular spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub module: Option<String>,
}

/// What the active packets cite.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
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
        let module = match spec.resolve(&r.anchor) {
            Resolution::MainBody(h) | Resolution::RoadmapOnly(h) => h.module,
            Resolution::Missing => None,
        };
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
                    .at_line(spec.path_of(&h).to_string(), h.line),
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
            module,
        });
    }
    (states, diags)
}

/// Every anchor cited by an active packet resolves in the Main Body. When it does not
/// and the previous version had it, the message says so. When the number is a heading
/// only inside a code fence of the spec, the finding names the fence: the spec, not
/// the packet, is then the likelier fault.
pub fn cited(
    spec: &Spec,
    previous: Option<&Spec>,
    inventory: &Inventory,
) -> (Cited, Vec<Diagnostic>) {
    let mut cited = Cited::default();
    let mut diags = Vec::new();
    for p in inventory.active() {
        cited.active_packets += 1;
        for a in p.anchors.iter() {
            cited.anchors += 1;
            cited.numbers.extend(a.value.numbers());
            let problem = match spec.resolve(&a.value) {
                Resolution::MainBody(_) => continue,
                Resolution::RoadmapOnly(h) => format!(
                    "is only in the Roadmap of {} ({}), not in the binding Main Body",
                    label(spec),
                    spec.describe(&h)
                ),
                Resolution::Missing => {
                    if let Some(d) = fenced(spec, &a.value, &p.id.to_string(), &p.path) {
                        cited.unresolved += 1;
                        diags.push(d);
                        continue;
                    }
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

/// The finding for an anchor whose number only a heading line inside a code fence
/// carries, located at that fence.
fn fenced(spec: &Spec, anchor: &Anchor, id: &str, packet_path: &str) -> Option<Diagnostic> {
    let hidden = anchor
        .numbers()
        .iter()
        .find_map(|n| spec.hidden_heading(n).map(|h| (n.clone(), h)));
    let (number, h) = hidden?;
    let file = h.path.rsplit('/').next().unwrap_or(&h.path).to_string();
    Some(
        Diagnostic::new(
            &spc::CITED_HEADING_IN_FENCE,
            format!(
                "§{number}, cited by {id} ({packet_path}), is a heading only at {file} line {} inside the code fence opened at line {} and closed at line {}; if the fence is damaged, close it where it should end",
                h.line, h.fence_line, h.fence_close
            ),
        )
        .at_line(h.path.clone(), h.fence_line),
    )
}

/// `; v1.0 had it as `Title`` when the previous version's Main Body had the anchor.
fn had(prev: &Spec, anchor: &Anchor) -> String {
    match (anchor, prev.resolve(anchor)) {
        (Anchor::Range { .. }, Resolution::MainBody(_)) => {
            format!("; {} had the whole range (removed since)", label(prev))
        }
        (_, Resolution::MainBody(h)) => {
            format!("; {} had it as `{}` (removed since)", label(prev), h.title)
        }
        _ => String::new(),
    }
}

/// `v1.1`, or the path for an unversioned spec.
pub fn label(spec: &Spec) -> &str {
    spec.version.as_deref().unwrap_or(&spec.path)
}
