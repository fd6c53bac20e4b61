#!/usr/bin/env bash
# The test command: installs what is missing, builds the SBF binary the tests run, then format, lints, tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export RUST_LOG="${RUST_LOG:-error}"

bash scripts/setup.sh
bash scripts/build-sbf.sh
bash scripts/check-math-bpf.sh
echo "[test] cargo fmt --check"
cargo fmt --all -- --check
echo "[test] cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "[test] cargo test"
cargo test --workspace --locked
