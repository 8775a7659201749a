//! `scan:` keys for validator-scan.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScanConfig {
    /// Paths (relative to the root) to scan; default `src/` and `app/src/` where they
    /// exist, else the repository root.
    pub include: Vec<String>,
    /// Gitignore-style globs to skip.
    pub exclude: Vec<String>,
    /// Extra rules, or overrides of built-in rules by code.
    pub rules: Vec<ScanRule>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScanRule {
    /// Stable code; reusing a built-in code overrides that rule.
    pub code: String,
    /// Regular expression matched against each line.
    pub pattern: String,
    pub message: Option<String>,
    pub severity: Option<super::SeverityOverride>,
    /// Languages the rule applies to (`rust`, `typescript`, `javascript`, ...); empty = all.
    pub languages: Vec<String>,
    /// Globs of files the rule applies to; empty = all.
    pub globs: Vec<String>,
    /// Also match inside comments / string literals.
    pub in_comments: bool,
    pub in_strings: bool,
}
