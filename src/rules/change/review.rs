//! Check 4: risk tiers listed in `review_required_tiers` (default MEDIUM and HIGH)
//! need a passing review record; the latest record counts.

use super::{ChangeCheck, CheckResult, Finding};
use crate::diag::codes::git;
use crate::model::packet::TierValue;
use crate::model::validation::Outcome;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let Some(tier) = c.packet.risk_tier() else {
        return CheckResult::skipped("review");
    };
    let TierValue::Tier(t) = tier.value else {
        return CheckResult::skipped("review"); // pre-work reports an unset tier
    };
    let required = c
        .config
        .review_required_tiers
        .iter()
        .any(|r| r.eq_ignore_ascii_case(t.as_str()));
    if !required {
        return CheckResult::skipped("review");
    }
    let records = c.packet.review_records();
    let finding = match records.last() {
        None => Some(c.at(
            &git::REVIEW_MISSING,
            format!(
                "RISK_TIER {} requires a review (review_required_tiers) and none is recorded",
                t.as_str()
            ),
            tier.line,
            tier.column,
        )),
        Some(r) => match r.outcome {
            Outcome::Pass => None,
            Outcome::Fail | Outcome::Blocked => Some(c.at(
                &git::REVIEW_FAILED,
                format!("the latest review record reads `{}`", r.text),
                r.line,
                r.column,
            )),
            Outcome::Other => Some(c.at(
                &git::REVIEW_MISSING,
                format!(
                    "RISK_TIER {} requires a passing review; the latest review record reads `{}`",
                    t.as_str(),
                    r.text
                ),
                r.line,
                r.column,
            )),
        },
    };
    CheckResult::new("review", finding.into_iter().map(Finding::packet).collect())
}
