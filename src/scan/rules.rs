//! The rule set: built-in rules from the workflow seeds (forbidden patterns, placeholders,
//! CX-106 TODO tracking, CX-108 placeholder removal), merged with `scan.rules` from
//! gov.yaml and compiled once per run.

use super::lang::Lang;
use crate::config::scan::{ScanConfig, ScanRule};
use crate::diag::codes::scn;
use crate::diag::{CodeInfo, Diagnostic, Severity};
use crate::error::GovError;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexBuilder};

/// Where in a file a rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contexts {
    pub code: bool,
    pub comments: bool,
    pub strings: bool,
}

const CODE: Contexts = Contexts {
    code: true,
    comments: false,
    strings: false,
};
const CODE_AND_STRINGS: Contexts = Contexts {
    code: true,
    comments: false,
    strings: true,
};
const COMMENTS: Contexts = Contexts {
    code: false,
    comments: true,
    strings: false,
};

/// One rule, built-in or from gov.yaml.
#[derive(Debug, Clone)]
pub struct Rule {
    pub code: &'static str,
    /// Regular expression matched within one line (after NFC normalisation).
    pub pattern: String,
    /// A match whose text also matches this is not a finding (`TODO(PROJ-1)`).
    pub unless: Option<String>,
    pub message: String,
    pub reason: String,
    pub help: String,
    pub severity: Severity,
    /// Empty: every language gov knows.
    pub languages: Vec<Lang>,
    /// Empty: every file; otherwise globs relative to the root. A rule with globs
    /// also applies to files of languages gov does not know (as plain text).
    pub globs: Vec<String>,
    pub contexts: Contexts,
    pub in_tests: bool,
    pub builtin: bool,
    /// Globs where the pattern is permitted (a boundary: a match elsewhere is a finding).
    pub allowed_in: Vec<String>,
    /// Globs the rule skips.
    pub exclude: Vec<String>,
    /// A project invariant, run by `gov codex-check`.
    pub invariant: bool,
}

struct Builtin {
    info: &'static CodeInfo,
    pattern: &'static str,
    unless: Option<&'static str>,
    reason: &'static str,
    languages: &'static [Lang],
    contexts: Contexts,
    in_tests: bool,
}

const RUST: &[Lang] = &[Lang::Rust];
const JS: &[Lang] = &[Lang::TypeScript, Lang::JavaScript];
const ANY: &[Lang] = &[];

/// (code, pattern, languages, contexts) of the seeds' rules. Patterns are written for
/// the combined matcher: ASCII word boundaries (`(?-u:\b)`) so a non-ASCII byte never
/// switches the lazy DFA off, a distinctive literal at the start (`.expect`, not `\.\s*`)
/// and spelled-out case variants instead of `(?i)`, so the literal prefilter stays small.
const BUILTINS: &[Builtin] = &[
    b(
        &scn::UNWRAP,
        // `v.unwrap()`, and the path forms `Option::unwrap(v)`, `.map(Result::unwrap)`
        r"(?-u:\b)unwrap\s*\(\s*\)|::\s*unwrap(?-u:\b)",
        "panics on None or Err instead of handling it",
        RUST,
        CODE,
    ),
    b(
        &scn::EXPECT,
        r"\.expect\s*\(|::\s*expect(?-u:\b)",
        "panics on None or Err instead of handling it",
        RUST,
        CODE,
    ),
    b(
        &scn::TODO_MACRO,
        r"(?-u:\b)todo!",
        "incomplete code that panics when reached",
        RUST,
        CODE,
    ),
    b(
        &scn::UNIMPLEMENTED,
        r"(?-u:\b)unimplemented!",
        "incomplete code that panics when reached",
        RUST,
        CODE,
    ),
    b(
        &scn::DBG,
        r"(?-u:\b)dbg!",
        "debugging macro left in",
        RUST,
        CODE,
    ),
    b(
        &scn::PRINTLN,
        r"(?-u:\b)println!",
        "writes to stdout instead of logging",
        RUST,
        CODE,
    ),
    b(
        &scn::EPRINTLN,
        r"(?-u:\b)eprintln!",
        "writes to stderr instead of logging or returning an error",
        RUST,
        CODE,
    ),
    b(
        &scn::PANIC,
        r"(?-u:\b)panic!",
        "aborts instead of returning an error",
        RUST,
        CODE,
    ),
    b(
        &scn::MOCK,
        r"(?:(?-u:\b)|_)(?:Mock|mock|MOCK)(?:[A-Z0-9_]|s?(?-u:\b))",
        "mocks belong in tests",
        ANY,
        CODE_AND_STRINGS,
    ),
    b(
        &scn::STUB,
        r"(?:(?-u:\b)|_)(?:Stub|stub|STUB)(?:[A-Z0-9_]|s?(?-u:\b))",
        "a stub is hollow work",
        ANY,
        CODE_AND_STRINGS,
    ),
    Builtin {
        unless: Some(r"[=:]$"),
        ..b(
            &scn::PLACEHOLDER,
            r"(?-u:\b)(?:placeholder|Placeholder|PLACEHOLDER)(?:s|S)?(?-u:\b)(?:[ \t]*[=:])?",
            "placeholder values must not ship (CX-108)",
            ANY,
            CODE_AND_STRINGS,
        )
    },
    b(
        &scn::HOLLOW,
        r"(?-u:\b)(?:hollow|Hollow|HOLLOW)(?-u:\b)",
        "hollow code looks finished but does nothing",
        ANY,
        CODE_AND_STRINGS,
    ),
    Builtin {
        unless: Some(r"^TODO\([A-Z][A-Z0-9_]*-[0-9]+\)$"),
        ..b(
            &scn::TODO_UNTRACKED,
            r"(?-u:\b)TODO(?-u:\b)(?:\([^)\n]*\))?",
            "untracked TODOs accumulate (CX-106)",
            ANY,
            COMMENTS,
        )
    },
    b(
        &scn::FIXME,
        r"(?-u:\b)FIXME(?-u:\b)",
        "FIXME is a placeholder (CX-108)",
        ANY,
        COMMENTS,
    ),
    b(
        &scn::CONSOLE_LOG,
        r"(?-u:\b)console(?:\s*\.\s*log|\s*\[\s*[\x22'`]log[\x22'`]\s*\])\s*\(",
        "debugging output left in",
        JS,
        CODE,
    ),
    b(
        &scn::DEBUGGER,
        r"(?-u:\b)debugger(?-u:\b)",
        "pauses execution when developer tools are open",
        JS,
        CODE,
    ),
    Builtin {
        in_tests: true,
        ..b(
            &scn::FOCUSED_TEST,
            r"\.only\s*\(",
            "a focused test skips the rest of the suite",
            JS,
            CODE,
        )
    },
];

const fn b(
    info: &'static CodeInfo,
    pattern: &'static str,
    reason: &'static str,
    languages: &'static [Lang],
    contexts: Contexts,
) -> Builtin {
    Builtin {
        info,
        pattern,
        unless: None,
        reason,
        languages,
        contexts,
        in_tests: false,
    }
}

/// Test files by default: path-based exemption (`scan.test_paths` replaces it).
pub const DEFAULT_TEST_PATHS: &[&str] = &[
    "**/tests/**",
    "**/test/**",
    "**/benches/**",
    "**/examples/**",
    "**/__tests__/**",
    "**/tests.rs",
    "**/*_test.rs",
    "**/*_tests.rs",
    "**/*_test.go",
    "**/*.test.*",
    "**/*.spec.*",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
];

pub fn is_builtin_rule(code: &str) -> bool {
    BUILTINS.iter().any(|b| b.info.code == code)
}

/// Rule codes: a letter, then letters, digits, `-` or `_`; at most 32 characters.
pub fn is_valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && code.len() <= 32
}

impl Rule {
    fn builtin(b: &Builtin) -> Rule {
        Rule {
            code: b.info.code,
            pattern: b.pattern.to_string(),
            unless: b.unless.map(str::to_string),
            message: b.info.title.to_string(),
            reason: b.reason.to_string(),
            help: b.info.help.to_string(),
            severity: b.info.severity,
            languages: b.languages.to_vec(),
            globs: Vec::new(),
            contexts: b.contexts,
            in_tests: b.in_tests,
            builtin: true,
            allowed_in: Vec::new(),
            exclude: Vec::new(),
            invariant: false,
        }
    }

    fn custom(r: &ScanRule) -> Rule {
        let code = intern(r.code.trim());
        Rule {
            code,
            pattern: String::new(),
            unless: None,
            message: format!("forbidden pattern `{}`", r.pattern.as_deref().unwrap_or("")),
            reason: String::new(),
            help: format!("remove it, or waive it with `// gov:allow({code}) why`"),
            severity: Severity::Error,
            languages: Vec::new(),
            globs: Vec::new(),
            contexts: CODE,
            in_tests: false,
            builtin: false,
            allowed_in: Vec::new(),
            exclude: Vec::new(),
            invariant: false,
        }
    }

    /// Applies the keys a `scan.rules` entry sets. Returns false for `severity: off`.
    fn merge(&mut self, r: &ScanRule) -> bool {
        if let Some(p) = &r.pattern {
            self.pattern = p.clone();
        }
        if r.unless.is_some() {
            self.unless = r.unless.clone();
        }
        if let Some(m) = &r.message {
            self.message = m.clone();
        }
        if let Some(reason) = &r.reason {
            self.reason = reason.clone();
        }
        if let Some(l) = &r.languages {
            self.languages = l.iter().filter_map(|n| Lang::from_name(n)).collect();
        }
        if let Some(g) = &r.globs {
            self.globs = g.clone();
        }
        if let Some(g) = &r.allowed_in {
            self.allowed_in = g.clone();
        }
        if let Some(g) = &r.exclude {
            self.exclude = g.clone();
        }
        self.invariant = r.invariant.unwrap_or(self.invariant);
        let c = &mut self.contexts;
        c.code = r.in_code.unwrap_or(c.code);
        c.comments = r.in_comments.unwrap_or(c.comments);
        c.strings = r.in_strings.unwrap_or(c.strings);
        self.in_tests = r.in_tests.unwrap_or(self.in_tests);
        match r.severity.map(|s| s.severity()) {
            Some(None) => false,
            Some(Some(s)) => {
                self.severity = s;
                true
            }
            None => true,
        }
    }
}

/// Custom rule codes live for the whole run (diagnostics carry `&'static str` codes);
/// there are as many as gov.yaml declares, so leaking them is bounded.
fn intern(code: &str) -> &'static str {
    match BUILTINS.iter().find(|b| b.info.code == code) {
        Some(b) => b.info.code,
        None => Box::leak(code.to_string().into_boxed_str()),
    }
}

/// A rule with its compiled expressions.
#[derive(Debug)]
pub struct CompiledRule {
    pub rule: Rule,
    pub regex: Regex,
    pub unless: Option<Regex>,
    globs: Option<GlobSet>,
    /// `allowed_in` and `exclude` together: files where the rule never reports.
    exempt: Option<GlobSet>,
}

impl CompiledRule {
    pub fn applies_to(&self, rel: &str, lang: Option<Lang>) -> bool {
        let lang_ok = match lang {
            Some(l) => self.rule.languages.is_empty() || self.rule.languages.contains(&l),
            // a file gov cannot lex is only scanned by rules that name it by glob
            None => self.globs.is_some() && self.rule.languages.is_empty(),
        };
        lang_ok
            && self.globs.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exempt.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

/// The effective rules of a run, compiled once.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<CompiledRule>,
    test_paths: GlobSet,
    pub rust_test_items: bool,
}

impl RuleSet {
    /// Built-in rules merged with `scan.rules`. Invalid patterns are a configuration
    /// error (exit 2); the loader has normally caught them already.
    pub fn build(cfg: &ScanConfig) -> Result<RuleSet, GovError> {
        let mut rules: Vec<Option<Rule>> =
            BUILTINS.iter().map(|b| Some(Rule::builtin(b))).collect();
        for r in &cfg.rules {
            let code = r.code.trim();
            let slot = match rules
                .iter()
                .position(|x| x.as_ref().is_some_and(|x| x.code == code))
            {
                Some(i) => i,
                None => {
                    rules.push(Some(Rule::custom(r)));
                    rules.len() - 1
                }
            };
            if let Some(rule) = &mut rules[slot] {
                if !rule.merge(r) {
                    rules[slot] = None;
                }
            }
        }
        if let Some(id) = &cfg.todo_id {
            // the project's tracking-id form, unless the rule's own `unless` was set
            let overridden = cfg
                .rules
                .iter()
                .any(|r| r.code.trim() == scn::TODO_UNTRACKED.code && r.unless.is_some());
            if let Some(todo) = rules
                .iter_mut()
                .flatten()
                .find(|r| r.code == scn::TODO_UNTRACKED.code)
            {
                if !overridden {
                    todo.unless = Some(format!(r"^TODO\((?:{id})\)$"));
                }
            }
        }
        let compiled = rules
            .into_iter()
            .flatten()
            .map(compile)
            .collect::<Result<Vec<_>, _>>()?;
        let test_globs: Vec<String> = match &cfg.test_paths {
            Some(p) => p.clone(),
            None => DEFAULT_TEST_PATHS.iter().map(|s| s.to_string()).collect(),
        };
        Ok(RuleSet {
            rules: compiled,
            test_paths: globset(&test_globs).map_err(|e| config_error("scan.test_paths", e))?,
            rust_test_items: cfg.rust_test_items,
        })
    }

    pub fn is_test_path(&self, rel: &str) -> bool {
        self.test_paths.is_match(rel)
    }

    /// Whether any rule could apply to a file of this language (so the walker can skip
    /// reading files no rule looks at).
    pub fn wants(&self, rel: &str, lang: Option<Lang>, test_path: bool) -> bool {
        self.rules
            .iter()
            .any(|r| (r.rule.in_tests || !test_path) && r.applies_to(rel, lang))
    }
}

fn compile(rule: Rule) -> Result<CompiledRule, GovError> {
    let key = format!("scan.rules[{}]", rule.code);
    let regex = line_regex(&rule.pattern).map_err(|e| config_error(&key, e))?;
    let unless = match &rule.unless {
        Some(u) => Some(line_regex(u).map_err(|e| config_error(&key, e))?),
        None => None,
    };
    let optional_set = |globs: &[String]| -> Result<Option<GlobSet>, GovError> {
        match globs.is_empty() {
            true => Ok(None),
            false => globset(globs).map(Some).map_err(|e| config_error(&key, e)),
        }
    };
    let globs = optional_set(&rule.globs)?;
    let exempt: Vec<String> = rule
        .allowed_in
        .iter()
        .chain(&rule.exclude)
        .cloned()
        .collect();
    let exempt = optional_set(&exempt)?;
    Ok(CompiledRule {
        rule,
        regex,
        unless,
        globs,
        exempt,
    })
}

fn line_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .build()
        .map_err(|e| format!("`{pattern}` is not a valid regular expression: {e}"))
}

pub fn globset(globs: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("`{g}` is not a valid glob: {e}"))?;
        b.add(glob);
    }
    b.build().map_err(|e| e.to_string())
}

fn config_error(key: &str, reason: String) -> GovError {
    Diagnostic::new(
        &crate::diag::codes::cfg::CONFIG_INVALID_VALUE,
        format!("gov.yaml: key `{key}`: {reason}"),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(code: &str, line: &str) -> Vec<String> {
        let set = RuleSet::build(&ScanConfig::default()).unwrap();
        let r = set.rules.iter().find(|r| r.rule.code == code).unwrap();
        r.regex
            .find_iter(line.as_bytes())
            .map(|m| String::from_utf8_lossy(m.as_bytes()).to_string())
            .filter(|m| !r.unless.as_ref().is_some_and(|u| u.is_match(m.as_bytes())))
            .collect()
    }

    #[test]
    fn builtin_patterns_both_ways() {
        assert_eq!(
            hits("SCN010", "a.unwrap(); b.unwrap_or(1); c.unwrap_err()"),
            ["unwrap()"]
        );
        assert_eq!(
            hits("SCN011", "a.expect(\"x\"); expect_err(1)"),
            [".expect("]
        );
        assert_eq!(
            hits(
                "SCN010",
                "Option::unwrap(v); xs.map(Result::unwrap); a::unwrap_or(b)"
            ),
            ["::unwrap", "::unwrap"]
        );
        assert_eq!(hits("SCN011", "Option::expect(v, \"x\")"), ["::expect"]);
        assert_eq!(
            hits(
                "SCN040",
                "console.log(1); console['log'](2); console . log (3)"
            ),
            ["console.log(", "console['log'](", "console . log ("]
        );
        assert_eq!(hits("SCN015", "println!(); eprintln!()"), ["println!"]);
        assert_eq!(hits("SCN016", "println!(); eprintln!()"), ["eprintln!"]);
        assert_eq!(
            hits("SCN020", "MockDb mock_db db_mock mocks Mockito hammock"),
            ["MockD", "mock_", "_mock", "mocks"]
        );
        assert_eq!(hits("SCN021", "StubClient stubborn"), ["StubC"]);
        assert_eq!(
            hits(
                "SCN022",
                "let placeholder = 1; <input placeholder=\"x\"> Placeholder"
            ),
            ["Placeholder"]
        );
        assert_eq!(
            hits("SCN030", "TODO(PROJ-123) TODO() TODO(TBD) TODO: x"),
            ["TODO()", "TODO(TBD)", "TODO"]
        );
        assert_eq!(
            hits("SCN042", "describe.only(() => {}); x.only"),
            [".only("]
        );
    }

    #[test]
    fn config_overrides_and_disables() {
        let cfg: ScanConfig = serde_json::from_value(serde_json::json!({
            "rules": [
                {"code": "SCN015", "severity": "off"},
                {"code": "SCN010", "severity": "warning", "languages": ["rust", "go"]},
                {"code": "ACME1", "pattern": "legacy_api\\(", "message": "legacy API"}
            ]
        }))
        .unwrap();
        let set = RuleSet::build(&cfg).unwrap();
        assert!(set.rules.iter().all(|r| r.rule.code != "SCN015"));
        let unwrap = set.rules.iter().find(|r| r.rule.code == "SCN010").unwrap();
        assert_eq!(unwrap.rule.severity, Severity::Warning);
        assert_eq!(unwrap.rule.languages, [Lang::Rust, Lang::Go]);
        let custom = set.rules.iter().find(|r| r.rule.code == "ACME1").unwrap();
        assert_eq!(custom.rule.message, "legacy API");
        assert!(custom.applies_to("src/a.py", Some(Lang::Python)));
        assert!(!custom.applies_to("notes.txt", None));
    }

    #[test]
    fn test_paths() {
        let set = RuleSet::build(&ScanConfig::default()).unwrap();
        for p in [
            "tests/a.rs",
            "crates/x/tests/a.rs",
            "src/foo_test.rs",
            "app/src/a.test.ts",
            "benches/b.rs",
        ] {
            assert!(set.is_test_path(p), "{p}");
        }
        for p in ["src/lib.rs", "src/testing.rs", "src/contest/a.rs"] {
            assert!(!set.is_test_path(p), "{p}");
        }
    }
}
