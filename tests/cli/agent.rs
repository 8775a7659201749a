//! `gov agent install|uninstall|check`: the real configuration shapes (pinned in
//! `tests/fixtures/agents/*/…installed.json`), merging without clobbering, exact
//! removal, and the canary check on a repository from `gov init`.

use crate::support::{fixtures_dir, Gov};
use serde_json::{json, Value};

fn read_json(gov: &Gov, path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(gov.root().join(path)).expect("file"))
        .expect("json")
}

fn fixture(name: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixtures_dir().join(format!("agents/{name}"))).unwrap(),
    )
    .unwrap()
}

/// `gov init` and a packet WP-1-First whose scope is src/first.rs, In Progress.
fn initialised() -> Gov {
    let gov = Gov::new();
    gov.run_with(&["init"]).expect_code(0);
    gov.run_with(&["create-task-packet", "WP-1-First"])
        .expect_code(0);
    let packet = gov.root().join("docs/task_packets/WP-1-First.md");
    let text = std::fs::read_to_string(&packet).unwrap();
    std::fs::write(
        &packet,
        text.replace("{exact file path 1}", "src/first.rs")
            .replace("{exact file path 2}", "tests/first.rs"),
    )
    .unwrap();
    gov
}

#[test]
fn install_writes_each_harness_shape() {
    for (h, file, fx) in [
        (
            "claude",
            ".claude/settings.json",
            "claude/settings.installed.json",
        ),
        ("codex", ".codex/hooks.json", "codex/hooks.installed.json"),
        (
            "cursor",
            ".cursor/hooks.json",
            "cursor/hooks.installed.json",
        ),
        (
            "gemini",
            ".gemini/settings.json",
            "gemini/settings.installed.json",
        ),
    ] {
        let gov = initialised();
        let run = gov.run_with(&["agent", "install", h, "--format", "json"]);
        run.expect_code(0);
        assert_eq!(
            run.json()["added"],
            json!(fixture(fx)["hooks"].as_object().unwrap().len()),
            "{h}"
        );
        assert_eq!(read_json(&gov, file), fixture(fx), "{h}");
        // installing again changes nothing
        let again = gov.run_with(&["agent", "install", h, "--format", "json"]);
        assert_eq!(again.json()["added"], 0);
        assert_eq!(read_json(&gov, file), fixture(fx));
        gov.run_with(&["agent", "uninstall", h]).expect_code(0);
        assert!(
            !gov.root().join(file).exists(),
            "{h}: gov created the file, so it goes"
        );
    }
}

#[test]
fn install_merges_and_uninstall_removes_only_what_it_added() {
    let user = json!({
        "permissions": {"allow": ["Bash(ls:*)"]},
        "hooks": {
            "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./scripts/audit.sh"}]}],
            "Notification": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]
        }
    });
    let gov = initialised().file(
        ".claude/settings.json",
        serde_json::to_string_pretty(&user).unwrap(),
    );
    gov.run_with(&["agent", "install", "claude"]).expect_code(0);
    let merged = read_json(&gov, ".claude/settings.json");
    assert_eq!(merged["permissions"], user["permissions"]);
    assert_eq!(
        merged["hooks"]["Notification"],
        user["hooks"]["Notification"]
    );
    assert_eq!(
        merged["hooks"]["PreToolUse"][0],
        user["hooks"]["PreToolUse"][0]
    );
    assert_eq!(merged["hooks"]["PreToolUse"].as_array().unwrap().len(), 2);
    let run = gov.run_with(&["agent", "uninstall", "claude", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(run.json()["removed"], 2);
    assert_eq!(read_json(&gov, ".claude/settings.json"), user);
}

#[test]
fn a_file_gov_cannot_read_is_never_overwritten() {
    for text in ["{ \"hooks\": [ ", "[]", "{\"hooks\": {\"PreToolUse\": 3}}"] {
        let gov = initialised().file(".claude/settings.json", text);
        let run = gov.run_with(&["agent", "install", "claude", "--format", "json"]);
        run.expect_code(2);
        assert_eq!(run.json()["diagnostics"][0]["code"], "GRD020", "{text}");
        assert_eq!(
            std::fs::read_to_string(gov.root().join(".claude/settings.json")).unwrap(),
            text
        );
    }
}

#[test]
fn check_passes_on_init_plus_install_claude() {
    let gov = initialised();
    gov.run_with(&["agent", "install", "claude"]).expect_code(0);
    let run = gov.run_with(&["agent", "check", "claude", "--wp", "WP-1-First"]);
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let json = gov
        .run_with(&["agent", "check", "--wp", "WP-1-First", "--format", "json"])
        .json();
    let checks = json["checks"].as_array().cloned().unwrap_or_default();
    assert!(!checks.is_empty(), "{json}");
    for c in checks {
        assert_eq!(c["out_of_scope"]["result"], "blocked");
        assert_eq!(c["in_scope"]["result"], "allowed");
    }
}

#[test]
fn check_passes_for_every_harness() {
    let gov = initialised();
    for h in ["claude", "codex", "cursor", "gemini"] {
        gov.run_with(&["agent", "install", h]).expect_code(0);
    }
    let run = gov.run_with(&["agent", "check", "--wp", "WP-1-First"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout
            .matches("out-of-scope write blocked, in-scope write allowed")
            .count(),
        5,
        "{}",
        run.stdout
    );
}

#[test]
fn check_fails_when_the_guard_is_missing_broken_or_lets_everything_through() {
    let gov = initialised();
    let run = gov.run_with(&["agent", "check", "claude", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(run.codes(), ["GRD021"]);
    // a guard that exempts everything blocks nothing
    gov.run_with(&["agent", "install", "claude"]).expect_code(0);
    let yaml = std::fs::read_to_string(gov.root().join("gov.yaml")).unwrap();
    std::fs::write(
        gov.root().join("gov.yaml"),
        format!("{yaml}\nguard:\n  exempt: [\"**\"]\n"),
    )
    .unwrap();
    let run = gov.run_with(&[
        "agent",
        "check",
        "claude",
        "--wp",
        "WP-1-First",
        "--format",
        "json",
    ]);
    run.expect_code(1);
    assert_eq!(run.codes(), ["GRD022"]);
    std::fs::write(gov.root().join("gov.yaml"), yaml).unwrap();
    // no active packet: the out-of-scope canary is blocked, the in-scope one cannot be tried
    let run = gov.run_with(&["agent", "check", "claude", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(run.codes(), ["GRD022"]);
    // a hand-edited command that is not a valid gov guard line
    let settings = std::fs::read_to_string(gov.root().join(".claude/settings.json")).unwrap();
    std::fs::write(
        gov.root().join(".claude/settings.json"),
        settings.replace(
            "gov guard --harness claude\"",
            "gov guard --harness claud\"",
        ),
    )
    .unwrap();
    let run = gov.run_with(&[
        "agent",
        "check",
        "claude",
        "--wp",
        "WP-1-First",
        "--format",
        "json",
    ]);
    run.expect_code(1);
    assert_eq!(run.codes(), ["GRD022"]);
}

#[test]
fn init_agents_md_is_opt_in_and_added_once() {
    let gov = Gov::new();
    gov.run_with(&["init"]).expect_code(0);
    assert!(!gov.root().join("AGENTS.md").exists());
    let gov = Gov::new().file("AGENTS.md", "# House rules\nBe kind.\n");
    gov.run_with(&["init", "--agents-md"]).expect_code(0);
    let text = std::fs::read_to_string(gov.root().join("AGENTS.md")).unwrap();
    assert!(
        text.starts_with("# House rules\nBe kind.\n\n<!-- gov:agents -->"),
        "{text}"
    );
    assert!(text.contains("gov show WP_ID --format json"));
    gov.run_with(&["init", "--force", "--agents-md"])
        .expect_code(0);
    assert_eq!(
        std::fs::read_to_string(gov.root().join("AGENTS.md")).unwrap(),
        text
    );
}
