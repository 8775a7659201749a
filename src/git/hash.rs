//! The manifest's SHA1: of the file content with CRLF line endings normalised to LF,
//! so that a checkout on Windows and one on Linux agree (this is not git's object id).

use sha1::{Digest, Sha1};
use std::borrow::Cow;
use std::fmt::Write as _;

/// SHA1 of empty content: what a side where the file does not exist hashes to.
pub const EMPTY_SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

/// Lower-case hex SHA1 of `bytes` with every `\r\n` read as `\n`.
pub fn lf_sha1(bytes: &[u8]) -> String {
    sha1_hex(&to_lf(bytes))
}

/// Lower-case hex SHA1 of `bytes` as they are (already LF-normalised by the caller).
pub(crate) fn sha1_hex(bytes: &[u8]) -> String {
    let digest = Sha1::digest(bytes);
    let mut out = String::with_capacity(40);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `bytes` with every `\r\n` read as `\n` (a `\r` elsewhere stays): borrowed when
/// there is none, the common case.
pub(crate) fn to_lf(bytes: &[u8]) -> Cow<'_, [u8]> {
    let mut pairs = memchr::memmem::find_iter(bytes, b"\r\n").peekable();
    if pairs.peek().is_none() {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut start = 0;
    for at in pairs {
        out.extend_from_slice(&bytes[start..at]);
        start = at + 1; // keep the `\n`
    }
    out.extend_from_slice(&bytes[start..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lf_hash_alike() {
        assert_eq!(lf_sha1(b"a\r\nb\r\n"), lf_sha1(b"a\nb\n"));
        assert_ne!(lf_sha1(b"a\rb"), lf_sha1(b"a\nb"));
        assert_eq!(lf_sha1(b""), EMPTY_SHA1);
        // sha1("abc"), FIPS 180-1 test vector
        assert_eq!(lf_sha1(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }
}
