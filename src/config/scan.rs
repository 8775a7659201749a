//! `scan:` keys for validator-scan.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScanConfig {
    /// Paths (relative to the root) to scan; default `src/` and `app/src/` where they
    /// exist, else the repository root.
    pub include: Vec<String>,
    /// Gitignore-style globs to skip.
    pub exclude: Vec<String>,
    /// Extra rules, or overrides of built-in rules by code.
    pub rules: Vec<ScanRule>,
    /// Globs (relative to the root) of test files, where rules do not apply unless they
    /// set `in_tests`. Absent: the built-in list (`tests/`, `benches/`, `examples/`,
    /// `*_test.rs`, `*.test.ts`, ...); an empty list turns path-based exemption off.
    pub test_paths: Option<Vec<String>>,
    /// Exempt Rust test items: `#[cfg(test)]` items and `#[test]` functions.
    pub rust_test_items: bool,
    /// The tracking-id form a TODO must carry (regex for what goes inside
    /// `TODO(...)`, e.g. `HSK-[0-9]{4}`); absent: `PROJ-123`-style ids.
    pub todo_id: Option<String>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            include: Vec::new(),
            exclude: Vec::new(),
            rules: Vec::new(),
            test_paths: None,
            rust_test_items: true,
            todo_id: None,
        }
    }
}

/// One entry of `scan.rules`. A new code needs a `pattern`; an entry that reuses a
/// built-in code changes only the keys it sets (`severity: off` disables the rule).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScanRule {
    /// Stable code; reusing a built-in code overrides that rule.
    pub code: String,
    /// Regular expression (Rust `regex` syntax) matched within each line.
    pub pattern: Option<String>,
    /// A match whose text also matches this expression is not a finding.
    pub unless: Option<String>,
    pub message: Option<String>,
    /// Why the pattern is forbidden (shown in the help line and in SARIF).
    pub reason: Option<String>,
    pub severity: Option<super::SeverityOverride>,
    /// Languages the rule applies to (`rust`, `typescript`, `javascript`, ...); empty = all.
    pub languages: Option<Vec<String>>,
    /// Globs of files the rule applies to; empty = all.
    pub globs: Option<Vec<String>>,
    /// Match in code (default true), inside comments, inside string literals.
    pub in_code: Option<bool>,
    pub in_comments: Option<bool>,
    pub in_strings: Option<bool>,
    /// Also match in test code (test paths and Rust test items).
    pub in_tests: Option<bool>,
    /// Globs where the pattern is permitted: a match anywhere else is a finding
    /// (boundary invariants: "only the API client may call `fetch(`").
    pub allowed_in: Option<Vec<String>>,
    /// Globs this rule skips.
    pub exclude: Option<Vec<String>>,
    /// A project invariant (Codex rule): `gov codex-check` runs it.
    pub invariant: Option<bool>,
}

impl ScanConfig {
    /// Semantic checks for `scan:`: every pattern and glob compiles, languages are
    /// known, new rules have a pattern, codes do not collide with other gov codes.
    pub fn validate(&self) -> Result<(), (String, String)> {
        for g in self.exclude.iter().chain(self.test_paths.iter().flatten()) {
            if let Err(e) = globset::Glob::new(g) {
                return Err(("scan".into(), format!("`{g}` is not a valid glob: {e}")));
            }
        }
        if let Some(id) = &self.todo_id {
            check_regex("todo_id", id).map_err(|reason| ("scan.todo_id".to_string(), reason))?;
        }
        for inc in &self.include {
            if crate::paths::check_relative(inc).is_err() {
                return Err((
                    "scan.include".into(),
                    format!("`{inc}` must be a relative path inside the repository"),
                ));
            }
        }
        for r in &self.rules {
            let key = format!("scan.rules[{}]", r.code);
            r.validate().map_err(|reason| (key, reason))?;
        }
        Ok(())
    }
}

impl ScanRule {
    fn validate(&self) -> Result<(), String> {
        let code = self.code.trim();
        if code.is_empty() {
            return Err("every rule needs a `code`".into());
        }
        if !crate::scan::rules::is_valid_code(code) {
            return Err(format!(
                "`{code}` is not a valid rule code (letters, digits, `-` or `_`, at most 32 characters, starting with a letter)"
            ));
        }
        let builtin = crate::scan::rules::is_builtin_rule(code);
        if !builtin && crate::diag::codes::find(code).is_some() {
            return Err(format!(
                "`{code}` is a gov diagnostic code that is not a scan rule; pick another code"
            ));
        }
        match &self.pattern {
            None if !builtin => return Err("a new rule needs a `pattern`".into()),
            Some(p) => check_regex("pattern", p)?,
            None => {}
        }
        if let Some(u) = &self.unless {
            check_regex("unless", u)?;
        }
        for l in self.languages.iter().flatten() {
            if crate::scan::lang::Lang::from_name(l).is_none() {
                return Err(format!(
                    "`{l}` is not a language gov knows ({})",
                    crate::scan::lang::Lang::names().join(", ")
                ));
            }
        }
        let globs = self.globs.iter().flatten();
        let scoped = self
            .allowed_in
            .iter()
            .flatten()
            .chain(self.exclude.iter().flatten());
        for g in globs.chain(scoped) {
            if let Err(e) = globset::Glob::new(g) {
                return Err(format!("`{g}` is not a valid glob: {e}"));
            }
        }
        Ok(())
    }
}

fn check_regex(key: &str, pattern: &str) -> Result<(), String> {
    if pattern.is_empty() {
        return Err(format!("`{key}` is empty"));
    }
    regex::bytes::Regex::new(pattern)
        .map(|_| ())
        .map_err(|e| format!("`{key}` is not a valid regular expression: {e}"))
}
