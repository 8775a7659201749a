use super::beneath::Opened;
use crate::paths::{resolve_inside, UnsafePath};
use crate::text::Source;
use std::io::Read;
use std::path::Path;

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug)]
pub enum ReadError {
    Missing(String),
    NotAFile(String),
    Unsafe(UnsafePath),
    TooLarge(String, u64),
    Io(String, std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing(p) => write!(f, "{p} does not exist"),
            ReadError::NotAFile(p) => write!(f, "{p} is not a regular file"),
            ReadError::Unsafe(u) => write!(f, "{} is refused: {}", u.path, u.reason),
            ReadError::TooLarge(p, n) => write!(
                f,
                "{p} is {n} bytes, larger than gov reads ({MAX_FILE_BYTES})"
            ),
            ReadError::Io(p, e) => write!(f, "{p} could not be read: {e}"),
        }
    }
}

/// Reads a repository file (path relative to `root`) as a decoded [`Source`].
pub fn read_source(root: &Path, rel: &str) -> Result<Source, ReadError> {
    read_source_within(root, rel, MAX_FILE_BYTES)
}

/// [`read_source`] for a file of at most `cap` bytes: a larger one is refused
/// (`TooLarge`) before it is read, in the same pass that opens it.
pub fn read_source_within(root: &Path, rel: &str, cap: u64) -> Result<Source, ReadError> {
    let bytes = read_beneath(root, rel, cap.min(MAX_FILE_BYTES))?;
    // the buffer is handed over, not copied: specs run to several MB
    Ok(Source::from_vec(rel, bytes))
}

/// Reads a repository file's raw bytes (hashing needs them undecoded), with the same
/// refusals as [`read_source`].
pub fn read_bytes(root: &Path, rel: &str) -> Result<Vec<u8>, ReadError> {
    read_beneath(root, rel, MAX_FILE_BYTES)
}

/// Reads `rel` through a handle opened beneath `root` (see [`super::beneath`]): what
/// is checked is what is read, even if a folder on the way is swapped for a link in
/// between. Without `openat2`, the path check and an ordinary open.
fn read_beneath(root: &Path, rel: &str, cap: u64) -> Result<Vec<u8>, ReadError> {
    open_within(root, rel, cap)?.read_all()
}

/// A repository file opened for reading: a regular file of at most `cap` bytes when
/// it was opened, not read yet. The spec loader hashes it through a small buffer and
/// reads it whole only when its cached index does not fit.
pub struct OpenedFile {
    file: std::fs::File,
    /// The handle's metadata (its identity for the cache).
    pub meta: std::fs::Metadata,
    rel: String,
    cap: u64,
}

/// Opens `rel` beneath `root` with the refusals of [`read_source`], without reading it.
pub fn open_within(root: &Path, rel: &str, cap: u64) -> Result<OpenedFile, ReadError> {
    let cap = cap.min(MAX_FILE_BYTES);
    // the kernel's walk beneath the root decides; the path-based walk (a system call
    // per component) only where it cannot
    crate::paths::check_relative(rel).map_err(ReadError::Unsafe)?;
    let file = match super::beneath::open_read(root, Path::new(rel)) {
        Ok(Opened::File(file)) => file,
        Ok(Opened::Escapes) => {
            return Err(ReadError::Unsafe(UnsafePath {
                path: rel.to_string(),
                reason: "it leads outside the repository through a symbolic link",
            }))
        }
        Ok(Opened::Missing) | Ok(Opened::Unsupported) => {
            let full = resolve_inside(root, rel).map_err(ReadError::Unsafe)?;
            open_path(&full, rel)?
        }
        Err(e) => return Err(ReadError::Io(rel.to_string(), e)),
    };
    checked(file, rel, cap)
}

/// Checks an open file on its handle: a regular file of at most `cap` bytes.
fn checked(file: std::fs::File, rel: &str, cap: u64) -> Result<OpenedFile, ReadError> {
    let meta = file
        .metadata()
        .map_err(|e| ReadError::Io(rel.to_string(), e))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(rel.to_string()));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(rel.to_string(), meta.len()));
    }
    Ok(OpenedFile {
        file,
        meta,
        rel: rel.to_string(),
        cap,
    })
}

impl OpenedFile {
    pub fn rel(&self) -> &str {
        &self.rel
    }

    /// The whole file (at most the cap, even if it grew since it was opened).
    pub fn read_all(self) -> Result<Vec<u8>, ReadError> {
        let mut bytes = Vec::with_capacity(self.meta.len() as usize);
        // one byte past the cap tells a file that grew since it was measured
        self.file
            .take(self.cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Io(self.rel.clone(), e))?;
        if bytes.len() as u64 > self.cap {
            return Err(ReadError::TooLarge(self.rel, bytes.len() as u64));
        }
        Ok(bytes)
    }

    /// Hands the file to `each` in chunks through one small buffer (at most the cap),
    /// then rewinds it, so that [`OpenedFile::read_all`] can still follow.
    pub fn stream(&mut self, mut each: impl FnMut(&[u8])) -> Result<(), ReadError> {
        use std::io::Seek;
        let io = |e| ReadError::Io(self.rel.clone(), e);
        let mut buf = vec![0u8; STREAM_CHUNK];
        let mut left = self.cap + 1;
        let mut file = (&self.file).take(left);
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io(e)),
            };
            left -= n as u64;
            each(&buf[..n]);
        }
        if left == 0 {
            return Err(ReadError::TooLarge(self.rel.clone(), self.cap + 1));
        }
        (&self.file).rewind().map_err(io)
    }
}

/// The streaming buffer: small enough to stay in cache and touch few fresh pages,
/// large enough that the system calls do not show.
const STREAM_CHUNK: usize = 128 * 1024;

/// Opens the regular file at `full` by path (named `rel` in errors), saying whether a
/// missing file is a dangling link.
fn open_path(full: &Path, rel: &str) -> Result<std::fs::File, ReadError> {
    match std::fs::metadata(full) {
        Ok(m) if !m.is_file() => return Err(ReadError::NotAFile(rel.to_string())),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // a dangling link reports NotFound too; say which it is
            return Err(if std::fs::symlink_metadata(full).is_ok() {
                ReadError::NotAFile(rel.to_string())
            } else {
                ReadError::Missing(rel.to_string())
            });
        }
        Err(e) => return Err(ReadError::Io(rel.to_string(), e)),
    }
    // a FIFO swapped in after the check would block an open for reading; the handle
    // is checked again
    std::fs::File::open(full).map_err(|e| ReadError::Io(rel.to_string(), e))
}

/// Reads the regular file at `full` (named `rel` in errors): not a folder, FIFO or
/// device, and at most [`MAX_FILE_BYTES`] even if it grows while being read.
pub fn read_file(full: &Path, rel: &str) -> Result<Vec<u8>, ReadError> {
    checked(open_path(full, rel)?, rel, MAX_FILE_BYTES)?.read_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_inclusive_and_checked_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "0123456789").unwrap();
        let ok = read_source_within(dir.path(), "a.md", 10).unwrap();
        assert_eq!(ok.text, "0123456789");
        match read_source_within(dir.path(), "a.md", 9) {
            Err(ReadError::TooLarge(p, n)) => assert_eq!((p.as_str(), n), ("a.md", 10)),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn a_streamed_file_comes_whole_and_can_then_be_read() {
        let dir = tempfile::tempdir().unwrap();
        let text: Vec<u8> = (0..STREAM_CHUNK * 2 + 7).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("s.md"), &text).unwrap();
        let mut file = open_within(dir.path(), "s.md", MAX_FILE_BYTES).unwrap();
        let mut seen = Vec::new();
        file.stream(|c| seen.extend_from_slice(c)).unwrap();
        assert_eq!(seen, text);
        assert_eq!(file.read_all().unwrap(), text, "rewound after streaming");
    }

    #[test]
    fn a_file_grown_past_the_cap_after_opening_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.md");
        std::fs::write(&path, "0123456789").unwrap();
        let mut file = open_within(dir.path(), "s.md", 10).unwrap();
        std::fs::write(&path, "0123456789ABC").unwrap(); // same inode, now past the cap
        assert!(matches!(file.stream(|_| {}), Err(ReadError::TooLarge(..))));
        let file = open_within(dir.path(), "s.md", 13).unwrap();
        std::fs::write(&path, "0123456789ABCDEF").unwrap();
        assert!(matches!(file.read_all(), Err(ReadError::TooLarge(..))));
        for (rel, why) in [
            ("missing.md", "missing"),
            (".", "a folder"),
            ("../x.md", "outside"),
        ] {
            assert!(open_within(dir.path(), rel, 10).is_err(), "{why}");
        }
    }
}
