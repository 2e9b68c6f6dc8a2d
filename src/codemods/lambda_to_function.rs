//! `lambda-to-function` (PF001)
//!
//! ## What it does
//! Finds a `lambda` handed to a process pool (`Pool.map` and friends, `Pool(initializer=...)`,
//! `Process(target=...)`, `ProcessPoolExecutor.submit/map`, `loop.run_in_executor(<process pool>, ...)`,
//! pebble's `ProcessPool.schedule/map/submit`, tqdm's `process_map(f, ...)`; also through
//! `torch.multiprocessing`, which is `multiprocessing` with tensor reducers, checked by unit tests only as
//! torch is too big to install for the behaviour test), directly, through a name it was assigned to, or
//! inside `functools.partial(...)`, and moves it to a module-level `def`.
//!
//! ## Why is this bad?
//! pickle stores a function by its qualified name, and a lambda's name is `<lambda>`: sending it to another
//! process fails with `PicklingError: Can't pickle <function <lambda> ...>` (or
//! `TypeError: cannot pickle '<lambda>' object`). Tasks sent to a pool are pickled under every start method;
//! a `Process` target or a pool initializer under `spawn` (Windows, macOS) and `forkserver` (the Linux
//! default since Python 3.14). Pools that pickle with dill or cloudpickle (`multiprocess`, pathos,
//! joblib's default `loky` backend, loky, dask) send lambdas fine and are never reported.
//!
//! ## Example
//! ```python
//! def main(k):
//!     with Pool() as pool:
//!         return pool.map(lambda x: x * k, range(10))
//! ```
//! Use instead:
//! ```python
//! import functools
//!
//!
//! def _main_map_task(x, *, k):
//!     return x * k
//!
//!
//! def main(k):
//!     with Pool() as pool:
//!         return pool.map(functools.partial(_main_map_task, k=k), range(10))
//! ```
//! A module-level `f = lambda x: ...` handed to a pool is rewritten in place as `def f(x): return ...`.
//!
//! ## Fix safety
//! The fix is safe: the program cannot run under `spawn` without it, and the function computes what the
//! lambda computed. The one difference is when captured variables are read: a lambda reads them when it
//! is called (late binding), `functools.partial` binds their values where the lambda stood (early binding).
//! Code that rebinds a captured variable between creating the lambda and the pool running it would see
//! the old value. There is no fix, only the finding, when the lambda captures a local function, class or
//! lambda (they cannot be pickled either), uses `self`, `super()` or `__class__`, sits in a class body,
//! has a default value that reads a local variable, contains `:=`, `yield` or `await`, or is taken from a
//! list, tuple or dict through a subscript (`STEPS[i]`: each of its lambdas would need a name).
//!
//! A spawned child imports the module as `__mp_main__`, so it never runs the body of
//! `if __name__ == "__main__":`. A module-level name that only that block binds is therefore passed with
//! `functools.partial` like a local; a function, class or import made only there makes the fix unavailable.

use ruff_diagnostics::{Applicability, Edit, Fix};
use ruff_source_file::LineRanges;
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::hoist::{
    Moved, MovedCode, Subject, bind_captures, captures, check_captures_for_tasks, insert_above, local_defaults,
    move_safety, shared_mutation,
};
use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::edits::{blank_lines_before, fix_of, rest_of_line_is_blank};
use crate::finding::{Finding, Remedy};
use crate::pools::{Sink, call_shape};
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF001",
    name: "lambda-to-function",
    summary: "a lambda handed to a process pool becomes a module-level function",
    description: "a lambda handed to a process pool becomes a module-level function",
    fix: FixSafety::Safe,
    fix_note: "",
    needs_sinks: true,
    dill_solves: true,
};

/// Why a lambda is reported without a fix (besides [`super::hoist::Why`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    InClassBody,
    Contains(Construct),
    /// A module-level `f = lambda` reads a name that only the `__main__` guard binds.
    ReadsGuardOnlyGlobal { name: String, global: String },
    /// `f = lambda ...` shares its line with other code.
    SharesLine,
    CommentInParameters,
    /// The lambda reached the pool from a list, tuple or dict display through a subscript.
    InContainer { container: String },
}

/// What changes meaning when a lambda becomes a `def`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construct {
    Walrus,
    Yield,
    Await,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::InClassBody => f.write_str("the lambda sits in a class body"),
            Why::Contains(construct) => {
                let construct = match construct {
                    Construct::Walrus => ":=",
                    Construct::Yield => "yield",
                    Construct::Await => "await",
                };
                write!(f, "the lambda contains `{construct}`")
            }
            Why::ReadsGuardOnlyGlobal { name, global } => write!(
                f,
                "`{name}` reads `{global}`, which only the `__main__` guard binds; a spawned child would not see it"
            ),
            Why::SharesLine => f.write_str("the assignment shares its line with other code"),
            Why::CommentInParameters => f.write_str("the lambda's parameters contain a comment"),
            Why::InContainer { container } => write!(
                f,
                "the lambda is taken from `{container}` through a subscript; define each of its lambdas with `def` at module level"
            ),
        }
    }
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in ctx.pickle_sinks() {
        let Some(site) = lambda_site(ctx, sink.callable, sink.scope) else {
            continue;
        };
        let what = match site.named {
            Some(named) => format!("Lambda `{}`", named.name),
            None => "Lambda".to_string(),
        };
        let message = format!("{what} passed to `{}` cannot be pickled", sink.kind.describe());
        let remedy = Remedy::from_fix(fix(ctx, sink, &site));
        findings.push(Finding::at_sink(Rule::LambdaToFunction, sink, site.report, message, remedy));
    }
}

/// A lambda that reaches a sink.
struct LambdaSite<'a> {
    lambda: &'a ast::ExprLambda,
    /// Set when the lambda reached the sink through a name (`f = lambda ...`).
    named: Option<Named<'a>>,
    /// Where to report: the argument as written at the sink.
    report: TextRange,
    /// The container it was taken from through a subscript (`tasks[i]`): reported without a fix.
    container: Option<&'a str>,
}

#[derive(Clone, Copy)]
struct Named<'a> {
    name: &'a str,
    stmt: &'a ast::StmtAssign,
    scope: ScopeId,
}

fn lambda_site<'a>(ctx: &Context<'_, 'a>, expr: &'a Expr, scope: ScopeId) -> Option<LambdaSite<'a>> {
    match expr {
        Expr::Lambda(lambda) => Some(LambdaSite { lambda, named: None, report: lambda.range, container: None }),
        Expr::Name(name) => {
            let (bound_in, binding) = ctx.sem.sole_binding(name.id.as_str(), scope)?;
            let (BindingKind::Assign(value), Some(Stmt::Assign(stmt))) = (binding.kind, binding.stmt) else {
                return None;
            };
            // Only `f = <value>`, not `f = g = <value>` or a walrus inside another assignment.
            let single_target = matches!(stmt.targets.as_slice(), [Expr::Name(_)]);
            if !single_target || stmt.value.range() != value.range() {
                return None;
            }
            let Expr::Lambda(lambda) = value else {
                // `f = functools.partial(lambda ...)`: the lambda inside.
                let site = lambda_site(ctx, value, bound_in)?;
                return Some(LambdaSite { report: name.range, ..site });
            };
            let named = Named { name: name.id.as_str(), stmt, scope: bound_in };
            Some(LambdaSite { lambda, named: Some(named), report: name.range, container: None })
        }
        Expr::Subscript(subscript) => {
            let Expr::Name(name) = subscript.value.as_ref() else { return None };
            let (bound_in, binding) = ctx.sem.sole_binding(name.id.as_str(), scope)?;
            let BindingKind::Assign(value) = binding.kind else { return None };
            let lambda = container_lambda(value, &subscript.slice)?;
            let site = lambda_site(ctx, lambda, bound_in)?;
            Some(LambdaSite { report: subscript.range, container: Some(name.id.as_str()), ..site })
        }
        _ => lambda_site(ctx, ctx.resolver.partial_target(expr, scope)?, scope),
    }
}

/// The lambda a subscript of a list, tuple or dict display takes: the element at a literal index or
/// key, or, for any other index, the first lambda among the elements (a lambda is there to be taken).
fn container_lambda<'a>(container: &'a Expr, index: &Expr) -> Option<&'a Expr> {
    let elements: Vec<(&'a Expr, Option<&'a Expr>)> = match container {
        Expr::List(list) => list.elts.iter().map(|e| (e, None)).collect(),
        Expr::Tuple(tuple) => tuple.elts.iter().map(|e| (e, None)).collect(),
        Expr::Dict(dict) => dict.items.iter().map(|item| (&item.value, item.key.as_ref())).collect(),
        _ => return None,
    };
    if elements.iter().any(|(e, _)| e.is_starred_expr()) {
        return None;
    }
    let at_literal = match (index, container.is_dict_expr()) {
        (Expr::NumberLiteral(ast::ExprNumberLiteral { value: ast::Number::Int(int), .. }), false) => {
            Some(elements.get(int.as_usize()?)?.0)
        }
        (Expr::StringLiteral(key), true) => elements
            .iter()
            .find(|(_, k)| matches!(k, Some(Expr::StringLiteral(k)) if k.value.to_str() == key.value.to_str()))
            .map(|(e, _)| *e),
        _ => None,
    };
    match at_literal {
        Some(element) => element.is_lambda_expr().then_some(element),
        None => elements.iter().map(|(e, _)| *e).find(|e| e.is_lambda_expr()),
    }
}

/// Builds the fix, or says why there is none.
fn fix(ctx: &Context, sink: &Sink, site: &LambdaSite) -> Result<(String, Fix), Refusal> {
    if let Some(container) = site.container {
        return Err(Why::InContainer { container: container.to_string() }.into());
    }
    let lambda = site.lambda;
    let info = ctx.sem.lambdas.get(&lambda.range.start()).ok_or(Refusal::Unexpected("the lambda was not analysed"))?;
    let outer = ctx.sem.scopes[info.scope].parent.unwrap_or(MODULE_SCOPE);
    if let ScopeKind::Class(_) = ctx.sem.scopes[outer].kind {
        return Err(Why::InClassBody.into());
    }
    if let Some(construct) = unsupported_construct(&lambda.body) {
        return Err(Why::Contains(construct).into());
    }
    let anchor = &ctx.body[info.top];
    let site_defaults = site_defaults(ctx, site, anchor, sink)?;
    let moved = Moved {
        what: Subject::Lambda,
        scope: info.scope,
        site: lambda.range.start(),
        own_name: None,
        helpers: false,
        is_class: false,
        snapshot: None,
        process_target: false,
    }
    .handed_to(ctx, sink);
    let captures = captures(ctx, &moved)?.names;
    shared_mutation(ctx, &moved, &captures, MovedCode::Expr(&lambda.body))?;
    check_captures_for_tasks(ctx, &moved, &captures, sink)?;

    let body = body_text(ctx, lambda)?;
    let layout = &ctx.layout;

    // `f = lambda ...` at module level: rewrite it in place as `def f(...)`, unless it reads names that
    // only the `__main__` guard binds: then only an assignment under the guard can pass them.
    let named_at_module = site.named.filter(|named| named.scope == MODULE_SCOPE && outer == MODULE_SCOPE);
    if let Some(named) = named_at_module
        && !captures.is_empty()
        && !ctx.sem.is_in_main_guard(named.stmt.range)
    {
        return Err(Why::ReadsGuardOnlyGlobal { name: named.name.to_string(), global: captures[0].to_string() }.into());
    }
    if let Some(named) = named_at_module
        && captures.is_empty()
    {
        let stmt = named.stmt;
        let indent = crate::edits::indentation(ctx.text, ctx.tokens, stmt).ok_or(Why::SharesLine)?;
        if !rest_of_line_is_blank(ctx.text, stmt.end()) {
            return Err(Why::SharesLine.into());
        }
        let params = params_text(ctx, lambda, &[], &[])?;
        let def = format!("def {}({params}):{}{indent}{}return {body}", named.name, layout.eol, layout.indent);
        let title = format!("Rewrite `{}` as a `def`", named.name);
        let mut edits = vec![Edit::range_replacement(def, stmt.range)];
        // Right below the imports, a `def` takes the two blank lines isort asks for after them.
        let previous = ctx.body.iter().take_while(|top| top.end() <= stmt.start()).last();
        if indent.is_empty()
            && let Some(previous) = previous.filter(|p| p.is_import_stmt() || p.is_import_from_stmt())
            && ctx.text[TextRange::new(previous.end(), stmt.start())].trim().is_empty()
        {
            let at = ctx.text.line_start(stmt.start());
            let blank = blank_lines_before(ctx.text, at, layout);
            if !blank.is_empty() {
                edits.push(Edit::insertion(blank, at));
            }
        }
        return Ok((title, fix_of(edits, Applicability::Safe).ok_or(Refusal::Unexpected("no edit"))?));
    }

    let function = ctx.sem.enclosing_function(outer).map(|def| def.name.id.as_str().trim_matches('_'));
    let base = match (function, site.named) {
        (Some(function), Some(named)) if !function.is_empty() => {
            format!("_{function}_{}", named.name)
        }
        (_, Some(named)) => format!("_{}", named.name.trim_start_matches('_')),
        (Some(function), None) if !function.is_empty() => {
            format!("_{function}_{}_task", sink.kind.slug())
        }
        _ => format!("_{}_task", sink.kind.slug()),
    };
    let name = ctx.new_name(lambda.range.start(), &base);

    let values: Vec<(&str, &str)> = site_defaults.iter().map(|d| (d.parameter, d.value)).collect();
    let (replacement, import) = bind_captures(ctx, &name, &values, &captures, outer, lambda.range.start())?;
    let moved_parameters: Vec<&str> = site_defaults.iter().map(|d| d.parameter).collect();
    let params = params_text(ctx, lambda, &moved_parameters, &captures)?;
    let def = format!("def {name}({params}):{}{}return {body}", layout.eol, layout.indent);
    let mut edits: Vec<Edit> = import.into_iter().collect();
    edits.extend(insert_above(ctx, info.top, &def));
    edits.push(Edit::range_replacement(replacement, lambda.range));
    let (applicability, note) = move_safety(ctx, outer, &moved.what);
    let title = format!("Move the lambda to a module-level function `{name}`{note}");
    Ok((title, fix_of(edits, applicability).ok_or(Refusal::Unexpected("no edit"))?))
}

/// A parameter whose default reads a local: the value is bound with `functools.partial` where the
/// lambda stood, which evaluates it at the same moment the lambda's default was.
struct SiteDefault<'a> {
    parameter: &'a str,
    /// The default, as written.
    value: &'a str,
}

/// The parameters whose defaults read names a module-level function cannot see. Binding them where the
/// lambda stood is faithful when no call of the task passes them, which the pool's call must show (a
/// `map` passes one argument, `Process(args=(a,))` one, ...); otherwise there is no fix. A lambda bound
/// to a name must reach no other call than the sink's (`f(1, 5)` elsewhere could pass the parameter).
fn site_defaults<'a>(
    ctx: &Context<'_, 'a>,
    site: &LambdaSite<'a>,
    anchor: &Stmt,
    sink: &Sink,
) -> Result<Vec<SiteDefault<'a>>, Refusal> {
    let lambda = site.lambda;
    let Some(parameters) = lambda.parameters.as_deref() else { return Ok(Vec::new()) };
    let used_elsewhere = site.named.is_some_and(|named| {
        ctx.sem.loads.iter().any(|load| {
            load.name == named.name
                && ctx.sem.lookup(load.name, load.scope) == Some(named.scope)
                && load.range != site.report
        })
    });
    let mut found = Vec::new();
    let mut shape = None;
    for local in local_defaults(ctx, parameters, anchor) {
        let (parameter, default) = (local.parameter(), local.default);
        let refusal = || local.refusal();
        if used_elsewhere {
            return Err(refusal().into());
        }
        let shape = shape.get_or_insert_with(|| call_shape(sink)).as_ref().ok_or_else(refusal)?;
        let is_posonly = local.index.is_some_and(|i| i < parameters.posonlyargs.len());
        let passed = local.index.is_some_and(|i| i < shape.positional) || shape.keywords.iter().any(|k| k == parameter);
        let has_comment = ctx.tokens.in_range(default.range()).iter().any(|t| t.kind() == TokenKind::Comment);
        if passed || is_posonly || has_comment {
            return Err(refusal().into());
        }
        found.push(SiteDefault { parameter, value: &ctx.text[default.range()] });
    }
    Ok(found)
}

/// The parameter list for the new `def`: as written when nothing is captured or bound where the lambda
/// stood; otherwise rebuilt with `bound` (parameters whose defaults are bound at the site, without their
/// defaults) and the captures as keyword-only parameters.
fn params_text(ctx: &Context, lambda: &ast::ExprLambda, bound: &[&str], captures: &[&str]) -> Result<String, Refusal> {
    let written = lambda.parameters.as_deref().map_or("", |p| &ctx.text[p.range]);
    if captures.is_empty() && bound.is_empty() {
        return Ok(written.to_string());
    }
    let Some(parameters) = lambda.parameters.as_deref() else {
        return Ok(format!("*, {}", captures.join(", ")));
    };
    if ctx.tokens.in_range(parameters.range).iter().any(|t| t.kind() == TokenKind::Comment) {
        return Err(Why::CommentInParameters.into());
    }
    let slice = |range: TextRange| ctx.text[range].to_string();
    let kept = |p: &&ast::ParameterWithDefault| !bound.contains(&p.parameter.name.id.as_str());
    let mut parts: Vec<String> = Vec::new();
    for param in parameters.posonlyargs.iter().filter(kept) {
        parts.push(slice(param.range));
    }
    if !parameters.posonlyargs.is_empty() {
        parts.push("/".to_string());
    }
    parts.extend(parameters.args.iter().filter(kept).map(|p| slice(p.range)));
    match &parameters.vararg {
        Some(vararg) => parts.push(starred(ctx.text, vararg.range, "*")),
        None => parts.push("*".to_string()),
    }
    parts.extend(parameters.kwonlyargs.iter().filter(kept).map(|p| slice(p.range)));
    parts.extend(bound.iter().chain(captures).map(|name| (*name).to_string()));
    if let Some(kwarg) = &parameters.kwarg {
        parts.push(starred(ctx.text, kwarg.range, "**"));
    }
    Ok(parts.join(", "))
}

fn starred(text: &str, range: TextRange, stars: &str) -> String {
    let written = &text[range];
    if written.starts_with('*') { written.to_string() } else { format!("{stars}{written}") }
}

/// The lambda's body as written, with the parentheses and comments around it; wrapped in parentheses
/// when it spans lines and is not parenthesized already, so that `return` accepts it.
fn body_text(ctx: &Context, lambda: &ast::ExprLambda) -> Result<String, Refusal> {
    let search_from = lambda.parameters.as_ref().map_or(lambda.range.start(), |p| p.range.end());
    let colon = ctx
        .tokens
        .in_range(TextRange::new(search_from, lambda.body.start()))
        .iter()
        .find(|t| t.kind() == TokenKind::Colon)
        .ok_or(Refusal::Unexpected("the lambda's colon was not found"))?;
    let raw = &ctx.text[TextRange::new(colon.end(), lambda.range.end())];
    let text = raw.trim();
    let parenthesized = ctx.text[TextRange::new(colon.end(), lambda.body.start())].contains('(');
    if text.contains(['\n', '\r']) && !parenthesized { Ok(format!("({text})")) } else { Ok(text.to_string()) }
}

/// `:=`, `yield` and `await` change meaning when the lambda becomes a `def`.
fn unsupported_construct(body: &Expr) -> Option<Construct> {
    struct Finder(Option<Construct>);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Named(_) => self.0 = Some(Construct::Walrus),
                Expr::Yield(_) | Expr::YieldFrom(_) => self.0 = Some(Construct::Yield),
                Expr::Await(_) => self.0 = Some(Construct::Await),
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(None);
    finder.visit_expr(body);
    finder.0
}
