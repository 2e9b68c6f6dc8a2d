//! What a swapped task carries to a child: the values its callable captures from enclosing functions
//! (each name followed to its single binding), the defaults of its parameters, and its task arguments.
//! dill pickles all of them, by value; the swap is refused when one of them still fails:
//! - an object dill refuses too (the list measured in `unpicklable.rs`): a `sqlite3`
//!   connection or cursor, an event loop, a pool or executor, a generator, a compressed or named
//!   temporary file. The swapped program would fail exactly as before;
//! - a `multiprocessing` `Queue`, `Lock`, `Value`... captured or as a default: it reaches a child only
//!   by inheritance, whatever pickles it (`RuntimeError: Lock objects should only be shared between
//!   processes through inheritance`, measured with `multiprocess`'s own objects too). As a task
//!   argument it is PF006's, whose manager `--swap multiprocess` makes `multiprocess`'s;
//! - for pathos, an object made by the standard library's `multiprocessing.Manager()` (the manager or
//!   one of its proxies), anywhere a pathos pool's task carries it, or a `Queue`, `Lock`... sent to such
//!   a pool as a task argument (PF006 makes those from that manager): pathos's workers are
//!   `multiprocess` processes, whose authkey is not the standard library's, and fail with
//!   `AuthenticationError: digest sent was rejected` while the pool hangs (under `spawn`; `fork` hides
//!   it). `--swap multiprocess` rewrites the manager's import too, and keeps it working.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::super::Context;
use super::super::queue_to_pool::{inherited_only, leaves, manager_behind};
use super::super::unpicklable::unpicklable_by_dill;
use super::super::unpicklable_argument::shorten;
use super::{Swap, Why, pathos};
use crate::pools::{PoolKind, Sink, SinkKind, task_arguments};
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId};

/// How a value reaches the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carry {
    Captured,
    Default,
    Argument,
}

/// One value a task carries: how a message names it, the expression that makes it and its scope.
struct Carried<'a> {
    name: String,
    value: &'a Expr,
    scope: ScopeId,
    carry: Carry,
}

/// Refuses the swap when a value that the task of `sink` carries would still fail. `task` is the scope
/// of the callable (a lambda or a local function) and its parameters, when pickfix knows them.
pub(super) fn check<'a>(
    ctx: &Context<'_, 'a>,
    swap: Swap,
    sink: &Sink<'a>,
    task: Option<(ScopeId, Option<&'a ast::Parameters>)>,
) -> Result<(), Why> {
    for carried in carried(ctx, sink, task) {
        let Carried { name, value, scope, carry } = carried;
        if let Some(object) = unpicklable_by_dill(ctx, value, scope) {
            return Err(Why::Unpicklable { name, object });
        }
        if carry != Carry::Argument
            && let Some(kind) = inherited_only(ctx, value, scope)
        {
            return Err(Why::InheritedOnly { name, kind });
        }
        if swap == Swap::Pathos && carry != Carry::Argument && from_stdlib_manager(ctx, value, scope) {
            return Err(Why::Pathos(pathos::Why::StdlibManager { name }));
        }
    }
    Ok(())
}

/// For pathos: no task argument of a pool that becomes pathos's is made by the standard library's
/// manager, or is a `Queue`, `Lock`... that PF006 would make from it.
pub(super) fn check_pathos_pools(ctx: &Context) -> Result<(), Why> {
    let pools = ctx.sinks.iter().filter(|sink| matches!(sink.kind, SinkKind::PoolMethod(PoolKind::Multiprocessing, _)));
    for sink in pools {
        for argument in task_arguments(sink).into_iter().flat_map(|argument| leaves(argument, 0)) {
            let name = shorten(&ctx.text[argument.range()]);
            if from_stdlib_manager(ctx, argument, sink.scope) {
                return Err(Why::Pathos(pathos::Why::StdlibManager { name }));
            }
            if let Some(kind) = inherited_only(ctx, argument, sink.scope) {
                return Err(Why::Pathos(pathos::Why::SharedArgument { name, kind }));
            }
        }
    }
    Ok(())
}

/// The values the task of `sink` carries.
fn carried<'a>(
    ctx: &Context<'_, 'a>,
    sink: &Sink<'a>,
    task: Option<(ScopeId, Option<&'a ast::Parameters>)>,
) -> Vec<Carried<'a>> {
    let mut out = Vec::new();
    if let Some((scope, parameters)) = task {
        // A name read from an enclosing function; module globals are looked up in the child's module.
        for load in ctx.sem.loads.iter().filter(|load| ctx.sem.is_within(load.scope, scope)) {
            let Some((bound_in, binding)) = ctx.sem.sole_binding(load.name, load.scope) else { continue };
            if bound_in == MODULE_SCOPE || ctx.sem.is_within(bound_in, scope) {
                continue;
            }
            if let BindingKind::Assign(value) | BindingKind::With(value) = binding.kind {
                out.push(Carried { name: load.name.to_string(), value, scope: bound_in, carry: Carry::Captured });
            }
        }
        // Defaults are evaluated where the callable is made.
        let outer = ctx.sem.scopes[scope].parent.unwrap_or(MODULE_SCOPE);
        let defaults =
            parameters.into_iter().flat_map(|p| p.iter_non_variadic_params()).filter_map(|p| p.default.as_deref());
        for default in defaults {
            let name = shorten(&ctx.text[default.range()]);
            out.push(Carried { name, value: default, scope: outer, carry: Carry::Default });
        }
    }
    for argument in task_arguments(sink).into_iter().flat_map(|argument| leaves(argument, 0)) {
        let name = shorten(&ctx.text[argument.range()]);
        out.push(Carried { name, value: argument, scope: sink.scope, carry: Carry::Argument });
    }
    out
}

/// Whether `value` is the standard library's `multiprocessing.Manager()` (also from a context, or its
/// `SyncManager`) or a proxy one makes (`manager.Queue()`), not `multiprocess`'s.
fn from_stdlib_manager(ctx: &Context, value: &Expr, scope: ScopeId) -> bool {
    manager_behind(ctx, value, scope).is_some_and(|q| q.starts_with("multiprocessing."))
}
