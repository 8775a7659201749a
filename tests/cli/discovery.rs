//! Layout discovery, `gov doctor`, and every packet form, on fixtures laid out as
//! FORMATS.md describes them (`tests/fixtures/layouts/`): no gov.yaml anywhere.

use crate::support::Gov;

const LAYOUTS: &[&str] = &["layouts/docs", "layouts/dotgov", "layouts/records"];

/// One packet id per layout fixture, for the per-packet commands.
fn packet_of(layout: &str) -> &'static str {
    match layout {
        "layouts/records" => "WP-1-Json",
        _ => "WP-1-Ledger",
    }
}

fn has_code(run: &crate::support::Run, code: &str) -> bool {
    run.codes().iter().any(|c| c == code)
}

#[test]
fn every_command_on_every_layout_exits_0_or_1() {
    for layout in LAYOUTS {
        let id = packet_of(layout);
        let commands: Vec<Vec<&str>> = vec![
            vec!["doctor"],
            vec!["status"],
            vec!["board-check"],
            vec!["spec-regression"],
            vec!["phase-gate", "1"],
            vec!["signatures", "verify"],
            vec!["validator-scan"],
            vec!["show", id],
            vec!["pre-work", id],
        ];
        let repo = Gov::fixture(layout);
        for c in commands {
            let mut args = c.clone();
            args.extend(["--format", "json"]);
            let run = repo.run_with(&args);
            assert!(
                run.code == 0 || run.code == 1,
                "{layout}: gov {} exited {}\n{}",
                c.join(" "),
                run.code,
                run.transcript()
            );
            run.json();
        }
    }
}

#[test]
fn doctor_names_every_document_human() {
    let run = Gov::fixture("layouts/records").arg("doctor").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn doctor_names_every_document_json() {
    let run = Gov::fixture("layouts/records")
        .args(&["doctor", "--format", "json"])
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let docs = run.json()["documents"].as_array().unwrap().clone();
    let keys: Vec<_> = docs.iter().map(|d| d["doc"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "spec_pointer",
            "task_board",
            "signature_audit",
            "packets",
            "stubs",
            "refinements",
            "packet_template",
            "gate_state"
        ]
    );
}

#[test]
fn doctor_on_the_legacy_layouts_takes_the_preset_fast_path() {
    for (layout, preset) in [("layouts/docs", "docs"), ("layouts/dotgov", "dotgov")] {
        let run = Gov::fixture(layout)
            .args(&["doctor", "--format", "json"])
            .run();
        run.expect_code(0);
        let board = &run.json()["documents"][1];
        assert_eq!(board["rule"]["kind"], "fast_path", "{layout}");
        assert_eq!(board["rule"]["layout"], preset);
        assert_eq!(board["exists"], true);
    }
}

#[test]
fn the_refactor_board_is_not_the_task_board() {
    // `REPO_GOVERNANCE_REFACTOR_TASK_BOARD.md` sits beside the board: exact names only
    let run = Gov::fixture("layouts/records")
        .args(&["board-check", "--format", "json"])
        .run();
    assert_eq!(
        run.json()["board"]["path"].as_str().unwrap_or_default(),
        ".GOV/roles_shared/records/TASK_BOARD.md",
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("WP-1-Elsewhere"));
}

#[test]
fn two_candidates_are_exit_2_naming_both_and_the_key() {
    let board = Gov::fixture_text("layouts/records", ".GOV/roles_shared/records/TASK_BOARD.md");
    let run = Gov::fixture("layouts/records")
        .file("docs/TASK_BOARD.md", &board)
        .args(&["status", "--format", "json"])
        .run();
    run.expect_code(2);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(d["code"], "GOV020");
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("docs/TASK_BOARD.md"), "{msg}");
    assert!(
        msg.contains(".GOV/roles_shared/records/TASK_BOARD.md"),
        "{msg}"
    );
    assert!(d["help"].as_str().unwrap().contains("paths.task_board"));

    // doctor reports it too, with exit 2, and writes nothing
    let run = run.again().args(&["doctor", "--write-config"]).run();
    run.expect_code(2);
    assert!(run.transcript().contains("GOV020"), "{}", run.transcript());
    assert!(!run.root.join("gov.yaml").exists());

    // the key settles it
    let run = run
        .again()
        .file(
            "gov.yaml",
            "version: 1\npaths:\n  task_board: .GOV/roles_shared/records/TASK_BOARD.md\n",
        )
        .args(&["status"])
        .run();
    assert_ne!(run.code, 2, "{}", run.transcript());
}

#[test]
fn a_missing_document_lists_every_place_looked() {
    let run = Gov::fixture("layouts/records")
        .remove(".GOV/roles_shared/records/SIGNATURE_AUDIT.md")
        .args(&["signatures", "verify"])
        .run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn write_config_pins_the_layout_and_never_overwrites_without_force() {
    let run = Gov::fixture("layouts/records")
        .args(&["doctor", "--write-config"])
        .run();
    run.expect_code(0);
    let written = run.read("gov.yaml");
    insta::assert_snapshot!(written);
    // the pinned layout reads the same documents
    let pinned = run.again().args(&["doctor", "--format", "json"]).run();
    pinned.expect_code(0);
    assert_eq!(pinned.json()["config"], "gov.yaml");
    assert_eq!(pinned.json()["documents"][1]["rule"]["kind"], "configured");

    // an existing file is left alone without --force
    let again = pinned
        .again()
        .file("gov.yaml", "version: 1\nscan:\n  include: [src]\n")
        .args(&["doctor", "--write-config"])
        .run();
    again.expect_code(1);
    assert!(again.stdout.contains("GOV008"));
    assert_eq!(
        again.read("gov.yaml"),
        "version: 1\nscan:\n  include: [src]\n"
    );

    // --force replaces version and paths and keeps the other settings
    let forced = again
        .again()
        .args(&["doctor", "--write-config", "--force"])
        .run();
    forced.expect_code(0);
    let text = forced.read("gov.yaml");
    assert!(text.contains("task_board: \".GOV/roles_shared/records/TASK_BOARD.md\""));
    assert!(text.ends_with("scan:\n  include: [src]\n"), "{text}");
}

#[test]
fn the_root_is_found_from_a_subfolder_in_the_new_layout() {
    let run = Gov::fixture("layouts/records")
        .current_dir("src")
        .args(&["board-check", "--format", "json"])
        .run();
    run.expect_code(0);
}

#[test]
fn a_json_only_packet_is_a_packet_everywhere() {
    let repo = Gov::fixture("layouts/records");
    let show = repo.run_with(&["show", "WP-1-Json", "--format", "json"]);
    show.expect_code(0);
    let p = &show.json()["packet"];
    assert_eq!(p["path"], ".GOV/task_packets/WP-1-Json/packet.json");
    let text = show.stdout.clone();
    assert!(text.contains("IN_PROGRESS"), "{text}");
    assert!(text.contains("src/export.rs"), "{text}");

    let status = repo.run_with(&["status", "--format", "json"]);
    assert!(status.stdout.contains("WP-1-Json"));
    // stub contracts count as stubs, with their build-order dependencies: WP-1-Next
    // (Markdown stub + contract) waits for the JSON packet, WP-1-Contract (contract
    // only) for WP-1-Next
    let blocked: Vec<(String, String)> = status.json()["blocked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["blockers"][0]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        blocked,
        [
            ("WP-1-Contract".to_string(), "WP-1-Next".to_string()),
            ("WP-1-Next".to_string(), "WP-1-Json".to_string())
        ]
    );
    let board = repo.run_with(&["board-check", "--format", "json"]);
    board.expect_code(0);
    assert_eq!(board.json()["packets"]["packets"], 5);
    assert_eq!(board.json()["packets"]["stubs"], 2);
    // pre-work reads it (and fails on what a JSON packet lacks), never exit 2
    let pre = repo.run_with(&["pre-work", "WP-1-Json", "--format", "json"]);
    pre.expect_code(1);
}

#[test]
fn a_packets_own_twin_is_one_note_never_exit_2_nor_sig008() {
    let repo = Gov::fixture("layouts/records");
    let run = repo.run_with(&["signatures", "verify", "--format", "json"]);
    run.expect_code(0);
    assert!(!has_code(&run, "SIG008"), "{}", run.stdout);
    let twins: Vec<_> = run.codes().into_iter().filter(|c| c == "GOV013").collect();
    assert_eq!(twins.len(), 1);
    let show = repo.run_with(&["show", "WP-1-Twin", "--format", "json"]);
    show.expect_code(0);
    assert_eq!(
        show.json()["packet"]["path"],
        ".GOV/task_packets/WP-1-Twin/packet.md"
    );
}

#[test]
fn packets_prefer_flat_reads_the_flat_copy() {
    let run = Gov::fixture("layouts/records")
        .file("gov.yaml", "version: 1\npackets:\n  prefer: flat\n")
        .args(&["show", "WP-1-Twin", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(
        run.json()["packet"]["path"],
        ".GOV/task_packets/WP-1-Twin.md"
    );
    let note = &run.json()["diagnostics"][0];
    assert_eq!(note["code"], "GOV013");
    assert_eq!(note["path"], ".GOV/task_packets/WP-1-Twin/packet.md");
    assert!(note["help"]
        .as_str()
        .unwrap()
        .contains("packets.prefer: flat"));
    let bad = Gov::fixture("layouts/records")
        .file("gov.yaml", "version: 1\npackets:\n  prefer: newest\n")
        .args(&["status"])
        .run();
    bad.expect_code(2);
    assert!(bad.stdout.contains("CFG003") || bad.stderr.contains("CFG003"));
}

#[test]
fn markdown_and_json_disagreements_are_warnings() {
    let run = Gov::fixture("layouts/records")
        .args(&["board-check", "--format", "json"])
        .run();
    run.expect_code(0);
    let warnings: Vec<_> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "PKT042")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            (
                ".GOV/task_packets/WP-1-Pair/packet.json".to_string(),
                6,
                "warning".to_string()
            ),
            (
                ".GOV/task_packets/WP-1-Pair/packet.json".to_string(),
                15,
                "warning".to_string()
            ),
        ]
    );
}

#[test]
fn an_archived_packet_is_found_after_the_live_ones() {
    let run = Gov::fixture("layouts/records")
        .args(&["show", "WP-1-Old", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(
        run.json()["packet"]["path"],
        ".GOV/task_packets/_archive/superseded/WP-1-Old.md"
    );
}

#[test]
fn a_broken_packet_json_is_located_never_a_crash() {
    for (name, text) in [
        (
            "truncated",
            "{\n  \"wp_id\": \"WP-1-Json\",\n  \"lifecycle\": {\"status\": \"IN_",
        ),
        ("not an object", "[1, 2, 3]"),
        ("deeply nested", &"[".repeat(100_000)),
        ("binary", "\u{0}\u{1}\u{2}"),
    ] {
        let repo =
            Gov::fixture("layouts/records").file(".GOV/task_packets/WP-1-Json/packet.json", text);
        let show = repo.run_with(&["show", "WP-1-Json", "--format", "json"]);
        show.expect_code(2);
        assert_eq!(show.codes(), ["PKT040"], "{name}");
        assert!(show.json()["diagnostics"][0]["line"].is_u64(), "{name}");
        // in the inventory it is a located error, the other packets still checked
        let board = repo.run_with(&["board-check", "--format", "json"]);
        board.expect_code(1);
        assert!(has_code(&board, "PKT040"), "{name}");
    }
}

#[test]
fn a_huge_packet_json_is_refused_by_size() {
    let huge = format!("{{\"wp_id\": \"{}\"}}", "x".repeat(9 * 1024 * 1024));
    let run = Gov::fixture("layouts/records")
        .file(".GOV/task_packets/WP-1-Json/packet.json", huge)
        .args(&["show", "WP-1-Json", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV002"]);
}

#[test]
fn a_wrongly_typed_json_field_is_a_located_warning() {
    let run = Gov::fixture("layouts/records")
        .replace(
            ".GOV/task_packets/WP-1-Json/packet.json",
            "\"risk_tier\": \"\"",
            "\"risk_tier\": 3",
        )
        .args(&["show", "WP-1-Json", "--format", "json"])
        .run();
    run.expect_code(0);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(d["code"], "PKT041");
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("/lifecycle/risk_tier"));
    assert_eq!(d["line"], 10);
}

#[cfg(unix)]
#[test]
fn a_governance_folder_linked_out_of_the_root_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    crate::support::copy_tree(
        &crate::support::fixtures_dir().join("layouts/docs/docs"),
        outside.path(),
    );
    let repo = Gov::new().file("src/lib.rs", "pub fn f() {}\n");
    std::os::unix::fs::symlink(outside.path(), repo.root().join("docs")).unwrap();
    let run = repo.run_with(&["doctor", "--format", "json"]);
    run.expect_code(1);
    assert!(has_code(&run, "GOV022"), "{}", run.stdout);
    assert!(has_code(&run, "GOV001"));
    let run = repo.run_with(&["board-check", "--format", "json"]);
    run.expect_code(2);
    assert!(
        !run.stdout.contains("WP-1-Ledger"),
        "nothing outside the root is read: {}",
        run.stdout
    );
}

#[test]
fn a_deeply_nested_tree_is_searched_to_a_bounded_depth() {
    let deep = format!("governance/{}TASK_BOARD.md", "d/".repeat(300));
    let run = Gov::fixture("layouts/records")
        .file(&deep, "# Task Board\n")
        .args(&["doctor", "--format", "json"])
        .run();
    run.expect_code(0);
    assert!(!run.stdout.contains("d/d/d/TASK_BOARD.md"));
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_configuration_never_hangs() {
    let repo = Gov::fixture("layouts/docs");
    mkfifo(&repo.root().join("cfg.fifo"));
    let run = repo.run_with(&["status", "--config", "cfg.fifo", "--format", "json"]);
    run.expect_code(2);
    assert_eq!(run.codes(), ["CFG010"]);
    let run = repo.run_with(&["status", "--config", "/dev/zero", "--format", "json"]);
    run.expect_code(2);
    assert_eq!(run.codes(), ["CFG010"]);

    let repo = Gov::fixture("layouts/docs");
    mkfifo(&repo.root().join("gov.yaml"));
    let run = repo.run_with(&["status", "--format", "json"]);
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV002"]);
}

#[test]
fn a_gate_state_beside_the_repository_is_not_available_never_an_error() {
    let run = Gov::fixture("layouts/records")
        .file(
            "gov.yaml",
            "version: 1\npaths:\n  gate_state: ../gov_runtime/roles_shared/ORCHESTRATOR_GATES.json\n",
        )
        .args(&["doctor", "--format", "json"])
        .run();
    run.expect_code(0);
    let d: Vec<_> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GOV023")
        .map(|d| d["severity"].clone())
        .collect();
    assert_eq!(d, ["note"]);
    let gate = &run.json()["documents"][7];
    assert_eq!(gate["outside"], true);
    assert_eq!(gate["exists"], false);
}

#[test]
fn record_signature_never_writes_into_a_packet_json() {
    let run = Gov::fixture("layouts/records")
        .args(&[
            "record-signature",
            "WP-1-Json",
            "alice050320261000",
            "--format",
            "json",
        ])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV024"]);
    assert_eq!(
        run.read(".GOV/task_packets/WP-1-Json/packet.json"),
        Gov::fixture_text("layouts/records", ".GOV/task_packets/WP-1-Json/packet.json")
    );
}

#[test]
fn a_governance_folder_of_another_name_is_discovered() {
    // the docs layout moved to governance/: no preset matches, discovery finds it
    let mut repo = Gov::new();
    for f in [
        "SPEC_CURRENT.md",
        "TASK_BOARD.md",
        "SIGNATURE_AUDIT.md",
        "task_packets/WP-1-Ledger.md",
    ] {
        repo = repo.file(
            &format!("governance/{f}"),
            Gov::fixture_text("layouts/docs", &format!("docs/{f}")),
        );
    }
    let repo = repo.file(
        "Example_Master_Spec_v1.0.md",
        Gov::fixture_text("layouts/docs", "Example_Master_Spec_v1.0.md"),
    );
    let run = repo.run_with(&["doctor", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(
        run.json()["documents"][1]["path"],
        "governance/TASK_BOARD.md"
    );
    assert_eq!(run.json()["documents"][1]["rule"]["under"], "governance/");
    let run = repo.run_with(&["board-check", "--format", "json"]);
    run.expect_code(0);
    // and without it, the board is missing with every place looked
    std::fs::remove_file(repo.root().join("governance/TASK_BOARD.md")).unwrap();
    let run = repo.run_with(&["board-check", "--format", "json"]);
    run.expect_code(2);
    let msg = run.json()["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("governance/**/TASK_BOARD.md"), "{msg}");
}

#[test]
fn scans_read_code_and_run_where_the_governance_documents_are_ambiguous() {
    // a monorepo with two governed projects: gates need `paths.*`, a code scan does not
    let board = Gov::fixture_text("layouts/records", ".GOV/roles_shared/records/TASK_BOARD.md");
    let run = Gov::fixture("layouts/records")
        .file("docs/TASK_BOARD.md", &board)
        .file(
            "src/lib.rs",
            "pub fn f(v: Option<u8>) -> u8 {\n    v.unwrap()\n}\n",
        )
        .args(&["status"])
        .run();
    run.expect_code(2);
    let scan = run
        .again()
        .args(&["validator-scan", "--format", "json"])
        .run();
    scan.expect_code(1);
    let doc = scan.json();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["SCN010"], "{}", scan.stdout);
}
