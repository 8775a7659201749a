//! Reading gov.yaml: YAML → JSON value (serde-saphyr, behind this one module) →
//! typed `Config` with the failing key path (serde_path_to_error), then semantic checks.

use super::Config;
use crate::diag::codes::cfg;
use crate::diag::{CodeInfo, Diagnostic};

#[derive(Debug, Clone)]
pub struct ConfigError {
    pub code: &'static CodeInfo,
    pub path: String,
    pub key: Option<String>,
    pub line: Option<usize>,
    pub reason: String,
}

impl ConfigError {
    pub fn diagnostic(&self) -> Diagnostic {
        let msg = match &self.key {
            Some(k) => format!("{}: key `{k}`: {}", self.path, self.reason),
            None => format!("{}: {}", self.path, self.reason),
        };
        let d = Diagnostic::new(self.code, msg);
        match self.line {
            Some(l) => d.at_line(self.path.clone(), l),
            None => d.in_file(self.path.clone()),
        }
    }
}

/// Parses configuration text. `path` is only used in error messages.
pub fn load_file(path: &str, text: &str) -> Result<Config, ConfigError> {
    let err = |code, key: Option<String>, line, reason: String| ConfigError {
        code,
        path: path.to_string(),
        key,
        line,
        reason,
    };
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let value: serde_json::Value = serde_saphyr::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let line = line_in_message(&msg);
        err(&cfg::CONFIG_SYNTAX, None, line, first_line(&msg))
    })?;
    if value.is_null() {
        return Ok(Config::default());
    }
    let config: Config = serde_path_to_error::deserialize(&value).map_err(|e| {
        let key = e.path().to_string();
        let reason = e.inner().to_string();
        let code = if reason.starts_with("unknown field") {
            &cfg::CONFIG_UNKNOWN_KEY
        } else {
            &cfg::CONFIG_INVALID_VALUE
        };
        let (key, line) = if key == "." {
            (None, None)
        } else {
            (Some(key.clone()), key_line(text, &key, &reason))
        };
        err(code, key, line, reason)
    })?;
    validate(&config).map_err(|(key, reason)| {
        let line = key_line(text, &key, "");
        err(&cfg::CONFIG_INVALID_VALUE, Some(key), line, reason)
    })?;
    Ok(config)
}

/// A week of clock skew: more is no longer skew.
pub const MAX_CLOCK_SKEW_MINUTES: i64 = 7 * 24 * 60;
/// A year between refinement and signature.
pub const MAX_REFINEMENT_GAP_SECONDS: i64 = 365 * 24 * 60 * 60;

fn validate(c: &Config) -> Result<(), (String, String)> {
    if c.version != 1 {
        return Err((
            "version".into(),
            format!("schema version {} is not supported; use 1", c.version),
        ));
    }
    for (code, _) in c.severity_overrides() {
        if crate::diag::codes::find(&code).is_none_or(|i| i.code != code) {
            return Err((
                format!("severity.{code}"),
                format!("`{code}` is not a gov diagnostic code (see `gov explain --list`)"),
            ));
        }
    }
    for t in &c.review_required_tiers {
        if crate::model::packet::RiskTier::parse(t).is_none() {
            return Err((
                "review_required_tiers".into(),
                format!("`{t}` is not LOW, MEDIUM or HIGH"),
            ));
        }
    }
    if let Some(p) = &c.spec.roadmap_heading {
        if let Err(e) = regex::Regex::new(p) {
            return Err((
                "spec.roadmap_heading".into(),
                format!("not a valid regular expression: {e}"),
            ));
        }
    }
    for g in &c.guard.exempt {
        if let Err(e) = globset::Glob::new(g) {
            return Err((
                "guard.exempt".into(),
                format!("`{g}` is not a valid glob: {e}"),
            ));
        }
    }
    // time arithmetic on these values must not overflow (a panic is never an answer)
    for (key, value, max) in [
        (
            "signatures.clock_skew_minutes",
            c.signatures.clock_skew_minutes,
            MAX_CLOCK_SKEW_MINUTES,
        ),
        (
            "signatures.refinement_gap_seconds",
            c.signatures.refinement_gap_seconds,
            MAX_REFINEMENT_GAP_SECONDS,
        ),
    ] {
        if !(0..=max).contains(&value) {
            return Err((key.into(), format!("{value} is not between 0 and {max}")));
        }
    }
    let b = &c.packet.bounds;
    for (name, [lo, hi]) in [
        ("in_scope_paths", b.in_scope_paths),
        ("done_means", b.done_means),
        ("files_to_open", b.files_to_open),
        ("search_terms", b.search_terms),
        ("run_commands", b.run_commands),
        ("risk_map", b.risk_map),
    ] {
        if lo > hi {
            return Err((
                format!("packet.bounds.{name}"),
                format!("minimum {lo} is larger than maximum {hi}"),
            ));
        }
    }
    c.scan.validate()?;
    c.codex.validate()?;
    for (key, v) in c.layout_paths() {
        if let Some(v) = v {
            // the gate state may live beside the repository (`../gov_runtime/...`): gov
            // never reads it there, but says it is not available instead of failing
            let v = match key {
                "paths.gate_state" => strip_parent_segments(v),
                _ => v,
            };
            if crate::paths::check_relative(v).is_err() {
                return Err((
                    key.to_string(),
                    format!("`{v}` must be a relative path inside the repository"),
                ));
            }
        }
    }
    Ok(())
}

impl Config {
    fn layout_paths(&self) -> [(&'static str, &Option<String>); 8] {
        let p = &self.paths;
        [
            ("paths.spec_pointer", &p.spec_pointer),
            ("paths.task_board", &p.task_board),
            ("paths.signature_audit", &p.signature_audit),
            ("paths.packets", &p.packets),
            ("paths.stubs", &p.stubs),
            ("paths.refinements", &p.refinements),
            ("paths.packet_template", &p.packet_template),
            ("paths.gate_state", &p.gate_state),
        ]
    }
}

/// `../../x/y` → `x/y`: what must still be a clean relative path after the leading
/// `..` segments of a path that points beside the repository.
pub fn strip_parent_segments(p: &str) -> &str {
    let mut rest = p;
    while let Some(r) = rest.strip_prefix("../") {
        rest = r;
    }
    rest
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

/// serde-saphyr reports positions as `line N`; pick the first number after "line".
fn line_in_message(msg: &str) -> Option<usize> {
    let lower = msg.to_ascii_lowercase();
    let at = lower.find("line")?;
    let digits: String = lower[at + 4..]
        .trim_start_matches([' ', ':'])
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// The line where the last segment of a key path (or the unknown field) is written.
fn key_line(text: &str, key: &str, reason: &str) -> Option<usize> {
    let unknown = reason
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next());
    let last = unknown.unwrap_or_else(|| key.rsplit('.').next().unwrap_or(key));
    let last = last.split('[').next().unwrap_or(last);
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.starts_with(&format!("{last}:")) || t.starts_with(&format!("\"{last}\":"))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let c = load_file(
            "gov.yaml",
            "version: 1\nlayout: dotgov\nspec:\n  required_anchors: [\"2.3.12\"]\n",
        )
        .unwrap();
        assert_eq!(c.layout, Some(super::super::LayoutName::Dotgov));
        assert_eq!(c.spec.required_anchors, ["2.3.12"]);
        assert_eq!(c.packet.bounds.in_scope_paths, [5, 20]);
        assert!(load_file("gov.yaml", "").is_ok());
    }

    #[test]
    fn unknown_key_is_named_with_line() {
        let e = load_file("gov.yaml", "version: 1\npaths:\n  taskboard: x\n").unwrap_err();
        assert_eq!(e.code.code, "CFG002");
        assert_eq!(e.key.as_deref(), Some("paths.taskboard"));
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn bad_values() {
        let e = load_file("gov.yaml", "review_required_tiers: [EXTREME]\n").unwrap_err();
        assert_eq!(e.code.code, "CFG003");
        let e = load_file("gov.yaml", "severity:\n  PKT999: error\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("severity.PKT999"));
        let e = load_file("gov.yaml", "git:\n  main_branch: [1]\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("git.main_branch"));
        let e = load_file("gov.yaml", "paths:\n  task_board: ../../etc/passwd\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("paths.task_board"));
        let e = load_file("gov.yaml", "paths:\n  gate_state: ../a/../../etc/x\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("paths.gate_state"));
        assert!(load_file("gov.yaml", "paths:\n  gate_state: ../rt/GATES.json\n").is_ok());
        let e = load_file("gov.yaml", "packets:\n  prefer: newest\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("packets.prefer"));
        let e = load_file(
            "gov.yaml",
            "signatures:\n  clock_skew_minutes: 9999999999999\n",
        )
        .unwrap_err();
        assert_eq!(e.key.as_deref(), Some("signatures.clock_skew_minutes"));
        assert_eq!(e.line, Some(2));
        let e = load_file("gov.yaml", "signatures:\n  refinement_gap_seconds: -1\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("signatures.refinement_gap_seconds"));
        let e = load_file("gov.yaml", "version: [\n").unwrap_err();
        assert_eq!(e.code.code, "CFG001");
    }
}
