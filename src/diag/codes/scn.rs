//! SCN: forbidden and placeholder patterns in production code (validator-scan), and the
//! pre-commit hook that runs it. SCN001-SCN009 are about the scan itself, SCN010 and up
//! are the built-in rules (one code per rule, so waivers and severity settings are
//! exact), SCN050 and up are about `gov hook`.
crate::declare_codes! {
    SCAN_BAD_PATH = "SCN001", Error, "a path given to validator-scan does not exist or is outside the repository",
        help: "pass paths inside the repository",
        why: "Scanning nothing would pass silently; a bad path is an error so the gate is never vacuous.";
    SCAN_UNREADABLE = "SCN002", Warning, "a file could not be scanned",
        help: "check the file's permissions and size; it was left out of this scan",
        why: "Files are never skipped silently: an unreadable or oversized file is named so that a gap in the scan is visible.";
    WAIVER_WITHOUT_REASON = "SCN003", Error, "a `gov:allow(CODE)` waiver gives no reason",
        help: "write why the finding is acceptable after the waiver: `// gov:allow(SCN010) the index was checked above`",
        why: "A waiver is a recorded decision; without a reason a reviewer cannot judge it, so a bare waiver is itself a finding.";
    WAIVER_UNUSED = "SCN004", Warning, "a `gov:allow(CODE)` waiver matches no finding",
        help: "remove the waiver, or check that the code matches the finding on this line or the next",
        why: "Waivers outlive the code they excused; an unused one would silently excuse the next finding written there.";
    BASELINE_STALE = "SCN005", Warning, "a baseline entry no longer matches any finding",
        help: "the finding was fixed: regenerate the baseline with `gov validator-scan --write-baseline FILE`",
        why: "A baseline only shrinks; reporting fixed entries keeps it honest and stops it from hiding a finding that returns.";
    BASELINE_INVALID = "SCN006", Error, "the baseline file could not be read",
        help: "pass a file written by `gov validator-scan --write-baseline`, or write a new one",
        why: "A baseline that cannot be read would either hide everything or nothing; gov stops instead of guessing.";
    SCAN_GIT = "SCN007", Error, "the git state needed by --staged or --changed could not be read",
        help: "check that BASE names a commit (`git rev-parse BASE`) and that the index is readable",
        why: "Staged and changed-line scans read the index and history through libgit2; if they cannot, the scan cannot be evaluated.";
    SCAN_TRUNCATED = "SCN008", Warning, "a file has more findings than gov lists",
        help: "the file is probably generated or minified: exclude it with `scan.exclude`, or fix the findings listed first",
        why: "A generated file can match on every line; gov lists the first 1000 findings of a file and says the rest were left out, so output and memory stay bounded.";
    UNWRAP = "SCN010", Error, "`unwrap()` in production code",
        help: "propagate the error with `?` or handle it; if it truly cannot fail, waive with `// gov:allow(SCN010) why`",
        why: "`unwrap()` panics on None or Err. Production code handles errors; tests may unwrap (the workflow guide's forbidden-pattern list).";
    EXPECT = "SCN011", Error, "`expect(` in production code",
        help: "propagate the error with `?` or handle it; if it truly cannot fail, waive with `// gov:allow(SCN011) why`",
        why: "`expect()` panics like `unwrap()` with a message; production code must handle the error instead.";
    TODO_MACRO = "SCN012", Error, "`todo!` in production code",
        help: "implement the code, or keep the work out of this change",
        why: "`todo!()` marks incomplete code that panics when reached; it must not ship.";
    UNIMPLEMENTED = "SCN013", Error, "`unimplemented!` in production code",
        help: "implement the code, or keep the work out of this change",
        why: "`unimplemented!()` marks incomplete code that panics when reached; it must not ship.";
    DBG = "SCN014", Error, "`dbg!` in production code",
        help: "remove the debugging macro",
        why: "`dbg!` is a debugging aid that writes to stderr; it must be removed before committing.";
    PRINTLN = "SCN015", Error, "`println!` in production code",
        help: "use the logging framework or return the text to the caller",
        why: "Production code does not write to stdout directly; output goes through logging or the caller.";
    EPRINTLN = "SCN016", Error, "`eprintln!` in production code",
        help: "use the logging framework or return an error",
        why: "Production code does not write to stderr directly; errors are returned or logged.";
    PANIC = "SCN017", Error, "`panic!` in production code",
        help: "return an error instead; if the state is truly impossible, waive with `// gov:allow(SCN017) why`",
        why: "A panic aborts the operation without a recoverable error; production code returns errors.";
    MOCK = "SCN020", Error, "`Mock` placeholder in production code",
        help: "replace the mock with the real implementation, or move it into test code",
        why: "Mocks belong to tests; one in production code means the real implementation is missing (CX-108, zero placeholders).";
    STUB = "SCN021", Error, "`Stub` placeholder in production code",
        help: "replace the stub with the real implementation, or move it into test code",
        why: "A stub in production code is hollow work that passes review by looking finished (CX-108).";
    PLACEHOLDER = "SCN022", Error, "`placeholder` in production code",
        help: "replace the placeholder with the real value or implementation",
        why: "Placeholder values must not reach production (CX-108). Form-field attributes such as `placeholder=` are not findings.";
    HOLLOW = "SCN023", Error, "`hollow` in production code",
        help: "write the real implementation",
        why: "The workflow guide's hygiene gate rejects hollow code: something shaped like an implementation that does nothing.";
    TODO_UNTRACKED = "SCN030", Error, "`TODO` without a tracking id",
        help: "give the TODO a tracking id, `TODO(PROJ-123)`, or do the work now",
        why: "CX-106: every TODO carries a tracking id so that it is closed, not accumulated; `TODO()`, `TODO(TBD)` and bare `TODO` are findings.";
    FIXME = "SCN031", Error, "`FIXME` in production code",
        help: "fix it now, or record it as a `TODO(PROJ-123)` with a tracking id",
        why: "CX-108 lists FIXME among the placeholders that must not appear in production code.";
    CONSOLE_LOG = "SCN040", Error, "`console.log` in production code",
        help: "use the application's logger, or remove the debugging output",
        why: "Stray `console.log` calls are debugging leftovers that leak data and clutter output.";
    DEBUGGER = "SCN041", Error, "`debugger` statement",
        help: "remove the `debugger` statement",
        why: "A `debugger` statement pauses execution whenever developer tools are open; it is a leftover.";
    FOCUSED_TEST = "SCN042", Error, "`.only(` focuses a test and skips the rest",
        help: "remove `.only` so that the whole suite runs",
        why: "A committed `describe.only` / `it.only` silently disables every other test; this rule applies in test files too.";
    HOOK_FOREIGN = "SCN050", Error, "a pre-commit hook not installed by gov is in the way",
        help: "pass --force to replace it (it is kept as pre-commit.pre-gov), or merge the hooks by hand",
        why: "gov never overwrites or removes a hook it did not write, so hand-written hooks are not lost.";
}
