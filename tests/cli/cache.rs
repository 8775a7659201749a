//! The persistent cache of parsed packets (`.git/gov/cache/`): a warm run answers
//! exactly as a cold one, every change to a packet is seen, a damaged cache or a
//! failed write is a cold run, and the read-only commands write no governance file.

use crate::support::Gov;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const GAMMA: &str = "docs/task_packets/WP-2-Gamma.md";
const STORE: &str = ".git/gov/cache/packets.cache";

/// The board fixture in a git work tree, with the cache on.
fn cached() -> Gov {
    let g = Gov::fixture("board-clean");
    git2::Repository::init(g.root()).expect("git init");
    g.env("GOV_NO_CACHE", "0")
}

fn status(g: &Gov, extra: &[&str]) -> (Value, Value) {
    let mut args = vec!["status", "--format", "json"];
    args.extend_from_slice(extra);
    let run = g.run_with(&args);
    run.expect_code(0);
    let mut json = run.json();
    let cache = json
        .as_object_mut()
        .and_then(|o| o.remove("cache"))
        .unwrap_or(Value::Null);
    (json, cache)
}

fn counts(cache: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| cache[k].as_u64().unwrap_or(u64::MAX);
    (n("hits"), n("misses"), n("writes"), n("write_failures"))
}

fn gamma_state(json: &Value) -> u64 {
    json["counts"]["in_progress"].as_u64().unwrap_or(99)
}

#[test]
fn a_warm_run_answers_like_a_cold_run() {
    let g = cached();
    let (cold, c) = status(&g, &[]);
    // 4 packets, the board and 2 spec versions parsed; the packet, board and spec
    // stores written
    assert_eq!(counts(&c), (0, 7, 3, 0));
    assert!(g.root().join(STORE).is_file());
    let (warm, c) = status(&g, &[]);
    assert_eq!(counts(&c), (7, 0, 0, 0));
    assert_eq!(cold, warm);
    let (off, c) = status(&g, &["--no-cache"]);
    assert_eq!(c, Value::Null, "no cache member when the cache is off");
    assert_eq!(off, warm);
}

#[test]
fn edits_touches_replacements_and_renames_are_seen() {
    let g = cached();
    let (_, _) = status(&g, &[]);
    // an edit of the status line
    let g = g.replace(GAMMA, "- STATUS: In Progress", "- STATUS: Ready for Dev");
    let (json, c) = status(&g, &[]);
    assert_eq!(counts(&c).1, 1, "the edited packet is parsed again");
    assert_eq!(gamma_state(&json), 0);
    // the same bytes put back: a different version again, then cached
    let g = g.replace(GAMMA, "- STATUS: Ready for Dev", "- STATUS: In Progress");
    let (json, _) = status(&g, &[]);
    assert_eq!(gamma_state(&json), 1);
    // touched only: parsed again, same answer
    let file = std::fs::File::options()
        .write(true)
        .open(g.root().join(GAMMA))
        .expect("open");
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000))
        .expect("touch");
    let (json, c) = status(&g, &[]);
    assert_eq!(counts(&c).1, 1);
    assert_eq!(gamma_state(&json), 1);
    // replaced by a file renamed over it
    let text = std::fs::read_to_string(g.root().join(GAMMA)).expect("read");
    let g = g.file(
        "docs/task_packets/new.tmp",
        text.replace("- STATUS: In Progress", "- STATUS: Ready for Dev"),
    );
    std::fs::rename(
        g.root().join("docs/task_packets/new.tmp"),
        g.root().join(GAMMA),
    )
    .expect("rename");
    let (json, _) = status(&g, &[]);
    assert_eq!(gamma_state(&json), 0);
    // renamed away: the packet is gone from the answer
    std::fs::rename(
        g.root().join(GAMMA),
        g.root().join("docs/task_packets/WP-2-Gamma.md.bak"),
    )
    .expect("rename");
    let (json, c) = status(&g, &[]);
    assert_eq!(
        counts(&c),
        (6, 0, 1, 0),
        "the store drops the vanished packet"
    );
    assert_eq!(gamma_state(&json), 0);
}

/// A packet that starts with a BOM and one that is not UTF-8: both hit when warm
/// (the first by the hash of its bytes, the second by that of its decoded text, after
/// a look-up by its bytes that is not counted), and the second still warns.
#[test]
fn packets_with_a_bom_or_bytes_that_are_not_utf8_are_cached_and_still_warn() {
    let g = cached();
    let gamma = std::fs::read(g.root().join(GAMMA)).expect("read");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&gamma);
    std::fs::write(g.root().join(GAMMA), bom).expect("write");
    let beta = "docs/task_packets/WP-1-Beta.md";
    let mut lossy = std::fs::read(g.root().join(beta)).expect("read");
    lossy.extend_from_slice(b"\nNotes: caf\xE9\n");
    std::fs::write(g.root().join(beta), lossy).expect("write");
    let run = |g: &Gov| {
        let r = g.run_with(&["status", "--format", "json"]);
        let mut json = r.json();
        let cache = json.as_object_mut().and_then(|o| o.remove("cache"));
        (r.codes(), json, counts(&cache.unwrap_or(Value::Null)))
    };
    let (cold_codes, cold, c) = run(&g);
    assert!(cold_codes.iter().any(|c| c == "GOV006"), "{cold_codes:?}");
    assert_eq!(c, (0, 7, 3, 0));
    let (warm_codes, warm, c) = run(&g);
    assert_eq!((warm_codes, warm), (cold_codes, cold));
    assert_eq!(c, (7, 0, 0, 0), "every packet hits, each counted once");
    assert_eq!(
        gamma_state(&status(&g, &["--no-cache"]).0),
        1,
        "the BOM packet is read"
    );
}

#[test]
fn a_damaged_cache_is_a_cold_run() {
    let g = cached();
    let (cold, _) = status(&g, &[]);
    let store = g.root().join(STORE);
    let mut bytes = std::fs::read(&store).expect("store");
    // keep the header, change a status inside the body: the checksum fails
    let at = bytes
        .windows(11)
        .position(|w| w == b"In Progress")
        .expect("a status in the store");
    let mut forged = bytes.clone();
    forged[at..at + 11].copy_from_slice(b"Validated__");
    std::fs::write(&store, forged).expect("write");
    let (json, c) = status(&g, &[]);
    assert_eq!(json, cold);
    assert_eq!(c["rejected_files"], 1);
    assert_eq!(
        counts(&c).1,
        4,
        "every packet parsed again (the spec store is intact)"
    );
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&store, bytes).expect("write");
    assert_eq!(status(&g, &[]).0, cold);
}

const SPEC: &str = "Master_Spec_v1.1.md";

fn spec_headings(g: &Gov) -> (u64, Value) {
    let run = g.run_with(&["spec-regression", "--format", "json"]);
    let json = run.json();
    (
        json["spec"]["headings"].as_u64().unwrap_or(0),
        json["cache"].clone(),
    )
}

#[test]
fn spec_edits_touches_and_a_damaged_spec_cache_are_seen() {
    let g = cached();
    let (cold, _) = spec_headings(&g);
    let (warm, c) = spec_headings(&g);
    assert_eq!(
        (warm, counts(&c).1),
        (cold, 0),
        "the index comes from the cache"
    );
    // a heading added at the end of the spec
    let text = std::fs::read_to_string(g.root().join(SPEC)).expect("spec");
    let g = g.file(SPEC, format!("{text}\n## 9.9 Added later\n"));
    let (added, c) = spec_headings(&g);
    assert_eq!((added, counts(&c).1), (cold + 1, 1));
    // the old text put back: another version again, parsed again
    let g = g.file(SPEC, text.clone());
    let (back, c) = spec_headings(&g);
    assert_eq!((back, counts(&c).1), (cold, 1));
    // touched only: parsed again, same answer
    let file = std::fs::File::options()
        .write(true)
        .open(g.root().join(SPEC))
        .expect("open");
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000))
        .expect("touch");
    let (touched, c) = spec_headings(&g);
    assert_eq!((touched, counts(&c).1), (cold, 1));
    // a forged spec store (checksum not updated) is a cold run with the same answer
    let store = g.root().join(".git/gov/cache/spec.cache");
    let mut forged = std::fs::read(&store).expect("spec store");
    let last = forged.len() - 1;
    forged[last] ^= 0x55;
    std::fs::write(&store, forged).expect("write");
    let (after, c) = spec_headings(&g);
    assert_eq!((after, c["rejected_files"].as_u64()), (cold, Some(1)));
}

/// The codes of a `spec-regression` run and its cache counts.
fn spec_run(g: &Gov) -> (Vec<String>, u64, u64) {
    let run = g.run_with(&["spec-regression", "--format", "json"]);
    let c = run.json()["cache"].clone();
    let (hits, misses, _, _) = counts(&c);
    (run.codes(), hits, misses)
}

#[test]
fn a_spec_that_warns_is_read_and_warns_on_every_run() {
    // a clean spec comes from the cache on the second run; one with conflict markers
    // or invalid UTF-8 is never cached, so its warning cannot be skipped
    let text = Gov::fixture_text("board-clean", SPEC);
    let conflicted = format!("{text}\n<<<<<<< ours\n## 9.9 A\n=======\n## 9.9 B\n>>>>>>> theirs\n");
    let mut lossy = text.clone().into_bytes();
    lossy.extend_from_slice(b"\n## 9.8 Caf\xE9\n");
    for (body, code) in [(conflicted.into_bytes(), "GOV040"), (lossy, "GOV006")] {
        let g = cached().file(SPEC, &body);
        let (cold, _, _) = spec_run(&g);
        let (warm, _, misses) = spec_run(&g);
        assert!(cold.iter().any(|c| c == code), "{code} in {cold:?}");
        assert_eq!(cold, warm, "{code}: the warm run warns as the cold one");
        assert!(misses >= 1, "{code}: the spec is parsed again");
    }
    // a byte-order mark does not stop a spec from being cached
    let g = cached().file(SPEC, format!("\u{feff}{text}"));
    let (cold, _, _) = spec_run(&g);
    let (warm, hits, misses) = spec_run(&g);
    assert_eq!((cold, misses), (warm, 0));
    assert!(hits >= 1);
}

/// `signatures verify` on the signature fixture, its JSON without the cache member,
/// and the cache counts.
fn verify_signatures(g: &Gov, extra: &[&str]) -> (Value, (u64, u64, u64, u64)) {
    let mut args = vec!["signatures", "verify", "--format", "json"];
    args.extend_from_slice(extra);
    let run = g.run_with(&args);
    let mut json = run.json();
    let cache = json
        .as_object_mut()
        .and_then(|o| o.remove("cache"))
        .unwrap_or(Value::Null);
    (json, counts(&cache))
}

#[test]
fn signature_facts_are_cached_and_a_locked_edit_is_still_seen() {
    const PACKET: &str = "docs/task_packets/WP-1-Login-Endpoint.md";
    let g = Gov::fixture("sig-basic")
        .args(&[
            "record-signature",
            "WP-1-Login-Endpoint",
            "alice211120261130",
        ])
        .run();
    g.expect_code(0);
    let g = g.again();
    git2::Repository::init(g.root()).expect("git init");
    let g = g.env("GOV_NO_CACHE", "0");
    let (cold, (_, misses, writes, _)) = verify_signatures(&g, &[]);
    assert!(misses > 0 && writes == 1, "parsed and cached");
    let (warm, (hits, misses, writes, _)) = verify_signatures(&g, &[]);
    assert_eq!((warm.clone(), misses, writes), (cold.clone(), 0, 0));
    assert!(hits > 0);
    let (off, _) = verify_signatures(&g, &["--no-cache"]);
    assert_eq!(off, warm, "the same answer without the cache");
    // a locked section edited after signing: seen on the next (warm) run
    let g = g.replace(
        PACKET,
        "  - tests/auth_login.rs (integration tests)\n",
        "  - tests/auth_login.rs (integration tests)\n  - src/main.rs\n",
    );
    let (edited, (_, misses, _, _)) = verify_signatures(&g, &[]);
    assert_eq!(misses, 1, "only the edited packet is parsed again");
    assert_eq!(edited["signatures"]["locks_changed"], 1);
    assert_eq!(cold["signatures"]["locks_changed"], 0);
}

#[test]
fn a_failed_write_is_silent_but_counted() {
    let g = cached();
    // the cache folder cannot be created: a file sits where it would go
    let g = g.file(".git/gov", "not a folder");
    let (json, c) = status(&g, &[]);
    assert_eq!(counts(&c), (0, 7, 0, 3));
    assert_eq!(json["diagnostics"], Value::Array(Vec::new()));
}

/// Every file of the repository outside `.git`, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().starts_with(root.join(".git")))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            (
                rel.display().to_string(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn read_only_commands_write_only_the_cache() {
    let g = cached();
    let before = tree(g.root());
    for args in [
        &["status"][..],
        &["board-check"],
        &["spec-regression"],
        &["phase-gate", "Phase-2"],
        &["signatures", "verify"],
        &["status"],
    ] {
        g.run_with(args);
    }
    assert_eq!(tree(g.root()), before);
    assert!(g.root().join(STORE).is_file());
}

/// An id with no packet (an agent's typo) is reported before the spec, the board or
/// the audit is loaded: nothing is looked up in the cache, and the answer is the
/// same as with the cache off.
#[test]
fn an_unknown_id_loads_no_document() {
    let g = cached();
    status(&g, &[]); // a warm cache that a document load would hit
    let run = g.run_with(&["pre-work", "WP-2-Gama", "--format", "json"]);
    run.expect_code(2);
    let mut json = run.json();
    assert_eq!(run.codes(), ["GOV004"], "{}", run.transcript());
    let cache = json.as_object_mut().and_then(|o| o.remove("cache"));
    assert_eq!(cache, None, "no look-up was made: {cache:?}");
    let off = g.run_with(&["pre-work", "WP-2-Gama", "--format", "json", "--no-cache"]);
    assert_eq!(off.json(), json);
}
