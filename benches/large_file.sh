#!/usr/bin/env bash
# Benchmark: does checking a huge debug build cost the same as checking a small one?
#
# Builds a real shared library, then a copy padded with a non-allocated section of SIZE_MB
# (default 4096) megabytes of real bytes — where debug info lives in a debug build — and times,
# side by side in one hyperfine run:
#   - pyinit-check on the small and on the huge file (mmap + targeted hash lookup),
#   - the read-the-whole-file baseline (examples/read_whole_file.rs) on the same two files.
# Then it counts page faults and peak RSS for each on the huge file.
# Needs gcc, objcopy and hyperfine (apt-get install hyperfine). Writes under BENCH_DIR
# (default: target/bench), which needs SIZE_MB of free disk.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${SIZE_MB:-4096}
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
cargo build --release --quiet --bin pyinit-check --example read_whole_file
tool=target/release/pyinit-check
naive=target/release/examples/read_whole_file

small="$dir/small/bench.so"
huge="$dir/huge/bench.so"
mkdir -p "$dir/small" "$dir/huge"
gcc -shared -fPIC -O2 -DHOOK=PyInit_bench -o "$small" tests/fixtures/src/module.c
if [ ! -f "$huge" ] || [ "$(stat -c %s "$huge")" -lt $((size_mb * 1024 * 1024)) ]; then
  echo "writing a ${size_mb} MB padding section..."
  head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$dir/padding.bin"
  objcopy --add-section .debug_padding="$dir/padding.bin" --set-section-flags .debug_padding=noload,readonly "$small" "$huge"
  rm -f "$dir/padding.bin"
fi
ls -l "$small" "$huge"

# Both must agree that the hook is there before timing anything.
"$tool" -q "$small" "$huge"
"$naive" "$huge" PyInit_bench

hyperfine --warmup 2 --runs "${RUNS:-10}" --export-json "$dir/results.json" \
  -n "pyinit-check small" "$tool -q $small" \
  -n "pyinit-check huge" "$tool -q $huge" \
  -n "read-whole-file small" "$naive $small PyInit_bench" \
  -n "read-whole-file huge" "$naive $huge PyInit_bench"

python3 - "$dir/results.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {name: r["median"] for name, r in results.items()}
print("\nmedians (ms):")
for name, value in med.items():
    print(f"  {name:24s} {value * 1000:10.2f}")
print(f"huge/small, pyinit-check:     {med['pyinit-check huge'] / med['pyinit-check small']:.2f}x")
print(f"huge/small, read-whole-file:  {med['read-whole-file huge'] / med['read-whole-file small']:.2f}x")
print(f"read-whole-file/pyinit-check on huge: {med['read-whole-file huge'] / med['pyinit-check huge']:.0f}x")
PY

if command -v /usr/bin/time >/dev/null; then
  for name in "$tool -q $huge" "$naive $huge PyInit_bench"; do
    /usr/bin/time -f "%C: max RSS %M KiB, minor faults %R, major faults %F" $name
  done
fi
