#!/usr/bin/env bash
# Builds the program and measures every instruction's compute units into benches/compute_units.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build-sbf.sh
# The dev profile: the numbers come from the SBF binary, so the host harness needs no optimized build.
cargo bench --profile dev -p ballast-bench --bench compute_units
cat benches/compute_units.md | head -40
