//! SPC: the spec pointer and the Master Spec.
crate::declare_codes! {
    DUPLICATE_SECTION = "SPC001", Warning, "a section number appears on more than one heading",
        help: "renumber one of the headings; anchors resolve to the first Main Body occurrence",
        why: "Repeated numbers make an anchor ambiguous: a packet citing it may mean either section.";
    UNCLOSED_FENCE = "SPC002", Warning, "a code fence is never closed",
        help: "close the fence with a line of the same fence characters",
        why: "An unclosed fence would swallow every heading after it; gov reads past it and reports it.";
    POINTER_UNRESOLVED = "SPC003", Error, "the spec pointer does not name a spec file gov can find",
        help: "make SPEC_CURRENT.md name the spec as a link, a bold file name, a bold path or a JSON object",
        why: "Every anchor check depends on knowing which spec is current.";
    SPEC_MISSING = "SPC004", Error, "the spec file named by the pointer does not exist",
        help: "fix the pointer or add the spec file (resolved beside the pointer, then at the repository root)",
        why: "A pointer to a missing file leaves the project without a binding spec.";
    REQUIRED_ANCHOR_MISSING = "SPC005", Error, "a required anchor is not a heading in the spec's Main Body",
        help: "restore the section as a numbered heading in the Main Body, or change `spec.required_anchors` in gov.yaml",
        why: "Required anchors are the sections the project cannot lose; a heading, not a mention in the text, must carry the number.";
    CITED_ANCHOR_MISSING = "SPC006", Error, "an active packet cites an anchor the spec's Main Body lacks",
        help: "re-anchor the packet to a Main Body section of the current spec, or restore the section (spec enrichment)",
        why: "A packet still in flight must point at binding spec text; a spec change that drops its section silently changes its contract.";
    ANCHOR_REMOVED = "SPC007", Warning, "a section of the previous spec version is gone from the current one",
        help: "check that the removal is intended; packets citing it must be re-anchored",
        why: "Sections disappear between versions by accident (copy mistakes, truncated merges); comparing versions catches it.";
    ANCHOR_TITLE_CHANGED = "SPC008", Warning, "a section number has a different title than in the previous spec version",
        help: "check that packets citing this number still mean the same requirement; renumber if the topic moved",
        why: "A section number can change meaning between versions; packets citing the number would silently follow the new topic.";
    POINTER_JSON_INVALID = "SPC020", Error, "the spec pointer is a JSON document that names no current spec",
        help: "make the pointer one valid JSON object with `current_spec.entrypoint_path` (and `current_spec.version`)",
        why: "A JSON pointer is read by its keys only: a broken one could otherwise be mistaken for its baseline or previous spec, and anchors would be checked against the wrong version.";
    MANIFEST_INVALID = "SPC021", Error, "the modular spec's manifest cannot be read",
        help: "repair indexed-spec-manifest.json: one JSON object with a `modules` list, each module with a `path`",
        why: "The manifest is the bundle's authority for which modules make the spec and in which order; without it there is no spec to check anchors against.";
    MODULE_HASH_MISMATCH = "SPC022", Warning, "a spec module does not match the sha256 its manifest records",
        help: "regenerate the manifest after editing the module, or restore the module the manifest describes",
        why: "The hash ties the module to the spec version that was approved. Checkouts change line endings, so a module matching after LF↔CRLF passes; any other difference is an edit the manifest does not know about. gov reads the module anyway.";
    MODULE_UNREADABLE = "SPC023", Error, "a module listed in the spec manifest cannot be read",
        help: "restore the module file, or fix its `path` in the manifest (relative to the manifest, inside the bundle folder)",
        why: "A missing module silently removes its sections from the spec; a path that leaves the bundle (`..`, absolute) is refused so the manifest cannot make gov read outside the repository.";
    MODULE_ORDER = "SPC024", Warning, "the manifest's module order does not match its module list",
        help: "list every module id once in `reconstruction.module_order`",
        why: "Reading order decides which of two repeated section numbers comes first; gov reads ordered modules first, then the rest in manifest order.";
    REFERENCE_NOT_AVAILABLE = "SPC025", Note, "a path the spec pointer references is not available in this checkout",
        help: "nothing to do unless the path should be in the repository; gov never reads outside the root",
        why: "Pointers name runtime folders and sibling worktrees beside the checkout; their absence is normal and never an error.";
    RESOLVER_INDEX_LAGS = "SPC026", Note, "the bundle's INDEX.json names another spec version than the current one",
        help: "regenerate INDEX.json for the current version; gov follows the manifest",
        why: "The resolver index is a convenience that can lag a version behind; the manifest is the authority.";
    CITED_HEADING_IN_FENCE = "SPC027", Error, "a cited section number is a heading only inside a code fence of the spec",
        help: "if the fence is damaged (opened too early, never meant to hold the section), close it where it should end; otherwise re-anchor the packet",
        why: "Text inside a code fence is not a heading. When a packet cites a number that only a fenced line carries, the fence is the likelier fault, so gov names it instead of blaming the packet.";
    UNCLOSED_COMMENT = "SPC028", Warning, "an HTML comment in the spec is never closed",
        help: "close the comment with `-->` where it should end",
        why: "A reader sees nothing after an unclosed `<!--`, so gov reads no heading there either; the anchors in that part stop resolving.";
    PREVIOUS_NOT_FOUND = "SPC029", Note, "the previous spec version named by the pointer is not in the repository",
        help: "keep the previous version in the spec folder or its archive to compare against it",
        why: "Comparing with the previous version catches sections that vanished or changed meaning; without it that comparison is skipped.";
}
