#!/usr/bin/env bash
# Runs every fuzz target in turn, one at a time, for SECONDS each (default 600).
#   fuzz/run.sh [seconds-per-target] [target ...]
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
# Seeds in fuzz/seeds/<target>/ are read only; new inputs go to fuzz/corpus/<target>/ (ignored by
# git) and findings to fuzz/artifacts/<target>/. Not part of CI.
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(front_matter extract markdown notice)
logs=logs
mkdir -p "$logs"
status=0
summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "== building $t" >&2
    cargo +nightly fuzz build -O "$t" >&2 || { summary+=("$t: BUILD FAILED"); status=1; continue; }
    echo "== running $t for ${secs}s" >&2
    # First corpus dir is the writable one; the seeds dir is only read.
    cargo +nightly fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -jobs=1 -workers=1 \
        -rss_limit_mb=2048 -timeout=10 -max_len=262144 -print_final_stats=1 \
        >"$logs/$t.log" 2>&1
    rc=$?
    # With -jobs the fuzzing runs in a child process that logs to fuzz-0.log.
    [ -f fuzz-0.log ] && mv fuzz-0.log "$logs/$t.fuzz.log"
    execs=$(cat "$logs/$t.log" "$logs/$t.fuzz.log" 2>/dev/null |
        grep -o 'stat::number_of_executed_units: *[0-9]*' | grep -o '[0-9]*$' | tail -1)
    found=$(find "artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    summary+=("$t: ${secs}s execs=${execs:-?} crashes=$found exit=$rc corpus=$(ls "corpus/$t" | wc -l)")
    [ "$rc" -ne 0 ] || [ "$found" -ne 0 ] && status=1
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
