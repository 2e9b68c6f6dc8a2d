//! `local-class-to-process` (PF007)
//!
//! ## What it does
//! Finds an instance of a class defined inside a function that travels between processes: passed as a
//! task argument, or returned by a task whose function defines the class. It moves the class (with its
//! decorators and the comments above it) to module level, like PF002 moves a local function.
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

use ruff_diagnostics::Fix;
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::hoist::{Moved, check_definition_time_reads, move_unchanged};
use super::unpicklable_argument::shorten;
use super::{Context, Rule};
use crate::finding::{Finding, Remedy};
use crate::pools::{Sink, receiver, task_arguments};
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in ctx.pickle_sinks() {
        for argument in task_arguments(sink) {
            let Some(class) = local_class_instance(ctx, argument, sink.scope, 0) else { continue };
            let message = format!(
                "`{}` passed to `{}` is an instance of `{}`, a class defined inside a function, which cannot be pickled",
                shorten(&ctx.text[argument.range()]),
                receiver(sink.kind),
                class.def.name.id
            );
            findings.push(finding(ctx, sink, &class, argument.range(), message));
        }
        if let Some(class) = returned_local_class(ctx, sink) {
            let message = format!(
                "`{}` passed to `{}` returns an instance of `{}`, a class defined inside it, which cannot be pickled",
                shorten(&ctx.text[sink.callable.range()]),
                sink.kind.describe(),
                class.def.name.id
            );
            findings.push(finding(ctx, sink, &class, sink.callable.range(), message));
        }
    }
}

fn finding(ctx: &Context, sink: &Sink, class: &LocalClass, range: TextRange, message: String) -> Finding {
    Finding::at_sink(Rule::LocalClassToProcess, sink, range, message, Remedy::from_fix(fix(ctx, class)))
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
    bindings.iter().find_map(|b| match (b.kind, b.stmt) {
        (BindingKind::ClassDef(def), Some(stmt)) => Some(LocalClass { def, stmt, redefined: bindings.len() > 1 }),
        _ => None,
    })
}

/// `Point(...)`, or a name bound once to it, where `Point` is a local class.
fn local_class_instance<'a>(ctx: &Context<'_, 'a>, value: &Expr, scope: ScopeId, depth: u32) -> Option<LocalClass<'a>> {
    match value {
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(name) => local_class(ctx, name.id.as_str(), scope),
            _ => None,
        },
        Expr::Name(name) if depth < 8 => {
            let (bound_in, binding) = ctx.sem.sole_binding(name.id.as_str(), scope)?;
            match binding.kind {
                BindingKind::Assign(value) => local_class_instance(ctx, value, bound_in, depth + 1),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A task function (by name) that returns an instance of a class it defines itself.
fn returned_local_class<'a>(ctx: &Context<'_, 'a>, sink: &Sink<'a>) -> Option<LocalClass<'a>> {
    let Expr::Name(name) = sink.callable else { return None };
    let (_, binding) = ctx.sem.sole_binding(name.id.as_str(), sink.scope)?;
    let BindingKind::FunctionDef(def) = binding.kind else { return None };
    let scope = ctx.sem.functions.get(&def.range.start())?.scope;
    struct Returns<'b>(Vec<&'b Expr>);
    impl<'b> StatementVisitor<'b> for Returns<'b> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            match stmt {
                Stmt::Return(ret) => self.0.extend(ret.value.as_deref()),
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut returns = Returns(Vec::new());
    returns.visit_body(&def.body);
    returns.0.into_iter().find_map(|value| local_class_instance(ctx, value, scope, 0))
}

/// Moves the class to module level, or says why it cannot move.
fn fix(ctx: &Context, class: &LocalClass) -> Result<(String, Fix), String> {
    let def = class.def;
    let name = def.name.id.as_str();
    if class.redefined {
        return Err(format!("`{name}` is bound more than once in its function"));
    }
    if def.type_params.is_some() {
        return Err(format!("`{name}` has type parameters"));
    }
    let scope = ctx
        .sem
        .scopes
        .iter()
        .position(|s| matches!(s.kind, ScopeKind::Class(c) if c.range == def.range))
        .ok_or("the class was not analysed")?;
    let top = ctx.body.iter().position(|s| s.range().contains_range(def.range)).ok_or("no module statement")?;
    let anchor = &ctx.body[top];
    let mut parts: Vec<(TextRange, String)> =
        def.decorator_list.iter().map(|d| (d.expression.range(), format!("a decorator of `{name}`"))).collect();
    parts.extend(def.arguments.iter().map(|a| (a.range, format!("the bases of `{name}`"))));
    check_definition_time_reads(ctx, parts, anchor)?;
    let moved = Moved {
        what: format!("`{name}`"),
        scope,
        site: def.range.start(),
        own_name: Some(name),
        helpers: false,
        is_class: true,
    };
    let mut edits = move_unchanged(ctx, &moved, name, class.stmt, top)?.into_iter();
    let first = edits.next().ok_or("no edit")?;
    Ok((format!("Move the class `{name}` to module level"), Fix::unsafe_edits(first, edits)))
}
