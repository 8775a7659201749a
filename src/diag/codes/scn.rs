//! SCN: forbidden and placeholder patterns in production code (validator-scan).
crate::declare_codes! {
    SCAN_BAD_PATH = "SCN001", Error, "a path given to validator-scan does not exist or is outside the repository",
        help: "pass paths inside the repository",
        why: "Scanning nothing would pass silently; a bad path is an error so the gate is never vacuous.";
}
