# Sourced by the e2e scripts: sets $checker to the pyinit-check binary under test — $PYINIT_CHECK
# (a relative path taken from the caller's cwd, a bare name looked up on PATH), else a
# `cargo build --release` of the repository. Needs $repo and a `die` function.
find_checker() {
    if [[ -n "${PYINIT_CHECK:-}" ]]; then
        checker="$PYINIT_CHECK"
        [[ "$checker" == */* && "$checker" != /* ]] && checker="$PWD/$checker"
    else
        command -v cargo >/dev/null || die "cargo not found (or set PYINIT_CHECK)"
        echo "building pyinit-check (cargo build --release) ..."
        (cd "$repo" && cargo build --release --quiet) || die "cannot build pyinit-check"
        checker="$repo/target/release/pyinit-check"
    fi
    command -v "$checker" >/dev/null || die "pyinit-check binary not found or not executable: $checker"
    checker="$(command -v "$checker")"
}
