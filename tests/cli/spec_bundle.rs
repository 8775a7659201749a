//! A spec made of modules, named by a JSON pointer (fixture `spec-bundle`): the
//! pointer read by its keys, the bundle read as one spec, every anchor form both ways,
//! the previous version from the pointer, and hostile pointers and manifests.

use crate::support::Gov;

const POINTER: &str = ".GOV/spec/SPEC_CURRENT.md";
const BUNDLE: &str = ".GOV/spec/master-spec-v1.1";
const MANIFEST: &str = ".GOV/spec/master-spec-v1.1/indexed-spec-manifest.json";
const LOGIN: &str = "docs/task_packets/WP-1-Login-Endpoint.md";
const TOKEN: &str = "docs/task_packets/WP-1-Token-Validation.md";
const LOGIN_ANCHOR: &str = "- SPEC_ANCHOR: .GOV/spec/master-spec-v1.0/spec-modules/03-api.md#3.1.1 Login Endpoint; Fixture_Master_Spec_v1.1.md \\u00a73.2 Error Codes";

fn bundle() -> Gov {
    Gov::fixture("spec-bundle")
}

fn json(g: Gov) -> crate::support::Run {
    g.args(&["spec-regression", "--format", "json"]).run()
}

/// Diagnostics of one code: (path, line) pairs.
fn at(run: &crate::support::Run, code: &str) -> Vec<(String, u64)> {
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn spec_regression_reads_the_bundle() {
    let run = bundle().arg("spec-regression").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn spec_regression_json() {
    let run = json(bundle());
    run.expect_code(0);
    let j = run.json();
    assert_eq!(j["pointer"]["form"], "json");
    assert_eq!(j["pointer"]["target"], MANIFEST, "never the baseline");
    assert_eq!(j["spec"]["modules"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        j["previous"]["path"], ".GOV/spec/spec_archive/master-spec-v1.0/indexed-spec-manifest.json",
        "previous_version, found in the archive the bundle moved to"
    );
    insta::assert_json_snapshot!(j);
}

#[test]
fn modules_are_read_in_manifest_order_with_hash_checks() {
    let run = json(bundle());
    let order: Vec<String> = run.json()["spec"]["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| m["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        order,
        ["00", "01", "02", "03", "04"],
        "reconstruction.module_order, not manifest order"
    );
    // 01 matches only after LF->CRLF: fine; 02 matches neither: a warning naming it
    assert_eq!(
        at(&run, "SPC022"),
        [(format!("{BUNDLE}/spec-modules/02-storage.md"), 0)]
    );
    // the resolver index lags a version: a note, the manifest decides
    assert_eq!(at(&run, "SPC026").len(), 1);
    // the runtime folder the pointer references is outside the checkout: a note
    assert_eq!(at(&run, "SPC025").len(), 1);
    // numbers repeated across modules are reported with both modules
    assert_eq!(
        at(&run, "SPC001"),
        [(format!("{BUNDLE}/spec-modules/03-api.md"), 27)]
    );
}

#[test]
fn module_matching_its_hash_is_quiet_and_mismatch_names_the_module() {
    // rewrite 00 so its hash matches neither form: a second warning, still read
    let run = json(bundle().replace(
        &format!("{BUNDLE}/spec-modules/00-preamble.md"),
        "first cut",
        "edited cut",
    ));
    run.expect_code(0);
    let warned: Vec<String> = at(&run, "SPC022").into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        warned,
        [
            format!("{BUNDLE}/spec-modules/00-preamble.md"),
            format!("{BUNDLE}/spec-modules/02-storage.md")
        ]
    );
}

#[test]
fn pre_work_passes_against_the_bundle() {
    let run = bundle().args(&["pre-work", "WP-1-Login-Endpoint"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn status_on_the_bundle() {
    let run = bundle().arg("status").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn phase_gate_on_the_bundle() {
    let run = bundle().args(&["phase-gate", "Phase-1"]).run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn fenced_commented_and_roadmap_citations() {
    let run = json(bundle().replace(
        TOKEN,
        "- SPEC_ANCHOR: §3.1.2, 03-api.md#token-validation",
        "- SPEC_ANCHOR: §3.1.2, §4.2, §3.9, §3.3",
    ));
    run.expect_code(1);
    // §3.9 is a heading line only inside the four-backtick fence of module 02: the
    // fence is named, not the packet
    assert_eq!(
        at(&run, "SPC027"),
        [(format!("{BUNDLE}/spec-modules/02-storage.md"), 40)]
    );
    // §3.3 sits inside an HTML comment: no heading at all; §4.2 is Roadmap
    assert_eq!(
        at(&run, "SPC006"),
        [(TOKEN.to_string(), 11), (TOKEN.to_string(), 11)]
    );
    let messages = run.stdout.clone();
    assert!(
        messages.contains("cites §3.3, which is not a heading"),
        "{messages}"
    );
    assert!(
        messages
            .contains("cites §4.2, which is only in the Roadmap of v1.1 (04-roadmap.md line 15)"),
        "{messages}"
    );
    assert_eq!(run.json()["cited"]["unresolved"], 3);
}

/// Every anchor form of FORMATS.md, as the active WP-1-Login-Endpoint's only anchor:
/// the forms that name a heading of the bundle resolve, the others do not.
#[test]
fn every_anchor_form_both_ways() {
    let cases: &[(&str, bool)] = &[
        ("03-api.md#3.1.1", true),
        ("03-api.md#3.9.9", false),
        ("03-api.md#3.1.1 Login Endpoint", true),
        (
            ".GOV/spec/spec_archive/master-spec-v1.0/spec-modules/03-api.md#3.1.2",
            true,
        ),
        (
            ".GOV/spec/master-spec-v0.9/spec-modules/09-gone.md#9.1",
            false,
        ),
        ("02-storage.md#3.2", true),
        ("03-api.md#token-validation", true),
        ("03-api.md#token-revocation", false),
        ("02-storage.md#cache-minimum", true),
        ("Fixture_Master_Spec_v1.1.md Token Validation", true),
        ("Fixture_Master_Spec_v1.1.md Token Revocation", false),
        (
            "Fixture_Master_Spec_v1.1.md \\u00a73.1.2 Token Validation",
            true,
        ),
        ("Fixture_Master_Spec_v1.1.md \\u00A73.1.2", true),
        ("Fixture_Master_Spec_v1.1.md \\\\u00a73.1.2", true),
        ("Fixture_Master_Spec_v1.1.md \\u00a79.9", false),
        ("02-storage.md:19", true),
        ("02-storage.md:99999", true),
        ("Unknown_Spec_v1.1.md:19", false),
        ("Unknown_Spec_v1.1.md:19 Token Validation", true),
        ("Unknown_Spec_v1.1.md:19 Token Revocation", false),
        ("`### 3.1.1 Login Endpoint`", true),
        ("`### 3.7.1 Nothing`", false),
        ("A\u{15}3.1.1", true),
        ("A\u{15}9.9", false),
        ("??3.1.1", true),
        ("3.1.1-3.1.2", true),
        ("3.1.1-3.1.9", false),
        ("3.1.x", true),
        ("A2.2.x", true),
        ("3.*", true),
        ("9.x", false),
        ("[CX-DBP-001]", true),
        ("[CX-NOPE-001]", false),
    ];
    for (anchor, resolves) in cases {
        let run = json(bundle().replace(LOGIN, LOGIN_ANCHOR, &format!("- SPEC_ANCHOR: {anchor}")));
        let unresolved = run.json()["cited"]["unresolved"].as_u64().unwrap_or(99);
        assert_eq!(
            unresolved == 0,
            *resolves,
            "`{anchor}`: {unresolved} unresolved\n{}",
            run.stdout
        );
    }
}

#[test]
fn the_monolith_path_still_works_beside_a_bundle() {
    // a Markdown pointer naming the baseline monolith: that file is the spec
    let run = json(bundle().file(
        POINTER,
        "# Current\n\n**.GOV/spec/Fixture_Master_Spec_v1.1.md**\n",
    ));
    assert_eq!(
        run.json()["spec"]["path"],
        ".GOV/spec/Fixture_Master_Spec_v1.1.md"
    );
    assert_eq!(run.json()["spec"]["modules"], serde_json::Value::Null);
}

#[test]
fn a_bold_bare_name_resolves_from_the_repository_root() {
    let spec = "# Root Spec v1.1\n\n## 1 A\n### 1.1 Executive Summary\n## 2 B\n### 2.1 Storage Trait\n### 2.2.1 M\n## 3 C\n### 3.1 Authentication\n### 3.1.1 Login\n### 3.1.2 Token\n### 3.2 Codes\n";
    let run = json(
        bundle()
            .file(POINTER, "# Current\n\nThe spec is **Root_Spec_v1.1.md**.\n")
            .file("Root_Spec_v1.1.md", spec)
            .file(
                ".GOV/spec/Root_Spec_v1.1.md",
                "# A stale copy beside the pointer\n",
            ),
    );
    assert_eq!(run.json()["spec"]["path"], "Root_Spec_v1.1.md");
}

#[test]
fn previous_version_comes_from_the_pointer() {
    // a monolith of a lower version beside the bundle is not what the pointer names
    let run = json(
        bundle()
            .file(
                ".GOV/spec/Fixture_Master_Spec_v1.0.md",
                "# Old\n\n## 9 Only here\n",
            )
            .replace(
                POINTER,
                "\"previous_version\": \"v1.0\"",
                "\"previous_version\": \"v0.9\"",
            )
            .replace(POINTER, "\"version\": \"v1.0\"", "\"version\": \"v0.9\""),
    );
    run.expect_code(0);
    assert_eq!(run.json()["pointer"]["previous_version"], "v0.9");
    assert_eq!(run.json()["previous"], serde_json::Value::Null);
    assert_eq!(at(&run, "SPC029"), [(POINTER.to_string(), 5)]);
}

#[test]
fn a_json_pointer_naming_outside_the_root_is_refused() {
    let g = bundle().replace(
        POINTER,
        "\".GOV/spec/master-spec-v1.1/indexed-spec-manifest.json\"",
        "\"../outside/indexed-spec-manifest.json\"",
    );
    let run = json(g);
    run.expect_code(1);
    assert_eq!(run.codes().iter().filter(|c| *c == "SPC004").count(), 1);
    assert!(
        run.stdout.contains("outside the repository"),
        "{}",
        run.stdout
    );
    let run = bundle()
        .replace(
            POINTER,
            "\".GOV/spec/master-spec-v1.1/indexed-spec-manifest.json\"",
            "\"/etc/indexed-spec-manifest.json\"",
        )
        .args(&["pre-work", "WP-1-Login-Endpoint"])
        .run();
    run.expect_code(2);
    assert!(run.transcript().contains("outside the repository"));
}

#[test]
fn a_broken_json_pointer_never_falls_back_to_the_baseline() {
    let text = Gov::fixture_text("spec-bundle", POINTER);
    // truncated right after the baseline path: the text names a spec file, but the
    // document is broken JSON and names no current spec
    let cut = text.find("\"previous_current_spec\"").expect("cut point");
    for (what, pointer) in [
        ("truncated", text[..cut].to_string()),
        ("nested", format!("{}{}", "{\"a\":".repeat(300), "1".to_string() + &"}".repeat(300))),
        ("no current entry", "{\"current_spec\": {\"source_baseline_path\": \".GOV/spec/Fixture_Master_Spec_v1.1.md\"}}".to_string()),
    ] {
        let run = json(bundle().file(POINTER, &pointer));
        run.expect_code(1);
        assert_eq!(run.codes(), ["SPC020"], "{what}: {}", run.stdout);
        let run = bundle().file(POINTER, &pointer).args(&["pre-work", "WP-1-Login-Endpoint"]).run();
        run.expect_code(2);
    }
}

#[test]
fn a_large_json_pointer_is_read() {
    let text = Gov::fixture_text("spec-bundle", POINTER);
    let padded = text.replacen(
        '{',
        &format!("{{\"padding\": [{}0],", "0,".repeat(500_000)),
        1,
    );
    json(bundle().file(POINTER, padded)).expect_code(0);
}

#[test]
fn hostile_and_broken_manifests() {
    // module paths that leave the bundle are refused, the others still read
    let run = json(
        bundle()
            .replace(
                MANIFEST,
                "\"spec-modules/04-roadmap.md\"",
                "\"../../../../etc/passwd\"",
            )
            .replace(
                MANIFEST,
                "\"spec-modules/00-preamble.md\"",
                "\"/etc/hostname\"",
            ),
    );
    run.expect_code(1);
    assert_eq!(at(&run, "SPC023").len(), 2, "{}", run.stdout);
    assert_eq!(
        run.json()["spec"]["modules"].as_array().map(Vec::len),
        Some(3)
    );
    // a missing module is an error naming it
    let run = json(bundle().remove(&format!("{BUNDLE}/spec-modules/01-overview.md")));
    run.expect_code(1);
    assert!(
        run.stdout.contains("01-overview.md does not exist"),
        "{}",
        run.stdout
    );
    for (what, manifest) in [
        (
            "truncated",
            "{\"modules\": [{\"path\": \"spec-modules/01-overview.md\"".to_string(),
        ),
        (
            "nested",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        ("no modules", "{\"spec_version\": \"v1.1\"}".to_string()),
    ] {
        let run = json(bundle().file(MANIFEST, &manifest));
        run.expect_code(1);
        assert_eq!(at(&run, "SPC021"), [(MANIFEST.to_string(), 0)], "{what}");
        bundle()
            .file(MANIFEST, &manifest)
            .args(&["pre-work", "WP-1-Login-Endpoint"])
            .run()
            .expect_code(2);
    }
}

#[test]
fn module_order_problems_are_warnings() {
    let run = json(bundle().replace(
        MANIFEST,
        "\"module_order\": [\n      \"00\",",
        "\"module_order\": [\n      \"99\",",
    ));
    run.expect_code(0);
    let order: Vec<String> = run
        .stdout
        .lines()
        .filter(|l| l.contains("SPC024"))
        .map(str::to_string)
        .collect();
    assert_eq!(at(&run, "SPC024").len(), 2, "{order:?}\n{}", run.stdout);
}

/// 100,000 headings with one number through the whole command: the report lists the
/// first repeats and counts the rest, and the run stays quick because duplicate
/// detection is linear (no timing asserted; a quadratic pass would take minutes).
#[test]
fn a_hundred_thousand_duplicate_headings() {
    let mut spec = String::from("# Spec v1.1\n\n## 1.1 Executive Summary\n### 2.1 Storage Trait\n### 3.1 Authentication\n### 2.2.1 M\n### 3.1.1 L\n### 3.1.2 T\n### 3.2 E\n");
    spec.push_str(&"## 1.1 Same\n".repeat(100_000));
    let run = json(
        bundle()
            .file(POINTER, "# Current\n\n**Dup_Spec_v1.1.md**\n")
            .file("Dup_Spec_v1.1.md", spec),
    );
    assert_eq!(run.json()["spec"]["duplicates"], 100_000);
    let listed = at(&run, "SPC001");
    assert_eq!(
        listed.len(),
        11,
        "ten repeats listed, the rest counted in one"
    );
}

/// A module that is a symbolic link out of the repository is refused like any read
/// outside the root; the other modules are still read.
#[cfg(unix)]
#[test]
fn a_module_linked_out_of_the_repository_is_not_read() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.md"), "## 9.9 Outside\n").expect("write");
    let g = bundle().remove(&format!("{BUNDLE}/spec-modules/04-roadmap.md"));
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        g.root().join(BUNDLE).join("spec-modules/04-roadmap.md"),
    )
    .expect("symlink");
    let run = json(g);
    run.expect_code(1);
    assert_eq!(at(&run, "SPC023").len(), 1, "{}", run.stdout);
    assert!(
        !run.stdout.contains("Outside"),
        "nothing of the outside file is quoted"
    );
    assert_eq!(
        run.json()["spec"]["modules"].as_array().map(Vec::len),
        Some(4)
    );
}
