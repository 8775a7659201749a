//! `gov codex-check` and `gov commit-msg`: the Codex's machine-checked rules,
//! boundary rules (`allowed_in`, `exclude`), repository hygiene, commit messages — each
//! both ways, with the ways an agent would try to slip past them.

use crate::support::Gov;
use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GOV", env!("CARGO_BIN_EXE_gov"))
        .env("GOV_NOW", crate::support::FIXED_NOW)
        .env("GOV_NO_CACHE", "1")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs")
}

fn demo() -> Gov {
    Gov::example("demo")
}

/// The demo as a git repository with everything committed.
fn committed(g: Gov) -> Gov {
    let root = g.root().to_path_buf();
    assert!(git(&root, &["init", "-q", "-b", "main"]).status.success());
    git(&root, &["add", "-A"]);
    let out = git(
        &root,
        &[
            "commit",
            "-q",
            "--no-verify",
            "-m",
            "WP-1-Storage-Trait: initial",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    g
}

#[test]
fn the_demo_passes_its_own_codex() {
    let run = demo().args(&["codex-check"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_boundary_rule_fires_outside_its_allowed_folder_only() {
    let run = demo()
        .file(
            "src/api/handlers.rs",
            "fn f() { let c = rusqlite::Connection::open(\"x\"); }\n",
        )
        .file(
            "src/storage/pool.rs",
            "fn g() { let c = rusqlite::Connection::open(\"x\"); }\n",
        )
        .args(&["codex-check", "--format", "json"])
        .run();
    run.expect_code(1);
    let doc = run.json();
    let found: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("CX-102".to_string(), "src/api/handlers.rs".to_string())]
    );
}

#[test]
fn a_codex_rule_hidden_the_usual_ways_is_still_found() {
    // spacing between tokens; a comment does not count; a test module is exempt
    let run = demo()
        .file(
            "src/api/sneaky.rs",
            "// println! in a comment is fine\nfn f() { println !(\"x\"); }\n#[cfg(test)]\nmod tests { fn t() { dbg!(1); } }\n",
        )
        .args(&["codex-check", "--format", "json"])
        .run();
    run.expect_code(1);
    let lines: Vec<u64> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CX-104")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2]);
}

#[test]
fn exclude_skips_and_invariant_rules_from_gov_yaml_run() {
    let yaml = "version: 1\nlayout: docs\nscan:\n  rules:\n    - code: PROJ-FETCH\n      pattern: 'fetch\\('\n      languages: [typescript]\n      allowed_in: ['src/api/client.ts']\n      exclude: ['src/generated/**']\n      invariant: true\n";
    let run = demo()
        .file("gov.yaml", yaml)
        .file(
            "src/api/client.ts",
            "export const get = () => fetch('/x');\n",
        )
        .file("src/generated/api.ts", "fetch('/y');\n")
        .file("src/ui/page.ts", "fetch('/z');\n")
        .args(&["codex-check", "--format", "json"])
        .run();
    run.expect_code(1);
    let paths: Vec<String> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "PROJ-FETCH")
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["src/ui/page.ts"]);
}

#[test]
fn codex_check_runs_only_invariants() {
    // validator-scan's own rules (unwrap, placeholders) are not Codex invariants
    let run = demo()
        .file(
            "src/storage/extra.rs",
            "fn f() { let v: Option<u8> = None; v.unwrap(); }\n",
        )
        .args(&["codex-check"])
        .run();
    run.expect_code(0);
}

#[test]
fn bad_gov_blocks_are_errors_and_unchecked_rules_are_listed_in_verbose() {
    let codex = "# X Codex v2.0\n### CX-1: Broken\n```gov\npattern: [\n```\n### CX-2: Prose only\n**Rule**: be kind\n";
    let run = demo()
        .file("X Codex v2.0.md", codex)
        .args(&["codex-check", "--verbose"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn the_highest_codex_version_is_the_codex() {
    let run = demo()
        .file(
            "Ledger Codex v0.9.md",
            "# old\n### CX-1: Old\n```gov\npattern: 'struct'\n```\n",
        )
        .args(&["codex-check", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.json()["codex"]["path"], "Ledger Codex v1.0.md");
}

#[test]
fn hygiene_both_ways() {
    let g = committed(demo());
    let root = g.root().to_path_buf();
    let clean = g.run_with(&["codex-check"]);
    clean.expect_code(0);
    // an artifact inside an otherwise allowed folder, a large untracked file, an
    // ignore list that lost a pattern
    std::fs::create_dir_all(root.join("src/storage/target")).unwrap();
    std::fs::write(root.join("src/storage/target/cache.bin"), b"x").unwrap();
    git(&root, &["add", "-f", "src/storage/target/cache.bin"]);
    std::fs::write(root.join("dump.sql"), vec![b'x'; 6 * 1024 * 1024]).unwrap();
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    std::fs::write(root.join(".gitignore"), ignore.replace("Thumbs.db\n", "")).unwrap();
    let dirty = g.run_with(&["codex-check", "--format", "json"]);
    dirty.expect_code(1);
    let mut codes: Vec<String> = dirty.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["path"].as_str().unwrap()
            )
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            "CDX001 .gitignore",
            "CDX002 src/storage/target/cache.bin",
            "CDX003 dump.sql"
        ]
    );
}

#[test]
fn an_ignore_pattern_written_another_way_counts() {
    let g = demo().file(
        ".gitignore",
        "/target\n**/node_modules\n*.pdb\n*.dSYM/\n.DS_Store\nThumbs.db\n",
    );
    let g = committed(g);
    g.run_with(&["codex-check"]).expect_code(0);
}

// ---- commit messages ----------------------------------------------------------------

fn message(g: &Gov, text: &str) -> crate::support::Run {
    std::fs::write(g.root().join("MSG"), text).unwrap();
    g.run_with(&["commit-msg", "MSG", "--format", "json"])
}

#[test]
fn commit_messages_both_ways() {
    let g = demo();
    message(&g, "WP-1-Login-Endpoint: add the handler\n").expect_code(0);
    let none = message(&g, "add the handler\n");
    none.expect_code(1);
    assert_eq!(none.codes(), ["CDX004"]);
    // the id only in a comment line git strips
    let hidden = message(&g, "add the handler\n# WP-1-Login-Endpoint\n");
    hidden.expect_code(1);
    assert_eq!(hidden.codes(), ["CDX004"]);
    // below the scissors line: the diff of `commit -v`, not the message
    let cut = message(
        &g,
        "add it\n# ------------------------ >8 ------------------------\n+ WP-1-Login-Endpoint\n",
    );
    assert_eq!(cut.codes(), ["CDX004"]);
    // a typo'd id, a closed WP, an id with a lookalike hyphen
    for bad in ["WP-1-Login-Endpont: x\n", "WP-1-Storage-Trait: x\n"] {
        let run = message(&g, bad);
        run.expect_code(1);
        assert_eq!(run.codes(), ["CDX005"], "{bad}");
    }
    let lookalike = message(&g, "WP-1-Login\u{2011}Endpoint: x\n");
    lookalike.expect_code(1);
}

#[test]
fn commit_message_policy_known_allows_closed_wps() {
    let g = demo().file(
        "gov.yaml",
        "version: 1\nlayout: docs\ncodex:\n  commit_msg:\n    require: known\n    exempt_prefixes: ['Merge ']\n",
    );
    message(&g, "WP-1-Storage-Trait: docs\n").expect_code(0);
    message(&g, "Merge branch 'x'\n").expect_code(0);
    message(&g, "WP-1-Nope: x\n").expect_code(1);
}

/// The real thing: `git commit` through the hook `gov hook install --commit-msg` wrote.
#[test]
fn a_real_commit_through_the_installed_hook() {
    let g = demo()
        .remove("docs/task_packets/WP-1-Token-Validation.md")
        .replace(
            "docs/TASK_BOARD.md",
            "4. **[WP-1-Token-Validation]** - Bearer token checks\n   - Status: [READY FOR DEV]\n   - Blocker: WP-1-Login-Endpoint\n",
            "",
        )
        .replace("docs/TASK_BOARD.md", "- [WP-1-Token-Validation] Ready-for-Dev since 2026-11-10\n", "");
    let g = committed(g);
    let root = g.root().to_path_buf();
    g.run_with(&["hook", "install", "--commit-msg"])
        .expect_code(0);
    assert!(root.join(".git/hooks/commit-msg").is_file());
    std::fs::write(root.join("notes.txt"), "a\n").unwrap();
    git(&root, &["add", "notes.txt"]);
    let refused = git(&root, &["commit", "-q", "-m", "tidy up"]);
    assert!(
        !refused.status.success(),
        "a message without a WP must not commit"
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("CDX004")
            || String::from_utf8_lossy(&refused.stdout).contains("CDX004")
    );
    let ok = git(&root, &["commit", "-q", "-m", "WP-1-Login-Endpoint: notes"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    g.run_with(&["hook", "uninstall"]).expect_code(0);
    assert!(!root.join(".git/hooks/commit-msg").exists());
}

#[test]
fn the_todo_tracking_id_is_configurable() {
    let scan = |yaml: &str| {
        let run = demo()
            .file("gov.yaml", yaml)
            .file(
                "src/storage/todo.rs",
                "// TODO(HSK-1234) tracked here\n// TODO(PROJ-1) another project's form\nfn f() {}\n",
            )
            .args(&["validator-scan", "src/storage/todo.rs", "--format", "json"])
            .run();
        let lines: Vec<u64> = run.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "SCN030")
            .map(|d| d["line"].as_u64().unwrap())
            .collect();
        lines
    };
    assert_eq!(
        scan("version: 1\nlayout: docs\nscan:\n  todo_id: 'HSK-[0-9]{4}'\n"),
        [2]
    );
    // the default form accepts both
    assert!(scan("version: 1\nlayout: docs\n").is_empty());
    // a broken pattern is a configuration error, not a silent default
    let bad = demo()
        .file(
            "gov.yaml",
            "version: 1\nlayout: docs\nscan:\n  todo_id: '[unclosed'\n",
        )
        .args(&["validator-scan"])
        .run();
    bad.expect_code(2);
}

#[test]
fn gov_check_runs_codex_check_when_there_is_a_codex() {
    let doc = demo().args(&["check", "--format", "json"]).run().json();
    assert!(doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["gate"] == "codex-check"));
}
