//! CFG: gov.yaml. An invalid configuration makes every command exit 2.
crate::declare_codes! {
    CONFIG_SYNTAX = "CFG001", Error, "gov.yaml is not valid YAML",
        help: "fix the YAML syntax at the given line",
        why: "A configuration gov cannot parse would silently change what the gates check; gov refuses to guess.";
    CONFIG_UNKNOWN_KEY = "CFG002", Error, "gov.yaml has a key gov does not know",
        help: "check the spelling against the configuration reference in the README",
        why: "A misspelt key would be ignored and its setting lost; unknown keys are errors.";
    CONFIG_INVALID_VALUE = "CFG003", Error, "a gov.yaml value has the wrong type or an invalid value",
        help: "see the configuration reference in the README for the expected value",
        why: "Values are checked when the file is read, so a bad one is reported with its key instead of failing later.";
    CONFIG_NOT_FOUND = "CFG004", Error, "the configuration file given with --config does not exist",
        help: "check the path passed to --config",
        why: "An explicit --config must exist; gov does not fall back to defaults silently.";
    CONFIG_UNSUPPORTED_VERSION = "CFG005", Error, "gov.yaml declares a schema version gov does not support",
        help: "set `version: 1` or upgrade gov",
        why: "The configuration schema is versioned so that old binaries never misread new files.";
    CONFIG_NOT_REGULAR = "CFG010", Error, "the configuration file is not a regular file",
        help: "pass a regular file to --config (not a FIFO, a device or a folder)",
        why: "Reading a FIFO or a device would block or never end; gov only reads regular files as configuration.";
}
