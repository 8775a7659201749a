//! The manifest's SHA1: of the file content with CRLF line endings normalised to LF,
//! so that a checkout on Windows and one on Linux agree (this is not git's object id).

use sha1::{Digest, Sha1};

/// SHA1 of empty content: what a side where the file does not exist hashes to.
pub const EMPTY_SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

/// Lower-case hex SHA1 of `bytes` with every `\r\n` read as `\n`.
pub fn lf_sha1(bytes: &[u8]) -> String {
    let mut hasher = Sha1::new();
    let mut start = 0;
    for (i, pair) in bytes.windows(2).enumerate() {
        if pair == b"\r\n" {
            hasher.update(&bytes[start..i]);
            start = i + 1;
        }
    }
    hasher.update(&bytes[start..]);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
