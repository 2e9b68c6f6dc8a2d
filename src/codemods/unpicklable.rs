//! What pickle refuses, as far as the code shows it: shared by the codemods that report objects sent to
//! another process (PF003 for `self`, PF005 for task arguments). Sockets are not listed: multiprocessing
//! reduces them, and they reach a child fine.
//!
//! dill (used by `--swap multiprocess` and `--swap pathos`) pickles some of them. Measured with dill 0.4.1
//! and multiprocess 0.70.19 on CPython 3.11 (each object captured by a lambda sent to a `multiprocess`
//! pool, under `spawn` and `fork`; `unpicklable_by_dill` refuses exactly these):
//! - dill refuses: a `sqlite3` connection and cursor (`cannot pickle 'sqlite3.Connection' object`), an
//!   event loop (`cannot pickle 'select.epoll' object`), a `Pool` of any package (`pool objects cannot be
//!   passed between processes or pickled`), a `ProcessPoolExecutor` (`_SafeQueue objects should only be
//!   shared between processes through inheritance`), a generator (`cannot pickle 'generator' object`), a
//!   file from `gzip.open`, `bz2.open` or `lzma.open` (`cannot pickle 'zlib.Compress' object`), and a
//!   `tempfile.NamedTemporaryFile` (pickled, but the worker's copy deletes the file and the task never
//!   returns);
//! - dill pickles: a file from `open`, `io.open`, `codecs.open` or `tempfile.TemporaryFile` (reopened by
//!   name in the child), every `threading` lock, condition, event and semaphore (a new one in the child),
//!   and logging handlers.

use ruff_python_ast::{self as ast, Expr};

use super::Context;
use crate::pools::{PoolKind, Value};
use crate::semantic::{BindingKind, ScopeId};

/// An object pickle refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    File,
    /// A `threading` lock, condition, event or semaphore, by qualified name (`threading.Lock`).
    Threading(&'static str),
    SqliteConnection,
    SqliteCursor,
    EventLoop,
    LoggingHandler,
    /// A `Pool` of `multiprocessing`, `multiprocess` or pathos.
    Pool,
    Executor,
    Generator,
}

impl Object {
    /// How a message names it: "an open file", "a `threading.Lock`".
    pub fn what(self) -> String {
        match self {
            Object::File => "an open file".to_string(),
            Object::Threading(name) => format!("a `{name}`"),
            Object::SqliteConnection => "a `sqlite3` connection".to_string(),
            Object::SqliteCursor => "a `sqlite3` cursor".to_string(),
            Object::EventLoop => "an event loop".to_string(),
            Object::LoggingHandler => "a logging handler".to_string(),
            Object::Pool => "a `Pool`".to_string(),
            Object::Executor => "a `ProcessPoolExecutor`".to_string(),
            Object::Generator => "a generator".to_string(),
        }
    }

    /// How to get the same effect in the child.
    pub fn advice(self) -> &'static str {
        match self {
            Object::File => "open it in the worker and pass its path instead",
            Object::Threading(_) => "create it in an `initializer`, or use a `multiprocessing.Manager()` one",
            Object::SqliteConnection | Object::SqliteCursor => {
                "connect in the worker (pass the database path) or in an `initializer`"
            }
            Object::Generator => "pass a list, or let the worker build the generator",
            Object::EventLoop => "create the event loop in the worker",
            Object::LoggingHandler => "configure logging in the worker or in an `initializer`",
            Object::Pool | Object::Executor => "keep the pool in the parent; hand the worker only the data it needs",
        }
    }

    /// A pool or an executor (PF008's concern when `self` holds one).
    pub fn is_pool(self) -> bool {
        matches!(self, Object::Pool | Object::Executor)
    }
}

/// Methods by which a class chooses what pickle sends of its instances.
const CUSTOM_PICKLING: &[&str] = &["__getstate__", "__reduce__", "__reduce_ex__"];

/// The attributes of `self` that a class assigns from something pickle refuses, sorted by name. None for
/// a class that chooses what pickle sends (`__getstate__` that drops the pool, `__reduce__`): what is
/// left is not known.
pub(crate) fn unpicklable_attributes<'a>(ctx: &Context<'_, 'a>, class_scope: ScopeId) -> Vec<(&'a str, Object)> {
    let bindings = &ctx.sem.scopes[class_scope].bindings;
    if CUSTOM_PICKLING.iter().any(|method| bindings.contains_key(method)) {
        return Vec::new();
    }
    let mut holders: Vec<(&'a str, Object)> = ctx
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

/// What `value` (evaluated in `scope`) makes, when pickle refuses it. Names are followed through one
/// plain assignment or `with ... as` when that is their only binding.
pub(crate) fn unpicklable(ctx: &Context, value: &Expr, scope: ScopeId) -> Option<Object> {
    classify(ctx, value, scope, 0).map(|(object, _)| object)
}

/// What `value` makes, when dill refuses it too (the measured list in the module docs).
pub(crate) fn unpicklable_by_dill(ctx: &Context, value: &Expr, scope: ScopeId) -> Option<Object> {
    classify(ctx, value, scope, 0).and_then(|(object, dill_refuses)| dill_refuses.then_some(object))
}

/// What `value` makes, when pickle refuses it, and whether dill refuses it too.
fn classify(ctx: &Context, value: &Expr, scope: ScopeId, depth: u32) -> Option<(Object, bool)> {
    if depth > 8 {
        return None;
    }
    let (value, scope) = ctx.sem.follow(value, scope, true);
    let call = match value {
        Expr::Generator(_) => return Some((Object::Generator, true)),
        Expr::Call(call) => call,
        _ => return None,
    };
    match ctx.resolver.eval_call(call, scope) {
        Value::Pool(PoolKind::Multiprocessing | PoolKind::Multiprocess | PoolKind::Pathos | PoolKind::Pebble) => {
            return Some((Object::Pool, true));
        }
        Value::Pool(PoolKind::Executor) => return Some((Object::Executor, true)),
        _ => {}
    }
    match call.func.as_ref() {
        Expr::Name(name) if ctx.sem.lookup(name.id.as_str(), scope).is_none() => {
            // dill reopens a file by name in the child.
            return (name.id.as_str() == "open").then_some((Object::File, false));
        }
        Expr::Name(name) if is_generator_function(ctx, name, scope) => return Some((Object::Generator, true)),
        // `conn.cursor()` on a sqlite3 connection.
        Expr::Attribute(attr) if attr.attr.id.as_str() == "cursor" => {
            let (owner, _) = classify(ctx, &attr.value, scope, depth + 1)?;
            return (owner == Object::SqliteConnection).then_some((Object::SqliteCursor, true));
        }
        _ => {}
    }
    let Value::Qualified(q) = ctx.resolver.eval(&call.func, scope) else { return None };
    const THREADING: &[&str] = &[
        "threading.Lock",
        "threading.RLock",
        "threading.Condition",
        "threading.Event",
        "threading.Semaphore",
        "threading.BoundedSemaphore",
    ];
    if let Some(name) = THREADING.iter().find(|name| **name == q) {
        // dill makes a new one in the child.
        return Some((Object::Threading(name), false));
    }
    match q.as_str() {
        "io.open" | "codecs.open" | "tempfile.TemporaryFile" => Some((Object::File, false)),
        // dill cannot pickle their compressors; a named temporary file is deleted by the child's copy.
        "gzip.open" | "bz2.open" | "lzma.open" | "tempfile.NamedTemporaryFile" => Some((Object::File, true)),
        "sqlite3.connect" => Some((Object::SqliteConnection, true)),
        "asyncio.new_event_loop" | "asyncio.get_event_loop" | "asyncio.get_running_loop" => {
            Some((Object::EventLoop, true))
        }
        "logging.FileHandler"
        | "logging.StreamHandler"
        | "logging.handlers.RotatingFileHandler"
        | "logging.handlers.TimedRotatingFileHandler" => Some((Object::LoggingHandler, false)),
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
