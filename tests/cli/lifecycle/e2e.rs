//! From `gov init` to `phase-gate Phase-1` PASS with gov commands only, plus the
//! edits a person makes: filling the packet, writing the code, recording evidence.

use super::team::{Layout, Team, EVIDENCE};

const WP: &str = "WP-1-Greeting";
/// After the signature's minute (12:05): the moves run from here on.
const LATER: &str = "2026-11-21T12:30:00";

fn at(t: &Team, args: &[&str]) -> super::team::Out {
    t.gov_at(LATER, args, None)
}

/// The whole flow; returns the team for layout-specific checks.
fn reach_closed_phase(layout: Layout) -> Team {
    let t = Team::init(layout);
    // a fresh board explains its empty gate; status points at the first packet
    let status = at(&t, &["status", "--format", "json"]);
    status.expect(0);
    let next = status.json()["next"].to_string();
    assert!(next.contains("--gate Phase-1"), "{next}");

    at(
        &t,
        &["create-task-packet", WP, "--backlog", "--gate", "Phase-1"],
    )
    .expect(0);
    t.fill_packet(WP, "src/greet.rs");
    // refine, then sign in a later turn
    t.write_refinement(WP);
    t.gov_at("2026-11-21T12:00:00", &["record-refinement", WP], None)
        .expect(0);
    // not signed yet: ready is refused and nothing moves
    let refused = at(&t, &["ready", WP, "--format", "json"]);
    refused.expect(1);
    let codes = refused.codes();
    assert!(
        codes.contains(&"LIF003".to_string()) && codes.contains(&"PKT017".to_string()),
        "{codes:?}"
    );
    assert!(t.read(&t.packet_path(WP)).contains("- STATUS: Backlog"));
    t.gov_at(
        "2026-11-21T12:10:00",
        &["record-signature", WP, "maria211120261205"],
        None,
    )
    .expect(0);

    at(&t, &["ready", WP]).expect(0);
    at(
        &t,
        &[
            "start",
            WP,
            "--coder",
            "coder-a",
            "--worktree",
            "../wt-greeting",
        ],
    )
    .expect(0);
    t.commit("WP-1-Greeting: ready and started");

    // the work, and its evidence
    t.write(
        "src/greet.rs",
        "pub fn greet(n: &str) -> String {\n    format!(\"Hello, {n}\")\n}\n",
    );
    t.replace(
        &t.packet_path(WP),
        "## VALIDATION\n- Command:\n- Result:\n- Notes:",
        EVIDENCE,
    );
    at(&t, &["submit", WP]).expect(0);

    // the validator fails it; the report is appended, the WP goes back to work
    let fail = t.gov_at(
        LATER,
        &[
            "verdict",
            WP,
            "FAIL",
            "--report",
            "-",
            "--validator",
            "val-1",
        ],
        Some("Findings:\n- an empty name prints `Hello, `\n"),
    );
    fail.expect(0);
    let packet = t.read(&t.packet_path(WP));
    assert!(packet.contains("- STATUS: In-Progress"), "{packet}");
    assert!(packet.contains("- an empty name prints `Hello, `\n\n- Validator: val-1\n"));

    // rework, submit again, pass
    t.write("src/greet.rs", "pub fn greet(n: &str) -> String {\n    if n.is_empty() {\n        return \"Hello\".to_string();\n    }\n    format!(\"Hello, {n}\")\n}\n");
    at(&t, &["submit", WP]).expect(0);
    at(&t, &["phase-gate", "Phase-1"]).expect(1);
    t.gov_at(
        LATER,
        &[
            "verdict",
            WP,
            "PASS",
            "--report",
            "-",
            "--validator",
            "val-1",
        ],
        Some("Scope: src/greet.rs\nTests: cargo test greet (2 passed)\n"),
    )
    .expect(0);

    let gate = at(&t, &["phase-gate", "Phase-1", "--format", "json"]);
    gate.expect(0);
    at(&t, &["board-check"]).expect(0);
    at(&t, &["signatures", "verify"]).expect(0);
    // both reports are kept, in order, and the last verdict is PASS
    let packet = t.read(&t.packet_path(WP));
    let fail_at = packet.find("- Verdict: FAIL").expect("FAIL report kept");
    let pass_at = packet.find("- Verdict: PASS").expect("PASS report");
    assert!(fail_at < pass_at);
    assert!(packet.contains("- STATUS: Done (VALIDATED)"));
    t
}

#[test]
fn docs_layout_reaches_a_closed_phase() {
    let t = reach_closed_phase(Layout::Docs);
    insta::assert_snapshot!("e2e_docs_board", t.read(Layout::Docs.board()));
    let packet = t.read(&t.packet_path(WP));
    let reports = &packet[packet.find("## VALIDATION_REPORTS").expect("reports")..];
    insta::assert_snapshot!("e2e_docs_reports", reports);
    insta::assert_snapshot!("e2e_docs_gate_state", t.read(Layout::Docs.gates()));
}

#[test]
fn dotgov_layout_reaches_a_closed_phase() {
    let t = reach_closed_phase(Layout::Dotgov);
    let state: serde_json::Value =
        serde_json::from_str(&t.read(Layout::Dotgov.gates())).expect("json");
    let kinds: Vec<&str> = state["gate_logs"]
        .as_array()
        .expect("log")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        [
            "REFINEMENT",
            "STATUS_SYNC",
            "PREPARE",
            "STATUS_SYNC",
            "STATUS_SYNC",
            "STATUS_SYNC",
            "STATUS_SYNC",
            "STATUS_SYNC"
        ]
    );
    let prepare = &state["gate_logs"][2];
    assert_eq!(prepare["data"]["worktree_dir"], "../wt-greeting");
    assert_eq!(prepare["data"]["coder"], "coder-a");
    assert_eq!(prepare["data"]["branch"], "main");
    assert_eq!(prepare["timestamp"], "2026-11-21T12:30:00Z");
    assert!(t
        .read(Layout::Dotgov.board())
        .contains("- [WP-1-Greeting] Done (VALIDATED)"));
}
