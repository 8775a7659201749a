//! Path safety: every path gov takes from a user, a config file or a document is
//! checked before use, so nothing outside the repository root is read or written.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafePath {
    pub path: String,
    pub reason: &'static str,
}

/// Accepts a relative path without `..`, root, drive prefixes or control characters.
pub fn check_relative(p: &str) -> Result<&Path, UnsafePath> {
    let bad = |reason| {
        Err(UnsafePath {
            path: crate::model::wp_id::printable(p),
            reason,
        })
    };
    if p.is_empty() {
        return bad("the path is empty");
    }
    if p.chars().any(|c| c.is_control()) {
        return bad("the path contains control characters");
    }
    let path = Path::new(p);
    for c in path.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return bad("`..` segments are not allowed"),
            Component::RootDir | Component::Prefix(_) => {
                return bad("absolute paths are not allowed")
            }
        }
    }
    Ok(path)
}

/// Resolves `rel` under `root` and verifies that, after following links, it still lies
/// inside `root`. A missing file is fine (its parent is checked instead).
pub fn resolve_inside(root: &Path, rel: &str) -> Result<PathBuf, UnsafePath> {
    let rel_path = check_relative(rel)?;
    let full = root.join(rel_path);
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut probe = full.as_path();
    // walk up to the deepest existing ancestor and make sure links don't lead out
    loop {
        if let Ok(c) = probe.canonicalize() {
            if !c.starts_with(&canon_root) {
                return Err(UnsafePath {
                    path: rel.to_string(),
                    reason: "it leads outside the repository through a symbolic link",
                });
            }
            return Ok(full);
        }
        match probe.parent() {
            Some(p) if p.starts_with(root) && p != probe => probe = p,
            _ => return Ok(full),
        }
    }
}

/// `a\b` → `a/b`, for display and for comparing repository paths.
/// Path `segments` appended to the folder `dir` (both relative to the root, with `/`),
/// `..` resolved lexically; `None` when they climb above the root or name nothing.
pub fn join_segments<'a>(dir: &str, segments: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in segments {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

pub fn to_slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escapes() {
        assert!(check_relative("docs/x.md").is_ok());
        assert!(check_relative("../x").is_err());
        assert!(check_relative("/etc/passwd").is_err());
        assert!(check_relative("a/../../b").is_err());
        assert!(check_relative("a\nb").is_err());
    }

    #[test]
    fn symlink_out_of_root_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link.md")).unwrap();
            assert!(resolve_inside(&root, "link.md").is_err());
        }
        assert!(resolve_inside(&root, "missing/new.md").is_ok());
    }
}
