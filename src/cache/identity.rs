//! Which file, and which version of it: what a cache entry is keyed by.

use serde::{Deserialize, Serialize};

/// A file's identity as the file system reports it. ctime is included because no
/// ordinary program can set it: a file rewritten and given its old mtime back still
/// differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Packed", from = "Packed")]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

/// The identity as the cache file holds it: a list of whole numbers (named fields
/// and 128-bit numbers decode several times slower, per entry of every warm run).
type Packed = (u64, u64, u64, i64, u32, i64, u32);

impl From<Identity> for Packed {
    fn from(i: Identity) -> Packed {
        let split = |ns: i128| {
            let secs = ns.div_euclid(1_000_000_000);
            (
                i64::try_from(secs).unwrap_or(i64::MAX),
                ns.rem_euclid(1_000_000_000) as u32,
            )
        };
        let (ms, mn) = split(i.mtime_ns);
        let (cs, cn) = split(i.ctime_ns);
        (i.dev, i.ino, i.size, ms, mn, cs, cn)
    }
}

impl From<Packed> for Identity {
    fn from((dev, ino, size, ms, mn, cs, cn): Packed) -> Identity {
        let ns = |s: i64, n: u32| i128::from(s) * 1_000_000_000 + i128::from(n);
        Identity {
            dev,
            ino,
            size,
            mtime_ns: ns(ms, mn),
            ctime_ns: ns(cs, cn),
        }
    }
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

/// [`hash_bytes`] of a text fed in pieces (a file streamed through a buffer).
#[derive(Default)]
pub struct ContentHasher(xxhash_rust::xxh3::Xxh3);

impl ContentHasher {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(&self) -> u64 {
        self.0.digest()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_survive_the_packed_form() {
        for ns in [0, 1, 1_700_000_000_123_456_789, -1, -1_000_000_001] {
            let id = Identity {
                dev: 1,
                ino: 2,
                size: 3,
                mtime_ns: ns,
                ctime_ns: ns + 7,
            };
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(
                serde_json::from_str::<Identity>(&json).unwrap(),
                id,
                "{json}"
            );
        }
    }
}
