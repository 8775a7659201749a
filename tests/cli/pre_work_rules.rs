//! Every pre-work rule both ways. The fixture's WP-1-Login-Endpoint passes; each case
//! makes one targeted edit and must produce its code (human and JSON snapshots).

use crate::support::Gov;

const PACKET: &str = "docs/task_packets/WP-1-Login-Endpoint.md";
const BOARD: &str = "docs/TASK_BOARD.md";

fn base() -> Gov {
    Gov::fixture("prework")
}

/// Runs pre-work on the edited fixture in human and JSON mode: checks the exit code,
/// the verdict and the expected code, and snapshots both outputs.
fn case_json(name: &str, edit: impl Fn(Gov) -> Gov, code: &str, exit: i32) {
    let human = edit(base())
        .args(&["pre-work", "WP-1-Login-Endpoint"])
        .run();
    assert_eq!(
        human.code,
        exit,
        "{name}: unexpected exit\n{}",
        human.transcript()
    );
    insta::assert_snapshot!(format!("{name}_human"), human.transcript());
    let json = edit(base())
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert_eq!(json.code, exit);
    let doc = json.json();
    let verdict = match exit {
        0 => "pass",
        1 => "fail",
        _ => "error",
    };
    assert_eq!(doc["verdict"], verdict, "{name}");
    assert!(
        json.codes().iter().any(|c| c == code),
        "{name}: expected {code} in {:?}",
        json.codes()
    );
    insta::assert_json_snapshot!(format!("{name}_json"), doc);
}

#[test]
fn base_packet_passes() {
    let run = base()
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.json()["verdict"], "pass");
    assert!(run.codes().is_empty(), "{:?}", run.codes());
}

#[test]
fn pkt001_missing_field() {
    case_json(
        "pkt001",
        |g| {
            g.replace(PACKET, "## ROLLBACK_HINT\n- `git revert <commit>`: the handler, route and tests are one commit; no migrations.\n", "")
        },
        "PKT001",
        1,
    );
}

#[test]
fn pkt002_empty_field() {
    case_json(
        "pkt002",
        |g| {
            g.replace(PACKET, "- What: Add `POST /auth/login`, returning a 24-hour bearer token for valid credentials and 401 AUTH-001 otherwise.", "- What:")
        },
        "PKT002",
        1,
    );
}

#[test]
fn pkt003_scope_not_exact() {
    let edit = |g: Gov| {
        g.replace(
            PACKET,
            "  - src/api/auth.rs (new login handler)",
            "  - src/",
        )
        .replace(
            PACKET,
            "  - src/api/mod.rs (route registration)",
            "  - src/api/*.rs",
        )
        .replace(PACKET, "  - src/api/error.rs (AUTH-001)", "  - backend")
    };
    case_json("pkt003", edit, "PKT003", 1);
    let run = edit(base())
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert_eq!(run.codes().iter().filter(|c| *c == "PKT003").count(), 3);
}

#[test]
fn pkt003_nested_directory_and_root_file_pass() {
    let run = base()
        .replace(
            PACKET,
            "  - src/api/auth.rs (new login handler)",
            "  - src/api/handlers/ (new folder)",
        )
        .replace(
            PACKET,
            "  - src/api/mod.rs (route registration)",
            "  - Cargo.toml (add jwt crate)",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
}

#[test]
fn pkt004_placeholders() {
    let edit = |g: Gov| {
        g.replace(
            PACKET,
            "- Why: Spec §3.1.1 makes login",
            "- Why: {rationale} TBD <fill> ??? Spec §3.1.1 makes login",
        )
        .replace(
            PACKET,
            "cargo build\ncargo test",
            "cargo build\necho {{WP_ID}}\ncargo test",
        )
    };
    case_json("pkt004", edit, "PKT004", 1);
    let run = edit(base())
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert_eq!(run.codes().iter().filter(|c| *c == "PKT004").count(), 5);
}

#[test]
fn pkt004_braces_in_code_are_not_placeholders() {
    let run = base()
        .replace(
            PACKET,
            "cargo build\ncargo test",
            "cargo build\nfind . -name '*.rs' -exec wc -l {} \\;\ncargo test",
        )
        .replace(
            PACKET,
            "- What: Add `POST /auth/login`",
            "- What: Add `POST /auth/login` taking `{email}` and {email, password}",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
}

#[test]
fn pkt005_status_not_startable() {
    case_json(
        "pkt005",
        |g| g.replace(PACKET, "- STATUS: Ready-for-Dev", "- STATUS: Done"),
        "PKT005",
        1,
    );
}

#[test]
fn pkt005_in_progress_may_start() {
    let run = base()
        .replace(PACKET, "- STATUS: Ready-for-Dev", "- STATUS: In-Progress")
        .replace(
            BOARD,
            "- [WP-1-Login-Endpoint] Ready-for-Dev (no blockers) since 2026-11-03\n",
            "",
        )
        .replace(
            BOARD,
            "## In Progress\n",
            "## In Progress\n\n- [WP-1-Login-Endpoint] In Progress since 2026-11-20\n",
        )
        .replace(
            BOARD,
            "   - Status: [READY FOR DEV]\n   - Blocker: WP-1-Storage-Trait",
            "   - Status: [IN PROGRESS]\n   - Blocker: WP-1-Storage-Trait",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
    assert!(run.codes().is_empty(), "{:?}", run.codes());
}

#[test]
fn pkt006_unknown_status() {
    case_json(
        "pkt006",
        |g| {
            g.replace(
                PACKET,
                "- STATUS: Ready-for-Dev",
                "- STATUS: Draft (needs review)",
            )
        },
        "PKT006",
        1,
    );
}

#[test]
fn pkt007_risk_tier() {
    case_json(
        "pkt007",
        |g| {
            g.replace(
                PACKET,
                "- RISK_TIER: MEDIUM",
                "- RISK_TIER: LOW | MEDIUM | HIGH",
            )
        },
        "PKT007",
        1,
    );
    let run = base()
        .replace(PACKET, "- RISK_TIER: MEDIUM", "- RISK_TIER: EXTREME")
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert!(run.codes().contains(&"PKT007".to_string()));
}

#[test]
fn pkt008_test_plan_without_command() {
    case_json(
        "pkt008",
        |g| {
            g.replace(PACKET, "# build and run the login tests\ncargo build\ncargo test --test auth_login\ncargo clippy --all-targets -- -D warnings\njust ai-review\njust post-work WP-1-Login-Endpoint\n", "# run the tests\n# then review\n")
        },
        "PKT008",
        1,
    );
}

#[test]
fn pkt009_anchor_not_found() {
    case_json(
        "pkt009",
        |g| {
            g.replace(
                PACKET,
                "- SPEC_ANCHOR: §3.1.1 (Login Endpoint), §3.2 (Error Codes)",
                "- SPEC_ANCHOR: §3.1.1, §9.9",
            )
        },
        "PKT009",
        1,
    );
}

#[test]
fn pkt010_anchor_in_roadmap() {
    case_json(
        "pkt010",
        |g| {
            g.replace(
                PACKET,
                "- SPEC_ANCHOR: §3.1.1 (Login Endpoint), §3.2 (Error Codes)",
                "- SPEC_ANCHOR: §4.2 (OAuth Login)",
            )
        },
        "PKT010",
        1,
    );
}

#[test]
fn anchors_in_every_written_form_resolve() {
    let run = base()
        .replace(
            PACKET,
            "- SPEC_ANCHOR: §3.1.1 (Login Endpoint), §3.2 (Error Codes)",
            "- SPEC_ANCHOR: A3.1.1, Â§3.2, 3.1.1-3.1.2, [CX-DBP-001], Master_Spec_v1.1.md §2.1.1",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
}

#[test]
fn pkt011_anchor_unparseable() {
    case_json(
        "pkt011",
        |g| {
            g.replace(
                PACKET,
                "- SPEC_ANCHOR: §3.1.1 (Login Endpoint), §3.2 (Error Codes)",
                "- SPEC_ANCHOR: the login section",
            )
        },
        "PKT011",
        1,
    );
}

#[test]
fn pkt012_list_bounds_warn_only() {
    let edit = |g: Gov| {
        g.replace(PACKET, "4. Passwords are compared with a constant-time hash check and never logged\n5. `cargo test --test auth_login` passes with at least 4 cases\n", "").replace(PACKET, "3. Invalid credentials return 401 with error code AUTH-001 (§3.1.1, §3.2)\n", "")
    };
    case_json("pkt012", edit, "PKT012", 0);
}

#[test]
fn pkt012_severity_can_be_raised_in_config() {
    let run = base()
        .replace(PACKET, "3. Invalid credentials return 401 with error code AUTH-001 (§3.1.1, §3.2)\n4. Passwords are compared with a constant-time hash check and never logged\n5. `cargo test --test auth_login` passes with at least 4 cases\n", "")
        .replace("gov.yaml", "review_required_tiers", "severity:\n  PKT012: error\nreview_required_tiers")
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.json()["diagnostics"][0]["severity"], "error");
}

#[test]
fn pkt013_dependency_not_validated() {
    case_json(
        "pkt013",
        |g| {
            g.replace(
                PACKET,
                "- Depends on: WP-1-Storage-Trait",
                "- Depends on: WP-1-Migration-Numbering",
            )
        },
        "PKT013",
        1,
    );
}

#[test]
fn pkt013_later_fail_undoes_earlier_pass() {
    let run = base()
        .file("docs/task_packets/WP-1-Storage-Trait.md", {
            let text = std::fs::read_to_string(crate::support::fixtures_dir().join("prework/docs/task_packets/WP-1-Storage-Trait.md")).unwrap();
            format!("{text}\n### VALIDATION REPORT - WP-1-Storage-Trait (2026-04-01)\nVerdict: FAIL (regression in delete_entry)\n")
        })
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(1);
    assert!(run.codes().contains(&"PKT013".to_string()));
}

#[test]
fn pkt014_file_lock_overlap() {
    case_json(
        "pkt014",
        |g| {
            g.replace(
                PACKET,
                "  - tests/auth_login.rs (integration tests)",
                "  - tests/auth_login.rs (integration tests)\n  - src/storage/mod.rs",
            )
        },
        "PKT014",
        1,
    );
}

#[test]
fn pkt015_board_drift_warns() {
    case_json(
        "pkt015",
        |g| g.replace(PACKET, "- STATUS: Ready-for-Dev", "- STATUS: In-Progress"),
        "PKT015",
        0,
    );
}

#[test]
fn pkt016_task_id_mismatch() {
    case_json(
        "pkt016",
        |g| {
            g.replace(
                PACKET,
                "- TASK_ID: WP-1-Login-Endpoint",
                "- TASK_ID: WP-1-Login",
            )
        },
        "PKT016",
        1,
    );
}

#[test]
fn pkt017_unsigned() {
    case_json(
        "pkt017",
        |g| {
            g.replace(
                PACKET,
                "- USER_SIGNATURE: maria031120261640",
                "- USER_SIGNATURE: <pending>",
            )
        },
        "PKT017",
        1,
    );
    let run = base()
        .replace(
            PACKET,
            "- USER_SIGNATURE: maria031120261640",
            "- USER_SIGNATURE: maria",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert_eq!(run.codes(), ["PKT017"]);
}

#[test]
fn pkt018_unknown_dependency() {
    case_json(
        "pkt018",
        |g| {
            g.replace(
                PACKET,
                "- Depends on: WP-1-Storage-Trait",
                "- Depends on: WP-1-Storage-Trait, WP-1-Nonexistent",
            )
        },
        "PKT018",
        1,
    );
}

#[test]
fn sig001_malformed_signature() {
    case_json(
        "sig001",
        |g| {
            g.replace(
                PACKET,
                "- USER_SIGNATURE: maria031120261640",
                "- USER_SIGNATURE: maria_0311202616",
            )
        },
        "SIG001",
        1,
    );
}

#[test]
fn sig002_impossible_date() {
    case_json(
        "sig002",
        |g| {
            g.replace(
                PACKET,
                "- USER_SIGNATURE: maria031120261640",
                "- USER_SIGNATURE: maria310220261640",
            )
        },
        "SIG002",
        1,
    );
}

#[test]
fn sig003_future_signature() {
    case_json(
        "sig003",
        |g| {
            g.replace(
                PACKET,
                "- USER_SIGNATURE: maria031120261640",
                "- USER_SIGNATURE: maria011220261640",
            )
        },
        "SIG003",
        1,
    );
}

#[test]
fn sig004_not_in_audit() {
    case_json(
        "sig004",
        |g| {
            g.replace(
                "docs/SIGNATURE_AUDIT.md",
                "| maria031120261640 |",
                "| maria031120261641 |",
            )
        },
        "SIG004",
        1,
    );
}
