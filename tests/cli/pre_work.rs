//! `gov pre-work`: every rule both ways, against the demo repository and fixtures.

use crate::support::Gov;

#[test]
fn demo_ready_packet_passes() {
    let run = Gov::example("demo")
        .args(&["pre-work", "WP-1-Login-Endpoint"])
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn demo_flawed_packet_reports_every_problem() {
    let run = Gov::example("demo")
        .args(&["pre-work", "WP-1-Token-Validation"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn demo_flawed_packet_json() {
    let run = Gov::example("demo")
        .args(&["pre-work", "WP-1-Token-Validation", "--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.json()["verdict"], "fail");
    insta::assert_json_snapshot!(run.json());
}
