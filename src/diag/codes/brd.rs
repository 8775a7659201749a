//! BRD: the task board.
crate::declare_codes! {
    BOARD_STATUS_UNKNOWN = "BRD001", Warning, "a board entry has a status gov does not recognise",
        help: "use one of: Backlog, Stub, Ready for Dev, In Progress, Ready for Validation, Done, Validated, Blocked, Superseded",
        why: "Unknown statuses are kept verbatim and reported, never guessed.";
}
