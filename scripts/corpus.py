#!/usr/bin/env python3
"""Round trip of pickfix over real code, on a copy: checks the invariants users rely on and prints totals.

For every file of the corpus:
- no panic and no internal error;
- every file pickfix rewrote parses with this interpreter's `ast.parse`;
- a second `--write` changes nothing;
- a file with no finding is byte-identical;
- the findings are the same with and without the word pre-filter.

Usage: scripts/corpus.py --pickfix target/release/pickfix [--swap PACKAGE] DIR [DIR ...]
Exit status 0 when every invariant holds, 1 otherwise.
"""
import argparse
import ast
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>PF\d{3}) (?P<fix>\[\*\] )?")


def run(pickfix, args, cwd):
    started = time.monotonic()
    proc = subprocess.run([pickfix, *args], cwd=cwd, capture_output=True, text=True, errors="replace")
    return proc, time.monotonic() - started


def findings(stdout):
    out = []
    for line in stdout.splitlines():
        m = FINDING.match(line)
        if m:
            out.append((m["path"], int(m["line"]), int(m["col"]), m["code"], bool(m["fix"])))
    return out


def snapshot(root):
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not name.endswith(".py"):
                continue
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pickfix", required=True)
    parser.add_argument("--swap", choices=["multiprocess", "pathos"], help="run every pickfix with --swap")
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    pickfix = os.path.abspath(args.pickfix)
    swap = ["--swap", args.swap] if args.swap else []
    problems = []

    with tempfile.TemporaryDirectory(prefix="pickfix-corpus-") as work:
        names = []
        for index, src in enumerate(args.dirs):
            name = f"{index}-{os.path.basename(os.path.normpath(src))}"
            # site-packages is passed as a corpus of its own; bytecode is not source.
            ignore = shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc")
            shutil.copytree(src, os.path.join(work, name), symlinks=True, ignore_dangling_symlinks=True, ignore=ignore)
            names.append(name)
        before = snapshot(work)

        report, t_report = run(pickfix, ["--output-format", "concise", "--unsafe-fixes", *swap, *names], work)
        everything, _ = run(pickfix, ["--output-format", "concise", "--unsafe-fixes", "--no-prefilter", *swap, *names], work)
        found = findings(report.stdout)
        if found != findings(everything.stdout):
            problems.append("the findings differ with and without the word pre-filter")
        for proc in (report, everything):
            for line in proc.stderr.splitlines():
                if "internal error" in line or "panicked" in line:
                    problems.append(line)
        unparseable = [l for l in everything.stderr.splitlines() if ": cannot parse:" in l]

        write, t_write = run(pickfix, ["--write", "--unsafe-fixes", *swap, *names], work)
        if write.returncode not in (0, 1, 2):
            problems.append(f"--write exited with {write.returncode}: {write.stderr[-2000:]}")
        after = snapshot(work)
        with_fix = {os.path.normpath(p) for p, _, _, _, fix in found if fix}
        with_finding = {os.path.normpath(p) for p, *_ in found}
        changed = sorted(p for p in before if before[p] != after.get(p))
        for path in changed:
            if path not in with_fix:
                problems.append(f"{path} changed without a fixable finding")
            try:
                ast.parse(after[path], path)
            except SyntaxError as err:
                problems.append(f"{path}: the rewritten file does not parse: {err}")
        for path in before:
            if path not in with_finding and before[path] != after.get(path):
                problems.append(f"{path} has no finding but changed")

        second, _ = run(pickfix, ["--write", "--unsafe-fixes", *swap, *names], work)
        again = snapshot(work)
        not_idempotent = sorted(p for p in after if after[p] != again.get(p))
        problems.extend(f"{p}: a second --write changed it" for p in not_idempotent)

        per_rule = collections.Counter(code for *_, code, _ in found)
        refused = sum(1 for *_, fix in found if not fix)
        fixed = re.search(r"Fixed (\d+) problems? in (\d+) files?", write.stderr)
        print(f"corpus: {', '.join(args.dirs)}")
        print(f"files: {len(before)} .py files; report in {t_report:.2f} s, --write in {t_write:.2f} s")
        print(f"findings: {len(found)} ({', '.join(f'{c} {n}' for c, n in sorted(per_rule.items())) or 'none'})")
        print(f"fixed: {fixed.group(1) if fixed else 0} problems in {len(changed)} files; refused (no fix): {refused}")
        print(f"errors: {len(unparseable)} files cannot be decoded or parsed (reported by name, left unchanged)")
        print(f"panics or internal errors: {sum('internal error' in p or 'panicked' in p for p in problems)}; "
              f"unparseable outputs: {sum('does not parse' in p for p in problems)}; "
              f"non-idempotent files: {len(not_idempotent)}; "
              f"changed files without a finding: {sum('without a fixable finding' in p or 'has no finding' in p for p in problems)}")
    if problems:
        print("\nPROBLEMS:")
        print("\n".join(problems[:50]))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
