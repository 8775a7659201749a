//! `gov board-check`: every rule both ways, on the `board-clean` fixture (which passes)
//! and edits of it, plus the messy board formats of FORMATS.md and git-backed SLAs.

use crate::support::Gov;

const BOARD: &str = "docs/TASK_BOARD.md";
const PACKETS: &str = "docs/task_packets";

fn clean() -> Gov {
    Gov::fixture("board-clean")
}

fn packet(id: &str, status: &str, extra: &str) -> String {
    format!("# Task Packet: {id}\n\n## Metadata\n- TASK_ID: {id}\n- STATUS: {status}\n- SPEC_ANCHOR: §1.2\n{extra}")
}

fn check(g: Gov) -> crate::support::Run {
    g.args(&["board-check", "--format", "json"]).run()
}

#[test]
fn clean_board_passes() {
    let run = clean().arg("board-check").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn clean_board_json() {
    let run = check(clean());
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn alias_task_board_check() {
    clean().arg("task-board-check").run().expect_code(0);
}

#[test]
fn missing_fixed_section() {
    let run = clean()
        .replace(BOARD, "## Blocked\n\n", "")
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn fixed_sections_in_other_spellings_pass() {
    let run = check(
        clean()
            .replace(BOARD, "## Ready for Dev", "## 🔴 READY FOR DEV")
            .replace(BOARD, "## In Progress", "## In-Progress 🟠")
            .replace(BOARD, "## Superseded (Archive)", "## SUPERSEDED"),
    );
    run.expect_code(0);
}

#[test]
fn entry_without_packet() {
    let run = clean()
        .replace(
            BOARD,
            "## In Progress\n",
            "## In Progress\n\n- [WP-2-Ghost] Started 2026-11-20\n",
        )
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn planned_entries_and_stubs_need_no_packet() {
    let run = check(
        clean()
            .replace(
                BOARD,
                "## Blocked\n",
                "## Backlog\n\n- [WP-3-Later] Planned for phase 3 (2026-11-20)\n\n## Stub Backlog (Not Activated)\n\n- [WP-3-Stubbed] not activated (2026-11-20)\n\n## Blocked\n",
            )
            .file(
                "docs/task_packets/stubs/WP-3-Stubbed.md",
                "# Stub: WP-3-Stubbed\n",
            ),
    );
    run.expect_code(0);
    assert!(run.codes().is_empty(), "{}", run.stdout);
}

#[test]
fn packet_not_on_board() {
    let run = clean()
        .file(
            &format!("{PACKETS}/WP-2-Orphan.md"),
            packet("WP-2-Orphan", "Ready-for-Dev", ""),
        )
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn status_mismatch() {
    let run = clean()
        .replace(
            &format!("{PACKETS}/WP-2-Gamma.md"),
            "STATUS: In Progress",
            "STATUS: Ready for Validation",
        )
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn done_and_validated_agree() {
    // packet says Done, board says VALIDATED: same state, and the last verdict is PASS
    let run = check(clean().replace(
        &format!("{PACKETS}/WP-1-Alpha.md"),
        "STATUS: Done (VALIDATED)",
        "STATUS: Done",
    ));
    run.expect_code(0);
}

#[test]
fn wp_in_two_status_sections() {
    let run = clean()
        .replace(
            BOARD,
            "## In Progress\n\n",
            "## In Progress\n\n- [WP-2-Delta] picked up 2026-11-20\n",
        )
        .arg("board-check")
        .run();
    run.expect_code(1);
    assert!(run.stdout.contains("error[BRD006]"), "{}", run.stdout);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn done_without_passing_report() {
    // a later FAIL undoes the earlier PASS
    let run = clean()
        .replace(
            &format!("{PACKETS}/WP-1-Beta.md"),
            "Verdict: PASS\n",
            "Verdict: PASS\n\nVALIDATION REPORT - WP-1-Beta (revalidation)\nVerdict: FAIL (regression)\n",
        )
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn done_without_any_report() {
    let run = check(clean().replace(&format!("{PACKETS}/WP-1-Alpha.md"), "Verdict: PASS\n", ""));
    run.expect_code(1);
    assert_eq!(run.codes(), ["BRD007"]);
}

fn with_blocked(entry: &str) -> Gov {
    clean()
        .replace(BOARD, "## Blocked\n", &format!("## Blocked\n\n{entry}\n"))
        .file(
            &format!("{PACKETS}/WP-2-Epsilon.md"),
            packet("WP-2-Epsilon", "Blocked", ""),
        )
}

#[test]
fn blocked_without_reason() {
    let run = with_blocked("- **[WP-2-Epsilon]** - [BLOCKED]")
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn blocked_with_reason_or_blocker_passes() {
    for entry in [
        "- **[WP-2-Epsilon]** - [BLOCKED] - waiting for the vendor's API key (2026-11-20)",
        "- **[WP-2-Epsilon]** - BLOCKED: waiting for legal review, since 2026-11-20",
        "- [WP-2-Epsilon] Blocked on WP-1-Alpha since 2026-11-20",
        "- [WP-2-Epsilon] Waiting for WP-1-Beta to VALIDATE (ETA 3 days), 2026-11-20",
    ] {
        let run = check(with_blocked(entry));
        run.expect_code(0);
        assert!(run.codes().is_empty(), "{entry}: {}", run.stdout);
    }
}

#[test]
fn dependency_unknown() {
    let run = clean()
        .replace(
            &format!("{PACKETS}/WP-2-Delta.md"),
            "Depends on: WP-2-Gamma",
            "Depends on: WP-2-Gamma, WP-9-Nowhere",
        )
        .replace(BOARD, "Blocker: WP-2-Gamma", "Blocker: WP-9-Elsewhere")
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn dependency_cycle() {
    let run = clean()
        .replace(
            &format!("{PACKETS}/WP-1-Alpha.md"),
            "Depends on: none",
            "Depends on: WP-2-Delta",
        )
        .arg("board-check")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn sla_exceeded_from_entry_date() {
    let run = clean()
        .replace(BOARD, "Started 2026-11-10", "Started 2026-09-01")
        .replace(BOARD, "since 2026-11-15", "since 2026-11-01")
        .arg("board-check")
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn sla_is_configurable() {
    let run = check(
        clean()
            .replace(BOARD, "Started 2026-11-10", "Started 2026-09-01")
            .replace(
                "gov.yaml",
                "layout: docs\n",
                "layout: docs\nboard:\n  sla_days:\n    in_progress: 90\n",
            ),
    );
    run.expect_code(0);
    assert!(run.codes().is_empty(), "{}", run.stdout);
    assert_eq!(run.json()["sla"]["limits"]["in_progress"], 90);
}

#[test]
fn sla_without_dates_or_git_is_silent() {
    let run = check(
        clean()
            .replace(BOARD, "Started 2026-11-10, by coder-a", "by coder-a")
            .replace(BOARD, " since 2026-11-15", ""),
    );
    run.expect_code(0);
    let sla = &run.json()["sla"];
    assert_eq!(sla["git"], false);
    assert!(sla["note"]
        .as_str()
        .unwrap_or("")
        .contains("not a git repository"));
    assert_eq!(sla["undated"].as_array().map(Vec::len), Some(2));
}

/// Commits every file of the repository with author and committer time `when`.
fn commit_all(root: &std::path::Path, when: i64) {
    let repo = git2::Repository::init(root).expect("git init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new("Orchestrator", "o@example.com", &git2::Time::new(when, 0))
        .expect("signature");
    repo.commit(Some("HEAD"), &sig, &sig, "board", &tree, &[])
        .expect("commit");
}

#[test]
fn sla_from_git_history() {
    let g = clean()
        .replace(BOARD, "Started 2026-11-10, by coder-a", "by coder-a")
        .replace(BOARD, " since 2026-11-15", "");
    // 2026-09-01T12:00:00Z: 81 days before GOV_NOW
    commit_all(g.root(), 1_788_264_000);
    let run = g.args(&["board-check"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

/// Commits every file on top of HEAD at time `when` (author and committer).
fn commit_on_head(root: &std::path::Path, when: i64) {
    let repo = git2::Repository::open(root).expect("git open");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new("Orchestrator", "o@example.com", &git2::Time::new(when, 0))
        .expect("signature");
    let head = repo.head().expect("head").peel_to_commit().expect("commit");
    repo.commit(Some("HEAD"), &sig, &sig, "board", &tree, &[&head])
        .expect("commit");
}

#[test]
fn sla_history_stops_at_the_horizon() {
    let g = clean()
        .replace(BOARD, "Started 2026-11-10, by coder-a", "by coder-a")
        .replace(BOARD, " since 2026-11-15", "");
    // 2026-05-24: 181 days before GOV_NOW; the entries are this old
    commit_all(g.root(), 1_788_264_000 - 100 * 86_400);
    // 2026-09-01 and 2026-11-20: the board's title changes, not the entries
    let g = g.replace(BOARD, "# Task Board", "# Task Board (v2)");
    commit_on_head(g.root(), 1_788_264_000);
    let g = g.replace(BOARD, "# Task Board (v2)", "# Task Board (v3)");
    commit_on_head(g.root(), 1_788_264_000 + 80 * 86_400);
    let run = check(g);
    run.expect_code(0);
    let timed = run.json()["sla"]["timed"].clone();
    // history is read back to the first commit older than the longest SLA (30
    // days): the entries are reported at least that old, not at their true age
    for age in timed.as_array().expect("timed") {
        assert_eq!(age["source"], "git_horizon", "{age}");
        assert_eq!(age["since"], "2026-09-01", "{age}");
        assert_eq!(age["days"], 81, "{age}");
    }
    assert_eq!(run.codes(), ["BRD011", "BRD011"]);
    let message = run.json()["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        message.contains("for at least 81 days (on or before 2026-09-01"),
        "{message}"
    );
}

#[test]
fn sla_uncommitted_lines_count_as_changed_today() {
    let g = clean()
        .replace(BOARD, "Started 2026-11-10, by coder-a", "by coder-a")
        .replace(BOARD, " since 2026-11-15", "");
    commit_all(g.root(), 1_788_264_000);
    // the In Progress entry is edited after the commit: it just changed state
    let run = check(g.replace(
        BOARD,
        "- [WP-2-Gamma] by coder-a",
        "- [WP-2-Gamma] by coder-b",
    ));
    run.expect_code(0);
    assert_eq!(run.json()["sla"]["git"], true);
    let codes = run.codes();
    assert_eq!(codes, ["BRD011"], "only Delta's committed line is old");
    assert!(run.json()["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("WP-2-Delta"));
}

#[test]
fn unreadable_lines_and_unknown_statuses_are_reported() {
    let run = clean()
        .replace(
            BOARD,
            "## Ready for Validation\n",
            "## Ready for Validation\n\n| WP | Note |\n|---|---|\n| after WP-2-Gamma | see table |\n\nAlso see WP-2-Delta for the follow-up.\n",
        )
        .replace(BOARD, "Status: [IN PROGRESS]", "Status: Pondering")
        .arg("board-check")
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn messy_board_reads_correctly() {
    let run = check(Gov::fixture("board-messy"));
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn messy_board_human() {
    let run = Gov::fixture("board-messy").arg("board-check").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn missing_board_is_exit_2() {
    let run = check(clean().remove(BOARD));
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV001"]);
}

#[test]
fn demo_repository() {
    let run = Gov::example("demo").arg("board-check").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}
