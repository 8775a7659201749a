//! validator-scan against ripgrep on a large real source tree (by default the crate
//! sources cargo has unpacked under `$CARGO_HOME/registry/src`; `GOV_BENCH_TREE`
//! overrides it). Three contenders over the same files:
//!
//! 1. `gov validator-scan` (release binary, JSON output drained through a pipe);
//! 2. `rg` with the same patterns as one combined `-e` list and the same file globs;
//! 3. one `rg` process per pattern (what the seed's validator-scan.mjs did).
//!
//! Each is run `GOV_BENCH_RUNS` times (default 5) after one warm-up; median and min
//! wall time are printed, with peak RSS from `/usr/bin/time` when it is installed.
//! `scripts/bench-scan.sh` installs ripgrep and `time` and runs this bench.

use gov::config::scan::ScanConfig;
use gov::scan::lang::Lang;
use gov::scan::rules::{RuleSet, DEFAULT_TEST_PATHS};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Sample {
    wall: Duration,
    /// User + system CPU seconds (from `/usr/bin/time`): steadier than wall time on a
    /// shared machine.
    cpu: Option<f64>,
    rss_kb: Option<u64>,
    output_bytes: usize,
}

fn main() {
    let tree = match corpus() {
        Some(t) => t,
        None => {
            eprintln!("scan bench: no source tree (set GOV_BENCH_TREE); skipped");
            return;
        }
    };
    let runs: usize = std::env::var("GOV_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let gov = PathBuf::from(env!("CARGO_BIN_EXE_gov"));
    let rules = RuleSet::build(&ScanConfig::default()).expect("built-in rules compile");
    let patterns: Vec<String> = rules.rules.iter().map(|r| r.rule.pattern.clone()).collect();
    let globs = rg_globs();
    println!(
        "scan bench: {} ({}), {} patterns, {runs} runs each",
        tree.display(),
        tree_size(&tree),
        patterns.len()
    );
    let gov_args: Vec<String> = vec![
        "validator-scan".into(),
        "-C".into(),
        tree.display().to_string(),
        "--format".into(),
        "json".into(),
    ];
    let gov_s = measure(runs, || run(&gov, &gov_args));
    report("gov validator-scan", &gov_s);
    let Some(rg) = which("rg") else {
        println!("ripgrep not found: install it (scripts/bench-scan.sh does) to compare");
        return;
    };
    let mut combined = rg_base(&globs);
    for p in &patterns {
        combined.push("-e".into());
        combined.push(p.clone());
    }
    combined.push(tree.display().to_string());
    let rg_s = measure(runs, || run(&rg, &combined));
    report("rg, one combined pattern list", &rg_s);
    let per_pattern = measure(runs.min(3), || {
        let mut total = Sample {
            wall: Duration::ZERO,
            cpu: None,
            rss_kb: None,
            output_bytes: 0,
        };
        for p in &patterns {
            let mut args = rg_base(&globs);
            args.extend(["-e".to_string(), p.clone(), tree.display().to_string()]);
            let s = run(&rg, &args);
            total.wall += s.wall;
            total.cpu = Some(total.cpu.unwrap_or(0.0) + s.cpu.unwrap_or(0.0));
            total.output_bytes += s.output_bytes;
            total.rss_kb = total.rss_kb.max(s.rss_kb);
        }
        total
    });
    report("rg, one process per pattern", &per_pattern);
    let g = median(&gov_s);
    println!(
        "wall: gov / rg combined {:.2}x (target <= 1.3x); rg per pattern / gov {:.1}x (target >= 10x)",
        g.as_secs_f64() / median(&rg_s).as_secs_f64(),
        median(&per_pattern).as_secs_f64() / g.as_secs_f64()
    );
    if let (Some(g), Some(r), Some(p)) = (cpu(&gov_s), cpu(&rg_s), cpu(&per_pattern)) {
        println!(
            "cpu:  gov / rg combined {:.2}x; rg per pattern / gov {:.1}x",
            g / r,
            p / g
        );
    }
    if let Some(kb) = gov_s.iter().filter_map(|s| s.rss_kb).max() {
        println!(
            "gov peak RSS: {:.1} MB (target < 100 MB)",
            kb as f64 / 1024.0
        );
    }
}

/// `GOV_BENCH_TREE`, else `$CARGO_HOME/registry/src` (or `~/.cargo/registry/src`).
fn corpus() -> Option<PathBuf> {
    if let Some(t) = std::env::var_os("GOV_BENCH_TREE") {
        return Some(PathBuf::from(t));
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let src = home.join("registry/src");
    src.is_dir().then_some(src)
}

/// ripgrep flags that select the files gov reads: the same extensions, the same test
/// paths left out, `.gitignore` honoured outside git repositories too (as gov does).
fn rg_globs() -> Vec<String> {
    let mut g: Vec<String> = Lang::extensions()
        .iter()
        .map(|e| format!("*.{e}"))
        .collect();
    g.extend(DEFAULT_TEST_PATHS.iter().map(|p| format!("!{p}")));
    g
}

fn rg_base(globs: &[String]) -> Vec<String> {
    let mut a = vec!["--no-require-git".to_string(), "-n".to_string()];
    for g in globs {
        a.push("-g".into());
        a.push(g.clone());
    }
    a
}

fn run(program: &Path, args: &[String]) -> Sample {
    let time = Path::new("/usr/bin/time");
    let rss_file = std::env::temp_dir().join(format!("gov-bench-rss-{}", std::process::id()));
    let mut cmd = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-f")
            .arg("%M %U %S")
            .arg("-o")
            .arg(&rss_file)
            .arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null());
    let start = Instant::now();
    let out = cmd.output().expect("run contender");
    let wall = start.elapsed();
    let stats = std::fs::read_to_string(&rss_file).unwrap_or_default();
    let fields: Vec<&str> = stats
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let rss_kb = fields.first().and_then(|f| f.parse().ok());
    let cpu = match (fields.get(1), fields.get(2)) {
        (Some(u), Some(s)) => u
            .parse::<f64>()
            .ok()
            .zip(s.parse::<f64>().ok())
            .map(|(u, s)| u + s),
        _ => None,
    };
    let _ = std::fs::remove_file(&rss_file);
    Sample {
        wall,
        cpu,
        rss_kb,
        output_bytes: out.stdout.len(),
    }
}

fn measure(runs: usize, mut f: impl FnMut() -> Sample) -> Vec<Sample> {
    let _warm = f();
    (0..runs.max(1)).map(|_| f()).collect()
}

fn median(s: &[Sample]) -> Duration {
    let mut w: Vec<Duration> = s.iter().map(|x| x.wall).collect();
    w.sort();
    w[w.len() / 2]
}

/// Median CPU seconds, when measured.
fn cpu(s: &[Sample]) -> Option<f64> {
    let mut c: Vec<f64> = s.iter().filter_map(|x| x.cpu).collect();
    if c.is_empty() {
        return None;
    }
    c.sort_by(f64::total_cmp);
    Some(c[c.len() / 2])
}

fn report(name: &str, s: &[Sample]) {
    let min = s.iter().map(|x| x.wall).min().unwrap_or_default();
    let rss = s
        .iter()
        .filter_map(|x| x.rss_kb)
        .max()
        .map_or("n/a".to_string(), |kb| {
            format!("{:.1} MB", kb as f64 / 1024.0)
        });
    let cpu = cpu(s).map_or("n/a".to_string(), |c| format!("{c:.2} s"));
    println!(
        "{name:<30} wall median {:>6.3} s  min {:>6.3} s  cpu {cpu:>7}  peak RSS {rss:>8}  output {} bytes",
        median(s).as_secs_f64(),
        min.as_secs_f64(),
        s.last().map_or(0, |x| x.output_bytes)
    );
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn tree_size(root: &Path) -> String {
    let (mut files, mut bytes) = (0u64, 0u64);
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        if e.file_type().is_file() {
            files += 1;
            bytes += e.metadata().map_or(0, |m| m.len());
        }
    }
    format!("{files} files, {:.0} MB", bytes as f64 / 1e6)
}
