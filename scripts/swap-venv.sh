#!/usr/bin/env bash
# Makes the virtualenv the `--swap` fixtures run in: python3 with multiprocess and pathos from PyPI, the
# packages of the other process-pool APIs the fixtures import (pebble, tqdm, joblib, loky, dask), and
# the ruff that tests/isort.rs runs, pinned in tests/swap-requirements.txt. Prints the venv's python. Idempotent.
# Usage: scripts/swap-venv.sh [DIR]   (default: target/swap-venv)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${1:-$root/target/swap-venv}"
requirements="$root/tests/swap-requirements.txt"
stamp="$venv/.requirements"
if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
  echo "$venv/bin/python"
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
"$venv/bin/python" -c "import multiprocess, pathos.multiprocessing, pebble, tqdm.contrib.concurrent, joblib, loky, dask.bag" >&2
"$venv/bin/ruff" --version >&2
cp "$requirements" "$stamp"
echo "$venv/bin/python"
