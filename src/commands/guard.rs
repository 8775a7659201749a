//! `gov guard [--harness H] [--wp ID] [--on-stop]`: the hook command a coding agent's
//! harness runs before each tool call (and when the agent stops). It reads the
//! harness's event as JSON on standard input, decides against the active packet and
//! answers in the harness's own protocol. It fails closed: an event it cannot read,
//! or a repository it cannot load, blocks the call unless gov.yaml sets
//! `guard.fail_open: true`.

use super::Context;
use crate::diag::codes::grd;
use crate::diag::{Diagnostic, Severity};
use crate::guard::{self, Decision, ToolCall};
use crate::harness::{self, Event, Harness, HookOutput};
use crate::model::board::Board;
use crate::model::packet::Packet;
use crate::repo::Repo;
use clap::Args;
use std::io::Read;

/// The typed answer `gov guard` prints (see [`GuardData`]).
pub use crate::harness::GuardData;

#[derive(Debug, Clone, Args)]
pub struct GuardArgs {
    /// The harness whose event arrives on standard input (default: told from the event)
    #[arg(long, value_enum)]
    pub harness: Option<Harness>,
    /// The active packet (default: GOV_WP, then the `gov start` assignment for this
    /// worktree, then the only In Progress packet)
    #[arg(long, value_name = "WP_ID")]
    pub wp: Option<String>,
    /// Stop hook: run post-work for the active packet and report what it finds
    #[arg(long)]
    pub on_stop: bool,
}

/// Reads the event from standard input (at most [`guard::MAX_EVENT_BYTES`] + 1
/// bytes, so a larger one is refused, not held) and answers it.
pub fn run_stdin(args: &GuardArgs, ctx: &Context) -> HookOutput {
    let mut bytes = Vec::new();
    let limit = guard::MAX_EVENT_BYTES as u64 + 1;
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
        let d = Diagnostic::new(
            &grd::UNREADABLE_EVENT,
            format!("standard input could not be read: {e}"),
        );
        return harness::render_unreadable(args.harness, &Decision::blocked(d));
    }
    hook(args, ctx, &bytes)
}

/// Answers one event given as bytes: what the harness reads back.
pub fn hook(args: &GuardArgs, ctx: &Context, input: &[u8]) -> HookOutput {
    let (h, event) = match harness::parse_event(args.harness, input) {
        Ok(parsed) => parsed,
        Err((h, e)) => {
            let d = Diagnostic::new(
                &grd::UNREADABLE_EVENT,
                format!("the hook event could not be read: {e}"),
            );
            let decision = with_fail_open(ctx, Decision::blocked(d));
            return match (h, args.on_stop) {
                (Some(h), true) => harness::render_stop(h, Some(&decision.reason()), false),
                _ => harness::render_unreadable(h, &decision),
            };
        }
    };
    match event {
        Event::PreTool(call) => harness::render_pre_tool(h, &decide_call(args, ctx, &call)),
        Event::Stop { retrying } => {
            let problems = on_stop(args, ctx);
            harness::render_stop(h, problems.as_deref(), retrying)
        }
    }
}

/// The decision for a tool call, in-process (what `gov agent check` and the
/// benchmark call).
pub fn decide_call(args: &GuardArgs, ctx: &Context, call: &ToolCall) -> Decision {
    // a call that writes nothing needs no repository: nothing to protect
    if call.writes.is_empty() && call.unreadable.is_empty() {
        return Decision::default();
    }
    let repo = match ctx.open_repo() {
        Ok(r) => r,
        Err(e) => {
            let d = e.diagnostic();
            return Decision::blocked(
                Diagnostic::new(
                    &grd::NO_ACTIVE_PACKET,
                    format!("the repository could not be loaded: {}", d.message),
                )
                .help(d.help),
            );
        }
    };
    let decision = decide_in(&repo, args.wp.as_deref(), call);
    if repo.config.guard.fail_open && undecided(&decision) {
        return decision.fail_open();
    }
    decision
}

/// The decision against an opened repository.
pub fn decide_in(repo: &Repo, wp: Option<&str>, call: &ToolCall) -> Decision {
    let board = repo.load_board().ok();
    let env = std::env::var("GOV_WP").ok();
    let active = guard::resolve_active(repo, wp, env.as_deref(), board.as_ref());
    let packet = active.and_then(|a| {
        repo.load_packet(&a.id).map_err(|e| {
            let d = e.diagnostic();
            Box::new(
                Diagnostic::new(
                    &grd::NO_ACTIVE_PACKET,
                    format!(
                        "the active packet {} ({}) could not be read: {}",
                        a.id,
                        a.how.as_str(),
                        d.message
                    ),
                )
                .help(d.help),
            )
        })
    });
    let others = other_packets(repo, board.as_ref(), packet.as_ref().ok());
    let against = guard::verdict::Against {
        repo,
        active: packet.as_ref().map_err(Clone::clone),
        others: &others,
    };
    guard::decide(call, &against)
}

/// The packets In Progress besides the active one: their scopes are locked.
fn other_packets(repo: &Repo, board: Option<&Board>, active: Option<&Packet>) -> Vec<Packet> {
    let Some(board) = board else {
        return Vec::new();
    };
    guard::active::in_progress(board)
        .into_iter()
        .filter(|id| active.is_none_or(|p| &p.id != id))
        .filter_map(|id| repo.load_packet(&id).ok())
        .collect()
}

/// Whether the guard blocked because it could not decide (not because of a write
/// it judged): only those are let through by `guard.fail_open`.
fn undecided(d: &Decision) -> bool {
    let judged = [
        grd::OUT_OF_SCOPE_WRITE.code,
        grd::LOCKED_BY_OTHER_PACKET.code,
        grd::SIGNED_SECTION_EDIT.code,
        grd::GOVERNANCE_WRITE.code,
        grd::OUTSIDE_ROOT_WRITE.code,
    ];
    !d.allowed()
        && d.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .all(|f| !judged.contains(&f.code))
}

fn with_fail_open(ctx: &Context, d: Decision) -> Decision {
    match ctx.open_repo() {
        Ok(repo) if repo.config.guard.fail_open => d.fail_open(),
        _ => d,
    }
}

/// Post-work for the active packet; the text to show the agent when it found errors.
fn on_stop(args: &GuardArgs, ctx: &Context) -> Option<String> {
    let repo = match ctx.open_repo() {
        Ok(r) => r,
        Err(e) => {
            return Some(format!(
                "gov could not check your work before you stop: {}",
                e.diagnostic().message
            ))
        }
    };
    let board = repo.load_board().ok();
    let env = std::env::var("GOV_WP").ok();
    // no packet, nothing to hold the turn to
    let active =
        guard::resolve_active(&repo, args.wp.as_deref(), env.as_deref(), board.as_ref()).ok()?;
    let pw = super::post_work::PostWorkArgs {
        wp_id: active.id.to_string(),
        diff: Default::default(),
    };
    let mut report = match super::post_work::run(&pw, &repo) {
        Ok(r) => r,
        Err(e) => {
            let d = e.diagnostic();
            return Some(format!(
                "gov post-work {} could not run before you stop: [{}] {}\n  what to do: {}",
                active.id, d.code, d.message, d.help
            ));
        }
    };
    repo.config.apply_severity(&mut report);
    report.finish();
    if !report.has_errors() {
        return None;
    }
    Some(stop_text(&active.id.to_string(), &report.diagnostics))
}

/// How many findings the stop message lists before summarising the rest.
const STOP_LIST_LIMIT: usize = 20;

fn stop_text(wp: &str, diags: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let mut s = format!(
        "gov post-work {wp} found {} problem(s) in your work; fix them (or explain why they cannot be fixed) before you stop:\n",
        errors.len()
    );
    for d in errors.iter().take(STOP_LIST_LIMIT) {
        let at = match (&d.path, d.line) {
            (Some(p), Some(l)) => format!("{p}:{l}: "),
            (Some(p), None) => format!("{p}: "),
            _ => String::new(),
        };
        s.push_str(&format!(
            "- [{}] {at}{}\n  what to do: {}\n",
            d.code, d.message, d.help
        ));
    }
    if errors.len() > STOP_LIST_LIMIT {
        s.push_str(&format!(
            "- … and {} more: run `gov post-work {wp}`\n",
            errors.len() - STOP_LIST_LIMIT
        ));
    }
    s
}
