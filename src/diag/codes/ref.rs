//! REF: Technical Refinement Blocks and the refinement/signature turn lock.
crate::declare_codes! {
    REFINEMENT_MISSING = "REF001", Error, "the packet has no refinement file, and one is required",
        help: "write the Technical Refinement Block to the refinements folder, present it to the user, and run `gov record-refinement <WP_ID>`",
        why: "The dotgov layout (or `signatures.require_refinement: true`) makes the refinement the mandatory step before a signature (protocol 2.5.2).";
    REFINEMENT_NOT_APPROVED = "REF002", Error, "the refinement lacks the user's approval evidence",
        help: "after the user approves in chat, add `- USER_APPROVAL_EVIDENCE: APPROVE REFINEMENT <WP_ID>` (exact text) to the refinement",
        why: "The exact approval line makes the approval step mechanically checkable and prevents signature-by-momentum.";
    ENRICHMENT_PENDING = "REF003", Error, "the refinement says the spec needs enrichment first",
        help: "enrich the spec (new version, update the pointer), then create a new WP variant anchored to it and refine that",
        why: "ENRICHMENT_NEEDED: YES is a hard stop: no packet signature until the spec holds the missing normative text.";
    REFINEMENT_NOT_RECORDED = "REF004", Error, "the refinement was never recorded with record-refinement",
        help: "run `gov record-refinement <WP_ID>`, wait for a new turn, then record the signature",
        why: "Recording the refinement starts the turn lock that separates refinement from signature (protocol 2.5.7).";
    REFINEMENT_TOO_RECENT = "REF005", Error, "record-refinement ran too recently for this packet (turn lock)",
        help: "stop, present the refinement, and record the signature in a new turn after the configured gap",
        why: "The seed's turn lock: refinement, signature and packet creation must not happen in the same turn. `signatures.refinement_gap_seconds` sets the minimum gap.";
    SECTION_MISSING = "REF006", Error, "a required part of the Technical Refinement Block is missing",
        help: "add the section (see the refinement template): GAPS_IDENTIFIED, RED_TEAM_ADVISORY, PRIMITIVES, PROPOSED_SPEC_ENRICHMENT, CLEARLY_COVERS, ENRICHMENT_NEEDED",
        why: "Protocol 2.5.2 Step 1.1 lists what the block must contain before a signature may be requested.";
    SECTION_UNFILLED = "REF007", Error, "a part of the Technical Refinement Block is empty or still template text",
        help: "write the real content (NONE is an answer where nothing applies)",
        why: "A block with template placeholders was never actually written.";
    ENRICHMENT_NOT_VERBATIM = "REF008", Error, "the proposed spec enrichment is not verbatim spec text",
        help: "paste the exact Markdown to insert (headings, MUST/SHALL rules, code blocks), e.g. in a ```markdown fence; summaries are forbidden",
        why: "The user must be able to copy the proposed text into the Master Spec as it is (protocol 2.5.2).";
    CLEARLY_COVERS_INCOMPLETE = "REF009", Error, "a point of the clearly-covers checklist is missing or unanswered",
        help: "answer all five points YES or NO and give a VERDICT: PASS or FAIL",
        why: "The five-point checklist (protocol 2.5.1) decides objectively whether the spec clearly covers the work.";
    VERDICT_INCONSISTENT = "REF010", Error, "the clearly-covers verdict does not follow from the five points",
        help: "the verdict is PASS exactly when all five points are YES",
        why: "PASS means all five criteria hold; any NO is a FAIL.";
    ENRICHMENT_INCONSISTENT = "REF011", Error, "ENRICHMENT_NEEDED contradicts the clearly-covers verdict or the proposed enrichment",
        help: "PASS means ENRICHMENT_NEEDED: NO; FAIL means ENRICHMENT_NEEDED: YES with the verbatim enrichment text",
        why: "A spec that does not clearly cover the work must be enriched (with a signature) before a packet is signed.";
    REFINEMENT_WRONG_WP = "REF012", Error, "the refinement names a different work packet",
        help: "make the refinement's WP_ID match its file name",
        why: "An approval recorded for one packet must not unlock another.";
    GATE_STATE_INVALID = "REF013", Error, "the gate state file is not valid gate-state JSON",
        help: "repair the JSON (an object with a `gate_logs` array) or restore it from version control",
        why: "The gate state records when refinements were recorded; gov will not overwrite a file it cannot read.";
}
