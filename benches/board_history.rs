//! Board SLA history on a long-lived board: a 1,200-line board with 2,000 commits of
//! history (one every six hours, each editing one board line, every tenth also a
//! packet), undated Ready-for-Dev and In-Progress entries so board-check must ask
//! git when they entered their state. Times `gov board-check` cold (no cache), and
//! the same with a baseline binary when `GOV_BASELINE_BIN` names one:
//! `GOV_BASELINE_BIN=path/to/old/gov cargo bench --bench board_history`.

mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const COMMITS: usize = 2_000;
const RUNS: usize = 7;
/// GOV_NOW of the runs, as a Unix time (2026-11-21T12:00:00Z).
const NOW: i64 = 1_795_262_400;

fn board(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// 600 packets; the board: 40 undated Ready for Dev, 20 undated In Progress, and
/// 540 Done entries with a nested status line, about 1,200 lines in all.
fn initial_board() -> Vec<String> {
    let mut b = vec!["# Board".to_string(), String::new()];
    b.push("## Ready for Dev".into());
    b.push(String::new());
    for i in 0..40 {
        b.push(format!("- [WP-1-Gen-{i:05}] Ready-for-Dev (no blockers)"));
    }
    b.push(String::new());
    b.push("## In Progress".into());
    b.push(String::new());
    for i in 40..60 {
        b.push(format!("- [WP-1-Gen-{i:05}] by coder-{}", i % 4));
    }
    b.push(String::new());
    b.push("## Done".into());
    b.push(String::new());
    for i in 60..600 {
        b.push(format!("- **[WP-1-Gen-{i:05}]** - [VALIDATED] rev 0"));
        b.push("  - Status: [VALIDATED]".into());
    }
    b.push(String::new());
    b.push("## Blocked".into());
    b
}

fn generate(root: &Path) -> usize {
    support::generate(root, 600, 64 * 1024);
    let mut lines = initial_board();
    std::fs::write(root.join("docs/TASK_BOARD.md"), board(&lines)).expect("board");
    let repo = git2::Repository::init(root).expect("init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    let mut tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let start = NOW - (COMMITS as i64) * 6 * 3600;
    let sig =
        |t: i64| git2::Signature::new("o", "o@example.com", &git2::Time::new(t, 0)).expect("sig");
    let mut head = repo
        .commit(None, &sig(start), &sig(start), "start", &tree, &[])
        .expect("commit");
    let mut seed: u64 = 13;
    for k in 1..=COMMITS {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let at = (seed >> 33) as usize % lines.len();
        if lines[at].starts_with("- ") {
            let base = lines[at].split(" rev ").next().unwrap_or("").to_string();
            lines[at] = format!("{base} rev {k}");
        } else {
            lines[at] = lines[at].clone();
        }
        let blob = repo.blob(board(&lines).as_bytes()).expect("blob");
        let docs = tree.get_path(Path::new("docs")).expect("docs").id();
        let mut docs = repo
            .treebuilder(Some(&repo.find_tree(docs).expect("docs")))
            .expect("tb");
        docs.insert("TASK_BOARD.md", blob, 0o100644)
            .expect("insert");
        if k % 10 == 0 {
            let packets = tree
                .get_path(Path::new("docs/task_packets"))
                .expect("packets")
                .id();
            let mut p = repo
                .treebuilder(Some(&repo.find_tree(packets).expect("p")))
                .expect("tb");
            let mut text = support::packet_text(k % 600);
            let _ = write!(text, "\nrev {k}\n");
            let b = repo.blob(text.as_bytes()).expect("blob");
            p.insert(format!("WP-1-Gen-{:05}.md", k % 600), b, 0o100644)
                .expect("insert");
            docs.insert("task_packets", p.write().expect("write"), 0o040000)
                .expect("insert");
        }
        let mut rootb = repo.treebuilder(Some(&tree)).expect("tb");
        rootb
            .insert("docs", docs.write().expect("write"), 0o040000)
            .expect("insert");
        tree = repo.find_tree(rootb.write().expect("write")).expect("tree");
        let t = start + (k as i64) * 6 * 3600;
        let parent = repo.find_commit(head).expect("parent");
        head = repo
            .commit(None, &sig(t), &sig(t), "edit", &tree, &[&parent])
            .expect("commit");
    }
    repo.reference("refs/heads/main", head, true, "bench")
        .expect("ref");
    repo.set_head("refs/heads/main").expect("head");
    std::fs::write(root.join("docs/TASK_BOARD.md"), board(&lines)).expect("board");
    lines.len()
}

fn time(bin: &Path, root: &Path, baseline: bool) -> (Duration, Duration, i32, String) {
    let mut times = Vec::new();
    let mut code = -1;
    let mut sla = String::new();
    // cold for both: the baseline (1cc07a4 or later) has the cache and its flag too
    let _ = baseline;
    let args: &[&str] = &["board-check", "--format", "json", "--no-cache"];
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = Command::new(bin)
            .args(args)
            .current_dir(root)
            .env("GOV_NOW", "2026-11-21T12:00:00")
            .output()
            .expect("run gov");
        times.push(start.elapsed());
        code = out.status.code().unwrap_or(-1);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let timed = json["sla"]["timed"].as_array().cloned().unwrap_or_default();
        let over = json["diagnostics"]
            .as_array()
            .map_or(0, |d| d.iter().filter(|d| d["code"] == "BRD011").count());
        let horizon = timed
            .iter()
            .filter(|t| t["source"] == "git_horizon")
            .count();
        sla = format!(
            "{} timed, {over} over SLA, {horizon} at the horizon",
            timed.len()
        );
    }
    times.sort();
    (times[RUNS / 2], times[0], code, sla)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    // GOV_BENCH_KEEP=DIR: generate there and keep it, for profiling by hand
    let root = std::env::var_os("GOV_BENCH_KEEP")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let started = Instant::now();
    let lines = generate(&root);
    println!(
        "generated a {lines}-line board with {COMMITS} commits in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut bins = vec![(
        "this build",
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_gov")),
    )];
    if let Some(base) = std::env::var_os("GOV_BASELINE_BIN") {
        bins.push(("baseline", base.into()));
    }
    for (label, bin) in bins {
        let (median, min, code, sla) = time(&bin, &root, label == "baseline");
        println!(
            "board-check {label:<10} median {:>8.1} ms  min {:>8.1} ms  (exit {code}; {sla})",
            median.as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3
        );
    }
    // the floor: the same documents read and checked without the SLA history
    let mut floor: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            Command::new(env!("CARGO_BIN_EXE_gov"))
                .args(["status", "--format", "json", "--no-cache"])
                .current_dir(&root)
                .env("GOV_NOW", "2026-11-21T12:00:00")
                .output()
                .expect("run gov");
            start.elapsed()
        })
        .collect();
    floor.sort();
    println!(
        "status (same documents, no history) median {:>8.1} ms",
        floor[RUNS / 2].as_secs_f64() * 1e3
    );
}
