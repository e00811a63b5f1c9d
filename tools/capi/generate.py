#!/usr/bin/env python3
"""Generate src/capi/table.rs: which CPython exports which C-API symbol.

Two sources, each named in the generated file's header:

* Real interpreters: the dynamic symbol table of each `libpython3.X.so.1.0` found under
  `--pyenv` (default `~/.pyenv/versions`), read with `nm -D --defined-only`. Every defined
  dynamic symbol named `Py*` or `_Py*` counts as exported by that version. These columns
  are exact for the GIL build of that version on Linux.
* The stable ABI manifest (CPython's `Misc/stable_abi.toml`): the version each stable-ABI
  function or data symbol was added in, whether it is ABI-only, and whether it exists only
  under a feature macro (`MS_WINDOWS`, ...). Pass the file with `--stable-abi-toml`; without
  it the same records are read from the `abi3info` package (PyPI), which is generated from
  that file.

* Free-threaded builds: no free-threaded library is installed here, so the only facts
  taken for them are declarations a release's headers make only for free-threaded builds
  (`PyAPI_FUNC`/`PyAPI_DATA` inside `#if defined(Py_GIL_DISABLED)` blocks, `internal/`
  excluded), read from `--ft-headers` (default: the installed 3.13 headers). Such a
  symbol is marked free-threaded-only from that release; nothing else is claimed for
  free-threaded builds.

Where both speak of the same symbol and version, the library wins: the stable-ABI column
is only used for versions no library was read for. Disagreements are printed and counted
in the header.

Usage: python3 tools/capi/generate.py [--pyenv DIR] [--stable-abi-toml FILE] > src/capi/table.rs
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The versions whose column comes from a real library, in bit order (bit 0 = first).
LIBRARY_MINORS = [8, 9, 10, 11, 12, 13]
CPYTHON_NAME = re.compile(r"^_?Py")

# Flags, mirrored by the constants in src/capi/mod.rs.
FLAG_ABI_ONLY = 1
FLAG_WINDOWS_ONLY = 2
FLAG_OTHER_IFDEF = 4
FLAG_DATA = 8
FLAG_FROM_LIBRARY = 16
FLAG_FREE_THREADED_ONLY = 32
FREE_THREADED_HEADERS_MINOR = 13


@dataclass
class Stable:
    added: int  # minor version
    abi_only: bool
    ifdef: str | None
    data: bool


def library_exports(pyenv: Path) -> dict[int, tuple[str, set[str]]]:
    found: dict[int, tuple[str, set[str]]] = {}
    for version_dir in sorted(pyenv.iterdir()):
        match = re.fullmatch(r"3\.(\d+)\.(\d+)", version_dir.name)
        if not match or int(match.group(1)) not in LIBRARY_MINORS:
            continue
        minor = int(match.group(1))
        lib = version_dir / "lib" / f"libpython3.{minor}.so.1.0"
        if not lib.exists():
            continue
        out = subprocess.run(
            ["nm", "-D", "--defined-only", str(lib)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        names = set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and CPYTHON_NAME.match(parts[2]):
                names.add(parts[2].split("@")[0])
        found[minor] = (f"CPython {version_dir.name} {lib.name}", names)
    return found


def stable_from_toml(path: Path) -> tuple[str, dict[str, Stable]]:
    import tomllib

    with open(path, "rb") as f:
        doc = tomllib.load(f)
    table: dict[str, Stable] = {}
    for kind in ("function", "data"):
        for name, item in doc.get(kind, {}).items():
            table[name] = Stable(
                added=int(str(item["added"]).split(".")[1]),
                abi_only=bool(item.get("abi_only", False)),
                ifdef=item.get("ifdef"),
                data=kind == "data",
            )
    return f"Misc/stable_abi.toml ({path})", table


def stable_from_abi3info() -> tuple[str, dict[str, Stable]]:
    import abi3info
    from importlib.metadata import version

    table: dict[str, Stable] = {}
    for items, data in ((abi3info.FUNCTIONS, False), (abi3info.DATAS, True)):
        for symbol, item in items.items():
            table[symbol.name] = Stable(
                added=item.added.minor,
                abi_only=item.abi_only,
                ifdef=item.ifdef.name if item.ifdef else None,
                data=data,
            )
    return f"abi3info {version('abi3info')} (PyPI; generated from Misc/stable_abi.toml)", table


def gil_condition(cond: str) -> str | None:
    """'ft' if a preprocessor condition holds only on free-threaded builds, 'gil' if only on
    GIL builds, None if it says nothing certain (disjunctions, other macros alone)."""
    c = cond.replace(" ", "")
    if "||" in c or "Py_GIL_DISABLED" not in c:
        return None
    for term in c.split("&&"):
        if re.fullmatch(r"\(*defined\(?Py_GIL_DISABLED\)?\)*|\(*Py_GIL_DISABLED\)*", term):
            return "ft"
        if re.fullmatch(r"\(*!\(*defined\(?Py_GIL_DISABLED\)?\)*|\(*!Py_GIL_DISABLED\)*", term):
            return "gil"
    return None


DECLARATION = re.compile(r"PyAPI_(?:FUNC|DATA)\s*\([^)]*\)\s*\(?\s*\*?\s*([A-Za-z_][A-Za-z0-9_]*)")


def free_threaded_only(include: Path) -> set[str]:
    """Names declared only when Py_GIL_DISABLED is defined (public headers only)."""
    names = set()
    for header in sorted(include.rglob("*.h")):
        if "internal" in header.relative_to(include).parts:
            continue
        stack: list[str | None] = []
        text = re.sub(r"\\\n", " ", header.read_text(errors="replace"))
        for line in text.splitlines():
            directive = re.match(r"\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)", line)
            if directive:
                keyword = directive.group(1)
                rest = directive.group(2).split("//")[0].split("/*")[0].strip()
                if keyword == "ifdef":
                    stack.append(gil_condition(f"defined({rest})"))
                elif keyword == "ifndef":
                    stack.append(gil_condition(f"!defined({rest})"))
                elif keyword == "if":
                    stack.append(gil_condition(rest))
                elif keyword == "elif" and stack:
                    stack[-1] = None
                elif keyword == "else" and stack:
                    stack[-1] = {"ft": "gil", "gil": "ft"}.get(stack[-1] or "")
                elif keyword == "endif" and stack:
                    stack.pop()
                continue
            found = DECLARATION.search(line)
            if found and "ft" in stack and "gil" not in stack:
                names.add(found.group(1))
    return names


def flags_of(stable: Stable | None, in_library: bool) -> int:
    flags = FLAG_FROM_LIBRARY if in_library else 0
    if stable:
        flags |= FLAG_ABI_ONLY if stable.abi_only else 0
        flags |= FLAG_DATA if stable.data else 0
        if stable.ifdef == "MS_WINDOWS":
            flags |= FLAG_WINDOWS_ONLY
        elif stable.ifdef:
            flags |= FLAG_OTHER_IFDEF
    return flags


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pyenv", type=Path, default=Path.home() / ".pyenv" / "versions")
    parser.add_argument("--stable-abi-toml", type=Path)
    parser.add_argument("--ft-headers", type=Path)
    args = parser.parse_args()

    libraries = library_exports(args.pyenv)
    missing = [m for m in LIBRARY_MINORS if m not in libraries]
    if missing:
        print(f"no libpython for 3.{missing}: install them first", file=sys.stderr)
        return 1
    if args.stable_abi_toml:
        stable_source, stable = stable_from_toml(args.stable_abi_toml)
    else:
        stable_source, stable = stable_from_abi3info()

    ft_headers = args.ft_headers or (
        args.pyenv / libraries[FREE_THREADED_HEADERS_MINOR][0].split()[1]
        / "include" / f"python3.{FREE_THREADED_HEADERS_MINOR}"
    )
    ft_only = free_threaded_only(ft_headers)
    for name in sorted(ft_only):
        if any(name in exported for _, exported in libraries.values()):
            print(f"free-threaded-only by its headers, yet a GIL library exports it: {name}", file=sys.stderr)

    # Cross-check: a stable-ABI symbol (present on Linux) must be in every library from
    # the version that added it. The library wins; each disagreement is reported.
    disagreements = []
    for name, item in sorted(stable.items()):
        if item.ifdef in ("MS_WINDOWS", "USE_STACKCHECK", "Py_REF_DEBUG", "Py_TRACE_REFS"):
            continue
        for minor in LIBRARY_MINORS:
            if minor >= item.added and name not in libraries[minor][1]:
                disagreements.append(f"{name}: stable since 3.{item.added}, absent from 3.{minor}")
    for line in disagreements:
        print(f"disagreement (library wins): {line}", file=sys.stderr)

    names = set(stable) | ft_only
    for _, exported in libraries.values():
        names |= exported
    rows = []
    for name in sorted(names, key=lambda n: n.encode()):
        bits = 0
        for bit, minor in enumerate(LIBRARY_MINORS):
            if name in libraries[minor][1]:
                bits |= 1 << bit
        item = stable.get(name)
        flags = flags_of(item, bits != 0)
        if name in ft_only and bits == 0:
            flags |= FLAG_FREE_THREADED_ONLY
        rows.append((name, bits, item.added if item else 0, flags))

    out = sys.stdout
    out.write("// @generated by tools/capi/generate.py; do not edit by hand.\n")
    out.write("//\n// Sources:\n")
    for minor in LIBRARY_MINORS:
        out.write(f"// - exports column 3.{minor}: {libraries[minor][0]} (nm -D --defined-only)\n")
    out.write(f"// - stable ABI columns: {stable_source}\n")
    out.write(
        f"// - free-threaded-only rows (from 3.{FREE_THREADED_HEADERS_MINOR}t): declarations under"
        f" `#if defined(Py_GIL_DISABLED)` in the CPython {libraries[FREE_THREADED_HEADERS_MINOR][0].split()[1]}"
        f" public headers: {', '.join(sorted(ft_only))}\n"
    )
    out.write(
        f"// Rows: {len(rows)}; from a library: {sum(1 for r in rows if r[3] & FLAG_FROM_LIBRARY)};"
        f" from the stable ABI manifest only: {sum(1 for r in rows if not r[3] & FLAG_FROM_LIBRARY and r[2])};"
        f" from free-threaded headers only: {sum(1 for r in rows if r[3] & FLAG_FREE_THREADED_ONLY and not r[2])}.\n"
    )
    out.write(f"// Stable-ABI records a library contradicts (the library wins): {len(disagreements)}.\n\n")
    out.write("use super::Row;\n\n")
    out.write("/// The versions of the `exported` bit columns, bit 0 first.\n")
    out.write(f"pub const LIBRARY_MINORS: [u16; {len(LIBRARY_MINORS)}] = {LIBRARY_MINORS};\n\n")
    # Names live in one string and rows point into it by offset: no pointer per row, so the
    # table needs no relocation when the binary loads.
    blob = "".join(name for name, *_ in rows)
    assert all(len(name) < 256 for name, *_ in rows), "a name too long for Row's u8 length"
    assert blob.isascii()
    out.write("/// Every name, in row order, back to back.\n")
    out.write("pub const NAMES: &str = concat!(\n")
    for at in range(0, len(blob), 88):
        out.write(f'    "{blob[at:at + 88]}",\n')
    out.write(");\n\n")
    out.write("/// Sorted by name (bytewise): name offset and length in `NAMES`, exported bits,\n")
    out.write("/// stable-ABI minor (0: none), flags.\n")
    out.write("#[rustfmt::skip]\n")
    out.write(f"pub static ROWS: [Row; {len(rows)}] = [\n")
    at = 0
    for name, bits, added, flags in rows:
        out.write(f"    Row::new({at}, {len(name)}, 0b{bits:06b}, {added}, {flags}), // {name}\n")
        at += len(name)
    out.write("];\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
