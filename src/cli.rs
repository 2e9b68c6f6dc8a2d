//! The command line: arguments, the run over files, and all printing.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use ruff_diagnostics::Applicability;

use crate::codemods::Rule;
use crate::finding::Remedy;
use crate::source::{decode, encode};
use crate::{FileError, Settings, check_source_at, diff, files, fix_source_at, locate, write};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Check,
    Diff,
    Write,
}

/// What happened to one file; printed in path order once every file is done.
#[derive(Debug, Default)]
struct Report {
    /// Finding lines to print.
    lines: Vec<String>,
    diff: String,
    /// Problems found, and how many of them have a fix that this run may apply.
    found: usize,
    fixable: usize,
    /// Fixes applied (or, with --diff, that would be).
    fixed: usize,
    /// Findings left after fixing.
    remaining: usize,
    error: Option<String>,
    written: bool,
    /// With --swap: the file's findings offer the swap to a dill-based package.
    swap_offered: bool,
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
    let mode = if args.write {
        Mode::Write
    } else if args.diff {
        Mode::Diff
    } else {
        Mode::Check
    };
    // A second handler (tests calling `run` twice) is refused: the first one stays, which is what we want.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    // A worker's panic is reported per file (see `process_guarded`), not as a backtrace; any other
    // thread's panic is a pickfix bug and keeps the default report.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !std::thread::current().name().is_some_and(|name| name.starts_with(WORKER)) {
            default_hook(info);
        }
    }));
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
    let reports: Vec<Report> =
        pool.install(|| paths.par_iter().map(|path| process_guarded(path, mode, &settings)).collect());

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
    for (path, report) in paths.iter().zip(&reports) {
        for line in &report.lines {
            writeln!(stdout, "{line}")?;
        }
        stdout.write_all(report.diff.as_bytes())?;
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
        changed += usize::from(!report.diff.is_empty() || report.written);
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
        Mode::Diff => {
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
    } else if found > 0 && mode == Mode::Check || remaining > 0 || changed > 0 && mode == Mode::Diff {
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

/// [`process`], with a panic turned into an error on that file: one bad file never stops the run.
fn process_guarded(path: &Path, mode: Mode, settings: &Settings) -> Report {
    std::panic::catch_unwind(|| process(path, mode, settings)).unwrap_or_else(|payload| {
        let cause = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("unknown cause");
        Report {
            error: Some(format!("internal error: pickfix crashed on this file ({cause}); the file was left unchanged")),
            ..Report::default()
        }
    })
}

/// Processes one file completely (read, decode, parse, check or fix, write).
fn process(path: &Path, mode: Mode, settings: &Settings) -> Report {
    let mut report = Report::default();
    if interrupted() {
        return report;
    }
    let display = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            report.error = Some(format!("cannot read: {}", files::describe_io(&err)));
            return report;
        }
    };
    if !settings.may_contain_finding(&bytes) {
        return report;
    }
    if let Err(error) = process_bytes(path, &display, &bytes, mode, settings, &mut report, |new| {
        if interrupted() {
            return Ok(false);
        }
        write::replace_file(path, &bytes, new).map_err(|err| format!("cannot write: {}", files::describe_io(&err)))?;
        Ok(true)
    }) {
        report.error = Some(error);
    }
    report
}

/// The part of [`process`] shared with standard input: `on_write` stores the new bytes.
fn process_bytes(
    path: &Path,
    display: &str,
    bytes: &[u8],
    mode: Mode,
    settings: &Settings,
    report: &mut Report,
    on_write: impl FnOnce(&[u8]) -> Result<bool, String>,
) -> Result<Option<Vec<u8>>, String> {
    let decoded = decode(bytes).map_err(|err| FileError::from(err).to_string())?;
    if mode == Mode::Check {
        let findings = check_source_at(Some(path), &decoded.text, settings).map_err(|err| err.to_string())?;
        report.found = findings.len();
        report.fixable = findings.iter().filter(|f| f.is_fixable(settings.applicability)).count();
        report.lines = render(display, &decoded.text, &findings, settings);
        report.swap_offered = settings.swap.is_some() && crate::codemods::swap::offered(&findings);
        return Ok(None);
    }
    let fixed = fix_source_at(Some(path), &decoded.text, settings).map_err(|err| err.to_string())?;
    report.found = fixed.initial.len();
    report.remaining = fixed.remaining.len();
    report.lines = render(display, &fixed.text, &fixed.remaining, settings);
    report.swap_offered = settings.swap.is_some() && crate::codemods::swap::offered(&fixed.initial);
    if fixed.applied == 0 {
        return Ok(None);
    }
    let new_bytes = encode(&fixed.text, decoded.encoding, decoded.bom).map_err(|err| format!("cannot write: {err}"))?;
    report.fixed = fixed.applied;
    match mode {
        Mode::Diff => report.diff = diff::unified(display, &decoded.text, &fixed.text),
        Mode::Write => {
            // Only what reached the disk counts as fixed.
            report.written = on_write(&new_bytes).inspect_err(|_| report.fixed = 0)?;
            if !report.written {
                report.fixed = 0;
            }
        }
        Mode::Check => {}
    }
    Ok(Some(new_bytes))
}

/// One line a finding: `path:line:col: CODE [*] message; fix: title`.
fn render(path: &str, text: &str, findings: &[crate::Finding], settings: &Settings) -> Vec<String> {
    locate(text, findings)
        .into_iter()
        .map(|at| {
            let f = at.finding;
            let (mark, note) = match &f.remedy {
                Remedy::Fix { title, fix } if fix.applies(settings.applicability) => ("[*] ", format!("fix: {title}")),
                Remedy::Fix { title, .. } => ("", format!("unsafe fix with --unsafe-fixes: {title}")),
                Remedy::NoFix(why) => ("", format!("no fix: {why}")),
            };
            format!("{path}:{}:{}: {} {mark}{}; {note}", at.line, at.column, f.rule.code(), f.message)
        })
        .collect()
}

/// `pickfix -`: the fixed text (or, with --diff, the diff) on stdout, findings left on stderr.
fn run_stdin(args: &Args, settings: &Settings) -> io::Result<ExitStatus> {
    let mut bytes = Vec::new();
    io::stdin().lock().read_to_end(&mut bytes)?;
    let display = args.stdin_filename.as_ref().map_or("-".to_string(), |p| p.display().to_string());
    let mode = if args.diff { Mode::Diff } else { Mode::Write };
    let mut report = Report::default();
    let path = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
    let result = process_bytes(&path, &display, &bytes, mode, settings, &mut report, |_| Ok(true));
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    for line in &report.lines {
        writeln!(stderr, "{line}")?;
    }
    if let Some(swap) = settings.swap.filter(|_| report.swap_offered) {
        swap_note(&mut stderr, swap, settings)?;
    }
    match result {
        Err(error) => {
            writeln!(stderr, "{display}: {error}")?;
            if !args.diff {
                stdout.write_all(&bytes)?;
            }
            Ok(ExitStatus::Error)
        }
        Ok(new) => {
            if args.diff {
                stdout.write_all(report.diff.as_bytes())?;
            } else {
                stdout.write_all(new.as_deref().unwrap_or(&bytes))?;
            }
            stdout.flush()?;
            let failed = report.remaining > 0 || args.diff && !report.diff.is_empty();
            Ok(if failed { ExitStatus::Failure } else { ExitStatus::Success })
        }
    }
}
