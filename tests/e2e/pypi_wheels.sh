#!/usr/bin/env bash
# What this proves: pyinit-check passes real, published wheels — Rust (PyO3/maturin) and C
# extension modules as ELF (x86_64, aarch64), Mach-O (thin arm64 and x86_64, universal2)
# and PE (x64, ARM64) — and finds exactly the files CPython would import in them.
# For each pinned wheel below it: unzips it, runs `pyinit-check --format json` on the
# unzipped tree, and asserts
#   - exit 0;
#   - every extension module CPython would import (`<identifier>.<suffix>`, .so/.pyd, in
#     directories that are valid package names) is listed with status "pass";
#   - everything in a vendored-library directory (`*.libs/`, `.dylibs/`) is listed as a
#     library (kind "library", status pass: the modules find everything they need), never
#     as a module. To give this teeth a copy of one of the wheel's own modules is planted in
#     each vendored directory under its importable name: it must be listed as a library;
#   - a universal2 (fat) module is reported with one slice per architecture in the file.
# Two more cases assert the set really contained a universal2 module and a vendored
# directory, so those paths cannot silently drop out of the test.
#
# Wheels are fetched once with `pip download` and kept in a cache, so reruns need no
# network. If a pinned wheel is missing from the cache and PyPI cannot be reached, the
# script stops with an error (exit 2): it never skips.
#
# Env: PYINIT_CHECK      the binary to test (default: `cargo build --release` in the repo
#                        root, then target/release/pyinit-check)
#      PYPI_WHEEL_CACHE  download cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels)
#      PYTHON            interpreter used for pip, unzipping and checking (default python3)
# Ends with "N passed, M failed"; exits non-zero if any case failed or setup broke.
set -euo pipefail

# Pinned wheels: "<python version for pip> <exact wheel file name>". The distribution,
# version and platform tag passed to `pip download` are read from the file name, and pip
# must produce exactly that file.
WHEELS=(
    # orjson: Rust (PyO3), one module per wheel
    "3.12 orjson-3.13.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"   # ELF x86_64
    "3.12 orjson-3.13.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl" # ELF aarch64
    "3.12 orjson-3.13.0-cp312-cp312-macosx_10_15_x86_64.macosx_11_0_arm64.macosx_10_15_universal2.whl" # Mach-O universal2 (x86_64 + arm64)
    "3.12 orjson-3.13.0-cp312-cp312-macosx_15_0_arm64.whl"                          # Mach-O thin arm64
    "3.12 orjson-3.13.0-cp312-cp312-win_amd64.whl"                                  # PE x64
    "3.12 orjson-3.13.0-cp312-cp312-win_arm64.whl"                                  # PE ARM64
    "3.12 orjson-3.13.0-cp312-cp312-musllinux_1_2_x86_64.whl"                       # ELF, musl libc
    "3.12 orjson-3.13.0-cp312-cp312-musllinux_1_2_aarch64.whl"
    # pydantic-core: Rust (PyO3), module name differs from the package (_pydantic_core)
    "3.12 pydantic_core-2.50.5-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
    "3.12 pydantic_core-2.50.5-cp312-cp312-manylinux2014_aarch64.manylinux_2_17_aarch64.whl"
    "3.12 pydantic_core-2.50.5-cp312-cp312-macosx_10_12_x86_64.whl"                 # Mach-O thin x86_64
    "3.12 pydantic_core-2.50.5-cp312-cp312-macosx_11_0_arm64.whl"
    "3.12 pydantic_core-2.50.5-cp312-cp312-win_amd64.whl"
    "3.12 pydantic_core-2.50.5-cp312-cp312-win_arm64.whl"
    "3.12 pydantic_core-2.50.5-cp312-cp312-win32.whl"                              # PE x86 (32-bit)
    # cryptography: Rust (PyO3) abi3, `_rust.abi3.so` / untagged `_rust.pyd`, in a subpackage.
    # 50.0.2 publishes no universal2, macOS x86_64 or win_arm64 wheels.
    "3.12 cryptography-50.0.2-cp311-abi3-manylinux_2_28_x86_64.whl"
    "3.12 cryptography-50.0.2-cp311-abi3-manylinux_2_34_aarch64.whl"
    "3.12 cryptography-50.0.2-cp311-abi3-macosx_11_0_arm64.whl"
    "3.12 cryptography-50.0.2-cp311-abi3-win_amd64.whl"
    # ... and its CPython 3.15 build: `_rust.abi3t.so` exporting only PyModExport__rust (PEP 793)
    "3.15 cryptography-50.0.2-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl"
    # numpy: C (meson), 19 modules per wheel, vendored OpenBLAS in numpy.libs/ or numpy/.dylibs/
    "3.12 numpy-2.4.6-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"   # numpy.libs/ (.so)
    "3.12 numpy-2.4.6-cp312-cp312-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl"
    "3.12 numpy-2.4.6-cp312-cp312-macosx_10_13_x86_64.whl"                          # numpy/.dylibs/
    "3.12 numpy-2.4.6-cp312-cp312-macosx_11_0_arm64.whl"                            # numpy/.dylibs/
    "3.12 numpy-2.4.6-cp312-cp312-win_amd64.whl"                                    # numpy.libs/ (.dll)
    "3.12 numpy-2.4.6-cp312-cp312-win32.whl"
    "3.12 numpy-2.4.6-cp312-cp312-musllinux_1_2_aarch64.whl"
    # before CPython 3.11, musl builds named their modules `-linux-gnu` too
    "3.10 numpy-2.2.6-cp310-cp310-musllinux_1_2_x86_64.whl"
    "3.12 numpy-2.4.6-cp312-cp312-win_arm64.whl"
)

# Real defects of pinned wheels, "<wheel> <rule> <library>": each module's only finding must be
# that one, and it must appear. numpy's win32 wheels import MSVCP140.dll (the C++ runtime) but,
# unlike its win_amd64/win_arm64 wheels, do not vendor it with delvewheel
# (numpy.libs/msvcp140-<hash>.dll); CPython for Windows installs only vcruntime140.dll, so on a
# machine without the Visual C++ redistributable `import numpy` fails with "DLL load failed".
export PYPI_KNOWN_DEFECTS="numpy-2.4.6-cp312-cp312-win32.whl PYI021 MSVCP140.dll"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
cache="${PYPI_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels}"

die() {
    echo "pypi_wheels.sh: $*" >&2
    exit 2
}

command -v "$python" >/dev/null || die "$python not found"
"$python" -m pip --version >/dev/null 2>&1 || die "pip is not available for $python"

source "$here/checker.sh"
find_checker

mkdir -p "$cache" || die "cannot create the wheel cache $cache"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch PYTHON_VERSION WHEEL_FILE: make sure $cache/WHEEL_FILE exists.
fetch() {
    local py="$1" file="$2"
    [[ -s "$cache/$file" ]] && return 0
    # name-version-pythontag-abitag-platformtags.whl; the first platform tag is enough.
    local dist version platform
    IFS=- read -r dist version _ _ platform <<<"${file%.whl}"
    platform="${platform%%.*}"
    echo "downloading $file ..."
    local staging out
    staging="$(mktemp -d "$cache/.download.XXXXXX")"
    if ! out="$("$python" -m pip download --no-deps --only-binary=:all: --no-cache-dir \
        --timeout 60 --retries 2 --platform "$platform" --python-version "$py" \
        -d "$staging" "$dist==$version" 2>&1)"; then
        rm -rf "$staging"
        echo "$out" | tail -n 5 >&2
        if grep -qiE 'connection|network|resolve|timed out|max retries|proxy|ssl' <<<"$out"; then
            die "PyPI is unreachable, and $file is not in the cache $cache"
        fi
        die "pip could not download the pinned wheel $file (see above)"
    fi
    if [[ ! -f "$staging/$file" ]]; then
        local got
        got="$(cd "$staging" && ls)"
        rm -rf "$staging"
        die "pip picked ${got:-nothing} instead of the pinned $file"
    fi
    mv "$staging/$file" "$cache/$file"
    rm -rf "$staging"
}

# Fetch everything first, so a network problem stops the run before any verdict.
for entry in "${WHEELS[@]}"; do
    read -r py file <<<"$entry"
    fetch "$py" "$file"
done

# verify.py UNZIPPED REPORT EXIT_CODE COVERAGE_FILE WHEEL DECOY...: prints a one-line
# summary, then one line per problem; exits 1 if there was any problem.
cat >"$tmp/verify.py" <<'PY'
import json, os, re, struct, sys

root, report_path, exit_code, coverage_path, wheel = sys.argv[1:6]
decoys = set(sys.argv[6:])
known = [line.split() for line in os.environ.get("PYPI_KNOWN_DEFECTS", "").splitlines() if line.strip()]
known_here = [(rule, lib) for w, rule, lib in known if w == wheel]

def only_known(a):
    """A module failing only by this wheel's known defects."""
    findings = a.get("findings") or []
    return bool(findings) and all(
        any(f.get("rule_id") == rule and f"`{lib}`" in f.get("message", "") for rule, lib in known_here)
        for f in findings)
root = os.path.realpath(root)

# Suffixes some CPython imports (docs/loader-rules.md §1); identifiers have no dots, so the
# module name is everything before the first dot.
SUFFIX = re.compile(
    r"\.(?:cpython-\d+[td]*-[^.]+\.so|abi3t?(?:-[^.]+)?\.so|so"
    r"|cp\d+[td]*-[^.]+\.pyd|pyd)"
)

def importable(rel):
    *dirs, name = rel.split("/")
    module, dot, rest = name.partition(".")
    return (all(d.isidentifier() for d in dirs) and bool(dot)
            and module.isidentifier() and SUFFIX.fullmatch("." + rest) is not None)

def vendored(rel):
    return any(d.endswith(".libs") or d == ".dylibs" for d in rel.split("/")[:-1])

files = []
for top, _, names in os.walk(root):
    files += [os.path.relpath(os.path.join(top, n), root).replace(os.sep, "/") for n in names]
expected = {f for f in files if importable(f)}

problems = []
if exit_code != ("1" if known_here else "0"):
    problems.append(f"pyinit-check exited {exit_code}")
try:
    with open(report_path) as f:
        artifacts = json.load(f)["artifacts"]
except (OSError, ValueError, KeyError, TypeError) as e:
    artifacts = []
    problems.append(f"no usable JSON report ({e})")
reported = {}
for a in artifacts:
    rel = os.path.relpath(os.path.realpath(a["path"]), root).replace(os.sep, "/")
    reported[rel] = a

if not expected:
    problems.append("no extension modules found in the wheel: the check would be vacuous")
for rel in sorted(expected - reported.keys()):
    problems.append(f"not listed: {rel}")
for rel in sorted(expected & reported.keys()):
    a = reported[rel]
    if a.get("status") != "pass" and not (known_here and only_known(a)):
        why = "; ".join(f.get("message", "?") for f in a.get("findings", []))[:300]
        problems.append(f"status {a.get('status')!r} for {rel}: {why}")
for rel in sorted(reported.keys() - expected):
    a = reported[rel]
    # Vendored libraries (and anything else no import reaches) are checked as libraries: the
    # modules need them to load. A decoy, a module copied into a vendored folder, is listed
    # as a library too, never as a module; only the real ones must pass.
    if a.get("kind") != "library":
        what = "in a vendored directory" if vendored(rel) else "that CPython would not import"
        problems.append(f"lists a file {what} as a {a.get('kind')}: {rel}")
    elif rel not in decoys and a.get("status") != "pass":
        why = "; ".join(f.get("message", "?") for f in a.get("findings", []))[:300]
        problems.append(f"library {rel}: status {a.get('status')!r}: {why}")

notes = [f"{len(expected)} module{'s' * (len(expected) != 1)}"]
coverage = []
for rel in sorted(expected):
    with open(os.path.join(root, rel), "rb") as f:
        head = f.read(8)
    if head[:4] in (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"):
        archs = struct.unpack(">I", head[4:8])[0]
        slices = len(reported.get(rel, {}).get("slices", []))
        notes.append(f"universal {rel.rsplit('/', 1)[-1]} ({archs} archs)")
        if slices != archs:
            problems.append(f"{rel} is universal with {archs} archs, {slices} slices reported")
        else:
            coverage.append("universal2")
vendor_dirs = sorted({os.path.dirname(f) for f in files if vendored(f)})
if vendor_dirs:
    notes.append(f"vendored {', '.join(d + '/' for d in vendor_dirs)} (+decoy)")
    if decoys and all(reported.get(d, {}).get("kind") == "library" for d in decoys):
        coverage.append("vendored")

print(", ".join(notes))
for p in problems[:8]:
    print(p)
if len(problems) > 8:
    print(f"... and {len(problems) - 8} more")
if not problems:
    with open(coverage_path, "a") as f:
        f.writelines(f"{c} {wheel}\n" for c in coverage)
sys.exit(1 if problems else 0)
PY

passed=0
failed=0
touch "$tmp/coverage"

report() { # report OK NAME DETAIL [PROBLEM...]
    local ok="$1" name="$2" detail="$3"
    shift 3
    if [[ "$ok" == yes ]]; then
        passed=$((passed + 1))
        echo "PASS $name: $detail"
    else
        failed=$((failed + 1))
        echo "FAIL $name: $detail"
        local p
        for p in "$@"; do echo "  $p"; done
    fi
}

n=0
for entry in "${WHEELS[@]}"; do
    file="${entry#* }"
    n=$((n + 1))
    dir="$tmp/$n"
    "$python" -m zipfile -e "$cache/$file" "$dir" || die "cannot unzip $cache/$file (delete it to download again)"

    # Plant a decoy in each vendored directory: a copy of one of the wheel's own modules,
    # under its importable name. CPython cannot import it there; pyinit-check must not list it.
    decoys=()
    module="$(cd "$dir" && find . -type f \( -name '*.so' -o -name '*.pyd' \) \
        -not -path '*.libs/*' -not -path '*/.dylibs/*' | sort | head -n 1)"
    while IFS= read -r vendor; do
        [[ -n "$vendor" && -n "$module" ]] || continue
        cp "$dir/$module" "$dir/$vendor/$(basename "$module")"
        decoys+=("${vendor#./}/$(basename "$module")")
    done < <(cd "$dir" && find . -type d \( -name '*.libs' -o -name '.dylibs' \) | sort)

    rc=0
    "$checker" --format json "$dir" >"$tmp/report.json" 2>"$tmp/stderr" || rc=$?
    if out="$("$python" "$tmp/verify.py" "$dir" "$tmp/report.json" "$rc" "$tmp/coverage" "$file" ${decoys[@]+"${decoys[@]}"} 2>&1)"; then
        report yes "$file" "$out"
    else
        mapfile -t lines <<<"$out"
        [[ -s "$tmp/stderr" ]] && lines+=("pyinit-check stderr: $(head -c 300 "$tmp/stderr")")
        report no "$file" "${lines[0]}" "${lines[@]:1}"
    fi
    rm -rf "$dir"
done

# The set must keep exercising these paths, with a wheel that passed.
for kind in universal2 vendored; do
    case "$kind" in
        universal2) label="coverage: a passing wheel with a universal2 module" ;;
        vendored) label="coverage: a passing wheel with a vendored library directory" ;;
    esac
    mapfile -t which < <(grep "^$kind " "$tmp/coverage" | cut -d' ' -f2)
    if ((${#which[@]} > 0)); then
        report yes "$label" "${which[0]}$( ((${#which[@]} > 1)) && echo " and $((${#which[@]} - 1)) more")"
    else
        report no "$label" "none among the wheels that passed"
    fi
done

# The same wheels checked as .whl files, without unzipping: every member module is read from
# the archive and must pass with no finding at all, naming its wheel.
rc=0
# Only the pinned wheels: the cache directory may hold others (other scripts share it).
pinned=()
for entry in "${WHEELS[@]}"; do pinned+=("$cache/${entry#* }"); done
"$checker" --format json "${pinned[@]}" >"$tmp/direct.json" 2>"$tmp/stderr" || rc=$?
if out="$("$python" - "$tmp/direct.json" "$rc" <<'PY' 2>&1
import json, sys
import os
report = json.load(open(sys.argv[1]))
known = [line.split() for line in os.environ.get("PYPI_KNOWN_DEFECTS", "").splitlines() if line.strip()]
def expected(a, f):
    return any((a.get("wheel") or "").endswith("/" + w) and f["rule_id"] == rule and f"`{lib}`" in f["message"]
               for w, rule, lib in known)
artifacts = [a for a in report["artifacts"]
             if not (a.get("findings") and all(expected(a, f) for f in a["findings"]))]
assert sys.argv[2] == ("1" if len(artifacts) < len(report["artifacts"]) else "0"), f"exit {sys.argv[2]}"
bad = [a["path"] for a in artifacts if a["status"] != "pass"]
assert not bad, f"not passing: {bad[:3]}"
assert all((a.get("wheel") or "").endswith(".whl") for a in artifacts), "members must name their wheel"
assert all(a.get("kind") == "library" for a in artifacts if ".libs/" in a["path"] or ".dylibs/" in a["path"])
# Read from the archive, each module is held to every promise its wheel's tags make
# (architecture, glibc/musl, macOS minimum, python DLL, WHEEL tags): these wheels keep them
# all, so not even a warning or a note may appear (no false positives).
noise = [(a["path"], f["rule_id"]) for a in artifacts for f in a.get("findings", [])]
assert not noise, f"findings on wheels that keep their promises: {noise[:5]}"
print(f"{len(artifacts)} modules and libraries read from {len(set(a['wheel'] for a in artifacts))} wheels, all pass with no finding")
PY
)"; then
    report yes "wheels checked directly as .whl archives" "$out"
else
    report no "wheels checked directly as .whl archives" "$out" "$(head -c 300 "$tmp/stderr")"
fi

echo "$passed passed, $failed failed"
((failed == 0))
