//! The tools: one per read-only gate, each a gov command line. Descriptions are
//! short on purpose: an agent pays for them in tokens on every turn.

use serde_json::{json, Value};

struct Tool {
    name: &'static str,
    description: &'static str,
    /// Required string arguments, then optional ones.
    required: &'static [(&'static str, &'static str)],
    optional: &'static [(&'static str, &'static str)],
}

const WP: (&str, &str) = ("wp_id", "Packet id, e.g. WP-1-Storage-Layer");

const TOOLS: &[Tool] = &[
    Tool { name: "status", description: "Orchestrator overview: phase gates, packet states, drift, next commands.", required: &[], optional: &[] },
    Tool { name: "show", description: "One packet, parsed: status, scope, DONE_MEANS, test plan, signature.", required: &[WP], optional: &[] },
    Tool { name: "pre_work", description: "Gate 0: may work on this packet start?", required: &[WP], optional: &[] },
    Tool {
        name: "post_work",
        description: "Gate 1: is the packet's work done, in scope and evidenced? Default diff: working tree vs HEAD.",
        required: &[WP],
        optional: &[("range", "Commits A..B"), ("rev", "One commit"), ("staged", "Check the index against HEAD")],
    },
    Tool { name: "spec_regression", description: "Spec pointer and anchor integrity.", required: &[], optional: &[] },
    Tool { name: "board_check", description: "Task board integrity: sections, drift, blocks, dependencies.", required: &[], optional: &[] },
    Tool { name: "phase_gate", description: "May this phase close?", required: &[("phase", "Phase, e.g. Phase-1")], optional: &[] },
    Tool { name: "explain", description: "What a diagnostic code means and how to fix it; without a code, the list.", required: &[], optional: &[("code", "Code, e.g. PKT003")] },
];

/// The `tools/list` entries.
pub fn list() -> Vec<Value> {
    TOOLS
        .iter()
        .map(|t| {
            let mut props = serde_json::Map::new();
            for (name, desc) in t.required.iter().chain(t.optional) {
                let schema = if *name == "staged" {
                    json!({"type": "boolean", "description": desc})
                } else {
                    json!({"type": "string", "description": desc})
                };
                props.insert(name.to_string(), schema);
            }
            let required: Vec<&str> = t.required.iter().map(|(n, _)| *n).collect();
            json!({
                "name": t.name,
                "description": t.description,
                "inputSchema": {"type": "object", "properties": props, "required": required, "additionalProperties": false},
            })
        })
        .collect()
}

/// The gov command line for a call, or why the call is invalid.
pub fn argv(name: &str, args: &Value) -> Result<Vec<String>, String> {
    let tool = TOOLS
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| format!("unknown tool `{name}`"))?;
    let Value::Object(map) = args else {
        return Err("`arguments` must be an object".into());
    };
    for key in map.keys() {
        if !tool
            .required
            .iter()
            .chain(tool.optional)
            .any(|(n, _)| n == key)
        {
            return Err(format!("tool `{name}` has no argument `{key}`"));
        }
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.starts_with('-') => {
                Err(format!("`{key}` may not start with `-`"))
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let mut v: Vec<String> = vec![name.replace('_', "-")];
    for (key, _) in tool.required {
        v.push(text(key)?.ok_or_else(|| format!("tool `{name}` needs `{key}`"))?);
    }
    match name {
        "post_work" => {
            if let Some(r) = text("range")? {
                v.extend(["--range".into(), r]);
            }
            if let Some(r) = text("rev")? {
                v.extend(["--rev".into(), r]);
            }
            if matches!(map.get("staged"), Some(Value::Bool(true))) {
                v.push("--staged".into());
            }
        }
        "explain" => match text("code")? {
            Some(c) => v.push(c),
            None => v.push("--list".into()),
        },
        _ => {}
    }
    Ok(v)
}
