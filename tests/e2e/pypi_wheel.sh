#!/usr/bin/env bash
# The PyPI distribution as users get it: `maturin build --release` makes a wheel holding the
# binary (pyproject.toml, bindings = "bin"), pip installs it into a fresh venv without an
# index, and the installed `pyinit-check` runs the README's first example (exit 1: one broken
# module). Needs python3 (with venv) and maturin: without them the script skips, except
# under CI=true, where a skip would hide a broken distribution, so it fails.
# Ends with "N passed, M failed"; exits 0 when every case passed, 1 otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
missing() {
  if [ "${CI:-}" = true ]; then echo "FAIL $1 is missing (CI=true: not skipped)"; exit 1; fi
  echo "skipped: $1 is missing"
  exit 0
}
command -v python3 >/dev/null || missing python3
python3 -c 'import venv, ensurepip' 2>/dev/null || missing "python3's venv/ensurepip"
command -v maturin >/dev/null || missing "maturin (pip install maturin)"

version=$(sed -n '/^\[package\]/,/^\[/s/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The wheel, built in the repository's own target directory (a release build reuses it).
maturin build --release --locked --out "$tmp/wheels" >"$tmp/build.log" 2>&1 || {
  tail -n 30 "$tmp/build.log"
  bad "maturin build --release failed"
  exit 1
}
wheels=("$tmp"/wheels/*.whl)
wheel=${wheels[0]}
name=$(basename "$wheel")
if [ "${#wheels[@]}" = 1 ] && [[ $name == pyinit_check-$version-py3-none-*.whl ]]; then
  ok "one wheel, named for any Python 3 and this platform: $name"
else
  bad "expected one pyinit_check-$version-py3-none-<platform>.whl, got: ${wheels[*]}"
fi
if python3 - "$wheel" "$version" <<'PYTHON'; then ok "the wheel holds the binary as a script and the metadata names it"; else bad "wheel contents"; fi
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
version = sys.argv[2]
scripts = [n for n in names if n.startswith(f"pyinit_check-{version}.data/scripts/")]
metadata = zipfile.ZipFile(sys.argv[1]).read(f"pyinit_check-{version}.dist-info/METADATA").decode()
ok = scripts == [f"pyinit_check-{version}.data/scripts/pyinit-check"]
ok = ok and "Name: pyinit-check" in metadata and f"Version: {version}" in metadata
ok = ok and not any("fixtures" in n for n in names)
sys.exit(0 if ok else 1)
PYTHON

# 2. Installed into a fresh venv, from the file alone (no index).
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --no-index --disable-pip-version-check "$wheel" >"$tmp/pip.log" 2>&1 &&
  ok "pip install of the wheel into a fresh venv" || { cat "$tmp/pip.log"; bad "pip install"; }
installed="$tmp/venv/bin/pyinit-check"
if [ -x "$installed" ] && [ "$("$installed" --version)" = "pyinit-check $version" ]; then
  ok "the venv's bin/pyinit-check runs and reports $version"
else
  bad "no working $installed"
fi

# 3. The README's first example, run by the installed binary.
set +e
"$installed" tests/fixtures/example/site-packages >"$tmp/example.log" 2>&1
code=$?
set -e
if [ "$code" = 1 ] && grep -q "^FAIL " "$tmp/example.log"; then
  ok "the installed binary checks the bundled example: exit 1, one FAIL"
else
  cat "$tmp/example.log"
  bad "the bundled example: expected exit 1, got $code"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
