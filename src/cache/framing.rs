//! A cache file's framing: a schema line, a checksum of the body, the body; written
//! to a temporary file renamed over the old one.

use super::identity::hash_bytes;
use std::io::Write;
use std::path::Path;

/// A file is not written when its body would exceed this (about 20 times what
/// 10,000 packets take): the cache stays small whatever the repository holds.
const MAX_BYTES: usize = 64 * 1024 * 1024;

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

/// A temporary file in the cache folder, renamed over the old file: readers see the old
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

    #[test]
    fn a_body_comes_back_only_under_its_schema_and_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/x.cache");
        write_body(&file, "gov 1 cache 3 x", b"body\nwith lines").unwrap();
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(
            checked_body(&bytes, "gov 1 cache 3 x"),
            Some(&b"body\nwith lines"[..])
        );
        assert_eq!(
            checked_body(&bytes, "gov 2 cache 3 x"),
            None,
            "another schema"
        );
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(
            checked_body(&flipped, "gov 1 cache 3 x"),
            None,
            "a flipped byte"
        );
        assert_eq!(checked_body(b"", "gov 1 cache 3 x"), None);
        let too_big = vec![0u8; MAX_BYTES + 1];
        assert!(write_body(&dir.path().join("big.cache"), "s", &too_big).is_none());
        assert!(!dir.path().join("big.cache").exists());
    }
}
