//! `missing-main-guard` (PF004)
//!
//! ## What it does
//! Finds module-level code that starts processes when the module is imported (also inside module-level
//! `with`, `for`, `while`, `if` and `try` blocks and comprehensions): a `multiprocessing`, `multiprocess`
//! or pathos pool created there (its constructor starts the workers), a task handed to a
//! `ProcessPoolExecutor` there (`submit`, `map`, `run_in_executor`: an executor starts its workers on its
//! first task, so one merely created at module level and used only under the guard is fine),
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
//! From the first statement that starts processes on, statements with side effects move under the
//! guard, in their order, with the comments above them. Imports, `def`s, `class`es and assignments that
//! module-level functions or classes read stay at module level: the child needs them, and a `def` under
//! the guard does not exist in the child (`Can't get attribute 'f' on <module '__mp_main__'>`). When
//! definitions follow, the guard goes below them: under `fork`, a pool started before a `def` has children
//! that never see that function. Lines inside multi-line strings are never re-indented.
//!
//! ## Fix safety
//! Safe for a script (a file with a shebang line) and for `__main__.py`; unsafe otherwise, since another
//! module may import this one and rely on its import-time side effects. There is no fix, only the
//! finding, when a guard already exists below that code, when code that stays at module level reads a
//! name the moved code binds, when an assignment that functions read starts processes itself, when
//! moving would reorder calls in assignments that stay, or when a statement that moves shares a line with
//! one that stays.

use ruff_diagnostics::{Applicability, Edit, Fix};
use ruff_python_ast::{Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::edits::{comment_lines_above, fix_of, lines_for_reindent};
use crate::finding::{Finding, Remedy};
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF004",
    name: "missing-main-guard",
    summary: "module-level code that starts processes moves under `if __name__ == \"__main__\":`",
    description: "module-level code that starts processes (a pool, a task for an executor, `Process.start()` also in a loop, or `main()`/`asyncio.run(main())` that does) moves under `if __name__ == \"__main__\":`; definitions stay at module level",
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
            Why::SharesLine => f.write_str("a statement that moves shares its line with another"),
            Why::StayingCodeReadsMoved { name } => {
                write!(f, "code that stays at module level reads `{name}`, which the moved code binds")
            }
            Why::WouldReorderCalls { names } => write!(
                f,
                "`{names}` must stay at module level (functions read it), and moving the code around it would reorder calls"
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

/// Module-level functions that start processes when called, directly or through each other: one pass
/// over the calls, then the call graph between module-level functions.
fn process_starting_functions<'a>(ctx: &Context<'_, 'a>) -> Vec<&'a str> {
    let is_module_function = |name: &str| matches!(ctx.sem.bindings(name, MODULE_SCOPE), [binding] if matches!(binding.kind, BindingKind::FunctionDef(_)));
    let mut starters: Vec<&'a str> = Vec::new();
    let mut edges: Vec<(&'a str, &'a str)> = Vec::new();
    for call in &ctx.sem.calls {
        let Some(owner) = module_function_owning(ctx, call.scope).filter(|name| is_module_function(name)) else {
            continue;
        };
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

/// The module-level function whose body (or a function nested in it) contains `scope`.
fn module_function_owning<'a>(ctx: &Context<'_, 'a>, scope: ScopeId) -> Option<&'a str> {
    let mut id = scope;
    loop {
        let parent = ctx.sem.scopes[id].parent?;
        if parent == MODULE_SCOPE {
            return match ctx.sem.scopes[id].kind {
                ScopeKind::Function(def) => Some(def.name.id.as_str()),
                _ => None,
            };
        }
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
    if let Some(guard) = body[first..].iter().find(|s| ctx.sem.is_main_guard(s))
    {
        let line = ctx.text.count_lines(TextRange::up_to(guard.start())) + 1;
        return Err(Why::GuardBelow { line }.into());
    }
    let read_by_functions = names_read_by_functions(ctx);
    let placements: Vec<Placement> = body[first..].iter().map(|stmt| placement(stmt, &read_by_functions)).collect();
    if placements[0] == Placement::Stay {
        return Err(Why::StarterReadByFunctions.into());
    }
    let moved: Vec<&Stmt> =
        body[first..].iter().zip(&placements).filter(|(_, p)| **p == Placement::Guard).map(|(s, _)| s).collect();
    let stays: Vec<&Stmt> =
        body[first..].iter().zip(&placements).filter(|(_, p)| **p == Placement::Stay).map(|(s, _)| s).collect();
    check_staying_code(ctx, &moved, &stays)?;

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
    let mut edits = Vec::new();
    for region in &regions {
        edits.push(Edit::range_deletion(with_preceding_blank_lines(ctx, *region)));
    }
    let at = ctx.text.full_line_end(last_definition.end());
    let ends_line = ctx.text[..at.to_usize()].ends_with(['\n', '\r']);
    let lead = if ends_line { format!("{eol}{eol}") } else { format!("{eol}{eol}{eol}") };
    edits.push(Edit::insertion(format!("{lead}{block}"), at));
    fix_of(edits, applicability).ok_or(Refusal::Unexpected("no edit"))
}

fn placement(stmt: &Stmt, read_by_functions: &[&str]) -> Placement {
    match stmt {
        Stmt::Import(_) | Stmt::ImportFrom(_) | Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::TypeAlias(_) => {
            Placement::Stay
        }
        stmt if is_string_statement(stmt) => Placement::Stay,
        Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_) => {
            let targets = assigned_names(stmt);
            if targets.iter().any(|name| read_by_functions.contains(name)) { Placement::Stay } else { Placement::Guard }
        }
        _ => Placement::Guard,
    }
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

/// Module-level names that code inside functions or classes reads.
fn names_read_by_functions<'a>(ctx: &Context<'_, 'a>) -> Vec<&'a str> {
    let mut names: Vec<&'a str> = ctx
        .sem
        .loads
        .iter()
        .filter(|load| load.scope != MODULE_SCOPE && !runs_at_import(ctx, load.scope))
        .filter(|load| ctx.sem.lookup(load.name, load.scope) == Some(MODULE_SCOPE))
        .map(|load| load.name)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Code that stays at module level runs before the moved code once the fix is made: it must not read
/// what the moved code binds, and an assignment that stays must not reorder calls.
fn check_staying_code(ctx: &Context, moved: &[&Stmt], stays: &[&Stmt]) -> Result<(), Refusal> {
    let moved_names: Vec<&str> = moved.iter().flat_map(|stmt| bound_names(ctx, stmt)).collect();
    let first_moved = moved.first().map_or(TextSize::new(0), |s| s.start());
    for stay in stays {
        let at_import: Vec<TextRange> = match stay {
            Stmt::FunctionDef(def) => {
                let mut parts: Vec<TextRange> = def.decorator_list.iter().map(Ranged::range).collect();
                parts.extend(
                    def.parameters.iter_non_variadic_params().filter_map(|p| p.default.as_ref().map(|d| d.range())),
                );
                parts
            }
            Stmt::ClassDef(class) => {
                let mut parts: Vec<TextRange> = class.decorator_list.iter().map(Ranged::range).collect();
                parts.extend(class.arguments.iter().map(|a| a.range));
                parts
            }
            other => vec![other.range()],
        };
        for load in ctx.sem.loads.iter().filter(|l| at_import.iter().any(|r| r.contains_range(l.range))) {
            if moved_names.contains(&load.name) && ctx.sem.lookup(load.name, load.scope) == Some(MODULE_SCOPE) {
                return Err(Why::StayingCodeReadsMoved { name: load.name.to_string() }.into());
            }
        }
        let is_assignment = matches!(stay, Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_));
        if is_assignment
            && stay.start() > first_moved
            && ctx.sem.calls.iter().any(|c| stay.range().contains_range(c.call.range()))
        {
            return Err(Why::WouldReorderCalls { names: assigned_names(stay).join(", ") }.into());
        }
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
    if ctx.text[TextRange::new(ctx.text.line_start(stmt.start()), stmt.start())].trim() != "" {
        return Err(Why::SharesLine.into());
    }
    let start = comment_lines_above(ctx.text, stmt.start(), TextSize::new(0), Some(""));
    Ok(TextRange::new(start, ctx.text.full_line_end(stmt.end())))
}

/// The region with the blank lines above it, so that the gap before the next statement is kept.
fn with_preceding_blank_lines(ctx: &Context, region: TextRange) -> TextRange {
    let mut start = region.start();
    while start > TextSize::new(0) {
        let previous = ctx.text.line_start(start - TextSize::new(1));
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
