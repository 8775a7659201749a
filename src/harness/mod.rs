//! Each coding-agent harness's hook protocol: how its events arrive (JSON on
//! standard input), how a decision is answered (JSON on standard output, exit
//! codes), and where its project-level hook configuration lives. The formats are
//! pinned by fixtures in `tests/fixtures/agents/<harness>/`, each citing the
//! harness's documentation.

pub mod config;
mod event;
mod render;
mod tools;

pub use event::{parse_event, Event, EventError};
pub use render::{render_pre_tool, render_stop, render_unreadable, HookOutput};
pub use render::{
    Empty, Followup, GuardData, HookDecision, Permission, PreToolDeny, PreToolOutput, SystemMessage,
};

use clap::ValueEnum;

/// The harnesses gov speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum Harness {
    /// Claude Code: `.claude/settings.json`, PreToolUse and Stop
    Claude,
    /// OpenAI Codex CLI: `.codex/hooks.json`, PreToolUse and Stop
    Codex,
    /// Cursor: `.cursor/hooks.json`, preToolUse, beforeShellExecution and stop
    Cursor,
    /// Gemini CLI: `.gemini/settings.json`, BeforeTool and AfterAgent
    Gemini,
}

pub const ALL: [Harness; 4] = [
    Harness::Claude,
    Harness::Codex,
    Harness::Cursor,
    Harness::Gemini,
];

impl Harness {
    pub fn as_str(self) -> &'static str {
        match self {
            Harness::Claude => "claude",
            Harness::Codex => "codex",
            Harness::Cursor => "cursor",
            Harness::Gemini => "gemini",
        }
    }

    /// The project-level hook configuration file.
    pub fn config_file(self) -> &'static str {
        match self {
            Harness::Claude => ".claude/settings.json",
            Harness::Codex => ".codex/hooks.json",
            Harness::Cursor => ".cursor/hooks.json",
            Harness::Gemini => ".gemini/settings.json",
        }
    }
}

/// Hook configuration files an agent could edit to switch its guard off: the
/// guard treats them as governance documents.
pub const CONFIG_FILES: [&str; 6] = [
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".codex/hooks.json",
    ".codex/config.toml",
    ".cursor/hooks.json",
    ".gemini/settings.json",
];
