#!/usr/bin/env bash
# Benchmark: is a new build of pyinit-check any slower than an old one, on the two inputs whose
# cost must stay flat — a 4 GiB debug-style build (mmap: only the needed pages) and a
# directory of 5,000 modules (the scan and per-artifact pipeline)?
#
#   benches/compare_runs.sh OLD_BINARY NEW_BINARY
#
# Times both binaries side by side in one hyperfine run (medians, so a noisy machine affects
# both alike), then counts instructions with callgrind, which does not depend on load.
# Inputs are generated under BENCH_DIR (default target/bench): the 4 GiB file as
# benches/large_file.sh makes it (gcc, objcopy; SIZE_MB to change), the directory as 5,000
# copies of a passing module in 100 packages. Needs hyperfine and valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: compare_runs.sh OLD_BINARY NEW_BINARY}
new=${2:?usage: compare_runs.sh OLD_BINARY NEW_BINARY}
size_mb=${SIZE_MB:-4096}
dir=${BENCH_DIR:-target/bench}
modules=${MODULES:-5000}
mkdir -p "$dir/small" "$dir/huge"

small="$dir/small/bench.so"
huge="$dir/huge/bench.so"
gcc -shared -fPIC -O2 -DHOOK=PyInit_bench -o "$small" tests/fixtures/src/module.c
if [ ! -f "$huge" ] || [ "$(stat -c %s "$huge")" -lt $((size_mb * 1024 * 1024)) ]; then
  echo "writing a ${size_mb} MB padding section..."
  head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$dir/padding.bin"
  objcopy --add-section .debug_padding="$dir/padding.bin" \
    --set-section-flags .debug_padding=noload,readonly "$small" "$huge"
  rm -f "$dir/padding.bin"
fi

tree="$dir/tree-$modules"
if [ ! -d "$tree" ]; then
  for i in $(seq 0 $((modules - 1))); do
    package="$tree/pkg$((i / 50))"
    mkdir -p "$package"
    cp "$small" "$package/bench.cpython-312-x86_64-linux-gnu.so.tmp"
    # Each copy keeps the stem `bench`, so every module passes, in its own package.
    mkdir -p "$package/m$i"
    mv "$package/bench.cpython-312-x86_64-linux-gnu.so.tmp" "$package/m$i/bench.cpython-312-x86_64-linux-gnu.so"
  done
fi

for tool in "$old" "$new"; do
  "$tool" -q "$small" "$huge" "$tree" >/dev/null
done

hyperfine --warmup 2 --runs "${RUNS:-15}" --export-json "$dir/compare.json" \
  -n "old 4GiB" "$old -q $huge" \
  -n "new 4GiB" "$new -q $huge" \
  -n "old small" "$old -q $small" \
  -n "new small" "$new -q $small" \
  -n "old $modules modules" "$old -q $tree" \
  -n "new $modules modules" "$new -q $tree"

python3 - "$dir/compare.json" "$modules" <<'PY'
import json, sys
results = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
modules = sys.argv[2]
print("\nmedians (ms), same run:")
for name, value in results.items():
    print(f"  {name:22s} {value * 1000:10.2f}")
for what in ["4GiB", "small", f"{modules} modules"]:
    print(f"new/old, {what:14s} {results[f'new {what}'] / results[f'old {what}']:.2f}x")
print(f"new: 4GiB/small {results['new 4GiB'] / results['new small']:.2f}x")
PY

echo
echo "instructions (callgrind, Ir):"
for input in "$huge" "$tree"; do
  for tool in "$old" "$new"; do
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$tool" -q "$input" >/dev/null 2>"$out.log" || true
    ir=$(grep -E '^(summary|totals):' "$out" | head -1 | awk '{print $2}')
    printf '  %-5s %-40s %15s\n' "$([ "$tool" = "$old" ] && echo old || echo new)" "$(basename "$input")" "$ir"
    rm -f "$out" "$out.log"
  done
done

if command -v /usr/bin/time >/dev/null; then
  echo
  for tool in "$old" "$new"; do
    for input in "$huge" "$tree"; do
      /usr/bin/time -f "$(basename "$tool") $(basename "$input"): max RSS %M KiB, minor faults %R" "$tool" -q "$input"
    done
  done
fi
