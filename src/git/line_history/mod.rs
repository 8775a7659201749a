//! The commit that introduced chosen lines of one file, without a whole-file blame.
//!
//! libgit2's blame answers for every line and, at every commit that changes the file,
//! diffs the two whole trees with rename detection (most of its time). The SLA check
//! only asks about a few board lines, so this walk follows just those lines back
//! through the history:
//! - a commit whose parent holds the same blob passes every line to that parent
//!   (no blob is read: the commits that do not touch the file cost a tree lookup);
//! - otherwise the two versions are diffed line-wise (libgit2's xdiff, as blame does,
//!   with blame's own trimming of the common tail) and unchanged lines move to the
//!   parent, parent by parent in order; what no parent explains was introduced there;
//! - a rename is looked for (whole-tree diff, libgit2's rename detection) only when
//!   the path is missing from a parent;
//! - with a horizon, the walk stops at the first commit older than it: the lines still
//!   open are known to be at least that old, and are marked inexact.
//!
//! Without a horizon the answers are libgit2's blame's (`blame_file` then
//! `blame_buffer` for the working copy), which a property test checks on generated
//! histories. Two libgit2 quirks are not copied: blame keeps every name the file ever
//! had in its path list, and its buffer step can misplace lines around deletions.

use git2::{Commit, DiffFindOptions, DiffOptions, Oid, Patch, Repository, Time};
use std::collections::{BinaryHeap, HashMap};
use std::path::Path;
use std::rc::Rc;

/// Where a line of the working copy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Introduced {
    /// Changed in the working copy, not committed yet.
    Uncommitted,
    /// Introduced by `commit` (authored at `author`). `exact` is false when the walk
    /// stopped at the horizon first: the line is at least as old as `commit`.
    Commit {
        commit: Oid,
        author: Time,
        exact: bool,
    },
}

/// Why the history could not be read.
#[derive(Debug)]
pub enum Error {
    /// HEAD does not hold the file (never committed, or an unborn branch).
    NotCommitted,
    Git(git2::Error),
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(e)
    }
}

/// For each 0-based line in `wanted` of `text` (the working copy of `path`, relative to
/// the work tree, `/`-separated), where it was introduced. Lines past the end of
/// `text` are `None`. `horizon` is a local-time timestamp (seconds, the commit's own
/// offset applied): commits whose committer time is older end the walk.
pub fn introductions(
    repo: &Repository,
    path: &str,
    text: &[u8],
    wanted: &[usize],
    horizon: Option<i64>,
) -> Result<Vec<Option<Introduced>>, Error> {
    let head = repo.head().and_then(|h| h.peel_to_commit());
    let head = head.map_err(|_| Error::NotCommitted)?;
    let blob = blob_at(&head, path)?.ok_or(Error::NotCommitted)?;
    let content: Rc<[u8]> = Rc::from(repo.find_blob(blob)?.content());
    let mut out = vec![None; wanted.len()];
    let text_lines = line_count(text);
    // the working copy against HEAD: changed lines are today's, the rest are followed
    let map = if content.as_ref() == text {
        None
    } else {
        Some(unchanged(&content, text, false)?)
    };
    let mut lines = Vec::new();
    for (slot, &line) in wanted.iter().enumerate() {
        if line >= text_lines {
            continue;
        }
        match map.as_ref().map_or(Some(line), |m| m.old_line(line)) {
            Some(old) => lines.push(Line { at: old, slot }),
            None => out[slot] = Some(Introduced::Uncommitted),
        }
    }
    let mut walk = Walk {
        repo,
        horizon,
        queue: BinaryHeap::new(),
        pending: HashMap::new(),
        blobs: HashMap::from([(blob, content)]),
        out,
    };
    walk.push(&head, path.to_string(), blob, lines);
    walk.run()?;
    Ok(walk.out)
}

/// One followed line: its 0-based number in the suspect's version, and its answer slot.
#[derive(Debug, Clone, Copy)]
struct Line {
    at: usize,
    slot: usize,
}

/// Lines whose origin is, so far, the version of `path` in a commit.
struct Suspect {
    path: String,
    blob: Oid,
    lines: Vec<Line>,
}

struct Walk<'r> {
    repo: &'r Repository,
    horizon: Option<i64>,
    /// Commits with suspects, newest committer time first (as git's blame orders them).
    queue: BinaryHeap<(i64, Oid)>,
    pending: HashMap<Oid, Vec<Suspect>>,
    /// Contents of the blobs pending suspects hold (read once, dropped when done).
    blobs: HashMap<Oid, Rc<[u8]>>,
    out: Vec<Option<Introduced>>,
}

impl Walk<'_> {
    fn push(&mut self, commit: &Commit, path: String, blob: Oid, lines: Vec<Line>) {
        if lines.is_empty() {
            return;
        }
        let suspects = self.pending.entry(commit.id()).or_default();
        if suspects.is_empty() {
            self.queue.push((commit.time().seconds(), commit.id()));
        }
        match suspects.iter_mut().find(|s| s.path == path) {
            Some(s) => s.lines.extend(lines),
            None => suspects.push(Suspect { path, blob, lines }),
        }
    }

    fn run(&mut self) -> Result<(), Error> {
        while let Some((_, id)) = self.queue.pop() {
            let Some(suspects) = self.pending.remove(&id) else {
                continue;
            };
            let commit = self.repo.find_commit(id)?;
            let beyond = self
                .horizon
                .is_some_and(|h| local_seconds(commit.committer().when()) < h);
            if beyond && commit.parent_count() > 0 {
                self.stop(commit, suspects)?;
                return Ok(());
            }
            for s in suspects {
                self.pass(&commit, s)?;
            }
        }
        Ok(())
    }

    /// The horizon is reached: every open line is at least as old as its suspect.
    fn stop(&mut self, first: Commit, suspects: Vec<Suspect>) -> Result<(), Error> {
        self.blame(
            &first,
            &suspects
                .into_iter()
                .flat_map(|s| s.lines)
                .collect::<Vec<_>>(),
            false,
        );
        for (id, suspects) in std::mem::take(&mut self.pending) {
            let commit = self.repo.find_commit(id)?;
            let lines: Vec<Line> = suspects.into_iter().flat_map(|s| s.lines).collect();
            self.blame(&commit, &lines, false);
        }
        Ok(())
    }

    fn blame(&mut self, commit: &Commit, lines: &[Line], exact: bool) {
        let found = Introduced::Commit {
            commit: commit.id(),
            author: commit.author().when(),
            exact,
        };
        for l in lines {
            self.out[l.slot] = Some(found);
        }
    }

    /// Passes a suspect's lines to the parents that hold them; the rest are its own.
    fn pass(&mut self, commit: &Commit, s: Suspect) -> Result<(), Error> {
        let parents: Vec<Commit> = commit.parents().collect();
        let mut origins: Vec<Option<(String, Oid)>> = Vec::with_capacity(parents.len());
        for parent in &parents {
            let origin = self.origin(commit, parent, &s.path)?;
            if let Some((path, blob)) = &origin {
                if *blob == s.blob {
                    // the same version: everything was already there (TREESAME)
                    let (path, blob) = (path.clone(), *blob);
                    self.push(parent, path, blob, s.lines);
                    return Ok(());
                }
            }
            // a parent with the same version as an earlier one would get nothing
            let seen = origin
                .as_ref()
                .is_some_and(|(_, b)| origins.iter().flatten().any(|(_, o)| o == b));
            origins.push(if seen { None } else { origin });
        }
        let target = self.content(s.blob)?;
        let mut open = s.lines;
        let mut read = vec![s.blob];
        for (parent, origin) in parents.iter().zip(origins) {
            let Some((path, blob)) = origin else { continue };
            read.push(blob);
            if open.is_empty() {
                break;
            }
            let before = self.content(blob)?;
            let map = unchanged(&before, &target, true)?;
            let (kept, passed): (Vec<Line>, Vec<Line>) =
                open.iter().partition(|l| map.old_line(l.at).is_none());
            let passed = passed
                .into_iter()
                .filter_map(|l| map.old_line(l.at).map(|at| Line { at, slot: l.slot }))
                .collect();
            self.push(parent, path, blob, passed);
            open = kept;
        }
        self.blame(commit, &open, true);
        for blob in read {
            self.release(blob);
        }
        Ok(())
    }

    /// The path and blob in `parent` that the suspect's version continues: the same
    /// path when the parent has it, else the file it was renamed from (libgit2's rename
    /// detection over the whole-tree diff, paid only when the path is missing).
    fn origin(
        &self,
        commit: &Commit,
        parent: &Commit,
        path: &str,
    ) -> Result<Option<(String, Oid)>, Error> {
        if let Some(blob) = blob_at(parent, path)? {
            return Ok(Some((path.to_string(), blob)));
        }
        let mut opts = DiffOptions::new();
        opts.context_lines(0).skip_binary_check(true);
        let mut diff = self.repo.diff_tree_to_tree(
            Some(&parent.tree()?),
            Some(&commit.tree()?),
            Some(&mut opts),
        )?;
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
        let renamed = diff
            .deltas()
            .filter(|d| d.new_file().path() == Some(Path::new(path)))
            .filter_map(|d| {
                d.old_file()
                    .path()
                    .and_then(Path::to_str)
                    .map(str::to_string)
            })
            .next_back();
        match renamed {
            Some(old) => Ok(blob_at(parent, &old)?.map(|blob| (old, blob))),
            None => Ok(None),
        }
    }

    fn content(&mut self, blob: Oid) -> Result<Rc<[u8]>, Error> {
        if let Some(c) = self.blobs.get(&blob) {
            return Ok(c.clone());
        }
        let c: Rc<[u8]> = Rc::from(self.repo.find_blob(blob)?.content());
        self.blobs.insert(blob, c.clone());
        Ok(c)
    }

    /// Forgets a blob's content unless a pending suspect holds it.
    fn release(&mut self, blob: Oid) {
        let held = self.pending.values().flatten().any(|s| s.blob == blob);
        if !held {
            self.blobs.remove(&blob);
        }
    }
}

/// The blob at `path` in a commit's tree, if it is a file there.
fn blob_at(commit: &Commit, path: &str) -> Result<Option<Oid>, git2::Error> {
    let tree = commit.tree()?;
    match tree.get_path(Path::new(path)) {
        Ok(e) if e.kind() == Some(git2::ObjectType::Blob) => Ok(Some(e.id())),
        Ok(_) => Ok(None),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A time as seconds in its own time zone (how blame dates are read).
pub fn local_seconds(t: Time) -> i64 {
    t.seconds() + i64::from(t.offset_minutes()) * 60
}

/// Lines as xdiff counts them: every `\n`, plus a last line without one.
fn line_count(text: &[u8]) -> usize {
    let newlines = memchr::memchr_iter(b'\n', text).count();
    newlines + usize::from(!text.is_empty() && !text.ends_with(b"\n"))
}

/// The changed regions between two versions, as 0-based (old start, old count, new
/// start, new count), in order.
struct LineMap {
    hunks: Vec<xdiff::Hunk>,
    new_lines: usize,
}

impl LineMap {
    /// The old line an unchanged new line was, or `None` when the line changed.
    fn old_line(&self, new: usize) -> Option<usize> {
        if new >= self.new_lines {
            return None;
        }
        // hunks are few: the last one starting at or before `new` decides
        let i = self.hunks.partition_point(|h| h.2 <= new);
        match i.checked_sub(1).map(|i| self.hunks[i]) {
            None => Some(new),
            Some((_, _, n, nc)) if new < n + nc => None,
            Some((o, oc, n, nc)) => Some(new - (n + nc) + o + oc),
        }
    }
}

/// The line map from `old` to `new` through xdiff's diff (Myers, no context), as
/// blame runs it. `trim` applies blame's trimming of a long common tail first, which
/// can move where xdiff places an ambiguous change, so the answers stay blame's.
fn unchanged(old: &[u8], new: &[u8], trim: bool) -> Result<LineMap, git2::Error> {
    let (a, b) = if trim {
        trim_common_tail(old, new)
    } else {
        (old, new)
    };
    Ok(LineMap {
        hunks: changed_regions(a, b)?,
        new_lines: line_count(new),
    })
}

/// The changed regions from `a` to `b` as libgit2's diff without context finds them,
/// 0-based (old start, old count, new start, new count), in order: the port first,
/// libgit2 itself only if the port's own checks fail. Nothing is hashed.
pub(crate) fn changed_regions(
    a: &[u8],
    b: &[u8],
) -> Result<Vec<(usize, usize, usize, usize)>, git2::Error> {
    match xdiff::hunks(a, b) {
        Some(h) => Ok(h),
        None => libgit2_hunks(a, b),
    }
}

/// The same changed regions through libgit2 (`Patch::from_buffers`, which also
/// SHA-1-hashes both buffers to name them: the reason for the port).
pub(crate) fn libgit2_hunks(a: &[u8], b: &[u8]) -> Result<Vec<xdiff::Hunk>, git2::Error> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0).interhunk_lines(0).force_text(true);
    let patch = Patch::from_buffers(a, None, b, None, Some(&mut opts))?;
    let mut hunks = Vec::with_capacity(patch.num_hunks());
    for i in 0..patch.num_hunks() {
        let (h, _) = patch.hunk(i)?;
        let zero_based = |start: u32, count: u32| {
            // an empty side names the line before it (the unified-diff convention)
            if count == 0 {
                start as usize
            } else {
                start as usize - 1
            }
        };
        hunks.push((
            zero_based(h.old_start(), h.old_lines()),
            h.old_lines() as usize,
            zero_based(h.new_start(), h.new_lines()),
            h.new_lines() as usize,
        ));
    }
    Ok(hunks)
}

/// libgit2 blame's `trim_common_tail`: drops a common tail in whole 1 KiB blocks, then
/// gives back up to the first newline of it.
fn trim_common_tail<'a>(a: &'a [u8], b: &'a [u8]) -> (&'a [u8], &'a [u8]) {
    const BLK: usize = 1024;
    let smaller = a.len().min(b.len());
    let mut trimmed = 0;
    while BLK + trimmed <= smaller
        && a[a.len() - trimmed - BLK..a.len() - trimmed]
            == b[b.len() - trimmed - BLK..b.len() - trimmed]
    {
        trimmed += BLK;
    }
    let tail = &a[a.len() - trimmed..];
    let mut recovered = 0;
    while recovered < trimmed {
        recovered += 1;
        if tail[recovered - 1] == b'\n' {
            break;
        }
    }
    let cut = trimmed - recovered;
    (&a[..a.len() - cut], &b[..b.len() - cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_map_follows_insertions_and_deletions() {
        let m = unchanged(b"a\nb\nc\nd\n", b"a\nx\nc\nd\ny\n", false).unwrap();
        assert_eq!(m.old_line(0), Some(0));
        assert_eq!(m.old_line(1), None, "b became x");
        assert_eq!(m.old_line(2), Some(2));
        assert_eq!(m.old_line(3), Some(3));
        assert_eq!(m.old_line(4), None, "y is new");
        assert_eq!(m.old_line(5), None, "past the end");
        let m = unchanged(b"a\nb\nc\n", b"c\n", false).unwrap();
        assert_eq!(m.old_line(0), Some(2));
        let m = unchanged(b"a\n", b"n\na\n", false).unwrap();
        assert_eq!((m.old_line(0), m.old_line(1)), (None, Some(0)));
    }

    #[test]
    fn common_tail_is_trimmed_in_blocks_like_blame() {
        let tail = "x\n".repeat(1024);
        let (a, b) = (format!("a\n{tail}"), format!("b\nc\n{tail}"));
        let (ta, tb) = trim_common_tail(a.as_bytes(), b.as_bytes());
        // two blocks (2048 bytes) trimmed, then their first line given back
        assert_eq!(a.len() - ta.len(), 2046);
        assert_eq!(b.len() - tb.len(), 2046);
        let short = trim_common_tail(b"a\n", b"b\n");
        assert_eq!(short, (&b"a\n"[..], &b"b\n"[..]));
    }

    #[test]
    fn counts_lines_like_xdiff() {
        assert_eq!(line_count(b""), 0);
        assert_eq!(line_count(b"a"), 1);
        assert_eq!(line_count(b"a\n"), 1);
        assert_eq!(line_count(b"a\nb"), 2);
    }
}

#[cfg(test)]
mod properties;
mod xdiff;
