//! Read-only commands cold and warm, against a baseline binary:
//! `GOV_BASELINE_BIN=path/to/old/gov cargo bench --bench speed`.
//!
//! - 132 packets + a 5.5 MB spec: spec-regression, phase-gate, status, board-check,
//!   pre-work; cold (the cache folder removed before every run) and warm (cache
//!   filled), median of 15 whole-process runs;
//! - 10,000 packets + a 16 MB spec: every read-only command, cold and warm (median of
//!   5), and peak RSS of one warm run each (`/usr/bin/time -f %M`, when present).
//!
//! The repositories are git work trees (no commits), so the cache lives in
//! `.git/gov/cache/`. The baseline is timed cold and warm the same way.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn run(bin: &Path, root: &Path, args: &[&str]) -> (Duration, i32) {
    let start = Instant::now();
    let out = Command::new(bin)
        .args(args)
        .current_dir(root)
        .env("GOV_NOW", "2026-11-21T12:00:00")
        .env_remove("GOV_NO_CACHE")
        .output()
        .expect("run gov");
    (start.elapsed(), out.status.code().unwrap_or(-1))
}

/// Median wall time of `runs` runs; `cold` clears the cache before each.
fn median(bin: &Path, root: &Path, args: &[&str], runs: usize, cold: bool) -> (f64, i32) {
    let cache = root.join(".git/gov");
    if !cold {
        run(bin, root, args); // fill the cache
    }
    let mut times = Vec::with_capacity(runs);
    let mut code = -1;
    for _ in 0..runs {
        if cold {
            let _ = std::fs::remove_dir_all(&cache);
        }
        let (t, c) = run(bin, root, args);
        times.push(t);
        code = c;
    }
    times.sort();
    (times[runs / 2].as_secs_f64() * 1e3, code)
}

/// Peak resident set of one run, in MB (`/usr/bin/time -f %M` reports KB).
fn peak_rss(bin: &Path, root: &Path, args: &[&str]) -> Option<f64> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(bin)
        .args(args)
        .current_dir(root)
        .env("GOV_NOW", "2026-11-21T12:00:00")
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let kb: f64 = err.lines().last()?.trim().parse().ok()?;
    Some(kb / 1024.0)
}

fn scenario(
    label: &str,
    packets: usize,
    spec: usize,
    commands: &[&[&str]],
    runs: usize,
    rss: bool,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let g = support::generate(dir.path(), packets, spec);
    git2::Repository::init(dir.path()).expect("git init");
    println!(
        "\n{label}: {} packets, {:.1} MB spec ({} headings)",
        g.packets,
        g.spec_bytes as f64 / 1_048_576.0,
        g.headings
    );
    let new = PathBuf::from(env!("CARGO_BIN_EXE_gov"));
    let base = std::env::var_os("GOV_BASELINE_BIN").map(PathBuf::from);
    for args in commands {
        let (cold, code) = median(&new, dir.path(), args, runs, true);
        let (warm, _) = median(&new, dir.path(), args, runs, false);
        let mut line = format!(
            "  {:<28} cold {cold:>8.1} ms  warm {warm:>8.1} ms  (exit {code})",
            args.join(" ")
        );
        if let Some(base) = &base {
            // the baseline (1cc07a4 or later) has a cache too, of another schema: its
            // own cold and warm runs (each rejects the other's file, a cold run)
            let (bc, bcode) = median(base, dir.path(), args, runs, true);
            let (bw, _) = median(base, dir.path(), args, runs, false);
            let _ = std::fs::remove_dir_all(dir.path().join(".git/gov"));
            line.push_str(&format!(
                "  baseline cold {bc:>8.1} warm {bw:>8.1} ms (exit {bcode})  cold {:.2}x  warm {:.2}x faster",
                bc / cold,
                bw / warm
            ));
        }
        if rss {
            // warm: one run fills the binary's own cache first
            let mb = |bin: &Path| {
                run(bin, dir.path(), args);
                peak_rss(bin, dir.path(), args).map_or("n/a".into(), |m| format!("{m:.0} MB"))
            };
            line.push_str(&format!("  peak RSS {}", mb(&new)));
            if let Some(base) = &base {
                line.push_str(&format!(" (baseline {})", mb(base)));
            }
        }
        println!("{line}");
    }
}

fn main() {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at start: {}", load.trim());
    scenario(
        "small",
        132,
        5_500_000,
        &[
            &["spec-regression"],
            &["phase-gate", "Phase-1"],
            &["status"],
            &["board-check"],
            &["pre-work", "WP-1-Gen-00050"],
        ],
        15,
        false,
    );
    scenario(
        "large",
        10_000,
        16_000_000,
        &[
            &["spec-regression"],
            &["phase-gate", "Phase-1"],
            &["status"],
            &["board-check"],
            &["pre-work", "WP-1-Gen-05000"],
            &["show", "WP-1-Gen-05000"],
            &["signatures", "verify"],
        ],
        5,
        true,
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("\nload average at end: {}", load.trim());
}
