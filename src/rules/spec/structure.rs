//! The spec's own shape: repeated section numbers, code fences and HTML comments that
//! never close.

use crate::diag::codes::spc;
use crate::diag::Diagnostic;
use crate::model::spec::{Duplicate, Spec};
use std::collections::HashMap;

/// Repeats of one number reported one by one; the rest are counted in one finding, so
/// a spec of 100,000 identical headings gives a short report.
const LISTED_REPEATS: usize = 10;

pub fn check(spec: &Spec, duplicates: &[Duplicate]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut per_number: HashMap<&str, usize> = HashMap::new();
    let mut unlisted: Vec<&Duplicate> = Vec::new();
    for d in duplicates {
        let n = per_number.entry(d.number.0.as_str()).or_insert(0);
        *n += 1;
        if *n <= LISTED_REPEATS {
            out.push(
                Diagnostic::new(
                    &spc::DUPLICATE_SECTION,
                    format!(
                        "§{} is the number of the headings at {} and {}; {}",
                        d.number,
                        place(spec, &d.first_path, d.first_line),
                        place(spec, &d.path, d.line),
                        resolves_to(spec)
                    ),
                )
                .at_line(d.path.clone(), d.line),
            );
        } else if *n == LISTED_REPEATS + 1 {
            unlisted.push(d);
        }
    }
    for d in unlisted {
        let more = per_number[d.number.0.as_str()] - LISTED_REPEATS;
        out.push(
            Diagnostic::new(
                &spc::DUPLICATE_SECTION,
                format!(
                    "§{} repeats {more} more times from here on (first at {}); only the first {LISTED_REPEATS} repeats are listed",
                    d.number,
                    place(spec, &d.first_path, d.first_line)
                ),
            )
            .at_line(d.path.clone(), d.line),
        );
    }
    out.extend(spec.unclosed_fences.iter().map(|p| {
        Diagnostic::new(
            &spc::UNCLOSED_FENCE,
            "this code fence is never closed; gov reads the headings after it anyway",
        )
        .at_line(p.path.clone(), p.line)
    }));
    out.extend(spec.unclosed_comments.iter().map(|p| {
        Diagnostic::new(
            &spc::UNCLOSED_COMMENT,
            "this HTML comment is never closed; a reader sees nothing after it, so gov reads no heading after it either",
        )
        .at_line(p.path.clone(), p.line)
    }));
    out
}

/// Which of the repeated headings an anchor resolves to.
fn resolves_to(spec: &Spec) -> &'static str {
    if spec.is_modular() {
        "an anchor naming a module resolves there; otherwise the Main Body heading in the module of the number's section wins, else the first"
    } else {
        "anchors resolve to the first Main Body one"
    }
}

/// `line 12`, or `03-storage.md line 12` when the other heading is in another file.
fn place(spec: &Spec, path: &str, line: usize) -> String {
    if spec.is_modular() {
        format!("{} line {line}", path.rsplit('/').next().unwrap_or(path))
    } else {
        format!("line {line}")
    }
}
