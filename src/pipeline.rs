//! One file from start to end: read, pre-filter, decode, parse, check, fix until stable (each pass
//! re-parsed), encode and, when asked, write. Returns a [`FileReport`] and never prints: the command
//! line, and any other output format, turn reports into text.

use std::fmt;
use std::io;
use std::panic::{self, UnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use ruff_source_file::{LineIndex, LineRanges};
use ruff_text_size::{TextRange, TextSize};

use crate::codemods::Rule;
use crate::codemods::notebook_worker::{Workers, compose};
use crate::noqa::Malformed;
use crate::notebook::{self, Notebook};
use crate::source::{SourceError, decode, encode};
use crate::{
    FileError, Finding, NotebookCells, Settings, check_notebook, check_source_at, files, fix_notebook, fix_source_at,
    write,
};

/// What to do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report the findings; change nothing.
    Check,
    /// Fix in memory: the report carries the new text and bytes; nothing is written.
    Fix,
    /// Fix, and replace the file on disk with [`write::replace_file`] (atomic; a file changed since it
    /// was read is not overwritten).
    Write,
}

/// A place in a file: 1-based line and column; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A finding placed in the text it was made on.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Where the finding starts and ends.
    pub start: Position,
    pub end: Position,
    /// The rule, message and remedy (a fix with its title, or the reason there is none).
    pub finding: Finding,
}

impl Diagnostic {
    /// The code of the rule that made the finding (`PF001`).
    pub fn code(&self) -> &'static str {
        self.finding.rule.code()
    }

    pub fn message(&self) -> &str {
        &self.finding.message
    }
}

/// The new content of a fixed file.
#[derive(Debug, Clone)]
pub struct Change {
    /// The decoded text as read.
    pub before: String,
    /// The fixed text.
    pub after: String,
    /// `after` in the file's own encoding, with its BOM if it had one: what is (or would be) written.
    pub bytes: Vec<u8>,
    /// In a notebook (`before` and `after` are its joined code cells): each changed cell's number, old
    /// and new code.
    pub cells: Vec<(usize, String, String)>,
    /// In a notebook: the module its workers move to, as it was (`None`: new) and as it will be.
    pub companion: Option<CompanionChange>,
}

/// A file a fix creates or extends besides the file it fixes.
#[derive(Debug, Clone)]
pub struct CompanionChange {
    pub path: PathBuf,
    pub before: Option<String>,
    pub after: String,
}

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// The file, as it was given.
    pub path: PathBuf,
    /// What is left to report: with [`Mode::Check`] the findings of the file, placed in its text;
    /// otherwise the findings left after fixing, placed in the fixed text. Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Problems found in the file as read, and how many of them have a fix the settings allow.
    pub found: usize,
    pub fixable: usize,
    /// Fixes applied: with [`Mode::Fix`] those that would be, with [`Mode::Write`] only those written.
    pub fixed: usize,
    /// Findings left after fixing (0 with [`Mode::Check`], which fixes nothing).
    pub remaining: usize,
    /// With `--swap`: the file's findings offer the swap to a dill-based package.
    pub swap_offered: bool,
    /// Lines (1-based, of the file as read) where a finding stands beside a malformed `# noqa`
    /// directive, which suppresses nothing, with what is wrong with it.
    pub invalid_noqa: Vec<(usize, Malformed)>,
    /// The fixed content, when a fix changed the file (with [`Mode::Fix`] or [`Mode::Write`]).
    pub change: Option<Change>,
    /// With [`Mode::Write`]: the change reached the disk. A change that was not written without an
    /// [`error`](Self::error) means the run was stopped first.
    pub written: bool,
    /// Why the file could not be (completely) processed; it was then left as it was.
    pub error: Option<Error>,
    /// Where in the file the error is, when it is a syntax error or bytes that do not decode.
    pub error_at: Option<Position>,
    /// The text `diagnostics` are placed in (the file as read, or the fixed text), kept when there are
    /// diagnostics: output formats show its lines and place the fixes' edits in it.
    pub source: String,
    /// Per rule, how many of its findings the fixes removed (with [`Mode::Fix`] and [`Mode::Write`]).
    pub fixed_rules: Vec<(Rule, usize)>,
    /// In a notebook: where each code cell starts in `source` (its 1-based first line) and its number
    /// (1-based, counting every cell), so that output places findings in cells.
    pub cell_starts: Vec<(usize, usize)>,
    /// With [`Mode::Write`]: the module a notebook's fixes created or extended, once written.
    pub companion_written: Option<PathBuf>,
    /// What the user should know about the file besides its findings (a notebook cell left out).
    pub warnings: Vec<String>,
}

impl FileReport {
    fn new(path: &Path) -> FileReport {
        FileReport { path: path.to_path_buf(), ..FileReport::default() }
    }
}

/// Why a file could not be processed.
#[derive(Debug)]
pub enum Error {
    /// The file could not be read.
    Read(io::Error),
    /// It does not decode or parse, or a fix went wrong: see [`FileError`].
    Source(FileError),
    /// The fixed text cannot be stored in the file's encoding.
    Encode(SourceError),
    /// The file could not be replaced.
    Write(io::Error),
    /// pickfix panicked on this file (a bug), with the panic's message.
    Crash(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read(err) => write!(f, "cannot read: {}", files::describe_io(err)),
            Error::Source(err) => err.fmt(f),
            Error::Encode(err) => write!(f, "cannot write: {err}"),
            Error::Write(err) => write!(f, "cannot write: {}", files::describe_io(err)),
            Error::Crash(cause) => {
                write!(f, "internal error: pickfix crashed on this file ({cause}); the file was left unchanged")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read(err) | Error::Write(err) => Some(err),
            _ => None,
        }
    }
}

/// Processes the file at `path`. A file whose bytes cannot hold a finding of the selected rules is not
/// decoded (see [`Settings::may_contain_finding`]). Once `stop` is set (SIGINT, SIGTERM), no file is
/// started and no write begins; a write under way finishes. A panic is caught and reported as
/// [`Error::Crash`]: one bad file never stops a run.
pub fn process_file(path: &Path, mode: Mode, settings: &Settings, stop: &AtomicBool) -> FileReport {
    guarded(path, || {
        let mut report = FileReport::new(path);
        if stop.load(Ordering::SeqCst) {
            return report;
        }
        match std::fs::read(path) {
            Err(err) => report.error = Some(Error::Read(err)),
            Ok(bytes) if settings.may_contain_finding(&bytes) => {
                process_into(&mut report, &bytes, mode, settings, stop)
            }
            Ok(_) => {}
        }
        report
    })
}

/// Processes the content of a file already read (standard input), with no pre-filter: every input is
/// decoded and parsed. `path` names the file (a `__main__.py` is a program); with [`Mode::Write`] the file
/// at `path` is replaced, provided it still holds `bytes`.
pub fn process_bytes(path: &Path, bytes: &[u8], mode: Mode, settings: &Settings, stop: &AtomicBool) -> FileReport {
    guarded(path, || {
        let mut report = FileReport::new(path);
        process_into(&mut report, bytes, mode, settings, stop);
        report
    })
}

/// Runs `process`, turning a panic into [`Error::Crash`].
fn guarded(path: &Path, process: impl FnOnce() -> FileReport + UnwindSafe) -> FileReport {
    panic::catch_unwind(process).unwrap_or_else(|payload| {
        let cause = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("unknown cause");
        FileReport { error: Some(Error::Crash(cause.to_string())), ..FileReport::new(path) }
    })
}

fn process_into(report: &mut FileReport, bytes: &[u8], mode: Mode, settings: &Settings, stop: &AtomicBool) {
    let path = report.path.clone();
    if let Err(error) = fill(report, &path, bytes, mode, settings, stop) {
        report.error = Some(error);
    }
}

/// Decodes, checks or fixes, encodes and writes, filling `report` as it goes: an error leaves what was
/// learnt before it (the findings of a file whose fixed text cannot be encoded or written).
fn fill(
    report: &mut FileReport,
    path: &Path,
    bytes: &[u8],
    mode: Mode,
    settings: &Settings,
    stop: &AtomicBool,
) -> Result<(), Error> {
    if notebook::is_notebook(path) {
        return fill_notebook(report, path, bytes, mode, settings, stop);
    }
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(err) => {
            let (at, err) = locate_decode_error(bytes, err);
            report.error_at = at;
            return Err(Error::Source(err.into()));
        }
    };
    if mode == Mode::Check {
        let findings = match check_source_at(Some(path), &decoded.text, settings) {
            Ok(findings) => findings,
            Err(err) => return Err(parse_error(report, err)),
        };
        count_found(report, &decoded.text, &findings, settings);
        report.diagnostics = place(&decoded.text, findings);
        if !report.diagnostics.is_empty() {
            report.source = decoded.text;
        }
        return Ok(());
    }
    let fixed = match fix_source_at(Some(path), &decoded.text, settings) {
        Ok(fixed) => fixed,
        Err(err) => return Err(parse_error(report, err)),
    };
    count_found(report, &decoded.text, &fixed.initial, settings);
    report.remaining = fixed.remaining.len();
    report.fixed_rules = fixed_rules(&fixed.initial, &fixed.remaining);
    report.diagnostics = place(&fixed.text, fixed.remaining);
    if !report.diagnostics.is_empty() {
        report.source = fixed.text.clone();
    }
    if fixed.applied == 0 {
        report.fixed_rules.clear();
        return Ok(());
    }
    let new_bytes = encode(&fixed.text, decoded.encoding, decoded.bom).map_err(Error::Encode)?;
    let change = report.change.insert(Change {
        before: decoded.text,
        after: fixed.text,
        bytes: new_bytes,
        cells: Vec::new(),
        companion: None,
    });
    if mode == Mode::Write {
        // Only what reached the disk counts as fixed; once the run is stopped, no new write starts.
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        write::replace_file(path, bytes, &change.bytes).map_err(Error::Write)?;
        report.written = true;
    }
    report.fixed = fixed.applied;
    Ok(())
}

/// [`fill`] for a notebook: its code cells are checked and fixed as one text; a fix changes only the
/// `source` of the cells it edits, and PF009's fixes create or extend the workers module beside it, which
/// is written first.
fn fill_notebook(
    report: &mut FileReport,
    path: &Path,
    bytes: &[u8],
    mode: Mode,
    settings: &Settings,
    stop: &AtomicBool,
) -> Result<(), Error> {
    let cannot = |reason: String| Error::Source(FileError::CannotParse(reason));
    let json = std::str::from_utf8(bytes).map_err(|err| cannot(format!("the notebook is not valid UTF-8 ({err})")))?;
    let Some(book) = Notebook::read(json).map_err(|err| cannot(err.0))? else { return Ok(()) };
    let module = Workers::for_notebook(path);
    match fill_cells(report, path, bytes, json, (&book, &[]), &module, mode, settings, stop) {
        // A cell that does not parse is one the kernel cannot run either (it binds nothing): left out,
        // with a warning, so that one exercise cell does not hide the rest of the notebook. Looked for
        // only when the joined cells do not parse, so that a notebook is parsed once.
        Err(Error::Source(FileError::CannotParse(reason))) => {
            let broken = book.broken_cells();
            if broken.is_empty() || broken.len() == book.cell_numbers().count() {
                return Err(Error::Source(FileError::CannotParse(reason)));
            }
            let positions: Vec<usize> = broken.iter().map(|(position, _, _)| *position).collect();
            for (_, number, reason) in broken {
                report.warnings.push(format!(
                    "cell {number} does not parse ({reason}); it was left out (the kernel cannot run it either)"
                ));
            }
            (report.error_at, report.cell_starts) = (None, Vec::new());
            let book = book.without(&positions);
            fill_cells(report, path, bytes, json, (&book, &positions), &module, mode, settings, stop)
        }
        other => other,
    }
}

/// [`fill_notebook`] for the code cells of `book`, the notebook without the code cells at the positions
/// `left_out`; `module` is the workers module and its path.
#[allow(clippy::too_many_arguments)]
fn fill_cells(
    report: &mut FileReport,
    path: &Path,
    bytes: &[u8],
    json: &str,
    (book, left_out): (&Notebook, &[usize]),
    (workers, workers_path): &(Workers, PathBuf),
    mode: Mode,
    settings: &Settings,
    stop: &AtomicBool,
) -> Result<(), Error> {
    let mut workers = workers.clone();
    workers.parameter_cells = book.parameter_cells.clone();
    let existing = workers.existing.clone();
    let mut cells = NotebookCells { boundaries: book.boundaries.clone(), workers };
    // A syntax error is placed in its cell.
    let parse_error = |report: &mut FileReport, err: FileError| {
        report.cell_starts = book.cell_starts();
        parse_error(report, err)
    };
    if mode == Mode::Check {
        let findings = check_notebook(&book.source, &cells, settings).map_err(|err| parse_error(report, err))?;
        count_found(report, &book.source, &findings, settings);
        report.diagnostics = place(&book.source, findings);
        if !report.diagnostics.is_empty() {
            report.cell_starts = book.cell_starts();
            report.source = book.source.clone();
        }
        return Ok(());
    }
    let fixed = fix_notebook(&book.source, &mut cells, settings).map_err(|err| parse_error(report, err))?;
    count_found(report, &book.source, &fixed.initial, settings);
    report.remaining = fixed.remaining.len();
    report.fixed_rules = fixed_rules(&fixed.initial, &fixed.remaining);
    // Findings left are placed in the fixed text, whose cells start at the shifted boundaries.
    report.diagnostics = place(&fixed.text, fixed.remaining);
    if !report.diagnostics.is_empty() {
        report.cell_starts = book.with_source(&fixed.text, &cells.boundaries).cell_starts();
        report.source = fixed.text.clone();
    }
    if fixed.applied == 0 {
        report.fixed_rules.clear();
        return Ok(());
    }
    let internal = |what: String| Error::Source(FileError::Internal(what));
    let new_json = book.write(json, &fixed.text, &cells.boundaries).map_err(|err| internal(err.0))?;
    // What is written must read back as the fixed cells.
    match Notebook::read(&new_json) {
        Ok(Some(again)) if again.without(left_out).source == fixed.text => {}
        _ => return Err(internal("the fixed notebook does not read back as the fixed cells".to_string())),
    }
    let companion = if fixed.companions.is_empty() {
        None
    } else {
        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let after = compose(existing.as_deref(), &name, &fixed.companions).map_err(internal)?;
        crate::source::parse(&after)
            .map_err(|err| internal(format!("the workers module pickfix made does not parse ({err})")))?;
        Some(CompanionChange { path: workers_path.clone(), before: existing, after })
    };
    let cells_changed = book.changed_cells(&fixed.text, &cells.boundaries);
    let change = report.change.insert(Change {
        before: book.source.clone(),
        after: fixed.text,
        bytes: new_json.into_bytes(),
        cells: cells_changed,
        companion,
    });
    if mode == Mode::Write {
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        if let Some(companion) = &change.companion {
            write::write_companion(&companion.path, companion.before.as_deref(), &companion.after).map_err(|err| {
                Error::Write(io::Error::new(err.kind(), format!("{}: {err}", companion.path.display())))
            })?;
            report.companion_written = Some(companion.path.clone());
        }
        write::replace_file(path, bytes, &change.bytes).map_err(Error::Write)?;
        report.written = true;
    }
    report.fixed = fixed.applied;
    Ok(())
}

/// The counts of the findings of the text as read: how many, how many with a fix the settings allow,
/// whether they offer the swap, and malformed `# noqa` directives beside them.
fn count_found(report: &mut FileReport, text: &str, findings: &[Finding], settings: &Settings) {
    report.found = findings.len();
    report.fixable = fixable(findings, settings);
    report.swap_offered = swap_offered(findings, settings);
    report.invalid_noqa = invalid_noqa(text, findings);
}

/// A source error, placed on its line and column when it is a syntax error.
fn parse_error(report: &mut FileReport, err: FileError) -> Error {
    if let FileError::CannotParse(reason) = &err {
        report.error_at = syntax_error_position(reason);
    }
    Error::Source(err)
}

/// Per rule, how many findings fixing removed: those of the text as read less those left.
fn fixed_rules(initial: &[Finding], remaining: &[Finding]) -> Vec<(Rule, usize)> {
    let mut rules: Vec<Rule> = initial.iter().map(|f| f.rule).collect();
    rules.sort();
    rules.dedup();
    rules
        .into_iter()
        .filter_map(|rule| {
            let before = initial.iter().filter(|f| f.rule == rule).count();
            let after = remaining.iter().filter(|f| f.rule == rule).count();
            (before > after).then_some((rule, before - after))
        })
        .collect()
}

/// A syntax error's position, from the `line:col: message` that [`crate::source::parse`] gives.
fn syntax_error_position(reason: &str) -> Option<Position> {
    let mut parts = reason.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    parts.next()?;
    Some(Position { line, column })
}

/// Where bytes that do not decode go wrong (a NUL byte, or the first byte that is not UTF-8 in a file
/// without a coding cookie), with a hint about the cookie for the latter.
fn locate_decode_error(bytes: &[u8], err: SourceError) -> (Option<Position>, SourceError) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let nul = memchr::memchr(0, body);
    let invalid = std::str::from_utf8(body).err().map(|e| e.valid_up_to());
    let (offset, hint) = match (nul, invalid) {
        (Some(nul), _) if err.0.contains("NUL") => (nul, None),
        (_, Some(offset)) if err.0.starts_with("not valid UTF-8") => (
            offset,
            Some("if the file is not UTF-8, declare its encoding on line 1 or 2, e.g. `# -*- coding: latin-1 -*-`"),
        ),
        _ => return (None, err),
    };
    let before = String::from_utf8_lossy(&body[..offset]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
    let err = match hint {
        Some(hint) => SourceError(format!("{}; {hint}", err.0)),
        None => err,
    };
    (Some(Position { line, column }), err)
}

/// How many findings have a fix the settings allow.
fn fixable(findings: &[Finding], settings: &Settings) -> usize {
    findings.iter().filter(|f| f.is_fixable(settings.applicability)).count()
}

fn swap_offered(findings: &[Finding], settings: &Settings) -> bool {
    settings.swap.is_some() && crate::codemods::swap::offered(findings)
}

/// The lines of `text` where findings stand beside a malformed `# noqa` directive, once each.
fn invalid_noqa(text: &str, findings: &[Finding]) -> Vec<(usize, Malformed)> {
    let mut lines: Vec<(usize, Malformed)> = Vec::new();
    for finding in findings {
        let Some(malformed) = finding.invalid_noqa else { continue };
        let line = text.count_lines(TextRange::up_to(finding.range.start())) as usize + 1;
        if !lines.iter().any(|(seen, _)| *seen == line) {
            lines.push((line, malformed));
        }
    }
    lines
}

/// Places findings of `text` on lines and columns.
fn place(text: &str, findings: Vec<Finding>) -> Vec<Diagnostic> {
    if findings.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::from_source_text(text);
    let at = |offset: TextSize| {
        let at = index.line_column(offset, text);
        Position { line: at.line.get(), column: at.column.get() }
    };
    findings
        .into_iter()
        .map(|finding| Diagnostic { start: at(finding.range.start()), end: at(finding.range.end()), finding })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    const LAMBDA: &str = "import multiprocessing\n\n\ndef main():\n    with multiprocessing.Pool(2) as pool:\n        print(pool.map(lambda x: x * 2, [1, 2]))\n";

    fn run(path: &Path, mode: Mode, stop: bool) -> FileReport {
        process_file(path, mode, &Settings::default(), &AtomicBool::new(stop))
    }

    fn file(content: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.py");
        fs::write(&path, content).unwrap();
        (dir, path)
    }

    #[test]
    fn check_places_each_finding_and_changes_nothing() {
        let (_dir, path) = file(LAMBDA.as_bytes());
        let report = run(&path, Mode::Check, false);
        assert!(report.error.is_none(), "{:?}", report.error);
        assert_eq!((report.found, report.fixable, report.fixed, report.remaining), (1, 1, 0, 0));
        let [diagnostic] = report.diagnostics.as_slice() else { panic!("{:?}", report.diagnostics) };
        assert_eq!(diagnostic.code(), "PF001");
        assert_eq!(diagnostic.start, Position { line: 6, column: 24 });
        assert_eq!(diagnostic.end, Position { line: 6, column: 39 });
        assert!(report.change.is_none() && !report.written);
        assert_eq!(fs::read_to_string(&path).unwrap(), LAMBDA);
    }

    #[test]
    fn fix_returns_the_new_bytes_and_write_stores_them() {
        let (_dir, path) = file(LAMBDA.as_bytes());
        let fixed = run(&path, Mode::Fix, false);
        let change = fixed.change.as_ref().expect("a change");
        assert_eq!((fixed.found, fixed.fixed, fixed.remaining, fixed.written), (1, 1, 0, false));
        assert_eq!((change.before.as_str(), change.bytes.as_slice()), (LAMBDA, change.after.as_bytes()));
        assert_eq!(fs::read_to_string(&path).unwrap(), LAMBDA, "Mode::Fix wrote");

        let written = run(&path, Mode::Write, false);
        assert_eq!((written.fixed, written.written), (1, true));
        assert_eq!(fs::read(&path).unwrap(), change.bytes);
    }

    #[test]
    fn once_stopped_no_file_is_started_and_no_write_begins() {
        let (_dir, path) = file(LAMBDA.as_bytes());
        let report = run(&path, Mode::Write, true);
        assert_eq!((report.found, report.written, report.error.is_none()), (0, false, true));
        let stop = AtomicBool::new(true);
        let report = process_bytes(&path, LAMBDA.as_bytes(), Mode::Write, &Settings::default(), &stop);
        assert_eq!((report.found, report.fixed, report.written), (1, 0, false));
        assert!(report.change.is_some() && report.error.is_none());
        assert_eq!(fs::read_to_string(&path).unwrap(), LAMBDA);
    }

    #[test]
    fn errors_name_their_cause() {
        let dir = tempfile::tempdir().unwrap();
        let missing = run(&dir.path().join("missing.py"), Mode::Check, false);
        assert!(matches!(missing.error, Some(Error::Read(_))), "{:?}", missing.error);
        assert_eq!(missing.error.unwrap().to_string(), "cannot read: no such file or folder");

        let stop = AtomicBool::new(false);
        let broken = process_bytes(Path::new("-"), b"def f(:\n", Mode::Fix, &Settings::default(), &stop);
        assert!(matches!(broken.error, Some(Error::Source(FileError::CannotParse(_)))), "{:?}", broken.error);
    }

    #[test]
    fn errors_are_placed_on_a_line_and_column() {
        let stop = AtomicBool::new(false);
        let place = |bytes: &[u8]| process_bytes(Path::new("-"), bytes, Mode::Check, &Settings::default(), &stop);
        let broken = place(b"x = 1\ndef f(:\n");
        assert_eq!(broken.error_at, Some(Position { line: 2, column: 7 }));
        // Columns count characters; a BOM is not one.
        let latin1 = place(b"\xEF\xBB\xBFx = 1\ny = '\xc3\xa9\xe9'\n");
        assert_eq!(latin1.error_at, Some(Position { line: 2, column: 7 }));
        assert!(latin1.error.unwrap().to_string().contains("`# -*- coding: latin-1 -*-`"));
        let nul = place(b"x = 1\n  \0\n");
        assert_eq!(nul.error_at, Some(Position { line: 2, column: 3 }));
        let cookie = place(b"# coding: nonsense\nx = 1\n");
        assert!(cookie.error.is_some() && cookie.error_at.is_none());
    }

    #[test]
    fn bytes_that_cannot_hold_a_finding_are_not_parsed_unless_given_directly() {
        let (_dir, path) = file(b"def f(:\n");
        assert!(run(&path, Mode::Check, false).error.is_none());
        let stop = AtomicBool::new(false);
        let given = process_bytes(&path, b"def f(:\n", Mode::Check, &Settings::default(), &stop);
        assert!(given.error.is_some());
    }
}
