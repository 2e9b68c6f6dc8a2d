//! `--swap pathos`: `multiprocessing.Pool` becomes pathos's `ProcessingPool`, whose API differs, so its
//! call sites are rewritten (see the parent module's docs).

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange};

use super::super::Context;
use super::super::imports::Needed;
use super::super::queue_to_pool::Shared;
use super::mentions;
use crate::edits::{add_import, rest_of_line_is_blank};
use crate::pools::api::{
    CHUNKSIZE, Data, PATHOS_POOL, PATHOS_POOL_KEYWORDS, Param, Shape, pathos_keeps, pathos_name, pool,
};
use crate::pools::{PoolKind, Value};
use crate::semantic::{BindingKind, MODULE_SCOPE};

/// Why the file's pools cannot become pathos pools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    SetsStartMethod,
    Executor,
    NoPool,
    PoolNotPlainName {
        pool: String,
    },
    PoolUsedOtherwise {
        pool: String,
    },
    ExtraPositionalArguments,
    ContextKeyword,
    /// An argument (as written) with no pathos equivalent.
    NoEquivalent {
        written: String,
    },
    PoolBoundTwice,
    NotImportedFromMultiprocessing {
        name: String,
    },
    NameUsedOtherwise {
        name: String,
    },
    /// The pool comes from a start-method context (as written).
    ContextPool {
        context: String,
    },
    ProcessingPoolTaken,
    ConstructorNotPlainName,
    NoMethod {
        method: String,
    },
    Callback {
        method: String,
        keyword: String,
    },
    MethodKeyword {
        method: String,
        keyword: String,
    },
    UnpackedArguments {
        method: String,
    },
    TooManyArguments {
        method: String,
    },
    OtherArguments {
        method: String,
    },
    JoinNotAlone,
    /// A task carries (as written) the standard library's `Manager()` or a proxy it makes.
    StdlibManager {
        name: String,
    },
    /// A `multiprocessing` object sent as a task argument (as written), which PF006 would make from the
    /// standard library's `Manager()`.
    SharedArgument {
        name: String,
        kind: Shared,
    },
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::SetsStartMethod => {
                f.write_str("the file sets the start method of `multiprocessing`, which pathos pools do not use")
            }
            Why::Executor => f.write_str("`ProcessPoolExecutor` has no pathos equivalent"),
            Why::NoPool => f.write_str("no `multiprocessing.Pool(...)` to swap"),
            Why::PoolNotPlainName { pool } => write!(f, "the pool `{pool}` is not a plain name"),
            Why::PoolUsedOtherwise { pool } => write!(f, "the pool `{pool}` is used other than through its methods"),
            Why::ExtraPositionalArguments => {
                f.write_str("positional arguments after the pool size have no pathos equivalent")
            }
            Why::ContextKeyword => f.write_str("pathos pools take no `context=`"),
            Why::NoEquivalent { written } => write!(f, "`{written}` has no pathos equivalent"),
            Why::PoolBoundTwice => f.write_str("`Pool` is bound twice"),
            Why::NotImportedFromMultiprocessing { name } => {
                write!(f, "`{name}` is not imported from `multiprocessing`")
            }
            Why::NameUsedOtherwise { name } => write!(f, "`{name}` is used other than to make a pool"),
            Why::ContextPool { context } => {
                write!(f, "the pool comes from `{context}`, a start-method context, which pathos does not have")
            }
            Why::ProcessingPoolTaken => f.write_str("the name `ProcessingPool` is taken"),
            Why::ConstructorNotPlainName => f.write_str("the pool's constructor is not a plain name"),
            Why::NoMethod { method } => write!(f, "pathos pools have no `{method}`"),
            Why::Callback { method, keyword } => write!(f, "`{method}(..., {keyword})` has no pathos equivalent"),
            Why::MethodKeyword { method, keyword } => write!(f, "`{method}` with `{keyword}` has no pathos equivalent"),
            Why::UnpackedArguments { method } => {
                write!(f, "`{method}` with unpacked arguments has no pathos equivalent")
            }
            Why::TooManyArguments { method } => write!(f, "too many arguments to `{method}`"),
            Why::OtherArguments { method } => write!(f, "`{method}` with these arguments has no pathos equivalent"),
            Why::JoinNotAlone => {
                f.write_str("`join()` does not stand on a line of its own, so `clear()` cannot follow it")
            }
            Why::StdlibManager { name } => write!(
                f,
                "a task carries `{name}`, made by `multiprocessing.Manager()`: pathos's workers are `multiprocess` \
                 processes, which the standard library's manager rejects (`AuthenticationError: digest sent was \
                 rejected`); use `--swap multiprocess`, which swaps the manager too"
            ),
            Why::SharedArgument { name, kind } => write!(
                f,
                "`{name}`, a `multiprocessing.{kind}` sent as a task argument, can only become a proxy of \
                 `multiprocessing.Manager()`, which pathos's workers cannot use; use `--swap multiprocess`"
            ),
        }
    }
}

pub(super) fn edits(ctx: &Context) -> Result<Vec<Edit>, Why> {
    if mentions(ctx, "set_start_method") {
        return Err(Why::SetsStartMethod);
    }
    let mut edits = Vec::new();
    let mut constructors = 0;
    // `multiprocessing.Pool(...)` becomes the name a module-level `from multiprocessing import Pool`
    // binds, when it can: else it imports `ProcessingPool` where isort puts it, and that `from` import
    // then stays in its place (moving it too would put two edits on its line).
    let imports_by_name = ctx.sem.calls.iter().any(|site| {
        site.call.func.is_attribute_expr()
            && ctx.resolver.eval_call(site.call, site.scope) == Value::Pool(PoolKind::Multiprocessing)
            && pool_imported_by_name(ctx, site.scope).is_none()
    });
    for site in &ctx.sem.calls {
        match ctx.resolver.eval_call(site.call, site.scope) {
            Value::Pool(PoolKind::Executor) => {
                return Err(Why::Executor);
            }
            Value::Pool(PoolKind::Multiprocessing) => {
                constructors += 1;
                edits.extend(pool_constructor(ctx, site.call, site.scope, !imports_by_name)?);
            }
            _ => {}
        }
        if let Expr::Attribute(attr) = site.call.func.as_ref()
            && let Value::Pool(PoolKind::Multiprocessing) = ctx.resolver.eval(&attr.value, site.scope)
        {
            if !attr.value.is_name_expr() {
                return Err(Why::PoolNotPlainName { pool: ctx.text[attr.value.range()].to_string() });
            }
            edits.extend(pool_method(ctx, site.call, attr)?);
        }
    }
    if constructors == 0 {
        return Err(Why::NoPool);
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
                return Err(Why::PoolUsedOtherwise { pool: load.name.to_string() });
            }
        }
    }
    Ok(edits)
}

/// `Pool(...)`: the constructor's name and, for `from multiprocessing import Pool`, the import.
fn pool_constructor(ctx: &Context, call: &ast::ExprCall, scope: usize, may_move: bool) -> Result<Vec<Edit>, Why> {
    let arguments = &call.arguments;
    if arguments.args.len() > 1 || arguments.args.iter().any(Expr::is_starred_expr) {
        return Err(Why::ExtraPositionalArguments);
    }
    let context = pool(PoolKind::Multiprocessing).context.map(|param| param.keyword);
    for keyword in &arguments.keywords {
        match keyword.arg.as_ref().map(|a| a.as_str()) {
            Some(name) if PATHOS_POOL_KEYWORDS.contains(&name) => {}
            Some(name) if Some(name) == context => return Err(Why::ContextKeyword),
            _ => return Err(Why::NoEquivalent { written: ctx.text[keyword.range()].to_string() }),
        }
    }
    match call.func.as_ref() {
        Expr::Name(name) => {
            let (bound_in, binding) = ctx.sem.sole_binding(name.id.as_str(), scope).ok_or(Why::PoolBoundTwice)?;
            let (BindingKind::FromImport, Some(Stmt::ImportFrom(from))) = (binding.kind, binding.stmt) else {
                return Err(Why::NotImportedFromMultiprocessing { name: name.id.to_string() });
            };
            // Every read of the name must be a pool being made.
            if !only_called(ctx, name.id.as_str(), bound_in) {
                return Err(Why::NameUsedOtherwise { name: name.id.to_string() });
            }
            Ok(swap_from_import(ctx, from, name.id.as_str(), may_move))
        }
        Expr::Attribute(attr) => {
            let module_import = matches!(attr.value.as_ref(), Expr::Name(module)
                if ctx.sem.sole_binding(module.id.as_str(), scope).is_some_and(|(_, b)| matches!(b.kind, BindingKind::Import)));
            if !module_import {
                return Err(Why::ContextPool { context: ctx.text[attr.value.range()].to_string() });
            }
            if let Some((from, local)) = pool_imported_by_name(ctx, scope) {
                // The import is swapped by this fix too (also when no call uses its name yet): the name
                // never means `multiprocessing.Pool` in the fixed text.
                let mut edits = swap_from_import(ctx, from, local, may_move);
                edits.push(Edit::range_replacement(local.to_string(), attr.range()));
                return Ok(edits);
            }
            let needed = Needed::ByName { module: PATHOS_POOL.0, member: PATHOS_POOL.1 };
            let (pool, import) = ctx.reach(needed, scope, call.start()).map_err(|_| Why::ProcessingPoolTaken)?;
            Ok(std::iter::once(Edit::range_replacement(pool, attr.range())).chain(import).collect())
        }
        _ => Err(Why::ConstructorNotPlainName),
    }
}

/// A module-level `from multiprocessing import Pool [as P]` and the name it binds, when `scope` sees that
/// import, it is the name's only binding, and every read of the name makes a pool: pathos's pool under
/// that name once the import is swapped.
fn pool_imported_by_name<'a>(ctx: &Context<'_, 'a>, scope: usize) -> Option<(&'a ast::StmtImportFrom, &'a str)> {
    ctx.body.iter().find_map(|stmt| {
        let Stmt::ImportFrom(from) = stmt else { return None };
        if from.level != 0 || from.module.as_ref().is_none_or(|m| m.as_str() != "multiprocessing") {
            return None;
        }
        let alias = from.names.iter().find(|alias| alias.name.as_str() == "Pool")?;
        let local = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
        let (bound_in, binding) = ctx.sem.sole_binding(local, scope)?;
        let sole = bound_in == MODULE_SCOPE && binding.stmt.is_some_and(|s| s.range() == stmt.range());
        (sole && only_called(ctx, local, bound_in)).then_some((from, local))
    })
}

/// Whether every read of `name` (bound in `bound_in`) is a call.
fn only_called(ctx: &Context, name: &str, bound_in: usize) -> bool {
    let reads = ctx.sem.loads.iter().filter(|l| l.name == name && ctx.sem.lookup(l.name, l.scope) == Some(bound_in));
    reads.into_iter().all(|read| ctx.text[read.range.end().to_usize()..].trim_start().starts_with('('))
}

/// `from multiprocessing import Pool as P` becomes `from pathos.multiprocessing import ProcessingPool as
/// P`; other names stay imported from `multiprocessing`. With `may_move`, an import of `Pool` alone moves
/// to where isort puts a third-party import.
fn swap_from_import(ctx: &Context, from: &ast::StmtImportFrom, local: &str, may_move: bool) -> Vec<Edit> {
    let Some(index) = from.names.iter().position(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == local) else {
        return Vec::new();
    };
    let new_import = format!("from {} import {} as {local}", PATHOS_POOL.0, PATHOS_POOL.1);
    let line_start = ctx.text.line_start(from.start());
    let indent = &ctx.text[TextRange::new(line_start, from.start())];
    // A module-level import: the new one goes where isort puts a third-party import.
    let module_level = indent.is_empty() && ctx.body.iter().any(|stmt| stmt.range() == from.range());
    if from.names.len() == 1 {
        let other_imports =
            ctx.body.iter().any(|s| s.range() != from.range() && (s.is_import_stmt() || s.is_import_from_stmt()));
        if may_move && module_level && other_imports && rest_of_line_is_blank(ctx.text, from.end()) {
            // It leaves its place to the import that sorts where the other imports are.
            let others: Vec<Stmt> = ctx.body.iter().filter(|stmt| stmt.range() != from.range()).cloned().collect();
            let line = TextRange::new(line_start, ctx.text.full_line_end(from.end()));
            return vec![Edit::range_deletion(line), add_import(ctx.text, &others, &new_import, &ctx.layout)];
        }
        return vec![Edit::range_replacement(new_import, from.range())];
    }
    let names = &from.names;
    let removal = if index + 1 < names.len() {
        TextRange::new(names[index].start(), names[index + 1].start())
    } else {
        TextRange::new(names[index - 1].end(), names[index].end())
    };
    let addition = if module_level {
        add_import(ctx.text, ctx.body, &new_import, &ctx.layout)
    } else {
        Edit::insertion(format!("{}{indent}{new_import}", ctx.layout.eol), ctx.text.line_end(from.end()))
    };
    vec![Edit::range_deletion(removal), addition]
}

/// One pool method call rewritten for pathos.
fn pool_method(ctx: &Context, call: &ast::ExprCall, attr: &ast::ExprAttribute) -> Result<Vec<Edit>, Why> {
    let method = attr.attr.id.as_str();
    // `close`, `join`, `terminate` need no rewrite besides `clear()` after `join()`.
    if pathos_keeps(method) {
        return if method == "join" { clear_after_join(ctx, call, attr) } else { Ok(Vec::new()) };
    }
    let (Some(new_name), Some(api)) = (pathos_name(method), pool(PoolKind::Multiprocessing).method(method)) else {
        return Err(Why::NoMethod { method: method.to_string() });
    };
    let shape = api.shape();
    // The keywords that name task data (`args=`, `kwds=`), which pathos spreads into the call.
    let data_keywords: Vec<&str> = api
        .data
        .iter()
        .filter_map(|data| match data {
            Data::Elements(param) | Data::Values(param) if shape == Shape::Apply => Some(param.keyword),
            _ => None,
        })
        .collect();
    let arguments = &call.arguments;
    // An argument's whole text, with parentheses written around it: `(x)` becomes `chunksize=(x)`,
    // never `(chunksize=x)`.
    let full = |expr: &Expr| ctx.parenthesized(expr, arguments.into());
    let text = |expr: &Expr| ctx.text[full(expr)].to_string();
    let mut edits = Vec::new();
    if new_name != method {
        edits.push(Edit::range_replacement(new_name.to_string(), attr.attr.range()));
    }
    for keyword in &arguments.keywords {
        match keyword.arg.as_ref().map(|a| a.as_str()) {
            Some(name) if api.callbacks.contains(&name) => {
                let keyword = ctx.text[keyword.range()].to_string();
                return Err(Why::Callback { method: method.to_string(), keyword });
            }
            Some(name) if name == CHUNKSIZE.keyword && shape != Shape::Apply => {}
            Some(name) if data_keywords.contains(&name) => {}
            _ => {
                let keyword = ctx.text[keyword.range()].to_string();
                return Err(Why::MethodKeyword { method: method.to_string(), keyword });
            }
        }
    }
    if arguments.args.iter().any(Expr::is_starred_expr) || arguments.args.is_empty() {
        return Err(Why::UnpackedArguments { method: method.to_string() });
    }
    if shape == Shape::Apply {
        if arguments.args.len() > 3 {
            return Err(Why::TooManyArguments { method: method.to_string() });
        }
        // An argument by position or keyword: the text it takes up, and its value.
        let argument = |param: Param| {
            let by_position = param.position.and_then(|position| arguments.args.get(position)).map(|a| (full(a), a));
            by_position.or_else(|| arguments.find_keyword(param.keyword).map(|k| (k.range(), &k.value)))
        };
        let (args, kwds) = match api.data {
            [Data::Elements(args), Data::Values(kwds)] => (*args, *kwds),
            _ => return Err(Why::OtherArguments { method: method.to_string() }),
        };
        if let Some((range, value)) = argument(args) {
            let spread = match value {
                Expr::Tuple(tuple) if !tuple.elts.iter().any(Expr::is_starred_expr) => {
                    tuple.elts.iter().map(text).collect::<Vec<_>>().join(", ")
                }
                other => format!("*{}", text(other)),
            };
            if spread.is_empty() {
                // `apply(f, ())`: drop the empty tuple with the comma before it.
                edits.push(Edit::range_deletion(TextRange::new(full(&arguments.args[0]).end(), range.end())));
            } else {
                edits.push(Edit::range_replacement(spread, range));
            }
        }
        if let Some((range, value)) = argument(kwds) {
            edits.push(Edit::range_replacement(format!("**{}", text(value)), range));
        }
        return Ok(edits);
    }
    if arguments.args.len() < 2 || arguments.args.len() > 3 {
        return Err(Why::OtherArguments { method: method.to_string() });
    }
    if shape == Shape::Starmap {
        let rows = &arguments.args[1];
        edits.push(Edit::range_replacement(format!("*zip(*{})", text(rows)), full(rows)));
    }
    if let Some(chunksize) = CHUNKSIZE.position.and_then(|position| arguments.args.get(position)) {
        edits.push(Edit::insertion(format!("{}=", CHUNKSIZE.keyword), full(chunksize).start()));
    }
    Ok(edits)
}

/// `pool.join()` as a statement of its own line gets `pool.clear()` on the next line.
fn clear_after_join(ctx: &Context, call: &ast::ExprCall, attr: &ast::ExprAttribute) -> Result<Vec<Edit>, Why> {
    let line_start = ctx.text.line_start(call.start());
    let before = ctx.text[TextRange::new(line_start, call.start())].trim_start();
    if !(before.is_empty() || before.ends_with(';')) || !rest_of_line_is_blank(ctx.text, call.end()) {
        return Err(Why::JoinNotAlone);
    }
    let line = &ctx.text[TextRange::new(line_start, ctx.text.line_end(call.start()))];
    let indent = &line[..line.len() - line.trim_start().len()];
    let pool = &ctx.text[attr.value.range()];
    let clear = format!("{}{indent}{pool}.clear()", ctx.layout.eol);
    Ok(vec![Edit::insertion(clear, ctx.text.line_end(call.end()))])
}
