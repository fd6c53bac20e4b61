#!/usr/bin/env bash
# Builds program/ into target/deploy/ballast_program.so, and the tests' swap program (tests/swap/) into
# target/deploy/ballast_test_swap.so.
# With Solana's platform tools installed this is `cargo build-sbf`; otherwise the upstream BPF path:
# Debian's rustc 1.96 (which ships std sources) for bpfel-unknown-none, linked by sbpf-linker (scripts/setup.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
deploy_dir="$root/target/deploy"
mkdir -p "$deploy_dir"

if command -v cargo-build-sbf >/dev/null 2>&1; then
  echo "[build-sbf] cargo build-sbf"
  cargo build-sbf --manifest-path program/Cargo.toml --sbf-out-dir "$deploy_dir" "$@"
  cargo build-sbf --manifest-path tests/swap/Cargo.toml --sbf-out-dir "$deploy_dir" "$@"
else
  if [ ! -x /usr/bin/rustc ] || [ ! -x "$root/tools/bin/sbpf-linker" ]; then
    echo "[build-sbf] toolchain missing: running scripts/setup.sh"
    bash "$root/scripts/setup.sh"
  fi
  echo "[build-sbf] upstream BPF: /usr/bin/cargo --target bpfel-unknown-none, sbpf-linker"
  # /usr/bin/rustc, not the rustup proxy: the proxy follows rust-toolchain.toml, whose toolchain has no std
  # sources for -Zbuild-std. Its own target dir keeps the two compilers' artifacts apart.
  # -profile-guided-section-prefix=false keeps `#[cold]` functions (the panic path) in `.text`: sbpf-linker
  # resolves a call into a `.text.unlikely.*` section as if the call sat at offset 0, so `panic_fmt` called
  # itself instead of the panic handler (and at -Os/-Oz the call left the program: the loader refused it).
  # -C link-arg=-O3: the program crate is built at opt-level "z" (Cargo.toml), and rustc would hand -Oz to
  # the linker, whose LTO at that level leaves `sret` on functions returning more than 8 bytes, which the
  # BPF backend refuses ("aggregate returns are not supported"). The later -O3 wins; code compiled at "z"
  # keeps its size attributes.
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_BPFEL_UNKNOWN_NONE_LINKER="$root/tools/bin/sbpf-linker" \
    CARGO_TARGET_BPFEL_UNKNOWN_NONE_RUSTFLAGS="-C link-arg=--llvm-args=-profile-guided-section-prefix=false -C link-arg=-O3" \
    /usr/bin/cargo build --release --target bpfel-unknown-none -Zbuild-std=core,alloc \
    -p ballast-program --target-dir "$root/target/sbf" "$@"
  cp "$root/target/sbf/bpfel-unknown-none/release/libballast_program.so" "$deploy_dir/ballast_program.so"
  # The tests' swap program: a second build, so the program's build above stays exactly as it is.
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_BPFEL_UNKNOWN_NONE_LINKER="$root/tools/bin/sbpf-linker" \
    /usr/bin/cargo build --release --target bpfel-unknown-none -Zbuild-std=core,alloc \
    -p ballast-test-swap --target-dir "$root/target/sbf" "$@"
  cp "$root/target/sbf/bpfel-unknown-none/release/libballast_test_swap.so" "$deploy_dir/ballast_test_swap.so"
fi

size=$(stat -c %s "$deploy_dir/ballast_program.so")
echo "[build-sbf] target/deploy/ballast_program.so: $size bytes ($(( (size + 1023) / 1024 )) KiB)"
echo "[build-sbf] target/deploy/ballast_test_swap.so: $(stat -c %s "$deploy_dir/ballast_test_swap.so") bytes"
