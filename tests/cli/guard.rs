//! `gov guard`: every harness's events from `tests/fixtures/agents/`, both ways
//! (an in-scope write allowed, `src/api/admin.rs` blocked), the decision shapes each
//! harness reads, the active-packet rules, and hostile input.

use crate::support::{fixtures_dir, Gov, FIXED_NOW};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

pub struct Hook {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Hook {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {:?} / {}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs gov in `root` with `stdin` piped in.
pub fn run_stdin(root: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Hook {
    let mut cmd = crate::support::gov_command();
    cmd.args(args)
        .current_dir(root)
        .env("GOV_NOW", FIXED_NOW)
        .env("NO_COLOR", "1")
        .env_remove("GOV_WP")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn gov");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    // write on a thread: gov may stop reading (and exit) before taking it all
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    Hook {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

pub fn repo() -> Gov {
    Gov::fixture("guard")
}

/// A fixture event with `$ROOT` filled in.
pub fn event(root: &Path, harness: &str, name: &str) -> String {
    let text =
        std::fs::read_to_string(fixtures_dir().join(format!("agents/{harness}/{name}.json")))
            .expect("fixture");
    text.replace("$ROOT", &root.display().to_string())
}

pub fn guard(root: &Path, harness: &str, input: &str) -> Hook {
    run_stdin(
        root,
        &["guard", "--harness", harness, "--wp", "WP-1-Login"],
        input.as_bytes(),
        &[],
    )
}

/// Whether the harness reads this answer as a block (its documented shapes).
fn blocked(harness: &str, h: &Hook) -> bool {
    if h.code == 2 {
        return true;
    }
    assert_eq!(h.code, 0, "{}", h.stderr);
    match harness {
        "claude" | "codex" => {
            !h.stdout.trim().is_empty()
                && h.json()["hookSpecificOutput"]["permissionDecision"] == "deny"
        }
        "cursor" => h.json()["permission"] == "deny",
        "gemini" => h.json()["decision"] == "deny",
        _ => unreachable!(),
    }
}

/// The answer with gov's texts replaced, to compare with a `decision.*.json` fixture.
fn shape(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match k.as_str() {
                        "permissionDecisionReason"
                        | "reason"
                        | "agent_message"
                        | "followup_message" => *x = Value::String("<reason>".into()),
                        "user_message" => *x = Value::String("<short>".into()),
                        _ => walk(x),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

fn fixture_json(harness: &str, name: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixtures_dir().join(format!("agents/{harness}/{name}.json")))
            .expect("fixture"),
    )
    .expect("json")
}

pub const PRE_TOOL_EVENTS: &[(&str, &str)] = &[
    ("claude", "pre_tool_use.write"),
    ("claude", "pre_tool_use.edit"),
    ("claude", "pre_tool_use.multi_edit"),
    ("claude", "pre_tool_use.notebook_edit"),
    ("claude", "pre_tool_use.bash"),
    ("codex", "pre_tool_use.apply_patch"),
    ("codex", "pre_tool_use.bash"),
    ("cursor", "pre_tool_use.write"),
    ("cursor", "before_shell_execution"),
    ("gemini", "before_tool.write_file"),
    ("gemini", "before_tool.replace"),
    ("gemini", "before_tool.run_shell_command"),
];

fn deny_fixture(harness: &str) -> &'static str {
    match harness {
        "claude" | "codex" => "decision.pre_tool_use.deny",
        "cursor" => "decision.permission.deny",
        _ => "decision.before_tool.deny",
    }
}

#[test]
fn every_event_both_ways_in_each_harness_protocol() {
    let gov = repo();
    let root = gov.root();
    for (harness, name) in PRE_TOOL_EVENTS {
        let inside = event(root, harness, name);
        let allowed = guard(root, harness, &inside);
        assert!(
            !blocked(harness, &allowed),
            "{harness} {name} in scope: {}",
            allowed.stdout
        );
        if *harness == "cursor" {
            assert_eq!(
                allowed.json(),
                fixture_json("cursor", "decision.permission.allow")
            );
        }
        let outside = inside.replace("src/api/auth.rs", "src/api/admin.rs");
        let denied = guard(root, harness, &outside);
        assert!(
            blocked(harness, &denied),
            "{harness} {name} out of scope: {}",
            denied.stdout
        );
        assert_eq!(
            shape(denied.json()),
            fixture_json(harness, deny_fixture(harness)),
            "{harness} {name}"
        );
        let text = denied.stdout.clone();
        assert!(
            text.contains("GRD001")
                && text.contains("src/api/admin.rs")
                && text.contains("WP-1-Login"),
            "{text}"
        );
        // what the harness shows is told from the event alone too
        let auto = run_stdin(
            root,
            &["guard", "--wp", "WP-1-Login"],
            outside.as_bytes(),
            &[],
        );
        assert!(blocked(harness, &auto), "{harness} {name} auto-detected");
    }
}

#[test]
fn the_agent_reads_the_packet_the_path_and_what_to_do() {
    let gov = repo();
    let root = gov.root();
    let outside =
        event(root, "claude", "pre_tool_use.write").replace("src/api/auth.rs", "src/api/admin.rs");
    let h = guard(root, "claude", &outside);
    let reason = h.json()["hookSpecificOutput"]["permissionDecisionReason"]
        .as_str()
        .unwrap()
        .to_string();
    insta::assert_snapshot!(reason);
}

#[test]
fn writes_into_another_in_progress_packets_scope_name_it() {
    let gov = repo();
    let root = gov.root();
    for path in [
        "src/billing/invoice.rs",
        "src/billing/tax/vat.rs",
        "SRC/Billing/Invoice.rs",
    ] {
        let e = event(root, "claude", "pre_tool_use.write").replace("src/api/auth.rs", path);
        let h = guard(root, "claude", &e);
        let reason = h.json()["hookSpecificOutput"]["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            reason.contains("GRD002") && reason.contains("WP-1-Billing"),
            "{path}: {reason}"
        );
    }
}

#[test]
fn governance_documents_and_hook_configs_are_not_the_agents() {
    let gov = repo();
    let root = gov.root();
    for path in [
        "docs/TASK_BOARD.md",
        "docs/SIGNATURE_AUDIT.md",
        "docs/task_packets/WP-1-Notes.md",
        "docs/task_packets/WP-1-Billing.md",
        "gov.yaml",
        ".claude/settings.json",
        "Master_Spec_v1.0.md",
        "DOCS/task_board.md",
    ] {
        let e = event(root, "claude", "pre_tool_use.write").replace("src/api/auth.rs", path);
        let h = guard(root, "claude", &e);
        assert!(blocked("claude", &h), "{path}");
        let reason = h.json()["hookSpecificOutput"]["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            reason.contains("GRD004") || reason.contains("GRD002"),
            "{path}: {reason}"
        );
    }
}

#[test]
fn own_packet_unsigned_sections_yes_signed_sections_no() {
    let gov = repo();
    let root = gov.root();
    let packet = root
        .join("docs/task_packets/WP-1-Login.md")
        .display()
        .to_string();
    let edit = |old: &str, new: &str| {
        serde_json::json!({
            "hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Edit",
            "tool_input": {"file_path": packet, "old_string": old, "new_string": new}
        })
        .to_string()
    };
    let ok = guard(
        root,
        "claude",
        &edit("- Notes:\n", "- Notes: tests pass locally\n"),
    );
    assert!(!blocked("claude", &ok), "{}", ok.stdout);
    let scope = guard(
        root,
        "claude",
        &edit(
            "  - Cargo.toml (no new crates expected)\n",
            "  - Cargo.toml (no new crates expected)\n  - src/api/admin.rs\n",
        ),
    );
    assert!(blocked("claude", &scope));
    assert!(scope.stdout.contains("GRD003"), "{}", scope.stdout);
    let done = guard(
        root,
        "claude",
        &edit("3. Invalid credentials", "3. Maybe invalid credentials"),
    );
    assert!(blocked("claude", &done));
    // a shell redirection into the signed packet cannot be judged: blocked
    let shell = serde_json::json!({"hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Bash", "tool_input": {"command": "echo x >> docs/task_packets/WP-1-Login.md"}}).to_string();
    assert!(blocked("claude", &guard(root, "claude", &shell)));
    // an unsigned packet is the agent's to edit whole
    let billing = root
        .join("docs/task_packets/WP-1-Billing.md")
        .display()
        .to_string();
    let e = serde_json::json!({"hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Write", "tool_input": {"file_path": billing, "content": "# new"}}).to_string();
    let h = run_stdin(
        root,
        &["guard", "--harness", "claude", "--wp", "WP-1-Billing"],
        e.as_bytes(),
        &[],
    );
    assert!(!blocked("claude", &h), "{}", h.stdout);
}

#[test]
fn hostile_paths_are_resolved_before_deciding() {
    let gov = repo();
    let root = gov.root();
    std::fs::create_dir_all(root.join("src/storage/migrations")).unwrap();
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("src/storage/migrations/escape"))
            .unwrap();
        std::os::unix::fs::symlink(
            root.join("src/api/admin.rs"),
            root.join("src/storage/migrations/alias.sql"),
        )
        .unwrap();
        for path in [
            "src/storage/migrations/escape/x.sql",
            "src/storage/migrations/alias.sql",
        ] {
            let e = event(root, "claude", "pre_tool_use.write")
                .replace(
                    "$ROOT/src/api/auth.rs",
                    &root.join(path).display().to_string(),
                )
                .replace(
                    &format!("{}/src/api/auth.rs", root.display()),
                    &root.join(path).display().to_string(),
                );
            assert!(blocked("claude", &guard(root, "claude", &e)), "{path}");
        }
        std::mem::forget(outside);
    }
    let cases = [
        "src/api/../api/../../outside.rs",
        "/etc/passwd",
        "../../etc/cron.d/x",
        ".git/hooks/pre-commit",
        "src/api/Auth.rs",
        "src/api/аuth.rs",
        "~/.bashrc",
        "src/api/auth.rs\u{0}.txt",
    ];
    for path in cases {
        let e = serde_json::json!({"hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Write", "tool_input": {"file_path": path, "content": "x"}}).to_string();
        let h = guard(root, "claude", &e);
        assert!(blocked("claude", &h), "{path:?} was allowed");
    }
    let e = |p: &str| {
        serde_json::json!({"hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Write", "tool_input": {"file_path": p, "content": "x"}}).to_string()
    };
    let case = guard(root, "claude", &e("src/api/Auth.rs"));
    assert!(case.stdout.contains("letter case"), "{}", case.stdout);
    let look = guard(root, "claude", &e("src/api/аuth.rs"));
    assert!(look.stdout.contains("lookalike"), "{}", look.stdout);
    // `..` that stays inside and lands in scope is the in-scope file
    assert!(!blocked(
        "claude",
        &guard(root, "claude", &e("src/storage/../api/auth.rs"))
    ));
    // exempt by gov.yaml
    assert!(!blocked(
        "claude",
        &guard(root, "claude", &e("target/debug/out.txt"))
    ));
}

#[test]
fn shell_targets_that_cannot_be_read_are_blocked_and_reads_are_not() {
    let gov = repo();
    let root = gov.root();
    let bash = |c: &str| {
        serde_json::json!({"hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Bash", "tool_input": {"command": c}}).to_string()
    };
    for c in [
        "echo x > $OUT",
        "echo x > \"$(pick)\"",
        "cat a | tee *.rs",
        "echo 'open",
    ] {
        let h = guard(root, "claude", &bash(c));
        assert!(blocked("claude", &h), "{c}");
    }
    for c in [
        "cargo test 2>&1 | tail",
        "ls -la > /dev/null",
        "grep -r login src",
        "echo x > src/api/auth.rs",
    ] {
        let h = guard(root, "claude", &bash(c));
        assert!(!blocked("claude", &h), "{c}: {}", h.stdout);
    }
}

#[test]
fn unreadable_events_fail_closed() {
    let gov = repo();
    let root = gov.root();
    let full = event(root, "claude", "pre_tool_use.write");
    let truncated = &full[..full.len() / 2];
    let huge = format!("{{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_input\":{{\"file_path\":\"src/api/auth.rs\",\"content\":\"{}\"}}}}", "x".repeat(9 * 1024 * 1024));
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", truncated.as_bytes().to_vec()),
        ("empty", Vec::new()),
        ("not json", b"tool=Write path=src/x".to_vec()),
        ("array", b"[1,2]".to_vec()),
        (
            "unknown event",
            br#"{"hook_event_name":"Teleport"}"#.to_vec(),
        ),
        (
            "no tool name",
            br#"{"hook_event_name":"PreToolUse","tool_input":{}}"#.to_vec(),
        ),
        (
            "invalid utf-8",
            b"{\"hook_event_name\":\"PreToolUse\xff\"}".to_vec(),
        ),
        ("huge", huge.into_bytes()),
    ];
    for (what, bytes) in &inputs {
        let h = run_stdin(
            root,
            &["guard", "--harness", "claude", "--wp", "WP-1-Login"],
            bytes,
            &[],
        );
        assert!(blocked("claude", &h), "{what}: {}", h.stdout);
        assert!(h.stdout.contains("GRD008"), "{what}: {}", h.stdout);
        // with no harness named: the harness the event names, else exit 2 and stderr
        let bare = run_stdin(root, &["guard"], bytes, &[]);
        assert!(blocked("claude", &bare), "{what}");
        assert!(
            bare.stderr.contains("GRD008") || bare.stdout.contains("GRD008"),
            "{what}: {}",
            bare.stderr
        );
        if !bare.stdout.contains("PreToolUse") {
            assert_eq!(bare.code, 2, "{what}");
        }
    }
    // guard.fail_open lets what cannot be read through, saying so
    std::fs::write(
        root.join("gov.yaml"),
        "version: 1\nguard:\n  fail_open: true\n",
    )
    .unwrap();
    let h = run_stdin(
        root,
        &["guard", "--harness", "claude"],
        truncated.as_bytes(),
        &[],
    );
    assert_eq!((h.code, h.stdout.as_str()), (0, ""));
    assert!(h.stderr.contains("GRD010"), "{}", h.stderr);
    // but never a write it judged out of scope
    let outside = full.replace("src/api/auth.rs", "src/api/admin.rs");
    assert!(blocked("claude", &guard(root, "claude", &outside)));
}

#[test]
fn the_active_packet_is_chosen_in_order() {
    let gov = repo();
    let root = gov.root();
    let e = event(root, "claude", "pre_tool_use.write");
    // two In Progress and nothing named: ambiguous
    let h = run_stdin(root, &["guard", "--harness", "claude"], e.as_bytes(), &[]);
    assert!(h.stdout.contains("GRD007"), "{}", h.stdout);
    // GOV_WP
    let h = run_stdin(
        root,
        &["guard", "--harness", "claude"],
        e.as_bytes(),
        &[("GOV_WP", "WP-1-Login")],
    );
    assert!(!blocked("claude", &h), "{}", h.stdout);
    let h = run_stdin(
        root,
        &["guard", "--harness", "claude"],
        e.as_bytes(),
        &[("GOV_WP", "WP-1-Billing")],
    );
    assert!(h.stdout.contains("GRD002"), "{}", h.stdout);
    // --wp wins over GOV_WP
    let h = run_stdin(
        root,
        &["guard", "--harness", "claude", "--wp", "WP-1-Login"],
        e.as_bytes(),
        &[("GOV_WP", "WP-1-Billing")],
    );
    assert!(!blocked("claude", &h));
    // the assignment `gov start` recorded for this worktree
    let gates = serde_json::json!({"gate_logs": [
        {"wpId": "WP-1-Billing", "type": "PREPARE", "data": {"coder": "a", "worktree": "/elsewhere", "branch": "feat/x"}, "timestamp": "2026-11-20T10:00:00Z"},
        {"wpId": "WP-1-Login", "type": "PREPARE", "data": {"coder": "b", "worktree": root.display().to_string(), "branch": "feat/login"}, "timestamp": "2026-11-20T11:00:00Z"}
    ]});
    std::fs::write(root.join("docs/ORCHESTRATOR_GATES.json"), gates.to_string()).unwrap();
    let h = run_stdin(root, &["guard", "--harness", "claude"], e.as_bytes(), &[]);
    assert!(!blocked("claude", &h), "{}", h.stdout);
    std::fs::remove_file(root.join("docs/ORCHESTRATOR_GATES.json")).unwrap();
    // the only In Progress packet
    let board = std::fs::read_to_string(root.join("docs/TASK_BOARD.md")).unwrap();
    std::fs::write(
        root.join("docs/TASK_BOARD.md"),
        board.replace(
            "- [WP-1-Billing] In-Progress since 2026-11-19, by coder-b\n",
            "",
        ),
    )
    .unwrap();
    let h = run_stdin(root, &["guard", "--harness", "claude"], e.as_bytes(), &[]);
    assert!(!blocked("claude", &h), "{}", h.stdout);
    // none
    std::fs::write(
        root.join("docs/TASK_BOARD.md"),
        "# Board\n\n## In Progress\n\n## Done\n",
    )
    .unwrap();
    let h = run_stdin(root, &["guard", "--harness", "claude"], e.as_bytes(), &[]);
    assert!(h.stdout.contains("GRD006"), "{}", h.stdout);
    // a call that writes nothing is never blocked
    let read = serde_json::json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "cargo test"}}).to_string();
    let h = run_stdin(
        root,
        &["guard", "--harness", "claude"],
        read.as_bytes(),
        &[],
    );
    assert_eq!((h.code, h.stdout.as_str()), (0, ""));
}

#[test]
fn stop_hooks_report_post_work_in_each_format() {
    let gov = repo();
    let root = gov.root();
    // no git repository: post-work cannot run, and the agent is told once
    for (harness, name, fixture) in [
        ("claude", "stop", Some("decision.stop.block")),
        ("codex", "stop", Some("decision.stop.block")),
        ("cursor", "stop", Some("decision.stop.followup")),
        ("gemini", "after_agent", Some("decision.after_agent.deny")),
    ] {
        let e = event(root, harness, name);
        let h = run_stdin(
            root,
            &[
                "guard",
                "--harness",
                harness,
                "--on-stop",
                "--wp",
                "WP-1-Login",
            ],
            e.as_bytes(),
            &[],
        );
        assert_eq!(h.code, 0, "{harness}: {}", h.stderr);
        assert_eq!(
            shape(h.json()),
            fixture_json(harness, fixture.unwrap()),
            "{harness}"
        );
        assert!(
            h.stdout.contains("post-work WP-1-Login"),
            "{harness}: {}",
            h.stdout
        );
        // already sent back once: let it stop
        let again = e
            .replace("\"stop_hook_active\": false", "\"stop_hook_active\": true")
            .replace("\"loop_count\": 0", "\"loop_count\": 5");
        let h = run_stdin(
            root,
            &[
                "guard",
                "--harness",
                harness,
                "--on-stop",
                "--wp",
                "WP-1-Login",
            ],
            again.as_bytes(),
            &[],
        );
        assert_eq!(h.code, 0);
        let v: Value = serde_json::from_str(h.stdout.trim()).unwrap_or(Value::Null);
        assert!(
            v.get("decision").is_none() && v.get("followup_message").is_none(),
            "{harness}: {}",
            h.stdout
        );
    }
}

#[test]
fn stop_hook_passes_clean_work_and_blocks_out_of_scope_work() {
    let gov = repo();
    let root = gov.root();
    let git = git2::Repository::init(root).unwrap();
    let commit_all = |msg: &str| {
        let mut index = git.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        let parent = git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        git.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .unwrap();
    };
    commit_all("base");
    std::fs::write(
        root.join("src/api/admin.rs"),
        "// changed outside the scope\n",
    )
    .unwrap();
    let e = event(root, "claude", "stop");
    let h = run_stdin(
        root,
        &[
            "guard",
            "--harness",
            "claude",
            "--on-stop",
            "--wp",
            "WP-1-Login",
        ],
        e.as_bytes(),
        &[],
    );
    let v = h.json();
    assert_eq!(v["decision"], "block", "{}", h.stdout);
    assert!(
        v["reason"].as_str().unwrap().contains("src/api/admin.rs"),
        "{}",
        h.stdout
    );
}
