//! Characters a reader never sees: zero-width characters, bidi controls, the soft
//! hyphen and a byte-order mark inside the text. They are not content: the reader
//! blanks them (byte for byte, so offsets stay the source's) before any value is
//! read, and an id, status or verdict cannot hide behind them.

use std::ops::Range;

/// Byte ranges of invisible characters in `text`, in order.
pub fn ranges(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    if text.is_ascii() {
        return out;
    }
    for i in memchr::memchr3_iter(0xC2, 0xE2, 0xEF, bytes) {
        let len = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (0xC2, Some(0xAD), _) => 2, // U+00AD soft hyphen
            // U+200B..U+200F zero-width and marks, U+202A..U+202E embeddings/overrides
            (0xE2, Some(0x80), Some(&b)) if (0x8B..=0x8F).contains(&b) => 3,
            (0xE2, Some(0x80), Some(&b)) if (0xAA..=0xAE).contains(&b) => 3,
            // U+2060..U+2064 word joiner and invisible operators, U+2066..U+2069 isolates
            (0xE2, Some(0x81), Some(&b)) if (0xA0..=0xA4).contains(&b) => 3,
            (0xE2, Some(0x81), Some(&b)) if (0xA6..=0xA9).contains(&b) => 3,
            (0xEF, Some(0xBB), Some(0xBF)) => 3, // U+FEFF
            _ => continue,
        };
        out.push(i..i + len);
    }
    out
}

/// `text` with every byte of `masks` (sorted, whole characters) replaced by a space;
/// line terminators inside a mask are kept so lines stay where they are.
pub fn blank_out(text: &str, masks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in masks {
        if m.start < at {
            // overlapping masks (a zero-width character inside a comment)
            if m.end <= at {
                continue;
            }
        }
        let start = m.start.max(at);
        out.push_str(&text[at..start]);
        for &b in &text.as_bytes()[start..m.end] {
            out.push(if b == b'\n' || b == b'\r' {
                b as char
            } else {
                ' '
            });
        }
        at = m.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_zero_width_and_bidi() {
        let t = "PA\u{200B}SS \u{202E}x\u{2066}y\u{00AD}z\u{FEFF} é — 🔴";
        let r = ranges(t);
        assert_eq!(r.len(), 5);
        let b = blank_out(t, &r);
        assert_eq!(b.len(), t.len());
        assert!(b.starts_with("PA   SS    x   y  z   "));
        assert!(b.ends_with(" é — 🔴"));
    }

    #[test]
    fn masks_keep_line_breaks() {
        let comment = 1..11;
        assert_eq!(
            blank_out("a<!--\r\nb-->c", std::slice::from_ref(&comment)),
            "a    \r\n    c"
        );
    }
}
