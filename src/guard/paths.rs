//! Where a tool call's path really points: resolved against the event's working
//! folder, `.` and `..` removed, symbolic links followed as far as they exist, and
//! the result expressed relative to the repository root — or refused.

use std::path::{Component, Path, PathBuf};

/// One written path, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Inside the root: its repository path, and the path it really reaches through
    /// links when that differs (both must be allowed).
    Inside { rel: String, real: Option<String> },
    /// A device that discards or shows output (`/dev/null`, `/dev/stderr`).
    Device,
    /// Refused before any scope check, with the reason.
    Refused { shown: String, reason: &'static str },
}

/// Output devices a shell redirection may name without writing a file.
fn is_device(p: &str) -> bool {
    matches!(p, "/dev/null" | "/dev/stdout" | "/dev/stderr" | "/dev/tty")
        || p.strip_prefix("/dev/fd/")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Resolves `raw` (absolute, or relative to `cwd`, else to the root).
pub fn resolve(root: &Path, cwd: Option<&Path>, raw: &str) -> Target {
    let refused = |reason| Target::Refused {
        shown: crate::model::wp_id::printable(raw),
        reason,
    };
    if raw.is_empty() {
        return refused("the path is empty");
    }
    if raw.chars().any(char::is_control) {
        return refused("the path contains control characters");
    }
    if is_device(raw) {
        return Target::Device;
    }
    if raw.starts_with('~') {
        return refused("it names a home folder, outside the repository");
    }
    let base = match cwd {
        Some(c) if c.is_absolute() => c.to_path_buf(),
        _ => root.to_path_buf(),
    };
    let full = normalize(&base.join(raw));
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let Some(rel) = full
        .strip_prefix(root)
        .ok()
        .or_else(|| full.strip_prefix(&canon_root).ok())
        .map(crate::paths::to_slash)
    else {
        return refused("it is outside the repository");
    };
    if rel.is_empty() {
        return refused("it is the repository folder itself");
    }
    if rel.split('/').any(|s| s.eq_ignore_ascii_case(".git")) {
        return refused("it is inside .git, which is never a write target");
    }
    match real_path(&canon_root, &canon_root.join(&rel), 0) {
        None => refused("it leads outside the repository through a symbolic link"),
        Some(real) if real.split('/').any(|s| s.eq_ignore_ascii_case(".git")) => {
            refused("it leads into .git through a symbolic link")
        }
        Some(real) => Target::Inside {
            real: (real != rel).then_some(real),
            rel,
        },
    }
}

/// `.` and `..` removed lexically (`..` above `/` stays at `/`).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The repository path `full` reaches once the links of its deepest existing
/// ancestor are followed; `None` when that leaves the root.
fn real_path(canon_root: &Path, full: &Path, depth: usize) -> Option<String> {
    // as many hops as the kernel follows before ELOOP
    if depth > 40 {
        return None;
    }
    let mut probe = full.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        // a dangling link is followed by name: where it points is where the write goes
        if let Ok(target) = std::fs::read_link(&probe) {
            if probe.canonicalize().is_err() {
                let parent = probe.parent()?.to_path_buf();
                let joined = normalize(&parent.join(target));
                let mut again = joined;
                for r in rest.iter().rev() {
                    again.push(r);
                }
                return real_path(canon_root, &again, depth + 1);
            }
        }
        if let Ok(c) = probe.canonicalize() {
            let mut real = c;
            for r in rest.iter().rev() {
                real.push(r);
            }
            let rel = real.strip_prefix(canon_root).ok()?;
            return Some(crate::paths::to_slash(rel));
        }
        rest.push(probe.file_name()?.to_os_string());
        if !probe.pop() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(rel: &str) -> Target {
        Target::Inside {
            rel: rel.into(),
            real: None,
        }
    }

    #[test]
    fn relative_absolute_and_dotdot() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        assert_eq!(resolve(&root, None, "src/a.rs"), inside("src/a.rs"));
        assert_eq!(
            resolve(&root, None, root.join("src/a.rs").to_str().unwrap()),
            inside("src/a.rs")
        );
        assert_eq!(
            resolve(&root, Some(&root.join("src")), "../src/./a.rs"),
            inside("src/a.rs")
        );
        assert!(matches!(
            resolve(&root, None, "../outside.rs"),
            Target::Refused { .. }
        ));
        assert!(matches!(
            resolve(&root, None, "/etc/passwd"),
            Target::Refused { .. }
        ));
        assert!(matches!(
            resolve(&root, None, "src/../../../etc/passwd"),
            Target::Refused { .. }
        ));
        assert!(matches!(
            resolve(&root, None, ".git/hooks/pre-commit"),
            Target::Refused { .. }
        ));
        assert!(matches!(
            resolve(&root, None, "a\u{0}b"),
            Target::Refused { .. }
        ));
        assert_eq!(resolve(&root, None, "/dev/null"), Target::Device);
        assert!(matches!(
            resolve(&root, None, "~/x"),
            Target::Refused { .. }
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/real.rs"), "x").unwrap();
        std::os::unix::fs::symlink(out.path(), root.join("src/escape")).unwrap();
        std::os::unix::fs::symlink(root.join("src/real.rs"), root.join("src/alias.rs")).unwrap();
        std::os::unix::fs::symlink("../../outside.txt", root.join("src/dangling")).unwrap();
        assert!(matches!(
            resolve(&root, None, "src/escape/x.rs"),
            Target::Refused { .. }
        ));
        assert!(matches!(
            resolve(&root, None, "src/dangling"),
            Target::Refused { .. }
        ));
        assert_eq!(
            resolve(&root, None, "src/alias.rs"),
            Target::Inside {
                rel: "src/alias.rs".into(),
                real: Some("src/real.rs".into())
            }
        );
    }
}
