//! The spec's own shape: repeated section numbers and code fences that never close.

use crate::diag::codes::spc;
use crate::diag::Diagnostic;
use crate::model::spec::{Duplicate, Spec};

pub fn check(spec: &Spec, duplicates: &[Duplicate]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = duplicates
        .iter()
        .map(|d| {
            Diagnostic::new(
                &spc::DUPLICATE_SECTION,
                format!(
                    "§{} is the number of the headings at line {} and line {}; anchors resolve to the first Main Body one",
                    d.number, d.first_line, d.line
                ),
            )
            .at_line(spec.path.clone(), d.line)
        })
        .collect();
    out.extend(spec.unclosed_fences.iter().map(|&line| {
        Diagnostic::new(
            &spc::UNCLOSED_FENCE,
            "this code fence is never closed; gov reads the headings after it anyway",
        )
        .at_line(spec.path.clone(), line)
    }));
    out
}
