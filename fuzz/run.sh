#!/bin/sh
# Runs fuzz targets one after another, each for SECONDS (default 600), and prints
# the executions of each run (libFuzzer's final `#N DONE` line) or where its crash
# input was saved. Usage: fuzz/run.sh [SECONDS] [TARGET...]  (default: every target)
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -u
cd "$(dirname "$0")"
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-$(cargo +nightly fuzz list)}
[ -d corpus ] || ./seed-corpus.sh > /dev/null
mkdir -p logs
status=0
for t in $targets; do
    if cargo +nightly fuzz run -O -a "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 > "logs/$t.log" 2>&1; then
        done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "logs/$t.log" | tail -n 1)
        printf '%s: ok, %s\n' "$t" "$(printf '%s' "$done_line" | tr -s '\t ' ' ')"
    else
        status=1
        printf '%s: FAILED, see fuzz/logs/%s.log; input: %s\n' "$t" "$t" \
            "$(grep -o 'artifacts/[^ ]*' "logs/$t.log" | tail -n 1)"
    fi
done
exit $status
