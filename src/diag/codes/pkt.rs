//! PKT: task packets (pre-work, show, create-task-packet).
crate::declare_codes! {
    MISSING_FIELD = "PKT001", Error, "a required packet field is missing",
        help: "add the field as a `## FIELD` heading or a `- FIELD:` bullet and fill it",
        why: "The ten packet fields are the contract between Orchestrator and Coder; a missing one blocks the Coder.";
    EMPTY_FIELD = "PKT002", Error, "a required packet field is empty",
        help: "fill the field with concrete content",
        why: "An empty field is as unusable as a missing one.";
    IN_SCOPE_NOT_EXACT = "PKT003", Error, "an IN_SCOPE_PATHS entry is not an exact path",
        help: "list the exact files this packet may change (a specific directory must be nested, e.g. src/storage/migrations/)",
        why: "IN_SCOPE_PATHS is the packet's file lock and the post-work scope; `src/`, bare words and globs make both meaningless.";
    PLACEHOLDER = "PKT004", Error, "the packet contains placeholder text",
        help: "replace the placeholder with the real value",
        why: "Zero Placeholder Policy: an unfilled template is not a contract.";
    STATUS_NOT_STARTABLE = "PKT005", Error, "the packet status does not allow work to start",
        help: "set STATUS to Ready-for-Dev (or In-Progress when resuming) once the packet is complete",
        why: "Gate 0 only hands off packets that are ready; Draft, Backlog or Done packets are not work to start.";
    STATUS_UNKNOWN = "PKT006", Error, "the packet status is not a known status",
        help: "use one of: Backlog, Stub, Ready for Dev, In Progress, Ready for Validation, Done, Validated, Blocked, Superseded",
        why: "Statuses are mapped to one canonical set; an unknown form is reported verbatim rather than guessed.";
    RISK_TIER_INVALID = "PKT007", Error, "RISK_TIER is not LOW, MEDIUM or HIGH",
        help: "choose one tier: LOW (docs, no behaviour change), MEDIUM (one module), HIGH (cross-module, migrations, security)",
        why: "The tier decides review and evidence rigour; the template hint `LOW | MEDIUM | HIGH` means it was never chosen.";
    TEST_PLAN_NO_COMMAND = "PKT008", Error, "TEST_PLAN has no runnable command",
        help: "list copy-paste commands (e.g. in a ```bash block); comment lines do not count",
        why: "The TEST_PLAN is the executable proof of DONE_MEANS; prose is not a command.";
    ANCHOR_NOT_FOUND = "PKT009", Error, "a SPEC_ANCHOR does not exist in the current spec",
        help: "cite a section number that exists as a heading in the current spec's Main Body, or enrich the spec first",
        why: "Every packet must point at binding spec text; an anchor that does not resolve points at nothing.";
    ANCHOR_IN_ROADMAP = "PKT010", Error, "a SPEC_ANCHOR exists only in the spec's Roadmap",
        help: "promote the requirement to the Main Body (spec enrichment) and cite the Main Body section",
        why: "Only the Main Body is binding; the Roadmap is aspirational.";
    ANCHOR_UNPARSEABLE = "PKT011", Error, "SPEC_ANCHOR holds no recognisable anchor",
        help: "cite a section number such as §2.3.12 (ranges like 2.3.10.6-2.3.10.8 and [CX-...] codes also work)",
        why: "gov resolves anchors mechanically; free text cannot be resolved.";
    LIST_BOUNDS = "PKT012", Warning, "a packet list has fewer or more entries than the configured bounds",
        help: "adjust the list, or change `packet.bounds` in gov.yaml if your project uses other bounds",
        why: "The seeds bound list sizes (e.g. 5-20 IN_SCOPE_PATHS) to catch vague or oversized packets.";
    DEPENDENCY_NOT_VALIDATED = "PKT013", Error, "a dependency is not validated",
        help: "wait until the blocker's last validation verdict is PASS, or mark this packet Blocked",
        why: "Downstream work never starts until its blockers are VALIDATED, not merely Done.";
    FILE_LOCK_OVERLAP = "PKT014", Error, "IN_SCOPE_PATHS overlap an In-Progress packet",
        help: "re-scope to avoid the overlap, or sequence the work after the other packet",
        why: "Each active packet's IN_SCOPE_PATHS is an exclusive file lock [CX-CONC-001].";
    BOARD_DRIFT = "PKT015", Warning, "the packet status and its task board entry disagree",
        help: "update the packet STATUS and the board together",
        why: "Packet and board are updated in lockstep; drift means one of them is wrong.";
    TASK_ID_MISMATCH = "PKT016", Error, "TASK_ID does not match the packet's file name",
        help: "make TASK_ID equal to the id in the file name",
        why: "The id in the file name is how gov and agents find the packet.";
    UNSIGNED = "PKT017", Error, "the packet has no user signature",
        help: "obtain the user's signature and record it with `gov record-signature <WP_ID> <SIGNATURE>`",
        why: "A packet is locked by a one-time user signature before work starts.";
    DEPENDENCY_UNKNOWN = "PKT018", Error, "a dependency names a packet that does not exist",
        help: "fix the id or create the packet",
        why: "A dependency on nothing cannot be checked.";
    NOT_ASCII = "PKT019", Error, "the packet contains non-ASCII characters",
        help: "replace the characters with ASCII (e.g. -> for arrows, 'S' for section signs)",
        why: "Packets that carry PACKET_FORMAT_VERSION must be ASCII-only so their hashes and diffs are stable.";
    ID_EXISTS = "PKT020", Error, "a packet with this id already exists",
        help: "signed packets are immutable: create the next free -vN revision instead",
        why: "Changing a packet after signature needs a new -vN packet with a fresh signature.";
    PACKET_JSON_INVALID = "PKT040", Error, "a packet.json or stub contract could not be read as JSON",
        help: "repair the JSON (the location names where parsing stopped) or regenerate it with the project's tools",
        why: "A structured packet that cannot be read would silently drop a packet from every gate; it is reported instead.";
    PACKET_JSON_FIELD = "PKT041", Warning, "a packet.json field has an unexpected type and was ignored",
        help: "write the field as the schema says (a string, or an array of strings); the JSON pointer names the field",
        why: "gov reads packet.json into the same typed packet as Markdown; a value of the wrong type is reported instead of guessed.";
    PACKET_FORMS_DISAGREE = "PKT042", Warning, "packet.md and packet.json disagree",
        help: "packet.md is authoritative; regenerate packet.json or fix whichever copy is wrong",
        why: "JSON imported from Markdown is often lossy (cut at commas, first bullet only); gov trusts the Markdown and reports where the two differ.";
    VERDICT_DISAGREES = "PKT060", Warning, "the counted validation verdict disagrees with the packet's status or CURRENT_STATE",
        help: "update STATUS / CURRENT_STATE to match the counted report, or append a report that supersedes it (`gov show <WP_ID>` says which report counted and why)",
        why: "The counted report (latest by time, unless one explicitly supersedes another) decides VALIDATED; a status or summary that says otherwise misleads every reader.";
    SCOPE_SIBLING_WORKTREE = "PKT061", Warning, "an IN_SCOPE_PATHS entry points into a sibling worktree",
        help: "list the path relative to this repository; gov reads and checks nothing outside the repository root",
        why: "`../name/...` names another checkout beside this one: gov cannot check it, and the change it allows does not land in this repository.";
    SUPERSESSION_UNMATCHED = "PKT062", Warning, "a validation report claims to supersede a report that does not exist",
        help: "name the superseded report by its exact timestamp (as in its heading), or remove the claim",
        why: "A supersession claim changes which verdict counts; one that names no report changes nothing and is reported, never guessed.";
    DEPENDENCY_LOOKALIKE = "PKT063", Error, "a dependency id holds a lookalike or invisible character",
        help: "retype the id with ASCII hyphens and letters only: `WP-1-Name`",
        why: "`WP-1-Alpha‑v2` with U+2011 looks like one WP and would parse as another (`WP-1-Alpha`, perhaps validated); gov reports it instead of cutting it.";
}
