#!/usr/bin/env bash
# Rebuilds every committed table of the example packs — NPK references, counts tables, crosswalks and
# audit.toml, and the USA crosswalks — from the upstream files in ../shared/data and checks they
# reproduce byte for byte. Skipped (exit 77) without them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared/data"
if [[ ! -d $shared ]]; then
  echo "SKIPPED: $shared is absent; rebuilding the example packs' tables needs the upstream files"
  exit 77
fi
python=/usr/bin/python3
[[ -x $python ]] || python=python3
"$python" "$root/examples/npk/build/build_tables.py" --shared "$shared" --check
"$python" "$root/examples/npk/build/build_crosswalks.py" --shared "$shared" --check
"$python" "$root/examples/usa/build/build_crosswalks.py" --shared "$shared" --check
