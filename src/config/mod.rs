//! `gov.yaml`: the versioned configuration. Every key has a default, so a repository
//! laid out like the workflow guide needs no file at all. Unknown keys and bad values
//! are errors naming the file, the key and the reason.

pub mod codex;
mod layout;
mod load;
pub mod scan;

pub use layout::{Layout, LayoutName};
pub use load::{load_file, ConfigError, MAX_CLOCK_SKEW_MINUTES, MAX_REFINEMENT_GAP_SECONDS};

use crate::diag::Severity;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const CONFIG_FILE: &str = "gov.yaml";

/// The shape of a gov diagnostic code, for gov.yaml's schema (the loader also checks
/// that the code exists).
const CODE_PATTERN: &str = "^[A-Z]{2,4}[0-9]{3}$";

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Schema version of this file; only 1 exists.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// `docs` or `dotgov`; detected from the pointer file when absent.
    pub layout: Option<LayoutName>,
    pub paths: PathsConfig,
    pub spec: SpecConfig,
    pub packet: PacketConfig,
    /// Per-code severity changes: `{PKT012: error, BRD010: off}`. Each key must be a
    /// gov diagnostic code (`gov explain --list`).
    #[schemars(extend("propertyNames" = {"pattern": CODE_PATTERN}))]
    pub severity: BTreeMap<String, SeverityOverride>,
    /// Risk tiers whose post-work requires a passing review record.
    /// (`LOW`, `MEDIUM`, `HIGH`, any case).
    #[schemars(inner(regex(
        pattern = r"^([Ll][Oo][Ww]|[Mm][Ee][Dd][Ii][Uu][Mm]|[Hh][Ii][Gg][Hh])$"
    )))]
    pub review_required_tiers: Vec<String>,
    pub git: GitConfig,
    pub board: BoardConfig,
    pub signatures: SignatureConfig,
    pub scan: scan::ScanConfig,
    pub packets: PacketsConfig,
    pub guard: GuardConfig,
    /// The project's hard invariants: the Codex, repository hygiene, commit messages.
    pub codex: codex::CodexConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: 1,
            layout: None,
            paths: PathsConfig::default(),
            spec: SpecConfig::default(),
            packet: PacketConfig::default(),
            severity: BTreeMap::new(),
            review_required_tiers: vec!["MEDIUM".into(), "HIGH".into()],
            git: GitConfig::default(),
            board: BoardConfig::default(),
            signatures: SignatureConfig::default(),
            scan: scan::ScanConfig::default(),
            packets: PacketsConfig::default(),
            guard: GuardConfig::default(),
            codex: codex::CodexConfig::default(),
        }
    }
}

/// How packets that exist in several forms are read.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PacketsConfig {
    /// Which copy of a packet wins when it exists both as `WP-ID.md` and as a folder
    /// `WP-ID/packet.md` (or `packet.json`).
    pub prefer: PacketPreference,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PacketPreference {
    /// The folder copy, as the project's own resolver reads it (the default).
    #[default]
    Folder,
    Flat,
}

/// Any of these overrides the layout preset. Paths are relative to the repository root.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PathsConfig {
    pub spec_pointer: Option<String>,
    pub task_board: Option<String>,
    pub signature_audit: Option<String>,
    pub packets: Option<String>,
    pub stubs: Option<String>,
    pub refinements: Option<String>,
    pub packet_template: Option<String>,
    pub gate_state: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SpecConfig {
    /// Section numbers that must exist as Main Body headings (spec-regression).
    pub required_anchors: Vec<String>,
    /// Regex (case-insensitive by default) for the heading title that starts the Roadmap.
    pub roadmap_heading: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PacketConfig {
    pub bounds: Bounds,
    /// Accepted for compatibility with the design card; merged into top-level `severity`.
    #[schemars(extend("propertyNames" = {"pattern": CODE_PATTERN}))]
    pub severity: BTreeMap<String, SeverityOverride>,
    /// Post-work requires a deterministic manifest when the packet has PACKET_FORMAT_VERSION.
    pub require_manifest: bool,
    /// Packets with PACKET_FORMAT_VERSION must be ASCII-only.
    pub ascii_only: bool,
}

impl Default for PacketConfig {
    fn default() -> Self {
        PacketConfig {
            bounds: Bounds::default(),
            severity: BTreeMap::new(),
            require_manifest: true,
            ascii_only: true,
        }
    }
}

/// `[min, max]` entry counts; outside is a warning, empty is an error.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Bounds {
    pub in_scope_paths: [usize; 2],
    pub done_means: [usize; 2],
    pub files_to_open: [usize; 2],
    pub search_terms: [usize; 2],
    pub run_commands: [usize; 2],
    pub risk_map: [usize; 2],
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            in_scope_paths: [5, 20],
            done_means: [3, 10],
            files_to_open: [5, 15],
            search_terms: [10, 20],
            run_commands: [3, 6],
            risk_map: [3, 8],
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct GitConfig {
    /// The trunk used for `merge-base(main, HEAD)` when a diff range is not given.
    pub main_branch: String,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            main_branch: "main".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BoardConfig {
    pub sla_days: SlaDays,
}

/// Days in a state before board-check warns (work days are not modelled: calendar days).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SlaDays {
    pub backlog: u32,
    pub ready_for_dev: u32,
    pub in_progress: u32,
    pub ready_for_validation: u32,
    pub blocked: u32,
}

impl Default for SlaDays {
    fn default() -> Self {
        SlaDays {
            backlog: 5,
            ready_for_dev: 10,
            in_progress: 30,
            ready_for_validation: 3,
            blocked: 5,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SignatureConfig {
    /// Minutes a signature may lie in the future (clock skew between machines).
    #[schemars(range(min = 0, max = MAX_CLOCK_SKEW_MINUTES))]
    pub clock_skew_minutes: i64,
    /// Seconds that must pass between record-refinement and record-signature for a WP
    /// (the seed's mandatory turn boundary).
    #[schemars(range(min = 0, max = MAX_REFINEMENT_GAP_SECONDS))]
    pub refinement_gap_seconds: i64,
    /// Whether a refinement file is required before signing; the `dotgov` layout
    /// requires one when this is not set.
    pub require_refinement: Option<bool>,
}

impl Default for SignatureConfig {
    fn default() -> Self {
        SignatureConfig {
            clock_skew_minutes: 5,
            refinement_gap_seconds: 60,
            require_refinement: None,
        }
    }
}

/// `gov guard`, the write-time scope guard for coding-agent hooks.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct GuardConfig {
    /// Let a call through (with a warning) when the guard cannot decide, instead of
    /// blocking it.
    pub fail_open: bool,
    /// Globs of repository paths any packet may write (build output, scratch files).
    pub exempt: Vec<String>,
}

/// A code's severity in gov.yaml: `error`, `warning`, `note` or `off` (any case;
/// `none` and `ignore` also mean off, and so does YAML's boolean `false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityOverride {
    Error,
    Warning,
    Note,
    /// Drop the diagnostic entirely.
    Off,
}

impl<'de> Deserialize<'de> for SeverityOverride {
    /// Accepts `error`, `warning`, `note`, `off` — and YAML 1.1's boolean `off`/`false`,
    /// which is what an unquoted `off` becomes.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            Flag(bool),
        }
        match Raw::deserialize(d)? {
            Raw::Flag(false) => Ok(SeverityOverride::Off),
            Raw::Flag(true) => Err(serde::de::Error::custom(
                "expected error, warning, note or off; found true",
            )),
            Raw::Word(w) => match w.to_ascii_lowercase().as_str() {
                "error" => Ok(SeverityOverride::Error),
                "warning" => Ok(SeverityOverride::Warning),
                "note" => Ok(SeverityOverride::Note),
                "off" | "none" | "ignore" => Ok(SeverityOverride::Off),
                other => Err(serde::de::Error::custom(format!(
                    "expected error, warning, note or off; found `{other}`"
                ))),
            },
        }
    }
}

/// Written by hand because the deserializer is: the words it takes in any case, or
/// `false` (an unquoted YAML 1.1 `off`).
impl JsonSchema for SeverityOverride {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SeverityOverride".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let any_case = |w: &str| -> String {
            w.chars()
                .map(|c| format!("[{}{}]", c, c.to_ascii_uppercase()))
                .collect()
        };
        let words: Vec<String> = ["error", "warning", "note", "off", "none", "ignore"]
            .iter()
            .map(|w| any_case(w))
            .collect();
        schemars::json_schema!({
            "description": "error, warning, note or off (any case; none and ignore also mean off, and so does false)",
            "anyOf": [
                {"type": "string", "pattern": format!("^({})$", words.join("|"))},
                {"const": false}
            ]
        })
    }
}

impl SeverityOverride {
    pub fn severity(self) -> Option<Severity> {
        match self {
            SeverityOverride::Error => Some(Severity::Error),
            SeverityOverride::Warning => Some(Severity::Warning),
            SeverityOverride::Note => Some(Severity::Note),
            SeverityOverride::Off => None,
        }
    }
}

/// Gives `d` its configured severity; `false` when the configuration turns it off.
pub fn override_severity(
    overrides: &BTreeMap<String, SeverityOverride>,
    d: &mut crate::diag::Diagnostic,
) -> bool {
    match overrides.get(d.code).map(|o| o.severity()) {
        Some(Some(s)) => {
            d.severity = s;
            true
        }
        Some(None) => false,
        None => true,
    }
}

impl Config {
    /// All severity overrides, `packet.severity` merged under top-level `severity`.
    pub fn severity_overrides(&self) -> BTreeMap<String, SeverityOverride> {
        let mut all = self.packet.severity.clone();
        all.extend(self.severity.clone());
        all
    }

    /// Applies severity overrides to a report's diagnostics (fatal reports untouched).
    pub fn apply_severity(&self, report: &mut crate::diag::Report) {
        if report.fatal {
            return;
        }
        let overrides = self.severity_overrides();
        if overrides.is_empty() {
            return;
        }
        report
            .diagnostics
            .retain_mut(|d| override_severity(&overrides, d));
    }

    /// How the spec's Roadmap heading is recognised: built in, or `spec.roadmap_heading`
    /// (matched case-insensitively; validated when the file is loaded).
    pub fn roadmap_regex(&self) -> crate::model::spec::RoadmapMatcher {
        use crate::model::spec::RoadmapMatcher;
        match &self.spec.roadmap_heading {
            None => RoadmapMatcher::Default,
            Some(p) => regex::RegexBuilder::new(p)
                .case_insensitive(true)
                .build()
                .map_or(RoadmapMatcher::Default, RoadmapMatcher::Pattern),
        }
    }
}
