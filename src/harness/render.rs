//! Answering a harness in its own protocol. Each answer is what the harness's
//! documentation says blocks or allows: a JSON decision on standard output with exit
//! 0 where the harness reads one, and exit 2 with the reason on standard error where
//! the harness is unknown (every harness here treats exit 2 as "block").

use super::Harness;
use crate::guard::Decision;
use schemars::JsonSchema;
use serde::Serialize;

/// The data of `gov guard`: the JSON answer on standard output, in the protocol of
/// the harness that sent the event. Where the harness reads silence as "go on"
/// (Claude Code and Codex allowing a call), nothing is printed at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum GuardData {
    /// Claude Code and Codex: the tool call is denied.
    PreToolDeny(PreToolDeny),
    /// Cursor: the permission for a tool call.
    Permission(Permission),
    /// A decision and its reason: Gemini CLI's deny; Claude Code's and Codex's stop
    /// block (the agent goes on working).
    Decision(HookDecision),
    /// A message shown to the user when the agent stops again with problems left
    /// (Claude Code, Gemini CLI).
    SystemMessage(SystemMessage),
    /// Cursor: a follow-up sent back to the agent when it stops with problems left.
    Followup(Followup),
    /// `{}`: allowed, or nothing to say (Gemini CLI, Cursor).
    Empty(Empty),
}

/// Claude Code's and Codex's PreToolUse answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreToolDeny {
    /// The hook's answer for the event.
    #[serde(rename = "hookSpecificOutput")]
    pub hook_specific_output: PreToolOutput,
}

/// The PreToolUse decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreToolOutput {
    /// Always `PreToolUse`.
    #[serde(rename = "hookEventName")]
    pub hook_event_name: String,
    /// Always `deny` (an allowed call gets no answer).
    #[serde(rename = "permissionDecision")]
    pub permission_decision: String,
    /// Why: every finding, for the agent to read.
    #[serde(rename = "permissionDecisionReason")]
    pub permission_decision_reason: String,
}

/// Cursor's permission answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    /// `allow` or `deny`.
    pub permission: String,
    /// The first error, for the user; only on deny.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_message: Option<String>,
    /// Every finding, for the agent; only on deny.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_message: Option<String>,
}

/// A decision with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HookDecision {
    /// `deny` (Gemini CLI) or `block` (a stop, Claude Code and Codex).
    pub decision: String,
    /// Why, for the agent to read.
    pub reason: String,
}

/// A message for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemMessage {
    /// What post-work still finds.
    #[serde(rename = "systemMessage")]
    pub system_message: String,
}

/// Cursor's stop follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Followup {
    /// What post-work finds, sent to the agent as its next message.
    pub followup_message: String,
}

/// An empty object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

fn decision(decision: &str, reason: String) -> GuardData {
    GuardData::Decision(HookDecision {
        decision: decision.to_string(),
        reason,
    })
}

fn system_message(text: &str) -> GuardData {
    GuardData::SystemMessage(SystemMessage {
        system_message: text.to_string(),
    })
}

/// What the hook process prints and exits with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookOutput {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

fn json_out(data: GuardData) -> HookOutput {
    // through a Value, whose keys are sorted: the bytes do not depend on field order
    let v = serde_json::to_value(&data).unwrap_or_default();
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
        (Harness::Claude | Harness::Codex, false) => {
            json_out(GuardData::PreToolDeny(PreToolDeny {
                hook_specific_output: PreToolOutput {
                    hook_event_name: "PreToolUse".into(),
                    permission_decision: "deny".into(),
                    permission_decision_reason: reason.clone(),
                },
            }))
        }
        // Cursor reads a permission on every path (invalid output counts as a block)
        (Harness::Cursor, true) => json_out(GuardData::Permission(Permission {
            permission: "allow".into(),
            user_message: None,
            agent_message: None,
        })),
        (Harness::Cursor, false) => json_out(GuardData::Permission(Permission {
            permission: "deny".into(),
            user_message: Some(first_line(d)),
            agent_message: Some(reason.clone()),
        })),
        // Gemini CLI parses stdout as JSON on exit 0
        (Harness::Gemini, true) => json_out(GuardData::Empty(Empty {})),
        (Harness::Gemini, false) => json_out(decision("deny", reason.clone())),
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
            Harness::Cursor | Harness::Gemini => json_out(GuardData::Empty(Empty {})),
        };
    };
    match (h, retrying) {
        (Harness::Claude | Harness::Codex, false) => json_out(decision("block", text.into())),
        (Harness::Claude, true) => json_out(system_message(text)),
        (Harness::Codex, true) => empty(),
        (Harness::Cursor, false) => json_out(GuardData::Followup(Followup {
            followup_message: text.to_string(),
        })),
        (Harness::Cursor, true) => json_out(GuardData::Empty(Empty {})),
        (Harness::Gemini, false) => json_out(decision("deny", text.into())),
        (Harness::Gemini, true) => json_out(system_message(text)),
    }
}

fn first_line(d: &Decision) -> String {
    d.findings
        .iter()
        .find(|f| f.severity == crate::diag::Severity::Error)
        .map(|f| format!("gov guard: {}", f.message))
        .unwrap_or_else(|| "gov guard blocked this tool call".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    fn stop(h: Harness, retrying: bool) -> String {
        render_stop(h, Some("2 errors"), retrying).stdout
    }

    #[test]
    fn stop_answers_in_each_protocol() {
        assert_eq!(
            stop(Harness::Claude, false),
            "{\"decision\":\"block\",\"reason\":\"2 errors\"}\n"
        );
        assert_eq!(
            stop(Harness::Claude, true),
            "{\"systemMessage\":\"2 errors\"}\n"
        );
        assert_eq!(stop(Harness::Codex, true), "");
        assert_eq!(
            stop(Harness::Cursor, false),
            "{\"followup_message\":\"2 errors\"}\n"
        );
        assert_eq!(stop(Harness::Cursor, true), "{}\n");
        assert_eq!(
            stop(Harness::Gemini, false),
            "{\"decision\":\"deny\",\"reason\":\"2 errors\"}\n"
        );
        assert_eq!(render_stop(Harness::Gemini, None, false).stdout, "{}\n");
    }

    #[test]
    fn pre_tool_answers_in_each_protocol() {
        let allowed = Decision::default();
        assert_eq!(render_pre_tool(Harness::Claude, &allowed).stdout, "");
        assert_eq!(
            render_pre_tool(Harness::Cursor, &allowed).stdout,
            "{\"permission\":\"allow\"}\n"
        );
        let d = Diagnostic::new(&crate::diag::codes::grd::NO_ACTIVE_PACKET, "no packet");
        let blocked = Decision::blocked(d);
        let claude: serde_json::Value =
            serde_json::from_str(&render_pre_tool(Harness::Codex, &blocked).stdout).unwrap();
        assert_eq!(claude["hookSpecificOutput"]["permissionDecision"], "deny");
        assert_eq!(claude["hookSpecificOutput"]["hookEventName"], "PreToolUse");
        let cursor = render_pre_tool(Harness::Cursor, &blocked).stdout;
        assert!(
            cursor.starts_with("{\"agent_message\":") && cursor.contains("\"permission\":\"deny\""),
            "{cursor}"
        );
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;

    #[test]
    fn each_answer_shape_is_closed() {
        let schema = serde_json::to_value(schemars::schema_for!(GuardData)).unwrap();
        let shapes = schema["anyOf"].as_array().expect("untagged: anyOf");
        assert_eq!(shapes.len(), 6);
        // `{}` must not match every answer: each shape forbids other members
        let text = schema.to_string();
        assert!(
            text.matches("\"additionalProperties\":false").count() >= 6,
            "{text}"
        );
    }
}
