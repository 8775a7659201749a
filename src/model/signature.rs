//! User signatures: `{username}{DDMMYYYYHHMM}`, a one-time approval tied to a real
//! calendar date-time.

use chrono::{NaiveDate, NaiveDateTime};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// The earliest year a signature may carry. No approval gov checks predates it, and it
/// refuses the year 0000 and other "valid" calendar dates nobody signed on.
pub const MIN_YEAR: i32 = 2000;

/// A signature's identity: NFKC-normalised and case-folded, so that `alice…`,
/// `ALICE…`, `Alice…` and `ａｌｉｃｅ…` (full-width) with one date-time are one approval.
/// Every comparison of signatures (audit look-ups, the one-time search, duplicates)
/// goes through this.
pub fn key(raw: &str) -> String {
    if raw.is_ascii() {
        return raw.to_ascii_lowercase();
    }
    // lowercasing can leave a string that is not NFKC (and vice versa): apply both
    // until stable; two rounds reach the fixed point for every Unicode character
    let once: String = raw.nfkc().collect::<String>().to_lowercase();
    once.nfkc().collect::<String>().to_lowercase()
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signature {
    pub raw: String,
    pub username: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// Not `{username}{12 digits}`.
    Malformed(String),
    /// Twelve digits that are not a real date-time.
    ImpossibleDate(String),
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Malformed(why) | SignatureError::ImpossibleDate(why) => {
                f.write_str(why)
            }
        }
    }
}

pub const EXAMPLE: &str = "alice151220251430";

impl Signature {
    pub fn parse(raw: &str) -> Result<Signature, SignatureError> {
        let malformed = |why: String| Err(SignatureError::Malformed(why));
        let digits = raw.bytes().rev().take_while(u8::is_ascii_digit).count();
        if digits < 12 {
            return malformed(format!(
                "it must end with 12 digits DDMMYYYYHHMM; found {digits}"
            ));
        }
        let split = raw.len() - 12;
        let (username, stamp) = raw.split_at(split);
        if username.is_empty() {
            return malformed("the username before the 12 digits is missing".into());
        }
        if !username.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return malformed("the username must start with a letter".into());
        }
        if let Some(c) = username
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        {
            return malformed(format!(
                "the username may hold letters, digits and `_` only; found `{}`",
                c.escape_default()
            ));
        }
        let n = |r: std::ops::Range<usize>| stamp[r].parse::<u32>().unwrap_or(0);
        let (day, month, year, hour, minute) = (n(0..2), n(2..4), n(4..8), n(8..10), n(10..12));
        if (year as i32) < MIN_YEAR {
            return Err(SignatureError::ImpossibleDate(format!(
                "{day:02}/{month:02}/{year:04} is before {MIN_YEAR}, the earliest year a signature may carry"
            )));
        }
        let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| {
            SignatureError::ImpossibleDate(format!(
                "{day:02}/{month:02}/{year:04} is not a calendar date"
            ))
        })?;
        let at = date.and_hms_opt(hour, minute, 0).ok_or_else(|| {
            SignatureError::ImpossibleDate(format!("{hour:02}:{minute:02} is not a time of day"))
        })?;
        Ok(Signature {
            raw: raw.to_string(),
            username: username.to_string(),
            at,
        })
    }

    /// This signature's identity (see [`key`]).
    pub fn key(&self) -> String {
        key(&self.raw)
    }

    /// Whether the signature's moment lies after `now` plus the allowed clock skew.
    pub fn is_in_future(&self, now: NaiveDateTime, skew_minutes: i64) -> bool {
        let limit = chrono::Duration::try_minutes(skew_minutes)
            .and_then(|d| now.checked_add_signed(d))
            .unwrap_or(NaiveDateTime::MAX);
        self.at > limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid() {
        let s = Signature::parse("ilja251220250328").unwrap();
        assert_eq!(s.username, "ilja");
        assert_eq!(s.at.to_string(), "2025-12-25 03:28:00");
        // the protocol's other example is DDMMYY+HHMMSS: as DDMMYYYYHHMM it is year 2503, hour 28
        assert!(matches!(
            Signature::parse("ilja251225032800"),
            Err(SignatureError::ImpossibleDate(_))
        ));
        assert_eq!(
            Signature::parse("bob_290220241200").unwrap().username,
            "bob_"
        );
    }

    #[test]
    fn username_may_end_in_digits() {
        let s = Signature::parse("agent7010120251200").unwrap();
        assert_eq!(s.username, "agent7");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(matches!(
            Signature::parse("alice310220251200"),
            Err(SignatureError::ImpossibleDate(_))
        ));
        assert!(matches!(
            Signature::parse("alice010120251261"),
            Err(SignatureError::ImpossibleDate(_))
        ));
        // A year of 2503 is a calendar date; the gates reject it as a future signature.
        let far = Signature::parse("alice010125031200").unwrap();
        assert!(far.is_in_future(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            5
        ));
        assert!(matches!(
            Signature::parse("alice290220231200"),
            Err(SignatureError::ImpossibleDate(_))
        ));
        assert!(Signature::parse("alice290220241200").is_ok());
    }

    #[test]
    fn one_approval_whatever_its_case_or_unicode_form() {
        let k = key("alice151220251430");
        for other in [
            "ALICE151220251430",
            "Alice151220251430",
            "\u{ff41}\u{ff4c}\u{ff49}\u{ff43}\u{ff45}151220251430",
            "alice\u{ff11}\u{ff15}1220251430",
        ] {
            assert_eq!(key(other), k, "{other}");
        }
        assert_ne!(key("alice151220251431"), k);
        assert_eq!(Signature::parse("ALICE151220251430").unwrap().key(), k);
    }

    #[test]
    fn dates_before_the_lower_bound_are_refused() {
        for s in ["alice010100001200", "alice311219991200"] {
            match Signature::parse(s) {
                Err(SignatureError::ImpossibleDate(why)) => assert!(why.contains("2000"), "{why}"),
                other => panic!("{s}: {other:?}"),
            }
        }
        assert!(Signature::parse("alice010120001200").is_ok());
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "alice_25121512345",
            "123010120251200",
            "_a010120251200",
            "al-ce010120251200",
            "010120251200",
            "alice",
        ] {
            assert!(
                matches!(Signature::parse(s), Err(SignatureError::Malformed(_))),
                "{s}"
            );
        }
    }
}
