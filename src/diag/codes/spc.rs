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
}
