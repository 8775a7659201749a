//! `gov signatures verify`: the whole-repository signature audit.

use crate::support::Gov;

#[test]
fn messy_repository_reports_every_problem() {
    let run = Gov::fixture("sig-messy")
        .args(&["signatures", "verify"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn messy_repository_json() {
    let run = Gov::fixture("sig-messy")
        .args(&["signatures", "verify", "--format", "json"])
        .run();
    run.expect_code(1);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn demo_and_fresh_repositories_pass() {
    Gov::example("demo")
        .args(&["signatures", "verify"])
        .run()
        .expect_code(0);
    let run = Gov::new().args(&["init"]).run();
    run.expect_code(0);
    run.again()
        .args(&["signatures", "verify"])
        .run()
        .expect_code(0);
}

#[test]
fn legacy_warnings_do_not_fail_unless_strict() {
    let g = || {
        Gov::fixture("sig-basic").replace(
            "docs/SIGNATURE_AUDIT.md",
            "| maria020320260915 |",
            "| ilja251225032800 | x | | | | |\n| maria020320260915 |",
        )
    };
    let run = g()
        .args(&["signatures", "verify", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.codes(), ["SIG002"]);
    g().args(&["signatures", "verify", "--strict"])
        .run()
        .expect_code(1);
}

#[test]
fn a_signed_packet_edited_after_signing_fails() {
    let run = Gov::fixture("sig-basic")
        .args(&[
            "record-signature",
            "WP-1-Login-Endpoint",
            "alice211120261130",
        ])
        .run();
    run.expect_code(0);
    let run = run
        .again()
        .replace(
            "docs/task_packets/WP-1-Login-Endpoint.md",
            "  - tests/auth_login.rs (integration tests)\n",
            "  - tests/auth_login.rs (integration tests)\n  - src/main.rs\n",
        )
        .args(&["signatures", "verify", "--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SIG009"]);
    assert_eq!(run.json()["signatures"]["locks_changed"], 1);
    // whitespace and line endings are not edits
    let g = run.again();
    let p = g.root().join("docs/task_packets/WP-1-Login-Endpoint.md");
    let text = std::fs::read_to_string(&p).expect("read");
    let text = text
        .replace("  - src/main.rs\n", "")
        .replace("JSON (§3.1.1)\n", "JSON (§3.1.1)   \n\n")
        .replace('\n', "\r\n");
    std::fs::write(&p, text).expect("write");
    g.args(&["signatures", "verify"]).run().expect_code(0);
}

#[test]
fn missing_audit_is_exit_2() {
    let run = Gov::fixture("sig-basic")
        .remove("docs/SIGNATURE_AUDIT.md")
        .args(&["signatures", "verify"])
        .run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn unreadable_packet_is_reported_not_skipped() {
    let g = Gov::fixture("sig-basic");
    std::fs::create_dir_all(g.root().join("docs/task_packets/WP-1-Dir.md")).expect("mkdir");
    let run = g.args(&["signatures", "verify", "--format", "json"]).run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["GOV002"]);
}

/// One approval whatever its case: a second packet citing `MARIA…` for `maria…` reuses
/// it, and an audit row recording `Maria…` again is a duplicate.
#[test]
fn a_signature_in_another_case_is_the_same_approval() {
    let run = Gov::fixture("sig-basic")
        .replace(
            "docs/task_packets/WP-1-Login-Endpoint.md",
            "- USER_SIGNATURE: <pending>",
            "- USER_SIGNATURE: MARIA020320260915",
        )
        .args(&["signatures", "verify", "--format", "json"])
        .run();
    run.expect_code(1);
    assert!(
        run.codes().contains(&"SIG008".to_string()),
        "{:?}",
        run.codes()
    );
    let dup = Gov::fixture("sig-basic")
        .replace(
            "docs/SIGNATURE_AUDIT.md",
            "| maria020320260915 |",
            "| Maria020320260915 | x | | | | |\n| maria020320260915 |",
        )
        .args(&["signatures", "verify", "--format", "json"])
        .run();
    dup.expect_code(1);
    assert!(
        dup.codes().contains(&"SIG007".to_string()),
        "{:?}",
        dup.codes()
    );
}
