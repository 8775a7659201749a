//! A cache file of many small values in a binary layout that is looked up in place:
//! opening it reads the file and checks its header and checksum, nothing more (no
//! map of owned keys is built), and a hit decodes only its own value. The packet
//! store of a 10,000-packet repository is one of these: decoding it all as JSON was
//! the largest cost of a warm run.
//!
//! Body layout (all numbers little-endian):
//! - `u32` slot count, then that many fixed-size slots sorted by key:
//!   key offset and length, value offset and length (`u32` each, into the data
//!   area), the file identity (`dev`, `ino`, `size` as `u64`, `mtime` and `ctime` in
//!   ns as `i128`), the content hash (`u64`);
//! - the data area: keys and encoded values.
//!
//! Every offset is checked when a slot is read: a slot pointing outside the data,
//! a key that is not UTF-8 or a value that does not decode is a miss. Keys out of
//! order only make look-ups miss.

use super::codec::{Reader, Record, Writer};
use super::framing::{checked_body, write_body};
use super::identity::Identity;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Bumped whenever the layout or a [`Record`]'s encoding changes.
pub const SCHEMA: u32 = 4;

const SLOT: usize = 4 * 4 + 3 * 8 + 2 * 16 + 8;

/// One slot, read out of the file.
struct Slot<'a> {
    key: &'a str,
    value: &'a [u8],
    id: Identity,
    hash: u64,
}

/// An entry to write: key, identity, hash and encoded value.
type Fresh = (String, Identity, u64, Vec<u8>);

/// Values of one kind, looked up in the file read at open. Look-ups can run on many
/// threads; values made on a miss are written back by [`Table::save`].
pub struct Table<T> {
    file: Option<PathBuf>,
    schema: String,
    /// The checked body of the file read at open (empty when there was none).
    body: Vec<u8>,
    slots: usize,
    /// Slots this run used (kept by [`Table::save`]).
    used: Vec<AtomicBool>,
    fresh: Mutex<Vec<Fresh>>,
    /// Looked in only: nothing is recorded or written back.
    read_only: bool,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T: Record> Table<T> {
    /// The table `name` of the repository at `root` (empty when the cache is off, has
    /// no folder, or its file is missing, stale or damaged).
    pub fn open(root: &Path, name: &str) -> Table<T> {
        let dir = super::enabled().then(|| super::dir_for(root)).flatten();
        if dir.is_some() {
            super::mark_used();
        }
        Table::at(dir.as_deref(), name)
    }

    /// The table `name` in `dir` (`None`: no cache, every look-up parses).
    pub fn at(dir: Option<&Path>, name: &str) -> Table<T> {
        let schema = format!(
            "gov {} cache {SCHEMA} {name} binary",
            env!("CARGO_PKG_VERSION")
        );
        let file = dir.map(|d| d.join(format!("{name}.cache")));
        let mut table = Table {
            file,
            schema,
            body: Vec::new(),
            slots: 0,
            used: Vec::new(),
            fresh: Mutex::new(Vec::new()),
            read_only: false,
            kind: std::marker::PhantomData,
        };
        if let Some(bytes) = table.file.as_deref().and_then(|f| std::fs::read(f).ok()) {
            match body_and_count(&bytes, &table.schema) {
                Some((start, slots)) => {
                    // keep the file's buffer, without the header, and no copy of it
                    let mut bytes = bytes;
                    bytes.drain(..start);
                    table.body = bytes;
                    table.slots = slots;
                    table.used = (0..slots).map(|_| AtomicBool::new(false)).collect();
                }
                None => super::count_rejected(),
            }
        }
        table
    }

    /// Whether look-ups can hit (a cache folder is in use).
    pub fn is_active(&self) -> bool {
        self.file.is_some()
    }

    /// The table, looked in only: a command that reads what others cached without
    /// paying for writing (pre-work and the spec index).
    pub fn read_only(mut self) -> Table<T> {
        self.read_only = true;
        self
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether an entry for `key` has the identity of `meta`: when it has not, the
    /// caller need not hash the content (counted as a miss).
    pub fn knows(&self, key: &str, meta: &std::fs::Metadata) -> bool {
        if self.file.is_none() {
            return false;
        }
        let id = Identity::of(meta);
        let known = self.find(key).is_some_and(|(_, slot)| slot.id == id);
        if !known {
            super::count_miss();
        }
        known
    }

    /// The value cached for `key`, whose metadata was just read and whose content
    /// hashes to `hash`, when both the identity and the hash match and the value
    /// decodes. A miss is counted; the caller parses and hands the value to
    /// [`Table::put`].
    pub fn get(&self, key: &str, meta: &std::fs::Metadata, hash: u64) -> Option<T> {
        self.lookup(key, meta, hash).decode(|r| T::decode(key, r))
    }

    /// The entry for `key` when its identity and hash are those given, to be decoded
    /// by [`Lookup::decode`] (a caller that decodes the record its own way: the
    /// packet inventory moves what it already holds into the value).
    pub fn lookup(&self, key: &str, meta: &std::fs::Metadata, hash: u64) -> Lookup<'_, T> {
        self.lookup_near(key, meta, hash, None)
    }

    /// [`Table::lookup`], trying slot `near` before searching: a caller that looks
    /// keys up in order passes the slot after the last one found
    /// ([`Lookup::next_slot`]), which in a steady repository is the one.
    pub fn lookup_near(
        &self,
        key: &str,
        meta: &std::fs::Metadata,
        hash: u64,
        near: Option<usize>,
    ) -> Lookup<'_, T> {
        let found = self.file.as_ref().and_then(|_| {
            let id = Identity::of(meta);
            let at = near
                .filter(|&n| n < self.slots && key_at(&self.body, n) == Some(key.as_bytes()))
                .and_then(|n| Some((n, slot_at(&self.body, n)?)));
            let (i, slot) = at.or_else(|| self.find(key))?;
            (slot.id == id && slot.hash == hash).then_some((i, slot.value))
        });
        Lookup {
            table: self,
            found,
            counted: true,
        }
    }

    /// Records the value parsed for `key` after a miss of [`Table::get`]. A value
    /// that cannot be encoded (a number past 32 bits) is not cached.
    pub fn put(&self, key: &str, meta: &std::fs::Metadata, hash: u64, value: &T) {
        if self.file.is_none() || self.read_only {
            return;
        }
        let mut w = Writer::default();
        value.encode(&mut w);
        if w.refused {
            return;
        }
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push((key.to_string(), Identity::of(meta), hash, w.bytes));
        }
    }

    /// Writes the entries of this run back when anything changed (a miss, or an
    /// entry not used). Failures are counted, never reported as problems.
    pub fn save(self) {
        let Some(file) = self.file.as_deref().filter(|_| !self.read_only) else {
            return;
        };
        let fresh = self.fresh.into_inner().unwrap_or_default();
        let used = self
            .used
            .iter()
            .filter(|u| u.load(Ordering::Relaxed))
            .count();
        if fresh.is_empty() && used == self.slots {
            return;
        }
        let mut entries: Vec<(&str, Identity, u64, &[u8])> = Vec::with_capacity(used + fresh.len());
        // fresh first, so that a key both old and fresh keeps its fresh value
        entries.extend(
            fresh
                .iter()
                .map(|(k, id, h, v)| (k.as_str(), *id, *h, &v[..])),
        );
        entries.extend((0..self.slots).filter_map(|i| {
            let slot = self.used[i]
                .load(Ordering::Relaxed)
                .then(|| slot_at(&self.body, i))??;
            Some((slot.key, slot.id, slot.hash, slot.value))
        }));
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.dedup_by(|later, first| later.0 == first.0);
        let ok = encode_body(&entries).and_then(|body| write_body(file, &self.schema, &body));
        super::count_write(ok.is_some());
    }

    /// The slot holding `key` (binary search over the sorted slots). The probes
    /// compare the key's bytes in place (the order of `str` is that of its bytes);
    /// only the slot found is read whole and its key checked as UTF-8.
    fn find(&self, key: &str) -> Option<(usize, Slot<'_>)> {
        let (mut lo, mut hi) = (0, self.slots);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match key_at(&self.body, mid)?.cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some((mid, slot_at(&self.body, mid)?)),
            }
        }
        None
    }
}

/// What [`Table::lookup`] found: an entry whose identity and hash match, or none.
pub struct Lookup<'t, T> {
    table: &'t Table<T>,
    found: Option<(usize, &'t [u8])>,
    /// Whether [`Lookup::decode`] counts a hit or a miss.
    counted: bool,
}

impl<'t, T> Lookup<'t, T> {
    /// Not counted as a hit or a miss: a caller that may look the same key up again
    /// (by another hash) counts the outcome itself.
    pub fn uncounted(mut self) -> Self {
        self.counted = false;
        self
    }

    /// The slot after the entry found, to try first for the next key in order.
    pub fn next_slot(&self) -> Option<usize> {
        self.found.map(|(i, _)| i + 1)
    }

    /// The value, decoded by `decode` from the entry's bytes, which it must use
    /// exactly; counted as a hit, else (no entry, or bytes that do not decode) as a
    /// miss.
    pub fn decode(self, decode: impl FnOnce(&mut Reader<'t>) -> Option<T>) -> Option<T> {
        self.table.file.as_ref()?;
        let value = self.found.and_then(|(i, bytes)| {
            let mut r = Reader::new(bytes);
            let value = decode(&mut r).filter(|_| r.is_empty())?;
            self.table.used[i].store(true, Ordering::Relaxed);
            Some(value)
        });
        if self.counted {
            super::count(value.is_some());
        }
        value
    }
}

/// The key bytes of slot `i` of a checked body (not checked as UTF-8: a look-up only
/// compares them), when its offsets point inside the body.
fn key_at(body: &[u8], i: usize) -> Option<&[u8]> {
    let at = 4 + i.checked_mul(SLOT)?;
    let s = body.get(at..at.checked_add(8)?)?;
    let off = usize::try_from(u32::from_le_bytes(s[..4].try_into().ok()?)).ok()?;
    let len = usize::try_from(u32::from_le_bytes(s[4..].try_into().ok()?)).ok()?;
    body.get(off..off.checked_add(len)?)
}

/// Where the body starts in the file, and its slot count, when the header, the
/// checksum and the slot table's size all check out.
fn body_and_count(bytes: &[u8], schema: &str) -> Option<(usize, usize)> {
    let body = checked_body(bytes, schema)?;
    let start = bytes.len() - body.len();
    let count = usize::try_from(u32::from_le_bytes(body.get(..4)?.try_into().ok()?)).ok()?;
    let table = count.checked_mul(SLOT)?.checked_add(4)?;
    (table <= body.len()).then_some((start, count))
}

/// Slot `i` of a checked body, when its offsets point inside the data area and its
/// key is UTF-8.
fn slot_at(body: &[u8], i: usize) -> Option<Slot<'_>> {
    let at = 4 + i.checked_mul(SLOT)?;
    let s = body.get(at..at + SLOT)?;
    let u32_at = |o: usize| -> Option<usize> {
        usize::try_from(u32::from_le_bytes(s.get(o..o + 4)?.try_into().ok()?)).ok()
    };
    let u64_at =
        |o: usize| -> Option<u64> { Some(u64::from_le_bytes(s.get(o..o + 8)?.try_into().ok()?)) };
    let i128_at = |o: usize| -> Option<i128> {
        Some(i128::from_le_bytes(s.get(o..o + 16)?.try_into().ok()?))
    };
    let range = |off: usize, len: usize| body.get(off..off.checked_add(len)?);
    let key = std::str::from_utf8(range(u32_at(0)?, u32_at(4)?)?).ok()?;
    let value = range(u32_at(8)?, u32_at(12)?)?;
    Some(Slot {
        key,
        value,
        id: Identity {
            dev: u64_at(16)?,
            ino: u64_at(24)?,
            size: u64_at(32)?,
            mtime_ns: i128_at(40)?,
            ctime_ns: i128_at(56)?,
        },
        hash: u64_at(72)?,
    })
}

/// The body for `entries` (sorted by key, no key twice); `None` past 32-bit offsets.
fn encode_body(entries: &[(&str, Identity, u64, &[u8])]) -> Option<Vec<u8>> {
    let table = 4 + entries.len() * SLOT;
    let data: usize = entries.iter().map(|e| e.0.len() + e.3.len()).sum();
    let mut body = Vec::with_capacity(table + data);
    body.extend_from_slice(&u32::try_from(entries.len()).ok()?.to_le_bytes());
    let mut at = table;
    let mut offsets = Vec::with_capacity(entries.len());
    for (key, _, _, value) in entries {
        offsets.push((at, at + key.len()));
        at += key.len() + value.len();
    }
    let n = |v: usize| u32::try_from(v).ok().map(u32::to_le_bytes);
    for ((key, id, hash, value), (key_at, value_at)) in entries.iter().zip(&offsets) {
        body.extend_from_slice(&n(*key_at)?);
        body.extend_from_slice(&n(key.len())?);
        body.extend_from_slice(&n(*value_at)?);
        body.extend_from_slice(&n(value.len())?);
        body.extend_from_slice(&id.dev.to_le_bytes());
        body.extend_from_slice(&id.ino.to_le_bytes());
        body.extend_from_slice(&id.size.to_le_bytes());
        body.extend_from_slice(&id.mtime_ns.to_le_bytes());
        body.extend_from_slice(&id.ctime_ns.to_le_bytes());
        body.extend_from_slice(&hash.to_le_bytes());
    }
    for (key, _, _, value) in entries {
        body.extend_from_slice(key.as_bytes());
        body.extend_from_slice(value);
    }
    Some(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::identity::hash_bytes;

    /// A record for tests: the upper-cased text.
    #[derive(Debug, PartialEq)]
    struct Upper(String);

    impl Record for Upper {
        fn encode(&self, w: &mut Writer) {
            w.str(&self.0);
        }
        fn decode(_key: &str, r: &mut Reader<'_>) -> Option<Upper> {
            r.string().map(Upper)
        }
    }

    /// Parses `rel` in `root` through a table in `cache`, as a loader does, saying
    /// whether the value came from the cache.
    fn load(cache: &Path, root: &Path, rel: &str) -> (String, bool) {
        let table: Table<Upper> = Table::at(Some(cache), "test");
        let path = root.join(rel);
        let bytes = std::fs::read(&path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let hash = hash_bytes(&bytes);
        let out = match table.get(rel, &meta, hash) {
            Some(v) => (v.0, true),
            None => {
                let v = Upper(String::from_utf8(bytes).unwrap().to_uppercase());
                table.put(rel, &meta, hash, &v);
                (v.0, false)
            }
        };
        table.save();
        out
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

    fn ready(hit: bool) -> (String, bool) {
        ("STATUS: READY\n".into(), hit)
    }

    #[test]
    fn a_second_run_hits_and_edits_touches_replacements_renames_are_seen() {
        let (_d, cache, root) = setup();
        let a = root.join("a.md");
        set_mtime(&a, 1_700_000_000);
        assert_eq!(load(&cache, &root, "a.md"), ready(false));
        assert_eq!(load(&cache, &root, "a.md"), ready(true));
        // same length, same inode, mtime put back: only ctime and the hash differ
        std::fs::write(&a, "status: draft\n").unwrap();
        set_mtime(&a, 1_700_000_000);
        assert_eq!(
            load(&cache, &root, "a.md"),
            ("STATUS: DRAFT\n".into(), false)
        );
        std::fs::write(&a, "status: ready\n").unwrap();
        load(&cache, &root, "a.md");
        // touched: parsed again, then cached again
        set_mtime(&a, 1_600_000_000);
        assert_eq!(load(&cache, &root, "a.md"), ready(false));
        assert_eq!(load(&cache, &root, "a.md"), ready(true));
        // replaced by another file renamed over it
        std::fs::write(root.join("b.md"), "status: other\n").unwrap();
        std::fs::rename(root.join("b.md"), &a).unwrap();
        assert_eq!(
            load(&cache, &root, "a.md"),
            ("STATUS: OTHER\n".into(), false)
        );
        // renamed: a new key, parsed there
        std::fs::rename(&a, root.join("c.md")).unwrap();
        assert_eq!(
            load(&cache, &root, "c.md"),
            ("STATUS: OTHER\n".into(), false)
        );
    }

    #[test]
    fn a_read_only_table_knows_identities_and_writes_nothing() {
        let (_d, cache, root) = setup();
        let a = root.join("a.md");
        let meta = || std::fs::metadata(&a).unwrap();
        let table: Table<Upper> = Table::at(Some(&cache), "test").read_only();
        assert!(!table.knows("a.md", &meta()));
        table.put("a.md", &meta(), 1, &Upper("X".into()));
        table.save();
        assert!(!cache.join("test.cache").exists(), "nothing written");
        load(&cache, &root, "a.md");
        let table: Table<Upper> = Table::at(Some(&cache), "test").read_only();
        assert!(table.knows("a.md", &meta()));
        assert!(!table.knows("b.md", &meta()), "another key");
        set_mtime(&a, 1_500_000_000);
        assert!(!table.knows("a.md", &meta()), "touched");
        let off: Table<Upper> = Table::at(None, "test");
        assert!(!off.knows("a.md", &meta()));
    }

    #[test]
    fn a_damaged_or_foreign_file_is_a_cold_run() {
        let (_d, cache, root) = setup();
        load(&cache, &root, "a.md");
        let file = cache.join("test.cache");
        let good = std::fs::read(&file).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x20;
        let mut other = good.clone();
        let v = env!("CARGO_PKG_VERSION").as_bytes();
        let at = other.windows(v.len()).position(|w| w == v).unwrap();
        other[at] ^= 1;
        for damaged in [
            flipped,
            good[..good.len() / 2].to_vec(),
            b"garbage".to_vec(),
            Vec::new(),
            other,
        ] {
            std::fs::write(&file, &damaged).unwrap();
            assert_eq!(load(&cache, &root, "a.md"), ready(false));
        }
        assert_eq!(load(&cache, &root, "a.md"), ready(true), "rewritten whole");
    }

    /// A file whose checksum is right but whose slot table lies: every look-up is a
    /// miss, never a panic or a value from the wrong bytes.
    #[test]
    fn a_forged_table_with_a_good_checksum_only_misses() {
        let (_d, cache, root) = setup();
        load(&cache, &root, "a.md");
        let file = cache.join("test.cache");
        let good = std::fs::read(&file).unwrap();
        let schema = format!(
            "gov {} cache {SCHEMA} test binary",
            env!("CARGO_PKG_VERSION")
        );
        let body = checked_body(&good, &schema).unwrap().to_vec();
        let write = |body: &[u8]| {
            let head = format!("{schema}\n{:016x}\n", hash_bytes(body));
            std::fs::write(&file, [head.as_bytes(), body].concat()).unwrap();
        };
        let mut forgeries: Vec<Vec<u8>> = Vec::new();
        for field in 0..4 {
            // each offset or length of the slot pointed far past the data
            let mut b = body.clone();
            b[4 + field * 4..8 + field * 4].copy_from_slice(&u32::MAX.to_le_bytes());
            forgeries.push(b);
        }
        // a slot count larger than the table
        let mut b = body.clone();
        b[..4].copy_from_slice(&1000u32.to_le_bytes());
        forgeries.push(b);
        // a value cut short (its length one byte less)
        let mut b = body.clone();
        let len = u32::from_le_bytes(b[16..20].try_into().unwrap());
        b[16..20].copy_from_slice(&(len - 1).to_le_bytes());
        forgeries.push(b);
        for forged in forgeries {
            write(&forged);
            assert_eq!(load(&cache, &root, "a.md"), ready(false));
        }
    }

    #[test]
    fn only_files_seen_in_the_last_run_are_kept() {
        let (_d, cache, root) = setup();
        std::fs::write(root.join("b.md"), "x\n").unwrap();
        load(&cache, &root, "a.md");
        load(&cache, &root, "b.md");
        let t: Table<Upper> = Table::at(Some(&cache), "test");
        assert_eq!(t.slots, 1, "a run that saw only b.md keeps only b.md");
        assert!(t.find("b.md").is_some() && t.find("a.md").is_none());
        // a run that hits everything writes nothing
        let before = std::fs::metadata(cache.join("test.cache"))
            .unwrap()
            .modified()
            .unwrap();
        assert!(load(&cache, &root, "b.md").1);
        let after = std::fs::metadata(cache.join("test.cache"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn many_keys_are_found_by_their_own_name() {
        let (_d, cache, root) = setup();
        let names: Vec<String> = (0..50).map(|i| format!("p/WP-{i:03}.md")).collect();
        let meta = std::fs::metadata(root.join("a.md")).unwrap();
        let t: Table<Upper> = Table::at(Some(&cache), "test");
        for n in names.iter().rev() {
            t.put(n, &meta, 7, &Upper(n.to_uppercase()));
        }
        t.save();
        let t: Table<Upper> = Table::at(Some(&cache), "test");
        for n in &names {
            assert_eq!(t.get(n, &meta, 7), Some(Upper(n.to_uppercase())));
        }
        assert_eq!(t.get("p/WP-999.md", &meta, 7), None);
        assert_eq!(t.get(&names[3], &meta, 8), None, "another hash misses");
        // a look-up near the right slot, a wrong one, or one past the end finds the same
        for near in [
            Some(3),
            Some(4),
            Some(0),
            Some(49),
            Some(50),
            Some(usize::MAX),
            None,
        ] {
            let found = t.lookup_near(&names[3], &meta, 7, near);
            assert_eq!(found.next_slot(), Some(4), "{near:?}");
            assert_eq!(
                found.decode(|r| Upper::decode("", r)),
                Some(Upper(names[3].to_uppercase()))
            );
            let other = t.lookup_near(&names[3], &meta, 8, near);
            assert_eq!(other.next_slot(), None, "another hash, {near:?}");
        }
    }

    #[test]
    fn without_a_folder_nothing_is_cached_or_written() {
        let (_d, cache, root) = setup();
        let t: Table<Upper> = Table::at(None, "test");
        let meta = std::fs::metadata(root.join("a.md")).unwrap();
        t.put("a.md", &meta, 1, &Upper("V".into()));
        assert_eq!(t.get("a.md", &meta, 1), None);
        t.save();
        assert!(!cache.exists());
    }
}
