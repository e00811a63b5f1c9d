#!/usr/bin/env bash
# What this proves: pyinit-check's verdicts on a large corpus of real, published wheels
# (tests/e2e/real_wheels.txt: Rust/PyO3, C, C++, Cython and mypyc extension modules; ELF,
# Mach-O and PE; manylinux, musllinux, macOS thin/universal2, Windows x64/x86/ARM64, iOS,
# Android; version-specific, abi3, abi3t and free-threaded tags) are the truth:
#
#   - every wheel is checked in one run, read straight from the archive; every finding it
#     reports (error or warning: per wheel, member and rule) must be listed in KNOWN_DEFECTS
#     below, with the evidence that the wheel really is broken that way. Anything else is a
#     false positive and fails that wheel's case;
#   - an entry of KNOWN_DEFECTS that no finding matches any more fails too, so the list
#     cannot rot;
#   - an input that could not be checked (status "error", exit 2) fails;
#   - the modules reported are exactly the files CPython could import in the wheel (a file
#     named `<identifier>.<extension suffix>` in directories that are package names, from
#     the root or `<name>.data/platlib|purelib/`, not in a vendored-library folder); every
#     other binary is reported as a library (kind "library"), which the modules need to load,
#     and is held to the same rule: every finding a known defect;
#   - a wheel marked `[no-modules]` (a binary-only wheel such as ruff's) is "nothing to
#     check", and every other wheel has modules;
#   - real imports: every manylinux x86_64 wheel tagged cp38..cp313 or abi3 is unzipped and
#     each module pyinit-check passed (and found the hook of) is imported with every matching
#     CPython under pyenv (the wheel's own version; for abi3, every installed version from the
#     floor to 3.13), one subprocess per module, through
#     importlib.machinery.ExtensionFileLoader. A case fails only when the error says "does not
#     define module export function" or "undefined symbol": those are what pyinit-check
#     promises cannot happen. Other errors (a missing Python dependency) are counted.
#
# Wheels are fetched once with `pip download` into the cache of pypi_wheels.sh (in its
# folder `real_wheels/`, about 470 MB) and their sha256 verified (a mismatch fails that
# wheel). If a pinned wheel is missing from the cache and PyPI cannot be reached, the script
# stops with an error (exit 2): it never skips.
#
# Usage: tests/e2e/real_wheels.sh [--fetch-only]
# Env: PYINIT_CHECK      the binary to test (default: `cargo build --release` in the repo
#                        root, then target/release/pyinit-check)
#      PYPI_WHEEL_CACHE  download cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels);
#                        the wheels go into its folder real_wheels/
#      PYTHON            interpreter used for pip and the helper (default python3)
#      PYENV_ROOT        where the CPython interpreters for the imports live (default ~/.pyenv)
#      REAL_WHEELS_KEEP  a directory to keep pyinit-check's JSON report and the import
#                        results in (for a report; default: nothing kept)
#      REAL_WHEELS_JOBS  parallel downloads and imports (default 2)
# Ends with "N passed, M failed"; exits non-zero if any case failed or setup broke.
set -euo pipefail

# KNOWN_DEFECTS: findings that are real defects of the published wheel, one a line:
#   <wheel file glob> <member glob> <RULE>   # evidence
# Globs are fnmatch patterns (`*` crosses `/`). Each entry must match at least one finding.
# Only TRUE defects belong here: a finding on a wheel that installs and imports fine is a
# pyinit-check bug to fix, not an entry to add.
KNOWN_DEFECTS=$(cat <<'EOF'
# scipy 1.14.1's macOS arm64 wheels were built for macOS 12.3, delocated as macosx_12_3, then
# renamed to macosx_12_0 by hand without amending the WHEEL file, which still says
# `Tag: cp312-cp312-macosx_12_3_arm64`; `pip check` rejects the installed distribution for it
# and the maintainers agree the WHEEL tag needed amending (scipy/scipy#21436). Every module of
# the wheel carries the finding.
scipy-1.14.1-cp312-cp312-macosx_12_0_arm64.whl * PYI019
# maturin before #2762 (here 1.7.8 and 1.8.1, its `Generator:` line) wrote the file name's
# compressed platform set on one line: `Tag: cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64`.
# PEP 427 wants one expanded tag a line; pex failed on exactly this (maturin#2761), and
# maturin fixed it. The finding says so (and that the expanded set is the file name's).
orjson-3.10.15-cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64.whl * PYI019
orjson-3.10.15-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl * PYI019
pydantic_core-2.27.2-cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64.whl * PYI019
pydantic_core-2.27.2-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl * PYI019
EOF
)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
# The same cache as pypi_wheels.sh, in a folder of its own: pypi_wheels.sh checks every
# `$cache/*.whl` and wants no finding at all, which this corpus (real defects included) would
# break.
cache="${PYPI_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels}/real_wheels"
list="$here/real_wheels.txt"
jobs="${REAL_WHEELS_JOBS:-2}"
fetch_only=no
[[ "${1:-}" == "--fetch-only" ]] && fetch_only=yes
start_epoch="$(date +%s)"

die() {
    echo "real_wheels.sh: $*" >&2
    exit 2
}

command -v "$python" >/dev/null || die "$python not found"
"$python" -m pip --version >/dev/null 2>&1 || die "pip is not available for $python"
[[ -f "$list" ]] || die "missing $list"
[[ -f "$here/real_wheels.py" && -f "$here/import_modules.py" ]] || die "missing real_wheels.py or import_modules.py beside this script"

mkdir -p "$cache" || die "cannot create the wheel cache $cache"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch PYTHON_VERSION WHEEL_FILE (fetch_wheel.sh): the pinned wheel into $cache.
source "$here/fetch_wheel.sh"

# Fetch everything first (a few at a time), so a network problem stops the run before any
# verdict.
mapfile -t entries < <(grep -vE '^[[:space:]]*(#|$)' "$list" | awk '{print $1, $2}')
((${#entries[@]} > 0)) || die "no wheels listed in $list"
running=0
for entry in "${entries[@]}"; do
    read -r py file <<<"$entry"
    [[ -s "$cache/$file" ]] && continue
    (fetch "$py" "$file") &
    running=$((running + 1))
    if ((running >= jobs)); then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true
if [[ -s "$tmp/fetch-errors" ]]; then
    sort -u "$tmp/fetch-errors" | sed 's/^network: //' >&2
    die "$(wc -l <"$tmp/fetch-errors") pinned wheel(s) could not be fetched (see above)"
fi
[[ "$fetch_only" == yes ]] && {
    echo "all ${#entries[@]} wheels are in $cache"
    exit 0
}

source "$here/checker.sh"
find_checker

printf '%s\n' "$KNOWN_DEFECTS" >"$tmp/known-defects"

# One pyinit-check process over every wheel, from an empty directory (no pyproject.toml
# configures it) and without the action's PYINIT_* variables (they would add paths or change
# the policy).
mapfile -t unset_vars < <(compgen -e | grep '^PYINIT_' | grep -vx 'PYINIT_CHECK' || true)
wheel_paths=()
for entry in "${entries[@]}"; do
    wheel_paths+=("$cache/${entry#* }")
done
mkdir "$tmp/run"
check_start=$SECONDS
rc=0
(cd "$tmp/run" && env ${unset_vars[@]+"${unset_vars[@]/#/--unset=}"} GITHUB_ACTIONS= \
    "$checker" --format json --no-progress --no-github --color never "${wheel_paths[@]}" \
    >"$tmp/report.json" 2>"$tmp/stderr") || rc=$?
echo "pyinit-check: exit $rc, $((SECONDS - check_start))s for ${#wheel_paths[@]} wheels"

keep="${REAL_WHEELS_KEEP:-}"
if [[ -n "$keep" ]]; then
    mkdir -p "$keep"
    cp "$tmp/report.json" "$keep/report.json"
    cp "$tmp/stderr" "$keep/stderr.txt"
fi

# The helper prints one line per case and the final "N passed, M failed" line; its exit code
# is the verdict.
status=0
"$python" "$here/real_wheels.py" \
    --list "$list" --cache "$cache" --report "$tmp/report.json" --stderr "$tmp/stderr" \
    --exit-code "$rc" --known-defects "$tmp/known-defects" --work "$tmp/work" \
    --importer "$here/import_modules.py" --jobs "$jobs" --keep "$keep" \
    --start-epoch "$start_epoch" || status=$?
exit "$status"
