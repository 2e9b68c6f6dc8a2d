//! Packaging with the real clients, from a clean clone of this repository at `HEAD` (what is not committed
//! is not tested):
//! - `pip install <clone>` in a fresh virtualenv builds the wheel through maturin (`pyproject.toml`) and
//!   puts a working `pickfix` on PATH;
//! - pre-commit, installed from PyPI, with README.md's `.pre-commit-config.yaml` pointed at the clone
//!   (`repo:` its path, `rev:` its commit), reports with `pickfix-check`, fixes with `pickfix`, then passes;
//!   the fixed script runs under `spawn`.
//!
//! Each builds pickfix in release once. Compiled crates are kept in `target/packaging-cache`
//! (`CARGO_TARGET_DIR` for maturin's cargo) with pip's downloads, so a second run recompiles only pickfix
//! itself; the two tests take turns with that cache. Both tests skip, saying so, where `python3 -m venv`
//! is unavailable.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::Instant;

/// pre-commit from PyPI, pinned.
const PRE_COMMIT: &str = "pre-commit==4.7.0";

/// A lambda handed to a process pool: fails under `spawn`, prints `[2, 4]` once fixed.
const SCRIPT: &str = "import multiprocessing


def main():
    with multiprocessing.Pool(2) as p:
        print(p.map(lambda x: x * 2, [1, 2]))


if __name__ == \"__main__\":
    main()
";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiled crates (maturin's `CARGO_TARGET_DIR`) and pip's cache, kept between runs.
fn cache() -> PathBuf {
    root().join("target/packaging-cache")
}

/// Held by each test while it builds and runs: both build the wheel in the same `CARGO_TARGET_DIR`, and two
/// maturins staging the same binary at once race (one renames the file the other is about to move: "failed
/// to rename file ... No such file or directory"). The second test then reuses the first one's build.
static SHARED_CACHE: Mutex<()> = Mutex::new(());

/// Says something even when the test harness captures output (`print!` would be captured).
fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// A command that leaves nothing in the user's caches: pre-commit, virtualenv and anything else that
/// follows XDG use `tmp`; cargo's build and pip's downloads go to the shared cache. Git variables of an
/// outer hook (this suite run from a hook) must not steer the temporary repositories.
fn command(program: impl AsRef<std::ffi::OsStr>, tmp: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .env("CARGO_TARGET_DIR", cache())
        .env("PIP_CACHE_DIR", cache().join("pip"))
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("XDG_CACHE_HOME", tmp.join("cache"))
        .env("PRE_COMMIT_HOME", tmp.join("pre-commit-home"))
        .env("VIRTUALENV_OVERRIDE_APP_DATA", tmp.join("virtualenv-app-data"))
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME");
    for variable in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX"] {
        command.env_remove(variable);
    }
    command
}

/// Runs `command`, saying how long `what` took.
fn run(what: &str, command: &mut Command) -> Output {
    let started = Instant::now();
    let out = command.output().unwrap_or_else(|error| panic!("{what}: cannot run {command:?}: {error}"));
    say(&format!("packaging: {what}: {:.1} s (exit {:?})", started.elapsed().as_secs_f64(), out.status.code()));
    out
}

fn text(out: &Output) -> String {
    format!(
        "exit status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `command`, which must succeed.
fn ok(what: &str, command: &mut Command) -> Output {
    let out = run(what, command);
    assert!(out.status.success(), "{what} failed:\n{}", text(&out));
    out
}

/// A fresh virtualenv in `dir`; its `bin` folder, or `None` (the caller skips) when `python3 -m venv` is
/// unavailable.
fn venv(test: &str, dir: &Path) -> Option<PathBuf> {
    match Command::new("python3").arg("-m").arg("venv").arg(dir).output() {
        Ok(out) if out.status.success() => Some(dir.join("bin")),
        Ok(out) => {
            say(&format!(
                "SKIPPED {test}: `python3 -m venv` is unavailable (on Debian: apt-get install python3-venv):\n{}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            None
        }
        Err(error) => {
            say(&format!("SKIPPED {test}: cannot run python3 for `python3 -m venv`: {error}"));
            None
        }
    }
}

/// `git clone` of this repository into `dir`, checked out at this repository's `HEAD`; its commit. A clone
/// gives every file a new mtime, so cargo rebuilds pickfix from it and never takes a binary of other
/// sources from the shared target folder.
fn clean_clone(dir: &Path, tmp: &Path) -> String {
    let head = ok("git rev-parse HEAD", command("git", tmp).arg("-C").arg(root()).args(["rev-parse", "HEAD"]));
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
    let status = run("git status", command("git", tmp).arg("-C").arg(root()).args(["status", "--porcelain"]));
    if !status.stdout.is_empty() {
        say(&format!("packaging: note: uncommitted changes are not tested, only HEAD ({head})"));
    }
    ok("git clone", command("git", tmp).args(["clone", "--quiet"]).arg(root()).arg(dir));
    ok("git checkout HEAD", command("git", tmp).arg("-C").arg(dir).args(["checkout", "--quiet", "--detach", &head]));
    head
}

/// A folder with a `sitecustomize.py` that makes `spawn` the default start method, as on macOS and
/// Windows.
fn spawn_site(tmp: &Path) -> PathBuf {
    let dir = tmp.join("site-spawn");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sitecustomize.py"),
        "import multiprocessing.context\n\
         multiprocessing.context._default_context._default_context = \
         multiprocessing.context._concrete_contexts[\"spawn\"]\n",
    )
    .unwrap();
    dir
}

/// `python3 <script>` in `dir` under `spawn`, with a timeout.
fn run_under_spawn(what: &str, dir: &Path, script: &str, tmp: &Path) -> Output {
    run(
        what,
        command("timeout", tmp)
            .args(["120", "python3", script])
            .current_dir(dir)
            .env("PYTHONPATH", spawn_site(tmp))
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )
}

/// The `.pre-commit-config.yaml` of README.md's "Pre-commit" section, as a user pastes it, with its `repo:`
/// and `rev:` values (placeholders there) replaced by `repo` and `rev`.
fn readme_config(repo: &Path, rev: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme.find("\n## Pre-commit\n").expect("README.md has no `## Pre-commit` section")..];
    let start =
        section.find("```yaml\n").expect("README.md's Pre-commit section has no yaml block") + "```yaml\n".len();
    let yaml = &section[start..start + section[start..].find("```\n").unwrap()];
    assert!(yaml.starts_with("repos:\n"), "README.md's configuration must start with `repos:`:\n{yaml}");
    let mut replaced = 0;
    let config: String = yaml
        .lines()
        .map(|line| {
            let indent = &line[..line.len() - line.trim_start().len()];
            if line.trim_start().starts_with("- repo:") {
                replaced += 1;
                format!("{indent}- repo: {}\n", repo.display())
            } else if line.trim_start().starts_with("rev:") {
                replaced += 1;
                format!("{indent}rev: {rev}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    assert_eq!(replaced, 2, "README.md's configuration must have one `- repo:` and one `rev:` line:\n{yaml}");
    config
}

#[test]
fn pip_install_of_a_clean_clone_puts_pickfix_on_path() {
    let _cache = SHARED_CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let Some(bin) = venv("pip_install_of_a_clean_clone_puts_pickfix_on_path", &tmp.join("venv")) else { return };
    let clone = tmp.join("pickfix");
    clean_clone(&clone, tmp);

    ok(
        "pip install <clone> (builds the wheel)",
        command(bin.join("python"), tmp).args(["-m", "pip", "install"]).arg(&clone),
    );
    assert!(bin.join("pickfix").is_file(), "pip installed no pickfix in {}", bin.display());

    // By name, from PATH, as a user runs it.
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let version = ok("pickfix --version", command("pickfix", tmp).arg("--version").env("PATH", &path));
    assert_eq!(String::from_utf8_lossy(&version.stdout), format!("pickfix {}\n", env!("CARGO_PKG_VERSION")));

    let work = tmp.join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("job.py"), SCRIPT).unwrap();
    let diff = run(
        "pickfix --diff job.py",
        command("pickfix", tmp).args(["--diff", "job.py"]).current_dir(&work).env("PATH", &path),
    );
    let stdout = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.status.code(), Some(1), "a non-empty diff exits 1:\n{}", text(&diff));
    assert!(
        stdout.contains("+def _main_map_task(x):\n+    return x * 2\n")
            && stdout.contains("-        print(p.map(lambda x: x * 2, [1, 2]))\n")
            && stdout.contains("+        print(p.map(_main_map_task, [1, 2]))\n"),
        "not the diff of PF001's fix:\n{}",
        text(&diff)
    );
    assert_eq!(std::fs::read_to_string(work.join("job.py")).unwrap(), SCRIPT, "--diff changed the file");
    say(&format!(
        "packaging: pip_install_of_a_clean_clone_puts_pickfix_on_path: {:.1} s in all",
        started.elapsed().as_secs_f64()
    ));
}

#[test]
fn pre_commit_hooks_report_then_fix_a_lambda_handed_to_a_pool() {
    let _cache = SHARED_CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let Some(bin) = venv("pre_commit_hooks_report_then_fix_a_lambda_handed_to_a_pool", &tmp.join("venv")) else {
        return;
    };
    ok(
        &format!("pip install {PRE_COMMIT}"),
        command(bin.join("python"), tmp).args(["-m", "pip", "install", "--quiet", PRE_COMMIT]),
    );
    let clone = tmp.join("pickfix");
    let head = clean_clone(&clone, tmp);

    // The user's repository: the script and the configuration README.md gives, pointed at the clone.
    let project = tmp.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("job.py"), SCRIPT).unwrap();
    let config = readme_config(&clone, &head);
    say(&format!("packaging: .pre-commit-config.yaml:\n{config}"));
    std::fs::write(project.join(".pre-commit-config.yaml"), &config).unwrap();
    let check_config = config.replace("- id: pickfix\n", "- id: pickfix-check\n");
    assert_ne!(check_config, config, "README.md's configuration has no `- id: pickfix` line");
    std::fs::write(project.join("check.yaml"), check_config).unwrap();
    ok("git init", command("git", tmp).args(["init", "--quiet"]).current_dir(&project));
    ok("git add", command("git", tmp).args(["add", "--all"]).current_dir(&project));

    let before = run_under_spawn("python3 job.py under spawn, before", &project, "job.py", tmp);
    assert!(
        !before.status.success() && String::from_utf8_lossy(&before.stderr).to_lowercase().contains("pickle"),
        "the script must fail under spawn with a pickling error before the fix:\n{}",
        text(&before)
    );

    let pre_commit =
        |what: &str, args: &[&str]| run(what, command(bin.join("pre-commit"), tmp).args(args).current_dir(&project));

    // pickfix-check reports and changes nothing (pre-commit builds the hook's environment here).
    let check = pre_commit(
        "pre-commit run --all-files, pickfix-check (builds the hook environment)",
        &["run", "--all-files", "--config", "check.yaml"],
    );
    let check_out = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.code() == Some(1) && check_out.contains("PF001") && check_out.contains("Failed"),
        "pickfix-check must fail and report PF001:\n{}",
        text(&check)
    );
    assert_eq!(std::fs::read_to_string(project.join("job.py")).unwrap(), SCRIPT, "pickfix-check changed the file");

    // pickfix fixes: the first run fails (files were modified), the second passes.
    let first = pre_commit("pre-commit run --all-files, first", &["run", "--all-files"]);
    assert!(
        first.status.code() == Some(1)
            && String::from_utf8_lossy(&first.stdout).contains("files were modified by this hook"),
        "the first run must fix the file and fail:\n{}",
        text(&first)
    );
    let fixed = std::fs::read_to_string(project.join("job.py")).unwrap();
    assert!(fixed.contains("def _main_map_task(x):") && !fixed.contains("lambda"), "not fixed:\n{fixed}");
    let second = pre_commit("pre-commit run --all-files, second", &["run", "--all-files"]);
    assert!(second.status.success(), "the second run must pass:\n{}", text(&second));
    assert_eq!(std::fs::read_to_string(project.join("job.py")).unwrap(), fixed, "the second run changed the file");
    let check = pre_commit(
        "pre-commit run --all-files, pickfix-check after the fix",
        &["run", "--all-files", "--config", "check.yaml"],
    );
    assert!(check.status.success(), "pickfix-check must pass on the fixed file:\n{}", text(&check));

    let after = run_under_spawn("python3 job.py under spawn, after", &project, "job.py", tmp);
    assert!(after.status.success(), "the fixed script must run under spawn:\n{}", text(&after));
    assert_eq!(String::from_utf8_lossy(&after.stdout), "[2, 4]\n");
    say(&format!(
        "packaging: pre_commit_hooks_report_then_fix_a_lambda_handed_to_a_pool: {:.1} s in all",
        started.elapsed().as_secs_f64()
    ));
}
