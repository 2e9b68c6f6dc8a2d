#!/usr/bin/env bash
# The full corpus round trip: the installed CPython tree (stdlib and site-packages) and the sources of
# pinned PyPI packages that use multiprocessing heavily, downloaded as sdists into a cache (never
# committed). Prints the totals of scripts/corpus.py; exits non-zero if an invariant breaks.
# Usage: [PICKFIX_SWAP=multiprocess|pathos] scripts/corpus-full.sh [path/to/pickfix]   (default: target/release/pickfix)
set -euo pipefail
cd "$(dirname "$0")/.."
pickfix=${1:-target/release/pickfix}
python=${PYTHON:-python3}
cache=${PICKFIX_CORPUS_CACHE:-$HOME/.cache/pickfix-corpus}
packages=(billiard==4.3.2 joblib==1.6.0 loky==3.7.0 mpire==2.10.2 multiprocess==0.70.19 pebble==5.2.3)

mkdir -p "$cache/sdists" "$cache/src"
for spec in "${packages[@]}"; do
  name=${spec%%==*}
  version=${spec##*==}
  if [ ! -d "$cache/src/$name-$version" ]; then
    "$python" -m pip download -q --no-deps --no-binary :all: -d "$cache/sdists" "$spec"
    archive=$(ls "$cache/sdists/$name-$version".* 2>/dev/null || ls "$cache/sdists"/*"$version".tar.gz | grep -i "$name" | head -n 1)
    tar -xf "$archive" -C "$cache/src"
  fi
done
stdlib=$("$python" -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
purelib=$("$python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
sources=()
for spec in "${packages[@]}"; do
  sources+=("$cache/src/$(ls "$cache/src" | grep -i "^${spec%%==*}-${spec##*==}$" | head -n 1)")
done
"$python" scripts/corpus.py --pickfix "$pickfix" ${PICKFIX_SWAP:+--swap "$PICKFIX_SWAP"} "$stdlib" "$purelib" "${sources[@]}"
