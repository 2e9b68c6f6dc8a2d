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

use ruff_diagnostics::{Applicability, Fix};
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::hoist::{DefinitionPart, Moved, Subject, Why as MoveWhy, check_definition_time_reads, move_unchanged};
use super::unpicklable_argument::shorten;
use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::edits::fix_of;
use crate::finding::{Finding, Remedy};
use crate::pools::{Sink, receiver, task_arguments};
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF007",
    name: "local-class-to-process",
    summary: "an instance of a class defined in a function sent to or from a process",
    description: "an instance of a class defined inside a function passed to a task or returned by one: the class moves to module level when it reads nothing of its function",
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
        for argument in task_arguments(sink) {
            let Some(class) = local_class_instance(ctx, argument, sink.scope) else { continue };
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
fn local_class_instance<'a>(ctx: &Context<'_, 'a>, value: &Expr, scope: ScopeId) -> Option<LocalClass<'a>> {
    let (Expr::Call(call), scope) = ctx.sem.follow(value, scope, false) else { return None };
    let Expr::Name(name) = call.func.as_ref() else { return None };
    local_class(ctx, name.id.as_str(), scope)
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
    returns.0.into_iter().find_map(|value| local_class_instance(ctx, value, scope))
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
