//! `gov post-work` and `gov manifest`: every check both ways, every diff mode, and bad
//! input, against git repositories built with git2 in a temporary folder (the git
//! binary is never called).

use crate::support::{Gov, Run};
use git2::{IndexAddOption, Oid, Repository, RepositoryInitOptions, Signature, Time};
use std::cell::Cell;
use std::path::Path;

const PACKET: &str = "docs/task_packets/WP-1-Login.md";
const WP: &str = "WP-1-Login";

/// The fixture, committed once on `main`, ready for the work to be made on top.
struct Work {
    // dropped before `gov`, which owns the folder
    git: Repository,
    gov: Gov,
    tick: Cell<i64>,
    base: Oid,
}

fn signature(n: i64) -> Signature<'static> {
    // fixed times keep commit ids, and so the snapshots, stable
    Signature::new(
        "Coder",
        "coder@example.com",
        &Time::new(1_795_000_000 + n * 60, 0),
    )
    .expect("signature")
}

impl Work {
    fn new() -> Work {
        Work::with_base(|packet| packet, &[])
    }

    /// Like `new`, with the packet edited and `files` written before the base commit.
    fn with_base(edit_packet: impl FnOnce(String) -> String, files: &[(&str, &str)]) -> Work {
        let gov = Gov::fixture("post-work-basic");
        let packet = gov.root().join(PACKET);
        let text = std::fs::read_to_string(&packet).expect("read");
        std::fs::write(&packet, edit_packet(text)).expect("write");
        for (path, content) in files {
            std::fs::write(gov.root().join(path), content).expect("write");
        }
        let git = Repository::init_opts(
            gov.root(),
            RepositoryInitOptions::new().initial_head("main"),
        )
        .expect("git init");
        let mut w = Work {
            git,
            gov,
            tick: Cell::new(0),
            base: Oid::ZERO_SHA1,
        };
        w.base = w.commit("base: packet signed");
        w
    }

    fn root(&self) -> &Path {
        self.gov.root()
    }

    fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
        self
    }

    fn replace(&self, path: &str, from: &str, to: &str) -> &Self {
        let text = std::fs::read_to_string(self.root().join(path)).expect("read");
        assert!(text.contains(from), "{path} does not contain {from:?}");
        self.write(path, text.replacen(from, to, 1))
    }

    fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.root().join(path)).expect("rm");
        self
    }

    fn rename(&self, from: &str, to: &str) -> &Self {
        std::fs::rename(self.root().join(from), self.root().join(to)).expect("mv");
        self
    }

    /// Stages every change (additions, edits, deletions) and commits on HEAD.
    fn commit(&self, msg: &str) -> Oid {
        let mut index = self.git.index().expect("index");
        index
            .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
            .expect("add");
        index.update_all(["*"].iter(), None).expect("update");
        index.write().expect("write index");
        let tree = self
            .git
            .find_tree(index.write_tree().expect("tree"))
            .expect("find tree");
        let parent = self.git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let n = self.tick.get() + 1;
        self.tick.set(n);
        self.git
            .commit(
                Some("HEAD"),
                &signature(n),
                &signature(n),
                msg,
                &tree,
                &parents,
            )
            .expect("commit")
    }

    fn stage(&self, path: &str) -> &Self {
        let mut index = self.git.index().expect("index");
        index.add_path(Path::new(path)).expect("add path");
        index.write().expect("write index");
        self
    }

    /// A configuration file outside the work tree (inside .git), so that changing the
    /// configuration is not itself a change under review.
    fn config(&self, yaml: &str) -> String {
        std::fs::write(self.git.path().join("gov-test.yaml"), yaml).expect("config");
        ".git/gov-test.yaml".to_string()
    }

    fn run(&self, args: &[&str]) -> Run {
        self.gov.run_with(args)
    }

    fn post_work(&self, extra: &[&str]) -> Run {
        let mut args = vec!["post-work", WP];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn post_work_json(&self, extra: &[&str]) -> Run {
        let mut args = vec!["post-work", WP, "--format", "json"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The implementation the packet asks for.
    fn implement(&self) -> &Self {
        self.write("src/api/auth.rs", AUTH_RS).replace(
            "tests/auth_login.rs",
            "}\n",
            "}\n\n#[test]\nfn invalid_credentials_are_auth_001() {\n    assert_eq!(ledger::api::auth::invalid_credentials().1, \"AUTH-001\");\n}\n",
        )
    }

    /// The packet's VALIDATION and EVIDENCE_MAPPING, filled in.
    fn record(&self) -> &Self {
        self.replace(PACKET, VALIDATION_TEMPLATE, VALIDATION_DONE)
            .replace(PACKET, "## EVIDENCE_MAPPING\n- PENDING\n", EVIDENCE_DONE)
    }

    fn done(&self) -> &Self {
        self.implement().record()
    }
}

const AUTH_RS: &str = r#"//! Authentication endpoints.

pub fn login_route() -> &'static str {
    "/auth/login"
}

pub const TOKEN_TTL_SECONDS: u64 = 86_400;

pub fn invalid_credentials() -> (u16, &'static str) {
    (401, "AUTH-001")
}
"#;

const VALIDATION_TEMPLATE: &str = "## VALIDATION\n- Command:\n- Result:\n- Notes:\n";

const VALIDATION_DONE: &str = "## VALIDATION
- Command: `cargo test --test auth_login`
- Result: PASS (2 tests)
- Notes: run 2026-11-20
- Command: cargo clippy --all-targets -- -D warnings
- Result: PASS
- Command: just ai-review
- Result: PASS (no findings)
";

const EVIDENCE_DONE: &str = "## EVIDENCE_MAPPING
- DONE_MEANS 1: login accepts JSON
  EVIDENCE: src/api/auth.rs:3-5
- DONE_MEANS 2: token expires in 86400 seconds
  EVIDENCE: src/api/auth.rs:7
- DONE_MEANS 3: AUTH-001 on invalid credentials
  EVIDENCE: src/api/auth.rs:9-11
";

/// The findings of a JSON report (verdict, checks, diagnostics, next), for snapshots.
fn findings(run: &Run) -> serde_json::Value {
    let j = run.json();
    serde_json::json!({
        "verdict": j["verdict"],
        "checks": j["checks"],
        "diagnostics": j["diagnostics"],
        "next": j["next"],
    })
}

fn has(run: &Run, code: &str) -> bool {
    run.codes().iter().any(|c| c == code)
}

fn diag<'a>(json: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

fn file<'a>(json: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    json["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in files: {json:#}"))
}

// ---------------------------------------------------------------------------------
// pass, and the diff modes

#[test]
fn completed_work_passes_in_the_working_tree() {
    let w = Work::new();
    w.done();
    let run = w.post_work(&[]);
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let json = w.post_work_json(&[]);
    json.expect_code(0);
    insta::assert_json_snapshot!(json.json());
}

#[test]
fn staged_mode_checks_the_index_only() {
    let w = Work::new();
    w.done();
    w.stage("src/api/auth.rs")
        .stage("tests/auth_login.rs")
        .stage(PACKET);
    // an unstaged, out-of-scope edit is not part of a --staged check
    w.write("README.md", "# Ledger\n\nunstaged\n");
    let run = w.post_work_json(&["--staged"]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["diff"]["mode"], "staged");
    assert_eq!(json["diff"]["head_source"], "index");
    assert!(json["files"]
        .as_array()
        .expect("files")
        .iter()
        .all(|f| f["path"] != "README.md"));
    // the same tree in working-tree mode sees README.md
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    assert_eq!(file(&run.json(), "README.md")["verdict"], "fail");
}

#[test]
fn rev_and_range_modes_check_commits() {
    let w = Work::new();
    w.done();
    let head = w.commit("feat: WP-1-Login");
    let run = w.post_work_json(&["--rev", "HEAD"]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["diff"]["mode"], "rev");
    assert_eq!(json["diff"]["base"], w.base.to_string());
    assert_eq!(json["diff"]["head"], head.to_string());
    let range = format!("{}..{}", w.base, head);
    let run = w.post_work_json(&["--range", &range]);
    run.expect_code(0);
    assert_eq!(run.json()["diff"]["mode"], "range");
    // A...B starts at the merge base, which here is A itself
    let run = w.post_work_json(&["--range", "main~1...main"]);
    run.expect_code(0);
    assert_eq!(run.json()["diff"]["base"], w.base.to_string());
    // the base commit alone changes nothing the packet did
    let run = w.post_work_json(&["--range", "HEAD..HEAD"]);
    run.expect_code(1);
    assert!(has(&run, "GIT010"));
}

#[test]
fn clean_tree_falls_back_to_the_packets_merge_base() {
    let w = Work::with_base(
        |t| {
            t.replace(
                "- SPEC_VERSION: v1.0\n",
                "- SPEC_VERSION: v1.0\n- MERGE_BASE_SHA: <pending>\n",
            )
        },
        &[],
    );
    w.replace(
        PACKET,
        "- MERGE_BASE_SHA: <pending>",
        &format!("- MERGE_BASE_SHA: {}", w.base),
    );
    w.implement();
    w.commit("feat: login handler");
    w.record();
    w.commit("docs: WP-1-Login validation");
    let run = w.post_work(&[]);
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let json = w.post_work_json(&[]).json();
    assert_eq!(json["diff"]["mode"], "packet-merge-base");
    assert_eq!(json["diff"]["base"], w.base.to_string());
}

#[test]
fn clean_tree_without_merge_base_uses_main() {
    let w = Work::new();
    let main = w.base;
    // a feature branch off main, checked out
    let commit = w.git.find_commit(main).expect("commit");
    w.git
        .branch("feat/WP-1-Login", &commit, false)
        .expect("branch");
    w.git
        .set_head("refs/heads/feat/WP-1-Login")
        .expect("checkout");
    w.done();
    w.commit("feat: WP-1-Login");
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["diff"]["mode"], "main-merge-base");
    assert_eq!(json["diff"]["base"], main.to_string());
    assert!(json["diff"]["fallback"]
        .as_str()
        .expect("fallback")
        .contains("merge-base(main, HEAD)"));
}

#[test]
fn detached_head_works() {
    let w = Work::new();
    w.done();
    let head = w.commit("feat: WP-1-Login");
    w.git.set_head_detached(head).expect("detach");
    let run = w.post_work_json(&["--rev", "HEAD"]);
    run.expect_code(0);
    // and the working-tree default on a detached HEAD
    w.write("tests/auth_login.rs", "#[test]\nfn more() {}\n");
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    assert_eq!(run.json()["diff"]["mode"], "worktree");
}

// ---------------------------------------------------------------------------------
// check 1: something changed

#[test]
fn an_empty_change_fails() {
    let w = Work::new();
    let run = w.post_work(&[]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    let json = w.post_work_json(&[]);
    insta::assert_json_snapshot!(findings(&json));
    assert_eq!(json.json()["diff"]["mode"], "main-merge-base");
}

#[test]
fn a_change_to_governance_documents_only_fails() {
    let w = Work::new();
    w.record();
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    let json = run.json();
    let d = diag(&json, "GIT010");
    assert_eq!(d.len(), 1);
    assert!(d[0]["message"]
        .as_str()
        .expect("message")
        .contains("only governance documents"));
    assert_eq!(file(&json, PACKET)["verdict"], "exempt");
}

// ---------------------------------------------------------------------------------
// check 2: scope

#[test]
fn changes_outside_scope_fail_each_named() {
    let w = Work::new();
    w.done();
    w.write("src/api/admin.rs", "//! Admin endpoints, edited.\n")
        .write("README.md", "# Ledger\n\nNew readme.\n")
        .write(
            "src/storage/migrations/0002_users.sql",
            "CREATE TABLE users (id INTEGER);\n",
        )
        .write("debug.log", "ignored by .gitignore\n")
        // governance documents are exempt
        .write(
            "docs/TASK_BOARD.md",
            "# Ledger Task Board\n\n## In Progress\n\n- [WP-1-Login] In-Progress\n",
        )
        .write("docs/refinements/WP-1-Login.md", "# Refinement\n");
    let run = w.post_work(&[]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    let json = w.post_work_json(&[]).json();
    insta::assert_json_snapshot!(json);
    assert_eq!(diag(&json, "GIT011").len(), 2);
    assert_eq!(
        file(&json, "src/storage/migrations/0002_users.sql")["verdict"],
        "pass"
    );
    assert_eq!(file(&json, "docs/TASK_BOARD.md")["verdict"], "exempt");
    assert_eq!(
        file(&json, "docs/refinements/WP-1-Login.md")["verdict"],
        "exempt"
    );
    assert!(json["files"]
        .as_array()
        .expect("files")
        .iter()
        .all(|f| f["path"] != "debug.log"));
}

#[test]
fn a_waiver_turns_a_scope_error_into_a_warning() {
    let w = Work::new();
    w.done();
    w.write("README.md", "# Ledger\n\nLogin documented.\n")
        .replace(
            PACKET,
            "## WAIVERS GRANTED\n- NONE\n",
            "## WAIVERS GRANTED\n- `README.md`: usage note approved by maria 2026-11-19\n",
        );
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    insta::assert_json_snapshot!(findings(&run));
    insta::assert_snapshot!(w.post_work(&[]).transcript());
    let json = run.json();
    assert_eq!(run.codes(), ["GIT012"]);
    assert_eq!(diag(&json, "GIT012")[0]["severity"], "warning");
    assert_eq!(file(&json, "README.md")["verdict"], "warn");
    // --strict promotes the waiver warning to an error
    w.run(&["post-work", WP, "--strict"]).expect_code(1);
}

#[test]
fn renames_check_both_sides() {
    // the handler already exists at the base, so that moving it is a pure rename
    let w = Work::with_base(
        |t| {
            t.replace(
                "  - src/api/mod.rs (route registration)\n",
                "  - src/api/mod.rs (route registration)\n  - src/api/login.rs (renamed handler)\n",
            )
        },
        &[("src/api/auth.rs", AUTH_RS)],
    );
    w.done();
    // in scope on both sides: fine
    w.rename("src/api/auth.rs", "src/api/login.rs").replace(
        PACKET,
        "EVIDENCE: src/api/auth.rs:3-5",
        "EVIDENCE: src/api/login.rs:3-5",
    );
    w.replace(
        PACKET,
        "EVIDENCE: src/api/auth.rs:7",
        "EVIDENCE: src/api/login.rs:7",
    )
    .replace(
        PACKET,
        "EVIDENCE: src/api/auth.rs:9-11",
        "EVIDENCE: src/api/login.rs:9-11",
    );
    // out of scope on both sides: one error per side
    w.rename("src/api/admin.rs", "src/api/administration.rs");
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    let json = run.json();
    let login = file(&json, "src/api/login.rs");
    assert_eq!(login["status"], "renamed");
    assert_eq!(login["old_path"], "src/api/auth.rs");
    assert_eq!(login["verdict"], "pass");
    let admin = file(&json, "src/api/administration.rs");
    assert_eq!(admin["status"], "renamed");
    assert_eq!(admin["verdict"], "fail");
    let messages: Vec<&str> = diag(&json, "GIT011")
        .iter()
        .map(|d| d["message"].as_str().expect("message"))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("`src/api/admin.rs` was renamed to `src/api/administration.rs`"));
    assert!(messages[0].contains("OUT_OF_SCOPE lists it"));
    assert!(messages[1].contains("was renamed from `src/api/admin.rs`"));
}

#[test]
fn deletions_count() {
    let w = Work::new();
    w.done();
    w.remove("src/storage/migrations/0001_init.sql");
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    assert_eq!(
        file(&run.json(), "src/storage/migrations/0001_init.sql")["status"],
        "deleted"
    );
    w.remove("src/api/admin.rs");
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    let json = run.json();
    let d = diag(&json, "GIT011");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["path"], "src/api/admin.rs");
    assert!(d[0]["message"]
        .as_str()
        .expect("message")
        .contains("was deleted"));
}

#[test]
fn untracked_files_count() {
    let w = Work::new();
    w.done();
    w.write("notes/todo.txt", "remember\n");
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    let json = run.json();
    let f = file(&json, "notes/todo.txt");
    assert_eq!(
        (f["status"].as_str(), f["untracked"].as_bool()),
        (Some("added"), Some(true))
    );
    assert!(diag(&json, "GIT011")[0]["message"]
        .as_str()
        .expect("message")
        .contains("was added (untracked)"));
}

// ---------------------------------------------------------------------------------
// check 3: VALIDATION outcomes

#[test]
fn validation_outcomes_are_required() {
    let w = Work::new();
    w.implement();
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    // the template's blank entry records nothing; every TEST_PLAN command is missing
    let codes = run.codes();
    assert!(codes.contains(&"GIT020".to_string()), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "GIT022").count(),
        3,
        "{codes:?}"
    );
}

#[test]
fn validation_failures_and_gaps_are_each_reported() {
    let w = Work::new();
    w.done();
    w.replace(
        PACKET,
        "- Command: cargo clippy --all-targets -- -D warnings\n- Result: PASS\n",
        "- Command: cargo clippy --all-targets -- -D warnings\n- Result: FAIL (2 lints)\n- Command: cargo bench\n- Result: BLOCKED: no runner\n- Command: cargo doc\n- Notes: forgot the result\n",
    )
    .replace(PACKET, "- Command: `cargo test --test auth_login`\n", "- Command: `cargo test`\n");
    let run = w.post_work(&[]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    insta::assert_json_snapshot!(findings(&w.post_work_json(&[])));
}

// ---------------------------------------------------------------------------------
// check 4: review by risk tier

#[test]
fn medium_risk_needs_a_passing_review() {
    let w = Work::new();
    w.done();
    w.replace(
        PACKET,
        "- Command: just ai-review\n- Result: PASS (no findings)\n",
        "",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    assert!(has(&run, "GIT030"));
    insta::assert_json_snapshot!(findings(&run));
    insta::assert_snapshot!(w.post_work(&[]).transcript());
    // an AI_REVIEW line counts as the record (and as the TEST_PLAN's review command)
    w.replace(
        PACKET,
        "## EVIDENCE_MAPPING",
        "AI_REVIEW: PASS (reviewed 2026-11-20)\n\n## EVIDENCE_MAPPING",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    assert_eq!(run.json()["checks"]["review"], "pass");
    // a later FAIL overrides it
    w.replace(
        PACKET,
        "## EVIDENCE_MAPPING",
        "MANUAL_REVIEW: BLOCKED (reviewer away)\n\n## EVIDENCE_MAPPING",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    assert_eq!(run.codes(), ["GIT031"]);
    insta::assert_json_snapshot!(findings(&run));
}

#[test]
fn low_risk_needs_no_review() {
    let w = Work::with_base(
        |t| {
            t.replace("- RISK_TIER: MEDIUM", "- RISK_TIER: LOW")
                .replace("just ai-review\n", "")
        },
        &[],
    );
    w.done();
    w.replace(
        PACKET,
        "- Command: just ai-review\n- Result: PASS (no findings)\n",
        "",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    assert_eq!(run.json()["checks"]["review"], "skipped");
}

// ---------------------------------------------------------------------------------
// check 5: evidence

#[test]
fn evidence_must_point_at_real_lines() {
    let w = Work::new();
    w.done();
    w.replace(
        PACKET,
        "EVIDENCE: src/api/auth.rs:7",
        "EVIDENCE: src/api/token.rs:7",
    )
    .replace(
        PACKET,
        "EVIDENCE: src/api/auth.rs:9-11",
        "EVIDENCE: src/api/auth.rs:9-40, src/api/auth.rs:6",
    );
    let run = w.post_work(&[]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    insta::assert_json_snapshot!(findings(&w.post_work_json(&[])));
}

#[test]
fn missing_evidence_warns_and_fails_for_high_risk() {
    let w = Work::new();
    w.done();
    w.replace(
        PACKET,
        "- DONE_MEANS 3: AUTH-001 on invalid credentials\n  EVIDENCE: src/api/auth.rs:9-11\n",
        "",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    let json = run.json();
    let d = diag(&json, "GIT042");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["severity"], "warning");
    assert_eq!(json["checks"]["evidence"], "warn");
    // per-check verdicts follow the configured severities
    let config = w.config("version: 1\nseverity:\n  GIT042: \"off\"\n");
    let quiet = w.post_work_json(&["--config", &config]);
    assert_eq!(quiet.codes(), Vec::<String>::new());
    assert_eq!(quiet.json()["checks"]["evidence"], "pass");
    w.replace(PACKET, "- RISK_TIER: MEDIUM", "- RISK_TIER: HIGH");
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    assert_eq!(diag(&run.json(), "GIT042")[0]["severity"], "error");
    insta::assert_json_snapshot!(findings(&run));
    insta::assert_snapshot!(w.post_work(&[]).transcript());
}

#[test]
fn an_evidence_table_counts() {
    let w = Work::new();
    w.done();
    w.replace(
        PACKET,
        EVIDENCE_DONE,
        "## Evidence Mapping\n| DONE_MEANS | SPEC_ANCHOR | Code Evidence (path:line) | Test Command |\n|---|---|---|---|\n| POST /auth/login accepts email and password JSON | 3.1.1 | src/api/auth.rs:3-5 | cargo test --test auth_login |\n| Valid credentials return a token that expires in 86400 seconds | 3.1.1 | src/api/auth.rs:7 | cargo test |\n| 3 | 3.2 | src/api/auth.rs:9-11 | cargo test |\n",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    assert_eq!(run.codes(), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------
// check 6: the deterministic manifest

/// The fixture with PACKET_FORMAT_VERSION in the signed base packet.
fn versioned() -> Work {
    Work::with_base(
        |t| {
            t.replace(
                "- SPEC_VERSION: v1.0\n",
                "- SPEC_VERSION: v1.0\n- PACKET_FORMAT_VERSION: 2026-02-01\n",
            )
        },
        &[],
    )
}

/// `gov manifest PATH` as Markdown, through the command itself.
fn manifest_entry(w: &Work, path: &str, extra: &[&str]) -> String {
    let mut args = vec!["manifest", path, "--format", "json"];
    args.extend_from_slice(extra);
    let run = w.run(&args);
    run.expect_code(0);
    run.json()["markdown"]
        .as_str()
        .expect("markdown")
        .to_string()
}

fn with_manifest(w: &Work, entries: &[String]) {
    let block = format!("{}\n", entries.join("\n"));
    w.replace(
        PACKET,
        "- Notes: run 2026-11-20\n",
        &format!("- Notes: run 2026-11-20\n\n### Manifest\n{block}\n"),
    );
}

#[test]
fn a_versioned_packet_needs_a_manifest() {
    let w = versioned();
    w.done();
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    assert_eq!(run.codes(), ["GIT050"]);
    insta::assert_json_snapshot!(findings(&run));
    insta::assert_snapshot!(w.post_work(&[]).transcript());
    // not required when the repository says so
    let config = w.config("version: 1\npacket:\n  require_manifest: false\n");
    let run = w.post_work_json(&["--config", &config]);
    assert_eq!(run.json()["checks"]["manifest"], "skipped");
    run.expect_code(0);
}

#[test]
fn a_manifest_from_gov_manifest_passes() {
    let w = versioned();
    w.done();
    let auth = manifest_entry(&w, "src/api/auth.rs", &[]);
    let tests = manifest_entry(&w, "tests/auth_login.rs", &[]);
    with_manifest(&w, &[auth, tests]);
    let run = w.post_work(&[]);
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

/// An entry with one field's value replaced.
fn set(entry: &str, field: &str, value: &str) -> String {
    let prefix = format!("- **{field}**: ");
    entry
        .lines()
        .map(|l| {
            if l.starts_with(&prefix) {
                format!("{prefix}{value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn manifest_mismatches_are_each_reported() {
    let w = versioned();
    w.done();
    let auth = manifest_entry(&w, "src/api/auth.rs", &[]);
    let auth = set(&auth, "Start", "8");
    let auth = set(&auth, "Line Delta", "+5");
    let auth = set(&auth, "Pre-SHA1", &"f".repeat(40));
    let stale = "- **Target File**: `README.md`\n- **Start**: 1\n- **End**: 1\n- **Line Delta**: 0\n- **Pre-SHA1**: xyz\n- **Post-SHA1**: da39a3ee5e6b4b0d3255bfef95601890afd80709".to_string();
    with_manifest(&w, &[auth, stale]);
    // an edit made after the manifest was computed
    w.replace(
        "src/api/auth.rs",
        "(401, \"AUTH-001\")",
        "(401, \"AUTH-001\") // invalid",
    );
    let run = w.post_work(&[]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    let json = w.post_work_json(&[]);
    insta::assert_json_snapshot!(findings(&json));
    let codes = json.codes();
    for code in [
        "GIT051", "GIT052", "GIT053", "GIT054", "GIT055", "GIT056", "GIT057",
    ] {
        assert!(
            codes.contains(&code.to_string()),
            "{code} missing from {codes:?}"
        );
    }
    assert!(json.json()["next"][0]
        .as_str()
        .expect("next")
        .starts_with("gov manifest "));
}

#[test]
fn manifest_sha1s_follow_the_diff_selection() {
    let w = versioned();
    w.done();
    let head = w.commit("feat: WP-1-Login");
    let rev = head.to_string();
    let auth = manifest_entry(&w, "src/api/auth.rs", &["--rev", &rev]);
    let tests = manifest_entry(&w, "tests/auth_login.rs", &["--rev", &rev]);
    with_manifest(&w, &[auth.clone(), tests]);
    w.commit("docs: manifest");
    // the manifest commit changes only the packet; the work commit is checked
    let run = w.post_work_json(&["--rev", &rev]);
    run.expect_code(0);
    // CRLF line endings hash like LF: the working tree's CRLF copy has the same Post-SHA1
    w.write("src/api/auth.rs", AUTH_RS.replace('\n', "\r\n"));
    let crlf = w.run(&["manifest", "src/api/auth.rs", "--format", "json"]);
    crlf.expect_code(0);
    let post = crlf.json()["entry"]["post_sha1"]
        .as_str()
        .expect("sha")
        .to_string();
    assert!(auth.contains(&format!("- **Post-SHA1**: {post}")), "{auth}");
    assert_eq!(crlf.json()["entry"]["line_delta"], 0);
}

// ---------------------------------------------------------------------------------
// check 7: ASCII-only versioned packets

#[test]
fn versioned_packets_must_be_ascii() {
    let w = versioned();
    w.done();
    let auth = manifest_entry(&w, "src/api/auth.rs", &[]);
    let tests = manifest_entry(&w, "tests/auth_login.rs", &[]);
    with_manifest(&w, &[auth, tests]);
    w.replace(
        PACKET,
        "- Notes: run 2026-11-20",
        "- Notes: run 2026-11-20 \u{2192} all green \u{2705}",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    insta::assert_json_snapshot!(findings(&run));
    insta::assert_snapshot!(w.post_work(&[]).transcript());
    let json = run.json();
    let d = diag(&json, "GIT060");
    assert_eq!(d.len(), 1, "one diagnostic per line");
    assert!(d[0]["message"]
        .as_str()
        .expect("message")
        .contains("U+2192"));
    assert_eq!(d[0]["column"], 25);
    let config = w.config("version: 1\npacket:\n  ascii_only: false\n");
    w.post_work(&["--config", &config]).expect_code(0);
    // an unversioned packet is not held to ASCII
    let w = Work::new();
    w.done();
    w.replace(
        PACKET,
        "- Notes: run 2026-11-20",
        "- Notes: run 2026-11-20 \u{2192} green",
    );
    w.post_work(&[]).expect_code(0);
}

// ---------------------------------------------------------------------------------
// check 8: locked packets

#[test]
fn a_signed_packets_locked_sections_cannot_change() {
    let w = Work::new();
    w.done();
    w.replace(
        PACKET,
        "3. Invalid credentials return 401 with error code AUTH-001\n",
        "3. Invalid credentials return 401\n",
    )
    .replace(
        PACKET,
        "  - tests/auth_login.rs (integration tests)\n",
        "  - tests/auth_login.rs (integration tests)\n  - README.md\n",
    );
    let run = w.post_work(&[]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    insta::assert_json_snapshot!(findings(&w.post_work_json(&[])));
}

#[test]
fn an_unsigned_packet_may_still_change() {
    let w = Work::with_base(
        |t| {
            t.replace(
                "- USER_SIGNATURE: maria181120260930",
                "- USER_SIGNATURE: <pending>",
            )
            .replace("- Signature: maria181120260930\n", "")
        },
        &[],
    );
    w.done();
    w.replace(
        PACKET,
        "3. Invalid credentials return 401 with error code AUTH-001\n",
        "3. Invalid credentials return 401 with AUTH-001\n",
    );
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    assert_eq!(run.json()["checks"]["locked"], "skipped");
}

// ---------------------------------------------------------------------------------
// bad input

#[test]
fn not_a_git_repository_is_exit_2() {
    let run = Gov::fixture("post-work-basic")
        .args(&["post-work", WP])
        .run();
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
    let run = Gov::fixture("post-work-basic")
        .args(&["post-work", WP, "--format", "json"])
        .run();
    run.expect_code(2);
    let mut json = run.json();
    json["diagnostics"][0]["message"] = serde_json::json!("[redacted: temporary path]");
    insta::assert_json_snapshot!(json);
}

#[test]
fn an_unknown_revision_is_exit_2() {
    let w = Work::new();
    let run = w.post_work(&["--range", "v9.9..HEAD"]);
    run.expect_code(2);
    insta::assert_snapshot!(run.transcript());
    let run = w.post_work_json(&["--rev", "0123456789abcdef0123456789abcdef01234567"]);
    run.expect_code(2);
    assert_eq!(run.codes(), ["GIT002"]);
    assert_eq!(run.json()["verdict"], "error");
    let run = w.post_work_json(&["--range", "HEAD"]);
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV011"]);
    // a MERGE_BASE_SHA that is not in the repository names itself
    w.replace(
        PACKET,
        "- SPEC_VERSION: v1.0\n",
        "- SPEC_VERSION: v1.0\n- MERGE_BASE_SHA: abcdef1234\n",
    );
    w.commit("packet: merge base");
    let run = w.post_work_json(&[]);
    run.expect_code(2);
    assert!(run.json()["diagnostics"][0]["message"]
        .as_str()
        .expect("message")
        .contains("MERGE_BASE_SHA `abcdef1234`"));
}

#[test]
fn a_shallow_clone_missing_the_base_is_exit_2() {
    let w = Work::new();
    w.done();
    let head = w.commit("feat: WP-1-Login");
    // what `git clone --depth 1` leaves: the head commit grafted, its parent absent
    std::fs::write(w.git.path().join("shallow"), format!("{head}\n")).expect("shallow");
    let parent = w.base.to_string();
    let loose = w
        .git
        .path()
        .join("objects")
        .join(&parent[..2])
        .join(&parent[2..]);
    std::fs::remove_file(loose).expect("drop the parent commit");
    let run = w.post_work_json(&["--rev", "HEAD"]);
    run.expect_code(2);
    let message = run.json()["diagnostics"][0]["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(
        message.contains(&parent) && message.contains("shallow clone"),
        "{message}"
    );
    let run = w.post_work_json(&["--range", &format!("{parent}..HEAD")]);
    run.expect_code(2);
    assert_eq!(run.codes(), ["GIT002"]);
}

#[test]
fn a_bare_repository_is_exit_2() {
    let gov = Gov::fixture("post-work-basic");
    Repository::init_bare(gov.root()).expect("bare");
    let run = gov.run_with(&["post-work", WP, "--format", "json"]);
    run.expect_code(2);
    assert_eq!(run.codes(), ["GIT003"]);
}

#[test]
fn binary_files_are_checked_by_path_only() {
    let w = versioned();
    w.done();
    w.write(
        "src/storage/migrations/seed.bin",
        [0u8, 159, 146, 150, 0, 1, 2],
    )
    .write("assets/logo.png", [137u8, 80, 78, 71, 0, 0]);
    let auth = manifest_entry(&w, "src/api/auth.rs", &[]);
    let tests = manifest_entry(&w, "tests/auth_login.rs", &[]);
    with_manifest(&w, &[auth, tests]);
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    let json = run.json();
    // no manifest entry needed; scope still applies
    assert_eq!(run.codes(), ["GIT011"]);
    assert_eq!(
        file(&json, "src/storage/migrations/seed.bin")["binary"],
        true
    );
    assert_eq!(
        file(&json, "src/storage/migrations/seed.bin")["verdict"],
        "pass"
    );
    let run = w.run(&["manifest", "assets/logo.png"]);
    run.expect_code(0);
    assert!(run.stdout.contains("GIT059"));
}

/// The facts `gov manifest` reports for `path` (window, delta, both SHA1s).
fn manifest_facts(w: &Work, path: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["manifest", path, "--format", "json"];
    args.extend_from_slice(extra);
    let run = w.run(&args);
    run.expect_code(0);
    run.json()["entry"].clone()
}

fn lf_sha1(text: &str) -> String {
    use sha1::{Digest, Sha1};
    let digest = Sha1::digest(text.replace("\r\n", "\n").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Each changed file is read and hashed once, from the working tree or from a blob;
/// either way a file's facts are the same: CRLF content, a change of the executable
/// bit alone, an edit that keeps the size (only its content tells it changed), and a
/// file changed and then put back (not a change at all).
#[test]
fn changed_files_report_the_same_facts_from_the_working_tree_and_a_commit() {
    const DIR: &str = "src/storage/migrations";
    let lines = "create table users (\n  id integer,\n  name text\n);\n";
    let w = Work::with_base(
        |t| t,
        &[
            ("src/storage/migrations/001.sql", lines),
            ("src/storage/migrations/002.sql", "select 1;\n"),
            ("src/storage/migrations/003.sql", "select 2;\n"),
            ("src/storage/migrations/run.sh", "#!/bin/sh\nexit 0\n"),
        ],
    );
    w.done();
    let crlf = lines
        .replace("name text", "name text,\n  email text")
        .replace('\n', "\r\n");
    w.write(&format!("{DIR}/001.sql"), &crlf)
        .write(&format!("{DIR}/002.sql"), "select 9;\n")
        .write(&format!("{DIR}/003.sql"), "select 3;\n")
        .write(&format!("{DIR}/003.sql"), "select 2;\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = w.root().join(DIR).join("run.sh");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let names = ["001.sql", "002.sql", "run.sh"];
    let worktree: Vec<serde_json::Value> = names
        .iter()
        .map(|n| manifest_facts(&w, &format!("{DIR}/{n}"), &[]))
        .collect();
    let run = w.post_work_json(&[]);
    let json = run.json();
    let listed = |json: &serde_json::Value| -> Vec<String> {
        json["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter_map(|f| f["path"].as_str())
            .filter(|p| p.starts_with(DIR))
            .map(str::to_string)
            .collect()
    };
    let mut expected: Vec<String> = vec![format!("{DIR}/001.sql"), format!("{DIR}/002.sql")];
    if cfg!(unix) {
        expected.push(format!("{DIR}/run.sh"));
    }
    assert_eq!(listed(&json), expected, "the file put back is no change");
    // CRLF read as LF: one line changed, one added, hashed as its LF copy
    let f = file(&json, &format!("{DIR}/001.sql"));
    assert_eq!((&f["added"], &f["deleted"]), (&2.into(), &1.into()));
    assert_eq!(worktree[0]["pre_sha1"], lf_sha1(lines));
    assert_eq!(worktree[0]["post_sha1"], lf_sha1(&crlf));
    assert_eq!(
        (&worktree[0]["start"], &worktree[0]["end"]),
        (&3.into(), &4.into())
    );
    assert_eq!(worktree[0]["line_delta"], 1);
    // the same size, another content
    assert_eq!(worktree[1]["post_sha1"], lf_sha1("select 9;\n"));
    assert_eq!(worktree[1]["line_delta"], 0);
    if cfg!(unix) {
        // the mode alone: the same content on both sides, no lines
        let f = file(&json, &format!("{DIR}/run.sh"));
        assert_eq!((&f["added"], &f["deleted"]), (&0.into(), &0.into()));
        assert_eq!(worktree[2]["pre_sha1"], worktree[2]["post_sha1"]);
    }
    // the same change committed: every fact read from blobs instead of files
    let head = w.commit("feat: migrations").to_string();
    for (n, from_tree) in names.iter().zip(&worktree) {
        let committed = manifest_facts(&w, &format!("{DIR}/{n}"), &["--rev", &head]);
        assert_eq!(&committed, from_tree, "{n}");
    }
    let committed = w.post_work_json(&["--rev", &head]);
    assert_eq!(listed(&committed.json()), expected);
    for path in &expected {
        for key in ["added", "deleted", "status", "binary"] {
            assert_eq!(
                file(&committed.json(), path)[key],
                file(&json, path)[key],
                "{path} {key}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_paths_are_reported_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let w = Work::new();
    w.done();
    let name = std::ffi::OsStr::from_bytes(b"notes-\xff.txt");
    std::fs::write(w.root().join(name), "x\n").expect("write");
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    let json = run.json();
    let d = diag(&json, "GIT011");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["path"], "notes-\u{FFFD}.txt");
}

#[test]
fn a_diff_of_ten_thousand_files_works() {
    let w = Work::new();
    w.done();
    for i in 0..10_000 {
        w.write(
            &format!("src/storage/migrations/gen/{i:05}.sql"),
            format!("-- {i}\n"),
        );
    }
    let run = w.post_work_json(&[]);
    run.expect_code(0);
    assert_eq!(run.json()["changed"]["files"], 10_003);
    let run = w.post_work(&[]);
    run.expect_code(0);
    assert!(run.stdout.contains("... and 9953 more (see --format json)"));
}

// ---------------------------------------------------------------------------------
// gov manifest

#[test]
fn manifest_prints_a_ready_to_paste_entry() {
    let w = Work::new();
    w.implement();
    let run = w.run(&["manifest", "src/api/auth.rs"]);
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let sub = w.run(&["manifest", "./src/api/auth.rs", "--format", "json"]);
    assert_eq!(sub.json()["entry"]["target_file"], "src/api/auth.rs");
    assert_eq!(sub.json()["entry"]["line_delta"], 6);
    assert_eq!(sub.json()["entry"]["start"], 6);
    assert_eq!(sub.json()["entry"]["end"], 11);
    // -q drops chatter, never the entry itself
    let quiet = w.run(&["-q", "manifest", "src/api/auth.rs"]);
    assert!(quiet.stdout.contains("src/api/auth.rs"), "{}", quiet.stdout);
    assert!(
        run.stdout.starts_with(quiet.stdout.trim_end()),
        "{}",
        quiet.stdout
    );
}

#[test]
fn manifest_of_an_unchanged_file_fails() {
    let w = Work::new();
    w.implement();
    let run = w.run(&["manifest", "README.md"]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
    let run = w.run(&["manifest", "../outside.rs"]);
    run.expect_code(2);
}

#[test]
fn a_governance_root_below_the_work_tree_uses_root_relative_paths() {
    let gov = Gov::new();
    crate::support::copy_tree(
        &crate::support::fixtures_dir().join("post-work-basic"),
        &gov.root().join("ledger"),
    );
    std::fs::write(gov.root().join("NOTES.md"), "# Notes\n").expect("write");
    let git = Repository::init_opts(
        gov.root(),
        RepositoryInitOptions::new().initial_head("main"),
    )
    .expect("git init");
    let mut index = git.index().expect("index");
    index
        .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    git.commit(
        Some("HEAD"),
        &signature(1),
        &signature(1),
        "base",
        &tree,
        &[],
    )
    .expect("commit");
    std::fs::write(gov.root().join("ledger/src/api/auth.rs"), AUTH_RS).expect("write");
    std::fs::write(gov.root().join("NOTES.md"), "# Notes\n\nedited\n").expect("write");
    let run = gov.run_with(&["-C", "ledger", "post-work", WP, "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    assert_eq!(file(&json, "src/api/auth.rs")["verdict"], "pass");
    assert_eq!(file(&json, "../NOTES.md")["verdict"], "fail");
    let run = gov.run_with(&[
        "-C",
        "ledger",
        "manifest",
        "src/api/auth.rs",
        "--format",
        "json",
    ]);
    run.expect_code(0);
    assert_eq!(run.json()["entry"]["line_delta"], 6);
    assert_eq!(run.json()["entry"]["target_file"], "src/api/auth.rs");
}

#[test]
fn a_packet_edited_since_signing_is_reported_like_pre_work() {
    // the audit recorded a hash of the locked sections at signing; it no longer matches
    let w = Work::with_base(
        |packet| packet,
        &[(
            "docs/SIGNATURE_AUDIT.md",
            "# Signature Audit\n\n## Consumed Signatures\n\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Evidence |\n|---|---|---|---|---|---|\n| maria181120260930 | Orchestrator | 2026-11-18 09:30 UTC | Packet creation: WP-1-Login | v1.0 | docs/task_packets/WP-1-Login.md sha256:0000000000000000000000000000000000000000000000000000000000000000 |\n",
        )],
    );
    w.done();
    let run = w.post_work_json(&[]);
    run.expect_code(1);
    assert!(has(&run, "SIG009"), "{:?}", run.codes());
    // a legacy audit row without a hash has nothing to compare against
    let w = Work::new();
    w.done();
    assert!(!has(&w.post_work_json(&[]), "SIG009"));
}
