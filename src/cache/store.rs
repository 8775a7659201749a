//! One cache file of parsed values, keyed by repository-relative path.

use super::identity::{hash_bytes, Identity};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A store is not written when its body would exceed this (about 20 times what
/// 10,000 packets take): the cache stays small whatever the repository holds.
const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry<T> {
    id: Identity,
    hash: u64,
    value: T,
}

/// Parsed values of one kind, loaded from the cache file once per run. Look-ups
/// can run on many threads; values computed on a miss are written back by [`save`].
///
/// [`save`]: Store::save
pub struct Store<T> {
    file: Option<PathBuf>,
    schema: String,
    old: HashMap<String, Entry<T>>,
    /// Every entry this run used or made: what the next run will find.
    seen: Mutex<HashMap<String, Entry<T>>>,
    misses: Mutex<usize>,
}

impl<T: Serialize + DeserializeOwned + Clone> Store<T> {
    /// The store `name` of the repository at `root` (empty when the cache is off, has
    /// no folder, or its file is missing, stale or damaged).
    pub fn open(root: &Path, name: &str) -> Store<T> {
        let dir = super::enabled().then(|| super::dir_for(root)).flatten();
        if dir.is_some() {
            super::mark_used();
        }
        Store::at(dir.as_deref(), name)
    }

    /// The store `name` in `dir` (`None`: no cache, every look-up parses).
    pub fn at(dir: Option<&Path>, name: &str) -> Store<T> {
        let schema = format!(
            "gov {} cache {} {name}",
            env!("CARGO_PKG_VERSION"),
            super::SCHEMA
        );
        let file = dir.map(|d| d.join(format!("{name}.cache")));
        let old = file
            .as_deref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| {
                let entries = decode(&bytes, &schema);
                if entries.is_none() {
                    super::count_rejected();
                }
                entries
            })
            .unwrap_or_default();
        Store {
            file,
            schema,
            old,
            seen: Mutex::new(HashMap::new()),
            misses: Mutex::new(0),
        }
    }

    /// The value for `rel`, whose metadata was just read and whose content hashes to
    /// `hash` ([`content_hash`]): from the cache when both the identity and the hash
    /// match, else from `make`.
    ///
    /// [`content_hash`]: super::content_hash
    pub fn get_or_make(
        &self,
        rel: &str,
        meta: &std::fs::Metadata,
        hash: u64,
        make: impl FnOnce() -> T,
    ) -> T {
        if self.file.is_none() {
            return make();
        }
        let id = Identity::of(meta);
        let cached = self.old.get(rel).filter(|e| e.id == id && e.hash == hash);
        let value = match cached {
            Some(e) => {
                super::count_hit();
                e.value.clone()
            }
            None => {
                super::count_miss();
                if let Ok(mut m) = self.misses.lock() {
                    *m += 1;
                }
                make()
            }
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(
                rel.to_string(),
                Entry {
                    id,
                    hash,
                    value: value.clone(),
                },
            );
        }
        value
    }

    /// Writes the entries of this run back when anything changed (a miss, or a file
    /// no longer there). Failures are counted, never reported as problems.
    pub fn save(self) {
        let Some(file) = self.file else { return };
        let seen = self.seen.into_inner().unwrap_or_default();
        let misses = self.misses.into_inner().unwrap_or(0);
        if misses == 0 && seen.len() == self.old.len() {
            return;
        }
        super::count_write(write(&file, &self.schema, &seen).is_some());
    }
}

/// `<schema>\n<checksum of body, hex>\n<body JSON>`.
fn decode<T: DeserializeOwned>(bytes: &[u8], schema: &str) -> Option<HashMap<String, Entry<T>>> {
    let (first, rest) = split_line(bytes)?;
    if first != schema.as_bytes() {
        return None;
    }
    let (sum, body) = split_line(rest)?;
    if sum != format!("{:016x}", hash_bytes(body)).as_bytes() {
        return None;
    }
    serde_json::from_slice(body).ok()
}

fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = memchr::memchr(b'\n', bytes)?;
    Some((&bytes[..at], &bytes[at + 1..]))
}

/// A temporary file in the cache folder, renamed over the store: readers see the old
/// file or the new one, never a mix. No fsync: after a crash a torn file fails its
/// checksum and is a cold run.
fn write<T: Serialize>(
    file: &Path,
    schema: &str,
    entries: &HashMap<String, Entry<T>>,
) -> Option<()> {
    let body = serde_json::to_vec(entries).ok()?;
    if body.len() > MAX_BYTES {
        return None;
    }
    let dir = file.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gov-cache-")
        .tempfile_in(dir)
        .ok()?;
    let head = format!("{schema}\n{:016x}\n", hash_bytes(&body));
    tmp.write_all(head.as_bytes()).ok()?;
    tmp.write_all(&body).ok()?;
    tmp.persist(file).ok()?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Parses `rel` in `root` through a store in `cache`, as a loader does, saying
    /// whether the value came from the cache.
    fn load(cache: &Path, root: &Path, rel: &str) -> (String, bool) {
        let store: Store<String> = Store::at(Some(cache), "test");
        let path = root.join(rel);
        let bytes = std::fs::read(&path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let parsed = Cell::new(false);
        let value = store.get_or_make(rel, &meta, hash_bytes(&bytes), || {
            parsed.set(true);
            String::from_utf8(bytes.clone()).unwrap().to_uppercase()
        });
        store.save();
        (value, !parsed.get())
    }

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (cache, root) = (dir.path().join("cache"), dir.path().join("repo"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.md"), "status: ready\n").unwrap();
        (dir, cache, root)
    }

    fn set_mtime(path: &Path, secs: u64) {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(t).unwrap();
    }

    #[test]
    fn a_second_run_hits_and_gives_the_same_value() {
        let (_d, cache, root) = setup();
        assert_eq!(
            load(&cache, &root, "a.md"),
            ("STATUS: READY\n".into(), false)
        );
        assert_eq!(
            load(&cache, &root, "a.md"),
            ("STATUS: READY\n".into(), true)
        );
    }

    #[test]
    fn an_edit_of_the_same_size_and_mtime_is_seen() {
        let (_d, cache, root) = setup();
        let a = root.join("a.md");
        set_mtime(&a, 1_700_000_000);
        load(&cache, &root, "a.md");
        // same length, same inode, mtime put back: only ctime and the hash differ
        std::fs::write(&a, "status: draft\n").unwrap();
        set_mtime(&a, 1_700_000_000);
        assert_eq!(
            load(&cache, &root, "a.md"),
            ("STATUS: DRAFT\n".into(), false)
        );
    }

    #[test]
    fn touching_replacing_and_renaming_are_seen() {
        let (_d, cache, root) = setup();
        let a = root.join("a.md");
        load(&cache, &root, "a.md");
        // touched: identity changed, parsed again (same value)
        set_mtime(&a, 1_600_000_000);
        assert_eq!(
            load(&cache, &root, "a.md"),
            ("STATUS: READY\n".into(), false)
        );
        assert!(load(&cache, &root, "a.md").1, "then cached again");
        // replaced by another file renamed over it
        std::fs::write(root.join("b.md"), "status: other\n").unwrap();
        std::fs::rename(root.join("b.md"), &a).unwrap();
        assert_eq!(
            load(&cache, &root, "a.md"),
            ("STATUS: OTHER\n".into(), false)
        );
        // renamed to a new name: a new key, parsed there
        std::fs::rename(&a, root.join("c.md")).unwrap();
        assert_eq!(
            load(&cache, &root, "c.md"),
            ("STATUS: OTHER\n".into(), false)
        );
    }

    #[test]
    fn a_damaged_or_foreign_cache_file_is_a_cold_run() {
        let (_d, cache, root) = setup();
        load(&cache, &root, "a.md");
        let file = cache.join("test.cache");
        let good = std::fs::read(&file).unwrap();
        // a flipped byte in the body fails the checksum
        let mut bad = good.clone();
        let last = bad.len() - 3;
        bad[last] ^= 0x20;
        for damaged in [
            bad,
            good[..good.len() / 2].to_vec(),
            b"garbage".to_vec(),
            Vec::new(),
            String::from_utf8(good.clone())
                .unwrap()
                .replacen(env!("CARGO_PKG_VERSION"), "0.0.0-other", 1)
                .into_bytes(),
        ] {
            std::fs::write(&file, &damaged).unwrap();
            assert_eq!(
                load(&cache, &root, "a.md"),
                ("STATUS: READY\n".into(), false)
            );
        }
        assert!(load(&cache, &root, "a.md").1, "rewritten whole");
    }

    #[test]
    fn only_files_seen_in_the_last_run_are_kept() {
        let (_d, cache, root) = setup();
        std::fs::write(root.join("b.md"), "x\n").unwrap();
        let store: Store<String> = Store::at(Some(&cache), "test");
        for rel in ["a.md", "b.md"] {
            let meta = std::fs::metadata(root.join(rel)).unwrap();
            store.get_or_make(rel, &meta, 1, || rel.to_string());
        }
        store.save();
        let store: Store<String> = Store::at(Some(&cache), "test");
        assert_eq!(store.old.len(), 2);
        let meta = std::fs::metadata(root.join("a.md")).unwrap();
        store.get_or_make("a.md", &meta, 1, || unreachable!("cached"));
        store.save();
        let store: Store<String> = Store::at(Some(&cache), "test");
        assert_eq!(store.old.keys().collect::<Vec<_>>(), ["a.md"]);
    }

    #[test]
    fn without_a_folder_nothing_is_cached_or_written() {
        let (_d, cache, root) = setup();
        let store: Store<String> = Store::at(None, "test");
        let meta = std::fs::metadata(root.join("a.md")).unwrap();
        assert_eq!(store.get_or_make("a.md", &meta, 1, || "v".into()), "v");
        store.save();
        assert!(!cache.exists());
    }
}
