//! A rewrite is correct only if the program still works. Every fixture runs as a plain
//! `python3 <script>.py`, with the default start method forced by a `sitecustomize.py` (as macOS and
//! Windows force `spawn`), in its own process group with a timeout:
//! - rewrite fixtures must fail under `spawn` with a pickling error before the fix, and print the expected
//!   output under `spawn` and `fork` after it; where the original runs under `fork`, it prints the same;
//! - no-op fixtures must print the expected output under both, unchanged;
//! - no-fix fixtures must really fail under `spawn` (the finding is true);
//! - the examples in `examples/` are judged like rewrite fixtures, with every codemod at once.
//!
//! `PICKFIX_PYTHONS` (space-separated interpreters, default `python3`) runs everything on each of them.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Fixture, Kind, examples, fixtures, start_method_dir};
use pickfix::{Rule, Swap};

const TIMEOUT: Duration = Duration::from_secs(90);
/// What a child prints when the main module starts processes (or sets the start method) while it is imported.
const GUARD_ERRORS: &[&str] = &["bootstrapping phase", "context has already been set"];
/// Runs that are expected to fail get less time: a hang there is judged below.
const FAILING_TIMEOUT: Duration = Duration::from_secs(10);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

impl Run {
    fn ok(&self) -> bool {
        self.code == Some(0) && !self.timed_out
    }

    fn describe(&self) -> String {
        format!(
            "exit {:?}{}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            if self.timed_out { " (timed out)" } else { "" },
            self.stdout,
            self.stderr
        )
    }
}

/// Errors users see when a callable or object cannot be pickled, across Python 3.8-3.14.
fn is_pickling_error(stderr: &str) -> bool {
    let lower = stderr.to_lowercase();
    [
        "can't pickle",
        "cannot pickle",
        "can't get local object",
        // A function of the `__main__` block, which a spawned child (`__mp_main__`) does not run.
        "can't get attribute",
        "picklingerror",
        "cannot be passed between processes",
        "shared between processes through inheritance",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// The `(major, minor)` version of an interpreter.
fn python_version(python: &str) -> (u32, u32) {
    let out = Command::new(python)
        .args(["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"])
        .output()
        .unwrap_or_else(|err| panic!("cannot start {python}: {err}"));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(|p| p.parse::<u32>().unwrap());
    (parts.next().unwrap(), parts.next().unwrap())
}

/// Whether a run failed the way users see a pickling failure. On CPython 3.8 and 3.9,
/// `ProcessPoolExecutor` hangs instead of raising in about 4 runs out of 10 when a task cannot be pickled
/// (measured on this fixture set; never on 3.10-3.13): there a hang counts too.
fn failed_to_pickle(run: &Run, version: (u32, u32)) -> bool {
    if run.timed_out {
        return version < (3, 10);
    }
    !run.ok() && is_pickling_error(&run.stderr)
}

/// Whether the original program failed the way its users see it: a pickling error, or for a missing
/// `__main__` guard the bootstrapping `RuntimeError` in a child (the parent may then hang, raise
/// `BrokenProcessPool`, or even exit 0 without the child's output).
fn failed_as_users_see(fixture: &Fixture, run: &Run, version: (u32, u32)) -> bool {
    let guard =
        fixture.rules.contains(&Rule::MissingMainGuard) && GUARD_ERRORS.iter().any(|error| run.stderr.contains(error));
    let guard_only = fixture.rules == [Rule::MissingMainGuard];
    guard || !guard_only && failed_to_pickle(run, version)
}

fn run_python(python: &str, script: &Path, site: &Path) -> Run {
    run_python_within(python, script, site, TIMEOUT, &[])
}

/// Runs a script; the run ends as soon as its stderr contains one of the texts of `stop_at` (an unguarded
/// pool respawns forever: the first bootstrapping error is all there is to see).
fn run_python_within(python: &str, script: &Path, site: &Path, timeout: Duration, stop_at: &[&str]) -> Run {
    let mut child = Command::new(python)
        .arg(script.file_name().unwrap())
        .current_dir(script.parent().unwrap())
        .env("PYTHONPATH", site)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONSTARTUP")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {python}: {err}"));
    let pgid = child.id();
    let (out, out_reader) = common::collect(child.stdout.take().unwrap());
    let (err, err_reader) = common::collect(child.stderr.take().unwrap());
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if !stop_at.is_empty() && {
            let err = String::from_utf8_lossy(&err.lock().unwrap()).into_owned();
            stop_at.iter().any(|text| err.contains(text))
        } {
            break None;
        }
        if Instant::now() > deadline {
            timed_out = true;
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // Whatever the outcome, no worker of this run survives it.
    kill_group(pgid);
    let status = status.or_else(|| child.wait().ok());
    out_reader.join().unwrap();
    err_reader.join().unwrap();
    let text = |buffer: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&buffer.lock().unwrap()).into_owned();
    Run {
        code: if timed_out { None } else { status.and_then(|s| s.code()) },
        stdout: text(&out),
        stderr: text(&err),
        timed_out,
    }
}

/// Kills the process group the run was started in (`process_group(0)` made the child its leader).
fn kill_group(pgid: u32) {
    let pgid = i32::try_from(pgid).expect("a process id fits in i32");
    assert!(pgid > 1, "refusing to signal process group {pgid}");
    // SAFETY: killpg only sends a signal; the group is the one this run created.
    unsafe {
        libc::killpg(pgid, libc::SIGKILL);
    }
}

/// Cross-checked fixtures whose `.stdout` describes the codemod's own rewrite, not the program: there the
/// swapped program must only succeed.
const OUTPUT_OF_THE_REWRITE: &[(&str, &str)] = &[(
    "lambda_to_function/named_module_level.py",
    "prints `square.__name__`, which PF001's `def square` makes `square`; swapped, it stays `<lambda>`, as in the original",
)];

/// Checks one fixture on one interpreter; returns the problems found. `cross` marks a fixture of another
/// codemod judged with `--swap`: it must be swapped into a program that works, or refused with a reason.
fn check_fixture(fixture: &Fixture, python: &str, version: (u32, u32), work: &Path, cross: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let swap = fixture.swap.map_or(String::new(), |swap| format!(" --swap {}", swap.package()));
    let name = format!("{}{swap} [{python}]", fixture.path.display());
    let dir = work.join(format!("{}-{}{}", fixture.codemod, fixture.case, swap.replace(' ', "_")));
    let before_dir = dir.join("before");
    let after_dir = dir.join("after");
    std::fs::create_dir_all(&before_dir).unwrap();
    std::fs::create_dir_all(&after_dir).unwrap();
    let file_name = fixture.path.file_name().unwrap();
    let original = std::fs::read(&fixture.path).unwrap();
    let decoded = pickfix::source::decode(&original).unwrap();
    let fixed = pickfix::fix_source(&decoded.text, &fixture.settings()).unwrap();
    let fixed_bytes = pickfix::source::encode(&fixed.text, decoded.encoding, decoded.bom).unwrap();
    let before = before_dir.join(file_name);
    let after = after_dir.join(file_name);
    std::fs::write(&before, &original).unwrap();
    std::fs::write(&after, &fixed_bytes).unwrap();
    let spawn = start_method_dir(work, "spawn");
    let fork = start_method_dir(work, "fork");
    let expected = fixture.expected_stdout();
    if cross {
        if fixed.text == decoded.text {
            let refused =
                fixed.remaining.iter().any(|f| matches!(f.remedy.refusal(), Some(pickfix::Refusal::Swap { .. })));
            if !refused {
                problems.push(format!("{name}: neither swapped nor refused with a reason"));
            }
            return problems;
        }
        let relative = format!("{}/{}", fixture.codemod, file_name.to_string_lossy());
        if OUTPUT_OF_THE_REWRITE.iter().any(|(path, _)| *path == relative) {
            for (label, site) in [("under spawn", &spawn), ("under fork", &fork)] {
                let run = run_python(python, &after, site);
                if !run.ok() {
                    problems.push(format!("{name}: swapped, {label}, must succeed:\n{}", run.describe()));
                }
            }
            return problems;
        }
    }

    let expect_output = |label: &str, run: &Run, problems: &mut Vec<String>| match &expected {
        _ if !run.ok() => problems.push(format!("{name}: {label} must succeed:\n{}", run.describe())),
        Some(expected) if run.stdout != *expected => {
            problems.push(format!("{name}: {label} printed something else than the .stdout file:\n{}", run.describe()))
        }
        None => problems.push(format!("{name}: no .stdout file beside the fixture; {label} printed:\n{}", run.stdout)),
        _ => {}
    };

    match fixture.kind {
        Kind::Rewrite => {
            let run = run_python_within(python, &before, &spawn, FAILING_TIMEOUT, GUARD_ERRORS);
            if !failed_as_users_see(fixture, &run, version) {
                problems.push(format!(
                    "{name}: before the fix it must fail under spawn as users see it:\n{}",
                    run.describe()
                ));
            }
            expect_output("after the fix, under spawn,", &run_python(python, &after, &spawn), &mut problems);
            expect_output("after the fix, under fork,", &run_python(python, &after, &fork), &mut problems);
            let original_fork = run_python_within(python, &before, &fork, FAILING_TIMEOUT, GUARD_ERRORS);
            if original_fork.ok() {
                expect_output("the original, under fork,", &original_fork, &mut problems);
            }
        }
        Kind::Noop => {
            assert_eq!(fixed.text, decoded.text, "{name}: a no-op fixture changed");
            expect_output("under spawn", &run_python(python, &before, &spawn), &mut problems);
            expect_output("under fork", &run_python(python, &before, &fork), &mut problems);
        }
        Kind::NoFix => {
            let run = run_python_within(python, &before, &spawn, FAILING_TIMEOUT, GUARD_ERRORS);
            if !failed_as_users_see(fixture, &run, version) {
                problems.push(format!("{name}: the finding claims a failure under spawn, but:\n{}", run.describe()));
            }
        }
    }
    problems
}

#[test]
fn fixtures_run_under_spawn_and_fork() {
    let pythons = std::env::var("PICKFIX_PYTHONS").unwrap_or_else(|_| "python3".to_string());
    let swap_python = common::swap_python();
    let work = tempfile::tempdir().unwrap();
    let versions: std::collections::HashMap<&str, (u32, u32)> = pythons
        .split_whitespace()
        .chain([swap_python.as_str()])
        .map(|python| (python, python_version(python)))
        .collect();
    let (swapped, plain): (Vec<Fixture>, Vec<Fixture>) =
        fixtures().into_iter().chain(examples()).partition(|f| f.swap.is_some() || f.needs_venv_packages);
    // The `--swap` fixtures, and those that import the packages (multiprocess, pathos, pebble, tqdm,
    // joblib, ...), run in the virtualenv that has them.
    let mut jobs: Vec<(Fixture, String, bool)> = pythons
        .split_whitespace()
        .flat_map(|python| plain.iter().map(move |f| (f.clone(), python.to_string(), false)))
        .collect();
    jobs.extend(swapped.into_iter().map(|f| (f, swap_python.clone(), false)));
    // Cross-check: each rewrite fixture of PF001, PF002 and PF007 again, with each `--swap`.
    // The codemods whose rewrite fixtures are judged a second time: those whose rule dill solves.
    let swappable: Vec<String> = Rule::ALL.iter().filter(|r| r.meta().dill_solves).map(|r| r.folder()).collect();
    for fixture in plain.iter().filter(|f| f.kind == Kind::Rewrite && swappable.contains(&f.codemod)) {
        for swap in [Swap::Multiprocess, Swap::Pathos] {
            jobs.push((Fixture { swap: Some(swap), ..fixture.clone() }, swap_python.clone(), true));
        }
    }
    // `PICKFIX_FIXTURES=word` judges only the fixtures whose path contains `word` (while working on them).
    if let Ok(only) = std::env::var("PICKFIX_FIXTURES") {
        jobs.retain(|(fixture, _, _)| fixture.path.to_string_lossy().contains(&only));
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 4);
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut problems = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some((fixture, python, cross)) = jobs.get(i) else {
                            break;
                        };
                        let dir = work.path().join(python.replace('/', "_"));
                        problems.extend(check_fixture(fixture, python, versions[python.as_str()], &dir, *cross));
                    }
                    problems
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    println!("ran {} fixture checks on {pythons}", jobs.len());
    assert!(problems.is_empty(), "{} problem(s):\n\n{}", problems.len(), problems.join("\n\n"));
}
