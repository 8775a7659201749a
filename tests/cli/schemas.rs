//! JSON Schemas (`schemas/`, `gov schema`): the committed files are the generated
//! ones, every gov JSON document in the snapshots validates against its command's
//! schema, documents of the commands without a JSON snapshot validate too, and the
//! validator refuses a wrong document.

use crate::support::Gov;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const REGENERATE: &str = "GOV_UPDATE_SCHEMAS=1 cargo test --test cli schemas";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator(schema: &schemars::Schema) -> jsonschema::Validator {
    jsonschema::validator_for(schema.as_value()).expect("a generated schema compiles")
}

/// Why `doc` does not validate against `schema`, one line per error.
fn errors(schema: &schemars::Schema, doc: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(doc)
        .map(|e| format!("{} at `{}`", e, e.instance_path()))
        .collect()
}

/// The registered schema of a command's documents, as committed.
fn command_schema(command: &str) -> Option<schemars::Schema> {
    gov::schema::DOCUMENTS
        .iter()
        .any(|(name, _)| *name == command)
        .then(|| gov::schema::find(command))
        .flatten()
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    // CI never rewrites the committed files: a difference there is a failure
    let update = std::env::var_os("GOV_UPDATE_SCHEMAS").is_some()
        && std::env::var("CI").map_or(true, |v| v != "true");
    let dir = manifest_dir().join("schemas");
    let generated: BTreeMap<String, String> = gov::schema::files().into_iter().collect();
    let mut differ = Vec::new();
    for (name, text) in &generated {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(&dir).expect("create schemas/");
            std::fs::write(&path, text).expect("write a schema");
        } else {
            differ.push(name.clone());
        }
    }
    let committed: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    for path in committed {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".schema.json") && !generated.contains_key(&name) {
            if update {
                std::fs::remove_file(&path).expect("remove a stale schema");
            } else {
                differ.push(format!("{name} (no longer generated)"));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "schemas/ is not what the types generate: {differ:?}\nregenerate with `{REGENERATE}` and commit schemas/"
    );
}

/// Every `.snap` whose content (a transcript's stdout, or the snapshot itself) is a
/// gov JSON document: (snapshot file, document).
fn snapshot_documents() -> Vec<(String, Value)> {
    let dir = manifest_dir().join("tests/cli/snapshots");
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("snapshots/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "snap"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read a snapshot");
        // insta: `---` header `---`, then the snapshot body
        let Some(body) = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
            .map(|(_, b)| b)
        else {
            continue;
        };
        let json = match body.split_once("--- stdout\n") {
            Some((_, rest)) => rest.split("\n--- stderr\n").next().unwrap_or(rest),
            None => body,
        };
        let Ok(doc) = serde_json::from_str::<Value>(json) else {
            continue;
        };
        if doc.get("schema_version").is_some() && doc["command"].is_string() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, doc));
        }
    }
    out
}

#[test]
fn every_json_snapshot_validates_against_its_schema() {
    let docs = snapshot_documents();
    assert!(docs.len() >= 30, "only {} JSON snapshots found", docs.len());
    let mut failures = Vec::new();
    let mut skipped: BTreeSet<String> = BTreeSet::new();
    let mut validated = 0;
    for (file, doc) in &docs {
        let command = doc["command"].as_str().unwrap_or_default();
        let Some(schema) = command_schema(command) else {
            skipped.insert(command.to_string());
            continue;
        };
        validated += 1;
        for e in errors(&schema, doc) {
            failures.push(format!("{file}: {e}"));
        }
    }
    assert!(
        skipped.is_empty(),
        "JSON documents of commands with no schema in the registry: {skipped:?}"
    );
    assert!(
        failures.is_empty(),
        "snapshots that do not match their schema:\n{}",
        failures.join("\n")
    );
    assert!(validated >= 30, "only {validated} snapshots validated");
}

fn pre_work_document() -> Value {
    snapshot_documents()
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| d["command"] == "pre-work" && d["verdict"] == "fail")
        .expect("a failing pre-work JSON snapshot")
}

#[test]
fn the_validator_refuses_a_wrong_document() {
    let schema = command_schema("pre-work").expect("pre-work is registered");
    let good = pre_work_document();
    assert_eq!(errors(&schema, &good), Vec::<String>::new());
    let wrong = |edit: &dyn Fn(&mut Value)| {
        let mut doc = good.clone();
        edit(&mut doc);
        doc
    };
    let cases: Vec<(&str, Value)> = vec![
        ("verdict maybe", wrong(&|d| d["verdict"] = json!("maybe"))),
        (
            "schema_version 2",
            wrong(&|d| d["schema_version"] = json!(2)),
        ),
        (
            "a member no type declares",
            wrong(&|d| d["surprise"] = json!(true)),
        ),
        (
            "a data member missing",
            wrong(&|d| {
                d.as_object_mut().unwrap().remove("packet_path");
            }),
        ),
        ("a data member retyped", wrong(&|d| d["spec"] = json!("v1"))),
        (
            "a diagnostic without a code",
            wrong(&|d| {
                d["diagnostics"][0].as_object_mut().unwrap().remove("code");
            }),
        ),
        (
            "a severity no code has",
            wrong(&|d| d["diagnostics"][0]["severity"] = json!("fatal")),
        ),
        ("line 0", wrong(&|d| d["diagnostics"][0]["line"] = json!(0))),
        (
            "the envelope alone, passing",
            json!({
                "schema_version": 1, "command": "pre-work", "target": null, "verdict": "pass",
                "summary": {"errors": 0, "warnings": 0, "notes": 0},
                "diagnostics": [], "next": []
            }),
        ),
    ];
    for (what, doc) in cases {
        assert!(
            !errors(&schema, &doc).is_empty(),
            "the schema accepted a document with {what}"
        );
    }
    // the envelope alone is how a run that could not be evaluated looks
    let stopped = json!({
        "schema_version": 1, "command": "pre-work", "target": "WP-1-X", "verdict": "error",
        "summary": {"errors": 1, "warnings": 0, "notes": 0},
        "diagnostics": [{"code": "GOV004", "severity": "error", "message": "m", "path": null,
                         "line": null, "column": null, "help": "h"}],
        "next": []
    });
    assert_eq!(errors(&schema, &stopped), Vec::<String>::new());
}

#[test]
fn gov_yaml_schema_describes_what_the_loader_accepts() {
    let schema = gov::schema::config();
    let demo = std::fs::read_to_string(manifest_dir().join("examples/demo/gov.yaml")).unwrap();
    // the value the loader deserializes its Config from
    let parsed: Value = serde_saphyr::from_str(&demo).expect("the demo's gov.yaml is YAML");
    assert!(gov::config::load_file("gov.yaml", &demo).is_ok());
    assert_eq!(errors(&schema, &parsed), Vec::<String>::new());
    let defaults = serde_json::to_value(gov::config::Config::default()).unwrap();
    assert_eq!(errors(&schema, &defaults), Vec::<String>::new());
    let accepted = json!({
        "version": 1,
        "severity": {"PKT012": "ERROR", "BRD010": false, "SCN001": "ignore"},
        "review_required_tiers": ["high", "Medium"],
        "signatures": {"clock_skew_minutes": 0}
    });
    assert_eq!(errors(&schema, &accepted), Vec::<String>::new());
    for (what, doc) in [
        ("an unknown key", json!({"versoin": 1})),
        ("an unknown nested key", json!({"git": {"main": "trunk"}})),
        ("version 2", json!({"version": 2})),
        ("a bad severity", json!({"severity": {"PKT012": "loud"}})),
        ("true as a severity", json!({"severity": {"PKT012": true}})),
        (
            "a key that is no code",
            json!({"severity": {"pkt-12": "off"}}),
        ),
        (
            "a risk tier",
            json!({"review_required_tiers": ["CRITICAL"]}),
        ),
        (
            "negative skew",
            json!({"signatures": {"clock_skew_minutes": -1}}),
        ),
        ("a layout", json!({"layout": "flat"})),
    ] {
        assert!(
            !errors(&schema, &doc).is_empty(),
            "the gov.yaml schema accepted {what}"
        );
        // and the loader refuses the same document
        let yaml = serde_json::to_string(&doc).unwrap();
        assert!(
            gov::config::load_file("gov.yaml", &yaml).is_err(),
            "the loader accepted {what}"
        );
    }
    assert!(gov::config::load_file("gov.yaml", &accepted.to_string()).is_ok());
}

/// Commands without a JSON snapshot: their documents validate too.
#[test]
fn documents_of_commands_without_snapshots_validate() {
    let demo = Gov::example("demo");
    std::fs::write(demo.root().join("MSG"), "WP-1-Login-Endpoint: add it\n").unwrap();
    std::fs::write(demo.root().join("EXEMPT"), "no wp here\n").unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["check", "--all"],
        vec!["codex-check"],
        vec!["codex-check", "--verbose"],
        vec!["explain", "--list"],
        vec!["explain", "PKT003"],
        vec!["explain", "XYZ999"],
        vec!["commit-msg", "MSG"],
        vec!["commit-msg", "EXEMPT"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["schema"],
        vec!["schema", "pre-work"],
        vec!["schema", "nope"],
        vec!["validator-scan", "--list-rules"],
        vec!["doctor"],
        vec!["board-check"],
        vec!["phase-gate", "Phase-1"],
        vec!["pre-work", "WP-1-Nope"],
        vec!["create-task-packet", "WP-1-New-Thing"],
        vec!["create-task-packet", "WP-1-Login-Endpoint"],
        vec!["show", "WP-1-Storage-Trait"],
        vec!["show", "WP-1-Migration-Numbering"],
        vec!["show", "WP-1-Token-Validation"],
        vec!["status"],
        vec!["graph"],
        vec!["ready", "WP-1-Token-Validation", "--dry-run"],
        vec!["start", "WP-1-Login-Endpoint", "--dry-run"],
        vec!["board", "sync", "--dry-run"],
        vec!["agent", "check"],
    ];
    let mut failures = Vec::new();
    for args in &runs {
        let mut full = args.clone();
        full.extend(["--format", "json"]);
        let run = demo.run_with(&full);
        let doc = run.json();
        let command = doc["command"].as_str().unwrap_or_default().to_string();
        let schema = command_schema(&command)
            .unwrap_or_else(|| panic!("`gov {}`: no schema for {command}", args.join(" ")));
        for e in errors(&schema, &doc) {
            failures.push(format!("gov {}: {e}", args.join(" ")));
        }
        if command == "check" {
            assert!(doc["gates"].as_array().is_some_and(|g| g.len() >= 4));
        }
        failures.extend(gate_failures(&doc));
    }
    let empty = Gov::new();
    let init = empty.run_with(&["init", "--format", "json"]);
    let again = empty.run_with(&["init", "--format", "json"]);
    for (what, run) in [("init", init), ("init again", again)] {
        for e in errors(&command_schema("init").unwrap(), &run.json()) {
            failures.push(format!("{what}: {e}"));
        }
    }
    let hooked = Gov::new().file("gov.yaml", "version: 1\n");
    git2::Repository::init(hooked.root()).expect("git init");
    let run = hooked.run_with(&["hook", "install", "--format", "json"]);
    for e in errors(&command_schema("hook").unwrap(), &run.json()) {
        failures.push(format!("hook install: {e}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `gov check`'s `gates` entries carry each gate's own data members: each, made a
/// document of its own again, validates against its command's schema.
fn gate_failures(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for gate in doc["gates"].as_array().into_iter().flatten() {
        let mut own = gate.clone();
        let map = own.as_object_mut().expect("a gate entry is an object");
        map.remove("gate");
        map.insert("schema_version".into(), json!(1));
        map.insert("diagnostics".into(), json!([]));
        map.insert("next".into(), json!([]));
        let command = gate["command"].as_str().unwrap_or_default();
        let Some(schema) = command_schema(command) else {
            out.push(format!("check: gate {command} has no schema"));
            continue;
        };
        for e in errors(&schema, &own) {
            out.push(format!("check gate {command}: {e}"));
        }
    }
    out
}

#[test]
fn gov_schema_prints_the_committed_text() {
    let run = Gov::new().args(&["schema", "signatures-verify"]).run();
    run.expect_code(0);
    let committed =
        std::fs::read_to_string(manifest_dir().join("schemas/signatures-verify.schema.json"))
            .expect("committed schema");
    assert_eq!(run.stdout, committed);
    let list = Gov::new().args(&["schema", "--list"]).run();
    list.expect_code(0);
    assert!(list.stdout.contains("gov.yaml"), "{}", list.stdout);
    assert!(list.stdout.contains("schemas/pre-work.schema.json"));
    let unknown = Gov::new()
        .args(&["schema", "nope", "--format", "json"])
        .run();
    unknown.expect_code(2);
    assert_eq!(unknown.codes(), ["GOV011"]);
}

/// With the cache on, documents carry the run's cache counts: those are part of the
/// envelope's schema too, cold and warm.
#[test]
fn documents_of_cached_runs_validate() {
    let demo = Gov::example("demo").env("GOV_NO_CACHE", "0");
    git2::Repository::init(demo.root()).expect("git init");
    let mut failures = Vec::new();
    let mut counted = 0;
    for round in ["cold", "warm"] {
        for args in [&["status"][..], &["spec-regression"], &["check"]] {
            let mut full = args.to_vec();
            full.extend(["--format", "json"]);
            let doc = demo.run_with(&full).json();
            counted += usize::from(doc.get("cache").is_some());
            let command = doc["command"].as_str().unwrap_or_default().to_string();
            for e in errors(&command_schema(&command).expect("a schema"), &doc) {
                failures.push(format!("{round} gov {}: {e}", args.join(" ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(counted > 0, "no run reported its cache counts");
}

/// `gov guard` answers each harness in its own format: every answer, allowing and
/// denying, validates against the guard's schema.
#[test]
fn guard_answers_validate() {
    let gov = crate::guard::repo();
    let root = gov.root();
    let schema = command_schema("guard").expect("the guard's schema");
    let mut failures = Vec::new();
    for (harness, name) in crate::guard::PRE_TOOL_EVENTS {
        let inside = crate::guard::event(root, harness, name);
        let outside = inside.replace("src/api/auth.rs", "src/api/admin.rs");
        for (what, input) in [("allow", inside), ("deny", outside)] {
            let answer = crate::guard::guard(root, harness, &input);
            if answer.stdout.trim().is_empty() {
                continue; // a harness that reads an empty answer as "allow"
            }
            for e in errors(&schema, &answer.json()) {
                failures.push(format!("{harness} {name} {what}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
