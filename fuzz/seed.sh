#!/usr/bin/env bash
# Seeds every fuzz target's corpus from what the tests use: the binary fixtures, wheels built
# from them, the real PyPI wheels tests/e2e/pypi_wheels.sh downloads (and their modules) when
# they are in its cache, the cargo fixtures' manifests and a real `cargo build` message stream.
set -euo pipefail
cd "$(dirname "$0")"
root=..
corpus=corpus
mkdir -p "$corpus"/{binary,file_name,wheel,cargo_messages,manifests}
for f in "$root"/tests/fixtures/{elf,macho,pe}/* "$root"/tests/fixtures/example/site-packages/*/*; do
  [ -f "$f" ] && case "$f" in *.md|*.c) ;; *) cp "$f" "$corpus/binary/$(sha256sum "$f" | cut -c1-16)" ;; esac
done
for f in "$root"/tests/fixtures/{elf,macho,pe}/* "$root"/tests/fixtures/example/site-packages/*/*; do
  printf '%s' "$(basename "$f")" >"$corpus/file_name/$(basename "$f" | sha256sum | cut -c1-16)"
done
for name in foo.cpython-312-x86_64-linux-gnu.so foo.abi3.so foo.abi3t.so foo.cp313t-win_arm64.pyd \
  libfoo.so libfoo.dylib foo.dll libfoo.so.5 foo.pypy310-pp73-x86_64-linux-gnu.so lančmít.so; do
  printf '%s' "$name" >"$corpus/file_name/$(printf '%s' "$name" | sha256sum | cut -c1-16)"
done
cache="${PYPI_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyinit-check-wheels}"
if [ -d "$cache" ]; then
  for whl in "$cache"/*.whl; do
    [ -f "$whl" ] || continue
    # Wheels above 4 MiB are past what libFuzzer mutates usefully; their modules still seed.
    [ "$(stat -c %s "$whl")" -le $((4 << 20)) ] && cp "$whl" "$corpus/wheel/"
    python3 - "$whl" "$corpus/binary" <<'PY'
import hashlib, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        name = info.filename
        if (name.endswith((".so", ".pyd")) and info.file_size <= 4 << 20):
            data = z.read(info)
            open(f"{sys.argv[2]}/{hashlib.sha256(data).hexdigest()[:16]}", "wb").write(data)
PY
  done
fi
python3 - "$root/tests/fixtures/pe/good_x64.pyd" "$root/tests/fixtures/elf/gnuhash.so" "$corpus/wheel" <<'PY'
import sys, zipfile
pyd, so, out = sys.argv[1:4]
with zipfile.ZipFile(f"{out}/seed-1.0-cp312-cp312-any.whl", "w", zipfile.ZIP_DEFLATED) as z:
    z.write(pyd, "pkg/good_x64.pyd")
    z.write(so, "pkg-1.0.data/platlib/pkg/gnuhash.cpython-312-x86_64-linux-gnu.so")
    z.writestr("pkg.libs/libx-1a2b.so", b"\x7fELF")
    z.writestr("pkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
PY
find "$root"/tests/fixtures/cargo -name 'Cargo.toml' -o -name 'pyproject.toml' | while read -r f; do
  cp "$f" "$corpus/manifests/$(sha256sum "$f" | cut -c1-16)"
done
(cd "$root"/tests/fixtures/cargo/tiny_cdylib && cargo build --quiet --message-format=json --target-dir "$(mktemp -d)" 2>/dev/null) \
  >"$corpus/cargo_messages/tiny" || true
cp "$root"/tests/fixtures/cargo/messages/*.jsonl "$corpus/cargo_messages/"
printf '%s\n' '{"reason":"compiler-artifact","package_id":"path+file:///x#a@0.1.0","manifest_path":"/x/Cargo.toml","target":{"kind":["cdylib"],"crate_types":["cdylib"],"name":"a","src_path":"/x/src/lib.rs"},"filenames":["/x/target/debug/liba.so"]}' \
  >"$corpus/cargo_messages/one"
for d in "$corpus"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"; done
