//! Reading a hook event: the size cap, the JSON, the event name, and the fields each
//! harness sends for it. Whatever cannot be read is an [`EventError`], which the
//! guard answers by blocking (fail closed).

use super::tools::writes_of;
use super::Harness;
use crate::guard::{ToolCall, MAX_EVENT_BYTES};
use serde_json::Value;
use std::path::PathBuf;

/// One event, reduced to what the guard needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Before a tool runs: what it would write.
    PreTool(ToolCall),
    /// The agent is about to end its turn. `retrying` is true when this stop hook
    /// already sent the agent back once (Claude's and Gemini's `stop_hook_active`,
    /// Cursor's `loop_count`), so it must not keep it in a loop.
    Stop { retrying: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError(pub String);

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Cursor sends its stop hook again with a growing `loop_count`; after this many
/// follow-ups the stop is let through.
pub const CURSOR_MAX_FOLLOWUPS: u64 = 3;

/// Parses an event. With `harness` unknown it is told from the event's name.
pub fn parse_event(
    harness: Option<Harness>,
    bytes: &[u8],
) -> Result<(Harness, Event), (Option<Harness>, EventError)> {
    let fail = |h: Option<Harness>, msg: String| Err((h, EventError(msg)));
    if bytes.len() > MAX_EVENT_BYTES {
        return fail(
            harness,
            format!(
                "the event is {} bytes; the guard reads at most {MAX_EVENT_BYTES}",
                bytes.len()
            ),
        );
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return fail(harness, "the event is not UTF-8 text".into());
    };
    if text.trim().is_empty() {
        return fail(harness, "no event on standard input".into());
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return fail(harness, format!("the event is not valid JSON ({e})")),
    };
    let Value::Object(_) = value else {
        return fail(harness, "the event is not a JSON object".into());
    };
    let name = value
        .get("hook_event_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let detected = harness.or_else(|| detect(name, &value));
    let Some(h) = detected else {
        return fail(
            None,
            format!(
                "the event `{}` is not one the guard knows",
                crate::model::wp_id::printable(name)
            ),
        );
    };
    match parse_for(h, name, &value) {
        Ok(e) => Ok((h, e)),
        Err(msg) => fail(Some(h), msg),
    }
}

fn detect(name: &str, v: &Value) -> Option<Harness> {
    match name {
        "PreToolUse" | "Stop" | "SubagentStop" => {
            let codex = v.get("tool_name").and_then(Value::as_str) == Some("apply_patch");
            Some(if codex {
                Harness::Codex
            } else {
                Harness::Claude
            })
        }
        "preToolUse" | "beforeShellExecution" | "stop" => Some(Harness::Cursor),
        "BeforeTool" | "AfterAgent" => Some(Harness::Gemini),
        _ => None,
    }
}

fn parse_for(h: Harness, name: &str, v: &Value) -> Result<Event, String> {
    let unknown = || {
        Err(format!(
            "the {} event `{}` is not one the guard handles",
            h.as_str(),
            crate::model::wp_id::printable(name)
        ))
    };
    let stop_active = || {
        v.get("stop_hook_active")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    match h {
        Harness::Claude | Harness::Codex => match name {
            "PreToolUse" => tool_event(v, cwd_of(v)),
            // an event without a name but with a tool is a PreToolUse of an older build
            "" if v.get("tool_name").is_some() => tool_event(v, cwd_of(v)),
            "Stop" | "SubagentStop" => Ok(Event::Stop {
                retrying: stop_active(),
            }),
            _ => unknown(),
        },
        Harness::Gemini => match name {
            "BeforeTool" => tool_event(v, cwd_of(v)),
            "AfterAgent" => Ok(Event::Stop {
                retrying: stop_active(),
            }),
            _ => unknown(),
        },
        Harness::Cursor => {
            let cwd = cwd_of(v).or_else(|| {
                v.get("workspace_roots")
                    .and_then(Value::as_array)
                    .and_then(|r| r.first())
                    .and_then(Value::as_str)
                    .map(PathBuf::from)
            });
            match name {
                "preToolUse" => tool_event(v, cwd),
                "beforeShellExecution" => {
                    let Some(command) = v.get("command").and_then(Value::as_str) else {
                        return Err("the beforeShellExecution event has no `command`".into());
                    };
                    let mut call = ToolCall {
                        tool: "Shell".into(),
                        cwd,
                        ..ToolCall::default()
                    };
                    writes_of(&mut call, &serde_json::json!({ "command": command }));
                    Ok(Event::PreTool(call))
                }
                "stop" => {
                    let loops = v.get("loop_count").and_then(Value::as_u64).unwrap_or(0);
                    Ok(Event::Stop {
                        retrying: loops >= CURSOR_MAX_FOLLOWUPS,
                    })
                }
                _ => unknown(),
            }
        }
    }
}

fn cwd_of(v: &Value) -> Option<PathBuf> {
    v.get("cwd")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
}

fn tool_event(v: &Value, cwd: Option<PathBuf>) -> Result<Event, String> {
    let Some(tool) = v.get("tool_name").and_then(Value::as_str) else {
        return Err("the tool event has no `tool_name`".into());
    };
    let input = match v.get("tool_input") {
        Some(Value::Object(_)) => v["tool_input"].clone(),
        // some builds send the input as a JSON string
        Some(Value::String(s)) => serde_json::from_str(s).map_err(|_| {
            "the tool event's `tool_input` is a string that is not JSON".to_string()
        })?,
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(_) => return Err("the tool event's `tool_input` is not an object".into()),
    };
    let mut call = ToolCall {
        tool: tool.to_string(),
        cwd,
        ..ToolCall::default()
    };
    writes_of(&mut call, &input);
    Ok(Event::PreTool(call))
}
