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
}
