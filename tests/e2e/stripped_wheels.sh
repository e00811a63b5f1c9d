#!/usr/bin/env bash
# What this proves: PYI021 (library-not-found) names exactly the libraries a wheel is missing
# when its repair tool never ran. Every wheel of the real-wheel corpus (tests/e2e/real_wheels.txt)
# that vendors libraries is copied with its vendored libraries removed, as if `auditwheel
# repair` / `delocate-wheel` / `delvewheel repair` (or maturin's own repair) had never copied
# them in; for each such wheel:
#
#   - the untouched wheel gives no PYI021, and the JSON report lists every removed shared
#     library as a `"kind": "library"` artifact;
#   - the stripped copy makes pyinit-check exit 1;
#   - its PYI021 findings, as (member, needed library) pairs, are exactly the pairs computed
#     here without pyinit-check: every module or remaining library of the copy is extracted
#     and its needs are read with binutils/LLVM (`readelf -dW` DT_NEEDED, `llvm-objdump --macho
#     --private-headers` LC_LOAD_DYLIB/LC_REEXPORT_DYLIB/LC_LOAD_UPWARD_DYLIB/LC_LAZY_LOAD_DYLIB
#     of every slice, `llvm-readobj --coff-imports` import directory); a need whose file name is
#     that of a removed file (case-insensitively for PE) is expected. A removed library's own
#     needs are not (nothing loads it any more). Weak Mach-O loads (LC_LOAD_WEAK_DYLIB) and PE
#     delay-load imports are not expected: dyld and CPython's import load without them;
#   - its `"kind": "library"` artifacts are the untouched wheel's minus the removed ones, and
#     every other finding (rule, member) is unchanged, but for those on the removed files.
#
# "Vendored" is read from the archive: every member of a `<name>.libs/` or `.dylibs/` folder
# (auditwheel, maturin, delvewheel; delocate), and every DLL whose name ends in delvewheel's
# `-<32 hex digits>.dll` mangling wherever it lies (ujson's win32 wheel ships its msvcp140 in
# `<dist>.data/platlib/`). A library a project builds and installs itself (scipy 1.14.1's
# `scipy/special/libsf_error_state.dylib`) is not vendored and stays. RECORD loses the lines
# of the removed files; nothing else changes (delvewheel's `__init__.py` patch stays, so its
# `add_dll_directory` folder is still searched, and empty). A case also asserts that the set
# of stripped wheels still covers numpy, pillow, scipy and three more distributions, and
# manylinux, musllinux, macOS and Windows wheels.
#
# Wheels are the ones real_wheels.sh pins, in the same cache (its folder `real_wheels/`), with
# the same sha256 check; a pinned wheel missing from the cache is fetched with `pip download`,
# and if that fails (PyPI unreachable) the script stops with exit 2: it never skips.
#
# Usage: tests/e2e/stripped_wheels.sh [--build-only DIR]
#   --build-only DIR  write the stripped copies into DIR (same file names) and DIR/manifest.json
#                     (per wheel: removed files, expected (member, library) pairs), run no
#                     pyinit-check, and exit 0 (used by auditwheel_graph_agreement.sh)
# Env: PYINIT_CHECK      the binary to test (default: `cargo build --release`, then
#                        target/release/pyinit-check)
#      PYPI_WHEEL_CACHE  as real_wheels.sh (the wheels are in its folder real_wheels/)
#      PYTHON            interpreter for pip and the helper (default python3)
#      READELF, LLVM_OBJDUMP, LLVM_READOBJ  the tools (default readelf, llvm-objdump,
#                        llvm-readobj; Debian/Ubuntu: apt-get install binutils llvm)
# Ends with "N passed, M failed"; exits 1 if a case failed, 2 if it could not run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
cache="${PYPI_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels}/real_wheels"
list="$here/real_wheels.txt"
build_only=""
if [[ "${1:-}" == "--build-only" ]]; then
    [[ -n "${2:-}" ]] || {
        echo "stripped_wheels.sh: --build-only needs a directory" >&2
        exit 2
    }
    build_only="$2"
fi

die() {
    echo "stripped_wheels.sh: $*" >&2
    exit 2
}

command -v "$python" >/dev/null || die "$python not found"
"$python" -m pip --version >/dev/null 2>&1 || die "pip is not available for $python"
[[ -f "$list" ]] || die "missing $list"
readelf="${READELF:-readelf}"
objdump="${LLVM_OBJDUMP:-llvm-objdump}"
readobj="${LLVM_READOBJ:-llvm-readobj}"
for tool in "$readelf" "$objdump" "$readobj"; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install binutils llvm)"
done
mkdir -p "$cache" || die "cannot create the wheel cache $cache"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch PYTHON_VERSION WHEEL_FILE (fetch_wheel.sh): the pinned wheel into $cache.
source "$here/fetch_wheel.sh"

# Which wheels vendor libraries is read from their content, so every pinned wheel is needed.
mapfile -t entries < <(grep -vE '^[[:space:]]*(#|$)' "$list" | awk '{print $1, $2}')
((${#entries[@]} > 0)) || die "no wheels listed in $list"
for entry in "${entries[@]}"; do
    read -r py file <<<"$entry"
    fetch "$py" "$file" || true
done
if [[ -s "$tmp/fetch-errors" ]]; then
    sort -u "$tmp/fetch-errors" | sed 's/^network: //' >&2
    die "$(wc -l <"$tmp/fetch-errors") pinned wheel(s) could not be fetched (see above)"
fi

checker=""
if [[ -z "$build_only" ]]; then
    source "$here/checker.sh"
    find_checker
fi
# pyinit-check runs from an empty directory without the action's PYINIT_* variables.
mapfile -t unset_vars < <(compgen -e | grep '^PYINIT_' | grep -vx 'PYINIT_CHECK' || true)
for v in ${unset_vars[@]+"${unset_vars[@]}"}; do unset "$v"; done
export GITHUB_ACTIONS=

out_dir="${build_only:-$tmp/stripped}"
mkdir -p "$out_dir" "$tmp/run"
set +e
"$python" - "$list" "$cache" "$out_dir" "$tmp" "$checker" "$readelf" "$objdump" "$readobj" <<'PY'
import base64, hashlib, json, os, re, subprocess, sys, zipfile

list_path, cache, out_dir, tmp, checker, READELF, OBJDUMP, READOBJ = sys.argv[1:9]
build_only = not checker
passed = failed = 0


def report(ok, label, detail="", problems=()):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + label + (f": {detail}" if detail else ""))
    for p in list(problems)[:12]:
        print(f"  {p}")
    if ok:
        passed += 1
    else:
        failed += 1
    sys.stdout.flush()


def pinned():
    for line in open(list_path, encoding="utf-8"):
        fields = line.partition("#")[0].split()
        if fields:
            yield fields[1], fields[2].lower()


VENDORED_DIR = re.compile(r"(?:^|/)(?:[^/]+\.libs|\.dylibs)/[^/]+$")
DELVEWHEEL_NAME = re.compile(r"-[0-9a-f]{32}\.dll$", re.I)
MACHO_MAGICS = {b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xfe\xed\xfa\xce",
                b"\xca\xfe\xba\xbe", b"\xbe\xba\xfe\xca", b"\xca\xfe\xba\xbf", b"\xbf\xba\xfe\xca"}


def binary_format(data):
    if data[:4] == b"\x7fELF":
        return "elf"
    if data[:4] in MACHO_MAGICS:
        return "macho"
    if data[:2] == b"MZ":
        return "pe"
    return None


def is_vendored(member):
    return bool(VENDORED_DIR.search(member) or DELVEWHEEL_NAME.search(member))


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace").stdout


def needs(path, fmt):
    """The libraries the loader must find for this file, from binutils/LLVM."""
    if fmt == "elf":
        return {m.group(1) for m in re.finditer(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", run([READELF, "-dW", path]))}
    if fmt == "macho":
        found, cmd = set(), None
        for line in run([OBJDUMP, "--macho", "--private-headers", "--arch=all", path]).splitlines():
            line = line.strip()
            if line.startswith("cmd "):
                cmd = line.split()[1]
            elif line.startswith("name ") and cmd in ("LC_LOAD_DYLIB", "LC_REEXPORT_DYLIB", "LC_LOAD_UPWARD_DYLIB", "LC_LAZY_LOAD_DYLIB"):
                found.add(re.sub(r" \(offset \d+\)$", "", line[5:]))
        return found
    # PE: the import directory only ("Import {" blocks; "DelayImport {" ones load on first call).
    found, block = set(), None
    for line in run([READOBJ, "--coff-imports", path]).splitlines():
        s = line.strip()
        if s.endswith("{"):
            block = s[:-1].strip()
        elif s.startswith("Name: ") and block == "Import":
            found.add(s[6:])
    return found


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def strip(src, dst, workdir):
    """Copies `src` to `dst` without its vendored files; returns (removed, expected, removed libs)."""
    removed, kept_binaries = [], []
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        infos = zin.infolist()
        vendored = {i.filename for i in infos if not i.is_dir() and is_vendored(i.filename)}
        # A folder entry left with nothing in it goes too.
        emptied = {os.path.dirname(f) + "/" for f in vendored}
        emptied -= {d for d in emptied for i in infos
                    if i.filename.startswith(d) and i.filename != d and i.filename not in vendored}
        for info in infos:
            name = info.filename
            if name in vendored:
                removed.append((name, binary_format(zin.read(name)[:4])))
                continue
            if name in emptied:
                continue
            data = zin.read(name)
            if name.endswith(".dist-info/RECORD"):
                data = b"".join(l for l in data.splitlines(True)
                                if l.split(b",")[0].decode("utf-8", "replace") not in vendored)
            zout.writestr(info, data)
            fmt = None if info.is_dir() else binary_format(data[:4])
            if fmt:
                path = os.path.join(workdir, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
                kept_binaries.append((name, path, fmt))
    removed_libs = [n for n, fmt in removed if fmt]
    names = {os.path.basename(n) for n in removed_libs}
    lower = {n.lower() for n in names}
    expected = set()
    for member, path, fmt in kept_binaries:
        for need in needs(path, fmt):
            base = need.rsplit("/", 1)[-1]
            if (base.lower() in lower) if fmt == "pe" else (base in names):
                expected.add((member, need))
    return [n for n, _ in removed], sorted(expected), removed_libs


def platform_family(wheel):
    plat = wheel[:-4].split("-")[-1]
    for family in ("manylinux", "musllinux", "macosx", "win", "android", "ios"):
        if plat.startswith(family) or f".{family}" in plat:
            return family
    return plat


# 1. The pinned wheels, verified, and the ones that vendor libraries.
stripped = []
for wheel, sha in pinned():
    src = os.path.join(cache, wheel)
    h = hashlib.sha256()
    with open(src, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != sha:
        report(False, wheel, f"sha256 {h.hexdigest()} is not the pinned {sha} (delete it to download it again)")
        continue
    with zipfile.ZipFile(src) as z:
        if any(is_vendored(n) and not n.endswith("/") for n in z.namelist()):
            stripped.append(wheel)

manifest = {}
for wheel in stripped:
    workdir = os.path.join(tmp, "extract", wheel)
    removed, expected, removed_libs = strip(os.path.join(cache, wheel), os.path.join(out_dir, wheel), workdir)
    manifest[wheel] = {"removed": removed, "removed_libraries": removed_libs,
                       "expected": [list(p) for p in expected], "family": platform_family(wheel)}

dists = sorted({w.split("-")[0].lower() for w in manifest})
families = sorted({m["family"] for m in manifest.values()})
required = {"numpy", "pillow", "scipy"}
cover_ok = required <= set(dists) and len(set(dists) - required) >= 3 and \
    {"manylinux", "musllinux", "macosx", "win"} <= set(families)
report(cover_ok, "coverage", f"{len(manifest)} wheels vendor libraries: {', '.join(dists)}; platforms {', '.join(families)}",
       [] if cover_ok else ["want numpy, pillow, scipy and 3 more distributions, on manylinux, musllinux, macosx and win"])

with open(os.path.join(out_dir, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
if build_only:
    print(f"{len(manifest)} stripped wheels and manifest.json written to {out_dir}")
    sys.exit(0 if failed == 0 else 1)


def check(path):
    p = subprocess.run([checker, "--format", "json", "--no-progress", "--no-github", "--color", "never", path],
                       capture_output=True, text=True, cwd=os.path.join(tmp, "run"))
    try:
        return p.returncode, json.loads(p.stdout), p.stderr
    except json.JSONDecodeError:
        return p.returncode, None, p.stderr


NEEDS = re.compile(r"needs `([^`]+)`")


def summary(report_json):
    pairs, others, libraries = set(), [], set()
    for a in report_json["artifacts"]:
        member = a.get("member")
        if a.get("kind") == "library":
            libraries.add(member)
        for f in a["findings"]:
            if f["rule_id"] == "PYI021":
                m = NEEDS.search(f["message"])
                pairs.add((member, m.group(1) if m else f["message"]))
            else:
                others.append((member, f["rule_id"]))
    return pairs, sorted(others), libraries


total_removed = total_expected = 0
for wheel, m in manifest.items():
    problems = []
    rc0, orig, err0 = check(os.path.join(cache, wheel))
    rc1, strp, err1 = check(os.path.join(out_dir, wheel))
    if orig is None or strp is None:
        report(False, wheel, "pyinit-check gave no JSON report", [(err0 or err1).strip()[-300:]])
        continue
    o_pairs, o_others, o_libs = summary(orig)
    s_pairs, s_others, s_libs = summary(strp)
    expected = {tuple(p) for p in m["expected"]}
    removed_libs = set(m["removed_libraries"])
    if o_pairs:
        problems.append(f"untouched wheel has PYI021: {sorted(o_pairs)}")
    if not removed_libs <= o_libs:
        problems.append(f"removed libraries not listed as kind=library in the untouched wheel: {sorted(removed_libs - o_libs)}")
    if rc1 != 1:
        problems.append(f"stripped copy: exit {rc1}, want 1 ({err1.strip()[-200:]})")
    if not expected:
        problems.append("nothing needs a removed library: the case proves nothing")
    for p in sorted(expected - s_pairs):
        problems.append(f"missing PYI021: {p[0]} needs {p[1]}")
    for p in sorted(s_pairs - expected):
        problems.append(f"unexpected PYI021: {p[0]} needs {p[1]}")
    if s_libs != o_libs - removed_libs:
        problems.append(f"kind=library artifacts: {sorted(s_libs)}, want {sorted(o_libs - removed_libs)}")
    # The findings on the removed libraries themselves leave with them.
    o_kept = [f for f in o_others if f[0] not in set(m["removed"])]
    if s_others != o_kept:
        problems.append(f"other findings changed: {sorted(set(s_others) ^ set(o_kept))}")
    total_removed += len(removed_libs)
    total_expected += len(expected)
    needed_libs = sorted({p[1].rsplit('/', 1)[-1] for p in expected})
    report(not problems, wheel,
           f"removed {len(removed_libs)} libraries, {len(expected)} PYI021 (member, library) pairs "
           f"naming {len(needed_libs)}: {', '.join(needed_libs)}; untouched: no PYI021, {len(o_libs)} libraries; "
           f"stripped: exit {rc1}", problems)

print(f"{len(manifest)} wheels stripped, {total_removed} libraries removed, {total_expected} expected PYI021 pairs")
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
PY
status=$?
set -e
exit "$status"
