#!/usr/bin/env bash
# Every maturin layout and binding kind, built by maturin from PyPI and imported by python3:
# pyinit-check's verdict must agree with the import
#   - on the wheel maturin built,
#   - after `cargo build --release`, run with no arguments from the project root,
#   - on cargo's output named explicitly,
#   - after `maturin build`, run with no arguments again;
# and healthy cffi, uniffi and bin projects pass (a note: nothing to check).
# Then a maturin build that fails after moving the library into target/maturin/: the next
# run checks that file where it is and never deletes it.
# Projects live in tests/e2e/maturin/; the mis-named variants are made from them here.
# Prints a table (project × column × verdict vs import) and ends with "N passed, M failed".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${PYINIT_CHECK:-}" ]; then
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin pyinit-check
  PYINIT_CHECK="$root/target/release/pyinit-check"
fi
python=${PYTHON:-python3}
# One target dir for every project, kept between runs: pyo3 is built once per configuration.
export CARGO_TARGET_DIR=${MATURIN_E2E_TARGET_DIR:-$root/target/e2e-maturin}
export PYO3_PYTHON
PYO3_PYTHON=$(command -v "$python")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

echo "-- tools: maturin, cffi and uniffi-bindgen from PyPI in a venv"
"$python" -m venv "$work/tools"
"$work/tools/bin/pip" install -q --disable-pip-version-check "maturin==1.16.0" "uniffi-bindgen==0.31.0" cffi
maturin="$work/tools/bin/maturin"
# maturin's interpreter needs cffi for cffi bindings: the tools venv's Python is the one.
build_python="$work/tools/bin/python"

# Each case: name, directory under tests/e2e/maturin, library stem, import statement,
# maturin's extra arguments. Mis-named variants rename [lib] name and keep the #[pymodule],
# as a user who renames the crate but not the module does.
cases=(
  "pure|pure|mt_pure|import mt_pure; assert mt_pure.answer() == 42|"
  "mixed|mixed|mt_mixed|import mt_mixed; assert mt_mixed.answer() == 42|"
  "rust-dir|rust-dir|mt_rustdir|import mt_rustdir; assert mt_rustdir.answer() == 42|"
  "ws-manifest|ws-manifest|mt_wsext|import mt_wsext; assert mt_wsext.answer() == 42|"
  "ws-root|ws-root|mt_wsroot|import mt_wsroot; assert mt_wsroot.answer() == 42|-m ext/Cargo.toml"
  "ffi|ffi|mt_ffi|import mt_ffi|"
  "cffi|cffi|mt_cffi|import mt_cffi; assert mt_cffi.lib.mt_cffi_answer() == 42|"
  "uniffi|uniffi|mt_uniffi|import mt_uniffi; assert mt_uniffi.answer() == 42|"
  "bin|bin||import subprocess, sys, os; assert subprocess.run([os.path.join(os.path.dirname(sys.executable), 'mt-bin')], capture_output=True, text=True).stdout.strip() == '42'|"
  "pure-misnamed|pure|mt_pure_bad|import mt_pure_bad|"
  "mixed-misnamed|mixed|mt_mixed|import mt_mixed|"
  "rust-dir-misnamed|rust-dir|mt_rustdir|import mt_rustdir|"
  "ws-manifest-misnamed|ws-manifest|mt_wsext_bad|import mt_wsext_bad|"
  "ffi-misnamed|ffi|mt_ffi_bad|import mt_ffi_bad|"
)

# The crate's manifest inside a case's copy.
crate_manifest() { # DIR
  if [ -f "$1/rust/Cargo.toml" ]; then echo "$1/rust/Cargo.toml"
  elif [ -f "$1/crates/ext/Cargo.toml" ]; then echo "$1/crates/ext/Cargo.toml"
  elif [ -f "$1/ext/Cargo.toml" ]; then echo "$1/ext/Cargo.toml"
  else echo "$1/Cargo.toml"; fi
}

prepare() { # NAME DIR STEM
  local name=$1 dir=$2 stem=$3 copy="$work/src/$1"
  mkdir -p "$work/src"
  cp -r "$here/maturin/$dir" "$copy"
  local manifest
  manifest=$(crate_manifest "$copy")
  case $name in
    pure-misnamed | ws-manifest-misnamed | ffi-misnamed)
      # [lib] name renamed, #[pymodule] (or PyInit_) left as it was.
      sed -i "s/^name = \"${stem%_bad}\"\$/name = \"$stem\"/" "$manifest"
      sed -i "s/^name = \"mt-\(.*\)\"\$/name = \"mt-\1-bad\"/" "$copy/pyproject.toml"
      sed -i "s/^name = \"\(mt-[a-z]*\)\"\$/name = \"\1-bad\"/" "$manifest"
      ;;
    mixed-misnamed) sed -i 's/#\[pyo3(name = "_native")\]/#[pyo3(name = "wrong_name")]/' "$copy/src/lib.rs" ;;
    rust-dir-misnamed) sed -i 's/^mod _core {/mod core_module {/' "$copy/rust/src/lib.rs" ;;
  esac
  # Distinct package and library names per case keep the shared target dir unambiguous.
  case $name in
    mixed-misnamed | rust-dir-misnamed)
      sed -i "s/^name = \"$stem\"\$/name = \"${stem}_bad\"/" "$manifest"
      sed -i "s/^name = \"\(mt-[a-z]*\)\"\$/name = \"\1-bad\"/" "$manifest" "$copy/pyproject.toml"
      ;;
  esac
}

# The library stem cargo writes for a case (mixed/rust-dir variants renamed theirs above).
lib_stem() { # NAME STEM
  case $1 in mixed-misnamed | rust-dir-misnamed) echo "${2}_bad" ;; *) echo "$2" ;; esac
}

verdict() { # exit code -> pass/fail/error
  case $1 in 0) echo pass ;; 1) echo fail ;; *) echo "error($1)" ;; esac
}

declare -A result
run_check() { # KEY DIR ARGS...
  local key=$1 dir=$2 code
  shift 2
  set +e
  (cd "$dir" && "$PYINIT_CHECK" --color never "$@") >"$work/out.$key" 2>&1
  code=$?
  set -e
  result[$key]=$(verdict "$code")
}

echo "-- phase 1: cargo build --release, then pyinit-check with no arguments and on the output"
for entry in "${cases[@]}"; do
  IFS='|' read -r name dir stem _ _ <<<"$entry"
  prepare "$name" "$dir" "$stem"
  copy="$work/src/$name"
  manifest=$(crate_manifest "$copy")
  (cd "$copy" && cargo build --release --quiet --manifest-path "$manifest" 2>&1 | grep -v '^warning' || true)
  run_check "$name.cargo" "$copy"
  if [ -n "$stem" ]; then
    run_check "$name.explicit" "$copy" "$CARGO_TARGET_DIR/release/lib$(lib_stem "$name" "$stem").so"
  else
    result[$name.explicit]="-"
  fi
done

echo "-- phase 2: maturin build, pip install into a fresh venv, import"
for entry in "${cases[@]}"; do
  IFS='|' read -r name dir stem import extra <<<"$entry"
  copy="$work/src/$name"
  dist="$work/dist/$name"
  # shellcheck disable=SC2086 # extra is a word list by design
  if ! (cd "$copy" && PATH="$work/tools/bin:$PATH" "$maturin" build --release -q -i "$build_python" -o "$dist" $extra >"$work/maturin.$name" 2>&1); then
    bad "$name: maturin build failed"; cat "$work/maturin.$name"; continue
  fi
  run_check "$name.after-maturin" "$copy"
  wheel=$(ls "$dist"/*.whl)
  run_check "$name.wheel" "$copy" "$wheel"
  "$python" -m venv "$work/venv-$name"
  "$work/venv-$name/bin/pip" install -q --disable-pip-version-check --no-deps "$wheel"
  [ "$name" = cffi ] && "$work/venv-$name/bin/pip" install -q --disable-pip-version-check cffi
  if (cd "$work" && "$work/venv-$name/bin/python" -c "$import") >"$work/import.$name" 2>&1; then
    result[$name.import]=ok
  else
    result[$name.import]=ImportError
    grep -q "ImportError\|does not define module export" "$work/import.$name" \
      || { bad "$name: the import failed for another reason"; cat "$work/import.$name"; }
  fi
done

echo
printf '%-22s %-8s %-12s %-10s %-14s %-12s\n' project wheel "cargo build" explicit "maturin build" import
for entry in "${cases[@]}"; do
  IFS='|' read -r name _ _ _ _ <<<"$entry"
  printf '%-22s %-8s %-12s %-10s %-14s %-12s\n' "$name" "${result[$name.wheel]:-?}" \
    "${result[$name.cargo]:-?}" "${result[$name.explicit]:-?}" "${result[$name.after-maturin]:-?}" \
    "${result[$name.import]:-?}"
done
echo

for entry in "${cases[@]}"; do
  IFS='|' read -r name _ _ _ _ <<<"$entry"
  expected=pass
  [ "${result[$name.import]:-}" = ok ] || expected=fail
  for column in wheel cargo explicit after-maturin; do
    got=${result[$name.$column]:-missing}
    [ "$got" = "-" ] && continue
    if [ "$got" = "$expected" ]; then
      ok "$name $column: $got, import ${result[$name.import]:-?}"
    else
      bad "$name $column: pyinit-check says $got, import ${result[$name.import]:-?}"
      cat "$work/out.$name.$column" 2>/dev/null || true
    fi
  done
  case $name in
    *-misnamed) [ "${result[$name.import]:-}" = ImportError ] \
      && ok "$name: the mis-named build really fails to import" \
      || bad "$name: the mis-named build imported" ;;
    *) [ "${result[$name.import]:-}" = ok ] \
      && ok "$name: the healthy build imports" \
      || bad "$name: the healthy build does not import" ;;
  esac
done

# A mis-named PyO3 failure names both sides.
grep -q 'src/lib.rs:[0-9]* (#\[pymodule\] fn mt_pure)' "$work/out.pure-misnamed.cargo" \
  && grep -q 'Cargo.toml:[0-9]* (Cargo.toml \[lib\] name)' "$work/out.pure-misnamed.cargo" \
  && ok "pure-misnamed: the failure points at the #[pymodule] line and [lib] name" \
  || { bad "pure-misnamed: the failure does not name both sides"; cat "$work/out.pure-misnamed.cargo"; }
grep -q 'name = "wrong_name"' "$work/out.mixed-misnamed.cargo" \
  && ok "mixed-misnamed: the help names the name option as the fix" \
  || { bad "mixed-misnamed: the help misses the name option"; cat "$work/out.mixed-misnamed.cargo"; }
for kind in cffi uniffi bin; do
  grep -q "has $kind bindings" "$work/out.$kind.cargo" \
    && ok "$kind: the note says which bindings and why nothing is checked" \
    || { bad "$kind: no bindings note"; cat "$work/out.$kind.cargo"; }
done

echo "-- phase 3: a maturin build that fails after moving the library into target/maturin/"
copy="$work/src/pure"
library="$CARGO_TARGET_DIR/release/libmt_pure.so"
staged="$CARGO_TARGET_DIR/maturin/libmt_pure.so"
blocked="$work/blocked"
mkdir -p "$blocked"
wheel_name=$(basename "$(ls "$work/dist/pure"/*.whl)")
mkdir "$blocked/$wheel_name" # writing the wheel fails: a directory holds its name
set +e
(cd "$copy" && "$maturin" build --release -q -i "$build_python" -o "$blocked" >"$work/maturin.blocked" 2>&1)
code=$?
set -e
if [ "$code" != 0 ] && [ -f "$staged" ] && [ ! -e "$library" ]; then
  ok "maturin failed after staging and left the library in target/maturin/"
  before=$(sha256sum "$staged" | cut -d' ' -f1)
  for mode in isolate none; do
    set +e
    out=$(cd "$copy" && "$PYINIT_CHECK" --color never --stage "$mode" 2>&1)
    code=$?
    set -e
    if [ "$code" = 0 ] && grep -q "maturin/libmt_pure.so" <<<"$out" \
      && [ "$(sha256sum "$staged" | cut -d' ' -f1)" = "$before" ]; then
      ok "stage=$mode: checked maturin's copy in place, kept it intact"
    else
      bad "stage=$mode: exit $code, or the copy in target/maturin/ was lost"; echo "$out"
    fi
  done
  # A new cargo build puts a library at cargo's path; isolate stages it beside maturin's copy.
  (cd "$copy" && cargo build --release --quiet 2>&1 | grep -v '^warning' || true)
  set +e
  out=$(cd "$copy" && "$PYINIT_CHECK" --color never --stage isolate 2>&1)
  code=$?
  set -e
  if [ "$code" = 0 ] && [ -f "$staged" ] && [ -f "$library" ]; then
    ok "isolate with both files: both kept"
  else
    bad "isolate with both files: exit $code, staged $( [ -f "$staged" ] && echo kept || echo lost)"; echo "$out"
  fi
else
  bad "could not reproduce maturin's failure after staging (exit $code)"; cat "$work/maturin.blocked"
fi
rm -f "$staged"

# PyO3 without `extension-module`: `cargo build` links libpython, which PYI013 reports (a
# warning: exit 0); maturin tells PyO3 it builds an extension module, so its wheel is clean.
copy="$work/src/linked"
mkdir -p "$work/src" && cp -r "$here/maturin/linked" "$copy"
(cd "$copy" && env -u PYO3_BUILD_EXTENSION_MODULE cargo build --release --quiet 2>&1 | grep -v '^warning' || true)
set +e
out=$(cd "$copy" && "$PYINIT_CHECK" --color never --format json 2>&1)
code=$?
set -e
if [ "$code" = 0 ] && "$python" - "$out" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
found = [(f["rule_id"], f["severity"], f["message"]) for a in doc["artifacts"] for f in a["findings"]]
assert [(r, s) for r, s, _ in found] == [("PYI013", "warning")], found
assert "links `libpython3." in found[0][2] and "(DT_NEEDED)" in found[0][2], found
PY
then
  ok "linked: cargo build without extension-module links libpython: PYI013 warning, exit 0"
else
  bad "linked: cargo build: exit $code, expected exactly one PYI013 warning"; echo "$out"
fi
rm -rf "$work/dist/linked"
if (cd "$copy" && "$maturin" build --release -q -i "$build_python" -o "$work/dist/linked" >"$work/maturin.linked" 2>&1); then
  set +e
  out=$("$PYINIT_CHECK" --color never "$work/dist/linked"/*.whl 2>&1)
  code=$?
  set -e
  if [ "$code" = 0 ] && ! grep -q "PYI013" <<<"$out"; then
    ok "linked: maturin's wheel of the same crate does not link libpython"
  else
    bad "linked: maturin's wheel: exit $code"; echo "$out"
  fi
else
  bad "linked: maturin build failed"; cat "$work/maturin.linked"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
