//! Where each value of a JSON document sits, by JSON Pointer (RFC 6901).
//!
//! serde_json checks and decodes the document but keeps no positions; this pass walks
//! the same (already valid) text once more and records the byte offset at which each
//! value starts, down to a fixed depth, so that a finding in a `packet.json` can name
//! `/lifecycle/status` and its line and column.

use std::collections::HashMap;

/// Values deeper than this are not recorded (packet fields sit at depth 3 at most).
const MAX_DEPTH: usize = 4;
/// Nesting is not followed deeper than serde_json's own limit, so the recursion is
/// bounded whatever the input.
const MAX_NESTING: usize = 128;

#[derive(Debug, Default, Clone)]
pub struct JsonLocations {
    offsets: HashMap<String, usize>,
}

impl JsonLocations {
    /// Locates the values of `text`, which serde_json has already accepted. On text it
    /// did not accept the result is partial, never a panic.
    pub fn of(text: &str) -> JsonLocations {
        let mut w = Walker {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            out: HashMap::new(),
        };
        let mut pointer = String::new();
        w.value(&mut pointer, 0);
        JsonLocations { offsets: w.out }
    }

    /// Byte offset of the value at `pointer` (`""` is the whole document).
    pub fn offset(&self, pointer: &str) -> Option<usize> {
        self.offsets.get(pointer).copied()
    }
}

/// `a/b~c` → `a~1b~0c`, one reference token of a pointer.
pub fn escape_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

struct Walker<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    out: HashMap<String, usize>,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, pointer: &mut String, depth: usize) {
        self.skip_ws();
        if depth > MAX_NESTING {
            return;
        }
        if depth <= MAX_DEPTH {
            self.out.insert(pointer.clone(), self.pos);
        }
        match self.peek() {
            Some(b'{') => self.object(pointer, depth),
            Some(b'[') => self.array(pointer, depth),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
            }
            None => {}
        }
    }

    fn object(&mut self, pointer: &mut String, depth: usize) {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                Some(b'"') => {}
                _ => return,
            }
            let key = self.string();
            self.skip_ws();
            if self.peek() != Some(b':') {
                return;
            }
            self.pos += 1;
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&escape_token(&key));
            self.value(pointer, depth + 1);
            pointer.truncate(len);
        }
    }

    fn array(&mut self, pointer: &mut String, depth: usize) {
        self.pos += 1;
        let mut index = 0usize;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                None => return,
                _ => {}
            }
            let before = self.pos;
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&index.to_string());
            self.value(pointer, depth + 1);
            pointer.truncate(len);
            index += 1;
            if self.pos == before {
                return; // no progress: not JSON this walker understands
            }
        }
    }

    /// Skips a string starting at `"` and returns it decoded.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => break,
                _ => {}
            }
        }
        let end = self.pos.min(self.bytes.len());
        self.text
            .get(start..end)
            .and_then(|raw| serde_json::from_str::<String>(raw).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_to_offsets() {
        let text = "{\n  \"a\": {\"b/c\": [1, \"x\\\"y\", {\"d\": null}]},\n  \"e~\": true\n}";
        let l = JsonLocations::of(text);
        assert_eq!(l.offset(""), Some(0));
        assert_eq!(&text[l.offset("/a").unwrap()..][..1], "{");
        assert_eq!(&text[l.offset("/a/b~1c/1").unwrap()..][..2], "\"x");
        assert_eq!(&text[l.offset("/a/b~1c/2/d").unwrap()..][..4], "null");
        assert_eq!(&text[l.offset("/e~0").unwrap()..][..4], "true");
    }

    #[test]
    fn truncated_or_hostile_text_never_panics() {
        for t in [
            "", "{", "[", "{\"a\"", "{\"a\":", "[1,", "\"abc", "{\"a\\", "]]]", "{{{{",
        ] {
            let _ = JsonLocations::of(t);
        }
        let deep = "[".repeat(10_000);
        let _ = JsonLocations::of(&deep);
    }
}
