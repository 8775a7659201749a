//! The registry of diagnostic codes. Codes are contracts: agents and CI scripts match
//! on them, so a code is never renamed or reused. Each area keeps its codes in its own
//! file; `all()` is the full list that `gov explain` reads and the `codes_pinned` test
//! pins.

use super::Severity;

pub mod brd;
pub mod cdx;
pub mod cfg;
pub mod git;
pub mod gov;
pub mod grd;
pub mod lif;
pub mod pkt;
pub mod reference;
#[path = "ref.rs"]
pub mod refinement;
pub mod scn;
pub mod sig;
pub mod spc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    /// Default severity; a repository may change it with `severity:` in gov.yaml.
    pub severity: Severity,
    /// One line: what the finding means.
    pub title: &'static str,
    /// Default `help` line: how to fix it.
    pub help: &'static str,
    /// A paragraph for `gov explain`: why the rule exists.
    pub explanation: &'static str,
}

/// Every code gov can emit, grouped by area.
pub fn all() -> Vec<&'static CodeInfo> {
    [
        gov::ALL,
        cfg::ALL,
        pkt::ALL,
        sig::ALL,
        refinement::ALL,
        spc::ALL,
        brd::ALL,
        git::ALL,
        scn::ALL,
        cdx::ALL,
        lif::ALL,
        grd::ALL,
    ]
    .iter()
    .flat_map(|area| area.iter().copied())
    .collect()
}

/// Looks a code up case-insensitively (`pkt003` finds `PKT003`).
pub fn find(code: &str) -> Option<&'static CodeInfo> {
    all()
        .into_iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
}

/// Declares code constants and the area's `ALL` list in one go, so a code cannot be
/// defined without being registered.
#[macro_export]
macro_rules! declare_codes {
    ($($name:ident = $code:literal, $sev:ident, $title:literal, help: $help:literal, why: $why:literal;)+) => {
        $(
            pub const $name: $crate::diag::CodeInfo = $crate::diag::CodeInfo {
                code: $code,
                severity: $crate::diag::Severity::$sev,
                title: $title,
                help: $help,
                explanation: $why,
            };
        )+
        pub const ALL: &[&$crate::diag::CodeInfo] = &[$(&$name),+];
    };
}
