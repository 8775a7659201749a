//! What "now" is. gov has one clock, in UTC: signature date-times, SLA ages, the
//! refinement turn lock and recorded timestamps are all compared with or written from
//! it. The time zone (`TZ`, `/etc/localtime`) never enters: a signature that is in the
//! future on one machine is in the future on every machine.
//!
//! `GOV_NOW=YYYY-MM-DDTHH:MM[:SS]` fixes the clock for reproducible test runs, and only
//! in debug builds: a release binary has no override at all, so an environment
//! variable cannot skip the turn lock, admit a future signature or forge a recorded
//! Date/Time.

use chrono::NaiveDateTime;

/// The environment variable that fixes the clock (debug builds only).
pub const OVERRIDE_VAR: &str = "GOV_NOW";

/// Whether this build honours [`OVERRIDE_VAR`].
pub const OVERRIDE_ALLOWED: bool = cfg!(debug_assertions);

/// "Now" in UTC: the system clock, or in a debug build `GOV_NOW` when it is set and
/// well-formed.
pub fn now_utc() -> NaiveDateTime {
    let fixed = std::env::var(OVERRIDE_VAR).ok();
    resolve(fixed.as_deref(), OVERRIDE_ALLOWED, system_utc)
}

fn system_utc() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The clock's value given the override's text, whether overrides are allowed, and the
/// system clock. Split out so that the release rule is tested in a debug build.
pub fn resolve(
    fixed: Option<&str>,
    allowed: bool,
    system: impl FnOnce() -> NaiveDateTime,
) -> NaiveDateTime {
    fixed
        .filter(|_| allowed)
        .and_then(parse_override)
        .unwrap_or_else(system)
}

fn parse_override(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn an_override_is_honoured_only_where_allowed() {
        let system = || at("2030-01-01T00:00:00");
        assert_eq!(
            resolve(Some("2026-11-21T12:00"), true, system),
            at("2026-11-21T12:00:00")
        );
        // a release build: the variable is ignored, the system clock decides
        assert_eq!(resolve(Some("2026-11-21T12:00"), false, system), system());
        // a malformed value never moves the clock
        assert_eq!(resolve(Some("tomorrow"), true, system), system());
        assert_eq!(resolve(None, true, system), system());
    }
}
