//! The parallel, gitignore-aware walk over the working tree (the `ignore` crate,
//! ripgrep's walker). Files no rule looks at are never opened; every other file is
//! read once into a per-thread buffer and scanned on the thread that read it.

use super::file::{scan_file, FileInput, FileResult, Skipped};
use super::lang::Lang;
use super::matcher::Prefilters;
use super::rules::RuleSet;
use crate::diag::codes::scn;
use crate::diag::Diagnostic;
use crate::io::MAX_FILE_BYTES;
use ignore::overrides::{Override, OverrideBuilder};
use ignore::{WalkBuilder, WalkState};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A file with something to report.
#[derive(Debug)]
pub struct FileReport {
    pub rel: String,
    pub result: FileResult,
}

/// What a scan saw, whatever the source (working tree or index).
#[derive(Debug, Default)]
pub struct Tally {
    pub reports: Vec<FileReport>,
    pub scanned: usize,
    pub binary: usize,
    pub problems: Vec<Diagnostic>,
    /// Every scanned path, when asked for (baseline staleness needs it).
    pub paths: Vec<String>,
}

/// Shared, thread-safe accumulation of a [`Tally`].
#[derive(Debug, Default)]
pub struct Collector {
    reports: Mutex<Vec<FileReport>>,
    problems: Mutex<Vec<Diagnostic>>,
    paths: Option<Mutex<Vec<String>>>,
    scanned: AtomicUsize,
    binary: AtomicUsize,
}

impl Collector {
    pub fn new(keep_paths: bool) -> Collector {
        Collector {
            paths: keep_paths.then(|| Mutex::new(Vec::new())),
            ..Collector::default()
        }
    }

    /// Scans one file's bytes and records the outcome.
    pub fn scan(&self, set: &RuleSet, prefilters: &Prefilters, file: FileInput<'_>, bytes: &[u8]) {
        match scan_file(set, prefilters, file, bytes) {
            Err(Skipped::Binary) => {
                self.binary.fetch_add(1, Ordering::Relaxed);
            }
            Ok(result) => {
                self.scanned.fetch_add(1, Ordering::Relaxed);
                if let Some(p) = &self.paths {
                    lock(p).push(file.rel.to_string());
                }
                if !result.findings.is_empty() || !result.waivers.is_empty() {
                    lock(&self.reports).push(FileReport {
                        rel: file.rel.to_string(),
                        result,
                    });
                }
            }
        }
    }

    pub fn problem(&self, d: Diagnostic) {
        lock(&self.problems).push(d);
    }

    pub fn finish(self) -> Tally {
        Tally {
            reports: take(self.reports),
            problems: take(self.problems),
            paths: self.paths.map(take).unwrap_or_default(),
            scanned: self.scanned.into_inner(),
            binary: self.binary.into_inner(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `scan.exclude` as gitignore-style globs rooted at the repository root.
pub fn excludes(root: &Path, globs: &[String]) -> Result<Override, String> {
    let mut b = OverrideBuilder::new(root);
    for g in globs {
        b.add(&format!("!{g}"))
            .map_err(|e| format!("`{g}` is not a valid glob: {e}"))?;
    }
    b.build().map_err(|e| e.to_string())
}

/// Walks `roots` (relative to `root`; `""` is the root itself) in parallel.
pub fn walk(
    root: &Path,
    roots: &[String],
    exclude: Override,
    set: &RuleSet,
    prefilters: &Prefilters,
    collector: &Collector,
) {
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(root.join(first));
    for r in rest {
        builder.add(root.join(r));
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    builder
        .standard_filters(true)
        .require_git(false)
        .follow_links(false)
        .overrides(exclude)
        .threads(threads);
    builder.build_parallel().run(|| {
        let mut buf = Vec::new();
        Box::new(move |entry| {
            if let Ok(entry) = entry {
                visit(root, &entry, set, prefilters, collector, &mut buf);
            }
            WalkState::Continue
        })
    });
}

fn visit(
    root: &Path,
    entry: &ignore::DirEntry,
    set: &RuleSet,
    prefilters: &Prefilters,
    collector: &Collector,
    buf: &mut Vec<u8>,
) {
    // symbolic links are never followed: a link could lead out of the root
    if !entry.file_type().is_some_and(|t| t.is_file()) {
        return;
    }
    let rel = crate::paths::to_slash(entry.path().strip_prefix(root).unwrap_or(entry.path()));
    let lang = Lang::of_path(&rel);
    let test_path = set.is_test_path(&rel);
    if !set.wants(&rel, lang, test_path) {
        return;
    }
    if let Err(reason) = read_into(entry.path(), buf) {
        collector.problem(
            Diagnostic::new(
                &scn::SCAN_UNREADABLE,
                format!("{rel} was not scanned: {reason}"),
            )
            .in_file(rel.clone()),
        );
        return;
    }
    let file = FileInput {
        rel: &rel,
        lang,
        test_path,
        lines: None,
    };
    collector.scan(set, prefilters, file, buf);
}

/// Reads a whole file into `buf` (reused between files), refusing oversized ones.
pub fn read_into(path: &Path, buf: &mut Vec<u8>) -> Result<(), String> {
    buf.clear();
    let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = f.metadata().map_err(|e| e.to_string())?.len();
    if len > MAX_FILE_BYTES {
        return Err(format!(
            "it is {len} bytes, larger than gov reads ({MAX_FILE_BYTES})"
        ));
    }
    f.read_to_end(buf).map_err(|e| e.to_string())?;
    if buf.capacity() > 4 * (1 << 20) && buf.len() < (1 << 20) {
        // one huge file must not pin its buffer for the rest of the walk
        buf.shrink_to(1 << 20);
    }
    Ok(())
}

fn take<T>(m: Mutex<Vec<T>>) -> Vec<T> {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}
