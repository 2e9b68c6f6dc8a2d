//! The command line: arguments, the run over files, and all printing.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use clap::Parser;
use rayon::prelude::*;
use ruff_diagnostics::Applicability;
use ruff_source_file::LineIndex;

use crate::codemods::Rule;
use crate::output::{self, Fixability, Item, OutputFormat, Styles};
use crate::pipeline::{self, FileReport, Mode};
use crate::{Settings, config, diff, files};

/// Make Python multiprocessing code survive the `spawn` and `forkserver` start methods.
///
/// Without --diff or --write, pickfix reports what it finds. Exit status: 0 nothing left to report,
/// 1 findings (or a non-empty diff), 2 an error. `pickfix check [OPTIONS] [PATH]...` is the same
/// command (as ruff users type it); `pickfix rule PF001` (or `--all`) prints a rule's docs;
/// `pickfix run [--start-method spawn] -- COMMAND` runs a command under another start method.
#[derive(Debug, Parser)]
#[command(name = "pickfix", version)]
pub struct Args {
    /// Files or folders to process; `-` reads one file from standard input and writes the fixed text.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Print unified diffs of what --write would change (only the patch goes to stdout; findings and
    /// the summary go to stderr); write nothing.
    #[arg(long, conflicts_with = "write")]
    pub diff: bool,

    /// Apply the fixes in place (`--fix` is the same).
    #[arg(long, visible_alias = "fix")]
    pub write: bool,

    /// Also apply fixes that are marked unsafe (overrides `unsafe-fixes` in a configuration file).
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,

    /// Do not apply unsafe fixes, even when a configuration file sets `unsafe-fixes = true`.
    #[arg(long, overrides_with = "unsafe_fixes")]
    pub no_unsafe_fixes: bool,

    /// How findings are printed.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Full)]
    pub output_format: OutputFormat,

    /// Colour: `auto` on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    pub statistics: bool,

    /// With --write or --diff: list, per file and rule, the findings that were (or would be) fixed.
    #[arg(long)]
    pub show_fixes: bool,

    /// Print the findings (and the diff) only, no summary; `-qq` prints nothing, like --silent.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub quiet: u8,

    /// Print nothing (the exit status still tells); standard input still gets its fixed text back.
    #[arg(short, long)]
    pub silent: bool,

    /// Exit 0 even when findings are left (errors still exit 2).
    #[arg(long, conflicts_with = "exit_non_zero_on_fix")]
    pub exit_zero: bool,

    /// With --write: exit 1 when a file was changed, even if no finding is left.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,

    /// Rules to run: codes (PF001), prefixes (PF), names (lambda-to-function) or ALL; comma-separated.
    /// Replaces the `select`, `extend-select` and `ignore` of configuration files.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,

    /// Rules to run besides those selected, in the same form as --select.
    #[arg(long, value_delimiter = ',', value_name = "SELECT")]
    pub extend_select: Vec<String>,

    /// Rules to leave out, in the same form as --select.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Skip files and folders matching this glob (repeatable), besides .gitignore, the defaults and the
    /// configured `exclude`: `tests/*` is anchored at the working directory, a bare name (`gen`) matches
    /// at any depth.
    #[arg(long, value_name = "GLOB", visible_alias = "extend-exclude")]
    pub exclude: Vec<String>,

    /// Apply the exclusions to files and folders named on the command line too (as pre-commit passes
    /// them).
    #[arg(long)]
    pub force_exclude: bool,

    /// Use this configuration file for every file (a `pyproject.toml` is read from `[tool.pickfix]`,
    /// any other file from its top-level keys); patterns are anchored at its folder.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file: defaults and flags only.
    #[arg(long)]
    pub isolated: bool,

    /// Print the settings that apply to FILE, and the configuration file they come from, then exit.
    #[arg(long, value_name = "FILE")]
    pub show_settings: Option<PathBuf>,

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

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless the NO_COLOR environment variable is set.
    Auto,
    /// Always (also when NO_COLOR is set: the command line wins).
    Always,
    Never,
}

/// `pickfix rule`: print a rule's docs.
#[derive(Debug, Parser)]
#[command(name = "pickfix rule", bin_name = "pickfix rule", version)]
pub struct RuleArgs {
    /// A rule's code (PF001) or name (lambda-to-function).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub rule: Option<String>,

    /// Print the docs of every rule.
    #[arg(long)]
    pub all: bool,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    /// Check, diff or fix files (`pickfix [check] ...`).
    Run(Args),
    /// `pickfix rule ...`.
    Rule(RuleArgs),
    /// `pickfix run ... -- COMMAND ...`.
    Command(crate::run::RunArgs),
}

impl Invocation {
    /// Reads the command line (`argv` includes the program's name); exits with clap's message and status
    /// 2 on bad arguments. A leading `check` is dropped (use `./check` for a folder named so); a leading
    /// `rule` reads [`RuleArgs`], a leading `run` [`crate::run::RunArgs`] (`./run` for a folder).
    pub fn from_args(argv: impl IntoIterator<Item = OsString>) -> Invocation {
        let mut argv: Vec<OsString> = argv.into_iter().collect();
        match argv.get(1).and_then(|word| word.to_str()) {
            Some("check") => {
                argv.remove(1);
                Invocation::Run(Args::parse_from(argv))
            }
            Some("rule") => {
                argv.remove(1);
                Invocation::Rule(RuleArgs::parse_from(argv))
            }
            Some("run") => {
                argv.remove(1);
                Invocation::Command(crate::run::RunArgs::parse_from(argv))
            }
            _ => Invocation::Run(Args::parse_from(argv)),
        }
    }

    pub fn run(&self) -> io::Result<ExitStatus> {
        match self {
            Invocation::Run(args) => run(args),
            Invocation::Rule(args) => run_rule(args),
            // The command's exit status, which ExitStatus cannot hold: exit here (nothing is left to drop).
            Invocation::Command(args) => {
                let code = crate::run::run(args);
                io::stdout().flush()?;
                std::process::exit(code)
            }
        }
    }
}

/// `pickfix rule PF001`, `pickfix rule --all`.
fn run_rule(args: &RuleArgs) -> io::Result<ExitStatus> {
    let rules: Vec<Rule> = match &args.rule {
        None => Rule::ALL.to_vec(),
        Some(word) => {
            let word = word.trim();
            match Rule::ALL.iter().find(|rule| rule.code().eq_ignore_ascii_case(word) || rule.name() == word) {
                Some(rule) => vec![*rule],
                None => {
                    eprintln!("pickfix: unknown rule `{word}` (see `pickfix --list`)");
                    return Ok(ExitStatus::Error);
                }
            }
        }
    };
    let pages: Vec<String> = rules.into_iter().map(output::rule_page).collect();
    let mut out = io::stdout().lock();
    out.write_all(pages.join("\n").as_bytes())?;
    out.flush()?;
    Ok(ExitStatus::Success)
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

/// How findings are printed, decided once before the files are processed.
struct Printer {
    format: OutputFormat,
    styles: Styles,
    /// The folder pickfix runs in: patch paths are relative to it; SARIF names it as the root.
    cwd: PathBuf,
}

impl Printer {
    /// `coloured`: whether the stream findings go to should get colour.
    fn new(args: &Args, coloured: bool) -> Printer {
        let colour = !args.output_format.is_machine()
            && match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => coloured,
            };
        Printer {
            format: args.output_format,
            styles: if colour { Styles::coloured() } else { Styles::default() },
            cwd: std::env::current_dir().unwrap_or_default(),
        }
    }

    /// One file's findings: text for the text formats and `github`, JSON values for the others.
    /// `threshold`: the fixes the file's settings apply.
    fn render(&self, path: &str, report: &FileReport, threshold: Applicability) -> (String, Vec<serde_json::Value>) {
        let (mut text, mut values) = (String::new(), Vec::new());
        if report.diagnostics.is_empty() {
            return (text, values);
        }
        let index = LineIndex::from_source_text(&report.source);
        for diagnostic in &report.diagnostics {
            let item = Item { path, source: &report.source, index: &index, diagnostic, cells: &report.cell_starts };
            match self.format {
                OutputFormat::Full => {
                    text.push_str(&output::full(&item, threshold, &self.styles));
                    text.push('\n');
                }
                OutputFormat::Concise => {
                    text.push_str(&output::concise(&item, threshold, &self.styles));
                    text.push('\n');
                }
                OutputFormat::Github => {
                    text.push_str(&output::github(&item));
                    text.push('\n');
                }
                OutputFormat::Json | OutputFormat::JsonLines => {
                    values.push(serde_json::to_value(output::json_finding(&item)).expect("a finding serialises"))
                }
                OutputFormat::Sarif => values.push(output::sarif_result(&item)),
            }
        }
        (text, values)
    }

    /// Prints what [`render`](Self::render) made for all files, in order.
    fn print(&self, out: &mut impl Write, text: &str, values: Vec<serde_json::Value>) -> io::Result<()> {
        match self.format {
            OutputFormat::Full | OutputFormat::Concise | OutputFormat::Github => out.write_all(text.as_bytes()),
            OutputFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &values)?;
                writeln!(out)
            }
            OutputFormat::JsonLines => {
                for value in values {
                    serde_json::to_writer(&mut *out, &value)?;
                    writeln!(out)?;
                }
                Ok(())
            }
            OutputFormat::Sarif => {
                serde_json::to_writer_pretty(&mut *out, &output::sarif(values, &self.cwd))?;
                writeln!(out)
            }
        }
    }
}

/// One file's report with its text made in the worker (a diff is the costly part); printed in path order
/// once every file is done.
struct Printed {
    /// The findings in a text format.
    text: String,
    /// The findings in a JSON format.
    values: Vec<serde_json::Value>,
    /// With --diff: what --write would change.
    diff: String,
    /// The counts, the error and whether the file was written (its texts dropped).
    report: FileReport,
    /// The settings the file was processed with (from its configuration and the flags).
    settings: Settings,
}

impl Printed {
    fn new(mut report: FileReport, settings: Settings, mode: Mode, printer: &Printer) -> Printed {
        let display = report.path.display().to_string();
        let (text, values) = printer.render(&display, &report, settings.applicability);
        report.source = String::new();
        let change = report.change.take();
        let diff = change
            .filter(|_| mode == Mode::Fix)
            .map(|c| diff::of_change(&output::patch_path(&report.path, &printer.cwd), &c, &printer.cwd));
        Printed { text, values, diff: diff.unwrap_or_default(), report, settings }
    }
}

/// Counts over all files, for the summary and the exit status.
#[derive(Default)]
struct Totals {
    found: usize,
    fixable: usize,
    /// Findings reported with an unsafe fix that only `--unsafe-fixes` applies.
    hidden: usize,
    fixed: usize,
    remaining: usize,
    changed: usize,
    errors: usize,
}

/// `(N hidden fix(es) can be enabled with the `--unsafe-fixes` option)`.
fn hidden_note(hidden: usize) -> String {
    let fixes = if hidden == 1 { "fix" } else { "fixes" };
    format!("({hidden} hidden {fixes} can be enabled with the `--unsafe-fixes` option)")
}

/// Per rule (in code order): how many findings are reported, and whether some have a fix that applies.
fn statistics(printed: &[Printed]) -> Vec<(Rule, usize, bool)> {
    Rule::ALL
        .iter()
        .filter_map(|&rule| {
            let diagnostics = printed.iter().flat_map(|p| {
                let threshold = p.settings.applicability;
                p.report.diagnostics.iter().filter(move |d| d.finding.rule == rule).map(move |d| (d, threshold))
            });
            let (count, fixable) = diagnostics.fold((0, false), |(count, fixable), (d, threshold)| {
                (count + 1, fixable || output::fixability(d, threshold) == Fixability::Applies)
            });
            (count > 0).then_some((rule, count, fixable))
        })
        .collect()
}

/// `path:line:col: cannot parse: reason` when the error has a place, else `path: reason`.
fn error_line(path: &str, report: &FileReport) -> Option<String> {
    let error = report.error.as_ref()?.to_string();
    Some(match report.error_at {
        Some(at) => {
            let error = error.replacen(&format!("{}:{}: ", at.line, at.column), "", 1);
            let (cell, at) = output::in_cell(&report.cell_starts, at);
            let cell = cell.map(|cell| format!("cell {cell}:")).unwrap_or_default();
            format!("{path}:{cell}{}:{}: {error}", at.line, at.column)
        }
        None => format!("{path}: {error}"),
    })
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
    let silent = args.silent || args.quiet >= 2;
    let resolver = match resolver(args) {
        Ok(resolver) => Arc::new(resolver),
        Err(message) => {
            eprintln!("pickfix: {message}");
            return Ok(ExitStatus::Error);
        }
    };
    if let Some(file) = &args.show_settings {
        let shown = config::show(&resolver, file);
        if config_errors(&resolver) {
            return Ok(ExitStatus::Error);
        }
        io::stdout().lock().write_all(shown.as_bytes())?;
        return Ok(ExitStatus::Success);
    }
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
    let stdin = args.paths.len() == 1 && args.paths[0].as_os_str() == "-";
    // Findings go to stdout, except where stdout carries a patch or the fixed text.
    let to_stderr = stdin || args.diff;
    let coloured = if to_stderr { colour_on(&io::stderr()) } else { colour_on(&io::stdout()) };
    let printer = Printer::new(args, coloured);
    if stdin {
        // Standard input gets the settings of the file it stands for (or of the working directory).
        let named = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
        let settings = resolver.settings_for(&named);
        if config_errors(&resolver) {
            return Ok(ExitStatus::Error);
        }
        return pool.install(|| run_stdin(args, &settings, &printer, silent));
    }
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("pickfix: `-` (standard input) cannot be combined with other paths");
        return Ok(ExitStatus::Error);
    }

    let files::Discovery { files: paths, errors: walk_errors, skipped } =
        files::discover(&args.paths, &resolver, args.force_exclude);
    // Settings for every file before any is processed: a bad configuration file stops the run first.
    let settings: Vec<Settings> = pool.install(|| paths.par_iter().map(|path| resolver.settings_for(path)).collect());
    if config_errors(&resolver) {
        return Ok(ExitStatus::Error);
    }
    let printed: Vec<Printed> = pool.install(|| {
        paths
            .par_iter()
            .zip(settings)
            .map(|(path, settings)| {
                let report = pipeline::process_file(path, mode, &settings, &INTERRUPTED);
                Printed::new(report, settings, mode, &printer)
            })
            .collect()
    });

    let stdout = io::stdout().lock();
    let stderr = io::stderr().lock();
    // `report`: findings and the summary; `log`: everything else. Both are sinks when silent.
    let (mut report, mut log): (Box<dyn Write>, Box<dyn Write>) = if silent {
        (Box::new(io::sink()), Box::new(io::sink()))
    } else if to_stderr {
        (Box::new(stderr), Box::new(io::stderr().lock()))
    } else {
        (Box::new(stdout), Box::new(stderr))
    };
    let mut patch = io::stdout().lock();
    let summary = !args.output_format.is_machine() && args.quiet == 0 && !silent;
    let mut totals = Totals::default();
    for (path, reason) in &walk_errors {
        writeln!(log, "{}: {reason}", path.display())?;
        totals.errors += 1;
    }
    if args.quiet == 0 {
        for (path, reason) in &skipped {
            writeln!(log, "{}: skipped: {reason}", path.display())?;
        }
    }
    // The swaps offered, and whether each was offered in a file that does not apply unsafe fixes.
    let mut swaps_offered: Vec<(crate::Swap, bool)> = Vec::new();
    let (mut text, mut values) = (String::new(), Vec::new());
    for Printed { text: file_text, values: file_values, diff, report: file, settings } in &printed {
        let display = file.path.display().to_string();
        text.push_str(file_text);
        values.extend(file_values.iter().cloned());
        if !silent {
            patch.write_all(diff.as_bytes())?;
        }
        noqa_warnings(&mut log, &display, file)?;
        if let Some(line) = error_line(&display, file) {
            writeln!(log, "{line}")?;
            totals.errors += 1;
        }
        if file.written && args.quiet == 0 {
            let s = plural(file.fixed);
            let module = file
                .companion_written
                .as_ref()
                .map(|path| format!(" (and wrote {})", path.display()))
                .unwrap_or_default();
            writeln!(log, "Fixed {} problem{s} in {display}{module}", file.fixed)?;
        }
        if let Some(swap) = settings.swap.filter(|_| file.swap_offered) {
            let hidden = settings.applicability != Applicability::Unsafe;
            match swaps_offered.iter_mut().find(|(offered, _)| *offered == swap) {
                Some(entry) => entry.1 |= hidden,
                None => swaps_offered.push((swap, hidden)),
            }
        }
        totals.found += file.found;
        totals.fixable += file.fixable;
        totals.fixed += file.fixed;
        totals.remaining += file.remaining;
        totals.hidden += file
            .diagnostics
            .iter()
            .filter(|d| output::fixability(d, settings.applicability) == Fixability::Hidden)
            .count();
        totals.changed += usize::from(!diff.is_empty() || file.written);
    }
    if args.statistics {
        let rows = statistics(&printed);
        if args.output_format.is_machine() {
            serde_json::to_writer_pretty(&mut report, &output::statistics_json(&rows))?;
            writeln!(report)?;
        } else {
            let width = rows.iter().map(|(_, count, _)| count.to_string().len()).max().unwrap_or(1);
            for (rule, count, fixable) in rows {
                let mark = if fixable { "[*]" } else { "[ ]" };
                writeln!(report, "{count:>width$}\t{}\t{mark} {}", rule.code(), rule.name())?;
            }
        }
    } else {
        printer.print(&mut report, &text, values)?;
    }
    if args.show_fixes && mode != Mode::Check && args.quiet == 0 {
        show_fixes(&mut log, &printed, mode, &totals)?;
    }
    if summary {
        print_summary(if mode == Mode::Check { &mut report } else { &mut log }, mode, &totals)?;
    }
    if totals.errors > 0 && args.quiet == 0 {
        writeln!(log, "{} path{} could not be processed.", totals.errors, plural(totals.errors))?;
    }
    if args.quiet == 0 {
        for (swap, hidden) in swaps_offered {
            swap_note(&mut log, swap, hidden)?;
        }
    }
    report.flush()?;
    patch.flush()?;
    if interrupted() {
        eprintln!("pickfix: interrupted; every file is either as it was or completely fixed");
        return Ok(ExitStatus::Interrupted);
    }
    let Totals { found, remaining, changed, errors, .. } = totals;
    let left = found > 0 && mode == Mode::Check || remaining > 0 || changed > 0 && mode == Mode::Fix;
    Ok(if errors > 0 {
        ExitStatus::Error
    } else if args.exit_non_zero_on_fix && changed > 0 || left && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Whether colour is wanted on `stream` when `--color auto`: a terminal, and no NO_COLOR (anstream also
/// reads CLICOLOR, CLICOLOR_FORCE and TERM=dumb).
fn colour_on<S: anstream::stream::RawStream>(stream: &S) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// The last lines: what was found (with the hint to apply the fixes), or what was (would be) fixed, and
/// how many findings have an unsafe fix that `--unsafe-fixes` would apply.
fn print_summary(out: &mut dyn Write, mode: Mode, totals: &Totals) -> io::Result<()> {
    let Totals { found, fixable, hidden, fixed, remaining, changed, .. } = *totals;
    match mode {
        Mode::Check => {
            if found == 0 {
                writeln!(out, "No problems found.")?;
                return Ok(());
            }
            writeln!(out, "Found {found} problem{} ({fixable} fixable).", plural(found))?;
            match (fixable, hidden) {
                (0, 0) => {}
                (0, _) => writeln!(out, "No fixes available {}.", hidden_note(hidden))?,
                (_, 0) => writeln!(out, "[*] {fixable} fixable with `pickfix --write`.")?,
                (_, _) => writeln!(out, "[*] {fixable} fixable with `pickfix --write` {}.", hidden_note(hidden))?,
            }
        }
        Mode::Fix | Mode::Write => {
            let verb = if mode == Mode::Fix { "Would fix" } else { "Fixed" };
            let left = if hidden == 0 {
                format!("{remaining} left without a fix.")
            } else if hidden == remaining {
                format!("{remaining} left {}.", hidden_note(hidden))
            } else {
                format!("{remaining} left, {} without a fix {}.", remaining - hidden, hidden_note(hidden))
            };
            writeln!(out, "{verb} {fixed} problem{} in {changed} file{}; {left}", plural(fixed), plural(changed))?;
        }
    }
    Ok(())
}

/// `--show-fixes`: per file, per rule, the findings fixing removed.
fn show_fixes(out: &mut dyn Write, printed: &[Printed], mode: Mode, totals: &Totals) -> io::Result<()> {
    let verb = if mode == Mode::Fix { "Would fix" } else { "Fixed" };
    let files: Vec<&FileReport> =
        printed.iter().map(|p| &p.report).filter(|r| !r.fixed_rules.is_empty() && r.fixed > 0).collect();
    if files.is_empty() {
        return Ok(());
    }
    writeln!(out, "{verb} {} problem{}:", totals.fixed, plural(totals.fixed))?;
    for report in files {
        writeln!(out, "- {}:", report.path.display())?;
        for (rule, count) in &report.fixed_rules {
            writeln!(out, "    {count} × {} ({})", rule.code(), rule.name())?;
        }
    }
    Ok(())
}

/// What the user must install after `--swap`, and how to apply it when it was only offered (`hidden`).
fn swap_note(out: &mut dyn Write, swap: crate::Swap, hidden: bool) -> io::Result<()> {
    let package = swap.package();
    writeln!(
        out,
        "pickfix: files swapped by `--swap {package}` import `{package}`: install it with `pip install {package}`"
    )?;
    if hidden {
        writeln!(out, "pickfix: the swap is an unsafe fix: add --unsafe-fixes to apply it")?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The settings of each path: the configuration files (or `--config`, or none with `--isolated`) under
/// the flags.
fn resolver(args: &Args) -> Result<config::Resolver, String> {
    for word in args.select.iter().chain(&args.extend_select).chain(&args.ignore) {
        if !word.trim().is_empty() && Rule::matching(word).is_empty() {
            return Err(format!("unknown rule selector `{word}` (see `pickfix --list`)"));
        }
    }
    let cwd = std::env::current_dir().map_err(|err| format!("cannot read the working directory: {err}"))?;
    let overrides = config::Overrides {
        select: (!args.select.is_empty()).then(|| args.select.clone()),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        exclude: config::Patterns::new(&cwd, &args.exclude, "--exclude")?,
        unsafe_fixes: if args.unsafe_fixes {
            Some(true)
        } else if args.no_unsafe_fixes {
            Some(false)
        } else {
            None
        },
        swap: args.swap,
        prefilter: !args.no_prefilter,
    };
    config::Resolver::new(&cwd, overrides, args.config.as_deref(), args.isolated)
}

/// Prints the errors met in configuration files; `true` when there were some (the run then exits 2).
fn config_errors(resolver: &config::Resolver) -> bool {
    let errors = resolver.errors();
    for error in &errors {
        eprintln!("pickfix: {error}");
    }
    !errors.is_empty()
}

/// A malformed `# noqa` beside a finding suppresses nothing: say so, as ruff does.
fn noqa_warnings(out: &mut dyn Write, path: &str, report: &FileReport) -> io::Result<()> {
    for (line, malformed) in &report.invalid_noqa {
        writeln!(out, "{path}:{line}: warning: invalid `# noqa` directive ({malformed}); it suppresses nothing")?;
    }
    for warning in &report.warnings {
        writeln!(out, "{path}: warning: {warning}")?;
    }
    Ok(())
}

/// `pickfix -`: the fixed text (or, with --diff, the diff) on stdout, findings left on stderr.
fn run_stdin(args: &Args, settings: &Settings, printer: &Printer, silent: bool) -> io::Result<ExitStatus> {
    let mut bytes = Vec::new();
    io::stdin().lock().read_to_end(&mut bytes)?;
    let path = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
    let display = path.display().to_string();
    // Standard input is never written back: it is fixed in memory and the result printed.
    let report = pipeline::process_bytes(&path, &bytes, Mode::Fix, settings, &INTERRUPTED);
    let mut stdout = io::stdout().lock();
    let mut log: Box<dyn Write> = if silent { Box::new(io::sink()) } else { Box::new(io::stderr().lock()) };
    let (text, values) = printer.render(&display, &report, settings.applicability);
    printer.print(&mut log, &text, values)?;
    noqa_warnings(&mut log, &display, &report)?;
    if let Some(swap) = settings.swap.filter(|_| report.swap_offered) {
        swap_note(&mut log, swap, settings.applicability != Applicability::Unsafe)?;
    }
    if let Some(line) = error_line(&display, &report) {
        writeln!(log, "{line}")?;
        if !args.diff {
            stdout.write_all(&bytes)?;
        }
        return Ok(ExitStatus::Error);
    }
    if let Some(companion) = report.change.as_ref().and_then(|change| change.companion.as_ref()).filter(|_| !args.diff)
    {
        // The fixed notebook imports a module that standard input has no place to put.
        writeln!(
            log,
            "{display}: error: the fixes move code to {}, which pickfix cannot write for standard input; run `pickfix --write` on the file (the notebook is printed unchanged)",
            companion.path.display()
        )?;
        stdout.write_all(&bytes)?;
        return Ok(ExitStatus::Error);
    }
    let diff = match &report.change {
        Some(change) if args.diff => {
            let name = if args.stdin_filename.is_some() { output::patch_path(&path, &printer.cwd) } else { display };
            diff::of_change(&name, change, &printer.cwd)
        }
        _ => String::new(),
    };
    if args.diff {
        stdout.write_all(diff.as_bytes())?;
    } else {
        stdout.write_all(report.change.as_ref().map_or(&bytes, |change| &change.bytes))?;
    }
    stdout.flush()?;
    let failed = report.remaining > 0 || args.diff && !diff.is_empty();
    Ok(if failed && !args.exit_zero { ExitStatus::Failure } else { ExitStatus::Success })
}
