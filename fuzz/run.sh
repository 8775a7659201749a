#!/bin/sh
# Runs fuzz targets one after another, each for SECONDS (default 600), and prints
# the executions of each run (libFuzzer's final `#N DONE` line) or where its crash
# input was saved. Usage: fuzz/run.sh [SECONDS] [TARGET...]  (default: every target)
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#
# The targets are built once, up front (release, AddressSanitizer, debug assertions
# so that integer overflow panics), and the binaries run directly: editing gov while
# the fuzzers run does not rebuild them.
set -u
cd "$(dirname "$0")"
# libgit2's vendored llhttp defines the same C global twice; AddressSanitizer reports
# that ODR violation at start-up and aborts before any input runs. It is not gov's code.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_odr_violation=0"
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-$(cargo +nightly fuzz list)}
[ -d corpus ] || ./seed-corpus.sh > /dev/null
mkdir -p logs
cargo +nightly fuzz build -O -a > logs/build.log 2>&1 || {
    echo "build failed, see fuzz/logs/build.log"
    exit 2
}
bin=target/x86_64-unknown-linux-gnu/release
# as `cargo fuzz run` sets it: libgit2's bundled C code trips ASan's ODR check
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}"
status=0
for t in $targets; do
    mkdir -p "artifacts/$t" "corpus/$t"
    if "$bin/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$secs" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "corpus/$t" > "logs/$t.log" 2>&1; then
        done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "logs/$t.log" | tail -n 1)
        printf '%s: ok, %s\n' "$t" "$(printf '%s' "$done_line" | tr -s '\t ' ' ')"
    else
        status=1
        printf '%s: FAILED, see fuzz/logs/%s.log; input: %s\n' "$t" "$t" \
            "$(grep -o 'artifacts/[^ ]*' "logs/$t.log" | tail -n 1)"
    fi
done
exit $status
