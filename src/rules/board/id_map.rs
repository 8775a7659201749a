//! A hash map for WP ids: the dependency graph numbers every WP of a board of
//! thousands, and std's SipHash costs several times more per id than XXH3.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hash map keyed by WP ids (or anything hashed as bytes) with [`IdHasher`].
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// XXH3 over the bytes a key writes: ids are short and public (no hash flooding to
/// fear from a repository's own documents), and std's SipHash costs several times
/// more per id.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
