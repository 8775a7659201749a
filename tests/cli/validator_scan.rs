//! `gov validator-scan`: every rule both ways over the `scan-basic` fixture (production
//! vs test code, comments, strings, ignored folder, binary file, waivers), in human,
//! JSON and SARIF; baselines new and stale; paths, config, `--staged` and `--changed`.

use crate::support::Gov;
use serde_json::Value;
use std::path::Path;

fn scan() -> Gov {
    Gov::fixture("scan-basic").arg("validator-scan")
}

#[test]
fn fixture_human() {
    let run = scan().run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn fixture_json() {
    let run = scan().args(&["--format", "json"]).run();
    run.expect_code(1);
    let json = run.json();
    assert_eq!(json["verdict"], "fail");
    assert_eq!(json["skipped_binary"], 1);
    assert_eq!(json["waived"], 2);
    insta::assert_json_snapshot!(json);
}

#[test]
fn fixture_sarif() {
    let run = scan().args(&["--format", "sarif"]).run();
    run.expect_code(1);
    let doc = run.json();
    validate_sarif(&doc);
    let text = run.stdout.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    insta::assert_snapshot!(text);
}

/// The SARIF 2.1.0 fields code-scanning services require, and that every result
/// points at a rule in `tool.driver.rules`.
fn validate_sarif(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"]
        .as_str()
        .is_some_and(|s| s.contains("sarif-schema-2.1.0")));
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "gov");
    let rules = driver["rules"].as_array().expect("rules");
    assert!(!rules.is_empty());
    for r in rules {
        assert!(r["id"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
        assert!(r["shortDescription"]["text"].is_string(), "{r}");
        assert!(r["fullDescription"]["text"].is_string(), "{r}");
        assert!(r["help"]["text"].is_string(), "{r}");
        let level = r["defaultConfiguration"]["level"].as_str().expect("level");
        assert!(["error", "warning", "note", "none"].contains(&level));
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for res in results {
        let id = res["ruleId"].as_str().expect("ruleId");
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
        assert!(
            ["error", "warning", "note", "none"].contains(&res["level"].as_str().expect("level"))
        );
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            !uri.starts_with('/') && !uri.contains('\\'),
            "relative uri: {uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().expect("startLine") >= 1);
        assert!(loc["region"]["startColumn"].as_u64().expect("startColumn") >= 1);
    }
    assert!(run["invocations"][0]["executionSuccessful"].is_boolean());
}

#[test]
fn sarif_of_a_fatal_error_is_still_a_sarif_log() {
    let run = scan().args(&["missing/", "--format", "sarif"]).run();
    run.expect_code(2);
    let doc = run.json();
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let note = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["descriptor"]["id"], "SCN001");
}

#[test]
fn sarif_is_refused_for_other_commands() {
    let run = Gov::fixture("scan-basic")
        .args(&["explain", "SCN010", "--format", "sarif"])
        .run();
    run.expect_code(2);
}

#[test]
fn clean_path_passes() {
    let run = scan().args(&["src/clean.rs"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn bad_paths_exit_2() {
    let run = scan().args(&["nowhere.rs", "--format", "json"]).run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["SCN001"]);
    let run = scan().args(&["..", "--format", "json"]).run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["SCN001"]);
    let run = Gov::fixture("scan-basic")
        .file("gov.yaml", "version: 1\nscan:\n  include: [lib/]\n")
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["SCN001"]);
}

#[test]
fn invalid_rule_pattern_is_a_config_error() {
    let run = Gov::fixture("scan-basic")
        .file(
            "gov.yaml",
            "version: 1\nscan:\n  rules:\n    - code: ACME1\n      pattern: \"(unclosed\"\n",
        )
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["CFG003"]);
    let run = Gov::fixture("scan-basic")
        .file(
            "gov.yaml",
            "version: 1\nscan:\n  rules:\n    - code: ACME1\n",
        )
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(2);
    assert!(run.json()["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("needs a `pattern`"));
}

#[test]
fn config_adds_overrides_and_disables_rules() {
    let config = "version: 1\nscan:\n  include: [src]\n  exclude: [\"*.ts\"]\n  rules:\n    - code: SCN010\n      severity: warning\n    - {code: SCN020, severity: \"off\"}\n    - code: ACME-LEGACY\n      pattern: 'GREETING'\n      message: legacy greeting constant\n      languages: [rust]\n";
    let run = Gov::fixture("scan-basic")
        .file("gov.yaml", config)
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(1);
    let json = run.json();
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    let of = |code: &str| {
        diags
            .iter()
            .filter(|d| d["code"] == code)
            .collect::<Vec<_>>()
    };
    assert!(of("SCN010").iter().all(|d| d["severity"] == "warning"));
    assert!(of("SCN020").is_empty());
    assert!(of("SCN040").is_empty(), "*.ts excluded");
    let custom = of("ACME-LEGACY");
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0]["path"], "src/placeholders.rs");
    assert_eq!(json["scope"], serde_json::json!(["src"]));
}

#[test]
fn test_paths_and_rust_test_items_are_configurable() {
    let config = "version: 1\nscan:\n  test_paths: []\n  rust_test_items: false\n";
    let run = Gov::fixture("scan-basic")
        .file("gov.yaml", config)
        .args(&["validator-scan", "src/lib.rs", "tests", "--format", "json"])
        .run();
    let json = run.json();
    let lines: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "SCN010")
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(lines.contains(&("src/lib.rs".into(), 39)), "{lines:?}");
    assert!(lines.contains(&("tests/it.rs".into(), 2)), "{lines:?}");
}

#[test]
fn list_rules() {
    let run = scan().arg("--list-rules").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn baseline_new_and_stale() {
    let write = Gov::fixture("scan-basic")
        .args(&["validator-scan", "--write-baseline", "scan-baseline.json"])
        .run();
    write.expect_code(0);
    insta::assert_snapshot!("baseline_written", write.transcript());
    let baseline = write.read("scan-baseline.json");
    assert!(baseline.contains("\"fingerprint\""));

    // unchanged tree: everything is accepted by the baseline
    let again = Gov::fixture("scan-basic")
        .file("scan-baseline.json", &baseline)
        .args(&[
            "validator-scan",
            "--baseline",
            "scan-baseline.json",
            "--format",
            "json",
        ])
        .run();
    // the bare waiver (SCN003) is not a baselined finding: it still fails
    assert_eq!(again.codes(), ["SCN003", "SCN004"]);

    // a new finding fails; a fixed one is reported stale; moved code is still known
    let run = Gov::fixture("scan-basic")
        .file("scan-baseline.json", &baseline)
        .replace(
            "src/lib.rs",
            "    let a = v.unwrap();\n    let b = v.expect",
            "    let a = v.unwrap_or(1);\n    let b = v.expect",
        )
        .replace(
            "src/placeholders.rs",
            "pub struct MockPaymentClient;\n",
            "\n\npub struct MockPaymentClient;\n",
        )
        .file(
            "src/new.rs",
            "pub fn f(v: Option<u8>) -> u8 { v.unwrap() }\n",
        )
        .args(&["validator-scan", "--baseline", "scan-baseline.json"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!("baseline_new_and_stale", run.transcript());
}

#[test]
fn baseline_that_cannot_be_read_exits_2() {
    let run = scan()
        .args(&["--baseline", "missing.json", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["SCN006"]);
    let run = Gov::fixture("scan-basic")
        .file("b.json", "not json")
        .args(&["validator-scan", "--baseline", "b.json", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["SCN006"]);
}

#[test]
fn waiver_without_reason_and_unused_waiver_both_ways() {
    let src = "pub fn f(v: Option<u8>) -> u8 {\n    // gov:allow(SCN010) validated by the parser\n    v.unwrap()\n}\n";
    let run = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/a.rs", src)
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.json()["waived"], 1);
    let run = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/a.rs", src.replace(" validated by the parser", ""))
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SCN003"]);
    let run = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/a.rs", src.replace("v.unwrap()", "v.unwrap_or(0)"))
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.codes(), ["SCN004"]);
}

#[test]
fn symlinks_are_not_followed_out_of_the_root() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.rs"),
        "fn s() { None::<u8>.unwrap(); }\n",
    )
    .expect("write");
    let gov = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/ok.rs", "fn ok() {}\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outside.path().join("secret.rs"),
            gov.root().join("src/link.rs"),
        )
        .expect("symlink");
        std::os::unix::fs::symlink(outside.path(), gov.root().join("src/dir")).expect("symlink");
    }
    let run = gov.args(&["validator-scan", "--format", "json"]).run();
    run.expect_code(0);
    assert_eq!(run.json()["files_scanned"], 1);
}

// ---- git: --staged and --changed -------------------------------------------------

fn git_repo(root: &Path) -> git2::Repository {
    let repo = git2::Repository::init(root).expect("git init");
    let mut cfg = repo.config().expect("config");
    cfg.set_str("user.name", "t").expect("name");
    cfg.set_str("user.email", "t@example.com").expect("email");
    repo
}

fn stage(repo: &git2::Repository, paths: &[&str]) {
    let mut index = repo.index().expect("index");
    for p in paths {
        index.add_path(Path::new(p)).expect("add");
    }
    index.write().expect("write index");
}

fn commit(repo: &git2::Repository, msg: &str) {
    let mut index = repo.index().expect("index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = repo.signature().expect("sig");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit");
}

#[test]
fn staged_scans_the_index_not_the_working_tree() {
    let gov = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/a.rs", "fn a() {}\n")
        .file("src/b.rs", "fn b() {}\n");
    let repo = git_repo(gov.root());
    stage(&repo, &["gov.yaml", "src/a.rs", "src/b.rs"]);
    commit(&repo, "init");
    // staged: a finding; then the working tree is cleaned without staging the fix
    std::fs::write(
        gov.root().join("src/a.rs"),
        "fn a(v: Option<u8>) -> u8 { v.unwrap() }\n",
    )
    .expect("write");
    stage(&repo, &["src/a.rs"]);
    std::fs::write(gov.root().join("src/a.rs"), "fn a() {}\n").expect("write");
    // unstaged finding in b.rs is not part of the commit
    std::fs::write(gov.root().join("src/b.rs"), "fn b() { dbg!(1); }\n").expect("write");
    let run = gov
        .args(&["validator-scan", "--staged", "--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SCN010"]);
    assert_eq!(run.json()["files_scanned"], 1);
}

#[test]
fn changed_reports_only_changed_lines() {
    let gov = Gov::new().file("gov.yaml", "version: 1\n").file(
        "src/a.rs",
        "fn a(v: Option<u8>) -> u8 {\n    v.unwrap()\n}\n",
    );
    let repo = git_repo(gov.root());
    stage(&repo, &["gov.yaml", "src/a.rs"]);
    commit(&repo, "init");
    std::fs::write(
        gov.root().join("src/a.rs"),
        "fn a(v: Option<u8>) -> u8 {\n    v.unwrap()\n}\nfn b(v: Option<u8>) -> u8 {\n    v.expect(\"new\")\n}\n",
    )
    .expect("write");
    std::fs::write(gov.root().join("src/untracked.rs"), "fn c() { todo!() }\n").expect("write");
    let run = gov
        .args(&["validator-scan", "--changed", "HEAD", "--format", "json"])
        .run();
    run.expect_code(1);
    let json = run.json();
    let found: Vec<(String, String, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("SCN011".to_string(), "src/a.rs".to_string(), 5),
            ("SCN012".to_string(), "src/untracked.rs".to_string(), 1)
        ]
    );
}

#[test]
fn git_modes_need_git_and_a_valid_base() {
    let run = scan().args(&["--staged", "--format", "json"]).run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GIT001"]);
    let gov = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/a.rs", "fn a() {}\n");
    let repo = git_repo(gov.root());
    stage(&repo, &["gov.yaml", "src/a.rs"]);
    commit(&repo, "init");
    let run = gov
        .args(&[
            "validator-scan",
            "--changed",
            "no-such-branch",
            "--format",
            "json",
        ])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["SCN007"]);
}
