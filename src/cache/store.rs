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
    /// Keys of the old entries this run used (kept, not copied, until [`Store::save`]).
    hits: Mutex<Vec<String>>,
    /// Entries made in this run.
    fresh: Mutex<Vec<(String, Entry<T>)>>,
    /// Old entries kept although this run did not use them, up to this many entries
    /// in all (0: only what the run used).
    keep: usize,
    /// Look-ups only: nothing is recorded or written (see [`Store::read_only`]).
    read_only: bool,
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
            hits: Mutex::new(Vec::new()),
            fresh: Mutex::new(Vec::new()),
            keep: 0,
            read_only: false,
        }
    }

    /// Keeps unused old entries, up to `keep` entries in all: for a store that several
    /// commands fill with different files (the spec and its previous version).
    pub fn keeping(mut self, keep: usize) -> Store<T> {
        self.keep = keep;
        self
    }

    /// A store that is only looked in: for a command whose cold run should not pay
    /// for writing entries (pre-work reads the spec index other commands cached).
    pub fn read_only(mut self) -> Store<T> {
        self.read_only = true;
        self
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether look-ups can hit (a cache folder is in use).
    pub fn is_active(&self) -> bool {
        self.file.is_some()
    }

    /// Whether an entry for `rel` has the identity of `meta`: when it has not, a
    /// read-only caller need not hash the content (counted as a miss).
    pub fn knows(&self, rel: &str, meta: &std::fs::Metadata) -> bool {
        let id = Identity::of(meta);
        let known = self.old.get(rel).is_some_and(|e| e.id == id);
        if !known && self.file.is_some() {
            super::count_miss();
        }
        known
    }

    /// The cached value for `rel`, whose metadata was just read and whose content
    /// hashes to `hash` ([`content_hash`]), when both the identity and the hash match.
    /// A miss is counted; the caller parses and hands the value to [`Store::put`].
    ///
    /// [`content_hash`]: super::content_hash
    pub fn get(&self, rel: &str, meta: &std::fs::Metadata, hash: u64) -> Option<T> {
        self.get_with(rel, meta, hash, T::clone)
    }

    /// As [`Store::get`], reading the cached value through `f` instead of copying it.
    pub fn get_with<R>(
        &self,
        rel: &str,
        meta: &std::fs::Metadata,
        hash: u64,
        f: impl FnOnce(&T) -> R,
    ) -> Option<R> {
        self.file.as_ref()?;
        let id = Identity::of(meta);
        match self.old.get(rel).filter(|e| e.id == id && e.hash == hash) {
            Some(e) => {
                super::count_hit();
                if let Ok(mut hits) = self.hits.lock() {
                    hits.push(rel.to_string());
                }
                Some(f(&e.value))
            }
            None => {
                super::count_miss();
                None
            }
        }
    }

    /// Records the value parsed for `rel` after a miss of [`Store::get`].
    pub fn put(&self, rel: &str, meta: &std::fs::Metadata, hash: u64, value: T) {
        if self.file.is_none() || self.read_only {
            return;
        }
        let entry = Entry {
            id: Identity::of(meta),
            hash,
            value,
        };
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push((rel.to_string(), entry));
        }
    }

    /// The value for `rel` (see [`Store::get`]): from the cache when both the identity
    /// and the hash match, else from `make` (and recorded for the next run).
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
        if let Some(v) = self.get(rel, meta, hash) {
            return v;
        }
        let value = make();
        self.put(rel, meta, hash, value.clone());
        value
    }

    /// Writes the entries of this run back when anything changed (a miss, or a file
    /// no longer there). Failures are counted, never reported as problems.
    pub fn save(mut self) {
        let Some(file) = self.file.take().filter(|_| !self.read_only) else {
            return;
        };
        let mut hits = self.hits.into_inner().unwrap_or_default();
        let fresh = self.fresh.into_inner().unwrap_or_default();
        hits.sort_unstable();
        hits.dedup();
        if fresh.is_empty() && (hits.len() == self.old.len() || self.old.len() <= self.keep) {
            return;
        }
        let mut seen: HashMap<String, Entry<T>> = HashMap::with_capacity(hits.len() + fresh.len());
        for key in hits {
            if let Some(e) = self.old.remove(&key) {
                seen.insert(key, e);
            }
        }
        seen.extend(fresh);
        let mut rest: Vec<_> = self
            .old
            .into_iter()
            .filter(|(k, _)| !seen.contains_key(k))
            .collect();
        rest.sort_by(|a, b| a.0.cmp(&b.0));
        let room = self.keep.saturating_sub(seen.len());
        seen.extend(rest.into_iter().take(room));
        super::count_write(write(&file, &self.schema, &seen).is_some());
    }
}

/// `<schema>\n<checksum of body, hex>\n<body JSON>`.
fn decode<T: DeserializeOwned>(bytes: &[u8], schema: &str) -> Option<HashMap<String, Entry<T>>> {
    serde_json::from_slice(checked_body(bytes, schema)?).ok()
}

/// The body of a cache file `<schema>\n<checksum of body, hex>\n<body>`, when its
/// schema line is `schema` and the checksum matches.
pub(super) fn checked_body<'a>(bytes: &'a [u8], schema: &str) -> Option<&'a [u8]> {
    let (first, rest) = split_line(bytes)?;
    if first != schema.as_bytes() {
        return None;
    }
    let (sum, body) = split_line(rest)?;
    if sum != format!("{:016x}", hash_bytes(body)).as_bytes() {
        return None;
    }
    Some(body)
}

fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = memchr::memchr(b'\n', bytes)?;
    Some((&bytes[..at], &bytes[at + 1..]))
}

fn write<T: Serialize>(
    file: &Path,
    schema: &str,
    entries: &HashMap<String, Entry<T>>,
) -> Option<()> {
    write_body(file, schema, &serde_json::to_vec(entries).ok()?)
}

/// A temporary file in the cache folder, renamed over the store: readers see the old
/// file or the new one, never a mix. No fsync: after a crash a torn file fails its
/// checksum and is a cold run. Not written past [`MAX_BYTES`].
pub(super) fn write_body(file: &Path, schema: &str, body: &[u8]) -> Option<()> {
    if body.len() > MAX_BYTES {
        return None;
    }
    let dir = file.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gov-cache-")
        .tempfile_in(dir)
        .ok()?;
    let head = format!("{schema}\n{:016x}\n", hash_bytes(body));
    tmp.write_all(head.as_bytes()).ok()?;
    tmp.write_all(body).ok()?;
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
    fn a_keeping_store_holds_unused_entries_up_to_its_bound() {
        let (_d, cache, root) = setup();
        for rel in ["b.md", "c.md"] {
            std::fs::write(root.join(rel), "x\n").unwrap();
        }
        let meta = |rel: &str| std::fs::metadata(root.join(rel)).unwrap();
        let run = |rels: &[&str]| {
            let store: Store<String> = Store::at(Some(&cache), "test").keeping(2);
            for rel in rels {
                store.get_or_make(rel, &meta(rel), 1, || rel.to_string());
            }
            store.save();
        };
        run(&["a.md"]);
        run(&["b.md"]);
        let store: Store<String> = Store::at(Some(&cache), "test");
        let mut keys: Vec<_> = store.old.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["a.md", "b.md"], "a.md kept though unused");
        // the one used now, then the other old ones by name, up to the bound
        run(&["c.md"]);
        let store: Store<String> = Store::at(Some(&cache), "test");
        let mut keys: Vec<_> = store.old.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["a.md", "c.md"]);
        // a hit is counted and read through the closure without a copy
        let got = store.get_with("c.md", &meta("c.md"), 1, |v: &String| v.len());
        assert_eq!(got, Some(4));
        assert_eq!(
            store.get("c.md", &meta("c.md"), 2),
            None,
            "another hash misses"
        );
    }

    #[test]
    fn a_read_only_store_hits_but_never_writes() {
        let (_d, cache, root) = setup();
        let meta = std::fs::metadata(root.join("a.md")).unwrap();
        let store: Store<String> = Store::at(Some(&cache), "test").read_only();
        assert!(!store.knows("a.md", &meta));
        store.get_or_make("a.md", &meta, 1, || "v".into());
        store.save();
        assert!(!cache.exists(), "nothing written");
        load(&cache, &root, "a.md");
        let store: Store<String> = Store::at(Some(&cache), "test").read_only();
        let meta = std::fs::metadata(root.join("a.md")).unwrap();
        assert!(store.knows("a.md", &meta));
        let hash = hash_bytes(&std::fs::read(root.join("a.md")).unwrap());
        assert_eq!(
            store.get("a.md", &meta, hash).as_deref(),
            Some("STATUS: READY\n")
        );
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
