//! Check 7: a packet carrying PACKET_FORMAT_VERSION is ASCII-only (`packet.ascii_only`).
//! One diagnostic per line, at its first non-ASCII character.

use super::{ChangeCheck, CheckResult, Finding};
use crate::diag::codes::git;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let p = c.packet;
    if p.packet_format_version().is_none() || !c.config.packet.ascii_only {
        return CheckResult::skipped("ascii");
    }
    let source = &p.doc.source;
    let findings = (1..=source.line_count())
        .filter_map(|n| {
            let line = source.line_text(n);
            let (col, ch) = line.chars().enumerate().find(|(_, ch)| !ch.is_ascii())?;
            Some(Finding::packet(c.at(
                &git::PACKET_NOT_ASCII,
                describe(ch),
                n,
                col + 1,
            )))
        })
        .collect();
    CheckResult::new("ascii", findings)
}

/// `\u{2192}` → "non-ASCII character `→` (U+2192)"; invisible characters (controls,
/// bidi marks, zero-width spaces) are shown by code point only.
fn describe(ch: char) -> String {
    let invisible = ch.is_control()
        || matches!(ch as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF);
    if invisible {
        format!("non-ASCII character U+{:04X}", ch as u32)
    } else {
        format!("non-ASCII character `{ch}` (U+{:04X})", ch as u32)
    }
}
