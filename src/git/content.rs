//! File contents on one side of a diff: blobs from a commit's tree or the index
//! (through git2), working-tree files through `crate::io` (path-safe).

use super::selection::Tree;
use super::GitRepo;
use crate::io::{read_bytes, ReadError};
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
            Tree::Worktree => match read_bytes(&self.root, path) {
                Ok(b) => FileContent::Present(b),
                Err(ReadError::Missing(_) | ReadError::NotAFile(_)) => FileContent::Absent,
                Err(e) => FileContent::Unreadable(e.to_string()),
            },
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
