//! Work-packet ids: `WP-{phase}-{Name}[-vN]`. An id is checked against this grammar
//! before it is ever turned into a path.

use std::fmt;

/// A work-packet id, `WP-{phase}-{Name}[-vN]` (`WP-1-Storage-Layer`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct WpId(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidWpId {
    pub input: String,
    pub reason: &'static str,
}

impl fmt::Display for InvalidWpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid work-packet id: {}",
            printable(&self.input),
            self.reason
        )
    }
}

/// Renders control characters visibly so an id with a newline cannot forge output lines.
pub fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// `WP-<phase>-<name>`: `^WP-(?:[0-9]+|[A-Z][A-Z0-9]*)-[A-Za-z0-9][A-Za-z0-9.\-]*$`,
/// written out: every command checks ids, and compiling the regex cost more than all
/// the checks of a run (the property test below holds it to the regex).
fn is_well_formed(input: &str) -> bool {
    input.starts_with("WP-") && id_end(input.as_bytes(), 0) == Some(input.len())
}

/// `..` anywhere in `s`, by bytes: a substring searcher costs more to set up than a
/// whole id costs to scan.
fn has_double_dot(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"..")
}

/// Where the id that starts with the `WP-` at `start` of `text` ends: the phase (digits,
/// or an upper-case letter then upper-case letters and digits), `-`, then a letter or
/// digit and the longest run of letters, digits, dots and hyphens. Each part is a
/// maximal run of a class the next part cannot start with, so this is where the
/// regex's match ends. `None` when no id starts there.
fn id_end(text: &[u8], start: usize) -> Option<usize> {
    let run = |from: usize, ok: fn(&u8) -> bool| {
        from + text
            .get(from..)
            .map_or(0, |t| t.iter().take_while(|b| ok(b)).count())
    };
    let phase = start + 3;
    let after_phase = match text.get(phase) {
        Some(b) if b.is_ascii_digit() => run(phase, u8::is_ascii_digit),
        Some(b) if b.is_ascii_uppercase() => {
            run(phase + 1, |b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }
        _ => return None,
    };
    if text.get(after_phase) != Some(&b'-')
        || !text
            .get(after_phase + 1)
            .is_some_and(u8::is_ascii_alphanumeric)
    {
        return None;
    }
    Some(run(after_phase + 2, |b| {
        b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-'
    }))
}

/// The `-vN` suffix (1 to 6 digits) ending an id: where it starts, and N.
fn variant_suffix(id: &str) -> Option<(usize, &str)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let start = id.len() - digits;
    ((1..=6).contains(&digits) && id[..start].ends_with("-v")).then(|| (start - 2, &id[start..]))
}

pub const MAX_LEN: usize = 128;

impl WpId {
    pub fn parse(input: &str) -> Result<WpId, InvalidWpId> {
        // the common case in one pass: the grammar admits only ASCII letters, digits,
        // dots and hyphens after `WP-`, so no check below can fail for such an id
        if input.len() <= MAX_LEN
            && is_well_formed(input)
            && !has_double_dot(input)
            && !input.ends_with(['.', '-'])
        {
            return Ok(WpId(input.to_string()));
        }
        let bad = |reason| {
            Err(InvalidWpId {
                input: input.to_string(),
                reason,
            })
        };
        if input.len() > MAX_LEN {
            return bad("longer than 128 characters");
        }
        if input.contains(['/', '\\']) || input.contains("..") {
            return bad("path separators and `..` are not allowed");
        }
        if input.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return bad("whitespace and control characters are not allowed");
        }
        if !input.starts_with("WP-") {
            return bad("it must start with `WP-`");
        }
        if !is_well_formed(input) {
            return bad("expected WP-{phase}-{Name}[-vN]: phase a number or an upper-case word, name of letters, digits, dots and hyphens");
        }
        if input.ends_with(['.', '-']) {
            return bad("it must not end with `.` or `-`");
        }
        Ok(WpId(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The revision number of a `-vN` packet.
    pub fn variant(&self) -> Option<u32> {
        self.split_variant().map(|(_, n)| n)
    }

    /// The id without its `-vN` suffix.
    pub fn base(&self) -> WpId {
        match self.split_variant() {
            Some((base, _)) => WpId(base.to_string()),
            None => self.clone(),
        }
    }

    /// The base and revision of a `-vN` id. The suffix counts only when what is left
    /// is itself an id (`WP-1-Name`, not `WP-1` or `WP-1-Name-`), so `base()` always
    /// gives a valid id and `variant()` agrees with it.
    fn split_variant(&self) -> Option<(&str, u32)> {
        let (start, digits) = variant_suffix(&self.0)?;
        let base = &self.0[..start];
        let n = digits.parse().ok()?;
        (base.matches('-').count() >= 2 && !base.ends_with(['.', '-'])).then_some((base, n))
    }

    pub fn with_variant(&self, n: u32) -> WpId {
        WpId(format!("{}-v{n}", self.base().0))
    }

    /// The phase segment (`1`, `KERNEL`).
    pub fn phase(&self) -> &str {
        self.0[3..].split('-').next().unwrap_or("")
    }

    /// The key the project's build order names a WP lineage by: the base id with
    /// dots as hyphens (`WP-1-Parser-v1.2-Core-v3` → `WP-1-Parser-v1-2-Core`).
    pub fn lineage_key(&self) -> String {
        self.base().0.replace('.', "-")
    }
}

/// One `BUILD_ORDER_DEPENDS_ON` token read as the project reads it: a leading `-`
/// dropped, only `WP-` tokens kept, `-vN` dropped and dots made hyphens, so the
/// token names a lineage (see [`Lineage`]). `NONE`, `N/A`, `<pending>` name nothing.
pub fn build_order_dependency(token: &str) -> Option<WpId> {
    let t = token
        .trim()
        .trim_start_matches('-')
        .trim()
        .trim_matches(|c: char| c == '`' || c == '*' || c == '"' || c == '\'')
        .trim();
    if !t.starts_with("WP-") {
        return None; // NONE, N/A, <pending>, <fill>, prose
    }
    let word = t.split_whitespace().next().unwrap_or("");
    if is_cut_id(word) {
        return None; // reported by the caller, never cut into another id
    }
    let (_, id) = first_id_in(word).filter(|(off, _)| *off == 0)?;
    WpId::parse(&id.lineage_key()).ok()
}

/// Packet ids grouped by lineage: a dependency that names no packet of its own
/// (a base id from the build order, a revision since replaced) names the newest
/// revision of its lineage, as the project's registry resolves it.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    newest: std::collections::BTreeMap<String, WpId>,
}

impl Lineage {
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a WpId>) -> Lineage {
        let mut newest: std::collections::BTreeMap<String, WpId> = Default::default();
        for id in ids {
            let slot = newest.entry(id.lineage_key()).or_insert_with(|| id.clone());
            if (id.variant(), id.as_str()) > (slot.variant(), slot.as_str()) {
                *slot = id.clone();
            }
        }
        Lineage { newest }
    }

    /// `dep` itself when `exists(dep)`, else the newest revision of its lineage.
    pub fn resolve(&self, dep: &WpId, exists: impl Fn(&WpId) -> bool) -> Option<WpId> {
        if exists(dep) {
            return Some(dep.clone());
        }
        self.newest.get(&dep.lineage_key()).cloned()
    }
}

/// Characters that look like a hyphen, or are invisible, inside what reads as an id.
fn is_lookalike(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{2010}'..='\u{2015}'
            | '\u{2212}'
            | '\u{FE58}'
            | '\u{FE63}'
            | '\u{FF0D}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

impl fmt::Display for WpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The spans of `(?-u:\b)WP-(?:[0-9]+|[A-Z][A-Z0-9]*)-[A-Za-z0-9][A-Za-z0-9.\-]*` in
/// `text`, as `find_iter` gives them, written out ([`id_end`]): boards and packets are
/// scanned for ids line by line, and the regex was a fifth of a large board's parse
/// (the property test below holds it to the regex).
struct IdSpans<'a> {
    text: &'a [u8],
    at: usize,
    finder: memchr::memmem::FindIter<'a, 'static>,
}

fn id_spans(text: &str) -> IdSpans<'_> {
    IdSpans {
        text: text.as_bytes(),
        at: 0,
        finder: memchr::memmem::find_iter(text.as_bytes(), b"WP-"),
    }
}

impl Iterator for IdSpans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        for start in self.finder.by_ref() {
            if start < self.at || (start > 0 && word(self.text[start - 1])) {
                continue;
            }
            if let Some(end) = id_end(self.text, start) {
                self.at = end;
                return Some((start, end));
            }
        }
        None
    }
}

/// Every well-formed WP id mentioned in free text, with its byte offset, in order.
pub fn ids_in(text: &str) -> Vec<(usize, WpId)> {
    id_matches(text).collect()
}

/// The first entry of [`ids_in`], without searching past it.
pub fn first_id_in(text: &str) -> Option<(usize, WpId)> {
    id_matches(text).next()
}

/// The id that starts `text`, as [`first_id_in`] finds it at offset 0, without a
/// searcher: a board entry starts with its id, and a board has thousands.
pub fn id_at_start(text: &str) -> Option<WpId> {
    if !text.starts_with("WP-") {
        return None;
    }
    let end = id_end(text.as_bytes(), 0)?;
    WpId::parse(text[..end].trim_end_matches(['.', '-'])).ok()
}

fn id_matches(text: &str) -> impl Iterator<Item = (usize, WpId)> + '_ {
    id_spans(text).filter_map(|(start, end)| {
        let s = text[start..end].trim_end_matches(['.', '-']);
        WpId::parse(s).ok().map(|id| (start, id))
    })
}

/// How a character reads inside an id: lookalike hyphens read `-`, the Cyrillic and
/// Greek capitals that look like `W`/`P` read as those, invisible characters read as
/// nothing (`None`).
fn reads_as(c: char) -> Option<char> {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        '\u{0420}' | '\u{03A1}' => Some('P'),
        '\u{051C}' => Some('W'),
        c if is_lookalike(c) => None,
        c => Some(c),
    }
}

/// A lookalike or invisible character inside the id-shaped word that starts `text`
/// (`WP‑1‑A` with U+2011, `WP-1-Beta` + U+200B + `-Fix`, a Cyrillic `Р`): its byte
/// offset and the character. Such a word must be reported, never cut at the odd
/// character into a shorter (possibly different, validated) id.
pub fn lookalike_in_id(text: &str) -> Option<(usize, char)> {
    let end = text
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || "-._".contains(c) || is_lookalike(c)))
        .map_or(text.len(), |(i, _)| i);
    let word = &text[..end];
    if word.is_ascii() {
        return None;
    }
    let read: String = word.chars().filter_map(reads_as).take(3).collect();
    if read != "WP-" {
        return None;
    }
    word.char_indices().find(|&(_, c)| !c.is_ascii())
}

/// An id-shaped word with a lookalike or invisible character, found in free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookalikeWord {
    /// Byte offset of the odd character in the text.
    pub at: usize,
    pub character: char,
    /// The word as written.
    pub word: String,
}

/// Every id-shaped word in `text` that [`lookalike_in_id`] rejects, in order.
pub fn lookalike_words(text: &str) -> Vec<LookalikeWord> {
    let mut out = Vec::new();
    if text.is_ascii() {
        return out;
    }
    let mut from = 0;
    for (at, c) in text.char_indices() {
        if at < from || !(c == 'W' || c == '\u{051C}') {
            continue;
        }
        let starts_word = text[..at]
            .chars()
            .next_back()
            .is_none_or(|p| !p.is_alphanumeric());
        if !starts_word {
            continue;
        }
        if let Some((off, character)) = lookalike_in_id(&text[at..]) {
            let word: String = text[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"]|)*`,".contains(*c))
                .collect();
            from = at + word.len();
            out.push(LookalikeWord {
                at: at + off,
                character,
                word,
            });
        }
    }
    out
}

/// The word with every non-ASCII or control character spelled out (`WP<U+2011>1`):
/// the odd character may be invisible or look like the one it replaces.
pub fn spelled_out(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c.to_string()
            } else {
                format!("<U+{:04X}>", c as u32)
            }
        })
        .collect()
}

/// Whether the id found at the start of `text` would be a cut of a longer word with a
/// lookalike character (`WP-1-A` of `WP-1-A‑v2`).
pub fn is_cut_id(text: &str) -> bool {
    lookalike_in_id(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        /// The written-out grammar and variant suffix answer as the regexes they replace.
        #[test]
        fn the_written_out_grammar_is_the_regex(s in "(WP-)?[A-Z0-9a-z.v-]{0,12}(-v)?[0-9]{0,8}") {
            let grammar = regex::Regex::new(
                r"^WP-(?:[0-9]+|[A-Z][A-Z0-9]*)-[A-Za-z0-9][A-Za-z0-9.\-]*$",
            ).unwrap();
            prop_assert_eq!(is_well_formed(&s), grammar.is_match(&s), "{}", s);
            let suffix = regex::Regex::new(r"-v([0-9]{1,6})$").unwrap();
            let by_regex = suffix
                .captures(&s)
                .map(|c| (c.get(0).unwrap().start(), c.get(1).unwrap().as_str()));
            prop_assert_eq!(variant_suffix(&s), by_regex, "{}", s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        /// The id at the start of a text is the first id found in it, when found at 0.
        #[test]
        fn the_id_at_the_start_is_the_first_found_there(s in "(WP-|W|P-)?[A-Z0-9]{0,3}-?[A-Za-z0-9.é-]{0,6}( |WP-1-A|-)?") {
            let first = first_id_in(&s).filter(|(off, _)| *off == 0).map(|(_, id)| id);
            prop_assert_eq!(id_at_start(&s), first, "{}", s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        /// Ids found in free text are the regex's matches, with text around them.
        #[test]
        fn the_written_out_scan_is_the_regex(s in "([ _a-zA-Z0-9.é-]{0,3}(WP-|W|P-)[A-Z0-9]{0,3}-?[A-Za-z0-9.é-]{0,6}){0,4}") {
            let re = regex::Regex::new(
                r"(?-u:\b)WP-(?:[0-9]+|[A-Z][A-Z0-9]*)-[A-Za-z0-9][A-Za-z0-9.\-]*",
            ).unwrap();
            let by_regex: Vec<(usize, usize)> = re.find_iter(&s).map(|m| (m.start(), m.end())).collect();
            let scanned: Vec<(usize, usize)> = id_spans(&s).collect();
            prop_assert_eq!(scanned, by_regex, "{}", s);
        }
    }

    #[test]
    fn the_grammar_in_examples() {
        for ok in ["WP-1-A", "WP-12-a.b-c", "WP-AB1-x", "WP-1-x-v2", "WP-A-0"] {
            assert!(is_well_formed(ok), "{ok}");
        }
        for bad in [
            "WP-1-", "WP--A", "WP-1a-x", "WP-aB-x", "WP-1-.x", "wp-1-x", "WP-1-x y", "WP-1-é",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
        assert_eq!(variant_suffix("WP-1-x-v12"), Some((6, "12")));
        assert_eq!(variant_suffix("WP-1-x-v1234567"), None);
        assert_eq!(variant_suffix("WP-1-x-v"), None);
    }

    #[test]
    fn accepts_real_world_ids() {
        for id in [
            "WP-1-Storage-Layer",
            "WP-KERNEL-005",
            "WP-1-MEX-v1.2-Runtime-v3",
            "WP-2-X-v2",
        ] {
            assert!(WpId::parse(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn rejects_paths_and_junk() {
        for id in [
            "WP-1-../etc",
            "WP-1-a/b",
            "wp-1-x",
            "WP-1-",
            "WP--x",
            "WP-1-x y",
            "WP-1-x\n",
            "WP-1-x.",
            "WP-a-x",
        ] {
            assert!(WpId::parse(id).is_err(), "{id:?}");
        }
    }

    #[test]
    fn variants_and_base() {
        let id = WpId::parse("WP-1-MEX-v1.2-Runtime-v3").unwrap();
        assert_eq!(id.variant(), Some(3));
        assert_eq!(id.base().as_str(), "WP-1-MEX-v1.2-Runtime");
        assert_eq!(WpId::parse("WP-1-Foo").unwrap().variant(), None);
        assert_eq!(
            WpId::parse("WP-1-Foo").unwrap().with_variant(2).as_str(),
            "WP-1-Foo-v2"
        );
    }

    #[test]
    fn a_suffix_that_would_leave_no_id_is_part_of_the_name() {
        for id in ["WP-1-Storage--v2", "WP-1-Storage.-v2", "WP-1-v2"] {
            let w = WpId::parse(id).unwrap();
            assert_eq!(w.base().as_str(), id, "{id}");
            assert_eq!(w.variant(), None, "{id}");
            assert!(WpId::parse(w.with_variant(3).as_str()).is_ok(), "{id}");
        }
    }

    #[test]
    fn lookalikes_inside_an_id_are_found() {
        let at = |s: &str| lookalike_in_id(s).map(|(i, c)| (i, c as u32));
        assert_eq!(at("WP\u{2011}1\u{2011}A] - [VALIDATED]"), Some((2, 0x2011)));
        assert_eq!(at("WP-1-Beta\u{2011}Fix** - x"), Some((9, 0x2011)));
        assert_eq!(at("WP-1-Beta\u{200B}-Fix"), Some((9, 0x200B)));
        assert_eq!(at("W\u{0420}-1-A"), Some((1, 0x420)));
        assert_eq!(at("WP-1-A] \u{2014} note"), None);
        assert_eq!(at("WP-1-A"), None);
        assert_eq!(at("Wörter-1"), None);
        // a plain id followed by prose in another script is not an id problem
        assert_eq!(at("WP-1-A описание"), None);
    }

    #[test]
    fn build_order_tokens_name_lineages() {
        let dep = |s: &str| build_order_dependency(s).map(|d| d.to_string());
        assert_eq!(dep(" WP-1-Alpha"), Some("WP-1-Alpha".into()));
        assert_eq!(dep("- WP-1-Beta-v3"), Some("WP-1-Beta".into()));
        assert_eq!(
            dep("WP-1-Parser-v1.2-Core"),
            Some("WP-1-Parser-v1-2-Core".into())
        );
        assert_eq!(dep("`WP-1-Gamma-v2` (storage)"), Some("WP-1-Gamma".into()));
        for none in ["NONE", "N/A", "<pending>", "<fill>", "", "see notes"] {
            assert_eq!(dep(none), None, "{none}");
        }
    }

    #[test]
    fn lineages_resolve_to_the_newest_revision() {
        let ids: Vec<WpId> = ["WP-1-A", "WP-1-A-v2", "WP-1-A-v10", "WP-1-P-v1.2-Core-v2"]
            .iter()
            .map(|s| WpId::parse(s).unwrap())
            .collect();
        let l = Lineage::new(&ids);
        let exists = |id: &WpId| ids.contains(id);
        let r = |s: &str| {
            l.resolve(&WpId::parse(s).unwrap(), exists)
                .map(|i| i.to_string())
        };
        assert_eq!(r("WP-1-A-v2"), Some("WP-1-A-v2".into()));
        assert_eq!(r("WP-1-A-v3"), Some("WP-1-A-v10".into()));
        assert_eq!(r("WP-1-P-v1-2-Core"), Some("WP-1-P-v1.2-Core-v2".into()));
        assert_eq!(r("WP-1-B"), None);
    }

    #[test]
    fn finds_ids_in_text() {
        let ids = ids_in("Blocked on WP-1-Storage-Layer. See WP-{phase}-{name} and WP-2-X.");
        let ids: Vec<_> = ids.iter().map(|(_, i)| i.as_str()).collect();
        assert_eq!(ids, ["WP-1-Storage-Layer", "WP-2-X"]);
    }
}
