//! pickfix: make Python multiprocessing code survive the `spawn` and `forkserver` start methods.
//!
//! The library returns data (findings, new text); only `cli` prints. [`pipeline`] takes one file from its
//! bytes to a report (and, when asked, the fixed file on disk); tests call [`check_source`] and
//! [`fix_source`] in process.

pub mod apply;
pub mod cli;
pub mod codemods;
pub mod config;
pub mod diff;
pub mod edits;
pub mod files;
pub mod finding;
pub mod noqa;
pub mod notebook;
pub mod output;
pub mod pipeline;
pub mod pools;
pub mod run;
pub mod semantic;
pub mod source;
pub mod verify;
pub mod write;

use std::path::Path;

use ruff_diagnostics::Applicability;
use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

pub use codemods::swap::Swap;
pub use codemods::{FixSafety, Refusal, Rule, RuleMeta};
pub use finding::{Finding, Remedy};
use source::SourceError;

/// How many times the fixes are re-run on their own output before pickfix gives up.
pub const MAX_PASSES: usize = 20;

/// What a run looks for and which fixes it may apply.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rules: Vec<Rule>,
    /// `Safe` by default; `Unsafe` with `--unsafe-fixes`.
    pub applicability: Applicability,
    /// Skip files that do not contain any word a finding needs (on by default).
    pub prefilter: bool,
    /// `--swap`: offer a dill-based pool instead of moving lambdas, local functions and classes.
    pub swap: Option<Swap>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { rules: Rule::ALL.to_vec(), applicability: Applicability::Safe, prefilter: true, swap: None }
    }
}

impl Settings {
    /// Whether the bytes of a file can contain a finding of the selected rules: every finding is about
    /// a process pool or a process, which the file must import from one of the packages the table of
    /// pool APIs knows (see [`pools::api::root_packages`]).
    pub fn may_contain_finding(&self, bytes: &[u8]) -> bool {
        !self.prefilter || !self.rules.is_empty() && pools::api::mentions_a_root_package(bytes)
    }
}

/// Why a file could not be processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// It does not decode or parse: the file is left as it was.
    CannotParse(String),
    /// A fix produced invalid code or did not converge: a pickfix bug; the file is left as it was.
    Internal(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::CannotParse(reason) => write!(f, "cannot parse: {reason}"),
            FileError::Internal(reason) => {
                write!(f, "internal error: {reason}; the file was left unchanged")
            }
        }
    }
}

impl From<SourceError> for FileError {
    fn from(err: SourceError) -> Self {
        FileError::CannotParse(err.0)
    }
}

/// Finds problems in one file's text; one parse.
pub fn check_source(text: &str, settings: &Settings) -> Result<Vec<Finding>, FileError> {
    check_source_at(None, text, settings)
}

/// [`check_source`] for the file at `path` (a `__main__.py` is a program, not a library).
pub fn check_source_at(path: Option<&Path>, text: &str, settings: &Settings) -> Result<Vec<Finding>, FileError> {
    let parsed = source::parse(text)?;
    Ok(check_parsed(text, &parsed, settings, &Unit::python(path)))
}

/// The joined code cells of a notebook (see [`notebook::Notebook`]): where its cells start, and the module
/// its workers move to.
#[derive(Debug, Clone)]
pub struct NotebookCells {
    pub boundaries: Vec<TextSize>,
    /// What the module holds; while fixing, also what earlier passes added to it.
    pub workers: codemods::notebook_worker::Workers,
}

/// What a text is: a Python file (a program when `entry_point`), or the code cells of a notebook.
#[derive(Debug, Clone)]
struct Unit {
    entry_point: bool,
    notebook: Option<NotebookCells>,
}

impl Unit {
    fn python(path: Option<&Path>) -> Unit {
        Unit { entry_point: is_main_module(path), notebook: None }
    }

    fn parse(&self, text: &str) -> Result<Parsed<ModModule>, SourceError> {
        match self.notebook {
            None => source::parse(text),
            Some(_) => source::parse_notebook(text),
        }
    }
}

/// Finds problems in the joined code cells of a notebook; one parse (IPython syntax).
pub fn check_notebook(text: &str, cells: &NotebookCells, settings: &Settings) -> Result<Vec<Finding>, FileError> {
    let unit = Unit { entry_point: false, notebook: Some(cells.clone()) };
    let parsed = unit.parse(text)?;
    Ok(check_parsed(text, &parsed, settings, &unit))
}

/// Fixes the joined code cells of a notebook; `cells.boundaries` follow the edits (see
/// [`notebook::shift_boundaries`]), and [`Fixed::companions`] tell what the fixes add to the workers module.
pub fn fix_notebook(text: &str, cells: &mut NotebookCells, settings: &Settings) -> Result<Fixed, FileError> {
    let mut unit = Unit { entry_point: false, notebook: Some(cells.clone()) };
    let fixed = fix_unit(text, settings, &mut unit)?;
    if let Some(notebook) = unit.notebook {
        cells.boundaries = notebook.boundaries;
    }
    Ok(fixed)
}

fn is_main_module(path: Option<&Path>) -> bool {
    path.and_then(Path::file_name).is_some_and(|name| name == "__main__.py")
}

fn check_parsed(text: &str, parsed: &Parsed<ModModule>, settings: &Settings, unit: &Unit) -> Vec<Finding> {
    let workers = unit.notebook.as_ref().map(|cells| (&cells.workers, cells.boundaries.as_slice()));
    let mut findings = codemods::check(text, parsed, &settings.rules, unit.entry_point, settings.swap, workers);
    if let Some(cells) = &unit.notebook {
        // A fix must change one cell only.
        for finding in &mut findings {
            if finding.fix().is_some_and(|fix| {
                fix.edits().iter().any(|e| notebook::crosses_boundary(&cells.boundaries, e.start(), e.end()))
            }) {
                finding.remedy = Remedy::NoFix(Refusal::CrossesCells);
                finding.companion = None;
            }
        }
    }
    if !findings.is_empty() {
        let comments = source::comment_ranges(parsed.tokens());
        let file_level = noqa::file_level(text, &comments);
        findings.retain_mut(|finding| {
            if file_level.iter().any(|directive| directive.suppresses(finding.rule.code())) {
                return false;
            }
            match noqa::is_suppressed(text, &comments, finding.range.start(), finding.rule.code()) {
                Ok(suppressed) => !suppressed,
                Err(malformed) => {
                    finding.invalid_noqa = Some(malformed);
                    true
                }
            }
        });
    }
    findings.sort_by_key(|finding| (finding.range.start(), finding.rule));
    findings
}

/// The result of fixing one file.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The findings in the original text.
    pub initial: Vec<Finding>,
    /// The findings left in the fixed text (no fix, or a fix the settings do not allow).
    pub remaining: Vec<Finding>,
    /// The fixed text (equal to the input when nothing was fixed).
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// What the applied fixes add to other files (the workers module of a notebook).
    pub companions: Vec<codemods::notebook_worker::Companion>,
}

/// Applies the allowed fixes until nothing changes. The result always parses: a fix that would break the
/// syntax, or fixes that do not settle within [`MAX_PASSES`], give an [`FileError::Internal`].
pub fn fix_source(text: &str, settings: &Settings) -> Result<Fixed, FileError> {
    fix_source_at(None, text, settings)
}

/// [`fix_source`] for the file at `path`.
pub fn fix_source_at(path: Option<&Path>, text: &str, settings: &Settings) -> Result<Fixed, FileError> {
    fix_unit(text, settings, &mut Unit::python(path))
}

fn fix_unit(text: &str, settings: &Settings, unit: &mut Unit) -> Result<Fixed, FileError> {
    let mut parsed = unit.parse(text)?;
    let initial = check_parsed(text, &parsed, settings, unit);
    let mut findings = initial.clone();
    let mut current = text.to_string();
    let mut applied = 0;
    let mut companions = Vec::new();
    // The names of the current text, for `verify`: built when the first fix is applied, then carried over.
    let mut names: Option<verify::Names> = None;
    for _ in 0..MAX_PASSES {
        let fixable: Vec<&Finding> = findings.iter().filter(|f| f.is_fixable(settings.applicability)).collect();
        if fixable.is_empty() {
            return Ok(Fixed { initial, remaining: findings, text: current, applied, companions });
        }
        let result = apply::apply_fixes_detailed(&current, fixable.iter().filter_map(|f| f.fix()));
        let new = result.text;
        let rules = || {
            let rules: Vec<&str> = findings.iter().filter_map(|f| f.fix().map(|_| f.rule.code())).collect();
            rules.join(", ")
        };
        if new == current {
            // `apply` skips a fix whose own edits overlap; a fix may also rewrite text as it was.
            return Err(FileError::Internal(format!(
                "a fix of {} made no change (its edits overlap, or rewrite the text as it was)",
                rules()
            )));
        }
        let new_parsed = unit
            .parse(&new)
            .map_err(|err| FileError::Internal(format!("a fix of {} produced invalid code ({err})", rules())))?;
        let old_names = names.take().unwrap_or_else(|| verify::Names::of(parsed.suite()));
        let new_names = verify::Names::of(new_parsed.suite());
        if let Some(problem) = verify::check(&old_names, &new_names) {
            return Err(FileError::Internal(format!("a fix of {} was refused: {problem}", rules())));
        }
        let new_companions: Vec<_> =
            result.fixes.iter().filter_map(|&i| fixable[i].companion.as_deref().cloned()).collect();
        if let Some(cells) = &mut unit.notebook {
            notebook::shift_boundaries(&mut cells.boundaries, &result.edits);
            // The next pass sees the module as these fixes leave it: its names are taken.
            cells.workers.add(&new_companions);
        }
        companions.extend(new_companions);
        names = Some(new_names);
        parsed = new_parsed;
        current = new;
        applied += result.fixes.len();
        findings = check_parsed(&current, &parsed, settings, unit);
    }
    Err(FileError::Internal(format!("fixes did not settle after {MAX_PASSES} passes")))
}

/// A finding placed on a line and column (1-based, columns count characters).
#[derive(Debug, Clone)]
pub struct Located<'f> {
    pub line: usize,
    pub column: usize,
    pub finding: &'f Finding,
}

/// Places findings of `text` on lines and columns.
pub fn locate<'f>(text: &str, findings: &'f [Finding]) -> Vec<Located<'f>> {
    if findings.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::from_source_text(text);
    findings
        .iter()
        .map(|finding| {
            let at = index.line_column(finding.range.start(), text);
            Located { line: at.line.get(), column: at.column.get(), finding }
        })
        .collect()
}
