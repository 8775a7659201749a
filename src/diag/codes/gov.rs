//! GOV: repository, files and usage. Most of these make a command exit 2.
crate::declare_codes! {
    DOC_MISSING = "GOV001", Error, "a required governance document is missing",
        help: "create it (`gov init` scaffolds a complete tree) or point gov.yaml `paths:` at it",
        why: "A gate that cannot read its inputs cannot say pass or fail, so it stops with exit 2 and names the file.";
    DOC_UNREADABLE = "GOV002", Error, "a file could not be read",
        help: "check that the path is a regular file you can read (not a directory, a broken link or a link loop)",
        why: "Unreadable inputs are reported with their path instead of being skipped, so nothing is silently ignored.";
    INVALID_WP_ID = "GOV003", Error, "a work-packet id does not follow the id grammar",
        help: "use WP-{phase}-{Name}[-vN]: phase a number or an upper-case word, name of letters, digits, dots and hyphens",
        why: "Ids become file names; checking the grammar first keeps every path inside the repository and makes look-ups exact.";
    UNKNOWN_PACKET = "GOV004", Error, "no packet has this exact id",
        help: "check the id (look-ups are exact, never by substring) or create it with `gov create-task-packet`",
        why: "Matching by substring would let WP-1-Recorder find WP-1-Recorder-UI-v2; gov only accepts the exact id.";
    NOT_A_REPOSITORY = "GOV005", Error, "no governance repository was found",
        help: "run gov inside the repository, pass `--root <DIR>`, or create one with `gov init`",
        why: "gov looks upward from the current directory for gov.yaml or a spec pointer; without one there is nothing to check.";
    LOSSY_UTF8 = "GOV006", Warning, "a document is not valid UTF-8 and was read lossily",
        help: "re-save the file as UTF-8; invalid bytes were replaced with U+FFFD for this run",
        why: "Bad re-encodings happen in long-lived repositories; gov keeps reading but tells you where the damage starts.";
    WRITE_FAILED = "GOV007", Error, "a file could not be written",
        help: "check permissions and free space; nothing was changed (writes are atomic)",
        why: "Writers replace files atomically, so a failed write leaves the previous version intact.";
    FILE_EXISTS = "GOV008", Error, "a file gov would create already exists",
        help: "pass --force to overwrite, or remove the file first",
        why: "Scaffolding never overwrites work without being asked.";
    LOCK_TIMEOUT = "GOV009", Error, "the repository's write lock could not be taken",
        help: "another gov process is writing; retry when it finishes (the lock is released automatically when its process exits, so a leftover lock file never blocks)",
        why: "Writing commands hold one exclusive OS file lock so that concurrent agents never lose an update; the kernel releases it if the holder dies.";
    PATH_ESCAPES_ROOT = "GOV010", Error, "a path points outside the repository root",
        help: "use a path inside the repository, without `..` segments or links leading out",
        why: "gov never reads or writes outside the repository it governs.";
    USAGE = "GOV011", Error, "the command line could not be understood",
        help: "see `gov --help` or `gov <command> --help`",
        why: "Usage errors exit 2 so that scripts can tell them apart from a failed gate.";
    INTERNAL = "GOV012", Error, "gov hit an internal error",
        help: "this is a bug in gov; please report it with the command you ran",
        why: "Internal errors exit 2 and are reported as diagnostics rather than crashing.";
    DUPLICATE_PACKET = "GOV013", Error, "the same packet id exists as a flat file and as a folder",
        help: "keep one of WP-ID.md and WP-ID/packet.md and remove the other",
        why: "Two files for one id make it ambiguous which one is authoritative.";
    TEMPLATE_UNREADABLE = "GOV014", Error, "the packet template could not be used",
        help: "fix the template named by `paths.packet_template`, or remove it to use gov's built-in template",
        why: "A repository's own template wins over the built-in one, so it must be readable.";
    CONFLICT_MARKERS = "GOV040", Error, "a governance document holds unresolved merge-conflict markers",
        help: "resolve the conflict (keep one side, remove every `<<<<<<<`, `=======`, `>>>>>>>` line), then run gov again",
        why: "A conflicted file is two documents at once: entries or rows after a marker would be read from one side, or not at all. gov reports it instead of guessing, and its writers refuse to write into it.";
    UNCLOSED_FENCE = "GOV041", Warning, "a code fence never closes",
        help: "close the fence with a line of the same fence characters (```` ``` ```` or `~~~`, at least as many)",
        why: "An unclosed fence would turn the rest of the document into code and hide its sections; gov reads it as ending before the next `##` heading, as a reader would, and says so.";
    UNCLOSED_COMMENT = "GOV042", Warning, "an HTML comment never closes",
        help: "close the comment with `-->`",
        why: "Text inside an HTML comment is invisible when the document is rendered, so gov never reads a heading, field, verdict or entry from it; an unclosed comment hides everything after it.";
}
