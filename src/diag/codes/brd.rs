//! BRD: the task board (board-check, phase-gate).
crate::declare_codes! {
    BOARD_STATUS_UNKNOWN = "BRD001", Warning, "a board entry has a status gov does not recognise",
        help: "use one of: Backlog, Stub, Ready for Dev, In Progress, Ready for Validation, Done, Validated, Blocked, Superseded",
        why: "Unknown statuses are kept verbatim and reported, never guessed.";
    SECTION_MISSING = "BRD002", Error, "a fixed board section is missing",
        help: "add the section heading (it may stay empty): Ready for Dev, In Progress, Done, Blocked, Superseded (Archive)",
        why: "Agents and tools find work by section; a board without its fixed sections cannot show every state.";
    ENTRY_WITHOUT_PACKET = "BRD003", Error, "a board entry names a WP that has no packet",
        help: "create the packet (`gov create-task-packet <WP_ID>`), fix the id, or list it under Backlog/Stub until it exists",
        why: "The board tracks packets; an id with no packet is a typo, a lost file or work that was never specified.";
    PACKET_NOT_ON_BOARD = "BRD004", Error, "a packet is not on the task board",
        help: "add the packet to the board section matching its STATUS",
        why: "The board is the single source of truth for status; a packet missing from it is invisible to the orchestrator.";
    STATUS_MISMATCH = "BRD005", Error, "the board status disagrees with the packet status",
        help: "update the packet STATUS and the board entry together so they agree",
        why: "Packet and board are updated atomically; drift means one of them is wrong.";
    DUPLICATE_ENTRY = "BRD006", Error, "a WP is listed in more than one status section",
        help: "keep the WP in the one section that matches its status and remove the other entry",
        why: "A WP has one status at a time; two sections give two answers.";
    DONE_NOT_VALIDATED = "BRD007", Error, "the board shows a WP Done or VALIDATED but its packet has no passing validation report",
        help: "move the WP back to its real state, or append the validator's report with `Verdict: PASS` to the packet",
        why: "Done means the validator approved: the packet's last validation verdict must be PASS.";
    BLOCKED_WITHOUT_REASON = "BRD008", Error, "a Blocked entry gives no reason",
        help: "say what it waits for: `- [WP-ID] - BLOCKED: waiting for WP-... (ETA ...)`",
        why: "A block without a reason cannot be resolved or escalated.";
    DEPENDENCY_UNKNOWN = "BRD009", Error, "a dependency names a WP that has no packet",
        help: "fix the id or create the packet the dependency names",
        why: "A dependency on nothing can never be satisfied or checked.";
    DEPENDENCY_CYCLE = "BRD010", Error, "dependencies form a cycle",
        help: "break the cycle: one of these WPs must not wait for the others",
        why: "WPs in a cycle each wait for another to be validated first, so none can ever start.";
    SLA_EXCEEDED = "BRD011", Warning, "a WP has been in its state longer than the SLA allows",
        help: "escalate: move the work forward, re-plan it, or record why it waits (SLAs are set in `board.sla_days`)",
        why: "Time limits per state (Backlog 5 days, Ready for Dev 10, In Progress 30, Ready for Validation 3) surface stalled work.";
    UNKNOWN_PHASE = "BRD012", Error, "the board has no closure gates for this phase",
        help: "name a phase the board has a `Phase N Closure Gates` section or WPs (`WP-N-...`) for",
        why: "A phase gate is read from the board; without its section there is nothing to check.";
    GATE_NOT_VALIDATED = "BRD013", Error, "a phase gate WP is not validated",
        help: "finish and validate the WP: its packet's last validation verdict must be PASS",
        why: "A phase closes only when every gate-critical WP is VALIDATED, not merely Done.";
    GATE_BLOCKER_UNRESOLVED = "BRD014", Error, "a phase gate WP depends on a WP that is not validated",
        help: "validate the upstream WP first (its packet's last verdict must be PASS)",
        why: "A phase cannot close while any upstream dependency of its gate WPs is unresolved.";
    GATE_EMPTY = "BRD015", Error, "a phase gate section lists no WP gov can read",
        help: "list the gate WPs as list items starting with the id, e.g. `- [WP-1-X] - [READY FOR DEV]`",
        why: "An empty gate would pass vacuously; gov refuses to close a phase it cannot see.";
    ENTRY_UNREADABLE = "BRD016", Warning, "a board line names a WP but could not be read as an entry",
        help: "write entries as list items that start with the id: `- [WP-1-X] - [STATUS] note`",
        why: "Lines gov cannot read are reported rather than silently skipped, so no WP disappears from the checks.";
    ID_LOOKALIKE = "BRD020", Error, "a board id holds a lookalike or invisible character",
        help: "retype the id with ASCII hyphens and letters only: `WP-1-Name`",
        why: "An id with U+2011 or a zero-width character looks like one WP and parses as another (or none); gov reports it instead of cutting it into a different, possibly validated, id.";
    TOKEN_CONTRADICTS_SECTION = "BRD021", Warning, "an entry's status token contradicts the section it is listed in",
        help: "move the entry to the section matching its status, or correct the token",
        why: "`[READY_FOR_DEV]` under `## Blocked` gives two answers for one WP; the token is what gov reads, the section is what people scan.";
    GATE_DERIVED = "BRD022", Note, "the phase gate was derived from the board's active entries",
        help: "add a `## Phase N Closure Gates (BLOCKING)` section listing the WPs that must be VALIDATED to close the phase",
        why: "Boards since 2026-03 have no closure-gate sections; gov then gates the phase on every active (not Stub, not Superseded) WP whose id carries the phase.";
    GATE_LINE_UNREADABLE = "BRD023", Error, "a line in a phase gate section names a WP but is not an entry gov can read",
        help: "write gate WPs as list items or table rows that start with the id: `- [WP-1-X] - [STATUS]` / `| WP-1-X | STATUS |`",
        why: "A gate counts everything a reader sees as listed; a line it cannot read would silently drop a WP from the gate, so it fails the gate instead.";
}
