//! Timings of the approval protocol against generated repositories, measured on the
//! built `gov` binary (run with `cargo bench --bench signatures`):
//! `signatures verify`, `record-signature` with and without a git index, and 16
//! concurrent `record-signature` processes. Prints median and minimum per case.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const NOW: &str = "2027-01-01T00:00:00";
const RUNS: usize = 15;

fn gov(root: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gov"));
    c.args(args)
        .current_dir(root)
        .env("GOV_NOW", NOW)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    c
}

fn run_ok(root: &Path, args: &[&str]) {
    let status = gov(root, args).status().expect("run gov");
    assert!(status.success(), "gov {args:?} failed: {status}");
}

/// Median and minimum of `RUNS` timings of `f(i)`.
fn measure(mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[0])
}

fn report(case: &str, (median, min): (Duration, Duration)) {
    println!(
        "{case:<58} median {:>8.2} ms   min {:>8.2} ms",
        median.as_secs_f64() * 1000.0,
        min.as_secs_f64() * 1000.0
    );
}

/// A fresh, valid signature per run (December 2026) that no generated file contains.
fn fresh(tag: &str, i: usize) -> String {
    format!("{tag}{:02}122026{:02}07", 1 + i % 28, (i / 28) % 24)
}

fn git_add_all(root: &Path) {
    let repo = git2::Repository::init(root).expect("git init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
}

fn add_pending_packets(root: &Path, n: usize) {
    for i in 0..n {
        let text = support::packet_text(100_000 + i)
            .replace(&support::signature(100_000 + i), "<pending>");
        std::fs::write(
            root.join(format!("docs/task_packets/WP-1-Gen-{:05}.md", 100_000 + i)),
            text,
        )
        .expect("packet");
    }
}

fn bench_repository(packets: usize, spec_bytes: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let generated = support::generate(root, packets, spec_bytes);
    add_pending_packets(root, RUNS * 2);
    let label = format!(
        "{} packets, {:.1} MB spec",
        generated.packets,
        generated.spec_bytes as f64 / 1e6
    );
    report(
        &format!("signatures verify ({label})"),
        measure(|_| {
            // exit 1 is expected: generated packets carry no locked-section hash
            let _ = gov(root, &["signatures", "verify"]).status();
        }),
    );
    report(
        &format!("record-signature --purpose, no git ({label})"),
        measure(|i| {
            let sig = fresh("benchp", i);
            run_ok(root, &["record-signature", &sig, "--purpose", "bench"]);
        }),
    );
    git_add_all(root);
    report(
        &format!("record-signature --purpose, git index ({label})"),
        measure(|i| {
            let sig = fresh("benchg", i);
            run_ok(root, &["record-signature", &sig, "--purpose", "bench"]);
        }),
    );
    report(
        &format!("record-signature WP (fill + hash), git index ({label})"),
        measure(|i| {
            let id = format!("WP-1-Gen-{:05}", 100_000 + i);
            let sig = fresh("benchw", i);
            run_ok(root, &["record-signature", &id, &sig]);
        }),
    );
    report(
        &format!("16 concurrent record-signature, git index ({label})"),
        measure(|i| {
            let children: Vec<_> = (0..16)
                .map(|k| {
                    let sig = fresh(&format!("conc{k:02}x"), i);
                    gov(root, &["record-signature", &sig, "--purpose", "bench"])
                        .spawn()
                        .expect("spawn")
                })
                .collect();
            for mut c in children {
                assert!(c.wait().expect("wait").success());
            }
        }),
    );
}

fn main() {
    for (packets, spec) in [(100, 1_000_000), (1_000, 4_000_000)] {
        bench_repository(packets, spec);
    }
}
