#!/usr/bin/env python3
"""Score pickfix on real public code against our own judgements.

The code itself is never kept in this repository: each corpus is a folder of files gathered from public
repositories (the manifest in tests/realcode/ says which repository, path and commit each came from),
kept outside the project. The judgements are ours, in tests/realcode/<corpus>.labels.tsv: one row per
finding (true or false) with the verdict on its fix (right, wrong, or none when no fix is offered), and
how it was judged (run: original under fork against the fixed program under spawn; read: by reading).
<corpus>.missed.tsv lists places that should have been reported.

Notebooks (`.ipynb`) are scored the same way; their places are written `CELL:LINE` in the `line` column
(`3:5`: cell 3, line 5 within it, as pickfix reports `nb.ipynb:cell 3:5:1`). After --write, a changed
notebook must still be valid JSON, and every module pickfix wrote beside it must compile.

A corpus may also have a recall set, <corpus>.recall.tsv: call sites gathered independently of what
pickfix finds (a lambda, local function or unpicklable object that really reaches a process pool), one
row each with the rule that should report it and its shape (`pool-or-none`, `def-in-main-block`, ...).
For those the script prints, per shape, how many sites are reported and how their fixes were judged.

Usage:
    scripts/realcode.py --pickfix target/release/pickfix NAME=DIR [NAME=DIR ...]

It runs pickfix on each folder (report mode, then --write --unsafe-fixes on a copy), matches the
findings with the labels, and prints precision, recall, and the fixes judged right and wrong, by rule.
Every fixed file must still compile and a second run must change nothing. Exit status 1 when a finding
or a fix has no judgement yet, a labelled finding is no longer reported, or a fixed file is broken.
"""

import argparse
import collections
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "..", "tests", "realcode")

FINDING = re.compile(
    r"^\./(?P<file>.+?):(?:cell (?P<cell>\d+):)?(?P<line>\d+):(?P<col>\d+): (?P<rule>PF\d{3}) (?P<rest>.*)$"
)
SOURCES = (".py", ".ipynb")


def place(line):
    """A finding's place as the labels write it: `12`, or `3:5` in a notebook (cell 3, line 5)."""
    return str(line).strip()


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def findings(pickfix, folder, *extra):
    out = subprocess.run([pickfix, "--output-format", "concise", *extra, "."], cwd=folder, capture_output=True, text=True)
    found = []
    for line in out.stdout.splitlines():
        m = FINDING.match(line)
        if not m:
            continue
        rest = m["rest"]
        if "; no fix:" in rest:
            fix = "none"
        elif "; unsafe fix with --unsafe-fixes:" in rest:
            fix = "unsafe"
        else:
            fix = "safe"
        line = f"{m['cell']}:{m['line']}" if m["cell"] else m["line"]
        found.append((m["file"], place(line), m["rule"], fix))
    return found


def check_fixed(pickfix, folder):
    """Applies every fix on a copy: each fixed file must compile, and a second run must change nothing."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "c")
        shutil.copytree(folder, copy)
        subprocess.run([pickfix, "--write", "--unsafe-fixes", "."], cwd=copy, capture_output=True)
        changed = 0
        for name in sorted(os.listdir(copy)):
            path = os.path.join(copy, name)
            if not name.endswith(SOURCES):
                continue
            with open(path, "rb") as f:
                after = f.read()
            original = os.path.join(folder, name)
            before = None
            if os.path.exists(original):
                with open(original, "rb") as f:
                    before = f.read()
            if after == before:
                continue
            changed += 1
            if name.endswith(".ipynb"):
                try:
                    json.loads(after)
                except ValueError as err:
                    problems.append(f"{name}: the fixed notebook is not valid JSON: {err}")
                continue
            try:
                compile(after, name, "exec")
            except SyntaxError as err:
                problems.append(f"{name}: the fixed file does not compile: {err}")
        second = subprocess.run(
            [pickfix, "--diff", "--unsafe-fixes", "."], cwd=copy, capture_output=True, text=True
        )
        again = [line for line in second.stdout.splitlines() if line.startswith("+++ ")]
        if again:
            problems.append("a second run would change files again: " + ", ".join(again))
    return changed, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pickfix", required=True)
    parser.add_argument("corpora", nargs="+", metavar="NAME=DIR")
    args = parser.parse_args()
    pickfix = os.path.abspath(args.pickfix)

    totals = collections.Counter()
    by_rule = collections.defaultdict(collections.Counter)
    by_shape = collections.defaultdict(collections.Counter)
    issues = []
    wrong = []
    for corpus in args.corpora:
        name, _, folder = corpus.partition("=")
        labels = {(r["file"], place(r["line"]), r["rule"]): r for r in read_tsv(os.path.join(LABELS, f"{name}.labels.tsv"))}
        missed = read_tsv(os.path.join(LABELS, f"{name}.missed.tsv"))
        files = [f for f in os.listdir(folder) if f.endswith(SOURCES)]
        found = findings(pickfix, folder)
        totals["files"] += len(files)
        seen = set()
        for file, line, rule, fix in found:
            key = (file, line, rule)
            seen.add(key)
            counts = by_rule[rule]
            counts["findings"] += 1
            label = labels.get(key)
            if label is None:
                issues.append(f"{name}: {file}:{line} {rule}: no judgement yet")
                counts["unjudged"] += 1
                continue
            counts["true" if label["finding"] == "true" else "false"] += 1
            if fix == "none":
                continue
            counts[f"{fix} fixes"] += 1
            verdict = label["fix"]
            if verdict not in ("right", "wrong"):
                issues.append(f"{name}: {file}:{line} {rule}: a {fix} fix is offered but not judged")
                continue
            counts[f"{fix} {verdict}"] += 1
            if verdict == "wrong":
                wrong.append(f"{name}: {file}:{line} {rule} ({fix} fix, judged by {label['judged']}): {label['note']}")
        for key, label in labels.items():
            if key not in seen and label["finding"] == "true":
                issues.append(f"{name}: {key[0]}:{key[1]} {key[2]}: judged true but no longer reported")
                by_rule[key[2]]["lost"] += 1
        for row in missed:
            by_rule[row.get("rule") or "?"]["missed"] += 1
        fixes = {(f, line, rule): fix for f, line, rule, fix in found}
        for row in read_tsv(os.path.join(LABELS, f"{name}.recall.tsv")):
            key = (row["file"], place(row["line"]), row["rule"])
            counts = by_shape[row["shape"]]
            counts["sites"] += 1
            if key not in seen:
                counts["missed"] += 1
                continue
            counts["reported"] += 1
            fix = fixes[key]
            if fix == "none":
                counts["no fix"] += 1
            else:
                counts[f"fix {labels[key]['fix']}" if key in labels else "fix unjudged"] += 1
        changed, problems = check_fixed(pickfix, folder)
        totals["fixed files"] += changed
        issues.extend(f"{name}: {p}" for p in problems)

    columns = ["findings", "true", "false", "unjudged", "lost", "missed",
               "safe fixes", "safe right", "safe wrong", "unsafe fixes", "unsafe right", "unsafe wrong"]
    print(f"files: {totals['files']}, files changed by --write --unsafe-fixes: {totals['fixed files']}")
    print("rule   " + " ".join(f"{c:>12}" for c in columns))
    all_rules = collections.Counter()
    for rule in sorted(by_rule):
        all_rules.update(by_rule[rule])
        print(f"{rule:6} " + " ".join(f"{by_rule[rule][c]:>12}" for c in columns))
    print(f"{'all':6} " + " ".join(f"{all_rules[c]:>12}" for c in columns))
    judged = all_rules["true"] + all_rules["false"]
    precision = all_rules["true"] / judged if judged else float("nan")
    positives = all_rules["true"] + all_rules["lost"] + all_rules["missed"]
    recall = all_rules["true"] / positives if positives else float("nan")
    print(f"precision: {precision:.3f} ({all_rules['true']}/{judged})")
    print(f"recall on what we judged: {recall:.3f} ({all_rules['true']}/{positives})")
    print(f"safe fixes: {all_rules['safe right']} right, {all_rules['safe wrong']} wrong;"
          f" unsafe fixes: {all_rules['unsafe right']} right, {all_rules['unsafe wrong']} wrong")
    if by_shape:
        shape_columns = ["sites", "reported", "missed", "no fix", "fix right", "fix wrong", "fix unjudged"]
        width = max(len(shape) for shape in by_shape)
        print("recall set, by shape:")
        print(f"{'shape':{width}} " + " ".join(f"{c:>12}" for c in shape_columns))
        all_shapes = collections.Counter()
        for shape in sorted(by_shape):
            all_shapes.update(by_shape[shape])
            print(f"{shape:{width}} " + " ".join(f"{by_shape[shape][c]:>12}" for c in shape_columns))
        print(f"{'all':{width}} " + " ".join(f"{all_shapes[c]:>12}" for c in shape_columns))
        sites = all_shapes["sites"]
        print(f"recall set: {all_shapes['reported']}/{sites} sites reported ({all_shapes['reported'] / sites:.3f})")
    for line in wrong:
        print("wrong fix: " + line)
    for line in issues:
        print("problem: " + line)
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
