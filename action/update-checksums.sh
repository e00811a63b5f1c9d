#!/usr/bin/env bash
# Records a release's archive checksums in action/checksums.json.
#
#   action/update-checksums.sh 1.2.3
#
# Run it after each release, once the release workflow has published v1.2.3, and commit the
# result before moving the v1 tag: from then on the action trusts these hashes over the
# release's own sha256.sum (which could be replaced together with the archives).
#
# It downloads the release's sha256.sum and records every `pyinit-check-<triple>.tar.xz|zip`
# entry in it under the version. An entry already recorded for that version must not change:
# a differing hash is refused (it is exactly what the pin exists to catch). Needs curl and
# python3. PYINIT_CHECK_BASE_URL overrides where releases are downloaded from (tests).
set -euo pipefail

usage() {
  echo "usage: $0 VERSION   (e.g. 1.2.3)" >&2
  exit 2
}
[ "$#" = 1 ] || usage
version=${1#v}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]] || usage

here=$(cd "$(dirname "$0")" && pwd)
json="$here/checksums.json"
base_url=${PYINIT_CHECK_BASE_URL:-https://github.com/pyinit-check/pyinit-check/releases/download}
url="${base_url%/}/v$version/sha256.sum"

sums=$(mktemp)
trap 'rm -f "$sums"' EXIT
echo "downloading $url"
curl -fsSL --proto '=https,http' --retry 5 --connect-timeout 30 -o "$sums" "$url"

python3 - "$json" "$version" "$sums" <<'PYTHON'
import json, re, sys

path, version, sums = sys.argv[1:]
with open(path, encoding="utf-8") as f:
    pins = json.load(f)

archives = {}
with open(sums, encoding="utf-8") as f:
    for line in f:
        fields = line.split()
        if len(fields) != 2:
            continue
        digest, name = fields[0].lower(), fields[1].lstrip("*")
        if not re.fullmatch(r"pyinit-check-[A-Za-z0-9_]+(-[A-Za-z0-9_]+)+\.(tar\.xz|zip)", name):
            continue
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            sys.exit(f"malformed sha256 for {name}: {digest}")
        if name in archives and archives[name] != digest:
            sys.exit(f"sha256.sum lists {name} twice with different hashes")
        archives[name] = digest
if not archives:
    sys.exit("sha256.sum lists no pyinit-check archives")

old = pins.get(version)
if old is not None:
    changed = {n for n in old.keys() & archives.keys() if old[n] != archives[n]}
    if changed:
        sys.exit(
            f"refusing to change recorded hashes of {version}: {', '.join(sorted(changed))}"
            " (a release's archives must never change; investigate before editing by hand)"
        )
    archives = {**old, **archives}

pins[version] = dict(sorted(archives.items()))
with open(path, "w", encoding="utf-8", newline="\n") as f:
    json.dump(pins, f, indent=2)
    f.write("\n")
for name, digest in sorted(archives.items()):
    print(f"{version}  {digest}  {name}")
print(f"recorded {len(archives)} archives of {version} in {path}")
PYTHON
