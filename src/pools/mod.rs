//! Knowing what a process pool is, and which calls hand a callable to one.
//!
//! Every finding depends on this module, so it errs on the side of silence: a receiver is a process pool
//! only when its value can be followed, through imports, aliases, assignments, `with ... as`, contexts and
//! `self.<attr>`, to a constructor that really starts processes. Thread pools
//! (`multiprocessing.dummy`, `multiprocessing.pool.ThreadPool`, `ThreadPoolExecutor`), builtin `map`,
//! pandas or Spark `.map` and anything that cannot be followed are never sinks.
//!
//! What each API looks like (constructors, methods, which argument is the callable and which are task
//! data) is in the table of [`api`]; this module follows values to it. `torch.multiprocessing` is
//! `multiprocessing` under another name (its pools pickle with pickle); tqdm's `process_map(fn, ...)` is
//! a sink by itself. Pools that pickle with cloudpickle or dill by design (joblib, loky, dask) are not
//! in the table: their lambdas work.

pub mod api;
mod held;
mod started;
mod tasks;

use ruff_python_ast::{self as ast, Expr, Stmt};

use ruff_text_size::TextRange;

use crate::semantic::{BindingKind, ScopeId, ScopeKind, Semantic};
use api::Makes;
pub use held::Held;
pub use tasks::{CallShape, call_shape, receiver, task_arguments, task_data};

/// What an expression evaluates to, as far as pickfix can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Unknown,
    /// A module or an object reached through imports, by its qualified name (`multiprocessing.Pool`).
    Qualified(String),
    /// An instance of a process pool.
    Pool(PoolKind),
    /// A `multiprocessing.Process`; `true` when it comes from an explicit `fork` context.
    Process(bool),
    /// A pathos map that makes a process pool of this kind each time it is called
    /// (`pathos.maps.Imap(ProcessPool)`).
    ProcessMap(PoolKind),
    /// `None`: a name that is a pool or `None` (`pool = Pool(n) if n > 1 else None`) is a pool wherever
    /// a pool method is called on it (on `None` the call would fail).
    None,
}

impl Value {
    /// What a name is when it may hold either value: the same value, or a pool where the other is
    /// `None`; otherwise unknown.
    fn or(self, other: Value) -> Value {
        match (self, other) {
            (a, b) if a == b => a,
            (Value::None, pool @ Value::Pool(_)) | (pool @ Value::Pool(_), Value::None) => pool,
            _ => Value::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolKind {
    /// `multiprocessing.Pool` (also from a context).
    Multiprocessing,
    /// `concurrent.futures.ProcessPoolExecutor`.
    Executor,
    /// `multiprocess.Pool`: `multiprocessing`'s API, tasks pickled with dill.
    Multiprocess,
    /// `pathos.multiprocessing.ProcessingPool`: `map`/`amap`/`imap`/`uimap`/`pipe`/`apipe`, with dill.
    Pathos,
    /// `pebble.ProcessPool`: `schedule`/`map`/`submit`, with pickle; workers start on the first task.
    Pebble,
}

impl PoolKind {
    /// Whether the pool pickles its tasks with dill, which handles lambdas, closures and local classes.
    pub fn dill(self) -> bool {
        api::pool(self).dill
    }
}

/// The ways a callable reaches a child process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkKind {
    /// `pool.map(f, ...)` and friends; the string is the method name.
    PoolMethod(PoolKind, &'static str),
    /// `loop.run_in_executor(<process pool>, f)`.
    RunInExecutor,
    /// `Pool(initializer=f)` or `ProcessPoolExecutor(initializer=f)`.
    Initializer(PoolKind),
    /// `Process(target=f)`.
    ProcessTarget,
    /// `process_map(f, ...)`: a function that makes a process pool and hands it `f`.
    PoolFunction(&'static api::PoolFunction),
}

impl SinkKind {
    /// How the sink reads in a message: `Pool.map`, `Process(target=...)`.
    pub fn describe(self) -> String {
        match self {
            SinkKind::PoolMethod(kind, method) => format!("{}.{method}", api::pool(kind).display),
            SinkKind::RunInExecutor => api::RUN_IN_EXECUTOR.method.to_string(),
            SinkKind::Initializer(kind) => format!("{}(initializer=...)", api::pool(kind).display),
            SinkKind::ProcessTarget => "Process(target=...)".to_string(),
            SinkKind::PoolFunction(function) => function.display.to_string(),
        }
    }

    /// A short word for generated names: `map`, `submit`, `target`.
    pub fn slug(self) -> &'static str {
        match self {
            SinkKind::PoolMethod(_, method) => method,
            SinkKind::RunInExecutor => "executor",
            SinkKind::Initializer(_) => "initializer",
            SinkKind::ProcessTarget => "target",
            SinkKind::PoolFunction(function) => function.display,
        }
    }
}

/// The names `from <module> import *` binds, for the modules whose `__all__` pickfix knows (the same on
/// CPython 3.8 to 3.13, `InvalidStateError` from 3.8.? on).
pub fn star_exports(module: &str) -> Option<&'static [&'static str]> {
    const MULTIPROCESSING: &[&str] = &[
        "Array",
        "AuthenticationError",
        "Barrier",
        "BoundedSemaphore",
        "BufferTooShort",
        "Condition",
        "Event",
        "JoinableQueue",
        "Lock",
        "Manager",
        "Pipe",
        "Pool",
        "Process",
        "ProcessError",
        "Queue",
        "RLock",
        "RawArray",
        "RawValue",
        "Semaphore",
        "SimpleQueue",
        "TimeoutError",
        "Value",
        "active_children",
        "allow_connection_pickling",
        "cpu_count",
        "current_process",
        "freeze_support",
        "get_all_start_methods",
        "get_context",
        "get_logger",
        "get_start_method",
        "log_to_stderr",
        "parent_process",
        "reducer",
        "set_executable",
        "set_forkserver_preload",
        "set_start_method",
    ];
    const FUTURES: &[&str] = &[
        "ALL_COMPLETED",
        "BrokenExecutor",
        "CancelledError",
        "Executor",
        "FIRST_COMPLETED",
        "FIRST_EXCEPTION",
        "Future",
        "InvalidStateError",
        "ProcessPoolExecutor",
        "ThreadPoolExecutor",
        "TimeoutError",
        "as_completed",
        "wait",
    ];
    // Every name of 3.8 to 3.13 (3.12 added the `_all_threads` ones).
    const THREADING: &[&str] = &[
        "Barrier",
        "BoundedSemaphore",
        "BrokenBarrierError",
        "Condition",
        "Event",
        "ExceptHookArgs",
        "Lock",
        "RLock",
        "Semaphore",
        "TIMEOUT_MAX",
        "Thread",
        "ThreadError",
        "Timer",
        "active_count",
        "current_thread",
        "enumerate",
        "excepthook",
        "get_ident",
        "get_native_id",
        "getprofile",
        "gettrace",
        "local",
        "main_thread",
        "setprofile",
        "setprofile_all_threads",
        "settrace",
        "settrace_all_threads",
        "stack_size",
    ];
    match module {
        "multiprocessing" => Some(MULTIPROCESSING),
        "concurrent.futures" => Some(FUTURES),
        "threading" => Some(THREADING),
        _ => None,
    }
}

/// A call that pickles one of its arguments to run it in another process.
#[derive(Debug, Clone, Copy)]
pub struct Sink<'a> {
    pub kind: SinkKind,
    pub call: &'a ast::ExprCall,
    /// The argument that is pickled.
    pub callable: &'a Expr,
    pub scope: ScopeId,
    pub top: usize,
    /// The callable and the task data are pickled with dill (`multiprocess`, `pathos`), not pickle.
    pub dill: bool,
}

/// A `fork` context reached through `get_context("fork")` evaluates to this pseudo-module: its `Pool` and
/// `Process` behave like the module's, except that nothing but tasks is pickled.
pub const FORK_CONTEXT: &str = "multiprocessing.<fork context>";

/// The same for `multiprocess`, the dill-based fork of `multiprocessing`.
pub const DILL_FORK_CONTEXT: &str = "multiprocess.<fork context>";

/// What a qualified name names, once `multiprocess`, `torch.multiprocessing` and the fork contexts are
/// brought back to `multiprocessing`: the name, whether it comes from an explicit `fork` context, and
/// whether it is `multiprocess`'s (dill) rather than one that pickles with pickle.
pub fn normalize(qualified: &str) -> (String, bool, bool) {
    let (name, fork, alias) = normalized(qualified);
    (name, fork, alias.is_some_and(|alias| alias.dill))
}

/// The member of the `multiprocessing` module a qualified name names, also through `multiprocess` or a
/// context (`mp.get_context("spawn").Queue` → `Queue`).
pub fn multiprocessing_member(qualified: &str) -> Option<String> {
    let (name, _, _) = normalize(qualified);
    let member = name.strip_prefix("multiprocessing.")?;
    (!member.contains('.')).then(|| member.to_string())
}

/// Whether a `multiprocessing` object made by this member carries changes between processes: a queue, or
/// shared memory (`Value`, `Array`). A manager's proxies (`Manager().list()`) do too.
pub fn is_channel_member(member: &str) -> bool {
    matches!(member, "Queue" | "JoinableQueue" | "SimpleQueue" | "Value" | "Array")
}

/// The package whose `Manager()` makes the proxies a pool can send: `multiprocess`'s for the pools that
/// pickle with dill (`multiprocess`, pathos), `multiprocessing`'s otherwise.
pub fn manager_package(dill: bool) -> &'static str {
    if dill { "multiprocess" } else { "multiprocessing" }
}

/// [`normalize`], with the alias (`multiprocess`, `torch.multiprocessing`) the name was reached through.
fn normalized(qualified: &str) -> (String, bool, Option<&'static api::Alias>) {
    let rest_after = |name: &'_ str, module: &str| -> Option<String> {
        let rest = name.strip_prefix(module)?;
        (rest.is_empty() || rest.starts_with('.')).then(|| rest.to_string())
    };
    let aliased = api::ALIASES
        .iter()
        .find_map(|alias| Some((format!("{}{}", alias.same_as, rest_after(qualified, alias.root)?), alias)));
    let (name, alias) = match aliased {
        Some((name, alias)) => (name, Some(alias)),
        None => (qualified.to_string(), None),
    };
    match rest_after(&name, FORK_CONTEXT) {
        Some(rest) => (format!("multiprocessing{rest}"), true, alias),
        None => (name, false, alias),
    }
}

/// What the constructor a qualified name stands for makes, whether it comes from an explicit `fork`
/// context, and whether it pickles with dill.
fn constructor(qualified: &str) -> Option<(Makes, bool, bool)> {
    let (name, fork, alias) = normalized(qualified);
    let (_, makes) = api::CONSTRUCTORS.iter().find(|(names, _)| names.contains(&name.as_str()))?;
    let makes = match (makes, alias) {
        (Makes::Pool(_), Some(alias)) => Makes::Pool(alias.pools),
        _ => *makes,
    };
    Some((makes, fork, alias.is_some_and(|alias| alias.dill)))
}

/// What the constructor with this qualified name makes, if it is one of the table's.
pub fn makes(qualified: &str) -> Option<api::Makes> {
    constructor(qualified).map(|(makes, _, _)| makes)
}

/// Whether `get_context(...)` names the `fork` start method.
fn is_fork_method(call: &ast::ExprCall) -> bool {
    matches!(
        api::CONTEXT_METHOD.find(&call.arguments),
        Some(Expr::StringLiteral(method)) if method.value.to_str() == "fork"
    )
}

const MAX_DEPTH: u32 = 24;

/// Evaluates expressions of one module.
pub struct Resolver<'s, 'a> {
    pub sem: &'s Semantic<'a>,
}

impl<'a> Resolver<'_, 'a> {
    pub fn new<'s>(sem: &'s Semantic<'a>) -> Resolver<'s, 'a> {
        Resolver { sem }
    }

    pub fn eval(&self, expr: &Expr, scope: ScopeId) -> Value {
        self.eval_at(expr, scope, 0)
    }

    fn eval_at(&self, expr: &Expr, scope: ScopeId, depth: u32) -> Value {
        if depth > MAX_DEPTH {
            return Value::Unknown;
        }
        match expr {
            Expr::Name(name) => self.eval_read(name.id.as_str(), scope, depth, Some(name.range)),
            Expr::Attribute(attr) => {
                if let Expr::Name(base) = attr.value.as_ref()
                    && let Some(value) = self.eval_self_attr(base.id.as_str(), attr.attr.id.as_str(), scope, depth)
                {
                    return value;
                }
                match self.eval_at(&attr.value, scope, depth + 1) {
                    Value::Qualified(base) => Value::Qualified(format!("{base}.{}", attr.attr.id)),
                    _ => Value::Unknown,
                }
            }
            Expr::Call(call) => self.eval_call_at(call, scope, depth),
            Expr::NoneLiteral(_) => Value::None,
            Expr::If(if_expr) => {
                self.eval_at(&if_expr.body, scope, depth + 1).or(self.eval_at(&if_expr.orelse, scope, depth + 1))
            }
            _ => Value::Unknown,
        }
    }

    /// What a call returns: a pool, a process, or a `multiprocessing` context.
    pub fn eval_call(&self, call: &ast::ExprCall, scope: ScopeId) -> Value {
        self.eval_call_at(call, scope, 0)
    }

    fn eval_call_at(&self, call: &ast::ExprCall, scope: ScopeId, depth: u32) -> Value {
        if let Expr::Name(function) = call.func.as_ref()
            && let Some(pool @ Value::Pool(_)) = self.returned_value(function.id.as_str(), scope, depth)
        {
            return pool;
        }
        let Value::Qualified(q) = self.eval_at(&call.func, scope, depth + 1) else {
            return Value::Unknown;
        };
        match constructor(&q) {
            Some((Makes::Pool(kind), _, _)) => Value::Pool(kind),
            Some((Makes::Process, fork, _)) => Value::Process(fork),
            Some((Makes::LazyMap, _, _)) => {
                let Some(pool) = api::LAZY_MAP_POOL.find(&call.arguments) else { return Value::Unknown };
                match self.eval_at(pool, scope, depth + 1) {
                    Value::Qualified(class) => match constructor(&class) {
                        Some((Makes::Pool(kind), false, _)) => Value::ProcessMap(kind),
                        _ => Value::Unknown,
                    },
                    _ => Value::Unknown,
                }
            }
            Some((Makes::Context, _, dill)) => {
                let context = match (is_fork_method(call), dill) {
                    (true, false) => FORK_CONTEXT,
                    (true, true) => DILL_FORK_CONTEXT,
                    (false, false) => "multiprocessing",
                    (false, true) => "multiprocess",
                };
                Value::Qualified(context.to_string())
            }
            None => Value::Unknown,
        }
    }

    /// The value of `name` read in `scope`: known only when all of its bindings agree (a pool where the
    /// others are `None`).
    pub fn eval_name(&self, name: &str, scope: ScopeId, depth: u32) -> Value {
        self.eval_read(name, scope, depth, None)
    }

    /// [`Resolver::eval_name`] for a read at `read`: when every binding is known but they disagree
    /// (`ctx = get_context("spawn")`, later `ctx = get_context("fork")`), the value of the one binding the
    /// read surely sees, if there is one ([`Semantic::dominating_binding`]).
    fn eval_read(&self, name: &str, scope: ScopeId, depth: u32, read: Option<TextRange>) -> Value {
        let Some(bound_in) = self.sem.lookup(name, scope) else {
            return self.star_imported(name);
        };
        let bindings = self.sem.bindings(name, bound_in);
        // Disagreeing bindings are worth evaluating to the end only when a dominating one may settle the
        // read; otherwise stop at the first disagreement (names rebound many times stay cheap).
        let may_settle = read.is_some() && bound_in == scope && bindings.len() > 1;
        let mut values = Vec::with_capacity(bindings.len());
        let mut merged: Option<Value> = None;
        for binding in bindings {
            let value = self.eval_binding(binding, bound_in, depth);
            if value == Value::Unknown {
                return Value::Unknown;
            }
            let next = merged.map_or(value.clone(), |seen| seen.or(value.clone()));
            if next == Value::Unknown && !may_settle {
                return Value::Unknown;
            }
            merged = Some(next);
            values.push(value);
        }
        let merged = merged.unwrap_or(Value::Unknown);
        match read {
            Some(read) if merged == Value::Unknown && bound_in == scope => {
                let Some(seen) = self.sem.dominating_binding(name, bound_in, read) else { return Value::Unknown };
                bindings.iter().position(|b| std::ptr::eq(b, seen)).map_or(Value::Unknown, |i| values[i].clone())
            }
            _ => merged,
        }
    }

    /// A name no statement binds, that a known `from multiprocessing import *` (or `concurrent.futures`,
    /// `threading`) at module level binds: `Pool` is `multiprocessing.Pool`. Unknown when two of them bind
    /// it (which one wins depends on their order) or none does.
    fn star_imported(&self, name: &str) -> Value {
        let mut providers = Vec::new();
        for stmt in self.sem.body {
            let Stmt::ImportFrom(from) = stmt else { continue };
            if !from.names.iter().any(|alias| &alias.name == "*") {
                continue;
            }
            // A star import of another module (`multiprocessing.dummy`) may bind the name too.
            let Some(exports) = from.module.as_ref().filter(|_| from.level == 0).and_then(|m| star_exports(m.as_str()))
            else {
                return Value::Unknown;
            };
            if exports.contains(&name) {
                providers.push(from.module.as_ref().map_or("", |m| m.as_str()));
            }
        }
        providers.dedup();
        match providers.as_slice() {
            [module] => Value::Qualified(format!("{module}.{name}")),
            _ => Value::Unknown,
        }
    }

    /// The value one binding (made in `bound_in`) gives its name.
    fn eval_binding(&self, binding: &crate::semantic::Binding, bound_in: ScopeId, depth: u32) -> Value {
        match binding.kind {
            BindingKind::Import | BindingKind::FromImport => {
                binding.qualified.clone().map_or(Value::Unknown, Value::Qualified)
            }
            BindingKind::Assign(value) => self.eval_at(value, bound_in, depth + 1),
            BindingKind::Parameter { .. } => match self.annotated_parameter(binding.range, bound_in, depth) {
                Value::Unknown => self.passed_parameter(binding.range, bound_in, depth),
                known => known,
            },
            // `__enter__` of a pool or an executor returns the pool itself.
            BindingKind::With(value) => match self.eval_at(value, bound_in, depth + 1) {
                pool @ Value::Pool(_) => pool,
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        }
    }

    /// A parameter (its name at `name`, of the function whose scope is `scope`) annotated with a
    /// process-pool class: `pool: Pool`, `Optional[ProcessPoolExecutor]`, `Pool | None`.
    fn annotated_parameter(&self, name: TextRange, scope: ScopeId, depth: u32) -> Value {
        let ScopeKind::Function(def) = self.sem.scopes[scope].kind else { return Value::Unknown };
        let Some(parent) = self.sem.scopes[scope].parent else { return Value::Unknown };
        let annotation = def
            .parameters
            .iter_non_variadic_params()
            .map(|p| &p.parameter)
            .find(|p| p.name.range == name)
            .and_then(|p| p.annotation.as_deref());
        annotation.map_or(Value::Unknown, |annotation| self.eval_annotation(annotation, parent, depth + 1))
    }

    /// What a call of the same file's function `name` returns: known when every `return` agrees (a pool
    /// where the others return `None`). Only a plain `def`: no decorator (it may wrap the result), not
    /// `async` (a coroutine), not a generator.
    fn returned_value(&self, name: &str, scope: ScopeId, depth: u32) -> Option<Value> {
        let (_, binding) = self.sem.sole_binding(name, scope)?;
        let BindingKind::FunctionDef(def) = binding.kind else { return None };
        if !def.decorator_list.is_empty() {
            return None;
        }
        self.agree(&self.returned_values(def)?, depth)
    }

    /// A parameter (its name at `name`, of the function whose scope is `scope`) to which every call of
    /// its function in this file passes a process pool (or `None`): see [`Resolver::parameter_values`]
    /// (the function must only be called). Not for a decorated function, whose calls reach the wrapper.
    fn passed_parameter(&self, name: TextRange, scope: ScopeId, depth: u32) -> Value {
        let ScopeKind::Function(def) = self.sem.scopes[scope].kind else { return Value::Unknown };
        let Some(parameter) = def.parameters.iter_non_variadic_params().find(|p| p.parameter.name.range == name) else {
            return Value::Unknown;
        };
        if !def.decorator_list.is_empty() {
            return Value::Unknown;
        }
        let values = self.parameter_values(parameter.parameter.name.id.as_str(), scope);
        match values.and_then(|values| self.agree(&values, depth)) {
            Some(pool @ Value::Pool(_)) => pool,
            _ => Value::Unknown,
        }
    }

    /// The one value all of `held` evaluate to (a pool where the others are `None`), if any.
    fn agree(&self, held: &[held::Held<'a>], depth: u32) -> Option<Value> {
        let mut result = Value::None;
        for held in held {
            let value = match *held {
                held::Held::Value(value, scope) => self.eval_at(value, scope, depth + 1),
                held::Held::Made(..) => Value::Unknown,
            };
            result = result.or(value);
            if result == Value::Unknown {
                return None;
            }
        }
        Some(result)
    }

    fn eval_annotation(&self, annotation: &Expr, scope: ScopeId, depth: u32) -> Value {
        if depth > MAX_DEPTH {
            return Value::Unknown;
        }
        match annotation {
            Expr::NoneLiteral(_) => Value::None,
            Expr::BinOp(ast::ExprBinOp { left, op: ast::Operator::BitOr, right, .. }) => {
                self.eval_annotation(left, scope, depth + 1).or(self.eval_annotation(right, scope, depth + 1))
            }
            Expr::Subscript(sub)
                if self.eval_at(&sub.value, scope, depth + 1) == Value::Qualified("typing.Optional".to_string()) =>
            {
                self.eval_annotation(&sub.slice, scope, depth + 1).or(Value::None)
            }
            class => match self.eval_at(class, scope, depth + 1) {
                Value::Qualified(q) => match constructor(&q) {
                    Some((Makes::Pool(kind), false, _)) => Value::Pool(kind),
                    _ => Value::Unknown,
                },
                _ => Value::Unknown,
            },
        }
    }

    /// `self.<attr>` inside a method: known when every `self.<attr> = ...` in the class agrees.
    fn eval_self_attr(&self, base: &str, attr: &str, scope: ScopeId, depth: u32) -> Option<Value> {
        let bound_in = self.sem.lookup(base, scope)?;
        let class = self.sem.bindings(base, bound_in).iter().find_map(|b| match b.kind {
            BindingKind::Parameter { self_of } => self_of,
            _ => None,
        })?;
        let Some(assignments) = self.sem.self_attrs.get(&(class, attr)) else {
            return Some(Value::Unknown);
        };
        let mut result: Option<Value> = None;
        for (value, method_scope) in assignments {
            let value = value.map_or(Value::Unknown, |v| self.eval_at(v, *method_scope, depth + 1));
            let merged = match result.take() {
                Some(seen) => seen.or(value),
                None => value,
            };
            if merged == Value::Unknown {
                return Some(Value::Unknown);
            }
            result = Some(merged);
        }
        Some(result.unwrap_or(Value::Unknown))
    }

    /// Every call of the module that hands a callable to a process.
    pub fn sinks(&self) -> Vec<Sink<'a>> {
        let mut sinks = Vec::new();
        for site in &self.sem.calls {
            let call = site.call;
            let found = self.sink_of(call, site.scope);
            if let Some((kind, callable, dill)) = found {
                sinks.push(Sink { kind, call, callable, scope: site.scope, top: site.top, dill });
            }
        }
        sinks
    }

    fn sink_of(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<(SinkKind, &'a Expr, bool)> {
        // Cheap syntactic filter first: a method name that is a sink, or a call of a constructor.
        if let Expr::Attribute(attr) = call.func.as_ref() {
            let method = attr.attr.id.as_str();
            let forwarder = api::RUN_IN_EXECUTOR;
            if method == forwarder.method {
                let executor = forwarder.pool.find(&call.arguments)?;
                if self.eval(executor, scope) == Value::Pool(forwarder.kind) {
                    let callable = forwarder.callable.find(&call.arguments)?;
                    return Some((SinkKind::RunInExecutor, callable, false));
                }
                return None;
            }
            if api::is_pool_method(method) {
                let Value::Pool(kind) = self.eval(&attr.value, scope) else { return None };
                let pool = api::pool(kind);
                let method = pool.method(method)?;
                let callable = pool.callable.find(&call.arguments)?;
                return Some((SinkKind::PoolMethod(kind, method.name), callable, pool.dill));
            }
        }
        let Value::Qualified(q) = self.eval(&call.func, scope) else {
            return None;
        };
        if let Some(function) = api::pool_function(&q) {
            let callable = function.callable.find(&call.arguments)?;
            return Some((SinkKind::PoolFunction(function), callable, false));
        }
        // Under an explicit `fork` context a child starts as a copy of the parent: its target and its
        // initializer are never pickled.
        let (makes, fork, dill) = constructor(&q)?;
        match makes {
            Makes::Pool(kind) => {
                let pool = api::pool(kind);
                let context = pool.context.and_then(|context| context.find(&call.arguments));
                if fork || context.is_some_and(|c| self.eval(c, scope) == Value::Qualified(FORK_CONTEXT.to_string())) {
                    return None;
                }
                let callable = pool.initializer.find(&call.arguments)?;
                Some((SinkKind::Initializer(kind), callable, pool.dill))
            }
            Makes::Process if !fork => {
                let callable = api::PROCESS_TARGET.find(&call.arguments)?;
                Some((SinkKind::ProcessTarget, callable, dill))
            }
            _ => None,
        }
    }

    /// The callable wrapped by `functools.partial(callable, ...)` (`expr` as seen from `scope`): what
    /// is really pickled when the partial is.
    pub fn partial_target<'e>(&self, expr: &'e Expr, scope: ScopeId) -> Option<&'e Expr> {
        let Expr::Call(call) = expr else { return None };
        if self.eval(&call.func, scope) != Value::Qualified("functools.partial".to_string()) {
            return None;
        }
        call.arguments.args.first().filter(|arg| !arg.is_starred_expr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::Semantic;

    /// The sinks of `src`, as `kind: callable source`.
    fn sinks(src: &str) -> Vec<String> {
        use ruff_text_size::Ranged;
        let parsed = crate::source::parse(src).unwrap();
        let sem = Semantic::build(parsed.suite());
        let resolver = Resolver::new(&sem);
        resolver
            .sinks()
            .iter()
            .map(|sink| format!("{}: {}", sink.kind.describe(), &src[sink.callable.range()]))
            .collect()
    }

    #[test]
    fn a_pool_or_none_and_an_annotated_parameter_are_the_pool() {
        let m = "import multiprocessing as mp\nfrom concurrent.futures import ThreadPoolExecutor as T\n";
        let cases: &[(&str, &[&str])] = &[
            ("p = mp.Pool(2) if n > 1 else None\np.map(f, x)", &["Pool.map: f"]),
            ("p = None\np = mp.Pool(2)\np.map(f, x)", &["Pool.map: f"]),
            (
                "class C:\n    def __init__(self):\n        self.p = None\n    def go(self):\n        self.p = mp.Pool()\n        self.p.map(f, x)",
                &["Pool.map: f"],
            ),
            // A thread pool or something unknown on the other side: silent.
            ("p = mp.Pool(2) if n > 1 else T(2)\np.map(f, x)", &[]),
            ("p = mp.Pool(2) if n > 1 else make()\np.map(f, x)", &[]),
            ("p = None\np.map(f, x)", &[]),
            // Parameters annotated with a process-pool class, also optional ones.
            ("from multiprocessing.pool import Pool\ndef run(p: Pool):\n    p.map(f, x)", &["Pool.map: f"]),
            (
                "from typing import Optional\nfrom concurrent.futures import ProcessPoolExecutor as E\ndef run(e: Optional[E] = None):\n    e.submit(f)",
                &["ProcessPoolExecutor.submit: f"],
            ),
            ("def run(p: mp.Pool | None):\n    p.map(f, x)", &["Pool.map: f"]),
            ("def run(p: T, q: 'mp.Pool', r):\n    p.map(f, x)\n    q.map(f, x)\n    r.map(f, x)", &[]),
        ];
        for (src, expected) in cases {
            let src = format!("{m}{src}");
            assert_eq!(sinks(&src), *expected, "in:\n{src}");
        }
    }

    #[test]
    fn pools_returned_by_functions_and_passed_by_every_caller_are_the_pool() {
        let m = "import multiprocessing as mp\nfrom multiprocessing.pool import ThreadPool as T\n";
        let cases: &[(&str, &[&str])] = &[
            ("def make():\n    return mp.Pool(4)\nmake().map(f, x)", &["Pool.map: f"]),
            (
                "def make(n):\n    if n < 2:\n        return None\n    p = mp.Pool(n)\n    return p\nwith make(4) as p:\n    p.map(f, x)",
                &["Pool.map: f"],
            ),
            (
                "def run(pool, xs):\n    return pool.map(f, xs)\nrun(mp.Pool(), [1])\nwith mp.Pool() as p:\n    run(p, xs=[2])",
                &["Pool.map: f"],
            ),
            (
                "def run(xs, pool=None):\n    return pool.map(f, xs)\ndef main():\n    run([1], pool=mp.Pool())",
                &["Pool.map: f"],
            ),
            // A thread pool anywhere, something unknown, or a name read other than by a call: silent.
            ("def make(n):\n    return mp.Pool(n) if n else T(2)\nmake(2).map(f, x)", &[]),
            ("import functools\n@functools.lru_cache\ndef make():\n    return mp.Pool(4)\nmake().map(f, x)", &[]),
            ("def make():\n    yield mp.Pool(4)\nmake().map(f, x)", &[]),
            ("def run(pool):\n    pool.map(f, x)\nrun(mp.Pool())\nrun(T())", &[]),
            ("def run(pool):\n    pool.map(f, x)\nrun(mp.Pool())\ncallbacks = [run]", &[]),
            ("def run(pool):\n    pool.map(f, x)", &[]),
            ("def run(pool):\n    pool.map(f, x)\nrun(*[mp.Pool()])", &[]),
            ("def run(pool=T()):\n    pool.map(f, x)\nrun(mp.Pool())\nrun()", &[]),
            ("class C:\n    def run(self, pool):\n        pool.map(f, x)\nC().run(mp.Pool())", &[]),
        ];
        for (src, expected) in cases {
            let src = format!("{m}{src}");
            assert_eq!(sinks(&src), *expected, "in:\n{src}");
        }
    }

    #[test]
    fn a_read_sees_the_binding_that_surely_runs_before_it() {
        let m = "import multiprocessing as mp\ndef f(c, x):\n    ctx = mp.get_context('spawn')\n";
        let cases: &[(&str, &[&str])] = &[
            (
                "    ctx.Process(target=g)\n    ctx = mp.get_context('fork')\n    ctx.Process(target=h)",
                &["Process(target=...): g"],
            ),
            (
                "    for i in x:\n        ctx.Process(target=g)\n    if c:\n        ctx = mp.get_context('fork')\n        ctx.Process(target=h)",
                &["Process(target=...): g"],
            ),
            // A branch or a loop may bring the other binding: silent.
            ("    if c:\n        ctx = mp.get_context('fork')\n    ctx.Process(target=g)", &[]),
            ("    for i in x:\n        ctx.Process(target=g)\n        ctx = mp.get_context('fork')", &[]),
            ("    ctx = mp.get_context('fork') if c else ctx\n    ctx.Process(target=g)", &[]),
            // A walrus in a condition or a comprehension may not run.
            ("    _ = c and (ctx := mp.get_context('fork'))\n    ctx.Process(target=g)", &[]),
            ("    [ctx := mp.get_context('fork') for _ in x]\n    ctx.Process(target=g)", &[]),
            (
                "    def h():\n        nonlocal ctx\n        ctx = mp.get_context('fork')\n    h()\n    ctx.Process(target=g)",
                &[],
            ),
        ];
        for (src, expected) in cases {
            let src = format!("{m}{src}");
            assert_eq!(sinks(&src), *expected, "in:\n{src}");
        }
    }

    #[test]
    fn process_pools_are_resolved_through_imports_aliases_and_bindings() {
        let cases: &[(&str, &str)] = &[
            ("import multiprocessing as mp\nmp.Pool().map(f, x)", "Pool.map: f"),
            ("from multiprocessing import Pool as P\nwith P() as p:\n    p.imap(f, x)", "Pool.imap: f"),
            ("from multiprocessing.pool import Pool\np = Pool()\np.apply_async(f, callback=g)", "Pool.apply_async: f"),
            ("import multiprocessing.pool\nmultiprocessing.pool.Pool().starmap(f, x)", "Pool.starmap: f"),
            (
                "from concurrent import futures\nfutures.ProcessPoolExecutor().submit(f)",
                "ProcessPoolExecutor.submit: f",
            ),
            (
                "import concurrent.futures as cf\nwith cf.ProcessPoolExecutor() as ex:\n    ex.map(f, x)",
                "ProcessPoolExecutor.map: f",
            ),
            ("import multiprocessing as mp\nmp.get_context('spawn').Pool().map(f, x)", "Pool.map: f"),
            (
                "import multiprocessing as mp\nctx = mp.get_context()\nwith ctx.Pool() as p:\n    p.map(func=f, iterable=x)",
                "Pool.map: f",
            ),
            ("from multiprocessing import Pool\ndef g():\n    p = Pool()\n    return p.map(f, x)", "Pool.map: f"),
            (
                "from multiprocessing import Pool\nclass C:\n    def __init__(self):\n        self.pool = Pool()\n    def run(self):\n        self.pool.map(f, x)",
                "Pool.map: f",
            ),
            ("from multiprocessing import Process\nProcess(target=f).start()", "Process(target=...): f"),
            ("from multiprocessing import Process\nProcess(None, f)", "Process(target=...): f"),
            ("from multiprocessing import Pool\nPool(2, f)", "Pool(initializer=...): f"),
            ("import multiprocessing as mp\nctx = mp.get_context('fork')\nctx.Pool().map(f, x)", "Pool.map: f"),
            ("import multiprocessing as mp\nmp.get_context('spawn').Process(target=f)", "Process(target=...): f"),
            (
                "from concurrent.futures import ProcessPoolExecutor as E\nE(2, None, f)",
                "ProcessPoolExecutor(initializer=...): f",
            ),
            (
                "from concurrent.futures import ProcessPoolExecutor\nasync def m(loop):\n    with ProcessPoolExecutor() as ex:\n        await loop.run_in_executor(ex, f, 1)",
                "run_in_executor: f",
            ),
            (
                "import multiprocessing\ndef m():\n    global P\n    P = multiprocessing.Pool()\ndef n():\n    P.map(f, x)",
                "Pool.map: f",
            ),
        ];
        for (src, expected) in cases {
            assert_eq!(sinks(src), [*expected], "in:\n{src}");
        }
    }

    #[test]
    fn task_data_is_the_values_as_written() {
        let m = "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor as E\n";
        let cases: &[(&str, &[&str])] = &[
            ("mp.Pool().map(f, items)", &["items"]),
            ("mp.Pool().starmap(f, [(a, b)])", &["[(a, b)]"]),
            ("mp.Pool().apply_async(f, (a,), {'k': b})", &["(a,)", "{'k': b}"]),
            ("E().submit(f, x, *rest, k=y)", &["x", "y"]),
            ("mp.Process(target=f, args=(a,), kwargs=d)", &["(a,)", "d"]),
        ];
        for (src, expected) in cases {
            let src = format!("{m}{src}\n");
            let parsed = crate::source::parse(&src).unwrap();
            let sem = Semantic::build(parsed.suite());
            let sinks = Resolver::new(&sem).sinks();
            use ruff_text_size::Ranged;
            let data: Vec<&str> = task_data(&sinks[0]).iter().map(|e| &src[e.range()]).collect();
            assert_eq!(data, *expected, "in:\n{src}");
        }
    }

    #[test]
    fn sinks_read_in_messages_as_the_pool_classes_are_written() {
        use PoolKind::*;
        let cases: &[(SinkKind, &str, &str)] = &[
            (SinkKind::PoolMethod(Multiprocessing, "map"), "Pool.map", "Pool.map"),
            (SinkKind::PoolMethod(Multiprocess, "starmap"), "Pool.starmap", "Pool.starmap"),
            (SinkKind::PoolMethod(Executor, "submit"), "ProcessPoolExecutor.submit", "ProcessPoolExecutor.submit"),
            (SinkKind::PoolMethod(Pathos, "uimap"), "ProcessingPool.uimap", "ProcessingPool.uimap"),
            (SinkKind::RunInExecutor, "run_in_executor", "run_in_executor"),
            (SinkKind::Initializer(Multiprocessing), "Pool(initializer=...)", "Pool(initargs=...)"),
            (SinkKind::Initializer(Multiprocess), "Pool(initializer=...)", "Pool(initargs=...)"),
            (
                SinkKind::Initializer(Executor),
                "ProcessPoolExecutor(initializer=...)",
                "ProcessPoolExecutor(initargs=...)",
            ),
            (SinkKind::Initializer(Pathos), "ProcessingPool(initializer=...)", "ProcessingPool(initargs=...)"),
            (SinkKind::ProcessTarget, "Process(target=...)", "Process(...)"),
        ];
        for (kind, describe, receiver) in cases {
            assert_eq!((kind.describe().as_str(), super::receiver(*kind).as_str()), (*describe, *receiver));
        }
    }

    #[test]
    fn dill_based_pools_are_sinks_marked_dill() {
        let cases: &[(&str, &str, bool)] = &[
            ("import multiprocess as mp\nwith mp.Pool() as p:\n    p.starmap(f, x)", "Pool.starmap: f", true),
            ("from multiprocess import Process\nProcess(target=f)", "Process(target=...): f", true),
            ("import multiprocess as mp\nmp.get_context('spawn').Pool().map(f, x)", "Pool.map: f", true),
            (
                "from pathos.multiprocessing import ProcessingPool as P\nP(2).apipe(f, 1)",
                "ProcessingPool.apipe: f",
                true,
            ),
            (
                "from pathos.pools import ProcessPool\nProcessPool(initializer=f)",
                "ProcessingPool(initializer=...): f",
                true,
            ),
            ("import multiprocessing as mp\nmp.Pool().map(f, x)", "Pool.map: f", false),
        ];
        for (src, expected, dill) in cases {
            assert_eq!(sinks(src), [*expected], "in:\n{src}");
            let parsed = crate::source::parse(src).unwrap();
            let sem = Semantic::build(parsed.suite());
            assert!(Resolver::new(&sem).sinks().iter().all(|sink| sink.dill == *dill), "in:\n{src}");
        }
        // pathos has no `starmap` or `apply`, and `multiprocessing`'s prefix is not `multiprocess`'s.
        assert!(sinks("from pathos.multiprocessing import ProcessingPool as P\nP().starmap(f, x)").is_empty());
        assert!(sinks("import multiprocessingx as mp\nmp.Pool().map(f, x)").is_empty());
    }

    /// The sinks of `src` with whether they pickle with dill.
    fn sinks_and_dill(src: &str) -> Vec<(String, bool)> {
        let parsed = crate::source::parse(src).unwrap();
        let sem = Semantic::build(parsed.suite());
        let dill = Resolver::new(&sem).sinks().iter().map(|sink| sink.dill).collect::<Vec<_>>();
        sinks(src).into_iter().zip(dill).collect()
    }

    #[test]
    fn torch_multiprocessing_is_multiprocessing_with_pickle() {
        let cases: &[(&str, &[&str])] = &[
            (
                "import torch.multiprocessing as mp
mp.Pool().map(lambda x: x, y)",
                &["Pool.map: lambda x: x"],
            ),
            (
                "from torch import multiprocessing as mp
with mp.Pool(2) as p:
    p.starmap(f, x)",
                &["Pool.starmap: f"],
            ),
            (
                "import torch
torch.multiprocessing.Pool().apply_async(f)",
                &["Pool.apply_async: f"],
            ),
            (
                "from torch.multiprocessing import Process
Process(target=f).start()",
                &["Process(target=...): f"],
            ),
            (
                "import torch.multiprocessing as mp
mp.get_context('spawn').Pool(initializer=f)",
                &["Pool(initializer=...): f"],
            ),
            (
                "import torch.multiprocessing as mp
ctx = mp.get_context('fork')
ctx.Pool().map(f, x)",
                &["Pool.map: f"],
            ),
            // Thread pools, fork contexts and other `torch` names: silent.
            (
                "import torch.multiprocessing.dummy as d
d.Pool().map(f, x)",
                &[],
            ),
            (
                "from torch.multiprocessing.pool import ThreadPool
ThreadPool().map(f, x)",
                &[],
            ),
            (
                "import torch.multiprocessing as mp
mp.get_context('fork').Process(target=f)",
                &[],
            ),
            (
                "import torch
torch.utils.data.DataLoader(d, collate_fn=f).map(f, x)",
                &[],
            ),
            (
                "import torch.multiprocessingx as mp
mp.Pool().map(f, x)",
                &[],
            ),
        ];
        for (src, expected) in cases {
            let found = sinks_and_dill(src);
            let expected: Vec<(String, bool)> = expected.iter().map(|s| (s.to_string(), false)).collect();
            assert_eq!(found, expected, "in:\n{src}");
        }
        assert_eq!(normalize("torch.multiprocessing.Queue"), ("multiprocessing.Queue".to_string(), false, false));
        assert_eq!(multiprocessing_member("torch.multiprocessing.Queue").as_deref(), Some("Queue"));
    }

    /// torch cannot be installed for the behaviour test: PF001 and PF002 are checked on its pools here.
    #[test]
    fn lambdas_and_local_functions_for_torch_pools_are_moved() {
        use crate::{Rule, Settings, fix_source};
        let settings =
            Settings { rules: vec![Rule::LambdaToFunction, Rule::LocalFunctionToFunction], ..Settings::default() };
        let src = "from torch import multiprocessing as mp\n\n\ndef main():\n    def double(x):\n        return 2 * x\n\n    with mp.Pool(2) as pool:\n        print(pool.map(lambda x: x + 1, [1]), pool.map(double, [1]))\n";
        let fixed = fix_source(src, &settings).unwrap().text;
        assert_eq!(
            fixed,
            "from torch import multiprocessing as mp\n\n\ndef _main_map_task(x):\n    return x + 1\n\n\ndef double(x):\n    return 2 * x\n\n\ndef main():\n    with mp.Pool(2) as pool:\n        print(pool.map(_main_map_task, [1]), pool.map(double, [1]))\n"
        );
    }

    #[test]
    fn process_map_and_pebble_pools_are_sinks_thread_map_and_pebble_threads_not() {
        let cases: &[(&str, &[&str])] = &[
            (
                "from tqdm.contrib.concurrent import process_map, thread_map
process_map(f, x, max_workers=2)
thread_map(g, x)",
                &["process_map: f"],
            ),
            (
                "import tqdm.contrib.concurrent as c
c.process_map(fn=f)",
                &["process_map: f"],
            ),
            (
                "from tqdm.contrib import concurrent
concurrent.process_map(f, x, y, chunksize=4)",
                &["process_map: f"],
            ),
            (
                "from tqdm.contrib.concurrent import thread_map as process_map
process_map(f, x)",
                &[],
            ),
            (
                "import pebble
with pebble.ProcessPool(max_workers=2) as p:
    p.schedule(f, args=(1,))
    p.map(g, x, timeout=3)
    p.submit(h, None, 1)",
                &["pebble.ProcessPool.schedule: f", "pebble.ProcessPool.map: g", "pebble.ProcessPool.submit: h"],
            ),
            (
                "from pebble import ProcessPool
ProcessPool(2, 0, f)",
                &["pebble.ProcessPool(initializer=...): f"],
            ),
            (
                "from pebble.pool import ProcessPool
ProcessPool(initializer=f)",
                &["pebble.ProcessPool(initializer=...): f"],
            ),
            (
                "import pebble
pebble.ThreadPool().schedule(f)
pebble.ThreadPool().map(f, x)",
                &[],
            ),
            (
                "import multiprocessing as mp
import pebble
pebble.ProcessPool(initializer=f, context=mp.get_context('fork'))",
                &[],
            ),
            (
                "import pebble
p = pebble.ProcessPool()
p.apply_async(f)
p.stop()",
                &[],
            ),
        ];
        for (src, expected) in cases {
            let found = sinks_and_dill(src);
            let expected: Vec<(String, bool)> = expected.iter().map(|s| (s.to_string(), false)).collect();
            assert_eq!(found, expected, "in:\n{src}");
        }
    }

    #[test]
    fn concurrent_futures_is_followed_through_every_spelling() {
        let cases: &[&str] = &[
            "import concurrent.futures as cf
cf.ProcessPoolExecutor().submit(f)",
            "from concurrent import futures
futures.ProcessPoolExecutor().submit(f)",
            "from concurrent.futures import process
process.ProcessPoolExecutor().submit(f)",
            "import concurrent.futures.process as p
p.ProcessPoolExecutor().submit(f)",
            "import concurrent.futures.process
concurrent.futures.process.ProcessPoolExecutor().submit(f)",
            "import concurrent
concurrent.futures.ProcessPoolExecutor().submit(f)",
            "from concurrent.futures.process import ProcessPoolExecutor as E
with E() as e:
    e.submit(f)",
        ];
        for src in cases {
            assert_eq!(sinks(src), ["ProcessPoolExecutor.submit: f"], "in:\n{src}");
        }
        assert!(
            sinks(
                "from concurrent.futures import thread
thread.ThreadPoolExecutor().submit(f)"
            )
            .is_empty()
        );
    }

    #[test]
    fn thread_pools_and_unresolvable_receivers_are_never_sinks() {
        let cases: &[&str] = &[
            "from multiprocessing.dummy import Pool\nPool().map(f, x)",
            "import multiprocessing.dummy as mp\nmp.Pool().map(f, x)",
            "from multiprocessing.pool import ThreadPool\nThreadPool().map(f, x)",
            "from concurrent.futures import ThreadPoolExecutor\nThreadPoolExecutor().submit(f)",
            "import threading\nthreading.Thread(target=f)",
            "map(f, x)",
            "import multiprocessing\ndef g(pool):\n    pool.map(f, x)",
            "import multiprocessing\ndf.map(f)\nrdd.map(f)",
            "from multiprocessing import Pool\nfrom multiprocessing.pool import ThreadPool\nif c:\n    p = Pool()\nelse:\n    p = ThreadPool()\np.map(f, x)",
            "from multiprocessing import Pool\ndef Pool():\n    pass\nPool().map(f, x)",
            "from multiprocessing import Pool\ndef g(Pool):\n    Pool().map(f, x)",
            "from multiprocessing import Pool\np = Pool()\np.apply_async(g, callback=f).get()\np.close()",
            "from concurrent.futures import ProcessPoolExecutor\nasync def m(loop):\n    await loop.run_in_executor(None, f)",
            "from multiprocessing import Pool\nPool().map",
            "import multiprocessing as mp\nctx = mp.get_context('fork')\nctx.Process(target=f)",
            "import multiprocessing as mp\nmp.get_context(method='fork').Pool(initializer=f)",
            "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor as E\nE(mp_context=mp.get_context('fork'), initializer=f)",
            "from .multiprocessing import Pool\nPool().map(f, x)",
        ];
        for src in cases {
            let found: Vec<String> = sinks(src).into_iter().filter(|s| s.ends_with(": f")).collect();
            assert!(found.is_empty(), "false sink {found:?} in:\n{src}");
        }
    }
}
