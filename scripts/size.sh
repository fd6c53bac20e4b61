#!/usr/bin/env bash
# Where the program's bytes go: builds the program once more on the upstream BPF path with the linker
# emitting assembly (into target/sbf-asm, so target/deploy is untouched), and prints each function's size in
# bytes, largest first (8 bytes per instruction, 16 for a 64-bit immediate load), with the total of `.text`.
# Usage: scripts/size.sh [how many functions to print, default 40]. The whole list: target/size/functions.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
top="${1:-40}"
if [ ! -x /usr/bin/rustc ] || [ ! -x "$root/tools/bin/sbpf-linker" ]; then
  bash "$root/scripts/setup.sh"
fi
# Same flags as scripts/build-sbf.sh, plus --emit=asm. The linker then fails when it tries to read its own
# assembly back as an object file; the assembly it wrote is what this script reads.
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_BPFEL_UNKNOWN_NONE_LINKER="$root/tools/bin/sbpf-linker" \
  CARGO_TARGET_BPFEL_UNKNOWN_NONE_RUSTFLAGS="-C link-arg=--llvm-args=-profile-guided-section-prefix=false -C link-arg=-O3 -C link-arg=--emit=asm" \
  /usr/bin/cargo build --release --target bpfel-unknown-none -Zbuild-std=core,alloc \
  -p ballast-program --target-dir "$root/target/sbf-asm" >/dev/null 2>&1 || true
asm="$root/target/sbf-asm/bpfel-unknown-none/release/deps/libballast_program.so"
if ! head -c 200 "$asm" | grep -q 'linked_module'; then
  echo "[size] no assembly at $asm: run scripts/build-sbf.sh to see the build error" >&2
  exit 1
fi
mkdir -p "$root/target/size"
cp "$asm" "$root/target/size/program.s"
awk '
  /^\t\.type\t.*,@function$/ { fn = $2; sub(/,@function$/, "", fn); next }
  /^\t[^.]/ { bytes = ($0 ~ / ll$/) ? 16 : 8; size[fn] += bytes; total += bytes }
  END { for (f in size) printf "%7d %s\n", size[f], f; printf "%7d .text total\n", total }
' "$root/target/size/program.s" | sort -rn >"$root/target/size/functions.txt"
head -n "$((top + 1))" "$root/target/size/functions.txt"
