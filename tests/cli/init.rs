//! `gov init`: scaffolds a tree that the gates accept, never overwriting work.

use crate::support::Gov;

#[test]
fn docs_layout_scaffold() {
    let run = Gov::new().args(&["init"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    for f in [
        "gov.yaml",
        "Master_Spec_v1.0.md",
        "docs/SPEC_CURRENT.md",
        "docs/TASK_BOARD.md",
        "docs/SIGNATURE_AUDIT.md",
        "docs/task_packets/TEMPLATE.md",
    ] {
        assert!(run.root.join(f).is_file(), "{f}");
    }
}

#[test]
fn dotgov_layout_scaffold_is_detected() {
    let run = Gov::new()
        .args(&["init", "--layout", "dotgov", "--format", "json"])
        .run();
    run.expect_code(0);
    assert!(run.root.join(".GOV/roles_shared/SPEC_CURRENT.md").is_file());
    assert!(run.root.join(".GOV/spec/Master_Spec_v1.0.md").is_file());
    assert!(run
        .root
        .join(".GOV/templates/TASK_PACKET_TEMPLATE.md")
        .is_file());
}

#[test]
fn never_overwrites_without_force() {
    let gov = Gov::new().file("docs/TASK_BOARD.md", "my board\n");
    let run = gov.args(&["init", "--format", "json"]).run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["GOV008"]);
    assert_eq!(run.read("docs/TASK_BOARD.md"), "my board\n");
    assert!(
        !run.root.join("gov.yaml").exists(),
        "nothing is written when something exists"
    );
    let run = Gov::new()
        .file("docs/TASK_BOARD.md", "my board\n")
        .args(&["init", "--force"])
        .run();
    run.expect_code(0);
    assert!(run.read("docs/TASK_BOARD.md").contains("## Ready for Dev"));
}

#[test]
fn scaffold_packet_flow_create_then_prework_fails_on_placeholders() {
    let first = Gov::new().args(&["init"]).run();
    first.expect_code(0);
    let root = first.root.clone();
    // the scaffold is a repository: later commands find it
    let run = crate::support::gov_command()
        .args(["create-task-packet", "WP-1-First-Task"])
        .current_dir(&root)
        .env("GOV_NOW", crate::support::FIXED_NOW)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = crate::support::gov_command()
        .args(["pre-work", "WP-1-First-Task", "--format", "json"])
        .current_dir(&root)
        .env("GOV_NOW", crate::support::FIXED_NOW)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"PKT004") && codes.contains(&"PKT007") && codes.contains(&"PKT017"),
        "{codes:?}"
    );
}

#[test]
fn scaffold_passes_the_integrity_gates() {
    for layout in ["docs", "dotgov"] {
        let first = Gov::new().args(&["init", "--layout", layout]).run();
        first.expect_code(0);
        for gate in [&["spec-regression"][..], &["board-check"][..]] {
            let out = crate::support::gov_command()
                .args(gate)
                .args(["--format", "json"])
                .current_dir(&first.root)
                .env("GOV_NOW", crate::support::FIXED_NOW)
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{layout} {gate:?}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
}

#[test]
fn rerunning_init_on_a_governed_repository_changes_nothing() {
    let first = Gov::new().args(&["init"]).run();
    first.expect_code(0);
    let before = tree_bytes(&first.root);
    let run = first.again().args(&["init", "--format", "json"]).run();
    run.expect_code(0);
    assert_eq!(tree_bytes(&run.root), before);
    let next = run.json()["next"].to_string();
    assert!(
        !next.contains("--force"),
        "nothing destructive is suggested: {next}"
    );
    assert_eq!(run.json()["created"], serde_json::json!([]));
}

#[test]
fn force_never_rewrites_board_entries_audit_rows_or_a_spec() {
    let board = "# Board\n\n## Ready for Dev\n\n- [WP-1-Mine] Ready-for-Dev\n";
    let audit = "## Consumed Signatures\n\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Evidence |\n|---|---|---|---|---|---|\n| maria211120261100 | Orchestrator | 2026-11-21 11:00:00 UTC | WP-1-Mine | v1.0 | x |\n";
    let run = Gov::new()
        .file("docs/TASK_BOARD.md", board)
        .file("docs/SIGNATURE_AUDIT.md", audit)
        .file("Master_Spec_v1.0.md", "# My spec\n\n## 1 Main Body\n")
        .file("gov.yaml", "layout: docs\n# mine\n")
        .args(&["init", "--force", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.codes(), ["LIF016", "LIF016", "LIF016"]);
    assert_eq!(run.read("docs/TASK_BOARD.md"), board);
    assert_eq!(run.read("docs/SIGNATURE_AUDIT.md"), audit);
    assert_eq!(
        run.read("Master_Spec_v1.0.md"),
        "# My spec\n\n## 1 Main Body\n"
    );
    // configuration and templates are what --force is for
    assert_ne!(run.read("gov.yaml"), "layout: docs\n# mine\n");
    assert!(run.root.join("docs/task_packets/TEMPLATE.md").is_file());
}

#[cfg(unix)]
#[test]
fn init_checks_every_file_before_writing_any() {
    let outside = tempfile::tempdir().expect("tmp");
    let gov = Gov::new();
    std::os::unix::fs::symlink(outside.path(), gov.root().join("docs")).expect("link");
    let run = gov.args(&["init", "--format", "json"]).run();
    run.expect_code(1);
    assert!(
        run.codes().iter().all(|c| c == "GOV010"),
        "{:?}",
        run.codes()
    );
    assert!(!run.root.join("gov.yaml").exists(), "nothing is written");
    assert!(!run.root.join("Master_Spec_v1.0.md").exists());
    assert_eq!(std::fs::read_dir(outside.path()).expect("dir").count(), 0);
    // a file where a folder must go
    let run = Gov::new()
        .file("docs", "not a folder")
        .args(&["init", "--format", "json"])
        .run();
    run.expect_code(1);
    assert!(!run.root.join("gov.yaml").exists());
}

/// Every file under `root` (the lock file aside) with its bytes.
fn tree_bytes(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != ".gov.lock")
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    v.sort();
    v
}
