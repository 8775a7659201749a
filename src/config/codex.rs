//! `codex:` keys: where the project's Codex (its hard invariants) lives, the
//! repository-hygiene policy, and what a commit message must name.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CodexConfig {
    /// The Codex document; absent: discovered by name (`* Codex v*.md`, `CODEX.md`) at
    /// the root and in the governance folders, the highest version winning.
    pub path: Option<String>,
    pub hygiene: HygieneConfig,
    pub commit_msg: CommitMsgConfig,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HygieneConfig {
    /// Patterns `.gitignore` must contain (compared after trimming `/` at either end).
    pub required_ignores: Vec<String>,
    /// Globs of build artifacts that must never be tracked.
    pub artifacts: Vec<String>,
    /// Untracked, not ignored files larger than this are findings (bytes; 0 = off).
    pub max_untracked_bytes: u64,
}

impl Default for HygieneConfig {
    fn default() -> Self {
        // the workflow guide's list (Codex CX-110, "Git Hygiene")
        let seed = [
            "target/",
            "node_modules/",
            "*.pdb",
            "*.dSYM",
            ".DS_Store",
            "Thumbs.db",
        ];
        HygieneConfig {
            required_ignores: seed.iter().map(|s| s.to_string()).collect(),
            artifacts: vec![
                "target/**".into(),
                "**/target/**".into(),
                "node_modules/**".into(),
                "**/node_modules/**".into(),
                "**/*.pdb".into(),
                "**/*.dSYM/**".into(),
                "**/.DS_Store".into(),
                "**/Thumbs.db".into(),
            ],
            max_untracked_bytes: 5 * 1024 * 1024,
        }
    }
}

/// Which WP a commit message must reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CommitMsgPolicy {
    /// Any packet that exists and is not closed (Done, Validated, Superseded).
    #[default]
    Active,
    /// Any packet that exists.
    Known,
    /// The packet assigned (by `gov start`) to the current branch or worktree.
    Assigned,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CommitMsgConfig {
    pub require: CommitMsgPolicy,
    /// Messages whose first line starts with one of these need no WP (`Merge `,
    /// `Revert `); empty by default: every commit references its WP (CX-110).
    pub exempt_prefixes: Vec<String>,
}

impl CodexConfig {
    pub fn validate(&self) -> Result<(), (String, String)> {
        for g in &self.hygiene.artifacts {
            if let Err(e) = globset::Glob::new(g) {
                return Err((
                    "codex.hygiene.artifacts".into(),
                    format!("`{g}` is not a valid glob: {e}"),
                ));
            }
        }
        if let Some(p) = &self.path {
            if crate::paths::check_relative(p).is_err() {
                return Err((
                    "codex.path".into(),
                    format!("`{p}` must be a relative path inside the repository"),
                ));
            }
        }
        Ok(())
    }
}
