//! Path safety: nothing outside the repository root is read or written, whatever a
//! user, a config file or a document names — `..`, absolute paths, symbolic links,
//! names with newlines or control characters — and such names never forge output.
//! Where gov could read a file it must not, the file is a FIFO: opening it would
//! block, so a passing test proves it was never opened.

use super::bounded::{self, DEADLINE};
use super::hostile::demo_repo;
use crate::support::Gov;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SECRET: &str = "SECRET-7f3a9c-never-print-me";
const PACKET: &str = "docs/task_packets/WP-1-Token-Validation.md";

/// Every file under `dir` with its bytes (links as their target), for before/after.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.path().components().any(|c| c.as_os_str() == ".git"))
        .map(|e| {
            let content = if e.path_is_symlink() {
                std::fs::read_link(e.path())
                    .map(|t| t.to_string_lossy().into_owned().into_bytes())
                    .unwrap_or_default()
            } else if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap_or_default()
            } else {
                Vec::new()
            };
            (e.path().to_path_buf(), content)
        })
        .collect()
}

/// A repository inside a folder that also holds `outside/secret.md` (and, on unix,
/// `outside/fifo.md`, a FIFO that would block whoever opens it).
struct Sandbox {
    _dir: tempfile::TempDir,
    base: PathBuf,
    repo: PathBuf,
    _gov: Gov,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().to_path_buf();
        let gov = demo_repo();
        let repo = gov.root().to_path_buf();
        std::fs::create_dir_all(base.join("outside")).expect("mkdir");
        let secret = format!("# {SECRET}\n- USER_SIGNATURE: {SECRET}\n- STATUS: {SECRET}\n");
        std::fs::write(base.join("outside/secret.md"), secret).expect("secret");
        std::fs::write(base.join("outside/gov.yaml"), format!("{SECRET}: [\n")).expect("yaml");
        #[cfg(unix)]
        make_fifo(&base.join("outside/fifo.md"));
        Sandbox {
            _dir: dir,
            base,
            repo,
            _gov: gov,
        }
    }

    fn root(&self) -> PathBuf {
        self.repo.canonicalize().expect("canonical repo")
    }

    fn outside(&self, name: &str) -> PathBuf {
        self.base.join("outside").join(name)
    }

    /// Links `rel` in the repository to `target` (replacing a file there).
    #[cfg(unix)]
    fn link(&self, rel: &str, target: &Path) {
        let p = self.root().join(rel);
        if p.is_file() {
            std::fs::remove_file(&p).expect("rm");
        }
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, p).expect("symlink");
    }

    /// Runs a command in JSON mode: contract kept, the secret never printed, nothing
    /// outside the repository changed.
    fn run(&self, args: &[&str]) -> (Option<i32>, serde_json::Value) {
        let before = tree(&self.base.join("outside"));
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        let o = bounded::run(&self.root(), &args, DEADLINE);
        let json = o.assert_json_contract();
        assert!(
            !o.stdout.contains(SECRET) && !o.stderr.contains(SECRET),
            "`gov {}` printed a file outside the repository:\n{}",
            args.join(" "),
            o.stdout
        );
        assert_eq!(
            tree(&self.base.join("outside")),
            before,
            "`gov {}` changed files outside the repository",
            args.join(" ")
        );
        (o.code, json)
    }
}

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().to_string_lossy().as_bytes()).expect("c path");
    // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
    let rc = unsafe { mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

#[cfg(unix)]
extern "C" {
    fn mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
}

fn first_code(json: &serde_json::Value) -> String {
    json["diagnostics"][0]["code"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Every command that takes a WP id, with the id in place.
fn id_commands(id: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["pre-work", id]),
        v(&["show", id]),
        v(&["post-work", id]),
        v(&["create-task-packet", id]),
        v(&["record-refinement", id]),
        v(&["record-signature", id, "alice151120261130"]),
    ]
}

#[test]
fn hostile_wp_ids_are_refused_before_they_become_paths() {
    let s = Sandbox::new();
    let long = format!("WP-1-{}", "x".repeat(300));
    let ids = [
        "../../outside/secret",
        "/etc/passwd",
        "WP-1-../../outside/secret",
        "WP-1-a/b",
        "WP-1-a\\b",
        "WP-1-x\nerror[PKT001] forged",
        "WP-1-x\u{1b}[31mred",
        "WP-1-x\r",
        "WP-1-x y",
        "WP-1-.",
        "WP-1-x.",
        long.as_str(),
        "",
    ];
    let before = tree(&s.root());
    for id in ids {
        for args in id_commands(id) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, json) = s.run(&args);
            assert_eq!(code, Some(2), "{args:?}: {json}");
            assert_eq!(first_code(&json), "GOV003", "{args:?}: {json}");
            // human output: the id is shown escaped, so it cannot forge a line
            let human = bounded::run(&s.root(), &args, DEADLINE);
            human.assert_exit_contract();
            let shown = format!("{}{}", human.stdout, human.stderr);
            assert!(
                !shown.contains('\u{1b}') && !shown.contains('\r'),
                "{shown:?}"
            );
            assert!(!shown.contains("\nerror[PKT001] forged"), "{shown:?}");
        }
    }
    assert_eq!(tree(&s.root()), before, "refused ids wrote nothing");
}

#[test]
fn hostile_phase_names_are_printed_escaped() {
    let s = Sandbox::new();
    for phase in ["../../outside", "1\nerror[PKT001] forged", "\u{1b}[31m", ""] {
        s.run(&["phase-gate", phase]);
        let human = bounded::run(&s.root(), &["phase-gate", phase], DEADLINE);
        human.assert_exit_contract();
        let shown = format!("{}{}", human.stdout, human.stderr);
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
        assert!(!shown.contains("\nerror[PKT001] forged"), "{shown:?}");
    }
}

#[test]
fn root_option_must_name_a_folder() {
    let s = Sandbox::new();
    let cwd = s.root();
    for (root, code) in [
        ("does-not-exist", "GOV005"),
        ("docs/TASK_BOARD.md", "GOV005"),
        ("x\nerror[PKT001] forged", "GOV005"),
    ] {
        let o = bounded::run_in(
            &s.root(),
            &cwd,
            &[
                "pre-work",
                "WP-1-Token-Validation",
                "--root",
                root,
                "--format",
                "json",
            ],
            DEADLINE,
        );
        assert_eq!(o.assert_exit_contract(), 2);
        let doc: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
        assert_eq!(first_code(&doc), code);
        let human = bounded::run_in(
            &s.root(),
            &cwd,
            &["pre-work", "WP-1-X", "--root", root],
            DEADLINE,
        );
        assert!(
            !human.stderr.contains("\nerror[PKT001] forged"),
            "{}",
            human.stderr
        );
    }
}

#[test]
fn config_paths_must_stay_inside_the_root() {
    let s = Sandbox::new();
    let base = std::fs::read_to_string(s.root().join("gov.yaml")).expect("config");
    for bad in [
        "paths:\n  task_board: ../outside/secret.md\n",
        "paths:\n  packets: /etc\n",
        "paths:\n  signature_audit: docs/../../outside/secret.md\n",
        "paths:\n  spec_pointer: \"docs/\\u0007bell.md\"\n",
        "paths:\n  gate_state: \"docs/x\\ny.json\"\n",
    ] {
        std::fs::write(s.root().join("gov.yaml"), format!("{base}{bad}")).expect("config");
        let (code, json) = s.run(&["pre-work", "WP-1-Token-Validation"]);
        assert_eq!(code, Some(2), "{bad}: {json}");
        assert_eq!(first_code(&json), "CFG003", "{bad}: {json}");
        assert_eq!(json["diagnostics"][0]["path"], "gov.yaml");
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_root_are_never_followed() {
    let s = Sandbox::new();
    let secret = s.outside("secret.md");
    let fifo = s.outside("fifo.md");
    // a packet, a board, an audit, a spec, a refinement, gov.yaml: each a link out
    let cases: [(&str, &[&str]); 6] = [
        (PACKET, &["pre-work", "WP-1-Token-Validation"]),
        ("docs/TASK_BOARD.md", &["pre-work", "WP-1-Token-Validation"]),
        ("docs/SIGNATURE_AUDIT.md", &["signatures", "verify"]),
        (
            "Master_Spec_v1.1.md",
            &["pre-work", "WP-1-Token-Validation"],
        ),
        (
            "docs/refinements/WP-1-Token-Validation.md",
            &["record-refinement", "WP-1-Token-Validation"],
        ),
        ("gov.yaml", &["pre-work", "WP-1-Token-Validation"]),
    ];
    for target in [&secret, &fifo] {
        for (rel, args) in cases {
            let s = Sandbox::new();
            s.link(rel, target);
            let (code, json) = s.run(args);
            assert_eq!(code, Some(2), "{rel} -> {}: {json}", target.display());
            // every other command keeps the contract too
            for args in id_commands("WP-1-Token-Validation") {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                s.run(&args);
            }
            s.run(&["signatures", "verify"]);
        }
    }
    // a packet folder that is a link out of the root
    let s = Sandbox::new();
    std::fs::create_dir_all(s.outside("WP-1-Outside")).expect("mkdir");
    std::fs::copy(&secret, s.outside("WP-1-Outside/packet.md")).expect("copy");
    s.link("docs/task_packets/WP-1-Outside", &s.outside("WP-1-Outside"));
    let (code, json) = s.run(&["pre-work", "WP-1-Outside"]);
    assert_eq!(
        (code, first_code(&json).as_str()),
        (Some(2), "GOV010"),
        "{json}"
    );
    s.run(&["signatures", "verify"]);
    s.run(&["show", "WP-1-Outside"]);
    s.run(&["record-signature", "WP-1-Outside", "alice151120261130"]);
    let (code, _) = s.run(&["create-task-packet", "WP-1-Outside"]);
    assert_eq!(code, Some(1), "an existing (linked) id is a collision");
    // the whole docs folder a link out of the root
    let s = Sandbox::new();
    let docs = s.root().join("docs");
    std::fs::rename(&docs, s.outside("docs")).expect("move docs out");
    std::os::unix::fs::symlink(s.outside("docs"), &docs).expect("link docs");
    std::fs::write(s.outside("docs/SIGNATURE_AUDIT.md"), format!("{SECRET}\n")).expect("w");
    let (code, _) = s.run(&["create-task-packet", "WP-1-Brand-New"]);
    assert_eq!(code, Some(2));
    assert!(!s.outside("docs/task_packets/WP-1-Brand-New.md").exists());
    s.run(&["record-signature", "bob151120261130", "--purpose", "x"]);
    s.run(&["signatures", "verify"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_inside_the_repository_is_refused_not_read() {
    for rel in [
        "gov.yaml",
        PACKET,
        "docs/TASK_BOARD.md",
        "docs/SIGNATURE_AUDIT.md",
    ] {
        let s = Sandbox::new();
        std::fs::remove_file(s.root().join(rel)).expect("rm");
        make_fifo(&s.root().join(rel));
        let (code, json) = s.run(&["pre-work", "WP-1-Token-Validation"]);
        assert_eq!(code, Some(2), "{rel}: {json}");
        assert_eq!(json["diagnostics"][0]["path"], rel, "{json}");
        for args in id_commands("WP-1-Token-Validation") {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            s.run(&args);
        }
    }
}

#[test]
fn scope_paths_that_leave_the_root_are_reported() {
    let s = Sandbox::new();
    #[cfg(unix)]
    s.link("vendor", &s.base.join("outside"));
    let text = std::fs::read_to_string(s.root().join(PACKET)).expect("packet");
    let hostile = text.replacen(
        "- IN_SCOPE_PATHS:",
        "- IN_SCOPE_PATHS:\n  - ../../outside/secret.md\n  - src/../../outside/secret.md\n  - vendor\n  - \"src/a\u{7}b.rs\"",
        1,
    );
    assert_ne!(hostile, text, "the demo packet has IN_SCOPE_PATHS");
    std::fs::write(s.root().join(PACKET), hostile).expect("write");
    let (code, json) = s.run(&["pre-work", "WP-1-Token-Validation"]);
    assert_eq!(code, Some(1));
    let outside: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "PKT003")
        .filter(|d| d["message"].as_str().is_some_and(|m| m.contains("outside")))
        .collect();
    assert!(outside.len() >= 2, "{json}");
    s.run(&["post-work", "WP-1-Token-Validation"]);
}

#[test]
fn scan_and_manifest_paths_stay_inside_the_root() {
    let s = Sandbox::new();
    std::fs::write(
        s.outside("leak.rs"),
        format!("fn f() {{ x.unwrap(); }} // {SECRET}\n"),
    )
    .expect("write");
    for path in ["../outside", "/etc", "src/../../outside", "x\ny"] {
        let (code, json) = s.run(&["validator-scan", path]);
        assert_eq!(code, Some(2), "{path}: {json}");
        // `/etc` is read as the repository's `etc`, which the diff does not touch
        let (code, json) = s.run(&["manifest", path]);
        assert!(matches!(code, Some(1 | 2)), "{path}: {json}");
    }
    let (code, json) = s.run(&["validator-scan", "--baseline", "../outside/leak.rs"]);
    assert_eq!(code, Some(2), "{json}");
    #[cfg(unix)]
    {
        // links out of the root, a link loop and a FIFO inside the scanned folder
        s.link("src/leak.rs", &s.outside("leak.rs"));
        s.link("src/outside", &s.base.join("outside"));
        s.link("src/fifo.rs", &s.outside("fifo.md"));
        std::os::unix::fs::symlink(".", s.root().join("src/loop")).expect("loop");
        make_fifo(&s.root().join("src/pipe.rs"));
        let (code, json) = s.run(&["validator-scan"]);
        assert!(matches!(code, Some(0 | 1)), "{json}");
        s.run(&["validator-scan", "src/leak.rs"]);
        s.run(&["validator-scan", "src/outside"]);
        s.run(&["validator-scan", "src/pipe.rs"]);
        s.run(&["manifest", "src/leak.rs"]);
        s.run(&["manifest", "src/pipe.rs"]);
        s.run(&["post-work", "WP-1-Token-Validation"]);
    }
}
