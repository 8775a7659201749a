//! `gov record-signature`: every refusal, the two writes and their rollback, the
//! audit's messy shapes, the lock, and many agents at once.

use crate::support::{Gov, FIXED_NOW};
use std::path::Path;
use std::process::Command;

const PACKET: &str = "docs/task_packets/WP-1-Login-Endpoint.md";
const AUDIT: &str = "docs/SIGNATURE_AUDIT.md";
const SIG: &str = "alice211120261130";

fn sign(sig: &str) -> Gov {
    Gov::fixture("sig-basic").args(&["record-signature", "WP-1-Login-Endpoint", sig])
}

#[test]
fn signs_a_pending_packet() {
    let run = sign(SIG).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let audit = run.read(AUDIT);
    let row = audit.lines().nth(10).expect("row on line 11");
    assert!(
        row.starts_with(&format!("| {SIG} | Orchestrator | 2026-11-21 12:00:00 UTC | Task packet creation: WP-1-Login-Endpoint | v1.1 | {PACKET} sha256:")),
        "{row}"
    );
    // the rest of the audit is kept byte for byte
    let before =
        std::fs::read_to_string(crate::support::fixtures_dir().join("sig-basic").join(AUDIT))
            .expect("fixture");
    assert_eq!(audit.replacen(&format!("{row}\n"), "", 1), before);
    let packet = run.read(PACKET);
    assert!(packet.contains(&format!("- USER_SIGNATURE: {SIG}\n")));
    assert!(packet.contains(&format!("- Signature: {SIG}\n")));
    assert!(!packet.contains("<pending>"));
    // the signed packet now passes Gate 0 and the repository audit
    let run = run.again().args(&["pre-work", "WP-1-Login-Endpoint"]).run();
    run.expect_code(0);
    run.again()
        .args(&["signatures", "verify"])
        .run()
        .expect_code(0);
}

#[test]
fn signs_json() {
    let run = sign(SIG)
        .args(&["--by", "Lead | Orchestrator", "--format", "json"])
        .run();
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json());
    // a `|` in a cell is escaped, so the row keeps its columns
    assert!(run.read(AUDIT).contains("| Lead \\| Orchestrator |"));
    run.again()
        .args(&["signatures", "verify"])
        .run()
        .expect_code(0);
}

#[test]
fn refuses_bad_signatures_with_an_example() {
    for (sig, code) in [
        ("alice_25121512345", "SIG001"),
        ("7alice211120261130", "SIG001"),
        ("al-ce211120261130", "SIG001"),
        ("alice310220261130", "SIG002"),
        ("alice211120261261", "SIG002"),
        ("ilja251225032800", "SIG002"),
        ("alice211120261206", "SIG003"),
        ("alice010120271200", "SIG003"),
    ] {
        let run = sign(sig).args(&["--format", "json"]).run();
        run.expect_code(1);
        assert_eq!(run.codes(), [code], "{sig}");
        let help = run.json()["diagnostics"][0]["help"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(help.contains("alice211120261200"), "{sig}: {help}");
        assert_eq!(run.read(AUDIT), Gov::fixture_text("sig-basic", AUDIT));
    }
    // five minutes of clock skew are allowed by default
    sign("alice211120261205").run().expect_code(0);
}

#[test]
fn malformed_signature_human() {
    let run = sign("alice_25121512345").run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn future_signature_human() {
    let run = sign("alice010120271200").run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn clock_skew_is_configurable() {
    Gov::fixture("sig-basic")
        .file(
            "gov.yaml",
            "version: 1\nsignatures:\n  clock_skew_minutes: 0\n",
        )
        .args(&[
            "record-signature",
            "WP-1-Login-Endpoint",
            "alice211120261201",
        ])
        .run()
        .expect_code(1);
}

#[test]
fn refuses_a_signature_in_the_audit() {
    let run = sign("maria020320260915").run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn refuses_a_signature_in_a_governance_file_without_git() {
    let run = sign("dave050520261200").args(&["--format", "json"]).run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SIG006"]);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(d["path"], "docs/notes/decisions.md");
    assert_eq!(d["line"], 3);
    assert!(d["message"]
        .as_str()
        .unwrap_or("")
        .contains("docs/notes/decisions.md:3"));
    assert_eq!(run.json()["search"]["method"], "governance-folders");
    // outside the governance folders, only git's index is searched
    sign("erin060520261200").run().expect_code(0);
}

fn git_add_all(root: &Path) {
    let repo = git2::Repository::init(root).expect("git init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
}

#[test]
fn refuses_a_signature_in_any_tracked_file() {
    let g = sign("erin060520261200").args(&["--format", "json"]);
    git_add_all(g.root());
    let run = g.run();
    run.expect_code(1);
    assert_eq!(run.json()["search"]["method"], "git-index");
    let d = &run.json()["diagnostics"][0];
    assert_eq!(
        (
            d["code"].as_str(),
            d["path"].as_str(),
            d["line"].as_u64(),
            d["column"].as_u64()
        ),
        (Some("SIG006"), Some("src/api/auth.rs"), Some(1), Some(37))
    );
    // untracked files do not count, and a token inside a longer one is no use
    let g = sign(SIG).file("src/other.rs", format!("// x{SIG} {SIG}9\n"));
    git_add_all(g.root());
    let g = g
        .file("scratch/untracked.md", SIG)
        .file("docs/untracked.md", SIG);
    g.run().expect_code(0);
}

#[test]
fn refuses_a_missing_packet_unless_purpose() {
    let run = Gov::fixture("sig-basic")
        .args(&["record-signature", "WP-1-Nope", SIG])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    let run = run
        .again()
        .args(&[
            "record-signature",
            SIG,
            "--purpose",
            "Spec enrichment v1.2 (OAuth)",
        ])
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    assert!(run.read(AUDIT).contains(&format!(
        "| {SIG} | Orchestrator | 2026-11-21 12:00:00 UTC | Spec enrichment v1.2 (OAuth) | v1.1 |  |"
    )));
    // without a WP_ID, --purpose is required
    let run = run
        .again()
        .args(&["record-signature", "bob211120261100"])
        .run();
    run.expect_code(2);
}

#[test]
fn refuses_an_already_signed_packet() {
    let run = Gov::fixture("sig-basic")
        .args(&["record-signature", "WP-1-Storage-Trait", SIG])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn refuses_a_packet_without_a_signature_field() {
    let run = Gov::fixture("sig-basic")
        .replace(PACKET, "- USER_SIGNATURE: <pending>\n", "")
        .replace(PACKET, "- Signature: <pending>\n", "")
        .args(&[
            "record-signature",
            "WP-1-Login-Endpoint",
            SIG,
            "--format",
            "json",
        ])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SIG011"]);
}

#[test]
fn records_a_signature_the_packet_already_cites() {
    // the seed's Error 6: a signature used in a packet but never recorded
    let run = Gov::fixture("sig-basic")
        .replace(
            PACKET,
            "- USER_SIGNATURE: <pending>",
            &format!("- USER_SIGNATURE: {SIG}"),
        )
        .replace(
            PACKET,
            "- Signature: <pending>",
            &format!("- Signature: {SIG}"),
        )
        .args(&["record-signature", "WP-1-Login-Endpoint", SIG])
        .run();
    run.expect_code(0);
    assert!(run.stdout.contains("already carried"));
    run.again()
        .args(&["signatures", "verify"])
        .run()
        .expect_code(0);
}

#[test]
fn missing_audit_is_exit_2_suggesting_init() {
    let run = sign(SIG).remove(AUDIT).args(&["--format", "json"]).run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV001"]);
    assert!(run.json()["diagnostics"][0]["help"]
        .as_str()
        .unwrap_or("")
        .contains("gov init"));
}

fn make_read_only(root: &Path, rel: &str) {
    let p = root.join(rel);
    let mut perms = std::fs::metadata(&p).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&p, perms).expect("chmod");
}

#[test]
fn read_only_audit_rolls_the_packet_back() {
    let g = sign(SIG);
    make_read_only(g.root(), AUDIT);
    let run = g.run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
    assert!(run.stderr.contains("rolled back"), "{}", run.stderr);
    assert_eq!(run.read(PACKET), Gov::fixture_text("sig-basic", PACKET));
}

#[test]
fn read_only_packet_changes_nothing() {
    let g = sign(SIG);
    make_read_only(g.root(), PACKET);
    let run = g.run();
    run.expect_code(2);
    assert_eq!(run.read(AUDIT), Gov::fixture_text("sig-basic", AUDIT));
    assert!(run.read(PACKET).contains("<pending>"));
}

#[test]
fn a_run_killed_between_the_writes_is_finished_by_running_it_again() {
    // the state a kill after the packet write leaves: signed packet, no audit row
    let signed = Gov::fixture_text("sig-basic", PACKET).replace("<pending>", SIG);
    let run = sign(SIG).file(PACKET, &signed).run();
    run.expect_code(0);
    assert!(run.read(AUDIT).contains(&format!("| {SIG} |")));
    assert_eq!(run.read(PACKET), signed);
    run.again()
        .args(&["signatures", "verify"])
        .run()
        .expect_code(0);
}

#[test]
fn audit_variants_keep_their_shape() {
    // the seed's Notes column, a newest-first table, CRLF, a BOM, and an unknown column
    let audit = "\u{feff}# SIGNATURE_AUDIT.md\r\n\r\n## Consumed Signatures\r\n\r\n| Signature | Used By | Date | Purpose | Master Spec Version | Notes | Reviewer |\r\n|---|---|---|---|---|---|---|\r\n| maria020320260915 | Orchestrator | 2026-03-02 | WP-1-Storage-Trait | v1.0 | `a|b` | kim |\r\n\r\n---\r\n\r\n## How to Use This Log\r\n";
    let run = sign(SIG).file(AUDIT, audit).run();
    run.expect_code(0);
    let text = std::fs::read(run.root.join(AUDIT)).expect("read");
    let text = String::from_utf8(text).expect("utf8");
    assert!(text.starts_with('\u{feff}'));
    let expected_row = format!("| {SIG} | Orchestrator | 2026-11-21 12:00:00 UTC | Task packet creation: WP-1-Login-Endpoint | v1.1 | {PACKET} sha256:");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[7].starts_with(&expected_row), "{}", lines[7]);
    assert!(lines[7].ends_with(" |  |"), "{}", lines[7]);
    assert_eq!(text.replacen(&format!("{}\r\n", lines[7]), "", 1), audit);
    run.again()
        .args(&["signatures", "verify"])
        .run()
        .expect_code(0);
}

#[test]
fn table_without_evidence_column_warns() {
    let audit = "## Consumed Signatures\n\n| Signature | Used By | Date |\n|---|---|---|\n";
    let run = sign(SIG)
        .file(AUDIT, audit)
        .args(&["--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(run.codes(), ["SIG012"]);
}

#[test]
fn missing_table_is_created_under_its_heading() {
    let run = sign(SIG)
        .file(AUDIT, "# Audit\n\nNo signatures yet.\n")
        .run();
    run.expect_code(0);
    let audit = run.read(AUDIT);
    assert!(audit.starts_with("# Audit\n\nNo signatures yet.\n\n## Consumed Signatures\n\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Evidence |\n|---|---|---|---|---|---|\n| alice211120261130 |"), "{audit}");
    let run = Gov::fixture("sig-basic")
        .file(AUDIT, "# Audit\n\n## Consumed Signatures\nNone yet.\n")
        .args(&["record-signature", "WP-1-Login-Endpoint", SIG])
        .run();
    run.expect_code(0);
    assert!(run
        .read(AUDIT)
        .starts_with("# Audit\n\n## Consumed Signatures\n\n| Signature |"));
    assert!(run.read(AUDIT).ends_with(" |\n\nNone yet.\n"));
}

#[test]
fn edited_signed_packet_fails_pre_work() {
    let run = sign(SIG).run();
    run.expect_code(0);
    let run = run
        .again()
        .replace(PACKET, "with at least 4 cases", "with at least 1 case")
        .args(&["pre-work", "WP-1-Login-Endpoint"])
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

// --- the lock ---------------------------------------------------------------

/// Not a test on its own: the child process the lock tests start. It takes the
/// repository lock named by GOV_TEST_HOLD_LOCK, reports that it holds it, and keeps
/// it for GOV_TEST_HOLD_MS milliseconds (or until killed).
#[test]
#[ignore]
fn lock_holder() {
    let Ok(path) = std::env::var("GOV_TEST_HOLD_LOCK") else {
        return;
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .expect("open lock");
    file.lock().expect("lock");
    std::fs::write(format!("{path}.held"), "held").expect("marker");
    let ms = std::env::var("GOV_TEST_HOLD_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60_000);
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

fn hold_lock(root: &Path, ms: u64) -> std::process::Child {
    let lock = root.join(".gov.lock");
    let child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            "record_signature::lock_holder",
            "--nocapture",
        ])
        .env("GOV_TEST_HOLD_LOCK", &lock)
        .env("GOV_TEST_HOLD_MS", ms.to_string())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn holder");
    let marker = root.join(".gov.lock.held");
    let start = std::time::Instant::now();
    while !marker.exists() {
        assert!(
            start.elapsed().as_secs() < 30,
            "the lock holder never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::fs::remove_file(marker).expect("rm marker");
    child
}

#[test]
fn a_leftover_lock_file_does_not_block() {
    let run = sign(SIG).file(".gov.lock", "12345\n").run();
    run.expect_code(0);
}

#[test]
fn a_killed_lock_holder_does_not_block() {
    let g = sign(SIG);
    let mut holder = hold_lock(g.root(), 60_000);
    holder.kill().expect("kill holder");
    holder.wait().expect("reap holder");
    assert!(
        g.root().join(".gov.lock").exists(),
        "the lock file stays behind"
    );
    let start = std::time::Instant::now();
    g.run().expect_code(0);
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn a_live_lock_holder_is_waited_for() {
    let g = sign(SIG);
    let mut holder = hold_lock(g.root(), 700);
    let start = std::time::Instant::now();
    let run = g.run();
    let waited = start.elapsed();
    holder.wait().expect("holder ends");
    run.expect_code(0);
    assert!(
        waited.as_millis() >= 300,
        "gov did not wait for the lock ({waited:?})"
    );
}

// --- many agents at once ------------------------------------------------------

fn concurrent_repo(n: usize) -> Gov {
    let template = Gov::fixture_text("sig-basic", PACKET);
    let mut g = Gov::fixture("sig-basic");
    for i in 0..n {
        let id = format!("WP-1-Conc-{i:02}");
        g = g.file(
            &format!("docs/task_packets/{id}.md"),
            template.replace("WP-1-Login-Endpoint", &id),
        );
    }
    g
}

fn spawn_all(root: &Path, jobs: &[(String, String)]) -> Vec<std::process::Output> {
    let children: Vec<_> = jobs
        .iter()
        .map(|(id, sig)| {
            crate::support::gov_command()
                .args(["record-signature", id, sig, "--format", "json"])
                .current_dir(root)
                .env("GOV_NOW", FIXED_NOW)
                .spawn_output()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect()
}

trait SpawnOutput {
    fn spawn_output(&mut self) -> std::process::Child;
}

impl SpawnOutput for Command {
    fn spawn_output(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn gov")
    }
}

#[test]
fn sixteen_agents_with_distinct_signatures_all_land() {
    let g = concurrent_repo(16);
    let jobs: Vec<(String, String)> = (0..16)
        .map(|i| {
            (
                format!("WP-1-Conc-{i:02}"),
                format!("agent{i:02}211120261100"),
            )
        })
        .collect();
    let outputs = spawn_all(g.root(), &jobs);
    for (o, (id, _)) in outputs.iter().zip(&jobs) {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{id}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    let audit = std::fs::read_to_string(g.root().join(AUDIT)).expect("audit");
    for (id, sig) in &jobs {
        assert_eq!(audit.matches(&format!("| {sig} |")).count(), 1, "{sig}");
        let packet = std::fs::read_to_string(g.root().join(format!("docs/task_packets/{id}.md")))
            .expect("packet");
        assert!(packet.contains(&format!("USER_SIGNATURE: {sig}")), "{id}");
    }
    // the rows form one table after the fixture's row, and the rest is intact
    let run = g.args(&["signatures", "verify", "--format", "json"]).run();
    run.expect_code(0);
    assert_eq!(run.json()["signatures"]["audit_rows"], 17);
    assert_eq!(run.json()["signatures"]["locks_verified"], 16);
}

#[test]
fn eight_agents_racing_one_signature_consume_it_once() {
    let g = concurrent_repo(8);
    let jobs: Vec<(String, String)> = (0..8)
        .map(|i| (format!("WP-1-Conc-{i:02}"), SIG.to_string()))
        .collect();
    let outputs = spawn_all(g.root(), &jobs);
    let winners: Vec<&String> = outputs
        .iter()
        .zip(&jobs)
        .filter(|(o, _)| o.status.code() == Some(0))
        .map(|(_, (id, _))| id)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one run wins");
    for o in outputs.iter().filter(|o| o.status.code() != Some(0)) {
        assert_eq!(o.status.code(), Some(1));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(doc["diagnostics"][0]["code"], "SIG006");
    }
    let audit = std::fs::read_to_string(g.root().join(AUDIT)).expect("audit");
    assert_eq!(audit.matches(SIG).count(), 1);
    let signed = (0..8)
        .filter(|i| {
            std::fs::read_to_string(
                g.root()
                    .join(format!("docs/task_packets/WP-1-Conc-{i:02}.md")),
            )
            .expect("packet")
            .contains(SIG)
        })
        .count();
    assert_eq!(signed, 1);
}
