//! `gov spec-regression`: pointer forms, missing pointer or spec as findings, required
//! and cited anchors as real Main Body headings, comparison with the previous version,
//! duplicates and unbalanced fences, and a 4 MB spec.

use crate::support::Gov;
use std::fmt::Write as _;

const POINTER: &str = "docs/SPEC_CURRENT.md";
const SPEC: &str = "Master_Spec_v1.1.md";

fn clean() -> Gov {
    Gov::fixture("board-clean")
}

fn json(g: Gov) -> crate::support::Run {
    g.args(&["spec-regression", "--format", "json"]).run()
}

#[test]
fn sound_spec_passes() {
    let run = clean().arg("spec-regression").run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn sound_spec_json() {
    let run = json(clean());
    run.expect_code(0);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn alias_validator_spec_regression() {
    clean()
        .arg("validator-spec-regression")
        .run()
        .expect_code(0);
}

#[test]
fn every_pointer_form_resolves() {
    let forms = [
        (
            "link",
            "Current: [Master_Spec_v1.1.md](../Master_Spec_v1.1.md)\n",
        ),
        ("bold_name", "Current spec: **Master_Spec_v1.1.md**\n"),
        ("bold_path", "Current spec: **specs/Master_Spec_v1.1.md**\n"),
        (
            "json",
            "```json\n{\"entry\": \"specs/Master_Spec_v1.1.md\", \"version\": \"v1.1\"}\n```\n",
        ),
        ("text", "The current spec is Master_Spec_v1.1.md.\n"),
    ];
    for (form, text) in forms {
        let spec = std::fs::read_to_string(
            crate::support::fixtures_dir()
                .join("board-clean")
                .join(SPEC),
        )
        .expect("spec");
        let run = json(
            clean()
                .file(POINTER, text)
                .file(&format!("specs/{SPEC}"), &spec),
        );
        run.expect_code(0);
        assert_eq!(run.json()["pointer"]["form"], form, "{text}");
    }
}

#[test]
fn pointer_with_bom_and_crlf() {
    let run = json(clean().file(
        POINTER,
        b"\xEF\xBB\xBF# Current\r\n\r\n**Master_Spec_v1.1.md**\r\n".as_slice(),
    ));
    run.expect_code(0);
}

#[test]
fn missing_pointer_is_a_finding() {
    let run = clean().remove(POINTER).arg("spec-regression").run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn pointer_naming_nothing_is_a_finding() {
    let run = json(clean().file(POINTER, "# Current spec\n\nSee the wiki.\n"));
    run.expect_code(1);
    assert_eq!(run.codes(), ["SPC003"]);
}

#[test]
fn missing_spec_is_a_finding() {
    let run = clean()
        .file(POINTER, "[Master_Spec_v9.9.md](../Master_Spec_v9.9.md)\n")
        .arg("spec-regression")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn required_anchor_must_be_a_heading() {
    // `2.1` still appears in the text, but no heading carries the number
    let run = clean()
        .replace(
            SPEC,
            "### 2.1 Storage Trait [CX-STO-001]",
            "### Storage Trait (see 2.1)",
        )
        .replace(
            "Master_Spec_v1.0.md",
            "### 2.1 Storage Trait",
            "### Storage Trait",
        )
        .replace("docs/task_packets/WP-1-Alpha.md", "§2.1", "§2.2")
        .arg("spec-regression")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn required_anchor_only_in_roadmap() {
    let run = json(clean().replace(
        "gov.yaml",
        "[\"1.1\", \"2.1\"]",
        "[\"1.1\", \"A4.1\", \"[CX-STO-001]\"]",
    ));
    run.expect_code(1);
    assert_eq!(run.codes(), ["SPC005"]);
    let doc = run.json();
    let states: Vec<&str> = doc["required_anchors"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|a| a["state"].as_str())
        .collect();
    assert_eq!(states, ["main_body", "roadmap", "main_body"]);
}

#[test]
fn required_anchor_that_is_no_anchor_is_a_config_error() {
    let run = json(clean().replace("gov.yaml", "[\"1.1\", \"2.1\"]", "[\"storage\"]"));
    run.expect_code(2);
    assert_eq!(run.codes(), ["CFG003"]);
}

#[test]
fn active_packet_anchor_must_resolve() {
    let run = clean()
        .replace(
            "docs/task_packets/WP-2-Delta.md",
            "§3.2",
            "§3.2, §3.7, §4.1",
        )
        .arg("spec-regression")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn closed_packets_may_cite_old_anchors() {
    let run = json(clean().replace("docs/task_packets/WP-1-Alpha.md", "§2.1", "§2.9"));
    run.expect_code(0);
    assert!(run.codes().is_empty());
}

#[test]
fn removed_anchor_cited_by_active_packet_is_an_error() {
    let run = clean()
        .replace(SPEC, "### 3.1 Login\n", "### 3.3 Sign-in\n")
        .arg("spec-regression")
        .run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn removed_anchor_nobody_cites_is_a_warning() {
    let run = clean()
        .replace(SPEC, "### 1.2 Scope\n", "### Scope\n")
        .arg("spec-regression")
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn changed_title_is_a_warning() {
    let run = clean()
        .replace(
            SPEC,
            "### 2.2 Migrations",
            "### 2.2 Retention and Garbage Collection",
        )
        .arg("spec-regression")
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn only_lower_versions_count_as_previous() {
    let run = json(
        clean()
            .file("Master_Spec_v1.2.md", "# Draft v1.2\n")
            .file("Master_Spec_v0.9.md", "# Old v0.9\n")
            .file("Other_Spec_v1.0.md", "# Unrelated\n"),
    );
    run.expect_code(0);
    assert_eq!(run.json()["previous"]["path"], "Master_Spec_v1.0.md");
}

#[test]
fn duplicates_and_unclosed_fences_are_warnings() {
    let run = clean()
        .replace(
            SPEC,
            "# 4 Roadmap",
            "## Addendum\n\n### 1.2 Scope (addendum)\nText.\n\n```text\nnever closed\n\n### 1.3 After the fence\n\n# 4 Roadmap",
        )
        .arg("spec-regression")
        .run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

/// A 4 MB spec with numbering that restarts (duplicates) and fences left open, as
/// FORMATS.md describes real specs.
fn big_spec() -> (String, usize) {
    let mut s = String::from("```\n ASCII ART\n```\n# Master Spec v1.1\n\n");
    let filler = "The system MUST behave deterministically; every mutation is logged.\n\n";
    let mut sections = 0;
    let mut part = 0;
    while s.len() < 4 << 20 {
        part += 1;
        // every part restarts numbering at 1 (embedded addenda)
        for a in 1..=30 {
            let _ = writeln!(s, "## {a} Section {a} of part {part}\n");
            for b in 1..=30 {
                let _ = writeln!(s, "### {a}.{b} Requirement {a}.{b}\n");
                s.push_str(filler);
                sections += 1;
            }
        }
        // an unbalanced fence: opened by four backticks, "closed" by three
        s.push_str("````md\n```\n## 999.1 Inside the fence\n```\n");
    }
    s.push_str("\n# 1000 Roadmap\n\n## 1000.1 Later\n");
    (s, sections)
}

#[test]
fn four_megabyte_spec_with_duplicates_and_unbalanced_fences() {
    let (spec, _) = big_spec();
    assert!(spec.len() >= 4 << 20);
    let run = json(clean().file(SPEC, &spec).replace(
        "gov.yaml",
        "[\"1.1\", \"2.1\"]",
        "[\"30.30\", \"1000.1\"]",
    ));
    let doc = run.json();
    // 1000.1 is in the Roadmap: that is the one error
    assert_eq!(doc["summary"]["errors"], 1, "{}", run.stdout.len());
    let spec_json = &doc["spec"];
    let parts = spec_json["unclosed_fences"].as_u64().expect("fences");
    assert!(parts >= 1);
    // each restarted part duplicates all 930 numbers of the first
    let headings = spec_json["headings"].as_u64().expect("headings");
    let duplicates = spec_json["duplicates"].as_u64().expect("duplicates");
    assert_eq!(duplicates, headings - 930 - 2 - 1, "headings {headings}");
    // the roadmap starts after every part, fences notwithstanding
    assert!(spec_json["roadmap_line"].as_u64().is_some());
    let states = &doc["required_anchors"];
    assert_eq!(states[0]["state"], "main_body");
    // five lines of preamble, 122 lines per `## a` block, four per requirement
    assert_eq!(states[0]["line"], 6 + 29 * 122 + 2 + 29 * 4);
    assert_eq!(states[1]["state"], "roadmap");
}

#[test]
fn demo_repository() {
    let run = Gov::example("demo").arg("spec-regression").run();
    run.expect_code(1);
    insta::assert_snapshot!(run.transcript());
}
