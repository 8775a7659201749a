//! The current spec against the previous version beside it: sections that
//! disappeared from the Main Body, and section numbers whose title changed.

use super::anchors::label;
use crate::diag::codes::spc;
use crate::diag::Diagnostic;
use crate::model::anchor::{Anchor, SectionNumber};
use crate::model::spec::{Resolution, Spec};
use std::collections::BTreeSet;

/// `cited` holds the numbers active packets cite: their removal is already an error
/// at the citing packet, so it is not repeated here as a warning.
pub fn compare(spec: &Spec, prev: &Spec, cited: &BTreeSet<SectionNumber>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for old in prev.main_body_sections() {
        let Some(number) = &old.number else { continue };
        let anchor = Anchor::Section {
            number: number.clone(),
        };
        match spec.resolve(&anchor) {
            Resolution::MainBody(now) if comparable(&now.title) != comparable(&old.title) => {
                out.push(
                        Diagnostic::new(
                            &spc::ANCHOR_TITLE_CHANGED,
                            format!(
                                "§{number} is `{}` in {} but was `{}` in {} ({}): the meaning may have changed",
                                now.title,
                                label(spec),
                                old.title,
                                label(prev),
                                prev.describe(&old)
                            ),
                        )
                        .at_line(spec.path_of(&now).to_string(), now.line),
                    );
            }
            Resolution::MainBody(_) => {}
            gone if !cited.contains(number) => {
                let where_now = match gone {
                    Resolution::RoadmapOnly(h) => {
                        format!(
                            "moved to the Roadmap of {} ({})",
                            label(spec),
                            spec.describe(&h)
                        )
                    }
                    _ => format!("is not a heading in {}", label(spec)),
                };
                out.push(
                    Diagnostic::new(
                        &spc::ANCHOR_REMOVED,
                        format!("§{number} `{}` of {} {where_now}", old.title, label(prev)),
                    )
                    .at_line(prev.path_of(&old).to_string(), old.line),
                );
            }
            _ => {}
        }
    }
    out
}

fn comparable(title: &str) -> String {
    crate::model::spec::comparable_title(title)
}

#[cfg(test)]
mod tests {
    use super::comparable;

    #[test]
    fn titles_compare_loosely() {
        assert_eq!(comparable("Storage  Trait"), comparable("storage trait"));
        assert_eq!(
            comparable("Motivation [ADD v02.115]"),
            comparable("Motivation")
        );
        assert_ne!(comparable("Storage Trait"), comparable("Retention"));
    }
}
