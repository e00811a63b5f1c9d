#!/usr/bin/env bash
# What this proves: on a real PyO3 extension module, pyinit-check's verdict agrees with
# CPython's own import. The sample crate (tests/e2e/pyo3-sample) is built twice:
#   match     #[pymodule] named pyo3_sample -> exports PyInit_pyo3_sample -> imports
#   mismatch  #[pymodule] named other_name  -> exports PyInit_other_name  -> does not
# Each build is copied to <tmp>/<case>/pyo3_sample<EXT_SUFFIX>, the way maturin names it,
# then `import pyo3_sample` is tried there and pyinit-check is run on the file.
# A case passes when pyinit-check exits 0 exactly when the import succeeded (exit 1 when
# it failed; 2 "could not run" is never right). So the test cannot pass vacuously, the
# match case must also import (and work), the mismatch case must fail to import for the
# missing hook, and pyinit-check's output for it must name PyInit_other_name.
#
# Env: PYINIT_CHECK  the binary to test (default: `cargo build --release` in the repo
#                    root, then target/release/pyinit-check)
#      PYTHON        the interpreter (default python3; also given to PyO3 as PYO3_PYTHON)
# Ends with "N passed, M failed"; exits non-zero if any case failed or setup broke.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sample="$here/pyo3-sample"
python="${PYTHON:-python3}"

die() {
    echo "pyo3_import.sh: $*" >&2
    exit 2
}

command -v cargo >/dev/null || die "cargo not found"
command -v "$python" >/dev/null || die "$python not found"

if [[ -n "${PYINIT_CHECK:-}" ]]; then
    checker="$PYINIT_CHECK"
    # A relative path is taken from the caller's cwd; a bare name is looked up on PATH.
    [[ "$checker" == */* && "$checker" != /* ]] && checker="$PWD/$checker"
else
    echo "building pyinit-check (cargo build --release) ..."
    (cd "$repo" && cargo build --release --quiet) || die "cannot build pyinit-check"
    checker="$repo/target/release/pyinit-check"
fi
command -v "$checker" >/dev/null || die "pyinit-check binary not found or not executable: $checker"

ext_suffix="$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
[[ -n "$ext_suffix" && "$ext_suffix" != None ]] || die "$python reports no EXT_SUFFIX"

case "$(uname -s)" in
    Darwin) cdylib="libpyo3_sample.dylib" ;;
    *) cdylib="libpyo3_sample.so" ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

# run_case NAME IMPORT_EXPECTED CARGO_ARGS...
run_case() {
    local name="$1" expect_import="$2"
    shift 2
    local dir="$tmp/$name" problems=()

    echo "building the $name sample: cargo build --release${*:+ $*} ..."
    PYO3_PYTHON="$python" cargo build --release --locked --quiet \
        --manifest-path "$sample/Cargo.toml" --target-dir "$sample/target" "$@" \
        || die "cargo build of the $name sample failed"
    mkdir -p "$dir"
    local module="$dir/pyo3_sample$ext_suffix"
    # Copy before the next build overwrites cargo's output.
    cp "$sample/target/release/$cdylib" "$module"

    # The oracle: does CPython import it? The match case must also work once imported.
    local import_out imported
    if import_out="$(cd "$dir" && PYTHONPATH="$dir" "$python" -c \
        'import pyo3_sample; assert pyo3_sample.add(2, 3) == 5' 2>&1)"; then
        imported=yes
    else
        imported=no
    fi

    local check_out check_rc=0
    check_out="$("$checker" "$module" 2>&1)" || check_rc=$?

    if [[ "$check_rc" != 0 && "$check_rc" != 1 ]]; then
        problems+=("pyinit-check could not run (exit $check_rc)")
    elif [[ "$imported" == yes && "$check_rc" != 0 ]]; then
        problems+=("import succeeded but pyinit-check exited $check_rc")
    elif [[ "$imported" == no && "$check_rc" != 1 ]]; then
        problems+=("import failed but pyinit-check exited $check_rc")
    fi
    if [[ "$imported" != "$expect_import" ]]; then
        problems+=("expected import to $([[ $expect_import == yes ]] && echo succeed || echo fail), it did not")
    fi
    if [[ "$expect_import" == no ]]; then
        # Fail for the right reason: the missing hook, not e.g. an unresolved libpython.
        grep -q 'does not define module export function' <<<"$import_out" \
            || problems+=("import failed for another reason than the missing hook")
        grep -q 'PyInit_other_name' <<<"$check_out" \
            || problems+=("pyinit-check output does not mention PyInit_other_name")
    fi

    if ((${#problems[@]} == 0)); then
        passed=$((passed + 1))
        echo "PASS $name: import $([[ $imported == yes ]] && echo ok || echo failed), pyinit-check exit $check_rc"
    else
        failed=$((failed + 1))
        local why
        why="$(printf '%s; ' "${problems[@]}")"
        echo "FAIL $name: ${why%; }"
        echo "  python says:"
        tail -n 5 <<<"${import_out:-(nothing)}" | sed 's/^/    /'
        echo "  pyinit-check says:"
        head -n 20 <<<"${check_out:-(nothing)}" | sed 's/^/    /'
    fi
}

run_case match yes
run_case mismatch no --features mismatch

echo "$passed passed, $failed failed"
((failed == 0))
