# gov's own development recipes. The recipes a governance repository uses live in
# templates/justfile (copy it into your project); they are imported here so that this
# repository can run them too.
import 'templates/justfile'

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

# Development: regenerate the JSON Schemas in schemas/ from the types (commit them)
schemas:
    GOV_UPDATE_SCHEMAS=1 cargo test --test cli schemas
