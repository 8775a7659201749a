//! Each move and each precondition, both ways; refusals write nothing; repeated
//! moves change nothing; dry runs print the diff; board sync; supersede.

use super::team::{Layout, Out, Team};

const LATER: &str = "2026-11-21T12:30:00";

fn at(t: &Team, args: &[&str]) -> Out {
    t.gov_at(LATER, args, None)
}

/// A packet created in Backlog (listed in the Phase 1 gate), filled and signed.
fn signed(t: &Team, id: &str, scope: &str, sig: &str) {
    at(
        t,
        &["create-task-packet", id, "--backlog", "--gate", "Phase-1"],
    )
    .expect(0);
    t.fill_packet(id, scope);
    at(t, &["record-signature", id, sig]).expect(0);
}

fn team_with(ids: &[(&str, &str)]) -> Team {
    let t = Team::init(Layout::Docs);
    for (i, (id, scope)) in ids.iter().enumerate() {
        signed(&t, id, scope, &format!("maria2111202611{i:02}"));
    }
    t
}

/// The governance files' bytes, to prove a refusal wrote nothing.
fn files(t: &Team, ids: &[&str]) -> Vec<String> {
    let mut v = vec![t.read(Layout::Docs.board())];
    v.extend(ids.iter().map(|id| t.read(&t.packet_path(id))));
    v.push(std::fs::read_to_string(t.root().join(Layout::Docs.gates())).unwrap_or_default());
    v
}

fn refused(t: &Team, args: &[&str], code: &str, ids: &[&str]) {
    let before = files(t, ids);
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let o = at(t, &all);
    o.expect(1);
    assert!(
        o.codes().contains(&code.to_string()),
        "{args:?}: {:?}",
        o.codes()
    );
    assert_eq!(files(t, ids), before, "{args:?} wrote something");
}

#[test]
fn moves_from_the_wrong_state_are_refused_and_write_nothing() {
    let t = team_with(&[("WP-1-A", "src/a.rs")]);
    for args in [
        &["start", "WP-1-A"][..],
        &["submit", "WP-1-A"],
        &["unblock", "WP-1-A"],
    ] {
        refused(&t, args, "LIF001", &["WP-1-A"]);
    }
    t.write("r.md", "Findings: none\n");
    refused(
        &t,
        &["verdict", "WP-1-A", "PASS", "--report", "r.md"],
        "LIF001",
        &["WP-1-A"],
    );
    refused(
        &t,
        &["verdict", "WP-1-A", "FAIL", "--report", "r.md"],
        "LIF001",
        &["WP-1-A"],
    );
    // and the allowed move from here passes
    at(&t, &["ready", "WP-1-A"]).expect(0);
    refused(&t, &["submit", "WP-1-A"], "LIF001", &["WP-1-A"]);
    let human = at(&t, &["submit", "WP-1-A"]);
    insta::assert_snapshot!("refused_submit_human", human.transcript(t.root()));
}

#[test]
fn a_repeated_move_changes_nothing() {
    let t = team_with(&[("WP-1-A", "src/a.rs")]);
    at(&t, &["ready", "WP-1-A"]).expect(0);
    let before = files(&t, &["WP-1-A"]);
    let again = at(&t, &["ready", "WP-1-A", "--format", "json"]);
    again.expect(0);
    assert_eq!(again.json()["transition"]["already"], true);
    assert_eq!(again.json()["files"], serde_json::json!([]));
    assert_eq!(files(&t, &["WP-1-A"]), before);
    at(&t, &["start", "WP-1-A", "--coder", "c"]).expect(0);
    let before = files(&t, &["WP-1-A"]);
    at(&t, &["start", "WP-1-A", "--coder", "c"]).expect(0);
    assert_eq!(files(&t, &["WP-1-A"]), before);
}

#[test]
fn ready_and_start_require_pre_work() {
    let t = Team::init(Layout::Docs);
    at(&t, &["create-task-packet", "WP-1-A", "--backlog"]).expect(0);
    // the template's hints are still there: refused
    refused(&t, &["ready", "WP-1-A"], "LIF003", &["WP-1-A"]);
    t.fill_packet("WP-1-A", "src/a.rs");
    refused(&t, &["ready", "WP-1-A"], "PKT017", &["WP-1-A"]); // unsigned
    at(&t, &["record-signature", "WP-1-A", "maria211120261100"]).expect(0);
    at(&t, &["ready", "WP-1-A"]).expect(0);
    // a dependency that is not validated stops start
    t.replace(
        &t.packet_path("WP-1-A"),
        "- Depends on: None",
        "- Depends on: WP-1-Base",
    );
    at(&t, &["create-task-packet", "WP-1-Base", "--backlog"]).expect(0);
    refused(&t, &["start", "WP-1-A"], "LIF003", &["WP-1-A"]);
    t.replace(
        &t.packet_path("WP-1-A"),
        "- Depends on: WP-1-Base",
        "- Depends on: None",
    );
    at(&t, &["start", "WP-1-A"]).expect(0);
}

#[test]
fn start_refuses_an_overlapping_file_lock_and_an_absolute_worktree() {
    let t = team_with(&[
        ("WP-1-A", "src/shared.rs"),
        ("WP-1-B", "src/shared.rs"),
        ("WP-1-C", "src/other.rs"),
    ]);
    for id in ["WP-1-A", "WP-1-B", "WP-1-C"] {
        at(&t, &["ready", id]).expect(0);
    }
    at(&t, &["start", "WP-1-A"]).expect(0);
    refused(&t, &["start", "WP-1-B"], "PKT014", &["WP-1-B"]);
    refused(
        &t,
        &["start", "WP-1-C", "--worktree", "/home/me/wt"],
        "LIF009",
        &["WP-1-C"],
    );
    refused(
        &t,
        &["start", "WP-1-C", "--worktree", "C:\\wt"],
        "LIF009",
        &["WP-1-C"],
    );
    let ok = at(
        &t,
        &[
            "start",
            "WP-1-C",
            "--worktree",
            "../wt-c",
            "--branch",
            "feat/c",
            "--coder",
            "coder-c",
            "--format",
            "json",
        ],
    );
    ok.expect(0);
    insta::assert_json_snapshot!("start_json", ok.json());
}

#[test]
fn submit_requires_post_work() {
    let t = team_with(&[("WP-1-A", "src/a.rs")]);
    at(&t, &["ready", "WP-1-A"]).expect(0);
    at(&t, &["start", "WP-1-A"]).expect(0);
    t.commit("started");
    t.write("src/a.rs", "pub fn greet() {}\n");
    // no evidence recorded yet
    refused(&t, &["submit", "WP-1-A"], "LIF004", &["WP-1-A"]);
    // a file outside IN_SCOPE_PATHS
    t.replace(
        &t.packet_path("WP-1-A"),
        "## VALIDATION\n- Command:\n- Result:\n- Notes:",
        &super::team::EVIDENCE.replace("greet.rs", "a.rs"),
    );
    t.write("src/elsewhere.rs", "pub fn x() {}\n");
    refused(&t, &["submit", "WP-1-A"], "LIF004", &["WP-1-A"]);
    std::fs::remove_file(t.root().join("src/elsewhere.rs")).expect("rm");
    at(&t, &["submit", "WP-1-A"]).expect(0);
}

#[test]
fn a_verdict_needs_a_report_from_inside_the_repository() {
    let t = team_with(&[("WP-1-A", "src/a.rs")]);
    for m in ["ready", "start"] {
        at(&t, &[m, "WP-1-A"]).expect(0);
    }
    t.commit("started");
    t.write("src/a.rs", "pub fn greet() {}\n");
    t.replace(
        &t.packet_path("WP-1-A"),
        "## VALIDATION\n- Command:\n- Result:\n- Notes:",
        &super::team::EVIDENCE.replace("greet.rs", "a.rs"),
    );
    at(&t, &["submit", "WP-1-A"]).expect(0);
    let empty = t.gov_at(
        LATER,
        &[
            "verdict", "WP-1-A", "FAIL", "--report", "-", "--format", "json",
        ],
        Some("  \n"),
    );
    empty.expect(1);
    assert_eq!(empty.codes(), ["LIF005"]);
    let outside = tempfile::NamedTempFile::new().expect("tmp");
    std::fs::write(outside.path(), "Findings: x\n").expect("write");
    let o = at(
        &t,
        &[
            "verdict",
            "WP-1-A",
            "FAIL",
            "--report",
            &outside.path().display().to_string(),
            "--format",
            "json",
        ],
    );
    o.expect(2);
    assert_eq!(o.codes(), ["GOV010"]);
    t.write("review/fail.md", "Findings:\n- the name is ignored\n");
    let dry = at(
        &t,
        &[
            "verdict",
            "WP-1-A",
            "FAIL",
            "--report",
            "review/fail.md",
            "--dry-run",
        ],
    );
    dry.expect(0);
    assert!(dry.stdout.contains("+- Verdict: FAIL"), "{}", dry.stdout);
    assert!(
        !t.read(&t.packet_path("WP-1-A"))
            .contains("VALIDATION_REPORTS"),
        "a dry run writes nothing"
    );
    let fail = at(
        &t,
        &["verdict", "WP-1-A", "FAIL", "--report", "review/fail.md"],
    );
    fail.expect(0);
    insta::assert_snapshot!("verdict_fail_human", fail.transcript(t.root()));
    // the same verdict again is a no-op; PASS from In Progress is refused
    let before = files(&t, &["WP-1-A"]);
    at(
        &t,
        &["verdict", "WP-1-A", "FAIL", "--report", "review/fail.md"],
    )
    .expect(0);
    assert_eq!(files(&t, &["WP-1-A"]), before);
    refused(
        &t,
        &["verdict", "WP-1-A", "PASS", "--report", "review/fail.md"],
        "LIF001",
        &["WP-1-A"],
    );
}

#[test]
fn block_needs_a_cause_and_unblock_needs_validated_blockers() {
    let t = team_with(&[("WP-1-A", "src/a.rs"), ("WP-1-B", "src/b.rs")]);
    at(&t, &["ready", "WP-1-A"]).expect(0);
    refused(&t, &["block", "WP-1-A"], "LIF006", &["WP-1-A"]);
    refused(
        &t,
        &["block", "WP-1-A", "--on", "WP-1-A"],
        "LIF014",
        &["WP-1-A"],
    );
    refused(
        &t,
        &["block", "WP-1-A", "--on", "WP-1-Nowhere"],
        "LIF008",
        &["WP-1-A"],
    );
    at(&t, &["block", "WP-1-A", "--on", "WP-1-B"]).expect(0);
    let board = t.read(Layout::Docs.board());
    assert!(
        board.contains("## Blocked\n\n- [WP-1-A] Blocked on WP-1-B\n"),
        "{board}"
    );
    assert!(t
        .read(&t.packet_path("WP-1-A"))
        .contains("- STATUS: Blocked"));
    at(&t, &["board-check"]).expect(0);
    refused(&t, &["unblock", "WP-1-A"], "LIF007", &["WP-1-A"]);
    // the blocker validated (by hand here: its own lifecycle is tested elsewhere)
    t.replace(
        &t.packet_path("WP-1-B"),
        "- STATUS: Backlog",
        "- STATUS: Done",
    );
    let b = t.read(&t.packet_path("WP-1-B"));
    t.write(
        &t.packet_path("WP-1-B"),
        &format!("{b}\n## VALIDATION_REPORTS\n- Verdict: PASS\n"),
    );
    let o = at(&t, &["unblock", "WP-1-A", "--format", "json"]);
    o.expect(0);
    assert_eq!(
        o.json()["transition"]["to"],
        "ready_for_dev",
        "back to the state it was blocked from"
    );
    assert!(t
        .read(Layout::Docs.board())
        .contains("## Ready for Dev\n\n- [WP-1-A] Ready-for-Dev\n"));
    // a reason alone: unblocked at once
    at(
        &t,
        &["block", "WP-1-A", "--reason", "waiting for the API key"],
    )
    .expect(0);
    assert!(t
        .read(Layout::Docs.board())
        .contains("- [WP-1-A] Blocked - waiting for the API key"));
    at(&t, &["unblock", "WP-1-A"]).expect(0);
}

#[test]
fn a_variant_supersedes_and_takes_the_gate_place() {
    let t = team_with(&[("WP-1-A", "src/a.rs")]);
    at(&t, &["ready", "WP-1-A"]).expect(0);
    refused(
        &t,
        &["supersede", "WP-1-A", "--by", "WP-1-A-v2"],
        "LIF008",
        &["WP-1-A"],
    );
    let o = at(
        &t,
        &[
            "create-task-packet",
            "WP-1-A-v2",
            "--from",
            "WP-1-A",
            "--backlog",
        ],
    );
    o.expect(0);
    let v2 = t.read(&t.packet_path("WP-1-A-v2"));
    assert!(
        v2.contains("- TASK_ID: WP-1-A-v2\n- STATUS: Backlog"),
        "{v2}"
    );
    assert!(v2.contains("- USER_SIGNATURE: <pending>") && v2.contains("- Signature: <pending>"));
    assert!(v2.contains("  - src/a.rs"), "content is copied");
    at(
        &t,
        &[
            "create-task-packet",
            "WP-1-B-v2",
            "--from",
            "WP-1-B",
            "--format",
            "json",
        ],
    )
    .expect(1);
    at(&t, &["supersede", "WP-1-A", "--by", "WP-1-A-v2"]).expect(0);
    let board = t.read(Layout::Docs.board());
    insta::assert_snapshot!("supersede_board", board);
    assert!(t
        .read(&t.packet_path("WP-1-A"))
        .contains("- STATUS: Superseded"));
    let check = at(&t, &["board-check", "--format", "json"]);
    check.expect(0);
    assert!(!check.codes().contains(&"LIF013".to_string()));
    refused(&t, &["ready", "WP-1-A"], "LIF001", &["WP-1-A"]);
    // a hand edit no move can make: Superseded back to Ready for Dev
    t.replace(
        &t.packet_path("WP-1-A"),
        "- STATUS: Superseded",
        "- STATUS: Ready-for-Dev",
    );
    at(&t, &["board", "sync"]).expect(0);
    let check = at(&t, &["board-check", "--format", "json"]);
    assert_eq!(check.codes(), ["LIF013"], "{}", check.stdout);
}

#[test]
fn board_sync_repairs_drift_from_the_packets() {
    let t = team_with(&[("WP-1-A", "src/a.rs"), ("WP-1-B", "src/b.rs")]);
    at(&t, &["ready", "WP-1-A"]).expect(0);
    // hand edits: a packet moved without its board entry, a duplicate, an orphan
    t.replace(
        &t.packet_path("WP-1-A"),
        "- STATUS: Ready-for-Dev",
        "- STATUS: In-Progress",
    );
    t.replace(
        Layout::Docs.board(),
        "## Done\n",
        "## Done\n\n- [WP-1-B] Done\n",
    );
    at(&t, &["board-check"]).expect(1);
    let before = t.read(Layout::Docs.board());
    let dry = at(&t, &["board", "sync", "--dry-run"]);
    dry.expect(0);
    insta::assert_snapshot!("board_sync_dry_run", dry.transcript(t.root()));
    assert_eq!(t.read(Layout::Docs.board()), before);
    let o = at(&t, &["board", "sync", "--format", "json"]);
    o.expect(0);
    assert_eq!(o.json()["repairs"].as_array().map(Vec::len), Some(2));
    at(&t, &["board-check"]).expect(0);
    at(&t, &["board", "sync"]).expect(0);
    assert_eq!(
        at(&t, &["board", "sync", "--format", "json"]).json()["repairs"],
        serde_json::json!([])
    );
    // what it cannot decide stays a finding
    t.replace(
        Layout::Docs.board(),
        "## Blocked\n",
        "## Blocked\n\n- [WP-1-Gone] Blocked - no packet\n",
    );
    let o = at(&t, &["board", "sync", "--format", "json"]);
    o.expect(1);
    assert_eq!(o.codes(), ["LIF012"]);
}

#[test]
fn a_gate_state_that_is_not_utf8_is_refused_and_kept() {
    let t = team_with(&[("WP-1-A", "src/a.rs")]);
    let bad = b"{\"gate_logs\": [{\"note\": \"caf\xe9\"}]}".to_vec();
    std::fs::write(t.root().join(Layout::Docs.gates()), &bad).expect("write");
    let o = at(&t, &["ready", "WP-1-A", "--format", "json"]);
    o.expect(2);
    assert_eq!(o.codes(), ["GOV007"]);
    assert_eq!(
        std::fs::read(t.root().join(Layout::Docs.gates())).expect("read"),
        bad
    );
    // a hand-written one keeps every byte; the event is appended after them
    let hand = "{\"version\": 1.50, \"gate_logs\": [{\"wpId\": \"WP-0\", \"k\": 1, \"k\": 2}], \"big\": 12345678901234567890123}\n";
    t.write(Layout::Docs.gates(), hand);
    at(&t, &["ready", "WP-1-A"]).expect(0);
    let now = t.read(Layout::Docs.gates());
    assert!(now.starts_with("{\"version\": 1.50, \"gate_logs\": [{\"wpId\": \"WP-0\", \"k\": 1, \"k\": 2}, {\"wpId\": \"WP-1-A\""), "{now}");
    assert!(
        now.ends_with("}], \"big\": 12345678901234567890123}\n"),
        "{now}"
    );
}

#[test]
fn record_refinement_appends_as_text_and_refuses_a_non_utf8_gate_state() {
    const GATES: &str = ".GOV/roles/orchestrator/ORCHESTRATOR_GATES.json";
    let bad = b"{\"gate_logs\": [], \"note\": \"\xff\"}".to_vec();
    let run = crate::support::Gov::fixture("ref-dotgov")
        .file(GATES, &bad)
        .args(&["record-refinement", "WP-1-Beta", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV007"]);
    assert_eq!(std::fs::read(run.root.join(GATES)).expect("read"), bad);
    let hand = "{\"gate_logs\": [], \"n\": 1.50, \"k\": 1, \"k\": 2}";
    let run = crate::support::Gov::fixture("ref-dotgov")
        .file(GATES, hand)
        .args(&["record-refinement", "WP-1-Beta"])
        .run();
    run.expect_code(0);
    let now = run.read(GATES);
    assert!(
        now.starts_with("{\"gate_logs\": [{\"wpId\": \"WP-1-Beta\", \"type\": \"REFINEMENT\""),
        "{now}"
    );
    assert!(
        now.ends_with("}], \"n\": 1.50, \"k\": 1, \"k\": 2}"),
        "{now}"
    );
}

#[test]
fn a_dry_run_prints_the_diff_of_every_file() {
    let t = team_with(&[("WP-1-A", "src/a.rs")]);
    let before = files(&t, &["WP-1-A"]);
    let dry = at(&t, &["ready", "WP-1-A", "--dry-run"]);
    dry.expect(0);
    assert_eq!(files(&t, &["WP-1-A"]), before);
    insta::assert_snapshot!("ready_dry_run_human", dry.transcript(t.root()));
    let json = at(&t, &["ready", "WP-1-A", "--dry-run", "--format", "json"]).json();
    assert_eq!(json["dry_run"], true);
    assert!(json["diff"]
        .as_str()
        .expect("diff")
        .contains("+- STATUS: Ready-for-Dev"));
}
