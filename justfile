# gov recipes. The historic recipe names of the Node-script workflow, now one line
# each calling gov. Point GOV at another binary with `GOV=./target/release/gov just ...`.
gov := env_var_or_default("GOV", "gov")

# Gate 0: is the packet ready to hand to a Coder?
pre-work WP_ID:
    {{gov}} pre-work {{WP_ID}}

# Gate 1: is the work done, in scope and evidenced? (extra args: --range A..B, --rev R, --staged)
post-work WP_ID *ARGS:
    {{gov}} post-work {{WP_ID}} {{ARGS}}

# New packet from the template, plus its board entry (extra args: --backlog, --gate PHASE, --from WP_ID)
create-task-packet WP_ID *ARGS:
    {{gov}} create-task-packet {{WP_ID}} {{ARGS}}

# Forbidden and placeholder patterns in production code (extra args: paths, --staged, --format sarif)
validator-scan *ARGS:
    {{gov}} validator-scan {{ARGS}}

# Spec pointer and anchor integrity
validator-spec-regression:
    {{gov}} spec-regression

# May this phase close? (Phase-1, "Phase 1" or 1)
validator-phase-gate PHASE:
    {{gov}} phase-gate {{PHASE}}

# Record the Technical Refinement for a WP (starts the turn lock)
record-refinement WP_ID:
    {{gov}} record-refinement {{WP_ID}}

# Consume a one-time user signature for a WP
record-signature WP_ID SIGNATURE:
    {{gov}} record-signature {{WP_ID}} {{SIGNATURE}}

# Lifecycle: Backlog → Ready for Dev (pre-work must pass)
ready WP_ID:
    {{gov}} ready {{WP_ID}}

# Lifecycle: Ready for Dev → In Progress, recording the assignment (extra args: --coder, --worktree, --branch)
start WP_ID *ARGS:
    {{gov}} start {{WP_ID}} {{ARGS}}

# The protocol's name for recording a coder assignment: `just record-prepare WP-1-X Coder-A`
record-prepare WP_ID CODER *ARGS:
    {{gov}} record-prepare {{WP_ID}} --coder {{CODER}} {{ARGS}}

# Lifecycle: In Progress → Ready for Validation (post-work must pass)
submit WP_ID *ARGS:
    {{gov}} submit {{WP_ID}} {{ARGS}}

# Lifecycle: the validator's verdict, PASS or FAIL, with the report file (or - for stdin)
verdict WP_ID VERDICT REPORT *ARGS:
    {{gov}} verdict {{WP_ID}} {{VERDICT}} --report {{REPORT}} {{ARGS}}

# Lifecycle: block a packet (--on WP_ID... or --reason "...")
block WP_ID *ARGS:
    {{gov}} block {{WP_ID}} {{ARGS}}

# Lifecycle: lift a block once every blocker is VALIDATED
unblock WP_ID:
    {{gov}} unblock {{WP_ID}}

# Lifecycle: a -vN variant from a packet, then retire the old one
new-variant OLD_ID NEW_ID:
    {{gov}} create-task-packet {{NEW_ID}} --from {{OLD_ID}} --backlog

supersede OLD_ID NEW_ID:
    {{gov}} supersede {{OLD_ID}} --by {{NEW_ID}}

# Repair board drift from the packets (extra args: --dry-run)
board-sync *ARGS:
    {{gov}} board sync {{ARGS}}

# The whole deterministic chain for one packet
validate-workflow WP_ID:
    {{gov}} pre-work {{WP_ID}} && {{gov}} validator-scan && {{gov}} spec-regression && {{gov}} post-work {{WP_ID}}

# Development: the test suite (what CI runs after fmt and clippy)
test:
    cargo test

# Development: formatting and lints, as CI runs them
lint:
    cargo fmt --all -- --check
    cargo clippy --all-targets -- -D warnings

# Development: release-mode benchmarks (figures go in the README)
bench:
    cargo bench

# Development: fuzz every parser (or the TARGETS named) for SECONDS each, one at a time
# (needs nightly and `cargo install cargo-fuzz`; crash inputs land in fuzz/artifacts/)
fuzz SECONDS="600" *TARGETS:
    fuzz/run.sh {{SECONDS}} {{TARGETS}}
