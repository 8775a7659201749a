//! Which file, and which version of it: what a cache entry is keyed by.

use serde::{Deserialize, Serialize};

/// A file's identity as the file system reports it. ctime is included because no
/// ordinary program can set it: a file rewritten and given its old mtime back still
/// differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

impl Identity {
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Identity {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Identity {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Elsewhere only the size and mtime are known; the content hash does the rest.
    #[cfg(not(unix))]
    pub fn of(meta: &std::fs::Metadata) -> Identity {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Identity {
            dev: 0,
            ino: 0,
            size: meta.len(),
            mtime_ns,
            ctime_ns: 0,
        }
    }
}

/// A 64-bit hash of file content (XXH3: fast enough to hash a multi-MB spec for far
/// less than parsing it; an entry must match the file's identity as well, so the hash
/// only has to tell apart versions written within one timestamp tick).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}
