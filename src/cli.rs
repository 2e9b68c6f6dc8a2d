//! The command line: arguments, the run over files, and all printing.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use ruff_diagnostics::Applicability;

use crate::codemods::Rule;
use crate::finding::Remedy;
use crate::pipeline::{self, Diagnostic, FileReport, Mode};
use crate::{Settings, diff, files};

/// Make Python multiprocessing code survive the `spawn` and `forkserver` start methods.
///
/// Without --diff or --write, pickfix reports what it finds. Exit status: 0 nothing left to report,
/// 1 findings (or a non-empty diff), 2 an error.
#[derive(Debug, Parser)]
#[command(name = "pickfix", version)]
pub struct Args {
    /// Files or folders to process; `-` reads one file from standard input and writes the fixed text.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Print unified diffs of what --write would change; write nothing.
    #[arg(long, conflicts_with = "write")]
    pub diff: bool,

    /// Apply the fixes in place.
    #[arg(long)]
    pub write: bool,

    /// Also apply fixes that are marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Rules to run: codes (PF001), prefixes (PF), names (lambda-to-function) or ALL; comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,

    /// Rules to leave out, in the same form as --select.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Skip files and folders matching this glob (repeatable), besides .gitignore and the defaults.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// The file name to report for `-` (standard input).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Parse every file, including those that cannot contain a finding (slower; reports every syntax error).
    #[arg(long)]
    pub no_prefilter: bool,

    /// Instead of moving lambdas, local functions and local classes to module level, swap the file's
    /// pool for a dill-based one (`multiprocess`, or pathos's `ProcessingPool`): one unsafe fix per file,
    /// applied with --unsafe-fixes. The package must then be installed.
    #[arg(long, value_enum, value_name = "PACKAGE")]
    pub swap: Option<crate::Swap>,

    /// List the codemods and exit.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    Success = 0,
    Failure = 1,
    Error = 2,
    /// SIGINT or SIGTERM: the writes under way finished, no other file was touched.
    Interrupted = 130,
}

/// Set by SIGINT/SIGTERM. Every write is a single rename, so a file is always either as it was or fully
/// fixed; once this is set, no new write starts.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The name prefix of the threads that process files.
const WORKER: &str = "pickfix-worker-";

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// One file's report with its text made in the worker (a diff is the costly part); printed in path order
/// once every file is done.
struct Printed {
    /// Finding lines to print.
    lines: Vec<String>,
    /// With --diff: what --write would change.
    diff: String,
    /// The counts, the error and whether the file was written (its texts dropped).
    report: FileReport,
}

impl Printed {
    fn new(mut report: FileReport, mode: Mode, settings: &Settings) -> Printed {
        let display = report.path.display().to_string();
        let lines = render(&display, &report.diagnostics, settings);
        let change = report.change.take();
        let diff = change.filter(|_| mode == Mode::Fix).map(|c| diff::unified(&display, &c.before, &c.after));
        Printed { lines, diff: diff.unwrap_or_default(), report }
    }
}

/// Installs the process-wide handlers once, however often [`run`] is called.
fn install_handlers() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Refused when the process already has a handler (pickfix used as a library): that one stays.
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
        // A worker's panic is reported per file (see `pipeline::process_file`), not as a backtrace; any
        // other thread's panic is a pickfix bug and keeps the default report.
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !std::thread::current().name().is_some_and(|name| name.starts_with(WORKER)) {
                default_hook(info);
            }
        }));
    });
}

pub fn run(args: &Args) -> io::Result<ExitStatus> {
    if args.list {
        let mut out = io::stdout().lock();
        for rule in Rule::ALL {
            writeln!(out, "{} {:<26} {}", rule.code(), rule.name(), rule.summary())?;
        }
        return Ok(ExitStatus::Success);
    }
    let settings = match settings(args) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("pickfix: {message}");
            return Ok(ExitStatus::Error);
        }
    };
    let exclude = match exclude_set(&args.exclude) {
        Ok(set) => set,
        Err(message) => {
            eprintln!("pickfix: {message}");
            return Ok(ExitStatus::Error);
        }
    };
    // --diff fixes in memory and prints what --write would write.
    let mode = if args.write {
        Mode::Write
    } else if args.diff {
        Mode::Fix
    } else {
        Mode::Check
    };
    install_handlers();
    // Deeply nested code makes for deep recursion: give the workers room.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .thread_name(|i| format!("{WORKER}{i}"))
        .build()
        .map_err(io::Error::other)?;
    if args.paths.len() == 1 && args.paths[0].as_os_str() == "-" {
        return pool.install(|| run_stdin(args, &settings));
    }
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("pickfix: `-` (standard input) cannot be combined with other paths");
        return Ok(ExitStatus::Error);
    }

    let files::Discovery { files: paths, errors: walk_errors, skipped } = files::discover(&args.paths, &exclude);
    let printed: Vec<Printed> = pool.install(|| {
        paths
            .par_iter()
            .map(|path| Printed::new(pipeline::process_file(path, mode, &settings, &INTERRUPTED), mode, &settings))
            .collect()
    });

    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let mut errors = 0;
    for (path, reason) in &walk_errors {
        writeln!(stderr, "{}: {reason}", path.display())?;
        errors += 1;
    }
    for (path, reason) in &skipped {
        writeln!(stderr, "{}: skipped: {reason}", path.display())?;
    }
    let (mut found, mut fixable, mut fixed, mut remaining, mut changed) = (0, 0, 0, 0, 0);
    let mut swap_offered = false;
    for Printed { lines, diff, report } in &printed {
        let path = &report.path;
        for line in lines {
            writeln!(stdout, "{line}")?;
        }
        stdout.write_all(diff.as_bytes())?;
        noqa_warnings(&mut stderr, &path.display().to_string(), report)?;
        if let Some(error) = &report.error {
            writeln!(stderr, "{}: {error}", path.display())?;
            errors += 1;
        }
        if report.written {
            let s = if report.fixed == 1 { "" } else { "s" };
            writeln!(stderr, "Fixed {} problem{s} in {}", report.fixed, path.display())?;
        }
        swap_offered |= report.swap_offered;
        found += report.found;
        fixable += report.fixable;
        fixed += report.fixed;
        remaining += report.remaining;
        changed += usize::from(!diff.is_empty() || report.written);
    }
    match mode {
        Mode::Check => {
            if found == 0 {
                writeln!(stdout, "No problems found.")?;
            } else {
                writeln!(stdout, "Found {found} problem{} ({fixable} fixable).", plural(found))?;
                if fixable > 0 {
                    writeln!(stdout, "[*] {fixable} fixable with `pickfix --write`.")?;
                }
            }
        }
        Mode::Fix => {
            writeln!(
                stderr,
                "Would fix {fixed} problem{} in {changed} file{}; {remaining} left without a fix.",
                plural(fixed),
                plural(changed)
            )?;
        }
        Mode::Write => {
            writeln!(
                stderr,
                "Fixed {fixed} problem{} in {changed} file{}; {remaining} left without a fix.",
                plural(fixed),
                plural(changed)
            )?;
        }
    }
    if errors > 0 {
        writeln!(stderr, "{errors} path{} could not be processed.", plural(errors))?;
    }
    if let Some(swap) = settings.swap.filter(|_| swap_offered) {
        swap_note(&mut stderr, swap, &settings)?;
    }
    stdout.flush()?;
    if interrupted() {
        writeln!(stderr, "pickfix: interrupted; every file is either as it was or completely fixed")?;
        return Ok(ExitStatus::Interrupted);
    }
    Ok(if errors > 0 {
        ExitStatus::Error
    } else if found > 0 && mode == Mode::Check || remaining > 0 || changed > 0 && mode == Mode::Fix {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// What the user must install after `--swap`, and how to apply it when it was only offered.
fn swap_note(out: &mut impl Write, swap: crate::Swap, settings: &Settings) -> io::Result<()> {
    let package = swap.package();
    writeln!(
        out,
        "pickfix: files swapped by `--swap {package}` import `{package}`: install it with `pip install {package}`"
    )?;
    if settings.applicability != Applicability::Unsafe {
        writeln!(out, "pickfix: the swap is an unsafe fix: add --unsafe-fixes to apply it")?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn settings(args: &Args) -> Result<Settings, String> {
    let resolve = |words: &[String]| -> Result<Vec<Rule>, String> {
        let mut rules = Vec::new();
        for word in words.iter().filter(|w| !w.trim().is_empty()) {
            let matched = Rule::matching(word);
            if matched.is_empty() {
                return Err(format!("unknown rule selector `{word}` (see `pickfix --list`)"));
            }
            rules.extend(matched);
        }
        Ok(rules)
    };
    let mut rules = if args.select.is_empty() { Rule::ALL.to_vec() } else { resolve(&args.select)? };
    let ignored = resolve(&args.ignore)?;
    rules.retain(|rule| !ignored.contains(rule));
    rules.sort();
    rules.dedup();
    Ok(Settings {
        rules,
        applicability: if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe },
        prefilter: !args.no_prefilter,
        swap: args.swap,
    })
}

fn exclude_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob).map_err(|err| format!("invalid --exclude glob `{glob}`: {err}"))?);
    }
    builder.build().map_err(|err| err.to_string())
}

/// One line a finding: `path:line:col: CODE [*] message; fix: title`.
fn render(path: &str, diagnostics: &[Diagnostic], settings: &Settings) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let (mark, note) = match &d.finding.remedy {
                Remedy::Fix { title, fix } if fix.applies(settings.applicability) => ("[*] ", format!("fix: {title}")),
                Remedy::Fix { title, .. } => ("", format!("unsafe fix with --unsafe-fixes: {title}")),
                Remedy::NoFix(why) => ("", format!("no fix: {why}")),
            };
            format!("{path}:{}:{}: {} {mark}{}; {note}", d.start.line, d.start.column, d.code(), d.message())
        })
        .collect()
}

/// A malformed `# noqa` beside a finding suppresses nothing: say so, as ruff does.
fn noqa_warnings(out: &mut impl Write, path: &str, report: &FileReport) -> io::Result<()> {
    for (line, malformed) in &report.invalid_noqa {
        writeln!(out, "{path}:{line}: warning: invalid `# noqa` directive ({malformed}); it suppresses nothing")?;
    }
    Ok(())
}

/// `pickfix -`: the fixed text (or, with --diff, the diff) on stdout, findings left on stderr.
fn run_stdin(args: &Args, settings: &Settings) -> io::Result<ExitStatus> {
    let mut bytes = Vec::new();
    io::stdin().lock().read_to_end(&mut bytes)?;
    let path = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
    let display = path.display().to_string();
    // Standard input is never written back: it is fixed in memory and the result printed.
    let report = pipeline::process_bytes(&path, &bytes, Mode::Fix, settings, &INTERRUPTED);
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    for line in render(&display, &report.diagnostics, settings) {
        writeln!(stderr, "{line}")?;
    }
    noqa_warnings(&mut stderr, &display, &report)?;
    if let Some(swap) = settings.swap.filter(|_| report.swap_offered) {
        swap_note(&mut stderr, swap, settings)?;
    }
    if let Some(error) = &report.error {
        writeln!(stderr, "{display}: {error}")?;
        if !args.diff {
            stdout.write_all(&bytes)?;
        }
        return Ok(ExitStatus::Error);
    }
    let diff = match &report.change {
        Some(change) if args.diff => diff::unified(&display, &change.before, &change.after),
        _ => String::new(),
    };
    if args.diff {
        stdout.write_all(diff.as_bytes())?;
    } else {
        stdout.write_all(report.change.as_ref().map_or(&bytes, |change| &change.bytes))?;
    }
    stdout.flush()?;
    let failed = report.remaining > 0 || args.diff && !diff.is_empty();
    Ok(if failed { ExitStatus::Failure } else { ExitStatus::Success })
}
