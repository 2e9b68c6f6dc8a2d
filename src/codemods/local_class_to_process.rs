//! `local-class-to-process` (PF007)
//!
//! ## What it does
//! Finds an instance of a class defined inside a function (anywhere in its body: inside `if`, `for`,
//! `with` or `try` blocks, or in a nested function) that travels between processes: passed as a task
//! argument, also inside a list, tuple, set or dict display, a comprehension (`[Point(i) for i in ...]`),
//! or a list or dict bound to a name that the function fills (`points.append(Point(1))`,
//! `by_name[k] = Point(1)`, `by_name.values()`); or returned, also inside a list or dict, by a pool's
//! task whose function defines the class (the result is pickled back; a `Process` target's result goes
//! nowhere). It moves the class (with its decorators and the comments above it) to module level, like
//! PF002 moves a local function.
//!
//! ## Why is this bad?
//! pickle stores an instance with its class's qualified name, `main.<locals>.Point`, which no other
//! process can import: `Can't pickle local object 'main.<locals>.Point'`, or, for a result,
//! `MaybeEncodingError: Error sending result`.
//!
//! ## Example
//! ```python
//! def main():
//!     class Point:
//!         def __init__(self, x, y):
//!             self.x, self.y = x, y
//!
//!     with Pool() as pool:
//!         pool.map(norm, [Point(1, 2)])
//! ```
//! Use instead:
//! ```python
//! class Point:
//!     def __init__(self, x, y):
//!         self.x, self.y = x, y
//!
//!
//! def main():
//!     with Pool() as pool:
//!         pool.map(norm, [Point(1, 2)])
//! ```
//!
//! ## Fix safety
//! Unsafe: each call of the function made a new class, and after the move there is one, so class-level
//! state is shared across calls and `isinstance` sees one class. There is no fix, only the finding, when
//! the class reads names of its function, is defined more than once, or its name is taken at module level.

use ruff_diagnostics::{Applicability, Fix};
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::hoist::{DefinitionPart, Moved, Subject, Why as MoveWhy, check_definition_time_reads, move_unchanged};
use super::unpicklable_argument::shorten;
use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::edits::fix_of;
use crate::finding::{Finding, Remedy};
use crate::pools::{Sink, SinkKind, receiver, task_arguments, task_data};
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF007",
    name: "local-class-to-process",
    summary: "an instance of a class defined in a function sent to or from a process",
    description: "an instance of a class defined inside a function (also in its blocks) passed to a task or returned by a pool's task, also inside a list, dict or comprehension: the class moves to module level when it reads nothing of its function",
    fix: FixSafety::Unsafe,
    fix_note: ": one class instead of one per call",
    needs_sinks: true,
    dill_solves: true,
};

/// PF007 refuses only for the reasons any move to module level has ([`MoveWhy`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {}

impl std::fmt::Display for Why {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in ctx.pickle_sinks() {
        let arguments = task_arguments(sink);
        for argument in &arguments {
            let (class, verb) = match local_class_instance(ctx, argument, sink.scope) {
                Some(class) => (class, "is"),
                None => match contained_instance(ctx, argument, sink.scope, 0) {
                    Some(class) => (class, "holds"),
                    None => continue,
                },
            };
            let what = format!("{verb} an instance");
            findings.push(finding(ctx, sink, &class, argument, &receiver(sink.kind), &what));
        }
        // Task data the call does not spell out element by element (`pool.map(norm, points)`, where
        // `points` is a list the function fills): what it holds.
        for data in task_data(sink) {
            if arguments.iter().any(|argument| data.range().contains_range(argument.range())) {
                continue;
            }
            let Some(class) = contained_instance(ctx, data, sink.scope, 0) else { continue };
            findings.push(finding(ctx, sink, &class, data, &receiver(sink.kind), "holds instances"));
        }
        if let Some(class) = returned_local_class(ctx, sink) {
            findings.push(finding(ctx, sink, &class, sink.callable, &sink.kind.describe(), "returns an instance"));
        }
    }
}

/// The finding at `expr`, handed to `to`, which `what` ("is an instance", "holds instances", "returns an
/// instance") of the local class.
fn finding(ctx: &Context, sink: &Sink, class: &LocalClass, expr: &Expr, to: &str, what: &str) -> Finding {
    let message = format!(
        "`{}` passed to `{to}` {what} of `{}`, a class defined inside a function, which cannot be pickled",
        shorten(&ctx.text[expr.range()]),
        class.def.name.id
    );
    Finding::at_sink(Rule::LocalClassToProcess, sink, expr.range(), message, Remedy::from_fix(fix(ctx, class)))
}

/// A class defined in a function.
struct LocalClass<'a> {
    def: &'a ast::StmtClassDef,
    stmt: &'a Stmt,
    redefined: bool,
}

/// The local class `name` refers to from `scope`.
fn local_class<'a>(ctx: &Context<'_, 'a>, name: &str, scope: ScopeId) -> Option<LocalClass<'a>> {
    let bound_in = ctx.sem.lookup(name, scope)?;
    if !matches!(ctx.sem.scopes[bound_in].kind, ScopeKind::Function(_)) {
        return None;
    }
    let bindings = ctx.sem.bindings(name, bound_in);
    let class = bindings.iter().find_map(|b| match (b.kind, b.stmt) {
        (BindingKind::ClassDef(def), Some(stmt)) => Some(LocalClass { def, stmt, redefined: bindings.len() > 1 }),
        _ => None,
    })?;
    // `__reduce__` says how to rebuild an instance without naming its class: it may pickle fine.
    (!reduces_itself(class.def)).then_some(class)
}

/// Whether the class defines `__reduce__` or `__reduce_ex__` in its body.
fn reduces_itself(class: &ast::StmtClassDef) -> bool {
    class.body.iter().any(|stmt| {
        matches!(stmt, Stmt::FunctionDef(def) if matches!(def.name.id.as_str(), "__reduce__" | "__reduce_ex__"))
            || matches!(stmt, Stmt::Assign(assign) if assign.targets.iter().any(
                |t| matches!(t, Expr::Name(n) if matches!(n.id.as_str(), "__reduce__" | "__reduce_ex__"))))
    })
}

/// `Point(...)`, or a name bound once to it, where `Point` is a local class.
fn local_class_instance<'a>(ctx: &Context<'_, 'a>, value: &Expr, scope: ScopeId) -> Option<LocalClass<'a>> {
    let (Expr::Call(call), scope) = ctx.sem.follow(value, scope, false) else { return None };
    let Expr::Name(name) = call.func.as_ref() else { return None };
    local_class(ctx, name.id.as_str(), scope)
}

/// An instance of a local class inside `value`: an element of a list, tuple, set or dict display, the
/// element of a comprehension, the argument of `list(...)`/`tuple(...)`/`sorted(...)`..., the dict of
/// `d.values()`/`d.items()`, or what a
/// function puts into a list or dict bound to a name (`points.append(Point(1))`, `by_name[k] = Point(1)`).
fn contained_instance<'a>(ctx: &Context<'_, 'a>, value: &Expr, scope: ScopeId, depth: u32) -> Option<LocalClass<'a>> {
    if depth > 6 {
        return None;
    }
    if let Some(class) = local_class_instance(ctx, value, scope) {
        return Some(class);
    }
    if let Expr::Name(name) = value
        && let Some((bound_in, _)) = ctx.sem.sole_binding(name.id.as_str(), scope)
    {
        for (added, added_in) in added_to(ctx, name.id.as_str(), bound_in) {
            if let Some(class) = contained_instance(ctx, added, added_in, depth + 1) {
                return Some(class);
            }
        }
    }
    let (value, scope) = ctx.sem.follow(value, scope, false);
    let inner: Vec<&Expr> = match value {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().collect(),
        Expr::Dict(dict) => dict.items.iter().flat_map(|item| item.key.iter().chain([&item.value])).collect(),
        Expr::ListComp(comp) => vec![&comp.elt],
        Expr::SetComp(comp) => vec![&comp.elt],
        Expr::Generator(comp) => vec![&comp.elt],
        Expr::DictComp(comp) => comp.key.iter().map(|k| &**k).chain([&*comp.value]).collect(),
        Expr::Starred(starred) => vec![&starred.value],
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(f)
                if matches!(f.id.as_str(), "list" | "tuple" | "set" | "sorted" | "dict" | "reversed")
                    && ctx.sem.lookup(f.id.as_str(), scope).is_none() =>
            {
                call.arguments.args.iter().collect()
            }
            // `by_name.values()`, `items()`, `copy()` of a list or dict the function fills.
            Expr::Attribute(attr)
                if matches!(attr.attr.id.as_str(), "values" | "items" | "keys" | "copy")
                    && call.arguments.is_empty() =>
            {
                vec![&*attr.value]
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    inner.into_iter().find_map(|element| contained_instance(ctx, element, scope, depth + 1))
}

/// What the code puts into the list, set or dict `name` (bound in `bound_in`) after making it:
/// `name.append(x)`, `add`, `insert`, `extend`, `update`, `setdefault`, `name[k] = x`, with the scope
/// each is read in.
fn added_to<'a>(ctx: &Context<'_, 'a>, name: &str, bound_in: ScopeId) -> Vec<(&'a Expr, ScopeId)> {
    let mut added = Vec::new();
    for site in &ctx.sem.calls {
        let Expr::Attribute(attr) = site.call.func.as_ref() else { continue };
        let Expr::Name(base) = attr.value.as_ref() else { continue };
        if base.id.as_str() != name || ctx.sem.lookup(name, site.scope) != Some(bound_in) {
            continue;
        }
        let args = &site.call.arguments.args;
        let value = match attr.attr.id.as_str() {
            "append" | "appendleft" | "add" | "extend" | "update" => args.first(),
            "insert" | "setdefault" => args.get(1),
            _ => None,
        };
        added.extend(value.map(|v| (v, site.scope)));
        if attr.attr.id.as_str() == "update" {
            added.extend(site.call.arguments.keywords.iter().map(|k| (&k.value, site.scope)));
        }
    }
    let body = match ctx.sem.scopes[bound_in].kind {
        ScopeKind::Function(def) => &def.body[..],
        ScopeKind::Module => ctx.body,
        _ => return added,
    };
    struct Stores<'b, 'n>(&'n str, Vec<&'b Expr>);
    impl<'b> StatementVisitor<'b> for Stores<'b, '_> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            if let Stmt::Assign(assign) = stmt
                && assign.targets.iter().any(|target| {
                    matches!(target, Expr::Subscript(sub) if matches!(sub.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.0))
                })
            {
                self.1.push(&assign.value);
            }
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
    }
    let mut stores = Stores(name, Vec::new());
    stores.visit_body(body);
    added.extend(stores.1.into_iter().map(|value| (value, bound_in)));
    added
}

/// A task function of a pool (by name, or inside `functools.partial`) that returns an instance of a
/// class defined in it, also inside a list, tuple or dict it returns: the result is pickled back to the
/// parent. A `Process` target's or an initializer's result goes nowhere.
fn returned_local_class<'a>(ctx: &Context<'_, 'a>, sink: &Sink<'a>) -> Option<LocalClass<'a>> {
    if !matches!(sink.kind, SinkKind::PoolMethod(..) | SinkKind::RunInExecutor) {
        return None;
    }
    let callable = ctx.resolver.partial_target(sink.callable, sink.scope).unwrap_or(sink.callable);
    let Expr::Name(name) = callable else { return None };
    let (_, binding) = ctx.sem.sole_binding(name.id.as_str(), sink.scope)?;
    let BindingKind::FunctionDef(def) = binding.kind else { return None };
    let scope = ctx.sem.functions.get(&def.range.start())?.scope;
    let (returns, _) = crate::semantic::returns(def);
    returns.iter().filter_map(|r| r.value.as_deref()).find_map(|value| contained_instance(ctx, value, scope, 0))
}

/// Moves the class to module level, or says why it cannot move.
fn fix(ctx: &Context, class: &LocalClass) -> Result<(String, Fix), Refusal> {
    let def = class.def;
    let name = def.name.id.as_str();
    if class.redefined {
        return Err(MoveWhy::Redefined { name: name.to_string() }.into());
    }
    if def.type_params.is_some() {
        return Err(MoveWhy::TypeParameters { name: name.to_string() }.into());
    }
    let scope = ctx
        .sem
        .scopes
        .iter()
        .position(|s| matches!(s.kind, ScopeKind::Class(c) if c.range == def.range))
        .ok_or(Refusal::Unexpected("the class was not analysed"))?;
    let top = ctx
        .body
        .iter()
        .position(|s| s.range().contains_range(def.range))
        .ok_or(Refusal::Unexpected("no module statement"))?;
    let anchor = &ctx.body[top];
    let of = || name.to_string();
    let mut parts: Vec<(TextRange, DefinitionPart)> =
        def.decorator_list.iter().map(|d| (d.expression.range(), DefinitionPart::Decorator { of: of() })).collect();
    parts.extend(def.arguments.iter().map(|a| (a.range, DefinitionPart::Bases { of: of() })));
    check_definition_time_reads(ctx, parts, anchor)?;
    let moved = Moved {
        what: Subject::Class(name.to_string()),
        scope,
        site: def.range.start(),
        own_name: Some(name),
        helpers: false,
        is_class: true,
        snapshot: None,
        process_target: false,
    };
    let edits = move_unchanged(ctx, &moved, name, class.stmt, top)?;
    let fix = fix_of(edits, Applicability::Unsafe).ok_or(Refusal::Unexpected("no edit"))?;
    Ok((format!("Move the class `{name}` to module level"), fix))
}
