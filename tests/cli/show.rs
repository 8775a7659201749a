//! `gov show`: the parsed packet for agents, human and JSON.

use crate::support::Gov;

#[test]
fn show_human() {
    let run = Gov::fixture("prework")
        .args(&["show", "WP-1-Login-Endpoint"])
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn show_json_contract() {
    let run = Gov::fixture("prework")
        .args(&["show", "WP-1-Storage-Trait", "--format", "json"])
        .run();
    run.expect_code(0);
    let doc = run.json();
    let p = &doc["packet"];
    for key in [
        "id",
        "status",
        "risk_tier",
        "signature",
        "spec_anchors",
        "in_scope_paths",
        "out_of_scope",
        "done_means",
        "test_plan",
        "bootstrap",
        "dependencies",
        "last_verdict",
    ] {
        assert!(p.get(key).is_some(), "missing {key}");
    }
    assert_eq!(p["status"]["canonical"], "validated");
    assert_eq!(p["risk_tier"], "HIGH");
    assert_eq!(p["last_verdict"]["verdict"], "PASS");
    assert_eq!(p["in_scope_paths"].as_array().unwrap().len(), 5);
    insta::assert_json_snapshot!(doc);
}

#[test]
fn show_bold_line_metadata_variant() {
    let run = Gov::fixture("prework")
        .args(&["show", "WP-1-Migration-Numbering", "--format", "json"])
        .run();
    run.expect_code(0);
    let p = &run.json()["packet"];
    assert_eq!(p["status"]["canonical"], "in_progress");
    assert_eq!(p["signature"]["value"], "maria140920261105");
    assert_eq!(p["spec_anchors"][0]["anchor"], "§2.2.1");
    assert_eq!(p["dependencies"][0]["id"], "WP-1-Storage-Trait");
}

/// `-q` drops chatter, not the answer: show, status and explain print what they
/// were asked for, while a gate keeps only its errors and verdict.
#[test]
fn quiet_keeps_the_answer_of_informational_commands() {
    let loud = Gov::fixture("prework")
        .args(&["show", "WP-1-Login-Endpoint"])
        .run();
    let quiet = Gov::fixture("prework")
        .args(&["-q", "show", "WP-1-Login-Endpoint"])
        .run();
    quiet.expect_code(0);
    assert!(!quiet.stdout.is_empty());
    // the whole answer; only the `next:` hint goes
    let answer = loud.stdout.split("next:\n").next().unwrap();
    assert_eq!(quiet.stdout, answer);
    for args in [&["-q", "status"][..], &["-q", "explain", "PKT001"]] {
        let run = Gov::example("demo").args(args).run();
        assert!(!run.stdout.trim().is_empty(), "{args:?} printed nothing");
    }
}

/// Every form of packet shows the same typed fields, each located in the file read.
#[test]
fn show_json_of_a_folder_packet() {
    let run = Gov::fixture("layouts/records")
        .args(&["show", "WP-1-Twin", "--format", "json"])
        .run();
    run.expect_code(0);
    let doc = run.json();
    let p = &doc["packet"];
    assert_eq!(p["path"], ".GOV/task_packets/WP-1-Twin/packet.md");
    assert_eq!(
        p["what"]["value"],
        "Append ledger entries through one writer."
    );
    assert_eq!(p["what"]["line"], 14);
    assert!(p["what"].get("pointer").is_none(), "no pointer in Markdown");
    assert_eq!(p["validation"][0]["blank"], true);
    insta::assert_json_snapshot!(doc);
}

#[test]
fn show_json_of_a_packet_json_names_pointers() {
    let run = Gov::fixture("layouts/records")
        .args(&["show", "WP-1-Json", "--format", "json"])
        .run();
    run.expect_code(0);
    let doc = run.json();
    let p = &doc["packet"];
    assert_eq!(p["path"], ".GOV/task_packets/WP-1-Json/packet.json");
    assert_eq!(p["status"]["pointer"], "/lifecycle/status");
    assert_eq!(p["in_scope_paths"][1]["pointer"], "/scope/allowed_paths/1");
    assert_eq!(p["dependencies"][0]["pointer"], "/workflow/depends_on_wp/0");
    // packet.json has no What, Why or VALIDATION: absent, not invented
    assert!(p["what"].is_null() && p["why"].is_null());
    assert_eq!(p["validation"], serde_json::json!([]));
    insta::assert_json_snapshot!(doc);
}

/// An agent cannot rewrite What by a forged heading in a code block or a repeat
/// appended below; the real values stay, located where they are written.
#[test]
fn forged_and_repeated_prose_fields_do_not_replace_the_real_ones() {
    let path = "docs/task_packets/WP-1-Login-Endpoint.md";
    let original = Gov::fixture_text("prework", path);
    let forged = format!(
        "{original}\n## Notes\n```md\n## Why\nforged inside a fence\n```\n- What: appended later, must not count\n"
    );
    let run = Gov::fixture("prework")
        .file(path, forged)
        .args(&["show", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
    let p = &run.json()["packet"];
    assert_eq!(p["what"]["line"], 16);
    assert!(p["what"]["value"]
        .as_str()
        .unwrap()
        .starts_with("Add `POST /auth/login`"));
    assert_eq!(p["why"]["line"], 17);
    assert!(!p["why"]["value"].as_str().unwrap().contains("forged"));
}
