//! `gov create-task-packet`: id grammar, collisions, template, board entry.

use crate::support::Gov;

#[test]
fn creates_packet_and_board_entry() {
    let run = Gov::fixture("prework")
        .args(&["create-task-packet", "WP-1-Audit-Log"])
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let packet = run.read("docs/task_packets/WP-1-Audit-Log.md");
    assert!(packet.contains("- TASK_ID: WP-1-Audit-Log"));
    assert!(packet.contains("- SPEC_VERSION: v1.1"));
    assert!(packet.contains("- DATE: 2026-11-21"));
    assert!(packet.contains("- STATUS: Ready-for-Dev"));
    let board = run.read("docs/TASK_BOARD.md");
    assert!(board.contains("- [WP-1-Token-Validation] Ready-for-Dev since 2026-11-10\n- [WP-1-Audit-Log] Ready-for-Dev\n"), "{board}");
}

#[test]
fn backlog_flag() {
    let run = Gov::fixture("prework")
        .args(&["create-task-packet", "WP-2-Reports", "--backlog"])
        .run();
    run.expect_code(0);
    assert!(run
        .read("docs/TASK_BOARD.md")
        .contains("## Backlog\n\n- [WP-2-Reports] Backlog\n"));
    assert!(run
        .read("docs/task_packets/WP-2-Reports.md")
        .contains("- STATUS: Backlog"));
}

#[test]
fn existing_id_names_next_free_variant() {
    let run = Gov::fixture("prework")
        .args(&[
            "create-task-packet",
            "WP-1-Login-Endpoint",
            "--format",
            "json",
        ])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["PKT020"]);
    assert!(run.json()["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("WP-1-Login-Endpoint-v2"));
    let run = Gov::fixture("prework")
        .file("docs/task_packets/WP-1-Login-Endpoint-v2.md", "# x\n")
        .args(&[
            "create-task-packet",
            "WP-1-Login-Endpoint",
            "--format",
            "json",
        ])
        .run();
    assert!(run.json()["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("WP-1-Login-Endpoint-v3"));
}

#[test]
fn new_variant_of_existing_base_is_allowed() {
    Gov::fixture("prework")
        .args(&["create-task-packet", "WP-1-Login-Endpoint-v2"])
        .run()
        .expect_code(0);
}

#[test]
fn bad_ids_write_nothing() {
    for id in ["WP-1-../x", "WP-1-a/b", "../../etc", "WP-1-"] {
        let run = Gov::fixture("prework")
            .args(&["create-task-packet", id, "--format", "json"])
            .run();
        run.expect_code(2);
        assert_eq!(run.codes(), ["GOV003"]);
        let board = run.read("docs/TASK_BOARD.md");
        assert!(!board.contains(&format!("[{id}]")));
        assert!(!run
            .root
            .join("docs/task_packets")
            .join(format!("{id}.md"))
            .exists());
    }
}

#[test]
fn repository_template_wins() {
    let run = Gov::fixture("prework")
        .file(
            "docs/task_packets/TEMPLATE.md",
            "# Task Packet: {{WP_ID}}\n- STATUS: {{STATUS}}\n- CUSTOM: yes\n",
        )
        .args(&["create-task-packet", "WP-1-Custom"])
        .run();
    run.expect_code(0);
    assert_eq!(
        run.read("docs/task_packets/WP-1-Custom.md"),
        "# Task Packet: WP-1-Custom\n- STATUS: Ready-for-Dev\n- CUSTOM: yes\n"
    );
}

#[test]
fn board_write_failure_rolls_back_the_packet() {
    let gov = Gov::fixture("prework");
    let board = gov.root().join("docs/TASK_BOARD.md");
    let mut perms = std::fs::metadata(&board).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&board, perms).unwrap();
    let run = gov
        .args(&["create-task-packet", "WP-1-Rollback", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV007"]);
    assert!(!run.root.join("docs/task_packets/WP-1-Rollback.md").exists());
}

#[test]
fn a_packets_folder_linked_out_of_the_repository_is_refused_and_the_board_kept() {
    let outside = tempfile::tempdir().expect("tempdir");
    let gov = Gov::example("demo");
    let board_before = std::fs::read(gov.root().join("docs/TASK_BOARD.md")).unwrap();
    std::fs::remove_dir_all(gov.root().join("docs/task_packets")).unwrap();
    std::os::unix::fs::symlink(outside.path(), gov.root().join("docs/task_packets")).unwrap();
    let run = gov.args(&["create-task-packet", "WP-1-Audit-Log"]).run();
    run.expect_code(2);
    assert!(run.stderr.contains("GOV"), "{}", run.transcript());
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing may be written outside the root"
    );
    assert_eq!(
        std::fs::read(run.root.join("docs/TASK_BOARD.md")).unwrap(),
        board_before
    );
}
