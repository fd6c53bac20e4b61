#!/usr/bin/env bash
# Links math/bpf-probe (an entrypoint calling every public function of ballast-math) for the upstream BPF
# target, the way scripts/build-sbf.sh builds the program. The upstream backend has no 128-bit multiply or
# divide and at most five register arguments, and reports either only when a cdylib is linked; this check
# catches both in the math crate before the program build meets them.
# Solana's platform tools lower 128-bit arithmetic themselves, so with `cargo build-sbf` there is nothing to check.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if command -v cargo-build-sbf >/dev/null 2>&1; then
  echo "[check-math-bpf] cargo build-sbf available: the upstream BPF limits do not apply, skipping"
  exit 0
fi
if [ ! -x /usr/bin/rustc ] || [ ! -x "$root/tools/bin/sbpf-linker" ]; then
  echo "[check-math-bpf] toolchain missing: running scripts/setup.sh"
  bash "$root/scripts/setup.sh"
fi

echo "[check-math-bpf] linking math/bpf-probe for bpfel-unknown-none"
# Same compiler, flags and linker as scripts/build-sbf.sh; its own target dir and lock file.
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_BPFEL_UNKNOWN_NONE_LINKER="$root/tools/bin/sbpf-linker" \
  /usr/bin/cargo build --release --target bpfel-unknown-none -Zbuild-std=core,alloc \
  --manifest-path "$root/math/bpf-probe/Cargo.toml" --locked \
  --target-dir "$root/target/math-bpf-probe" "$@"

so="$root/target/math-bpf-probe/bpfel-unknown-none/release/libballast_math_bpf_probe.so"
if [ ! -s "$so" ]; then
  echo "[check-math-bpf] FAILED: $so was not produced" >&2
  exit 1
fi
echo "[check-math-bpf] ok: $(basename "$so") linked ($(stat -c %s "$so") bytes)"
