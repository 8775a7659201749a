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
