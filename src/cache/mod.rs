//! A persistent cache of parsed facts, so a warm run skips the Markdown parse.
//!
//! - Where: `<git dir>/gov/cache/` when the governance root is inside a git work tree
//!   (never in the governance tree itself), else `$XDG_CACHE_HOME/gov/<root hash>/`
//!   (or `~/.cache/gov/...`); without either, nothing is cached.
//! - What: one [`Table`] file per kind of fact (`packets`, `spec`, `board`), holding per file
//!   its identity (device, inode, size, mtime and ctime in ns), a hash of its
//!   content, and the parsed value in a binary [`Record`] form, looked up in place.
//!   An entry is used only when the identity and the hash of the bytes just read both
//!   match: editing, touching, replacing or renaming a file is a miss and the file is
//!   parsed again.
//! - Safety: the file starts with the schema (gov version + schema number) and a
//!   checksum of its body; another version, a bad checksum or a record that does not
//!   decode is a cold run, never a wrong answer. Writes go to a temporary file renamed
//!   over the old one, so concurrent gov processes each see a whole file (the last
//!   writer wins). A table keeps only the files seen in the last run and is not
//!   written past a size bound.
//! - `--no-cache` or `GOV_NO_CACHE` (any value but `0` or empty) turns it off. A
//!   failed write is silent, but counted in the JSON report's `cache` member.
//!
//! The switch and the counters are process-wide (like `NO_COLOR`): the loaders that
//! use the cache are far from the command line, and one gov process runs one command.
//! The cache is off until [`configure`] turns it on: the binary does (`app::run`);
//! library callers and in-process tests that skip it never touch a cache file.

mod codec;
mod framing;
mod identity;
mod table;

pub use codec::{Reader, Record, Writer};
pub use identity::{hash_bytes as content_hash, ContentHasher, Identity};
pub use table::{Lookup, Table};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static DISABLED: AtomicBool = AtomicBool::new(true);
static USED: AtomicBool = AtomicBool::new(false);
static HITS: AtomicUsize = AtomicUsize::new(0);
static MISSES: AtomicUsize = AtomicUsize::new(0);
static WRITES: AtomicUsize = AtomicUsize::new(0);
static WRITE_FAILURES: AtomicUsize = AtomicUsize::new(0);
static REJECTED: AtomicUsize = AtomicUsize::new(0);

/// Sets the switch for this run (from `--no-cache` and `GOV_NO_CACHE`) and clears
/// the counters.
pub fn configure(no_cache_flag: bool) {
    let env = std::env::var("GOV_NO_CACHE").is_ok_and(|v| !v.is_empty() && v != "0");
    DISABLED.store(no_cache_flag || env, Ordering::Relaxed);
    for c in [&HITS, &MISSES, &WRITES, &WRITE_FAILURES, &REJECTED] {
        c.store(0, Ordering::Relaxed);
    }
    USED.store(false, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    !DISABLED.load(Ordering::Relaxed)
}

/// What the cache did in this run, for the JSON report; `None` when it was not used.
pub fn stats() -> Option<crate::diag::document::CacheStats> {
    if !USED.load(Ordering::Relaxed) {
        return None;
    }
    let n = |c: &AtomicUsize| c.load(Ordering::Relaxed);
    Some(crate::diag::document::CacheStats {
        hits: n(&HITS),
        misses: n(&MISSES),
        writes: n(&WRITES),
        write_failures: n(&WRITE_FAILURES),
        rejected_files: n(&REJECTED),
    })
}

pub(crate) fn count_hit() {
    HITS.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn count_miss() {
    MISSES.fetch_add(1, Ordering::Relaxed);
}
/// A hit (`true`) or a miss of a look-up.
pub(crate) fn count(hit: bool) {
    if hit {
        count_hit();
    } else {
        count_miss();
    }
}
pub(crate) fn count_write(ok: bool) {
    let c = if ok { &WRITES } else { &WRITE_FAILURES };
    c.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn count_rejected() {
    REJECTED.fetch_add(1, Ordering::Relaxed);
}
pub(crate) fn mark_used() {
    USED.store(true, Ordering::Relaxed);
}

/// The cache folder for a governance root, when there is one.
pub fn dir_for(root: &Path) -> Option<PathBuf> {
    if let Some(git) = git_dir(root) {
        return Some(git.join("gov").join("cache"));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let canon = root.canonicalize().ok()?;
    let key = identity::hash_bytes(canon.as_os_str().as_encoded_bytes());
    Some(base.join("gov").join(format!("{key:016x}")))
}

/// The git dir of the work tree holding `root`: `.git` as a folder, or the folder a
/// `.git` file (`gitdir: ...`, worktrees and submodules) names.
fn git_dir(root: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    for dir in root.ancestors() {
        let dot = dir.join(".git");
        let Ok(meta) = std::fs::symlink_metadata(&dot) else {
            continue;
        };
        if meta.is_dir() {
            return Some(dot);
        }
        if meta.is_file() {
            let text = std::fs::read_to_string(&dot).ok()?;
            let target = text.strip_prefix("gitdir:")?.trim();
            return Some(dir.join(target)).filter(|p| p.is_dir());
        }
        return None;
    }
    None
}
