//! `gov phase-gate <PHASE>`: phase names, VALIDATED by last verdict, unresolved
//! upstream, board-check errors and spec-regression folded in, unknown phases.

use crate::support::Gov;

const BOARD: &str = "docs/TASK_BOARD.md";

fn clean() -> Gov {
    Gov::fixture("board-clean")
}

#[test]
fn closed_phase_passes() {
    let run = clean().args(&["phase-gate", "Phase-1"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn closed_phase_json() {
    let run = clean()
        .args(&["phase-gate", "Phase-1", "--format", "json"])
        .run();
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn phase_spellings_name_the_same_phase() {
    for phase in ["Phase-1", "Phase 1", "1", "phase1", "PHASE-1"] {
        let run = clean()
            .args(&["phase-gate", phase, "--format", "json"])
            .run();
        run.expect_code(0);
        assert_eq!(run.json()["phase"], "1", "{phase}");
        assert_eq!(run.json()["target"], "Phase-1", "{phase}");
    }
}

#[test]
fn alias_validator_phase_gate() {
    clean()
        .args(&["validator-phase-gate", "Phase-1"])
        .run()
        .expect_code(0);
}

#[test]
fn open_phase_fails_with_each_wp_state() {
    let run = clean().args(&["phase-gate", "Phase-2"]).run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn open_phase_json() {
    let run = clean().args(&["phase-gate", "2", "--format", "json"]).run();
    run.expect_code(1);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn unknown_phase_is_exit_2_listing_phases() {
    let run = clean().args(&["phase-gate", "Phase-7"]).run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
    let json = clean()
        .args(&["phase-gate", "Phase-7", "--format", "json"])
        .run();
    json.expect_code(2);
    assert_eq!(json.json()["verdict"], "error");
    assert_eq!(json.codes(), ["BRD012"]);
}

#[test]
fn done_alone_is_not_validated() {
    let run = clean()
        .replace("docs/task_packets/WP-1-Alpha.md", "Verdict: PASS\n", "")
        .args(&["phase-gate", "Phase-1"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_later_fail_undoes_an_earlier_pass() {
    let run = clean()
        .replace(
            "docs/task_packets/WP-1-Alpha.md",
            "Verdict: PASS\n",
            "Verdict: PASS\n\nVALIDATION REPORT - WP-1-Alpha (revalidation)\nVerdict: FAIL (trait changed)\n",
        )
        .args(&["phase-gate", "Phase-1", "--format", "json"])
        .run();
    run.expect_code(1);
    let wps = &run.json()["gate"]["wps"];
    assert_eq!(wps[0]["state"], "not_validated");
    assert_eq!(wps[0]["last_verdict"], "FAIL");
    // Beta depends on Alpha, so it is blocked too
    assert_eq!(wps[1]["state"], "blocked");
    assert!(run.codes().contains(&"BRD014".to_string()));
}

#[test]
fn unresolved_upstream_blocks_a_validated_wp() {
    let run = clean()
        .replace(
            "docs/task_packets/WP-1-Alpha.md",
            "Depends on: none",
            "Depends on: WP-1-Zeta",
        )
        .file(
            "docs/task_packets/WP-1-Zeta.md",
            "# Task Packet: WP-1-Zeta\n\n- STATUS: In Progress\n- SPEC_ANCHOR: §1.2\n",
        )
        .args(&["phase-gate", "Phase-1"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn spec_regression_must_pass() {
    let run = clean()
        .replace("Master_Spec_v1.1.md", "### 1.1 Purpose", "### 1.9 Purpose")
        .args(&["phase-gate", "Phase-1"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn board_errors_on_gate_wps_count() {
    let run = clean()
        .replace(
            BOARD,
            "## Blocked\n",
            "## Blocked\n\n- [WP-1-Beta] waiting for a re-review, 2026-11-20\n",
        )
        .args(&["phase-gate", "Phase-1", "--format", "json"])
        .run();
    run.expect_code(1);
    let codes = run.codes();
    assert!(codes.contains(&"BRD006".to_string()), "{codes:?}");
    assert!(codes.contains(&"BRD005".to_string()), "{codes:?}");
    assert_eq!(run.json()["board_check"]["errors_on_gate_wps"], 2);
}

#[test]
fn board_errors_on_other_wps_do_not_count() {
    let run = clean()
        .replace(
            BOARD,
            "## In Progress\n",
            "## In Progress\n\n- [WP-2-Ghost] Started 2026-11-20\n",
        )
        .args(&["phase-gate", "Phase-1", "--format", "json"])
        .run();
    run.expect_code(0);
    assert!(run.codes().is_empty());
}

#[test]
fn configured_severity_decides_what_blocks() {
    let run = clean()
        .replace(
            BOARD,
            "## Blocked\n",
            "## Blocked\n\n- [WP-1-Beta] waiting for a re-review, 2026-11-20\n",
        )
        .replace(
            "gov.yaml",
            "layout: docs\n",
            "layout: docs\nseverity: {BRD005: warning, BRD006: warning}\n",
        )
        .args(&["phase-gate", "Phase-1", "--format", "json"])
        .run();
    run.expect_code(0);
}

#[test]
fn empty_gate_cannot_pass() {
    let run = clean()
        .replace(
            BOARD,
            "## Phase 2 Closure Gates (BLOCKING)\n",
            "## Phase 3 Closure Gates (BLOCKING)\n\nTo be decided with the product owner.\n\n## Phase 2 Closure Gates (BLOCKING)\n",
        )
        .args(&["phase-gate", "3"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn messy_gate_with_gaps() {
    let run = Gov::fixture("board-messy")
        .args(&["phase-gate", "Phase 1"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn demo_repository() {
    let run = Gov::example("demo").args(&["phase-gate", "Phase-1"]).run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}
