#!/usr/bin/env bash
# Benchmark: a release's wheelhouse. How fast, and in how much memory, does pyinit-check check
# real wheels — against Python's zipfile inflating the very same module members (the floor for
# any checker that reads the modules), on 1, 2 and 4 jobs?
#
#   benches/wheelhouse.sh
#
# Inputs, fetched once into caches or generated under BENCH_DIR (default target/bench/wheelhouse):
#   - polars: polars-runtime-32 2.1.0, manylinux x86_64 (one 177 MB module), `pip download`
#     pinned by version into WHEEL_CACHE (default ~/.cache/pyinit-check-bench);
#   - house: the wheels tests/e2e/pypi_wheels.sh pins and keeps in ~/.cache/pyinit-check-wheels
#     (23 when the figures in BENCHMARKS.md were taken; 29 since)
#     (fetched by running that script once), copied COPIES (default 5) times — real copies, since
#     one file named twice is one artifact; subsets of 1 and 2 copies give the size scaling;
#   - bomb: one member of 2 GiB of zeros named like a module (benches/make_bomb.py).
# Each input is one hyperfine run (medians of RUNS, default 5) holding every approach side by
# side: pyinit-check -q --jobs 1|2|4, benches/inflate_members.py (the same members pyinit-check
# reported, inflated single-threaded), and for the polars wheel abi3audit and `auditwheel show`
# when they are installed. Then peak RSS (/usr/bin/time %M), the time to the first output line
# on the house, ratios against issue 12's goals, and $dir/summary.json, which
# benches/plot_wheelhouse.py draws (docs/bench/wheelhouse.png).
# Needs python3, hyperfine and GNU time; 700 MB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-target/bench/wheelhouse}
cache=${WHEEL_CACHE:-$HOME/.cache/pyinit-check-bench}
real=${PYPI_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels}
copies=${COPIES:-5}
runs=${RUNS:-5}
mkdir -p "$dir" "$cache"

cargo build --release --quiet --locked --bin pyinit-check
tool=$PWD/target/release/pyinit-check
# Parallel speed-up needs idle cores: the load says whether it had them.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

polars_name=polars_runtime_32-2.1.0-cp311-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
polars=$cache/$polars_name
if [ ! -f "$polars" ]; then
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.12 --dest "$cache" polars-runtime-32==2.1.0
fi
[ -f "$polars" ] || { echo "pip did not produce $polars_name" >&2; exit 2; }

if ! ls "$real"/*.whl >/dev/null 2>&1; then
  echo "no wheels in $real: fetching them with tests/e2e/pypi_wheels.sh" >&2
  PYINIT_CHECK=$tool PYPI_WHEEL_CACHE=$real bash tests/e2e/pypi_wheels.sh >/dev/null
fi
house=$dir/house
for copy in $(seq 1 "$copies"); do
  if [ ! -d "$house/c$copy" ]; then
    mkdir -p "$house/c$copy"
    cp --reflink=auto "$real"/*.whl "$house/c$copy/"
  fi
done
bomb=$dir/bomb-1.0-cp312-cp312-linux_x86_64.whl
[ -f "$bomb" ] || python3 benches/make_bomb.py "$bomb" 2048

# The module members pyinit-check checks, for the Python baseline to inflate the same ones.
members=$dir/members.tsv
"$tool" --format json "$polars" "$house" "$bomb" | python3 -c '
import json, sys
for artifact in json.load(sys.stdin)["artifacts"]:
    if artifact.get("wheel") and artifact.get("member"):
        print(artifact["wheel"] + "\t" + artifact["member"])
' >"$members" || true
wheels_in_house=$(find "$house" -name '*.whl' | wc -l)
echo "house: $wheels_in_house wheels, $(grep -c "^$house" "$members") module members; polars: $(grep -c "^$polars" "$members") member(s)"

subset() { # the first N copies of the house, as arguments
  local n=$1 args=()
  for copy in $(seq 1 "$n"); do args+=("$house/c$copy"); done
  echo "${args[@]}"
}
inflate="python3 benches/inflate_members.py $members"
one=$(subset 1)
two=$(subset 2)

polars_cmds=(-n "pyinit-check -j1 polars" "$tool -q -j1 $polars"
  -n "pyinit-check -j2 polars" "$tool -q -j2 $polars"
  -n "python inflate polars" "$inflate $polars")
command -v abi3audit >/dev/null && polars_cmds+=(-n "abi3audit polars" "abi3audit $polars")
command -v auditwheel >/dev/null && polars_cmds+=(-n "auditwheel show polars" "auditwheel show $polars")
hyperfine -N --warmup 1 --runs "$runs" -i --export-json "$dir/polars.json" "${polars_cmds[@]}"

hyperfine -N --warmup 1 --runs "$runs" -i --export-json "$dir/house.json" \
  -n "pyinit-check -j1 house" "$tool -q -j1 $house" \
  -n "pyinit-check -j2 house" "$tool -q -j2 $house" \
  -n "pyinit-check -j4 house" "$tool -q -j4 $house" \
  -n "python inflate house" "$inflate $house"

hyperfine -N --warmup 1 --runs "$runs" -i --export-json "$dir/sizes.json" \
  -n "pyinit-check -j1 house1" "$tool -q -j1 $one" \
  -n "pyinit-check -j2 house1" "$tool -q -j2 $one" \
  -n "python inflate house1" "$inflate $house/c1/" \
  -n "pyinit-check -j1 house2" "$tool -q -j1 $two" \
  -n "pyinit-check -j2 house2" "$tool -q -j2 $two" \
  -n "python inflate house2" "$inflate $house/c1/ $house/c2/"

# Python needs seconds for the bomb's 2 GiB: three runs, no warm-up.
hyperfine -N --runs 3 -i --export-json "$dir/bomb.json" \
  -n "pyinit-check bomb" "$tool -q $bomb" \
  -n "python inflate bomb" "$inflate $bomb"

# Peak RSS of each approach, once each.
rss=$dir/rss.tsv
: >"$rss"
peak() { # name, command...
  local name=$1
  shift
  /usr/bin/time -f "%M" -o "$dir/time.out" "$@" >/dev/null 2>&1 || true
  printf '%s\t%s\n' "$name" "$(tail -1 "$dir/time.out")" >>"$rss"
}
peak "pyinit-check -j1 polars" "$tool" -q -j1 "$polars"
peak "pyinit-check -j2 polars" "$tool" -q -j2 "$polars"
peak "python inflate polars" $inflate "$polars"
peak "pyinit-check -j1 house" "$tool" -q -j1 "$house"
peak "pyinit-check -j2 house" "$tool" -q -j2 "$house"
peak "pyinit-check -j4 house" "$tool" -q -j4 "$house"
peak "python inflate house" $inflate "$house"
peak "pyinit-check bomb" "$tool" -q "$bomb"
peak "python inflate bomb" $inflate "$bomb"
command -v abi3audit >/dev/null && peak "abi3audit polars" abi3audit "$polars"
command -v auditwheel >/dev/null && peak "auditwheel show polars" auditwheel show "$polars"

# Time to the first line of output, each wheel named as an argument (the order a user sees).
mapfile -t house_wheels < <(find "$house" -name '*.whl' | sort)
first_line() { # jobs
  python3 - "$tool" "$1" "${house_wheels[@]}" <<'PY'
import subprocess, sys, time
tool, jobs, wheels = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.monotonic()
run = subprocess.Popen([tool, "-j", jobs, *wheels], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
run.stdout.readline()
first = time.monotonic() - start
run.stdout.read()
run.wait()
print(f"{first:.3f} {time.monotonic() - start:.3f}")
PY
}
read -r first1 total1 < <(first_line 1)
read -r first2 total2 < <(first_line 2)

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$dir" "$wheels_in_house" "$first1" "$total1" "$first2" "$total2" "$load_start" "$load_end" "$(nproc)" <<'PY'
import json, sys
d, wheels = sys.argv[1], int(sys.argv[2])
first1, total1, first2, total2 = map(float, sys.argv[3:7])
load_start, load_end, cores = sys.argv[7], sys.argv[8], sys.argv[9]
print(f"\n{cores} cores; load average (1, 5, 15 min) {load_start} at the start, {load_end} at the end")
median = {}
for group in ["polars", "house", "sizes", "bomb"]:
    for r in json.load(open(f"{d}/{group}.json"))["results"]:
        median[r["command"]] = r["median"]
rss = {}
for line in open(f"{d}/rss.tsv"):
    name, kib = line.rstrip("\n").split("\t")
    rss[name] = int(kib) / 1024 if kib.isdigit() else None
print("\nmedians, peak RSS:")
for name, value in median.items():
    peak = rss.get(name)
    shown = f"{peak:8.1f} MiB" if peak is not None else ""
    print(f"  {name:28s} {value * 1000:10.1f} ms  {shown}")
def ratio(a, b):
    return median[a] / median[b]
checks = [
    ("polars: pyinit-check -j2 / python inflate", ratio("pyinit-check -j2 polars", "python inflate polars"), "<= 0.55", 0.55),
    ("polars: peak RSS MiB (-j2)", rss["pyinit-check -j2 polars"], "<= 48", 48),
    ("house: pyinit-check -j2 / python inflate", ratio("pyinit-check -j2 house", "python inflate house"), "<= 0.40", 0.40),
    ("house: peak RSS MiB (-j2)", rss["pyinit-check -j2 house"], "<= 96", 96),
    ("bomb: peak RSS MiB", rss["pyinit-check bomb"], "< 200", 200),
]
print(f"\nhouse ({wheels} wheels): -j1/-j2 speed-up {ratio('pyinit-check -j1 house', 'pyinit-check -j2 house'):.2f}x, "
      f"-j1 / python {ratio('pyinit-check -j1 house', 'python inflate house'):.2f}x")
print(f"house as {wheels} wheel arguments: first output line after {first1:.2f} s of {total1:.2f} s (-j1), "
      f"{first2:.2f} s of {total2:.2f} s (-j2)")
print("\nissue 12 goals:")
for what, value, goal, bound in checks:
    met = value is not None and value <= bound
    print(f"  {what:44s} {value:8.2f}  goal {goal:8s} {'met' if met else 'NOT met'}")
summary = {"cores": int(cores), "load": [load_start, load_end], "median_s": median, "peak_rss_mib": rss, "house_wheels": wheels,
           "first_line_s": {"1": first1, "2": first2}, "total_s": {"1": total1, "2": total2}}
json.dump(summary, open(f"{d}/summary.json", "w"), indent=1)
print(f"\nwrote {d}/summary.json")
PY
