//! `pickfix run`: the command runs with the chosen default start method (and only the default), keeps its
//! standard streams, exit status and signals, and a failure under `spawn` gets one line naming the rule.
//! The checks of the mechanism run on every CPython 3.8-3.13 pyenv has (and `python3`); the shipped
//! examples and a sample of fixtures run with `python3`, before and after `pickfix --write`.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Fixture, collect, root, tree};

const TIMEOUT: Duration = Duration::from_secs(40);

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn describe(&self) -> String {
        format!("exit {:?}\n--- stdout\n{}\n--- stderr\n{}", self.code, self.stdout, self.stderr)
    }

    /// The last line of standard error: pickfix's hint when there is one.
    fn last_stderr_line(&self) -> &str {
        self.stderr.lines().last().unwrap_or("")
    }
}

/// How to run `pickfix run` in a test.
#[derive(Default)]
struct Run<'a> {
    env: Vec<(&'a str, OsString)>,
    stdin: Option<&'a [u8]>,
    /// Once standard error contains this text, pickfix (only pickfix) gets SIGTERM.
    terminate_at: Option<&'a str>,
}

fn signal(pid: u32, signal: libc::c_int) {
    let pid = i32::try_from(pid).unwrap();
    assert!(pid > 1);
    // SAFETY: sends a signal to a process this test started.
    unsafe {
        libc::kill(pid, signal);
    }
}

/// Kills what is left of the process group of a run (`process_group(0)` made pickfix its leader).
fn kill_group(pgid: u32) {
    let pgid = i32::try_from(pgid).unwrap();
    assert!(pgid > 1, "refusing to signal process group {pgid}");
    // SAFETY: only sends a signal to the group this test created.
    unsafe {
        libc::killpg(pgid, libc::SIGKILL);
    }
}

fn spawn_pickfix(dir: &Path, args: &[&str], run: &Run) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pickfix"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONSTARTUP")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(if run.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for (key, value) in &run.env {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

fn pickfix_run(dir: &Path, args: &[&str], run: Run) -> Outcome {
    let mut child = spawn_pickfix(dir, args, &run);
    let pid = child.id();
    if let Some(input) = run.stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let (out, out_reader) = collect(child.stdout.take().unwrap());
    let (err, err_reader) = collect(child.stderr.take().unwrap());
    let deadline = Instant::now() + TIMEOUT;
    let mut terminated = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if let Some(text) = run.terminate_at.filter(|_| !terminated)
            && String::from_utf8_lossy(&err.lock().unwrap()).contains(text)
        {
            signal(pid, libc::SIGTERM);
            terminated = true;
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    kill_group(pid);
    if status.is_none() {
        let _ = child.wait();
    }
    out_reader.join().unwrap();
    err_reader.join().unwrap();
    let text = |buffer: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&buffer.lock().unwrap()).into_owned();
    let outcome = Outcome { code: status.and_then(|s| s.code()), stdout: text(&out), stderr: text(&err) };
    assert!(status.is_some(), "`pickfix {}` timed out:\n{}", args.join(" "), outcome.describe());
    outcome
}

/// `python3` and every CPython 3.8-3.13 that pyenv has, one per minor version, with its version.
fn pythons() -> Vec<(String, (u32, u32))> {
    let mut found: BTreeMap<(u32, u32), String> = BTreeMap::new();
    let mut candidates = vec!["python3".to_string()];
    if let Some(home) = std::env::var_os("HOME") {
        let versions = PathBuf::from(home).join(".pyenv/versions");
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(&versions).map(|dir| dir.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        entries.sort();
        candidates.extend(
            entries
                .iter()
                .filter(|path| {
                    let name = path.file_name().unwrap().to_string_lossy();
                    (8..=13).any(|minor| name.starts_with(&format!("3.{minor}.")))
                })
                .map(|path| path.join("bin/python3"))
                .filter(|python| python.is_file())
                .map(|python| python.display().to_string()),
        );
    }
    for python in candidates {
        if let Some(version) = version_of(&python) {
            found.entry(version).or_insert(python);
        }
    }
    assert!(!found.is_empty(), "no python3");
    found.into_iter().map(|(version, python)| (python, version)).collect()
}

fn version_of(python: &str) -> Option<(u32, u32)> {
    let out = Command::new(python).args(["-c", "import sys; print(*sys.version_info[:2])"]).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut parts = text.split_whitespace().map(|part| part.parse().ok());
    Some((parts.next()??, parts.next()??))
}

/// Prints what a program sees: the default start method, whether multiprocessing was imported before the
/// program did, the user's sitecustomize and PYTHONPATH, a Python child's default, an executor worker's
/// start method and main module, and the temporary folder.
const PROBE: &str = r#"import os
import subprocess
import sys

eager = "multiprocessing.context" in sys.modules
import concurrent.futures
import multiprocessing

import userlib


def worker_view():
    return multiprocessing.get_start_method() + " " + sys.modules["__main__"].__name__


if __name__ == "__main__":
    print("eager", eager)
    print("default", multiprocessing.get_start_method())
    print("sitecustomize", os.environ.get("PICKFIX_TEST_SITECUSTOMIZE"))
    print("userlib", userlib.VALUE)
    child = subprocess.run([sys.executable, "child.py"], stdout=subprocess.PIPE, universal_newlines=True)
    print("child", child.stdout.strip())
    with concurrent.futures.ProcessPoolExecutor(1) as executor:
        print("executor", executor.submit(worker_view).result())
    ours = os.environ["PYTHONPATH"].split(os.pathsep)[0]
    print("folder", ours, os.path.isfile(os.path.join(ours, "sitecustomize.py")))
"#;

const CHILD: &str = "import multiprocessing\nprint(multiprocessing.get_start_method())\n";

/// A sitecustomize the user has on PYTHONPATH: it must still run.
const USER_SITECUSTOMIZE: &str = "import os\nos.environ['PICKFIX_TEST_SITECUSTOMIZE'] = 'ran'\n";

/// `set_start_method("fork")` and `get_context("fork")` keep their choice: a lambda target needs fork.
const EXPLICIT_SET: &str = r#"import multiprocessing


def show():
    print("child of set_start_method:", multiprocessing.get_start_method(), flush=True)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    process = multiprocessing.Process(target=lambda: show())
    process.start()
    process.join()
    print("exit", process.exitcode)
"#;

const EXPLICIT_CONTEXT: &str = r#"import multiprocessing

if __name__ == "__main__":
    context = multiprocessing.get_context("fork")
    process = context.Process(target=lambda: print("child of get_context ran", flush=True))
    process.start()
    process.join()
    print("exit", process.exitcode, "default", multiprocessing.get_start_method())
"#;

fn probe_tree() -> tempfile::TempDir {
    tree(&[
        ("probe.py", PROBE.as_bytes()),
        ("child.py", CHILD.as_bytes()),
        ("explicit_set.py", EXPLICIT_SET.as_bytes()),
        ("explicit_context.py", EXPLICIT_CONTEXT.as_bytes()),
        ("usersite/sitecustomize.py", USER_SITECUSTOMIZE.as_bytes()),
        ("userlib/userlib.py", b"VALUE = 42\n"),
        ("tmp/.keep", b""),
    ])
}

/// The environment of a probe run: the user's PYTHONPATH (two folders) and a TMPDIR to look into.
fn probe_env(dir: &Path) -> Vec<(&'static str, OsString)> {
    let path = std::env::join_paths([dir.join("usersite"), dir.join("userlib")]).unwrap();
    vec![("PYTHONPATH", path), ("TMPDIR", dir.join("tmp").into_os_string())]
}

/// The probe under each start method, the explicit choices, the exit status, on each interpreter.
fn check_interpreter(python: &str, version: (u32, u32)) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = probe_tree();
    let name = format!("{python} ({}.{})", version.0, version.1);
    for method in ["spawn", "forkserver", "fork"] {
        let out = pickfix_run(
            dir.path(),
            &["run", "--start-method", method, "--", python, "probe.py"],
            Run { env: probe_env(dir.path()), ..Run::default() },
        );
        let main = if method == "fork" { "__main__" } else { "__mp_main__" };
        let expected = [
            "eager False".to_string(),
            format!("default {method}"),
            "sitecustomize ran".to_string(),
            "userlib 42".to_string(),
            format!("child {method}"),
            format!("executor {method} {main}"),
        ];
        let lines: Vec<&str> = out.stdout.lines().collect();
        if out.code != Some(0) || lines.len() != 7 || lines[..6] != expected {
            problems.push(format!("{name} --start-method {method}: expected {expected:?}, got:\n{}", out.describe()));
            continue;
        }
        // The folder existed while the command ran, and is gone (TMPDIR is empty again).
        let folder = lines[6].strip_prefix("folder ").and_then(|rest| rest.strip_suffix(" True"));
        match folder {
            Some(folder) if Path::new(folder).starts_with(dir.path().join("tmp")) => {
                if Path::new(folder).exists() {
                    problems.push(format!("{name}: the temporary folder {folder} is left behind"));
                }
            }
            _ => problems.push(format!("{name}: the sitecustomize folder is not in TMPDIR: {}", lines[6])),
        }
        let left: Vec<_> =
            std::fs::read_dir(dir.path().join("tmp")).unwrap().flatten().map(|e| e.file_name()).collect();
        if left.len() != 1 {
            problems.push(format!("{name}: TMPDIR holds {left:?} after the run"));
        }
    }
    let out = pickfix_run(dir.path(), &["run", "--", python, "explicit_set.py"], Run::default());
    if out.code != Some(0) || out.stdout != "child of set_start_method: fork\nexit 0\n" {
        problems.push(format!("{name}: set_start_method(\"fork\") must keep its choice:\n{}", out.describe()));
    }
    let out = pickfix_run(dir.path(), &["run", "--", python, "explicit_context.py"], Run::default());
    if out.code != Some(0) || out.stdout != "child of get_context ran\nexit 0 default spawn\n" {
        problems.push(format!("{name}: get_context(\"fork\") must keep its choice:\n{}", out.describe()));
    }
    let out = pickfix_run(dir.path(), &["run", "--", python, "-c", "import sys; sys.exit(7)"], Run::default());
    if out.code != Some(7) || !out.stderr.is_empty() {
        problems.push(format!("{name}: `sys.exit(7)` must exit 7 and print nothing:\n{}", out.describe()));
    }
    problems
}

#[test]
fn the_default_changes_and_only_the_default_on_every_python() {
    let pythons = pythons();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let problems: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut problems = Vec::new();
                    while let Some((python, version)) =
                        pythons.get(next.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
                    {
                        problems.extend(check_interpreter(python, *version));
                    }
                    problems
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().unwrap()).collect()
    });
    let names: Vec<String> = pythons.iter().map(|(_, (major, minor))| format!("{major}.{minor}")).collect();
    println!("checked on {}", names.join(", "));
    assert!(problems.is_empty(), "{} problem(s):\n\n{}", problems.len(), problems.join("\n\n"));
}

#[test]
fn multiprocess_gets_the_default_too_when_installed() {
    let python = std::env::var("PICKFIX_SWAP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target/swap-venv/bin/python"));
    let has_it = Command::new(&python).args(["-c", "import multiprocess"]).output().is_ok_and(|o| o.status.success());
    if !has_it {
        println!("skipped: no interpreter with multiprocess (scripts/swap-venv.sh makes one)");
        return;
    }
    let dir = tree(&[(
        "dill_pool.py",
        b"import multiprocess\n\nif __name__ == '__main__':\n    print(multiprocess.get_start_method())\n    \
          with multiprocess.Pool(1) as pool:\n        print(pool.map(lambda x: x * 2, [1, 2]))\n",
    )]);
    let python = python.display().to_string();
    for method in ["spawn", "forkserver", "fork"] {
        let out =
            pickfix_run(dir.path(), &["run", "--start-method", method, "--", &python, "dill_pool.py"], Run::default());
        assert_eq!(out.code, Some(0), "{}", out.describe());
        assert_eq!(out.stdout, format!("{method}\n[2, 4]\n"), "{}", out.describe());
    }
}

/// A fixture of `codemods/` or `examples/`, the rule its failure under spawn must be hinted at, and whether
/// the original runs under fork (it then prints its `.stdout`, or this text for a `nofix_` fixture).
struct Sample {
    path: &'static str,
    rule: &'static str,
    passes_under_fork: bool,
    fork_stdout: Option<&'static str>,
}

const SAMPLES: &[Sample] = &[
    // An unguarded pool at module level: under spawn its children fail to bootstrap, for ever.
    Sample {
        path: "examples/everything.py",
        rule: "PF004 (missing-main-guard)",
        passes_under_fork: false,
        fork_stdout: None,
    },
    Sample {
        path: "examples/word_stats.py",
        rule: "PF001 (lambda-to-function)",
        passes_under_fork: false,
        fork_stdout: None,
    },
    Sample {
        path: "codemods/lambda_to_function/basic.py",
        rule: "PF001 (lambda-to-function)",
        passes_under_fork: false,
        fork_stdout: None,
    },
    Sample {
        path: "codemods/local_function_to_function/basic.py",
        rule: "PF002 (local-function-to-function)",
        passes_under_fork: false,
        fork_stdout: None,
    },
    Sample {
        path: "codemods/missing_main_guard/executor_in_for.py",
        rule: "PF004 (missing-main-guard)",
        passes_under_fork: true,
        fork_stdout: None,
    },
    Sample {
        path: "codemods/unpicklable_argument/nofix_open_file_process.py",
        rule: "PF005 (unpicklable-argument)",
        passes_under_fork: true,
        fork_stdout: Some("exit code 0\n"),
    },
];

/// The error family each rule's failure shows, in the words of Python 3.8-3.13.
fn shows_family(rule: &str, stderr: &str) -> bool {
    let families: &[&str] = match &rule[..5] {
        "PF001" => &["<lambda>"],
        "PF002" => &["Can't pickle local object", "Can't get local object"],
        "PF004" => &["bootstrapping phase"],
        "PF005" => &["cannot pickle '"],
        _ => unreachable!(),
    };
    families.iter().any(|family| stderr.contains(family))
}

fn check_sample(sample: &Sample) -> Vec<String> {
    let mut problems = Vec::new();
    let fixture = Fixture::from_path(&root().join(sample.path));
    let file = fixture.path.file_name().unwrap().to_string_lossy().into_owned();
    let original = std::fs::read(&fixture.path).unwrap();
    let dir = tree(&[(file.as_str(), original.as_slice())]);
    let expected = fixture.expected_stdout().or(sample.fork_stdout.map(str::to_string));
    let name = sample.path;

    // Before: the error, then one line naming the rule and the file.
    let hint_end = format!("likely {}", sample.rule);
    let out = pickfix_run(
        dir.path(),
        &["run", "--start-method", "spawn", "--", "python3", &file],
        Run { terminate_at: Some("bootstrapping phase"), ..Run::default() },
    );
    let hint = out.last_stderr_line();
    if out.code == Some(0)
        || !shows_family(sample.rule, &out.stderr)
        || !hint.starts_with("pickfix: ")
        || !hint.contains(&hint_end)
        || !hint.ends_with(&format!("`pickfix {file}` shows the finding"))
        || out.stderr.matches("\npickfix: ").count() != 1
    {
        problems.push(format!("{name}: under spawn it must fail with a hint at {}:\n{}", sample.rule, out.describe()));
    }
    let out = pickfix_run(dir.path(), &["run", "--start-method", "fork", "--", "python3", &file], Run::default());
    if sample.passes_under_fork {
        if out.code != Some(0) || Some(&out.stdout) != expected.as_ref() || out.stderr.contains("pickfix") {
            problems.push(format!("{name}: under fork the original must print its .stdout:\n{}", out.describe()));
        }
    } else if out.code == Some(0) || !out.last_stderr_line().starts_with("pickfix: ") {
        problems.push(format!("{name}: under fork the original must fail, with a hint:\n{}", out.describe()));
    }
    if fixture.kind == common::Kind::NoFix {
        return problems;
    }

    // After `pickfix --write`: the expected output under both.
    let fixed = common::pickfix(dir.path(), &["--write", "--unsafe-fixes", "--isolated", &file]);
    assert_eq!(fixed.code, 0, "{name}: pickfix --write left findings:\n{}{}", fixed.stdout, fixed.stderr);
    assert_ne!(std::fs::read(dir.path().join(&file)).unwrap(), original, "{name}: nothing was fixed");
    for method in ["spawn", "fork"] {
        let out = pickfix_run(dir.path(), &["run", "--start-method", method, "--", "python3", &file], Run::default());
        if out.code != Some(0) || Some(&out.stdout) != expected.as_ref() {
            problems.push(format!("{name}: fixed, under {method}, it must print its .stdout:\n{}", out.describe()));
        }
    }
    problems
}

#[test]
fn samples_fail_with_the_rule_named_then_pass_once_fixed() {
    let problems: Vec<String> = std::thread::scope(|scope| {
        let halves: Vec<_> = [0, 1]
            .map(|half| {
                scope
                    .spawn(move || SAMPLES.iter().skip(half).step_by(2).flat_map(check_sample).collect::<Vec<String>>())
            })
            .into_iter()
            .collect();
        halves.into_iter().flat_map(|half| half.join().unwrap()).collect()
    });
    assert!(problems.is_empty(), "{} problem(s):\n\n{}", problems.len(), problems.join("\n\n"));
}

/// `python -m mypkg`. (A function defined in a package's `__main__.py` itself cannot be a task under spawn or
/// forkserver, pickfix or not: multiprocessing does not import a `__main__` module by name in its children.)
#[test]
fn a_module_run_with_dash_m_sees_the_default() {
    let dir = tree(&[
        ("mypkg/__init__.py", b""),
        ("mypkg/work.py", b"def double(x):\n    return 2 * x\n"),
        (
            "mypkg/__main__.py",
            b"import multiprocessing\n\nfrom mypkg.work import double\n\nif __name__ == '__main__':\n    \
              print(multiprocessing.get_start_method())\n    with multiprocessing.Pool(1) as pool:\n        \
              print(pool.map(double, [1, 2]))\n",
        ),
    ]);
    for method in ["spawn", "forkserver"] {
        let out =
            pickfix_run(dir.path(), &["run", "--start-method", method, "--", "python3", "-m", "mypkg"], Run::default());
        assert_eq!(out.code, Some(0), "{}", out.describe());
        assert_eq!(out.stdout, format!("{method}\n[2, 4]\n"));
    }
}

#[test]
fn stdin_reaches_the_command_and_stderr_comes_through_unchanged_and_at_once() {
    let dir = tree(&[]);
    let out = pickfix_run(
        dir.path(),
        &[
            "run",
            "--",
            "python3",
            "-c",
            "import sys; print(input().upper()); sys.stderr.write('a\\r\\n\\xe9 b'); sys.exit(3)",
        ],
        Run { stdin: Some(b"piped line\n"), ..Run::default() },
    );
    assert_eq!(out.code, Some(3));
    assert_eq!(out.stdout, "PIPED LINE\n");
    // No pickling error: no hint, standard error byte for byte.
    assert_eq!(out.stderr, "a\r\n\u{e9} b");

    // The command's standard error arrives while it waits for its input, not at its end.
    let mut child = spawn_pickfix(
        dir.path(),
        &["run", "--", "python3", "-c", "import sys; sys.stderr.write('early\\n'); sys.stderr.flush(); print(input())"],
        &Run { stdin: Some(b""), ..Run::default() },
    );
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(line, "early\n");
    child.stdin.take().unwrap().write_all(b"late\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).as_ref()), (Some(0), "late\n"));
}

#[test]
fn signals_reach_the_command_and_its_death_by_a_signal_is_128_plus_n() {
    let dir = tree(&[(
        "wait.py",
        b"import sys, time\ntry:\n    print('ready', flush=True)\n    time.sleep(30)\nexcept KeyboardInterrupt:\n    \
          print('interrupted', flush=True)\n    sys.exit(5)\n",
    )]);
    // SIGINT from another process: the command gets it (KeyboardInterrupt), pickfix outlives it.
    for (sent, code, stdout) in [(libc::SIGINT, 5, "ready\ninterrupted\n"), (libc::SIGTERM, 128 + 15, "ready\n")] {
        let mut child = spawn_pickfix(dir.path(), &["run", "--", "python3", "wait.py"], &Run::default());
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(line, "ready\n");
        signal(child.id(), sent);
        out.read_to_string(&mut line).unwrap();
        let status = child.wait().unwrap();
        kill_group(child.id());
        assert_eq!((status.code(), line.as_str()), (Some(code), stdout), "signal {sent}");
    }
    let out = pickfix_run(
        dir.path(),
        &["run", "--", "python3", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
        Run::default(),
    );
    assert_eq!(out.code, Some(128 + 9), "{}", out.describe());
}

/// Ctrl-C on a terminal goes to the whole foreground group: the command must get it once, not twice
/// (a second KeyboardInterrupt would cut its cleanup short). Runs pickfix on a pseudo-terminal.
#[test]
fn ctrl_c_on_a_terminal_reaches_the_command_once() {
    let dir = tree(&[
        (
            "wait.py",
            b"import sys, time\ntry:\n    print('ready', flush=True)\n    time.sleep(30)\nexcept KeyboardInterrupt:\n    \
              print('interrupted', flush=True)\n    time.sleep(0.5)\n    print('cleaned up', flush=True)\n    sys.exit(5)\n",
        ),
        (
            "terminal.py",
            b"import os, pty, select, sys, time\npid, fd = pty.fork()\nif pid == 0:\n    os.execv(sys.argv[1], sys.argv[1:])\n\
              seen = b''\ndef read_until(text, limit):\n    global seen\n    end = time.time() + limit\n    \
              while text not in seen and time.time() < end:\n        if select.select([fd], [], [], 0.05)[0]:\n            \
              try:\n                seen += os.read(fd, 1024)\n            except OSError:\n                break\n\
              read_until(b'ready\\r\\n', 10)\nos.write(fd, b'\\x03')\nread_until(b'cleaned up', 10)\n\
              _, status = os.waitpid(pid, 0)\nprint(seen.decode().replace('\\r', ''))\nprint('status', status >> 8)\n",
        ),
    ]);
    let out = Command::new("python3")
        .args(["terminal.py", env!("CARGO_BIN_EXE_pickfix"), "run", "--", "python3", "wait.py"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A second SIGINT would interrupt the cleanup; a terminal may drop output not yet read at Ctrl-C.
    assert!(stdout.contains("interrupted\ncleaned up\n"), "{stdout}");
    assert_eq!(stdout.matches("interrupted").count(), 1, "{stdout}");
    assert!(stdout.ends_with("status 5\n"), "{stdout}");
}

#[test]
fn a_missing_command_is_an_error_that_names_it() {
    let dir = tree(&[]);
    let out = pickfix_run(dir.path(), &["run", "--", "pickfix-no-such-command", "x"], Run::default());
    assert_eq!(out.code, Some(2));
    assert_eq!(
        out.stderr,
        "pickfix run: cannot start `pickfix-no-such-command`: no such command (is it installed and on PATH?)\n"
    );
    let out = pickfix_run(dir.path(), &["run"], Run::default());
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("<COMMAND>"), "{}", out.stderr);
    let out = pickfix_run(dir.path(), &["run", "--start-method", "thread", "--", "python3"], Run::default());
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("possible values: spawn, forkserver, fork"), "{}", out.stderr);
}

#[test]
fn an_existing_sitecustomize_that_fails_is_reported_as_python_reports_it() {
    // Python prints "Error in sitecustomize" and goes on; the default is still changed.
    let dir = tree(&[("site/sitecustomize.py", b"raise ValueError('broken site')\n")]);
    let run = Run { env: vec![("PYTHONPATH", dir.path().join("site").into_os_string())], ..Run::default() };
    let out = pickfix_run(
        dir.path(),
        &["run", "--", "python3", "-c", "import multiprocessing; print(multiprocessing.get_start_method())"],
        run,
    );
    assert_eq!(out.code, Some(0), "{}", out.describe());
    assert_eq!(out.stdout, "spawn\n");
    assert!(out.stderr.contains("Error in sitecustomize") && out.stderr.contains("broken site"), "{}", out.stderr);
}
