//! A throw-away governed git repository, made with `gov init` and driven only by gov
//! commands plus the edits a person makes (packet content, code, evidence).

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, Time};
use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

pub const NOW: &str = "2026-11-21T12:00:00";

pub struct Team {
    dir: tempfile::TempDir,
    git: Repository,
    tick: Cell<i64>,
    pub layout: Layout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Docs,
    Dotgov,
}

impl Layout {
    pub fn packets(self) -> &'static str {
        match self {
            Layout::Docs => "docs/task_packets",
            Layout::Dotgov => ".GOV/task_packets",
        }
    }
    pub fn board(self) -> &'static str {
        match self {
            Layout::Docs => "docs/TASK_BOARD.md",
            Layout::Dotgov => ".GOV/roles_shared/TASK_BOARD.md",
        }
    }
    pub fn gates(self) -> &'static str {
        match self {
            Layout::Docs => "docs/ORCHESTRATOR_GATES.json",
            Layout::Dotgov => ".GOV/roles/orchestrator/ORCHESTRATOR_GATES.json",
        }
    }
    pub fn refinements(self) -> &'static str {
        match self {
            Layout::Docs => "docs/refinements",
            Layout::Dotgov => ".GOV/refinements",
        }
    }
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "not one JSON document ({e}):\n{}{}",
                self.stdout, self.stderr
            )
        })
    }

    pub fn codes(&self) -> Vec<String> {
        self.json()["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_string())
            .collect()
    }

    pub fn expect(&self, code: i32) -> &Out {
        assert_eq!(
            self.code, code,
            "exit {}\n{}{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    pub fn transcript(&self, root: &Path) -> String {
        let clean = |s: &str| s.replace(&root.display().to_string(), "[ROOT]");
        let mut t = format!("exit: {}\n", self.code);
        if !self.stdout.is_empty() {
            t.push_str("--- stdout\n");
            t.push_str(&clean(&self.stdout));
        }
        if !self.stderr.is_empty() {
            t.push_str("--- stderr\n");
            t.push_str(&clean(&self.stderr));
        }
        t
    }
}

impl Team {
    /// `gov init` in a new git repository, committed.
    pub fn init(layout: Layout) -> Team {
        let dir = tempfile::tempdir().expect("tempdir");
        let git = Repository::init_opts(
            dir.path(),
            RepositoryInitOptions::new().initial_head("main"),
        )
        .expect("git init");
        let t = Team {
            dir,
            git,
            tick: Cell::new(0),
            layout,
        };
        let l = match layout {
            Layout::Docs => "docs",
            Layout::Dotgov => "dotgov",
        };
        t.gov(&["init", "--layout", l]).expect(0);
        t.commit("gov init");
        t
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn gov(&self, args: &[&str]) -> Out {
        self.gov_at(NOW, args, None)
    }

    /// gov at a given "now", with `stdin` piped in.
    pub fn gov_at(&self, now: &str, args: &[&str], stdin: Option<&str>) -> Out {
        let mut child = crate::support::gov_command()
            .args(args)
            .current_dir(self.root())
            .env("GOV_NOW", now)
            .env("NO_COLOR", "1")
            .env_remove("GOV_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn gov");
        {
            let mut input = child.stdin.take().expect("stdin");
            if let Some(s) = stdin {
                input.write_all(s.as_bytes()).expect("write stdin");
            }
        }
        let o = child.wait_with_output().expect("wait");
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    pub fn write(&self, path: &str, content: &str) -> &Team {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
        self
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path)).expect("read")
    }

    pub fn replace(&self, path: &str, from: &str, to: &str) -> &Team {
        let text = self.read(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        self.write(path, &text.replacen(from, to, 1))
    }

    pub fn packet_path(&self, id: &str) -> String {
        format!("{}/{id}.md", self.layout.packets())
    }

    /// Stages everything and commits.
    pub fn commit(&self, msg: &str) {
        let mut index = self.git.index().expect("index");
        index
            .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
            .expect("add");
        index.update_all(["*"].iter(), None).expect("update");
        index.write().expect("write index");
        let tree = self
            .git
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let parent = self.git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let n = self.tick.get() + 1;
        self.tick.set(n);
        let sig = Signature::new(
            "Team",
            "team@example.com",
            &Time::new(1_795_000_000 + n * 60, 0),
        )
        .expect("sig");
        self.git
            .commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .expect("commit");
    }

    /// A packet filled in as a person would fill the template, STATUS kept.
    pub fn fill_packet(&self, id: &str, scope: &str) {
        let path = self.packet_path(id);
        let status = self
            .read(&path)
            .lines()
            .find(|l| l.starts_with("- STATUS:"))
            .expect("status line")
            .to_string();
        self.write(&path, &packet(id, &status, scope));
    }

    /// A complete Technical Refinement for `id`, approved.
    pub fn write_refinement(&self, id: &str) {
        self.write(
            &format!("{}/{id}.md", self.layout.refinements()),
            &REFINEMENT.replace("{ID}", id),
        );
    }
}

pub fn packet(id: &str, status_line: &str, scope: &str) -> String {
    PACKET
        .replace("{ID}", id)
        .replace("{STATUS}", status_line)
        .replace("{SCOPE}", scope)
}

const PACKET: &str = "# Task Packet: {ID}

## Metadata
- TASK_ID: {ID}
{STATUS}
- DATE: 2026-11-21
- REQUESTOR: maria
- SPEC_VERSION: v1.0
- RISK_TIER: LOW
- USER_SIGNATURE: <pending>

## Authority
- SPEC_ANCHOR: §1.2.1

## Scope
- What: Add the greeting function the first requirement asks for.
- Why: Spec §1.2.1 requires a greeting; nothing else depends on it yet.
- IN_SCOPE_PATHS:
  - {SCOPE}
- OUT_OF_SCOPE:
  - Localisation (a later packet)

## DONE_MEANS
1. `greet(\"Ana\")` returns `Hello, Ana` (§1.2.1)

## TEST_PLAN
```bash
cargo test greet
```

## BOOTSTRAP (Coder Work Plan)
- FILES_TO_OPEN:
  - {SCOPE}
- SEARCH_TERMS:
  - \"greet\"
- RUN_COMMANDS:
  - cargo test greet
- RISK_MAP:
  - \"Wrong greeting text\" -> \"greet\"

## ROLLBACK_HINT
- `git revert <commit>`: one file, no migrations.

## Dependencies
- Depends on: None

## VALIDATION
- Command:
- Result:
- Notes:

## Signature & Enrichment Log
- Signature: <pending>
- Locked: DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS, OUT_OF_SCOPE
";

/// The VALIDATION evidence a coder records after running the TEST_PLAN.
pub const EVIDENCE: &str = "## VALIDATION
- Command: cargo test greet
- Result: PASS (1 passed)
- Notes: run in the WP worktree
- EVIDENCE: src/greet.rs:1";

const REFINEMENT: &str = "# Technical Refinement: {ID}

- WP_ID: {ID}
- DATE: 2026-11-21
- SPEC_TARGET: v1.0

## GAPS_IDENTIFIED
- NONE: §1.2.1 states the requirement and its acceptance test.

## FLIGHT_RECORDER_INTERACTION
- NONE: the change emits no events.

## RED_TEAM_ADVISORY
- An empty name would print a dangling comma; handle it.

## PRIMITIVES
- `fn greet(name: &str) -> String`

## PROPOSED_SPEC_ENRICHMENT
NOT APPLICABLE (the Main Body already clearly covers this WP)

## CLEARLY_COVERS
- APPEARS_IN_MAIN_BODY: YES
- EXPLICITLY_NAMED: YES
- SPECIFIC: YES
- MEASURABLE_ACCEPTANCE_CRITERIA: YES
- NO_AMBIGUITY: YES
- VERDICT: PASS

## ENRICHMENT_NEEDED
- ENRICHMENT_NEEDED: NO

## APPROVAL
- USER_APPROVAL_EVIDENCE: APPROVE REFINEMENT {ID}
";
