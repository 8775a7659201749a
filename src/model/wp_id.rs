//! Work-packet ids: `WP-{phase}-{Name}[-vN]`. An id is checked against this grammar
//! before it is ever turned into a path.

use regex::Regex;
use std::fmt;
use std::sync::OnceLock;

#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
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

fn grammar() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^WP-(?:[0-9]+|[A-Z][A-Z0-9]*)-[A-Za-z0-9][A-Za-z0-9.\-]*$")
            .expect("static regex")
    })
}

fn variant_suffix() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"-v([0-9]{1,6})$").expect("static regex"))
}

pub const MAX_LEN: usize = 128;

impl WpId {
    pub fn parse(input: &str) -> Result<WpId, InvalidWpId> {
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
        if !grammar().is_match(input) {
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
        let caps = variant_suffix().captures(&self.0)?;
        let start = caps.get(0)?.start();
        let base = &self.0[..start];
        let n = caps[1].parse().ok()?;
        (base.matches('-').count() >= 2 && !base.ends_with(['.', '-'])).then_some((base, n))
    }

    pub fn with_variant(&self, n: u32) -> WpId {
        WpId(format!("{}-v{n}", self.base().0))
    }

    /// The phase segment (`1`, `KERNEL`).
    pub fn phase(&self) -> &str {
        self.0[3..].split('-').next().unwrap_or("")
    }
}

impl fmt::Display for WpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn id_in_text() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?-u:\b)WP-(?:[0-9]+|[A-Z][A-Z0-9]*)-[A-Za-z0-9][A-Za-z0-9.\-]*")
            .expect("static regex")
    })
}

/// Every well-formed WP id mentioned in free text, with its byte offset, in order.
pub fn ids_in(text: &str) -> Vec<(usize, WpId)> {
    id_matches(text).collect()
}

/// The first entry of [`ids_in`], without searching past it.
pub fn first_id_in(text: &str) -> Option<(usize, WpId)> {
    id_matches(text).next()
}

fn id_matches(text: &str) -> impl Iterator<Item = (usize, WpId)> + '_ {
    id_in_text().find_iter(text).filter_map(|m| {
        let s = m.as_str().trim_end_matches(['.', '-']);
        WpId::parse(s).ok().map(|id| (m.start(), id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn finds_ids_in_text() {
        let ids = ids_in("Blocked on WP-1-Storage-Layer. See WP-{phase}-{name} and WP-2-X.");
        let ids: Vec<_> = ids.iter().map(|(_, i)| i.as_str()).collect();
        assert_eq!(ids, ["WP-1-Storage-Layer", "WP-2-X"]);
    }
}
