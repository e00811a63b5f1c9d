#!/usr/bin/env bash
# Installs pyinit-check for the GitHub Action (action.yml, step "install").
#
# A release archive is downloaded and VERIFIED BEFORE ANYTHING IN IT RUNS:
#   1. its sha256 must match action/checksums.json when that file lists the version (a pin
#      committed to this repository), else the release's own sha256.sum;
#   2. because a release asset can be swapped together with its checksum file, its build
#      provenance is checked with `gh attestation verify` when gh is available.
# A mismatch in either fails the step; there is no fallback. A platform without a release
# binary, or a version whose archive does not exist (HTTP 404), is built from source instead.
#
# Environment (set by action.yml from its inputs; nothing reaches this script any other way):
#   PYINIT_VERSION       version to install (1.2.3 or v1.2.3); empty: the action's own
#                        Cargo.toml, so `uses: pyinit-check/pyinit-check@v1.2.3` runs 1.2.3
#   PYINIT_INSTALL       release (default) or source
#   GH_TOKEN             token for `gh attestation verify`; never printed and never sent to
#                        the download host
#   PYINIT_CHECK_BASE_URL          where releases live (default: GitHub releases of
#                                  pyinit-check/pyinit-check); for mirrors and tests
#   PYINIT_CHECK_SKIP_ATTESTATION  1 skips the provenance check. For tests only: it leaves
#                                  the checksum as the only defence.
# Runner variables used: RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP,
# GITHUB_ACTION_PATH, GITHUB_OUTPUT (output `bin`: the binary), GITHUB_PATH.
#
# Portable bash (3.2 on macOS, Git Bash on Windows): no GNU-only flags, no bash 4 features.
set -euo pipefail

readonly REPO=pyinit-check/pyinit-check
# The workflow cargo-dist generates; it builds, attests and publishes every release archive.
readonly RELEASE_WORKFLOW=$REPO/.github/workflows/release.yml
readonly DEFAULT_BASE_URL="https://github.com/$REPO/releases/download"

# --- messages -------------------------------------------------------------------------------

# Workflow-command data escaping (%, CR, LF), so a message is one command.
escape() {
  local text=$1
  text=${text//%/%25}
  text=${text//$'\r'/%0D}
  text=${text//$'\n'/%0A}
  printf '%s' "$text"
}
log() { printf 'pyinit-check install: %s\n' "$*"; }
notice() { printf '::notice title=pyinit-check install::%s\n' "$(escape "$*")"; }
warning() { printf '::warning title=pyinit-check install::%s\n' "$(escape "$*")"; }
die() {
  printf '::error title=pyinit-check install::%s\n' "$(escape "$*")"
  exit 1
}

# --- paths ----------------------------------------------------------------------------------

# On Windows (Git Bash) runner variables hold Windows paths: bash works on the POSIX form,
# files for the runner and native programs get the Windows form.
have() { command -v "$1" >/dev/null 2>&1; }
posix_path() { if have cygpath; then cygpath -u "$1"; else printf '%s\n' "$1"; fi; }
native_path() { if have cygpath; then cygpath -w "$1"; else printf '%s\n' "$1"; fi; }

script_dir=$(cd "$(dirname "$0")" && pwd)
if [ -n "${GITHUB_ACTION_PATH:-}" ]; then
  action_path=$(posix_path "$GITHUB_ACTION_PATH")
else
  action_path=$(cd "$script_dir/.." && pwd)
fi
temp_base=$(posix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")
tool_cache=$(posix_path "${RUNNER_TOOL_CACHE:-$temp_base/pyinit-check-tool-cache}")
work=$(mktemp -d "$temp_base/pyinit-check-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- hashing and JSON -----------------------------------------------------------------------

# Checked once up front, so that sha256_of never fails inside a command substitution.
if have sha256sum; then
  sha256_tool=(sha256sum)
elif have shasum; then
  sha256_tool=(shasum -a 256)
else
  die "neither sha256sum nor shasum is installed, so a download cannot be verified"
fi
sha256_of() {
  local line
  line=$("${sha256_tool[@]}" "$1")
  # Git Bash's sha256sum puts a backslash before the hash of an escaped file name.
  line=${line#\\}
  printf '%s\n' "${line%% *}" | tr 'A-F' 'a-f'
}

is_sha256() { [[ $1 =~ ^[0-9a-f]{64}$ ]]; }

# Sets $pin to the sha256 action/checksums.json pins for an archive, or to "unlisted" when the
# file does not list the version; fails closed when it lists the version but not the archive,
# or cannot be read.
pin=
read_pin() { # VERSION ARCHIVE
  local file="$action_path/action/checksums.json" answer python=
  pin=unlisted
  [ -f "$file" ] || return 0
  # A version that does not occur in the file at all needs no JSON parser.
  grep -F -q "\"$1\"" "$file" || return 0
  if have jq && jq --version >/dev/null 2>&1; then
    answer=$(jq -r --arg v "$1" --arg a "$2" \
      'if has($v) then (.[$v][$a] // "missing") else "unlisted" end' "$file") ||
      die "action/checksums.json is not valid JSON"
  else
    for candidate in python3 python; do
      if have "$candidate" && "$candidate" -c 'import json' >/dev/null 2>&1; then
        python=$candidate
        break
      fi
    done
    [ -n "$python" ] || die "action/checksums.json lists $1 but neither jq nor python is installed to read it"
    answer=$("$python" -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    pins = json.load(f)
entry = pins.get(sys.argv[2])
print("unlisted" if entry is None else entry.get(sys.argv[3], "missing"))
' "$(native_path "$file")" "$1" "$2") || die "action/checksums.json is not valid JSON"
  fi
  answer=$(printf '%s' "$answer" | tr -d '\r' | tr 'A-F' 'a-f')
  case $answer in
    unlisted) ;;
    missing) die "action/checksums.json pins version $1 but not $2; refusing to trust the release's own checksums for it" ;;
    *)
      is_sha256 "$answer" || die "action/checksums.json has a malformed sha256 for $2 $1: $answer"
      pin=$answer
      ;;
  esac
}

# The sha256 a sha256.sum file (lines "HASH  NAME" or "HASH *NAME") gives for NAME.
sum_file_sha256() { # FILE NAME
  tr -d '\r' <"$1" | awk -v name="$2" '
    { file = $2; sub(/^\*/, "", file); if (NF == 2 && file == name) { print tolower($1); found++ } }
    END { if (found != 1) exit 1 }'
}

# --- download -------------------------------------------------------------------------------

# fetch URL DEST: 0 downloaded, 10 HTTP 404, 1 anything else (after retries). The token is
# never sent: the host may be a mirror, and release downloads of a public repository need none.
fetch() {
  local url=$1 dest=$2 code attempt=1 delay=2
  while :; do
    code=$(curl -sS -L --proto '=https,http' --connect-timeout 30 --max-time 600 \
      -o "$dest" -w '%{http_code}' "$url") || code=000
    case $code in
      200) return 0 ;;
      404)
        rm -f "$dest"
        return 10
        ;;
      000 | 408 | 429 | 5??) ;;
      *)
        rm -f "$dest"
        log "HTTP $code for $url"
        return 1
        ;;
    esac
    if [ "$attempt" -ge 5 ]; then
      rm -f "$dest"
      log "giving up on $url after $attempt attempts (last: HTTP $code)"
      return 1
    fi
    log "HTTP $code for $url; retrying in ${delay}s (attempt $attempt of 5)"
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}

# --- provenance -----------------------------------------------------------------------------

# Sets $attestation to verified or skipped; fails closed when gh says no.
attestation=skipped
verify_attestation() { # FILE
  if [ "${PYINIT_CHECK_SKIP_ATTESTATION:-}" = 1 ]; then
    notice "build provenance of $(basename "$1") not checked: PYINIT_CHECK_SKIP_ATTESTATION=1 (meant for tests only); it was verified by sha256 only"
    return
  fi
  if ! have gh; then
    notice "build provenance of $(basename "$1") not checked: the GitHub CLI (gh) is not installed; it was verified by sha256 only"
    return
  fi
  local help
  if ! help=$(gh attestation verify --help 2>&1); then
    notice "build provenance of $(basename "$1") not checked: this gh has no 'attestation verify' (update gh); it was verified by sha256 only"
    return
  fi
  # Pin the signer to the release workflow, not just the repository: an attestation made by
  # any other workflow of the repository (a pull request's, say) must not vouch for a binary.
  local signer=(--signer-workflow "$RELEASE_WORKFLOW")
  if ! grep -q -- '--signer-workflow' <<<"$help"; then
    notice "this gh cannot check which workflow signed $(basename "$1") (update gh); checking the repository only"
    signer=()
  fi
  log "checking build provenance: gh attestation verify $(basename "$1") --repo $REPO ${signer[*]}"
  if gh attestation verify "$(native_path "$1")" --repo "$REPO" "${signer[@]}"; then
    attestation=verified
    log "verified: $(basename "$1") was built by $RELEASE_WORKFLOW (build provenance attestation)"
  else
    die "build provenance check failed for $(basename "$1"): gh attestation verify found no valid attestation from $RELEASE_WORKFLOW (a token is needed: the action's token input). The download is rejected and nothing from it was run; not falling back to a source build."
  fi
}

# --- unpacking ------------------------------------------------------------------------------

unpack() { # ARCHIVE DEST
  case $1 in
    *.tar.xz) tar -xJf "$1" -C "$2" ;;
    *.zip)
      if have unzip; then
        unzip -q "$1" -d "$2"
      else
        local ps=
        if have pwsh; then ps=pwsh; elif have powershell; then ps=powershell; fi
        [ -n "$ps" ] || die "neither unzip nor PowerShell is available to unpack $(basename "$1")"
        # PowerShell reads the paths from its environment; bash must not expand $env:….
        # shellcheck disable=SC2016
        PYINIT_ZIP=$(native_path "$1") PYINIT_DEST=$(native_path "$2") "$ps" -NoProfile -NonInteractive -Command \
          '$ErrorActionPreference = "Stop"; Expand-Archive -LiteralPath $env:PYINIT_ZIP -DestinationPath $env:PYINIT_DEST -Force'
      fi
      ;;
    *) die "unknown archive type: $1" ;;
  esac
}

# Sets $binary to the one file named $exe anywhere in DIR.
binary=
find_binary() { # DIR
  local found=() path
  while IFS= read -r path; do
    found+=("$path")
  done < <(find "$1" -type f -name "$exe")
  [ "${#found[@]}" = 1 ] || die "the release archive holds ${#found[@]} files named $exe, expected exactly one"
  binary=${found[0]}
}

# --- results --------------------------------------------------------------------------------

publish() { # BINARY
  local bin=$1 native_bin native_dir reported
  native_bin=$(native_path "$bin")
  native_dir=$(native_path "$(dirname "$bin")")
  case $native_bin in *$'\n'* | *$'\r'*) die "the install path contains a line break: $native_bin" ;; esac
  if [ -n "${GITHUB_PATH:-}" ]; then printf '%s\n' "$native_dir" >>"$GITHUB_PATH"; fi
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf 'bin=%s\n' "$native_bin" >>"$GITHUB_OUTPUT"; fi
  reported=$("$bin" --version) || die "$native_bin does not run"
  if [ "$reported" != "pyinit-check $version" ]; then
    warning "asked for pyinit-check $version, the installed binary reports: $reported"
  fi
  log "ready: $native_bin ($reported)"
}

# --- source builds --------------------------------------------------------------------------

install_from_source() {
  have cargo || die "building pyinit-check from source needs cargo (Rust); install a Rust toolchain first"
  local root="$temp_base/pyinit-check-source"
  log "building from source: cargo install --locked --path $(native_path "$action_path")"
  cargo install --locked --path "$(native_path "$action_path")" \
    --root "$(native_path "$root")" --target-dir "$(native_path "$root/build")" ||
    die "cargo install of pyinit-check from $(native_path "$action_path") failed"
  publish "$root/bin/$exe"
}

# --- the tool cache -------------------------------------------------------------------------

# The record written next to a verified install; reuse re-checks the cached archive against
# the pin (or the hash verified when it was downloaded) and the binary against the record.
# This guards against partial or corrupted caches; whoever can write the tool cache can also
# write the record, so it is no defence against the runner's own users.
marker_value() { # FILE KEY
  awk -F= -v key="$2" '$1 == key { sub(/^[^=]*=/, ""); print; exit }' "$1"
}

cache_is_good() { # DIR PIN
  local dir=$1 pin=$2 marker="$1/verified" archive_sha binary_sha
  [ -f "$marker" ] && [ -f "$dir/bin/$exe" ] && [ -f "$dir/$archive" ] || return 1
  archive_sha=$(marker_value "$marker" archive-sha256)
  binary_sha=$(marker_value "$marker" binary-sha256)
  [ "$pin" = unlisted ] || [ "$archive_sha" = "$pin" ] || return 1
  [ "$(sha256_of "$dir/$archive")" = "$archive_sha" ] || return 1
  [ "$(sha256_of "$dir/bin/$exe")" = "$binary_sha" ] || return 1
  # An install whose provenance was not checked is not reused where it now could be.
  if [ "$(marker_value "$marker" attestation)" != verified ] &&
    [ "${PYINIT_CHECK_SKIP_ATTESTATION:-}" != 1 ] && have gh; then
    return 1
  fi
}

# --- main -----------------------------------------------------------------------------------

cargo_toml_version() {
  tr -d '\r' <"$1" | awk '
    /^[[:space:]]*\[/ { in_package = ($0 ~ /^[[:space:]]*\[package\][[:space:]]*(#.*)?$/); next }
    in_package && /^[[:space:]]*version[[:space:]]*=/ {
      value = $0; sub(/^[^=]*=[[:space:]]*"/, "", value); sub(/".*$/, "", value); print value; exit
    }'
}

own_version=$(cargo_toml_version "$action_path/Cargo.toml" 2>/dev/null || true)
version=${PYINIT_VERSION:-}
version=${version#v}
if [ -z "$version" ]; then
  version=$own_version
  [ -n "$version" ] || die "no version input and none found in $(native_path "$action_path/Cargo.toml")"
fi
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]] ||
  die "not a version: '$version' (expected e.g. 1.2.3)"

triple=
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) triple=x86_64-unknown-linux-musl ;;
  Linux/ARM64) triple=aarch64-unknown-linux-musl ;;
  macOS/X64) triple=x86_64-apple-darwin ;;
  macOS/ARM64) triple=aarch64-apple-darwin ;;
  Windows/X64) triple=x86_64-pc-windows-msvc ;;
  Windows/ARM64) triple=aarch64-pc-windows-msvc ;;
esac
exe=pyinit-check
case "${RUNNER_OS:-}" in Windows) exe=pyinit-check.exe ;; esac
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) exe=pyinit-check.exe ;; esac

case "${PYINIT_INSTALL:-release}" in
  source)
    if [ "$version" != "$own_version" ]; then
      die "install: source builds the action's own source (version ${own_version:-unknown}), not the requested $version; use install: release or leave version empty"
    fi
    install_from_source
    exit 0
    ;;
  release) ;;
  *) die "install must be 'release' or 'source', not '${PYINIT_INSTALL}'" ;;
esac

if [ -z "$triple" ]; then
  notice "no pyinit-check release binary for ${RUNNER_OS:-unknown OS}/${RUNNER_ARCH:-unknown architecture}; building it from source"
  install_from_source
  exit 0
fi

case $triple in *windows*) archive="pyinit-check-$triple.zip" ;; *) archive="pyinit-check-$triple.tar.xz" ;; esac
cache_dir="$tool_cache/pyinit-check/$version/$triple"
read_pin "$version" "$archive"

if [ -d "$cache_dir" ]; then
  if cache_is_good "$cache_dir" "$pin"; then
    log "reusing the verified install in the tool cache: $(native_path "$cache_dir")"
    publish "$cache_dir/bin/$exe"
    exit 0
  fi
  warning "not reusing pyinit-check $version from the tool cache ($(native_path "$cache_dir")): it does not match its verification record, or its provenance was not checked and now can be; downloading it again"
  rm -rf "$cache_dir"
fi

base_url=${PYINIT_CHECK_BASE_URL:-$DEFAULT_BASE_URL}
base_url=${base_url%/}
url="$base_url/v$version/$archive"
log "downloading $url"
if fetch "$url" "$work/$archive"; then
  :
else
  status=$?
  if [ "$status" = 10 ]; then
    notice "pyinit-check $version has no release archive $archive (HTTP 404 for $url); building it from source"
    install_from_source
    exit 0
  fi
  die "could not download $url"
fi

# 1. The checksum, before anything is unpacked.
actual=$(sha256_of "$work/$archive")
if [ "$pin" != unlisted ]; then
  expected=$pin
  checked_against="action/checksums.json"
else
  sums_url="$base_url/v$version/sha256.sum"
  if fetch "$sums_url" "$work/sha256.sum"; then :; else
    die "could not download $sums_url, so $archive cannot be verified; it is rejected and nothing from it was run"
  fi
  expected=$(sum_file_sha256 "$work/sha256.sum" "$archive") ||
    die "the release's sha256.sum has no single entry for $archive, so it cannot be verified; it is rejected and nothing from it was run"
  is_sha256 "$expected" || die "the release's sha256.sum has a malformed entry for $archive"
  checked_against="the release's sha256.sum"
fi
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $archive $version: $checked_against says sha256 $expected, the download has $actual. The download is rejected and nothing from it was run; not falling back to a source build."
fi
log "verified: sha256 $actual of $archive matches $checked_against"

# 2. Build provenance.
verify_attestation "$work/$archive"

# 3. Only now unpack, and install into the tool cache.
mkdir -p "$work/unpacked" "$tool_cache/pyinit-check/$version"
unpack "$work/$archive" "$work/unpacked"
find_binary "$work/unpacked"
staging=$(mktemp -d "$tool_cache/pyinit-check/$version/.staging.XXXXXX")
mkdir -p "$staging/bin"
cp "$binary" "$staging/bin/$exe"
chmod 755 "$staging/bin/$exe"
cp "$work/$archive" "$staging/$archive"
{
  printf 'archive=%s\n' "$archive"
  printf 'archive-sha256=%s\n' "$actual"
  printf 'binary-sha256=%s\n' "$(sha256_of "$staging/bin/$exe")"
  printf 'checked-against=%s\n' "$checked_against"
  printf 'attestation=%s\n' "$attestation"
} >"$staging/verified"
mv "$staging" "$cache_dir"
log "installed into the tool cache: $(native_path "$cache_dir")"
publish "$cache_dir/bin/$exe"
