#!/usr/bin/env bash
# Times pickfix and ruff side by side, interleaved, on the same files in the same run, and prints the
# median of each and the ratios. Default tree: the installed CPython stdlib + site-packages.
# Usage: scripts/bench.sh [runs] [path ...]      (needs `ruff` on PATH: pip install ruff)
set -euo pipefail
runs=${1:-7}
shift || true
pickfix=$(realpath "${PICKFIX:-target/release/pickfix}")
if [ "$#" -eq 0 ]; then
  stdlib=$(python3 -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
  purelib=$(python3 -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
  set -- "$stdlib" "$purelib"
fi
command -v ruff > /dev/null || { echo "ruff is not installed (pip install ruff)"; exit 1; }
files=$(find "$@" -name '*.py' | sort -u | wc -l)
echo "tree: $* ($files .py files); $runs runs each, interleaved; $(nproc) cores; $(ruff --version)"

time_it() { # prints wall seconds of one run of "$@"
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1 || true
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# ruff's default excludes skip site-packages; this config lints every .py file like pickfix does.
ruff_cmd=(ruff check --no-cache --isolated --config 'exclude=["*.pyi"]' --select PLW0108 "$@")
pf_cmd=("$pickfix" "$@")
pf_all_cmd=("$pickfix" --no-prefilter "$@")
# Warm the page cache once.
"${ruff_cmd[@]}" > /dev/null 2>&1 || true
"${pf_cmd[@]}" > /dev/null 2>&1 || true

: > /tmp/bench.ruff; : > /tmp/bench.pf; : > /tmp/bench.pfall
for _ in $(seq "$runs"); do
  time_it "${ruff_cmd[@]}" >> /tmp/bench.ruff
  time_it "${pf_cmd[@]}" >> /tmp/bench.pf
  time_it "${pf_all_cmd[@]}" >> /tmp/bench.pfall
done
r=$(median < /tmp/bench.ruff); p=$(median < /tmp/bench.pf); a=$(median < /tmp/bench.pfall)
printf '%-48s %8s s\n' "ruff check --select PLW0108 (median)" "$r"
printf '%-48s %8s s   %sx faster than ruff\n' "pickfix (default: word pre-filter)" "$p" "$(echo "scale=1; $r / $p" | bc)"
printf '%-48s %8s s   %sx faster than ruff\n' "pickfix --no-prefilter (parses every file)" "$a" "$(echo "scale=2; $r / $a" | bc)"
