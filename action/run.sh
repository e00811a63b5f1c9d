#!/usr/bin/env bash
# Runs pyinit-check for the GitHub Action (action.yml, step "run").
#
# Every input arrives in an environment variable and becomes its own argv element, passed as
# `--option=VALUE` so that a value starting with `-` stays a value. Nothing is eval'd and no
# value is word-split or glob-expanded, except the two documented lists:
#   PYINIT_PATHS    one path per line (a line is one path, spaces included; surrounding
#                   blanks and empty lines are dropped); passed after `--`
#   PYINIT_PYTHON   versions separated by spaces or newlines
# Single values, passed verbatim when not empty:
#   PYINIT_MODULE_NAME, PYINIT_MANIFEST_PATH, PYINIT_TARGET, PYINIT_PROFILE, PYINIT_STAGE,
#   PYINIT_FAIL_ON, PYINIT_SARIF_FILE (relative to the working directory; passed as an
#   absolute path so that the `sarif-file` output can be uploaded), PYINIT_SARIF_CATEGORY
#   PYINIT_WORKING_DIRECTORY  where pyinit-check runs (default .)
#   PYINIT_CHECK_BIN          the binary (the install step's `bin` output; default: PATH)
# pyinit-check itself writes the step outputs (result, errors, warnings, sarif-file, staged),
# the annotations and the step summary, because GITHUB_ACTIONS=true on a runner. Its exit code
# is this step's: 1 when a check fails under fail-on, 2 when it could not run.
#
# Portable bash (3.2 on macOS, Git Bash on Windows).
set -euo pipefail

error() { printf '::error title=pyinit-check::%s\n' "$1"; }

bin=${PYINIT_CHECK_BIN:-pyinit-check}
# Windows: the install step's output is a Windows path (for the runner and for users).
if [ -n "${PYINIT_CHECK_BIN:-}" ] && command -v cygpath >/dev/null 2>&1; then bin=$(cygpath -u "$bin"); fi
args=()

# --option=VALUE when VALUE is not empty.
option() {
  if [ -n "$2" ]; then args+=("$1=$2"); fi
}

# Strips leading and trailing blanks (spaces, tabs, CR) from $line.
trim_line() {
  line=${line#"${line%%[![:space:]]*}"}
  line=${line%"${line##*[![:space:]]}"}
}

option --module-name "${PYINIT_MODULE_NAME:-}"
option --manifest-path "${PYINIT_MANIFEST_PATH:-}"
option --target "${PYINIT_TARGET:-}"
option --profile "${PYINIT_PROFILE:-}"
option --stage "${PYINIT_STAGE:-}"
option --fail-on "${PYINIT_FAIL_ON:-}"
option --sarif-category "${PYINIT_SARIF_CATEGORY:-}"

while IFS= read -r line || [ -n "$line" ]; do
  words=()
  IFS=$' \t\r' read -r -a words <<<"$line" || true
  for word in ${words[@]+"${words[@]}"}; do
    args+=("--python=$word")
  done
done <<<"${PYINIT_PYTHON:-}"

paths=()
while IFS= read -r line || [ -n "$line" ]; do
  trim_line
  if [ -n "$line" ]; then paths+=("$line"); fi
done <<<"${PYINIT_PATHS:-}"

workdir=${PYINIT_WORKING_DIRECTORY:-.}
if ! cd -- "$workdir"; then
  error "working-directory does not exist or is not a directory: $workdir"
  exit 2
fi

if [ -n "${PYINIT_SARIF_FILE:-}" ]; then
  sarif=$PYINIT_SARIF_FILE
  case $sarif in
    /* | [A-Za-z]:[\\/]*) ;;
    *) sarif="$PWD/$sarif" ;;
  esac
  # Windows: C:/… works for pyinit-check and for the upload action alike.
  if command -v cygpath >/dev/null 2>&1; then sarif=$(cygpath -m "$sarif"); fi
  args+=("--sarif=$sarif")
fi

if [ "${#paths[@]}" -gt 0 ]; then
  args+=(--)
  args+=("${paths[@]}")
fi

# Git Bash rewrites arguments that look like POSIX paths when it starts a Windows program;
# pyinit-check must receive the values exactly as given.
if command -v cygpath >/dev/null 2>&1; then
  export MSYS2_ARG_CONV_EXCL='*' MSYS_NO_PATHCONV=1
fi

# %q keeps the whole command on one line, so no value can start a workflow command.
printf 'pyinit-check command:'
printf ' %q' "$bin" ${args[@]+"${args[@]}"}
printf '\n'
exec "$bin" ${args[@]+"${args[@]}"}
