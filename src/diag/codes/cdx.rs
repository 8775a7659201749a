//! CDX: the project's own hard invariants — the Codex, repository hygiene, commit messages.
crate::declare_codes! {
    IGNORE_MISSING = "CDX001", Error, "`.gitignore` does not ignore a required pattern",
        help: "add the pattern to the root `.gitignore` (the list is `codex.hygiene.required_ignores` in gov.yaml)",
        why: "Build artifacts, editor and OS files that are not ignored end up committed sooner or later (Codex CX-110, Git Hygiene).";
    ARTIFACT_TRACKED = "CDX002", Error, "a build artifact is tracked by git",
        help: "remove it from the index (`git rm -r --cached <path>`) and ignore it",
        why: "Committed artifacts bloat the history, go stale and hide the real change in reviews.";
    LARGE_UNTRACKED = "CDX003", Error, "an untracked, unignored file is larger than the limit",
        help: "ignore it, move it out of the repository, or raise `codex.hygiene.max_untracked_bytes`",
        why: "A large untracked file is one `git add .` away from the history, where it stays forever.";
    COMMIT_WITHOUT_WP = "CDX004", Error, "the commit message names no WP",
        help: "name the work packet the commit belongs to, e.g. `WP-1-Storage-Layer: add the trait`",
        why: "Every commit is traceable to the packet that authorised it (Codex CX-110); a commit without one cannot be audited.";
    COMMIT_WP_NOT_ALLOWED = "CDX005", Error, "the WP the commit message names is not one it may name",
        help: "name an existing, active WP (or the one assigned to this branch, per `codex.commit_msg.require`)",
        why: "A typo'd, closed or foreign WP id makes the commit look traceable while it is not.";
    CODEX_BLOCK_INVALID = "CDX006", Error, "a Codex rule's `gov` block cannot be used as a check",
        help: "write the block as a scan rule (pattern, allowed_in, exclude, languages, globs, message) under its CX heading",
        why: "A check that does not run is worse than none: the rule looks enforced while it is not.";
    RULE_NOT_CHECKED = "CDX007", Note, "a Codex rule is not machine-checked",
        help: "add a fenced ```gov block with the rule's pattern under its heading, if the rule can be checked by a pattern",
        why: "Listing the rules gov does not check keeps the line between enforced and advisory rules visible.";
    CODEX_MISSING = "CDX008", Warning, "no Codex document was found",
        help: "add `{Project} Codex v1.0.md` at the root or in the governance folder, or set `codex.path` in gov.yaml",
        why: "The Codex holds the project's hard invariants; without it codex-check runs only hygiene and the invariant rules of gov.yaml.";
}
