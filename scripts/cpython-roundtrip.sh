#!/usr/bin/env bash
# Runs pickfix over a copy of the installed CPython tree (stdlib + site-packages) and checks that:
# - it finishes without a crash (exit 0, 1, or 2 for unparseable files, each reported by name);
# - its --diff applies to the copy with `git apply` and every patched file parses (`ast.parse`);
# - findings are the same with and without the word pre-filter;
# - the patched tree equals what --write gives, and a second --write changes nothing.
# Usage: scripts/cpython-roundtrip.sh [path/to/pickfix]   (default: target/release/pickfix)
set -euo pipefail
pickfix=$(realpath "${1:-target/release/pickfix}")
python=${PYTHON:-python3}
stdlib=$("$python" -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
purelib=$("$python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/diff" "$work/write"
cp -a "$stdlib" "$work/diff/stdlib"
[ -d "$work/diff/stdlib/site-packages" ] || cp -a "$purelib" "$work/diff/stdlib/site-packages"
cp -a "$work/diff/stdlib" "$work/write/stdlib"
files=$(find "$work/diff/stdlib" -name '*.py' | wc -l)
echo "files: $files .py files under $stdlib (site-packages included)"

cd "$work/diff"
set +e
start=$(date +%s.%N)
"$pickfix" --diff --unsafe-fixes --no-prefilter stdlib stdlib/site-packages > ../fix.diff 2> ../diff.err
status=$?
end=$(date +%s.%N)
set -e
echo "pickfix --diff --no-prefilter: exit $status in $(echo "$end - $start" | bc) s"
[ "$status" -le 2 ] || { echo "FAIL: unexpected exit status $status"; exit 1; }
if grep -q "internal error" ../diff.err; then grep "internal error" ../diff.err; echo "FAIL: internal errors"; exit 1; fi
echo "unparseable or undecodable files reported: $(grep -c ': cannot parse:' ../diff.err || true)"
# The word pre-filter must not change what is found.
set +e
"$pickfix" stdlib stdlib/site-packages 2>/dev/null | grep -v '^Found\|^\[\*\]\|^No problems' > ../with.txt
"$pickfix" --no-prefilter stdlib stdlib/site-packages 2>/dev/null | grep -v '^Found\|^\[\*\]\|^No problems' > ../without.txt
set -e
cmp -s ../with.txt ../without.txt || { echo "FAIL: the pre-filter changes the findings"; exit 1; }
echo "findings with and without the pre-filter: identical ($(wc -l < ../with.txt) findings)"

changed=$(grep -c '^+++ b/' ../fix.diff || true)
echo "files in the diff: $changed"
if [ "$changed" -gt 0 ]; then
  git apply --unsafe-paths -p1 ../fix.diff
  grep '^+++ b/' ../fix.diff | sed 's|^+++ b/||' > ../changed.txt
  "$python" - ../changed.txt <<'PY'
import ast, sys
paths = open(sys.argv[1]).read().split()
for p in paths:
    with open(p, "rb") as f:
        ast.parse(f.read(), p)
print(f"patched files that parse with ast.parse: {len(paths)}/{len(paths)}")
PY
fi

cd "$work/write"
set +e
"$pickfix" --write --unsafe-fixes stdlib stdlib/site-packages > /dev/null 2> ../write.err
"$pickfix" --write --unsafe-fixes stdlib stdlib/site-packages > /dev/null 2> ../write2.err
set -e
grep '^Fixed [0-9]* problems* in [0-9]* files*' ../write2.err | tail -1 | sed 's/^/second --write: /'
if ! grep -q '^Fixed 0 problems in 0 files' ../write2.err; then echo "FAIL: the second run changed files"; exit 1; fi
if ! diff -r -q "$work/diff/stdlib" "$work/write/stdlib" > /dev/null; then
  echo "FAIL: --diff applied differs from --write"; exit 1
fi
echo "--diff applied == --write: yes"
echo "OK"
