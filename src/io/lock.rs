use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The repository's exclusive write lock. It is an OS file lock (`flock`), so a
/// process that dies releases it: a lock file left behind by a killed process is
/// never "held" and needs no manual clean-up.
#[derive(Debug)]
pub struct RepoLock {
    _file: File,
    pub path: PathBuf,
}

impl RepoLock {
    /// Where the lock lives: in the git folder of the repository around the root
    /// (`.git/gov.lock`; for a linked worktree or a submodule, whose `.git` is a file,
    /// the folder it names), so it never shows up as an untracked file; else
    /// `.gov.lock` at the root.
    pub fn path_for(root: &Path) -> PathBuf {
        let git = root.join(".git");
        if git.is_dir() {
            return git.join("gov.lock");
        }
        match crate::git::open_repository(root) {
            Ok(repo) if repo.workdir().is_some() => repo.path().join("gov.lock"),
            _ => root.join(".gov.lock"),
        }
    }

    /// Takes the lock, waiting up to `timeout`.
    pub fn acquire(root: &Path, timeout: Duration) -> std::io::Result<RepoLock> {
        let path = Self::path_for(root);
        // a planted link would make gov create or lock a file outside the repository
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the lock file is a symbolic link; remove it",
            ));
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .read(true)
            .open(&path)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(RepoLock { _file: file, path }),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::WouldBlock,
                        "another gov process holds the lock",
                    ))
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_times_out_and_drop_releases() {
        let dir = tempfile::tempdir().unwrap();
        let a = RepoLock::acquire(dir.path(), Duration::from_millis(10)).unwrap();
        assert!(RepoLock::acquire(dir.path(), Duration::from_millis(30)).is_err());
        drop(a);
        assert!(RepoLock::acquire(dir.path(), Duration::from_millis(10)).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_that_is_a_link_is_refused_and_nothing_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(&outside, root.join(".gov.lock")).unwrap();
        assert!(RepoLock::acquire(&root, Duration::from_millis(10)).is_err());
        assert!(!outside.exists());
    }
}
