//! The canonical status enum and the many ways real documents spell it.

use serde::Serialize;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
pub enum StatusKind {
    Backlog,
    Stub,
    ReadyForDev,
    InProgress,
    ReadyForValidation,
    Done,
    Validated,
    Blocked,
    Superseded,
}

impl StatusKind {
    pub fn label(self) -> &'static str {
        match self {
            StatusKind::Backlog => "Backlog",
            StatusKind::Stub => "Stub",
            StatusKind::ReadyForDev => "Ready for Dev",
            StatusKind::InProgress => "In Progress",
            StatusKind::ReadyForValidation => "Ready for Validation",
            StatusKind::Done => "Done",
            StatusKind::Validated => "Validated",
            StatusKind::Blocked => "Blocked",
            StatusKind::Superseded => "Superseded",
        }
    }

    /// Machine form used in JSON: `ready_for_dev`, `in_progress`, ...
    pub fn key(self) -> &'static str {
        match self {
            StatusKind::Backlog => "backlog",
            StatusKind::Stub => "stub",
            StatusKind::ReadyForDev => "ready_for_dev",
            StatusKind::InProgress => "in_progress",
            StatusKind::ReadyForValidation => "ready_for_validation",
            StatusKind::Done => "done",
            StatusKind::Validated => "validated",
            StatusKind::Blocked => "blocked",
            StatusKind::Superseded => "superseded",
        }
    }

    /// The kind whose [`StatusKind::key`] this is (a JSON view read back).
    pub fn from_key(key: &str) -> Option<StatusKind> {
        StatusKind::ALL.into_iter().find(|k| k.key() == key)
    }

    pub const ALL: [StatusKind; 9] = [
        StatusKind::Backlog,
        StatusKind::Stub,
        StatusKind::ReadyForDev,
        StatusKind::InProgress,
        StatusKind::ReadyForValidation,
        StatusKind::Done,
        StatusKind::Validated,
        StatusKind::Blocked,
        StatusKind::Superseded,
    ];

    /// Finished work: Done, Validated or Superseded packets are no longer active.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            StatusKind::Done | StatusKind::Validated | StatusKind::Superseded
        )
    }
}

/// A status as written, with its canonical meaning when gov recognises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Status {
    /// `None` when the written form is not recognised; it is kept verbatim in `raw`.
    pub kind: Option<StatusKind>,
    pub raw: String,
    /// Text after the status word: `(revalidation required)`, `PASS`, a date, a reason.
    pub qualifier: Option<String>,
}

/// Recognised leading phrases, word by word, longest first so `done validated` wins
/// over `done`.
const PHRASES: &[(&[&str], StatusKind)] = &[
    (
        &["ready", "for", "validation"],
        StatusKind::ReadyForValidation,
    ),
    (&["awaiting", "validation"], StatusKind::ReadyForValidation),
    (&["done", "validated"], StatusKind::Validated),
    // since 2026-03: abandoned work is closed without being validated
    (&["validated", "abandoned"], StatusKind::Superseded),
    (&["hard", "validated"], StatusKind::Validated),
    (
        &["passed", "integration", "validation"],
        StatusKind::Validated,
    ),
    (&["stub", "backlog"], StatusKind::Stub),
    (&["ready", "for", "dev"], StatusKind::ReadyForDev),
    (&["ready", "for", "development"], StatusKind::ReadyForDev),
    (&["in", "progress"], StatusKind::InProgress),
    (&["in", "review"], StatusKind::ReadyForValidation),
    (&["superseded"], StatusKind::Superseded),
    (&["validated"], StatusKind::Validated),
    (&["completed"], StatusKind::Done),
    (&["complete"], StatusKind::Done),
    (&["backlog"], StatusKind::Backlog),
    (&["blocked"], StatusKind::Blocked),
    (&["archived"], StatusKind::Superseded),
    (&["active"], StatusKind::InProgress),
    (&["merged"], StatusKind::Done),
    (&["done"], StatusKind::Done),
    (&["stub"], StatusKind::Stub),
    (&["gap"], StatusKind::Backlog),
];

/// The phrase a decoration-free status starts with, and the qualifier after it, by
/// words joined with Unicode case folding: any text, at the cost of allocations.
fn general_phrase(cleaned: &str) -> (Option<StatusKind>, Option<String>) {
    match phrase_of_words(&status_words(cleaned)) {
        Some((words, kind)) => (Some(kind), qualifier_after(cleaned, words)),
        None => (None, None),
    }
}

/// The longest phrase, in words.
const MAX_WORDS: usize = 3;

impl Status {
    pub fn parse(raw: &str) -> Status {
        let cleaned = crate::text::strip_decoration_cow(raw);
        let (kind, qualifier) = if cleaned.is_ascii() {
            ascii_phrase(&cleaned)
        } else {
            // Unicode case folding and word breaks: the general, allocating path
            general_phrase(&cleaned)
        };
        Status {
            kind,
            raw: raw.trim().to_string(),
            qualifier,
        }
    }

    pub fn is(&self, kind: StatusKind) -> bool {
        self.kind == Some(kind)
    }

    pub fn label(&self) -> String {
        match self.kind {
            Some(k) => k.label().to_string(),
            None => self.raw.clone(),
        }
    }
}

/// The kind and qualifier of an ASCII status in one pass over its first words: a
/// board lists thousands of entries, and splitting every phrase of the table for
/// every one of them was most of a large board's parse.
fn ascii_phrase(cleaned: &str) -> (Option<StatusKind>, Option<String>) {
    let b = cleaned.as_bytes();
    // the first words (runs of ASCII letters and digits), as byte ranges
    let mut words = [(0usize, 0usize); MAX_WORDS];
    let (mut n, mut i) = (0, 0);
    while n < MAX_WORDS {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        words[n] = (start, i);
        n += 1;
    }
    let word = |k: usize| &b[words[k].0..words[k].1];
    // most phrases are rejected on their first word's length and first letter
    let lead = word(0).first().map(u8::to_ascii_lowercase);
    let found = PHRASES.iter().find(|(phrase, _)| {
        phrase.len() <= n
            && phrase[0].len() == word(0).len()
            && phrase[0].as_bytes().first() == lead.as_ref()
            && phrase
                .iter()
                .enumerate()
                .all(|(k, p)| word(k).eq_ignore_ascii_case(p.as_bytes()))
    });
    let Some((phrase, kind)) = found else {
        return (None, None);
    };
    // the qualifier starts where the phrase's last word ends
    let rest = unwrap_brackets(&cleaned[words[phrase.len() - 1].1..]);
    (Some(*kind), (!rest.is_empty()).then(|| rest.to_string()))
}

/// The recognised phrase that `joined` (the output of [`status_words`]) starts with,
/// as whole words: how many words it takes, and its kind.
fn phrase_of_words(joined: &str) -> Option<(usize, StatusKind)> {
    PHRASES.iter().find_map(|(phrase, kind)| {
        let mut words = joined.split(' ');
        phrase
            .iter()
            .all(|p| words.next() == Some(*p))
            .then_some((phrase.len(), *kind))
    })
}

/// Lower-cased words of a status joined by single spaces, treating `-`, `_`,
/// brackets and punctuation as breaks.
fn status_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        for w in s
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
        }
        return out;
    }
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The text that follows the first `n` words of `s`, without its separators and
/// enclosing brackets.
fn qualifier_after(s: &str, n: usize) -> Option<String> {
    let mut seen = 0;
    let mut in_word = false;
    let mut cut = s.len();
    for (i, c) in s.char_indices() {
        let word_char = c.is_alphanumeric();
        if in_word && !word_char && seen == n {
            cut = i;
            break;
        }
        if word_char && !in_word {
            seen += 1;
        }
        in_word = word_char;
    }
    let rest = unwrap_brackets(&s[cut..]);
    (!rest.is_empty()).then(|| rest.to_string())
}

/// The qualifier without its separators: `) - x` and `: x.` give `x`, `(x)` and
/// `[x]` give `x`, but a bracket inside (`waiting (ETA 3 days)`) is kept whole.
fn unwrap_brackets(rest: &str) -> &str {
    const LEADING: &str = ")]-:,;.";
    let rest = rest
        .trim_start_matches(|c: char| c.is_whitespace() || LEADING.contains(c))
        .trim_end_matches(|c: char| c.is_whitespace() || ",;:.".contains(c));
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = rest.strip_prefix(open) {
            // `(x)` loses both brackets, `(x` its opener (the closer was lost upstream)
            let inner = inner.strip_suffix(close).unwrap_or(inner);
            if !inner.contains(close) {
                return inner.trim();
            }
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_reads_back_to_its_kind() {
        for k in StatusKind::ALL {
            assert_eq!(StatusKind::from_key(k.key()), Some(k));
        }
        assert_eq!(StatusKind::from_key("Ready for Dev"), None);
    }

    use super::*;

    fn kind(s: &str) -> Option<StatusKind> {
        Status::parse(s).kind
    }

    #[test]
    fn formats_md_spellings() {
        use StatusKind::*;
        let cases = [
            ("Ready for Dev", ReadyForDev),
            ("Ready-for-Dev", ReadyForDev),
            ("READY FOR DEV 🔴", ReadyForDev),
            ("[READY FOR DEV ðŸ”´]", ReadyForDev),
            ("In Progress", InProgress),
            (
                "In-Progress (revalidation required after spec v02.90)",
                InProgress,
            ),
            ("Done", Done),
            ("Done (VALIDATED)", Validated),
            ("Done [VALIDATED]", Validated),
            ("**Done (VALIDATED)** ✅", Validated),
            ("Validated (PASS)", Validated),
            ("Validated (FAIL)", Validated),
            ("Validated (OUTDATED_ONLY)", Validated),
            ("VALIDATED", Validated),
            ("Blocked", Blocked),
            ("BLOCKED: waiting for WP-1-X", Blocked),
            ("Stub", Stub),
            ("Completed", Done),
            ("Ready-for-Validation", ReadyForValidation),
            ("Done 2025-12-20", Done),
            ("SUPERSEDED: replaced by -v2", Superseded),
        ];
        for (s, k) in cases {
            assert_eq!(kind(s), Some(k), "{s}");
        }
    }

    /// The in-place ASCII match agrees with matching the joined lower-case words.
    #[test]
    fn ascii_fast_path_matches_the_joined_words_rule() {
        let by_joining = |s: &str| {
            phrase_of_words(&status_words(&crate::text::strip_decoration(s))).map(|(_, k)| k)
        };
        let words = [
            "ready",
            "for",
            "dev",
            "validation",
            "in",
            "progress",
            "done",
            "validated",
            "Done",
            "READY",
            "stub",
            "backlog",
            "donE",
            "doneX",
            "x",
            "-",
            "(",
            "[",
            "]",
            " ",
            "1",
        ];
        for c in crate::text::every_concatenation(&words, 4, " ") {
            assert_eq!(Status::parse(&c).kind, by_joining(&c), "{c:?}");
        }
    }

    /// The general path (words joined, then the qualifier after them), which every
    /// status took before the one-pass ASCII reading.
    fn by_the_general_path(raw: &str) -> Status {
        let (kind, qualifier) = general_phrase(&crate::text::strip_decoration(raw));
        Status {
            kind,
            raw: raw.trim().to_string(),
            qualifier,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4096, ..Default::default() })]

        /// The one-pass ASCII reading gives the kind, the qualifier and the raw text the
        /// general path gives, on phrases, near-phrases and their dress.
        #[test]
        fn the_ascii_reading_is_the_general_path(
            s in "( |-|_|\\[|\\]|\\(|\\)|:|\\*|`|,|\\.|ready|for|dev|development|validation|in|progress|review|done|validated|abandoned|hard|passed|integration|stub|backlog|superseded|completed|complete|blocked|archived|active|merged|gap|awaiting|DONE|Ready|VALIDATED|x|1|2026-01-05|✅|é){0,9}"
        ) {
            let fast = Status::parse(&s);
            let general = by_the_general_path(&s);
            proptest::prop_assert_eq!(fast, general, "{:?}", s);
        }
    }

    #[test]
    fn spellings_since_2026_03() {
        use StatusKind::*;
        let cases = [
            ("Validated (ABANDONED)", Superseded),
            ("Done (historical, closed before the 2026-03 format)", Done),
            ("HARD-VALIDATED (2026-01-05)", Validated),
            ("IN_PROGRESS", InProgress),
            ("PASSED_INTEGRATION_VALIDATION_V3", Validated),
            ("STUB (NOT READY FOR DEV)", Stub),
            ("SUPERSEDED (FOLDED INTO WP-1-Parser-v2)", Superseded),
            ("READY_FOR_DEV", ReadyForDev),
        ];
        for (s, k) in cases {
            assert_eq!(kind(s), Some(k), "{s}");
        }
        assert_eq!(
            Status::parse("STUB (NOT READY FOR DEV)")
                .qualifier
                .as_deref(),
            Some("NOT READY FOR DEV")
        );
        // a word that only starts like a known phrase is not that phrase
        assert_eq!(kind("HARDENED"), None);
    }

    #[test]
    fn unknown_is_kept_verbatim() {
        let s = Status::parse("Draft (needs review)");
        assert_eq!(s.kind, None);
        assert_eq!(s.raw, "Draft (needs review)");
        assert_eq!(kind("Ready"), None);
        assert_eq!(kind("Doneish"), None);
    }

    #[test]
    fn qualifiers() {
        assert_eq!(
            Status::parse("Validated (FAIL)").qualifier.as_deref(),
            Some("FAIL")
        );
        assert_eq!(
            Status::parse("In-Progress (revalidation required)")
                .qualifier
                .as_deref(),
            Some("revalidation required")
        );
        assert_eq!(Status::parse("Done").qualifier, None);
    }

    #[test]
    fn a_bracket_inside_the_qualifier_is_kept() {
        let q = |s: &str| Status::parse(s).qualifier;
        assert_eq!(
            q("Blocked: waiting (ETA 3 days)").as_deref(),
            Some("waiting (ETA 3 days)")
        );
        assert_eq!(q("Blocked (ETA 3 days").as_deref(), Some("ETA 3 days"));
        assert_eq!(q("Done [VALIDATED]"), None);
        assert_eq!(
            q("Done (VALIDATED) - 2025-12-20.").as_deref(),
            Some("2025-12-20")
        );
        assert_eq!(q("Blocked: (a) then (b)").as_deref(), Some("(a) then (b)"));
    }
}
