//! A small binary encoding for cached values: little-endian fixed-width numbers and
//! length-prefixed UTF-8 strings. Decoding checks every length, tag and string; a
//! value that does not decode is a miss (parsed again), never a panic.

/// A value a [`Table`](super::Table) can hold.
pub trait Record: Sized {
    fn encode(&self, out: &mut Writer);
    /// The value stored under `key` (the repository path it was parsed from), or
    /// `None` when the bytes do not describe one.
    fn decode(key: &str, r: &mut Reader<'_>) -> Option<Self>;
}

/// Builds a value's bytes. A number past 32 bits is refused: the writer remembers it
/// and the entry is not cached.
#[derive(Debug, Default)]
pub struct Writer {
    pub(super) bytes: Vec<u8>,
    pub(super) refused: bool,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn u32(&mut self, v: usize) {
        let v = u32::try_from(v).unwrap_or_else(|_| {
            self.refused = true;
            0
        });
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn str(&mut self, s: &str) {
        self.u32(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// The bytes written (tests and callers that store a record themselves).
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// `0` for none, else `1` and the string.
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }
}

/// Reads a value's bytes; every method returns `None` past the end or on a bad
/// string, so a damaged value stops decoding.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    pub fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub fn u32(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        usize::try_from(u32::from_le_bytes(b.try_into().ok()?)).ok()
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    pub fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    pub fn opt_string(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }

    /// A count of items that each take at least `min_bytes`: a forged count cannot
    /// make the caller reserve more than the bytes left could hold.
    pub fn count(&mut self, min_bytes: usize) -> Option<usize> {
        let n = self.u32()?;
        (n.saturating_mul(min_bytes.max(1)) <= self.bytes.len()).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_round_trip() {
        let mut w = Writer::default();
        w.u8(7);
        w.u32(123_456);
        w.str("héllo");
        w.opt_str(None);
        w.opt_str(Some("x"));
        assert!(!w.refused);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.u8(), Some(7));
        assert_eq!(r.u32(), Some(123_456));
        assert_eq!(r.str(), Some("héllo"));
        assert_eq!(r.opt_string(), Some(None));
        assert_eq!(r.opt_string(), Some(Some("x".into())));
        assert!(r.is_empty());
        assert_eq!(r.u8(), None, "past the end");
    }

    #[test]
    fn damaged_bytes_are_refused_not_trusted() {
        // a length past the end
        let mut w = Writer::default();
        w.u32(100);
        w.bytes.extend_from_slice(b"abc");
        assert_eq!(Reader::new(&w.bytes).str(), None);
        // a string that is not UTF-8
        let mut w = Writer::default();
        w.u32(2);
        w.bytes.extend_from_slice(&[0xff, 0xfe]);
        assert_eq!(Reader::new(&w.bytes).str(), None);
        // an option tag that is neither 0 nor 1
        assert_eq!(Reader::new(&[2]).opt_string(), None);
        // a count the remaining bytes cannot hold
        let mut w = Writer::default();
        w.u32(1_000_000);
        w.bytes.extend_from_slice(&[0; 16]);
        assert_eq!(Reader::new(&w.bytes).count(8), None);
        let mut w = Writer::default();
        w.u32(usize::MAX);
        assert!(w.refused, "a number past 32 bits is refused");
    }
}
