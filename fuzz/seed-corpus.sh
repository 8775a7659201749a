#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the repository's own documents: tests/fixtures,
# examples and templates. Safe to re-run; libFuzzer adds what it finds next to them.
set -eu
cd "$(dirname "$0")/.."

# seed TARGET FIND-ARGS...: copies every matching file, named after its path
seed() {
    target=$1
    shift
    mkdir -p "fuzz/corpus/$target"
    find tests/fixtures examples templates -type f "$@" ! -path '*/fuzz-regressions/*' |
        while IFS= read -r f; do
            cp "$f" "fuzz/corpus/$target/$(printf '%s' "$f" | tr '/' '_')"
        done
}

seed packet \( -path '*task_packets/*' -o -path '*formats/packets/*' -o -name packet.md \)
seed board \( -name 'TASK_BOARD.md' -o -name 'board.md' -o -name task_board.md \)
seed spec \( -name 'Master_Spec*' -o -name 'spec.md' -o -iname 'spec_current.md' -o -path '*pointers/*' \)
seed audit \( -name 'SIGNATURE_AUDIT.md' -o -name 'audit.md' -o -name signature_audit.md \)
seed refinement \( -path '*refinements/*' -o -name refinement.md \)
seed config \( -name 'gov.yaml' -o -name '*.json' \)
seed signature \( -name 'SIGNATURE_AUDIT.md' -o -name 'audit.md' -o -path '*task_packets/*' \)
seed markdown -name '*.md'
if [ -d src ] && [ -d tests/fixtures ]; then
    # the scan matcher reads source code: gov's own sources and the fixtures' code
    seed scan \( -name '*.rs' -o -name '*.ts' -o -name '*.js' -o -name '*.py' \)
    find src -name '*.rs' | while IFS= read -r f; do
        cp "$f" "fuzz/corpus/scan/$(printf '%s' "$f" | tr '/' '_')"
    done
fi
printf '%s\n' alice151220251430 WP-1-Storage-Layer-v2 '§2.3.12-2.3.14' 'Â§2.3.12' \
    '[CX-100]' 'Ready-for-Dev (no blockers)' > fuzz/corpus/signature/tokens.txt
printf '{"gate_logs": [{"wpId": "WP-1-X", "type": "REFINEMENT", "timestamp": "2026-11-21T11:59:30.123Z"}]}\n' \
    > fuzz/corpus/config/gate_state.json
for d in fuzz/corpus/*/; do
    printf '%s %s\n' "$(ls "$d" | wc -l)" "$d"
done
