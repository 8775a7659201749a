//! Hostile documents, the demo repository they are put into, and the commands that
//! read each document. Shared by the hostile-document tests (debug build, deadlines
//! as hang guards) and the release-mode benchmark `benches/reliability.rs` (the
//! figures in docs/reliability.md), so both measure the same thing.

// the benchmark uses only part of this file
#![allow(dead_code)]

use std::path::Path;

/// The demo's unsigned Ready-for-Dev packet: every command has work to do on it.
pub const ID: &str = "WP-1-Token-Validation";
pub const PACKET: &str = "docs/task_packets/WP-1-Token-Validation.md";
pub const REFINEMENT: &str = "docs/refinements/WP-1-Token-Validation.md";
pub const BOARD: &str = "docs/TASK_BOARD.md";
pub const SPEC: &str = "Master_Spec_v1.1.md";
pub const AUDIT: &str = "docs/SIGNATURE_AUDIT.md";
pub const POINTER: &str = "docs/SPEC_CURRENT.md";
pub const CONFIG: &str = "gov.yaml";
/// Production code, for validator-scan.
pub const SOURCE: &str = "src/lib.rs";

/// Where a hostile document is put.
pub const EVERY_ROLE: &[&str] = &[
    PACKET, REFINEMENT, BOARD, SPEC, AUDIT, POINTER, CONFIG, SOURCE,
];
pub const MARKDOWN_ROLES: &[&str] = &[PACKET, REFINEMENT, BOARD];

/// Every command, with the arguments that make it read the demo's documents, and
/// the documents it reads (a hostile document is run through those commands).
pub fn commands() -> Vec<(Vec<&'static str>, &'static [&'static str])> {
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
        (vec!["spec-regression"], &[SPEC, POINTER, PACKET, CONFIG]),
        (vec!["board-check"], &[BOARD, PACKET, CONFIG]),
        (vec!["phase-gate", "1"], &[BOARD, PACKET, SPEC, POINTER]),
        (vec!["status"], &[BOARD, PACKET, AUDIT]),
    ]
}

/// The commands that read the document at `role`.
pub fn readers_of(role: &str) -> Vec<Vec<&'static str>> {
    commands()
        .into_iter()
        .filter(|(_, reads)| reads.contains(&role))
        .map(|(c, _)| c)
        .collect()
}

/// Writes the demo repository into `dir` (with a small `src/lib.rs`) and commits it
/// on `main` in a fresh git repository (built with git2), so post-work has history.
pub fn demo_into(dir: &Path) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    for entry in walkdir::WalkDir::new(&demo).min_depth(1) {
        let entry = entry.expect("walk demo");
        let dest = dir.join(entry.path().strip_prefix(&demo).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
    std::fs::create_dir_all(dir.join("src")).expect("mkdir src");
    std::fs::write(dir.join(SOURCE), "pub fn ok() -> u32 {\n    1\n}\n").expect("write");
    let git =
        git2::Repository::init_opts(dir, git2::RepositoryInitOptions::new().initial_head("main"))
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

/// A hostile document and where it is put.
pub struct Hostile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub roles: &'static [&'static str],
}

pub fn demo_packet() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/demo")
            .join(PACKET),
    )
    .expect("demo packet")
}

pub fn empty() -> Hostile {
    Hostile {
        name: "empty file",
        bytes: Vec::new(),
        roles: EVERY_ROLE,
    }
}

pub fn nul_bytes() -> Hostile {
    let mut doc = demo_packet();
    for i in (0..doc.len()).step_by(7) {
        doc[i] = 0;
    }
    doc.extend(std::iter::repeat_n(0u8, 10_000));
    Hostile {
        name: "NUL bytes",
        bytes: doc,
        roles: EVERY_ROLE,
    }
}

pub fn invalid_utf8() -> Hostile {
    let mut doc = Vec::new();
    for line in demo_packet().split(|&b| b == b'\n') {
        doc.extend_from_slice(b"\xFF\xFE");
        doc.extend_from_slice(line);
        doc.extend_from_slice(b"\xC3\n"); // a truncated sequence before the newline
    }
    doc.extend(bytes(7, 20_000));
    Hostile {
        name: "invalid UTF-8",
        bytes: doc,
        roles: EVERY_ROLE,
    }
}

pub fn unbalanced_fences() -> Hostile {
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
    Hostile {
        name: "20,000 unbalanced fences",
        bytes: doc.into_bytes(),
        roles: EVERY_ROLE,
    }
}

pub fn pipes() -> Hostile {
    let mut doc = String::from("## Consumed Signatures\n\n| Signature | Used By |\n|---|---|\n");
    doc.push_str(&"|".repeat(100_000));
    doc.push('\n');
    doc.push_str(&"| a `b|c` \\| ".repeat(10_000));
    doc.push('\n');
    Hostile {
        name: "a table line of 100,000 pipes",
        bytes: doc.into_bytes(),
        roles: EVERY_ROLE,
    }
}

pub fn nested_lists() -> Hostile {
    // one line opening 5,000 lists, then 2,000 levels written one per line
    let mut doc = "- ".repeat(5_000);
    doc.push_str("IN_SCOPE_PATHS: x\n\n");
    for depth in 0..2_000 {
        doc.push_str(&"  ".repeat(depth));
        doc.push_str("- DONE_MEANS: item\n");
    }
    Hostile {
        name: "lists nested 5,000 deep",
        bytes: doc.into_bytes(),
        roles: EVERY_ROLE,
    }
}

pub fn nested_quotes() -> Hostile {
    let mut doc = ">".repeat(50_000);
    doc.push_str(" - STATUS: x\n\n");
    for depth in 1..2_000 {
        doc.push_str(&"> ".repeat(depth));
        doc.push_str("Key: value\n");
    }
    Hostile {
        name: "50,000 nested block quotes",
        bytes: doc.into_bytes(),
        roles: EVERY_ROLE,
    }
}

pub fn inline_pathologies() -> Hostile {
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
    Hostile {
        name: "30,000 unmatched brackets, emphasis, links, ticks",
        bytes: doc.into_bytes(),
        roles: EVERY_ROLE,
    }
}

/// Every line opens a field: field bodies must not be found by rescanning the rest
/// (50,000 lines is quadratic enough to take minutes; linear takes a second).
pub fn field_lines() -> Hostile {
    Hostile {
        name: "50,000 `Key: value` lines",
        bytes: "Key: value\n".repeat(50_000).into_bytes(),
        roles: MARKDOWN_ROLES,
    }
}

pub fn field_items() -> Hostile {
    Hostile {
        name: "50,000 `- Key: value` items",
        bytes: "- Key: value\n".repeat(50_000).into_bytes(),
        roles: MARKDOWN_ROLES,
    }
}

fn headings(n: usize) -> Vec<u8> {
    let mut doc = String::with_capacity(n * 32);
    for i in 0..n {
        doc.push_str(&"#".repeat(1 + i % 6));
        doc.push_str(&format!(" 2.{}.{} Heading [CX-{i}]\n", i / 100, i % 100));
    }
    doc.into_bytes()
}

pub fn spec_headings() -> Hostile {
    Hostile {
        name: "a spec with 200,000 headings",
        bytes: headings(200_000),
        roles: &[SPEC],
    }
}

/// Every heading of a packet or board is a field or a section.
pub fn markdown_headings() -> Hostile {
    Hostile {
        name: "20,000 headings",
        bytes: headings(20_000),
        roles: MARKDOWN_ROLES,
    }
}

/// Markdown documents are refused unread; the spec index and the scanner read it.
pub fn fifty_mb() -> Hostile {
    let mut doc = demo_packet();
    let filler = b"- x | y `z` **w** [CX-1] 2.3.4 WP-1-Other\n";
    while doc.len() < 50 << 20 {
        doc.extend_from_slice(filler);
    }
    Hostile {
        name: "50 MB",
        bytes: doc,
        roles: &[PACKET, BOARD, REFINEMENT, AUDIT, POINTER, SPEC, SOURCE],
    }
}

/// A packet just under the Markdown cap (8 MiB), dense with list items, code spans
/// and emphasis: the most a Markdown document can cost (benchmark only; the debug
/// test suite checks a smaller one in `bad_input.rs`).
pub fn at_markdown_cap() -> Hostile {
    let mut doc = demo_packet();
    let filler = b"- x | y `z` **w** [CX-1] 2.3.4 WP-1-Other\n";
    while doc.len() + filler.len() <= 8 << 20 {
        doc.extend_from_slice(filler);
    }
    Hostile {
        name: "a packet of 8 MiB (the Markdown cap)",
        bytes: doc,
        roles: &[PACKET],
    }
}

/// Every hostile document, for the benchmark.
pub fn all() -> Vec<fn() -> Hostile> {
    vec![
        empty,
        nul_bytes,
        invalid_utf8,
        unbalanced_fences,
        pipes,
        nested_lists,
        nested_quotes,
        inline_pathologies,
        field_lines,
        field_items,
        spec_headings,
        markdown_headings,
        at_markdown_cap,
        fifty_mb,
    ]
}

/// Issue 12: source shaped to make the token view, the inner-attribute scope and the
/// JavaScript regex lexing work hard — a million comment-separated tokens before one
/// `!`, fifty thousand nested modules each with `#![cfg(test)]`, and a line of slashes
/// that alternate between division and regex literals.
pub fn scan_evasion_stress() -> Hostile {
    let mut src = String::from("pub fn a() {\n    todo");
    for _ in 0..200_000 {
        src.push_str(" /* */\n");
    }
    src.push_str("!();\n}\n");
    for _ in 0..50_000 {
        src.push_str("mod m { #![cfg(test)] ");
    }
    src.push_str(&"}".repeat(50_000));
    src.push_str("\nfn b() { let q = a / b / c; let r = /[\"'/]/g; }\n");
    src.push_str(&"x = /'/ / 2 / /\"/; ".repeat(20_000));
    Hostile {
        name: "scan evasion stress",
        bytes: src.into_bytes(),
        roles: &[SOURCE],
    }
}
