#!/bin/sh
# Benchmarks `gov validator-scan` against ripgrep (benches/scan.rs): installs ripgrep
# and GNU time when they are missing, then runs the release-mode bench.
#   GOV_BENCH_TREE=/path/to/tree  source tree to scan (default: cargo's registry sources)
#   GOV_BENCH_RUNS=5              repetitions per contender
set -eu
cd "$(dirname "$0")/.."
need_apt=""
command -v rg >/dev/null 2>&1 || need_apt="$need_apt ripgrep"
[ -x /usr/bin/time ] || need_apt="$need_apt time"
if [ -n "$need_apt" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq $need_apt
    fi
fi
if ! command -v rg >/dev/null 2>&1; then
    cargo install ripgrep
fi
rg --version | head -n 1
cargo bench --bench scan
