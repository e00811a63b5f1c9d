"""Baseline for benches/wheelhouse.sh: inflate every module member of the given wheels with
Python's zipfile, one after another, in 1 MiB reads (the inflate itself, without holding a
member in memory). Members come from a list file of `wheel<TAB>member` lines (what
pyinit-check reported), so both sides inflate exactly the same bytes.

    python3 benches/inflate_members.py LIST [WHEEL_PREFIX...]

With prefixes, only the lines whose wheel starts with one of them are inflated.
"""

import sys
import zipfile

list_path, prefixes = sys.argv[1], tuple(sys.argv[2:])
by_wheel = {}
with open(list_path, encoding="utf-8") as lines:
    for line in lines:
        wheel, member = line.rstrip("\n").split("\t")
        if not prefixes or wheel.startswith(prefixes):
            by_wheel.setdefault(wheel, []).append(member)
total = 0
for wheel, members in by_wheel.items():
    with zipfile.ZipFile(wheel) as archive:
        for member in members:
            with archive.open(member) as stream:
                while block := stream.read(1 << 20):
                    total += len(block)
print(f"{total} bytes inflated from {sum(map(len, by_wheel.values()))} members", file=sys.stderr)
