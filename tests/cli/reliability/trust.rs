//! Trust (issue 12): no gate can be bypassed, fooled, or turned against the repository
//! it guards. Each test here failed before its fix. The pre-commit hook is driven by
//! real `git commit` runs (the tests start git; gov itself never starts a process).

use crate::support::Gov;
use std::path::Path;
use std::process::Command;

const CLEAN: &str = "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap_or(0)\n}\n";
const FORBIDDEN: &str = "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n";

/// git, isolated from the user's configuration and from any hook environment this
/// test itself may run in.
fn git(root: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("git");
    cmd.args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=.git/hooks",
        ])
        .args(args)
        .current_dir(root)
        .env("GOV", env!("CARGO_BIN_EXE_gov"))
        .env("GOV_NOW", crate::support::FIXED_NOW)
        .env("HOME", root)
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for v in [
        "GIT_DIR",
        "GIT_INDEX_FILE",
        "GIT_WORK_TREE",
        "GIT_CONFIG_GLOBAL",
    ] {
        cmd.env_remove(v);
    }
    cmd.output().expect("run git")
}

fn ok(root: &Path, args: &[&str]) {
    let out = git(root, args);
    assert!(
        out.status.success(),
        "git {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn head_file(root: &Path, path: &str) -> String {
    let out = git(root, &["show", &format!("HEAD:{path}")]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A governed repository with one clean commit and gov's pre-commit hook installed.
fn hooked() -> Gov {
    let gov = Gov::new().file("src/lib.rs", CLEAN);
    gov.run_with(&["init"]).expect_code(0);
    let root = gov.root().to_path_buf();
    ok(&root, &["init", "-q", "-b", "main"]);
    ok(&root, &["add", "-A"]);
    ok(&root, &["commit", "-q", "-m", "clean"]);
    let run = gov.run_with(&["hook", "install"]);
    run.expect_code(0);
    gov
}

#[test]
fn commit_all_is_checked_through_the_hooks_index() {
    let gov = hooked();
    let root = gov.root();
    std::fs::write(root.join("src/lib.rs"), FORBIDDEN).expect("write");
    // `git commit -a` hands the hook a temporary index (GIT_INDEX_FILE); .git/index
    // still holds the clean file
    let out = git(root, &["commit", "-a", "-m", "sneak"]);
    assert!(!out.status.success(), "the hook let `commit -a` through");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("SCN010"), "{said}");
    assert_eq!(head_file(root, "src/lib.rs"), CLEAN);
}

#[test]
fn commit_of_a_path_is_checked() {
    let gov = hooked();
    let root = gov.root();
    std::fs::write(root.join("src/lib.rs"), FORBIDDEN).expect("write");
    let out = git(root, &["commit", "src/lib.rs", "-m", "sneak"]);
    assert!(
        !out.status.success(),
        "the hook let `commit <path>` through"
    );
    assert_eq!(head_file(root, "src/lib.rs"), CLEAN);
}

#[test]
fn amend_is_checked() {
    let gov = hooked();
    let root = gov.root();
    std::fs::write(root.join("src/lib.rs"), FORBIDDEN).expect("write");
    let out = git(root, &["commit", "-a", "--amend", "-m", "sneak"]);
    assert!(
        !out.status.success(),
        "the hook let `commit --amend -a` through"
    );
    assert_eq!(head_file(root, "src/lib.rs"), CLEAN);
}

#[test]
fn partial_staging_checks_what_is_committed_not_the_work_tree() {
    let gov = hooked();
    let root = gov.root();
    // staged: forbidden; work tree: clean again. The commit carries the staged blob.
    std::fs::write(root.join("src/lib.rs"), FORBIDDEN).expect("write");
    ok(root, &["add", "src/lib.rs"]);
    std::fs::write(root.join("src/lib.rs"), CLEAN).expect("write");
    let out = git(root, &["commit", "-m", "staged"]);
    assert!(!out.status.success(), "the staged unwrap() was committed");
    // staged: clean (another file); work tree: forbidden but not staged. Passes.
    ok(root, &["reset", "-q"]);
    std::fs::write(root.join("src/lib.rs"), FORBIDDEN).expect("write");
    std::fs::write(root.join("src/b.rs"), CLEAN).expect("write");
    ok(root, &["add", "src/b.rs"]);
    ok(root, &["commit", "-q", "-m", "only b"]);
    assert_eq!(head_file(root, "src/lib.rs"), CLEAN);
}

#[test]
fn a_conflicted_index_says_unresolved_conflicts() {
    let gov = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/lib.rs", CLEAN);
    let root = gov.root().to_path_buf();
    ok(&root, &["init", "-q", "-b", "main"]);
    ok(&root, &["add", "-A"]);
    ok(&root, &["commit", "-q", "-m", "base"]);
    ok(&root, &["checkout", "-q", "-b", "other"]);
    std::fs::write(root.join("src/lib.rs"), "pub fn b() {}\n").expect("write");
    ok(&root, &["commit", "-q", "-am", "other"]);
    ok(&root, &["checkout", "-q", "main"]);
    std::fs::write(root.join("src/lib.rs"), "pub fn c() {}\n").expect("write");
    ok(&root, &["commit", "-q", "-am", "main"]);
    let merge = git(&root, &["merge", "-q", "other"]);
    assert!(!merge.status.success(), "the merge was meant to conflict");
    for args in [
        &["validator-scan", "--staged", "--format", "json"][..],
        &["post-work", "WP-1-X", "--staged", "--format", "json"][..],
    ] {
        let run = gov.run_with(args);
        if args[0] == "validator-scan" {
            run.expect_code(2);
            assert_eq!(run.codes(), ["GIT080"], "{}", run.stdout);
            assert!(run.stdout.contains("unresolved conflicts"));
        }
        assert!(!run.stdout.contains("null OID"), "{}", run.stdout);
    }
}

// ---- one approval, used once -------------------------------------------------------

fn sign(sig: &str) -> Gov {
    Gov::fixture("sig-basic").args(&["record-signature", "WP-1-Login-Endpoint", sig])
}

#[test]
fn a_signature_in_another_case_is_the_same_approval() {
    // maria… is in the audit, dave… in a governance note: other cases are reuses
    for sig in ["MARIA020320260915", "Maria020320260915", "DAVE050520261200"] {
        let run = sign(sig).args(&["--format", "json"]).run();
        run.expect_code(1);
        assert_eq!(run.codes(), ["SIG006"], "{sig}");
    }
}

#[test]
fn a_full_width_copy_in_a_document_is_a_use() {
    let run = sign("frank070520261200")
        .file(
            "docs/notes/chat.md",
            "approved as \u{ff46}\u{ff52}\u{ff41}\u{ff4e}\u{ff4b}070520261200\n",
        )
        .args(&["--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SIG006"]);
}

#[test]
fn year_zero_and_other_dates_before_2000_are_refused() {
    for sig in ["alice010100001200", "alice311219991159"] {
        let run = sign(sig).args(&["--format", "json"]).run();
        run.expect_code(1);
        assert_eq!(run.codes(), ["SIG002"], "{sig}");
    }
}

#[test]
fn an_unreadable_index_widens_the_search_and_says_so() {
    let g = sign("erin060520261200");
    let repo = git2::Repository::init(g.root()).expect("git init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    // a corrupt index: libgit2 cannot read it
    std::fs::write(g.root().join(".git/index"), b"DIRC\0\0\0\x09garbage").expect("corrupt");
    let json = g.run_with(&[
        "record-signature",
        "WP-1-Login-Endpoint",
        "erin060520261200",
        "--format",
        "json",
    ]);
    json.expect_code(1);
    assert_eq!(json.json()["search"]["method"], "work-tree");
    let mut codes = json.codes();
    codes.sort();
    assert_eq!(codes, ["SIG006", "SIG020"], "{}", json.stdout);
    // the human output says it too
    let human = g.run_with(&[
        "record-signature",
        "WP-1-Login-Endpoint",
        "erin060520261200",
    ]);
    assert!(human.stdout.contains("SIG020"), "{}", human.stdout);
    assert!(human.stdout.contains("work tree"), "{}", human.stdout);
}

// ---- the clock ---------------------------------------------------------------------

#[test]
fn the_time_zone_does_not_move_the_future_check() {
    // three hours ahead of UTC: in the future, whatever TZ says (UTC+14 here)
    let ahead = chrono::Utc::now() + chrono::Duration::hours(3);
    let sig = format!("alice{}", ahead.format("%d%m%Y%H%M"));
    let run = sign(&sig)
        .env("GOV_NOW", "")
        .env("TZ", "Etc/GMT-14")
        .args(&["--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SIG003"], "{}", run.stdout);
}

// ---- output forgery ----------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_file_name_cannot_forge_a_diagnostic_line_or_reach_the_terminal() {
    let forged = "src/a\nsrc/forged.rs:1:1: error[SCN010] fake\u{1b}]0;pwned\u{7}.rs";
    let run = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file(forged, "fn a() { x.unwrap() }\n")
        .args(&["validator-scan"])
        .run();
    run.expect_code(1);
    assert!(
        !run.stdout.lines().any(|l| l.starts_with("src/forged.rs")),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{7}'), "{}", run.stdout);
    assert!(
        run.stdout.contains("src/a\\nsrc/forged.rs"),
        "{}",
        run.stdout
    );
}

// ---- scan evasion ------------------------------------------------------------------

#[test]
fn spelling_tricks_do_not_hide_forbidden_code() {
    let src = "pub fn a(v: Option<u8>) -> u8 {\n    if v.is_none() { todo !() }\n    let w = Option::unwrap(v);\n    v. expect(\"x\");\n    core::panic /* */ !(\"no\");\n    v.unwrap(\n    )\n}\n// \0 one NUL byte in a comment\n";
    let run = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .file("src/lib.rs", src)
        .file(
            "src/m.rs",
            "mod t {\n    #![cfg(test)]\n}\npub fn b(v: Option<u8>) -> u8 { v.unwrap() }\n",
        )
        .args(&["validator-scan", "--format", "json"])
        .run();
    run.expect_code(1);
    let mut codes = run.codes();
    codes.sort();
    assert_eq!(
        codes,
        ["SCN010", "SCN010", "SCN010", "SCN011", "SCN012", "SCN017"],
        "{}",
        run.stdout
    );
}

// ---- template hints ----------------------------------------------------------------

#[test]
fn a_fresh_packet_with_its_hints_left_fails_pre_work() {
    let gov = Gov::new();
    gov.run_with(&["init"]).expect_code(0);
    gov.run_with(&["create-task-packet", "WP-1-Fresh"])
        .expect_code(0);
    let run = gov.run_with(&["pre-work", "WP-1-Fresh", "--format", "json"]);
    run.expect_code(1);
    let doc = run.json();
    let hints: Vec<String> = doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "PKT004")
        .map(|d| d["message"].as_str().unwrap_or("").to_string())
        .collect();
    for hint in [
        "{1-2 sentences: what changes}",
        "{command that proves a DONE_MEANS item}",
        "{requestor}",
    ] {
        assert!(
            hints.iter().any(|m| m.contains(hint)),
            "{hint} not reported: {hints:?}"
        );
    }
}

// ---- writers and reads confined to the root ----------------------------------------

const AUDIT: &str = "docs/SIGNATURE_AUDIT.md";

#[cfg(unix)]
#[test]
fn a_symlinked_audit_is_written_through_never_replaced() {
    let g = Gov::fixture("sig-basic");
    let root = g.root().to_path_buf();
    std::fs::rename(root.join(AUDIT), root.join("docs/AUDIT_REAL.md")).expect("move");
    std::os::unix::fs::symlink("AUDIT_REAL.md", root.join(AUDIT)).expect("link");
    let run = g.run_with(&[
        "record-signature",
        "WP-1-Login-Endpoint",
        "alice211120261130",
    ]);
    run.expect_code(0);
    assert!(std::fs::symlink_metadata(root.join(AUDIT))
        .expect("link")
        .file_type()
        .is_symlink());
    let real = std::fs::read_to_string(root.join("docs/AUDIT_REAL.md")).expect("real");
    assert!(real.contains("| alice211120261130 |"), "{real}");
}

#[cfg(unix)]
#[test]
fn a_hard_linked_audit_is_refused_and_left_whole() {
    let g = Gov::fixture("sig-basic");
    let root = g.root().to_path_buf();
    std::fs::hard_link(root.join(AUDIT), root.join("docs/AUDIT_TWIN.md")).expect("link");
    let before = std::fs::read(root.join(AUDIT)).expect("audit");
    let run = g.run_with(&[
        "record-signature",
        "WP-1-Login-Endpoint",
        "alice211120261130",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("hard links"), "{}", run.transcript());
    assert_eq!(std::fs::read(root.join(AUDIT)).expect("audit"), before);
    assert_eq!(
        std::fs::read(root.join("docs/AUDIT_TWIN.md")).expect("twin"),
        before
    );
}

#[cfg(unix)]
#[test]
fn a_default_scan_folder_linked_out_of_the_root_is_refused() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.rs"),
        "fn s() { OUTSIDE_SECRET.unwrap() }\n",
    )
    .expect("secret");
    let g = Gov::new().file("gov.yaml", "version: 1\n");
    std::os::unix::fs::symlink(outside.path(), g.root().join("src")).expect("link");
    let run = g.run_with(&["validator-scan"]);
    run.expect_code(2);
    assert!(run.transcript().contains("SCN001"), "{}", run.transcript());
    assert!(
        !run.transcript().contains("OUTSIDE_SECRET"),
        "{}",
        run.transcript()
    );
    let g = g.file("gov.yaml", "version: 1\nscan:\n  include: [src]\n");
    let run = g.run_with(&["validator-scan", "--format", "json"]);
    run.expect_code(2);
    assert!(
        !run.transcript().contains("OUTSIDE_SECRET"),
        "{}",
        run.transcript()
    );
}

#[test]
fn the_lock_is_never_an_untracked_file_in_a_worktree() {
    let g = Gov::fixture("sig-basic");
    let main = g.root().join("main");
    std::fs::create_dir_all(&main).expect("mkdir");
    for entry in std::fs::read_dir(g.root()).expect("ls").flatten() {
        if entry.file_name() != "main" {
            std::fs::rename(entry.path(), main.join(entry.file_name())).expect("move");
        }
    }
    ok(&main, &["init", "-q", "-b", "main"]);
    ok(&main, &["add", "-A"]);
    ok(&main, &["commit", "-q", "-m", "governed"]);
    ok(&main, &["worktree", "add", "-q", "../wt", "-b", "work"]);
    let wt = g.root().join("wt");
    let out = crate::support::gov_command()
        .args([
            "record-signature",
            "WP-1-Login-Endpoint",
            "alice211120261130",
        ])
        .current_dir(&wt)
        .env("GOV_NOW", crate::support::FIXED_NOW)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("gov");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let status = git(&wt, &["status", "--porcelain", "--untracked-files=all"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(!status.contains("lock"), "{status}");
    assert!(!wt.join(".gov.lock").exists());
}

#[test]
fn a_sha256_repository_widens_the_search_and_says_so() {
    let g = sign("erin060520261200");
    let root = g.root().to_path_buf();
    let init = git(&root, &["init", "-q", "--object-format=sha256"]);
    if !init.status.success() {
        return; // a git without SHA-256 support: nothing to drive
    }
    ok(&root, &["add", "-A"]);
    let run = g.run_with(&[
        "record-signature",
        "WP-1-Login-Endpoint",
        "erin060520261200",
        "--format",
        "json",
    ]);
    run.expect_code(1);
    assert_eq!(
        run.json()["search"]["method"],
        "work-tree",
        "{}",
        run.stdout
    );
    let mut codes = run.codes();
    codes.sort();
    assert_eq!(codes, ["SIG006", "SIG020"]);
}
