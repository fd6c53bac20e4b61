#!/usr/bin/env bash
# Installs what building and testing Ballast needs on a fresh Debian 12 machine, skipping what is present:
#   - Debian's rustc-web, cargo-web, rust-web-src: rustc 1.96 with std sources and LLVM 22, used to build the
#     program for the upstream `bpfel-unknown-none` target when Solana's platform tools are absent;
#   - sbpf-linker 0.1.9 (built from crates.io against the system LLVM 22) into ./tools/bin.
# The host toolchain (rustup, pinned by rust-toolchain.toml) is expected to be installed already.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$root/tools"
sbpf_linker_version="0.1.9"

say() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if command -v cargo-build-sbf >/dev/null 2>&1; then
  say "cargo build-sbf found: Solana's platform tools will build the program; nothing else to install"
  exit 0
fi

if [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/src/rust/library ] \
  && [ -d /usr/lib/llvm-22/lib ]; then
  say "Debian rustc-web toolchain present: $(/usr/bin/rustc --version)"
else
  say "installing Debian's rustc-web, cargo-web, rust-web-src (rustc 1.96, LLVM 22, std sources)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q rustc-web cargo-web rust-web-src
fi

linker="$tools_dir/bin/sbpf-linker"
if [ -x "$linker" ] && "$linker" --version 2>/dev/null | grep -q "$sbpf_linker_version"; then
  say "sbpf-linker $sbpf_linker_version present in $tools_dir/bin"
else
  say "building sbpf-linker $sbpf_linker_version against LLVM 22 into $tools_dir/bin (about a minute)"
  # The rustup toolchain builds the linker; only the linked LLVM comes from Debian.
  LLVM_SYS_221_PREFIX=/usr/lib/llvm-22 RUSTFLAGS="-L /usr/lib/llvm-22/lib" \
    cargo install "sbpf-linker@$sbpf_linker_version" --locked --no-default-features \
    --features upstream-gallery-22 --root "$tools_dir" --quiet \
    || LLVM_SYS_221_PREFIX=/usr/lib/llvm-22 RUSTFLAGS="-L /usr/lib/llvm-22/lib" \
      cargo install "sbpf-linker@$sbpf_linker_version" --no-default-features \
      --features upstream-gallery-22 --root "$tools_dir" --quiet
fi
say "ready"
