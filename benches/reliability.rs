//! Release-mode figures for the hostile documents of the reliability tests
//! (`tests/cli/reliability/documents.rs`): each document is put at every place it is
//! tested at in a copy of the demo repository, and every command that reads it is run.
//! Reported per document: the slowest command (median wall time of a whole `gov`
//! process over a few runs, and its minimum) and the highest peak resident memory.
//! Run with `cargo bench --bench reliability`; the figures go in docs/reliability.md.

#[path = "../tests/cli/reliability/documents.rs"]
mod documents;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

/// Wall time and peak resident set (KiB) of one `gov` process.
fn measure(root: &Path, args: &[&str]) -> (Duration, u64, i32) {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_gov"))
        .args(args)
        .current_dir(root)
        .env("GOV_NOW", "2026-11-21T12:00:00")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run gov");
    let (code, rss) = reap(child);
    (start.elapsed(), rss, code)
}

#[cfg(target_os = "linux")]
#[repr(C)]
struct Rusage {
    utime: [i64; 2],
    stime: [i64; 2],
    maxrss: i64,
    rest: [i64; 13],
}

#[cfg(target_os = "linux")]
extern "C" {
    fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
}

/// Waits for the child with wait4, which reports that child's own peak memory.
#[cfg(target_os = "linux")]
fn reap(child: std::process::Child) -> (i32, u64) {
    let mut status = 0i32;
    let mut usage = Rusage {
        utime: [0; 2],
        stime: [0; 2],
        maxrss: 0,
        rest: [0; 13],
    };
    // SAFETY: a child we spawned and have not waited for; valid out-pointers.
    let pid = unsafe { wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4");
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        -1
    };
    (code, usage.maxrss as u64)
}

#[cfg(not(target_os = "linux"))]
fn reap(mut child: std::process::Child) -> (i32, u64) {
    let status = child.wait().expect("wait");
    (status.code().unwrap_or(-1), 0)
}

fn main() {
    println!("hostile document                                    | slowest command (median / min)                         | peak RSS");
    for make in documents::all() {
        let doc = make();
        let mut slowest = (Duration::ZERO, Duration::ZERO, String::new());
        let mut peak = 0u64;
        let mut codes = std::collections::BTreeSet::new();
        for role in doc.roles {
            let dir = tempfile::tempdir().expect("tempdir");
            documents::demo_into(dir.path());
            let path = dir.path().join(role);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, &doc.bytes).expect("write");
            for args in documents::readers_of(role) {
                let mut times = Vec::new();
                for _ in 0..RUNS {
                    // writers change the repository: measure each run on the same input
                    let run_dir = tempfile::tempdir().expect("tempdir");
                    copy(dir.path(), run_dir.path());
                    let (t, rss, code) = measure(run_dir.path(), &args);
                    times.push(t);
                    peak = peak.max(rss);
                    codes.insert(code);
                }
                times.sort();
                if times[RUNS / 2] > slowest.0 {
                    slowest = (
                        times[RUNS / 2],
                        times[0],
                        format!("{} @ {role}", args.join(" ")),
                    );
                }
            }
        }
        println!(
            "{:<51} | {:>8.1} ms / {:>8.1} ms  {:<40} | {:>6.1} MB  exits {:?}",
            doc.name,
            slowest.0.as_secs_f64() * 1000.0,
            slowest.1.as_secs_f64() * 1000.0,
            slowest.2,
            peak as f64 / 1024.0,
            codes
        );
    }
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.expect("walk");
        let dest = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}
