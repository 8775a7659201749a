//! A packet's STATUS value rewritten for a new lifecycle state, in the packet's own
//! spelling: `Ready-for-Dev` becomes `In-Progress`, `READY FOR DEV` becomes
//! `IN PROGRESS`, `**Status:** Ready for Dev` keeps its bold key. Only the value of
//! the first (metadata) STATUS field changes.

use crate::markdown::LineKind;
use crate::model::fields::Field;
use crate::model::lifecycle::State;
use crate::model::packet::{names, Packet};
use crate::text::strip_decoration;

/// How a document spells multi-word states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spelling {
    pub separator: char,
    pub case: Case,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `Ready for Dev` (the model's own words).
    Words,
    Upper,
    Lower,
}

impl Default for Spelling {
    fn default() -> Self {
        Spelling {
            separator: ' ',
            case: Case::Words,
        }
    }
}

impl Spelling {
    /// The spelling of a written status (`Ready-for-Dev`, `IN_PROGRESS`, `done`).
    pub fn of(written: &str) -> Spelling {
        let word: String = written
            .chars()
            .skip_while(|c| !c.is_alphabetic())
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
            .collect();
        let word = word.trim();
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        let case = if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
            Case::Upper
        } else if !letters.is_empty() && letters.iter().all(|c| c.is_lowercase()) {
            Case::Lower
        } else {
            Case::Words
        };
        let separator = if word.contains('-') && !word.contains(' ') {
            '-'
        } else if word.contains('_') && !word.contains(' ') {
            '_'
        } else if word.contains(' ') || case == Case::Upper {
            ' '
        } else {
            // one word says nothing about separators: gov's own `Ready-for-Dev`
            '-'
        };
        Spelling { separator, case }
    }

    /// `state` in this spelling; Done is `Done (VALIDATED)` when `validated`.
    pub fn write(&self, state: State, validated: bool) -> String {
        let words: Vec<String> = state
            .words()
            .iter()
            .map(|w| match self.case {
                Case::Words => w.to_string(),
                Case::Upper => w.to_uppercase(),
                Case::Lower => w.to_lowercase(),
            })
            .collect();
        let mut out = words.join(&self.separator.to_string());
        if state == State::Done && validated {
            out.push_str(" (VALIDATED)");
        }
        out
    }
}

/// Why the status cannot be rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusEditError {
    /// The packet has no STATUS field.
    NoField,
}

/// The packet text with its STATUS value set to `state`.
pub fn set_status(
    packet: &Packet,
    state: State,
    validated: bool,
) -> Result<String, StatusEditError> {
    let f = packet
        .field(names::STATUS)
        .ok_or(StatusEditError::NoField)?;
    let text = &packet.doc.source.text;
    let (range, value) = value_slot(packet, f);
    let (lead, core, trail) = unwrap_decoration(&value);
    let new_core = Spelling::of(core).write(state, validated);
    let mut new_value = format!("{lead}{new_core}{trail}");
    let before = &text[..range.start];
    if range.is_empty() && (before.ends_with(':') || before.ends_with('*')) {
        new_value.insert(0, ' ');
    }
    let mut out = text.clone();
    out.replace_range(range, &new_value);
    Ok(out)
}

/// The byte range holding a field's value (empty where it would go) and the value.
pub(crate) fn value_slot(packet: &Packet, f: &Field) -> (std::ops::Range<usize>, String) {
    let doc = &packet.doc;
    let line_end = doc.lines[f.line].range.end;
    if !strip_decoration(&f.value).is_empty() {
        let start = f.value_offset.min(line_end);
        return (
            start..line_end,
            doc.source.text[start..line_end].to_string(),
        );
    }
    let first = f
        .body
        .clone()
        .find(|&i| !matches!(doc.lines[i].kind, LineKind::Blank | LineKind::CodeFence));
    match first {
        Some(i) if !packet.fields.iter().any(|g| g.line == i) => {
            let l = &doc.lines[i];
            let start = l.content.min(l.range.end);
            (start..l.range.end, doc.content(i).to_string())
        }
        _ => {
            let at = f.value_offset.min(line_end);
            (at..at, String::new())
        }
    }
}

/// `**In Progress**` → (`**`, `In Progress`, `**`); trailing spaces are kept out of
/// the core. A qualifier after the status (`(no blockers)`, a date, an emoji)
/// belongs to the old state and is dropped.
fn unwrap_decoration(value: &str) -> (&str, &str, &str) {
    let trimmed = value.trim_end();
    let lead_len = trimmed.len() - trimmed.trim_start_matches(['*', '`', '_', ' ']).len();
    let lead = &trimmed[..lead_len];
    let wrap: String = lead.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = &trimmed[lead_len..];
    let trail = if !wrap.is_empty() && rest.ends_with(&wrap.chars().rev().collect::<String>()) {
        &rest[rest.len() - wrap.len()..]
    } else {
        ""
    };
    let core = &rest[..rest.len() - trail.len()];
    (lead, core, trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, state: State) -> String {
        set_status(&crate::model::packet::test_packet(text), state, false).unwrap()
    }

    #[test]
    fn keeps_the_packets_spelling() {
        for (before, state, after) in [
            (
                "- STATUS: Ready-for-Dev\n",
                State::InProgress,
                "- STATUS: In-Progress\n",
            ),
            (
                "- STATUS: Ready for Dev\n",
                State::InProgress,
                "- STATUS: In Progress\n",
            ),
            (
                "**Status:** READY FOR DEV 🔴\n",
                State::InProgress,
                "**Status:** IN PROGRESS\n",
            ),
            (
                "- **Status:** In Progress\r\n",
                State::ReadyForValidation,
                "- **Status:** Ready for Validation\r\n",
            ),
            (
                "- WP_STATUS: `backlog`\n",
                State::ReadyForDev,
                "- WP_STATUS: `ready-for-dev`\n",
            ),
            (
                "- STATUS: READY_FOR_DEV\n",
                State::Blocked,
                "- STATUS: BLOCKED\n",
            ),
            (
                "## STATUS\nIn-Progress (revalidation required)\n",
                State::ReadyForValidation,
                "## STATUS\nReady-for-Validation\n",
            ),
            ("- STATUS:\n", State::Backlog, "- STATUS: Backlog\n"),
            (
                "- STATUS: Backlog\n",
                State::ReadyForDev,
                "- STATUS: Ready-for-Dev\n",
            ),
            (
                "- STATUS: BLOCKED\n",
                State::ReadyForDev,
                "- STATUS: READY FOR DEV\n",
            ),
        ] {
            assert_eq!(set(before, state), after, "{before:?}");
        }
    }

    #[test]
    fn done_says_validated_and_other_status_lines_stay() {
        let p = crate::model::packet::test_packet(
            "- STATUS: Ready-for-Validation\n\n## Handoff\n- STATUS: Ready-for-Validation\n",
        );
        assert_eq!(
            set_status(&p, State::Done, true).unwrap(),
            "- STATUS: Done (VALIDATED)\n\n## Handoff\n- STATUS: Ready-for-Validation\n"
        );
        let none = crate::model::packet::test_packet("# nothing\n");
        assert_eq!(
            set_status(&none, State::Done, true),
            Err(StatusEditError::NoField)
        );
    }
}
