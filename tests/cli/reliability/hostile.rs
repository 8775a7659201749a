//! Hostile documents: every command answers 0, 1 or 2 within the deadline, with one
//! JSON document and a located diagnostic, whatever a governance document holds —
//! huge, deeply nested, binary, empty, a directory, a link loop or a link out of the
//! repository. Documents are generated here, never committed.

use super::bounded::{self, Outcome, DEADLINE};
use super::documents::{self, commands, readers_of, Hostile, BOARD, EVERY_ROLE, ID, PACKET};
use crate::support::Gov;
use std::path::Path;
use std::time::Duration;

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

/// A copy of the demo, committed on `main` in a fresh git repository.
pub fn demo_repo() -> Gov {
    let g = Gov::new();
    documents::demo_into(g.root());
    g
}

/// Puts the document at each of its roles in a fresh copy of the demo and runs the
/// commands that read it.
fn exercise(doc: Hostile) {
    let mut slowest = (Duration::ZERO, String::new());
    for role in doc.roles {
        let g = demo_repo().file(role, &doc.bytes);
        for o in run_all(g.root(), &readers_of(role)) {
            if o.elapsed > slowest.0 {
                slowest = (
                    o.elapsed,
                    format!("`gov {}` with it at {role}", o.args.join(" ")),
                );
            }
        }
    }
    eprintln!(
        "hostile {}: slowest {:?}, {}",
        doc.name, slowest.0, slowest.1
    );
}

#[test]
fn empty_documents() {
    exercise(documents::empty());
}

#[test]
fn nul_bytes() {
    exercise(documents::nul_bytes());
}

#[test]
fn invalid_utf8() {
    exercise(documents::invalid_utf8());
}

#[test]
fn unbalanced_fences() {
    exercise(documents::unbalanced_fences());
}

#[test]
fn a_table_line_of_100k_pipes() {
    exercise(documents::pipes());
}

#[test]
fn a_list_nested_thousands_deep() {
    exercise(documents::nested_lists());
}

#[test]
fn tens_of_thousands_of_nested_block_quotes() {
    exercise(documents::nested_quotes());
}

#[test]
fn inline_pathologies() {
    exercise(documents::inline_pathologies());
}

#[test]
fn fifty_thousand_field_lines() {
    exercise(documents::field_lines());
    exercise(documents::field_items());
}

#[test]
fn a_spec_with_200k_headings() {
    exercise(documents::spec_headings());
    exercise(documents::markdown_headings());
}

#[test]
fn source_that_stresses_the_token_view_and_inner_attributes() {
    exercise(documents::scan_evasion_stress());
}

#[test]
fn a_50_mb_packet() {
    let doc = documents::fifty_mb();
    let g = demo_repo().file(PACKET, &doc.bytes);
    for args in [["pre-work", ID], ["show", ID]] {
        let o = bounded::run(g.root(), &[args[0], args[1], "--format", "json"], DEADLINE);
        let json = o.assert_json_contract();
        assert_eq!(
            json["diagnostics"][0]["code"], "GOV002",
            "refused as too large"
        );
        assert_eq!(json["diagnostics"][0]["path"], PACKET);
    }
    exercise(doc);
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

#[test]
fn board_check_on_a_rewritten_board_answers() {
    // found by the empty-board case: libgit2 blamed the new text with a hunk of
    // wrapped-around length, and the SLA dates loop ran (practically) forever
    let g = demo_repo().file(
        BOARD,
        "\n## Ready for Dev\n\n- [WP-1-Hostile-New] Ready-for-Dev\n",
    );
    let o = bounded::run(g.root(), &["board-check", "--format", "json"], DEADLINE);
    o.assert_json_contract();
}
