//! The files a patch names, read from its text: Codex's `apply_patch` envelope
//! (`*** Add File:`, `*** Update File:`, `*** Delete File:`, `*** Move to:`) and
//! unified diffs (`--- a/…`, `+++ b/…`). Each file's hunks are kept so that an edit
//! to a signed packet can be replayed on its text and judged.

/// One file a patch touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchFile {
    pub path: String,
    pub change: PatchChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchChange {
    /// The whole new content.
    Add(String),
    /// Replacements (old text → new text), in order.
    Update(Vec<(String, String)>),
    Delete,
    /// The destination of a move: everything of the source is written here.
    MovedHere,
}

/// Every file `text` names, in order.
pub fn files(text: &str) -> Vec<PatchFile> {
    let mut out: Vec<PatchFile> = Vec::new();
    let mut lines = text.lines().peekable();
    let mut hunk = (String::new(), String::new());
    let mut in_hunk = false;
    let flush = |out: &mut Vec<PatchFile>, hunk: &mut (String, String), in_hunk: &mut bool| {
        if *in_hunk {
            if let Some(PatchFile {
                change: PatchChange::Update(h),
                ..
            }) = out.last_mut()
            {
                h.push(std::mem::take(hunk));
            }
            *in_hunk = false;
        }
        *hunk = (String::new(), String::new());
    };
    while let Some(line) = lines.next() {
        if let Some(p) = line.strip_prefix("*** Add File:") {
            flush(&mut out, &mut hunk, &mut in_hunk);
            let mut content = String::new();
            while let Some(l) = lines.peek() {
                let Some(added) = l.strip_prefix('+') else {
                    break;
                };
                content.push_str(added);
                content.push('\n');
                lines.next();
            }
            out.push(PatchFile {
                path: p.trim().to_string(),
                change: PatchChange::Add(content),
            });
        } else if let Some(p) = line.strip_prefix("*** Update File:") {
            flush(&mut out, &mut hunk, &mut in_hunk);
            out.push(PatchFile {
                path: p.trim().to_string(),
                change: PatchChange::Update(Vec::new()),
            });
        } else if let Some(p) = line.strip_prefix("*** Delete File:") {
            flush(&mut out, &mut hunk, &mut in_hunk);
            out.push(PatchFile {
                path: p.trim().to_string(),
                change: PatchChange::Delete,
            });
        } else if let Some(p) = line.strip_prefix("*** Move to:") {
            out.push(PatchFile {
                path: p.trim().to_string(),
                change: PatchChange::MovedHere,
            });
        } else if let Some(p) = line.strip_prefix("--- ") {
            flush(&mut out, &mut hunk, &mut in_hunk);
            // a unified diff: the old side is written (or removed) too
            if let Some(path) = diff_path(p, "a/") {
                out.push(PatchFile {
                    path,
                    change: PatchChange::Update(Vec::new()),
                });
            }
        } else if let Some(p) = line.strip_prefix("+++ ") {
            if let Some(path) = diff_path(p, "b/") {
                let same = out.last().is_some_and(|f| f.path == path);
                if !same {
                    out.push(PatchFile {
                        path,
                        change: PatchChange::Update(Vec::new()),
                    });
                }
            }
        } else if line.starts_with("@@") || line.starts_with("*** End") {
            flush(&mut out, &mut hunk, &mut in_hunk);
        } else if let Some(rest) = line.strip_prefix(['-', '+', ' ']) {
            if !matches!(out.last().map(|f| &f.change), Some(PatchChange::Update(_))) {
                continue;
            }
            in_hunk = true;
            let (old, new) = &mut hunk;
            match line.as_bytes()[0] {
                b'-' => push_line(old, rest),
                b'+' => push_line(new, rest),
                _ => {
                    push_line(old, rest);
                    push_line(new, rest);
                }
            }
        }
    }
    flush(&mut out, &mut hunk, &mut in_hunk);
    out
}

fn push_line(s: &mut String, line: &str) {
    s.push_str(line);
    s.push('\n');
}

/// The path of a `---`/`+++` line without its `a/`/`b/` prefix, timestamp or quotes;
/// `None` for `/dev/null`.
fn diff_path(rest: &str, prefix: &str) -> Option<String> {
    let p = rest.split('\t').next().unwrap_or(rest).trim();
    let p = p.trim_matches('"');
    if p == "/dev/null" || p.is_empty() {
        return None;
    }
    Some(p.strip_prefix(prefix).unwrap_or(p).to_string())
}

/// Applies replacements to `text` in order, each to its first occurrence; `None`
/// when one's old text is not there (the harness would refuse the patch too).
pub fn replay(text: &str, replacements: &[(String, String)]) -> Option<String> {
    let mut t = text.replace("\r\n", "\n");
    for (old, new) in replacements {
        if old.is_empty() {
            t.push_str(new);
            continue;
        }
        let at = t.find(old.as_str())?;
        t.replace_range(at..at + old.len(), new);
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codex_envelope() {
        let p = "*** Begin Patch\n*** Add File: src/new.rs\n+fn a() {}\n*** Update File: src/lib.rs\n@@ fn main\n fn main() {\n-    old();\n+    new();\n }\n*** Delete File: src/gone.rs\n*** Update File: a.rs\n*** Move to: b.rs\n*** End Patch\n";
        let f = files(p);
        let names: Vec<&str> = f.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            ["src/new.rs", "src/lib.rs", "src/gone.rs", "a.rs", "b.rs"]
        );
        assert_eq!(f[0].change, PatchChange::Add("fn a() {}\n".into()));
        assert_eq!(
            f[1].change,
            PatchChange::Update(vec![(
                "fn main() {\n    old();\n}\n".into(),
                "fn main() {\n    new();\n}\n".into()
            )])
        );
        assert_eq!(f[2].change, PatchChange::Delete);
    }

    #[test]
    fn unified_diff() {
        let p = "diff --git a/src/x.rs b/src/x.rs\n--- a/src/x.rs\n+++ b/src/x.rs\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n--- /dev/null\n+++ b/src/added.rs\n@@ -0,0 +1 @@\n+x\n";
        let names: Vec<String> = files(p).into_iter().map(|f| f.path).collect();
        assert_eq!(names, ["src/x.rs", "src/added.rs"]);
    }

    #[test]
    fn replaying() {
        let r = vec![("b\n".to_string(), "B\n".to_string())];
        assert_eq!(replay("a\nb\nc\n", &r).as_deref(), Some("a\nB\nc\n"));
        assert_eq!(replay("a\nc\n", &r), None);
    }
}
