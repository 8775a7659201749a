use super::*;
use crate::config::Config;

fn repo(files: &[&str]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in files {
        let p = d.path().join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        if f.ends_with('/') {
            std::fs::create_dir_all(&p).unwrap();
        } else {
            std::fs::write(p, "x").unwrap();
        }
    }
    d
}

fn paths(root: &Path) -> (Layout, Discovery) {
    discover(root, &Config::default())
}

#[test]
fn records_layout_is_discovered() {
    let d = repo(&[
        ".GOV/spec/SPEC_CURRENT.md",
        ".GOV/roles_shared/records/TASK_BOARD.md",
        ".GOV/roles_shared/records/REPO_GOVERNANCE_REFACTOR_TASK_BOARD.md",
        ".GOV/roles_shared/records/SIGNATURE_AUDIT.md",
        ".GOV/task_packets/stubs/WP-1-S.md",
        ".GOV/task_packets/_archive/superseded/TASK_BOARD.md",
        ".GOV/templates/TASK_PACKET_TEMPLATE.md",
        ".GOV/refinements/WP-1-A.md",
        "src/main.rs",
    ]);
    let (l, disc) = paths(d.path());
    assert!(disc.ambiguities.is_empty(), "{:?}", disc.ambiguities);
    assert_eq!(l.spec_pointer, ".GOV/spec/SPEC_CURRENT.md");
    assert_eq!(l.task_board, ".GOV/roles_shared/records/TASK_BOARD.md");
    assert_eq!(
        l.signature_audit,
        ".GOV/roles_shared/records/SIGNATURE_AUDIT.md"
    );
    assert_eq!(l.packets, ".GOV/task_packets");
    assert_eq!(l.stubs, ".GOV/task_packets/stubs");
    assert_eq!(l.packet_template, ".GOV/templates/TASK_PACKET_TEMPLATE.md");
    assert_eq!(l.refinements, ".GOV/refinements");
    assert_eq!(l.name, LayoutName::Dotgov);
    let gate = disc.get(Doc::GateState).unwrap();
    assert!(!gate.exists);
    assert!(!gate.looked.is_empty());
    assert_eq!(disc.searched, [".GOV", "src"]);
}

#[test]
fn the_complete_preset_is_a_fast_path() {
    let d = repo(&[
        "docs/SPEC_CURRENT.md",
        "docs/TASK_BOARD.md",
        "docs/SIGNATURE_AUDIT.md",
        "governance/TASK_BOARD.md",
    ]);
    let (l, disc) = paths(d.path());
    assert_eq!(l, Layout::preset(LayoutName::Docs));
    assert!(disc.searched.is_empty(), "no walk on the fast path");
    assert!(matches!(
        disc.get(Doc::TaskBoard).unwrap().rule,
        Rule::FastPath { .. }
    ));
}

#[test]
fn two_candidates_are_ambiguous_and_configuration_settles_it() {
    let d = repo(&[
        "docs/SPEC_CURRENT.md",
        "docs/TASK_BOARD.md",
        ".GOV/roles_shared/records/TASK_BOARD.md",
        "docs/SIGNATURE_AUDIT.md.old",
    ]);
    let (_, disc) = paths(d.path());
    assert_eq!(disc.ambiguities.len(), 1);
    let a = &disc.ambiguities[0];
    assert_eq!(a.doc, Doc::TaskBoard);
    assert_eq!(
        a.candidates,
        [
            "docs/TASK_BOARD.md",
            ".GOV/roles_shared/records/TASK_BOARD.md"
        ]
    );
    let diag = a.diagnostic();
    assert_eq!(diag.code, "GOV020");
    assert!(diag.help.contains("paths.task_board"));
    let mut c = Config::default();
    c.paths.task_board = Some("docs/TASK_BOARD.md".into());
    let (l, disc) = discover(d.path(), &c);
    assert!(disc.ambiguities.is_empty());
    assert_eq!(l.task_board, "docs/TASK_BOARD.md");
    assert_eq!(disc.get(Doc::TaskBoard).unwrap().rule, Rule::Configured);
}

#[test]
fn governance_folders_win_over_other_folders() {
    let d = repo(&[
        ".gov/SPEC_CURRENT.md",
        "tests/fixtures/a/docs/SPEC_CURRENT.md",
        "tests/fixtures/a/docs/SIGNATURE_AUDIT.md",
    ]);
    let (l, _) = paths(d.path());
    assert_eq!(l.spec_pointer, ".gov/SPEC_CURRENT.md");
    // found only under another top-level folder: still found
    assert_eq!(
        l.signature_audit,
        "tests/fixtures/a/docs/SIGNATURE_AUDIT.md"
    );
    // missing: expected beside the audit that was found
    assert_eq!(l.task_board, "tests/fixtures/a/docs/TASK_BOARD.md");
}

#[test]
fn depth_is_bounded_and_archives_skipped() {
    let deep = format!("governance/{}TASK_BOARD.md", "d/".repeat(walk::MAX_DEPTH));
    let d = repo(&[&deep, "governance/history/SPEC_CURRENT.md"]);
    let (_, disc) = paths(d.path());
    assert!(!disc.get(Doc::TaskBoard).unwrap().exists);
    assert!(!disc.get(Doc::SpecPointer).unwrap().exists);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_root_are_not_followed() {
    let outside = repo(&["TASK_BOARD.md", "SPEC_CURRENT.md"]);
    let d = repo(&["README.md"]);
    std::os::unix::fs::symlink(outside.path(), d.path().join("docs")).unwrap();
    std::os::unix::fs::symlink(outside.path(), d.path().join("extra")).unwrap();
    let (_, disc) = paths(d.path());
    assert!(!disc.get(Doc::TaskBoard).unwrap().exists);
    assert_eq!(disc.links_skipped, ["docs", "extra"]);
    assert_eq!(disc.diagnostics()[0].code, "GOV022");
}

#[test]
fn the_walk_stops_at_its_entry_bound_and_says_so() {
    let files: Vec<String> = (0..50).map(|i| format!("docs/f{i:02}.md")).collect();
    let mut all: Vec<&str> = files.iter().map(String::as_str).collect();
    all.push("docs/zz/TASK_BOARD.md");
    let d = repo(&all);
    let seen = walk::walk_within(d.path(), 20);
    assert!(seen.bounded);
    assert!(seen.candidates(Doc::TaskBoard).is_empty());
    let seen = walk::walk_within(d.path(), 1_000);
    assert!(!seen.bounded);
    assert_eq!(
        seen.candidates(Doc::TaskBoard)[0].path,
        "docs/zz/TASK_BOARD.md"
    );
}
