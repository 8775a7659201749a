//! From a tool's name and input to the files it writes. Tool names differ per
//! harness (Claude's `Write`, Gemini's `write_file`, Codex's `apply_patch`); unknown
//! tools that carry a file path are treated as writing it, so a new tool is checked
//! rather than waved through.

use crate::guard::patch::{self, PatchChange};
use crate::guard::shell;
use crate::guard::{Change, ToolCall, Write};
use serde_json::Value;

/// Tools known to write nothing in the repository.
const READ_ONLY: &[&str] = &[
    // Claude Code
    "Read",
    "Glob",
    "Grep",
    "LS",
    "WebFetch",
    "WebSearch",
    "TodoWrite",
    "Task",
    "ExitPlanMode",
    "NotebookRead",
    "BashOutput",
    "KillShell",
    "KillBash",
    "SlashCommand",
    "Skill",
    "AskUserQuestion",
    // Gemini CLI
    "read_file",
    "read_many_files",
    "list_directory",
    "glob",
    "search_file_content",
    "google_web_search",
    "web_fetch",
    "save_memory",
    "write_todos",
    // Cursor
    "Grep",
    "Read",
    "read_file",
    "codebase_search",
    "list_dir",
    "file_search",
];

const SHELL: &[&str] = &[
    "Bash",
    "Shell",
    "run_shell_command",
    "run_terminal_cmd",
    "shell",
    "exec_command",
    "local_shell",
];
const PATCH: &[&str] = &["apply_patch", "ApplyPatch"];
const PATH_KEYS: &[&str] = &[
    "file_path",
    "notebook_path",
    "path",
    "target_file",
    "filePath",
    "absolute_path",
];

fn text<'a>(input: &'a Value, key: &str) -> Option<&'a str> {
    input.get(key).and_then(Value::as_str)
}

/// Fills `call.writes` and `call.unreadable` from a tool's input.
pub fn writes_of(call: &mut ToolCall, input: &Value) {
    let tool = call.tool.as_str();
    if SHELL.contains(&tool) {
        // Codex's shell tools pass the command as an argv array
        let command = match input.get("command") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(a)) => shell_join(a),
            _ => String::new(),
        };
        if command.trim_start().starts_with("*** Begin Patch") {
            return patch_writes(call, &command);
        }
        let found = shell::writes(&command);
        call.writes.extend(
            found
                .paths
                .into_iter()
                .map(|p| Write::new(p, Change::Unknown)),
        );
        call.unreadable.extend(found.unreadable);
        return;
    }
    let patch_text = text(input, "command")
        .or_else(|| text(input, "patch"))
        .or_else(|| text(input, "input"));
    if PATCH.contains(&tool)
        || patch_text.is_some_and(|t| t.trim_start().starts_with("*** Begin Patch"))
    {
        return patch_writes(call, patch_text.unwrap_or(""));
    }
    if READ_ONLY.contains(&tool) {
        return;
    }
    let Some(path) = PATH_KEYS.iter().find_map(|k| text(input, k)) else {
        return;
    };
    let change = match tool {
        "Write" | "write_file" | "Create" => text(input, "content")
            .or_else(|| text(input, "contents"))
            .map_or(Change::Unknown, |c| Change::Whole(c.to_string())),
        "Edit" | "replace" | "search_replace" => {
            edit(input).map_or(Change::Unknown, |e| Change::Replace(vec![e]))
        }
        "MultiEdit" => input
            .get("edits")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(edit).collect::<Option<Vec<_>>>())
            .map_or(Change::Unknown, Change::Replace),
        "Delete" | "delete_file" => Change::Delete,
        _ => Change::Unknown,
    };
    call.writes.push(Write::new(path, change));
}

/// Claude's `old_string`/`new_string`/`replace_all`; Gemini's `replace` takes
/// `expected_replacements` (more than one means every occurrence).
fn edit(v: &Value) -> Option<(String, String, bool)> {
    let old = text(v, "old_string")?.to_string();
    let new = text(v, "new_string")?.to_string();
    let all = v
        .get("replace_all")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || v.get("expected_replacements")
            .and_then(Value::as_u64)
            .is_some_and(|n| n > 1);
    Some((old, new, all))
}

fn patch_writes(call: &mut ToolCall, text: &str) {
    let files = patch::files(text);
    if files.is_empty() {
        call.unreadable
            .push("a patch that names no file".to_string());
    }
    for f in files {
        let change = match f.change {
            PatchChange::Add(c) => Change::Whole(c),
            PatchChange::Update(h) if !h.is_empty() => {
                Change::Replace(h.into_iter().map(|(o, n)| (o, n, false)).collect())
            }
            PatchChange::Update(_) | PatchChange::MovedHere => Change::Unknown,
            PatchChange::Delete => Change::Delete,
        };
        call.writes.push(Write::new(f.path, change));
    }
}

/// An argv array as one command line (`["bash", "-lc", "echo > f"]` → its script).
fn shell_join(argv: &[Value]) -> String {
    let words: Vec<&str> = argv.iter().filter_map(Value::as_str).collect();
    // `bash -lc SCRIPT` and `sh -c SCRIPT`: the script is what runs
    if let Some(i) = words
        .iter()
        .position(|w| w.starts_with('-') && w.ends_with('c'))
    {
        if let Some(script) = words.get(i + 1) {
            return script.to_string();
        }
    }
    words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}
