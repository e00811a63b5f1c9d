"""Judge pyinit-check's JSON report on the real-wheel corpus (helper of real_wheels.sh).

Prints one line per case ("PASS name: detail" / "FAIL name: detail" plus indented problems)
and ends with "N passed, M failed"; exits 1 if any case failed. Stdlib only.

Cases:
  - the run itself: pyinit-check exited 0 or 1, consistently with its summary, and could
    check every input;
  - one per wheel: its sha256 is the pinned one; it was checked (no "error" status); its
    modules are exactly the files CPython could import from it (or it is "nothing to
    check", for a wheel marked [no-modules]); a universal module has one slice per
    architecture; every error or warning matches a KNOWN_DEFECTS entry;
  - one per KNOWN_DEFECTS entry that no finding matched any more;
  - one per (import wheel, interpreter): every module pyinit-check passed imports, or fails
    for a reason other than a missing hook or an undefined symbol.
"""

import argparse
import concurrent.futures
import fnmatch
import glob
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

IMPORT_TIMEOUT = 60
# What pyinit-check promises cannot happen to a module it passes.
HOOK_OR_SYMBOL = ("does not define module export function", "undefined symbol")

POSIX_SUFFIX = re.compile(
    r"\.(?:cpython-\d+[dmt]*-[^.]+\.so|abi3t?(?:-[^.]+)?\.so|so)"
)
WINDOWS_SUFFIX = re.compile(r"\.(?:cp\d+[dt]*-[^.]+\.pyd|pyd)")
MYPYC_GROUP = re.compile(r"[0-9a-f]+__mypyc")
DATA_ROOT = re.compile(r"^[^/]+\.data/(?:platlib|purelib)/")


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--list", required=True)
    p.add_argument("--cache", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--stderr", required=True)
    p.add_argument("--exit-code", type=int, required=True)
    p.add_argument("--known-defects", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--importer", required=True)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep", default="")
    p.add_argument("--start-epoch", type=float, default=None)
    return p.parse_args()


class Cases:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def report(self, ok, name, detail, problems=()):
        if ok:
            self.passed += 1
            print(f"PASS {name}: {detail}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")
            problems = list(problems)
            for p in problems[:10]:
                print(f"  {p}")
            if len(problems) > 10:
                print(f"  ... and {len(problems) - 10} more")
        sys.stdout.flush()


def read_list(path):
    entries = []
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        body, _, comment = line.partition("#")
        fields = body.split()
        if not fields:
            continue
        if len(fields) != 3:
            sys.exit(f"real_wheels.py: {path}:{lineno}: expected <python> <wheel> <sha256>, got {body.strip()!r}")
        py, wheel, sha = fields
        entries.append({"py": py, "wheel": wheel, "sha256": sha.lower(), "comment": comment.strip(),
                        "no_modules": "[no-modules]" in comment})
    return entries


def read_defects(path):
    defects = []
    for line in open(path, encoding="utf-8"):
        body, _, evidence = line.partition("#")
        fields = body.split()
        if not fields:
            continue
        if len(fields) != 3:
            sys.exit(f"real_wheels.py: bad KNOWN_DEFECTS line {line.strip()!r}: want <wheel glob> <member glob> <RULE>")
        defects.append({"wheel": fields[0], "member": fields[1], "rule": fields[2],
                        "evidence": evidence.strip(), "hits": 0})
    return defects


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def wheel_tags(name):
    parts = name[:-4].split("-")
    return parts[-3], parts[-2], parts[-1].split(".")


def importable_members(zf, windows):
    suffix = WINDOWS_SUFFIX if windows else POSIX_SUFFIX
    out = set()
    for info in zf.infolist():
        if info.is_dir():
            continue
        rel = DATA_ROOT.sub("", info.filename)
        *dirs, name = rel.split("/")
        module, dot, rest = name.partition(".")
        # A mypyc group library (`<hash>__mypyc.<suffix>`) is no identifier, but the shim
        # modules of its group import it by name (PyImport_ImportModule), so CPython does.
        named = module.isidentifier() or MYPYC_GROUP.fullmatch(module)
        if dot and named and all(d.isidentifier() for d in dirs) and suffix.fullmatch("." + rest):
            out.add(info.filename)
    return out


def fat_arch_count(zf, member):
    with zf.open(member) as f:
        head = f.read(8)
    if head[:4] in (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"):
        return struct.unpack(">I", head[4:8])[0]
    return None


def finding_matches(defect, wheel, member, rule):
    return (fnmatch.fnmatchcase(wheel, defect["wheel"])
            and fnmatch.fnmatchcase(member or "", defect["member"])
            and defect["rule"] == rule)


def hook_exported(artifact):
    """True when every slice exports the PyInit_ hook CPython 3.8-3.13 looks up."""
    hooks = artifact.get("expected_hooks") or {}
    init = hooks.get("init")
    slices = artifact.get("slices") or []
    if not init or not slices:
        return False
    for s in slices:
        outcomes = {name: r.get("outcome") for name, r in s.get("lookups") or []}
        if outcomes.get(init) not in ("exported", "forwarded", "re-exported"):
            return False
    return True


def interpreters():
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = {}
    for exe in glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3")):
        ver = os.path.basename(os.path.dirname(os.path.dirname(exe)))
        m = re.fullmatch(r"3\.(\d+)\.(\d+)", ver)  # plain CPython (no t/dev/other builds)
        if not m:
            continue
        minor, patch = int(m[1]), int(m[2])
        if minor not in found or patch > found[minor][0]:
            found[minor] = (patch, exe)
    return {minor: exe for minor, (patch, exe) in found.items()}


def import_versions(wheel, installed):
    """The CPython minors a manylinux x86_64 wheel is imported with, or None if none apply."""
    py, abi, plats = wheel_tags(wheel)
    if not any(re.fullmatch(r"manylinux\w*_x86_64", p) for p in plats):
        return None
    m = re.fullmatch(r"cp3(\d+)", py)
    if not m:
        return None
    minor = int(m[1])
    if abi == f"cp3{minor}" and 8 <= minor <= 13:
        return [minor]
    if abi == "abi3" and minor <= 13:
        return [v for v in range(min(minor, 13), 14) if v in installed] or [minor]
    return None


def module_fullname(member, module):
    rel = DATA_ROOT.sub("", member)
    dirs = rel.split("/")[:-1]
    return ".".join(dirs + [module])


def main():
    args = parse_args()
    cases = Cases()
    entries = read_list(args.list)
    defects = read_defects(args.known_defects)
    os.makedirs(args.work, exist_ok=True)

    # ---- the run itself
    problems = []
    report = None
    try:
        with open(args.report) as f:
            report = json.load(f)
        artifacts = report["artifacts"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        artifacts = []
        problems.append(f"no usable JSON report ({e})")
    stderr = open(args.stderr, errors="replace").read() if os.path.exists(args.stderr) else ""
    if args.exit_code not in (0, 1):
        problems.append(f"pyinit-check exited {args.exit_code} (2: some input could not be checked)")
    if report is not None and report.get("summary", {}).get("exit_code") != args.exit_code:
        problems.append(f"summary.exit_code {report['summary'].get('exit_code')} but the process exited {args.exit_code}")
    for line in stderr.splitlines():
        if "error" in line:
            problems.append(f"stderr: {line[:300]}")
    summary = (report or {}).get("summary", {})
    cases.report(not problems, "pyinit-check run over every wheel",
                 f"exit {args.exit_code}, {summary.get('artifacts', '?')} artifacts: {summary.get('passed', '?')} passed, "
                 f"{summary.get('failed', '?')} failed, {summary.get('errored', '?')} errored, "
                 f"{summary.get('nothing_to_check', '?')} nothing to check; {summary.get('errors', '?')} errors, "
                 f"{summary.get('warnings', '?')} warnings, {summary.get('notes', '?')} notes, "
                 f"{summary.get('unchecked', '?')} files not checked", problems)

    by_wheel = {}
    for a in artifacts:
        key = os.path.basename(a.get("wheel") or a.get("path") or "")
        by_wheel.setdefault(key, []).append(a)

    # ---- one case per wheel
    checked_ok = {}
    for e in entries:
        wheel = e["wheel"]
        path = os.path.join(args.cache, wheel)
        problems = []
        digest = sha256(path) if os.path.exists(path) else None
        if digest != e["sha256"]:
            problems.append(f"sha256 {digest} is not the pinned {e['sha256']} (delete {path} to download it again)")
        arts = by_wheel.get(wheel, [])
        if not arts:
            problems.append("not in pyinit-check's report")
        for a in arts:
            if a.get("status") == "error":
                problems.append(f"could not be checked: {a.get('problem')}")
        members = [a for a in arts if a.get("member")]
        nothing = [a for a in arts if a.get("status") == "nothing-to-check"]
        if e["no_modules"]:
            if members or not nothing:
                problems.append(f"marked [no-modules], but reported {len(members)} module(s), statuses "
                                f"{sorted(set(a.get('status') for a in arts))}")
        elif nothing and not members:
            problems.append(f"nothing to check ({nothing[0].get('problem')}), but the wheel has extension modules")

        # The modules listed are exactly the importable files of the wheel.
        fats = 0
        if digest == e["sha256"]:
            try:
                with zipfile.ZipFile(path) as zf:
                    windows = any(p.startswith("win") for p in wheel_tags(wheel)[2])
                    expected = importable_members(zf, windows)
                    # Modules are the importable files; every other binary listed (vendored in
                    # `<dist>.libs/` or `.dylibs/`, or a library beside the modules) is checked as
                    # a library, because the modules need it to load.
                    reported = {a["member"] for a in members if a.get("kind") != "library"}
                    libraries = {a["member"] for a in members if a.get("kind") == "library"}
                    for m in sorted(expected - reported):
                        problems.append(f"not listed: {m}")
                    for m in sorted(reported - expected):
                        problems.append(f"lists a file CPython would not import: {m}")
                    for m in sorted(libraries & expected):
                        problems.append(f"an importable module listed as a library: {m}")
                    if not e["no_modules"] and not expected:
                        problems.append("no importable extension module in the wheel: the case would be vacuous")
                    for a in members:
                        archs = fat_arch_count(zf, a["member"])
                        # A library loaded by path is not opened as a module: no slices.
                        if archs is not None and a.get("status") != "nothing-to-check":
                            fats += 1
                            if len(a.get("slices") or []) != archs:
                                problems.append(f"{a['member']} is universal with {archs} archs, "
                                                f"{len(a.get('slices') or [])} slices reported")
            except (OSError, zipfile.BadZipFile) as err:
                problems.append(f"cannot read the wheel: {err}")

        # Every error or warning is a known defect.
        known = []
        notes = 0
        for a in arts:
            for f in a.get("findings") or []:
                if f.get("suppressed"):
                    continue
                if f.get("severity") not in ("error", "warning"):
                    notes += 1
                    continue
                hit = [d for d in defects if finding_matches(d, wheel, a.get("member"), f.get("rule_id"))]
                for d in hit:
                    d["hits"] += 1
                if hit:
                    known.append(f.get("rule_id"))
                else:
                    problems.append(f"unexpected {f.get('rule_id')} {f.get('severity')} on {a.get('member') or wheel}: "
                                    f"{(f.get('message') or '')[:240]}")
        formats = sorted({f"{a.get('format')}" + (f" {'+'.join(s.get('arch', '?') for s in a.get('slices') or [])}")
                          for a in members})
        detail = (f"{len(members)} module{'s' * (len(members) != 1)}" if not e["no_modules"] else "nothing to check")
        if formats:
            detail += f" ({', '.join(formats)})"
        if fats:
            detail += f", {fats} universal"
        if known:
            detail += f", {len(known)} known defect{'s' * (len(known) != 1)} ({', '.join(sorted(set(known)))})"
        if notes:
            detail += f", {notes} note{'s' * (notes != 1)}"
        cases.report(not problems, wheel, detail, problems)
        checked_ok[wheel] = digest == e["sha256"]

    # ---- known defects that no longer appear
    for d in defects:
        if d["hits"] == 0:
            cases.report(False, f"known defect {d['wheel']} {d['member']} {d['rule']}",
                         "no finding matches it any more: remove it from KNOWN_DEFECTS, or restore the check",
                         [f"evidence was: {d['evidence']}"] if d["evidence"] else [])

    # ---- real imports
    installed = interpreters()
    tasks = []  # (wheel, minor, fullname, path, roots)
    plan = []   # (wheel, minor, [task index])
    skipped_no_hook = {}
    for n, e in enumerate(entries):
        wheel = e["wheel"]
        versions = import_versions(wheel, installed)
        if versions is None or not checked_ok.get(wheel):
            continue
        mods = [a for a in by_wheel.get(wheel, []) if a.get("member") and a.get("status") == "pass"]
        importable = [a for a in mods if hook_exported(a)]
        skipped_no_hook[wheel] = len(mods) - len(importable)
        root = os.path.join(args.work, "imports", str(n))
        with zipfile.ZipFile(os.path.join(args.cache, wheel)) as zf:
            zf.extractall(root)
        roots = [root] + sorted(glob.glob(os.path.join(root, "*.data", "platlib"))) \
            + sorted(glob.glob(os.path.join(root, "*.data", "purelib")))
        for minor in versions:
            idx = []
            for a in importable:
                idx.append(len(tasks))
                tasks.append((wheel, minor, module_fullname(a["member"], a["module"]),
                              os.path.join(root, a["member"]), roots))
            plan.append((wheel, minor, idx))

    def run(task):
        wheel, minor, fullname, path, roots = task
        exe = installed.get(minor)
        if exe is None:
            return {"ok": False, "error": "no interpreter", "kind": "missing"}
        fd, result_file = tempfile.mkstemp(dir=args.work, suffix=".json")
        os.close(fd)
        try:
            proc = subprocess.run([exe, "-I", "-B", args.importer, result_file, fullname, path] + roots,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  timeout=IMPORT_TIMEOUT, cwd=args.work)
            try:
                with open(result_file) as f:
                    res = json.load(f)
            except (OSError, ValueError):
                tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
                res = {"ok": False, "error": f"interpreter exited {proc.returncode} without a result: {tail[0][:200]}"}
        except subprocess.TimeoutExpired:
            res = {"ok": False, "error": f"timed out after {IMPORT_TIMEOUT}s"}
        finally:
            os.unlink(result_file)
        res["kind"] = ("ok" if res["ok"] else
                       "hook-or-symbol" if any(s in res["error"] for s in HOOK_OR_SYMBOL) else "other")
        return res

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(run, tasks))
    import_seconds = time.time() - t0

    per_interp = {}
    for wheel, minor, idx in plan:
        exe = installed.get(minor)
        name = f"import {wheel} on CPython 3.{minor}"
        if exe is None:
            cases.report(False, name, f"no CPython 3.{minor} under {os.environ.get('PYENV_ROOT') or '~/.pyenv'}")
            continue
        rs = [results[i] for i in idx]
        ok = sum(r["kind"] == "ok" for r in rs)
        bad = [(tasks[i][2], results[i]["error"]) for i in idx if results[i]["kind"] == "hook-or-symbol"]
        other = [(tasks[i][2], results[i]["error"]) for i in idx if results[i]["kind"] == "other"]
        stats = per_interp.setdefault(minor, {"modules": 0, "imported": 0, "other": 0, "hook_or_symbol": 0})
        stats["modules"] += len(rs)
        stats["imported"] += ok
        stats["other"] += len(other)
        stats["hook_or_symbol"] += len(bad)
        detail = f"{ok}/{len(rs)} imported"
        if other:
            detail += f", {len(other)} other error{'s' * (len(other) != 1)} (e.g. {other[0][0]}: {other[0][1][:120]})"
        if skipped_no_hook.get(wheel):
            detail += f", {skipped_no_hook[wheel]} passed without a PyInit_ hook (not imported)"
        if not rs:
            detail = "nothing to import: pyinit-check passed no module with a PyInit_ hook" + (
                f" ({skipped_no_hook[wheel]} passed without one)" if skipped_no_hook.get(wheel) else "")
        cases.report(not bad, name, detail, [f"{m}: {err[:300]}" for m, err in bad])

    print("imports by interpreter: " + "; ".join(
        f"3.{m}: {s['imported']}/{s['modules']} imported, {s['other']} other errors, {s['hook_or_symbol']} hook/symbol"
        for m, s in sorted(per_interp.items())) + f" ({len(tasks)} imports in {import_seconds:.0f}s)")

    if args.keep:
        with open(os.path.join(args.keep, "imports.json"), "w") as f:
            json.dump([{"wheel": t[0], "python": f"3.{t[1]}", "module": t[2], **r} for t, r in zip(tasks, results)],
                      f, indent=1)

    if args.start_epoch is not None:
        print(f"elapsed: {time.time() - args.start_epoch:.0f}s")
    print(f"{cases.passed} passed, {cases.failed} failed")
    sys.exit(1 if cases.failed else 0)


if __name__ == "__main__":
    main()
