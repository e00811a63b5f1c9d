#!/usr/bin/env bash
# What this proves: pyinit-check's glibc floor (PYI015) agrees with auditwheel's, on real
# manylinux wheels and on the crafted modules of tests/fixtures/platform/.
#
# For each Linux wheel, `auditwheel show` names the lowest manylinux_X_Y the wheel is
# consistent with. The wheel is then copied under two names that differ only in the platform
# tag: manylinux_X_Y (must give no PYI015) and manylinux_X_(Y-1) (must give PYI015, naming a
# GLIBC_X.Y version). The real wheels are the Linux ones tests/e2e/pypi_wheels.sh pins and
# caches (run it first); the crafted ones are written here around fixtures whose floors are
# 2.2.5 (goodx86), 2.34 (newglibc) and 2.36 (newerglibc).
#
# Env: PYINIT_CHECK (default: cargo build --release), PYPI_WHEEL_CACHE (as pypi_wheels.sh),
#      PYTHON (default python3, with auditwheel installed: `pip install auditwheel`).
# Ends with "N passed, M failed"; exits 1 if a case failed, 2 if it could not run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python="${PYTHON:-python3}"
cache="${PYPI_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels}"
if [ -z "${PYINIT_CHECK:-}" ]; then
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin pyinit-check
  PYINIT_CHECK="$root/target/release/pyinit-check"
fi
"$python" -c "import auditwheel" 2>/dev/null || { echo "auditwheel is not installed for $python" >&2; exit 2; }
ls "$cache"/*manylinux*.whl >/dev/null 2>&1 || { echo "no cached manylinux wheels in $cache: run tests/e2e/pypi_wheels.sh first" >&2; exit 2; }
exec "$python" - "$PYINIT_CHECK" "$cache" "$root/tests/fixtures/platform" <<'PY'
import base64, hashlib, json, re, shutil, subprocess, sys, tempfile, zipfile
from pathlib import Path

checker, cache, fixtures = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
work = Path(tempfile.mkdtemp())
passed = failed = 0

def report(ok, label, detail=""):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + label + (f": {detail}" if detail else ""))
    if ok: passed += 1
    else: failed += 1

def crafted(member_source, arch="x86_64"):
    """A one-module wheel around a fixture, tagged linux_<arch> (auditwheel decides the rest)."""
    name = f"crafted_{member_source.split('.')[0]}-1.0-cp312-cp312-linux_{arch}.whl"
    path = work / name
    dist = name.split("-")[0] + "-1.0.dist-info"
    files = {
        f"crafted/{member_source}": (fixtures / member_source).read_bytes(),
        f"{dist}/WHEEL": f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: cp312-cp312-linux_{arch}\n".encode(),
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name.split('-')[0]}\nVersion: 1.0\n".encode(),
    }
    # auditwheel reads the wheel through its RECORD: every file with its hash.
    record = "".join(
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for path, data in files.items()
    ) + f"{dist}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as z:
        for member, data in files.items():
            z.writestr(member, data)
        z.writestr(f"{dist}/RECORD", record)
    return path

def policies(arch):
    """auditwheel's manylinux policies for `arch`, oldest first, as (major, minor)."""
    import auditwheel
    table = json.loads((Path(auditwheel.__file__).parent / "policy" / "manylinux-policy.json").read_text())
    found = []
    for policy in table:
        m = re.fullmatch(r"manylinux_(\d+)_(\d+)", policy["name"])
        if m and arch in policy.get("symbol_versions", {}):
            found.append((int(m[1]), int(m[2])))
    return sorted(found)

# The manylinux wheels tests/e2e/pypi_wheels.sh pins (the cache may hold other scripts' wheels).
pinned = re.findall(r'^\s*"[0-9.t]+ (\S+\.whl)"', (Path(fixtures).parents[1] / "e2e" / "pypi_wheels.sh").read_text(), re.M)
wheels = sorted(cache / name for name in pinned if "manylinux" in name)
wheels += [crafted(f) for f in ("goodx86.cpython-312-x86_64-linux-gnu.so",
                                "newglibc.cpython-312-x86_64-linux-gnu.so",
                                "newerglibc.cpython-312-x86_64-linux-gnu.so")]
for wheel in wheels:
    show = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True)
    text = " ".join((show.stdout + show.stderr).split())
    m = re.search(r'consistent with the following platform tag: "manylinux_(\d+)_(\d+)_(\w+)"', text)
    if not m:
        report(False, wheel.name, f"auditwheel show gave no manylinux tag: {text[:300]}")
        continue
    major, minor, arch = int(m[1]), int(m[2]), m[3]
    parts = wheel.name[:-4].split("-")
    def renamed(y):
        name = "-".join(parts[:-1] + [f"manylinux_{major}_{y}_{arch}"]) + ".whl"
        target = work / "named" / f"{y}" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(wheel, target)
        return target
    def pyi015(path):
        out = subprocess.run([checker, "--format", "json", "--no-progress", str(path)], capture_output=True, text=True)
        doc = json.loads(out.stdout)
        return [f["message"] for a in doc["artifacts"] for f in a.get("findings", []) if f["rule_id"] == "PYI015"]
    at_floor = pyi015(renamed(minor))
    # auditwheel names the oldest *policy* the wheel fits; the policy before it is where the
    # wheel must first fail, naming a glibc version above that policy's.
    older = [p for p in policies(arch) if p < (major, minor)]
    if older:
        (_, prev) = older[-1]
        below = pyi015(renamed(prev))
        needs = [tuple(map(int, m.groups())) for msg in below for m in [re.search(r"needs glibc (\d+)\.(\d+)", msg)] if m]
        ok = not at_floor and len(below) > 0 and all((major, prev) < n <= (major, minor) for n in needs) and len(needs) == len(below)
        detail = f"no PYI015 at that tag; at manylinux_{major}_{prev}: {below[0] if below else 'no PYI015'}"
    else:
        ok = not at_floor
        detail = "no PYI015 at that tag (the oldest policy)"
    report(ok, f"{wheel.name}: auditwheel says manylinux_{major}_{minor}", detail if ok else f"at floor: {at_floor[:1]}; {detail}")
shutil.rmtree(work, ignore_errors=True)
print(f"\n{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
