//! File contents on one side of a diff: blobs from a commit's tree or the index
//! (through git2), working-tree files through `crate::io` (path-safe).

use super::selection::Tree;
use super::GitRepo;
use crate::error::GovError;
use crate::io::{read_bytes, ReadError};
use git2::FileMode;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent {
    Present(Vec<u8>),
    /// The file does not exist on that side (added, deleted, or never there).
    Absent,
    /// The file exists but could not be read; the reason is for the diagnostic.
    Unreadable(String),
}

impl FileContent {
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            FileContent::Present(b) => Some(b),
            _ => None,
        }
    }
}

impl GitRepo {
    /// The content of root-relative `path` on `side`.
    pub fn content(&self, side: Tree, path: &str) -> FileContent {
        match side {
            Tree::Empty => FileContent::Absent,
            Tree::Commit(oid) => self.commit_blob(oid, path),
            Tree::Index => self.index_blob(path),
            Tree::Worktree => match read_bytes(&self.workdir, &self.git_path(path)) {
                Ok(b) => FileContent::Present(b),
                Err(ReadError::Missing(_) | ReadError::NotAFile(_)) => FileContent::Absent,
                Err(e) => FileContent::Unreadable(e.to_string()),
            },
        }
    }

    /// A changed working-tree file's content as git sees it: the bytes of a regular
    /// file, the target of a symbolic link. `git_path` is work-tree relative UTF-8.
    pub(crate) fn worktree_bytes(
        &self,
        git_path: &[u8],
        mode: FileMode,
    ) -> Result<Vec<u8>, GovError> {
        let rel = String::from_utf8_lossy(git_path);
        let unreadable = |error| GovError::Read {
            what: "changed file",
            error,
        };
        if mode == FileMode::Link {
            let safe =
                crate::paths::check_relative(&rel).map_err(|u| unreadable(ReadError::Unsafe(u)))?;
            let target = std::fs::read_link(self.workdir.join(safe))
                .map_err(|e| unreadable(ReadError::Io(rel.to_string(), e)))?;
            return Ok(crate::paths::to_slash(&target).into_bytes());
        }
        match read_bytes(&self.workdir, &rel) {
            Ok(b) => Ok(b),
            // gone since the diff was taken: the file is absent now
            Err(ReadError::Missing(_)) => Ok(Vec::new()),
            Err(e) => Err(unreadable(e)),
        }
    }

    fn commit_blob(&self, oid: git2::Oid, path: &str) -> FileContent {
        let repo = self.repo();
        let tree = match repo.find_commit(oid).and_then(|c| c.tree()) {
            Ok(t) => t,
            Err(e) => return FileContent::Unreadable(e.message().to_string()),
        };
        let entry = match tree.get_path(Path::new(&self.git_path(path))) {
            Ok(e) => e,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return FileContent::Absent,
            Err(e) => return FileContent::Unreadable(e.message().to_string()),
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return FileContent::Absent;
        }
        self.blob(entry.id())
    }

    fn index_blob(&self, path: &str) -> FileContent {
        let index = match self.repo().index() {
            Ok(i) => i,
            Err(e) => return FileContent::Unreadable(e.message().to_string()),
        };
        match index.get_path(Path::new(&self.git_path(path)), 0) {
            Some(entry) => self.blob(entry.id),
            None => FileContent::Absent,
        }
    }

    fn blob(&self, oid: git2::Oid) -> FileContent {
        match self.repo().find_blob(oid) {
            Ok(b) => FileContent::Present(b.content().to_vec()),
            Err(e) => FileContent::Unreadable(e.message().to_string()),
        }
    }
}
