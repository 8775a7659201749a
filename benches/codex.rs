//! `gov codex-check` against ripgrep on a generated 4,000-file tree: the same two
//! Codex patterns (a boundary rule and a forbidden call), searched by gov (release
//! binary, code-aware, with its hygiene pass over the git index) and by one `rg`
//! process with both patterns (`-e … -e …`, Rust files only). Each runs
//! `GOV_BENCH_RUNS` times (default 15) after a warm-up; medians and minimums are printed
//! with their ratio. Issue target: gov within 1.3× of ripgrep.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 4_000;
const BOUNDARY: &str = r"(?-u:\b)(?:rusqlite|sqlx)\s*::";
const FORBIDDEN: &str = r"(?-u:\b)(?:println|dbg)\s*!";

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    generate(root);
    let runs: usize = std::env::var("GOV_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let gov = PathBuf::from(env!("CARGO_BIN_EXE_gov"));
    let gov_args = ["codex-check", "--format", "json"];
    let g = measure(runs, || run(&gov, root, &gov_args));
    println!("codex bench: {FILES} files, {runs} runs each");
    report("gov codex-check", &g);
    let Some(rg) = which("rg") else {
        println!("ripgrep not found: install it to compare (apt-get install ripgrep)");
        return;
    };
    let rg_args = [
        "-n", "--type", "rust", "-e", BOUNDARY, "-e", FORBIDDEN, "src",
    ];
    let r = measure(runs, || run(&rg, root, &rg_args));
    report("rg, both patterns", &r);
    println!(
        "ratio gov/rg: median {:.2}×, min {:.2}×",
        median(&g).as_secs_f64() / median(&r).as_secs_f64(),
        g[0].as_secs_f64() / r[0].as_secs_f64()
    );
}

/// A governance repository (the smallest layout gov accepts) with a two-rule Codex and
/// 4,000 Rust files in 40 modules; one file in 50 breaks a rule.
fn generate(root: &Path) {
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    w("gov.yaml", "version: 1\nlayout: docs\n");
    w("docs/SPEC_CURRENT.md", "[Spec.md](../Spec.md)\n");
    w("Spec.md", "# Spec\n## 1.1 Intro\n");
    w(
        "docs/TASK_BOARD.md",
        "# Board\n## Ready for Dev\n## In Progress\n## Done\n## Blocked\n## Superseded (Archive)\n",
    );
    w("docs/SIGNATURE_AUDIT.md", "# Audit\n## Consumed Signatures\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Notes |\n|---|---|---|---|---|---|\n");
    w(
        ".gitignore",
        "target/\nnode_modules/\n*.pdb\n*.dSYM\n.DS_Store\nThumbs.db\n",
    );
    w(
        "Bench Codex v1.0.md",
        &format!("# Codex\n### CX-102: Storage boundary\n```gov\npattern: '{BOUNDARY}'\nallowed_in: ['src/storage/**']\nlanguages: [rust]\n```\n### CX-104: No prints\n```gov\npattern: '{FORBIDDEN}'\nlanguages: [rust]\n```\n"),
    );
    for i in 0..FILES {
        let module = if i % 40 == 0 {
            "storage".to_string()
        } else {
            format!("m{}", i % 40)
        };
        let mut text = String::new();
        for f in 0..20 {
            text.push_str(&format!(
                "/// Function {f} of file {i}.\npub fn f{f}(x: u64) -> u64 {{\n    // a comment that mentions println! is fine\n    let s = \"rusqlite::Connection in a string\";\n    x.wrapping_mul({f}) + s.len() as u64\n}}\n\n"
            ));
        }
        if i % 50 == 7 {
            text.push_str(
                "pub fn bad() { println!(\"x\"); let _ = rusqlite::Connection::open(\"db\"); }\n",
            );
        }
        w(&format!("src/{module}/file{i}.rs"), &text);
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("git")
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=b",
        "-c",
        "user.email=b@b",
        "commit",
        "-qm",
        "WP-1-X: bench",
    ]);
}

fn run(program: &Path, cwd: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("GOV_NO_CACHE", "1")
        .stderr(Stdio::null())
        .output()
        .expect("run");
    let took = start.elapsed();
    assert!(
        !out.stdout.is_empty(),
        "{} printed nothing",
        program.display()
    );
    took
}

fn measure(runs: usize, f: impl Fn() -> Duration) -> Vec<Duration> {
    f();
    let mut v: Vec<Duration> = (0..runs).map(|_| f()).collect();
    v.sort();
    v
}

fn median(v: &[Duration]) -> Duration {
    v[v.len() / 2]
}

fn report(name: &str, v: &[Duration]) {
    println!(
        "  {name:<24} median {:>7.1} ms   min {:>7.1} ms",
        median(v).as_secs_f64() * 1e3,
        v[0].as_secs_f64() * 1e3
    );
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}
