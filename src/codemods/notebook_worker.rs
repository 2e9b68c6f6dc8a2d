//! `notebook-worker` (PF009)
//!
//! ## What it does
//! In a Jupyter notebook, finds a function or class defined in a cell (at the notebook's top level or
//! inside a function), or a lambda, handed to a process pool (every sink PF001 knows: `Pool.map`,
//! `Process(target=...)`, `ProcessPoolExecutor.submit`, ...), and moves it, with what it needs, to a module
//! beside the notebook, `<notebook>_workers.py`. Where the definition stood, `from <notebook>_workers import
//! work` binds the same name, so later cells see no difference.
//!
//! ## Why is this bad?
//! Code defined in a notebook lives in the kernel's `__main__`, which has no file. A process started with
//! `spawn` (Windows, macOS) or `forkserver` (the Linux default since Python 3.14) cannot import it, so even
//! a plain `def work(x)` fails there: `AttributeError: Can't get attribute 'work' on <module '__main__'
//! (built-in)>`, or the pool hangs. Moving the function to a `.py` file and importing it is the usual
//! advice; this rule does it. In notebooks it takes the place of PF001 and PF002, whose module-level
//! function would still live in `__main__`.
//!
//! ## Example
//! A cell:
//! ```python
//! def work(x):
//!     return math.sqrt(x) * SCALE
//! ```
//! becomes `from analysis_workers import work`, and `analysis_workers.py` gets `import math`, `SCALE = 3`
//! and the `def` (the cell that bound `SCALE` imports it from there). A lambda `pool.map(lambda x: x * 2, data)` becomes `pool.map(_map_task, data)` with
//! `from analysis_workers import _map_task` above the statement.
//!
//! ## Fix safety
//! Safe. What moves is what the definition reads: the imports it uses are repeated in the module (the
//! notebook's `from __future__` imports too); module-level constants assigned once move with it
//! (literals, and values the module builds again alike: `re.compile(r"...")`, `frozenset(...)`,
//! `pathlib.Path("...")` with constant arguments) and are imported where they stood; the notebook's
//! functions and classes it calls move with it too, each replaced by an import. Of a function defined
//! again in a later cell, the definition the pool call surely sees moves. Every definition keeps its
//! name in the module.
//!
//! There is no fix, only the finding, when the move could change what the program does:
//! - it would need another name in the module (a second definition of a name moved there, or a local
//!   `def` named like something of the top level): its `__name__`, `__qualname__` and repr would change;
//! - it reads a builtin that a cell also binds (`from math import pow`), or uses attributes of the moved
//!   definition elsewhere (`Work.offsets.append(10)`);
//! - it reads a value a cell computes at run time or binds more than once, a local variable of the
//!   function around it, that function itself, a name the kernel provides (`display`), a module dunder
//!   (`__name__`), or an import made inside a block;
//! - it reads a list, dict or set (also inside a tuple): code run in the kernel may change it, and under
//!   spawn a worker would import its first value;
//! - a value of a cell tagged `parameters` (papermill replaces them);
//! - code of the notebook sets attributes of what would move (`work.cache = {}`);
//! - a decorator that the notebook defines (it may register what it decorates, in another order);
//! - `global` or `nonlocal` declarations;
//! - IPython syntax in what would move (a `%magic`, `!command` or autocall line): a module cannot hold it;
//! - it reads a name that code run by a line magic binds (`%time SCALE = 12`, `%timeit`, `%prun`);
//! - the notebook may rebind names or move in ways the code does not show: `%run`, `%store`, `%rerun`,
//!   `from m import *`, `globals()`, `vars()`, `exec`, `eval`, `get_ipython()`, `sys.modules`, an import
//!   of `__main__`, `%cd` or `os.chdir` (the module would not be found);
//! - the module exists and pickfix did not write it (its first line says so when it did), a package of
//!   that name stands beside the notebook, or another notebook beside it maps to the same module.
//!
//! A top-level function or class is not reported when the notebook chooses `fork` itself
//! (`set_start_method("fork")`, `get_context("fork")`): a forked child has the kernel's `__main__`.
//! Jupyter starts a kernel in the notebook's folder, so the module is importable there and in the
//! processes a pool starts; a notebook run from another folder (papermill with another working folder)
//! needs that folder on `sys.path`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ruff_diagnostics::{Edit, Fix};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::finding::{Finding, Remedy};
use crate::pools::Sink;
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF009",
    name: "notebook-worker",
    summary: "a function, class or lambda of a notebook handed to a process pool moves to a module beside the notebook",
    description: "in a Jupyter notebook, a function or class defined in a cell, or a lambda, handed to a process pool moves with what it needs (imports, constants, the notebook's helpers) to `<notebook>_workers.py`, and is imported where it stood",
    fix: FixSafety::Safe,
    fix_note: "",
    needs_sinks: true,
    dill_solves: false,
};

/// The first line of a module pickfix writes; a file without it is never changed.
pub const MARKER: &str = "# Generated by pickfix from ";

/// Why a worker is reported without a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// It holds IPython syntax (`%magic`, `!command`, `,autocall`), which a Python module cannot.
    IpythonSyntax { subject: String },
    /// It reads a module-level name bound by a computation, or bound more than once.
    RuntimeState { subject: String, name: String },
    /// It reads a list, dict or set that other code of the notebook reads too (and may change).
    Mutable { subject: String, name: String },
    /// A local definition whose name the notebook's top level uses.
    LocalNameTaken { name: String },
    /// It reads a builtin that a cell also binds.
    ShadowsBuiltin { subject: String, name: String },
    /// It reads a local variable of an enclosing function, or the function around it.
    ReadsLocal { subject: String, name: String },
    /// It reads the function or class it is defined in, which cannot move with it.
    ReadsEnclosing { subject: String, name: String },
    /// Code of the notebook sets or deletes attributes of the definition.
    AttributeSet { name: String },
    /// A decorator that the notebook defines (it may register the definition: its order would change).
    Decorator { subject: String, name: String },
    /// A value of a cell tagged `parameters`, which papermill replaces.
    Parameter { subject: String, name: String },
    /// It reads a name that is neither bound in the notebook nor a builtin (`display`, `get_ipython`).
    Unbound { subject: String, name: String },
    /// It reads a module dunder (`__name__`), which differs in a module.
    Dunder { subject: String, name: String },
    /// It declares `global` or `nonlocal` names.
    WritesState { subject: String },
    /// A lambda with `:=`, `yield` or `await`.
    Contains(&'static str),
    /// It reads a relative import, or one made inside a block.
    Import { subject: String, name: String },
    /// The module file exists and pickfix did not write it, or cannot be read.
    Blocked(String),
    /// The module already defines the name differently.
    NameTaken { name: String, file: String },
    /// The definition shares its line with other code, or is not a plain statement of its scope.
    Shape(&'static str),
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::RuntimeState { subject, name } => write!(
                f,
                "{subject} reads `{name}`, which a cell computes at run time or binds more than once; pass it as an argument"
            ),
            Why::Mutable { subject, name } => write!(
                f,
                "{subject} reads `{name}`, a list, dict or set: code run in the kernel may change it, and a process started with spawn would import its first value"
            ),
            Why::LocalNameTaken { name } => write!(
                f,
                "the notebook's top level uses the name `{name}` too; in the module this `{name}` would need another name, which its `__name__` would show"
            ),
            Why::ShadowsBuiltin { subject, name } => write!(
                f,
                "{subject} reads `{name}`, a builtin that a cell also binds; which one it reads depends on when it runs"
            ),
            Why::ReadsEnclosing { subject, name } => {
                write!(f, "{subject} reads `{name}`, the definition it stands in, which cannot move with it")
            }
            Why::AttributeSet { name } => write!(
                f,
                "code of the notebook uses or sets attributes of `{name}`; a process started with spawn would import it without their changes"
            ),
            Why::Decorator { subject, name } => write!(
                f,
                "{subject} is decorated with `{name}`, which the notebook defines; in a module it would run at another time"
            ),
            Why::Parameter { subject, name } => write!(
                f,
                "{subject} reads `{name}`, a value of the cell tagged `parameters`, which papermill replaces"
            ),
            Why::ReadsLocal { subject, name } => {
                write!(f, "{subject} reads `{name}`, a local variable of the function around it; pass it as an argument")
            }
            Why::Unbound { subject, name } => {
                write!(f, "{subject} reads `{name}`, which neither the notebook binds nor Python provides as a builtin")
            }
            Why::Dunder { subject, name } => write!(f, "{subject} reads `{name}`, which differs in a module"),
            Why::IpythonSyntax { subject } => write!(
                f,
                "{subject} holds IPython syntax (a `%magic`, `!command` or autocall line), which a Python module cannot"
            ),
            Why::WritesState { subject } => write!(f, "{subject} declares `global` or `nonlocal` names"),
            Why::Contains(what) => write!(f, "the lambda contains `{what}`"),
            Why::Import { subject, name } => write!(
                f,
                "{subject} reads `{name}`, which a relative import or an import inside a block provides; the module cannot repeat it"
            ),
            Why::Blocked(reason) => f.write_str(reason),
            Why::NameTaken { name, file } => write!(
                f,
                "`{name}` is taken in `{file}` (by the module as it is, or by another definition of that name moved there); under another name its `__name__` would change"
            ),
            Why::Shape(what) => f.write_str(what),
        }
    }
}

/// What pickfix knows of the module a notebook's workers move to.
#[derive(Debug, Clone, Default)]
pub struct Workers {
    /// The module's name (`analysis_workers`).
    pub module: String,
    /// Why nothing can move there (it exists and pickfix did not write it, or it cannot be read).
    pub blocked: Option<String>,
    /// The module's top-level names, with the text of the statement that binds each.
    pub names: HashMap<String, String>,
    /// The module's text, when it exists.
    pub existing: Option<String>,
    /// The code cells (their position among the notebook's code cells) tagged `parameters`, whose
    /// values papermill replaces.
    pub parameter_cells: Vec<usize>,
}

impl Workers {
    /// Takes in what fixes add to the module: their definitions and constants bind names there.
    pub fn add(&mut self, parts: &[Companion]) {
        for part in parts {
            for (name, code) in part.constants.iter().chain(&part.definitions) {
                self.names.entry(name.clone()).or_insert_with(|| code.clone());
            }
        }
    }

    /// The module's file name (`analysis_workers.py`).
    pub fn file(&self) -> String {
        format!("{}.py", self.module)
    }

    /// The module for the notebook at `path`: its name, and what the file beside the notebook holds.
    pub fn for_notebook(path: &Path) -> (Workers, PathBuf) {
        let module = module_name(path);
        let file = path.with_file_name(format!("{module}.py"));
        let mut workers = Workers { module, ..Workers::default() };
        if let Some(other) = sibling_with_same_module(path, &workers.module) {
            workers.blocked = Some(format!(
                "the notebook `{other}` beside it would use the same module, `{}`",
                workers.file()
            ));
            return (workers, file);
        }
        if path.with_file_name(&workers.module).is_dir() {
            workers.blocked = Some(format!("a package `{}` beside the notebook would hide `{}`", workers.module, workers.file()));
            return (workers, file);
        }
        match std::fs::read(&file) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => workers.blocked = Some(format!("`{}` cannot be read ({err})", workers.file())),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(_) => workers.blocked = Some(format!("`{}` is not UTF-8", workers.file())),
                Ok(text) if !text.starts_with(MARKER) => {
                    workers.blocked =
                        Some(format!("`{}` exists and pickfix did not write it; pickfix never changes it", workers.file()))
                }
                Ok(text) => match crate::source::parse(&text) {
                    Err(err) => workers.blocked = Some(format!("`{}` does not parse ({err})", workers.file())),
                    Ok(parsed) => {
                        workers.names = top_level_names(&text, parsed.suite());
                        workers.existing = Some(text);
                    }
                },
            },
        }
        (workers, file)
    }
}

/// Another notebook in the same folder whose module name is `module` (`my-nb.ipynb` and `my_nb.ipynb`).
fn sibling_with_same_module(path: &Path, module: &str) -> Option<String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let own = path.file_name()?;
    std::fs::read_dir(dir).ok()?.flatten().find_map(|entry| {
        let other = entry.path();
        let is_other_notebook = other.extension().is_some_and(|ext| ext == "ipynb") && other.file_name() != Some(own);
        (is_other_notebook && module_name(&other) == module).then(|| other.file_name().unwrap().to_string_lossy().into_owned())
    })
}

/// `<stem>_workers`, with every character that cannot be in a module name replaced by `_`.
pub fn module_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    format!("{name}_workers")
}

fn top_level_names(text: &str, body: &[Stmt]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for stmt in body {
        let code = text[stmt.range()].to_string();
        // Definitions by whole lines (a comment ending the last one included), as pickfix moves them.
        let lines = || text[TextRange::new(text.line_start(stmt.start()), text.line_end(stmt.end()))].to_string();
        match stmt {
            Stmt::FunctionDef(def) => drop(names.insert(def.name.to_string(), lines())),
            Stmt::ClassDef(class) => drop(names.insert(class.name.to_string(), lines())),
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if let Expr::Name(name) = target {
                        names.insert(name.id.to_string(), code.clone());
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    names.insert(name.id.to_string(), code);
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.split('.').next().unwrap_or_default().to_string(),
                        ToString::to_string,
                    );
                    names.insert(bound, format!("import {}", &text[alias.range()]));
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map_or("", |m| m.as_str());
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                    let dots = ".".repeat(import.level as usize);
                    names.insert(bound, format!("from {dots}{module} import {}", &text[alias.range()]));
                }
            }
            _ => {}
        }
    }
    names
}

/// What one fix adds to the workers module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Companion {
    /// Import statements.
    pub imports: Vec<String>,
    /// `(name, statement)` of moved constants.
    pub constants: Vec<(String, String)>,
    /// `(name, code)` of moved definitions, those they need first.
    pub definitions: Vec<(String, String)>,
}

/// The workers module after the fixes that made `parts`: `existing` (a module pickfix wrote) with the
/// new imports after its imports and the new constants and definitions at its end, or a new module.
pub fn compose<'a>(existing: Option<&str>, notebook: &str, parts: &'a [Companion]) -> Result<String, String> {
    let eol = "\n";
    let present: HashSet<&str> = existing.map(|text| text.lines().map(str::trim_end).collect()).unwrap_or_default();
    let mut imports: Vec<&str> = Vec::new();
    let mut constants: Vec<&str> = Vec::new();
    let mut definitions: Vec<&str> = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    // Two different pieces of code under one name would be a pickfix bug: the names are claimed per pass.
    let mut claim = |name: &'a str, code: &'a str| -> Result<bool, String> {
        match seen.insert(name, code) {
            None => Ok(true),
            Some(earlier) if earlier == code => Ok(false),
            Some(_) => Err(format!("two definitions of `{name}` for the workers module")),
        }
    };
    for part in parts {
        for import in &part.imports {
            if !present.contains(import.as_str()) && !imports.contains(&import.as_str()) {
                imports.push(import);
            }
        }
        for (name, code) in &part.constants {
            if claim(name, code)? {
                constants.push(code);
            }
        }
        for (name, code) in &part.definitions {
            if claim(name, code)? {
                definitions.push(code);
            }
        }
    }
    // As isort orders one section: `import m` lines first, then `from m import n`, each by module.
    imports.sort_by_key(|import| (!import.starts_with("from __future__"), import.starts_with("from "), import.to_lowercase()));
    let mut blocks: Vec<String> = Vec::new();
    if !constants.is_empty() {
        blocks.push(constants.join(eol));
    }
    blocks.extend(definitions.iter().map(|code| code.to_string()));
    let Some(existing) = existing else {
        let mut out = format!(
            "{MARKER}{notebook}: what the notebook hands to process pools{eol}# lives here, so that processes started with spawn or forkserver can import it. pickfix may add to this file.{eol}"
        );
        if !imports.is_empty() {
            out.push_str(eol);
            out.push_str(&imports.join(eol));
            out.push_str(eol);
        }
        for block in blocks {
            out.push_str(&format!("{eol}{eol}{block}{eol}"));
        }
        return Ok(out);
    };
    let mut out = existing.to_string();
    if !imports.is_empty() {
        let (at, after_imports) = import_insertion(existing);
        let mut new: String = imports.iter().map(|import| format!("{import}{eol}")).collect();
        if !after_imports {
            // The first imports: a blank line after the opening comments.
            new.insert_str(0, eol);
        }
        out.insert_str(at, &new);
    }
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    for block in blocks {
        out.push_str(&format!("{eol}{eol}{block}{eol}"));
    }
    Ok(out)
}

/// Where new imports go in a module pickfix wrote: after its last top-level import (`true`), or after
/// the comment lines that open it (`false`).
fn import_insertion(text: &str) -> (usize, bool) {
    if let Ok(parsed) = crate::source::parse(text)
        && let Some(last) =
            parsed.suite().iter().take_while(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_))).last()
    {
        return (text.full_line_end(last.end()).to_usize(), true);
    }
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if !line.starts_with('#') {
            break;
        }
        at += line.len();
    }
    (at, false)
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    let Some(workers) = ctx.notebook else { return };
    let mut facts: Option<Facts> = None;
    for sink in ctx.pickle_sinks() {
        let callable = ctx.resolver.partial_target(sink.callable, sink.scope).unwrap_or(sink.callable);
        let Some(target) = target_of(ctx, callable, sink.scope) else { continue };
        // Under `fork` a child has the kernel's `__main__`: a function or class of the notebook's top
        // level pickles by name. Only a lambda or a local function still fails there.
        let by_name = matches!(target, Target::Def { local: false, .. } | Target::Class { .. });
        let facts = facts.get_or_insert_with(|| Facts::of(ctx, workers));
        if by_name && facts.asks_for_fork {
            continue;
        }
        let (fix, companion) = match move_to_module(ctx, workers, facts, &target, sink) {
            Ok((title, fix, companion)) => (Ok((title, fix)), Some(companion)),
            Err(why) => (Err(why), None),
        };
        let message = message(&target, workers);
        let mut finding =
            Finding::at_sink(Rule::NotebookWorker, sink, callable.range(), message, Remedy::from_fix(fix));
        finding.companion = companion.map(Box::new);
        findings.push(finding);
    }
}

/// Whether the notebook chooses `fork` itself: `set_start_method("fork")` or `get_context("fork")`
/// (also `method="fork"`).
fn asks_for_fork(ctx: &Context) -> bool {
    ctx.sem.calls.iter().any(|site| {
        let call = site.call;
        let name = match call.func.as_ref() {
            Expr::Attribute(attr) => attr.attr.id.as_str(),
            Expr::Name(name) => name.id.as_str(),
            _ => return false,
        };
        let fork = |expr: &Expr| matches!(expr, Expr::StringLiteral(s) if s.value.to_str() == "fork");
        matches!(name, "get_context" | "set_start_method")
            && (call.arguments.args.first().is_some_and(fork)
                || call.arguments.keywords.iter().any(|k| k.arg.as_ref().is_some_and(|a| a == "method") && fork(&k.value)))
    })
}

/// What the whole notebook tells about moving code out of it.
struct Facts {
    /// Why names of the notebook may be rebound or read in ways pickfix cannot see (`%run`, `from m
    /// import *`, `globals()`, `exec`, `os.chdir`), if they may.
    dynamic: Option<&'static str>,
    /// Names whose attributes some code sets or deletes (`work.cache = {}`, `setattr(Cfg, ...)`).
    attributes_set: HashSet<String>,
    /// Names that code run by a line magic binds (`%time SCALE = 12`): the parser sees no binding there.
    magic_bound: HashSet<String>,
    /// Names a known star import binds (`from multiprocessing import *`), with their module.
    star: HashMap<&'static str, &'static str>,
    /// The text of cells tagged `parameters` (papermill replaces their values).
    parameters: Vec<TextRange>,
    /// The notebook chooses `fork` itself.
    asks_for_fork: bool,
}

impl Facts {
    fn of(ctx: &Context, workers: &Workers) -> Facts {
        let (magic_bound, magic_unknown) = magic_bindings(ctx);
        Facts {
            dynamic: magic_unknown.or_else(|| dynamic_names(ctx)),
            magic_bound,
            star: star_names(ctx),
            attributes_set: attributes_set(ctx.body),
            asks_for_fork: asks_for_fork(ctx),
            parameters: workers
                .parameter_cells
                .iter()
                .filter_map(|&cell| Some(TextRange::new(*ctx.cells.get(cell)?, *ctx.cells.get(cell + 1)?)))
                .collect(),
        }
    }
}

/// Line magics that run the Python code that follows them in the notebook's namespace.
const CODE_MAGICS: &[&str] = &["time", "timeit", "prun", "debug", "capture", "exec"];

/// The names that code run by line magics (`%time SCALE = 12`, `%timeit -n 3 x = f()`) binds, and why
/// they are unknown, when the code does not parse.
fn magic_bindings(ctx: &Context) -> (HashSet<String>, Option<&'static str>) {
    let mut bound = HashSet::new();
    for token in ctx.tokens.iter().filter(|t| t.kind() == ruff_python_ast::token::TokenKind::IpyEscapeCommand) {
        let command = ctx.text[token.range()].trim_start_matches(['%', ' ']);
        let (word, rest) = command.split_once(char::is_whitespace).unwrap_or((command, ""));
        if !CODE_MAGICS.contains(&word) {
            continue;
        }
        // Options first (`-n 3 -r 2`): each `-x` and, when a number follows, its value.
        let mut code = rest.trim_start();
        while let Some(option) = code.split_whitespace().next().filter(|w| w.starts_with('-')) {
            code = code[option.len()..].trim_start();
            if let Some(value) = code.split_whitespace().next().filter(|w| w.parse::<f64>().is_ok()) {
                code = code[value.len()..].trim_start();
            }
        }
        let Ok(parsed) = crate::source::parse(code.trim()) else {
            return (bound, Some("a line magic runs code pickfix cannot read, which may rebind the notebook's names"));
        };
        struct Stores<'b>(&'b mut HashSet<String>);
        impl<'a> Visitor<'a> for Stores<'_> {
            fn visit_stmt(&mut self, stmt: &'a Stmt) {
                match stmt {
                    Stmt::FunctionDef(def) => drop(self.0.insert(def.name.to_string())),
                    Stmt::ClassDef(class) => drop(self.0.insert(class.name.to_string())),
                    Stmt::Import(import) => {
                        for alias in &import.names {
                            let name = alias.asname.as_ref().unwrap_or(&alias.name);
                            self.0.insert(name.split('.').next().unwrap_or_default().to_string());
                        }
                    }
                    Stmt::ImportFrom(import) => {
                        for alias in &import.names {
                            self.0.insert(alias.asname.as_ref().unwrap_or(&alias.name).to_string());
                        }
                    }
                    _ => {}
                }
                visitor::walk_stmt(self, stmt);
            }
            fn visit_expr(&mut self, expr: &'a Expr) {
                if let Expr::Name(name) = expr
                    && !matches!(name.ctx, ast::ExprContext::Load)
                {
                    self.0.insert(name.id.to_string());
                }
                visitor::walk_expr(self, expr);
            }
        }
        Stores(&mut bound).visit_body(parsed.suite());
    }
    (bound, None)
}

/// Why the notebook's names may change in ways the code does not show, if they may.
fn dynamic_names(ctx: &Context) -> Option<&'static str> {
    for token in ctx.tokens.iter().filter(|t| t.kind() == ruff_python_ast::token::TokenKind::IpyEscapeCommand) {
        let command = ctx.text[token.range()].trim_start_matches(['%', '!', ' ']);
        let word = command.split_whitespace().next().unwrap_or("");
        match word {
            "run" => return Some("the notebook runs code with `%run`, which may rebind its names"),
            "store" | "load" | "macro" | "recall" | "rerun" => {
                return Some("the notebook runs or restores code with a magic (`%store`, `%rerun`), which may rebind its names");
            }
            "cd" | "pushd" | "popd" => {
                return Some("the notebook changes its working folder (`%cd`), so the module may not be found");
            }
            _ => {}
        }
    }
    // `from multiprocessing import *` is common in notebooks; its names are known (see `star_names`).
    let unknown_star = |stmt: &Stmt| {
        matches!(stmt, Stmt::ImportFrom(from) if from.names.iter().any(|a| &a.name == "*")
            && from.module.as_ref().is_none_or(|m| crate::pools::star_exports(m.as_str()).is_none()))
    };
    if ctx.body.iter().any(unknown_star) {
        return Some("the notebook imports with `*`, which may rebind its names");
    }
    for load in &ctx.sem.loads {
        if matches!(load.name, "globals" | "locals" | "vars" | "exec" | "eval" | "get_ipython")
            && ctx.sem.lookup(load.name, load.scope).is_none()
        {
            return Some(
                "the notebook reads or changes its names through `globals()`, `vars()`, `exec`, `eval` or `get_ipython()`",
            );
        }
        let module_access = ctx.text[load.range.end().to_usize()..].trim_start().starts_with(".modules");
        if load.name == "sys" && module_access {
            return Some("the notebook reaches modules through `sys.modules`, which may rebind its names");
        }
    }
    // The same reached through imports: `from IPython import get_ipython`, `from sys import modules`,
    // `import sys as s; s.modules`, `import __main__`, `importlib.import_module`, dill's sessions.
    const NAMESPACE_ACCESS: &[&str] = &[
        "__main__",
        "sys.modules",
        "sys._getframe",
        "builtins.globals",
        "builtins.vars",
        "builtins.exec",
        "builtins.eval",
        "importlib.import_module",
        "inspect.currentframe",
        "inspect.stack",
        "dill.load_session",
        "dill.load_module",
    ];
    let reaches = |qualified: &str| {
        NAMESPACE_ACCESS.iter().any(|q| qualified == *q || qualified.starts_with(&format!("{q}.")))
            || qualified.ends_with("get_ipython")
    };
    for scope in &ctx.sem.scopes {
        for binding in scope.bindings.values().flatten() {
            if binding.qualified.as_deref().is_some_and(reaches) {
                return Some("the notebook reaches its own namespace through an import (`__main__`, `sys.modules`, `get_ipython`, ...), through which it may rebind its names");
            }
        }
    }
    for load in &ctx.sem.loads {
        let Some(scope) = ctx.sem.lookup(load.name, load.scope) else { continue };
        let attribute = ctx.text[load.range.end().to_usize()..].trim_start();
        let sys = ctx.sem.bindings(load.name, scope).iter().any(|b| b.qualified.as_deref() == Some("sys"));
        if sys && (attribute.starts_with(".modules") || attribute.starts_with("._getframe")) {
            return Some("the notebook reaches modules through `sys.modules`, which may rebind its names");
        }
    }
    for call in &ctx.sem.calls {
        if ctx.resolver.eval(&call.call.func, call.scope) == crate::pools::Value::Qualified("os.chdir".to_string()) {
            return Some("the notebook changes its working folder (`os.chdir`), so the module may not be found");
        }
    }
    None
}

/// The names the notebook's known star imports bind, with their module ("" for a name two of them bind).
fn star_names(ctx: &Context) -> HashMap<&'static str, &'static str> {
    let mut names = HashMap::new();
    for stmt in ctx.body {
        if let Stmt::ImportFrom(from) = stmt
            && from.names.iter().any(|a| &a.name == "*")
            && let Some(module) = from.module.as_ref()
            && let Some(exports) = crate::pools::star_exports(module.as_str())
        {
            let module: &'static str = match module.as_str() {
                "multiprocessing" => "multiprocessing",
                "threading" => "threading",
                _ => "concurrent.futures",
            };
            for name in exports {
                // A name two star imports bind (`Lock`): which one a read sees depends on their order.
                let entry = names.entry(*name).or_insert(module);
                if *entry != module {
                    *entry = "";
                }
            }
        }
    }
    names
}

/// Names whose attributes are assigned or deleted anywhere (`name.attr = ...`, `setattr(name, ...)`).
fn attributes_set(body: &[Stmt]) -> HashSet<String> {
    struct Finder(HashSet<String>);
    impl Finder {
        fn target(&mut self, expr: &Expr) {
            match expr {
                Expr::Attribute(attr) => {
                    if let Expr::Name(name) = attr.value.as_ref() {
                        self.0.insert(name.id.to_string());
                    }
                }
                Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e)),
                Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
                _ => {}
            }
        }
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Assign(assign) => assign.targets.iter().for_each(|t| self.target(t)),
                Stmt::AugAssign(assign) => self.target(&assign.target),
                Stmt::AnnAssign(assign) => self.target(&assign.target),
                Stmt::Delete(delete) => delete.targets.iter().for_each(|t| self.target(t)),
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Name(func) = call.func.as_ref()
                && matches!(func.id.as_str(), "setattr" | "delattr")
                && let Some(Expr::Name(name)) = call.arguments.args.first()
            {
                self.0.insert(name.id.to_string());
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(HashSet::new());
    finder.visit_body(body);
    finder.0
}

/// What a sink hands over that lives in the notebook.
enum Target<'a> {
    Lambda { lambda: &'a ast::ExprLambda, assigned: Option<(&'a Stmt, &'a str)> },
    Def { def: &'a ast::StmtFunctionDef, stmt: &'a Stmt, local: bool },
    Class { class: &'a ast::StmtClassDef, stmt: &'a Stmt },
}

impl Target<'_> {
    fn subject(&self) -> String {
        match self {
            Target::Lambda { assigned: Some((_, name)), .. } => format!("the lambda `{name}`"),
            Target::Lambda { .. } => "the lambda".to_string(),
            Target::Def { def, .. } => format!("`{}`", def.name),
            Target::Class { class, .. } => format!("`{}`", class.name),
        }
    }
}

fn target_of<'a>(ctx: &Context<'_, 'a>, callable: &'a Expr, scope: ScopeId) -> Option<Target<'a>> {
    match callable {
        Expr::Lambda(lambda) => Some(Target::Lambda { lambda, assigned: None }),
        Expr::Name(name) => {
            let (bound_in, binding) = match ctx.sem.sole_binding(&name.id, scope) {
                Some(found) => found,
                // A function defined again in a later cell (common while a notebook is written): at a
                // read in a top-level cell, the definition that surely ran last before it.
                None if ctx.sem.lookup(&name.id, scope) == Some(MODULE_SCOPE) && scope == MODULE_SCOPE => {
                    (MODULE_SCOPE, ctx.sem.dominating_binding(&name.id, MODULE_SCOPE, name.range)?)
                }
                None => return None,
            };
            let stmt = binding.stmt?;
            match binding.kind {
                BindingKind::FunctionDef(def) => Some(Target::Def { def, stmt, local: bound_in != MODULE_SCOPE }),
                BindingKind::ClassDef(class) if bound_in == MODULE_SCOPE => Some(Target::Class { class, stmt }),
                BindingKind::Assign(Expr::Lambda(lambda)) if bound_in == MODULE_SCOPE => {
                    Some(Target::Lambda { lambda, assigned: Some((stmt, &name.id)) })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn message(target: &Target, workers: &Workers) -> String {
    let module = &workers.module;
    match target {
        Target::Lambda { .. } => format!(
            "a lambda handed to a process pool from a notebook: it cannot be pickled, and a function defined in the notebook lives in the kernel's `__main__`, which a process started with spawn or forkserver cannot import; move it to `{module}.py`"
        ),
        Target::Def { def, local: true, .. } => format!(
            "`{}` is a local function of a notebook, handed to a process pool: it cannot be pickled, and at the notebook's top level it would live in the kernel's `__main__`, which a process started with spawn or forkserver cannot import; move it to `{module}.py`",
            def.name
        ),
        Target::Def { def, .. } => format!(
            "`{0}` is defined in a notebook and handed to a process pool: it lives in the kernel's `__main__`, which a process started with spawn or forkserver cannot import (`Can't get attribute '{0}' on <module '__main__'>`); move it to `{module}.py`",
            def.name
        ),
        Target::Class { class, .. } => format!(
            "`{0}` is a class defined in a notebook and handed to a process pool: it lives in the kernel's `__main__`, which a process started with spawn or forkserver cannot import; move it to `{module}.py`",
            class.name
        ),
    }
}

/// The plan of one fix: what the module gets and what the notebook's edits are.
#[derive(Default)]
struct Plan {
    companion: Companion,
    edits: Vec<Edit>,
    /// Statements already planned (definitions and constants), by their start.
    moved: HashSet<TextSize>,
    /// The code that moves (definitions and the lambda).
    ranges: Vec<TextRange>,
}

impl Plan {
    /// Adds an import statement to the module, once.
    fn add_import(&mut self, import: String) {
        if !self.companion.imports.contains(&import) {
            self.companion.imports.push(import);
        }
    }
}

/// What one fix of PF009 needs to know.
struct Mover<'c, 's, 'a> {
    ctx: &'c Context<'s, 'a>,
    workers: &'c Workers,
    facts: &'c Facts,
}

/// The fix's title, its edits of the notebook, and what it adds to the module.
fn move_to_module(
    ctx: &Context,
    workers: &Workers,
    facts: &Facts,
    target: &Target,
    sink: &Sink,
) -> Result<(String, Fix, Companion), Refusal> {
    if let Some(reason) = &workers.blocked {
        return Err(Why::Blocked(reason.clone()).into());
    }
    if let Some(reason) = facts.dynamic {
        return Err(Why::Blocked(reason.to_string()).into());
    }
    let mover = Mover { ctx, workers, facts };
    let mut plan = Plan::default();
    let module = &workers.module;
    let subject = target.subject();
    let title = match target {
        Target::Lambda { lambda, assigned } => {
            let forbidden = forbidden_in_lambda(lambda);
            if let Some(what) = forbidden {
                return Err(Why::Contains(what).into());
            }
            let scope = ctx.sem.lambdas.get(&lambda.start()).map(|info| info.scope).ok_or(Why::Shape("unknown lambda"))?;
            let name = match assigned {
                Some((stmt, name)) => {
                    mover.claim(stmt.start(), name)?;
                    name.to_string()
                }
                None => ctx.new_name(lambda.start(), &format!("_{}_task", sink.kind.slug())),
            };
            plan.ranges.push(lambda.range());
            mover.gather(lambda.range(), scope, &subject, &name, &[], &mut plan)?;
            let params = lambda.parameters.as_ref().map_or("", |p| &ctx.text[p.range()]);
            let body = &ctx.text[lambda.body.range()];
            let body = if body.contains(['\n', '\r']) { format!("({body})") } else { body.to_string() };
            let code = format!("def {name}({params}):\n{}return {body}", ctx.layout.indent);
            check_name_free(workers, &name, &code)?;
            plan.companion.definitions.push((name.clone(), code));
            let import = format!("from {module} import {name}");
            match assigned {
                // A comment after the lambda stays beside the import: the new `def` does not carry it.
                Some((stmt, _)) => plan.edits.push(Edit::range_replacement(import, stmt.range())),
                None => {
                    plan.edits.push(Edit::range_replacement(name.clone(), lambda.range()));
                    let top = &ctx.body[sink.top];
                    let at = ctx.text.line_start(top.start());
                    plan.edits.push(Edit::insertion(format!("{import}{}", ctx.layout.eol), at));
                }
            }
            format!("Move the lambda to `{module}.py` as `{name}` and import it")
        }
        Target::Def { def, stmt, local } => {
            if *local {
                mover.plan_definition(stmt, &def.name, true, &mut plan)?;
            } else {
                mover.plan_top_level(stmt, &mut plan)?;
            }
            format!("Move `{}` to `{module}.py` and import it", def.name)
        }
        Target::Class { class, stmt } => {
            mover.plan_top_level(stmt, &mut plan)?;
            format!("Move `{}` to `{module}.py` and import it", class.name)
        }
    };
    if !plan.companion.definitions.is_empty() || !plan.companion.constants.is_empty() {
        // The notebook's `from __future__ import ...` apply to the moved code too.
        for stmt in ctx.body {
            if let Stmt::ImportFrom(from) = stmt
                && from.module.as_ref().is_some_and(|m| m.as_str() == "__future__")
            {
                plan.add_import(ctx.text[stmt.range()].to_string());
            }
        }
    }
    let mut edits = plan.edits.into_iter();
    let first = edits.next().ok_or(Why::Shape("nothing to move"))?;
    Ok((title, Fix::safe_edits(first, edits), plan.companion))
}

/// The range a statement's replacement by an import takes: the statement, and a comment that ends its
/// last line (it moves with the code).
fn replaced_range(ctx: &Context, stmt: &Stmt) -> TextRange {
    let line_end = ctx.text.line_end(stmt.end());
    let rest = &ctx.text[TextRange::new(stmt.end(), line_end)];
    if rest.trim_start().starts_with('#') {
        TextRange::new(stmt.start(), line_end)
    } else {
        stmt.range()
    }
}

impl Mover<'_, '_, '_> {
    /// Reserves `name` in the module for the statement at `key`: the name it keeps there. An error when
    /// another moved definition, constant or import already has it, or the module binds it otherwise.
    fn claim(&self, key: TextSize, name: &str) -> Result<(), Refusal> {
        if self.ctx.keep_own_name(key, name) {
            Ok(())
        } else {
            Err(Why::NameTaken { name: name.to_string(), file: self.workers.file() }.into())
        }
    }

    /// Plans the move of a module-level `def` or `class` statement of the notebook (once).
    fn plan_top_level(&self, stmt: &Stmt, plan: &mut Plan) -> Result<(), Refusal> {
        let name = match stmt {
            Stmt::FunctionDef(def) => def.name.to_string(),
            Stmt::ClassDef(class) => class.name.to_string(),
            _ => return Err(Why::Shape("the definition is not a `def` or `class` statement").into()),
        };
        if !self.ctx.body.iter().any(|top| std::ptr::eq(top, stmt)) {
            return Err(Why::Shape("the definition is inside an `if`, `try` or other block").into());
        }
        self.plan_definition(stmt, &name, false, plan)
    }

    /// Plans the move of a `def` or `class` statement (module-level, or a local `def` that reads nothing
    /// of its function): its dependencies first, then its code, and its replacement by an import. A
    /// local `def` keeps its name only where the notebook does not use it otherwise.
    fn plan_definition(&self, stmt: &Stmt, name: &str, local: bool, plan: &mut Plan) -> Result<(), Refusal> {
        let ctx = self.ctx;
        if !plan.moved.insert(stmt.start()) {
            return Ok(());
        }
        let subject = format!("`{name}`");
        if plan.ranges.iter().any(|range| range.intersect(stmt.range()).is_some()) {
            return Err(Why::ReadsEnclosing { subject, name: name.to_string() }.into());
        }
        let scope = scope_of(ctx, stmt).ok_or(Why::Shape("unknown definition"))?;
        if declares_names(stmt) {
            return Err(Why::WritesState { subject }.into());
        }
        // Attributes of the definition used elsewhere (`Work.offsets.append(10)`, `work.cache[k] = v`): state
        // a process started with spawn would not have.
        let attribute_used = ctx.sem.loads.iter().any(|load| {
            load.name == name
                && !stmt.range().contains_range(load.range)
                && ctx.text[load.range.end().to_usize()..].trim_start().starts_with('.')
        });
        if self.facts.attributes_set.contains(name) || attribute_used {
            return Err(Why::AttributeSet { name: name.to_string() }.into());
        }
        if self.facts.magic_bound.contains(name) || self.facts.star.contains_key(name) {
            return Err(Why::RuntimeState { subject, name: name.to_string() }.into());
        }
        plan.ranges.push(stmt.range());
        let decorators: Vec<TextRange> = match stmt {
            Stmt::FunctionDef(def) => def.decorator_list.iter().map(Ranged::range).collect(),
            Stmt::ClassDef(class) => class.decorator_list.iter().map(Ranged::range).collect(),
            _ => Vec::new(),
        };
        self.gather(stmt.range(), scope, &subject, name, &decorators, plan)?;
        let indent = crate::edits::indentation(ctx.text, ctx.tokens, stmt)
            .ok_or(Why::Shape("the definition shares its line with other code"))?;
        let region = TextRange::new(ctx.text.line_start(stmt.start()), ctx.text.full_line_end(stmt.end()));
        let plain = super::hoist::dedent(ctx, region, indent, &[])?;
        let plain = plain.trim_end_matches(['\n', '\r']).to_string();
        // The definition keeps its name in the module: under another one (`work_2`) its `__name__`,
        // `__qualname__` and repr would change, which printed output, registries and task names show.
        let code = if check_name_free(self.workers, name, &plain).is_ok_and(|needed| !needed) {
            // The module already holds this very code.
            None
        } else if if local { ctx.keep_name(stmt.start(), name) } else { ctx.keep_own_name(stmt.start(), name) } {
            // A local `def` keeps its name only where the notebook's top level does not use it.
            Some(plain)
        } else if local {
            return Err(Why::LocalNameTaken { name: name.to_string() }.into());
        } else {
            return Err(Why::NameTaken { name: name.to_string(), file: self.workers.file() }.into());
        };
        let import = format!("from {} import {name}", self.workers.module);
        if let Some(code) = code {
            plan.companion.definitions.push((name.to_string(), code));
        }
        plan.edits.push(Edit::range_replacement(import, replaced_range(ctx, stmt)));
        Ok(())
    }

    /// Every name read inside `range` (code whose own scope is `scope`, with its `decorators`): local,
    /// builtin, or a module-level import, constant or definition that moves along; anything else refuses
    /// the move.
    fn gather(
        &self,
        range: TextRange,
        scope: ScopeId,
        subject: &str,
        own_name: &str,
        decorators: &[TextRange],
        plan: &mut Plan,
    ) -> Result<(), Refusal> {
        let (ctx, workers) = (self.ctx, self.workers);
        let subject = subject.to_string();
        if ctx.tokens.in_range(range).iter().any(|t| t.kind() == ruff_python_ast::token::TokenKind::IpyEscapeCommand) {
            return Err(Why::IpythonSyntax { subject }.into());
        }
        let mut done: HashSet<&str> = HashSet::new();
        for load in ctx.sem.loads.iter().filter(|load| range.contains_range(load.range)) {
            let name = load.name;
            match ctx.sem.lookup(name, load.scope) {
                Some(s) if s == scope || ctx.sem.is_within(s, scope) => continue,
                Some(MODULE_SCOPE) => {}
                Some(_) => return Err(Why::ReadsLocal { subject, name: name.to_string() }.into()),
                None if name.starts_with("__") && name.ends_with("__") && name != "__class__" => {
                    return Err(Why::Dunder { subject, name: name.to_string() }.into());
                }
                // A name of `from multiprocessing import *` (also one that hides a builtin, as
                // `threading` does `enumerate`): imported by name in the module.
                None if self.facts.star.get(name).is_some_and(|module| !module.is_empty()) => {
                    let import = format!("from {} import {name}", self.facts.star[name]);
                    check_name_free(workers, name, &import)?;
                    plan.add_import(import);
                    continue;
                }
                None if self.facts.star.contains_key(name) => {
                    return Err(Why::Unbound { subject, name: name.to_string() }.into());
                }
                None if ruff_python_stdlib::builtins::is_python_builtin(name, 13, false) => continue,
                None => return Err(Why::Unbound { subject, name: name.to_string() }.into()),
            }
            // A builtin that a cell binds too (`from math import pow`, `type = "train"`): which one the code
            // reads depends on when it runs.
            if ruff_python_stdlib::builtins::is_python_builtin(name, 13, false) {
                return Err(Why::ShadowsBuiltin { subject, name: name.to_string() }.into());
            }
            // An annotation without a value (`SCALE: int`) binds nothing when it runs.
            let bindings_all = ctx.sem.bindings(name, MODULE_SCOPE);
            let declared_only = |b: &crate::semantic::Binding| {
                matches!(b.stmt, Some(Stmt::AnnAssign(assign)) if assign.value.is_none())
            };
            let kept: Vec<crate::semantic::Binding> = bindings_all.iter().filter(|b| !declared_only(b)).cloned().collect();
            let bindings = kept.as_slice();
            // A recursive call reads the name when it runs: the definition itself only when it is the
            // name's one binding.
            if name == own_name && bindings.len() == 1 || !done.insert(name) {
                continue;
            }
            let state = || Why::RuntimeState { subject: subject.clone(), name: name.to_string() };
            if self.facts.magic_bound.contains(name) || self.facts.star.contains_key(name) {
                return Err(state().into());
            }
            let Some(binding) = one_meaning(ctx, bindings) else { return Err(state().into()) };
            let stmt = binding.stmt.ok_or_else(state)?;
            if stmt.range().contains_range(range) {
                return Err(Why::ReadsEnclosing { subject, name: name.to_string() }.into());
            }
            let in_decorator = decorators.iter().any(|decorator| decorator.contains_range(load.range));
            if in_decorator && matches!(binding.kind, BindingKind::FunctionDef(_) | BindingKind::ClassDef(_)) {
                return Err(Why::Decorator { subject, name: name.to_string() }.into());
            }
            match binding.kind {
                BindingKind::Import | BindingKind::FromImport => self.import(stmt, binding.range, name, &subject, plan)?,
                BindingKind::FunctionDef(_) | BindingKind::ClassDef(_) => self.plan_top_level(stmt, plan)?,
                BindingKind::Assign(value) if is_simple_assignment(stmt) && is_rebuilt_alike(ctx, value) => {
                    if self.facts.parameters.iter().any(|cell| cell.contains_range(stmt.range())) {
                        return Err(Why::Parameter { subject, name: name.to_string() }.into());
                    }
                    if !self.ctx.body.iter().any(|top| std::ptr::eq(top, stmt)) {
                        return Err(state().into());
                    }
                    if !plan.moved.insert(stmt.start()) {
                        continue;
                    }
                    // What the statement reads (`re` in `re.compile(...)`, `Final` in an annotation) is
                    // imported in the module too.
                    for read in ctx.sem.loads.iter().filter(|load| stmt.range().contains_range(load.range)) {
                        match one_meaning(ctx, ctx.sem.bindings(read.name, MODULE_SCOPE)).map(std::slice::from_ref) {
                            Some([binding]) if matches!(binding.kind, BindingKind::Import | BindingKind::FromImport) => {
                                let stmt = binding.stmt.ok_or_else(state)?;
                                self.import(stmt, binding.range, read.name, &subject, plan)?;
                            }
                            None if ctx.sem.bindings(read.name, MODULE_SCOPE).is_empty()
                                && ruff_python_stdlib::builtins::is_python_builtin(read.name, 13, false) => {}
                            _ => return Err(state().into()),
                        }
                    }
                    // The statement with a comment that ends its line: the replacement takes both.
                    let code = ctx.text[replaced_range(ctx, stmt)].to_string();
                    if check_name_free(workers, name, &code)? {
                        self.claim(stmt.start(), name)?;
                        plan.companion.constants.push((name.to_string(), code));
                    }
                    if holds_mutable(value) {
                        // The moved code may change it while it also runs in the kernel, other code may
                        // too: under spawn a worker would import the module's first value.
                        return Err(Why::Mutable { subject, name: name.to_string() }.into());
                    }
                    plan.edits.push(Edit::range_replacement(
                        format!("from {} import {name}", workers.module),
                        replaced_range(ctx, stmt),
                    ));
                }
                _ => return Err(state().into()),
            }
        }
        Ok(())
    }

    /// Adds the import that binds `name` (the alias at `bound` of `stmt`) to the module.
    fn import(&self, stmt: &Stmt, bound: TextRange, name: &str, subject: &str, plan: &mut Plan) -> Result<(), Refusal> {
        let ctx = self.ctx;
        let top_level = ctx.body.iter().any(|top| std::ptr::eq(top, stmt));
        let Some(import) = import_statement(ctx, stmt, bound).filter(|_| top_level) else {
            return Err(Why::Import { subject: subject.to_string(), name: name.to_string() }.into());
        };
        if matches!(stmt, Stmt::ImportFrom(from) if from.module.as_ref().is_some_and(|m| m.as_str() == self.workers.module)) {
            return Ok(());
        }
        if check_name_free(self.workers, name, &import)? {
            self.claim(bound.start(), name)?;
        }
        plan.add_import(import);
        Ok(())
    }
}

/// The binding a module-level name stands for: its only one, or the first of several that are the same
/// top-level import (`import time` in two cells).
fn one_meaning<'b, 'a>(ctx: &Context, bindings: &'b [crate::semantic::Binding<'a>]) -> Option<&'b crate::semantic::Binding<'a>> {
    let (first, rest) = bindings.split_first()?;
    if rest.is_empty() {
        return Some(first);
    }
    let import = |binding: &crate::semantic::Binding| {
        let stmt = binding.stmt?;
        ctx.body.iter().any(|top| std::ptr::eq(top, stmt)).then_some(())?;
        import_statement(ctx, stmt, binding.range)
    };
    let text = import(first)?;
    rest.iter().all(|binding| import(binding).as_ref() == Some(&text)).then_some(first)
}

/// Whether the module still needs `code` for `name`: `false` when it already holds that very code; an
/// error when it binds `name` to something else.
fn check_name_free(workers: &Workers, name: &str, code: &str) -> Result<bool, Refusal> {
    match workers.names.get(name) {
        None => Ok(true),
        Some(existing) if existing.trim_end() == code.trim_end() => Ok(false),
        Some(_) => Err(Why::NameTaken { name: name.to_string(), file: workers.file() }.into()),
    }
}

fn scope_of(ctx: &Context, stmt: &Stmt) -> Option<ScopeId> {
    match stmt {
        Stmt::FunctionDef(def) => ctx.sem.functions.get(&def.start()).map(|info| info.scope),
        Stmt::ClassDef(class) => ctx
            .sem
            .scopes
            .iter()
            .position(|scope| matches!(scope.kind, ScopeKind::Class(c) if c.range == class.range)),
        _ => None,
    }
}

/// Whether a value holds a list, dict or set anywhere (`([1, 2],)` does).
fn holds_mutable(expr: &Expr) -> bool {
    match expr {
        Expr::List(_) | Expr::Dict(_) | Expr::Set(_) => true,
        Expr::Tuple(t) => t.elts.iter().any(holds_mutable),
        Expr::Call(call) => call.arguments.args.iter().any(|arg| match arg {
            Expr::List(l) => l.elts.iter().any(holds_mutable),
            Expr::Set(s) => s.elts.iter().any(holds_mutable),
            other => holds_mutable(other),
        }),
        _ => false,
    }
}

/// The import statement that binds the alias at `bound` of `stmt`, alone: `import a.b as c`,
/// `from m import n`. `None` for relative imports.
fn import_statement(ctx: &Context, stmt: &Stmt, bound: TextRange) -> Option<String> {
    match stmt {
        Stmt::Import(import) => {
            let alias = import.names.iter().find(|alias| alias.range.contains_range(bound))?;
            Some(format!("import {}", &ctx.text[alias.range()]))
        }
        Stmt::ImportFrom(import) if import.level == 0 => {
            let alias = import.names.iter().find(|alias| alias.range.contains_range(bound))?;
            let module = import.module.as_ref()?;
            Some(format!("from {module} import {}", &ctx.text[alias.range()]))
        }
        _ => None,
    }
}

/// A value that is the same wherever it is evaluated: literals and displays of literals.
fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::UnaryOp(op) => matches!(op.operand.as_ref(), Expr::NumberLiteral(_)),
        Expr::BinOp(op) => {
            let number = |e: &Expr| matches!(e, Expr::NumberLiteral(_) | Expr::UnaryOp(_) | Expr::BinOp(_)) && is_constant(e);
            number(&op.left) && number(&op.right)
        }
        Expr::Tuple(t) => t.elts.iter().all(is_constant),
        Expr::List(l) => l.elts.iter().all(is_constant),
        Expr::Set(s) => s.elts.iter().all(is_constant),
        Expr::Dict(d) => d.items.iter().all(|item| item.key.as_ref().is_some_and(is_constant) && is_constant(&item.value)),
        _ => false,
    }
}

/// Calls that build the same immutable value from the same constant arguments wherever they run.
const REBUILT_ALIKE: &[&str] = &[
    "re.compile",
    "frozenset",
    "tuple",
    "range",
    "fractions.Fraction",
    "decimal.Decimal",
    "datetime.timedelta",
    "datetime.date",
    "datetime.datetime",
    "pathlib.Path",
    "pathlib.PurePath",
];

/// A constant, or a call of [`REBUILT_ALIKE`] with constant arguments (or flags such as `re.IGNORECASE`):
/// the module can build it again and get an equal, immutable value.
fn is_rebuilt_alike(ctx: &Context, value: &Expr) -> bool {
    if is_constant(value) {
        return true;
    }
    let Expr::Call(call) = value else { return false };
    let callee = match call.func.as_ref() {
        Expr::Name(name) if ctx.sem.lookup(&name.id, MODULE_SCOPE).is_none() => name.id.to_string(),
        func => match ctx.resolver.eval(func, MODULE_SCOPE) {
            crate::pools::Value::Qualified(name) => name,
            _ => return false,
        },
    };
    // Constants, and the flags of `re` (`re.IGNORECASE | re.M`): a module's other attributes may be set
    // by the notebook.
    let is_flag = |expr: &Expr| -> bool {
        fn flag(ctx: &Context, expr: &Expr) -> bool {
            match expr {
                Expr::Attribute(attr) => matches!(
                    ctx.resolver.eval(&attr.value, MODULE_SCOPE),
                    crate::pools::Value::Qualified(module) if module == "re"
                ),
                Expr::BinOp(op) => flag(ctx, &op.left) && flag(ctx, &op.right),
                other => is_constant(other),
            }
        }
        flag(ctx, expr)
    };
    REBUILT_ALIKE.contains(&callee.as_str())
        && call.arguments.args.iter().all(is_flag)
        && call.arguments.keywords.iter().all(|keyword| keyword.arg.is_some() && is_flag(&keyword.value))
}

/// `NAME = value` or `NAME: T = value`, one target, at the notebook's top level.
fn is_simple_assignment(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Assign(assign) => matches!(assign.targets.as_slice(), [Expr::Name(_)]),
        Stmt::AnnAssign(assign) => matches!(assign.target.as_ref(), Expr::Name(_)) && assign.value.is_some(),
        _ => false,
    }
}

/// Whether the definition declares `global` or `nonlocal` names anywhere in it.
fn declares_names(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if matches!(stmt, Stmt::Global(_) | Stmt::Nonlocal(_)) {
                self.0 = true;
            }
            visitor::walk_stmt(self, stmt);
        }
    }
    let mut finder = Finder(false);
    finder.visit_stmt(stmt);
    finder.0
}

/// `:=`, `yield` or `await` in a lambda, which a `def` would change.
fn forbidden_in_lambda(lambda: &ast::ExprLambda) -> Option<&'static str> {
    struct Finder(Option<&'static str>);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Named(_) => self.0 = Some(":="),
                Expr::Yield(_) | Expr::YieldFrom(_) => self.0 = Some("yield"),
                Expr::Await(_) => self.0 = Some("await"),
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(None);
    finder.visit_expr(&lambda.body);
    finder.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_are_identifiers() {
        assert_eq!(module_name(Path::new("a/analysis.ipynb")), "analysis_workers");
        assert_eq!(module_name(Path::new("My Analysis-2.ipynb")), "My_Analysis_2_workers");
        assert_eq!(module_name(Path::new("2024 run.ipynb")), "_2024_run_workers");
    }

    #[test]
    fn a_new_module_has_the_marker_and_an_existing_one_grows() {
        let part = Companion {
            imports: vec!["import math".to_string()],
            constants: vec![("K".to_string(), "K = 3".to_string())],
            definitions: vec![("f".to_string(), "def f(x):\n    return math.sqrt(x) * K".to_string())],
        };
        let new = compose(None, "nb.ipynb", &[part.clone(), part.clone()]).unwrap();
        assert!(new.starts_with(MARKER), "{new}");
        assert_eq!(new.matches("def f").count(), 1);
        assert!(crate::source::parse(&new).is_ok());
        let more = Companion {
            imports: vec!["import math".to_string(), "import os".to_string()],
            constants: vec![],
            definitions: vec![("g".to_string(), "def g():\n    return os.sep".to_string())],
        };
        let grown = compose(Some(&new), "nb.ipynb", &[more]).unwrap();
        assert!(grown.starts_with(&new[..new.find("import math").unwrap()]));
        assert_eq!(grown.matches("import math").count(), 1);
        assert!(grown.contains("import math\nimport os\n"), "{grown}");
        assert!(grown.ends_with("def g():\n    return os.sep\n"), "{grown}");
        assert!(crate::source::parse(&grown).is_ok());
    }
}
