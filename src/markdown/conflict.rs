//! Merge-conflict markers left in a governance document. Git writes them at the
//! start of a line, seven characters long: `<<<<<<< ours`, `||||||| base`,
//! `=======`, `>>>>>>> theirs`. A conflicted board or audit is two documents at
//! once; gov refuses to read a verdict out of it or to write into it.
//!
//! `<<<<<<<` and `>>>>>>>` are never Markdown anyone writes, so each one is a marker
//! wherever it stands (inside code too: git does not know about fences). `=======`
//! and `|||||||` are markers only between the two, because `=======` alone is a
//! setext heading underline.

use crate::diag::codes::gov;
use crate::diag::Diagnostic;
use crate::text::Source;

/// One conflicted region: 1-based line of its first marker, and of its closing
/// `>>>>>>>` when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub line: usize,
    pub end: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Ours,
    Base,
    Split,
    Theirs,
}

/// The marker a line is, if any. `open` says whether a `<<<<<<<` region is open.
pub fn marker(line: &str, open: bool) -> Option<Marker> {
    let b = line.as_bytes();
    let c = *b.first()?;
    if !matches!(c, b'<' | b'|' | b'=' | b'>') {
        return None;
    }
    let run = b.iter().take_while(|&&x| x == c).count();
    if run != 7 {
        return None;
    }
    let rest = &line[7..];
    let ends_ok = rest.is_empty() || rest.starts_with([' ', '\t']);
    match c {
        b'<' if ends_ok => Some(Marker::Ours),
        b'>' if ends_ok => Some(Marker::Theirs),
        b'|' if open && ends_ok => Some(Marker::Base),
        b'=' if open && rest.trim().is_empty() => Some(Marker::Split),
        _ => None,
    }
}

/// Every conflicted region of a document. Linear; documents without `<<<<<<<` or
/// `>>>>>>>` are ruled out by two substring searches.
pub fn conflicts(source: &Source) -> Vec<Conflict> {
    let bytes = source.text.as_bytes();
    if memchr::memmem::find(bytes, b"<<<<<<<").is_none()
        && memchr::memmem::find(bytes, b">>>>>>>").is_none()
    {
        return Vec::new();
    }
    let mut out: Vec<Conflict> = Vec::new();
    let mut open = false;
    for n in 1..=source.line_count() {
        match marker(source.line_text(n), open) {
            Some(Marker::Ours) => {
                out.push(Conflict { line: n, end: None });
                open = true;
            }
            Some(Marker::Theirs) => {
                match out.last_mut().filter(|_| open) {
                    Some(c) => c.end = Some(n),
                    None => out.push(Conflict {
                        line: n,
                        end: Some(n),
                    }),
                }
                open = false;
            }
            _ => {}
        }
    }
    out
}

/// One error per conflicted region of a document named `what` ("task board").
pub fn conflict_diagnostics(source: &Source, what: &str) -> Vec<Diagnostic> {
    conflicts(source)
        .into_iter()
        .map(|c| {
            let span = match c.end {
                Some(e) if e != c.line => format!("lines {}-{}", c.line, e),
                Some(_) => format!("a stray marker on line {}", c.line),
                None => format!("from line {} to the end", c.line),
            };
            Diagnostic::new(
                &gov::CONFLICT_MARKERS,
                format!("the {what} holds unresolved merge-conflict markers ({span})"),
            )
            .at(source.path.clone(), c.line, 1)
        })
        .collect()
}

/// The refusal of a writer asked to write into a conflicted document, if it is one.
pub fn refuse_write(source: &Source, what: &str) -> Option<Diagnostic> {
    let c = conflicts(source).into_iter().next()?;
    Some(
        Diagnostic::new(
            &gov::CONFLICT_MARKERS,
            format!(
                "the {what} {} holds unresolved merge-conflict markers; gov will not write into it",
                source.path
            ),
        )
        .at(source.path.clone(), c.line, 1)
        .help("resolve the conflict (keep one side, remove every marker line), then run the command again"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<Conflict> {
        conflicts(&Source::from_bytes("b.md", text.as_bytes()))
    }

    #[test]
    fn regions_and_stray_markers() {
        let t = "# B\n<<<<<<< HEAD\n- a\n=======\n- b\n>>>>>>> topic\ntail\n>>>>>>>\n";
        assert_eq!(
            of(t),
            [
                Conflict {
                    line: 2,
                    end: Some(6)
                },
                Conflict {
                    line: 8,
                    end: Some(8)
                }
            ]
        );
        assert_eq!(of("<<<<<<< a\r\nx\r\n"), [Conflict { line: 1, end: None }]);
    }

    #[test]
    fn lookalikes_are_not_markers() {
        assert!(of("Title\n=======\n\n<<<<<<<< eight\n >>>>>>> indented\n>>>>>>>x\n").is_empty());
        assert_eq!(marker("=======", false), None);
        assert_eq!(marker("=======", true), Some(Marker::Split));
        assert_eq!(marker("||||||| base", true), Some(Marker::Base));
    }

    #[test]
    fn cr_only_files_have_lines() {
        assert_eq!(
            of("a\r<<<<<<< x\rb\r=======\rc\r>>>>>>> y\r"),
            [Conflict {
                line: 2,
                end: Some(6)
            }]
        );
    }
}
