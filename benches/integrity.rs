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
    let commands: [(&str, &[&str]); 4] = [
        ("spec-regression", &["spec-regression"]),
        ("board-check", &["board-check"]),
        ("phase-gate", &["phase-gate", "Phase-1"]),
        ("status", &["status"]),
    ];
    println!("\nrelease binary, {RUNS} runs each: wall median / min, and CPU time per run");
    for (name, args) in commands {
        for format in ["human", "json"] {
            let (times, cpu) = time_binary(root, args, format);
            report(&format!("{name} ({format})"), &times, cpu);
        }
    }
    let previous = root.join("Master_Spec_v1.9.md");
    std::fs::copy(root.join("Master_Spec_v2.0.md"), &previous).expect("copy spec");
    println!("\nwith a previous 4 MB version beside the spec (compared section by section):");
    let (times, cpu) = time_binary(root, &["spec-regression"], "human");
    report("spec-regression (human)", &times, cpu);
    std::fs::remove_file(previous).expect("rm previous");
    library_steps(root);
    dense_spec();
}

/// The worst case the generator knows: one heading per 250 bytes (16,700 headings in
/// 4 MB) instead of one per KB.
fn dense_spec() {
    let dir = tempfile::tempdir().expect("tempdir");
    let generated = support::generate_with(dir.path(), PACKETS, SPEC_BYTES, 250);
    println!(
        "\ndense spec: {} headings in {:.1} MB",
        generated.headings,
        generated.spec_bytes as f64 / 1_048_576.0
    );
    for args in [&["spec-regression"][..], &["phase-gate", "Phase-1"]] {
        let (times, cpu) = time_binary(dir.path(), args, "human");
        report(&format!("{} (human)", args[0]), &times, cpu);
    }
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

fn time_binary(root: &Path, args: &[&str], format: &str) -> (Vec<Duration>, Option<f64>) {
    let run = || {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_gov"))
            .args(args)
            .args(["--format", format])
            .current_dir(root)
            .env("GOV_NOW", "2026-11-21T12:00:00")
            .output()
            .expect("run gov");
        let elapsed = start.elapsed();
        // the generated repository passes every gate (warnings aside)
        assert_eq!(
            out.status.code(),
            Some(0),
            "gov {args:?}:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        elapsed
    };
    for _ in 0..3 {
        run();
    }
    let before = support::children_cpu_ms();
    let times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    let cpu = before
        .zip(support::children_cpu_ms())
        .map(|(a, b)| (b - a) / RUNS as f64);
    (times, cpu)
}

fn report(name: &str, times: &[Duration], cpu: Option<f64>) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let cpu = cpu.map_or_else(|| "n/a".to_string(), |c| format!("{c:.1} ms"));
    println!(
        "  {name:<26} wall median {:>6.1} ms   min {:>6.1} ms   CPU {cpu}",
        ms(sorted[sorted.len() / 2]),
        ms(sorted[0]),
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
