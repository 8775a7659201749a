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
///
/// In a one-command process the answer for each folder on the way up is kept: ten
/// thousand packets naming files not written yet under a few shared folders cost one
/// probe per file, not one per folder of every file.
pub fn leads_inside(root: &Path, rel: &str) -> bool {
    leads_inside_with(root, rel, folders::table())
}

/// [`leads_inside`] with the table of folders already probed, if one is kept.
fn leads_inside_with(root: &Path, rel: &str, kept: Option<&folders::Table>) -> bool {
    let known = |folder: &Path| kept.and_then(|t| folders::known(t, root, folder));
    let file = Path::new(rel);
    // a file in a folder known not to exist is not there either: it leads where the
    // folder does, without a probe
    if let Some(folders::Where {
        exists: false,
        inside,
    }) = folder_of(file).and_then(known)
    {
        return inside;
    }
    // the folders passed on the way up, and whether each was there
    let (mut probe, mut passed) = (file, Vec::new());
    let answer = loop {
        if probe != file {
            if let Some(w) = known(probe) {
                break w.inside;
            }
        }
        let found = match imp::open(root, probe, Purpose::Probe) {
            Ok(Opened::File(_)) => Some(true),
            Ok(Opened::Escapes) => Some(false),
            // a file not written yet: where its folder leads
            Ok(Opened::Missing) => None,
            _ => return crate::paths::resolve_inside(root, rel).is_ok(),
        };
        if probe != file {
            passed.push((probe, found.is_some()));
        }
        match (found, folder_of(probe)) {
            (Some(inside), _) => break inside,
            (None, Some(up)) => probe = up,
            (None, None) => break true,
        }
    };
    if let Some(t) = kept {
        folders::remember(t, root, &passed, answer);
    }
    answer
}

/// The folder a path is in, unless it is at the top of the root.
fn folder_of(path: &Path) -> Option<&Path> {
    path.parent().filter(|up| !up.as_os_str().is_empty())
}

/// Where the folders above missing scope files lead, kept for the rest of a one-command
/// run (a long-lived process asks the file system every time). gov never makes a link,
/// and a folder it makes meanwhile leads where its missing self did: inside.
mod folders {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};

    /// What a probe of a folder found.
    #[derive(Clone, Copy)]
    pub struct Where {
        /// Something is there: the files in it must each be probed.
        pub exists: bool,
        pub inside: bool,
    }

    /// Folders by root (a run has one, or a few).
    pub type Table = Mutex<Vec<(PathBuf, HashMap<PathBuf, Where>)>>;

    /// The process's table, in a one-command run only.
    pub fn table() -> Option<&'static Table> {
        static TABLE: OnceLock<Table> = OnceLock::new();
        crate::exit::is_single_run().then(|| TABLE.get_or_init(Table::default))
    }

    pub fn known(t: &Table, root: &Path, folder: &Path) -> Option<Where> {
        let t = t.lock().ok()?;
        let (_, folders) = t.iter().find(|(r, _)| r == root)?;
        folders.get(folder).copied()
    }

    /// Every folder passed on the way up leads where the path did; one that was not
    /// there also says that nothing below it is.
    pub fn remember(t: &Table, root: &Path, passed: &[(&Path, bool)], inside: bool) {
        let Ok(mut t) = t.lock() else {
            return;
        };
        let at = match t.iter().position(|(r, _)| r == root) {
            Some(at) => at,
            None => {
                t.push((root.to_path_buf(), HashMap::new()));
                t.len() - 1
            }
        };
        for &(folder, exists) in passed {
            t[at]
                .1
                .insert(folder.to_path_buf(), Where { exists, inside });
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
    use super::{in_root, root_handle, Opened, Purpose};
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;
    use std::path::Path;

    pub fn open(root: &Path, rel: &Path, purpose: Purpose) -> std::io::Result<Opened> {
        let root_fd = root_handle(root)?;
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

/// The root's `O_PATH` handle. A one-command process opens each root once (a check of
/// ten thousand packets opened it for every read and probe); a long-lived one opens it
/// for each call, so that a root moved or replaced meanwhile is seen.
#[cfg(target_os = "linux")]
fn root_handle(root: &Path) -> std::io::Result<std::sync::Arc<rustix::fd::OwnedFd>> {
    use rustix::fs::{Mode, OFlags};
    use std::sync::{Arc, Mutex, OnceLock};
    type Handles = Vec<(std::path::PathBuf, Arc<rustix::fd::OwnedFd>)>;
    static HANDLES: OnceLock<Mutex<Handles>> = OnceLock::new();
    let open = || -> std::io::Result<Arc<rustix::fd::OwnedFd>> {
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Arc::new(rustix::fs::open(root, flags, Mode::empty())?))
    };
    if !crate::exit::is_single_run() {
        return open();
    }
    let handles = HANDLES.get_or_init(Mutex::default);
    let mut held = handles.lock().map_err(|_| std::io::ErrorKind::Other)?;
    if let Some((_, fd)) = held.iter().find(|(p, _)| p == root) {
        return Ok(Arc::clone(fd));
    }
    let fd = open()?;
    held.push((root.to_path_buf(), Arc::clone(&fd)));
    Ok(fd)
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
            "src/deep/new/other.rs",
            "gone/a.rs",
            "gone/b.rs",
            "in_rel/gone/x.rs",
            "in_rel/gone/y.rs",
            "out_rel/gone/x.rs",
            "out_rel/gone/y.rs",
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
        // twice over with one table of folders kept, as a one-command run keeps it:
        // a folder's answer learnt for one path holds for the next
        let kept = folders::Table::default();
        for rel in cases.iter().chain(&cases) {
            let expected = crate::paths::resolve_inside(&root, rel).is_ok();
            assert_eq!(leads_inside(&root, rel), expected, "{rel}");
            assert_eq!(
                leads_inside_with(&root, rel, Some(&kept)),
                expected,
                "{rel}"
            );
        }
        assert!(!kept.lock().unwrap()[0].1.is_empty());
        assert!(!leads_inside(&root, "out_abs/x.rs"));
        assert!(!leads_inside(&root, "out_rel/new.rs"));
        assert!(leads_inside(&root, "in_abs/new.rs"));
    }
}
