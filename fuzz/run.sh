#!/usr/bin/env bash
# Runs fuzz targets for SECONDS each (default 30: the CI smoke), two at a time, and prints one
# line per target: executions, coverage, corpus size, crashes. A crash fails the script and
# leaves its input in fuzz/artifacts/<target>/ — turn it into a regression test.
#   fuzz/run.sh [SECONDS] [TARGET...]       (needs a nightly toolchain and cargo-fuzz)
# FUZZ_SANITIZER=none (the default here) builds without ASan: the targets exercise safe Rust,
# where a bug shows as a panic, an endless loop or a runaway allocation, all of which
# libFuzzer catches without a sanitizer; FUZZ_SANITIZER=address for the unsafe-minded.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(binary file_name wheel cargo_messages manifests)
sanitizer=${FUZZ_SANITIZER:-none}
[ -d corpus/binary ] || bash seed.sh >/dev/null
cargo +nightly fuzz build -O --sanitizer "$sanitizer"
mkdir -p logs
run() {
  local target=$1
  mkdir -p "corpus/$target"
  cargo +nightly fuzz run -O --sanitizer "$sanitizer" "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    >"logs/$target.log" 2>&1
}
status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for target in "${targets[@]:i:2}"; do
    run "$target" &
    pids+=("$!:$target")
  done
  for entry in "${pids[@]}"; do
    pid=${entry%%:*} target=${entry#*:}
    if wait "$pid"; then result=ok; else result=CRASH; status=1; fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "logs/$target.log" | tail -1 | grep -o '[0-9]*' || echo '?')
    corpus=$(ls "corpus/$target" | wc -l)
    printf '%-15s %-5s %6ss %12s execs  cov %6s  corpus %6s\n' "$target" "$result" "$seconds" "$execs" "$cov" "$corpus"
    [ "$result" = ok ] || grep -E 'panicked|ERROR|SUMMARY' "logs/$target.log" | head -5
  done
done
exit "$status"
