//! Release-mode benchmark for the foundation commands: `pre-work` and `show` on a
//! generated repository of 1,000 packets and a 4 MB spec, and the same at 10,000
//! packets to check linear scaling. Run with `cargo bench --bench prework`.
//!
//! Each figure is the wall time of a whole `gov` process (start-up, parse, checks,
//! output), the way agents and hooks call it: median and minimum over repeated runs.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 50;

/// Median and minimum wall time, CPU per run (user + system), and the exit code.
fn time_runs(root: &Path, args: &[&str]) -> (Duration, Duration, Option<f64>, i32) {
    let mut times = Vec::with_capacity(RUNS);
    let mut code = -1;
    let cpu_before = support::children_cpu_ms();
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_gov"))
            .args(args)
            .current_dir(root)
            .env("GOV_NOW", "2026-11-21T12:00:00")
            .output()
            .expect("run gov");
        times.push(start.elapsed());
        code = out.status.code().unwrap_or(-1);
    }
    times.sort();
    let cpu = cpu_before
        .zip(support::children_cpu_ms())
        .map(|(a, b)| (b - a) / RUNS as f64);
    (times[RUNS / 2], times[0], cpu, code)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut rows = Vec::new();
    for (packets, heading_every) in [(1_000usize, 1024usize), (10_000, 1024), (1_000, 250)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let generated = support::generate_with(dir.path(), packets, 4 * 1024 * 1024, heading_every);
        for (label, args) in [
            ("pre-work", vec!["pre-work", "WP-1-Gen-00500"]),
            (
                "pre-work --format json",
                vec!["pre-work", "WP-1-Gen-00500", "--format", "json"],
            ),
            ("show", vec!["show", "WP-1-Gen-00500"]),
            ("gov --version (process floor)", vec!["--version"]),
        ] {
            let (median, min, cpu, code) = time_runs(dir.path(), &args);
            let cpu = cpu.map_or_else(|| "n/a".to_string(), |c| format!("{c:>6.1} ms"));
            rows.push(format!(
                "{packets:>6} packets, {:.1} MB spec, {:>6} headings  {label:<32} median {:>7.2} ms  min {:>7.2} ms  CPU {cpu}  (exit {code})",
                generated.spec_bytes as f64 / 1_048_576.0,
                generated.headings,
                ms(median),
                ms(min)
            ));
        }
    }
    for r in rows {
        println!("{r}");
    }
}
