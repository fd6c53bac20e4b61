#!/usr/bin/env bash
# Builds the program and measures every instruction's compute units into benches/compute_units.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build-sbf.sh
cargo bench -p ballast-bench --bench compute_units
cat benches/compute_units.md | head -40
