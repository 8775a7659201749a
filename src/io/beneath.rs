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
    imp::open(root, rel, false)
}

/// Opens the folder `rel` beneath `root` (`""` is the root itself).
pub fn open_dir(root: &Path, rel: &Path) -> std::io::Result<Opened> {
    imp::open(root, rel, true)
}

#[cfg(target_os = "linux")]
mod imp {
    use super::{in_root, Opened};
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;
    use std::path::Path;

    pub fn open(root: &Path, rel: &Path, dir: bool) -> std::io::Result<Opened> {
        let root_fd = rustix::fs::open(
            root,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        let mut flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY;
        flags |= if dir {
            OFlags::DIRECTORY
        } else {
            OFlags::NONBLOCK
        };
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
    use super::Opened;
    use std::path::Path;

    pub fn open(_root: &Path, _rel: &Path, _dir: bool) -> std::io::Result<Opened> {
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
}
