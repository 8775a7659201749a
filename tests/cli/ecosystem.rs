//! gov at home in CI, shells and editors: `check`, annotations and SARIF for every
//! gate, completions and the man page, the packaging files, and README samples that
//! stay true to what the demo prints.

use crate::support::Gov;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const GATES: &[&[&str]] = &[
    &["pre-work", "WP-1-Token-Validation"],
    &["pre-work", "WP-1-Login-Endpoint"],
    &["spec-regression"],
    &["board-check"],
    &["phase-gate", "Phase-1"],
    &["signatures", "verify"],
    &["validator-scan"],
    &["check"],
];

fn demo(args: &[&str]) -> crate::support::Run {
    Gov::example("demo").args(args).run()
}

fn repo_file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect(rel)
}

fn piped(program: &str, args: &[&str], stdin: &str) -> Option<std::process::Output> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    Some(child.wait_with_output().expect("wait"))
}

// ---- gov check -------------------------------------------------------------------

#[test]
fn check_runs_every_gate_and_exits_with_the_worst() {
    let run = demo(&["check"]);
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn check_json_tags_each_diagnostic_with_its_gate() {
    let run = demo(&["check", "--format", "json"]);
    run.expect_code(1);
    let doc = run.json();
    let gates: Vec<String> = doc["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .map(|g| format!("{} {}", g["gate"].as_str().unwrap(), g["target"]))
        .collect();
    insta::assert_debug_snapshot!(gates);
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    assert!(!diags.is_empty());
    for d in diags {
        assert!(d["gate"].is_string(), "{d}");
    }
    // the worst gate decides: spec-regression and one pre-work fail
    assert_eq!(doc["verdict"], "fail");
    let failed: Vec<&Value> = doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["verdict"] == "fail")
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
}

#[test]
fn check_passes_when_every_gate_passes() {
    // the demo without its flawed packet (and its board entry)
    let run = Gov::example("demo")
        .remove("docs/task_packets/WP-1-Token-Validation.md")
        .replace(
            "docs/TASK_BOARD.md",
            "4. **[WP-1-Token-Validation]** - Bearer token checks\n   - Status: [READY FOR DEV]\n   - Blocker: WP-1-Login-Endpoint\n",
            "",
        )
        .replace(
            "docs/TASK_BOARD.md",
            "- [WP-1-Token-Validation] Ready-for-Dev since 2026-11-10\n",
            "",
        )
        .args(&["check"])
        .run();
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn check_with_a_gate_that_cannot_run_exits_2_and_still_runs_the_others() {
    let run = Gov::example("demo")
        .remove("docs/SIGNATURE_AUDIT.md")
        .args(&["check", "--format", "json"])
        .run();
    run.expect_code(2);
    let doc = run.json();
    let verdicts: Vec<(String, String)> = doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["gate"].as_str().unwrap().to_string(),
                g["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(verdicts.iter().any(|(_, v)| v == "error"), "{verdicts:?}");
    assert!(verdicts.iter().any(|(g, _)| g == "validator-scan"));
}

/// `gov check` loads the spec, board and audit once and runs its pre-work gates on every
/// core: each gate must still say exactly what `gov pre-work` says alone, in id order,
/// for many packets sharing a blocker that is not validated and a file lock.
#[test]
fn check_pre_work_gates_match_pre_work_alone() {
    let packet = Gov::fixture_text(
        "../../examples/demo",
        "docs/task_packets/WP-1-Token-Validation.md",
    );
    let mut gov = Gov::example("demo");
    let mut board_lines = String::new();
    let ids: Vec<String> = (0..70).map(|i| format!("WP-1-Copy-{i:02}")).collect();
    for id in &ids {
        let text = packet.replace("WP-1-Token-Validation", id).replace(
            "- DATE: 2026-11-10\n",
            "- DATE: 2026-11-10\n- DEPENDS_ON: WP-1-Login-Endpoint\n",
        );
        gov = gov.file(&format!("docs/task_packets/{id}.md"), text);
        board_lines.push_str(&format!("- [{id}] Ready-for-Dev since 2026-11-10\n"));
    }
    let gov = gov.replace(
        "docs/TASK_BOARD.md",
        "- [WP-1-Token-Validation] Ready-for-Dev since 2026-11-10\n",
        &format!("- [WP-1-Token-Validation] Ready-for-Dev since 2026-11-10\n{board_lines}"),
    );
    let check = gov.run_with(&["check", "--format", "json"]).json();
    let gates = check["gates"].as_array().expect("gates");
    let targets: Vec<&str> = gates
        .iter()
        .filter(|g| g["gate"] == "pre-work")
        .map(|g| g["target"].as_str().unwrap())
        .collect();
    let mut expected_targets: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected_targets.extend(["WP-1-Login-Endpoint", "WP-1-Token-Validation"]);
    expected_targets.sort_unstable();
    assert_eq!(targets, expected_targets);
    let from_check: Vec<Value> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["gate"] == "pre-work")
        .map(|d| {
            let mut d = d.clone();
            d.as_object_mut().unwrap().remove("gate");
            d
        })
        .collect();
    let mut alone = Vec::new();
    for id in &targets {
        let run = gov.run_with(&["pre-work", id, "--format", "json"]);
        alone.extend(
            run.json()["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
    }
    assert_eq!(from_check.len(), alone.len());
    assert_eq!(from_check, alone);
    let codes: Vec<&str> = alone.iter().filter_map(|d| d["code"].as_str()).collect();
    let said = |words: &str| {
        alone
            .iter()
            .any(|d| d["message"].as_str().is_some_and(|m| m.contains(words)))
    };
    assert!(
        said("overlaps In-Progress"),
        "the copies hold a file lock of the In Progress packet: {codes:?}"
    );
    assert!(
        said("blocker WP-1-Login-Endpoint"),
        "the copies name a blocker that is not validated: {codes:?}"
    );
}

#[test]
fn check_all_runs_pre_work_on_every_active_packet() {
    let run = demo(&["check", "--all", "--format", "json"]);
    let doc = run.json();
    let pre_work: Vec<&str> = doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["gate"] == "pre-work")
        .map(|g| g["target"].as_str().unwrap())
        .collect();
    assert!(
        pre_work.contains(&"WP-1-Migration-Numbering"),
        "{pre_work:?}"
    );
    let default = demo(&["check", "--format", "json"]).json();
    let n = |d: &Value| {
        d["gates"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["gate"] == "pre-work")
            .count()
    };
    assert!(n(&doc) > n(&default));
}

// ---- annotations ------------------------------------------------------------------

#[test]
fn github_annotations_for_a_gate() {
    let run = demo(&["pre-work", "WP-1-Token-Validation", "--format", "github"]);
    run.expect_code(1);
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice ")
                || line.starts_with("pre-work "),
            "{line}"
        );
    }
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn github_annotations_escape_what_documents_hold() {
    // a scope entry with a comma and a percent sign reaches a message and a file name
    let run = Gov::example("demo")
        .file("src/evil%,:name.rs", "fn f() { todo!() }\n")
        .args(&["validator-scan", "--format", "github"])
        .run();
    run.expect_code(1);
    assert!(
        run.stdout.contains("file=src/evil%25%2C%3Aname.rs,"),
        "{}",
        run.stdout
    );
}

#[test]
fn informational_commands_refuse_gate_formats() {
    for format in ["sarif", "github", "junit"] {
        for args in [
            &["explain", "PKT001"][..],
            &["show", "WP-1-Login-Endpoint"],
            &["status"],
        ] {
            let mut a = args.to_vec();
            a.extend(["--format", format]);
            let run = demo(&a);
            run.expect_code(2);
            // the refusal itself is rendered in the asked-for format
            assert!(
                run.stdout.contains("GOV011") || run.stderr.contains("GOV011"),
                "{}",
                run.transcript()
            );
        }
    }
}

// ---- SARIF ------------------------------------------------------------------------

/// The parts of SARIF 2.1.0 that code-scanning services require, checked here for
/// every gate; the full schema is checked by `sarif_validates_against_the_schema`.
fn check_sarif_shape(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().expect("runs");
    assert!(!runs.is_empty());
    let mut categories = std::collections::HashSet::new();
    for run in runs {
        assert!(categories.insert(run["automationDetails"]["id"].to_string()));
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        for res in run["results"].as_array().expect("results") {
            let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], res["ruleId"]);
            assert!(res["partialFingerprints"]["govFinding/v1"].is_string());
        }
    }
}

#[test]
fn every_gate_speaks_sarif() {
    for gate in GATES {
        let mut args = gate.to_vec();
        args.extend(["--format", "sarif"]);
        let run = demo(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "{gate:?}: {}",
            run.transcript()
        );
        check_sarif_shape(&run.json());
    }
}

#[test]
fn sarif_fingerprints_survive_a_line_move() {
    let before = demo(&["pre-work", "WP-1-Token-Validation", "--format", "sarif"]).json();
    let after = Gov::example("demo")
        .replace(
            "docs/task_packets/WP-1-Token-Validation.md",
            "## Metadata",
            "Moved down by two lines.\n\n## Metadata",
        )
        .args(&["pre-work", "WP-1-Token-Validation", "--format", "sarif"])
        .run()
        .json();
    let prints = |d: &Value| {
        let mut v: Vec<(String, u64)> = d["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["govFinding/v1"].to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (b, a) = (prints(&before), prints(&after));
    assert_eq!(b.len(), a.len());
    let fingerprints = |v: &[(String, u64)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(fingerprints(&b), fingerprints(&a));
    assert_ne!(b, a, "the lines moved, so the regions must differ");
}

/// Validates every gate's SARIF against the published SARIF 2.1.0 JSON schema, with
/// Python's `jsonschema`. `.ci/run` fetches the schema (an npm package ships it) and
/// names it in GOV_SARIF_SCHEMA; without it the test says so and checks nothing more
/// than `every_gate_speaks_sarif` does.
#[test]
fn sarif_validates_against_the_schema() {
    let Some(schema) = std::env::var_os("GOV_SARIF_SCHEMA") else {
        eprintln!("GOV_SARIF_SCHEMA is not set: SARIF schema validation skipped (.ci/run sets it)");
        return;
    };
    let script = "import json,sys,jsonschema\n\
        schema=json.load(open(sys.argv[1]))\n\
        for doc in json.load(sys.stdin):\n    jsonschema.validate(doc, schema)\n\
        print('ok')\n";
    let docs: Vec<Value> = GATES
        .iter()
        .map(|gate| {
            let mut args = gate.to_vec();
            args.extend(["--format", "sarif"]);
            demo(&args).json()
        })
        .collect();
    let input = serde_json::to_string(&docs).unwrap();
    let out = piped(
        "python3",
        &["-c", script, schema.to_str().expect("utf-8 path")],
        &input,
    )
    .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---- completions and the man page -------------------------------------------------

fn completion(shell: &str) -> String {
    let run = Gov::new().args(&["completions", shell]).run();
    run.expect_code(0);
    run.stdout
}

#[test]
fn completions_load_in_bash() {
    let script = format!("{}\ncomplete -p gov\n", completion("bash"));
    let out = piped("bash", &["--norc", "-s"], &script).expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("_gov") && stdout.contains("gov"),
        "{stdout}"
    );
}

#[test]
fn completions_load_in_zsh() {
    if Command::new("zsh").arg("-fc").arg("true").output().is_err() {
        eprintln!("zsh is not installed: skipped (.ci/run installs it)");
        return;
    }
    let script = format!(
        "autoload -U compinit && compinit -u -D\n{}\nprint -r -- ${{_comps[gov]}}\n",
        completion("zsh")
    );
    let out = piped("zsh", &["-f", "-s"], &script).expect("zsh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), "_gov");
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(completion(shell).contains("pre-work"), "{shell}");
    }
    Gov::new()
        .args(&["completions", "tcsh"])
        .run()
        .expect_code(2);
}

#[test]
fn the_man_page_renders() {
    let run = Gov::new().args(&["man"]).run();
    run.expect_code(0);
    assert!(run.stdout.starts_with(".ie") || run.stdout.contains(".TH gov 1"));
    let out = piped("groff", &["-man", "-Tascii", "-P-cbou"], &run.stdout).expect("groff runs");
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(page.contains("NAME") && page.contains("pre-work"), "{page}");
}

// ---- packaging and docs -----------------------------------------------------------

fn yaml(rel: &str) -> Value {
    serde_saphyr::from_str(&repo_file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The action's metadata as GitHub reads it: a composite action whose every run step
/// names its shell, whose outputs come from steps that exist, and whose `inputs.*`
/// references name declared inputs.
#[test]
fn the_action_metadata_is_valid() {
    let action = yaml("action.yml");
    for key in ["name", "description", "runs"] {
        assert!(action.get(key).is_some(), "action.yml lacks {key}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let ids: Vec<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    for s in steps {
        if s.get("run").is_some() {
            assert!(s["shell"].is_string(), "a run step needs a shell: {s}");
        } else {
            assert!(s["uses"].is_string(), "a step runs or uses: {s}");
        }
    }
    for (_, out) in action["outputs"].as_object().expect("outputs") {
        let value = out["value"]
            .as_str()
            .expect("composite outputs have a value");
        let step = value
            .split("steps.")
            .nth(1)
            .and_then(|r| r.split('.').next())
            .expect("output from a step");
        assert!(ids.contains(&step), "{value}");
    }
    let text = repo_file("action.yml");
    let inputs = action["inputs"].as_object().expect("inputs");
    for reference in text.split("inputs.").skip(1) {
        let name: String = reference
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(inputs.contains_key(&name), "undeclared input {name}");
    }
}

#[test]
fn pre_commit_hooks_are_well_formed() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let languages: Vec<&str> = hooks
        .iter()
        .map(|h| h["language"].as_str().unwrap())
        .collect();
    assert!(languages.contains(&"rust") && languages.contains(&"system"));
    for h in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(h[key].is_string(), "{key} in {h}");
        }
        assert!(h["entry"].as_str().unwrap().starts_with("gov "));
    }
}

/// The README's sample output is what the demo prints (the verdict line and the JSON
/// summary of the flawed packet).
#[test]
fn readme_samples_match_the_demo() {
    let readme = repo_file("README.md");
    let run = demo(&["pre-work", "WP-1-Token-Validation"]);
    let verdict = run
        .stdout
        .lines()
        .find(|l| l.starts_with("pre-work WP-1-Token-Validation: FAIL ("))
        .expect("verdict line");
    assert!(readme.contains(verdict), "README lacks `{verdict}`");
    let doc = demo(&["pre-work", "WP-1-Token-Validation", "--format", "json"]).json();
    let summary = format!(
        "\"summary\": {{ \"errors\": {}, \"warnings\": {}, \"notes\": {} }}",
        doc["summary"]["errors"], doc["summary"]["warnings"], doc["summary"]["notes"]
    );
    assert!(readme.contains(&summary), "README lacks `{summary}`");
}

/// Markdown without fenced blocks and inline code, where `](` is code, not a link.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push_str(&without_code_spans(line));
            out.push('\n');
        }
    }
    out
}

/// A line without its code spans: a span opened by N backticks closes at the next run
/// of exactly N.
fn without_code_spans(line: &str) -> String {
    let b = line.as_bytes();
    let run_at = |i: usize| b[i..].iter().take_while(|c| **c == b'`').count();
    let (mut out, mut i) = (String::new(), 0);
    while i < b.len() {
        if b[i] != b'`' {
            let next = line[i..].find('`').map_or(b.len(), |k| i + k);
            out.push_str(&line[i..next]);
            i = next;
            continue;
        }
        let n = run_at(i);
        let mut j = i + n;
        let close = loop {
            match line[j..].find('`') {
                None => break None,
                Some(k) => {
                    let at = j + k;
                    let m = run_at(at);
                    if m == n {
                        break Some(at + m);
                    }
                    j = at + m;
                }
            }
        };
        match close {
            Some(end) => {
                out.push(' ');
                i = end;
            }
            None => {
                out.push_str(&line[i..]);
                i = b.len();
            }
        }
    }
    out
}

/// Every repository file the README and docs link to exists.
#[test]
fn docs_link_only_to_files_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![root.join("README.md")];
    for e in walkdir::WalkDir::new(root.join("docs"))
        .into_iter()
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "md") {
            docs.push(e.path().to_path_buf());
        }
    }
    let mut missing = Vec::new();
    for doc in &docs {
        let text = prose(&std::fs::read_to_string(doc).unwrap());
        for link in text.split("](").skip(1) {
            let target = link.split(')').next().unwrap_or_default();
            let target = target.split('#').next().unwrap_or_default();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = doc.parent().unwrap().join(target);
            if !resolved.exists() {
                missing.push(format!(
                    "{} -> {target}",
                    doc.strip_prefix(root).unwrap().display()
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// Every dependency in Cargo.toml is used by the code (a `cargo machete`-style check
/// without installing it): its crate name appears as a path in src/, benches/ or tests/.
#[test]
fn every_dependency_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = repo_file("Cargo.toml");
    let mut code = String::new();
    for dir in ["src", "benches", "tests"] {
        for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            let fixture = e.path().starts_with(root.join("tests/fixtures"));
            if !fixture && e.path().extension().is_some_and(|x| x == "rs") {
                code.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut section = "";
    let mut unused = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if !(section == "[dependencies]" || section == "[dev-dependencies]") {
            continue;
        }
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        let ident = name.replace('-', "_");
        let used = [
            format!("{ident}::"),
            format!("use {ident}"),
            format!("{ident}!"),
        ]
        .iter()
        .any(|p| code.contains(p.as_str()));
        if !used {
            unused.push(name.to_string());
        }
    }
    assert!(unused.is_empty(), "unused dependencies: {unused:?}");
}

// ---- the dependency graph -------------------------------------------------------------

#[test]
fn graph_as_mermaid_is_the_default() {
    let run = demo(&["graph"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("flowchart LR\n"));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn graph_as_dot_and_json() {
    let dot = demo(&["graph", "--format", "dot"]);
    dot.expect_code(0);
    insta::assert_snapshot!(dot.stdout);
    let json = demo(&["graph", "--format", "json"]).json();
    let links = json["links"].as_array().expect("links");
    // Token-Validation waits for Login-Endpoint (board blocker and packet dependency)
    assert!(links
        .iter()
        .any(|l| l["from"] == "WP-1-Token-Validation" && l["to"] == "WP-1-Login-Endpoint"));
    let storage = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "WP-1-Storage-Trait")
        .expect("node");
    assert_eq!(storage["class"], "validated");
}

#[test]
fn graph_formats_are_for_graph_only() {
    demo(&["status", "--format", "mermaid"]).expect_code(2);
    demo(&["pre-work", "WP-1-Login-Endpoint", "--format", "dot"]).expect_code(2);
    demo(&["graph", "--format", "sarif"]).expect_code(2);
}

// ---- the HTML status page ---------------------------------------------------------

#[test]
fn status_html_is_one_self_contained_page() {
    let run = demo(&["status", "--format", "html"]);
    run.expect_code(0);
    let page = &run.stdout;
    assert!(page.starts_with("<!DOCTYPE html>"));
    for forbidden in ["<script", "http://", "https://", "<link", "@import", "src="] {
        // the one namespace URI of inline SVG is not a fetch
        let hits = page.matches(forbidden).count()
            - page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
                * usize::from(forbidden == "http://");
        assert_eq!(hits, 0, "{forbidden} in the page");
    }
    for wp in [
        "WP-1-Storage-Trait",
        "WP-1-Migration-Numbering",
        "WP-1-Login-Endpoint",
        "WP-1-Token-Validation",
    ] {
        assert!(
            page.contains(&format!("data-wp=\"{wp}\"")),
            "{wp} in the graph"
        );
    }
    assert!(page.contains("Phase 1") && page.contains("1 of 4 VALIDATED"));
    insta::assert_snapshot!(page);
}

#[test]
fn status_html_escapes_document_text() {
    let run = Gov::example("demo")
        .replace(
            "docs/TASK_BOARD.md",
            "## Blocked\n",
            "## Blocked\n\n- [WP-1-Login-Endpoint] - BLOCKED: <img src=x onerror=alert(1)>\n",
        )
        .args(&["status", "--format", "html"])
        .run();
    assert!(!run.stdout.contains("<img"), "{}", run.stdout);
}

/// The page as a browser shows it: headless Chromium loads it from disk and dumps the
/// DOM it built. `.ci/run` installs Chromium; without it the test says so.
#[test]
fn status_html_renders_in_a_real_browser() {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("no Chromium on this machine: browser check skipped (.ci/run installs it)");
        return;
    };
    let run = demo(&["status", "--format", "html"]);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("status.html");
    std::fs::write(&page, &run.stdout).unwrap();
    let profile = dir.path().join("profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<svg"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dom.matches("class=\"node ").count(), 4, "{dom}");
    for text in [
        "Phase 1",
        "1 of 4 VALIDATED",
        "WP-1-Token-Validation",
        "waits for",
    ] {
        assert!(dom.contains(text), "{text} not shown");
    }
}

// ---- gov scans its own source ----------------------------------------------------

#[test]
fn gov_passes_its_own_validator_scan() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = Gov::new()
        .args(&["-C", root, "validator-scan", "--format", "json"])
        .run();
    let doc: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let found: Vec<String> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{} {}:{} {}", d["code"], d["path"], d["line"], d["message"]))
        .collect();
    assert_eq!(run.code, 0, "gov's own source fails its scan: {found:#?}");
}

#[test]
fn the_self_scan_configuration_still_catches_what_it_should() {
    // gov.yaml turns only the domain word "stub" off and exempts the rule definitions:
    // anywhere else, a placeholder, a mock or an unwrap is still a finding
    let run = Gov::new()
        .file("gov.yaml", repo_file("gov.yaml"))
        .file(
            "src/lib.rs",
            "pub fn f(v: Option<u8>) -> u8 {\n    let placeholder = 0;\n    let mock_value = v.unwrap();\n    // TODO make this real\n    let _stub = placeholder;\n    mock_value\n}\n",
        )
        .args(&["validator-scan", "--format", "json"])
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let mut codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    codes.sort();
    assert_eq!(codes, ["SCN010", "SCN020", "SCN020", "SCN022", "SCN030"]);
}

// ---- JUnit -----------------------------------------------------------------------

/// (suite name, tests, failures, errors, case count) of one `<testsuite>`.
type Suite = (String, usize, usize, usize, usize);

/// Parses JUnit XML with Python's XML parser (a real one, not gov's writer checking
/// itself) and returns each suite's counts.
fn junit_suites(xml: &str) -> Option<Vec<Suite>> {
    let script = "import sys, xml.etree.ElementTree as ET\n\
        root = ET.fromstring(sys.stdin.read())\n\
        assert root.tag == 'testsuites', root.tag\n\
        for s in root.findall('testsuite'):\n\
        \x20   cases = s.findall('testcase')\n\
        \x20   print('\\t'.join([s.get('name'), s.get('tests'), s.get('failures'), s.get('errors'), str(len(cases))]))\n";
    let out = piped("python3", &["-c", script], xml)?;
    assert!(
        out.status.success(),
        "not well-formed JUnit: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    Some(
        text.lines()
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let n = |i: usize| f[i].parse::<usize>().expect("a count");
                (f[0].to_string(), n(1), n(2), n(3), n(4))
            })
            .collect(),
    )
}

#[test]
fn junit_for_a_gate() {
    let run = demo(&["pre-work", "WP-1-Token-Validation", "--format", "junit"]);
    run.expect_code(1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn every_gate_speaks_junit_that_an_xml_parser_reads() {
    let mut parsed = 0;
    for gate in GATES {
        let mut args = gate.to_vec();
        args.extend(["--format", "junit"]);
        let run = demo(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "{gate:?}: {}",
            run.transcript()
        );
        let Some(suites) = junit_suites(&run.stdout) else {
            eprintln!("python3 is not installed: JUnit checked by gov's own tests only");
            return;
        };
        parsed += 1;
        for (name, tests, failures, errors, cases) in &suites {
            assert_eq!(*tests, *cases, "{name}: tests= must count the cases");
            assert!(failures + errors <= *tests, "{name}");
        }
        // the demo fails some gates: a failing run has a failure somewhere
        if run.code == 1 {
            assert!(suites.iter().any(|s| s.2 > 0), "{gate:?}: {}", run.stdout);
        } else {
            assert!(suites.iter().all(|s| s.2 == 0 && s.3 == 0), "{gate:?}");
        }
    }
    assert_eq!(parsed, GATES.len());
}

#[test]
fn junit_escapes_what_documents_hold() {
    // a scope entry made to close the element and forge a passing case
    let run = Gov::example("demo")
        .replace(
            "docs/task_packets/WP-1-Token-Validation.md",
            "- middleware",
            "- mid\"/></failure><testcase name=\"ok\"/>&\u{1b}",
        )
        .args(&["pre-work", "WP-1-Token-Validation", "--format", "junit"])
        .run();
    run.expect_code(1);
    assert!(!run.stdout.contains('\u{1b}'));
    if let Some(suites) = junit_suites(&run.stdout) {
        assert_eq!(suites.len(), 1);
        assert_eq!(suites[0].1, suites[0].4);
    }
}

#[test]
fn junit_marks_a_gate_that_could_not_evaluate_as_an_error() {
    let run = Gov::example("demo")
        .remove("docs/TASK_BOARD.md")
        .args(&["board-check", "--format", "junit"])
        .run();
    run.expect_code(2);
    assert!(run.stdout.contains("<error message="), "{}", run.stdout);
    if let Some(suites) = junit_suites(&run.stdout) {
        assert_eq!(suites[0].3, 1, "{}", run.stdout);
    }
}

#[test]
fn the_version_has_a_changelog_entry() {
    let changelog = repo_file("CHANGELOG.md");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        changelog.contains(&format!("\n## v{version} — ")),
        "CHANGELOG.md has no `## v{version} — DATE` entry for Cargo.toml's version"
    );
}
