//! `missing-main-guard` (PF004)
//!
//! ## What it does
//! Finds module-level code that starts processes when the module is imported (also inside module-level
//! `with`, `for`, `while`, `if` and `try` blocks and comprehensions): a `multiprocessing`, `multiprocess`
//! (also as `torch.multiprocessing`) or pathos pool created there (its constructor starts the workers), a
//! task handed to a `ProcessPoolExecutor` or a pebble `ProcessPool` there (`submit`, `map`,
//! `run_in_executor`, `schedule`: these start their workers on the first task, so one merely created at
//! module level and used only under the guard is fine), a call of tqdm's `process_map`,
//! `Process.start()` (also of a process taken from a list of processes, by subscript, `for` loop or
//! comprehension: `for p in procs: p.start()`), or a call of a module-level function (`main()`,
//! `asyncio.run(main())`) that does so. Which calls start the workers of each kind of pool is
//! [`PoolApi::starts`](crate::pools::api::PoolApi::starts) in the table. Processes and pools from an
//! explicit `fork` context, and threads, never count. It moves that code under
//! `if __name__ == "__main__":`.
//!
//! ## Why is this bad?
//! A `spawn` or `forkserver` child imports the main module (as `__mp_main__`) to find the functions it
//! runs. Without the guard, the import starts processes again: `RuntimeError: An attempt has been made to
//! start a new process before the current process has finished its bootstrapping phase`, or endless
//! respawning and a hang.
//!
//! ## Example
//! ```python
//! from multiprocessing import Pool
//!
//! def square(x):
//!     return x * x
//!
//! with Pool() as pool:
//!     print(pool.map(square, range(10)))
//! ```
//! Use instead:
//! ```python
//! from multiprocessing import Pool
//!
//! def square(x):
//!     return x * x
//!
//! if __name__ == "__main__":
//!     with Pool() as pool:
//!         print(pool.map(square, range(10)))
//! ```
//! The guard takes the script body, so that under `spawn` the script behaves as under `fork`: the parent
//! runs it once, and a child that imports the module runs nothing else. Every module-level statement
//! with side effects moves under the guard, in its order, with the comments above it, also those above
//! the first statement that starts processes (a banner `print`, `argparse` parsing, reading input or
//! files, timers, calls): left there, they would run again in every child. What the importable part
//! needs stays at module level:
//! - imports, `def`s, `class`es, type aliases, docstrings and other string statements, `__dunder__`
//!   metadata assignments without calls, and (above the first start) compound statements that import or
//!   define something (`try: import x` / `except ImportError:`);
//! - statements that bind names read by functions or classes, or read at import time by code that
//!   stays (a default value, a base class, a configuration argument); a `def` under the guard does not
//!   exist in the child (`Can't get attribute 'f' on <module '__mp_main__'>`). A name read only by
//!   module-level functions that are only called directly by moved code (a module-level pool used by
//!   `run()`, with `print(run())` moving) is not needed: those functions never run in a child, and the
//!   guard is module level, so the name stays a module global in the parent;
//! - process-wide configuration above the first start, which forked workers inherited and spawned
//!   workers get only by running it on import: `logging.basicConfig`, `logging.captureWarnings`,
//!   `logging.disable`, `logging.config.*`, `logging.getLogger(...)` assignments and their
//!   `setLevel`/`addHandler`/`addFilter`, `warnings.filterwarnings`/`simplefilter`,
//!   `sys.path.append`/`insert`/`extend`, `os.environ[...] = ...`, `os.environ.setdefault`/`update`,
//!   `os.putenv`, `random.seed`, `numpy.random.seed`, `torch.manual_seed`,
//!   `multiprocessing.set_executable`, `sys.setrecursionlimit`, `socket.setdefaulttimeout`.
//!   Configuration below the first start moves: forked workers never saw it either.
//!
//! `multiprocessing.set_start_method` and `freeze_support` move: the documentation says the first must
//! be protected by the guard (a spawned child that runs it on import fails with "context has already
//! been set"), and the second belongs right after the guard line; it moves in its order.
//!
//! When definitions or other staying code follow moved code, the guard goes below the last of them:
//! under `fork`, a pool started before a `def` has children that never see that function. A trailing
//! docstring or comment stays where it was. Lines inside multi-line strings are never re-indented.
//! Staying code then runs before the moved code above it; that is allowed when its calls are quiet
//! (builtins such as `int` or `range`, `os.path.*`, `os.environ.get`, ...), or for a configuration
//! call when the moved code above it does not name the configured module and calls only builtins,
//! `argparse`, `time`, `datetime` or methods of what it made itself (`print("banner")` above
//! `logging.basicConfig(...)`); otherwise there is no fix.
//!
//! ## Fix safety
//! Safe for a script (a file with a shebang line) and for `__main__.py`; unsafe otherwise, since another
//! module may import this one and rely on its import-time side effects. There is no fix, only the
//! finding, when a guard already exists below that code, when code that stays at module level reads a
//! name the moved code binds, when the statement that starts processes binds names that functions a
//! worker may run read, when moving would reorder calls or configuration that stays, or when a statement
//! that moves shares a line with one that stays. Nor is there one when the program shares objects with
//! its children only through `fork`, which no guard can make right under `spawn`: a `multiprocessing`
//! queue, lock, event, semaphore, shared value, pipe or manager made at module level and read by
//! functions (each spawned child would make its own while importing the module), memory from the
//! `sharedmem` package (a spawned child gets a copy), or a queue, lock or manager proxy handed to
//! processes that the script never joins (at exit the parent removes its semaphore, or stops the
//! manager, before a spawned child has opened it). A guard nested in a module-level block
//! (`for run in runs: if __name__ == "__main__": ...`) protects what it holds.

use ruff_diagnostics::{Applicability, Edit, Fix};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::queue_to_pool::{inherited_only, manager_behind};
use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::pools::{Sink, SinkKind, Value, api, multiprocessing_member, normalize, task_arguments};
use crate::edits::{comment_lines_above, fix_of, lines_for_reindent};
use crate::finding::{Finding, Remedy};
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF004",
    name: "missing-main-guard",
    summary: "module-level code that starts processes moves under `if __name__ == \"__main__\":`",
    description: "module-level code that starts processes (a pool, a task for an executor, `Process.start()` also in a loop, or `main()`/`asyncio.run(main())` that does) moves under `if __name__ == \"__main__\":` with the rest of the script body, also what stands before it (banners, argument parsing), so that children run it no more; imports, definitions, what functions read and process-wide configuration (`logging.basicConfig`, `random.seed`, `sys.path`, ...) stay at module level",
    fix: FixSafety::SafeForScripts,
    fix_note: "",
    needs_sinks: false,
    dill_solves: false,
};

/// Why the guard cannot be added automatically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// A guard already stands below the code that starts processes, at this line.
    GuardBelow { line: u32 },
    /// The statement that starts processes binds names that module-level functions read.
    StarterReadByFunctions,
    /// A statement that moves shares a line with one that stays, or with another statement.
    SharesLineWithStaying,
    SharesLine,
    StayingCodeReadsMoved { name: String },
    /// Assignments that functions read must stay, and moving the code around them would reorder calls.
    WouldReorderCalls { names: String },
    /// A process-wide configuration call (at this line) must stay at module level for the workers, and
    /// moved code above it might notice that it then runs first.
    WouldReorderConfiguration { line: u32 },
    /// A `def` or `class` that the moved code reads is defined more than once at module level: below
    /// every definition, the moved code would see only the last one, and so would a spawned child that
    /// unpickles it by name.
    Redefined { name: String },
    /// An object that forked children shared with the parent (a queue, lock, event, shared value, pipe,
    /// manager or shared memory) stays at module level for the functions that read it, or is memory
    /// shared only through `fork`: under `spawn` each child would get its own.
    SharedOnlyByFork { name: String, what: String },
    /// The moved code starts processes, hands them an object whose semaphore or manager the parent owns,
    /// and never joins them: at exit the parent removes it before a spawned child has opened it.
    NotJoined { name: String, what: String },
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::GuardBelow { line } => {
                write!(f, "a `__main__` guard already exists below (line {line}); move the code into it")
            }
            Why::StarterReadByFunctions => {
                f.write_str("the statement that starts processes binds names that module-level functions read")
            }
            Why::SharesLineWithStaying => f.write_str("a statement that moves shares a line with one that stays"),
            Why::SharesLine => f.write_str("a statement that moves shares its line with another (or a backslash joins it to the line above)"),
            Why::StayingCodeReadsMoved { name } => {
                write!(f, "code that stays at module level reads `{name}`, which the moved code binds")
            }
            Why::WouldReorderCalls { names } => write!(
                f,
                "`{names}` must stay at module level (functions read it), and moving the code around it would reorder calls"
            ),
            Why::Redefined { name } => write!(
                f,
                "`{name}` is defined more than once at module level: moved below its definitions (and in a spawned \
                 child, which finds it by name), the code would use only the last one"
            ),
            Why::SharedOnlyByFork { name, what } => write!(
                f,
                "`{name}` ({what}) reaches forked children by inheritance; under spawn a child would get its own \
                 (made again while importing the module, or a copy sent with its arguments), so changes would \
                 no longer be shared"
            ),
            Why::NotJoined { name, what } => write!(
                f,
                "the processes get `{name}` ({what}) and the script never joins them: under spawn the parent \
                 removes it at exit before a child has opened it; join the processes at the end"
            ),
            Why::WouldReorderConfiguration { line } => write!(
                f,
                "the configuration at line {line} must stay at module level for the workers, and the code above it that moves might notice that it runs first"
            ),
        }
    }
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    let starters = process_starting_functions(ctx);
    let Some((first, trigger)) = (0..ctx.body.len())
        .filter(|&index| !ctx.sem.is_main_guard(&ctx.body[index]))
        .find_map(|index| starts_processes(ctx, index, &starters).map(|range| (index, range)))
    else {
        return;
    };
    let message = "Module-level code starts processes without an `if __name__ == \"__main__\":` guard; \
                   a spawned child re-runs it while importing the module"
        .to_string();
    let remedy = match fix(ctx, first) {
        Ok(fix) => Remedy::Fix {
            title: "Move the code that starts processes under `if __name__ == \"__main__\":`".to_string(),
            fix,
        },
        Err(why) => Remedy::NoFix(why),
    };
    findings.push(Finding::new(Rule::MissingMainGuard, trigger, message, remedy, None));
}

/// Whether `scope` runs when the module is imported: the module itself, or a class body or
/// comprehension in it.
fn runs_at_import(ctx: &Context, scope: ScopeId) -> bool {
    let mut id = Some(scope);
    while let Some(current) = id {
        match ctx.sem.scopes[current].kind {
            ScopeKind::Module => return true,
            ScopeKind::Function(_) | ScopeKind::Lambda(_) => return false,
            ScopeKind::Class(_) | ScopeKind::Comprehension => id = ctx.sem.scopes[current].parent,
        }
    }
    false
}

/// Whether a call starts processes that import the main module (the table says which calls start
/// each kind of pool; `Process.start()`, also through lists and loops); never from a `fork` context.
fn call_starts_processes(ctx: &Context, call: &ruff_python_ast::ExprCall, scope: ScopeId) -> bool {
    ctx.resolver.starts_processes(call, scope)
}

/// Module-level functions that start processes when called, directly or through each other, and
/// module-level classes whose `__init__` does (calling the class runs it): one pass over the calls, then
/// the call graph between them.
fn process_starting_functions<'a>(ctx: &Context<'_, 'a>) -> Vec<&'a str> {
    let is_module_function = |name: &str| {
        matches!(ctx.sem.bindings(name, MODULE_SCOPE), [binding]
            if matches!(binding.kind, BindingKind::FunctionDef(_) | BindingKind::ClassDef(_)))
    };
    let mut starters: Vec<&'a str> = Vec::new();
    let mut edges: Vec<(&'a str, &'a str)> = Vec::new();
    for call in &ctx.sem.calls {
        let Some(owner) = module_function_owning(ctx, call.scope).filter(|name| is_module_function(name)) else {
            continue;
        };
        // A class counts only when its `__init__` starts processes whenever it runs: a pool made under a
        // condition (`Pool(n) if n else None`) may never be made by the module-level instance.
        let is_class = matches!(ctx.sem.bindings(owner, MODULE_SCOPE), [b] if matches!(b.kind, BindingKind::ClassDef(_)));
        if is_class && !runs_whenever_called(ctx, call.scope, call.call.range()) {
            continue;
        }
        if call_starts_processes(ctx, call.call, call.scope) {
            starters.push(owner);
        } else if let Expr::Name(callee) = call.call.func.as_ref()
            && is_module_function(callee.id.as_str())
            && ctx.sem.lookup(callee.id.as_str(), call.scope) == Some(MODULE_SCOPE)
        {
            edges.push((owner, callee.id.as_str()));
        }
    }
    loop {
        let before = starters.len();
        for (caller, callee) in &edges {
            if starters.contains(callee) && !starters.contains(caller) {
                starters.push(caller);
            }
        }
        if starters.len() == before {
            return starters;
        }
    }
}

/// Whether the call at `range`, in the function whose scope is `scope`, runs whenever the function does:
/// in a plain statement of its body (not under `if`, `for`, `while`, `try` or `match`), and not in a
/// branch of a conditional expression or of `and`/`or`.
fn runs_whenever_called(ctx: &Context, scope: ScopeId, range: TextRange) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr};
    struct Conditional {
        range: TextRange,
        found: bool,
    }
    impl<'a> Visitor<'a> for Conditional {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if matches!(expr, Expr::If(_) | Expr::BoolOp(_)) && expr.range().contains_range(self.range) {
                self.found = true;
            }
            walk_expr(self, expr);
        }
    }
    let ScopeKind::Function(def) = ctx.sem.scopes[scope].kind else { return false };
    let Some(stmt) = def.body.iter().find(|s| s.range().contains_range(range)) else { return false };
    if matches!(stmt, Stmt::If(_) | Stmt::For(_) | Stmt::While(_) | Stmt::Try(_) | Stmt::Match(_)) {
        return false;
    }
    let mut conditional = Conditional { range, found: false };
    conditional.visit_stmt(stmt);
    !conditional.found
}

/// The module-level function whose body (or a function nested in it) contains `scope`, or the
/// module-level class whose `__init__` body itself does (not a function nested in `__init__`, which
/// may never be called).
fn module_function_owning<'a>(ctx: &Context<'_, 'a>, scope: ScopeId) -> Option<&'a str> {
    let mut id = scope;
    let mut below = None;
    loop {
        let parent = ctx.sem.scopes[id].parent?;
        if parent == MODULE_SCOPE {
            return match (ctx.sem.scopes[id].kind, below as Option<ScopeId>) {
                (ScopeKind::Function(def), _) => Some(def.name.id.as_str()),
                (ScopeKind::Class(class), Some(init_scope)) if init_scope == scope => {
                    match ctx.sem.scopes[init_scope].kind {
                        ScopeKind::Function(init)
                            if init.name.id.as_str() == "__init__" && crate::semantic::is_plain_method(init) =>
                        {
                            Some(class.name.id.as_str())
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
        }
        below = Some(id);
        id = parent;
    }
}

fn calls_one_of(ctx: &Context, call: &ruff_python_ast::ExprCall, scope: ScopeId, functions: &[&str]) -> bool {
    matches!(call.func.as_ref(), Expr::Name(name)
        if functions.contains(&name.id.as_str()) && ctx.sem.lookup(name.id.as_str(), scope) == Some(MODULE_SCOPE))
}

/// The call in module statement `index` that starts processes at import time, if any.
fn starts_processes(ctx: &Context, index: usize, starters: &[&str]) -> Option<TextRange> {
    ctx.sem
        .calls
        .iter()
        .filter(|c| c.top == index && runs_at_import(ctx, c.scope))
        .filter(|c| !ctx.sem.is_in_main_guard(c.call.range()))
        .find(|c| call_starts_processes(ctx, c.call, c.scope) || calls_one_of(ctx, c.call, c.scope, starters))
        .map(|c| c.call.range())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// Stays at module level: imports, definitions, assignments functions read, trailing docstrings.
    Stay,
    /// Moves under the guard.
    Guard,
}

/// Builds the fix, or says why there is none.
fn fix(ctx: &Context, first: usize) -> Result<Fix, Refusal> {
    let body = ctx.body;
    if let Some(guard) = body[first..].iter().find(|s| ctx.sem.is_main_guard(s)) {
        let line = ctx.text.count_lines(TextRange::up_to(guard.start())) + 1;
        return Err(Why::GuardBelow { line }.into());
    }
    // The statements considered: from the top of the module, or from below a guard that stands above.
    let begin = body[..first].iter().rposition(|s| ctx.sem.is_main_guard(s)).map_or(0, |i| i + 1);
    let placements = placements(ctx, begin, first);
    let considered = &body[begin..];
    if placements[first - begin] == Placement::Stay {
        // Staying code that reads what the starter binds at import time, or else functions that do.
        let bound = bound_names(ctx, &body[first]);
        let read_at_import = considered
            .iter()
            .zip(&placements)
            .filter(|(s, p)| **p == Placement::Stay && s.start() > body[first].start())
            .flat_map(|(s, _)| module_reads_at_import(ctx, s))
            .find(|name| bound.contains(name));
        return Err(match read_at_import {
            Some(name) => Why::StayingCodeReadsMoved { name: name.to_string() },
            None => Why::StarterReadByFunctions,
        }
        .into());
    }
    let moved: Vec<&Stmt> =
        considered.iter().zip(&placements).filter(|(_, p)| **p == Placement::Guard).map(|(s, _)| s).collect();
    let stays: Vec<&Stmt> =
        considered.iter().zip(&placements).filter(|(_, p)| **p == Placement::Stay).map(|(s, _)| s).collect();
    check_staying_code(ctx, &moved, &stays)?;
    check_redefinitions(ctx, &moved)?;
    check_shared_objects(ctx, &moved, &stays)?;

    let regions: Vec<TextRange> = moved.iter().map(|stmt| statement_region(ctx, stmt)).collect::<Result<_, _>>()?;
    for stay in &stays {
        let region = statement_region(ctx, stay)?;
        if regions.iter().any(|r| r.intersect(region).is_some_and(|i| !i.is_empty())) {
            return Err(Why::SharesLineWithStaying.into());
        }
    }
    let eol = ctx.layout.eol;
    let q = ctx.layout.quote;
    let header = format!("if __name__ == {q}__main__{q}:{eol}");
    let applicability = if ctx.entry_point { Applicability::Safe } else { Applicability::Unsafe };

    // Trailing docstrings and comments stay put, below the guard; only definitions push it down.
    let definitions_below: Vec<&&Stmt> =
        stays.iter().filter(|s| s.start() > moved[0].start() && !is_string_statement(s)).collect();
    let Some(last_definition) = definitions_below.last() else {
        // Nothing but strings follows: wrap the statements where they are.
        let region = TextRange::new(regions[0].start(), regions[regions.len() - 1].end());
        let code = format!("{header}{}", indent_lines(ctx, region));
        return Ok(Fix::applicable_edit(Edit::range_replacement(code, region), applicability));
    };

    // Definitions follow: the moved statements go, in order, into a guard below the last of them.
    let mut block = header;
    for (index, region) in regions.iter().enumerate() {
        // One blank line where something stood between two moved statements.
        if index > 0 && regions[index - 1].end() != region.start() {
            block.push_str(eol);
        }
        block.push_str(&indent_lines(ctx, *region));
    }
    // Moved statements that touch go as one piece; a piece takes the blank lines above it only when
    // blank lines (or the end) follow it, so that a staying statement keeps its distance from the code above.
    let mut pieces: Vec<TextRange> = Vec::new();
    for region in &regions {
        match pieces.last_mut() {
            Some(last) if last.end() == region.start() => *last = last.cover(*region),
            _ => pieces.push(*region),
        }
    }
    let mut edits = Vec::new();
    for piece in pieces {
        let rest = &ctx.text[piece.end().to_usize()..];
        let followed_by_blank = rest.lines().next().is_none_or(|line| line.trim().is_empty());
        let deletion = if followed_by_blank { with_preceding_blank_lines(ctx, piece) } else { piece };
        edits.push(Edit::range_deletion(deletion));
    }
    let at = ctx.text.full_line_end(last_definition.end());
    let ends_line = ctx.text[..at.to_usize()].ends_with(['\n', '\r']);
    let lead = if ends_line { format!("{eol}{eol}") } else { format!("{eol}{eol}{eol}") };
    edits.push(Edit::insertion(format!("{lead}{block}"), at));
    fix_of(edits, applicability).ok_or(Refusal::Unexpected("no edit"))
}

fn assigned_names(stmt: &Stmt) -> Vec<&str> {
    fn collect<'a>(expr: &'a Expr, out: &mut Vec<&'a str>) {
        match expr {
            Expr::Name(name) => out.push(name.id.as_str()),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| collect(e, out)),
            Expr::List(l) => l.elts.iter().for_each(|e| collect(e, out)),
            Expr::Starred(s) => collect(&s.value, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match stmt {
        Stmt::Assign(assign) => assign.targets.iter().for_each(|t| collect(t, &mut out)),
        Stmt::AnnAssign(assign) => collect(&assign.target, &mut out),
        Stmt::AugAssign(assign) => collect(&assign.target, &mut out),
        _ => {}
    }
    out
}

/// Where each statement of `body[begin..]` goes. A statement stays when the importable part needs it:
/// imports and definitions, strings, process-wide configuration above the first statement that starts
/// processes, and statements that bind names read by functions or classes or by other staying code
/// at import time. A name read only by functions that nothing but moved code calls is not needed: those
/// functions never run in a child.
fn placements(ctx: &Context, begin: usize, first: usize) -> Vec<Placement> {
    let considered = &ctx.body[begin..];
    // Names read inside functions, with the module-level function that reads them.
    let function_reads: Vec<(&str, Option<&str>)> = ctx
        .sem
        .loads
        .iter()
        .filter(|load| load.scope != MODULE_SCOPE && !runs_at_import(ctx, load.scope))
        .filter(|load| ctx.sem.lookup(load.name, load.scope) == Some(MODULE_SCOPE))
        .map(|load| (load.name, module_function_owning(ctx, load.scope)))
        .collect();
    let mut read_by_functions: Vec<&str> = function_reads.iter().map(|(name, _)| *name).collect();
    read_by_functions.sort_unstable();
    read_by_functions.dedup();
    // Names whose readers are module-level functions called only directly, at module level: with the
    // module statements of those calls, which must all move for the name to move.
    let mut exempt: Vec<(&str, Vec<usize>)> = read_by_functions
        .iter()
        .filter_map(|name| {
            let mut tops = Vec::new();
            for (_, owner) in function_reads.iter().filter(|(n, _)| n == name) {
                let sites = module_call_sites_only(ctx, (*owner)?)?;
                // A function nothing here calls may be called by a module that imports this one.
                if sites.is_empty() {
                    return None;
                }
                tops.extend(sites);
            }
            Some((*name, tops))
        })
        .collect();
    loop {
        let mut needed: Vec<&str> =
            read_by_functions.iter().copied().filter(|name| !exempt.iter().any(|(n, _)| n == name)).collect();
        let placements = loop {
            let placements: Vec<Placement> = considered
                .iter()
                .enumerate()
                .map(|(offset, stmt)| placement(ctx, stmt, begin + offset < first, &needed))
                .collect();
            let before = needed.len();
            for (stmt, _) in considered.iter().zip(&placements).filter(|(_, p)| **p == Placement::Stay) {
                for load in module_reads_at_import(ctx, stmt) {
                    if !needed.contains(&load) {
                        needed.push(load);
                    }
                }
            }
            if needed.len() == before {
                break placements;
            }
        };
        let before = exempt.len();
        exempt.retain(|(name, tops)| {
            !needed.contains(name)
                && tops.iter().all(|&top| {
                    ctx.sem.is_main_guard(&ctx.body[top])
                        || (top >= begin && placements[top - begin] == Placement::Guard)
                })
        });
        if exempt.len() == before {
            return placements;
        }
    }
}

/// The module statements that call module-level function `name`, when every read of the name is a
/// direct call at module level (not in a class body, not handed anywhere): `None` otherwise.
fn module_call_sites_only(ctx: &Context, name: &str) -> Option<Vec<usize>> {
    if !matches!(ctx.sem.bindings(name, MODULE_SCOPE), [binding] if matches!(binding.kind, BindingKind::FunctionDef(_)))
    {
        return None;
    }
    let mut tops = Vec::new();
    for load in ctx.sem.loads.iter().filter(|l| l.name == name) {
        if ctx.sem.lookup(load.name, load.scope) != Some(MODULE_SCOPE) {
            continue;
        }
        if load.scope != MODULE_SCOPE {
            return None;
        }
        let call = ctx
            .sem
            .calls
            .iter()
            .find(|c| matches!(c.call.func.as_ref(), Expr::Name(n) if n.range == load.range))?;
        tops.push(call.top);
    }
    Some(tops)
}

fn placement(ctx: &Context, stmt: &Stmt, before_first: bool, needed: &[&str]) -> Placement {
    match stmt {
        Stmt::Import(_) | Stmt::ImportFrom(_) | Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::TypeAlias(_) => {
            return Placement::Stay;
        }
        stmt if is_string_statement(stmt) => return Placement::Stay,
        _ => {}
    }
    if before_first && configuration(ctx, stmt).is_some() {
        return Placement::Stay;
    }
    let bound = bound_names(ctx, stmt);
    if bound.iter().any(|name| needed.contains(name)) {
        return Placement::Stay;
    }
    // `try: import x` / `if ...: def f()`: what a compound statement imports or defines stays importable.
    if before_first && !matches!(stmt, Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_) | Stmt::Expr(_)) {
        let defines = ctx.sem.scopes[MODULE_SCOPE].bindings.values().flatten().any(|b| {
            stmt.range().contains_range(b.range)
                && matches!(
                    b.kind,
                    BindingKind::Import | BindingKind::FromImport | BindingKind::FunctionDef(_) | BindingKind::ClassDef(_)
                )
        });
        if defines {
            return Placement::Stay;
        }
    }
    // `__all__ = [...]`, `__version__ = "1.0"`: module metadata without calls.
    if matches!(stmt, Stmt::Assign(_) | Stmt::AnnAssign(_))
        && !assigned_names(stmt).is_empty()
        && assigned_names(stmt).iter().all(|n| n.starts_with("__") && n.ends_with("__"))
        && !ctx.sem.calls.iter().any(|c| stmt.range().contains_range(c.call.range()))
    {
        return Placement::Stay;
    }
    Placement::Guard
}

/// The parts of a staying statement that run at import: a `def`'s decorators and defaults, a class's
/// decorators, bases and body, any other statement whole.
fn at_import_ranges(stmt: &Stmt) -> Vec<TextRange> {
    match stmt {
        Stmt::FunctionDef(def) => {
            let mut parts: Vec<TextRange> = def.decorator_list.iter().map(Ranged::range).collect();
            parts.extend(def.parameters.iter_non_variadic_params().filter_map(|p| p.default.as_ref().map(|d| d.range())));
            parts
        }
        other => vec![other.range()],
    }
}

/// Module-level names that a statement reads when the module is imported.
fn module_reads_at_import<'a>(ctx: &Context<'_, 'a>, stmt: &Stmt) -> Vec<&'a str> {
    let ranges = at_import_ranges(stmt);
    ctx.sem
        .loads
        .iter()
        .filter(|l| ranges.iter().any(|r| r.contains_range(l.range)))
        .filter(|l| ctx.sem.lookup(l.name, l.scope) == Some(MODULE_SCOPE))
        .map(|l| l.name)
        .collect()
}

/// Calls that configure the whole process, which workers rely on and which must run when a child
/// imports the module: see the module docs for the list.
const CONFIGURATION: &[&str] = &[
    "logging.basicConfig",
    "logging.captureWarnings",
    "logging.disable",
    "warnings.filterwarnings",
    "warnings.simplefilter",
    "sys.path.append",
    "sys.path.insert",
    "sys.path.extend",
    "os.environ.setdefault",
    "os.environ.update",
    "os.putenv",
    "random.seed",
    "numpy.random.seed",
    "torch.manual_seed",
    "multiprocessing.set_executable",
    "multiprocess.set_executable",
    "sys.setrecursionlimit",
    "socket.setdefaulttimeout",
];

/// The qualified name of a dotted expression whose head is an import (`np.random.seed` is
/// `numpy.random.seed`); `None` for anything else.
fn qualified(ctx: &Context, expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => qualified_name(ctx, name.id.as_str()),
        Expr::Attribute(attribute) => Some(format!("{}.{}", qualified(ctx, &attribute.value)?, attribute.attr.id)),
        _ => None,
    }
}

/// What a module-level name stands for when every binding of it imports the same thing.
fn qualified_name(ctx: &Context, name: &str) -> Option<String> {
    let bindings = ctx.sem.bindings(name, MODULE_SCOPE);
    let first = bindings.first()?.qualified.clone()?;
    bindings
        .iter()
        .all(|b| matches!(b.kind, BindingKind::Import | BindingKind::FromImport) && b.qualified.as_ref() == Some(&first))
        .then_some(first)
}

fn is_get_logger(ctx: &Context, expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call) if qualified(ctx, &call.func).as_deref() == Some("logging.getLogger"))
}

/// The configuration call a module statement makes (`logging.basicConfig(...)`,
/// `os.environ["X"] = "1"`, `logger = logging.getLogger()`, `logger.setLevel(...)`), with the name of the
/// module it configures.
fn configuration<'a>(ctx: &Context, stmt: &'a Stmt) -> Option<(&'a Expr, String)> {
    match stmt {
        Stmt::Expr(expr) => {
            let Expr::Call(call) = expr.value.as_ref() else { return None };
            if let Some(name) = qualified(ctx, &call.func)
                && (CONFIGURATION.contains(&name.as_str()) || name.starts_with("logging.config."))
            {
                return Some((&expr.value, name));
            }
            let Expr::Attribute(method) = call.func.as_ref() else { return None };
            if !matches!(method.attr.id.as_str(), "setLevel" | "addHandler" | "addFilter") {
                return None;
            }
            let logger = match method.value.as_ref() {
                Expr::Name(name) => match ctx.sem.bindings(name.id.as_str(), MODULE_SCOPE) {
                    [binding] => match binding.kind {
                        BindingKind::Assign(value) => value,
                        _ => return None,
                    },
                    _ => return None,
                },
                other => other,
            };
            is_get_logger(ctx, logger).then(|| (expr.value.as_ref(), "logging".to_string()))
        }
        Stmt::Assign(assign) => match assign.targets.as_slice() {
            [Expr::Subscript(target)] if qualified(ctx, &target.value).as_deref() == Some("os.environ") => {
                Some((&assign.value, "os.environ".to_string()))
            }
            [Expr::Name(_)] if is_get_logger(ctx, &assign.value) => Some((&assign.value, "logging".to_string())),
            _ => None,
        },
        _ => None,
    }
}

/// A call whose result does not depend on, and does not change, anything the moved code can change
/// or observe (`int(...)`, `os.path.join(...)`, `os.environ.get(...)`), so reordering it is harmless.
fn is_quiet_call(ctx: &Context, call: &ruff_python_ast::ExprCall, scope: ScopeId) -> bool {
    const BUILTINS: &[&str] = &[
        "abs", "bool", "dict", "enumerate", "float", "frozenset", "int", "len", "list", "max", "min", "range", "repr",
        "reversed", "set", "sorted", "str", "sum", "tuple", "zip",
    ];
    match call.func.as_ref() {
        Expr::Name(name) => ctx.sem.lookup(name.id.as_str(), scope).is_none() && BUILTINS.contains(&name.id.as_str()),
        func => qualified(ctx, func).is_some_and(|name| {
            name.starts_with("os.path.")
                || matches!(
                    name.as_str(),
                    "os.getcwd" | "os.getenv" | "os.environ.get" | "os.cpu_count" | "multiprocessing.cpu_count" | "pathlib.Path"
                )
        }),
    }
}

/// Whether moved code standing above a staying configuration call can run after it without noticing:
/// it does not name the configured module and calls only builtins, `argparse`, `time` and `datetime`,
/// or methods of what the moved code itself made with them.
fn indifferent_to(ctx: &Context, moved: &Stmt, configured: &str, moved_names: &[&str]) -> bool {
    let root = configured.split('.').next().unwrap_or(configured);
    let names_root = ctx.sem.loads.iter().filter(|l| moved.range().contains_range(l.range)).any(|l| {
        ctx.sem.lookup(l.name, l.scope) == Some(MODULE_SCOPE)
            && qualified_name(ctx, l.name).is_some_and(|q| q.split('.').next() == Some(root))
    });
    if names_root {
        return false;
    }
    ctx.sem.calls.iter().filter(|c| moved.range().contains_range(c.call.range())).all(|c| {
        let mut head = c.call.func.as_ref();
        while let Expr::Attribute(attribute) = head {
            head = &attribute.value;
        }
        match (c.call.func.as_ref(), head) {
            (Expr::Name(name), _) => ctx.sem.lookup(name.id.as_str(), c.scope).is_none(),
            (_, Expr::Name(name)) if moved_names.contains(&name.id.as_str()) => true,
            (func, _) => qualified(ctx, func).is_some_and(|q| {
                ["argparse.", "time.", "datetime."].iter().any(|p| q.starts_with(p))
            }),
        }
    })
}

/// Code that stays at module level runs before the moved code once the fix is made: it must not read
/// what the moved code binds, and what stays below moved code must not reorder calls.
/// Moved code that reads a module-level `def` or `class` defined more than once would, below all of
/// them, see only the last (the first `Process(target=f)` would start the second `f`).
fn check_redefinitions(ctx: &Context, moved: &[&Stmt]) -> Result<(), Refusal> {
    for load in ctx.sem.loads.iter().filter(|l| moved.iter().any(|stmt| stmt.range().contains_range(l.range))) {
        if ctx.sem.lookup(load.name, load.scope) != Some(MODULE_SCOPE) {
            continue;
        }
        let bindings = ctx.sem.bindings(load.name, MODULE_SCOPE);
        let is_definition = |b: &&crate::semantic::Binding| {
            matches!(b.kind, BindingKind::FunctionDef(_) | BindingKind::ClassDef(_))
        };
        if bindings.len() > 1 && bindings.iter().any(|b| is_definition(&b)) {
            return Err(Why::Redefined { name: load.name.to_string() }.into());
        }
    }
    Ok(())
}

/// How a value is shared with forked children, which inherit it: a spawned child that imports the
/// module makes another one, and one that gets it as an argument gets what its pickling sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ForkShared {
    /// A `multiprocessing` queue, lock, event, semaphore, barrier or shared value or array (a named
    /// semaphore), a manager or one of its proxies (the manager's server): the parent owns it, and a
    /// spawned child must open it while it starts; the parent removes it at exit.
    OwnedByParent,
    /// A pipe, raw shared ctypes, `multiprocessing.shared_memory`: sent to a child as an argument it works.
    Handle,
    /// Memory shared only through `fork` (the `sharedmem` package): a spawned child gets a copy.
    ForkOnlyMemory,
}

/// What a value shares with forked children only, and how it is described.
fn shared_by_fork(ctx: &Context, value: &Expr, scope: ScopeId) -> Option<(String, ForkShared)> {
    if let Some(kind) = inherited_only(ctx, value, scope) {
        return Some((format!("a `multiprocessing.{}`", kind.name()), ForkShared::OwnedByParent));
    }
    if manager_behind(ctx, value, scope).is_some() {
        return Some(("a `multiprocessing` manager or proxy".to_string(), ForkShared::OwnedByParent));
    }
    let (Expr::Call(call), scope) = ctx.sem.follow(value, scope, true) else { return None };
    let Value::Qualified(q) = ctx.resolver.eval(&call.func, scope) else { return None };
    let (name, _, _) = normalize(&q);
    if name.starts_with("sharedmem.") {
        return Some((format!("`{name}(...)`, memory shared only through fork"), ForkShared::ForkOnlyMemory));
    }
    let handle = ["multiprocessing.shared_memory.", "multiprocessing.sharedctypes."].iter().any(|p| name.starts_with(p))
        || matches!(multiprocessing_member(&q).as_deref(), Some("Pipe" | "RawValue" | "RawArray"));
    handle.then(|| (format!("`{name}(...)`"), ForkShared::Handle))
}

/// The values a statement assigns, each with the target that names it: `x = v`, `x: T = v`, and the
/// elements of `a, b = v, w` pairwise (the whole tuple for the whole target otherwise).
fn assigned_values(stmt: &Stmt) -> Vec<(&Expr, &Expr)> {
    let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
        Stmt::Assign(assign) => (assign.targets.iter().collect(), &assign.value),
        Stmt::AnnAssign(ast::StmtAnnAssign { target, value: Some(value), .. }) => (vec![target.as_ref()], value),
        _ => return Vec::new(),
    };
    let mut pairs = Vec::new();
    for target in targets {
        match (target, value) {
            (Expr::Tuple(names), Expr::Tuple(values)) if names.elts.len() == values.elts.len() => {
                pairs.extend(names.elts.iter().zip(values.elts.iter()));
            }
            _ => pairs.push((target, value)),
        }
    }
    pairs
}

/// Under `spawn` a child shares nothing with the parent through the module: an object made at module
/// level and read by functions is made again by each child. Memory shared only through `fork` reaches a
/// spawned child as a copy. And a queue, lock or manager handed to processes that the script never joins
/// is removed at exit before a spawned child has opened it.
fn check_shared_objects(ctx: &Context, moved: &[&Stmt], stays: &[&Stmt]) -> Result<(), Refusal> {
    for stay in stays {
        for (target, value) in assigned_values(stay) {
            if let Some((what, _)) = shared_by_fork(ctx, value, MODULE_SCOPE) {
                let name = ctx.text[target.range()].to_string();
                return Err(Why::SharedOnlyByFork { name, what }.into());
            }
        }
    }
    let in_moved = |range: TextRange| moved.iter().any(|stmt| stmt.range().contains_range(range));
    let calls: Vec<_> = ctx.sem.calls.iter().filter(|c| in_moved(c.call.range())).collect();
    let joined = calls.iter().any(|c| {
        matches!(c.call.func.as_ref(), Expr::Attribute(attr)
            if attr.attr.id.as_str() == "join" && ctx.resolver.is_spawned_process(&attr.value, c.scope))
    });
    for site in &calls {
        if ctx.resolver.eval_call(site.call, site.scope) != Value::Process(false) {
            continue;
        }
        let Some(target) = api::PROCESS_TARGET.find(&site.call.arguments) else { continue };
        let sink = Sink {
            kind: SinkKind::ProcessTarget,
            call: site.call,
            callable: target,
            scope: site.scope,
            top: site.top,
            dill: false,
        };
        for argument in task_arguments(&sink) {
            let name = || ctx.text[argument.range()].to_string();
            match shared_by_fork(ctx, argument, site.scope) {
                Some((what, ForkShared::ForkOnlyMemory)) => {
                    return Err(Why::SharedOnlyByFork { name: name(), what }.into());
                }
                Some((what, ForkShared::OwnedByParent)) if !joined => {
                    return Err(Why::NotJoined { name: name(), what }.into());
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn check_staying_code(ctx: &Context, moved: &[&Stmt], stays: &[&Stmt]) -> Result<(), Refusal> {
    let moved_names: Vec<&str> = moved.iter().flat_map(|stmt| bound_names(ctx, stmt)).collect();
    let first_moved = moved.first().map_or(TextSize::new(0), |s| s.start());
    for stay in stays {
        let at_import = match stay {
            Stmt::ClassDef(class) => {
                let mut parts: Vec<TextRange> = class.decorator_list.iter().map(Ranged::range).collect();
                parts.extend(class.arguments.iter().map(|a| a.range));
                parts
            }
            other => at_import_ranges(other),
        };
        for load in ctx.sem.loads.iter().filter(|l| at_import.iter().any(|r| r.contains_range(l.range))) {
            if moved_names.contains(&load.name) && ctx.sem.lookup(load.name, load.scope) == Some(MODULE_SCOPE) {
                return Err(Why::StayingCodeReadsMoved { name: load.name.to_string() }.into());
            }
        }
        if stay.start() < first_moved || matches!(stay, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            continue;
        }
        let calls: Vec<_> = ctx.sem.calls.iter().filter(|c| stay.range().contains_range(c.call.range())).collect();
        if calls.iter().all(|c| is_quiet_call(ctx, c.call, c.scope)) {
            continue;
        }
        if let Some((call, configured)) = configuration(ctx, stay) {
            let others_quiet = calls
                .iter()
                .filter(|c| c.call.range() != call.range())
                .all(|c| is_quiet_call(ctx, c.call, c.scope) || is_get_logger(ctx, &Expr::Call(c.call.clone())));
            let above = moved.iter().filter(|m| m.start() < stay.start());
            if others_quiet && above.clone().all(|m| indifferent_to(ctx, m, &configured, &moved_names)) {
                continue;
            }
            let line = ctx.text.count_lines(TextRange::up_to(stay.start())) + 1;
            return Err(Why::WouldReorderConfiguration { line }.into());
        }
        let names = bound_names(ctx, stay).join(", ");
        return Err(Why::WouldReorderCalls { names }.into());
    }
    Ok(())
}

/// Names a module statement binds at module level.
fn bound_names<'a>(ctx: &Context<'_, 'a>, stmt: &Stmt) -> Vec<&'a str> {
    ctx.sem.scopes[MODULE_SCOPE]
        .bindings
        .iter()
        .filter(|(_, bindings)| bindings.iter().any(|b| stmt.range().contains_range(b.range)))
        .map(|(name, _)| *name)
        .collect()
}

/// A statement's whole lines, with the comment lines directly above it.
fn statement_region(ctx: &Context, stmt: &Stmt) -> Result<TextRange, Refusal> {
    if crate::edits::indentation(ctx.text, ctx.tokens, stmt).is_none() {
        return Err(Why::SharesLine.into());
    }
    let start = comment_lines_above(ctx.text, stmt.start(), TextSize::new(0), Some(""));
    Ok(TextRange::new(start, ctx.text.full_line_end(stmt.end())))
}

/// The region with the blank lines above it, so that the gap before the next statement is kept.
fn with_preceding_blank_lines(ctx: &Context, region: TextRange) -> TextRange {
    let mut start = region.start();
    while start > TextSize::new(0) {
        let previous = crate::edits::previous_line_start(ctx.text, start);
        if !ctx.text[TextRange::new(previous, start)].trim().is_empty() {
            break;
        }
        start = previous;
    }
    TextRange::new(start, region.end())
}

fn is_string_statement(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(expr) if expr.value.is_string_literal_expr())
}

/// The region's lines with one more indentation level; blank lines stay empty and lines that begin
/// inside a multi-line string are left as they are.
fn indent_lines(ctx: &Context, region: TextRange) -> String {
    let mut out = String::with_capacity(region.len().to_usize() + 64);
    for (line, inside_string) in lines_for_reindent(ctx.text, ctx.tokens, region) {
        let text = &ctx.text[line];
        if !inside_string && !text.trim().is_empty() {
            out.push_str(&ctx.layout.indent);
        }
        out.push_str(text);
    }
    out
}

#[cfg(test)]
mod tests {
    use ruff_diagnostics::Applicability;

    use crate::{Refusal, Rule, Settings, check_source};

    fn refusal(src: &str) -> Option<Refusal> {
        let settings =
            Settings { rules: vec![Rule::MissingMainGuard], applicability: Applicability::Unsafe, ..Settings::default() };
        let findings = check_source(src, &settings).unwrap();
        assert_eq!(findings.len(), 1, "one finding in:\n{src}");
        findings[0].remedy.refusal().cloned()
    }

    #[test]
    fn objects_shared_only_through_fork_refuse_the_guard() {
        let worker = "import multiprocessing as mp\nimport sharedmem\ndef work(a):\n    a[0] += 1\n";
        // Memory shared only through fork reaches a spawned child as a copy, even as an argument.
        let src = format!("{worker}a = sharedmem.full(1, 0)\np = mp.Process(target=work, args=(a,))\np.start()\np.join()\n");
        assert!(matches!(refusal(&src), Some(Refusal::MissingMainGuard(super::Why::SharedOnlyByFork { .. }))));
        // A raw shared array passed as an argument and joined: the guard is enough.
        let src = format!("{worker}a = mp.RawArray('i', 1)\np = mp.Process(target=work, args=(a,))\np.start()\np.join()\n");
        assert_eq!(refusal(&src), None);
        // A manager's proxy handed to processes never joined: the manager shuts down at exit first.
        let src = format!("{worker}m = mp.Manager()\na = m.list([0])\nmp.Process(target=work, args=(a,)).start()\n");
        assert!(matches!(refusal(&src), Some(Refusal::MissingMainGuard(super::Why::NotJoined { .. }))));
        // A pipe made at module level and read by the worker: each spawned child makes its own.
        let src = "import multiprocessing as mp\nr, w = mp.Pipe()\ndef work():\n    w.send(1)\nmp.Process(target=work).start()\nprint(r.recv())\n";
        assert!(matches!(refusal(src), Some(Refusal::MissingMainGuard(super::Why::SharedOnlyByFork { .. }))));
        // Made in a tuple assignment or an annotated one, read by the worker.
        for made in ["ready, done = mp.Event(), mp.Event()", "ready: mp.Event = mp.Event()"] {
            let src = format!(
                "import multiprocessing as mp\n{made}\ndef work():\n    ready.wait()\np = mp.Process(target=work)\np.start()\nready.set()\np.join()\n"
            );
            assert!(
                matches!(refusal(&src), Some(Refusal::MissingMainGuard(super::Why::SharedOnlyByFork { .. }))),
                "{src}"
            );
        }
    }
}
