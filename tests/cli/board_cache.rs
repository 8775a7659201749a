//! The board's facts in the persistent cache (`.git/gov/cache/board.cache`): a warm
//! run answers exactly as a cold one, every change to the board is seen, a damaged,
//! foreign or forged record is a cold run, and a board that warns warns on every run.

use crate::support::Gov;
use serde_json::Value;

const BOARD: &str = "docs/TASK_BOARD.md";
const STORE: &str = ".git/gov/cache/board.cache";
const GAMMA_LINE: &str = "- [WP-2-Gamma] Started 2026-11-10, by coder-a\n";

/// The board fixture in a git work tree, with the cache on.
fn cached() -> Gov {
    let g = Gov::fixture("board-clean");
    git2::Repository::init(g.root()).expect("git init");
    g.env("GOV_NO_CACHE", "0")
}

/// One run: exit code, JSON without the cache member, and the cache counts (hits,
/// misses, writes, rejected files).
struct Answer {
    code: i32,
    json: Value,
    counts: (u64, u64, u64, u64),
}

fn run(g: &Gov, args: &[&str]) -> Answer {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let r = g.run_with(&all);
    let mut json = r.json();
    let cache = json
        .as_object_mut()
        .and_then(|o| o.remove("cache"))
        .unwrap_or(Value::Null);
    let n = |k: &str| cache[k].as_u64().unwrap_or(u64::MAX);
    Answer {
        code: r.code,
        json,
        counts: (n("hits"), n("misses"), n("writes"), n("rejected_files")),
    }
}

/// `board-check`'s answer and counts, after checking it against a run without the
/// cache.
fn board_check(g: &Gov) -> Answer {
    let a = run(g, &["board-check"]);
    let truth = run(g, &["board-check", "--no-cache"]);
    assert_eq!(
        (a.code, &a.json),
        (truth.code, &truth.json),
        "as a cold parse"
    );
    a
}

fn set_mtime(g: &Gov, rel: &str, secs: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(g.root().join(rel))
        .expect("open");
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .expect("touch");
}

#[test]
fn every_read_only_command_answers_from_the_cached_board_as_from_a_parse() {
    let g = cached();
    for args in [
        &["board-check"][..],
        &["status"],
        &["phase-gate", "Phase-2"],
        &["graph"],
    ] {
        let cold = run(&g, args);
        let warm = run(&g, args);
        let off = run(&g, &[args, &["--no-cache"]].concat());
        assert_eq!((warm.code, &warm.json), (cold.code, &cold.json), "{args:?}");
        assert_eq!((off.code, &off.json), (cold.code, &cold.json), "{args:?}");
        assert_eq!(warm.counts.1, 0, "{args:?}: nothing parsed when warm");
    }
    assert!(g.root().join(STORE).is_file());
}

#[test]
fn board_edits_touches_replacements_and_renames_are_seen() {
    let g = cached();
    let clean = board_check(&g);
    assert_eq!(clean.code, 0);
    // an edit: a WP without a packet appears on the board
    let ghost = format!("{GAMMA_LINE}- [WP-2-Ghost] Started 2026-11-10\n");
    let g = g.replace(BOARD, GAMMA_LINE, &ghost);
    let edited = board_check(&g);
    assert_ne!(edited.json, clean.json);
    assert_eq!(edited.counts.1, 1, "only the board is parsed again");
    // the old text put back: parsed again, the clean answer
    let g = g.replace(BOARD, &ghost, GAMMA_LINE);
    assert_eq!(board_check(&g).json, clean.json);
    // touched only: parsed again, same answer, then warm
    set_mtime(&g, BOARD, 1_700_000_000);
    let touched = board_check(&g);
    assert_eq!((touched.json, touched.counts.1), (clean.json.clone(), 1));
    assert_eq!(board_check(&g).counts.1, 0);
    // same length, mtime put back: only ctime and the hash tell
    let g = g.replace(BOARD, "[WP-2-Delta] Ready", "[WP-2-Delte] Ready");
    set_mtime(&g, BOARD, 1_700_000_000);
    let same_size = board_check(&g);
    assert_ne!(same_size.json, clean.json);
    let g = g.replace(BOARD, "[WP-2-Delte] Ready", "[WP-2-Delta] Ready");
    assert_eq!(board_check(&g).json, clean.json);
    // replaced by a file renamed over it
    let text = std::fs::read_to_string(g.root().join(BOARD)).expect("board");
    let g = g.file("docs/board.tmp", text.replace(GAMMA_LINE, &ghost));
    std::fs::rename(g.root().join("docs/board.tmp"), g.root().join(BOARD)).expect("rename");
    assert_eq!(board_check(&g).json, edited.json);
    // renamed away: no board, never the cached one
    std::fs::rename(g.root().join(BOARD), g.root().join("docs/BOARD.md")).expect("rename");
    assert_eq!(run(&g, &["board-check"]).code, 2);
    // named at its new path: read there, and its diagnostics say so
    let config = std::fs::read_to_string(g.root().join("gov.yaml")).expect("config");
    let g = g.file(
        "gov.yaml",
        format!("{config}paths:\n  task_board: docs/BOARD.md\n"),
    );
    let moved = board_check(&g);
    assert_eq!(moved.counts.1, 1);
    assert!(moved.json.to_string().contains("docs/BOARD.md"));
    assert!(!moved.json.to_string().contains(BOARD));
}

/// The cache file with `body` as its body, under its own header and a good checksum.
fn with_body(bytes: &[u8], body: &[u8]) -> Vec<u8> {
    let schema_end = bytes.iter().position(|&b| b == b'\n').expect("schema line");
    let head = format!(
        "{}\n{:016x}\n",
        String::from_utf8_lossy(&bytes[..schema_end]),
        xxhash_rust::xxh3::xxh3_64(body)
    );
    [head.as_bytes(), body].concat()
}

#[test]
fn a_damaged_foreign_or_forged_board_record_is_a_cold_run() {
    let g = cached();
    let cold = board_check(&g);
    let store = g.root().join(STORE);
    let good = std::fs::read(&store).expect("board store");
    let body_at = good
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(1)
        .expect("header")
        .0
        + 1;
    let body = good[body_at..].to_vec();
    let mut flipped = good.clone();
    *flipped.last_mut().expect("bytes") ^= 0x55;
    // the header of another gov version, the body as it was
    let foreign = [
        &b"gov 0.0.0 cache 4 board binary\n"[..],
        &good[body_at - 17..],
    ]
    .concat();
    for damaged in [
        flipped,
        good[..good.len() / 2].to_vec(),
        b"garbage".to_vec(),
        foreign,
    ] {
        std::fs::write(&store, damaged).expect("write");
        let a = board_check(&g);
        assert_eq!((a.json, a.counts.1, a.counts.3), (cold.json.clone(), 1, 1));
    }
    assert_eq!(board_check(&g).counts.1, 0, "written whole again");
    // forged with a good checksum: the record's section count past its bytes, then
    // an entry's section index past the sections (the one slot's value starts at
    // the offset in its slot, bytes 8..12 after the slot count)
    let value_at = u32::from_le_bytes(body[12..16].try_into().expect("offset")) as usize;
    let mut lying = body.clone();
    lying[value_at..value_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut misplaced = body.clone();
    let gamma = misplaced
        .windows(10)
        .position(|w| w == b"WP-2-Gamma")
        .expect("an entry");
    // after the id come its line, its column and its section index
    misplaced[gamma + 18..gamma + 22].copy_from_slice(&999u32.to_le_bytes());
    for forged in [lying, misplaced] {
        std::fs::write(&store, with_body(&good, &forged)).expect("write");
        let a = board_check(&g);
        assert_eq!((a.json, a.counts.1, a.counts.3), (cold.json.clone(), 1, 0));
    }
}

#[test]
fn a_board_that_warns_warns_the_same_warm_and_cold() {
    let text = Gov::fixture_text("board-clean", BOARD);
    // an unknown status, a line naming a WP that is no entry, a lookalike hyphen
    let warned = text.replace(
        "## Ready for Validation\n",
        "## Ready for Validation\n\n- [WP-2-Delta] - waiting\n  - Status: [SHELVED]\n\n\
         See WP-2-Gamma first.\n- [WP\u{2011}2\u{2011}Gamma] - review\n",
    );
    let conflicted = format!("{warned}\n<<<<<<< ours\n- [WP-2-Delta] x\n=======\n>>>>>>> theirs\n");
    let mut lossy = warned.clone().into_bytes();
    lossy.extend_from_slice(b"\nNotes: caf\xE9\n");
    let unclosed = format!("{warned}\n<!-- a comment that never closes\n");
    let cases: [(Vec<u8>, &[&str], bool); 4] = [
        (warned.into_bytes(), &["BRD001", "BRD016", "BRD020"], true),
        (conflicted.into_bytes(), &["GOV040"], true),
        (lossy, &["GOV006"], true),
        (unclosed.into_bytes(), &["GOV042"], false),
    ];
    for (body, codes, kept) in cases {
        let g = cached().file(BOARD, &body);
        let cold = board_check(&g);
        let warm = board_check(&g);
        let found = cold.json.to_string();
        for code in codes {
            assert!(found.contains(code), "{code} in {found}");
        }
        assert_eq!(
            (warm.code, &warm.json),
            (cold.code, &cold.json),
            "{codes:?}"
        );
        let parsed = if kept { 0 } else { 1 };
        assert_eq!(warm.counts.1, parsed, "{codes:?}: cached: {kept}");
    }
}
