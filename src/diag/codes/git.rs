//! GIT: diff selection and the completion gate (post-work, manifest).
//!
//! GIT001-GIT009 stop evaluation (exit 2); the others are findings of the gate, grouped
//! by check: 01x change and scope, 02x VALIDATION outcomes, 03x review, 04x evidence,
//! 05x deterministic manifest, 06x packet encoding, 07x locked packets.
crate::declare_codes! {
    NOT_A_GIT_REPOSITORY = "GIT001", Error, "the repository is not a git repository",
        help: "run gov inside a git work tree, or initialise one with `git init`",
        why: "Git-backed checks read history and diffs through libgit2; without a repository they cannot run.";
    UNKNOWN_REVISION = "GIT002", Error, "a revision or commit named for the diff does not exist",
        help: "check the name (`git log --oneline`), fetch the missing history (`git fetch --unshallow` in a shallow clone), or pass another --range",
        why: "A diff against a commit that is not in the object database cannot be computed; gov names the missing revision instead of guessing another base.";
    BARE_REPOSITORY = "GIT003", Error, "the git repository has no work tree",
        help: "run gov in a checked-out clone; a bare repository has no working files to check",
        why: "Post-work reads the packet and the changed files from the work tree, which a bare repository does not have.";
    GIT_FAILED = "GIT004", Error, "libgit2 could not complete a git operation",
        help: "check the repository with `git fsck`; the message names the operation that failed",
        why: "A corrupt object, an unreadable index or a locked file makes the diff unknowable, so the gate stops with exit 2.";
    EMPTY_CHANGE = "GIT010", Error, "the selected diff changes nothing (or only governance documents)",
        help: "make the change first, or select the work with --range MERGE_BASE..HEAD, --rev or --staged",
        why: "The completion gate checks work that was done; an empty diff means there is no work to accept.";
    OUT_OF_SCOPE = "GIT011", Error, "a changed path is not in the packet's IN_SCOPE_PATHS",
        help: "revert the change, or ask the Orchestrator for a `-vN` packet (or a waiver in WAIVERS GRANTED) that covers the path",
        why: "IN_SCOPE_PATHS is the packet's file lock: changes outside it are scope creep that nobody signed off.";
    OUT_OF_SCOPE_WAIVED = "GIT012", Warning, "a changed path outside IN_SCOPE_PATHS is covered by a waiver",
        help: "nothing to fix; the waiver in WAIVERS GRANTED is recorded for the Validator",
        why: "Waivers are allowed with approval; the gate keeps them visible so they can be audited and expire at the phase boundary.";
    VALIDATION_EMPTY = "GIT020", Error, "the packet's VALIDATION section records no outcome",
        help: "record each command you ran as `- Command: ...` followed by `- Result: PASS` (and `- Notes:`) under ## VALIDATION",
        why: "Evidence or it does not exist: the VALIDATION block is where the Coder proves the TEST_PLAN was run.";
    VALIDATION_INCOMPLETE = "GIT021", Error, "a VALIDATION entry lacks its Command or its Result",
        help: "give every entry both a `Command:` and a `Result:` line",
        why: "A command without a result (or a result without its command) proves nothing.";
    TEST_PLAN_NOT_RECORDED = "GIT022", Error, "a TEST_PLAN command has no recorded result in VALIDATION",
        help: "run the command and record it under ## VALIDATION as `- Command: <the command>` and `- Result: ...`",
        why: "Every TEST_PLAN command is part of the signed contract; each must be shown to have run.";
    VALIDATION_FAILED = "GIT023", Error, "a VALIDATION entry records FAIL or BLOCKED",
        help: "fix the failure and re-run the command, then record the new result",
        why: "Work whose own tests fail or could not run is not complete.";
    REVIEW_MISSING = "GIT030", Error, "the risk tier requires a review and none has passed",
        help: "run the review and record it (`- Command: ai-review` with `- Result: PASS`, or a line `AI_REVIEW: PASS`)",
        why: "MEDIUM and HIGH risk work needs a second pair of eyes before it is handed to the Validator (`review_required_tiers`).";
    REVIEW_FAILED = "GIT031", Error, "the latest review record reads FAIL or BLOCKED",
        help: "address the review findings, review again and record the new PASS",
        why: "A failed or blocked review is an open objection; the gate does not overrule it.";
    EVIDENCE_PATH_MISSING = "GIT040", Error, "an evidence reference names a file that does not exist in the changed tree",
        help: "point the evidence at a file that exists after the change (path relative to the repository root)",
        why: "Evidence is file:line proof in the code being delivered; a missing file proves nothing.";
    EVIDENCE_LINES_INVALID = "GIT041", Error, "an evidence reference points at lines that are out of range or blank",
        help: "update the line numbers to the code that implements the requirement",
        why: "Line numbers drift as code changes; stale evidence misleads the Validator.";
    DONE_MEANS_NO_EVIDENCE = "GIT042", Warning, "a DONE_MEANS item has no file:line evidence",
        help: "add an EVIDENCE_MAPPING entry (`EVIDENCE: path:line`) or an Evidence Mapping table row for the item",
        why: "Every DONE_MEANS needs code evidence; for HIGH risk packets a gap is an error.";
    MANIFEST_MISSING = "GIT050", Error, "the packet has no deterministic manifest",
        help: "add one entry per changed file under ## VALIDATION; `gov manifest <PATH>` prints each entry",
        why: "Packets with PACKET_FORMAT_VERSION carry a manifest so that the change can be re-verified byte for byte (packet.require_manifest).";
    MANIFEST_PRE_SHA1 = "GIT051", Error, "a manifest Pre-SHA1 does not match the file at the diff base",
        help: "recompute the entry with `gov manifest <PATH>` using the same diff selection",
        why: "The Pre-SHA1 pins which version of the file the work started from.";
    MANIFEST_POST_SHA1 = "GIT052", Error, "a manifest Post-SHA1 does not match the file at the diff head",
        help: "recompute the entry with `gov manifest <PATH>` after your last edit",
        why: "The Post-SHA1 pins the exact content that was validated; a later edit invalidates it.";
    MANIFEST_WINDOW = "GIT053", Error, "a diff hunk lies outside the manifest's [Start, End] window",
        help: "widen Start/End to cover every hunk, or recompute the entry with `gov manifest <PATH>`",
        why: "The window declares which lines the work touched; edits outside it are undeclared.";
    MANIFEST_LINE_DELTA = "GIT054", Error, "a manifest Line Delta does not equal lines added minus lines deleted",
        help: "recompute the entry with `gov manifest <PATH>`",
        why: "The delta is a cheap cross-check that the manifest describes this diff.";
    MANIFEST_FILE_MISSING = "GIT055", Error, "a changed file has no manifest entry",
        help: "add an entry for the file; `gov manifest <PATH>` prints it ready to paste",
        why: "A manifest that skips a changed file leaves that change unverified.";
    MANIFEST_ENTRY_INVALID = "GIT056", Error, "a manifest entry is incomplete or malformed",
        help: "give the entry Target File, Start, End, Line Delta, Pre-SHA1 and Post-SHA1 (40 hex digits)",
        why: "A manifest entry is only checkable when all of its fields are present and well-formed.";
    MANIFEST_FILE_UNCHANGED = "GIT057", Warning, "a manifest entry names a file that the diff does not change",
        help: "remove the entry, or check the diff selection (--range/--rev/--staged)",
        why: "An entry for an unchanged file usually means the manifest was written for another diff.";
    FILE_NOT_CHANGED = "GIT058", Error, "the file is not changed in the selected diff",
        help: "check the path (relative to the repository root) and the diff selection",
        why: "A manifest entry describes a change; an unchanged file has none to describe.";
    BINARY_FILE = "GIT059", Note, "a binary file is checked by path only",
        help: "nothing to do: binary files need no manifest entry and their lines are not checked",
        why: "Line windows, deltas and evidence lines have no meaning for binary content; scope still applies.";
    PACKET_NOT_ASCII = "GIT060", Error, "a versioned packet contains non-ASCII text",
        help: "replace the character with ASCII (`->` for arrows, `-` for dashes, plain quotes), or set packet.ascii_only: false",
        why: "Packets with PACKET_FORMAT_VERSION stay ASCII-only so that hashes and diffs do not depend on encodings.";
    LOCKED_PACKET_CHANGED = "GIT070", Error, "a signed packet's locked sections changed",
        help: "restore DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS and OUT_OF_SCOPE, and put changes in a new `-vN` packet",
        why: "A signed packet is immutable: the user signed those sections, so changing them needs a new packet and a new signature.";
    INDEX_CONFLICTED = "GIT080", Error, "the git index has unresolved conflicts",
        help: "resolve the conflicts (`git status` lists them), `git add` the results, then run the gate again",
        why: "A conflicted index holds several versions of a file and none is the one to commit; gov cannot say what would be committed until one is chosen.";
}
