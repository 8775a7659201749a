//! Pins the full list of diagnostic codes: adding, renaming or removing a code shows
//! up in review as a snapshot change (after cargo-deny's `codes_unique`).

use std::collections::HashSet;

#[test]
fn codes_are_unique_and_well_formed() {
    let all = gov::diag::codes::all();
    let mut seen = HashSet::new();
    for c in &all {
        assert!(seen.insert(c.code), "duplicate code {}", c.code);
        let (area, num) = c.code.split_at(3);
        assert!(area.chars().all(|ch| ch.is_ascii_uppercase()), "{}", c.code);
        assert!(
            num.len() == 3 && num.chars().all(|ch| ch.is_ascii_digit()),
            "{}",
            c.code
        );
        assert!(
            !c.help.is_empty() && !c.title.is_empty() && !c.explanation.is_empty(),
            "{} lacks text",
            c.code
        );
    }
}

#[test]
fn codes_pinned() {
    let list: Vec<String> = gov::diag::codes::all()
        .iter()
        .map(|c| format!("{} {:<7} {}", c.code, c.severity.as_str(), c.title))
        .collect();
    insta::assert_snapshot!(list.join("\n"));
}

/// docs/codes.md is written from the registry; `GOV_BLESS_DOCS=1 cargo test --test cli
/// code_reference` rewrites it after a code changes.
#[test]
fn the_code_reference_is_up_to_date() {
    use gov::diag::codes::reference;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(reference::PATH);
    let want = reference::markdown();
    if std::env::var_os("GOV_BLESS_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/codes.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is out of date: run `GOV_BLESS_DOCS=1 cargo test --test cli code_reference`",
        reference::PATH
    );
}
