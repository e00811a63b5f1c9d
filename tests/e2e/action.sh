#!/usr/bin/env bash
# The GitHub Action's install and run steps, exactly as the runner runs them, without GitHub.
#
# Each step's `run:` and `env:` are read from action.yml itself; inputs are substituted into
# env the way the runner does (defaults from action.yml), each step gets its own
# GITHUB_OUTPUT, and the run step receives the install step's `bin` output. A release
# archive is served from a fake release directory over HTTP (python3 -m http.server), and
# PYINIT_CHECK_BASE_URL points the install step at it. Attestation is skipped
# (PYINIT_CHECK_SKIP_ATTESTATION=1) except where a fake `gh` stands in for it.
#
# The archive: PYINIT_CHECK_ARCHIVE (a dist-built pyinit-check-x86_64-unknown-linux-musl.tar.xz),
# else `dist build --artifacts=local --target x86_64-unknown-linux-musl` from the repository
# root. Prints one ok/FAIL line per case and ends with "N passed, M failed"; exits 0 when
# every case passed, 1 when one failed, 2 when the script could not run.
# Conditions are single-quoted on purpose: check() evaluates them after the step ran, and the
# variables they read are set for that (SC2016, SC2034).
# shellcheck disable=SC2016,SC2034
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

passed=0
failed=0
ok() {
  echo "ok   $*"
  passed=$((passed + 1))
}
bad() {
  echo "FAIL $*"
  failed=$((failed + 1))
}
cannot() {
  echo "cannot run: $*" >&2
  exit 2
}
# check DESCRIPTION CONDITION: one case; CONDITION is shell code, evaluated here. A failing
# case shows the log of the step it ran last.
last_step=
check() {
  if eval "$2"; then
    ok "$1"
  else
    bad "$1"
    if [ -n "$last_step" ]; then sed 's/^/     | /' "$tmp/log.$last_step" | tail -n 40; fi
  fi
}

for tool in python3 curl tar xz sha256sum; do
  command -v "$tool" >/dev/null || cannot "$tool is not installed"
done

triple=x86_64-unknown-linux-musl
archive_name="pyinit-check-$triple.tar.xz"
version=$(awk '/^\[/ { p = ($0 == "[package]"); next } p && /^version *=/ { gsub(/.*= *"|".*/, ""); print; exit }' Cargo.toml)
[ -n "$version" ] || cannot "no version in Cargo.toml"

# --- the release archive --------------------------------------------------------------------

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${PYINIT_CHECK_ARCHIVE:-}" ]; then
  archive=$PYINIT_CHECK_ARCHIVE
else
  command -v dist >/dev/null || cannot "dist (cargo-dist) is not installed and PYINIT_CHECK_ARCHIVE is not set"
  echo "building the release archive: dist build --artifacts=local --target $triple"
  dist build --artifacts=local --target "$triple" >"$tmp/dist-build.log" 2>&1 ||
    cannot "dist build failed: $(tail -n 30 "$tmp/dist-build.log")"
  archive="$root/target/distrib/$archive_name"
fi
[ -f "$archive" ] || cannot "no release archive at $archive"
[ "$(basename "$archive")" = "$archive_name" ] || cannot "PYINIT_CHECK_ARCHIVE must be named $archive_name"

sha() { local line; line=$(sha256sum "$1"); echo "${line%% *}"; }
good_sha=$(sha "$archive")

# release DIR ARCHIVE [SUMS_FROM [NAME]]: a fake release v$version/ in the served tree holding
# ARCHIVE as NAME (default $archive_name), its .sha256 and a sha256.sum computed from
# SUMS_FROM (default: the archive itself).
release() {
  local dir="$tmp/www/$1/v$version" sums_from=${3:-$2} name=${4:-$archive_name} digest
  mkdir -p "$dir"
  cp "$2" "$dir/$name"
  digest=$(sha "$sums_from")
  printf '%s *%s\n' "$digest" "$name" >"$dir/$name.sha256"
  # dist's sha256.sum lists every artifact; a second entry keeps the lookup honest.
  printf '%s *%s\n%s *%s\n' "$(printf other | sha256sum | cut -d' ' -f1)" "pyinit-check-aarch64-apple-darwin.tar.xz" \
    "$digest" "$name" >"$dir/sha256.sum"
}

# The genuine release.
release good "$archive"

# A byte flipped in the middle of the genuine archive; served with the genuine checksums.
python3 - "$archive" "$tmp/flipped.tar.xz" <<'PYTHON'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 2] ^= 0x01
open(sys.argv[2], "wb").write(data)
PYTHON
release flipped "$tmp/flipped.tar.xz" "$archive"

# A repacked archive whose "pyinit-check" creates a marker file when executed.
marker="$tmp/EVIL-BINARY-RAN"
mkdir -p "$tmp/evil/pyinit-check-$triple"
tar -xJf "$archive" -C "$tmp/evil"
cat >"$tmp/evil/pyinit-check-$triple/pyinit-check" <<EOF
#!/bin/sh
touch '$marker'
echo "pyinit-check $version"
EOF
chmod 755 "$tmp/evil/pyinit-check-$triple/pyinit-check"
(cd "$tmp/evil" && tar -cJf "$tmp/evil.tar.xz" "pyinit-check-$triple")
release evil-with-genuine-sums "$tmp/evil.tar.xz" "$archive"
release evil-with-own-sums "$tmp/evil.tar.xz"

# A Windows-style release: the .zip layout dist makes for x86_64-pc-windows-msvc, holding the
# Linux binary as pyinit-check.exe so that the Windows code paths can run here.
windows_zip="pyinit-check-x86_64-pc-windows-msvc.zip"
python3 - "$archive" "$tmp/$windows_zip" <<'PYTHON'
import sys, tarfile, zipfile
with tarfile.open(sys.argv[1]) as tar, zipfile.ZipFile(sys.argv[2], "w") as z:
    for member in tar.getmembers():
        if member.isfile():
            name = member.name.replace("x86_64-unknown-linux-musl", "x86_64-pc-windows-msvc")
            if name.endswith("/pyinit-check"):
                name += ".exe"
            info = zipfile.ZipInfo(name)
            info.external_attr = (member.mode & 0o777) << 16
            z.writestr(info, tar.extractfile(member).read())
PYTHON
release windows "$tmp/$windows_zip" "$tmp/$windows_zip" "$windows_zip"

# --- the HTTP server ------------------------------------------------------------------------

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$tmp/www" "$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
up=
for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    up=1
    break
  fi
  sleep 0.1
done
[ -n "$up" ] || cannot "the HTTP server did not come up on port $port: $(cat "$tmp/server.log")"
url="http://127.0.0.1:$port"
# requests PATH: how often the server was asked for PATH.
requests() { grep -c -F "\"GET $1 " "$tmp/server.log" || true; }

# --- the runner -----------------------------------------------------------------------------

# Reads action.yml like the runner:
#   run DIR STEP            the step's script (insists on shell: bash and no ${{ }} in it)
#   env DIR STEP OUTS IN=V… the step's env, NUL-separated, with ${{ inputs.* }} (defaults from
#                           action.yml), ${{ github.token }} and ${{ steps.ID.outputs.NAME }}
#                           (from OUTS/ID, that step's GITHUB_OUTPUT file) substituted
#   output FILE NAME        one value from a GITHUB_OUTPUT file (name=value, name<<DELIM)
cat >"$tmp/runner.py" <<'PYTHON'
import os, re, sys

def outputs(path):
    values = {}
    lines = open(path, encoding="utf-8").read().split("\n") if os.path.exists(path) else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1:end])
            i = end
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values

command = sys.argv[1]
if command == "output":
    sys.stdout.write(outputs(sys.argv[2]).get(sys.argv[3], ""))
    sys.exit()

try:
    import yaml
    load = yaml.safe_load
except ImportError:
    from ruamel.yaml import YAML
    load = YAML(typ="safe").load

action_dir, step_id = sys.argv[2:4]
with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
    action = load(f)
step = next(s for s in action["runs"]["steps"] if s.get("id") == step_id)
if command == "run":
    if step.get("shell") != "bash":
        sys.exit(f"step {step_id} does not use shell: bash")
    if "${{" in step["run"]:
        sys.exit(f"step {step_id} expands an expression inside run:")
    sys.stdout.write(step["run"])
    sys.exit()

outputs_dir = sys.argv[4]
given = dict(arg.split("=", 1) for arg in sys.argv[5:])
for name in given:
    if name not in action["inputs"]:
        sys.exit(f"action.yml has no input {name}")

def resolve(match):
    expr = match.group(1).strip()
    if expr.startswith("inputs."):
        name = expr[len("inputs."):]
        if name in given:
            return given[name]
        return substitute(str(action["inputs"][name].get("default", "")))
    if expr == "github.token":
        return "fake-token-for-tests"
    m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
    if m:
        return outputs(os.path.join(outputs_dir, m.group(1))).get(m.group(2), "")
    sys.exit(f"unsupported expression: {expr}")

def substitute(text):
    return re.sub(r"\$\{\{(.*?)\}\}", resolve, text)

for key, value in (step.get("env") or {}).items():
    sys.stdout.write(f"{key}={substitute(str(value))}\0")
PYTHON

# One job's runner environment: a tool cache, and the GITHUB_PATH/GITHUB_ENV/summary files
# its steps share. The workspace (fixtures copied in) and RUNNER_TEMP are shared by all jobs.
workspace="$tmp/workspace"
mkdir -p "$workspace/fixtures" "$workspace/dir with space" "$tmp/runner-temp"
cp tests/fixtures/elf/gnuhash.so tests/fixtures/elf/foo.so "$workspace/fixtures/"
# A cargo-style name carries no module of its own, so module-name decides the module.
cp tests/fixtures/elf/gnuhash.so "$workspace/fixtures/libgnuhash.so"
cp tests/fixtures/elf/gnuhash.so "$workspace/dir with space/"
tool_cache=
fresh_job() {
  tool_cache="$tmp/tool-cache-$1"
  rm -rf "$tmp/outputs"
  mkdir -p "$tmp/outputs"
  : >"$tmp/github_path"
  : >"$tmp/github_env"
  : >"$tmp/step_summary"
}
runner_env() {
  printf '%s\0' RUNNER_OS="${RUNNER_OS_OVERRIDE:-Linux}" RUNNER_ARCH="${RUNNER_ARCH_OVERRIDE:-X64}" \
    RUNNER_TOOL_CACHE="$tool_cache" RUNNER_TEMP="$tmp/runner-temp" GITHUB_ACTIONS=true \
    GITHUB_WORKSPACE="$workspace" GITHUB_PATH="$tmp/github_path" GITHUB_ENV="$tmp/github_env" \
    GITHUB_STEP_SUMMARY="$tmp/step_summary" PYINIT_CHECK_BASE_URL="$base_url"
  if [ -z "${ATTEST:-}" ]; then printf '%s\0' PYINIT_CHECK_SKIP_ATTESTATION=1; fi
}

# step ACTION_DIR ID [INPUT=VALUE]...: runs step ID of ACTION_DIR/action.yml in the workspace
# as the runner does (bash --noprofile --norc -eo pipefail). Output: $tmp/log.ID; exit: $status.
status=
step() {
  local dir=$1 id=$2 script kv
  shift 2
  local env=()
  script=$(python3 "$tmp/runner.py" run "$dir" "$id") || cannot "reading step $id of $dir/action.yml"
  python3 "$tmp/runner.py" env "$dir" "$id" "$tmp/outputs" "$@" >"$tmp/env.$id" ||
    cannot "rendering the env of step $id"
  while IFS= read -r -d '' kv; do env+=("$kv"); done < <(runner_env; cat "$tmp/env.$id")
  : >"$tmp/outputs/$id"
  last_step=$id
  set +e
  (cd "$workspace" && env "${env[@]}" GITHUB_ACTION_PATH="$dir" GITHUB_OUTPUT="$tmp/outputs/$id" \
    PATH="${PATH_PREFIX:+$PATH_PREFIX:}$PATH" bash --noprofile --norc -eo pipefail -c "$script") \
    >"$tmp/log.$id" 2>&1
  status=$?
  set -e
}
output() { python3 "$tmp/runner.py" output "$tmp/outputs/$1" "$2"; }
logged() { grep -F -q -- "$2" "$tmp/log.$1"; }

cache_dir() { echo "$tool_cache/pyinit-check/$version/$triple"; }
nothing_installed() { [ ! -e "$(cache_dir)" ] && [ -z "$(output install bin)" ]; }
not_run() { [ ! -e "$marker" ]; }
genuine_binary="$tmp/genuine/pyinit-check-$triple/pyinit-check"
mkdir -p "$tmp/genuine"
tar -xJf "$archive" -C "$tmp/genuine"

# --- (a) install: verified, cached, reused -------------------------------------------------

fresh_job a
base_url="$url/good"
step "$root" install
check "install: exits 0 from the genuine release" '[ "$status" = 0 ]'
check "install: logs that the archive was verified against the release's sha256.sum" \
  'logged install "verified: sha256 $good_sha of $archive_name matches the release'"'"'s sha256.sum"'
bin=$(output install bin)
check "install: the bin output is the archive's binary, in the tool cache" \
  '[ "$bin" = "$(cache_dir)/bin/pyinit-check" ] && [ -x "$bin" ] && [ "$(sha "$bin")" = "$(sha "$genuine_binary")" ]'
check "install: its directory is added to GITHUB_PATH" 'grep -qxF "$(cache_dir)/bin" "$tmp/github_path"'
check "install: the installed binary runs and reports $version" 'logged install "(pyinit-check $version)"'

before=$(requests "/good/v$version/$archive_name")
step "$root" install
check "install again: reuses the tool cache, no download" \
  '[ "$status" = 0 ] && [ "$(requests "/good/v$version/$archive_name")" = "$before" ] && [ "$(output install bin)" = "$bin" ] && logged install "reusing the verified install in the tool cache"'

cp "$tmp/evil/pyinit-check-$triple/pyinit-check" "$bin"
step "$root" install
check "install over a cached binary that was replaced: warns, downloads and verifies again, never runs it" \
  '[ "$status" = 0 ] && logged install "it does not match its verification record" && [ "$(sha "$bin")" = "$(sha "$genuine_binary")" ] && not_run'

# The cache above was verified without provenance; where gh can check it, it is not reused.
mkdir -p "$tmp/gh-ok"
printf '#!/bin/sh\nexit 0\n' >"$tmp/gh-ok/gh"
chmod 755 "$tmp/gh-ok/gh"
before=$(requests "/good/v$version/$archive_name")
ATTEST=1 PATH_PREFIX="$tmp/gh-ok" step "$root" install
check "a cache installed without a provenance check is downloaded again once gh can check it" \
  '[ "$status" = 0 ] && [ "$(requests "/good/v$version/$archive_name")" = $((before + 1)) ] && logged install "was built by pyinit-check/pyinit-check" && grep -qx "attestation=verified" "$(cache_dir)/verified"'

# --- (b) run: pass, fail, could not run ----------------------------------------------------

step "$root" run paths=fixtures/gnuhash.so
check "run on a good module: exits 0 with result=pass, errors=0" \
  '[ "$status" = 0 ] && [ "$(output run result)" = pass ] && [ "$(output run errors)" = 0 ]'
check "run: the default sarif-file is written and its output is the absolute path" \
  '[ "$(output run sarif-file)" = "$workspace/pyinit-check.sarif" ] && [ -s "$workspace/pyinit-check.sarif" ]'

rm -f "$workspace/pyinit-check.sarif"
: >"$tmp/step_summary"
step "$root" run paths=fixtures/foo.so
check "run on a bad module: exits 1 with result=fail, errors=1" \
  '[ "$status" = 1 ] && [ "$(output run result)" = fail ] && [ "$(output run errors)" = 1 ]'
check "run on a bad module: an ::error annotation for the file" 'grep -q "^::error file=fixtures/foo.so," "$tmp/log.run"'
check "run on a bad module: the SARIF file holds the PYI001 result" 'python3 - "$workspace/pyinit-check.sarif" <<'"'"'PYTHON'"'"'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
sys.exit(0 if [r["ruleId"] for r in results] == ["PYI001"] else 1)
PYTHON'
check "run on a bad module: a step summary was written" '[ -s "$tmp/step_summary" ]'

step "$root" run paths=fixtures/missing.so
check "run on a missing file: exits 2 (could not run)" '[ "$status" = 2 ]'

step "$root" run paths=fixtures/foo.so ignore=missing-module-hook sarif-file=
check "run with ignore: the bad module's finding is ignored, exit 0, result=pass, counted as ignored" \
  '[ "$status" = 0 ] && [ "$(output run result)" = pass ] && logged run "1 ignored" && ! grep -q "^::error" "$tmp/log.run"'

step "$root" run "paths=$(printf '  fixtures/gnuhash.so\n\n  dir with space/gnuhash.so  \n')" \
  "python=$(printf '3.12 3.13\n3.14')" fail-on=warning sarif-file=
# The inputs reach pyinit-check as PYINIT_* variables; on a runner it logs what they became.
check "run with lists: one value per path (spaces kept) and per python version" \
  'logged run "fail-on warning, stage isolate, python 3.12 3.13 3.14," && logged run "paths: \"fixtures/gnuhash.so\" \"dir with space/gnuhash.so\""'
check "run with lists: both modules pass; empty sarif-file writes no SARIF" \
  '[ "$status" = 0 ] && [ -z "$(output run sarif-file)" ] && logged run "2 artifacts checked: 2 passed"'

# Windows, emulated: a .zip release, paths through cygpath (an identity fake here; the real
# one converts between /c/... and C:\...), the binary named pyinit-check.exe.
mkdir -p "$tmp/fake-cygpath"
printf '#!/bin/sh\nshift\nprintf "%%s\\n" "$1"\n' >"$tmp/fake-cygpath/cygpath"
chmod 755 "$tmp/fake-cygpath/cygpath"
fresh_job windows
base_url="$url/windows"
RUNNER_OS_OVERRIDE=Windows PATH_PREFIX="$tmp/fake-cygpath" step "$root" install
check "Windows (emulated): the .zip is verified, unpacked and pyinit-check.exe installed" \
  '[ "$status" = 0 ] && logged install "matches the release'"'"'s sha256.sum" && [ "$(output install bin)" = "$tool_cache/pyinit-check/$version/x86_64-pc-windows-msvc/bin/pyinit-check.exe" ]'
RUNNER_OS_OVERRIDE=Windows PATH_PREFIX="$tmp/fake-cygpath" step "$root" run paths=fixtures/foo.so
check "Windows (emulated): the run step works through cygpath, exit 1 on a bad module" \
  '[ "$status" = 1 ] && [ "$(output run result)" = fail ] && [ -s "$(output run sarif-file)" ]'

# --- (c) tampered downloads are rejected before anything from them runs ----------------------

fresh_job c1
base_url="$url/flipped"
step "$root" install
check "archive with one byte flipped, genuine sums: fails closed, no source-build fallback" \
  '[ "$status" = 1 ] && logged install "::error title=pyinit-check install::checksum mismatch" && nothing_installed && ! logged install "from source"'

fresh_job c2
base_url="$url/evil-with-genuine-sums"
step "$root" install
check "repacked archive with a marker-writing binary, genuine sums: rejected, the binary never ran" \
  '[ "$status" = 1 ] && logged install "checksum mismatch" && nothing_installed && not_run'

# A copy of the action pinned through checksums.json by update-checksums.sh.
pinned="$tmp/action-pinned"
mkdir -p "$pinned"
cp -R action action.yml Cargo.toml "$pinned/"
last_step=update
set +e
PYINIT_CHECK_BASE_URL="$url/good" bash "$pinned/action/update-checksums.sh" "$version" >"$tmp/log.update" 2>&1
code=$?
set -e
check "update-checksums.sh records every archive of the release's sha256.sum in checksums.json" \
  '[ "$code" = 0 ] && python3 - "$pinned/action/checksums.json" "$version" "$archive_name" "$good_sha" <<'"'"'PYTHON'"'"'
import json, sys
pins = json.load(open(sys.argv[1]))
sys.exit(0 if pins[sys.argv[2]][sys.argv[3]] == sys.argv[4] and len(pins[sys.argv[2]]) == 2 and "$comment" in pins else 1)
PYTHON'
cp "$pinned/action/checksums.json" "$tmp/pins.json"
set +e
PYINIT_CHECK_BASE_URL="$url/evil-with-own-sums" bash "$pinned/action/update-checksums.sh" "$version" >"$tmp/log.update" 2>&1
code=$?
set -e
check "update-checksums.sh refuses to change a recorded hash" \
  '[ "$code" != 0 ] && logged update "refusing to change" && cmp -s "$tmp/pins.json" "$pinned/action/checksums.json"'

fresh_job c3
base_url="$url/evil-with-own-sums"
step "$pinned" install
check "archive and sha256.sum both swapped, version pinned in checksums.json: rejected, never ran" \
  '[ "$status" = 1 ] && logged install "action/checksums.json says sha256 $good_sha" && nothing_installed && not_run'

mkdir -p "$tmp/no-jq"
printf '#!/bin/sh\nexit 127\n' >"$tmp/no-jq/jq"
chmod 755 "$tmp/no-jq/jq"
fresh_job c3-python
base_url="$url/evil-with-own-sums"
PATH_PREFIX="$tmp/no-jq" step "$pinned" install
check "the same without a working jq (checksums.json read by python): rejected, never ran" \
  '[ "$status" = 1 ] && logged install "action/checksums.json says sha256 $good_sha" && nothing_installed && not_run'

cp -R "$pinned" "$tmp/action-pinned-other"
python3 - "$tmp/action-pinned-other/action/checksums.json" "$version" "$archive_name" <<'PYTHON'
import json, sys
pins = json.load(open(sys.argv[1]))
del pins[sys.argv[2]][sys.argv[3]]
json.dump(pins, open(sys.argv[1], "w"))
PYTHON
fresh_job c3-other
base_url="$url/good"
step "$tmp/action-pinned-other" install
check "a version pinned in checksums.json without this archive: fails closed, even for the genuine one" \
  '[ "$status" = 1 ] && logged install "pins version $version but not $archive_name" && nothing_installed'

fresh_job c4
base_url="$url/good"
before=$(requests "/good/v$version/sha256.sum")
step "$pinned" install
check "pinned version, genuine archive: verified against checksums.json without fetching sha256.sum" \
  '[ "$status" = 0 ] && logged install "matches action/checksums.json" && [ "$(requests "/good/v$version/sha256.sum")" = "$before" ]'

# Without a pin, an archive swapped together with sha256.sum passes the checksum; that is what
# the provenance check is for. First the control: the marker really is written when it runs.
fresh_job c5
base_url="$url/evil-with-own-sums"
step "$root" install
check "control: archive and sums swapped, no pin, provenance skipped: it installs and the marker appears" \
  '[ "$status" = 0 ] && ! not_run'
rm -f "$marker"

# Then with provenance checked, by a fake gh that finds no attestation.
mkdir -p "$tmp/fake-gh"
cat >"$tmp/fake-gh/gh" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>'$tmp/gh-calls'
[ "\$3" = --help ] && { echo '      --signer-workflow string   Workflow that signed attestation'; exit 0; }
echo "no matching attestations found" >&2
exit 1
EOF
chmod 755 "$tmp/fake-gh/gh"
fresh_job c6
base_url="$url/evil-with-own-sums"
ATTEST=1 PATH_PREFIX="$tmp/fake-gh" step "$root" install
check "archive and sums swapped, gh finds no attestation: rejected, never ran" \
  '[ "$status" = 1 ] && logged install "build provenance check failed" && nothing_installed && not_run'
check "the provenance check is: gh attestation verify ARCHIVE --repo pyinit-check/pyinit-check --signer-workflow <release.yml>" \
  'grep -qE "^attestation verify .*/$archive_name --repo pyinit-check/pyinit-check --signer-workflow pyinit-check/pyinit-check/\.github/workflows/release\.yml\$" "$tmp/gh-calls"'

# A gh too old to know --signer-workflow: a notice, and the repository-only check still binds.
sed -i 's/--signer-workflow string/--cert-identity string/' "$tmp/fake-gh/gh"
: >"$tmp/gh-calls"
fresh_job c6b
ATTEST=1 PATH_PREFIX="$tmp/fake-gh" step "$root" install
check "an older gh without --signer-workflow: a notice, the repository check still rejects, never ran" \
  '[ "$status" = 1 ] && logged install "cannot check which workflow signed" && logged install "build provenance check failed" && grep -qE "^attestation verify .*/$archive_name --repo pyinit-check/pyinit-check\$" "$tmp/gh-calls" && nothing_installed && not_run'

# A missing release archive (HTTP 404) or a platform without one is built from source; a fake
# cargo records the call and installs the genuine binary.
mkdir -p "$tmp/fake-cargo"
cat >"$tmp/fake-cargo/cargo" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>'$tmp/cargo-calls'
while [ "\$#" -gt 0 ]; do [ "\$1" = --root ] && root=\$2; shift; done
mkdir -p "\$root/bin" && cp '$genuine_binary' "\$root/bin/pyinit-check"
EOF
chmod 755 "$tmp/fake-cargo/cargo"
fresh_job c7
base_url="$url/no-such-release"
PATH_PREFIX="$tmp/fake-cargo" step "$root" install
check "no release archive (HTTP 404): a notice, then cargo install --locked --path <action>" \
  '[ "$status" = 0 ] && logged install "::notice title=pyinit-check install::pyinit-check $version has no release archive" && grep -qF "install --locked --path $root --root" "$tmp/cargo-calls" && [ -x "$(output install bin)" ]'
fresh_job c8
base_url="$url/good"
RUNNER_ARCH_OVERRIDE=X86 PATH_PREFIX="$tmp/fake-cargo" step "$root" install
check "a platform without release binaries (Linux/X86): a notice and a source build, nothing downloaded" \
  '[ "$status" = 0 ] && logged install "no pyinit-check release binary for Linux/X86" && [ "$(wc -l <"$tmp/cargo-calls")" = 2 ] && ! logged install downloading'

# --- (d) hostile inputs are data -----------------------------------------------------------

fresh_job d
base_url="$url/good"
step "$root" install
no_pwned() { [ -z "$(find "$tmp" "$root" -name pwned -print -quit)" ]; }
# sarif_names NAME: pyinit-check's SARIF reports PYI004 for module NAME exactly.
sarif_names() {
  python3 - "$workspace/pyinit-check.sarif" "$1" <<'PYTHON'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
sys.exit(0 if any(r["ruleId"] == "PYI004" and f"`{sys.argv[2]}`" in r["message"]["text"] for r in results) else 1)
PYTHON
}
for hostile in 'x"; touch pwned #' "$(printf 'x\ny; touch pwned')" "x' \$(touch pwned) \`touch pwned\`"; do
  step "$root" run paths=fixtures/libgnuhash.so "module-name=$hostile"
  check "hostile module-name $(printf '%q' "$hostile"): PYI004 naming it verbatim, exit 1, nothing created" \
    '[ "$status" = 1 ] && logged run "PYI004 invalid-module-name" && sarif_names "$hostile" && no_pwned'
done
step "$root" run 'paths=$(touch pwned)' 'python=3.12 $(touch pwned)'
check "hostile paths and python: passed as values (pyinit-check refuses them, exit 2), nothing created" \
  '[ "$status" = 2 ] && no_pwned'

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
