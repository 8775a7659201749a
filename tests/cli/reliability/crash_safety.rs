//! Crash safety: every writing command is killed (SIGKILL) at random moments,
//! hundreds of times, with a fixed-seed random delay. After each kill every file is
//! either its old version or its new one (never a half-written one), the signature
//! audit still parses, and the next run takes the lock at once and finishes the work.

use super::bounded::{self, DEADLINE};
use super::documents::bytes;
use crate::support::{copy_tree, fixtures_dir, FIXED_NOW};
use gov::model::audit::SignatureAudit;
use gov::text::Source;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Kills per writer. Each costs a copy of a small repository and two short runs.
const KILLS: usize = 60;

type Tree = BTreeMap<String, Vec<u8>>;

/// The repository's files by relative path, without the lock file and without the
/// temporary files a killed writer leaves behind (counted separately).
fn snapshot(root: &Path) -> (Tree, usize) {
    let mut files = Tree::new();
    let mut leftovers = 0;
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let name = e.file_name().to_string_lossy();
        if name.starts_with(".gov-tmp-") {
            leftovers += 1;
        } else if name != ".gov.lock" && name != "gov.lock" {
            files.insert(rel, std::fs::read(e.path()).expect("read"));
        }
    }
    (files, leftovers)
}

/// One writing command and the repository it starts from.
struct Writer {
    name: &'static str,
    source: Option<PathBuf>,
    args: &'static [&'static str],
    /// Whether running the command again after a kill ends where an uninterrupted
    /// run does. `init` does not: it refuses to touch the files a killed run
    /// created, and says to run `gov init --force`.
    heals: bool,
}

impl Writer {
    /// A fresh copy of the starting repository.
    fn fresh(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        if let Some(src) = &self.source {
            copy_tree(src, dir.path());
        }
        dir
    }

    fn spawn(&self, root: &Path) -> std::process::Child {
        crate::support::gov_command()
            .args(self.args)
            .current_dir(root)
            .env("GOV_NOW", FIXED_NOW)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn gov")
    }
}

fn demo() -> Option<PathBuf> {
    Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"))
}

fn writers() -> Vec<Writer> {
    vec![
        Writer {
            name: "record-signature (packet + audit)",
            source: demo(),
            args: &[
                "record-signature",
                "WP-1-Token-Validation",
                "alice151120261130",
            ],
            heals: true,
        },
        Writer {
            name: "record-signature --purpose (audit)",
            source: demo(),
            args: &["record-signature", "bob151120261130", "--purpose", "crash"],
            heals: true,
        },
        Writer {
            name: "create-task-packet (packet + board)",
            source: demo(),
            args: &["create-task-packet", "WP-1-Crash-New"],
            heals: true,
        },
        Writer {
            name: "init (six files)",
            source: None,
            args: &["init"],
            heals: false,
        },
        Writer {
            name: "init --force (files without user data replaced)",
            source: demo(),
            args: &["init", "--force"],
            heals: true,
        },
        Writer {
            name: "record-refinement (gate state)",
            source: Some(fixtures_dir().join("ref-dotgov")),
            args: &["record-refinement", "WP-1-Beta"],
            // an append-only log: the re-run appends its own event, as it would
            // after an uninterrupted run
            heals: false,
        },
        Writer {
            name: "ready (gate state + board + packet)",
            source: lifecycle(),
            args: &["ready", "WP-1-Alpha"],
            heals: true,
        },
        Writer {
            name: "start (PREPARE + board + packet)",
            source: lifecycle(),
            args: &[
                "start",
                "WP-1-Beta",
                "--coder",
                "coder-b",
                "--worktree",
                "../wt-b",
                "--branch",
                "feat/b",
            ],
            heals: true,
        },
        Writer {
            name: "verdict FAIL (report appended + board + gate state)",
            source: lifecycle(),
            args: &[
                "verdict",
                "WP-1-Gamma",
                "FAIL",
                "--report",
                "review/fail.md",
            ],
            heals: true,
        },
        Writer {
            name: "block (gate state + board + packet)",
            source: lifecycle(),
            args: &["block", "WP-1-Beta", "--reason", "waiting for the API key"],
            heals: true,
        },
        Writer {
            name: "board sync (board)",
            source: lifecycle_drifted(),
            args: &["board", "sync"],
            heals: true,
        },
        Writer {
            name: "create-task-packet --gate (packet + board, gate entry)",
            source: lifecycle(),
            args: &[
                "create-task-packet",
                "WP-1-Delta",
                "--backlog",
                "--gate",
                "Phase-1",
            ],
            heals: true,
        },
    ]
}

/// A repository with one packet per lifecycle state (Backlog, Ready for Dev, Ready
/// for Validation), all signed, and a validation report to record.
fn lifecycle() -> Option<PathBuf> {
    Some(fixtures_dir().join("lifecycle"))
}

/// The lifecycle repository with a packet moved by hand: board sync has work. Made
/// once per test process (tests run in parallel and all list every writer).
fn lifecycle_drifted() -> Option<PathBuf> {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(&fixtures_dir().join("lifecycle"), dir.path());
        let packet = dir.path().join("docs/task_packets/WP-1-Alpha.md");
        let text = std::fs::read_to_string(&packet).expect("packet");
        std::fs::write(
            &packet,
            text.replace("- STATUS: Backlog", "- STATUS: Blocked"),
        )
        .expect("write");
        dir
    });
    Some(dir.path().to_path_buf())
}

/// The audit reads as a table with the rows of its old or its new version, and no
/// damaged rows beyond those.
fn assert_audit_parses(tree: &Tree, old: &Tree, new: &Tree, what: &str) {
    let Some(path) = tree.keys().find(|p| p.ends_with("SIGNATURE_AUDIT.md")) else {
        return;
    };
    let parse = |t: &Tree| {
        t.get(path)
            .map(|b| SignatureAudit::parse(&Source::from_bytes(path.clone(), b)))
    };
    let now = parse(tree).expect("audit");
    assert!(
        now.header_line.is_some(),
        "{what}: the audit has lost its table"
    );
    let versions: Vec<SignatureAudit> = [parse(old), parse(new)].into_iter().flatten().collect();
    assert!(
        versions.iter().any(|v| v.rows.len() == now.rows.len()),
        "{what}: {} audit rows, neither the old nor the new count",
        now.rows.len()
    );
    assert!(
        versions
            .iter()
            .any(|v| v.bad_rows.len() >= now.bad_rows.len()),
        "{what}: damaged audit rows {:?}",
        now.bad_rows
    );
}

/// What the kills of one writer left behind.
#[derive(Default)]
struct Tally {
    /// Ended by the signal (rather than finishing before it came).
    interrupted: usize,
    /// Some files already new, others still old: killed between two writes.
    between_writes: usize,
    /// Temporary files left beside their targets.
    leftovers: usize,
}

fn kill_many(w: &Writer, seed: u64) -> (Tally, Duration) {
    // the uninterrupted run: the new version of every file, and how long it takes
    let reference = w.fresh();
    let (old, _) = snapshot(reference.path());
    let start = Instant::now();
    let status = w.spawn(reference.path()).wait().expect("reference run");
    let full = start.elapsed();
    assert_eq!(
        status.code(),
        Some(0),
        "{}: the uninterrupted run passes",
        w.name
    );
    let (new, _) = snapshot(reference.path());
    assert_ne!(old, new, "{}: the command writes something", w.name);
    let delays = bytes(seed, KILLS * 2);
    let window = full.as_micros() as u64 * 3 / 2 + 1;
    let mut tally = Tally::default();
    for i in 0..KILLS {
        let dir = w.fresh();
        let root = dir.path();
        let r = u64::from(u16::from_le_bytes([delays[2 * i], delays[2 * i + 1]]));
        let delay = Duration::from_micros(r * window / u64::from(u16::MAX));
        let mut child = w.spawn(root);
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().expect("wait");
        tally.interrupted += usize::from(status.code().is_none());
        let (after, left) = snapshot(root);
        tally.leftovers += left;
        let changed =
            |t: &Tree| old.iter().any(|(p, b)| t.get(p) != Some(b)) || t.len() > old.len();
        let unchanged = |p: &String| after.get(p) == old.get(p);
        if changed(&after)
            && new
                .keys()
                .chain(old.keys())
                .any(|p| new.get(p) != old.get(p) && unchanged(p))
        {
            tally.between_writes += 1;
        }
        let what = format!("{} killed after {delay:?} (kill {i})", w.name);
        for path in old.keys().chain(new.keys()).chain(after.keys()) {
            let now = after.get(path);
            assert!(
                now == old.get(path) || now == new.get(path),
                "{what}: {path} is neither its old nor its new version"
            );
        }
        assert_audit_parses(&after, &old, &new, &what);
        // the next run takes the lock at once and finishes the work
        let o = bounded::run(root, &[w.args, &["--format", "json"]].concat(), DEADLINE);
        let json = o.assert_json_contract();
        // 0: it did the work; 1: the killed run had done it (a one-time signature
        // is used, the packet exists) or, for init, files exist
        assert!(
            matches!(o.code, Some(0 | 1)),
            "{what}: the follow-up run failed: {json}"
        );
        assert!(
            !o.stdout.contains("GOV009") && o.elapsed < Duration::from_secs(20),
            "{what}: the lock was not released at once ({:?})",
            o.elapsed
        );
        let (healed, _) = snapshot(root);
        assert_audit_parses(&healed, &old, &new, &what);
        if w.heals {
            assert!(
                healed == new,
                "{what}: the follow-up run does not end where an uninterrupted one does: {json}"
            );
        }
    }
    (tally, full)
}

fn check(n: usize) {
    let w = &writers()[n];
    let (t, full) = kill_many(w, 0x5EED + n as u64);
    eprintln!(
        "crash safety: {}: {KILLS} kills, {} mid-run, {} between two writes, {} temporary files left, uninterrupted run {full:?}",
        w.name, t.interrupted, t.between_writes, t.leftovers
    );
}

#[test]
fn record_signature_killed_at_random_moments() {
    check(0);
}

#[test]
fn record_signature_purpose_killed_at_random_moments() {
    check(1);
}

#[test]
fn create_task_packet_killed_at_random_moments() {
    check(2);
}

#[test]
fn init_killed_at_random_moments() {
    check(3);
}

#[test]
fn init_force_killed_at_random_moments() {
    check(4);
}

#[test]
fn record_refinement_killed_at_random_moments() {
    check(5);
}

#[test]
fn ready_killed_at_random_moments() {
    check(6);
}

#[test]
fn start_killed_at_random_moments() {
    check(7);
}

#[test]
fn verdict_killed_at_random_moments() {
    check(8);
}

#[test]
fn block_killed_at_random_moments() {
    check(9);
}

#[test]
fn board_sync_killed_at_random_moments() {
    check(10);
}

#[test]
fn create_task_packet_gate_killed_at_random_moments() {
    check(11);
}
