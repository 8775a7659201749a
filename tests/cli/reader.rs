//! The tolerant Markdown reader, measured: for every Markdown fixture (packets,
//! boards, audits, refinements, pointers; specs have their own index), the sections
//! gov sees, its code blocks, comments, conflict markers and the reader's warnings
//! are pinned by one snapshot per fixture folder. The damaged shapes of FORMATS.md
//! ("Markdown damage") live in `tests/fixtures/markdown/`, each also read through
//! the model to show the values a reader sees.

use gov::markdown::{LineKind, MdDoc};
use gov::model::board::Board;
use gov::model::packet::{Packet, SignatureValue, Verdict};
use gov::model::status::StatusKind;
use gov::model::wp_id::WpId;
use gov::text::Source;
use std::fmt::Write as _;
use std::path::Path;

fn is_spec(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.starts_with("Master_Spec") || name == "spec.md"
}

/// Every Markdown file of one fixture folder, sorted, spec files left out.
fn markdown_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel.ends_with(".md") && !is_spec(&rel)).then_some(rel)
        })
        .collect();
    out.sort();
    out
}

/// Consecutive line numbers (1-based) as `a-b` ranges.
fn ranges(lines: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        let start = lines[k];
        while k + 1 < lines.len() && lines[k + 1] == lines[k] + 1 {
            k += 1;
        }
        out.push(if lines[k] == start {
            format!("{start}")
        } else {
            format!("{start}-{}", lines[k])
        });
        k += 1;
    }
    out.join(", ")
}

/// What gov sees in one document.
fn outline(rel: &str, bytes: &[u8]) -> String {
    let doc = MdDoc::parse(Source::from_bytes(rel, bytes));
    let mut s = format!("== {rel} ({} lines)\n", doc.lines.len());
    for (i, l) in doc.lines.iter().enumerate() {
        if let LineKind::Heading(level) = l.kind {
            if i > 0 && doc.lines[i - 1].kind == l.kind {
                continue; // a setext heading's underline
            }
            let title = doc.content(i).trim().escape_debug().to_string();
            let _ = writeln!(s, "  {:>4}  {} {title}", i + 1, "#".repeat(level as usize));
        }
    }
    for b in &doc.code_blocks {
        let _ = writeln!(
            s,
            "  code {}..{} {}",
            b.lines.start + 1,
            b.lines.end,
            b.lang.as_deref().unwrap_or("-")
        );
    }
    for (kind, name) in [
        (LineKind::Comment, "comment"),
        (LineKind::Conflict, "conflict"),
    ] {
        let lines: Vec<usize> = (0..doc.lines.len())
            .filter(|&i| doc.lines[i].kind == kind)
            .map(|i| i + 1)
            .collect();
        if !lines.is_empty() {
            let _ = writeln!(s, "  {name} lines {}", ranges(&lines));
        }
    }
    for d in &doc.issues {
        let _ = writeln!(
            s,
            "  {} line {}: {}",
            d.code,
            d.line.unwrap_or(0),
            d.message
        );
    }
    s
}

#[test]
fn sections_of_every_fixture() {
    let root = crate::support::fixtures_dir();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != "fuzz-regressions" && n != "generated")
        .collect();
    dirs.sort();
    for dir in dirs {
        let files = markdown_files(&root.join(&dir));
        if files.is_empty() {
            continue;
        }
        let mut text = String::new();
        for rel in files {
            let bytes = std::fs::read(root.join(&dir).join(&rel)).expect("fixture");
            text.push_str(&outline(&rel, &bytes));
        }
        insta::assert_snapshot!(format!("sections_{dir}"), text);
    }
}

fn fixture_packet(id: &str) -> Packet {
    let rel = format!("markdown/packets/{id}.md");
    let bytes = std::fs::read(crate::support::fixtures_dir().join(&rel)).expect("fixture");
    Packet::parse(WpId::parse(id).unwrap(), Source::from_bytes(rel, &bytes))
}

fn values(v: Vec<gov::text::Spanned<String>>) -> Vec<String> {
    v.into_iter().map(|s| s.value).collect()
}

#[test]
fn indented_fence_keeps_the_sections_after_it() {
    let p = fixture_packet("WP-1-Indented-Fence");
    assert_eq!(
        values(p.in_scope_paths()),
        ["src/parser/mod.rs", "src/parser/tokens.rs"]
    );
    assert_eq!(
        values(p.test_plan()),
        [
            "cargo test -p parser",
            "cargo clippy -p parser -- -D warnings"
        ]
    );
    assert_eq!(p.last_verdict().map(|v| v.value), Some(Verdict::Pass));
    assert_eq!(values(p.done_means()), ["The parser reads nested lists."]);
    assert!(p.doc.issues.is_empty());
}

#[test]
fn mangled_opener_is_read_as_code() {
    let p = fixture_packet("WP-1-Mangled-Opener");
    assert_eq!(
        values(p.test_plan()),
        ["cargo test -p widgets", "cargo fmt --check"]
    );
    let runs = values(p.bootstrap().run_commands);
    assert_eq!(runs, ["cargo build"]);
    assert!(p.field(&["VALIDATION"]).is_some());
}

#[test]
fn unclosed_fence_recovers_at_the_next_heading_and_warns() {
    let p = fixture_packet("WP-1-Unclosed-Fence");
    assert_eq!(
        values(p.test_plan()),
        [
            "cargo test -p storage",
            "cargo test -p storage -- --ignored"
        ]
    );
    assert_eq!(
        values(p.done_means()),
        ["Storage survives a crash mid-write."]
    );
    let issues: Vec<_> = p.doc.issues.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(issues, [("GOV041", Some(9))]);
}

#[test]
fn a_verdict_in_a_comment_does_not_count() {
    let p = fixture_packet("WP-1-Comment-Verdict");
    let verdicts: Vec<_> = p.verdicts().into_iter().map(|v| v.value).collect();
    assert_eq!(verdicts, [Verdict::Fail]);
    assert!(!p.is_validated());
    assert_eq!(
        p.status().map(|s| s.value.kind),
        Some(Some(StatusKind::Done))
    );
    assert_eq!(
        p.signature().map(|s| s.value),
        Some(SignatureValue::Given("alice110220262332".into()))
    );
}

#[test]
fn a_heading_or_field_in_a_comment_is_not_there() {
    let p = fixture_packet("WP-1-Comment-Heading");
    assert!(p.field(&["DONE_MEANS"]).is_none());
    assert!(p.field(&["TEST_PLAN"]).is_none());
    assert!(p.signature().is_none());
    assert_eq!(values(p.in_scope_paths()), ["src/lib.rs"]);
}

#[test]
fn cr_only_packet_has_its_lines() {
    let p = fixture_packet("WP-1-Cr-Only");
    assert_eq!(p.doc.lines.len(), 19);
    assert_eq!(values(p.in_scope_paths()), ["src/cr.rs"]);
    assert_eq!(values(p.test_plan()), ["cargo test"]);
    assert_eq!(
        p.status().map(|s| s.value.kind),
        Some(Some(StatusKind::ReadyForDev))
    );
}

#[test]
fn board_comment_entries_are_not_entries() {
    let bytes = std::fs::read(crate::support::fixtures_dir().join("markdown/TASK_BOARD.md"))
        .expect("fixture");
    let (board, source) = Board::parse_keeping_text(Source::from_bytes("TASK_BOARD.md", &bytes));
    let ids: Vec<String> = board.entries.iter().map(|e| e.id.to_string()).collect();
    assert!(!ids.contains(&"WP-1-Hidden".to_string()), "{ids:?}");
    assert!(ids.contains(&"WP-1-Delta".to_string()), "{ids:?}");
    assert_eq!(
        gov::markdown::conflicts(&source),
        [gov::markdown::Conflict {
            line: 7,
            end: Some(11)
        }]
    );
}

const CONFLICTED_ROWS: &str = "<<<<<<< HEAD\n| maria020320260915 | Orchestrator | 2026-03-02 09:15 UTC | Packet creation: WP-1-Storage-Trait | v1.0 | docs/task_packets/WP-1-Storage-Trait.md |\n=======\n| maria020320260916 | Orchestrator | 2026-03-02 09:16 UTC | Packet creation: WP-1-Storage-Trait | v1.0 | docs/task_packets/WP-1-Storage-Trait.md |\n>>>>>>> other\n";

#[test]
fn a_conflicted_board_is_an_error_with_its_line() {
    let board = "docs/TASK_BOARD.md";
    let text = crate::support::Gov::fixture_text("prework", board);
    let conflicted = text.replacen(
        "## 🚨 Phase 1",
        "<<<<<<< HEAD\n- [WP-1-Storage-Trait] ours\n=======\n- [WP-1-Storage-Trait] theirs\n>>>>>>> topic\n\n## 🚨 Phase 1",
        1,
    );
    let run = crate::support::Gov::fixture("prework")
        .file(board, &conflicted)
        .args(&["board-check", "--format", "json"])
        .run();
    run.expect_code(1);
    let json = run.json();
    let hit = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "GOV040")
        .expect("GOV040 reported");
    assert_eq!(hit["line"], 6);
    assert_eq!(hit["severity"], "error");
    // the same board without the markers has no GOV040
    let clean = crate::support::Gov::fixture("prework")
        .args(&["board-check", "--format", "json"])
        .run();
    assert!(!clean.codes().contains(&"GOV040".to_string()));
}

#[test]
fn writers_refuse_a_conflicted_board() {
    let board = "docs/TASK_BOARD.md";
    let text = crate::support::Gov::fixture_text("prework", board);
    let conflicted =
        format!("{text}\n<<<<<<< HEAD\n- [WP-1-X] a\n=======\n- [WP-1-Y] b\n>>>>>>> topic\n");
    let run = crate::support::Gov::fixture("prework")
        .file(board, &conflicted)
        .args(&["create-task-packet", "WP-1-Audit-Log", "--format", "json"])
        .run();
    run.expect_code(2);
    assert!(run.codes().contains(&"GOV040".to_string()));
    assert_eq!(run.read(board), conflicted, "the board is left as it was");
    assert!(!run
        .root
        .join("docs/task_packets/WP-1-Audit-Log.md")
        .exists());
}

#[test]
fn writers_refuse_a_conflicted_audit() {
    let audit = "docs/SIGNATURE_AUDIT.md";
    let text = crate::support::Gov::fixture_text("sig-basic", audit);
    let row = text
        .lines()
        .find(|l| l.starts_with("| maria"))
        .expect("a row")
        .to_string();
    let conflicted = text.replacen(&format!("{row}\n"), CONFLICTED_ROWS, 1);
    let run = crate::support::Gov::fixture("sig-basic")
        .file(audit, &conflicted)
        .args(&[
            "record-signature",
            "WP-1-Login-Endpoint",
            "maria211120261100",
            "--format",
            "json",
        ])
        .run();
    run.expect_code(2);
    assert!(run.codes().contains(&"GOV040".to_string()));
    assert_eq!(run.read(audit), conflicted, "the audit is left as it was");
}
