//! `local-function-to-function` (PF002)
//!
//! ## What it does
//! Finds a function defined inside another function (also inside a `with` or `for` block of one) that is
//! handed to a process pool (the sinks of `lambda-to-function`: `multiprocessing` also as
//! `torch.multiprocessing`, `concurrent.futures`, pebble's `ProcessPool`, tqdm's `process_map`), and
//! moves its `def`, with its decorators and the comments above it, to module level, right above the
//! module statement that contained it.
//!
//! A function defined in the `if __name__ == "__main__":` block and handed to a process pool fails the
//! same way under `spawn`: the child imports the module as `__mp_main__`, which never runs the block, and
//! cannot find it (`Can't get attribute 'work' on <module '__mp_main__'>`). It moves above the block, and
//! what it reads from the block is bound with `functools.partial` like a local. A program that names the
//! `fork` start method anywhere (a string literal `"fork"`) may give its children the function by
//! inheritance: no finding.
//!
//! ## Why is this bad?
//! pickle stores a function by its qualified name, and a local function's is `main.<locals>.work`: sending
//! it to another process fails with `Can't pickle local object 'main.<locals>.work'` (3.13:
//! `Can't get local object`). Tasks are pickled under every start method; a `Process` target or a pool
//! initializer under `spawn` and `forkserver`.
//!
//! ## Example
//! ```python
//! def main(factor):
//!     def work(x):
//!         return x * factor
//!
//!     with Pool() as pool:
//!         return pool.map(work, range(10))
//! ```
//! Use instead:
//! ```python
//! import functools
//!
//!
//! def _main_work(x, *, factor):
//!     return x * factor
//!
//!
//! def main(factor):
//!     work = functools.partial(_main_work, factor=factor)
//!
//!     with Pool() as pool:
//!         return pool.map(work, range(10))
//! ```
//! Names the function reads from the enclosing functions become keyword-only parameters, bound where the
//! `def` stood, so every other use of `work` keeps working. A default that reads a local
//! (`def work(x, item=current)`) is bound the same way (`functools.partial(_main_work, item=current)`),
//! which evaluates it when the default was, once the calls show that none passes that parameter by
//! position (a keyword at a call overrides the partial's as it overrode the default). A function that captures nothing keeps its
//! name when no module-level name or builtin is called that; local helpers it calls that capture nothing
//! move with it. The body is re-indented line by line, never inside a multi-line string.
//!
//! ## Fix safety
//! The fix is safe: the program cannot run under `spawn` without it. As with PF001, captured variables
//! are bound when the `def` runs rather than read when the function is called. There is no fix, only the
//! finding, when the function uses `nonlocal`, `super()` or `__class__`, captures a local class, lambda or
//! a helper that captures something itself, reads a local assigned after the `def`, is defined more than
//! once, when its decorators or annotations read local names, or when a default that reads one cannot be
//! bound where the `def` stood (a call may pass it by position, it is positional-only, or a parameter
//! before it keeps its default). A closure returned by a factory of the same file
//! (`Process(target=make_worker(fn))`) is reported without a fix: the factory's other callers may rely on
//! getting a closure.

use ruff_diagnostics::{Edit, Fix};
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::hoist::{
    DefinitionPart, Moved, MovedCode, Subject, Why as MoveWhy, bind_captures, captures, check_captures_for_tasks,
    check_definition_time_reads, insert_above, local_defaults, move_safety, move_unchanged, moved_code, removal,
    shared_mutation,
};
use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::edits::fix_of;
use crate::finding::{Finding, Remedy};
use crate::pools::{Sink, call_shape};
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF002",
    name: "local-function-to-function",
    summary: "a local function handed to a process pool moves to module level",
    description: "a function defined inside another one and handed to a process pool moves to module level (with the local helpers it calls)",
    fix: FixSafety::Safe,
    fix_note: "",
    needs_sinks: true,
    dill_solves: true,
};

/// Why a local function is reported without a fix (besides [`super::hoist::Why`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    CallsItself { name: String },
    CallsEnclosing { name: String, enclosing: String },
    /// `nonlocal`: it rebinds a variable of the enclosing function.
    Nonlocal { name: String },
    /// A default reads a local, and `functools.partial` cannot bind it where the `def` stood.
    DefaultNotBindable { parameter: String, reads: String, because: &'static str },
    /// A same-file factory returns the local function (`target=make_worker(fn)`): its callers may use
    /// the closure in ways a partial does not keep (a class attribute binds `self`; `__name__`).
    MadeByFactory { name: String, factory: String },
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::CallsItself { name } => write!(f, "`{name}` calls itself by name and would have to be renamed"),
            Why::CallsEnclosing { name, enclosing } => {
                write!(f, "`{name}` calls `{enclosing}`, the function it is defined in")
            }
            Why::Nonlocal { name } => write!(f, "`{name}` uses `nonlocal`"),
            Why::DefaultNotBindable { parameter, reads, because } => write!(
                f,
                "the default value of `{parameter}` reads the local `{reads}`, and binding it where the `def` stood would not be the same: {because}"
            ),
            Why::MadeByFactory { name, factory } => write!(
                f,
                "`{name}` is a closure returned by `{factory}`, whose other callers may rely on it being one; make `{name}` a module-level function that takes what it reads as arguments"
            ),
        }
    }
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in ctx.pickle_sinks() {
        let Some(site) = local_function_site(ctx, sink.callable, sink.scope) else {
            continue;
        };
        let message = if site.in_main_guard {
            format!(
                "Function `{}`, defined under `if __name__ == \"__main__\":`, passed to `{}` cannot be found by a spawned child",
                site.def.name.id,
                sink.kind.describe()
            )
        } else {
            format!("Local function `{}` passed to `{}` cannot be pickled", site.def.name.id, sink.kind.describe())
        };
        let remedy = Remedy::from_fix(fix(ctx, sink, &site));
        findings.push(Finding::at_sink(Rule::LocalFunctionToFunction, sink, site.report, message, remedy));
    }
}

/// A local function that reaches a sink.
struct LocalFunction<'a> {
    def: &'a ast::StmtFunctionDef,
    /// The `def` statement itself.
    stmt: &'a Stmt,
    /// The function scope that binds its name.
    bound_in: ScopeId,
    /// The name is bound more than once in that scope.
    redefined: bool,
    report: TextRange,
    /// A `def` in the module's `if __name__ == "__main__":` block: a spawned child, which imports the
    /// module as `__mp_main__` without running the block, has no such function.
    in_main_guard: bool,
    /// The same-file function that returned it (`target=make_worker(fn)`), when it reached the sink so.
    factory: Option<&'a str>,
}

fn local_function_site<'a>(ctx: &Context<'_, 'a>, expr: &'a Expr, scope: ScopeId) -> Option<LocalFunction<'a>> {
    match expr {
        Expr::Name(name) => {
            let bound_in = ctx.sem.lookup(name.id.as_str(), scope)?;
            let bindings = ctx.sem.bindings(name.id.as_str(), bound_in);
            // `work = make_worker(fn)`: what the factory returns.
            if let [binding] = bindings
                && let BindingKind::Assign(value @ Expr::Call(_)) = binding.kind
            {
                let site = local_function_site(ctx, value, bound_in)?;
                return Some(LocalFunction { report: name.range, ..site });
            }
            let in_main_guard = match ctx.sem.scopes[bound_in].kind {
                ScopeKind::Function(_) => false,
                // Only when the guard's `def` is the one binding: a module-level twin is what a child
                // finds, and what it does is another question.
                // A program that asks for `fork` (a context, or the default) gives its children the
                // function by inheritance: silent then.
                ScopeKind::Module if asks_for_fork(ctx) => return None,
                ScopeKind::Module => match bindings {
                    [only] if ctx.sem.main_guards.iter().any(|guard| guard.contains_range(only.range)) => true,
                    _ => return None,
                },
                _ => return None,
            };
            let (def, stmt) = bindings.iter().find_map(|b| match (b.kind, b.stmt) {
                (BindingKind::FunctionDef(def), Some(stmt)) => Some((def, stmt)),
                _ => None,
            })?;
            let redefined = bindings.len() > 1;
            Some(LocalFunction { def, stmt, bound_in, redefined, report: name.range, in_main_guard, factory: None })
        }
        Expr::Call(call) if ctx.resolver.partial_target(expr, scope).is_none() => {
            let (factory, returned, own) = factory_closure(ctx, call, scope)?;
            // The returned name must be the `def` alone: rebound (`work = wrap(work)`) or bound in a
            // branch to something else, what the factory returns is not known.
            let site = local_function_site(ctx, returned, own).filter(|site| !site.redefined)?;
            Some(LocalFunction { report: call.range(), factory: Some(factory), ..site })
        }
        _ => local_function_site(ctx, ctx.resolver.partial_target(expr, scope)?, scope),
    }
}

/// Whether the program names the `fork` start method anywhere (`get_context("fork")`,
/// `set_start_method('fork')`, a `context="fork"` passed on): a string literal `fork`, not a comment.
fn asks_for_fork(ctx: &Context) -> bool {
    ctx.tokens.iter().any(|token| {
        token.kind() == TokenKind::String
            && matches!(&ctx.text[token.range()], "\"fork\"" | "'fork'" | "r\"fork\"" | "r'fork'")
    })
}

/// A call of a same-file function (a plain `def`, bound once) whose every `return` returns the same
/// name: the factory's name, that returned name and the factory's own scope.
fn factory_closure<'a>(
    ctx: &Context<'_, 'a>,
    call: &'a ast::ExprCall,
    scope: ScopeId,
) -> Option<(&'a str, &'a Expr, ScopeId)> {
    let Expr::Name(name) = call.func.as_ref() else { return None };
    let (_, binding) = ctx.sem.sole_binding(name.id.as_str(), scope)?;
    let BindingKind::FunctionDef(factory) = binding.kind else { return None };
    if factory.is_async || !factory.decorator_list.is_empty() {
        return None;
    }
    let own = ctx.sem.functions.get(&factory.range.start())?.scope;
    let (returns, is_generator) = crate::semantic::returns(factory);
    let values: Vec<&Expr> = returns.iter().filter_map(|r| r.value.as_deref()).collect();
    let [first, rest @ ..] = values.as_slice() else { return None };
    let Expr::Name(returned) = first else { return None };
    let same = rest.iter().all(|v| matches!(v, Expr::Name(n) if n.id == returned.id));
    (same && values.len() == returns.len() && !is_generator).then_some((factory.name.id.as_str(), *first, own))
}

/// Builds the fix, or says why there is none.
fn fix(ctx: &Context, sink: &Sink, site: &LocalFunction) -> Result<(String, Fix), Refusal> {
    let def = site.def;
    let name = def.name.id.as_str();
    if let Some(factory) = site.factory {
        return Err(Why::MadeByFactory { name: name.to_string(), factory: factory.to_string() }.into());
    }
    if site.redefined {
        return Err(MoveWhy::Redefined { name: name.to_string() }.into());
    }
    let info =
        *ctx.sem.functions.get(&def.range.start()).ok_or(Refusal::Unexpected("the function was not analysed"))?;
    let anchor = &ctx.body[info.top];
    let bound = site_defaults(ctx, sink, site, anchor)?;
    let bound_ranges: Vec<TextRange> = bound.iter().map(|d| d.default).collect();
    check_movable(ctx, def, anchor, &bound_ranges)?;
    let moved = Moved::function(Subject::Function(name.to_string()), def, info.scope, true).handed_to(ctx, sink);
    let captured = captures(ctx, &moved)?;
    shared_mutation(ctx, &moved, &captured.names, MovedCode::Body(&def.body))?;
    check_captures_for_tasks(ctx, &moved, &captured.names, sink)?;

    // A `def` of the `__main__` block is the module-level binding of its name already.
    let keep_name = captured.names.is_empty()
        && bound.is_empty()
        && if site.in_main_guard { ctx.keep_own_name(def.range.start(), name) } else { ctx.keep_name(def.range.start(), name) };
    if !keep_name && reads_itself(ctx, name, info.scope, site.bound_in) {
        return Err(Why::CallsItself { name: name.to_string() }.into());
    }
    let enclosing = match ctx.sem.enclosing_function(site.bound_in) {
        Some(function) => function.name.id.as_str().trim_matches('_'),
        None => "main",
    };
    let new_name = if keep_name {
        name.to_string()
    } else {
        ctx.new_name(def.range.start(), &format!("_{enclosing}_{}", name.trim_start_matches('_')))
    };

    // Helpers first, so that they stand above the function that calls them.
    let mut edits: Vec<Edit> = Vec::new();
    for (helper, stmt) in &captured.helpers {
        if helper.range.contains_range(def.range) {
            let enclosing = helper.name.id.to_string();
            return Err(Why::CallsEnclosing { name: name.to_string(), enclosing }.into());
        }
        edits.extend(helper_edits(ctx, helper, stmt, info.top, anchor)?);
    }

    let mut inner_edits: Vec<(TextRange, String)> = Vec::new();
    if new_name != name {
        inner_edits.push((def.name.range, new_name.clone()));
    }
    inner_edits.extend(bound.iter().map(|d| (d.removed, String::new())));
    if !captured.names.is_empty() {
        inner_edits.push(capture_parameters(ctx, &def.parameters, &captured.names)?);
    }
    let (region, code) = moved_code(ctx, site.stmt, &inner_edits)?;
    let values: Vec<(&str, &str)> = bound.iter().map(|d| (d.parameter, d.value)).collect();
    let (binding, import) =
        bind_captures(ctx, &new_name, &values, &captured.names, site.bound_in, site.stmt.start())?;
    let binding = (!keep_name).then(|| format!("{name} = {binding}"));
    edits.splice(0..0, import);
    edits.extend(insert_above(ctx, info.top, &code));
    edits.push(removal(ctx, site.stmt, region, binding));

    let helpers: Vec<String> = captured.helpers.iter().map(|(h, _)| format!("`{}`", h.name.id)).collect();
    let mut title = if site.in_main_guard {
        format!("Move `{name}` above the `__main__` guard")
    } else {
        format!("Move `{name}` to module level")
    };
    if !keep_name {
        title.push_str(&format!(" as `{new_name}`"));
    }
    if !helpers.is_empty() {
        title.push_str(&format!(", with {}", helpers.join(", ")));
    }
    let (applicability, note) = move_safety(ctx, site.bound_in, &moved.what);
    title.push_str(&note);
    Ok((title, fix_of(edits, applicability).ok_or(Refusal::Unexpected("no edit"))?))
}

/// The edits that move a local helper, which must capture nothing and keep its name. They are the same
/// edits the helper's own fix makes, so that the engine applies them once when both are taken.
fn helper_edits(
    ctx: &Context,
    helper: &ast::StmtFunctionDef,
    stmt: &Stmt,
    top: usize,
    anchor: &Stmt,
) -> Result<Vec<Edit>, Refusal> {
    let name = helper.name.id.as_str();
    let info = ctx.sem.functions.get(&helper.range.start()).ok_or(Refusal::Unexpected("the helper was not analysed"))?;
    check_movable(ctx, helper, anchor, &[])?;
    let moved = Moved::function(Subject::Helper(name.to_string()), helper, info.scope, false);
    move_unchanged(ctx, &moved, name, stmt, top)
}

/// Whether the `def` can run at module level at all; the defaults in `bound` are bound where it stood.
fn check_movable(ctx: &Context, def: &ast::StmtFunctionDef, anchor: &Stmt, bound: &[TextRange]) -> Result<(), Refusal> {
    let name = def.name.id.to_string();
    if def.type_params.is_some() {
        return Err(MoveWhy::TypeParameters { name }.into());
    }
    if uses_nonlocal(&def.body) {
        return Err(Why::Nonlocal { name }.into());
    }
    let parts = definition_time_parts(ctx, def).into_iter().filter(|(range, _)| !bound.contains(range));
    check_definition_time_reads(ctx, parts, anchor)
}

/// A parameter whose default reads a local name: the moved `def` loses the default, and the value is
/// bound with `functools.partial` where the `def` stood, which evaluates it when the default was.
struct SiteDefault<'a> {
    parameter: &'a str,
    /// The default, as written, and where it stands.
    value: &'a str,
    default: TextRange,
    /// What the moved `def` drops: from the end of the parameter (and its annotation) to the default's end.
    removed: TextRange,
}

/// The defaults of the local function that read local names, when binding them where the `def` stood is
/// faithful: no call passes those parameters by position (a keyword passed at a call overrides a partial's
/// keyword as it overrides a default), and dropping the defaults leaves a valid parameter list.
fn site_defaults<'a>(
    ctx: &Context<'_, 'a>,
    sink: &Sink,
    site: &LocalFunction<'a>,
    anchor: &Stmt,
) -> Result<Vec<SiteDefault<'a>>, Refusal> {
    let parameters = &site.def.parameters;
    let positional: Vec<&ast::ParameterWithDefault> = parameters.posonlyargs.iter().chain(&parameters.args).collect();
    let mut found: Vec<SiteDefault> = Vec::new();
    // How many leading parameters every call passes by position, learnt once it is needed.
    let mut passed: Option<Option<usize>> = None;
    for local in local_defaults(ctx, parameters, anchor) {
        let (parameter, default) = (local.parameter(), local.default);
        let removed = TextRange::new(local.param.parameter.end(), default.end());
        if ctx.tokens.in_range(removed).iter().any(|t| t.kind() == TokenKind::Comment) {
            return Err(local.refusal().into());
        }
        if let Some(index) = local.index {
            // Only keywords can bind it, so no call may reach it by position; and a parameter without a
            // default cannot follow one that keeps its default.
            let is_posonly = index < parameters.posonlyargs.len();
            let reached = *passed.get_or_insert_with(|| positional_reach(ctx, sink, site));
            let earlier_keeps_default = positional[..index]
                .iter()
                .any(|p| p.default.is_some() && !found.iter().any(|d| d.parameter == p.parameter.name.id.as_str()));
            let because = if is_posonly {
                Some("it is positional-only")
            } else if reached.is_none_or(|reached| reached > index) {
                Some("a call may pass it by position")
            } else if earlier_keeps_default {
                Some("a parameter before it keeps its default")
            } else {
                None
            };
            if let Some(because) = because {
                let reads = local.reads.to_string();
                return Err(Why::DefaultNotBindable { parameter: parameter.to_string(), reads, because }.into());
            }
        }
        found.push(SiteDefault { parameter, value: &ctx.text[default.range()], default: default.range(), removed });
    }
    Ok(found)
}

/// How many leading positional arguments the calls of the local function pass at most: the sink's call
/// (as its shape shows) and direct calls in the function that defines it. `None` when a use is neither,
/// or spreads `*args`: then any parameter may be reached by position.
fn positional_reach(ctx: &Context, sink: &Sink, site: &LocalFunction) -> Option<usize> {
    let name = site.def.name.id.as_str();
    let mut reach = 0;
    for load in ctx.sem.loads.iter().filter(|l| l.name == name) {
        if ctx.sem.lookup(name, load.scope) != Some(site.bound_in) {
            continue;
        }
        if load.range == sink.callable.range() {
            reach = reach.max(call_shape(sink)?.positional);
            continue;
        }
        let call = ctx.sem.calls.iter().find(|c| c.call.func.range() == load.range)?;
        let args = &call.call.arguments.args;
        if args.iter().any(Expr::is_starred_expr) {
            return None;
        }
        reach = reach.max(args.len());
    }
    Some(reach)
}

/// Decorators, defaults and annotations run when the `def` runs: at module level after the move.
fn definition_time_parts(ctx: &Context, def: &ast::StmtFunctionDef) -> Vec<(TextRange, DefinitionPart)> {
    let name = def.name.id.to_string();
    let mut parts: Vec<(TextRange, DefinitionPart)> = def
        .decorator_list
        .iter()
        .map(|d| (d.expression.range(), DefinitionPart::Decorator { of: name.clone() }))
        .collect();
    for param in def.parameters.iter_non_variadic_params() {
        if let Some(default) = &param.default {
            parts.push((default.range(), DefinitionPart::Default { parameter: param.parameter.name.id.to_string() }));
        }
    }
    if !has_future_annotations(ctx.body) {
        let params = def.parameters.iter_non_variadic_params().map(|p| &p.parameter);
        let variadic = def.parameters.vararg.iter().chain(&def.parameters.kwarg).map(|p| p.as_ref());
        for param in params.chain(variadic) {
            if let Some(annotation) = &param.annotation {
                parts.push((annotation.range(), DefinitionPart::Annotation { parameter: param.name.id.to_string() }));
            }
        }
        if let Some(returns) = &def.returns {
            parts.push((returns.range(), DefinitionPart::ReturnAnnotation { of: name }));
        }
    }
    parts
}

fn has_future_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| {
        matches!(stmt, Stmt::ImportFrom(import)
            if import.module.as_ref().is_some_and(|m| m.id.as_str() == "__future__")
                && import.names.iter().any(|alias| alias.name.id.as_str() == "annotations"))
    })
}

/// `nonlocal` in the function (or nested in it) rebinds a variable of the enclosing function.
fn uses_nonlocal(body: &[Stmt]) -> bool {
    struct Finder(bool);
    impl<'a> StatementVisitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            self.0 |= matches!(stmt, Stmt::Nonlocal(_));
            walk_stmt(self, stmt);
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}

/// Whether the function reads its own name (recursion through the enclosing function's binding).
fn reads_itself(ctx: &Context, name: &str, scope: ScopeId, bound_in: ScopeId) -> bool {
    ctx.sem.loads.iter().any(|load| {
        load.name == name && ctx.sem.is_within(load.scope, scope) && ctx.sem.lookup(name, load.scope) == Some(bound_in)
    })
}

/// The edit, inside the parameter list, that appends the captures as keyword-only parameters.
fn capture_parameters(
    ctx: &Context,
    parameters: &ast::Parameters,
    captured: &[&str],
) -> Result<(TextRange, String), Refusal> {
    let names = captured.join(", ");
    let needs_star = parameters.vararg.is_none() && parameters.kwonlyargs.is_empty();
    let star = if needs_star { "*, " } else { "" };
    if let Some(kwarg) = &parameters.kwarg {
        // The `**` that belongs to the keyword parameter: inside this parameter list, up to the start of
        // its name (the parameter's range may or may not hold the stars).
        let name_start = kwarg.name.range.start();
        let within = &ctx.text[TextRange::new(parameters.range.start(), name_start)];
        let stars = within.rfind("**").ok_or(Refusal::Unexpected("no `**` before the keyword parameter"))?;
        let at = parameters.range.start() + TextSize::try_from(stars).map_err(|_| Refusal::Unexpected("offset"))?;
        return Ok((TextRange::empty(at), format!("{star}{names}, ")));
    }
    let close = parameters.range.end() - TextSize::new(1);
    if &ctx.text[TextRange::new(close, parameters.range.end())] != ")" {
        return Err(Refusal::Unexpected("the parameter list has no closing parenthesis"));
    }
    let inside = TextRange::new(parameters.range.start() + TextSize::new(1), close);
    let last = ctx
        .tokens
        .in_range(inside)
        .iter()
        .rev()
        .find(|t| !matches!(t.kind(), TokenKind::Comment | TokenKind::NonLogicalNewline | TokenKind::Newline));
    let text = match last {
        None => format!("{star}{names}"),
        Some(token) if token.kind() == TokenKind::Comma => format!(" {star}{names}"),
        Some(_) => format!(", {star}{names}"),
    };
    // After the last parameter (not after a trailing comment), so the code stays on its line.
    let at = last.map_or(close, |t| t.end());
    Ok((TextRange::empty(at), text))
}
