//! GRD: the write-time scope guard (`gov guard`), the coding-agent hook installer
//! (`gov agent`) and the MCP server (`gov mcp`).
crate::declare_codes! {
    OUT_OF_SCOPE_WRITE = "GRD001", Error, "a tool call would write a file outside the active packet's IN_SCOPE_PATHS",
        help: "stay inside the packet's scope; if this file must change, ask the Orchestrator to amend IN_SCOPE_PATHS or to grant a waiver (WAIVERS GRANTED)",
        why: "Post-work finds out-of-scope changes after the agent has spent its time on them; the guard refuses the write when it is attempted, so the agent learns its boundary at once.";
    LOCKED_BY_OTHER_PACKET = "GRD002", Error, "a tool call would write a file in another In Progress packet's scope",
        help: "leave this file to the packet that holds it, or coordinate through the Orchestrator",
        why: "Two agents editing the same file in parallel overwrite each other's work; a file in an In Progress packet's scope is locked to that packet while it is in progress.";
    SIGNED_SECTION_EDIT = "GRD003", Error, "a tool call would change a signed section of the active packet",
        help: "DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS and OUT_OF_SCOPE were approved with the user's signature; ask the Orchestrator for a new refinement and signature instead",
        why: "A signature approves the locked sections as they were; an agent that edits its own scope or acceptance criteria would approve itself.";
    GOVERNANCE_WRITE = "GRD004", Error, "a tool call would write a governance document the agent may not change",
        help: "only the active packet's own file (its unsigned sections) is the agent's to edit; the board, the audit, the spec and other packets change through gov commands or the Orchestrator",
        why: "Governance documents record decisions of other roles; the lifecycle commands change them atomically and with checks.";
    OUTSIDE_ROOT_WRITE = "GRD005", Error, "a tool call would write outside the repository, inside .git, or through a link that leads out",
        help: "write only files inside the repository, by their real path",
        why: "Paths with `..`, absolute paths and symbolic links are the usual ways around a path check; the guard resolves each path before it decides.";
    NO_ACTIVE_PACKET = "GRD006", Error, "no active packet: the guard cannot tell which scope applies",
        help: "pass --wp WP_ID, set GOV_WP, run `gov start WP_ID` for this worktree, or move exactly one packet to In Progress",
        why: "Without a packet there is no scope to hold the agent to; the guard refuses rather than guess.";
    AMBIGUOUS_ACTIVE_PACKET = "GRD007", Error, "several packets are In Progress and none is assigned to this worktree",
        help: "pass --wp WP_ID, set GOV_WP, or run `gov start WP_ID` in this worktree so the guard knows which packet applies",
        why: "With several packets in progress, picking one would let an agent write into another's scope.";
    UNREADABLE_EVENT = "GRD008", Error, "the hook event could not be read (not JSON, truncated, too large, or of an unknown shape)",
        help: "check that the hook is installed with `gov agent install <harness>` and that the harness sends its event as JSON on standard input",
        why: "A guard that lets through what it cannot read protects nothing; it fails closed unless gov.yaml sets `guard.fail_open: true`.";
    UNREADABLE_TARGET = "GRD009", Error, "a tool call writes to a target the guard cannot read (a variable, a glob, a substitution)",
        help: "write to a literal path the guard can check, e.g. `> src/file.rs` instead of `> $F`",
        why: "A shell command's output target decided at run time cannot be checked before it runs; gov never runs a shell to find out.";
    FAIL_OPEN = "GRD010", Warning, "the guard could not decide and let the call through because gov.yaml sets guard.fail_open",
        help: "remove `guard.fail_open: true` from gov.yaml to make the guard fail closed",
        why: "Some teams prefer an agent that is never stopped by a broken hook; the guard then says that it let a call through unchecked.";
    AGENT_CONFIG_UNREADABLE = "GRD020", Error, "a harness configuration file exists but is not a JSON object gov can merge into",
        help: "repair the file (it must be a JSON object) and run the command again; gov never overwrites a file it cannot read",
        why: "Merging into a file gov cannot parse would lose the user's settings.";
    AGENT_NOT_INSTALLED = "GRD021", Error, "the guard is not installed for this harness",
        help: "run `gov agent install <harness>`",
        why: "`gov agent check` proves the installed hook; with none installed there is nothing to prove.";
    AGENT_CHECK_FAILED = "GRD022", Error, "the installed guard did not block an out-of-scope write or did not allow an in-scope one",
        help: "reinstall with `gov agent install <harness>` and check that the active packet lists IN_SCOPE_PATHS",
        why: "A hook that is installed but never fires, or fires and lets everything through, is worse than none: it gives false confidence.";
}
