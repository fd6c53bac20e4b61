#!/usr/bin/env bash
# The main job: installs what is missing, builds the program, then runs the whale scenario twice on the same
# seeded path (with the risk ladder, and with plain liquidation only) on an embedded LiteSVM with the built
# program, prints the comparison and writes its plots under target/sim.
#   bash scripts/demo.sh                      # whale, seed 7
#   bash scripts/demo.sh crash --seed 3       # any `ballast-keeper simulate` arguments
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
bash scripts/build-sbf.sh
if [ "$#" -eq 0 ]; then
  set -- whale --seed 7
fi
cargo run --release --locked -p ballast-keeper -- simulate "$@" --out target/sim
