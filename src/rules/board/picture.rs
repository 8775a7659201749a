//! The board as a picture: every WP with its state and its dependencies, drawn as
//! Mermaid (renders in Markdown on the common forges) or Graphviz DOT. `gov graph`
//! prints it; `gov status --format html` draws the same nodes as inline SVG.

use super::Snapshot;
use crate::model::status::StatusKind;
use crate::model::wp_id::WpId;
use serde::Serialize;
use std::collections::BTreeMap;

/// One WP of the picture.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Node {
    /// The WP id.
    pub id: WpId,
    /// The state a reader goes by: the packet's status, else the board's, else Stub.
    pub state: &'static str,
    /// The packet's last validation verdict is PASS.
    pub validated: bool,
    /// A style class shared by every renderer.
    pub class: &'static str,
}

/// `from` waits for `to`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Link {
    /// The WP that waits.
    pub from: WpId,
    /// The WP it depends on.
    pub to: WpId,
}

/// Every WP of the board and its packets, and who waits for whom.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Picture {
    /// One node per WP, sorted by id.
    pub nodes: Vec<Node>,
    /// One link per dependency.
    pub links: Vec<Link>,
}

/// Fill and text colours per class; the legend order.
pub const CLASSES: &[(&str, &str, &str)] = &[
    ("validated", "#1a7f37", "#ffffff"),
    ("done", "#8fd19e", "#0b3d17"),
    ("review", "#8250df", "#ffffff"),
    ("progress", "#0969da", "#ffffff"),
    ("ready", "#f5d90a", "#3b3000"),
    ("blocked", "#cf222e", "#ffffff"),
    ("backlog", "#d0d7de", "#24292f"),
    ("superseded", "#f6f8fa", "#57606a"),
    ("unknown", "#ffffff", "#24292f"),
];

fn class_of(kind: Option<StatusKind>, validated: bool) -> &'static str {
    match kind {
        _ if validated => "validated",
        Some(StatusKind::Validated) => "validated",
        Some(StatusKind::Done) => "done",
        Some(StatusKind::ReadyForValidation) => "review",
        Some(StatusKind::InProgress) => "progress",
        Some(StatusKind::ReadyForDev) => "ready",
        Some(StatusKind::Blocked) => "blocked",
        Some(StatusKind::Backlog) | Some(StatusKind::Stub) => "backlog",
        Some(StatusKind::Superseded) => "superseded",
        None => "unknown",
    }
}

impl Picture {
    pub fn of(snap: &Snapshot) -> Picture {
        let mut kinds: BTreeMap<WpId, Option<StatusKind>> = BTreeMap::new();
        for e in &snap.board.entries {
            let kind = e.explicit.as_ref().and_then(|s| s.kind);
            let slot = kinds.entry(e.id.clone()).or_insert(kind);
            if slot.is_none() {
                *slot = kind;
            }
        }
        for id in snap.inventory.stubs.keys() {
            kinds.entry(id.clone()).or_insert(Some(StatusKind::Stub));
        }
        for (id, p) in &snap.inventory.packets {
            // the packet is authoritative for its own state
            kinds.insert(id.clone(), p.status_kind());
        }
        let mut links = Vec::new();
        for (from, edges) in &snap.graph.edges {
            for e in edges {
                kinds.entry(e.to.clone()).or_insert(None);
                kinds.entry(from.clone()).or_insert(None);
                links.push(Link {
                    from: from.clone(),
                    to: e.to.clone(),
                });
            }
        }
        let nodes = kinds
            .into_iter()
            .map(|(id, kind)| {
                let validated = snap.inventory.is_validated(&id);
                Node {
                    state: kind.map_or("unknown", StatusKind::label),
                    class: class_of(kind, validated),
                    validated,
                    id,
                }
            })
            .collect();
        Picture { nodes, links }
    }

    /// A Mermaid flowchart: each dependency points from the WP that must finish first
    /// to the WP that waits for it.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (i, n) in self.nodes.iter().enumerate() {
            out.push_str(&format!(
                "  n{i}[\"{}<br/>{}\"]:::{}\n",
                n.id, n.state, n.class
            ));
        }
        for l in &self.links {
            if let (Some(to), Some(from)) = (self.index(&l.to), self.index(&l.from)) {
                out.push_str(&format!("  n{to} --> n{from}\n"));
            }
        }
        for (class, fill, text) in CLASSES {
            out.push_str(&format!(
                "  classDef {class} fill:{fill},color:{text},stroke:#57606a\n"
            ));
        }
        out
    }

    /// Position of a WP in `nodes` (sorted by id): Mermaid keys are `n<index>`, since
    /// ids hold `-` and `.`, which keys may not, and a rewrite could make two ids one.
    pub fn index(&self, id: &WpId) -> Option<usize> {
        self.nodes.binary_search_by(|n| n.id.cmp(id)).ok()
    }

    /// Graphviz DOT, with the same colours and direction.
    pub fn dot(&self) -> String {
        let mut out = String::from(
            "digraph wps {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\"];\n",
        );
        for n in &self.nodes {
            let (_, fill, text) = CLASSES
                .iter()
                .find(|c| c.0 == n.class)
                .copied()
                .unwrap_or(("", "#ffffff", "#000000"));
            out.push_str(&format!(
                "  \"{}\" [label=\"{}\\n{}\", fillcolor=\"{fill}\", fontcolor=\"{text}\"];\n",
                n.id, n.id, n.state
            ));
        }
        for l in &self.links {
            out.push_str(&format!("  \"{}\" -> \"{}\";\n", l.to, l.from));
        }
        out.push_str("}\n");
        out
    }
}
