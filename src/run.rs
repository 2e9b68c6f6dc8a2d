//! `pickfix run [--start-method spawn|forkserver|fork] -- COMMAND [ARGS...]`: runs a command (`python
//! script.py`, `pytest`, `python -m pkg`) with the default start method of `multiprocessing` (and so of
//! `concurrent.futures`, and of `multiprocess` when installed) set to the chosen one, as macOS and Windows
//! (`spawn`) or Python 3.14 on Linux (`forkserver`) choose it, to see on Linux today what those will do.
//!
//! The mechanism is a `sitecustomize.py` ([`SITECUSTOMIZE`], `src/run/sitecustomize.py`) in a temporary
//! folder put first on `PYTHONPATH` (the user's entries follow it), removed when the command ends. It
//! changes the default only (`DefaultContext._default_context`), when `multiprocessing.context` is
//! imported, so `set_start_method()` and `get_context("fork")` keep working; then it imports the
//! `sitecustomize` it hides. Python children inherit `PYTHONPATH`, and with it the same default.
//!
//! The command keeps pickfix's standard input and output; its standard error is relayed as it comes, a
//! bounded tail kept: when the command fails with a pickling or bootstrapping error, [`hint`] adds one
//! line naming the likely rule and `pickfix <file>` for the file of the traceback. SIGINT, SIGTERM, SIGHUP
//! and SIGQUIT are passed on to the command (not those a terminal already sent to it), and pickfix waits
//! for it, as `time` does. The exit status is the command's, `128 + N` when signal N ended it; a command
//! that cannot be started exits 2.

use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use clap::Parser;

use crate::codemods::Rule;

/// Run a command (`python script.py`, `pytest`) with another default start method of multiprocessing.
///
/// Python code that chooses its start method itself (`set_start_method`, `get_context("fork")`) keeps
/// its choice. The exit status is the command's (128 + N when signal N ended it); 2 when it cannot be
/// started.
#[derive(Debug, Parser)]
#[command(
    name = "pickfix run",
    bin_name = "pickfix run",
    version,
    override_usage = "pickfix run [--start-method METHOD] -- COMMAND [ARGS]..."
)]
pub struct RunArgs {
    /// The default start method of multiprocessing, concurrent.futures and multiprocess in the command.
    #[arg(long, value_enum, value_name = "METHOD", default_value_t = StartMethod::Spawn)]
    pub start_method: StartMethod,

    /// The command to run and its arguments, after `--`: `pickfix run -- pytest -x`.
    #[arg(required = true, trailing_var_arg = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

/// A start method of `multiprocessing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StartMethod {
    /// A fresh interpreter per process (macOS and Windows).
    Spawn,
    /// Processes forked from a server process started fresh (Linux from Python 3.14).
    Forkserver,
    /// A copy of the parent (Linux before Python 3.14).
    Fork,
}

impl StartMethod {
    pub fn name(self) -> &'static str {
        match self {
            StartMethod::Spawn => "spawn",
            StartMethod::Forkserver => "forkserver",
            StartMethod::Fork => "fork",
        }
    }
}

/// The template of the `sitecustomize.py`; `@START_METHOD@` stands for the method.
pub const SITECUSTOMIZE: &str = include_str!("run/sitecustomize.py");

/// How much of the command's standard error is kept to look for an error.
const TAIL: usize = 64 * 1024;

/// How long the relay of standard error may go on once the command has ended: a process it started may
/// keep the pipe open.
const DRAIN: Duration = Duration::from_secs(1);

/// The `sitecustomize.py` that makes `method` the default.
pub fn sitecustomize(method: StartMethod) -> String {
    SITECUSTOMIZE.replace("@START_METHOD@", method.name())
}

/// `PYTHONPATH` for the command: `dir` first, then the user's entries. An empty `PYTHONPATH` adds nothing
/// (an empty entry would add the working folder).
pub fn python_path(dir: &Path, existing: Option<&OsStr>) -> Result<OsString, String> {
    let mut entries = vec![dir.to_path_buf()];
    if let Some(existing) = existing.filter(|value| !value.is_empty()) {
        entries.extend(std::env::split_paths(existing));
    }
    std::env::join_paths(entries).map_err(|err| format!("cannot set PYTHONPATH: {err}"))
}

/// Runs the command; returns the exit status pickfix must exit with. Errors are printed here.
pub fn run(args: &RunArgs) -> i32 {
    match execute(args) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(io::stderr(), "pickfix run: {message}");
            2
        }
    }
}

fn execute(args: &RunArgs) -> Result<i32, String> {
    let Some((program, arguments)) = args.command.split_first() else {
        return Err("no command given: `pickfix run -- COMMAND [ARGS...]`".to_string());
    };
    let shown = program.to_string_lossy();
    let dir = tempfile::Builder::new()
        .prefix("pickfix-run-")
        .tempdir()
        .map_err(|err| format!("cannot make a temporary folder: {err}"))?;
    std::fs::write(dir.path().join("sitecustomize.py"), sitecustomize(args.start_method))
        .map_err(|err| format!("cannot write {}: {err}", dir.path().join("sitecustomize.py").display()))?;
    let path = python_path(dir.path(), std::env::var_os("PYTHONPATH").as_deref())?;
    let mut command = Command::new(program);
    command
        .args(arguments)
        .env("PYTHONPATH", path)
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped());

    let forwarding = signals::Forwarding::install();
    let mut child = command.spawn().map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => format!("cannot start `{shown}`: no such command (is it installed and on PATH?)"),
        _ => format!("cannot start `{shown}`: {err}"),
    })?;
    forwarding.started(child.id());
    let relay = Relay::start(child.stderr.take().expect("standard error is piped"));
    let status = forwarding.wait(&mut child).map_err(|err| format!("cannot wait for `{shown}`: {err}"))?;
    let tail = relay.finish(DRAIN);

    if !status.success() {
        let cwd = std::env::current_dir().unwrap_or_default();
        if let Some(line) = hint(&String::from_utf8_lossy(&tail), &cwd, &args.command) {
            let _ = writeln!(io::stderr(), "{line}");
        }
    }
    if let Err(err) = dir.close() {
        let _ = writeln!(io::stderr(), "pickfix run: cannot remove the temporary folder: {err}");
    }
    Ok(exit_code(status))
}

/// The exit status a shell gives a command: its own, or 128 + the signal that ended it.
fn exit_code(status: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    status.code().unwrap_or(1)
}

/// Copies the command's standard error to pickfix's as it comes, and keeps its last [`TAIL`] bytes.
struct Relay {
    tail: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl Relay {
    fn start(mut pipe: impl Read + Send + 'static) -> Relay {
        let tail = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&tail);
        let (sender, done) = mpsc::channel();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            // A closed standard error stops the copy, not the reading: the command must not block on it.
            let mut copying = true;
            loop {
                let n = match pipe.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                };
                if copying {
                    copying = io::stderr().lock().write_all(&chunk[..n]).is_ok();
                }
                let mut tail = kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                tail.extend_from_slice(&chunk[..n]);
                if tail.len() > 2 * TAIL {
                    let excess = tail.len() - TAIL;
                    tail.drain(..excess);
                }
            }
            let _ = sender.send(());
        });
        Relay { tail, done }
    }

    /// Waits for the end of the stream (at most `grace`), and returns the tail.
    fn finish(self, grace: Duration) -> Vec<u8> {
        let _ = self.done.recv_timeout(grace);
        let tail = self.tail.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        tail[tail.len().saturating_sub(TAIL)..].to_vec()
    }
}

/// A kind of error a program that multiprocessing code breaks under `spawn` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `Can't pickle <function <lambda>`, `Can't pickle local object '...<lambda>'`.
    Lambda,
    /// `Can't pickle local object 'main.<locals>.work'` (3.8-3.12), `Can't get local object` (3.13+).
    LocalFunction,
    /// The same for a class: its name starts with a capital letter.
    LocalClass,
    /// `Can't get attribute 'work' on <module '__mp_main__' ...>`: a function the child's `__main__` does not
    /// define (defined under `if __name__ == "__main__":`, or in a notebook).
    MainAttribute,
    /// `Can't get attribute 'work' on <module '__main__' (built-in)>`: the `__main__` of a Jupyter kernel,
    /// which has no file: a function defined in a notebook.
    NotebookAttribute,
    /// `cannot pickle '_thread.lock' object` and the like.
    Unpicklable,
    /// `pool objects cannot be passed between processes or pickled`.
    PoolObject,
    /// `Queue objects should only be shared between processes through inheritance` (also locks, values).
    Inherited,
    /// A child re-ran the script's code that starts processes (or sets the start method) on import.
    Bootstrap,
}

impl Family {
    /// What happened, and the rules that report it.
    fn describe(self) -> (&'static str, String) {
        let rule = |rule: Rule| format!("{} ({})", rule.code(), rule.name());
        match self {
            Family::Lambda => ("a lambda cannot be pickled", rule(Rule::LambdaToFunction)),
            Family::LocalFunction => ("a local function cannot be pickled", rule(Rule::LocalFunctionToFunction)),
            Family::LocalClass => (
                "an instance of a local class cannot be pickled",
                format!("{} or {}", rule(Rule::LocalClassToProcess), rule(Rule::LocalFunctionToFunction)),
            ),
            Family::MainAttribute => (
                "a child process cannot find a function of `__main__`",
                format!(
                    "{} for a function defined under `if __name__ == \"__main__\":`, or {} in a notebook",
                    rule(Rule::LocalFunctionToFunction),
                    rule(Rule::NotebookWorker)
                ),
            ),
            Family::NotebookAttribute => {
                ("a child process cannot find a function defined in a notebook", rule(Rule::NotebookWorker))
            }
            Family::Unpicklable => (
                "an object that cannot be pickled was sent to a process",
                format!(
                    "{}, or {} for a bound method",
                    rule(Rule::UnpicklableArgument),
                    rule(Rule::MethodToStaticmethod)
                ),
            ),
            Family::PoolObject => (
                "a pool was sent to a process (inside `self`?)",
                format!("{} or {}", rule(Rule::MethodToStaticmethod), rule(Rule::PoolOnSelf)),
            ),
            Family::Inherited => {
                ("a multiprocessing queue, lock or value was sent as task data", rule(Rule::QueueToPool))
            }
            Family::Bootstrap => {
                ("a child process re-ran the script's code that starts processes", rule(Rule::MissingMainGuard))
            }
        }
    }
}

/// The family of one line of standard error, if any. `text` is the whole tail (some families need
/// context).
pub fn family(line: &str, text: &str) -> Option<Family> {
    let lower = line.to_lowercase();
    let has = |words: &str| lower.contains(words);
    if has("bootstrapping phase") {
        return Some(Family::Bootstrap);
    }
    // Only a spawned child that runs the main module again sets the start method a second time unasked.
    if has("context has already been set") && (text.contains("_fixup_main_from_") || text.contains("spawn_main")) {
        return Some(Family::Bootstrap);
    }
    if has("should only be shared between processes through inheritance") {
        return Some(Family::Inherited);
    }
    if has("pool objects cannot be passed between processes") {
        return Some(Family::PoolObject);
    }
    let pickling = has("can't pickle") || has("cannot pickle") || has("can't get local object");
    if pickling && has("<lambda>") {
        return Some(Family::Lambda);
    }
    if has("can't pickle local object") || has("can't get local object") {
        // `'main.<locals>.Point'` (3.8-3.13) or `<class 'main.<locals>.Point'>`, `<function ...>` (3.14).
        let local = line.rsplit("<locals>.").next().unwrap_or("");
        let class = has("<class ") || local.chars().next().is_some_and(char::is_uppercase) && !has("<function ");
        return Some(if class { Family::LocalClass } else { Family::LocalFunction });
    }
    if has("can't get attribute '") && has("<module '__main__' (built-in)>") {
        return Some(Family::NotebookAttribute);
    }
    if has("can't get attribute '") && (has("'__main__'") || has("'__mp_main__'") || has("<module '__main__")) {
        return Some(Family::MainAttribute);
    }
    if has("cannot pickle '") || has("can't pickle ") && !has("<function ") {
        return Some(Family::Unpicklable);
    }
    None
}

/// The line pickfix adds after a failed command's standard error (`tail`): what the error means, the likely
/// rule, and `pickfix <file>` for the user's file in the traceback (relative to `cwd` when under it).
/// `command` is the command run: its script is the file when the traceback names none.
pub fn hint(tail: &str, cwd: &Path, command: &[OsString]) -> Option<String> {
    let lines: Vec<&str> = tail.lines().collect();
    let (at, found) = lines.iter().enumerate().rev().find_map(|(i, line)| family(line, tail).map(|f| (i, f)))?;
    let before = lines[..at].iter().rev().flat_map(|line| frames(line).into_iter().rev());
    let after = lines[at..].iter().flat_map(|line| frames(line));
    // `<module '__mp_main__' from '/path/script.py'>` names the script whose `__main__` lacked the function.
    let main_module = (found == Family::MainAttribute)
        .then(|| lines[at].split(" from '").nth(1).and_then(|rest| rest.split('\'').next()))
        .flatten();
    let script = command.iter().skip(1).filter_map(|arg| arg.to_str()).find(|arg| arg.ends_with(".py"));
    // A kernel's traceback names no file of the notebook: the notebook the command runs, if it names one.
    let notebook = command.iter().skip(1).filter_map(|arg| arg.to_str()).find(|arg| arg.ends_with(".ipynb"));
    let candidates: Vec<&str> = if found == Family::NotebookAttribute {
        notebook.into_iter().collect()
    } else {
        main_module.into_iter().chain(before).chain(after).chain(script).collect()
    };
    let file = candidates
        .into_iter()
        .filter(|path| is_user_file(path))
        .map(|path| display_path(path, cwd))
        .find(|path| cwd.join(path).is_file());
    let (what, rules) = found.describe();
    let target = file.map_or_else(|| ".".to_string(), |path| shell_quote(&path));
    Some(format!("pickfix: {what}: likely {rules}; `pickfix {target}` shows the finding"))
}

/// The paths of the `File "..."` frames of a line (two processes writing at once can merge lines).
fn frames(line: &str) -> Vec<&str> {
    line.split("File \"").skip(1).filter_map(|rest| rest.split_once("\", line ").map(|(path, _)| path)).collect()
}

/// Whether a traceback's file is the user's: not `<frozen ...>` or `<string>`, not in site-packages, and
/// not in a Python installation's library (`lib/python3.X`, `Lib` under `Python3X` on Windows, PyPy's).
pub fn is_user_file(path: &str) -> bool {
    if path.is_empty() || path.starts_with('<') {
        return false;
    }
    let parts: Vec<String> = path.split(['/', '\\']).map(str::to_lowercase).collect();
    let pythonish = |part: &str| {
        part.strip_prefix("python")
            .is_some_and(|version| version.trim_end_matches('t').chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    let library = |part: &str| matches!(part, "lib" | "lib64");
    !parts.iter().any(|part| matches!(part.as_str(), "site-packages" | "dist-packages" | "lib-python" | "lib_pypy"))
        && !parts.windows(2).any(|pair| {
            library(&pair[0]) && pythonish(&pair[1]) || pythonish(&pair[0]) && pair[0].len() > 6 && library(&pair[1])
        })
}

/// `path` relative to `cwd` when it is under it.
fn display_path(path: &str, cwd: &Path) -> String {
    let path = Path::new(path);
    let relative = match path.strip_prefix(cwd) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.strip_prefix(".").unwrap_or(path).to_path_buf(),
    };
    relative.to_string_lossy().into_owned()
}

/// Quotes a path for a POSIX shell when it needs it.
fn shell_quote(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || "/._-+:@%,=".contains(c)) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(unix)]
mod signals {
    //! Passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to the command while pickfix waits for it. A terminal
    //! sends Ctrl-C (and Ctrl-\, and a hang-up) to its whole foreground process group, the command
    //! included: those, sent by the kernel, are not sent again. A signal that pickfix ignored when it
    //! started stays ignored (the command inherits that).

    use std::io;
    use std::process::{Child, ExitStatus};
    use std::sync::atomic::{AtomicI32, Ordering};

    const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    /// The command's process id while it runs (0 before and after).
    static CHILD: AtomicI32 = AtomicI32::new(0);
    /// A signal that came before the command started.
    static PENDING: AtomicI32 = AtomicI32::new(0);

    extern "C" fn forward(signal: libc::c_int, info: *mut libc::siginfo_t, _context: *mut libc::c_void) {
        if signal != libc::SIGTERM && sent_to_the_group(info) {
            return;
        }
        let pid = CHILD.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill is async-signal-safe; `pid` is a child not yet reaped (see `wait`).
            unsafe {
                libc::kill(pid, signal);
            }
        } else {
            PENDING.store(signal, Ordering::SeqCst);
        }
    }

    /// Whether the terminal sent the signal (to the whole foreground group, the command included).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn sent_to_the_group(info: *mut libc::siginfo_t) -> bool {
        // SAFETY: the kernel passes a valid siginfo_t with SA_SIGINFO.
        !info.is_null() && unsafe { (*info).si_code } == libc::SI_KERNEL
    }

    /// Elsewhere: whether pickfix is in the terminal's foreground group (the command is in it too).
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn sent_to_the_group(_info: *mut libc::siginfo_t) -> bool {
        // SAFETY: tcgetpgrp and getpgrp are async-signal-safe.
        unsafe { libc::tcgetpgrp(libc::STDIN_FILENO) == libc::getpgrp() }
    }

    pub struct Forwarding {
        /// The signals handled, with the action to put back.
        previous: Vec<(libc::c_int, libc::sigaction)>,
    }

    impl Forwarding {
        pub fn install() -> Forwarding {
            let mut previous = Vec::new();
            for signal in SIGNALS {
                // SAFETY: plain sigaction calls with zeroed, then filled, structures.
                unsafe {
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, std::ptr::null(), &mut old) != 0 || old.sa_sigaction == libc::SIG_IGN {
                        continue;
                    }
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = forward as *const () as libc::sighandler_t;
                    action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
                    libc::sigemptyset(&mut action.sa_mask);
                    if libc::sigaction(signal, &action, std::ptr::null_mut()) == 0 {
                        previous.push((signal, old));
                    }
                }
            }
            Forwarding { previous }
        }

        /// The command runs: signals go to it from now on, and one that came meanwhile goes now.
        pub fn started(&self, pid: u32) {
            CHILD.store(i32::try_from(pid).unwrap_or(0), Ordering::SeqCst);
            let pending = PENDING.swap(0, Ordering::SeqCst);
            if pending != 0 {
                // SAFETY: the child was just started and is not reaped.
                unsafe {
                    libc::kill(pid as libc::pid_t, pending);
                }
            }
        }

        /// Waits until the command exits, stops forwarding before it is reaped (its id could be reused),
        /// then reaps it.
        pub fn wait(&self, child: &mut Child) -> io::Result<ExitStatus> {
            loop {
                // SAFETY: waitid with WNOWAIT leaves the child to be reaped by `Child::wait`.
                let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
                let result = unsafe {
                    libc::waitid(libc::P_PID, child.id() as libc::id_t, &mut info, libc::WEXITED | libc::WNOWAIT)
                };
                if result == 0 {
                    break;
                }
                let err = io::Error::last_os_error();
                if err.kind() != io::ErrorKind::Interrupted {
                    break;
                }
            }
            CHILD.store(0, Ordering::SeqCst);
            child.wait()
        }
    }

    impl Drop for Forwarding {
        fn drop(&mut self) {
            for (signal, old) in &self.previous {
                // SAFETY: puts back the action read in `install`.
                unsafe {
                    libc::sigaction(*signal, old, std::ptr::null_mut());
                }
            }
        }
    }
}

#[cfg(not(unix))]
mod signals {
    //! Elsewhere (Windows) the console sends Ctrl-C to the command itself: pickfix only outlives it.

    use std::io;
    use std::process::{Child, ExitStatus};

    pub struct Forwarding;

    impl Forwarding {
        pub fn install() -> Forwarding {
            let _ = ctrlc::set_handler(|| {});
            Forwarding
        }

        pub fn started(&self, _pid: u32) {}

        pub fn wait(&self, child: &mut Child) -> io::Result<ExitStatus> {
            child.wait()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint_for(tail: &str, cwd: &Path) -> String {
        hint(tail, cwd, &[]).unwrap_or_default()
    }

    #[test]
    fn families_across_versions() {
        let cases = [
            (
                "_pickle.PicklingError: Can't pickle <function <lambda> at 0x7f>: attribute lookup <lambda> on __main__ failed",
                Family::Lambda,
            ),
            ("AttributeError: Can't pickle local object 'main.<locals>.<lambda>'", Family::Lambda),
            ("AttributeError: Can't get local object 'main.<locals>.<lambda>'", Family::Lambda),
            (
                "_pickle.PicklingError: Can't pickle local object <function main.<locals>.<lambda> at 0x7f>",
                Family::Lambda,
            ),
            ("AttributeError: Can't pickle local object 'main.<locals>.work'", Family::LocalFunction),
            ("AttributeError: Can't get local object 'main.<locals>.work'", Family::LocalFunction),
            ("AttributeError: Can't get local object 'main.<locals>.Point'", Family::LocalClass),
            (
                "AttributeError: Can't get attribute 'work' on <module '__mp_main__' from '/t/s.py'>",
                Family::MainAttribute,
            ),
            ("AttributeError: Can't get attribute 'work' on <module '__main__' (built-in)>", Family::NotebookAttribute),
            ("TypeError: cannot pickle '_thread.lock' object", Family::Unpicklable),
            ("TypeError: cannot pickle '_io.TextIOWrapper' object", Family::Unpicklable),
            ("TypeError: cannot pickle 'sqlite3.Connection' object", Family::Unpicklable),
            ("TypeError: can't pickle _thread.RLock objects", Family::Unpicklable),
            ("NotImplementedError: pool objects cannot be passed between processes or pickled", Family::PoolObject),
            (
                "RuntimeError: Queue objects should only be shared between processes through inheritance",
                Family::Inherited,
            ),
            (
                "RuntimeError: Lock objects should only be shared between processes through inheritance",
                Family::Inherited,
            ),
            ("        current process has finished its bootstrapping phase.", Family::Bootstrap),
        ];
        for (line, expected) in cases {
            assert_eq!(family(line, line), Some(expected), "{line}");
        }
        assert_eq!(family("ValueError: bad", ""), None);
        assert_eq!(
            family("RuntimeError: context has already been set", "RuntimeError: context has already been set"),
            None
        );
        let child = "  File \"<string>\", line 1, in <module>\n  File \"/usr/lib/python3.11/multiprocessing/spawn.py\", line 120, in spawn_main\nRuntimeError: context has already been set";
        assert_eq!(family("RuntimeError: context has already been set", child), Some(Family::Bootstrap));
    }

    #[test]
    fn user_files() {
        for path in
            ["/home/me/app/script.py", "script.py", "C:\\work\\app.py", "/srv/lib/pythonic/x.py", "/home/me/lib/x.py"]
        {
            assert!(is_user_file(path), "{path}");
        }
        for path in [
            "<frozen runpy>",
            "<string>",
            "/usr/lib/python3.11/multiprocessing/pool.py",
            "/root/.pyenv/versions/3.13.0/lib/python3.13/multiprocessing/reduction.py",
            "/venv/lib/python3.12/site-packages/pkg/mod.py",
            "/usr/lib/python3/dist-packages/apport.py",
            "/usr/lib64/python3.13t/concurrent/futures/process.py",
            "C:\\Users\\me\\AppData\\Local\\Programs\\Python\\Python311\\Lib\\multiprocessing\\pool.py",
            "/opt/pypy/lib-python/3/pickle.py",
        ] {
            assert!(!is_user_file(path), "{path}");
        }
    }

    #[test]
    fn the_hint_names_the_last_user_frame_before_the_error() {
        let cwd = tempfile::tempdir().unwrap();
        std::fs::create_dir(cwd.path().join("app")).unwrap();
        std::fs::write(cwd.path().join("app/jobs.py"), "").unwrap();
        std::fs::write(cwd.path().join("run.py"), "").unwrap();
        let at = |name: &str| cwd.path().join(name).display().to_string();
        let tail = format!(
            "Traceback (most recent call last):\n  File \"{}\", line 9, in <module>\n    main()\n  File \"{}\", line 5, in main\n    pool.map(lambda x: x, [1])\n  File \"/usr/lib/python3.11/multiprocessing/pool.py\", line 367, in map\n_pickle.PicklingError: Can't pickle <function <lambda> at 0x7f>: attribute lookup <lambda> on __main__ failed\n",
            at("run.py"),
            at("app/jobs.py")
        );
        assert_eq!(
            hint_for(&tail, cwd.path()),
            "pickfix: a lambda cannot be pickled: likely PF001 (lambda-to-function); `pickfix app/jobs.py` shows the finding"
        );
        // A path outside the working folder stays absolute; one that does not exist is passed over.
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("x y.py"), "").unwrap();
        let tail = format!(
            "  File \"{}\", line 3, in <module>\n  File \"/nowhere/gone.py\", line 1, in f\nTypeError: cannot pickle '_thread.lock' object\n",
            other.path().join("x y.py").display()
        );
        assert!(
            hint_for(&tail, cwd.path())
                .ends_with(&format!("`pickfix '{}'` shows the finding", other.path().join("x y.py").display()))
        );
        assert!(
            hint_for(&tail, cwd.path()).contains("PF005 (unpicklable-argument), or PF003 (method-to-staticmethod)")
        );
    }

    #[test]
    fn the_main_module_of_the_child_names_the_script() {
        let cwd = tempfile::tempdir().unwrap();
        std::fs::write(cwd.path().join("main_block.py"), "").unwrap();
        let tail = format!(
            "Process SpawnPoolWorker-1:\nTraceback (most recent call last):\n  File \"/usr/lib/python3.11/multiprocessing/queues.py\", line 367, in get\nAttributeError: Can't get attribute 'work' on <module '__mp_main__' from '{}'>\n",
            cwd.path().join("main_block.py").display()
        );
        let line = hint_for(&tail, cwd.path());
        assert!(
            line.contains("PF002 (local-function-to-function)") && line.contains("PF009 (notebook-worker)"),
            "{line}"
        );
        assert!(line.ends_with("`pickfix main_block.py` shows the finding"), "{line}");
        // No file anywhere: the script on the command line, else the working folder.
        let tail = "RuntimeError: Queue objects should only be shared between processes through inheritance\n";
        let command = [OsString::from("python3"), OsString::from("main_block.py")];
        assert!(hint(tail, cwd.path(), &command).unwrap().ends_with("`pickfix main_block.py` shows the finding"));
        assert!(hint_for(tail, cwd.path()).ends_with("`pickfix .` shows the finding"));
        assert_eq!(hint("Traceback (most recent call last):\nKeyError: 'x'\n", cwd.path(), &command), None);
    }

    #[test]
    fn a_kernels_main_names_the_notebook_the_command_runs() {
        let cwd = tempfile::tempdir().unwrap();
        std::fs::write(cwd.path().join("study.ipynb"), "{}").unwrap();
        let tail = "Process SpawnPoolWorker-1:\nTraceback (most recent call last):\n  File \"/x/site-packages/ipykernel/kernelapp.py\", line 1, in f\nAttributeError: Can't get attribute 'work' on <module '__main__' (built-in)>\n";
        let command = ["jupyter", "nbconvert", "--execute", "study.ipynb"].map(OsString::from);
        let line = hint(tail, cwd.path(), &command).unwrap();
        assert!(line.contains("likely PF009 (notebook-worker)"), "{line}");
        assert!(line.ends_with("`pickfix study.ipynb` shows the finding"), "{line}");
    }

    #[test]
    fn python_path_keeps_the_users_entries_after_ours() {
        let ours = Path::new("/tmp/ours");
        assert_eq!(python_path(ours, None).unwrap(), OsString::from("/tmp/ours"));
        assert_eq!(python_path(ours, Some(OsStr::new(""))).unwrap(), OsString::from("/tmp/ours"));
        assert_eq!(python_path(ours, Some(OsStr::new("/a:/b"))).unwrap(), OsString::from("/tmp/ours:/a:/b"));
    }

    #[test]
    fn the_template_names_the_method() {
        let text = sitecustomize(StartMethod::Forkserver);
        assert!(text.contains("_METHOD = \"forkserver\"") && !text.contains("@START_METHOD@"));
    }
}
