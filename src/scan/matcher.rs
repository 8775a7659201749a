//! The combined matcher: one regular expression that is the alternation of every rule
//! that applies to a file, run once over the whole file. Its matches only nominate
//! candidate lines; each rule then confirms on those lines alone. The regex engine
//! extracts the literal prefixes of the alternation (`unwrap`, `println!`, `TODO`, ...)
//! into a SIMD prefilter, so a file without any candidate is skipped at memory speed,
//! the same way ripgrep searches.

use super::rules::RuleSet;
use regex::bytes::{Regex, RegexBuilder};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Combined expressions, one per distinct set of applicable rules (in practice one per
/// language and test/production split), built on first use and shared by all threads.
/// They are handed out as `Arc`s: cloning a `Regex` would give each file a fresh
/// search cache, and the lazy DFA would be rebuilt for every file.
#[derive(Debug, Default)]
pub struct Prefilters {
    cache: Mutex<HashMap<Vec<usize>, Option<Arc<Regex>>>>,
}

impl Prefilters {
    /// The combined expression for these rule indices (`None` if it cannot be built,
    /// in which case every line is a candidate).
    pub fn get(&self, rules: &RuleSet, applicable: &[usize]) -> Option<Arc<Regex>> {
        let mut cache = match self.cache.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(r) = cache.get(applicable) {
            return r.clone();
        }
        let alternation = applicable
            .iter()
            .map(|&i| format!("(?:{})", rules.rules[i].rule.pattern))
            .collect::<Vec<_>>()
            .join("|");
        let built = RegexBuilder::new(&alternation)
            .multi_line(true)
            .crlf(true)
            .size_limit(64 << 20)
            .dfa_size_limit(8 << 20)
            .build()
            .ok()
            .map(Arc::new);
        cache.insert(applicable.to_vec(), built.clone());
        built
    }
}
