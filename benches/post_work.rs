//! Benchmark (not a timed test): `gov post-work` on a generated repository of 10,000
//! files with a 500-file change, in working-tree mode and as a committed `--rev`.
//! The packet is versioned, so the deterministic manifest (500 entries, 1,000 SHA1s,
//! every hunk window) is checked too: the gate's worst case. Runs the release binary
//! repeatedly and prints the median and the minimum wall time.
//!
//! Three diffs: the working tree with 500 files grown by a line, the same change
//! committed (`--rev HEAD`), and 500 working-tree edits that keep each file's size
//! (only their content tells them changed: both git and libgit2 must read and hash
//! them to know). Each is timed beside `git diff --stat` over the same diff (git as
//! the harness's yardstick; gov itself never starts a process) and, when
//! `GOV_BASELINE_BIN` names one, a baseline binary; the programs take turns run by run.
//!
//! `cargo bench --bench post_work` (GOV_BENCH_RUNS sets the run count; GOV_BENCH_DIR
//! keeps the generated repository there, for profiling).

mod support;

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, Time};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const FILES: usize = 10_000;
const CHANGED: usize = 500;
const WP: &str = "WP-1-Gen-00000";

fn main() {
    let runs: usize = std::env::var("GOV_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    // GOV_BENCH_DIR keeps the generated repository (for profiling); it must not exist
    let kept = std::env::var_os("GOV_BENCH_DIR").map(std::path::PathBuf::from);
    let dir = tempfile::tempdir().expect("tempdir");
    let root = match &kept {
        Some(k) => {
            std::fs::create_dir_all(k).expect("GOV_BENCH_DIR");
            k.as_path()
        }
        None => dir.path(),
    };
    let setup = Instant::now();
    support::generate(root, 1, 64 * 1024);
    for i in 0..FILES {
        let p = root.join(source_path(i));
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, source_text(i, false)).expect("write");
    }
    // the signed packet as handed off; its locked sections stay as they are
    write_packet(root, "");
    let git = Repository::init_opts(root, RepositoryInitOptions::new().initial_head("main"))
        .expect("git init");
    commit(&git, "base", 1);
    for i in 0..CHANGED {
        std::fs::write(
            root.join(source_path(i * (FILES / CHANGED))),
            source_text(i, true),
        )
        .expect("edit");
    }
    write_packet(root, &manifest(root));
    println!(
        "setup: {FILES} files, {CHANGED} changed, in {:.1} s",
        setup.elapsed().as_secs_f64()
    );

    let gov = std::path::PathBuf::from(env!("CARGO_BIN_EXE_gov"));
    let baseline = std::env::var_os("GOV_BASELINE_BIN").map(std::path::PathBuf::from);
    let side_by_side = |what: &str, gov_args: &[&str], git_args: &[&str]| {
        let mut programs = vec![("gov", gov.clone(), gov_args)];
        if let Some(b) = &baseline {
            programs.push(("baseline", b.clone(), gov_args));
        }
        programs.push(("git", "git".into(), git_args));
        let timings = measure(root, &programs, runs);
        for ((label, _, _), t) in programs.iter().zip(&timings) {
            report(&format!("{what}, {label}"), t);
        }
        let gov_min = timings[0].wall[0].as_secs_f64();
        for ((label, _, _), t) in programs.iter().zip(&timings).skip(1) {
            println!(
                "  {what}: gov / {label} {:.2} (min), {:.2} (median)",
                gov_min / t.wall[0].as_secs_f64(),
                median(&timings[0]) / median(t)
            );
        }
    };
    side_by_side(
        "post-work, working tree (10,000 files, 500 grown by a line)",
        &["post-work", WP, "--quiet"],
        &["diff", "--stat", "HEAD"],
    );
    commit(&git, "feat: generated change", 2);
    side_by_side(
        "post-work --rev HEAD (500 changed files)",
        &["post-work", WP, "--rev", "HEAD", "--quiet"],
        &["diff", "--stat", "HEAD~1", "HEAD"],
    );
    // the same size, another content: the stat data alone cannot tell these changed
    for i in 0..CHANGED {
        let path = root.join(source_path(i * (FILES / CHANGED)));
        let text = source_text(i, true).replace("// changed", "// chAnged");
        std::fs::write(path, text).expect("edit");
    }
    write_packet(root, &manifest(root));
    side_by_side(
        "post-work, working tree (500 edits keeping the size)",
        &["post-work", WP, "--quiet"],
        &["diff", "--stat", "HEAD"],
    );
}

fn source_path(i: usize) -> String {
    format!("src/gen/d{:03}/f{i:05}.rs", i / 100)
}

fn source_text(i: usize, changed: bool) -> String {
    let mut s = format!("//! Generated module {i}.\n\n");
    for k in 0..30 {
        if changed && k == 15 {
            let _ = writeln!(s, "pub fn f{k}() -> u64 {{ {} }} // changed", k * 2);
        } else {
            let _ = writeln!(s, "pub fn f{k}() -> u64 {{ {k} }}");
        }
    }
    if changed {
        s.push_str("\npub fn added() -> u64 { 1 }\n");
    }
    s
}

/// A manifest entry for every changed file, computed through the library.
fn manifest(root: &Path) -> String {
    let repo = gov::repo::Repo::open(
        &gov::repo::RepoOptions {
            root: Some(root.to_path_buf()),
            config: None,
        },
        root,
    )
    .expect("repo");
    let git = gov::git::GitRepo::open(root).expect("git");
    let (_, changes) = gov::git::select(
        &git,
        &gov::git::Request::Default {
            merge_base_sha: None,
            main_branch: repo.config.git.main_branch.clone(),
        },
    )
    .expect("select");
    let mut manifest = String::new();
    for change in &changes.files {
        let entry = gov::commands::manifest::entry_for(change);
        manifest.push_str(&entry.markdown().join("\n"));
        manifest.push_str("\n\n");
    }
    manifest
}

fn write_packet(root: &Path, manifest: &str) {
    let packet = format!(
        "# Task Packet: {WP}\n\n## Metadata\n- TASK_ID: {WP}\n- STATUS: In-Progress\n- RISK_TIER: LOW\n\
         - PACKET_FORMAT_VERSION: 2026-02-01\n- USER_SIGNATURE: {sig}\n\n## Scope\n- IN_SCOPE_PATHS:\n  - src/gen/\n\
         - OUT_OF_SCOPE:\n  - docs/\n\n## DONE_MEANS\n1. Every generated module gains `added`\n\n## TEST_PLAN\n```bash\ncargo test\n```\n\n\
         ## VALIDATION\n- Command: cargo test\n- Result: PASS\n\n### Manifest\n{manifest}\n\
         ## EVIDENCE_MAPPING\n- DONE_MEANS 1\n  EVIDENCE: src/gen/d000/f00000.rs:34\n",
        sig = support::signature(0),
    );
    std::fs::write(root.join(format!("docs/task_packets/{WP}.md")), packet).expect("packet");
}

fn commit(git: &Repository, msg: &str, n: i64) {
    let mut index = git.index().expect("index");
    index
        .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"].iter(), None).expect("update");
    index.write().expect("write index");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = Signature::new(
        "Bench",
        "bench@example.com",
        &Time::new(1_795_000_000 + n, 0),
    )
    .expect("signature");
    let parent = git.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    git.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit");
}

/// Wall times, sorted, and the mean CPU time (user + system) per run.
struct Timing {
    wall: Vec<Duration>,
    cpu: Option<Duration>,
}

fn median(t: &Timing) -> f64 {
    t.wall[t.wall.len() / 2].as_secs_f64()
}

/// Runs every program `runs` times, taking turns, so a change in the machine's load
/// falls on all of them alike.
fn measure(
    root: &Path,
    programs: &[(&str, std::path::PathBuf, &[&str])],
    runs: usize,
) -> Vec<Timing> {
    let mut wall = vec![Vec::with_capacity(runs); programs.len()];
    let mut cpu = vec![Some(Duration::ZERO); programs.len()];
    for _ in 0..runs {
        for (k, (_, bin, args)) in programs.iter().enumerate() {
            let cpu_before = children_cpu();
            let start = Instant::now();
            let out = Command::new(bin)
                .args(*args)
                .current_dir(root)
                .env_remove("GOV_NO_CACHE")
                .output()
                .expect("run the program");
            wall[k].push(start.elapsed());
            cpu[k] = cpu[k]
                .zip(cpu_before.zip(children_cpu()))
                .map(|(sum, (a, b))| sum + b.saturating_sub(a));
            assert_eq!(
                out.status.code(),
                Some(0),
                "{bin:?} {args:?} did not pass:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    wall.into_iter()
        .zip(cpu)
        .map(|(mut w, c)| {
            w.sort();
            Timing {
                wall: w,
                cpu: c.map(|c| c / runs as u32),
            }
        })
        .collect()
}

/// CPU time used by finished child processes (Linux: /proc/self/stat, in clock ticks
/// of 10 ms). Wall time on a shared machine depends on its load; CPU time does not.
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // after the command name: state is field 3, cutime field 16, cstime field 17
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn report(what: &str, t: &Timing) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let times = &t.wall;
    let cpu = t
        .cpu
        .map(|c| format!(", CPU {:.0} ms per run", ms(c)))
        .unwrap_or_default();
    println!(
        "{what}: median {:.1} ms, min {:.1} ms, max {:.1} ms wall over {} runs{cpu}",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
