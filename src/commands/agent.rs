//! `gov agent install|uninstall|check <harness>`: the guard in a coding agent's
//! project-level hook configuration. Install merges gov's hooks into the file (never
//! replacing anything), uninstall removes exactly those hooks, and check feeds the
//! installed guard command two canary events in-process — a write outside the active
//! packet's scope, which must be blocked, and one inside, which must be allowed.

use super::guard::{hook, GuardArgs};
use super::Context;
use crate::cli::{Cli, Command};
use crate::diag::codes::grd;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::harness::{self, config, Harness};
use crate::io::RepoLock;
use crate::repo::Repo;
use clap::{Args, Parser, Subcommand};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Value};
use std::time::Duration;

#[derive(Debug, Args)]
pub struct AgentArgs {
    #[command(subcommand)]
    pub action: AgentAction,
}

#[derive(Debug, Subcommand)]
pub enum AgentAction {
    /// Merge gov's guard and stop hooks into the harness's project configuration
    Install { harness: Harness },
    /// Remove the hooks `gov agent install` added (and nothing else)
    Uninstall { harness: Harness },
    /// Prove the installed guard blocks an out-of-scope write and allows an in-scope one
    Check {
        /// The harness to check (default: every harness with the guard installed)
        harness: Option<Harness>,
        /// The active packet for the canaries (default: as the guard chooses it)
        #[arg(long, value_name = "WP_ID")]
        wp: Option<String>,
    },
}

impl AgentAction {
    pub fn name(&self) -> &'static str {
        match self {
            AgentAction::Install { .. } => "install",
            AgentAction::Uninstall { .. } => "uninstall",
            AgentAction::Check { .. } => "check",
        }
    }
}

/// The data of `gov agent install|uninstall|check`, one shape per action.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum AgentData {
    /// `gov agent install`.
    Install(AgentInstallData),
    /// `gov agent uninstall`.
    Uninstall(AgentUninstallData),
    /// `gov agent check`.
    Check(AgentCheckData),
}

/// What `gov agent install` did.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AgentInstallData {
    /// The harness (`claude`, `codex`, `cursor`, `gemini`).
    pub harness: String,
    /// Its project configuration file, relative to the repository root.
    pub file: String,
    /// Hooks added now (0 when all were installed already).
    pub added: usize,
    /// Every hook gov installs for the harness.
    pub hooks: Vec<AgentHook>,
}

/// One hook gov installs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AgentHook {
    /// The harness event it runs on.
    pub event: String,
    /// The tools it applies to, where the harness filters by tool.
    pub matcher: Option<String>,
    /// The command the harness runs.
    pub command: String,
}

/// What `gov agent uninstall` did.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AgentUninstallData {
    /// The harness (`claude`, `codex`, `cursor`, `gemini`).
    pub harness: String,
    /// Its project configuration file, relative to the repository root.
    pub file: String,
    /// Hooks removed (only those gov added).
    pub removed: usize,
}

/// What `gov agent check` found.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AgentCheckData {
    /// One check per installed guard hook.
    pub checks: Vec<AgentCheck>,
}

/// The two canary writes fed to one installed guard hook.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AgentCheck {
    /// The harness (`claude`, `codex`, `cursor`, `gemini`).
    pub harness: String,
    /// The hook's event.
    pub event: String,
    /// The installed command.
    pub command: String,
    /// A write outside every packet's scope: must be blocked.
    pub out_of_scope: Canary,
    /// A write inside the active packet's scope: must be allowed.
    pub in_scope: Canary,
}

/// One canary write and the guard's answer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Canary {
    /// The path written; absent when the canary did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The guard's answer.
    pub result: CanaryResult,
    /// The guard's reason, or why the canary did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Canary {
    fn ran(path: &str, blocked: bool, reason: String) -> Canary {
        Canary {
            path: Some(path.to_string()),
            result: if blocked {
                CanaryResult::Blocked
            } else {
                CanaryResult::Allowed
            },
            reason: Some(reason),
        }
    }
}

/// The guard's answer to a canary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum CanaryResult {
    /// The guard refused the write.
    #[serde(rename = "blocked")]
    Blocked,
    /// The guard let the write through.
    #[serde(rename = "allowed")]
    Allowed,
    /// The canary could not be run (see `reason`).
    #[serde(rename = "not run")]
    NotRun,
}

impl CanaryResult {
    fn as_str(self) -> &'static str {
        match self {
            CanaryResult::Blocked => "blocked",
            CanaryResult::Allowed => "allowed",
            CanaryResult::NotRun => "not run",
        }
    }
}

pub fn run(args: &AgentArgs, repo: &Repo, ctx: &Context) -> Result<Report, GovError> {
    match &args.action {
        AgentAction::Install { harness } => install(repo, *harness),
        AgentAction::Uninstall { harness } => uninstall(repo, *harness),
        AgentAction::Check { harness, wp } => check(repo, ctx, *harness, wp.as_deref()),
    }
}

fn lock(repo: &Repo) -> Result<RepoLock, GovError> {
    RepoLock::acquire(&repo.root, Duration::from_secs(10)).map_err(|error| GovError::Lock {
        path: RepoLock::path_for(&repo.root).display().to_string(),
        error,
    })
}

/// The harness's configuration, parsed; `None` when the file does not exist.
fn read_config(repo: &Repo, h: Harness) -> Result<Option<Value>, GovError> {
    let path = h.config_file();
    if !repo.exists(path) {
        return Ok(None);
    }
    let source = repo.read(path, "hook configuration")?;
    let unreadable = |why: String| -> GovError {
        Diagnostic::new(&grd::AGENT_CONFIG_UNREADABLE, format!("{path} {why}"))
            .in_file(path)
            .into()
    };
    if source.text.trim().is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(&source.text).map_err(|e| {
        unreadable(format!(
            "is not valid JSON ({e}); gov will not overwrite it"
        ))
    })?;
    if !value.is_object() {
        return Err(unreadable("is not a JSON object".into()));
    }
    Ok(Some(value))
}

fn write_config(repo: &Repo, h: Harness, value: Option<&Value>) -> Result<(), GovError> {
    let path = h.config_file();
    let full = crate::paths::resolve_inside(&repo.root, path).map_err(|u| {
        GovError::from(
            Diagnostic::new(
                &crate::diag::codes::gov::PATH_ESCAPES_ROOT,
                format!("{path} is refused: {}", u.reason),
            )
            .in_file(path),
        )
    })?;
    match value {
        Some(v) => {
            let mut text = serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into());
            text.push('\n');
            crate::io::write_inside(&repo.root, path, text.as_bytes()).map_err(GovError::Write)
        }
        None => match std::fs::remove_file(&full) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(GovError::Write(crate::io::WriteError { path: full, error })),
        },
    }
}

fn shape_error(h: Harness, e: config::ShapeError) -> GovError {
    Diagnostic::new(
        &grd::AGENT_CONFIG_UNREADABLE,
        format!("{}; gov will not overwrite it", e.0),
    )
    .in_file(h.config_file())
    .into()
}

fn install(repo: &Repo, h: Harness) -> Result<Report, GovError> {
    let _lock = lock(repo)?;
    let existing = read_config(repo, h)?;
    let (doc, added) = config::install(h, existing).map_err(|e| shape_error(h, e))?;
    if added > 0 {
        write_config(repo, h, Some(&doc))?;
    }
    let mut report = Report::new("agent install", Some(h.as_str().into()));
    report.informational = true;
    report.headline = vec![if added > 0 {
        format!(
            "gov guard installed for {} in {} ({added} hook(s) added)",
            h.as_str(),
            h.config_file()
        )
    } else {
        format!(
            "gov guard was already installed for {} in {}",
            h.as_str(),
            h.config_file()
        )
    }];
    report.set_typed(AgentData::Install(AgentInstallData {
        harness: h.as_str().to_string(),
        file: h.config_file().to_string(),
        added,
        hooks: config::entries(h)
            .into_iter()
            .map(|e| AgentHook {
                event: e.event.to_string(),
                matcher: e.matcher.map(str::to_string),
                command: e.command,
            })
            .collect(),
    }));
    report.next = vec![format!("gov agent check {}", h.as_str())];
    Ok(report)
}

fn uninstall(repo: &Repo, h: Harness) -> Result<Report, GovError> {
    let _lock = lock(repo)?;
    let mut removed = 0;
    if let Some(existing) = read_config(repo, h)? {
        let (left, n) = config::uninstall(h, existing).map_err(|e| shape_error(h, e))?;
        removed = n;
        if n > 0 {
            write_config(repo, h, left.as_ref())?;
        }
    }
    let mut report = Report::new("agent uninstall", Some(h.as_str().into()));
    report.informational = true;
    report.headline = vec![if removed > 0 {
        format!(
            "gov guard removed from {} ({removed} hook(s))",
            h.config_file()
        )
    } else {
        format!("gov guard was not installed in {}", h.config_file())
    }];
    report.set_typed(AgentData::Uninstall(AgentUninstallData {
        harness: h.as_str().to_string(),
        file: h.config_file().to_string(),
        removed,
    }));
    Ok(report)
}

fn check(
    repo: &Repo,
    ctx: &Context,
    only: Option<Harness>,
    wp: Option<&str>,
) -> Result<Report, GovError> {
    let mut report = Report::new("agent check", only.map(|h| h.as_str().to_string()));
    let mut results = Vec::new();
    let mut found_any = false;
    for h in harness::ALL
        .into_iter()
        .filter(|h| only.is_none_or(|o| o == *h))
    {
        let guards = match read_config(repo, h)? {
            Some(v) => config::installed_guards(h, &v),
            None => Vec::new(),
        };
        if guards.is_empty() {
            if only.is_some() {
                report.push(
                    Diagnostic::new(
                        &grd::AGENT_NOT_INSTALLED,
                        format!("no gov guard hook in {}", h.config_file()),
                    )
                    .in_file(h.config_file())
                    .help(format!("run `gov agent install {}`", h.as_str())),
                );
            }
            continue;
        }
        found_any = true;
        for (event, command) in guards {
            let outcome = canaries(repo, ctx, h, &event, &command, wp);
            results.push(AgentCheck {
                harness: h.as_str().to_string(),
                event,
                command,
                out_of_scope: outcome.out,
                in_scope: outcome.inside,
            });
            report.extend(outcome.problems);
        }
    }
    if !found_any && only.is_none() {
        report.push(Diagnostic::new(
            &grd::AGENT_NOT_INSTALLED,
            "no harness has the gov guard installed (looked in .claude/settings.json, .codex/hooks.json, .cursor/hooks.json, .gemini/settings.json)",
        ));
    }
    report.headline = results
        .iter()
        .map(|r| {
            format!(
                "{} {} `{}`: out-of-scope write {}, in-scope write {}",
                r.harness,
                r.event,
                r.command,
                r.out_of_scope.result.as_str(),
                r.in_scope.result.as_str(),
            )
        })
        .collect();
    report.set_typed(AgentData::Check(AgentCheckData { checks: results }));
    Ok(report)
}

struct Outcome {
    out: Canary,
    inside: Canary,
    problems: Vec<Diagnostic>,
}

/// Runs the installed command on the two canaries and judges the answers.
fn canaries(
    repo: &Repo,
    ctx: &Context,
    h: Harness,
    event: &str,
    command: &str,
    wp: Option<&str>,
) -> Outcome {
    let mut problems = Vec::new();
    let fail = |msg: String| {
        Diagnostic::new(&grd::AGENT_CHECK_FAILED, msg)
            .in_file(h.config_file())
            .help(grd::AGENT_CHECK_FAILED.help)
    };
    let args = match guard_args(command) {
        Ok(mut a) => {
            if wp.is_some() {
                a.wp = wp.map(str::to_string);
            }
            a
        }
        Err(why) => {
            problems.push(fail(format!("the installed command `{command}` {why}")));
            let none = Canary {
                path: None,
                result: CanaryResult::NotRun,
                reason: None,
            };
            return Outcome {
                out: none.clone(),
                inside: none,
                problems,
            };
        }
    };
    let out_path = "gov-agent-check/outside-every-scope.canary".to_string();
    let blocked_out = run_canary(repo, ctx, h, event, &args, &out_path);
    let out = Canary::ran(&out_path, blocked_out.0, blocked_out.1);
    if !blocked_out.0 {
        problems.push(fail(format!(
            "{} {event}: the guard allowed a write to `{out_path}`, which no packet's scope holds",
            h.as_str()
        )));
    }
    let inside = match in_scope_path(repo, &args) {
        Ok(p) => {
            let (blocked, reason) = run_canary(repo, ctx, h, event, &args, &p);
            if blocked {
                problems.push(fail(format!(
                    "{} {event}: the guard blocked a write to `{p}`, which is in scope: {}",
                    h.as_str(),
                    reason.lines().nth(1).unwrap_or(&reason).trim()
                )));
            }
            Canary::ran(&p, blocked, reason)
        }
        Err(d) => {
            problems.push(fail(format!(
                "{} {event}: no in-scope path to try: {}",
                h.as_str(),
                d.message
            )));
            Canary {
                path: None,
                result: CanaryResult::NotRun,
                reason: Some(d.message),
            }
        }
    };
    Outcome {
        out,
        inside,
        problems,
    }
}

/// The installed command's arguments, read as gov would: it must be `gov guard …`.
fn guard_args(command: &str) -> Result<GuardArgs, String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if !words
        .first()
        .is_some_and(|w| *w == "gov" || w.ends_with("/gov"))
    {
        return Err("does not run gov".into());
    }
    let cli = Cli::try_parse_from(&words).map_err(|e| {
        format!(
            "is not a valid gov command line: {}",
            e.to_string().lines().next().unwrap_or("")
        )
    })?;
    match cli.command {
        Command::Guard(a) if !a.on_stop => Ok(a),
        _ => Err("is not `gov guard`".into()),
    }
}

/// A path the active packet may write: its first exact IN_SCOPE_PATHS file, or a
/// file under its first directory entry.
fn in_scope_path(repo: &Repo, args: &GuardArgs) -> Result<String, Box<Diagnostic>> {
    let board = repo.load_board().ok();
    let env = std::env::var("GOV_WP").ok();
    let active =
        crate::guard::resolve_active(repo, args.wp.as_deref(), env.as_deref(), board.as_ref())?;
    let packet = repo
        .load_packet(&active.id)
        .map_err(|e| Box::new(e.diagnostic()))?;
    let entry = packet
        .in_scope_paths()
        .into_iter()
        .map(|e| e.value.trim_start_matches("./").to_string())
        .find(|e| {
            !e.is_empty()
                && !e.contains(['*', '?', '[', '{'])
                && crate::paths::check_relative(e).is_ok()
        })
        .ok_or_else(|| {
            Box::new(Diagnostic::new(
                &grd::NO_ACTIVE_PACKET,
                format!("{} lists no usable IN_SCOPE_PATHS entry", packet.id),
            ))
        })?;
    Ok(match entry.strip_suffix('/') {
        Some(dir) => format!("{dir}/gov-agent-check.canary"),
        None => entry,
    })
}

/// Feeds one canary write to the guard in-process; (blocked, reason shown).
fn run_canary(
    repo: &Repo,
    ctx: &Context,
    h: Harness,
    event: &str,
    args: &GuardArgs,
    rel: &str,
) -> (bool, String) {
    let abs = repo.root.join(rel).display().to_string();
    let root = repo.root.display().to_string();
    let ev = match (h, event) {
        (Harness::Codex, _) => json!({
            "hook_event_name": "PreToolUse", "session_id": "gov-agent-check", "cwd": root,
            "tool_name": "apply_patch",
            "tool_input": {"command": format!("*** Begin Patch\n*** Add File: {rel}\n+canary\n*** End Patch\n")}
        }),
        (Harness::Cursor, "beforeShellExecution") => json!({
            "hook_event_name": "beforeShellExecution", "conversation_id": "gov-agent-check",
            "workspace_roots": [root], "cwd": root, "command": format!("echo canary > '{rel}'")
        }),
        (Harness::Cursor, _) => json!({
            "hook_event_name": "preToolUse", "conversation_id": "gov-agent-check",
            "workspace_roots": [root], "tool_name": "Write", "tool_input": {"file_path": abs, "content": "canary"}
        }),
        (Harness::Gemini, _) => json!({
            "hook_event_name": "BeforeTool", "session_id": "gov-agent-check", "cwd": root,
            "tool_name": "write_file", "tool_input": {"file_path": abs, "content": "canary"}
        }),
        (Harness::Claude, _) => json!({
            "hook_event_name": "PreToolUse", "session_id": "gov-agent-check", "cwd": root,
            "tool_name": "Write", "tool_input": {"file_path": abs, "content": "canary"}
        }),
    };
    let mut cctx = ctx.clone();
    cctx.cwd = repo.root.clone();
    cctx.global.root = Some(repo.root.clone());
    let out = hook(args, &cctx, ev.to_string().as_bytes());
    blocked_by(h, &out)
}

/// Whether a harness would read this answer as a block, and the reason it shows.
pub fn blocked_by(h: Harness, out: &harness::HookOutput) -> (bool, String) {
    if out.code == 2 {
        return (true, out.stderr.clone());
    }
    let v: Value = serde_json::from_str(out.stdout.trim()).unwrap_or(Value::Null);
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    match h {
        Harness::Claude | Harness::Codex => {
            let o = &v["hookSpecificOutput"];
            (
                o["permissionDecision"] == "deny",
                s(&o["permissionDecisionReason"]),
            )
        }
        Harness::Cursor => (v["permission"] == "deny", s(&v["agent_message"])),
        Harness::Gemini => (
            v["decision"] == "deny" || v["decision"] == "block",
            s(&v["reason"]),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canaries_serialise_as_before() {
        let not_run = Canary {
            path: None,
            result: CanaryResult::NotRun,
            reason: None,
        };
        assert_eq!(
            serde_json::to_value(&not_run).unwrap(),
            json!({"result": "not run"})
        );
        let ran = Canary::ran("a.rs", true, "out of scope".into());
        assert_eq!(
            serde_json::to_value(&ran).unwrap(),
            json!({"path": "a.rs", "result": "blocked", "reason": "out of scope"})
        );
        let data = AgentData::Uninstall(AgentUninstallData {
            harness: "claude".into(),
            file: ".claude/settings.json".into(),
            removed: 2,
        });
        assert_eq!(
            serde_json::to_value(&data).unwrap(),
            json!({"harness": "claude", "file": ".claude/settings.json", "removed": 2}),
            "untagged: the action's fields at the top"
        );
    }
}
