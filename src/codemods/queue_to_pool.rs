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
//! with multiprocessing.Manager() as manager:
//!     queue = manager.Queue()
//!     pool.apply_async(work, (queue,))
//! ```
//!
//! ## Fix safety
//! No fix yet, only the finding: a manager's proxy behaves like the object, but the manager must outlive
//! every task that uses it, which the fix would have to prove.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::unpicklable_argument::{receiver, shorten, task_arguments};
use super::{Context, Rule};
use crate::finding::{Finding, Remedy};
use crate::pools::{Sink, SinkKind, Value};
use crate::semantic::{BindingKind, ScopeId};

const SHARED_BY_INHERITANCE: &[&str] = &[
    "Queue",
    "JoinableQueue",
    "SimpleQueue",
    "Lock",
    "RLock",
    "Event",
    "Condition",
    "Semaphore",
    "BoundedSemaphore",
    "Barrier",
    "Value",
    "Array",
];

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in ctx.sinks.iter().filter(|sink| sends_tasks(sink)) {
        for argument in task_arguments(sink) {
            let Some(kind) = inherited_only(ctx, argument, sink.scope, 0) else { continue };
            let message = format!(
                "`{}` passed to `{}` is a `multiprocessing.{kind}`, which reaches a child only by inheritance",
                shorten(&ctx.text[argument.range()]),
                receiver(sink.kind)
            );
            let reason = format!(
                "create it from a `multiprocessing.Manager()` (`manager.{kind}(...)`) that outlives the tasks, \
                 or hand it to the workers through `initializer`/`initargs`"
            );
            findings.push(Finding {
                rule: Rule::QueueToPool,
                range: argument.range(),
                message,
                remedy: Remedy::NoFix { reason },
            });
        }
    }
}

/// Pools and executors send tasks; a `Process` or a pool's `initargs` hand objects over at creation.
fn sends_tasks(sink: &Sink) -> bool {
    matches!(sink.kind, SinkKind::PoolMethod(..) | SinkKind::RunInExecutor)
}

/// The `multiprocessing` type `value` makes, when it is one that only inheritance can share.
fn inherited_only(ctx: &Context, value: &Expr, scope: ScopeId, depth: u32) -> Option<&'static str> {
    if depth > 8 {
        return None;
    }
    match value {
        Expr::Name(name) => {
            let (bound_in, binding) = ctx.sem.sole_binding(name.id.as_str(), scope)?;
            match binding.kind {
                BindingKind::Assign(value) => inherited_only(ctx, value, bound_in, depth + 1),
                _ => None,
            }
        }
        Expr::Call(call) => {
            let Value::Qualified(q) = ctx.resolver.eval(&call.func, scope) else { return None };
            let name =
                q.strip_prefix("multiprocessing.").or_else(|| q.strip_prefix("multiprocessing.<fork context>."))?;
            SHARED_BY_INHERITANCE.iter().copied().find(|kind| *kind == name)
        }
        _ => None,
    }
}
