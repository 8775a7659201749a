//! The AGENTS.md section `gov init --agents-md` writes: which gov command answers
//! which question, so agents ask gov instead of grepping packets.

/// Marks the section, so it is added once and can be found again.
pub const MARKER: &str = "<!-- gov:agents -->";

pub const SECTION: &str = "<!-- gov:agents -->
## Working with gov (governance gates)

This repository's work is governed by task packets. Ask `gov`, not the files:

| question | command |
| --- | --- |
| What is my packet, its scope, its DONE_MEANS? | `gov show WP_ID --format json` |
| May I start? | `gov pre-work WP_ID --format json` |
| Is my work done, in scope and evidenced? | `gov post-work WP_ID --format json` |
| What is everyone working on, what is next? | `gov status --format json` |
| What does a diagnostic code mean? | `gov explain CODE` |

- Write only the files in your packet's IN_SCOPE_PATHS. The hook `gov guard` blocks other writes and says why; to change the scope, ask the Orchestrator (amended scope or a waiver) instead of working around it.
- Never edit a packet's signed sections (DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS, OUT_OF_SCOPE), the task board or the signature audit by hand.
- Exit codes: 0 pass, 1 gate failed (read the diagnostics), 2 could not evaluate.
";

/// `existing` with the section appended (or `None` when it is already there).
pub fn with_section(existing: &str) -> Option<String> {
    if existing.contains(MARKER) {
        return None;
    }
    let mut s = existing.to_string();
    if !s.is_empty() {
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s.push('\n');
    } else {
        s.push_str("# AGENTS.md\n\n");
    }
    s.push_str(SECTION);
    Some(s)
}

/// Adds the section to `AGENTS.md` at `root` (created if missing; left alone when it
/// already has the section), noting what was done in the report.
pub fn write(
    root: &std::path::Path,
    report: &mut crate::diag::Report,
) -> Result<(), crate::error::GovError> {
    const FILE: &str = "AGENTS.md";
    let full = crate::paths::resolve_inside(root, FILE).map_err(|u| {
        crate::diag::Diagnostic::new(
            &crate::diag::codes::gov::PATH_ESCAPES_ROOT,
            format!("{} is refused: {}", u.path, u.reason),
        )
    })?;
    let existing = if full.exists() {
        let bytes =
            crate::io::read_bytes(root, FILE).map_err(|error| crate::error::GovError::Read {
                what: "AGENTS.md",
                error,
            })?;
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        String::new()
    };
    match with_section(&existing) {
        Some(text) => {
            crate::io::write_inside(root, FILE, text.as_bytes())?;
            report
                .headline
                .push(format!("  added the gov section to {FILE}"));
        }
        None => report
            .headline
            .push(format!("  {FILE} already has the gov section")),
    }
    report.set_data("agents_md", serde_json::json!(FILE));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_once() {
        let first = with_section("").unwrap();
        assert!(first.starts_with("# AGENTS.md\n\n<!-- gov:agents -->"));
        assert_eq!(with_section(&first), None);
        let mixed = with_section("# Rules\nBe nice.").unwrap();
        assert!(
            mixed.starts_with("# Rules\nBe nice.\n\n## Working")
                || mixed.contains("Be nice.\n\n<!-- gov:agents -->")
        );
    }
}
