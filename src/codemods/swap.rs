//! `--swap multiprocess` and `--swap pathos`: pickle's limits lifted by dill, the whole file or nothing.
//!
//! ## What it does
//! In a file where a lambda, a local function or a local class goes to a process pool (PF001, PF002,
//! PF007), it offers, instead of moving that code, to swap the pool for one that pickles with dill, which
//! pickles all three by value (the seed article's second fix). The swap is one fix for the whole file,
//! attached to each of those findings, or, when it cannot be made, each of them says why.
//!
//! - `multiprocess` has `multiprocessing`'s API: every import of `multiprocessing` (at any depth) imports
//!   `multiprocess` under the same name (`import multiprocess as multiprocessing`, `from multiprocess
//!   import Pool`), so `get_context(...)` and `set_start_method(...)` keep applying to the new module.
//! - pathos's `ProcessingPool` differs, so its call sites are rewritten: `starmap(f, rows)` becomes
//!   `map(f, *zip(*rows))`, `apply`/`apply_async(f, args, kwds)` become `pipe`/`apipe(f, *args, **kwds)`,
//!   `imap_unordered` becomes `uimap`, `map_async` becomes `amap`, a positional `chunksize` is passed by
//!   keyword, and `pool.clear()` follows `pool.join()` (pathos caches pools: a closed pool of the same size
//!   would otherwise be handed out again and raise `ValueError: Pool not running`).
//!
//! ## Example
//! ```python
//! from multiprocessing import Pool
//! with Pool(2) as pool:
//!     pool.starmap(lambda a, b: a * b, rows)
//! ```
//! With `--swap pathos`:
//! ```python
//! from pathos.multiprocessing import ProcessingPool as Pool
//! with Pool(2) as pool:
//!     pool.map(lambda a, b: a * b, *zip(*rows))
//! ```
//!
//! ## Fix safety
//! Always unsafe, and opt-in. The program needs a package that is not in the standard library, and both
//! start processes with `fork` on every POSIX system where the original used the platform's default
//! (`spawn` on macOS and Windows, `forkserver` on Linux from Python 3.14): the fix title says so. Leaving
//! a pathos pool's `with` block does not terminate it. Refused, with the reason, when a callable changes
//! state of its caller (dill pickles it, and the change is still lost), captures a variable bound more
//! than once, such as a loop variable (dill reads it when the pool's thread sends the task, later than
//! the call: the tasks would get racy values), or reads a global that only the `__main__` block binds
//! (dill resolves globals in the child's main module, which never runs that block), when a `ProcessPoolExecutor`
//! needs the fix (it pickles with pickle; for pathos, any executor in the file), when
//! `import multiprocessing.<sub>` binds `multiprocessing` itself, and, for pathos, for `Process` targets,
//! pools from `get_context(...)` or with `context=`, `set_start_method`, callbacks, positional
//! arguments after the pool size, pools on `self`, and pools used other than through their methods.

use ruff_diagnostics::{Edit, Fix};
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange};

use super::hoist::CHANGE_LOST;
use super::{Context, Rule};
use crate::edits::add_import;
use crate::finding::{Finding, Remedy};
use crate::pools::api::{pathos_keeps, pathos_name};
use crate::pools::{PoolKind, Sink, SinkKind, Value};
use crate::semantic::{BindingKind, MODULE_SCOPE};

/// The dill-based package to swap to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Swap {
    Multiprocess,
    Pathos,
}

impl Swap {
    /// The package to install from PyPI.
    pub fn package(self) -> &'static str {
        match self {
            Swap::Multiprocess => "multiprocess",
            Swap::Pathos => "pathos",
        }
    }
}

/// The findings dill makes go away: pickle refuses the callable or the object by its qualified name.
const DILL_SOLVES: &[Rule] = &[Rule::LambdaToFunction, Rule::LocalFunctionToFunction, Rule::LocalClassToProcess];

/// Whether `findings` (made with `--swap`) offer the swap.
pub fn offered(findings: &[Finding]) -> bool {
    findings.iter().any(|finding| DILL_SOLVES.contains(&finding.rule) && finding.fix().is_some())
}

/// Replaces the remedy of every finding dill solves with the swap, or with why the swap is refused.
pub(crate) fn apply(ctx: &Context, swap: Swap, findings: &mut [Finding]) {
    let solvable = |finding: &Finding| DILL_SOLVES.contains(&finding.rule);
    if !findings.iter().any(solvable) {
        return;
    }
    let plan = refusal(findings).map_or_else(|| plan(ctx, swap, findings), Err);
    for finding in findings.iter_mut().filter(|f| solvable(f)) {
        finding.remedy = match &plan {
            Ok((title, fix)) => Remedy::Fix { title: title.clone(), fix: fix.clone() },
            Err(why) => Remedy::NoFix { reason: format!("`--swap {}` refused for this file: {why}", swap.package()) },
        };
    }
}

/// Why PF001/PF002 refused to move code, and why dill does not help there either.
const STILL_WRONG: &[(&str, &str)] = &[
    (CHANGE_LOST, "dill pickles it, and the change is still lost"),
    ("uses `nonlocal`", "dill pickles it, and the change is still lost"),
    ("uses `self`", "dill would pickle the whole object, with whatever it holds"),
    ("`yield", "a generator cannot be pickled by dill either"),
    ("`await`", "a coroutine cannot be pickled by dill either"),
];

/// A finding that dill would not make right.
fn refusal(findings: &[Finding]) -> Option<String> {
    findings.iter().filter(|f| DILL_SOLVES.contains(&f.rule)).find_map(|finding| {
        let Remedy::NoFix { reason } = &finding.remedy else { return None };
        let (_, why) = STILL_WRONG.iter().find(|(marker, _)| reason.contains(marker))?;
        Some(format!("{reason} ({why})"))
    })
}

fn plan(ctx: &Context, swap: Swap, findings: &[Finding]) -> Result<(String, Fix), String> {
    // A callable given to an executor (or, for pathos, to a `Process`) is still pickled with pickle.
    let still_pickled = |kind: SinkKind| match swap {
        Swap::Multiprocess => matches!(
            kind,
            SinkKind::PoolMethod(PoolKind::Executor, _)
                | SinkKind::Initializer(PoolKind::Executor)
                | SinkKind::RunInExecutor
        ),
        Swap::Pathos => !matches!(
            kind,
            SinkKind::PoolMethod(PoolKind::Multiprocessing, _) | SinkKind::Initializer(PoolKind::Multiprocessing)
        ),
    };
    let reported: Vec<TextRange> =
        findings.iter().filter(|f| DILL_SOLVES.contains(&f.rule)).filter_map(|f| f.sink).collect();
    for sink in ctx.pickle_sinks().filter(|sink| reported.contains(&sink.call.range())) {
        if still_pickled(sink.kind) {
            return Err(match sink.kind {
                SinkKind::ProcessTarget => {
                    "`Process(target=...)` is not a pool, which pathos replaces: use `--swap multiprocess`".to_string()
                }
                other => format!("`{}` still pickles with pickle", other.describe()),
            });
        }
        reads_dill_gets_wrong(ctx, sink)?;
    }
    let mut edits = match swap {
        Swap::Multiprocess => multiprocess_edits(ctx)?,
        Swap::Pathos => pathos_edits(ctx)?,
    };
    // The same import, asked for by several pools, once.
    edits.sort_by_key(|edit| (edit.start(), edit.end()));
    edits.dedup();
    let (from, to) = match swap {
        Swap::Multiprocess => ("`multiprocessing`", "`multiprocess`"),
        Swap::Pathos => ("`multiprocessing.Pool`", "pathos's `ProcessingPool`"),
    };
    // `get_context()` without a method is the default context.
    let chosen = ctx.sem.calls.iter().any(|site| {
        let name = match site.call.func.as_ref() {
            Expr::Attribute(attr) => attr.attr.id.as_str(),
            Expr::Name(name) => name.id.as_str(),
            _ => "",
        };
        name == "get_context" && !site.call.arguments.is_empty()
    });
    let default_start = !chosen && !mentions(ctx, "set_start_method");
    let title = if default_start {
        format!(
            "Swap {from} for {to} (pickles with dill; starts processes with `fork` on every POSIX system, where \
             the code used the platform's default start method)"
        )
    } else {
        format!("Swap {from} for {to} (pickles with dill)")
    };
    let first = edits.remove(0);
    Ok((title, Fix::unsafe_edits(first, edits)))
}

/// Whether the identifier `name` appears in the code, as a name or an attribute.
fn mentions(ctx: &Context, name: &str) -> bool {
    ctx.tokens.iter().any(|token| token.kind() == TokenKind::Name && &ctx.text[token.range()] == name)
}

/// dill pickles a closure's variables when the pool sends the task, which for `map_async`, `apply_async`
/// and friends is later, from another thread: a loop variable (or any variable bound more than once) may
/// have moved on by then, and the tasks get racy values. It pickles module globals by reference to the
/// main module, which in a spawned child never ran the `__main__` block. PF001 binds both kinds of
/// names with `functools.partial` where the task is made; the swap refuses.
fn reads_dill_gets_wrong(ctx: &Context, sink: &Sink) -> Result<(), String> {
    let callable = ctx.resolver.partial_target(sink.callable, sink.scope).unwrap_or(sink.callable);
    let lambda_scope = |lambda: &ast::ExprLambda| ctx.sem.lambdas.get(&lambda.start()).map(|info| info.scope);
    let scope = match callable {
        Expr::Lambda(lambda) => lambda_scope(lambda),
        Expr::Name(name) => match ctx.sem.sole_binding(name.id.as_str(), sink.scope).map(|(_, b)| b.kind) {
            Some(BindingKind::FunctionDef(def)) => ctx.sem.functions.get(&def.start()).map(|info| info.scope),
            Some(BindingKind::Assign(Expr::Lambda(lambda))) => lambda_scope(lambda),
            _ => None,
        },
        _ => None,
    };
    let Some(scope) = scope else { return Ok(()) };
    for load in ctx.sem.loads.iter().filter(|load| ctx.sem.is_within(load.scope, scope)) {
        let Some(bound_in) = ctx.sem.lookup(load.name, load.scope) else { continue };
        if ctx.sem.is_within(bound_in, scope) {
            continue;
        }
        let bindings = ctx.sem.bindings(load.name, bound_in);
        if bound_in == MODULE_SCOPE {
            if !bindings.is_empty() && bindings.iter().all(|b| ctx.sem.is_under_main_guard(b)) {
                return Err(format!(
                    "the task reads `{}`, which only the `__main__` block binds: dill looks it up in the child's \
                     main module, which never ran that block",
                    load.name
                ));
            }
        } else if bindings.len() > 1 || bindings.iter().any(|b| matches!(b.kind, BindingKind::Other)) {
            return Err(format!(
                "the task captures `{}`, which is bound more than once (a loop variable?): dill reads it when the \
                 pool sends the task, not when the task is made",
                load.name
            ));
        }
    }
    Ok(())
}

/// Every import statement of the module, at any depth.
fn imports(body: &[Stmt]) -> Vec<&Stmt> {
    struct Imports<'a>(Vec<&'a Stmt>);
    impl<'a> StatementVisitor<'a> for Imports<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if stmt.is_import_stmt() || stmt.is_import_from_stmt() {
                self.0.push(stmt);
            }
            walk_stmt(self, stmt);
        }
    }
    let mut visitor = Imports(Vec::new());
    visitor.visit_body(body);
    visitor.0
}

/// `multiprocessing` or `multiprocessing.<sub>`, with what follows `multiprocessing`.
fn multiprocessing_module(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("multiprocessing")?;
    (rest.is_empty() || rest.starts_with('.')).then_some(rest)
}

fn multiprocess_edits(ctx: &Context) -> Result<Vec<Edit>, String> {
    // `ProcessPoolExecutor(mp_context=mp.get_context(...))` would get a `multiprocess` context.
    let executor_context = ctx.sem.calls.iter().any(|site| {
        ctx.resolver.eval_call(site.call, site.scope) == Value::Pool(PoolKind::Executor)
            && site.call.arguments.find_argument_value("mp_context", 1).is_some()
    });
    if executor_context {
        return Err("a `ProcessPoolExecutor`'s `mp_context` would become a `multiprocess` context".to_string());
    }
    let mut edits = Vec::new();
    for stmt in imports(ctx.body) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let Some(rest) = multiprocessing_module(alias.name.as_str()) else { continue };
                    match (&alias.asname, rest.is_empty()) {
                        (None, true) => {
                            edits.push(Edit::range_replacement("multiprocess as multiprocessing".into(), alias.range()))
                        }
                        // `import multiprocessing.connection` beside a module-level `import
                        // multiprocessing` only loads the submodule, which `multiprocess.connection` does.
                        (None, false) if plain_import_beside(ctx, stmt) => {
                            edits.push(Edit::range_replacement(format!("multiprocess{rest}"), alias.name.range()))
                        }
                        (None, false) => {
                            return Err(format!(
                                "`import {}` binds `multiprocessing` itself; import it with `as` first",
                                alias.name
                            ));
                        }
                        (Some(_), _) => {
                            edits.push(Edit::range_replacement(format!("multiprocess{rest}"), alias.name.range()))
                        }
                    }
                }
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                let Some(module) = &from.module else { continue };
                if let Some(rest) = multiprocessing_module(module.as_str()) {
                    edits.push(Edit::range_replacement(format!("multiprocess{rest}"), module.range()));
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return Err("no `import multiprocessing` to swap".to_string());
    }
    Ok(edits)
}

/// Whether `stmt` and a plain `import multiprocessing` are both module-level statements, and the name
/// `multiprocess` is free for the submodule import to bind.
fn plain_import_beside(ctx: &Context, stmt: &Stmt) -> bool {
    let at_module_level = |s: &Stmt| ctx.body.iter().any(|top| std::ptr::eq(top, s));
    let plain = ctx.body.iter().any(|top| match top {
        Stmt::Import(import) => {
            import.names.iter().any(|alias| alias.name.as_str() == "multiprocessing" && alias.asname.is_none())
        }
        _ => false,
    });
    plain && at_module_level(stmt) && !ctx.sem.all_names.contains("multiprocess")
}

fn pathos_edits(ctx: &Context) -> Result<Vec<Edit>, String> {
    if mentions(ctx, "set_start_method") {
        return Err("the file sets the start method of `multiprocessing`, which pathos pools do not use".to_string());
    }
    let mut edits = Vec::new();
    let mut constructors = 0;
    for site in &ctx.sem.calls {
        match ctx.resolver.eval_call(site.call, site.scope) {
            Value::Pool(PoolKind::Executor) => {
                return Err("`ProcessPoolExecutor` has no pathos equivalent".to_string());
            }
            Value::Pool(PoolKind::Multiprocessing) => {
                constructors += 1;
                edits.extend(pool_constructor(ctx, site.call, site.scope)?);
            }
            _ => {}
        }
        if let Expr::Attribute(attr) = site.call.func.as_ref()
            && let Value::Pool(PoolKind::Multiprocessing) = ctx.resolver.eval(&attr.value, site.scope)
        {
            if !attr.value.is_name_expr() {
                return Err(format!("the pool `{}` is not a plain name", &ctx.text[attr.value.range()]));
            }
            edits.extend(pool_method(ctx, site.call, attr)?);
        }
    }
    if constructors == 0 {
        return Err("no `multiprocessing.Pool(...)` to swap".to_string());
    }
    // A pool must be used only through the methods rewritten above.
    for load in &ctx.sem.loads {
        if let Value::Pool(PoolKind::Multiprocessing) = ctx.resolver.eval_name(load.name, load.scope, 0) {
            let after = ctx.text[load.range.end().to_usize()..].trim_start();
            let method = after.strip_prefix('.').map(|rest| {
                rest.trim_start().split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default()
            });
            let known = method.is_some_and(|m| pathos_keeps(m) || pathos_name(m).is_some());
            if !known {
                return Err(format!("the pool `{}` is used other than through its methods", load.name));
            }
        }
    }
    Ok(edits)
}

/// `Pool(...)`: the constructor's name and, for `from multiprocessing import Pool`, the import.
fn pool_constructor(ctx: &Context, call: &ast::ExprCall, scope: usize) -> Result<Vec<Edit>, String> {
    let arguments = &call.arguments;
    if arguments.args.len() > 1 || arguments.args.iter().any(Expr::is_starred_expr) {
        return Err("positional arguments after the pool size have no pathos equivalent".to_string());
    }
    for keyword in &arguments.keywords {
        match keyword.arg.as_ref().map(|a| a.as_str()) {
            Some("processes" | "initializer" | "initargs" | "maxtasksperchild") => {}
            Some("context") => return Err("pathos pools take no `context=`".to_string()),
            _ => return Err(format!("`{}` has no pathos equivalent", &ctx.text[keyword.range()])),
        }
    }
    match call.func.as_ref() {
        Expr::Name(name) => {
            let (bound_in, binding) = ctx.sem.sole_binding(name.id.as_str(), scope).ok_or("`Pool` is bound twice")?;
            let (BindingKind::FromImport, Some(Stmt::ImportFrom(from))) = (binding.kind, binding.stmt) else {
                return Err(format!("`{}` is not imported from `multiprocessing`", name.id));
            };
            // Every read of the name must be a pool being made.
            let reads = ctx.sem.loads.iter().filter(|l| l.name == name.id.as_str());
            for read in reads.filter(|l| ctx.sem.lookup(l.name, l.scope) == Some(bound_in)) {
                if !ctx.text[read.range.end().to_usize()..].trim_start().starts_with('(') {
                    return Err(format!("`{}` is used other than to make a pool", name.id));
                }
            }
            Ok(swap_from_import(ctx, from, name.id.as_str()))
        }
        Expr::Attribute(attr) => {
            let module_import = matches!(attr.value.as_ref(), Expr::Name(module)
                if ctx.sem.sole_binding(module.id.as_str(), scope).is_some_and(|(_, b)| matches!(b.kind, BindingKind::Import)));
            if !module_import {
                return Err(format!(
                    "the pool comes from `{}`, a start-method context, which pathos does not have",
                    &ctx.text[attr.value.range()]
                ));
            }
            if ctx.sem.all_names.contains("ProcessingPool") {
                return Err("the name `ProcessingPool` is taken".to_string());
            }
            Ok(vec![
                Edit::range_replacement("ProcessingPool".to_string(), attr.range()),
                add_import(ctx.text, ctx.body, "from pathos.multiprocessing import ProcessingPool", &ctx.layout),
            ])
        }
        _ => Err("the pool's constructor is not a plain name".to_string()),
    }
}

/// `from multiprocessing import Pool as P` becomes `from pathos.multiprocessing import ProcessingPool as
/// P`; other names stay imported from `multiprocessing`.
fn swap_from_import(ctx: &Context, from: &ast::StmtImportFrom, local: &str) -> Vec<Edit> {
    let Some(index) = from.names.iter().position(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == local) else {
        return Vec::new();
    };
    let new_import = format!("from pathos.multiprocessing import ProcessingPool as {local}");
    if from.names.len() == 1 {
        return vec![Edit::range_replacement(new_import, from.range())];
    }
    let names = &from.names;
    let removal = if index + 1 < names.len() {
        TextRange::new(names[index].start(), names[index + 1].start())
    } else {
        TextRange::new(names[index - 1].end(), names[index].end())
    };
    let line_start = ctx.text.line_start(from.start());
    let indent = &ctx.text[TextRange::new(line_start, from.start())];
    vec![
        Edit::range_deletion(removal),
        Edit::insertion(format!("{}{indent}{new_import}", ctx.layout.eol), ctx.text.line_end(from.end())),
    ]
}

/// One pool method call rewritten for pathos.
fn pool_method(ctx: &Context, call: &ast::ExprCall, attr: &ast::ExprAttribute) -> Result<Vec<Edit>, String> {
    let method = attr.attr.id.as_str();
    // `close`, `join`, `terminate` need no rewrite besides `clear()` after `join()`.
    if pathos_keeps(method) {
        return if method == "join" { clear_after_join(ctx, call, attr) } else { Ok(Vec::new()) };
    }
    let Some(new_name) = pathos_name(method) else {
        return Err(format!("pathos pools have no `{method}`"));
    };
    let arguments = &call.arguments;
    let text = |expr: &Expr| ctx.text[expr.range()].to_string();
    let mut edits = Vec::new();
    if new_name != method {
        edits.push(Edit::range_replacement(new_name.to_string(), attr.attr.range()));
    }
    for keyword in &arguments.keywords {
        match keyword.arg.as_ref().map(|a| a.as_str()) {
            Some("callback" | "error_callback") => {
                return Err(format!("`{method}(..., {})` has no pathos equivalent", &ctx.text[keyword.range()]));
            }
            Some("chunksize") if !method.starts_with("apply") => {}
            Some("args" | "kwds") if method.starts_with("apply") => {}
            _ => return Err(format!("`{method}` with `{}` has no pathos equivalent", &ctx.text[keyword.range()])),
        }
    }
    if arguments.args.iter().any(Expr::is_starred_expr) || arguments.args.is_empty() {
        return Err(format!("`{method}` with unpacked arguments has no pathos equivalent"));
    }
    if method.starts_with("apply") {
        if arguments.args.len() > 3 {
            return Err(format!("too many arguments to `{method}`"));
        }
        // An argument by position or keyword: the text it takes up, and its value.
        let argument = |position: usize, keyword: &str| {
            let by_position = arguments.args.get(position).map(|a| (a.range(), a));
            by_position.or_else(|| arguments.find_keyword(keyword).map(|k| (k.range(), &k.value)))
        };
        if let Some((range, value)) = argument(1, "args") {
            let spread = match value {
                Expr::Tuple(tuple) if !tuple.elts.iter().any(Expr::is_starred_expr) => {
                    tuple.elts.iter().map(text).collect::<Vec<_>>().join(", ")
                }
                other => format!("*{}", text(other)),
            };
            if spread.is_empty() {
                // `apply(f, ())`: drop the empty tuple with the comma before it.
                edits.push(Edit::range_deletion(TextRange::new(arguments.args[0].end(), range.end())));
            } else {
                edits.push(Edit::range_replacement(spread, range));
            }
        }
        if let Some((range, value)) = argument(2, "kwds") {
            edits.push(Edit::range_replacement(format!("**{}", text(value)), range));
        }
        return Ok(edits);
    }
    if arguments.args.len() < 2 || arguments.args.len() > 3 {
        return Err(format!("`{method}` with these arguments has no pathos equivalent"));
    }
    if method.starts_with("starmap") {
        let rows = &arguments.args[1];
        edits.push(Edit::range_replacement(format!("*zip(*{})", text(rows)), rows.range()));
    }
    if let Some(chunksize) = arguments.args.get(2) {
        edits.push(Edit::range_replacement(format!("chunksize={}", text(chunksize)), chunksize.range()));
    }
    Ok(edits)
}

/// `pool.join()` as a statement of its own line gets `pool.clear()` on the next line.
fn clear_after_join(ctx: &Context, call: &ast::ExprCall, attr: &ast::ExprAttribute) -> Result<Vec<Edit>, String> {
    let line_start = ctx.text.line_start(call.start());
    let before = ctx.text[TextRange::new(line_start, call.start())].trim_start();
    let after = ctx.text[TextRange::new(call.end(), ctx.text.line_end(call.end()))].trim();
    if !(before.is_empty() || before.ends_with(';')) || !(after.is_empty() || after.starts_with('#')) {
        return Err("`join()` does not stand on a line of its own, so `clear()` cannot follow it".to_string());
    }
    let line = &ctx.text[TextRange::new(line_start, ctx.text.line_end(call.start()))];
    let indent = &line[..line.len() - line.trim_start().len()];
    let pool = &ctx.text[attr.value.range()];
    let clear = format!("{}{indent}{pool}.clear()", ctx.layout.eol);
    Ok(vec![Edit::insertion(clear, ctx.text.line_end(call.end()))])
}

#[cfg(test)]
mod tests {
    use super::Swap;
    use crate::finding::Remedy;
    use crate::{Rule, Settings, check_source, fix_source};
    use ruff_diagnostics::Applicability;

    fn settings(swap: Swap) -> Settings {
        let rules = Rule::ALL.iter().copied().filter(|r| *r != Rule::MissingMainGuard).collect();
        Settings { rules, applicability: Applicability::Unsafe, prefilter: true, swap: Some(swap) }
    }

    /// The refusal reason the swap gives in `src`, or the swapped text.
    fn outcome(swap: Swap, src: &str) -> String {
        let findings = check_source(src, &settings(swap)).unwrap();
        let refused = findings.iter().find_map(|f| match &f.remedy {
            Remedy::NoFix { reason } if reason.contains("--swap") => Some(reason.clone()),
            _ => None,
        });
        refused.unwrap_or_else(|| fix_source(src, &settings(swap)).unwrap().text)
    }

    #[test]
    fn multiprocess_keeps_every_import_name() {
        let src = "import multiprocessing, os\nimport multiprocessing.pool as mpp\nimport multiprocessing.connection\nfrom multiprocessing import Pool\n\
                   def f():\n    from multiprocessing.context import Process\n    Pool().map(lambda x: x, [1])\n";
        assert_eq!(
            outcome(Swap::Multiprocess, src),
            "import multiprocess as multiprocessing, os\nimport multiprocess.pool as mpp\nimport multiprocess.connection\nfrom multiprocess import Pool\n\
             def f():\n    from multiprocess.context import Process\n    Pool().map(lambda x: x, [1])\n"
        );
    }

    #[test]
    fn refusals_say_why() {
        let head = "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor as E\n";
        let cases: &[(Swap, &str, &str)] = &[
            (
                Swap::Multiprocess,
                "import multiprocessing.pool\nmultiprocessing.pool.Pool().map(lambda x: x, [1])",
                "binds `multiprocessing` itself",
            ),
            (
                Swap::Multiprocess,
                "E(mp_context=mp.get_context('spawn'))\nmp.Pool().map(lambda x: x, [1])",
                "`mp_context` would become",
            ),
            (
                Swap::Multiprocess,
                "class C:\n    def r(self):\n        mp.Pool().map(lambda x: self, [1])",
                "dill would pickle the whole object",
            ),
            (Swap::Pathos, "mp.set_start_method('spawn')\nmp.Pool().map(lambda x: x, [1])", "sets the start method"),
            (Swap::Pathos, "p = mp.Pool()\np.map(lambda x: x, [1])\nprint(p)", "the pool `p` is used other than"),
            (
                Swap::Pathos,
                "p = mp.Pool(2, None, ())\np.map(lambda x: x, [1])",
                "positional arguments after the pool size",
            ),
            (
                Swap::Pathos,
                "p = mp.Pool()\np.map(lambda x: x, [1])\np.close(); p.join(); x = 1",
                "`join()` does not stand",
            ),
            (Swap::Pathos, "E().map(abs, [1])\nmp.Pool().map(lambda x: x, [1])", "`ProcessPoolExecutor` has no pathos"),
        ];
        for (swap, body, expected) in cases {
            let src = format!("{head}{body}\n");
            let got = outcome(*swap, &src);
            assert!(got.contains(expected), "expected {expected:?}, got {got:?} in:\n{src}");
        }
    }

    #[test]
    fn pathos_imports_its_pool_once_for_several_constructors() {
        let src =
            "import multiprocessing as mp\np = mp.Pool(2)\np.map(lambda x: x, [1])\nq = mp.Pool(3)\nq.map(abs, [1])\n";
        let findings = check_source(src, &settings(Swap::Pathos)).unwrap();
        let fix = findings.iter().find_map(|f| f.fix()).expect("the swap is offered");
        let imports = fix.edits().iter().filter(|e| e.content().is_some_and(|c| c.contains("import"))).count();
        assert_eq!(imports, 1, "{:?}", fix.edits());
        assert_eq!(
            outcome(Swap::Pathos, src),
            "import multiprocessing as mp\nfrom pathos.multiprocessing import ProcessingPool\np = ProcessingPool(2)\n\
             p.map(lambda x: x, [1])\nq = ProcessingPool(3)\nq.map(abs, [1])\n"
        );
    }

    #[test]
    fn pathos_apply_arguments_are_spread() {
        let src = "from multiprocessing import Pool\np = Pool()\np.apply(lambda: 1, ())\np.apply(lambda a: a, (1,))\n\
                   p.apply_async(lambda *a: a, rows, kw).get()\n";
        assert_eq!(
            outcome(Swap::Pathos, src),
            "from pathos.multiprocessing import ProcessingPool as Pool\np = Pool()\np.pipe(lambda: 1)\np.pipe(lambda a: a, 1)\n\
             p.apipe(lambda *a: a, *rows, **kw).get()\n"
        );
    }
}
