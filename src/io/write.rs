use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} could not be written: {}",
            self.path.display(),
            self.error
        )
    }
}

/// Temporary files start with this; a writer killed mid-write leaves one behind.
pub const TEMP_PREFIX: &str = ".gov-tmp-";

/// A leftover this old cannot belong to a live writer (they hold one for
/// milliseconds), so the next write in its folder removes it.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Whether a repository path names one of gov's temporary files.
pub fn is_temporary(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|n| n.starts_with(TEMP_PREFIX))
}

/// Removes stale temporary files from `dir`, best effort.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            && e.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified()
                        .is_ok_and(|t| t.elapsed().is_ok_and(|a| a > STALE_AFTER))
            });
        if stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn refused(path: &Path, why: String) -> WriteError {
    WriteError {
        path: path.to_path_buf(),
        error: std::io::Error::new(std::io::ErrorKind::PermissionDenied, why),
    }
}

/// Whether a repository path lies in git's own folder, which gov never writes as a
/// document (a gov.yaml path pointing a writer at `.git/config` is refused).
pub fn in_git_dir(rel: &str) -> bool {
    Path::new(rel)
        .components()
        .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
}

/// Refuses to replace a file whose replacement would damage it: a hard-linked file
/// (the other names would keep the old bytes), or one owned by another user (the
/// copy would become the writer's). A symbolic link is not followed here: the caller
/// writes through to its target or refuses.
fn check_replaceable(path: &Path) -> Result<(), WriteError> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(refused(
            path,
            "it is a symbolic link; gov writes the file it names or nothing (name the target in gov.yaml)".into(),
        ));
    }
    if !meta.is_file() {
        return Err(refused(path, "it is not a regular file".into()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(refused(
                path,
                format!(
                    "it has {} hard links; replacing it would leave the others with the old text",
                    meta.nlink()
                ),
            ));
        }
        let me = rustix::process::geteuid();
        if meta.uid() != me.as_raw() && !me.is_root() {
            return Err(refused(
                path,
                format!(
                    "it belongs to another user (uid {}); replacing it would make the copy yours",
                    meta.uid()
                ),
            ));
        }
    }
    Ok(())
}

/// Writes `rel` under `root` atomically, confined to the root: `.git/` is refused, a
/// link inside the root is written through to the file it names (a link out of the
/// root is refused), hard-linked and foreign-owned files are refused, and the
/// temporary file is created through a handle on the target's folder opened beneath
/// the root, so swapping a folder for a link mid-write cannot move it out.
pub fn write_inside(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
    let full = root.join(rel);
    if in_git_dir(rel) {
        return Err(refused(
            &full,
            "gov never writes inside git's own folder `.git/`".into(),
        ));
    }
    let inside = crate::paths::resolve_inside(root, rel)
        .map_err(|u| refused(&full, u.reason.to_string()))?;
    if std::fs::symlink_metadata(&inside).is_ok_and(|m| m.file_type().is_symlink()) {
        let target = through_link(root, &inside).ok_or_else(|| {
            refused(
                &full,
                "it is a symbolic link whose target is missing or outside the repository".into(),
            )
        })?;
        if in_git_dir(&target) {
            return Err(refused(
                &full,
                "it is a link into git's own folder `.git/`".into(),
            ));
        }
        return write_inside(root, &target, bytes);
    }
    check_replaceable(&inside)?;
    let parent = Path::new(rel).parent().unwrap_or(Path::new(""));
    if let Some(dir) = inside.parent() {
        std::fs::create_dir_all(dir).map_err(|error| WriteError {
            path: full.clone(),
            error,
        })?;
    }
    match super::beneath::open_dir(root, parent) {
        #[cfg(target_os = "linux")]
        Ok(super::beneath::Opened::File(dir)) => {
            let name = inside.file_name().unwrap_or_default();
            handle::replace(&dir, name, &inside, bytes).map_err(|error| WriteError {
                path: full.clone(),
                error,
            })
        }
        Ok(super::beneath::Opened::Escapes) => Err(refused(
            &full,
            "its folder leads outside the repository through a symbolic link".into(),
        )),
        _ => write_atomic(&inside, bytes),
    }
}

/// The root-relative path a link inside the root resolves to, when that is inside it.
fn through_link(root: &Path, link: &Path) -> Option<String> {
    let target = link.canonicalize().ok()?;
    let canon_root = root.canonicalize().ok()?;
    let rel = target.strip_prefix(&canon_root).ok()?;
    target.is_file().then(|| crate::paths::to_slash(rel))
}

#[cfg(target_os = "linux")]
mod handle {
    use rustix::fs::{AtFlags, Mode, OFlags};
    use std::ffi::OsStr;
    use std::fs::File;
    use std::io::Write;
    use std::path::Path;

    /// Replaces `name` in the open folder `dir` with `bytes`: a temporary file made
    /// with `O_EXCL` in that folder, flushed, given the old file's mode, renamed over.
    pub fn replace(dir: &File, name: &OsStr, full: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let old_mode = std::fs::symlink_metadata(full)
            .ok()
            .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()));
        if old_mode.is_some_and(|m| m & 0o222 == 0) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            ));
        }
        super::remove_stale(full.parent().unwrap_or(Path::new(".")));
        let (tmp_name, fd) = create_temp(dir)?;
        let result = (|| -> std::io::Result<()> {
            let mut tmp = File::from(fd);
            tmp.write_all(bytes)?;
            if let Some(mode) = old_mode {
                rustix::fs::fchmod(&tmp, Mode::from_raw_mode(mode & 0o7777))?;
            }
            tmp.sync_all()?;
            rustix::fs::renameat(dir, &tmp_name, dir, name)?;
            Ok(())
        })();
        if result.is_err() {
            let _ = rustix::fs::unlinkat(dir, &tmp_name, AtFlags::empty());
        }
        result?;
        let _ = dir.sync_all();
        Ok(())
    }

    fn create_temp(dir: &File) -> std::io::Result<(String, rustix::fd::OwnedFd)> {
        let seed = std::process::id() as u64 ^ nanos();
        for i in 0..64u64 {
            let name = format!("{}{:012x}", super::TEMP_PREFIX, seed.wrapping_add(i * 7919));
            let flags =
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            match rustix::fs::openat(dir, &name, flags, Mode::from_raw_mode(0o666)) {
                Ok(fd) => return Ok((name, fd)),
                Err(rustix::io::Errno::EXIST) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "no free temporary file name",
        ))
    }

    fn nanos() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    }
}

/// Replaces `path` with `bytes` atomically: the data goes to a temporary file in the
/// same folder, is flushed to disk, and is renamed over the target. A crash leaves
/// either the old file or the new one. Parent folders are created as needed. A link,
/// a hard-linked file or another user's file is refused rather than replaced by a copy.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    check_replaceable(path)?;
    let err = |error| WriteError {
        path: path.to_path_buf(),
        error,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    remove_stale(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    // a new file gets the usual 0666 less umask, not the temporary file's 0600
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    if let Ok(meta) = std::fs::metadata(path) {
        // keep the permissions of the file being replaced
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
        if meta.permissions().readonly() {
            return Err(err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            )));
        }
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_creates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.md");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn links_hard_links_and_git_are_never_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("docs/real.md"), "old").unwrap();
        std::fs::set_permissions(
            root.join("docs/real.md"),
            std::fs::Permissions::from_mode(0o640),
        )
        .unwrap();
        std::os::unix::fs::symlink("real.md", root.join("docs/board.md")).unwrap();
        // an in-root link is written through: the real file gets the text, the link stays
        write_inside(&root, "docs/board.md", b"new").unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("docs/real.md")).unwrap(),
            "new"
        );
        assert!(std::fs::symlink_metadata(root.join("docs/board.md"))
            .unwrap()
            .file_type()
            .is_symlink());
        let mode = std::fs::metadata(root.join("docs/real.md"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
        // a link out of the root is refused and the outside file untouched
        std::fs::write(dir.path().join("outside.md"), "keep").unwrap();
        std::os::unix::fs::symlink("../../outside.md", root.join("docs/out.md")).unwrap();
        assert!(write_inside(&root, "docs/out.md", b"x").is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("outside.md")).unwrap(),
            "keep"
        );
        // hard links are refused, and nothing changes
        std::fs::hard_link(root.join("docs/real.md"), root.join("docs/twin.md")).unwrap();
        let e = write_inside(&root, "docs/real.md", b"x").unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");
        assert_eq!(
            std::fs::read_to_string(root.join("docs/twin.md")).unwrap(),
            "new"
        );
        // never into .git, whatever the spelling
        for p in [".git/config", ".GIT/hooks/pre-commit", "a/.git/x"] {
            assert!(write_inside(&root, p, b"x").is_err(), "{p}");
        }
        // and the path-based writer refuses links instead of replacing them
        assert!(write_atomic(&root.join("docs/board.md"), b"x").is_err());
        let leftovers = std::fs::read_dir(root.join("docs"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .count();
        assert_eq!(leftovers, 0);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_like_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.md");
        write_atomic(&p, b"x").unwrap();
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), mode(&probe));
    }
}
