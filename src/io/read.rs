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
    let full = resolve_inside(root, rel).map_err(ReadError::Unsafe)?;
    let escapes = || {
        ReadError::Unsafe(UnsafePath {
            path: rel.to_string(),
            reason: "it leads outside the repository through a symbolic link",
        })
    };
    match super::beneath::open_read(root, Path::new(rel)) {
        Ok(Opened::File(file)) => read_handle(file, rel, cap),
        Ok(Opened::Escapes) => Err(escapes()),
        Ok(Opened::Missing) | Ok(Opened::Unsupported) => read_file_within(&full, rel, cap),
        Err(e) => Err(ReadError::Io(rel.to_string(), e)),
    }
}

/// Reads an open file: a regular file only (checked on the handle), at most `cap` bytes.
fn read_handle(file: std::fs::File, rel: &str, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file
        .metadata()
        .map_err(|e| ReadError::Io(rel.to_string(), e))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(rel.to_string()));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(rel.to_string(), meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(rel.to_string(), e))?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(rel.to_string(), bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads the regular file at `full` (named `rel` in errors): not a folder, FIFO or
/// device, and at most [`MAX_FILE_BYTES`] even if it grows while being read.
pub fn read_file(full: &Path, rel: &str) -> Result<Vec<u8>, ReadError> {
    read_file_within(full, rel, MAX_FILE_BYTES)
}

/// [`read_file`] with a smaller cap.
fn read_file_within(full: &Path, rel: &str, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = match std::fs::metadata(full) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // a dangling link reports NotFound too; say which it is
            return Err(if std::fs::symlink_metadata(full).is_ok() {
                ReadError::NotAFile(rel.to_string())
            } else {
                ReadError::Missing(rel.to_string())
            });
        }
        Err(e) => return Err(ReadError::Io(rel.to_string(), e)),
    };
    if !meta.is_file() {
        return Err(ReadError::NotAFile(rel.to_string()));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(rel.to_string(), meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // one byte past the cap tells a file that grew since it was measured
    std::fs::File::open(full)
        .and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
        .map_err(|e| ReadError::Io(rel.to_string(), e))?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(rel.to_string(), bytes.len() as u64));
    }
    Ok(bytes)
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
}
