//! Conditions that prevent evaluation (exit 2) and hostile documents: every one gets a
//! located diagnostic, JSON mode still prints exactly one document, nothing panics.

use crate::support::Gov;

fn fatal(gov: Gov, args: &[&str], code: &str) -> crate::support::Run {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = gov.args(&all).run();
    run.expect_code(2);
    assert_eq!(run.json()["verdict"], "error");
    assert_eq!(run.codes(), [code], "{}", run.transcript());
    assert!(
        run.stderr.is_empty(),
        "JSON mode prints nothing else: {}",
        run.stderr
    );
    run
}

#[test]
fn invalid_ids_are_usage_errors() {
    for id in [
        "WP-1-../../etc/passwd",
        "wp-1-x",
        "WP-1-a/b",
        "WP-1-x\nWP-1-y",
        "WP-1-",
    ] {
        fatal(Gov::fixture("prework"), &["pre-work", id], "GOV003");
    }
    let run = Gov::fixture("prework")
        .args(&["pre-work", "WP-1-x\nfake"])
        .run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn lookup_is_exact_never_by_substring() {
    let run = fatal(
        Gov::fixture("prework"),
        &["pre-work", "WP-1-Login"],
        "GOV004",
    );
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn stub_only_packet_is_unknown_with_a_hint() {
    let run = Gov::fixture("prework")
        .file("docs/task_packets/stubs/WP-1-Later.md", "# stub\n")
        .args(&["pre-work", "WP-1-Later"])
        .run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn flat_and_folder_twin_reads_the_folder_copy_with_one_note() {
    let text = std::fs::read_to_string(
        crate::support::fixtures_dir().join("prework/docs/task_packets/WP-1-Login-Endpoint.md"),
    )
    .unwrap();
    let run = Gov::fixture("prework")
        .file("docs/task_packets/WP-1-Login-Endpoint/packet.md", text)
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert_ne!(run.code, 2, "a packet's twin never stops a gate");
    let notes: Vec<_> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GOV013")
        .cloned()
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["severity"], "note");
    assert_eq!(notes[0]["path"], "docs/task_packets/WP-1-Login-Endpoint.md");
    assert_eq!(
        run.json()["packet_path"],
        "docs/task_packets/WP-1-Login-Endpoint/packet.md"
    );
}

#[test]
fn folder_packet_is_found() {
    let text = std::fs::read_to_string(
        crate::support::fixtures_dir().join("prework/docs/task_packets/WP-1-Login-Endpoint.md"),
    )
    .unwrap();
    let run = Gov::fixture("prework")
        .remove("docs/task_packets/WP-1-Login-Endpoint.md")
        .file("docs/task_packets/WP-1-Login-Endpoint/packet.md", text)
        .args(&["show", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(
        run.json()["packet"]["path"],
        "docs/task_packets/WP-1-Login-Endpoint/packet.md"
    );
}

#[test]
fn missing_documents() {
    fatal(
        Gov::fixture("prework").remove("docs/TASK_BOARD.md"),
        &["pre-work", "WP-1-Login-Endpoint"],
        "GOV001",
    );
    fatal(
        Gov::fixture("prework").remove("docs/SIGNATURE_AUDIT.md"),
        &["pre-work", "WP-1-Login-Endpoint"],
        "GOV001",
    );
    fatal(
        Gov::fixture("prework").remove("Master_Spec_v1.1.md"),
        &["pre-work", "WP-1-Login-Endpoint"],
        "SPC004",
    );
    fatal(
        Gov::fixture("prework").file("docs/SPEC_CURRENT.md", "The spec is somewhere.\n"),
        &["pre-work", "WP-1-Login-Endpoint"],
        "SPC003",
    );
}

#[test]
fn pointer_escaping_the_root_is_not_followed() {
    fatal(
        Gov::fixture("prework").file(
            "docs/SPEC_CURRENT.md",
            "[Master_Spec_v1.1.md](../../../../etc/Master_Spec_v1.1.md)\n",
        ),
        &["pre-work", "WP-1-Login-Endpoint"],
        "SPC004",
    );
}

#[test]
fn directory_where_a_file_is_expected() {
    let run = fatal(
        Gov::fixture("prework")
            .remove("docs/TASK_BOARD.md")
            .file("docs/TASK_BOARD.md/x", "x"),
        &["pre-work", "WP-1-Login-Endpoint"],
        "GOV002",
    );
    assert_eq!(run.json()["diagnostics"][0]["path"], "docs/TASK_BOARD.md");
}

#[cfg(unix)]
#[test]
fn symlinks_loops_and_escapes() {
    let gov = Gov::fixture("prework").remove("docs/TASK_BOARD.md");
    let root = gov.root().to_path_buf();
    std::os::unix::fs::symlink(
        root.join("docs/TASK_BOARD.md"),
        root.join("docs/TASK_BOARD.md.loop"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        root.join("docs/TASK_BOARD.md.loop"),
        root.join("docs/TASK_BOARD.md"),
    )
    .unwrap();
    fatal(gov, &["pre-work", "WP-1-Login-Endpoint"], "GOV002");

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Task Packet: WP-1-Secret\nTOP SECRET\n",
    )
    .unwrap();
    let gov = Gov::fixture("prework");
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        gov.root().join("docs/task_packets/WP-1-Secret.md"),
    )
    .unwrap();
    let run = fatal(gov, &["show", "WP-1-Secret"], "GOV010");
    assert!(!run.stdout.contains("TOP SECRET"));
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let gov = Gov::fixture("prework");
    let board = gov.root().join("docs/TASK_BOARD.md");
    std::fs::set_permissions(&board, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&board).is_ok() {
        return; // running as root: permissions do not apply
    }
    fatal(gov, &["pre-work", "WP-1-Login-Endpoint"], "GOV002");
}

#[test]
fn not_a_repository() {
    fatal(Gov::new(), &["pre-work", "WP-1-X"], "GOV005");
    fatal(
        Gov::fixture("prework"),
        &["--root", "no/such/dir", "pre-work", "WP-1-X"],
        "GOV005",
    );
}

#[test]
fn discovered_from_a_subfolder() {
    let run = Gov::fixture("prework")
        .current_dir("docs/task_packets")
        .args(&["pre-work", "WP-1-Login-Endpoint"])
        .run();
    run.expect_code(0);
}

#[test]
fn usage_errors_exit_2_with_one_json_document() {
    let run = Gov::fixture("prework")
        .args(&["pre-work", "--format", "json", "--bogus"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV011"]);
    let run = Gov::fixture("prework").args(&["pre-work"]).run();
    run.expect_code(2);
    let run = Gov::fixture("prework")
        .args(&["show", "WP-1-Login-Endpoint", "--format", "sarif"])
        .run();
    run.expect_code(2);
}

#[test]
fn invalid_utf8_is_read_lossily_with_a_warning() {
    let path =
        crate::support::fixtures_dir().join("prework/docs/task_packets/WP-1-Login-Endpoint.md");
    let mut bytes = std::fs::read(path).unwrap();
    let at = bytes.windows(11).position(|w| w == b"- What: Add").unwrap() + 11;
    bytes.splice(at..at, b"\xff\xfe".iter().copied());
    let run = Gov::fixture("prework")
        .file("docs/task_packets/WP-1-Login-Endpoint.md", bytes)
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.codes(), ["GOV006"]);
    assert!(run.json()["diagnostics"][0]["line"].as_u64().is_some());
}

#[test]
fn bom_and_crlf_read_correctly() {
    let path =
        crate::support::fixtures_dir().join("prework/docs/task_packets/WP-1-Login-Endpoint.md");
    let text = std::fs::read_to_string(path).unwrap().replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.as_bytes());
    let run = Gov::fixture("prework")
        .file("docs/task_packets/WP-1-Login-Endpoint.md", bytes)
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    run.expect_code(0);
}

#[test]
fn empty_and_nul_documents_do_not_panic() {
    for content in [
        &b""[..],
        b"\0\0\0",
        b"# Task Packet: WP-1-Login-Endpoint\n\0- STATUS: \0\n",
    ] {
        let run = Gov::fixture("prework")
            .file("docs/task_packets/WP-1-Login-Endpoint.md", content)
            .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
            .run();
        run.expect_code(1);
        assert!(run.codes().contains(&"PKT001".to_string()));
    }
    let run = Gov::fixture("prework")
        .file("docs/TASK_BOARD.md", "")
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.codes(), ["PKT015"]);
}

#[test]
fn huge_packet_is_linear() {
    // just under the Markdown cap (8 MiB): a long list, deeply nested bullets and a
    // table of many pipes; a 50 MB packet is refused (tests/cli/reliability/hostile.rs)
    let mut text = std::fs::read_to_string(
        crate::support::fixtures_dir().join("prework/docs/task_packets/WP-1-Login-Endpoint.md"),
    )
    .unwrap();
    let mut extra = String::with_capacity(50 << 20);
    extra.push_str("\n## NOTES\n");
    while extra.len() < 3 << 20 {
        extra.push_str("- a note about the login endpoint that goes on for a while, with `code` and **bold**\n");
    }
    for depth in 0..2000 {
        extra.push_str(&"  ".repeat(depth));
        extra.push_str("- nested\n");
    }
    extra.push('|');
    extra.push_str(&"x|".repeat(100_000));
    extra.push('\n');
    text.push_str(&extra);
    let start = std::time::Instant::now();
    let run = Gov::fixture("prework")
        .file("docs/task_packets/WP-1-Login-Endpoint.md", text)
        .args(&["pre-work", "WP-1-Login-Endpoint", "--format", "json"])
        .run();
    assert!(matches!(run.code, 0 | 1), "{}", run.transcript());
    // generous bound: catches quadratic blow-ups, not a performance assertion
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}
