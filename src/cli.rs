//! Command-line definitions. Names and options here are contracts (DESIGN.md).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub const EXIT_CODES_HELP: &str = "Exit codes:\n  0  the gate passed (no error diagnostics)\n  1  the gate failed (at least one error)\n  2  the gate could not be evaluated (usage, config, missing or unreadable document, internal error)";

#[derive(Debug, Parser)]
#[command(name = "gov", version, about = "Offline governance gates for spec-driven, multi-agent projects", after_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Repository root (default: discovered upward from the current directory)
    #[arg(short = 'C', long = "root", global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Configuration file (default: gov.yaml at the root)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour human output (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Gates print only errors and the verdict line; show, status, manifest and
    /// explain still print their answer
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Treat warnings as errors
    #[arg(long, global = true)]
    pub strict: bool,
    /// Neither read nor write the cache of parsed documents (also: GOV_NO_CACHE=1)
    #[arg(long, global = true)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning upload (gates only)
    Sarif,
    /// GitHub Actions annotations, one per diagnostic, plus a summary line (gates only)
    Github,
    /// JUnit XML: a test suite per gate, a test case per finding (gates only)
    Junit,
    /// A Mermaid flowchart (graph only; its default)
    Mermaid,
    /// Graphviz DOT (graph only)
    Dot,
    /// One self-contained HTML page (status only)
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold a governance tree that passes every gate
    Init(crate::commands::init::InitArgs),
    /// Create a packet from the template and add its board entry
    CreateTaskPacket(crate::commands::create_packet::CreateArgs),
    /// Gate 0: is the packet complete, concrete, anchored, signed and unblocked?
    PreWork(crate::commands::pre_work::PreWorkArgs),
    /// Gate 1: is the work done, in scope, and evidenced? (git-backed)
    PostWork(crate::commands::post_work::PostWorkArgs),
    /// Print a ready-to-paste deterministic-manifest entry for one changed file
    Manifest(crate::commands::manifest::ManifestArgs),
    /// Print a parsed packet (human or JSON), so agents never grep packets
    Show(crate::commands::show::ShowArgs),
    /// Explain a diagnostic code, or list them all
    Explain(crate::commands::explain::ExplainArgs),
    /// Spec pointer and anchor integrity
    #[command(alias = "validator-spec-regression")]
    SpecRegression(crate::commands::spec_regression::SpecRegressionArgs),
    /// Task board integrity: sections, packets, status drift, blocks, dependencies, SLAs
    #[command(alias = "task-board-check")]
    BoardCheck(crate::commands::board_check::BoardCheckArgs),
    /// May this phase close? Every gate WP VALIDATED, dependencies resolved, spec sound
    #[command(alias = "validator-phase-gate")]
    PhaseGate(crate::commands::phase_gate::PhaseGateArgs),
    /// One screen for the orchestrator: phase gates, states, drift, blocks, next commands
    Status(crate::commands::status::StatusArgs),
    /// Validate a packet's Technical Refinement Block and record it (starts the turn lock)
    RecordRefinement(crate::commands::record_refinement::RecordRefinementArgs),
    /// Consume a one-time user signature: audit row plus the packet's USER_SIGNATURE
    RecordSignature(crate::commands::record_signature::RecordSignatureArgs),
    /// Whole-repository signature checks (`gov signatures verify`)
    Signatures(crate::commands::signatures::SignaturesArgs),
    /// Forbidden and placeholder patterns in production code (code-aware, waivers, baselines, SARIF)
    ValidatorScan(crate::commands::validator_scan::ScanArgs),
    /// Install or remove the git hooks that run gov (pre-commit; commit-msg with --commit-msg)
    Hook(crate::commands::hook::HookArgs),
    /// The dependency graph of the board's WPs, coloured by state (Mermaid or DOT)
    Graph(crate::commands::graph::GraphArgs),
    /// Every repository-wide gate in one run and one report (what CI and agents run)
    Check(crate::commands::check::CheckArgs),
    /// The project's hard invariants: Codex rules, invariant scan rules, repository hygiene
    CodexCheck(crate::commands::codex_check::CodexCheckArgs),
    /// The commit-msg hook: the message names a WP it may name
    CommitMsg(crate::commands::commit_msg::CommitMsgArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(crate::commands::completions::CompletionsArgs),
    /// Print the man page, gov(1), in roff
    Man(crate::commands::completions::ManArgs),
    /// Print the JSON Schema of a command's JSON document or of gov.yaml (`--list`: all)
    Schema(crate::commands::schema::SchemaArgs),
    /// What layout discovery found, where and why; `--write-config` pins it in gov.yaml
    Doctor(crate::commands::doctor::DoctorArgs),
    /// Lifecycle: Backlog → Ready for Dev (pre-work must pass)
    Ready(crate::commands::lifecycle::ReadyArgs),
    /// Lifecycle: Ready for Dev → In Progress, recording coder, worktree and branch
    #[command(alias = "record-prepare")]
    Start(crate::commands::lifecycle::StartArgs),
    /// Lifecycle: In Progress → Ready for Validation (post-work must pass)
    Submit(crate::commands::lifecycle::SubmitArgs),
    /// Lifecycle: append a validation report; PASS → Done (VALIDATED), FAIL → In Progress
    Verdict(crate::commands::lifecycle::VerdictArgs),
    /// Lifecycle: block a packet on other WPs or for a reason
    Block(crate::commands::lifecycle::BlockArgs),
    /// Lifecycle: lift a block once every blocker is VALIDATED
    Unblock(crate::commands::lifecycle::UnblockArgs),
    /// Lifecycle: replace a packet by its variant, which takes its phase-gate places
    Supersede(crate::commands::lifecycle::SupersedeArgs),
    /// Task board maintenance (`gov board sync`)
    Board(crate::commands::board_sync::BoardArgs),
    /// Hook for coding agents: block a tool call that would write outside the active packet's scope
    Guard(crate::commands::guard::GuardArgs),
    /// Install, remove or check the guard in a coding agent's hook configuration
    Agent(crate::commands::agent::AgentArgs),
    /// Serve the gates as Model Context Protocol tools over standard input and output
    Mcp(crate::commands::mcp::McpArgs),
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Init(_) => "init",
            Command::CreateTaskPacket(_) => "create-task-packet",
            Command::PreWork(_) => "pre-work",
            Command::PostWork(_) => "post-work",
            Command::Manifest(_) => "manifest",
            Command::Show(_) => "show",
            Command::Explain(_) => "explain",
            Command::SpecRegression(_) => "spec-regression",
            Command::BoardCheck(_) => "board-check",
            Command::PhaseGate(_) => "phase-gate",
            Command::Status(_) => "status",
            Command::RecordRefinement(_) => "record-refinement",
            Command::RecordSignature(_) => "record-signature",
            Command::Signatures(_) => "signatures verify",
            Command::ValidatorScan(_) => "validator-scan",
            Command::Hook(_) => "hook",
            Command::Check(_) => "check",
            Command::Graph(_) => "graph",
            Command::CodexCheck(_) => "codex-check",
            Command::CommitMsg(_) => "commit-msg",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
            Command::Schema(_) => "schema",
            Command::Doctor(_) => "doctor",
            Command::Ready(_) => "ready",
            Command::Start(_) => "start",
            Command::Submit(_) => "submit",
            Command::Verdict(_) => "verdict",
            Command::Block(_) => "block",
            Command::Unblock(_) => "unblock",
            Command::Supersede(_) => "supersede",
            Command::Board(_) => "board sync",
            Command::Guard(_) => "guard",
            Command::Agent(_) => "agent",
            Command::Mcp(_) => "mcp",
        }
    }
}
