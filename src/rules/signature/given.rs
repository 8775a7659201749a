//! A signature handed to `gov record-signature`: `{username}{DDMMYYYYHHMM}`, a real
//! date-time, not later than now plus the allowed clock skew.

use crate::diag::codes::sig;
use crate::diag::Diagnostic;
use crate::model::signature::{Signature, SignatureError};
use chrono::NaiveDateTime;

/// The parsed signature, or the diagnostic that refuses it.
pub fn check(
    raw: &str,
    now: NaiveDateTime,
    skew_minutes: i64,
) -> Result<Signature, Box<Diagnostic>> {
    let shown = crate::model::wp_id::printable(raw);
    let example = format!(
        "a valid signature looks like {}: a username (letters, digits, _; starting with a letter) then the approval's date-time as DDMMYYYYHHMM",
        example_for(now)
    );
    let s = Signature::parse(raw).map_err(|e| {
        let code = match e {
            SignatureError::Malformed(_) => &sig::SIGNATURE_MALFORMED,
            SignatureError::ImpossibleDate(_) => &sig::SIGNATURE_IMPOSSIBLE_DATE,
        };
        Box::new(
            Diagnostic::new(code, format!("`{shown}` is not a valid signature: {e}"))
                .help(example.clone()),
        )
    })?;
    if s.is_in_future(now, skew_minutes) {
        return Err(Box::new(Diagnostic::new(
            &sig::SIGNATURE_IN_FUTURE,
            format!(
                "`{shown}` is dated {}, later than now ({}) plus the allowed clock skew of {skew_minutes} minutes",
                s.at.format("%Y-%m-%d %H:%M"),
                now.format("%Y-%m-%d %H:%M")
            ),
        )
        .help(format!(
            "use the date-time at which the user approved, from a trusted clock; {example}"
        ))));
    }
    Ok(s)
}

/// `alice` + now as DDMMYYYYHHMM: an example the user could actually give.
fn example_for(now: NaiveDateTime) -> String {
    format!("alice{}", now.format("%d%m%Y%H%M"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2026-11-21T12:00:00", "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn accepts_past_and_skewed() {
        assert!(check("alice211120261200", now(), 5).is_ok());
        assert!(check("alice211120261205", now(), 5).is_ok());
    }

    #[test]
    fn refuses_malformed_impossible_and_future() {
        let e = check("alice_25121512345", now(), 5).unwrap_err();
        assert_eq!(e.code, "SIG001");
        assert!(e.help.contains("alice211120261200"));
        assert_eq!(
            check("alice310220261200", now(), 5).unwrap_err().code,
            "SIG002"
        );
        assert_eq!(
            check("alice211120261206", now(), 5).unwrap_err().code,
            "SIG003"
        );
        assert_eq!(
            check("ilja251225032800", now(), 5).unwrap_err().code,
            "SIG002"
        );
    }
}
