#!/usr/bin/env python3
"""Generate src/libraries/table.rs: which libraries a wheel may take from the system.

Two sources, read from git (bare mirrors; no work tree needed), each named with its commit in
the generated file's header:

* auditwheel (pypa/auditwheel): `src/auditwheel/policy/manylinux-policy.json`,
  `musllinux-policy.json` and `android-policy.json` — per policy its name, aliases,
  `lib_whitelist` (the sonames the policy guarantees), `blacklist` (symbols of whitelisted
  libraries a wheel must not use) and `symbol_versions` per auditwheel architecture (the
  version names allowed, by prefix: GLIBC, GLIBCXX, CXXABI, GCC, ...). The catch-all `linux`
  policy promises nothing and is left out. From `src/auditwheel/policy/__init__.py`, the
  musl libc soname each architecture's `libc.so` whitelist entry stands for
  (`_fixup_musl_libc_soname`), read with `ast`, never executed.
* delvewheel (adang1345/delvewheel): `delvewheel/_dll_list.py` — `ignore_names_x86/x64/arm64`
  (DLLs present on every vanilla Windows install delvewheel targets, per machine),
  `ignore_regexes` (interpreter DLLs, API sets, combase.dll), `ignore_by_abi_platform` and
  `ignore_abi3` (DLLs that ship with each CPython build, by wheel tag). The file is parsed
  with `ast`, never executed. Its regexes are evaluated here, over every CPython tag they can
  name (3.5-3.99, release/debug/free-threaded, win32/win_amd64/win_arm64), so the Rust side
  needs no regex engine; `ignore_regexes` is instead checked against the patterns
  `src/libraries/mod.rs` implements by hand, and the generator fails if delvewheel changed them.

Usage: python3 tools/libraries/generate.py [--auditwheel-git DIR] [--auditwheel-commit C]
           [--delvewheel-git DIR] [--delvewheel-commit C] > src/libraries/table.rs
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

MIRRORS = Path("/work/.mirror")
AUDITWHEEL_COMMIT = "86154d15d6a53a85aab6187032e86348a3a15df1"
POLICY_FILES = [
    ("Glibc", "src/auditwheel/policy/manylinux-policy.json"),
    ("Musl", "src/auditwheel/policy/musllinux-policy.json"),
    ("Bionic", "src/auditwheel/policy/android-policy.json"),
]
POLICY_INIT = "src/auditwheel/policy/__init__.py"
DLL_LIST = "delvewheel/_dll_list.py"

# auditwheel's architecture names (its `Architecture.baseline` values) -> crate::platform::Machine.
AUDITWHEEL_MACHINES = {
    "i686": "X86",
    "x86_64": "X86_64",
    "aarch64": "Aarch64",
    "armv7l": "Arm",
    "ppc64le": "Ppc64le",
    "ppc64": "Ppc64",
    "s390x": "S390x",
    "riscv64": "Riscv64",
    "loongarch64": "Loongarch64",
}
MACHINE_ORDER = list(AUDITWHEEL_MACHINES.values())

# delvewheel's machines: (ignore_names variable, wheel platform tag, bit in the mask).
DELVEWHEEL_MACHINES = [
    ("ignore_names_x86", "win32", "X86"),
    ("ignore_names_x64", "win_amd64", "X86_64"),
    ("ignore_names_arm64", "win_arm64", "Aarch64"),
]

# delvewheel's `ignore_regexes`, each mapped to what src/libraries/mod.rs implements for it.
# A change on delvewheel's side must be looked at by hand: the generator stops.
KNOWN_IGNORE_REGEXES = {
    r"python[0-9]+t?(_d)?\.dll": "PythonDll (is_cpython_dll)",
    r"libpypy([0-9]+\.)*[0-9]+-c\.dll": "PythonDll (is_pypy_dll)",
    r"python-native\.dll": "PythonDll (GraalPy)",
    r"api-.*": "ApiSet (api- prefix)",
    r"combase\.dll": "KnownOrSystem",
}

# CPython minors the runtime table covers: delvewheel's patterns reach "through 3.99", and
# nothing older than 3.5 (msvcr90/msvcr100 builds) can run a module built today.
MINORS = range(5, 100)
# delvewheel's "current and future Python versions" group starts here; `windows_dll` calls a
# DLL ShipsWithPython when every release build from this minor on ships it.
CURRENT_FROM_MINOR = 9


def git(git_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
    ).stdout


def find_git_dir(name: str) -> Path:
    root = MIRRORS / name
    for candidate in [root, *sorted(root.iterdir())] if root.is_dir() else []:
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    raise SystemExit(f"no git directory under {root}: fetch github:{name.replace('+', '/')} first")


def resolve(git_dir: Path, commit: str | None) -> str:
    if commit:
        probe = subprocess.run(
            ["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{commit}^{{commit}}"],
            capture_output=True,
        )
        if probe.returncode == 0:
            return git(git_dir, "rev-parse", commit).strip()
        print(f"{git_dir}: commit {commit} absent, using HEAD", file=sys.stderr)
    return git(git_dir, "rev-parse", "HEAD").strip()


def describe(git_dir: Path, commit: str) -> str:
    out = subprocess.run(
        ["git", f"--git-dir={git_dir}", "describe", "--tags", commit], capture_output=True, text=True
    )
    date = git(git_dir, "log", "-1", "--format=%cs", commit).strip()
    return f"{commit} ({out.stdout.strip() + ', ' if out.returncode == 0 else ''}{date})"


def version_key(version: str) -> tuple:
    """Dotted numbers first, in numeric order; other names (TM_1, LDBL_3.4, ABI_DT_RELR) after."""
    if re.fullmatch(r"\d+(\.\d+)*", version):
        return (0, tuple(int(p) for p in version.split(".")), "")
    return (1, (), version)


# --- auditwheel ---------------------------------------------------------------------------


def musl_sonames(source: str) -> dict[str, str]:
    """auditwheel architecture -> the soname `_fixup_musl_libc_soname` puts for `libc.so`."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "_fixup_musl_libc_soname":
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "soname_map" for t in sub.targets)
                    and isinstance(sub.value, ast.Dict)
                ):
                    outer = dict(zip(sub.value.keys, sub.value.values))
                    for key, value in outer.items():
                        if isinstance(key, ast.Constant) and key.value == "libc.so":
                            found = {}
                            for arch, soname in zip(value.keys, value.values):
                                assert isinstance(arch, ast.Attribute), ast.dump(arch)
                                found[arch.attr] = ast.literal_eval(soname)
                            return found
    raise SystemExit(f"{POLICY_INIT}: no soname_map for libc.so in _fixup_musl_libc_soname")


def policy_version(libc: str, name: str) -> tuple[int, int]:
    pattern = {
        "Glibc": r"manylinux_(\d+)_(\d+)",
        "Musl": r"musllinux_(\d+)_(\d+)",
        "Bionic": r"android_(\d+)()",
    }[libc]
    match = re.fullmatch(pattern, name)
    if not match:
        raise SystemExit(f"policy name {name!r} is not a {libc} policy name")
    return int(match.group(1)), int(match.group(2) or 0)


def read_policies(git_dir: Path, commit: str) -> list[dict]:
    policies = []
    for libc, path in POLICY_FILES:
        for raw in json.loads(git(git_dir, "show", f"{commit}:{path}")):
            if raw["name"] == "linux":
                continue
            unknown = set(raw["symbol_versions"]) - set(AUDITWHEEL_MACHINES)
            if unknown:
                raise SystemExit(f"{raw['name']}: architectures with no Machine: {unknown}")
            policies.append(
                {
                    "libc": libc,
                    "name": raw["name"],
                    "aliases": list(raw["aliases"]),
                    "version": policy_version(libc, raw["name"]),
                    "whitelist": list(raw["lib_whitelist"]),
                    "blacklist": {
                        lib: sorted(set(symbols)) for lib, symbols in sorted(raw["blacklist"].items())
                    },
                    "symbol_versions": {
                        AUDITWHEEL_MACHINES[arch]: {
                            prefix: sorted(set(versions), key=version_key)
                            for prefix, versions in sorted(by_prefix.items())
                        }
                        for arch, by_prefix in sorted(
                            raw["symbol_versions"].items(),
                            key=lambda item: MACHINE_ORDER.index(AUDITWHEEL_MACHINES[item[0]]),
                        )
                    },
                }
            )
    policies.sort(key=lambda p: (["Glibc", "Musl", "Bionic"].index(p["libc"]), p["version"]))
    return policies


# --- delvewheel ---------------------------------------------------------------------------


def dll_list(source: str) -> dict[str, object]:
    """The module-level assignments of `_dll_list.py`, as data."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        name, value = target.id, node.value
        if name.startswith("ignore_names_") or name in ("ignore_by_abi_platform", "ignore_abi3"):
            found[name] = ast.literal_eval(value)
        elif name == "ignore_regexes":
            assert isinstance(value, ast.Set), ast.dump(value)
            found[name] = [ast.literal_eval(call.args[0]) for call in value.elts]
        elif name == "vc_redist":
            found[name] = ast.literal_eval(value.args[0])
    return found


def shipped(table: dict[str, set[str]], tag: str) -> set[str]:
    """delvewheel's lookup: the first pattern that matches the whole tag, else nothing."""
    for pattern, names in table.items():
        if re.fullmatch(pattern, tag):
            return set(names)
    return set()


def runtime_rows(lists: dict[str, object]) -> tuple[list[tuple], dict[str, set[str]], list[str]]:
    """(machine, debug, first minor, last minor, dlls) ranges; the current set per machine;
    disagreements between the abi3 table and the per-version one."""
    by_abi = lists["ignore_by_abi_platform"]
    by_abi3 = lists["ignore_abi3"]
    rows, current, notes = [], {}, []
    for _, platform, machine in DELVEWHEEL_MACHINES:
        for debug in (False, True):
            sets = {}
            for minor in MINORS:
                old = minor <= 7  # pymalloc's `m` ABI flag, dropped in 3.8
                abi = f"cp3{minor}{'d' if debug else ''}{'m' if old else ''}"
                names = shipped(by_abi, f"{abi}-{platform}")
                if minor >= 13:
                    threaded = f"cp3{minor}t{'d' if debug else ''}"
                    if shipped(by_abi, f"{threaded}-{platform}") != names:
                        notes.append(f"{threaded}-{platform} differs from {abi}-{platform}")
                if not debug:
                    abi3 = shipped(by_abi3, f"cp3{minor}-{platform}")
                    if abi3 != names:
                        notes.append(f"abi3 cp3{minor}-{platform}: {sorted(abi3)} vs {sorted(names)}")
                sets[minor] = frozenset(names)
            if not debug:
                current[machine] = set.intersection(
                    *(set(sets[m]) for m in MINORS if m >= CURRENT_FROM_MINOR)
                )
            start = None
            for minor in [*MINORS, None]:
                if start is not None and (minor is None or sets[minor] != sets[start]):
                    if sets[start]:
                        rows.append((machine, debug, start, prev, sorted(sets[start])))
                    start = None
                if minor is not None and start is None:
                    start = minor
                prev = minor
    return rows, current, notes


# --- output -------------------------------------------------------------------------------


def rust_str_list(items: list[str]) -> str:
    return "&[" + ", ".join(json.dumps(item) for item in items) + "]"


class Shared:
    """Slices written once and named, so equal lists cost one copy."""

    def __init__(self, prefix: str, doc: str, type_: str):
        self.prefix, self.doc, self.type = prefix, doc, type_
        self.items: dict[str, str] = {}

    def name(self, body: str) -> str:
        if body not in self.items:
            self.items[body] = f"{self.prefix}{len(self.items)}"
        return self.items[body]

    def write(self, out) -> None:
        out.write(f"// {self.doc}\n")
        for body, name in self.items.items():
            out.write(f"#[rustfmt::skip]\nconst {name}: {self.type} = {body};\n")
        out.write("\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--auditwheel-git", type=Path)
    parser.add_argument("--auditwheel-commit", default=AUDITWHEEL_COMMIT)
    parser.add_argument("--delvewheel-git", type=Path)
    parser.add_argument("--delvewheel-commit")
    args = parser.parse_args()

    aw_git = args.auditwheel_git or find_git_dir("pypa+auditwheel")
    dw_git = args.delvewheel_git or find_git_dir("adang1345+delvewheel")
    aw_commit = resolve(aw_git, args.auditwheel_commit)
    dw_commit = resolve(dw_git, args.delvewheel_commit)

    policies = read_policies(aw_git, aw_commit)
    musl = musl_sonames(git(aw_git, "show", f"{aw_commit}:{POLICY_INIT}"))
    musl_rows = []
    for arch, soname in musl.items():
        if arch not in AUDITWHEEL_MACHINES:
            raise SystemExit(f"musl soname for unknown architecture {arch}")
        musl_rows.append((AUDITWHEEL_MACHINES[arch], soname))
    musl_rows.sort(key=lambda row: MACHINE_ORDER.index(row[0]))

    dll_source = git(dw_git, "show", f"{dw_commit}:{DLL_LIST}")
    dw_version = re.search(
        r"__version__\s*=\s*'([^']+)'", git(dw_git, "show", f"{dw_commit}:delvewheel/_version.py")
    )
    lists = dll_list(dll_source)
    regexes = lists["ignore_regexes"]
    if set(regexes) != set(KNOWN_IGNORE_REGEXES):
        print(
            f"delvewheel's ignore_regexes changed: {sorted(set(regexes) ^ set(KNOWN_IGNORE_REGEXES))};"
            " update src/libraries/mod.rs and KNOWN_IGNORE_REGEXES",
            file=sys.stderr,
        )
        return 1
    system: dict[str, int] = {}
    for bit, (variable, _, _) in enumerate(DELVEWHEEL_MACHINES):
        for name in lists[variable]:
            assert name == name.lower() and name.isascii() and "," not in name, name
            system[name] = system.get(name, 0) | 1 << bit
    # Interpreter DLLs or API sets in the system lists would be classified twice.
    for name in system:
        assert not any(re.fullmatch(r, name) for r in regexes[:3] + [r"api-.*"]), name
    rows, current, notes = runtime_rows(lists)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)

    out = sys.stdout
    out.write("// @generated by tools/libraries/generate.py; do not edit by hand.\n")
    out.write("//\n// Sources:\n")
    out.write(f"// - auditwheel {describe(aw_git, aw_commit)} (github.com/pypa/auditwheel):\n")
    for _, path in POLICY_FILES:
        out.write(f"//   {path}\n")
    out.write(f"//   {POLICY_INIT} (_fixup_musl_libc_soname: the musl libc sonames)\n")
    out.write(
        f"// - delvewheel {dw_version.group(1) if dw_version else '?'} at {describe(dw_git, dw_commit)}"
        f" (github.com/adang1345/delvewheel):\n//   {DLL_LIST} (ignore_names_x86/x64/arm64,"
        " ignore_regexes, ignore_by_abi_platform, ignore_abi3)\n"
    )
    counts = {libc: sum(1 for p in policies if p["libc"] == libc) for libc, _ in POLICY_FILES}
    out.write(
        f"// Policies: {len(policies)} ({counts['Glibc']} manylinux, {counts['Musl']} musllinux,"
        f" {counts['Bionic']} android; auditwheel's catch-all `linux` left out).\n"
    )
    out.write(
        "// System DLLs: "
        + ", ".join(f"{v}: {len(lists[v])}" for v, _, _ in DELVEWHEEL_MACHINES)
        + f"; {len(system)} names in all.\n"
    )
    out.write(
        f"// CPython runtime DLLs: delvewheel's tag patterns evaluated for 3.{MINORS[0]}-3.{MINORS[-1]};"
        f" {len(rows)} ranges; {len(notes)} disagreements between its abi3 and per-version tables.\n\n"
    )
    out.write("use super::LinuxPolicy;\nuse crate::platform::{Libc, Machine, Version};\n\n")

    versions = Shared("V", "Version lists, shared between policies and machines.", "&[&str]")
    prefixes = Shared(
        "P", "One machine's symbol versions by prefix, shared.", "&[(&str, &[&str])]"
    )
    whitelists = Shared("W", "Whitelists, shared.", "&[&str]")
    symbols = Shared("S", "Blacklisted symbols, shared.", "&[&str]")
    blacklists = Shared("B", "Blacklists, shared.", "&[(&str, &[&str])]")
    policy_bodies = []
    for p in policies:
        by_machine = []
        for machine, by_prefix in p["symbol_versions"].items():
            body = "&[" + ", ".join(
                f"({json.dumps(prefix)}, {versions.name(rust_str_list(vs))})"
                for prefix, vs in by_prefix.items()
            ) + "]"
            by_machine.append(f"(Machine::{machine}, {prefixes.name(body)})")
        black = "&[" + ", ".join(
            f"({json.dumps(lib)}, {symbols.name(rust_str_list(syms))})"
            for lib, syms in p["blacklist"].items()
        ) + "]"
        major, minor = p["version"]
        policy_bodies.append(
            "    LinuxPolicy {\n"
            f"        name: {json.dumps(p['name'])},\n"
            f"        aliases: {rust_str_list(p['aliases'])},\n"
            f"        libc: Libc::{p['libc']},\n"
            f"        version: Version::new({major}, {minor}),\n"
            f"        lib_whitelist: {whitelists.name(rust_str_list(p['whitelist']))},\n"
            f"        blacklist: {blacklists.name(black)},\n"
            f"        symbol_versions: &[{', '.join(by_machine)}],\n"
            "    },\n"
        )
    for shared in (versions, prefixes, whitelists, symbols, blacklists):
        shared.write(out)
    out.write("/// auditwheel's policies: manylinux, then musllinux, then android, each oldest first.\n")
    out.write("#[rustfmt::skip]\n")
    out.write(f"pub static POLICIES: [LinuxPolicy; {len(policies)}] = [\n")
    out.write("".join(policy_bodies))
    out.write("];\n\n")

    out.write("/// The soname auditwheel puts for a musllinux policy's `libc.so` entry, per machine.\n")
    out.write("#[rustfmt::skip]\n")
    out.write("pub static MUSL_LIBC_SONAMES: &[(Machine, &str)] = &[\n")
    for machine, soname in musl_rows:
        out.write(f"    (Machine::{machine}, {json.dumps(soname)}),\n")
    out.write("];\n\n")

    names = sorted(system)
    blob = "".join(names)
    assert blob.isascii() and len(blob) < 1 << 16
    out.write("/// The DLLs delvewheel takes as present on every vanilla Windows it targets, sorted,\n")
    out.write("/// back to back; `SYSTEM_DLL_ENDS` splits them.\n")
    out.write("pub const SYSTEM_DLL_NAMES: &str = concat!(\n")
    for at in range(0, len(blob), 88):
        out.write(f'    "{blob[at:at + 88]}",\n')
    out.write(");\n\n")
    out.write("/// Where each name in `SYSTEM_DLL_NAMES` ends.\n#[rustfmt::skip]\n")
    out.write(f"pub static SYSTEM_DLL_ENDS: [u16; {len(names)}] = [\n")
    ends, at = [], 0
    for name in names:
        at += len(name)
        ends.append(str(at))
    for i in range(0, len(ends), 16):
        out.write("    " + ", ".join(ends[i:i + 16]) + ",\n")
    out.write("];\n\n")
    masks = "".join(str(system[name]) for name in names)
    out.write(
        "/// Per name, an octal digit: on which machines it is present (1: x86 — delvewheel's\n"
        "/// SysWOW64 lists, 2: x64, 4: arm64).\n"
    )
    out.write("pub const SYSTEM_DLL_MACHINES: &str = concat!(\n")
    for at in range(0, len(masks), 88):
        out.write(f'    "{masks[at:at + 88]}",\n')
    out.write(");\n\n")

    out.write("/// The minor from which `CURRENT_PYTHON_RUNTIME` holds (delvewheel's \"current\" group).\n")
    out.write(f"pub const CURRENT_FROM_MINOR: u16 = {CURRENT_FROM_MINOR};\n\n")
    out.write(
        f"/// The DLLs every release CPython from 3.{CURRENT_FROM_MINOR} ships next to itself, per machine.\n"
    )
    out.write("#[rustfmt::skip]\n")
    out.write("pub static CURRENT_PYTHON_RUNTIME: &[(Machine, &[&str])] = &[\n")
    for _, _, machine in DELVEWHEEL_MACHINES:
        out.write(f"    (Machine::{machine}, {rust_str_list(sorted(current[machine]))}),\n")
    out.write("];\n\n")
    out.write(
        "/// The DLLs a CPython build ships next to itself: machine, debug build, first and last\n"
        "/// minor (3.x), names. No row: none.\n"
    )
    out.write("#[rustfmt::skip]\n")
    out.write("pub static PYTHON_RUNTIME: &[(Machine, bool, u16, u16, &[&str])] = &[\n")
    for machine, debug, first, last, dlls in rows:
        out.write(f"    (Machine::{machine}, {str(debug).lower()}, {first}, {last}, {rust_str_list(dlls)}),\n")
    out.write("];\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
