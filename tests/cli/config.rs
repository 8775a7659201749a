//! gov.yaml: discovery, presets, overrides, and located errors (exit 2).

use crate::support::Gov;

fn config_error(yaml: &str, code: &str) -> crate::support::Run {
    let run = Gov::fixture("prework")
        .file("gov.yaml", yaml)
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), [code], "{}", run.transcript());
    run
}

#[test]
fn syntax_error_names_file_and_line() {
    let run = config_error("version: 1\npaths: [\n", "CFG001");
    assert_eq!(run.json()["diagnostics"][0]["path"], "gov.yaml");
}

#[test]
fn unknown_key_names_key_and_line() {
    let run = config_error("version: 1\npacket:\n  bonds: {}\n", "CFG002");
    let d = &run.json()["diagnostics"][0];
    assert_eq!(d["line"], 3);
    insta::assert_snapshot!(d["message"].as_str().unwrap());
}

#[test]
fn invalid_values() {
    config_error("version: 2\n", "CFG003");
    config_error("review_required_tiers: [URGENT]\n", "CFG003");
    config_error("packet:\n  bounds:\n    done_means: [9, 3]\n", "CFG003");
    config_error("paths:\n  task_board: /etc/passwd\n", "CFG003");
    config_error("severity:\n  PKT999: error\n", "CFG003");
    config_error("spec:\n  roadmap_heading: \"(unclosed\"\n", "CFG003");
}

#[test]
fn explicit_config_must_exist() {
    let run = Gov::fixture("prework")
        .args(&[
            "--config",
            "missing.yaml",
            "pre-work",
            "WP-1-Login-Endpoint",
            "--format",
            "json",
        ])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["CFG004"]);
}

#[test]
fn paths_override_and_auto_detection() {
    // no gov.yaml at all: the docs layout is detected from docs/SPEC_CURRENT.md
    Gov::fixture("prework")
        .remove("gov.yaml")
        .args(&["pre-work", "WP-1-Login-Endpoint"])
        .run()
        .expect_code(0);
    // the board moved: a paths override finds it
    let board =
        std::fs::read_to_string(crate::support::fixtures_dir().join("prework/docs/TASK_BOARD.md"))
            .unwrap();
    let run = Gov::fixture("prework")
        .remove("docs/TASK_BOARD.md")
        .file("planning/BOARD.md", board)
        .file(
            "gov.yaml",
            "version: 1\npaths:\n  task_board: planning/BOARD.md\n",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint"])
        .run();
    run.expect_code(0);
}

#[test]
fn severity_off_drops_a_code() {
    let run = Gov::fixture("prework")
        .replace(
            "docs/task_packets/WP-1-Login-Endpoint.md",
            "- STATUS: Ready-for-Dev",
            "- STATUS: In-Progress",
        )
        .file("gov.yaml", "severity:\n  PKT015: off\n")
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
    assert!(run.codes().is_empty());
}

#[test]
fn strict_promotes_warnings() {
    let run = Gov::fixture("prework")
        .replace(
            "docs/task_packets/WP-1-Login-Endpoint.md",
            "- STATUS: Ready-for-Dev",
            "- STATUS: In-Progress",
        )
        .args(&["--strict", "pre-work", "WP-1-Login-Endpoint"])
        .run();
    run.expect_code(1);
}
