//! SIG: user signatures and the signature audit.
crate::declare_codes! {
    SIGNATURE_MALFORMED = "SIG001", Error, "a signature does not follow {username}{DDMMYYYYHHMM}",
        help: "a valid signature looks like alice151220251430: a username (letters, digits, _; starting with a letter) then day, month, year, hour, minute",
        why: "Signatures are one-time approvals tied to a moment; the format makes them checkable and unique.";
    SIGNATURE_IMPOSSIBLE_DATE = "SIG002", Error, "a signature's digits are not a real date and time",
        help: "use the real date-time of approval as DDMMYYYYHHMM (no 31 February, no minute 61)",
        why: "An impossible timestamp means the signature was typed wrong or invented.";
    SIGNATURE_IN_FUTURE = "SIG003", Error, "a signature's date-time is in the future",
        help: "use the date-time at which the approval was given, from a trusted clock",
        why: "A signature from the future was not issued by the user yet.";
    SIGNATURE_NOT_IN_AUDIT = "SIG004", Error, "a cited signature is not recorded in the signature audit",
        help: "record it with `gov record-signature <WP_ID> <SIGNATURE>`",
        why: "The audit is the registry of consumed signatures; a signature missing from it cannot be proven one-time.";
    AUDIT_ROW_UNPARSEABLE = "SIG005", Warning, "a signature audit row could not be read",
        help: "make the row a table row with the header's columns; a `|` inside a cell must be escaped or inside `code`",
        why: "The audit is read as a real Markdown table; damaged rows are reported and the rest is still read.";
    SIGNATURE_ALREADY_USED = "SIG006", Error, "the signature was used before",
        help: "each signature is one-time use: ask the user for a fresh signature (a later minute) and record that one",
        why: "A signature approves one thing once. Finding it in the audit or in any tracked file means it was already consumed, so reusing it would approve something the user never saw.";
    AUDIT_DUPLICATE = "SIG007", Error, "the signature audit records the same signature twice",
        help: "keep the first row; mark the later one INVALID in its Purpose cell and record a fresh signature for what it approved",
        why: "Signatures are one-time use; two audit rows for one signature mean it was consumed twice (the seed's Error 1).";
    SIGNATURE_CITED_TWICE = "SIG008", Error, "two packets cite the same signature",
        help: "each packet needs its own signature: create a -vN variant of the later packet signed with a fresh signature",
        why: "One approval cannot lock two different sets of DONE_MEANS, TEST_PLAN and scope.";
    LOCKED_SECTIONS_CHANGED = "SIG009", Error, "a signed packet's locked sections changed after signing",
        help: "signed packets are immutable: restore DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS and OUT_OF_SCOPE, or create a -vN variant with a fresh signature",
        why: "The audit row records a SHA-256 of the locked sections at signing; a different hash now means the approved scope was edited afterwards.";
    PACKET_ALREADY_SIGNED = "SIG010", Error, "the packet is already signed with another signature",
        help: "signed packets are immutable: create a -vN variant with `gov create-task-packet` and sign that",
        why: "Re-signing a packet would silently replace the approval the user gave.";
    NO_SIGNATURE_FIELD = "SIG011", Error, "the packet has no USER_SIGNATURE to fill",
        help: "add `- USER_SIGNATURE: <pending>` to the packet's Metadata, then record the signature",
        why: "record-signature writes the signature into the packet's pending USER_SIGNATURE; without one the packet cannot show what approved it.";
    AUDIT_NO_EVIDENCE_COLUMN = "SIG012", Warning, "the audit table has no Evidence or Notes column for the locked-section hash",
        help: "add an `Evidence` column to the Consumed Signatures table so signed packets can be checked for later edits",
        why: "Without the recorded hash, `gov signatures verify` cannot prove a signed packet is unchanged.";
    SEARCH_WIDENED = "SIG020", Warning, "the git index could not be read; the one-time search walked the work tree instead",
        help: "repair the index (`git status` shows why it cannot be read) so the search covers exactly the tracked files",
        why: "The one-time search normally reads the files git tracks. When libgit2 cannot open the index (a SHA-256 repository, another user's checkout, a corrupt index) gov searches every file of the work tree instead, never fewer files, and says so.";
}
