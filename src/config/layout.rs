//! Where governance documents live: the `docs` and `dotgov` presets, with any
//! `paths:` override from gov.yaml applied on top.

use super::PathsConfig;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LayoutName {
    Docs,
    Dotgov,
}

impl LayoutName {
    pub fn as_str(self) -> &'static str {
        match self {
            LayoutName::Docs => "docs",
            LayoutName::Dotgov => "dotgov",
        }
    }
}

/// Repository-relative paths (with `/` separators) of every governance document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    pub name: LayoutName,
    pub spec_pointer: String,
    pub task_board: String,
    pub signature_audit: String,
    pub packets: String,
    pub stubs: String,
    pub refinements: String,
    pub packet_template: String,
    pub gate_state: String,
}

impl Layout {
    pub fn preset(name: LayoutName) -> Layout {
        match name {
            LayoutName::Docs => Layout {
                name,
                spec_pointer: "docs/SPEC_CURRENT.md".into(),
                task_board: "docs/TASK_BOARD.md".into(),
                signature_audit: "docs/SIGNATURE_AUDIT.md".into(),
                packets: "docs/task_packets".into(),
                stubs: "docs/task_packets/stubs".into(),
                refinements: "docs/refinements".into(),
                packet_template: "docs/task_packets/TEMPLATE.md".into(),
                gate_state: "docs/ORCHESTRATOR_GATES.json".into(),
            },
            LayoutName::Dotgov => Layout {
                name,
                spec_pointer: ".GOV/roles_shared/SPEC_CURRENT.md".into(),
                task_board: ".GOV/roles_shared/TASK_BOARD.md".into(),
                signature_audit: ".GOV/roles_shared/SIGNATURE_AUDIT.md".into(),
                packets: ".GOV/task_packets".into(),
                stubs: ".GOV/task_packets/stubs".into(),
                refinements: ".GOV/refinements".into(),
                packet_template: ".GOV/templates/TASK_PACKET_TEMPLATE.md".into(),
                gate_state: ".GOV/roles/orchestrator/ORCHESTRATOR_GATES.json".into(),
            },
        }
    }

    pub fn with_overrides(mut self, p: &PathsConfig) -> Layout {
        let set = |slot: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *slot = v.trim_end_matches('/').to_string();
            }
        };
        set(&mut self.spec_pointer, &p.spec_pointer);
        set(&mut self.task_board, &p.task_board);
        set(&mut self.signature_audit, &p.signature_audit);
        set(&mut self.packets, &p.packets);
        set(&mut self.stubs, &p.stubs);
        set(&mut self.refinements, &p.refinements);
        set(&mut self.packet_template, &p.packet_template);
        set(&mut self.gate_state, &p.gate_state);
        self
    }
}
