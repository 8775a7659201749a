//! LIF: the packet lifecycle (ready, start, submit, verdict, block, unblock,
//! supersede, board sync) and the writers that move a packet through it.
crate::declare_codes! {
    TRANSITION_REFUSED = "LIF001", Error, "the lifecycle does not allow this move from the packet's state",
        help: "run the command that moves the packet from its current state (`gov status` names it), or `gov explain LIF001`",
        why: "Every packet follows one state machine: Backlog → Ready for Dev → In Progress → Ready for Validation → Done (VALIDATED), plus Blocked and Superseded. A move that skips a state skips the gate that guards it.";
    STATUS_UNREADABLE = "LIF002", Error, "the packet's STATUS is missing or not a lifecycle state",
        help: "write a STATUS gov knows (Backlog, Ready for Dev, In Progress, Ready for Validation, Done, Blocked, Superseded) in the packet's metadata",
        why: "A move starts from the packet's state; without a readable STATUS gov cannot tell which moves are allowed.";
    PRE_WORK_FAILS = "LIF003", Error, "the move requires pre-work to pass, and it does not",
        help: "fix the pre-work findings listed with this one (`gov pre-work <WP_ID>`), then run the move again",
        why: "Ready for Dev means fully specified, signed and unblocked; In Progress also means no other In-Progress WP holds the same files. Pre-work is that check.";
    POST_WORK_FAILS = "LIF004", Error, "the move requires post-work to pass, and it does not",
        help: "fix the post-work findings listed with this one (`gov post-work <WP_ID>`), then submit again",
        why: "Ready for Validation means the work is done, in scope and evidenced; post-work is that check.";
    REPORT_EMPTY = "LIF005", Error, "a verdict needs a validation report with a body",
        help: "write the report (scope, findings, tests, risks) to a file and pass it with --report FILE, or pipe it with --report -",
        why: "A verdict without its reasons cannot be audited; the report is appended to the packet as the permanent record.";
    BLOCK_WITHOUT_CAUSE = "LIF006", Error, "a block needs a blocker WP or a reason",
        help: "pass --on <WP_ID> (one or more) or --reason \"...\"",
        why: "A blocked WP must say what it waits for, or nobody can unblock it.";
    BLOCKERS_NOT_VALIDATED = "LIF007", Error, "the WP is still blocked: a blocker is not VALIDATED",
        help: "finish and validate the blocker first, or re-block with the WPs that really block it",
        why: "Downstream packets remain blocked until every upstream packet is VALIDATED (workflow guide, dependency enforcement).";
    UNKNOWN_WP = "LIF008", Error, "a WP named on the command line has no packet",
        help: "check the id (exact, with its -vN suffix), or create the packet first with `gov create-task-packet`",
        why: "A move that names another WP (a blocker, a replacement, a source) must name one that exists, or the board would point at nothing.";
    WORKTREE_NOT_RELATIVE = "LIF009", Error, "the worktree path is not repository-relative",
        help: "give the worktree relative to the repository root, e.g. ../wt-WP-1-Name",
        why: "Assignments are shared through the repository; an absolute, drive-specific path means nothing on another machine (protocol CX-109).";
    SIGNED_SECTION_WOULD_CHANGE = "LIF010", Error, "the edit would change a signed (locked) section of the packet",
        help: "move the VALIDATION_REPORTS section out of the locked sections' reach (after them, under its own `##` heading), then run the command again",
        why: "Signed sections are immutable; a lifecycle writer only adds to the sections outside them.";
    VERDICT_NOT_LAST = "LIF011", Error, "the appended report would not be the packet's last verdict",
        help: "a later `Verdict:` line elsewhere in the packet overrides the new report: move older reports into the VALIDATION_REPORTS section",
        why: "A packet's verdict is its last `Verdict:` line; a new report that does not become it would record one verdict and mean another.";
    BOARD_UNDECIDABLE = "LIF012", Error, "board sync cannot decide how to repair this",
        help: "fix it by hand: the finding says what gov could not decide",
        why: "board sync repairs only mechanical drift, from the packets, which are authoritative; anything needing judgement stays a finding.";
    IMPOSSIBLE_SEQUENCE = "LIF013", Warning, "the recorded status changes include a move the lifecycle does not allow",
        help: "check how the packet got to its state; moves made with the lifecycle commands are always allowed ones",
        why: "The gate state records each lifecycle move; a move that skips a state means someone edited statuses by hand past a gate.";
    BLOCKED_ON_ITSELF = "LIF014", Error, "a WP cannot block itself",
        help: "name the WPs this one waits for, not the WP itself",
        why: "A self-block can never be lifted by finishing another WP.";
    NO_STATUS_FIELD = "LIF015", Error, "the packet has no STATUS field to update",
        help: "add `- STATUS: <state>` to the packet's Metadata",
        why: "Lifecycle moves write the packet's STATUS; a packet without one cannot record its state.";
    KEPT_USER_DATA = "LIF016", Warning, "init kept a document that holds user data",
        help: "nothing to do: `init --force` never rewrites board entries, audit rows or a changed spec; move the file away first to start over",
        why: "Re-initialising must not drop recorded signatures, board entries or specs.";
}
