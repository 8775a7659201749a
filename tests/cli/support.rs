//! A fluent builder for running the `gov` binary against a throw-away copy of a
//! fixture repository, in the style of just's test harness.

// Not every test module uses every helper.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const FIXED_NOW: &str = "2026-11-21T12:00:00";

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub struct Gov {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    cwd: Option<String>,
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    pub root: PathBuf,
    /// Owns the repository unless the run borrowed it (`Gov::run_with`).
    _dir: Option<tempfile::TempDir>,
}

/// The gov binary, for tests that start it themselves. Outputs are compared with
/// fixtures and snapshots, so the persistent cache (tested on its own in
/// tests/cli/cache.rs) is off: its counts would change from run to run.
pub fn gov_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gov"));
    cmd.env("GOV_NO_CACHE", "1");
    cmd
}

impl Default for Gov {
    fn default() -> Self {
        Self::new()
    }
}

impl Gov {
    /// An empty repository folder.
    pub fn new() -> Gov {
        Gov {
            dir: tempfile::tempdir().expect("tempdir"),
            args: Vec::new(),
            env: Vec::new(),
            cwd: None,
        }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Gov {
        let g = Gov::new();
        copy_tree(&fixtures_dir().join(name), g.dir.path());
        g
    }

    /// A copy of `examples/<name>`.
    pub fn example(name: &str) -> Gov {
        let g = Gov::new();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(name),
            g.dir.path(),
        );
        g
    }

    /// A file of `tests/fixtures/<name>` as it is in the fixture.
    pub fn fixture_text(name: &str, path: &str) -> String {
        std::fs::read_to_string(fixtures_dir().join(name).join(path)).expect("fixture file")
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or replaces) a file in the repository.
    pub fn file(self, path: &str, content: impl AsRef<[u8]>) -> Gov {
        let p = self.dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
        self
    }

    /// Edits a file in place with a string replacement (which must match).
    pub fn replace(self, path: &str, from: &str, to: &str) -> Gov {
        let p = self.dir.path().join(path);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{path} does not contain {from:?}");
        std::fs::write(p, text.replacen(from, to, 1)).expect("write");
        self
    }

    pub fn remove(self, path: &str) -> Gov {
        let p = self.dir.path().join(path);
        if p.is_dir() {
            std::fs::remove_dir_all(p).expect("rm -r");
        } else {
            std::fs::remove_file(p).expect("rm");
        }
        self
    }

    pub fn arg(mut self, a: &str) -> Gov {
        self.args.push(a.to_string());
        self
    }

    pub fn args(mut self, a: &[&str]) -> Gov {
        self.args.extend(a.iter().map(|s| s.to_string()));
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Gov {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Runs from a sub-folder of the repository instead of its root.
    pub fn current_dir(mut self, rel: &str) -> Gov {
        self.cwd = Some(rel.to_string());
        self
    }

    pub fn run(self) -> Run {
        let args = self.args.clone();
        let mut run = self.exec(&args);
        run._dir = Some(self.dir);
        run
    }

    /// Runs gov with `args` (not the builder's) and keeps the repository, for tests
    /// that run several commands against one repository.
    pub fn run_with(&self, args: &[&str]) -> Run {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        self.exec(&args)
    }

    fn exec(&self, args: &[String]) -> Run {
        let cwd = match &self.cwd {
            Some(c) => self.dir.path().join(c),
            None => self.dir.path().to_path_buf(),
        };
        let mut cmd = gov_command();
        cmd.args(args)
            .current_dir(&cwd)
            .env("GOV_NOW", FIXED_NOW)
            .env("NO_COLOR", "1")
            .env_remove("GOV_CONFIG")
            // a test run inside a git hook must not hand its index to the test repos
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run gov");
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
            root: self.dir.path().to_path_buf(),
            _dir: None,
        }
    }
}

impl Run {
    /// stdout parsed as the one JSON document gov prints in JSON mode.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }

    /// Exit code, stdout and stderr in one text, with the temporary root replaced.
    pub fn transcript(&self) -> String {
        let root = self.root.display().to_string();
        let clean = |s: &str| s.replace(&root, "[ROOT]");
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

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).expect("read")
    }

    /// The same repository, for a follow-up command (its files as this run left them).
    /// Only for runs that own their repository (`run`, not `run_with`).
    pub fn again(self) -> Gov {
        Gov {
            dir: self
                ._dir
                .expect("again() needs a run that owns its repository"),
            args: Vec::new(),
            env: Vec::new(),
            cwd: None,
        }
    }

    /// Asserts the exit code and that, in JSON mode, `verdict` agrees with it.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            code,
            "unexpected exit code\n{}",
            self.transcript()
        );
        self
    }

    /// Diagnostic codes in the JSON output, in order.
    pub fn codes(&self) -> Vec<String> {
        self.json()["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_string())
            .collect()
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}
