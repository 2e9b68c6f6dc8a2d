//! Fixture discovery shared by the snapshot test and the behaviour test.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pickfix::{Rule, Settings, Swap};
use ruff_diagnostics::Applicability;

/// The packages from PyPI that `scripts/swap-venv.sh` installs (pinned in `tests/swap-requirements.txt`):
/// a fixture that imports one runs with that virtualenv's python.
pub const VENV_PACKAGES: &[&str] = &["multiprocess", "pathos", "pebble", "tqdm", "joblib", "loky", "dask"];

/// What a fixture must show, from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<case>.py`: a finding with a fix; the fixed program runs under spawn.
    Rewrite,
    /// `noop_<case>.py`: no finding, no change; the program runs under spawn as it is.
    Noop,
    /// `nofix_<case>.py`: a finding without a fix; the program really fails under spawn.
    NoFix,
}

#[derive(Debug, Clone)]
pub struct Fixture {
    pub path: PathBuf,
    /// The fixture folder: the codemod's name with `_`.
    pub codemod: String,
    pub case: String,
    pub kind: Kind,
    /// The codemods the fixture is judged with: its folder's own, or all of them for `examples/`.
    pub rules: Vec<Rule>,
    /// `codemods/swap_<package>/`: every codemod, with `--swap <package>`.
    pub swap: Option<Swap>,
    /// The fixture imports a package of [`VENV_PACKAGES`]: it runs in the virtualenv that has them.
    pub needs_venv_packages: bool,
}

impl Fixture {
    pub fn from_path(path: &Path) -> Fixture {
        let codemod = path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let case = path.file_stem().unwrap().to_string_lossy().into_owned();
        let kind = if case.starts_with("noop_") {
            Kind::Noop
        } else if case.starts_with("nofix_") {
            Kind::NoFix
        } else {
            Kind::Rewrite
        };
        let swap = match codemod.as_str() {
            "swap_multiprocess" => Some(Swap::Multiprocess),
            "swap_pathos" => Some(Swap::Pathos),
            _ => None,
        };
        let rules = if codemod == "examples" || swap.is_some() {
            Rule::ALL.to_vec()
        } else {
            let rule = Rule::ALL
                .iter()
                .copied()
                .find(|rule| rule.folder() == codemod)
                .unwrap_or_else(|| panic!("fixture folder `{codemod}` matches no codemod"));
            vec![rule]
        };
        let source = std::fs::read_to_string(path).unwrap();
        let needs_venv_packages = source.lines().any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            matches!(words.as_slice(), ["import" | "from", module, ..]
                if VENV_PACKAGES.contains(&module.split('.').next().unwrap_or(module)))
        });
        Fixture { path: path.to_path_buf(), codemod, case, kind, rules, swap, needs_venv_packages }
    }

    /// The settings the fixture is judged with: its codemods, with `--unsafe-fixes`.
    pub fn settings(&self) -> Settings {
        Settings {
            rules: self.rules.clone(),
            applicability: Applicability::Unsafe,
            swap: self.swap,
            ..Settings::default()
        }
    }

    /// The output the program must print, kept beside the fixture.
    pub fn expected_stdout(&self) -> Option<String> {
        std::fs::read_to_string(self.path.with_extension("stdout")).ok()
    }
}

/// The interpreter of the virtualenv with `multiprocess`, `pathos`, the other APIs' packages and
/// Jupyter's kernel (`PICKFIX_SWAP_PYTHON`, or the one `scripts/swap-venv.sh` makes in
/// `target/swap-venv`, made now when missing).
pub fn swap_python() -> String {
    if let Ok(python) = std::env::var("PICKFIX_SWAP_PYTHON") {
        return python;
    }
    let out = Command::new("bash")
        .arg(root().join("scripts/swap-venv.sh"))
        .stderr(Stdio::inherit())
        .output()
        .expect("cannot run scripts/swap-venv.sh");
    assert!(out.status.success(), "scripts/swap-venv.sh failed: the --swap fixtures need multiprocess and pathos");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The notebooks directly in `dir`, sorted.
fn notebooks(dir: &Path) -> Vec<PathBuf> {
    files_ending(dir, "ipynb")
}

/// Every fixture notebook (`codemods/*/*.ipynb`), sorted.
pub fn notebook_fixtures() -> Vec<Fixture> {
    codemod_fixtures(notebooks)
}

/// The fixtures `files` lists in each folder of `codemods/`, sorted.
fn codemod_fixtures(files: fn(&Path) -> Vec<PathBuf>) -> Vec<Fixture> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(root().join("codemods")).unwrap().map(|entry| entry.unwrap().path()).collect();
    dirs.sort();
    dirs.iter().flat_map(|dir| files(dir)).map(|path| Fixture::from_path(&path)).collect()
}

/// The notebooks shipped in `examples/`.
pub fn notebook_examples() -> Vec<Fixture> {
    notebooks(&root().join("examples")).iter().map(|path| Fixture::from_path(path)).collect()
}

/// Writes the `sitecustomize.py` of `pickfix run` that makes `method` the default start method of
/// `multiprocessing` and `multiprocess` (the tests use the mechanism users get). Checks run in parallel
/// and each asks for the folder: the file is written once, through a rename, so that no interpreter ever
/// starts while it is empty (it would then run under the platform's default, `fork`).
pub fn start_method_dir(root: &Path, method: &str) -> std::path::PathBuf {
    let dir = root.join(format!("site-{method}"));
    std::fs::create_dir_all(&dir).unwrap();
    let method = match method {
        "spawn" => pickfix::run::StartMethod::Spawn,
        "forkserver" => pickfix::run::StartMethod::Forkserver,
        "fork" => pickfix::run::StartMethod::Fork,
        other => panic!("no start method {other}"),
    };
    let content = pickfix::run::sitecustomize(method);
    let path = dir.join("sitecustomize.py");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
        let temporary = dir.join(format!("sitecustomize.{:?}.tmp", std::thread::current().id()));
        std::fs::write(&temporary, &content).unwrap();
        std::fs::rename(&temporary, &path).unwrap();
    }
    dir
}

/// Collects a pipe into a buffer on a thread (join the thread, then read the buffer).
pub fn collect(mut pipe: impl std::io::Read + Send + 'static) -> (SharedBuffer, std::thread::JoinHandle<()>) {
    let buffer = SharedBuffer::default();
    let sink = std::sync::Arc::clone(&buffer);
    let reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    (buffer, reader)
}

/// What [`collect`] fills.
pub type SharedBuffer = std::sync::Arc<std::sync::Mutex<Vec<u8>>>;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.py` files directly in `dir`, sorted.
fn py_files(dir: &Path) -> Vec<PathBuf> {
    files_ending(dir, "py")
}

/// The files directly in `dir` with the extension `ext`, sorted.
fn files_ending(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths
}

/// Every codemod fixture, sorted.
pub fn fixtures() -> Vec<Fixture> {
    codemod_fixtures(py_files)
}

/// The examples shipped in `examples/`: each must be fixed by all codemods together.
pub fn examples() -> Vec<Fixture> {
    py_files(&root().join("examples")).iter().map(|path| Fixture::from_path(path)).collect()
}

// Helpers for end-to-end tests of the `pickfix` binary on temporary trees.

/// A file with one PF001 finding, and what `--write` makes of it.
pub const LAMBDA: &str = "import multiprocessing\n\n\ndef main():\n    with multiprocessing.Pool(2) as pool:\n        print(pool.map(lambda x: x * 2, [1, 2]))\n";
pub const FIXED: &str = "import multiprocessing\n\n\ndef _main_map_task(x):\n    return x * 2\n\n\ndef main():\n    with multiprocessing.Pool(2) as pool:\n        print(pool.map(_main_map_task, [1, 2]))\n";

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn pickfix(dir: &Path, args: &[&str]) -> Out {
    pickfix_stdin(dir, args, None)
}

pub fn pickfix_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pickfix"))
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}
