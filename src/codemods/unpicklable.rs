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
//!   returns), a `queue.SimpleQueue` (`cannot pickle '_queue.SimpleQueue' object`) and a `multiprocessing`
//!   manager (`Pickling an AuthenticationString object is disallowed`, pickle's error too);
//! - dill pickles: a file from `open`, `io.open`, `codecs.open` or `tempfile.TemporaryFile` (reopened by
//!   name in the child), every `threading` lock, condition, event and semaphore and the thread queues
//!   `queue.Queue`, `LifoQueue`, `PriorityQueue` (a new one in the child),
//!   and logging handlers.

use ruff_python_ast::{self as ast, Expr};

use super::Context;
use crate::pools::api::Makes;
use crate::pools::{Held, PoolKind, Value, makes};
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
    /// A `multiprocessing` manager itself (`Manager()`, `SyncManager()`): its authentication key refuses
    /// pickling. Its proxies (`manager.dict()`) pickle fine.
    Manager,
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
            Object::Manager => "a `multiprocessing` manager".to_string(),
            Object::Generator => "a generator".to_string(),
        }
    }

    /// How to get the same effect in the child.
    pub fn advice(self) -> &'static str {
        match self {
            Object::File => "open it in the worker and pass its path instead",
            Object::Threading(name) if name.starts_with("queue.") => {
                "use a `multiprocessing.Queue()` for a `Process`, a `multiprocessing.Manager().Queue()` for a pool"
            }
            Object::Threading(_) => "create it in an `initializer`, or use a `multiprocessing.Manager()` one",
            Object::SqliteConnection | Object::SqliteCursor => {
                "connect in the worker (pass the database path) or in an `initializer`"
            }
            Object::Generator => "pass a list, or let the worker build the generator",
            Object::EventLoop => "create the event loop in the worker",
            Object::LoggingHandler => "configure logging in the worker or in an `initializer`",
            Object::Pool | Object::Executor => "keep the pool in the parent; hand the worker only the data it needs",
            Object::Manager => "keep the manager in the parent; hand the worker only its proxies (`manager.dict()`)",
        }
    }

    /// A pool or an executor (PF008's concern when `self` holds one).
    pub fn is_pool(self) -> bool {
        matches!(self, Object::Pool | Object::Executor)
    }
}

/// Methods by which a class chooses what pickle sends of its instances.
pub(crate) const CUSTOM_PICKLING: &[&str] = &["__getstate__", "__reduce__", "__reduce_ex__"];

/// The attributes of `self` that hold something pickle refuses, sorted by name. None for a class that
/// chooses what pickle sends (`__getstate__` that drops the pool, `__reduce__`): what is left is not known.
pub(crate) fn unpicklable_attributes<'a>(ctx: &Context<'_, 'a>, class_scope: ScopeId) -> Vec<(&'a str, Object)> {
    let bindings = &ctx.sem.scopes[class_scope].bindings;
    if CUSTOM_PICKLING.iter().any(|method| bindings.contains_key(method)) {
        return Vec::new();
    }
    ctx.resolver
        .instance_attributes(class_scope)
        .into_iter()
        .filter_map(|attr| Some((attr, attribute_object(ctx, class_scope, attr, 0)?.0)))
        .collect()
}

/// What pickle refuses that `self.<attr>` holds: every value that reaches the attribute (assignments in
/// the class's methods, `__init__` parameters from every construction site, dataclass and attrs fields)
/// makes the same object, or is `None`.
fn attribute_object(ctx: &Context, class_scope: ScopeId, attr: &str, depth: u32) -> Option<(Object, bool)> {
    agree(ctx, &ctx.resolver.held_by_attribute(class_scope, attr)?, depth)
}

/// The object every value makes (`None` literals aside: a placeholder before the object is made or
/// after it is closed); nothing when one value makes something else or nothing is made.
fn agree(ctx: &Context, held: &[Held], depth: u32) -> Option<(Object, bool)> {
    let mut found = None;
    for held in held {
        let object = match *held {
            Held::Value(Expr::NoneLiteral(_), _) => continue,
            Held::Value(value, scope) => classify(ctx, value, scope, depth + 1)?,
            Held::Made(factory, scope) => classify_call(ctx, factory, None, scope, depth + 1)?,
        };
        if found.is_some_and(|seen| seen != object) {
            return None;
        }
        found = Some(object);
    }
    found
}

/// What `value` (evaluated in `scope`) makes, when pickle refuses it. Names are followed through one
/// plain assignment or `with ... as` when that is their only binding, parameters to what every call
/// passes, `self.<attr>` to what the class gives it, and calls of the file's functions to what they
/// return.
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
    match value {
        Expr::Generator(_) => Some((Object::Generator, true)),
        Expr::Call(call) => classify_call(ctx, &call.func, Some(call), scope, depth),
        // `self.f`: what every assignment in the class gives it.
        Expr::Attribute(attr) => {
            let Expr::Name(base) = attr.value.as_ref() else { return None };
            let (_, binding) = ctx.sem.sole_binding(base.id.as_str(), scope)?;
            let BindingKind::Parameter { self_of: Some(class_scope) } = binding.kind else { return None };
            attribute_object(ctx, class_scope, attr.attr.id.as_str(), depth)
        }
        // A parameter: what every call of its function passes.
        Expr::Name(name) => agree(ctx, &ctx.resolver.parameter_values(name.id.as_str(), scope)?, depth),
        _ => None,
    }
}

/// What calling `func` makes (with `call`'s arguments, or none for a factory), when pickle refuses it.
fn classify_call(
    ctx: &Context,
    func: &Expr,
    call: Option<&ast::ExprCall>,
    scope: ScopeId,
    depth: u32,
) -> Option<(Object, bool)> {
    if depth > 8 {
        return None;
    }
    let made = match call {
        Some(call) => ctx.resolver.eval_call(call, scope),
        None => match ctx.resolver.eval(func, scope) {
            Value::Qualified(q) => match makes(&q) {
                Some(Makes::Pool(kind)) => Value::Pool(kind),
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        },
    };
    match made {
        Value::Pool(PoolKind::Multiprocessing | PoolKind::Multiprocess | PoolKind::Pathos | PoolKind::Pebble) => {
            return Some((Object::Pool, true));
        }
        Value::Pool(PoolKind::Executor) => return Some((Object::Executor, true)),
        _ => {}
    }
    match func {
        Expr::Name(name) if ctx.sem.lookup(name.id.as_str(), scope).is_none() => {
            // dill reopens a file by name in the child.
            return (name.id.as_str() == "open").then_some((Object::File, false));
        }
        Expr::Name(name) if is_generator_function(ctx, name, scope) => return Some((Object::Generator, true)),
        // A function of the file: what every `return` gives.
        Expr::Name(name) => {
            if let Some((_, binding)) = ctx.sem.sole_binding(name.id.as_str(), scope)
                && let BindingKind::FunctionDef(def) = binding.kind
            {
                return agree(ctx, &ctx.resolver.returned_values(def)?, depth);
            }
        }
        // `conn.cursor()` on a sqlite3 connection.
        Expr::Attribute(attr) if attr.attr.id.as_str() == "cursor" => {
            let (owner, _) = classify(ctx, &attr.value, scope, depth + 1)?;
            return (owner == Object::SqliteConnection).then_some((Object::SqliteCursor, true));
        }
        _ => {}
    }
    let Value::Qualified(q) = ctx.resolver.eval(func, scope) else { return None };
    const THREADING: &[&str] = &[
        "threading.Lock",
        "threading.RLock",
        "threading.Condition",
        "threading.Event",
        "threading.Semaphore",
        "threading.BoundedSemaphore",
        // The thread-safe queues hold a `threading` lock; dill pickles them.
        "queue.Queue",
        "queue.LifoQueue",
        "queue.PriorityQueue",
    ];
    if let Some(name) = THREADING.iter().find(|name| **name == q) {
        // dill makes a new one in the child.
        return Some((Object::Threading(name), false));
    }
    if matches!(crate::pools::multiprocessing_member(&q).as_deref(), Some("Manager"))
        || crate::pools::normalize(&q).0 == "multiprocessing.managers.SyncManager"
    {
        return Some((Object::Manager, true));
    }
    match q.as_str() {
        "io.open" | "codecs.open" | "tempfile.TemporaryFile" => Some((Object::File, false)),
        // dill cannot pickle their compressors; a named temporary file is deleted by the child's copy.
        "gzip.open" | "bz2.open" | "lzma.open" | "tempfile.NamedTemporaryFile" => Some((Object::File, true)),
        "sqlite3.connect" => Some((Object::SqliteConnection, true)),
        // C-implemented, without a lock to rebuild: dill refuses it too.
        "queue.SimpleQueue" => Some((Object::Threading("queue.SimpleQueue"), true)),
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
