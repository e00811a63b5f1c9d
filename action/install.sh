#!/usr/bin/env bash
# Installs pyinit-check for the GitHub Action (action.yml, step "install"). A release archive
# is VERIFIED BEFORE ANYTHING IN IT RUNS, and any mismatch fails the step (no fallback):
#   1. `sha256sum -c` against action/checksums.json when it lists the version (a pin committed
#      here), else against the release's sha256.sum;
#   2. `gh attestation verify` with the signer pinned to the release workflow, when gh is
#      there: an archive can be swapped together with its sha256.sum, not with its provenance.
# No release binary for the platform, or no archive for the version (HTTP 404): a source build.
# Environment (from action.yml): PYINIT_VERSION (empty: this action's Cargo.toml version),
# PYINIT_INSTALL (release|source), GH_TOKEN (for gh only; never sent to the download host),
# PYINIT_CHECK_BASE_URL (mirrors, tests), PYINIT_CHECK_SKIP_ATTESTATION=1 (tests only).
# Bash 3.2 (macOS) and Git Bash (Windows) compatible.
set -euo pipefail
readonly REPO=pyinit-check/pyinit-check WORKFLOW=pyinit-check/pyinit-check/.github/workflows/release.yml
log() { printf 'pyinit-check install: %s\n' "$*"; }
# Workflow commands carry one line: %, CR and LF escaped.
command_line() { local m=${2//%/%25}; m=${m//$'\r'/%0D}; printf '::%s title=pyinit-check install::%s\n' "$1" "${m//$'\n'/%0A}"; }
notice() { command_line notice "$*"; }
die() { command_line error "$*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
# Windows runners hand out Windows paths; bash wants POSIX ones, the runner C:/… ones.
posix() { if have cygpath; then cygpath -u "$1"; else printf '%s\n' "$1"; fi; }
native() { if have cygpath; then cygpath -m "$1"; else printf '%s\n' "$1"; fi; }
sha256() { if have sha256sum; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }

action=$(posix "${GITHUB_ACTION_PATH:-$(dirname "$0")/..}")
temp=$(posix "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")
work=$(mktemp -d "$temp/pyinit-check-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
own=$(tr -d '\r' <"$action/Cargo.toml" | sed -n '/^\[package\]/,/^\[/s/^version *= *"\([^"]*\)".*/\1/p' | head -n 1)
version=${PYINIT_VERSION:-}
version=${version#v}
version=${version:-$own}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]] || die "not a version: '$version' (expected e.g. 1.2.3)"
exe=pyinit-check
case "${RUNNER_OS:-}/$(uname -s)" in Windows/* | */MINGW* | */MSYS* | */CYGWIN*) exe=pyinit-check.exe ;; esac
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) triple=x86_64-unknown-linux-musl ;; Linux/ARM64) triple=aarch64-unknown-linux-musl ;;
  macOS/X64) triple=x86_64-apple-darwin ;; macOS/ARM64) triple=aarch64-apple-darwin ;;
  Windows/X64) triple=x86_64-pc-windows-msvc ;; Windows/ARM64) triple=aarch64-pc-windows-msvc ;;
  *) triple= ;;
esac

publish() { # BINARY: on PATH, as the `bin` output, and run once.
  local bin reported
  bin=$(native "$1")
  case $bin in *$'\n'* | *$'\r'*) die "the install path contains a line break: $bin" ;; esac
  if [ -n "${GITHUB_PATH:-}" ]; then native "$(dirname "$1")" >>"$GITHUB_PATH"; fi
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf 'bin=%s\n' "$bin" >>"$GITHUB_OUTPUT"; fi
  reported=$("$1" --version) || die "$bin does not run"
  [ "$reported" = "pyinit-check $version" ] || command_line warning "asked for pyinit-check $version, the installed binary reports: $reported"
  log "ready: $bin ($reported)"
  exit 0
}

from_source() {
  have cargo || die "building pyinit-check from source needs cargo (Rust); install a Rust toolchain first"
  log "building from source: cargo install --locked --path $(native "$action")"
  cargo install --locked --path "$(native "$action")" --root "$(native "$temp/pyinit-check-source")" \
    --target-dir "$(native "$temp/pyinit-check-source/build")" || die "cargo install of pyinit-check from $(native "$action") failed"
  publish "$temp/pyinit-check-source/bin/$exe"
}

case "${PYINIT_INSTALL:-release}" in
  source)
    [ "$version" = "$own" ] || die "install: source builds the action's own source (version ${own:-unknown}), not the requested $version; use install: release or leave version empty"
    from_source
    ;;
  release) ;;
  *) die "install must be 'release' or 'source', not '${PYINIT_INSTALL}'" ;;
esac
[ -n "$triple" ] || { notice "no pyinit-check release binary for ${RUNNER_OS:-unknown OS}/${RUNNER_ARCH:-unknown architecture}; building it from source"; from_source; }
case $triple in *windows*) archive=pyinit-check-$triple.zip ;; *) archive=pyinit-check-$triple.tar.xz ;; esac

# The pin: a hash, "unlisted" (version not in the file) or "missing" (version without this
# archive: fail closed). jq, else Python (Windows runners may lack one or the other).
pins="$action/action/checksums.json"
filter='if has($v) then (.[$v][$a] // "missing") else "unlisted" end'
reader='import json,sys; p=json.load(open(sys.argv[1])).get(sys.argv[2]); print("unlisted" if p is None else p.get(sys.argv[3], "missing"))'
pin=unlisted
if [ -f "$pins" ] && grep -qF "\"$version\"" "$pins"; then
  pin=$(jq -r --arg v "$version" --arg a "$archive" "$filter" "$pins" 2>/dev/null ||
    python3 -c "$reader" "$(native "$pins")" "$version" "$archive" 2>/dev/null ||
    python -c "$reader" "$(native "$pins")" "$version" "$archive") || die "cannot read action/checksums.json (needs jq or Python)"
  pin=$(printf '%s' "$pin" | tr -d '\r' | tr 'A-F' 'a-f')
  [ "$pin" != missing ] || die "action/checksums.json pins version $version but not $archive; refusing to trust the release's own checksums for it"
  [[ $pin =~ ^[0-9a-f]{64}$ ]] || die "action/checksums.json has a malformed sha256 for $archive $version: $pin"
fi

# The tool cache keeps the verified archive and binary with their hashes (sha256sum format)
# and whether provenance was checked; reuse re-checks both, and an install made without
# provenance is not reused once gh could check it.
cache=$(posix "${RUNNER_TOOL_CACHE:-$temp/pyinit-check-tool-cache}")/pyinit-check/$version/$triple
if [ -d "$cache" ]; then
  if (cd "$cache" && sha256 -c --status verified.sha256 2>/dev/null) &&
    { [ "$pin" = unlisted ] || grep -qx "$pin  $archive" "$cache/verified.sha256"; } &&
    { grep -qx attestation=verified "$cache/verified" || [ "${PYINIT_CHECK_SKIP_ATTESTATION:-}" = 1 ] || ! have gh; }; then
    log "reusing the verified install in the tool cache: $(native "$cache")"
    publish "$cache/bin/$exe"
  fi
  command_line warning "not reusing pyinit-check $version from the tool cache ($(native "$cache")): it does not match its verification record, or its provenance was not checked and now can be; downloading it again"
  rm -rf "$cache"
fi

# curl retries what is transient; the token is never sent (the host may be a mirror).
base=${PYINIT_CHECK_BASE_URL:-https://github.com/$REPO/releases/download}
fetch() { # URL FILE: prints the HTTP status
  curl -sS -L --fail --retry 4 --retry-delay 2 --proto '=https,http' --connect-timeout 30 --max-time 600 \
    -o "$2" -w '%{http_code}' "$1" || true
}
url=${base%/}/v$version/$archive
log "downloading $url"
status=$(fetch "$url" "$work/$archive")
if [ "$status" = 404 ]; then
  notice "pyinit-check $version has no release archive $archive (HTTP 404 for $url); building it from source"
  from_source
fi
[ "$status" = 200 ] || die "could not download $url (HTTP ${status:-none})"

# 1. The checksum, before anything is unpacked.
if [ "$pin" != unlisted ]; then
  expected=$pin against="action/checksums.json"
else
  [ "$(fetch "${base%/}/v$version/sha256.sum" "$work/sha256.sum")" = 200 ] ||
    die "could not download the release's sha256.sum, so $archive cannot be verified; it is rejected and nothing from it was run"
  expected=$(tr -d '\r' <"$work/sha256.sum" | awk -v n="$archive" '{ f = $2; sub(/^\*/, "", f) } NF == 2 && f == n { print tolower($1); c++ } END { exit c != 1 }') ||
    die "the release's sha256.sum has no single entry for $archive, so it cannot be verified; it is rejected and nothing from it was run"
  against="the release's sha256.sum"
fi
printf '%s  %s\n' "$expected" "$archive" >"$work/expected.sha256"
(cd "$work" && sha256 -c --status expected.sha256) ||
  die "checksum mismatch for $archive $version: $against says sha256 $expected, the download differs. The download is rejected and nothing from it was run; not falling back to a source build."
log "verified: sha256 $expected of $archive matches $against"

# 2. Build provenance, signer pinned where this gh can (older ones check the repository only).
attestation=skipped
if [ "${PYINIT_CHECK_SKIP_ATTESTATION:-}" = 1 ]; then
  notice "build provenance of $archive not checked: PYINIT_CHECK_SKIP_ATTESTATION=1 (meant for tests only); it was verified by sha256 only"
elif ! have gh || ! help=$(gh attestation verify --help 2>&1); then
  notice "build provenance of $archive not checked: no gh with 'attestation verify' (install or update the GitHub CLI); it was verified by sha256 only"
else
  signer=(--signer-workflow "$WORKFLOW")
  grep -q -- --signer-workflow <<<"$help" || { notice "this gh cannot check which workflow signed $archive (update gh); checking the repository only"; signer=(); }
  gh attestation verify "$(native "$work/$archive")" --repo "$REPO" ${signer[@]+"${signer[@]}"} ||
    die "build provenance check failed for $archive: gh attestation verify found no valid attestation from $WORKFLOW (a token is needed: the action's token input). The download is rejected and nothing from it was run; not falling back to a source build."
  attestation=verified
  log "verified: $archive was built by $WORKFLOW (build provenance attestation)"
fi

# 3. Only now unpack, into the tool cache.
mkdir -p "$work/unpacked" "$(dirname "$cache")"
case $archive in
  *.tar.xz) tar -xJf "$work/$archive" -C "$work/unpacked" ;;
  # PowerShell reads the paths from its environment, so bash expands nothing in its command.
  # shellcheck disable=SC2016
  *) unzip -q "$work/$archive" -d "$work/unpacked" 2>/dev/null || ZIP=$(native "$work/$archive") DEST=$(native "$work/unpacked") \
    powershell -NoProfile -NonInteractive -Command 'Expand-Archive -LiteralPath $env:ZIP -DestinationPath $env:DEST' ;;
esac || die "cannot unpack $archive (needs tar and xz, or unzip or PowerShell)"
found=$(find "$work/unpacked" -type f -name "$exe")
[ -n "$found" ] && [ "$(printf '%s\n' "$found" | wc -l | tr -d ' ')" = 1 ] || die "the release archive does not hold exactly one file named $exe"
staging=$(mktemp -d "$(dirname "$cache")/.staging.XXXXXX")
mkdir -p "$staging/bin"
cp "$found" "$staging/bin/$exe" && chmod 755 "$staging/bin/$exe"
cp "$work/$archive" "$staging/$archive"
(cd "$staging" && sha256 "$archive" "bin/$exe") >"$staging/verified.sha256"
printf 'attestation=%s\n' "$attestation" >"$staging/verified"
mv "$staging" "$cache"
log "installed into the tool cache: $(native "$cache")"
publish "$cache/bin/$exe"
