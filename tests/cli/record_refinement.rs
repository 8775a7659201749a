//! `gov record-refinement` and the turn lock it starts for `record-signature`.

use crate::support::Gov;

const REFINEMENT: &str = ".GOV/refinements/WP-1-Beta.md";
const GATES: &str = ".GOV/roles/orchestrator/ORCHESTRATOR_GATES.json";
const SIG: &str = "ilja211120261155";

fn record() -> Gov {
    Gov::fixture("ref-dotgov").args(&["record-refinement", "WP-1-Beta"])
}

#[test]
fn records_a_complete_refinement() {
    let run = record().run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let state: serde_json::Value = serde_json::from_str(&run.read(GATES)).expect("json");
    let entry = &state["gate_logs"][0];
    assert_eq!(entry["wpId"], "WP-1-Beta");
    assert_eq!(entry["type"], "REFINEMENT");
    assert_eq!(entry["timestamp"], "2026-11-21T12:00:00Z");
}

#[test]
fn records_json() {
    let run = record().args(&["--format", "json"]).run();
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn incomplete_refinement_is_refused_and_not_recorded() {
    let run = record()
        .replace(
            REFINEMENT,
            "- A panic in `first()` would abort the caller; return a Result instead.\n",
            "",
        )
        .replace(REFINEMENT, "- SPECIFIC: YES", "- SPECIFIC: YES | NO")
        .replace(
            REFINEMENT,
            "## PRIMITIVES\n- `fn first() -> Result<(), Error>`\n",
            "",
        )
        .replace(REFINEMENT, "- WP_ID: WP-1-Beta", "- WP_ID: WP-1-Gamma")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    assert!(!run.root.join(GATES).exists());
}

#[test]
fn inconsistent_verdicts_are_refused() {
    let run = record()
        .replace(REFINEMENT, "- NO_AMBIGUITY: YES", "- NO_AMBIGUITY: NO")
        .args(&["--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["REF010"]);
    let run = record()
        .replace(REFINEMENT, "- NO_AMBIGUITY: YES", "- NO_AMBIGUITY: NO")
        .replace(REFINEMENT, "- VERDICT: PASS", "- VERDICT: FAIL")
        .args(&["--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["REF011"]);
}

/// The refinement of a WP whose spec must be enriched first, with verbatim text.
fn enrichment_needed(g: Gov) -> Gov {
    g.replace(REFINEMENT, "- NO_AMBIGUITY: YES", "- NO_AMBIGUITY: NO")
        .replace(REFINEMENT, "- VERDICT: PASS", "- VERDICT: FAIL")
        .replace(REFINEMENT, "ENRICHMENT_NEEDED: NO", "ENRICHMENT_NEEDED: YES")
        .replace(
            REFINEMENT,
            "NOT APPLICABLE (the Main Body already clearly covers this WP)",
            "```markdown\n#### 1.2.2 Error Handling\nfirst() MUST return an error instead of panicking.\n```",
        )
}

#[test]
fn enrichment_must_be_verbatim() {
    enrichment_needed(record()).run().expect_code(0);
    let run = enrichment_needed(record())
        .replace(
            REFINEMENT,
            "#### 1.2.2 Error Handling\nfirst() MUST return an error instead of panicking.\n",
            "",
        )
        .replace(
            REFINEMENT,
            "```markdown\n```",
            "Add an error-handling rule.",
        )
        .args(&["--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["REF008"]);
}

#[test]
fn missing_refinement_is_exit_2() {
    let run = record().remove(REFINEMENT).run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn invalid_gate_state_is_exit_2_and_kept() {
    let run = record().file(GATES, "{\n  \"gate_logs\": [\n").run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
    assert_eq!(run.read(GATES), "{\n  \"gate_logs\": [\n");
}

#[test]
fn existing_gate_log_is_kept_and_appended() {
    let seed = r#"{"gate_logs": [{"wpId": "WP-1-Old", "type": "SIGNATURE", "data": "x", "timestamp": "2026-01-01T10:00:00.000Z"}], "version": "legacy"}"#;
    let run = record().file(GATES, seed).run();
    run.expect_code(0);
    let state: serde_json::Value = serde_json::from_str(&run.read(GATES)).expect("json");
    assert_eq!(state["version"], "legacy");
    assert_eq!(state["gate_logs"][0]["wpId"], "WP-1-Old");
    assert_eq!(state["gate_logs"][1]["wpId"], "WP-1-Beta");
}

// --- the turn lock, seen from record-signature ----------------------------------

fn sign(g: Gov, now: &str) -> crate::support::Run {
    g.args(&["record-signature", "WP-1-Beta", SIG])
        .env("GOV_NOW", now)
        .run()
}

#[test]
fn signature_needs_a_recorded_refinement_and_a_new_turn() {
    // dotgov requires the refinement to be recorded first
    let run = sign(Gov::fixture("ref-dotgov"), "2026-11-21T12:00:00");
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    // same turn: refused
    let run = run.again().args(&["record-refinement", "WP-1-Beta"]).run();
    run.expect_code(0);
    let run = sign(run.again(), "2026-11-21T12:00:30");
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    // a new turn, after the default 60 s gap
    let run = sign(run.again(), "2026-11-21T12:01:00");
    run.expect_code(0);
    assert!(run
        .read(".GOV/task_packets/WP-1-Beta.md")
        .contains(&format!("- USER_SIGNATURE: {SIG}")));
}

#[test]
fn refinement_gap_is_configurable() {
    let g = Gov::fixture("ref-dotgov").replace(
        "gov.yaml",
        "layout: dotgov\n",
        "layout: dotgov\nsignatures:\n  refinement_gap_seconds: 600\n",
    );
    let run = g.args(&["record-refinement", "WP-1-Beta"]).run();
    run.expect_code(0);
    sign(run.again(), "2026-11-21T12:05:00").expect_code(1);
}

fn recorded() -> Gov {
    let run = record().run();
    run.expect_code(0);
    run.again()
}

#[test]
fn unapproved_refinement_refuses_the_signature() {
    let g = recorded().replace(
        REFINEMENT,
        "APPROVE REFINEMENT WP-1-Beta",
        "<paste the user's exact approval>",
    );
    let run = sign(g, "2026-11-21T12:02:00");
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    // approving a different WP does not count
    let g = recorded().replace(
        REFINEMENT,
        "APPROVE REFINEMENT WP-1-Beta",
        "APPROVE REFINEMENT WP-1-Gamma",
    );
    sign(g, "2026-11-21T12:02:00").expect_code(1);
}

#[test]
fn pending_enrichment_refuses_the_signature() {
    let run = enrichment_needed(Gov::fixture("ref-dotgov"))
        .args(&["record-refinement", "WP-1-Beta"])
        .run();
    run.expect_code(0);
    let run = sign(run.again(), "2026-11-21T12:02:00");
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    // a spec enrichment is recorded with --purpose instead, and needs no packet
    let run = run
        .again()
        .args(&[
            "record-signature",
            SIG,
            "--purpose",
            "Spec enrichment: 1.2.2 for WP-1-Beta",
        ])
        .env("GOV_NOW", "2026-11-21T12:02:00")
        .run();
    run.expect_code(0);
}

#[test]
fn docs_layout_may_require_a_refinement() {
    let run = Gov::fixture("sig-basic")
        .file(
            "gov.yaml",
            "version: 1\nsignatures:\n  require_refinement: true\n",
        )
        .args(&[
            "record-signature",
            "WP-1-Login-Endpoint",
            SIG,
            "--format",
            "json",
        ])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["REF001"]);
    // by default the docs layout needs none
    Gov::fixture("sig-basic")
        .args(&["record-signature", "WP-1-Login-Endpoint", SIG])
        .run()
        .expect_code(0);
}

#[test]
fn the_approval_may_cite_its_own_signature() {
    let note = format!("\n- USER_SIGNATURE: {SIG}\n");
    let g = recorded().replace(
        REFINEMENT,
        "- SPEC_TARGET: v1.0\n",
        &format!("- SPEC_TARGET: v1.0{note}"),
    );
    sign(g, "2026-11-21T12:02:00").expect_code(0);
    // another WP's refinement citing it is an earlier use
    let g = recorded().file(".GOV/refinements/WP-1-Other.md", note);
    let run = sign(g.args(&["--format", "json"]), "2026-11-21T12:02:00");
    run.expect_code(1);
    assert_eq!(
        run.json()["diagnostics"][0]["path"],
        ".GOV/refinements/WP-1-Other.md"
    );
}

const FOLDER_REFINEMENT: &str = ".GOV/refinements/WP-1-Beta/refinement.md";

#[test]
fn the_folder_form_of_a_refinement_is_read_and_preferred() {
    // the newer layout keeps `WP-ID/refinement.md`; with both forms, the folder counts
    let text = Gov::fixture_text("ref-dotgov", REFINEMENT);
    let run = Gov::fixture("ref-dotgov")
        .remove(REFINEMENT)
        .file(FOLDER_REFINEMENT, &text)
        .args(&["record-refinement", "WP-1-Beta", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.json()["refinement"]["path"], FOLDER_REFINEMENT);

    // the flat copy left behind is incomplete: it is not the one read
    let run = Gov::fixture("ref-dotgov")
        .file(FOLDER_REFINEMENT, &text)
        .replace(REFINEMENT, "GAPS_IDENTIFIED", "GAPS_REMOVED")
        .args(&["record-refinement", "WP-1-Beta", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.json()["refinement"]["path"], FOLDER_REFINEMENT);

    // and an incomplete folder refinement is refused even when the flat one is complete
    let run = Gov::fixture("ref-dotgov")
        .file(
            FOLDER_REFINEMENT,
            text.replace("GAPS_IDENTIFIED", "GAPS_REMOVED"),
        )
        .args(&["record-refinement", "WP-1-Beta"])
        .run();
    run.expect_code(1);
    assert!(
        run.transcript().contains(FOLDER_REFINEMENT),
        "{}",
        run.transcript()
    );
}
