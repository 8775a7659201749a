//! The project-level hook configuration each harness reads, and gov's entries in
//! it. Installing merges gov's entries into what is there (nothing else changes);
//! uninstalling removes exactly those entries, and the containers that held only
//! them.
//!
//! Shapes: Claude Code, Codex and Gemini CLI nest `hooks.<Event>[]` groups of
//! `{matcher?, hooks: [{type: "command", command}]}`; Cursor lists
//! `hooks.<event>[]` of `{command}` beside `version: 1`.

use super::Harness;
use serde_json::{json, Map, Value};

/// One hook gov installs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookEntry {
    pub event: &'static str,
    pub matcher: Option<&'static str>,
    pub command: String,
    /// Whether this is the stop hook (`--on-stop`).
    pub on_stop: bool,
}

/// The hooks gov installs for a harness: the pre-tool guard on the tools that write,
/// and the stop hook.
pub fn entries(h: Harness) -> Vec<HookEntry> {
    let guard = format!("gov guard --harness {}", h.as_str());
    let stop = format!("{guard} --on-stop");
    let e = |event, matcher, command: &str, on_stop| HookEntry {
        event,
        matcher,
        command: command.to_string(),
        on_stop,
    };
    match h {
        Harness::Claude => vec![
            e(
                "PreToolUse",
                Some("Write|Edit|MultiEdit|NotebookEdit|Bash"),
                &guard,
                false,
            ),
            e("Stop", None, &stop, true),
        ],
        // Codex reports file edits as apply_patch, with Edit and Write as aliases
        Harness::Codex => vec![
            e(
                "PreToolUse",
                Some("Bash|apply_patch|Edit|Write"),
                &guard,
                false,
            ),
            e("Stop", None, &stop, true),
        ],
        Harness::Cursor => vec![
            e("preToolUse", None, &guard, false),
            e("beforeShellExecution", None, &guard, false),
            e("stop", None, &stop, true),
        ],
        Harness::Gemini => vec![
            e(
                "BeforeTool",
                Some("write_file|replace|run_shell_command"),
                &guard,
                false,
            ),
            e("AfterAgent", None, &stop, true),
        ],
    }
}

/// Why a configuration cannot be merged into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError(pub String);

fn hooks_of<'a>(
    root: &'a mut Map<String, Value>,
    path: &str,
) -> Result<&'a mut Map<String, Value>, ShapeError> {
    let hooks = root
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()));
    hooks
        .as_object_mut()
        .ok_or_else(|| ShapeError(format!("`hooks` in {path} is not an object")))
}

/// Merges gov's entries into `config` (a parsed file, or `None` for a new one).
/// Returns the new document and how many entries were added (0: all were there).
pub fn install(h: Harness, config: Option<Value>) -> Result<(Value, usize), ShapeError> {
    let path = h.config_file();
    let mut doc = match config {
        None => Map::new(),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(ShapeError(format!("{path} is not a JSON object"))),
    };
    if h == Harness::Cursor && !doc.contains_key("version") {
        doc.insert("version".into(), json!(1));
    }
    let hooks = hooks_of(&mut doc, path)?;
    let mut added = 0;
    for e in entries(h) {
        let list = hooks
            .entry(e.event)
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .ok_or_else(|| ShapeError(format!("`hooks.{}` in {path} is not a list", e.event)))?;
        if list.iter().any(|g| holds(h, g, &e.command)) {
            continue;
        }
        list.push(group(h, &e));
        added += 1;
    }
    Ok((Value::Object(doc), added))
}

fn group(h: Harness, e: &HookEntry) -> Value {
    if h == Harness::Cursor {
        return json!({ "command": e.command });
    }
    let mut handler = json!({ "type": "command", "command": e.command });
    if h == Harness::Gemini {
        handler["name"] = json!(if e.on_stop {
            "gov-guard-stop"
        } else {
            "gov-guard"
        });
    }
    let mut g = Map::new();
    if let Some(m) = e.matcher {
        g.insert("matcher".into(), json!(m));
    }
    g.insert("hooks".into(), json!([handler]));
    Value::Object(g)
}

/// Whether a group (or a Cursor entry) runs exactly `command`.
fn holds(h: Harness, g: &Value, command: &str) -> bool {
    commands_in(h, g).any(|c| c == command)
}

fn commands_in<'a>(h: Harness, g: &'a Value) -> Box<dyn Iterator<Item = &'a str> + 'a> {
    if h == Harness::Cursor {
        return Box::new(g.get("command").and_then(Value::as_str).into_iter());
    }
    Box::new(
        g.get("hooks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|x| x.get("command").and_then(Value::as_str)),
    )
}

/// Removes gov's entries. Returns the document (`None` when nothing else is left
/// in it, so the file can go) and how many entries were removed.
pub fn uninstall(h: Harness, config: Value) -> Result<(Option<Value>, usize), ShapeError> {
    let path = h.config_file();
    let Value::Object(mut doc) = config else {
        return Err(ShapeError(format!("{path} is not a JSON object")));
    };
    let ours: Vec<HookEntry> = entries(h);
    let mut removed = 0;
    if let Some(Value::Object(hooks)) = doc.get_mut("hooks") {
        for e in &ours {
            let Some(Value::Array(list)) = hooks.get_mut(e.event) else {
                continue;
            };
            for g in list.iter_mut() {
                if h != Harness::Cursor {
                    if let Some(Value::Array(handlers)) = g.get_mut("hooks") {
                        let before = handlers.len();
                        handlers.retain(|x| {
                            x.get("command").and_then(Value::as_str) != Some(e.command.as_str())
                        });
                        removed += before - handlers.len();
                    }
                }
            }
            let before = list.len();
            list.retain(|g| {
                if h == Harness::Cursor {
                    g.get("command").and_then(Value::as_str) != Some(e.command.as_str())
                } else {
                    // a group gov emptied goes; one that had other handlers stays
                    !g.get("hooks")
                        .and_then(Value::as_array)
                        .is_some_and(Vec::is_empty)
                }
            });
            if h == Harness::Cursor {
                removed += before - list.len();
            }
            if list.is_empty() {
                hooks.remove(e.event);
            }
        }
        if hooks.is_empty() {
            doc.remove("hooks");
        }
    }
    let only_version =
        h == Harness::Cursor && doc.len() == 1 && doc.get("version") == Some(&json!(1));
    let left = if doc.is_empty() || (only_version && removed > 0) {
        None
    } else {
        Some(Value::Object(doc))
    };
    Ok((left, removed))
}

/// The gov guard commands installed in `config` for pre-tool events, with the event
/// they are registered for.
pub fn installed_guards(h: Harness, config: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(Value::Object(hooks)) = config.get("hooks") else {
        return out;
    };
    for e in entries(h).into_iter().filter(|e| !e.on_stop) {
        for g in hooks
            .get(e.event)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for c in commands_in(h, g) {
                let mut words = c.split_whitespace();
                let gov = words
                    .next()
                    .is_some_and(|w| w == "gov" || w.ends_with("/gov"));
                if gov && words.any(|w| w == "guard") && !c.contains("--on-stop") {
                    out.push((e.event.to_string(), c.to_string()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_merges_and_uninstall_restores() {
        for h in super::super::ALL {
            let user = json!({
                "model": "x",
                "hooks": {
                    entries(h)[0].event: [ {"matcher": "Other", "hooks": [{"type": "command", "command": "keep-me"}]} ]
                }
            });
            let (installed, added) = install(h, Some(user.clone())).unwrap();
            assert_eq!(added, entries(h).len(), "{h:?}");
            let (again, added_again) = install(h, Some(installed.clone())).unwrap();
            assert_eq!(added_again, 0);
            assert_eq!(again, installed);
            assert_eq!(
                installed_guards(h, &installed).len(),
                entries(h).iter().filter(|e| !e.on_stop).count()
            );
            let (left, removed) = uninstall(h, installed).unwrap();
            assert_eq!(removed, entries(h).len(), "{h:?}");
            let mut expected = user.clone();
            if h == Harness::Cursor {
                expected["version"] = json!(1);
            }
            assert_eq!(left.unwrap(), expected, "{h:?}");
        }
    }

    #[test]
    fn a_new_file_is_removed_whole() {
        for h in super::super::ALL {
            let (installed, _) = install(h, None).unwrap();
            let (left, _) = uninstall(h, installed).unwrap();
            assert_eq!(left, None, "{h:?}");
        }
    }

    #[test]
    fn shapes_gov_cannot_merge_into_are_refused() {
        assert!(install(Harness::Claude, Some(json!([]))).is_err());
        assert!(install(Harness::Claude, Some(json!({"hooks": 3}))).is_err());
        assert!(install(Harness::Claude, Some(json!({"hooks": {"PreToolUse": {}}}))).is_err());
    }
}
