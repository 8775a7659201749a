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
}
