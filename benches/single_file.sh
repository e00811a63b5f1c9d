#!/usr/bin/env bash
# Benchmark (issue 12, single files): what does finding PyInit_<module> in one extension module
# cost as the module grows, against maturin's check before and after its mmap change and `nm`?
#
#   benches/single_file.sh                      # SIZES="1 64 1024 4096" RUNS=10 (minimum)
#   SIZES="1 64" RUNS=3 benches/single_file.sh  # smoke, about 2 minutes
#   python3 benches/plot_single_file.py target/bench/single/summary.json docs/bench/single_file.png
#
# Inputs, generated under BENCH_DIR (default target/bench/single):
#   - pyo3: tests/e2e/pyo3-sample, a real PyO3 cdylib (release build, ~0.5 MiB), copied as
#     pyo3_sample.so and grown to each of SIZES (MiB, total file size) with a non-allocated
#     `.debug_info` section of random bytes added by `objcopy --add-section`, where a debug
#     build's DWARF lives;
#   - exports: bench.so (ELF), bench.so (Mach-O arm64, clang + ld64.lld) and bench.pyd
#     (PE x64, clang + lld-link /dll /noentry) exporting EXPORTS functions (default 100,000;
#     the PE 65,535, the most its 16-bit ordinals allow and lld-link accepts) plus PyInit_bench.
# Approaches, side by side in one hyperfine run per input set (at least RUNS runs each, more
# within hyperfine's 3 s per command):
#   pyinit-check -q FILE (target/release/pyinit-check);
#   maturin-before: examples/read_whole_file.rs (maturin's warn_missing_py_init before 1bfaa8c0:
#     read_to_end, goblin::Object::parse, symbol search);
#   maturin-after: examples/maturin_mmap.rs (the same after 1bfaa8c0: memmap2 instead of the read);
#   nm: `nm -D --defined-only` (ELF), `llvm-nm-14 --defined-only -g` (Mach-O),
#     `llvm-objdump-14 -p` (PE: lld-link writes no COFF symbol table), piped into grep.
# Then peak RSS and minor/major page faults of each (GNU time, /usr/bin/time: apt-get install
# time), and callgrind instruction counts (load-independent) of pyinit-check and maturin-after on
# the smallest and largest pyo3 input and on each exports input. Prints a table, writes
# BENCH_DIR/summary.json. Inputs of 1 GiB and more are deleted at the end unless KEEP=1.
# Needs: cargo, python3, hyperfine, valgrind, objcopy, clang, lld (ld64.lld, lld-link from
# /usr/lib/llvm-14/bin), llvm-nm-14, llvm-objdump-14, and SIZES' sum of free disk (plus the
# largest size once more, for the padding while objcopy runs).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-1 64 1024 4096}
exports=${EXPORTS:-100000}
dir=${BENCH_DIR:-target/bench/single}
llvm=/usr/lib/llvm-14/bin
export RUNS=${RUNS:-10} WARMUP=${WARMUP:-2} RUSAGE_RUNS=${RUSAGE_RUNS:-3}
mib=$((1024 * 1024))

for tool in cargo python3 /usr/bin/time hyperfine valgrind objcopy clang nm llvm-nm-14 llvm-objdump-14 \
  "$llvm/ld64.lld" "$llvm/lld-link"; do
  command -v "$tool" >/dev/null || { echo "single_file.sh: needs $tool" >&2; exit 2; }
done

load() { cut -d' ' -f1 /proc/loadavg; }
mkdir -p "$dir"
echo "start: $(uptime)"
export LOAD_START=$(load)
export MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'),\
 $(free -g | awk '/Mem:/ {print $2}') GiB RAM, Linux $(uname -r), $(df -T "$dir" | awk 'NR==2 {print $2}') disk"
export TOOLS="$(hyperfine --version), $(valgrind --version), $(nm --version | head -1),\
 $(llvm-nm-14 --version | grep -m1 'LLVM version' | sed 's/^ *//'), $(rustc --version)"
echo "machine: $MACHINE"
echo "tools: $TOOLS"

cargo build --release --locked --quiet --bin pyinit-check --example read_whole_file --example maturin_mmap
export TOOL=target/release/pyinit-check BEFORE=target/release/examples/read_whole_file \
  AFTER=target/release/examples/maturin_mmap

# --- a real PyO3 cdylib, grown ------------------------------------------------------------
PYO3_PYTHON=${PYO3_PYTHON:-python3} cargo build --release --locked --quiet \
  --manifest-path tests/e2e/pyo3-sample/Cargo.toml --target-dir target/bench/pyo3-target
lib=target/bench/pyo3-target/release/libpyo3_sample.so
lib_bytes=$(stat -c %s "$lib")

# Disk: every size not yet on disk, plus the padding file of the largest while objcopy copies it.
need=0 largest=0
for size in $sizes; do
  out="$dir/pyo3-${size}M/pyo3_sample.so"
  [ -f "$out" ] && [ "$out" -nt "$lib" ] && continue
  need=$((need + size)); [ "$size" -gt "$largest" ] && largest=$size
done
need=$((need + largest))
free_mib=$(($(df -Pk "$dir" | awk 'NR==2 {print $4}') / 1024))
if [ "$need" -gt 0 ] && [ $((need + 2048)) -gt "$free_mib" ]; then
  echo "single_file.sh: needs ${need} MiB (+2 GiB slack) under $dir, ${free_mib} MiB free; set SIZES" >&2
  exit 2
fi

inputs="$dir/inputs.tsv"
: >"$inputs"
block="$dir/random-64M.bin"
for size in $sizes; do
  out="$dir/pyo3-${size}M/pyo3_sample.so"
  mkdir -p "$(dirname "$out")"
  if [ ! -f "$out" ] || [ ! "$out" -nt "$lib" ]; then
    pad=$((size * mib - lib_bytes))
    if [ "$pad" -le 0 ]; then
      cp "$lib" "$out"
    else
      echo "growing $lib to ${size} MiB ($pad bytes of .debug_info)..."
      # Random bytes (nothing on the way can compress or skip them): a 64 MiB block, repeated.
      [ -f "$block" ] || head -c $((64 * mib)) /dev/urandom >"$block"
      python3 - "$block" "$pad" "$out.pad" <<'PY'
import sys
block, remaining = open(sys.argv[1], "rb").read(), int(sys.argv[2])
with open(sys.argv[3], "wb") as out:
    while remaining > 0:
        remaining -= out.write(block[:remaining])
PY
      objcopy --add-section .debug_info="$out.pad" --set-section-flags .debug_info=noload,readonly \
        "$lib" "$out.tmp"
      rm -f "$out.pad"
      mv "$out.tmp" "$out"
    fi
  fi
  printf 'pyo3\t%s\telf\t%s\tpyo3_sample\n' "${size}M" "$out" >>"$inputs"
done
rm -f "$block"

# --- 100,000 exports: ELF, Mach-O, PE ---------------------------------------------------------
pe_exports=$((exports < 65535 ? exports : 65535))
edir="$dir/exports-$exports"
mkdir -p "$edir/elf" "$edir/macho" "$edir/pe"
if [ ! -f "$edir/elf/bench.so" ] || [ ! -f "$edir/macho/bench.so" ] || [ ! -f "$edir/pe/bench.pyd" ]; then
  echo "compiling $exports exports (ELF, Mach-O) and $pe_exports (PE), -O0..."
  python3 benches/single_file.py exports-source "$exports" bench >"$edir/exports.c"
  python3 benches/single_file.py exports-source "$pe_exports" bench >"$edir/exports-pe.c"
  clang -O0 -fPIC -shared -o "$edir/elf/bench.so" "$edir/exports.c" &
  elf=$!
  (clang -O0 --target=arm64-apple-macos11 -c "$edir/exports.c" -o "$edir/macho.o" &&
    "$llvm/ld64.lld" -dylib -arch arm64 -platform_version macos 11.0 11.0 -undefined dynamic_lookup \
      -o "$edir/macho/bench.so" "$edir/macho.o") &
  macho=$!
  clang -O0 --target=x86_64-pc-windows-msvc -c "$edir/exports-pe.c" -o "$edir/pe.o"
  "$llvm/lld-link" /nologo /nodefaultlib /Brepro /dll /noentry /machine:x64 \
    /out:"$edir/pe/bench.pyd" /implib:"$edir/pe.lib" "$edir/pe.o"
  wait "$elf"
  wait "$macho"
  rm -f "$edir"/*.o "$edir/pe.lib" "$edir"/*.c
fi
printf 'exports\tELF-%s\telf\t%s\tbench\n' "$exports" "$edir/elf/bench.so" >>"$inputs"
printf 'exports\tMachO-%s\tmacho\t%s\tbench\n' "$exports" "$edir/macho/bench.so" >>"$inputs"
printf 'exports\tPE-%s\tpe\t%s\tbench\n' "$pe_exports" "$edir/pe/bench.pyd" >>"$inputs"
ls -l $(cut -f4 "$inputs")

# Every approach must find the hook on every input before anything is timed.
while IFS=$'\t' read -r _ _ _ path module; do
  "$TOOL" -q "$path"
  "$BEFORE" "$path" "$module"
  "$AFTER" "$path" "$module"
done <"$inputs"

python3 benches/single_file.py run "$inputs" "$dir"

echo "end: $(uptime)"
python3 - "$dir/summary.json" "$(load)" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
summary["load"][1] = sys.argv[2]
json.dump(summary, open(sys.argv[1], "w"), indent=1)
PY
echo "load average (1 min): $LOAD_START at the start, $(load) at the end"

if [ "${KEEP:-0}" != 1 ]; then
  for size in $sizes; do
    [ "$size" -ge 1024 ] && rm -rf "$dir/pyo3-${size}M"
  done
  echo "deleted the inputs of 1 GiB and more (KEEP=1 keeps them)"
fi
