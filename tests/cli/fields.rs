//! Field forms and layouts since 2026-03 (issue 11 items 5-7, issue 12's gate items):
//! build-order dependencies, verdicts by time and supersession, status values,
//! derived phase gates, gates in tables and several sections, lookalike ids, scope
//! paths into sibling worktrees. Fixture: `tests/fixtures/fields-modern` (written for
//! this project) and variations of `board-clean`.

use crate::support::Gov;

const BOARD: &str = "docs/TASK_BOARD.md";

fn modern() -> Gov {
    Gov::fixture("fields-modern")
}

fn clean() -> Gov {
    Gov::fixture("board-clean")
}

// --- derived phase gates -------------------------------------------------------

#[test]
fn derived_gate_passes_and_says_so() {
    let run = modern().args(&["phase-gate", "Phase-2"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn derived_gate_json() {
    let run = modern()
        .args(&["phase-gate", "2", "--format", "json"])
        .run();
    run.expect_code(0);
    let gate = &run.json()["gate"];
    assert_eq!(gate["derived"], true);
    assert_eq!(gate["sections"], serde_json::json!([]));
    assert_eq!(gate["wps"][0]["id"], "WP-2-Omega");
    assert_eq!(run.codes(), ["BRD022"]);
}

#[test]
fn derived_gate_fails_on_its_active_wps() {
    let run = modern().args(&["phase-gate", "Phase-1"]).run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn derived_gate_leaves_out_stubs_superseded_and_historical_entries() {
    let run = modern()
        .args(&["phase-gate", "1", "--format", "json"])
        .run();
    let ids: Vec<String> = run.json()["gate"]["wps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["WP-1-Gamma", "WP-1-Alpha", "WP-1-Beta-v2", "WP-1-Delta"]
    );
}

#[test]
fn a_phase_with_no_wp_at_all_is_exit_2_before_anything_else_is_read() {
    // the spec is unreadable (a folder): reading it would end the run with its own
    // error; the unknown phase is found from the board alone, first
    let run = modern()
        .remove("Master_Spec_v1.1.md")
        .file("Master_Spec_v1.1.md/README", "not a spec")
        .args(&["phase-gate", "Phase-9", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["BRD012"]);
}

#[test]
fn a_phase_known_only_from_packet_files_is_gated_not_unknown() {
    let run = modern()
        .file(
            "docs/task_packets/WP-5-Lonely.md",
            "# Task Packet: WP-5-Lonely\n\n- STATUS: In Progress\n",
        )
        .args(&["phase-gate", "5", "--format", "json"])
        .run();
    run.expect_code(1);
    assert!(run.codes().contains(&"BRD015".to_string()));
}

// --- gates counted in every form -----------------------------------------------

const SECOND_GATE: &str = "## Ready for Dev\n";

#[test]
fn a_gate_wp_hidden_in_a_table_is_counted() {
    let run = clean()
        .replace(
            BOARD,
            "## Phase 2 Closure Gates (BLOCKING)\n",
            "| WP | Status |\n|---|---|\n| **WP-2-Gamma** | [VALIDATED] |\n\n## Phase 2 Closure Gates (BLOCKING)\n",
        )
        .args(&["phase-gate", "Phase-1"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_validated_wp_in_a_gate_table_passes() {
    let run = clean()
        .replace(
            BOARD,
            "## Phase 2 Closure Gates (BLOCKING)\n",
            "| WP | Status |\n|---|---|\n| WP-1-Alpha | [VALIDATED] |\n\n## Phase 2 Closure Gates (BLOCKING)\n",
        )
        .args(&["phase-gate", "Phase-1", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.json()["gate"]["total"], 2);
}

#[test]
fn a_gate_wp_in_a_second_gate_section_is_counted() {
    let run = clean()
        .replace(
            BOARD,
            SECOND_GATE,
            "## PHASE 1 CLOSURE GATES (continued)\n\n- [WP-2-Delta] - [READY FOR DEV]\n\n## Ready for Dev\n",
        )
        .args(&["phase-gate", "Phase-1"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_gate_line_gov_cannot_read_fails_the_gate() {
    let run = clean()
        .replace(
            BOARD,
            "Must be Done + VALIDATED before Phase 1 can close:\n",
            "Must be Done + VALIDATED before Phase 1 can close (also WP-2-Gamma):\n",
        )
        .args(&["phase-gate", "Phase-1", "--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["BRD023"]);
    assert_eq!(run.json()["gate"]["unreadable_lines"], 1);
}

// --- lookalike ids -------------------------------------------------------------

const LOOKALIKE_ENTRY: &str = "2. **[WP-1-Beta]** - Migrations\n";

#[test]
fn a_lookalike_hyphen_is_never_cut_into_a_validated_id() {
    // `WP-1-Alpha‑Rework` (U+2011) beside the validated WP-1-Alpha
    let run = clean()
        .replace(
            BOARD,
            LOOKALIKE_ENTRY,
            "2. **[WP-1-Alpha\u{2011}Rework]** - [VALIDATED]\n3. **[WP-1-Beta]** - Migrations\n",
        )
        .args(&["phase-gate", "Phase-1"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn board_check_locates_lookalikes_and_invisible_characters() {
    let run = clean()
        .replace(
            BOARD,
            "## Superseded (Archive)\n",
            "## Superseded (Archive)\n\n- [WP\u{2011}1\u{2011}Old] - [SUPERSEDED]\n- [WP-1-Beta\u{200B}-v0] - [SUPERSEDED]\n",
        )
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn plain_ids_raise_no_lookalike_finding() {
    let run = clean().args(&["board-check", "--format", "json"]).run();
    run.expect_code(0);
    assert!(!run.codes().contains(&"BRD020".to_string()));
}

// --- the board as written --------------------------------------------------------

#[test]
fn modern_board_check() {
    let run = modern().arg("board-check").run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_token_that_agrees_with_its_section_is_no_finding() {
    let run = modern()
        .replace(BOARD, "[READY_FOR_DEV] - waiting", "[BLOCKED] - waiting")
        .args(&["board-check", "--format", "json"])
        .run();
    let codes = run.codes();
    assert!(!codes.contains(&"BRD021".to_string()), "{codes:?}");
    assert!(!codes.contains(&"BRD005".to_string()), "{codes:?}");
}

#[test]
fn a_stub_outside_superseded_must_still_agree() {
    // the stub allowance is for Superseded only: under Done a stub is drift
    let run = modern()
        .replace(
            BOARD,
            "- **[WP-1-Folded]** - [STUB] - folded into WP-1-Gamma\n",
            "",
        )
        .replace(
            BOARD,
            "- **[WP-2-Omega]** - [VALIDATED]\n",
            "- **[WP-2-Omega]** - [VALIDATED]\n- **[WP-1-Folded]** - [VALIDATED]\n",
        )
        .args(&["board-check", "--format", "json"])
        .run();
    assert!(run.codes().contains(&"BRD005".to_string()));
}

// --- dependencies from every key -----------------------------------------------

#[test]
fn build_order_dependencies_fire_the_blocker_rule() {
    let run = modern()
        .args(&["pre-work", "WP-1-Gamma", "--format", "json"])
        .run();
    run.expect_code(1);
    let json = run.json();
    let blockers: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "PKT013")
        .collect();
    assert_eq!(blockers.len(), 1, "{blockers:?}");
    assert_eq!(
        blockers[0]["message"],
        "blocker WP-1-Beta (newest revision WP-1-Beta-v2) is not validated (status Validated, last verdict FAIL)"
    );
    assert_eq!(
        (blockers[0]["line"].clone(), blockers[0]["column"].clone()),
        (8.into(), 29.into())
    );
}

#[test]
fn a_lookalike_dependency_is_reported_not_cut_into_a_validated_id() {
    // `WP-1-Alpha‑v2` (U+2011) must not read as the validated WP-1-Alpha
    let run = modern()
        .replace(
            "docs/task_packets/WP-1-Gamma.md",
            "- WP-1-Beta-v1, WP-1-Delta, NONE",
            "WP-1-Alpha\u{2011}v2, WP-1-Delta",
        )
        .args(&["pre-work", "WP-1-Gamma", "--format", "json"])
        .run();
    run.expect_code(1);
    let json = run.json();
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "PKT063" || d["code"] == "PKT013")
        .map(|d| (d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [(
            "PKT063",
            "dependency `WP-1-Alpha<U+2011>v2` holds U+2011 (a lookalike or invisible character); it names no WP gov can check"
        )]
    );
}

#[test]
fn build_order_none_names_no_dependency() {
    let run = modern()
        .replace(
            "docs/task_packets/WP-1-Gamma.md",
            "- WP-1-Beta-v1, WP-1-Delta, NONE",
            "NONE",
        )
        .args(&["pre-work", "WP-1-Gamma", "--format", "json"])
        .run();
    let codes = run.codes();
    assert!(!codes.contains(&"PKT013".to_string()), "{codes:?}");
    assert!(!codes.contains(&"PKT018".to_string()), "{codes:?}");
}

#[test]
fn build_order_dependencies_reach_the_gate_graph() {
    let run = modern()
        .args(&["phase-gate", "1", "--format", "json"])
        .run();
    let gamma = &run.json()["gate"]["wps"][0];
    assert_eq!(gamma["id"], "WP-1-Gamma");
    assert_eq!(gamma["unresolved"][0]["id"], "WP-1-Beta-v2");
}

// --- verdicts by time ----------------------------------------------------------

#[test]
fn show_says_which_report_counted_and_why() {
    let run = modern().args(&["show", "WP-1-Beta-v2"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn show_json_names_the_counted_report() {
    let run = modern()
        .args(&["show", "WP-1-Delta", "--format", "json"])
        .run();
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json()["packet"]["validation_reports"]);
    assert!(run.codes().is_empty(), "{:?}", run.codes());
}

#[test]
fn a_later_fail_placed_above_a_pass_still_counts() {
    // the attacker's ordering: a PASS appended at the bottom, dated before the FAIL
    let run = modern()
        .args(&["phase-gate", "1", "--format", "json"])
        .run();
    let beta = &run.json()["gate"]["wps"][2];
    assert_eq!(beta["id"], "WP-1-Beta-v2");
    assert_eq!(beta["last_verdict"], "FAIL");
    assert_eq!(beta["verdict_line"], 16);
}

#[test]
fn a_supersession_claim_that_names_no_report_changes_nothing() {
    let run = modern()
        .replace(
            "docs/task_packets/WP-1-Beta-v2.md",
            "### VALIDATOR_REPORT - 2026-04-03T08:00:00.1234567Z\n",
            "### VALIDATOR_REPORT - 2026-04-03T08:00:00.1234567Z\n- SUPERSEDES: FAIL report 2026-04-05T16:00:00Z\n",
        )
        .args(&["show", "WP-1-Beta-v2", "--format", "json"])
        .run();
    let counted = &run.json()["packet"]["validation_reports"]["counted"];
    assert_eq!(counted["verdict"], "FAIL");
    assert!(run.codes().contains(&"PKT062".to_string()));
}

#[test]
fn a_supersession_claim_hidden_in_a_comment_changes_nothing() {
    let run = modern()
        .replace(
            "docs/task_packets/WP-1-Beta-v2.md",
            "### VALIDATOR_REPORT - 2026-04-03T08:00:00.1234567Z\n",
            "### VALIDATOR_REPORT - 2026-04-03T08:00:00.1234567Z\n<!-- SUPERSEDES: FAIL report 2026-04-05T16:00:00.123Z -->\n",
        )
        .args(&["show", "WP-1-Beta-v2", "--format", "json"])
        .run();
    assert_eq!(
        run.json()["packet"]["validation_reports"]["counted"]["verdict"],
        "FAIL"
    );
}

#[test]
fn a_real_supersession_claim_wins() {
    let run = modern()
        .replace(
            "docs/task_packets/WP-1-Beta-v2.md",
            "### VALIDATOR_REPORT - 2026-04-03T08:00:00.1234567Z\n",
            "### VALIDATOR_REPORT - 2026-04-03T08:00:00.1234567Z\n- SUPERSESSION: replaces report 2026-04-05T16:00:00.123Z (FAIL)\n",
        )
        .args(&["show", "WP-1-Beta-v2", "--format", "json"])
        .run();
    let counted = &run.json()["packet"]["validation_reports"]["counted"];
    assert_eq!(counted["verdict"], "PASS");
    assert_eq!(counted["why"], "supersedes");
    assert!(run.codes().is_empty(), "{:?}", run.codes());
}

#[test]
fn a_stale_current_state_is_a_warning() {
    let run = modern()
        .replace(
            "docs/task_packets/WP-1-Alpha.md",
            "- Verdict: VALIDATED_PASS",
            "- Verdict: PENDING",
        )
        .args(&["show", "WP-1-Alpha"])
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

// --- scope paths ---------------------------------------------------------------

#[test]
fn scope_globs_verbatim_and_sibling_worktrees_named() {
    let run = modern()
        .args(&["pre-work", "WP-4-Scope", "--format", "json"])
        .run();
    let scope: Vec<(String, String)> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "PKT003" || d["code"] == "PKT061")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        scope,
        [
            (
                "PKT003".to_string(),
                "IN_SCOPE_PATHS entry `src/ui/**` is a glob; list the exact files".to_string()
            ),
            (
                "PKT061".to_string(),
                "IN_SCOPE_PATHS entry `../example_main/src/shared.rs` points into the sibling worktree `../example_main/`, not into this repository; gov does not read or check it".to_string()
            ),
        ]
    );
}

#[test]
fn a_path_further_out_is_still_outside_the_repository() {
    let run = modern()
        .replace(
            "docs/task_packets/WP-4-Scope.md",
            "../example_main/src/shared.rs",
            "../../etc/passwd",
        )
        .args(&["pre-work", "WP-4-Scope", "--format", "json"])
        .run();
    let codes = run.codes();
    assert!(!codes.contains(&"PKT061".to_string()), "{codes:?}");
    let outside = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| {
            d["code"] == "PKT003"
                && d["message"]
                    .as_str()
                    .unwrap()
                    .contains("points outside the repository")
        });
    assert!(outside);
}
