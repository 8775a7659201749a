//! The Codex: the project's hard invariants (`### CX-101: Title` sections with
//! `**Rule**:`, `**Scope**:`, … lines). A rule whose section holds a fenced ```gov
//! block is machine-checked: the block is a `scan.rules` entry (pattern, allowed_in,
//! languages, globs, exclude, message, …) whose code is the rule's CX code, so the
//! rule, its rationale and its check live in one place.

use crate::config::scan::ScanRule;
use crate::text::Source;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct CodexRule {
    /// `CX-101`.
    pub code: String,
    pub title: String,
    /// 1-based line of the rule's heading.
    pub line: usize,
    /// The `**Rule**:` text, the rationale a finding quotes.
    pub rule: Option<String>,
    /// The machine check, when the section holds a `gov` block that parsed.
    pub check: Option<ScanRule>,
    /// How many `gov` blocks the section holds (one is allowed).
    pub blocks: usize,
}

/// A `gov` block that could not be used, with the line of its opening fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockProblem {
    pub code: String,
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Codex {
    pub path: String,
    pub rules: Vec<CodexRule>,
    pub problems: Vec<BlockProblem>,
}

fn heading() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::text::static_regex(
            r"^#{1,6}\s+(CX-[A-Za-z0-9][A-Za-z0-9_-]*)\s*[:\-–—]?\s*(.*?)\s*#*\s*$",
        )
    })
}

/// A fence opener or closer: its marker character and length, and the info string.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then(|| (c, n, t[n..].trim()))
}

impl Codex {
    pub fn parse(source: &Source) -> Codex {
        let mut codex = Codex {
            path: source.path.clone(),
            ..Codex::default()
        };
        let mut open_fence: Option<(char, usize, usize, bool)> = None; // marker, len, line, is gov
        let mut block = String::new();
        for (i, line) in source.text.lines().enumerate() {
            let n = i + 1;
            if let Some((c, len, start, gov)) = open_fence {
                let closes = fence(line)
                    .is_some_and(|(fc, flen, info)| fc == c && flen >= len && info.is_empty());
                if closes {
                    if gov {
                        codex.take_block(&block, start);
                    }
                    open_fence = None;
                    block.clear();
                } else if gov {
                    block.push_str(line);
                    block.push('\n');
                }
                continue;
            }
            if let Some((c, len, info)) = fence(line) {
                let gov = info.split_whitespace().next() == Some("gov");
                open_fence = Some((c, len, n, gov));
                continue;
            }
            if let Some(m) = heading().captures(line) {
                codex.rules.push(CodexRule {
                    code: m[1].to_string(),
                    title: m[2].to_string(),
                    line: n,
                    rule: None,
                    check: None,
                    blocks: 0,
                });
            } else if line.trim_start().starts_with('#') {
                // another heading ends the rule's section: later blocks are not its check
                if line.trim_start().trim_start_matches('#').starts_with(' ') {
                    codex.rules.push(CodexRule {
                        code: String::new(),
                        title: String::new(),
                        line: n,
                        rule: None,
                        check: None,
                        blocks: 0,
                    });
                }
            } else if let Some(text) = field(line, "Rule") {
                if let Some(r) = codex.rules.last_mut() {
                    r.rule.get_or_insert_with(|| text.to_string());
                }
            }
        }
        if let Some((_, _, start, true)) = open_fence {
            codex.problem_at_last(start, "the `gov` block is never closed".into());
        }
        codex.rules.retain(|r| !r.code.is_empty());
        codex
    }

    fn take_block(&mut self, yaml: &str, line: usize) {
        let Some(last) = self
            .rules
            .len()
            .checked_sub(1)
            .filter(|&i| !self.rules[i].code.is_empty())
        else {
            self.problems.push(BlockProblem {
                code: String::new(),
                line,
                reason: "a `gov` block outside any CX rule section".into(),
            });
            return;
        };
        let code = self.rules[last].code.clone();
        self.rules[last].blocks += 1;
        if self.rules[last].blocks > 1 {
            return self.problem_at_last(
                line,
                format!("{code} has a second `gov` block; one rule, one check"),
            );
        }
        let parsed: Result<ScanRule, String> =
            serde_saphyr::from_str(yaml).map_err(|e| e.to_string());
        match parsed {
            Ok(mut check) if check.code.is_empty() || check.code == code => {
                let rule = &mut self.rules[last];
                check.code = code;
                check.invariant = Some(true);
                if check.reason.is_none() {
                    check.reason = rule.rule.clone().or_else(|| Some(rule.title.clone()));
                }
                if check.message.is_none() {
                    check.message = Some(format!("{}: {}", rule.code, rule.title));
                }
                rule.check = Some(check);
            }
            Ok(check) => self.problem_at_last(
                line,
                format!("the block's code `{}` is not the rule's {code}", check.code),
            ),
            Err(e) => {
                let first = e
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                self.problem_at_last(line, format!("the block is not a scan rule: {first}"))
            }
        }
    }

    fn problem_at_last(&mut self, line: usize, reason: String) {
        let code = self
            .rules
            .last()
            .map(|r| r.code.clone())
            .unwrap_or_default();
        self.problems.push(BlockProblem { code, line, reason });
    }

    /// The machine-checked rules as `scan.rules` entries.
    pub fn checks(&self) -> Vec<ScanRule> {
        self.rules.iter().filter_map(|r| r.check.clone()).collect()
    }
}

/// The value of a `**Name**: value` (or `**Name:** value`) line.
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let t = line.trim_start().trim_start_matches("- ");
    let rest = t.strip_prefix("**")?.strip_prefix(name)?;
    let rest = rest
        .strip_prefix("**:")
        .or_else(|| rest.strip_prefix(":**"))?;
    Some(rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Codex {
        Codex::parse(&Source::from_bytes("Codex v1.0.md", text.as_bytes()))
    }

    const DOC: &str = "# P Codex v1.0\n\n## Hard Invariants\n\n### CX-101: LLM Boundary\n**Rule**: only the client calls the API\n\n```gov\npattern: 'openai\\.'\nallowed_in: ['src/llm/**']\n```\n\n### CX-105: Coverage\n**Rule**: 80%\n\n```bash\necho not a check\n```\n";

    #[test]
    fn rules_with_and_without_checks() {
        let c = parse(DOC);
        assert_eq!(c.rules.len(), 2);
        let r = &c.rules[0];
        assert_eq!(
            (r.code.as_str(), r.title.as_str(), r.line),
            ("CX-101", "LLM Boundary", 5)
        );
        let check = r.check.as_ref().expect("check");
        assert_eq!(check.code, "CX-101");
        assert_eq!(
            check.allowed_in.as_deref(),
            Some(&["src/llm/**".to_string()][..])
        );
        assert_eq!(check.invariant, Some(true));
        assert_eq!(
            check.reason.as_deref(),
            Some("only the client calls the API")
        );
        assert!(c.rules[1].check.is_none(), "a bash block is not a check");
        assert!(c.problems.is_empty());
    }

    #[test]
    fn bad_blocks_are_problems_not_silence() {
        let c = parse("### CX-1: A\n```gov\npattern: [unclosed\n```\n### CX-2: B\n```gov\ncode: CX-9\npattern: x\n```\n```gov\npattern: y\n```\n");
        let reasons: Vec<&str> = c.problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(c.problems.len(), 3, "{reasons:?}");
        assert!(reasons[1].contains("CX-9"));
        assert!(reasons[2].contains("second"));
    }

    #[test]
    fn a_block_after_another_heading_is_not_the_rules_check() {
        let c = parse("### CX-1: A\n## Appendix\n```gov\npattern: x\n```\n");
        assert!(c.rules[0].check.is_none());
        assert_eq!(c.problems.len(), 1);
    }

    #[test]
    fn a_heading_inside_a_fence_is_not_a_rule() {
        let c = parse("````md\n### CX-7: in an example\n````\n");
        assert!(c.rules.is_empty());
    }
}
