//! `queue-to-pool` (PF006)
//!
//! ## What it does
//! Finds a `multiprocessing` `Queue`, `JoinableQueue`, `SimpleQueue`, `Lock`, `RLock`, `Event`,
//! `Condition`, `Semaphore`, `BoundedSemaphore`, `Barrier`, `Value` or `Array` (also from a context)
//! passed as a task argument to a `Pool` or a `ProcessPoolExecutor`.
//!
//! ## Why is this bad?
//! These objects can only reach a child when the child is created, by inheritance. Sent with a task they
//! fail under every start method: `RuntimeError: Queue objects should only be shared between processes
//! through inheritance`. Passing them to `Process(args=...)` or through a pool's `initargs` is fine, and
//! is not reported.
//!
//! ## Example
//! ```python
//! queue = multiprocessing.Queue()
//! pool.apply_async(work, (queue,))
//! ```
//! Use instead:
//! ```python
//! manager = multiprocessing.Manager()
//! queue = manager.Queue()
//! pool.apply_async(work, (queue,))
//! ```
//!
//! ## Fix safety
//! Unsafe: a manager's proxy pickles, but it is not the same object. Every call is a round trip to the
//! manager's process, and the proxy lacks a few methods (`Queue.close`, `Value.get_lock`,
//! `Semaphore.get_value`), so the fix is refused when the file calls one of them. The fix is made only
//! when the object is created by a plain assignment in the function that runs the pool, and the pool is a
//! local of that function that never leaves it: the manager, one per function and created right above the
//! first object (made the way that object was: `ctx.Manager()` for `ctx.Queue()`), then outlives every
//! task (its proxies also keep it alive). An object outside the first one's block (another branch, a
//! second `if __name__` block) gets a manager of its own, as the first one's might not run before it.
//! `SimpleQueue` and `Array` (whose proxy slices to an `array.array`, not a list) are reported without a
//! fix.

use ruff_diagnostics::{Applicability, Edit, Fix};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::imports::Needed;
use super::unpicklable_argument::shorten;
use super::{Context, FixSafety, Rule, RuleMeta};
use crate::edits::fix_of;
use crate::finding::{Finding, Remedy};
use crate::pools::{Sink, SinkKind, Value, manager_package, multiprocessing_member, receiver, task_arguments};
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF006",
    name: "queue-to-pool",
    summary: "a multiprocessing Queue, Lock, Event, Value... sent to a pool as a task argument is made by a Manager()",
    description: "a `multiprocessing` `Queue`, `Lock`, `Event`, `Value`, `Array`... sent to a pool or executor as a task argument (they reach children only by inheritance; `Process(args=)` and `initargs` are fine): the object is made by a `multiprocessing.Manager()` instead",
    fix: FixSafety::Unsafe,
    fix_note: ", only when it is made in the function that runs the pool and the pool never leaves it; otherwise the message says to use a `Manager()` or `initargs`",
    needs_sinks: true,
    dill_solves: false,
};

/// The `multiprocessing` objects that reach a child only by inheritance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    Queue,
    JoinableQueue,
    SimpleQueue,
    Lock,
    RLock,
    Event,
    Condition,
    Semaphore,
    BoundedSemaphore,
    Barrier,
    Value,
    Array,
}

impl Shared {
    const ALL: &[Shared] = &[
        Shared::Queue,
        Shared::JoinableQueue,
        Shared::SimpleQueue,
        Shared::Lock,
        Shared::RLock,
        Shared::Event,
        Shared::Condition,
        Shared::Semaphore,
        Shared::BoundedSemaphore,
        Shared::Barrier,
        Shared::Value,
        Shared::Array,
    ];

    /// The constructor's name, in `multiprocessing` and on a manager.
    pub fn name(self) -> &'static str {
        match self {
            Shared::Queue => "Queue",
            Shared::JoinableQueue => "JoinableQueue",
            Shared::SimpleQueue => "SimpleQueue",
            Shared::Lock => "Lock",
            Shared::RLock => "RLock",
            Shared::Event => "Event",
            Shared::Condition => "Condition",
            Shared::Semaphore => "Semaphore",
            Shared::BoundedSemaphore => "BoundedSemaphore",
            Shared::Barrier => "Barrier",
            Shared::Value => "Value",
            Shared::Array => "Array",
        }
    }

    /// Methods of the object that a manager's proxy of the same kind does not have.
    fn missing_on_proxy(self) -> &'static [&'static str] {
        match self {
            Shared::Queue | Shared::JoinableQueue => &["close", "join_thread", "cancel_join_thread"],
            Shared::Semaphore | Shared::BoundedSemaphore => &["get_value"],
            Shared::Value => &["get_lock", "get_obj"],
            _ => &[],
        }
    }
}

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why the object cannot be made by a manager automatically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// What every refusal of PF006 says: how to do it by hand, and why pickfix did not.
    UseManager { kind: Shared, why: Box<Why> },
    NotLocal,
    SharesLine,
    ModuleLevelUnguarded,
    ProxyLacks { method: &'static str, kind: Shared },
    ValueWithoutInitialValue,
    NoManagerSimpleQueue,
    /// A manager's `Array` proxy slices to `array.array`, not a list.
    ProxyBehavesDifferently { kind: Shared },
    Arguments { kind: Shared },
    PoolNotLocal,
    PoolUsedOtherwise { pool: String },
    /// `multiprocessing` (or `multiprocess`) names something else in the file.
    ModuleNameTaken { module: &'static str },
    /// The same object goes to another task that cannot have the fix.
    OtherTask(Box<Why>),
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::UseManager { kind, why } => write!(
                f,
                "create it from a `multiprocessing.Manager()` (`manager.{kind}(...)`) that outlives the tasks, or \
                 hand it to the workers through `initializer`/`initargs` (no automatic fix: {why})"
            ),
            Why::NotLocal => f.write_str("it is not made by a plain assignment in the function that runs the pool"),
            Why::SharesLine => f.write_str("its assignment shares a line with another statement"),
            Why::ModuleLevelUnguarded => {
                f.write_str("it is made at module level outside `if __name__ == \"__main__\":`")
            }
            Why::ProxyLacks { method, kind } => {
                write!(f, "the file calls `.{method}()`, which a manager's `{kind}` proxy lacks")
            }
            Why::ValueWithoutInitialValue => f.write_str("`Value` without an initial value has no manager equivalent"),
            Why::NoManagerSimpleQueue => f.write_str("a manager has no `SimpleQueue`"),
            Why::ProxyBehavesDifferently { kind } => {
                write!(f, "a manager's `{kind}` proxy behaves differently (slices are `array.array`)")
            }
            Why::Arguments { kind } => write!(f, "the arguments of `{kind}(...)` have no manager equivalent"),
            Why::PoolNotLocal => f.write_str("the pool is not a local of the function that makes the object"),
            Why::PoolUsedOtherwise { pool } => write!(f, "the pool `{pool}` is used other than through its methods"),
            Why::ModuleNameTaken { module } => write!(f, "`{module}` names something else"),
            Why::OtherTask(why) => write!(f, "another task it is sent with cannot use a manager ({why})"),
        }
    }
}

/// One object sent with a task.
struct Sent<'a> {
    sink: Sink<'a>,
    argument: &'a Expr,
    kind: Shared,
}

/// The first object of a function that a manager makes: where the manager goes, and how it is made.
#[derive(Clone, Copy)]
struct FirstObject<'a> {
    scope: ScopeId,
    at: TextSize,
    /// The statements from its own to the end of its block: the objects the manager covers.
    block: TextRange,
    call: &'a ast::ExprCall,
    /// Its task goes to a dill-based pool (`multiprocess`).
    dill: bool,
}

/// An object that the fix can create from a manager: its statement and its constructor call.
struct Fixable<'a> {
    scope: ScopeId,
    stmt: &'a Stmt,
    /// The name it is assigned to.
    target: &'a Expr,
    call: &'a ast::ExprCall,
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    let mut sent = Vec::new();
    for sink in ctx.sinks.iter().filter(|sink| sends_tasks(sink)) {
        for argument in task_arguments(sink).into_iter().flat_map(|argument| leaves(argument, 0)) {
            if let Some(kind) = inherited_only(ctx, argument, sink.scope) {
                sent.push(Sent { sink: *sink, argument, kind });
            }
        }
    }
    let mut checked: Vec<Result<Fixable, Why>> = sent.iter().map(|s| fixable(ctx, s)).collect();
    // An object is made by a manager for all of its tasks or for none: one refusal refuses them all.
    let refused: Vec<(TextRange, Why)> = sent
        .iter()
        .zip(&checked)
        .filter_map(|(s, c)| c.as_ref().err().and_then(|why| Some((object_stmt(ctx, s)?, why.clone()))))
        .collect();
    for checked in &mut checked {
        if let Ok(object) = checked
            && let Some((_, why)) = refused.iter().find(|(stmt, _)| *stmt == object.stmt.range())
        {
            *checked = Err(Why::OtherTask(Box::new(why.clone())));
        }
    }
    // One manager per function, created above the first object it makes, the way that object is made
    // (`ctx.Manager()` for `ctx.Queue()`): every fix of the function inserts the same line. An object
    // outside the block of that first one (another branch, another `if __name__` block) might run
    // without it: it starts a manager of its own.
    let mut order: Vec<(&Sent, &Fixable)> =
        sent.iter().zip(&checked).filter_map(|(sent, fixable)| Some((sent, fixable.as_ref().ok()?))).collect();
    order.sort_by_key(|(_, fixable)| fixable.stmt.start());
    let mut groups: Vec<FirstObject> = Vec::new();
    for (sent, fixable) in order {
        let covered = groups.iter().any(|g| g.scope == fixable.scope && g.block.contains_range(fixable.stmt.range()));
        if !covered {
            let block = super::hoist::block_of(ctx.body, fixable.stmt.range()).unwrap_or(fixable.stmt.range());
            let at = fixable.stmt.start();
            groups.push(FirstObject { scope: fixable.scope, at, block, call: fixable.call, dill: sent.sink.dill });
        }
    }
    let first_of = |fixable: &Fixable| {
        groups.iter().find(|g| g.scope == fixable.scope && g.block.contains_range(fixable.stmt.range())).copied()
    };
    for (sent, checked) in sent.iter().zip(checked) {
        let message = format!(
            "`{}` passed to `{}` is a `multiprocessing.{}`, which reaches a child only by inheritance",
            shorten(&ctx.text[sent.argument.range()]),
            receiver(sent.sink.kind),
            sent.kind
        );
        let remedy = match checked.and_then(|f| fix(ctx, sent, &f, &first_of(&f).expect("every object is in a group"))) {
            Ok((title, fix)) => Remedy::Fix { title, fix },
            Err(why) => Remedy::NoFix(Why::UseManager { kind: sent.kind, why: Box::new(why) }.into()),
        };
        findings.push(Finding::at_sink(Rule::QueueToPool, &sent.sink, sent.argument.range(), message, remedy));
    }
}

/// The objects a task argument is made of: the elements of tuples and lists, at any depth (a queue in
/// `(queue, n)` is pickled with the tuple).
pub(crate) fn leaves(expr: &Expr, depth: u32) -> Vec<&Expr> {
    match expr {
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) if depth < 8 => {
            elts.iter().flat_map(|element| leaves(element, depth + 1)).collect()
        }
        _ => vec![expr],
    }
}

/// Pools and executors send tasks; a `Process` or a pool's `initargs` hand objects over at creation.
pub(crate) fn sends_tasks(sink: &Sink) -> bool {
    matches!(sink.kind, SinkKind::PoolMethod(..) | SinkKind::RunInExecutor | SinkKind::PoolFunction(_))
}

/// The `multiprocessing` type `value` makes, when it is one that only inheritance can share.
pub(crate) fn inherited_only(ctx: &Context, value: &Expr, scope: ScopeId) -> Option<Shared> {
    match ctx.sem.follow(value, scope, false) {
        (Expr::Call(call), scope) => constructed(ctx, call, scope),
        _ => None,
    }
}

/// The kind of object a call of a `multiprocessing` constructor makes.
fn constructed(ctx: &Context, call: &ast::ExprCall, scope: ScopeId) -> Option<Shared> {
    let Value::Qualified(q) = ctx.resolver.eval(&call.func, scope) else { return None };
    let name = multiprocessing_member(&q)?;
    Shared::ALL.iter().copied().find(|kind| kind.name() == name)
}

/// Whether the object can be created from a manager whose life covers the pool's, or why not.
fn fixable<'a>(ctx: &Context<'_, 'a>, sent: &Sent<'a>) -> Result<Fixable<'a>, Why> {
    let Expr::Name(name) = sent.argument else { return Err(Why::NotLocal) };
    let (scope, binding) = ctx.sem.sole_binding(name.id.as_str(), sent.sink.scope).ok_or(Why::NotLocal)?;
    let (BindingKind::Assign(Expr::Call(call)), Some(stmt @ Stmt::Assign(assign))) = (binding.kind, binding.stmt)
    else {
        return Err(Why::NotLocal);
    };
    if assign.targets.len() != 1
        || !assign.targets[0].is_name_expr()
        || !only_comprehensions(ctx, sent.sink.scope, scope)
    {
        return Err(Why::NotLocal);
    }
    if !ctx.text[TextRange::new(ctx.text.line_start(stmt.start()), stmt.start())].trim().is_empty() {
        return Err(Why::SharesLine);
    }
    if scope == MODULE_SCOPE && !ctx.sem.is_under_main_guard(binding) {
        return Err(Why::ModuleLevelUnguarded);
    }
    arguments_fit(sent.kind, &call.arguments)?;
    pool_stays_local(ctx, &sent.sink, scope)?;
    if let Some(method) = sent.kind.missing_on_proxy().iter().find(|m| called_on_non_pool(ctx, m)) {
        return Err(Why::ProxyLacks { method, kind: sent.kind });
    }
    Ok(Fixable { scope, stmt, target: &assign.targets[0], call })
}

/// The statement that makes the object `sent` names, when it is a name with one binding.
fn object_stmt(ctx: &Context, sent: &Sent) -> Option<TextRange> {
    let Expr::Name(name) = sent.argument else { return None };
    let (_, binding) = ctx.sem.sole_binding(name.id.as_str(), sent.sink.scope)?;
    binding.stmt.map(Ranged::range)
}

/// Whether `inner` is `outer` or a comprehension inside it: the same frame, as far as lifetimes go.
fn only_comprehensions(ctx: &Context, inner: ScopeId, outer: ScopeId) -> bool {
    let mut id = inner;
    while id != outer {
        let scope = &ctx.sem.scopes[id];
        match (scope.kind, scope.parent) {
            (ScopeKind::Comprehension, Some(parent)) => id = parent,
            _ => return false,
        }
    }
    true
}

/// The arguments the manager's constructor of the same name accepts with the same meaning.
fn arguments_fit(kind: Shared, arguments: &ast::Arguments) -> Result<(), Why> {
    let positional = arguments.args.len();
    let starred =
        arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none());
    let keywords: Vec<&str> = arguments.keywords.iter().filter_map(|k| k.arg.as_ref().map(|a| a.as_str())).collect();
    let allowed: (usize, &[&str]) = match kind {
        Shared::Queue | Shared::JoinableQueue => (1, &["maxsize"]),
        Shared::Lock | Shared::RLock | Shared::Event | Shared::Condition => (0, &[]),
        Shared::Semaphore | Shared::BoundedSemaphore => (1, &["value"]),
        Shared::Barrier => (1, &["parties"]),
        Shared::Value if positional == 2 => (2, &["lock"]),
        Shared::Value => return Err(Why::ValueWithoutInitialValue),
        Shared::SimpleQueue => return Err(Why::NoManagerSimpleQueue),
        Shared::Array => return Err(Why::ProxyBehavesDifferently { kind }),
    };
    if starred || positional > allowed.0 || keywords.iter().any(|k| !allowed.1.contains(k)) {
        return Err(Why::Arguments { kind });
    }
    Ok(())
}

/// The pool must be a local of the function that makes the object, used only through its methods, so
/// that no task outlives the function (and with it the manager).
fn pool_stays_local(ctx: &Context, sink: &Sink, scope: ScopeId) -> Result<(), Why> {
    let pool = match (sink.kind, sink.call.func.as_ref()) {
        (SinkKind::PoolMethod(..), Expr::Attribute(attr)) => match attr.value.as_ref() {
            Expr::Name(pool) => pool.id.as_str(),
            _ => return Err(Why::PoolNotLocal),
        },
        _ => return Err(Why::PoolNotLocal),
    };
    let (bound_in, binding) = ctx.sem.sole_binding(pool, sink.scope).ok_or(Why::PoolNotLocal)?;
    if bound_in != scope || !matches!(binding.kind, BindingKind::Assign(_) | BindingKind::With(_)) {
        return Err(Why::PoolNotLocal);
    }
    for load in ctx.sem.loads.iter().filter(|load| load.name == pool) {
        if ctx.sem.lookup(pool, load.scope) != Some(scope) {
            continue;
        }
        let after = ctx.text[load.range.end().to_usize()..].trim_start();
        if !after.starts_with('.') || !only_comprehensions(ctx, load.scope, scope) {
            return Err(Why::PoolUsedOtherwise { pool: pool.to_string() });
        }
    }
    Ok(())
}

/// Whether `.method` is read anywhere in the file on something that is not a process pool.
fn called_on_non_pool(ctx: &Context, method: &str) -> bool {
    let tokens = ctx.tokens;
    tokens.iter().enumerate().any(|(i, token)| {
        if token.kind() != TokenKind::Name || &ctx.text[token.range()] != method || i < 2 {
            return false;
        }
        if tokens[i - 1].kind() != TokenKind::Dot {
            return false;
        }
        let base = &tokens[i - 2];
        let base_is_pool = base.kind() == TokenKind::Name
            && ctx.sinks.iter().any(|sink| match sink.call.func.as_ref() {
                Expr::Attribute(attr) => {
                    matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == &ctx.text[base.range()])
                }
                _ => false,
            });
        !base_is_pool
    })
}

/// The edits: a manager above the first object of the function (or the one already there), and the
/// object made by it.
fn fix(ctx: &Context, sent: &Sent, object: &Fixable, first_object: &FirstObject) -> Result<(String, Fix), Why> {
    let mut edits = Vec::new();
    let first = first_object.at;
    let manager = match existing_manager(ctx, object.scope, first) {
        Some(manager) => manager.to_string(),
        None => {
            let module = match first_object.call.func.as_ref() {
                Expr::Attribute(attr) => ctx.text[attr.value.range()].to_string(),
                _ => {
                    let module = manager_package(first_object.dill);
                    let (module, import) =
                        ctx.reach(Needed::Module(module), object.scope, first).map_err(|_| Why::ModuleNameTaken { module })?;
                    edits.extend(import);
                    module
                }
            };
            let manager = ctx.new_name(first, "manager");
            let line = ctx.text.line_start(first);
            let indent = &ctx.text[TextRange::new(line, first)];
            edits.push(Edit::insertion(format!("{indent}{manager} = {module}.Manager(){}", ctx.layout.eol), line));
            manager
        }
    };
    edits.push(Edit::range_replacement(format!("{manager}.{}", sent.kind), object.call.func.range()));
    let target = &ctx.text[object.target.range()];
    let title = format!("Create `{target}` from a `multiprocessing.Manager()`");
    let fix = fix_of(edits, Applicability::Unsafe).expect("the object's constructor is always edited");
    Ok((title, fix))
}

/// The qualified name of the `Manager` (or `SyncManager`) constructor behind `value`, when `value` is a
/// manager or a proxy one makes (`manager.list()`, `mp.Manager().Queue()`), names followed through their
/// single binding: `multiprocessing.Manager`, `multiprocess.Manager`, ...
pub(crate) fn manager_behind(ctx: &Context, value: &Expr, scope: ScopeId) -> Option<String> {
    let is_manager = |call: &ast::ExprCall, scope: ScopeId| match ctx.resolver.eval(&call.func, scope) {
        Value::Qualified(q)
            if multiprocessing_member(&q).as_deref() == Some("Manager") || q.ends_with(".managers.SyncManager") =>
        {
            Some(q)
        }
        _ => None,
    };
    let (Expr::Call(call), scope) = ctx.sem.follow(value, scope, true) else { return None };
    if let Some(manager) = is_manager(call, scope) {
        return Some(manager);
    }
    let Expr::Attribute(attr) = call.func.as_ref() else { return None };
    match ctx.sem.follow(&attr.value, scope, true) {
        (Expr::Call(owner), scope) => is_manager(owner, scope),
        _ => None,
    }
}

/// A manager already created in `scope` before `before` (`manager = multiprocessing.Manager()`).
fn existing_manager<'a>(ctx: &Context<'_, 'a>, scope: ScopeId, before: TextSize) -> Option<&'a str> {
    ctx.sem.scopes[scope]
        .bindings
        .iter()
        .filter_map(|(name, bindings)| {
            let [binding] = bindings.as_slice() else { return None };
            let BindingKind::Assign(Expr::Call(call)) = binding.kind else { return None };
            let Value::Qualified(q) = ctx.resolver.eval(&call.func, scope) else { return None };
            let is_manager = multiprocessing_member(&q).is_some_and(|member| member == "Manager");
            (is_manager && binding.stmt.is_some_and(|s| s.end() <= before)).then_some(*name)
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::{Shared, Why};
    use crate::{Refusal, Rule, Settings, check_source};

    /// For each finding of PF006 in `src`, why it has no fix (`None`: it has one).
    fn outcomes(src: &str) -> Vec<Option<Why>> {
        let settings = Settings { rules: vec![Rule::QueueToPool], ..Settings::default() };
        let findings = check_source(src, &settings).unwrap();
        assert!(!findings.is_empty(), "no finding in:\n{src}");
        findings
            .iter()
            .map(|finding| match finding.remedy.refusal() {
                None => None,
                Some(Refusal::QueueToPool(Why::UseManager { why, .. })) => Some(why.as_ref().clone()),
                Some(other) => panic!("PF006 refused with {other:?}"),
            })
            .collect()
    }

    const HEAD: &str = "import multiprocessing as mp\n";

    /// Objects of one scope share the manager made above the first of them, made the way that one is,
    /// when they follow it in its block; one in another block (here another `if __name__` block) gets its
    /// own. Two different `manager = ...` lines of one name were a second binding the name check refused.
    #[test]
    fn objects_share_a_manager_only_within_the_first_ones_block() {
        let settings = crate::Settings {
            rules: vec![crate::Rule::QueueToPool],
            applicability: ruff_diagnostics::Applicability::Unsafe,
            ..crate::Settings::default()
        };
        let guard = "if __name__ == \"__main__\":\n";
        let with = |p: &str, x: &str| format!("    with mp.Pool() as {p}:\n        {p}.apply(f, ({x},))\n");
        let src = format!(
            "{HEAD}def f(x):\n    pass\n{guard}    c = mp.get_context()\n    lock = c.Lock()\n{}    q = mp.Queue()\n{}\
             {guard}    r = mp.Queue()\n{}",
            with("p1", "lock"),
            with("p2", "q"),
            with("p3", "r")
        );
        let out = crate::fix_source(&src, &settings).unwrap().text;
        assert!(out.contains("    manager = c.Manager()\n    lock = manager.Lock()\n"), "{out}");
        assert!(out.contains("    q = manager.Queue()\n"), "{out}");
        assert!(out.contains("    manager_2 = mp.Manager()\n    r = manager_2.Queue()\n"), "{out}");
    }

    #[test]
    fn the_manager_fix_is_made_only_when_its_life_covers_the_pool() {
        let pool = |name: &str| Why::PoolUsedOtherwise { pool: name.to_string() };
        let cases: Vec<(&str, Option<Why>)> = vec![
            ("def m():\n    q = mp.Queue()\n    with mp.Pool() as p:\n        p.apply(f, (q,))", None),
            ("def m():\n    q = mp.Queue(5)\n    p = mp.Pool()\n    p.map(f, [q])\n    p.close()", None),
            ("def m():\n    q = mp.Queue()\n    p = mp.Pool()\n    p.map(f, [q])\n    return p", Some(pool("p"))),
            ("p = mp.Pool()\ndef m():\n    q = mp.Queue()\n    p.map(f, [q])", Some(Why::PoolNotLocal)),
            ("q = mp.Queue()\nwith mp.Pool() as p:\n    p.map(f, [q])", Some(Why::ModuleLevelUnguarded)),
            (
                "def m():\n    q = mp.SimpleQueue()\n    with mp.Pool() as p:\n        p.map(f, [q])",
                Some(Why::NoManagerSimpleQueue),
            ),
            (
                "def m():\n    a = mp.Array('i', 3)\n    with mp.Pool() as p:\n        p.map(f, [a])",
                Some(Why::ProxyBehavesDifferently { kind: Shared::Array }),
            ),
            (
                "def m():\n    v = mp.Value('i')\n    with mp.Pool() as p:\n        p.map(f, [v])",
                Some(Why::ValueWithoutInitialValue),
            ),
            (
                "def m():\n    b = mp.Barrier(2, g)\n    with mp.Pool() as p:\n        p.map(f, [b])",
                Some(Why::Arguments { kind: Shared::Barrier }),
            ),
            (
                "def m():\n    s = mp.Semaphore()\n    with mp.Pool() as p:\n        p.map(f, [s])\n    s.get_value()",
                Some(Why::ProxyLacks { method: "get_value", kind: Shared::Semaphore }),
            ),
            (
                "def m():\n    x = 1; q = mp.Queue()\n    with mp.Pool() as p:\n        p.map(f, [q])",
                Some(Why::SharesLine),
            ),
            (
                "def m():\n    q = mp.Queue()\n    def n():\n        with mp.Pool() as p:\n            p.map(f, [q])",
                Some(Why::NotLocal),
            ),
            (
                "P = mp.Pool()\ndef m():\n    q = mp.Queue()\n    with mp.Pool() as p:\n        p.map(f, [q])\n    P.map(f, [q])",
                Some(Why::OtherTask(Box::new(Why::PoolNotLocal))),
            ),
        ];
        for (body, expected) in cases {
            let src = format!("{HEAD}{body}\n");
            let got = outcomes(&src);
            assert_eq!(got[0], expected, "in:\n{src}");
            // Each case has one object: fixed for all of its tasks or for none.
            assert!(got.iter().all(|outcome| outcome.is_none() == got[0].is_none()), "half fixed: {got:?} in:\n{src}");
        }
    }
}
