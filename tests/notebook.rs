//! Notebooks end to end, with the `pickfix` binary on copies of the fixture notebooks of
//! `codemods/notebook_worker/`, run through a real Jupyter kernel (`tests/notebook_kernel.py`: nbclient
//! and ipykernel from the virtualenv `scripts/swap-venv.sh` makes) with the default start method forced
//! by a `sitecustomize.py`, as the behaviour test does for scripts:
//! - a rewrite notebook fails under `spawn` before the fix (a pickling error, or a pool that hangs when
//!   its worker cannot unpickle the task), and after `pickfix --write` prints its `.stdout` under `spawn`
//!   and `fork`; where the original ran under `fork`, it printed the same;
//! - a no-op notebook is left byte for byte and runs under `spawn`; a no-fix notebook is reported, left
//!   byte for byte, and really fails under `spawn`;
//! - the JSON of a rewritten notebook differs from the original only in the changed cells' `source`;
//! - a second run changes nothing; the workers module grows, and is never written when pickfix did not
//!   make it; a notebook that is not valid JSON is an error that names it.
//!
//! Also the snapshot of each notebook fixture's findings and diff (`snapshots/notebook_worker__*.snap`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, Kind, notebook_fixtures, pickfix, root, start_method_dir};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A kernel run: the exit status of `notebook_kernel.py` (3: a cell timed out), stdout and stderr.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// How long a cell may run: a pool whose worker cannot unpickle its task waits forever.
const CELL_TIMEOUT: &str = "20";

fn run_notebook(python: &str, notebook: &Path, site: &Path) -> Run {
    let started = Instant::now();
    let out = Command::new(python)
        .arg(root().join("tests/notebook_kernel.py"))
        .arg(notebook)
        .arg(CELL_TIMEOUT)
        .current_dir(notebook.parent().unwrap())
        .env("PYTHONPATH", site)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONSTARTUP")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|err| panic!("cannot start {python}: {err}"));
    assert!(started.elapsed() < Duration::from_secs(120), "{}: the kernel run took too long", notebook.display());
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A pickling failure as users of a notebook see it: the error, or a pool that never returns.
fn failed_to_pickle(run: &Run) -> bool {
    let lower = run.stderr.to_lowercase();
    run.code == Some(3)
        || run.code != Some(0)
            && ["can't pickle", "cannot pickle", "can't get attribute", "picklingerror", "brokenprocesspool"]
                .iter()
                .any(|family| lower.contains(family))
}

/// A fixture notebook copied into its own folder (its workers module is made beside it).
fn copy(fixture: &Fixture, work: &Path) -> PathBuf {
    let dir = work.join(&fixture.case);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(fixture.path.file_name().unwrap());
    std::fs::copy(&fixture.path, &path).unwrap();
    path
}

fn workers_module(notebook: &Path) -> PathBuf {
    let stem = notebook.file_stem().unwrap().to_string_lossy();
    notebook.with_file_name(format!("{stem}_workers.py"))
}

/// Checks one fixture: the fix, the bytes, and the kernel runs. Returns what went wrong.
fn judge(fixture: &Fixture, python: &str, work: &Path, spawn: &Path, fork: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let name = &fixture.case;
    let notebook = copy(fixture, work);
    let dir = notebook.parent().unwrap();
    let file = notebook.file_name().unwrap().to_str().unwrap();
    let original = std::fs::read(&notebook).unwrap();
    let expected = fixture.expected_stdout();
    let before_spawn = run_notebook(python, &notebook, spawn);
    let before_fork = run_notebook(python, &notebook, fork);
    let written = pickfix(dir, &["--write", file]);
    let after = std::fs::read(&notebook).unwrap();
    match fixture.kind {
        Kind::Rewrite => {
            if !failed_to_pickle(&before_spawn) {
                problems.push(format!("{name}: the original did not fail under spawn: {before_spawn:?}"));
            }
            if written.code != 0 || after == original || !workers_module(&notebook).exists() {
                problems.push(format!("{name}: --write did not fix it: {}{}", written.stdout, written.stderr));
            }
            let expected = expected.unwrap_or_else(|| panic!("{name}: no .stdout"));
            for (method, site) in [("spawn", spawn), ("fork", fork)] {
                let run = run_notebook(python, &notebook, site);
                if run.code != Some(0) || run.stdout != expected {
                    problems.push(format!("{name}: the fixed notebook under {method}: {run:?}"));
                }
            }
            if before_fork.code == Some(0) && before_fork.stdout != expected {
                problems.push(format!("{name}: the original printed {:?} under fork", before_fork.stdout));
            }
            let again = pickfix(dir, &["--diff", file]);
            if again.code != 0 || !again.stdout.is_empty() {
                problems.push(format!("{name}: a second run would change: {}", again.stdout));
            }
            if let Err(problem) = only_changed_sources_differ(&original, &after) {
                problems.push(format!("{name}: {problem}"));
            }
        }
        Kind::Noop => {
            if written.code != 0 || after != original || workers_module(&notebook).exists() {
                problems.push(format!("{name}: a no-op notebook was changed or reported: {}", written.stderr));
            }
            if before_spawn.code != Some(0) || Some(&before_spawn.stdout) != expected.as_ref() {
                problems.push(format!("{name}: the no-op notebook under spawn: {before_spawn:?}"));
            }
        }
        Kind::NoFix => {
            if written.code != 1 || !written.stdout.contains("PF009") || after != original {
                problems.push(format!("{name}: not reported, or changed: {}{}", written.stdout, written.stderr));
            }
            if workers_module(&notebook).exists() {
                problems.push(format!("{name}: a workers module was written without a fix"));
            }
            if !failed_to_pickle(&before_spawn) {
                problems.push(format!("{name}: the original did not fail under spawn: {before_spawn:?}"));
            }
        }
    }
    problems
}

#[test]
fn notebooks_fail_under_spawn_before_the_fix_and_run_after_it_in_a_real_kernel() {
    let python = common::swap_python();
    let probe = Command::new(&python).args(["-c", "import nbclient, ipykernel"]).output().unwrap();
    assert!(probe.status.success(), "{python} lacks nbclient or ipykernel: run scripts/swap-venv.sh");
    let temp = tempfile::tempdir().unwrap();
    let work = temp.path();
    let spawn = start_method_dir(work, "spawn");
    let fork = start_method_dir(work, "fork");
    let mut all = notebook_fixtures();
    assert!(all.len() >= 10, "the notebook fixtures are missing");
    all.extend(common::notebook_examples());
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = all
            .chunks(all.len().div_ceil(3))
            .map(|chunk| {
                let (python, spawn, fork) = (&python, &spawn, &fork);
                scope.spawn(move || {
                    chunk.iter().flat_map(|fixture| judge(fixture, python, work, spawn, fork)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().unwrap()).collect()
    });
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[derive(Deserialize)]
struct Cells<'a> {
    #[serde(borrow)]
    cells: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Source<'a> {
    #[serde(borrow)]
    source: &'a RawValue,
}

/// The byte range of each cell's `source` value in a notebook's JSON.
fn source_spans(json: &str) -> Vec<std::ops::Range<usize>> {
    let cells: Cells = serde_json::from_str(json).unwrap();
    cells
        .cells
        .iter()
        .map(|cell| {
            let source: Source = serde_json::from_str(cell.get()).unwrap();
            let start = source.source.get().as_ptr() as usize - json.as_ptr() as usize;
            start..start + source.source.get().len()
        })
        .collect()
}

/// Checks that `after` is `before` with some cells' `source` values replaced, and nothing else.
fn only_changed_sources_differ(before: &[u8], after: &[u8]) -> Result<(), String> {
    let (before, after) = (std::str::from_utf8(before).unwrap(), std::str::from_utf8(after).unwrap());
    let (old, new) = (source_spans(before), source_spans(after));
    if old.len() != new.len() {
        return Err("the number of cells changed".to_string());
    }
    let mut rebuilt = String::new();
    let mut cursor = 0;
    for (old, new) in old.iter().zip(&new) {
        rebuilt.push_str(&before[cursor..old.start]);
        rebuilt.push_str(&after[new.clone()]);
        cursor = old.end;
    }
    rebuilt.push_str(&before[cursor..]);
    if rebuilt != after {
        return Err("bytes outside the cells' `source` changed".to_string());
    }
    Ok(())
}

#[test]
fn a_rewrite_changes_only_cell_sources_and_settles() {
    let temp = tempfile::tempdir().unwrap();
    let examples = common::notebook_examples();
    for fixture in notebook_fixtures().iter().chain(&examples).filter(|f| f.kind == Kind::Rewrite) {
        let notebook = copy(fixture, temp.path());
        let dir = notebook.parent().unwrap();
        let file = notebook.file_name().unwrap().to_str().unwrap();
        let original = std::fs::read(&notebook).unwrap();
        let out = pickfix(dir, &["--write", file]);
        assert_eq!(out.code, 0, "{}: {}", fixture.case, out.stderr);
        let after = std::fs::read(&notebook).unwrap();
        assert_ne!(after, original, "{}", fixture.case);
        only_changed_sources_differ(&original, &after).unwrap_or_else(|e| panic!("{}: {e}", fixture.case));
        let module = std::fs::read_to_string(workers_module(&notebook)).unwrap();
        assert!(module.starts_with("# Generated by pickfix from "), "{module}");
        let again = pickfix(dir, &["--diff", file]);
        assert_eq!((again.code, again.stdout.as_str()), (0, ""), "{}: {}", fixture.case, again.stderr);
    }
}

#[test]
fn notebook_fixtures_snapshots() {
    let temp = tempfile::tempdir().unwrap();
    for fixture in notebook_fixtures() {
        let notebook = copy(&fixture, temp.path());
        let dir = notebook.parent().unwrap();
        let file = notebook.file_name().unwrap().to_str().unwrap();
        let findings = pickfix(dir, &["--output-format", "concise", "--unsafe-fixes", "-q", file]);
        let diff = pickfix(dir, &["--diff", "--unsafe-fixes", "-q", file]);
        let snapshot =
            format!("{}---\n{}", findings.stdout, if diff.stdout.is_empty() { "no changes\n" } else { &diff.stdout });
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{}__{}", fixture.codemod, fixture.case), snapshot);
        });
    }
}

/// A notebook with one code cell per source, as Jupyter writes it.
fn notebook_json(cells: &[&str]) -> String {
    let cells: Vec<serde_json::Value> = cells
        .iter()
        .map(|source| {
            serde_json::json!({
                "cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                "source": source.split_inclusive('\n').collect::<Vec<_>>(),
            })
        })
        .collect();
    let notebook = serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4});
    serde_json::to_string_pretty(&notebook).unwrap() + "\n"
}

const IMPORTS: &str = "from concurrent.futures import ProcessPoolExecutor\n";

#[test]
fn the_workers_module_grows_and_a_module_pickfix_did_not_write_is_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.ipynb");
    let first =
        "def double(x):\n    return 2 * x\n\nwith ProcessPoolExecutor() as ex:\n    print(list(ex.map(double, [1])))";
    std::fs::write(&path, notebook_json(&[IMPORTS, first])).unwrap();
    assert_eq!(pickfix(dir.path(), &["--write", "study.ipynb"]).code, 0);
    let module = std::fs::read_to_string(dir.path().join("study_workers.py")).unwrap();
    assert!(module.contains("def double(x):"), "{module}");
    // The user adds a cell with a second worker: the module grows, the first worker stays once.
    let fixed = std::fs::read_to_string(&path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&fixed).unwrap();
    let second = "import math\n\ndef halve(x):\n    return math.floor(x / 2)\n\nwith ProcessPoolExecutor() as ex:\n    print(list(ex.map(halve, [5])))";
    let cell = serde_json::json!({"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
        "source": second.split_inclusive('\n').collect::<Vec<_>>()});
    value["cells"].as_array_mut().unwrap().push(cell);
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap() + "\n").unwrap();
    let out = pickfix(dir.path(), &["--write", "study.ipynb"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let grown = std::fs::read_to_string(dir.path().join("study_workers.py")).unwrap();
    // The new import goes after the opening comments; everything else is the old module, then the new code.
    assert!(grown.replacen("\nimport math\n", "", 1).starts_with(&module), "not extended:\n{grown}");
    assert_eq!(grown.matches("def double").count(), 1, "{grown}");
    assert!(grown.contains("import math\n") && grown.contains("def halve(x):"), "{grown}");
    assert!(std::fs::read_to_string(&path).unwrap().contains("from study_workers import halve"));

    // A module of that name that pickfix did not write: reported, nothing written.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("study.ipynb"), notebook_json(&[IMPORTS, first])).unwrap();
    std::fs::write(other.path().join("study_workers.py"), "# mine\n").unwrap();
    let out = pickfix(other.path(), &["--write", "--output-format", "concise", "study.ipynb"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("pickfix did not write it"), "{}", out.stdout);
    assert_eq!(std::fs::read_to_string(other.path().join("study_workers.py")).unwrap(), "# mine\n");
    assert_eq!(std::fs::read_to_string(other.path().join("study.ipynb")).unwrap(), notebook_json(&[IMPORTS, first]));
}

#[test]
fn a_notebook_that_is_not_valid_is_an_error_that_names_it_and_the_run_goes_on() {
    // Both mention a process pool: files that cannot hold a finding are not read further (the pre-filter).
    let bad =
        b"{\"cells\": [ {\"cell_type\": \"code\", \"source\": \"from concurrent.futures import ProcessPoolExecutor";
    let dir = common::tree(&[
        ("bad.ipynb", bad),
        (
            "old.ipynb",
            b"{\"nbformat\": 3, \"nbformat_minor\": 0, \"metadata\": {\"concurrent.futures\": 1}, \"cells\": []}",
        ),
        ("app.py", common::LAMBDA.as_bytes()),
    ]);
    let out = pickfix(dir.path(), &["--write", "."]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("bad.ipynb") && out.stderr.contains("not valid JSON"), "{}", out.stderr);
    assert!(out.stderr.contains("old.ipynb") && out.stderr.contains("nbformat 3"), "{}", out.stderr);
    assert_eq!(std::fs::read(dir.path().join("bad.ipynb")).unwrap(), bad);
    // A syntax error in a cell is placed in the cell; the cell is left out with a warning.
    let broken = notebook_json(&[IMPORTS, "x = 1\ndef f(:\n    pass"]);
    let broken_dir = common::tree(&[("broken.ipynb", broken.as_bytes())]);
    let out = pickfix(broken_dir.path(), &["broken.ipynb"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("broken.ipynb: warning: cell 2 does not parse (2:7: "), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("app.py")).unwrap(), common::FIXED);
}

#[test]
fn findings_in_notebooks_name_the_cell_and_pf004_does_not_apply() {
    let unguarded = "import multiprocessing\n\nwith multiprocessing.Pool(2) as pool:\n    print(pool.map(abs, [-1]))";
    let dir =
        common::tree(&[("nb.ipynb", notebook_json(&["x = 1", unguarded, "pool.map(lambda x: x, [1])"]).as_bytes())]);
    let out = pickfix(dir.path(), &["--output-format", "concise", "nb.ipynb"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("nb.ipynb:cell 3:1:10: PF009"), "{}", out.stdout);
    assert!(!out.stdout.contains("PF004") && !out.stdout.contains("PF001"), "{}", out.stdout);
    let json = pickfix(dir.path(), &["--output-format", "json", "nb.ipynb"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value[0]["cell"], 3, "{}", json.stdout);
    assert_eq!(value[0]["location"]["row"], 1, "{}", json.stdout);
}

#[test]
fn standard_input_cannot_get_the_workers_module_so_the_notebook_comes_back_unchanged() {
    let first =
        "def double(x):\n    return 2 * x\n\nwith ProcessPoolExecutor() as ex:\n    print(list(ex.map(double, [1])))";
    let json = notebook_json(&[IMPORTS, first]);
    let dir = tempfile::tempdir().unwrap();
    let out = common::pickfix_stdin(dir.path(), &["--stdin-filename", "nb.ipynb", "-"], Some(json.as_bytes()));
    assert_eq!((out.code, out.stdout.as_str()), (2, json.as_str()), "{}", out.stderr);
    assert!(out.stderr.contains("cannot write for standard input"), "{}", out.stderr);
    // With --diff, the patch shows the cell and the module.
    let diff =
        common::pickfix_stdin(dir.path(), &["--diff", "--stdin-filename", "nb.ipynb", "-"], Some(json.as_bytes()));
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(
        diff.stdout.contains("+++ b/nb.ipynb:cell 2") && diff.stdout.contains("+++ b/nb_workers.py"),
        "{}",
        diff.stdout
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "standard input wrote a file");
}

#[test]
fn a_cell_that_does_not_parse_is_left_out_with_a_warning() {
    let worker =
        "def double(x):\n    return 2 * x\n\nwith ProcessPoolExecutor() as ex:\n    print(list(ex.map(double, [1])))";
    let json = notebook_json(&[IMPORTS, "answer = ", worker]);
    let dir = common::tree(&[("lesson.ipynb", json.as_bytes())]);
    let out = pickfix(dir.path(), &["--write", "lesson.ipynb"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("lesson.ipynb: warning: cell 2 does not parse"), "{}", out.stderr);
    let fixed = std::fs::read_to_string(dir.path().join("lesson.ipynb")).unwrap();
    assert!(fixed.contains("from lesson_workers import double") && fixed.contains("\"answer = \""), "{fixed}");
    only_changed_sources_differ(json.as_bytes(), fixed.as_bytes()).unwrap();
    // Every cell broken: the notebook is an error, as a Python file that does not parse.
    let dir = common::tree(&[("all.ipynb", notebook_json(&["import multiprocessing\nx = ("]).as_bytes())]);
    let out = pickfix(dir.path(), &["all.ipynb"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("all.ipynb:cell 1:"), "{}", out.stderr);
}

#[test]
fn comments_ending_moved_lines_are_kept() {
    let source = "import multiprocessing\n\nSTEP = 2  # the step\ntwice = lambda x: x * STEP  # doubles\n\nwith multiprocessing.Pool(2) as pool:\n    print(pool.map(twice, [1]))";
    let dir = common::tree(&[("notes.ipynb", notebook_json(&[source]).as_bytes())]);
    let out = pickfix(dir.path(), &["--write", "notes.ipynb"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let fixed = std::fs::read_to_string(dir.path().join("notes.ipynb")).unwrap();
    let module = std::fs::read_to_string(dir.path().join("notes_workers.py")).unwrap();
    // The constant's comment moves with it; the lambda's stays beside the import that replaces it.
    assert!(module.contains("STEP = 2  # the step\n"), "{module}");
    assert!(fixed.contains("from notes_workers import twice  # doubles"), "{fixed}");
    assert!(!fixed.contains("# the step"), "{fixed}");
}
