//! Running the gov binary with a deadline, and the contract every run must keep:
//! exit 0, 1 or 2 (never a panic, an abort or a signal), and in JSON mode exactly one
//! document whose verdict agrees with the exit code, with complete, located
//! diagnostics.

use crate::support::FIXED_NOW;
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// How long one command may take. A regression guard against hangs and quadratic
/// blow-ups in debug builds on a loaded CI machine, never a performance assertion:
/// release-build figures are in docs/reliability.md.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Failures about the command line rather than a file: an invalid WP id, no
/// repository at `--root`, a usage error, no git work tree, a path argument that
/// does not exist or leaves the root, a `--baseline` file that is not there.
const ARGUMENT_CODES: [&str; 7] = [
    "GOV003", "GOV005", "GOV011", "GIT001", "SCN001", "GOV010", "SCN006",
];

#[derive(Debug)]
pub struct Outcome {
    pub args: Vec<String>,
    /// `None` when the process was ended by a signal (a stack overflow aborts).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Runs `gov ARGS` in `root`, killing it (and failing the test) after `deadline`.
pub fn run(root: &Path, args: &[&str], deadline: Duration) -> Outcome {
    run_in(root, root, args, deadline)
}

/// Like [`run`], from the working directory `cwd`.
pub fn run_in(root: &Path, cwd: &Path, args: &[&str], deadline: Duration) -> Outcome {
    let mut child = crate::support::gov_command()
        .args(args)
        .current_dir(cwd)
        .env("GOV_NOW", FIXED_NOW)
        .env("NO_COLOR", "1")
        .env_remove("GOV_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gov");
    // drain both pipes while waiting, so a large output cannot block the child
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for gov") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`gov {}` in {} did not answer within {deadline:?}",
                args.join(" "),
                root.display()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Outcome {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: status.code(),
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
        elapsed: start.elapsed(),
    }
}

impl Outcome {
    fn what(&self) -> String {
        format!(
            "`gov {}` (exit {:?})\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }

    /// Exit 0, 1 or 2, and no panic text.
    pub fn assert_exit_contract(&self) -> i32 {
        let code = self.code.unwrap_or(-1);
        assert!(
            (0..=2).contains(&code),
            "exit code outside 0..=2: {}",
            self.what()
        );
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("overflowed its stack"),
            "gov panicked: {}",
            self.what()
        );
        code
    }

    /// The full contract of a `--format json` run; returns the document.
    pub fn assert_json_contract(&self) -> Value {
        let code = self.assert_exit_contract();
        let doc: Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {}", self.what()));
        assert!(
            self.stderr.is_empty(),
            "nothing goes to stderr in JSON mode: {}",
            self.what()
        );
        let verdict = ["pass", "fail", "error"][code as usize];
        assert_eq!(
            doc["verdict"],
            verdict,
            "verdict and exit code agree: {}",
            self.what()
        );
        let diags = doc["diagnostics"].as_array().expect("diagnostics array");
        let errors = diags.iter().filter(|d| d["severity"] == "error").count();
        assert_eq!(
            doc["summary"]["errors"].as_u64(),
            Some(errors as u64),
            "summary counts the errors: {}",
            self.what()
        );
        for d in diags {
            for key in ["code", "severity", "message", "help"] {
                assert!(
                    d[key].as_str().is_some_and(|s| !s.is_empty()),
                    "diagnostic without {key}: {d}\n{}",
                    self.what()
                );
            }
        }
        // a failure names the file it is about, unless it is about the command line
        let about_arguments = diags
            .iter()
            .any(|d| ARGUMENT_CODES.contains(&d["code"].as_str().unwrap_or("")));
        if code != 0 && !about_arguments {
            assert!(
                diags
                    .iter()
                    .any(|d| d["severity"] == "error" && d["path"].is_string()),
                "a failure names the file it is about: {}",
                self.what()
            );
        }
        doc
    }
}

fn clip(s: &str) -> String {
    if s.len() <= 3000 {
        return s.to_string();
    }
    let mut end = 3000;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}
