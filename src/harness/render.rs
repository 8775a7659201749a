//! Answering a harness in its own protocol. Each answer is what the harness's
//! documentation says blocks or allows: a JSON decision on standard output with exit
//! 0 where the harness reads one, and exit 2 with the reason on standard error where
//! the harness is unknown (every harness here treats exit 2 as "block").

use super::Harness;
use crate::guard::Decision;
use serde_json::json;

/// What the hook process prints and exits with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookOutput {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

fn json_out(v: serde_json::Value) -> HookOutput {
    HookOutput {
        stdout: format!("{v}\n"),
        stderr: String::new(),
        code: 0,
    }
}

fn empty() -> HookOutput {
    HookOutput {
        stdout: String::new(),
        stderr: String::new(),
        code: 0,
    }
}

/// The answer to a pre-tool event.
pub fn render_pre_tool(h: Harness, d: &Decision) -> HookOutput {
    let reason = d.reason();
    let mut out = match (h, d.allowed()) {
        // Claude Code and Codex: exit 0 without output lets the call go on through the
        // normal permission flow; a deny decision blocks it and shows Claude the reason
        (Harness::Claude | Harness::Codex, true) => empty(),
        (Harness::Claude | Harness::Codex, false) => json_out(json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": reason,
            }
        })),
        // Cursor reads a permission on every path (invalid output counts as a block)
        (Harness::Cursor, true) => json_out(json!({ "permission": "allow" })),
        (Harness::Cursor, false) => json_out(json!({
            "permission": "deny",
            "user_message": first_line(d),
            "agent_message": reason,
        })),
        // Gemini CLI parses stdout as JSON on exit 0
        (Harness::Gemini, true) => json_out(json!({})),
        (Harness::Gemini, false) => json_out(json!({ "decision": "deny", "reason": reason })),
    };
    if d.allowed() && !d.findings.is_empty() {
        // fail-open notes: not part of the protocol, kept for the hook's log
        out.stderr = reason;
    }
    out
}

/// An event that could not be read: blocked in the harness's form when the harness
/// is known, else by exit 2 and the reason on standard error.
pub fn render_unreadable(h: Option<Harness>, d: &Decision) -> HookOutput {
    match h {
        Some(h) => render_pre_tool(h, d),
        None if d.allowed() => HookOutput {
            stdout: String::new(),
            stderr: d.reason(),
            code: 0,
        },
        None => HookOutput {
            stdout: String::new(),
            stderr: d.reason(),
            code: 2,
        },
    }
}

/// The answer to a stop event: `problems` is what post-work found (None: nothing).
/// A harness that already sent the agent back once (`retrying`) lets it stop.
pub fn render_stop(h: Harness, problems: Option<&str>, retrying: bool) -> HookOutput {
    let Some(text) = problems else {
        return match h {
            Harness::Claude | Harness::Codex => empty(),
            Harness::Cursor | Harness::Gemini => json_out(json!({})),
        };
    };
    match (h, retrying) {
        (Harness::Claude | Harness::Codex, false) => {
            json_out(json!({ "decision": "block", "reason": text }))
        }
        (Harness::Claude, true) => json_out(json!({ "systemMessage": text })),
        (Harness::Codex, true) => empty(),
        (Harness::Cursor, false) => json_out(json!({ "followup_message": text })),
        (Harness::Cursor, true) => json_out(json!({})),
        (Harness::Gemini, false) => json_out(json!({ "decision": "deny", "reason": text })),
        (Harness::Gemini, true) => json_out(json!({ "systemMessage": text })),
    }
}

fn first_line(d: &Decision) -> String {
    d.findings
        .iter()
        .find(|f| f.severity == crate::diag::Severity::Error)
        .map(|f| format!("gov guard: {}", f.message))
        .unwrap_or_else(|| "gov guard blocked this tool call".into())
}
