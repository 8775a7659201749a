# gov recipes. The historic recipe names of the Node-script workflow, now one line
# each calling gov. Point GOV at another binary with `GOV=./target/release/gov just ...`.
gov := env_var_or_default("GOV", "gov")

# Gate 0: is the packet ready to hand to a Coder?
pre-work WP_ID:
    {{gov}} pre-work {{WP_ID}}

# Gate 1: is the work done, in scope and evidenced? (extra args: --range A..B, --rev R, --staged)
post-work WP_ID *ARGS:
    {{gov}} post-work {{WP_ID}} {{ARGS}}

# New packet from the template, plus its board entry
create-task-packet WP_ID:
    {{gov}} create-task-packet {{WP_ID}}

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
