//! Opening files by handle beneath the repository root. On Linux the kernel resolves
//! the whole relative path inside the root (`openat2` with `RESOLVE_BENEATH`): a link,
//! or a folder swapped for a link between gov's check and its open, that leads out of
//! the root fails the open itself (`EXDEV`) instead of being followed. Elsewhere, or on
//! a kernel without `openat2`, the caller falls back to the path check of
//! [`crate::paths::resolve_inside`] followed by an ordinary open.
//!
//! rustix (already in the build through tempfile) gives the system calls; cap-std would
//! give the same `Dir` semantics with eight more crates to build and a second copy of
//! this logic behind its own API, for the four calls gov needs.

use std::fs::File;
use std::path::Path;

/// What an open beneath the root found.
#[derive(Debug)]
pub enum Opened {
    File(File),
    /// The path leads out of the root through a link. (A link loop is an I/O error,
    /// `ELOOP`, as for any open.)
    Escapes,
    /// Nothing there (or a dangling link).
    Missing,
    /// `openat2` is not available here: use the path-based check.
    Unsupported,
}

/// Opens `rel` beneath `root` for reading, without blocking on a FIFO or a device:
/// the caller checks with `metadata()` on the handle that it is a regular file.
pub fn open_read(root: &Path, rel: &Path) -> std::io::Result<Opened> {
    imp::open(root, rel, Purpose::Read)
}

/// Opens the folder `rel` beneath `root` (`""` is the root itself).
pub fn open_dir(root: &Path, rel: &Path) -> std::io::Result<Opened> {
    imp::open(root, rel, Purpose::Dir)
}

/// Whether `rel` stays inside the root once its links are followed; for a missing path,
/// whether its deepest existing folder does. An existing path costs one `openat2`
/// (no read access, so nothing is opened for reading), where the path-based check
/// resolves every component with its own system call: pre-work asks this for every
/// scope entry of every packet it checks.
pub fn leads_inside(root: &Path, rel: &str) -> bool {
    let mut probe = Path::new(rel);
    loop {
        match imp::open(root, probe, Purpose::Probe) {
            Ok(Opened::File(_)) => return true,
            Ok(Opened::Escapes) => return false,
            // a file not written yet: where its folder leads
            Ok(Opened::Missing) => match probe.parent() {
                Some(up) if !up.as_os_str().is_empty() => probe = up,
                _ => return true,
            },
            _ => return crate::paths::resolve_inside(root, rel).is_ok(),
        }
    }
}

/// What a handle is opened for.
#[derive(Clone, Copy)]
enum Purpose {
    Read,
    Dir,
    /// Only to learn where the path leads (`O_PATH`).
    Probe,
}

#[cfg(target_os = "linux")]
mod imp {
    use super::{in_root, Opened, Purpose};
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;
    use std::path::Path;

    pub fn open(root: &Path, rel: &Path, purpose: Purpose) -> std::io::Result<Opened> {
        let root_fd = rustix::fs::open(
            root,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        let flags = match purpose {
            Purpose::Read => OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY,
            Purpose::Dir => OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOCTTY,
            Purpose::Probe => OFlags::PATH,
        } | OFlags::CLOEXEC;
        let rel = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
        let first = rustix::fs::openat2(&root_fd, rel, flags, Mode::empty(), resolve);
        let opened = match first {
            // RESOLVE_BENEATH refuses every absolute link, also one that names a file
            // inside the root: try again with the link-free path it resolves to, still
            // beneath the root (a link swapped in meanwhile is refused again)
            Err(Errno::XDEV) => match in_root(root, rel)? {
                Some(canon) => rustix::fs::openat2(&root_fd, &canon, flags, Mode::empty(), resolve),
                None => return Ok(Opened::Escapes),
            },
            other => other,
        };
        match opened {
            Ok(fd) => Ok(Opened::File(fd.into())),
            Err(Errno::XDEV) => Ok(Opened::Escapes),
            Err(Errno::NOENT) => Ok(Opened::Missing),
            // no openat2 (kernel before 5.6, or a sandbox that filters it)
            Err(Errno::NOSYS) | Err(Errno::PERM) => Ok(Opened::Unsupported),
            Err(e) => Err(e.into()),
        }
    }
}

/// The root-relative, link-free path `rel` resolves to, if it stays inside the root.
/// A loop or a missing target is the open's error.
#[cfg(target_os = "linux")]
fn in_root(root: &Path, rel: &Path) -> std::io::Result<Option<std::path::PathBuf>> {
    let target = root.join(rel).canonicalize()?;
    let canon_root = root.canonicalize()?;
    Ok(target.strip_prefix(&canon_root).ok().map(|r| {
        if r.as_os_str().is_empty() {
            Path::new(".").to_path_buf()
        } else {
            r.to_path_buf()
        }
    }))
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::{Opened, Purpose};
    use std::path::Path;

    pub fn open(_root: &Path, _rel: &Path, _purpose: Purpose) -> std::io::Result<Opened> {
        Ok(Opened::Unsupported)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_root_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        std::fs::write(root.join("docs/a.md"), "a").unwrap();
        std::os::unix::fs::symlink("../../secret", root.join("docs/out.md")).unwrap();
        std::os::unix::fs::symlink("a.md", root.join("docs/in.md")).unwrap();
        // an absolute link that stays inside the root is read like a relative one
        std::os::unix::fs::symlink(root.join("docs/a.md"), root.join("docs/abs.md")).unwrap();
        assert!(matches!(
            open_read(&root, Path::new("docs/abs.md")).unwrap(),
            Opened::File(_)
        ));
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        assert!(matches!(
            open_read(&root, Path::new("docs/in.md")).unwrap(),
            Opened::File(_)
        ));
        for escape in ["docs/out.md", "up/secret"] {
            assert!(
                matches!(
                    open_read(&root, Path::new(escape)).unwrap(),
                    Opened::Escapes
                ),
                "{escape}"
            );
        }
        assert!(matches!(
            open_read(&root, Path::new("docs/none.md")).unwrap(),
            Opened::Missing
        ));
        assert!(matches!(
            open_dir(&root, Path::new("docs")).unwrap(),
            Opened::File(_)
        ));
    }

    /// The one-call probe answers as the path-based check does, for links in and out
    /// of the root, absolute and relative, dangling, looping, and files not written yet.
    #[test]
    fn leads_inside_agrees_with_the_path_check() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside/sub")).unwrap();
        std::fs::write(root.join("src/a.rs"), "a").unwrap();
        std::fs::write(dir.path().join("outside/x.rs"), "x").unwrap();
        let link =
            |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
        link(&dir.path().join("outside"), "out_abs");
        link(Path::new("../outside"), "out_rel");
        link(&root.join("src"), "in_abs");
        link(Path::new("src/deep"), "in_rel");
        link(&dir.path().join("nowhere"), "dangling_out");
        link(Path::new("loop"), "loop");
        let cases = [
            "src/a.rs",
            "src/new.rs",
            "src/deep/new/more.rs",
            "out_abs/x.rs",
            "out_abs/sub/new.rs",
            "out_abs/new/new.rs",
            "out_rel/x.rs",
            "out_rel/new.rs",
            "in_abs/a.rs",
            "in_abs/new.rs",
            "in_rel/new.rs",
            "dangling_out",
            "dangling_out/new.rs",
            "loop",
            "loop/new.rs",
            "new_top.rs",
            "src",
        ];
        for rel in cases {
            let expected = crate::paths::resolve_inside(&root, rel).is_ok();
            assert_eq!(leads_inside(&root, rel), expected, "{rel}");
        }
        assert!(!leads_inside(&root, "out_abs/x.rs"));
        assert!(!leads_inside(&root, "out_rel/new.rs"));
        assert!(leads_inside(&root, "in_abs/new.rs"));
    }
}
