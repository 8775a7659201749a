//! Release-mode benchmark for `gov guard` on a generated repository of 1,000
//! packets, 10 of them In Progress (so the lock check loads 9 other packets):
//! the decision in-process (open the repository, read the board and the packets,
//! decide) and the whole hook process with its event on stdin. Target: < 5 ms.
//! Run with `cargo bench --bench guard`.

mod support;

use gov::commands::guard::decide_in;
use gov::guard::{Change, ToolCall, Write as GuardWrite};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 200;
const PROCESS_RUNS: usize = 50;

fn median(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Moves packets 500..510 to In Progress on the generated board.
fn start_ten(root: &Path) {
    let path = root.join("docs/TASK_BOARD.md");
    let mut board = std::fs::read_to_string(&path).expect("board");
    let mut started = String::new();
    for i in 500..510 {
        let line = format!("- [WP-1-Gen-{i:05}] Ready-for-Dev (no blockers) since 2026-11-01\n");
        board = board.replace(&line, "");
        started.push_str(&format!(
            "- [WP-1-Gen-{i:05}] In-Progress since 2026-11-20\n"
        ));
    }
    board = board.replace(
        "## In Progress\n\n",
        &format!("## In Progress\n\n{started}\n"),
    );
    std::fs::write(path, board).expect("board");
}

fn call(root: &Path, rel: &str) -> ToolCall {
    ToolCall {
        tool: "Write".into(),
        cwd: Some(root.to_path_buf()),
        writes: vec![GuardWrite::new(
            root.join(rel).display().to_string(),
            Change::Whole("x".into()),
        )],
        unreadable: Vec::new(),
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("root");
    support::generate(&root, 1000, 4 * 1024 * 1024);
    start_ten(&root);
    let cases = [
        ("in scope (allowed)", "src/gen/m500/a.rs"),
        ("out of scope (blocked)", "src/other.rs"),
        ("another packet's scope (blocked)", "src/gen/m505/b.rs"),
    ];
    for (label, rel) in cases {
        let c = call(&root, rel);
        let mut times = Vec::with_capacity(RUNS);
        let mut allowed = false;
        for _ in 0..RUNS {
            let start = Instant::now();
            let repo = gov::repo::Repo::open(&Default::default(), &root).expect("repo");
            let d = decide_in(&repo, Some("WP-1-Gen-00500"), &c);
            times.push(start.elapsed());
            allowed = d.allowed();
        }
        let (med, min) = median(times);
        println!("1000 packets, 10 In Progress  in-process decision  {label:<34} median {:>6.3} ms  min {:>6.3} ms  (allowed: {allowed})", ms(med), ms(min));
    }
    for (label, rel) in cases {
        let event = serde_json::json!({
            "hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Write",
            "tool_input": {"file_path": root.join(rel), "content": "x"}
        })
        .to_string();
        let mut times = Vec::with_capacity(PROCESS_RUNS);
        let cpu_before = support::children_cpu_ms();
        for _ in 0..PROCESS_RUNS {
            let start = Instant::now();
            let mut child = Command::new(env!("CARGO_BIN_EXE_gov"))
                .args(["guard", "--harness", "claude", "--wp", "WP-1-Gen-00500"])
                .current_dir(&root)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("gov");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(event.as_bytes())
                .expect("write");
            let out = child.wait_with_output().expect("wait");
            times.push(start.elapsed());
            assert_eq!(out.status.code(), Some(0));
        }
        let cpu = cpu_before
            .zip(support::children_cpu_ms())
            .map_or("n/a".to_string(), |(a, b)| {
                format!("{:.2} ms", (b - a) / PROCESS_RUNS as f64)
            });
        let (med, min) = median(times);
        println!("1000 packets, 10 In Progress  whole hook process   {label:<34} median {:>6.3} ms  min {:>6.3} ms  CPU {cpu}", ms(med), ms(min));
    }
}
