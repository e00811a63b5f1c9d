#!/usr/bin/env bash
# What this proves: pyinit-check's library resolution (PYI021 library-not-found) and glibc floor
# (PYI015 glibc-above-tag) agree with `auditwheel show` (pypa/auditwheel, pinned: 6.8.2) on
# every Linux wheel of the real-wheel corpus (tests/e2e/real_wheels.txt: manylinux and
# musllinux on x86_64, aarch64, i686, armv7l, riscv64, plus the Android wheels auditwheel also
# audits), on the copies of them that tests/e2e/stripped_wheels.sh strips of their vendored
# libraries, and on renamed copies that move the manylinux tag around auditwheel's floor.
# It also times both tools, one process per wheel, side by side.
#
# auditwheel's text output (`auditwheel -v show WHEEL`, stdout; paragraphs wrapped by
# textwrap, so whitespace is joined before parsing):
#   `WHEEL is consistent with the following platform tag: "P".`   the overall policy
#   `This constrains the platform tag to "S".`   the symbol-version policy, when below the best
#   `The following external shared libraries are required by the wheel: {json}`
#   `In order to achieve the tag platform tag 'P' the following shared library dependencies
#    will need to be eliminated: a, b`   one paragraph per policy better than the overall one
# Without -v, `show` stops after the "constrains" paragraph: a wheel whose symbols already
# lower its policy never lists its external libraries. Hence -v (its log goes to stderr).
#
# Cases, for each wheel W (original or stripped):
#   verdict   auditwheel's overall policy is at least as good as W's strictest tag (manylinux1 =
#             2_5, manylinux2010 = 2_12, manylinux2014 = 2_17) exactly when pyinit-check has no
#             PYI015 and no PYI021 on W;
#   libraries the libraries auditwheel says must be eliminated for W's strictest tag (its list
#             for that policy, empty when the overall policy reaches it) are exactly the
#             libraries PYI021 names on W (any member).
# For each manylinux wheel whose symbol policy S has a more compatible policy B below it (the
# policies of auditwheel's manylinux-policy.json for its architecture), two renamed copies
# (only the file name's platform tag changes; auditwheel's analysis reads the architecture and
# libc from the name, never the tag's version, so its S holds for them):
#   at-floor  tagged S: no PYI015;
#   below     tagged B: PYI015, as auditwheel rejects B.
#
# KNOWN DIFFERENCES (each is counted and printed as "known", never silently passed):
#   K1 musl `libc.so`. Rust's *-linux-musl targets link `DT_NEEDED libc.so`. musl's loader maps
#      every `libc.*` (and libpthread/librt/libm/libdl/libutil/libxnet) need to itself
#      (ldso/dynlink.c, load_library: "Catch and block attempts to reload the implementation
#      itself"), so the wheel imports on any musl system. auditwheel only whitelists
#      `libc.musl-<arch>.so.1` (policy/__init__.py _fixup_musl_libc_soname), so it calls
#      `libc.so` external and the wheel `linux_<arch>` (same report for uv in
#      rust-cross/manylinux-cross#110; maturin fixed its own audit for it in PyO3/maturin#643).
#      Worse, on a glibc host its lddtree finds the host's `libc.so` (a GNU ld script, text) in
#      the default library path and dies with `ELFError: Magic number does not match`; the script
#      then retries with `--ldpaths ""` (no host directories, which are not the target's anyway)
#      and records it. pyinit-check routes `libc.so` to the C library (PYI016's judgement):
#      pyinit-check is right. `libc.so` is dropped from auditwheel's list, and a verdict whose
#      only cause it is counts as known.
#   K2 non-glibc symbol versions. auditwheel's symbol policy also weighs GLIBCXX_/CXXABI_
#      (libstdc++), GCC_ (libgcc_s) and the other whitelisted libraries' versions; PYI015 judges
#      GLIBC_ versions only. A `below` copy whose highest GLIBC_ need fits B is such a case.
#   K3 musl policy. Off a musl host auditwheel cannot read the musl version and knows only its
#      newest musllinux policy (musllinux_1_2); a musllinux_1_1 wheel's verdict is read as "a
#      musllinux policy" (musl has no symbol versions to tell 1_1 from 1_2 anyway).
#   K4 nothing to check. A wheel without extension modules (ruff's: one executable in
#      `<dist>.data/scripts/`) is "nothing to check" for pyinit-check, which judges what CPython
#      loads; auditwheel audits every ELF file. ruff's binary needs GLIBC_2.17, so auditwheel is
#      right that a manylinux_2_12 ruff would not run on glibc 2.12-2.16; it is outside
#      pyinit-check's scope, so its renamed copies are counted as known.
#   K5 weak version needs. Rust's std links `statx`, `getrandom`, `getentropy` and
#      `__cxa_thread_atexit_impl` weakly, so cryptography's `_rust.abi3.so` needs GLIBC_2.18,
#      GLIBC_2.25 and GLIBC_2.28 with VER_FLG_WEAK (`readelf -V`: "Flags: WEAK"). glibc's loader
#      only warns when a weak version is missing (elf/dl-version.c, match_symbol: "If it was a
#      weak reference it is not fatal") and the weak symbols resolve to null, which std checks.
#      auditwheel's elf_find_versioned_symbols yields every vernaux whatever its flags, so it
#      puts that module at manylinux_2_28; PYI015 ignores weak needs (pyinit-check is right: the
#      module loads on glibc 2.17). Counted as known when the highest GLIBC_ need without the
#      flag (read here with pyelftools) fits the tag.
#
# Timing: for each manylinux/musllinux wheel of the corpus (the originals), alternately
# `auditwheel show W` (no -v; with `--ldpaths ""` where K1 needs it) and `pyinit-check -j1
# --format json W`, one process each, wall time by time.perf_counter around the process.
# Totals, medians and their ratio are printed (AGREEMENT_TIMING=0 skips this part).
#
# Env: PYINIT_CHECK (default: cargo build --release), PYPI_WHEEL_CACHE (as real_wheels.sh),
#      PYTHON (default python3, with auditwheel 6.8.2: `python3 -m pip install auditwheel==6.8.2`),
#      AUDITWHEEL (default: `auditwheel` next to PYTHON, else on PATH), AGREEMENT_TIMING (1).
# Needs what stripped_wheels.sh needs (readelf, llvm-objdump, llvm-readobj) to build the copies.
# Ends with "N passed, M failed" ("known" cases pass); exits 1 if a case failed, 2 if it could
# not run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
cache="${PYPI_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels}/real_wheels"
die() {
    echo "auditwheel_graph_agreement.sh: $*" >&2
    exit 2
}
command -v "$python" >/dev/null || die "$python not found"
aw_version="$("$python" -c 'import importlib.metadata as m; print(m.version("auditwheel"))' 2>/dev/null)" ||
    die "auditwheel is not installed for $python (python3 -m pip install auditwheel==6.8.2)"
[[ "$aw_version" == 6.8.2 ]] || echo "note: auditwheel $aw_version, the differences below were read on 6.8.2" >&2
auditwheel="${AUDITWHEEL:-$(dirname "$(command -v "$python")")/auditwheel}"
[[ -x "$auditwheel" ]] || auditwheel="$(command -v auditwheel)" || die "no auditwheel command"

if [[ -n "${PYINIT_CHECK:-}" ]]; then
    checker="$PYINIT_CHECK"
    [[ "$checker" == */* && "$checker" != /* ]] && checker="$PWD/$checker"
else
    command -v cargo >/dev/null || die "cargo not found (or set PYINIT_CHECK)"
    (cd "$repo" && cargo build --release --quiet) || die "cannot build pyinit-check"
    checker="$repo/target/release/pyinit-check"
fi
command -v "$checker" >/dev/null || die "pyinit-check binary not found or not executable: $checker"
checker="$(command -v "$checker")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The stripped copies (and the fetch of any missing pinned wheel: exit 2 if PyPI is unreachable).
PYINIT_CHECK="$checker" "$here/stripped_wheels.sh" --build-only "$tmp/stripped" >"$tmp/strip.log" 2>&1 ||
    {
        cat "$tmp/strip.log" >&2
        die "stripped_wheels.sh --build-only failed"
    }
mapfile -t unset_vars < <(compgen -e | grep '^PYINIT_' | grep -vx 'PYINIT_CHECK' || true)
for v in ${unset_vars[@]+"${unset_vars[@]}"}; do unset "$v"; done
export GITHUB_ACTIONS=
mkdir -p "$tmp/run"

set +e
"$python" - "$here/real_wheels.txt" "$cache" "$tmp" "$checker" "$auditwheel" "${AGREEMENT_TIMING:-1}" <<'PY'
import json, os, re, shutil, statistics, subprocess, sys, time
import auditwheel

list_path, cache, tmp, checker, AUDITWHEEL, timing = sys.argv[1:7]
stripped_dir = os.path.join(tmp, "stripped")
manifest = json.load(open(os.path.join(stripped_dir, "manifest.json")))
passed = failed = known = 0
counts = {}


def report(status, label, detail="", problems=(), kind="case"):
    """status: True (agree), False (disagree), or a K-label string (known difference)."""
    global passed, failed, known
    c = counts.setdefault(kind, {"agree": 0, "known": 0, "fail": 0})
    if status is True:
        word, key = "PASS", "agree"
        passed += 1
    elif status is False:
        word, key = "FAIL", "fail"
        failed += 1
    else:
        word, key = f"PASS(known {status})", "known"
        passed += 1
        known += 1
    c[key] += 1
    print(f"{word} {kind} {label}" + (f": {detail}" if detail else ""))
    for p in list(problems)[:10]:
        print(f"  {p}")
    sys.stdout.flush()


corpus = [line.partition("#")[0].split()[1] for line in open(list_path, encoding="utf-8")
          if line.partition("#")[0].split()]


def platforms(wheel):
    return wheel[:-4].split("-")[-1].split(".")


def family(wheel):
    p = platforms(wheel)[0]
    return "musllinux" if p.startswith("musllinux") else "android" if p.startswith("android") else \
        "manylinux" if p.startswith("manylinux") else None


linux = [w for w in corpus if family(w)]

# ---- auditwheel's policies (its own data): order and architectures of manylinux ones.
POLICY_DIR = os.path.join(os.path.dirname(auditwheel.__file__), "policy")
MANY = json.load(open(os.path.join(POLICY_DIR, "manylinux-policy.json")))
ALIAS = {"manylinux1": "manylinux_2_5", "manylinux2010": "manylinux_2_12", "manylinux2014": "manylinux_2_17"}
ARCHES = ("x86_64", "aarch64", "i686", "armv7l", "ppc64le", "ppc64", "s390x", "riscv64", "loongarch64",
          "arm64_v8a", "armeabi_v7a")


def split_tag(tag):
    for arch in ARCHES:
        if tag.endswith("_" + arch):
            base = tag[: -len(arch) - 1]
            return ALIAS.get(base, base), arch
    return tag, None


def version(policy_base):
    m = re.match(r"(?:manylinux|musllinux|android)_(\d+)(?:_(\d+))?$", policy_base)
    return (int(m.group(1)), int(m.group(2) or 0)) if m else None


def strictest(wheel):
    """The wheel's most compatible tag, as a policy base name ('manylinux_2_17'), and its arch."""
    tags = [split_tag(t) for t in platforms(wheel)]
    tags = [(b, a) for b, a in tags if version(b)]
    return min(tags, key=lambda t: version(t[0]))


def policies_below(base, arch):
    """auditwheel's manylinux policies for `arch`, most compatible first, before `base`."""
    names = [p["name"] for p in sorted(MANY, key=lambda p: -p["priority"])
             if p["name"] != "linux" and arch in p["symbol_versions"]]
    return names[: names.index(base)] if base in names else []


# ---- auditwheel show
def aw_run(path, verbose=True, ldpaths=None):
    cmd = [AUDITWHEEL] + (["-v"] if verbose else []) + ["show", path] + \
        ([f"--ldpaths={ldpaths}"] if ldpaths is not None else [])
    return subprocess.run(cmd, capture_output=True, text=True)


def aw_parse(text):
    t = " ".join(text.split())
    out = {"policy": None, "sym": None, "required": {}, "eliminate": {}, "versions": {}}
    m = re.search(r'is consistent with the following platform tag: "([^"]+)"', t)
    out["policy"] = m and m.group(1)
    m = re.search(r'This constrains the platform tag to "([^"]+)"', t)
    out["sym"] = m and m.group(1)
    m = re.search(r"The following external shared libraries are required by the wheel: (\{.*?\})", t)
    if m:
        out["required"] = json.loads(m.group(1))
    for m in re.finditer(r"In order to achieve the tag platform tag '([^']+)' the following shared library "
                         r"dependencies will need to be eliminated: (.*?)(?= In order to achieve|$)", t):
        out["eliminate"][m.group(1)] = {x.strip() for x in m.group(2).split(",") if x.strip()}
    m = re.search(r"system-provided shared libraries: (.*?)(?= This constrains| The following| The wheel requires|"
                  r" In order| This wheel|$)", t)
    if m:
        for lib, vers in re.findall(r"(\S+) with versions \{([^}]*)\}", m.group(1)):
            out["versions"][lib] = set(re.findall(r"'([^']+)'", vers))
    return out


ldpaths_needed = set()  # wheels that need K1's --ldpaths "" retry


def auditwheel_show(path):
    p = aw_run(path)
    retried = False
    if p.returncode != 0 and "ELFError" in p.stderr and family(os.path.basename(path)) == "musllinux":
        ldpaths_needed.add(os.path.basename(path))
        p = aw_run(path, ldpaths="")
        retried = True
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1:] or ["exit %d" % p.returncode]
    r = aw_parse(p.stdout)
    r["retried"] = retried
    return r, None


# ---- pyinit-check, one process over every input; findings per wheel file
def pic_findings(paths):
    p = subprocess.run([checker, "--format", "json", "--no-progress", "--no-github", "--color", "never", *paths],
                       capture_output=True, text=True, cwd=os.path.join(tmp, "run"))
    if p.returncode not in (0, 1):
        sys.exit(f"pyinit-check exit {p.returncode}: {p.stderr.strip()[-400:]}")
    out = {path: {"PYI015": [], "PYI021": set(), "nothing": True} for path in paths}
    report_json = json.loads(p.stdout)
    if report_json.get("unchecked"):
        sys.exit(f"pyinit-check left inputs unchecked: {report_json['unchecked'][:3]}")
    seen = set()
    for a in report_json["artifacts"]:
        w = a.get("wheel") or a["path"]  # a wheel with nothing to check (ruff) is one artifact, its path
        if w not in out:
            continue
        seen.add(w)
        # A wheel with no file pyinit-check reads is one artifact without a member (ruff's). A
        # library loaded by path (pycryptodome's ctypes .so files) is judged by the loading
        # rules, PYI015 included, even when it then says "nothing to check".
        out[w]["nothing"] &= not a.get("member")
        for f in a["findings"]:
            if f["rule_id"] == "PYI015":
                out[w]["PYI015"].append((a["member"], f["message"]))
            elif f["rule_id"] == "PYI021":
                m = re.search(r"needs `([^`]+)`", f["message"])
                out[w]["PYI021"].add(m.group(1) if m else f["message"])
    if seen != set(paths):
        sys.exit(f"pyinit-check reported nothing for: {sorted(set(paths) - seen)[:3]}")
    return out


originals = [os.path.join(cache, w) for w in linux]
stripped = [os.path.join(stripped_dir, w) for w, m in sorted(manifest.items()) if m["family"] in ("manylinux", "musllinux", "android")]
print(f"auditwheel {auditwheel.__version__ if hasattr(auditwheel, '__version__') else ''} on {len(originals)} Linux/Android wheels "
      f"+ {len(stripped)} stripped copies ...")
sys.stdout.flush()

aw = {}
for path in originals + stripped:
    aw[path] = auditwheel_show(path)

# Retagged copies for PYI015.
retag = []  # (original path, which, copy path, tag base, below-policy floor)
for path in originals:
    w = os.path.basename(path)
    if family(w) != "manylinux" or aw[path][0] is None:
        continue
    r = aw[path][0]
    base, arch = strictest(w)
    sym_base, _ = split_tag(r["sym"] or r["policy"])
    if not version(sym_base):
        continue
    head = "-".join(w[:-4].split("-")[:-1])
    for which, tag_base in [("at-floor", sym_base)] + ([("below", policies_below(sym_base, arch)[-1])] if policies_below(sym_base, arch) else []):
        d = os.path.join(tmp, "retag", which)
        os.makedirs(d, exist_ok=True)
        copy = os.path.join(d, f"{head}-{tag_base}_{arch}.whl")
        try:
            os.link(path, copy)
        except OSError:
            shutil.copyfile(path, copy)
        retag.append((path, which, copy, tag_base))

# One process per set: the renamed copies are hard links of the originals, and pyinit-check
# checks "the same file" once per run (the others are reported unchecked as duplicates).
pic = pic_findings(originals + stripped)
for which in ("at-floor", "below"):
    pic.update(pic_findings([c for _, wh, c, _ in retag if wh == which]))


def strong_glibc_max(wheel_path):
    """The highest GLIBC_ version any ELF file of the wheel needs without VER_FLG_WEAK (pyelftools,
    auditwheel's own ELF reader; auditwheel itself ignores the flag)."""
    import io, zipfile
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    from elftools.elf.gnuversions import GNUVerNeedSection
    best = None
    with zipfile.ZipFile(wheel_path) as z:
        for name in z.namelist():
            data = z.read(name)
            if data[:4] != b"\x7fELF":
                continue
            try:
                elf = ELFFile(io.BytesIO(data))
            except ELFError:
                continue
            for section in elf.iter_sections():
                if not isinstance(section, GNUVerNeedSection):
                    continue
                for _, auxes in section.iter_versions():
                    for aux in auxes:
                        m = re.fullmatch(r"GLIBC_(\d+)\.(\d+)(?:\.\d+)?", aux.name)
                        if m and not aux.entry["vna_flags"] & 0x2:
                            best = max(best or (0, 0), (int(m.group(1)), int(m.group(2))))
    return best


def glibc_max(versions):
    best = None
    for vers in versions.values():
        for v in vers:
            m = re.fullmatch(r"GLIBC_(\d+)\.(\d+)(?:\.\d+)?", v)
            if m:
                best = max(best or (0, 0), (int(m.group(1)), int(m.group(2))))
    return best


# ---- verdict and library cases
for path in originals + stripped:
    w = os.path.basename(path)
    label = ("stripped " if path.startswith(stripped_dir) else "") + w
    r, err = aw[path]
    fam = family(w)
    if r is None:
        report(False, label, f"auditwheel show failed: {err}", kind="verdict")
        continue
    base, arch = strictest(w)
    claim = f"{base}_{arch}"
    policy_base, _ = split_tag(r["policy"])
    aw_libs = r["eliminate"].get(claim)
    if aw_libs is None and fam == "musllinux":  # K3: the one musllinux policy auditwheel knows here
        aw_libs = next(iter(r["eliminate"].values()), None)
    if aw_libs is None:
        aw_libs = set() if not r["policy"].startswith("linux_") else set(r["required"])
    k1 = fam == "musllinux" and "libc.so" in aw_libs
    aw_libs_adj = aw_libs - {"libc.so"} if fam == "musllinux" else aw_libs
    if fam == "manylinux":
        aw_ok = bool(version(policy_base)) and version(policy_base) <= version(base)
    elif fam == "musllinux":  # K3
        aw_ok = r["policy"].startswith("musllinux_")
    else:
        aw_ok = r["policy"] == claim
    findings = pic[path]
    pic_ok = not findings["PYI015"] and not findings["PYI021"]
    pic_libs = findings["PYI021"]
    notes = (" (auditwheel retried with --ldpaths \"\")" if r["retried"] else "")
    # verdict
    if aw_ok == pic_ok:
        report(True, label, f"auditwheel {r['policy']} vs tag {claim}; pyinit-check {'clean' if pic_ok else 'PYI015/PYI021'}{notes}", kind="verdict")
    elif k1 and not aw_ok and pic_ok and not aw_libs_adj:
        report("K1", label, f"auditwheel {r['policy']} only for libc.so; pyinit-check clean{notes}", kind="verdict")
    else:
        report(False, label, f"auditwheel {r['policy']} (tag {claim}) but pyinit-check "
               f"PYI015={len(findings['PYI015'])} PYI021={sorted(pic_libs)}{notes}", kind="verdict")
    # libraries
    if aw_libs == pic_libs:
        report(True, label, f"{len(pic_libs)} libraries: {', '.join(sorted(pic_libs)) or '-'}{notes}", kind="libraries")
    elif aw_libs_adj == pic_libs and k1:
        report("K1", label, f"auditwheel also lists libc.so; both: {', '.join(sorted(pic_libs)) or '-'}{notes}", kind="libraries")
    else:
        report(False, label, f"libraries differ{notes}",
               [f"auditwheel only: {sorted(aw_libs - pic_libs)}", f"pyinit-check only: {sorted(pic_libs - aw_libs)}"],
               kind="libraries")

# ---- PYI015 around auditwheel's symbol floor
for path, which, copy, tag_base in retag:
    r = aw[path][0]
    has = pic[copy]["PYI015"]
    label = f"{os.path.basename(path)} -> {tag_base}"
    if pic[copy]["nothing"]:
        report("K4", label, "pyinit-check has nothing to check in this wheel (no module, no library)", kind=f"pyi015-{which}")
        continue
    if which == "at-floor":
        report(not has, label, "no PYI015" if not has else f"PYI015: {has[0][1][:160]}", kind="pyi015-at-floor")
        continue
    floor = version(tag_base)
    need = glibc_max(r["versions"])
    fits = need is None or need <= floor
    if has and not fits:
        report(True, label, f"PYI015 (GLIBC need {'.'.join(map(str, need))} > {floor[0]}.{floor[1]})", kind="pyi015-below")
    elif has:
        report(False, label, f"PYI015, yet auditwheel's highest GLIBC need {need and '.'.join(map(str, need))} fits {tag_base}: "
               f"{has[0][1][:160]}", kind="pyi015-below")
    elif fits:
        others = sorted({v for vs in r["versions"].values() for v in vs if not v.startswith("GLIBC_")})
        report("K2", label, f"auditwheel rejects {tag_base} for non-glibc versions; highest GLIBC need "
               f"{need and '.'.join(map(str, need))} fits (others: {', '.join(others[-4:])})", kind="pyi015-below")
    elif (strong := strong_glibc_max(path)) is None or strong <= floor:
        report("K5", label, f"auditwheel's GLIBC need {'.'.join(map(str, need))} is a weak version need (VER_FLG_WEAK); "
               f"the highest strong one, {strong and '.'.join(map(str, strong))}, fits", kind="pyi015-below")
    else:
        report(False, label, f"no PYI015, yet auditwheel's GLIBC need {'.'.join(map(str, need))} is above {tag_base}", kind="pyi015-below")

print()
for kind, c in counts.items():
    print(f"{kind}: {c['agree']} agree, {c['known']} known differences, {c['fail']} disagree")
if ldpaths_needed:
    print(f"auditwheel needed --ldpaths \"\" (K1 crash) for: {', '.join(sorted(ldpaths_needed))}")

# ---- timing
if timing != "0":
    timed = [p for p in originals if family(os.path.basename(p)) in ("manylinux", "musllinux")]
    aw_t, pic_t = [], []
    for path in timed:
        ld = "" if os.path.basename(path) in ldpaths_needed else None
        cmd = [AUDITWHEEL, "show", path] + (["--ldpaths="] if ld is not None else [])
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        aw_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        subprocess.run([checker, "-j1", "--format", "json", "--no-progress", "--no-github", "--color", "never", path],
                       capture_output=True, cwd=os.path.join(tmp, "run"))
        pic_t.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    subprocess.run([checker, "-j1", "--format", "json", "--no-progress", "--no-github", "--color", "never", *timed],
                   capture_output=True, cwd=os.path.join(tmp, "run"))
    one = time.perf_counter() - t0
    print(f"timing over {len(timed)} manylinux/musllinux wheels, one process per wheel, alternating:")
    print(f"  auditwheel show:       total {sum(aw_t):8.2f} s  median {statistics.median(aw_t) * 1000:7.1f} ms  max {max(aw_t):6.2f} s")
    print(f"  pyinit-check -j1:      total {sum(pic_t):8.2f} s  median {statistics.median(pic_t) * 1000:7.1f} ms  max {max(pic_t):6.2f} s")
    print(f"  ratio (total):         {sum(aw_t) / sum(pic_t):.1f}x   (median: {statistics.median(aw_t) / statistics.median(pic_t):.1f}x)")
    print(f"  pyinit-check -j1, all {len(timed)} wheels in one process: {one:.2f} s")

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
PY
status=$?
set -e
exit "$status"
