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
    DUPLICATE_PACKET = "GOV013", Note, "the same packet id exists as a flat file and as a folder; one copy is used",
        help: "the folder copy is used; set `packets.prefer: flat` in gov.yaml to use the flat file instead",
        why: "Repositories keep a frozen flat WP-ID.md beside a generated folder WP-ID/packet.md; gov reads one copy, as the project's own resolver does, and says which.";
    TEMPLATE_UNREADABLE = "GOV014", Error, "the packet template could not be used",
        help: "fix the template named by `paths.packet_template`, or remove it to use gov's built-in template",
        why: "A repository's own template wins over the built-in one, so it must be readable.";
    LAYOUT_AMBIGUOUS = "GOV020", Error, "two files could be the same governance document",
        help: "set the gov.yaml `paths:` key named in the message to the one gov should use",
        why: "Without gov.yaml, gov finds each document by its file name; when two files qualify it refuses to guess which one the gates should read.";
    DISCOVERY_BOUNDED = "GOV021", Warning, "layout discovery stopped at its entry bound",
        help: "pin the layout with `gov doctor --write-config`, or set `paths:` in gov.yaml",
        why: "Discovery looks at a bounded number of folders so that a huge tree never makes gov slow; documents beyond the bound are not found.";
    LINK_NOT_FOLLOWED = "GOV022", Note, "discovery did not follow a symbolic link",
        help: "governance documents must live inside the repository; move the folder in, or ignore this note",
        why: "gov never reads outside the repository root, so a link is never followed while searching for documents.";
    GATE_STATE_NOT_AVAILABLE = "GOV023", Note, "the gate state lives outside the repository and is not available",
        help: "nothing to fix: gov reads nothing outside the repository; checks that need the gate state see an empty one",
        why: "Projects moved their gate state next to the repository (`../gov_runtime/...`), where a checkout does not have it; that is not an error.";
    PACKET_JSON_READ_ONLY = "GOV024", Error, "gov does not write into a packet.json",
        help: "record the signature in the packet's Markdown form (WP-ID/packet.md), or with the project's own tools",
        why: "A structured packet is generated and validated by the project's tools; rewriting it from gov could break its schema or hashes.";
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
