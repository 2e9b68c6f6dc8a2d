//! What pickle refuses, as far as the code shows it: shared by the codemods that report objects sent to
//! another process (PF003 for `self`, PF005 for task arguments). Sockets are not listed: multiprocessing
//! reduces them, and they reach a child fine.

use ruff_python_ast::{self as ast, Expr};

use super::Context;
use crate::pools::{PoolKind, Value};
use crate::semantic::{BindingKind, ScopeId};

/// An object pickle refuses, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unpicklable {
    /// "an open file", "a `threading.Lock`".
    pub what: String,
    /// How to get the same effect in the child.
    pub advice: &'static str,
}

const FILE: &str = "open it in the worker and pass its path instead";
const LOCK: &str = "create it in an `initializer`, or use a `multiprocessing.Manager()` one";
const DATABASE: &str = "connect in the worker (pass the database path) or in an `initializer`";
const GENERATOR: &str = "pass a list, or let the worker build the generator";
const LOOP: &str = "create the event loop in the worker";
const HANDLER: &str = "configure logging in the worker or in an `initializer`";
const POOL: &str = "keep the pool in the parent; hand the worker only the data it needs";

/// The attributes of `self` that a class assigns from something pickle refuses, sorted by name.
pub(crate) fn unpicklable_attributes<'a>(ctx: &Context<'_, 'a>, class_scope: ScopeId) -> Vec<(&'a str, Unpicklable)> {
    let mut holders: Vec<(&'a str, Unpicklable)> = ctx
        .sem
        .self_attrs
        .iter()
        .filter(|((class, _), _)| *class == class_scope)
        .filter_map(|((_, attr), values)| {
            let object = values.iter().find_map(|(value, scope)| unpicklable(ctx, (*value)?, *scope))?;
            Some((*attr, object))
        })
        .collect();
    holders.sort_by(|a, b| a.0.cmp(b.0));
    holders
}

/// Whether the object is a pool or an executor (PF008's concern when `self` holds one).
pub(crate) fn is_pool(object: &Unpicklable) -> bool {
    object.advice == POOL
}

/// What `value` (evaluated in `scope`) makes, when pickle refuses it. Names are followed through one
/// plain assignment or `with ... as` when that is their only binding.
pub(crate) fn unpicklable(ctx: &Context, value: &Expr, scope: ScopeId) -> Option<Unpicklable> {
    classify(ctx, value, scope, 0)
}

fn classify(ctx: &Context, value: &Expr, scope: ScopeId, depth: u32) -> Option<Unpicklable> {
    if depth > 8 {
        return None;
    }
    let found = |what: &str, advice| Some(Unpicklable { what: what.to_string(), advice });
    match value {
        Expr::Generator(_) => return found("a generator", GENERATOR),
        Expr::Name(name) => {
            let (bound_in, binding) = ctx.sem.sole_binding(name.id.as_str(), scope)?;
            return match binding.kind {
                BindingKind::Assign(value) | BindingKind::With(value) => classify(ctx, value, bound_in, depth + 1),
                _ => None,
            };
        }
        _ => {}
    }
    let Expr::Call(call) = value else { return None };
    match ctx.resolver.eval_call(call, scope) {
        Value::Pool(PoolKind::Multiprocessing | PoolKind::Multiprocess | PoolKind::Pathos) => {
            return found("a `Pool`", POOL);
        }
        Value::Pool(PoolKind::Executor) => return found("a `ProcessPoolExecutor`", POOL),
        _ => {}
    }
    match call.func.as_ref() {
        Expr::Name(name) if ctx.sem.lookup(name.id.as_str(), scope).is_none() => {
            return (name.id.as_str() == "open").then(|| Unpicklable { what: "an open file".into(), advice: FILE });
        }
        Expr::Name(name) if is_generator_function(ctx, name, scope) => {
            return found("a generator", GENERATOR);
        }
        // `conn.cursor()` on a sqlite3 connection.
        Expr::Attribute(attr) if attr.attr.id.as_str() == "cursor" => {
            let owner = classify(ctx, &attr.value, scope, depth + 1)?;
            return (owner.what == "a `sqlite3` connection")
                .then(|| Unpicklable { what: "a `sqlite3` cursor".into(), advice: DATABASE });
        }
        _ => {}
    }
    let Value::Qualified(q) = ctx.resolver.eval(&call.func, scope) else { return None };
    match q.as_str() {
        "threading.Lock"
        | "threading.RLock"
        | "threading.Condition"
        | "threading.Event"
        | "threading.Semaphore"
        | "threading.BoundedSemaphore" => Some(Unpicklable { what: format!("a `{q}`"), advice: LOCK }),
        "io.open"
        | "codecs.open"
        | "gzip.open"
        | "bz2.open"
        | "lzma.open"
        | "tempfile.TemporaryFile"
        | "tempfile.NamedTemporaryFile" => found("an open file", FILE),
        "sqlite3.connect" => found("a `sqlite3` connection", DATABASE),
        "asyncio.new_event_loop" | "asyncio.get_event_loop" | "asyncio.get_running_loop" => {
            found("an event loop", LOOP)
        }
        "logging.FileHandler"
        | "logging.StreamHandler"
        | "logging.handlers.RotatingFileHandler"
        | "logging.handlers.TimedRotatingFileHandler" => found("a logging handler", HANDLER),
        _ => None,
    }
}

/// Whether `name` is a function of the file whose body yields: calling it makes a generator.
fn is_generator_function(ctx: &Context, name: &ast::ExprName, scope: ScopeId) -> bool {
    let Some((_, binding)) = ctx.sem.sole_binding(name.id.as_str(), scope) else { return false };
    let BindingKind::FunctionDef(def) = binding.kind else { return false };
    if def.is_async {
        return false;
    }
    let Some(info) = ctx.sem.functions.get(&def.range.start()) else { return false };
    ctx.sem.yields.contains(&info.scope)
}
