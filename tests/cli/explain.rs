//! `gov explain`.

use crate::support::Gov;

#[test]
fn explains_a_code_case_insensitively() {
    let run = Gov::new().args(&["explain", "pkt003"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn list_and_unknown() {
    let run = Gov::new()
        .args(&["explain", "--list", "--format", "json"])
        .run();
    run.expect_code(0);
    assert_eq!(
        run.json()["codes"].as_array().unwrap().len(),
        gov::diag::codes::all().len()
    );
    let run = Gov::new()
        .args(&["explain", "XYZ999", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GOV011"]);
}
