//! `gov status`: the orchestrator's one screen, human and JSON.

use crate::support::Gov;

#[test]
fn clean_repository() {
    let run = Gov::fixture("board-clean").arg("status").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn clean_repository_json() {
    let run = Gov::fixture("board-clean")
        .args(&["status", "--format", "json"])
        .run();
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn drift_and_failing_checks_lead_the_next_list() {
    let run = Gov::fixture("board-clean")
        .replace(
            "docs/task_packets/WP-2-Gamma.md",
            "STATUS: In Progress",
            "STATUS: Done",
        )
        .replace("docs/task_packets/WP-2-Delta.md", "§3.2", "§3.9")
        .args(&["status", "--format", "json"])
        .run();
    run.expect_code(0);
    let doc = run.json();
    assert_eq!(doc["next"][0], "gov spec-regression");
    assert_eq!(doc["next"][1], "gov board-check");
    assert_eq!(doc["drift"][0]["kind"], "status_mismatch");
    assert_eq!(doc["spec"]["verdict"], "fail");
    insta::assert_json_snapshot!(doc);
}

#[test]
fn messy_repository() {
    let run = Gov::fixture("board-messy").arg("status").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn demo_repository() {
    let run = Gov::example("demo").arg("status").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn missing_board_is_exit_2() {
    let run = Gov::fixture("board-clean")
        .remove("docs/TASK_BOARD.md")
        .args(&["status", "--format", "json"])
        .run();
    run.expect_code(2);
}
