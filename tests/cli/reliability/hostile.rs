//! Hostile documents: every command answers 0, 1 or 2 within the deadline, with one
//! JSON document and a located diagnostic, whatever a governance document holds —
//! huge, deeply nested, binary, empty, a directory, a link loop or a link out of the
//! repository. Documents are generated here, never committed.

use super::bounded::{self, Outcome, DEADLINE};
use crate::support::Gov;
use std::path::Path;
use std::time::Duration;

/// The demo's unsigned Ready-for-Dev packet: every command has work to do on it.
const ID: &str = "WP-1-Token-Validation";
const PACKET: &str = "docs/task_packets/WP-1-Token-Validation.md";
const REFINEMENT: &str = "docs/refinements/WP-1-Token-Validation.md";
const BOARD: &str = "docs/TASK_BOARD.md";
const SPEC: &str = "Master_Spec_v1.1.md";
const AUDIT: &str = "docs/SIGNATURE_AUDIT.md";
const POINTER: &str = "docs/SPEC_CURRENT.md";
const CONFIG: &str = "gov.yaml";
/// Production code, for validator-scan.
const SOURCE: &str = "src/lib.rs";

/// Where a hostile document is put.
const EVERY_ROLE: &[&str] = &[
    PACKET, REFINEMENT, BOARD, SPEC, AUDIT, POINTER, CONFIG, SOURCE,
];
const MARKDOWN_ROLES: &[&str] = &[PACKET, REFINEMENT, BOARD];

/// Every command, with the arguments that make it read the demo's documents, and
/// the documents it reads (a hostile document is run through those commands).
fn commands() -> Vec<(Vec<&'static str>, &'static [&'static str])> {
    vec![
        (
            vec!["pre-work", ID],
            &[PACKET, BOARD, SPEC, AUDIT, POINTER, CONFIG],
        ),
        (vec!["show", ID], &[PACKET]),
        (vec!["signatures", "verify"], &[PACKET, AUDIT]),
        (
            vec!["post-work", ID],
            &[PACKET, SPEC, AUDIT, POINTER, SOURCE],
        ),
        (vec!["record-refinement", ID], &[REFINEMENT]),
        (
            vec!["record-signature", ID, "alice151120261130"],
            &[PACKET, REFINEMENT, SPEC, AUDIT, POINTER],
        ),
        (
            vec![
                "record-signature",
                "bob151120261130",
                "--purpose",
                "hostile",
            ],
            &[AUDIT, POINTER],
        ),
        (
            vec!["create-task-packet", "WP-1-Hostile-New"],
            &[BOARD, POINTER],
        ),
        (vec!["validator-scan"], &[SOURCE, CONFIG]),
        (vec!["validator-scan", "src/lib.rs", "docs"], &[SOURCE]),
        (vec!["manifest", PACKET], &[PACKET]),
    ]
}

/// Runs the commands with `--format json` in `root` and checks the contract.
fn run_all(root: &Path, commands: &[Vec<&str>]) -> Vec<Outcome> {
    commands
        .iter()
        .map(|args| {
            let mut args = args.clone();
            args.extend(["--format", "json"]);
            let o = bounded::run(root, &args, DEADLINE);
            o.assert_json_contract();
            o
        })
        .collect()
}

/// Every command, whatever it reads.
fn every_command(root: &Path) -> Vec<Outcome> {
    let all: Vec<Vec<&str>> = commands().into_iter().map(|(c, _)| c).collect();
    run_all(root, &all)
}

/// The commands that read the document at `role`.
fn readers_of(role: &str) -> Vec<Vec<&'static str>> {
    commands()
        .into_iter()
        .filter(|(_, reads)| reads.contains(&role))
        .map(|(c, _)| c)
        .collect()
}

/// A copy of the demo, committed on `main` in a fresh git repository (built with
/// git2), so post-work has history to read.
pub fn demo_repo() -> Gov {
    let g = Gov::example("demo").file(SOURCE, "pub fn ok() -> u32 {\n    1\n}\n");
    let git = git2::Repository::init_opts(
        g.root(),
        git2::RepositoryInitOptions::new().initial_head("main"),
    )
    .expect("git init");
    let mut index = git.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let who = git2::Signature::new(
        "Coder",
        "coder@example.com",
        &git2::Time::new(1_795_000_000, 0),
    )
    .expect("signature");
    git.commit(Some("HEAD"), &who, &who, "demo", &tree, &[])
        .expect("commit");
    g
}

/// Puts `bytes` at each of `roles` in a fresh copy of the demo and runs every command.
fn exercise(name: &str, bytes: &[u8], roles: &[&str]) {
    let mut slowest = (Duration::ZERO, String::new());
    for role in roles {
        let g = demo_repo().file(role, bytes);
        for o in run_all(g.root(), &readers_of(role)) {
            if o.elapsed > slowest.0 {
                slowest = (
                    o.elapsed,
                    format!("`gov {}` with it at {role}", o.args.join(" ")),
                );
            }
        }
    }
    eprintln!("hostile {name}: slowest {:?}, {}", slowest.0, slowest.1);
}

fn demo_packet() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/demo")
            .join(PACKET),
    )
    .expect("demo packet")
}

/// A fixed-seed byte generator (splitmix64), so failures reproduce.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

#[test]
fn empty_documents() {
    exercise("empty", b"", EVERY_ROLE);
}

#[test]
fn nul_bytes() {
    let mut doc = demo_packet();
    for i in (0..doc.len()).step_by(7) {
        doc[i] = 0;
    }
    doc.extend(std::iter::repeat_n(0u8, 10_000));
    exercise("nul bytes", &doc, EVERY_ROLE);
}

#[test]
fn invalid_utf8() {
    let mut doc = Vec::new();
    for line in demo_packet().split(|&b| b == b'\n') {
        doc.extend_from_slice(b"\xFF\xFE");
        doc.extend_from_slice(line);
        doc.extend_from_slice(b"\xC3\n"); // a truncated sequence before the newline
    }
    doc.extend(bytes(7, 20_000));
    exercise("invalid UTF-8", &doc, EVERY_ROLE);
}

#[test]
fn unbalanced_fences() {
    let mut doc = String::from("# Task Packet: WP-1-Token-Validation\n");
    for i in 0..20_000 {
        let fence = if i % 3 == 0 { "~" } else { "`" };
        doc.push_str(&fence.repeat(3 + i % 5));
        doc.push_str(if i % 7 == 0 { "rust\n" } else { "\n" });
        if i % 11 == 0 {
            doc.push_str("## 2.1 Heading between fences\n- STATUS: Ready-for-Dev\n");
        }
    }
    doc.push_str("````\nnever closed\n");
    exercise("unbalanced fences", doc.as_bytes(), EVERY_ROLE);
}

#[test]
fn a_table_line_of_100k_pipes() {
    let mut doc = String::from("## Consumed Signatures\n\n| Signature | Used By |\n|---|---|\n");
    doc.push_str(&"|".repeat(100_000));
    doc.push('\n');
    doc.push_str(&"| a `b|c` \\| ".repeat(10_000));
    doc.push('\n');
    exercise("100k pipes", doc.as_bytes(), EVERY_ROLE);
}

#[test]
fn a_list_nested_thousands_deep() {
    // one line opening 5,000 lists, then 2,000 levels written one per line
    let mut doc = "- ".repeat(5_000);
    doc.push_str("IN_SCOPE_PATHS: x\n\n");
    for depth in 0..2_000 {
        doc.push_str(&"  ".repeat(depth));
        doc.push_str("- DONE_MEANS: item\n");
    }
    exercise("nested lists", doc.as_bytes(), EVERY_ROLE);
}

#[test]
fn tens_of_thousands_of_nested_block_quotes() {
    let mut doc = ">".repeat(50_000);
    doc.push_str(" - STATUS: x\n\n");
    for depth in 1..2_000 {
        doc.push_str(&"> ".repeat(depth));
        doc.push_str("Key: value\n");
    }
    exercise("nested block quotes", doc.as_bytes(), EVERY_ROLE);
}

#[test]
fn inline_pathologies() {
    // unmatched brackets, emphasis and link openers: quadratic in naive parsers
    let mut doc = "[".repeat(30_000);
    doc.push('\n');
    doc.push_str(&"*a _b ".repeat(30_000));
    doc.push('\n');
    doc.push_str(&"[a](".repeat(30_000));
    doc.push('\n');
    doc.push_str(&"`".repeat(30_000));
    doc.push('\n');
    doc.push_str(&"<a ".repeat(30_000));
    doc.push('\n');
    exercise("inline pathologies", doc.as_bytes(), EVERY_ROLE);
}

#[test]
fn fifty_thousand_field_lines() {
    // every line opens a field: field bodies must not be found by rescanning the rest
    // (50,000 lines is quadratic enough to take minutes, linear takes a second)
    let doc = "Key: value\n".repeat(50_000);
    exercise("50k field lines", doc.as_bytes(), MARKDOWN_ROLES);
    let doc = "- Key: value\n".repeat(50_000);
    exercise("50k field items", doc.as_bytes(), MARKDOWN_ROLES);
}

#[test]
fn a_spec_with_200k_headings() {
    let headings = |n: usize| {
        let mut doc = String::with_capacity(n * 32);
        for i in 0..n {
            doc.push_str(&"#".repeat(1 + i % 6));
            doc.push_str(&format!(" 2.{}.{} Heading [CX-{i}]\n", i / 100, i % 100));
        }
        doc
    };
    exercise("200k headings", headings(200_000).as_bytes(), &[SPEC]);
    // every heading of a packet or board is a field or section: 20,000 of them
    exercise("20k headings", headings(20_000).as_bytes(), MARKDOWN_ROLES);
}

#[test]
fn a_50_mb_packet() {
    let mut doc = demo_packet();
    let filler = b"- x | y `z` **w** [CX-1] 2.3.4 WP-1-Other\n";
    while doc.len() < 50 << 20 {
        doc.extend_from_slice(filler);
    }
    let g = Gov::example("demo").file(PACKET, &doc);
    for args in [["pre-work", ID], ["show", ID]] {
        let o = bounded::run(g.root(), &[args[0], args[1], "--format", "json"], DEADLINE);
        let json = o.assert_json_contract();
        assert_eq!(
            json["diagnostics"][0]["code"], "GOV002",
            "refused as too large"
        );
        assert_eq!(json["diagnostics"][0]["path"], PACKET);
    }
    // Markdown documents are refused unread; the spec index and the scanner read it
    exercise(
        "50 MB document",
        &doc,
        &[PACKET, BOARD, REFINEMENT, AUDIT, POINTER, SPEC, SOURCE],
    );
}

/// Replaces a document with a directory of the same name.
fn as_directory(g: Gov, path: &str) -> Gov {
    let full = g.root().join(path);
    if full.is_file() {
        std::fs::remove_file(&full).expect("rm");
    }
    std::fs::create_dir_all(full).expect("mkdir");
    g
}

#[test]
fn documents_that_are_directories() {
    for role in EVERY_ROLE {
        let g = as_directory(demo_repo(), role);
        for o in every_command(g.root()) {
            let json = o.assert_json_contract();
            if o.code == Some(2) {
                let d = &json["diagnostics"][0];
                assert!(
                    d["path"] == *role || d["code"] != "GOV002",
                    "a directory is named as the unreadable document: {d}"
                );
            }
        }
    }
}

#[test]
fn a_board_that_is_a_directory_is_a_located_exit_2() {
    let g = as_directory(Gov::example("demo"), BOARD);
    let o = bounded::run(g.root(), &["pre-work", ID, "--format", "json"], DEADLINE);
    let json = o.assert_json_contract();
    assert_eq!(o.code, Some(2));
    assert_eq!(json["diagnostics"][0]["code"], "GOV002");
    assert_eq!(json["diagnostics"][0]["path"], BOARD);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_packets_folder() {
    use std::os::unix::fs::symlink;
    let g = demo_repo();
    let packets = g.root().join("docs/task_packets");
    symlink("WP-1-Loop.md", packets.join("WP-1-Loop.md")).expect("self loop");
    symlink("WP-1-Ping.md", packets.join("WP-1-Pong.md")).expect("loop a");
    symlink("WP-1-Pong.md", packets.join("WP-1-Ping.md")).expect("loop b");
    symlink(".", packets.join("WP-1-Here")).expect("folder loop");
    symlink("..", packets.join("WP-1-Up")).expect("parent loop");
    every_command(g.root());
    for id in ["WP-1-Loop", "WP-1-Ping", "WP-1-Here"] {
        let o = bounded::run(g.root(), &["pre-work", id, "--format", "json"], DEADLINE);
        let json = o.assert_json_contract();
        assert_eq!(o.code, Some(2), "{}", o.stdout);
        assert!(json["diagnostics"][0]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("docs/task_packets")));
    }
    let o = bounded::run(
        g.root(),
        &["signatures", "verify", "--format", "json"],
        DEADLINE,
    );
    o.assert_json_contract();
}
