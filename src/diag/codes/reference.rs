//! The code reference (`docs/codes.md`), written from the registry so it cannot drift
//! from what `gov explain` says, and the address of a code's entry for SARIF `helpUri`.

use super::{all, CodeInfo};
use std::fmt::Write;

/// Where the reference lives in the repository.
pub const PATH: &str = "docs/codes.md";

/// The area headings, by code prefix, in registry order.
const AREAS: &[(&str, &str)] = &[
    ("GOV", "General"),
    ("CFG", "Configuration"),
    ("PKT", "Task packets"),
    ("SIG", "Signatures"),
    ("REF", "Refinements"),
    ("SPC", "The spec"),
    ("BRD", "The task board"),
    ("GIT", "Git"),
    ("SCN", "validator-scan"),
    ("CDX", "The Codex"),
    ("LIF", "Lifecycle"),
    ("GRD", "Agent guard"),
];

/// The whole reference as Markdown: one section per area, one entry per code.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         Every finding gov reports carries one of these codes. Codes are contracts: a code is\n\
         never renamed or reused, so agents, CI scripts, waivers and `severity:` settings can\n\
         rely on it. `gov explain CODE` prints the same text. This file is written from the\n\
         registry (`src/diag/codes/`); a test fails when it is out of date.\n",
    );
    let codes = all();
    for (prefix, title) in AREAS {
        let area: Vec<&CodeInfo> = codes
            .iter()
            .copied()
            .filter(|c| c.code.starts_with(prefix))
            .collect();
        if area.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {title} ({prefix})\n");
        for c in area {
            entry(&mut out, c);
        }
    }
    out
}

fn entry(out: &mut String, c: &CodeInfo) {
    let _ = write!(
        out,
        "\n### {}\n\n**{}** ({})\n\n{}\n\nHelp: {}\n",
        c.code,
        c.title,
        c.severity.as_str(),
        c.explanation,
        c.help
    );
}

/// The absolute address of a code's entry, for SARIF `helpUri` (which must be an
/// absolute URI): the reference at this version's tag in the package's repository.
/// None when the package declares no repository, rather than an invented address.
pub fn help_uri(code: &str) -> Option<String> {
    uri_in(option_env!("CARGO_PKG_REPOSITORY")?, code)
}

fn uri_in(repository: &str, code: &str) -> Option<String> {
    let base = repository.trim().trim_end_matches('/');
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return None;
    }
    Some(format!(
        "{base}/blob/v{}/{PATH}#{}",
        env!("CARGO_PKG_VERSION"),
        code.to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_entry_under_its_area() {
        let text = markdown();
        for c in all() {
            assert!(text.contains(&format!("\n### {}\n", c.code)), "{}", c.code);
            assert!(
                AREAS.iter().any(|(p, _)| c.code.starts_with(p)),
                "{} has no area",
                c.code
            );
        }
    }

    #[test]
    fn help_uri_points_at_the_tagged_reference_or_nowhere() {
        let uri = uri_in("https://example.org/gov/", "PKT003").unwrap();
        assert_eq!(
            uri,
            format!(
                "https://example.org/gov/blob/v{}/docs/codes.md#pkt003",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert_eq!(uri_in("", "PKT003"), None);
        assert_eq!(uri_in("git@host:gov.git", "PKT003"), None);
    }
}
