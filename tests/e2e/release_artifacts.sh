#!/usr/bin/env bash
# The release as users get it: cargo-dist's workflow is current, the x86_64 musl archive dist
# builds holds a static binary that works, and the aarch64 musl build links with ld.lld and
# passes its tests under qemu. Ends with "N passed, M failed".
#
# "Static" is asserted as: no PT_INTERP (nothing for the kernel to hand the binary to) and no
# DT_NEEDED (no shared library to find). Rust's musl targets produce static-pie binaries,
# which keep a PT_DYNAMIC for their own relocation; that is what makes ASLR work.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

is_static() { # is_static BINARY
  ! readelf -lW "$1" | grep -q 'INTERP' && ! readelf -dW "$1" | grep -q '(NEEDED)'
}

exercise() { # exercise LABEL RUNNER... BINARY : the exit-code contract on fixtures
  local label=$1; shift
  local code
  set +e
  "$@" -q tests/fixtures/elf/gnuhash.so tests/fixtures/macho/universal2.so tests/fixtures/pe/good_x64.pyd >/dev/null; code=$?
  [ "$code" = 0 ] || { set -e; bad "$label: good fixtures exit $code"; return; }
  "$@" -q tests/fixtures/elf/foo.so >/dev/null; code=$?
  [ "$code" = 1 ] || { set -e; bad "$label: bad fixture exit $code"; return; }
  "$@" /dev/null/missing.so 2>/dev/null; code=$?
  [ "$code" = 2 ] || { set -e; bad "$label: missing file exit $code"; return; }
  set -e
  ok "$label: exit codes 0/1/2 on real fixtures"
}

# 1. The generated release workflow matches dist-workspace.toml.
if dist plan >/dev/null 2>&1; then ok "dist plan: release.yml is current"; else bad "dist plan failed (regenerate with: dist generate)"; fi

# 2. The real x86_64 release archive.
dist build --artifacts=local --target x86_64-unknown-linux-musl >/dev/null
archive=target/distrib/pyinit-check-x86_64-unknown-linux-musl.tar.xz
if (cd target/distrib && sha256sum -c "$(basename "$archive").sha256" >/dev/null); then
  ok "archive checksum matches its .sha256"
else
  bad "archive checksum mismatch"
fi
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
tar -xJf "$archive" -C "$unpacked"
binary="$unpacked/pyinit-check-x86_64-unknown-linux-musl/pyinit-check"
if [ -x "$binary" ] && is_static "$binary"; then ok "x86_64 musl binary is static (no PT_INTERP, no DT_NEEDED)"; else bad "x86_64 musl binary is not static"; readelf -lW "$binary" | head -20; fi
exercise "x86_64 musl release binary" "$binary"

# 3. aarch64 musl, linked with ld.lld, run under qemu.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=ld.lld
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUNNER=qemu-aarch64-static
cargo build --release --locked --quiet --target aarch64-unknown-linux-musl
arm=target/aarch64-unknown-linux-musl/release/pyinit-check
if is_static "$arm" && readelf -hW "$arm" | grep -q 'AArch64'; then ok "aarch64 musl binary is static"; else bad "aarch64 musl binary is not static"; fi
exercise "aarch64 musl binary under qemu" qemu-aarch64-static "$arm"
if cargo test --release --locked --quiet --target aarch64-unknown-linux-musl --lib >/dev/null 2>&1; then
  ok "aarch64 unit tests pass under qemu"
else
  bad "aarch64 unit tests under qemu"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
