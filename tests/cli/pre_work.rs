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

#[test]
fn color_follows_flag_and_no_color() {
    let always = Gov::example("demo")
        .args(&["--color", "always", "pre-work", "WP-1-Token-Validation"])
        .run();
    assert!(
        always.stdout.contains("\x1b[1;31merror\x1b[0m"),
        "{}",
        always.stdout
    );
    let never = Gov::example("demo")
        .args(&["--color", "never", "pre-work", "WP-1-Token-Validation"])
        .run();
    assert!(!never.stdout.contains('\x1b'));
    // auto: NO_COLOR is set by the harness (and stdout is not a terminal)
    let auto = Gov::example("demo")
        .args(&["pre-work", "WP-1-Token-Validation"])
        .run();
    assert!(!auto.stdout.contains('\x1b'));
}

#[test]
fn quiet_keeps_errors_and_verdict_only() {
    let run = Gov::example("demo")
        .args(&["-q", "pre-work", "WP-1-Token-Validation"])
        .run();
    run.expect_code(1);
    assert!(!run.stdout.contains("warning["));
    assert!(!run.stdout.contains("next:"));
    assert!(run
        .stdout
        .lines()
        .last()
        .unwrap()
        .starts_with("pre-work WP-1-Token-Validation: FAIL"));
}

#[test]
fn an_anchor_whose_heading_sits_inside_a_spec_fence_is_missing_and_says_where() {
    // a fence the spec's author wrapped around a heading hides it: the anchor does not
    // resolve, and the finding points at the fence rather than leaving the author to
    // hunt for a heading that seems to be there
    let run = Gov::example("demo")
        .replace(
            "Master_Spec_v1.1.md",
            "#### 3.1.1 Login Endpoint\n",
            "```text\n#### 3.1.1 Login Endpoint\n```\n",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(1);
    let doc = run.json();
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "PKT009")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("§3.1.1"), "{msg}");
    assert!(
        msg.contains("inside the code fence of Master_Spec_v1.1.md lines 43-45, at line 44"),
        "{msg}"
    );
}
