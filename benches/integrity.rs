//! Benchmark (not a timed test) for the integrity commands on a generated repository:
//! 1,000 packets and a 4 MB spec with duplicated section numbers and an unbalanced
//! fence. Runs the release binary end to end (process start included) and reports the
//! median and minimum wall time of each command; then times the library steps in
//! process to show where the time goes. Run with `cargo bench --bench integrity`.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PACKETS: usize = 1_000;
const SPEC_BYTES: usize = 4 << 20;
const RUNS: usize = 21;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let generated = support::generate(root, PACKETS, SPEC_BYTES);
    roughen_spec(root);
    println!(
        "repository: {} packets, spec {:.1} MB (+ duplicated numbers, an unclosed fence)",
        generated.packets,
        generated.spec_bytes as f64 / 1_048_576.0
    );
    let commands: [(&str, &[&str], i32); 4] = [
        ("spec-regression", &["spec-regression"], 0),
        ("board-check", &["board-check"], 0),
        ("phase-gate", &["phase-gate", "Phase-1"], 0),
        ("status", &["status"], 0),
    ];
    println!("\nrelease binary, wall time over {RUNS} runs:");
    for (name, args, expected) in commands {
        let times = time_binary(root, args, expected);
        report(name, &times);
    }
    let previous = root.join("Master_Spec_v1.9.md");
    std::fs::copy(root.join("Master_Spec_v2.0.md"), &previous).expect("copy spec");
    println!("\nwith a previous 4 MB version beside the spec (compared section by section):");
    for (name, args, expected) in &commands[..1] {
        let times = time_binary(root, args, *expected);
        report(name, &times);
    }
    std::fs::remove_file(previous).expect("rm previous");
    library_steps(root);
}

/// Appends an addendum that restarts numbering (duplicates) and a fence that never
/// closes, as FORMATS.md describes real specs.
fn roughen_spec(root: &Path) {
    let path = root.join("Master_Spec_v2.0.md");
    let mut spec = std::fs::read_to_string(&path).expect("read spec");
    let cut = spec.rfind("\n# 99 Roadmap").unwrap_or(spec.len());
    let mut addendum = String::from("\n# Addendum A\n\n");
    for i in 1..=200 {
        addendum.push_str(&format!(
            "### 1.1.{} Addendum requirement {i}\nText.\n\n",
            1 + i % 20
        ));
    }
    addendum.push_str("```text\nan example whose fence is never closed\n\n");
    spec.insert_str(cut, &addendum);
    std::fs::write(&path, spec).expect("write spec");
}

fn time_binary(root: &Path, args: &[&str], expected: i32) -> Vec<Duration> {
    let run = || {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_gov"))
            .args(args)
            .args(["--format", "json"])
            .current_dir(root)
            .env("GOV_NOW", "2026-11-21T12:00:00")
            .output()
            .expect("run gov");
        let elapsed = start.elapsed();
        assert_eq!(
            out.status.code(),
            Some(expected),
            "gov {args:?}:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        elapsed
    };
    for _ in 0..3 {
        run();
    }
    (0..RUNS).map(|_| run()).collect()
}

fn report(name: &str, times: &[Duration]) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {name:<16} median {:>6.1} ms   min {:>6.1} ms   max {:>6.1} ms",
        ms(sorted[sorted.len() / 2]),
        ms(sorted[0]),
        ms(sorted[sorted.len() - 1])
    );
}

/// Where the time goes, measured in process with the library.
fn library_steps(root: &Path) {
    use gov::repo::{Repo, RepoOptions};
    use gov::rules::board::{History, Snapshot};
    use gov::rules::inventory::Inventory;
    let repo = Repo::open(&RepoOptions::default(), root).expect("open");
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("date");
    println!("\nlibrary steps, in process (median of {RUNS}):");
    let step = |name: &str, f: &dyn Fn()| {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "  {name:<34} {:>6.1} ms",
            times[RUNS / 2].as_secs_f64() * 1000.0
        );
    };
    step("load + parse 1,000 packets", &|| {
        std::hint::black_box(Inventory::load(&repo));
    });
    step("read + parse the 4 MB spec", &|| {
        std::hint::black_box(repo.load_spec().expect("spec"));
    });
    let snap = Snapshot::load(&repo).expect("snapshot");
    step("board rules (board already loaded)", &|| {
        std::hint::black_box(snap.check(&repo.config, now, &History::NotNeeded));
    });
    step("spec checks (packets already loaded)", &|| {
        std::hint::black_box(gov::rules::spec::run(&repo, &snap.inventory).expect("spec"));
    });
}
