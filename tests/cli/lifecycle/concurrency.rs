//! Concurrent moves, as the record-signature race tests run them: many gov
//! processes at once on one repository. On the same WP exactly one moves it and the
//! others find it moved; on different WPs every move lands. Nothing is lost.

use super::team::{Layout, Team};
use std::process::Stdio;

const LATER: &str = "2026-11-21T12:30:00";

fn spawn_all(t: &Team, jobs: &[Vec<String>]) -> Vec<std::process::Output> {
    let children: Vec<_> = jobs
        .iter()
        .map(|args| {
            crate::support::gov_command()
                .args(args)
                .args(["--format", "json"])
                .current_dir(t.root())
                .env("GOV_NOW", LATER)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn gov")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect()
}

fn team(n: usize) -> Team {
    let t = Team::init(Layout::Docs);
    for i in 0..n {
        let id = format!("WP-1-Conc-{i:02}");
        t.gov_at(
            LATER,
            &["create-task-packet", &id, "--backlog", "--gate", "Phase-1"],
            None,
        )
        .expect(0);
        t.fill_packet(&id, &format!("src/conc_{i:02}.rs"));
        t.gov_at(
            LATER,
            &["record-signature", &id, &format!("agent{i:02}211120261100")],
            None,
        )
        .expect(0);
    }
    t
}

fn events(t: &Team) -> Vec<serde_json::Value> {
    let state: serde_json::Value =
        serde_json::from_str(&t.read(Layout::Docs.gates())).expect("gate state parses");
    state["gate_logs"].as_array().expect("log").clone()
}

#[test]
fn eight_moves_of_one_wp_move_it_once() {
    let t = team(1);
    let jobs: Vec<Vec<String>> = (0..8)
        .map(|_| vec!["ready".into(), "WP-1-Conc-00".into()])
        .collect();
    let outputs = spawn_all(&t, &jobs);
    let mut moved = 0;
    for o in &outputs {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        moved += usize::from(json["transition"]["already"] == false);
    }
    assert_eq!(moved, 1, "exactly one run moves the WP");
    assert_eq!(events(&t).len(), 1);
    let board = t.read(Layout::Docs.board());
    assert_eq!(
        board.matches("- [WP-1-Conc-00] Ready-for-Dev").count(),
        1,
        "{board}"
    );
    t.gov_at(LATER, &["board-check"], None).expect(0);
}

#[test]
fn moves_of_eight_wps_at_once_all_land() {
    let t = team(8);
    let jobs: Vec<Vec<String>> = (0..8)
        .map(|i| vec!["ready".into(), format!("WP-1-Conc-{i:02}")])
        .collect();
    for o in spawn_all(&t, &jobs) {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    let jobs: Vec<Vec<String>> = (0..8)
        .map(|i| {
            vec![
                "start".into(),
                format!("WP-1-Conc-{i:02}"),
                "--coder".into(),
                format!("coder-{i}"),
            ]
        })
        .collect();
    for o in spawn_all(&t, &jobs) {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    let log = events(&t);
    assert_eq!(log.len(), 8 * 3, "8 ready, 8 PREPARE and 8 start events");
    let board = t.read(Layout::Docs.board());
    for i in 0..8 {
        let id = format!("WP-1-Conc-{i:02}");
        assert_eq!(
            board.matches(&format!("- [{id}] In-Progress")).count(),
            1,
            "{board}"
        );
        assert!(t
            .read(&t.packet_path(&id))
            .contains("- STATUS: In-Progress"));
    }
    t.gov_at(LATER, &["board-check"], None).expect(0);
}
