//! Property tests (proptest, fixed seed, a few hundred cases each):
//! - every parser, fed arbitrary bytes and Markdown-shaped text, never panics, and the
//!   fuzz harness's invariants hold (`fuzz/src/lib.rs`: board entry insertion and
//!   audit row insertion read back, a packet signature fill is stable);
//! - every gate, run in-process on generated packets, boards and audits, prints one
//!   JSON document whose verdict agrees with its exit code, with diagnostics sorted
//!   by path, line, column and code, and prints the same thing when run again.

use super::fuzz_regressions::harness;
use super::hostile::demo_repo;
use clap::Parser;
use gov::cli::Cli;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::path::Path;

fn runner(cases: u32, seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Lines made of the pieces governance documents are built from, so generated text
/// reaches the parsers' interesting paths (fields, lists, fences, tables, ids).
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("### RISK_TIER: ".to_string()),
        Just("- ".to_string()),
        Just("  - ".to_string()),
        Just("1. ".to_string()),
        Just("> ".to_string()),
        Just("```".to_string()),
        Just("~~~".to_string()),
        Just("    ".to_string()),
        Just("| ".to_string()),
        Just("|---|---|".to_string()),
        Just("**".to_string()),
        Just("`".to_string()),
        Just(": ".to_string()),
        Just("<div>".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("🚨 ".to_string()),
        Just("Â§".to_string()),
        Just("WP-1-Token-Validation".to_string()),
        Just("WP-1-Other-v2".to_string()),
        Just("[WP-1-Dep]".to_string()),
        Just("STATUS".to_string()),
        Just("USER_SIGNATURE".to_string()),
        Just("## USER_SIGNATURE:".to_string()),
        Just("IN_SCOPE_PATHS".to_string()),
        Just("DONE_MEANS".to_string()),
        Just("TEST_PLAN".to_string()),
        Just("Signature".to_string()),
        Just("Ready for Dev".to_string()),
        Just("In Progress".to_string()),
        Just("Done".to_string()),
        Just("Blocked".to_string()),
        Just("Consumed Signatures".to_string()),
        Just("Phase 1 Closure Gates".to_string()),
        Just("<pending>".to_string()),
        Just("maria031120261640".to_string()),
        Just("§2.1.1".to_string()),
        Just("[CX-DBP-001]".to_string()),
        Just("src/lib.rs".to_string()),
        Just("cargo test".to_string()),
        "[a-zA-Z0-9 ._/-]{0,12}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec((prop::collection::vec(piece, 0..8), any::<bool>()), 0..40).prop_map(
        |lines| {
            lines
                .into_iter()
                .map(|(parts, crlf)| parts.concat() + if crlf { "\r\n" } else { "\n" })
                .collect()
        },
    )
}

#[test]
fn parsers_never_panic_on_arbitrary_bytes() {
    runner(256, 7)
        .run(&prop::collection::vec(any::<u8>(), 0..4096), |data| {
            for (_, target) in harness::TARGETS {
                target(&data);
            }
            Ok(())
        })
        .expect("property");
}

#[test]
fn parsers_and_writers_hold_their_invariants_on_markdown() {
    // board entry insertion, audit row insertion and signature fill read back
    runner(256, 11)
        .run(&markdown(), |text| {
            for (_, target) in harness::TARGETS {
                target(text.as_bytes());
            }
            Ok(())
        })
        .expect("property");
}

/// Runs `gov ARGS --format json -C ROOT` in-process at the tests' fixed "now".
fn gate(root: &Path, args: &[&str]) -> (i32, String) {
    let root = root.to_string_lossy();
    let mut argv = vec!["gov"];
    argv.extend_from_slice(args);
    argv.extend(["--format", "json", "-C", &root]);
    let cli = Cli::try_parse_from(&argv).expect("arguments");
    let mut ctx = gov::commands::Context::new(&cli, Path::new("/"));
    let now = chrono::NaiveDateTime::parse_from_str(crate::support::FIXED_NOW, "%Y-%m-%dT%H:%M:%S")
        .expect("fixed now");
    ctx.now = now;
    ctx.now_utc = now;
    let out = gov::app::run_with(&cli, ctx);
    (out.code, out.stdout)
}

/// The read-only gates.
const GATES: &[&[&str]] = &[
    &["pre-work", "WP-1-Token-Validation"],
    &["show", "WP-1-Token-Validation"],
    &["signatures", "verify"],
    &["post-work", "WP-1-Token-Validation"],
    &["spec-regression"],
    &["board-check"],
    &["phase-gate", "1"],
    &["status"],
];

fn check_gate(root: &Path, args: &[&str]) -> Result<(), TestCaseError> {
    let (code, stdout) = gate(root, args);
    let doc: serde_json::Value = serde_json::from_str(&stdout)
        .map_err(|e| TestCaseError::fail(format!("{args:?}: not one JSON document: {e}")))?;
    let verdict = match code {
        0 => "pass",
        1 => "fail",
        2 => "error",
        other => return Err(TestCaseError::fail(format!("{args:?}: exit {other}"))),
    };
    prop_assert_eq!(&doc["verdict"], verdict, "{:?}: {}", args, stdout);
    let key = |d: &serde_json::Value| {
        (
            d["path"].as_str().map(str::to_string),
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["code"].as_str().unwrap_or("").to_string(),
        )
    };
    let diags = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    for w in diags.windows(2) {
        prop_assert!(
            key(&w[0]) <= key(&w[1]),
            "{:?}: unsorted {} / {}",
            args,
            w[0],
            w[1]
        );
    }
    let again = gate(root, args);
    prop_assert_eq!(again, (code, stdout), "{:?}: a second run differs", args);
    Ok(())
}

#[test]
fn gates_agree_with_their_verdict_and_sort_deterministically() {
    let g = demo_repo();
    let root = g.root();
    let strategy = (markdown(), markdown(), markdown(), 0..3usize);
    runner(96, 13)
        .run(&strategy, |(packet, board, audit, which)| {
            // one generated document at a time keeps the others valid, so gates
            // get past loading and run their rules
            let (path, text) = match which {
                0 => ("docs/task_packets/WP-1-Token-Validation.md", packet),
                1 => ("docs/TASK_BOARD.md", board),
                _ => ("docs/SIGNATURE_AUDIT.md", audit),
            };
            let original = std::fs::read(root.join(path)).expect("read");
            std::fs::write(root.join(path), &text).expect("write");
            let result = GATES.iter().try_for_each(|args| check_gate(root, args));
            std::fs::write(root.join(path), original).expect("restore");
            result
        })
        .expect("property");
}
