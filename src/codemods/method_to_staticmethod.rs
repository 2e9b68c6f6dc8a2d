//! `method-to-staticmethod` (PF003)
//!
//! ## What it does
//! Finds a bound method, `self.work`, handed to a process pool (also as `Process(target=self.work)` or
//! inside `functools.partial(self.work, ...)`) when the class shows that `self` holds something pickle
//! refuses: a pool or executor, an open file, a `threading` lock, condition, event or semaphore, a
//! `sqlite3` connection, an event loop, a logging handler. What `self.<attr>` holds is followed through
//! `__init__`'s parameters to every construction site in the file (`Counter(threading.Lock())`), through
//! calls of the file's functions to what they return, and through dataclass and attrs fields (a
//! `default_factory`); an attribute that also gets another value, or is assigned outside the class,
//! counts as unknown. When `work` never uses `self`, it adds `@staticmethod` and removes the first
//! parameter; the call sites stay as they are.
//!
//! ## Why is this bad?
//! Pickling `self.work` pickles `self`, with every task: it fails with
//! `pool objects cannot be passed between processes or pickled`, `cannot pickle '_thread.lock' object`,
//! `cannot pickle '_io.TextIOWrapper' object`. A static method reached through `self` is a plain
//! function, which pickle stores by its qualified name (`Runner.work`).
//!
//! ## Example
//! ```python
//! class Runner:
//!     def __init__(self):
//!         self.pool = Pool()
//!
//!     def work(self, x):
//!         return x * 2
//!
//!     def run(self, items):
//!         return self.pool.map(self.work, items)
//! ```
//! Use instead:
//! ```python
//! class Runner:
//!     def __init__(self):
//!         self.pool = Pool()
//!
//!     @staticmethod
//!     def work(x):
//!         return x * 2
//!
//!     def run(self, items):
//!         return self.pool.map(self.work, items)
//! ```
//! When `self` looks picklable (no such attribute in the class), nothing is reported: bound methods of
//! plain objects pickle fine.
//!
//! A class deriving from `unittest.TestCase` or `IsolatedAsyncioTestCase` (through imports, aliases and
//! classes of the file) is reported too, without a fix: while a test runs, its `_outcome` holds the test
//! result and the runner's output stream, so `Process(target=self.helper)` fails under `spawn` with
//! `TypeError: cannot pickle '_io.TextIOWrapper' object` (`Pool.map(self.helper, ...)` fails under
//! every start method). The message says to make the helper a module-level function or a
//! `@staticmethod`.
//!
//! ## Fix safety
//! The fix is unsafe, applied only with `--unsafe-fixes`: code in other modules may call the method
//! unbound (`Runner.work(runner, x)`) or override it. There is no fix, only the finding, when `work` uses
//! `self`, `super()` or `__class__`, is decorated, has positional-only parameters, is called unbound or
//! defined by another class in the file, or has a mangled name (`__work` is stored as `_Runner__work`,
//! where pickle's lookup by qualified name cannot find a static method).

use ruff_diagnostics::{Edit, Fix};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use super::unpicklable::{CUSTOM_PICKLING, unpicklable_attributes};
use super::{Context, FixSafety, Refusal, Rule, RuleMeta};
use crate::finding::{Finding, Remedy};
use crate::pools::Value;
use crate::semantic::{BindingKind, ScopeId, ScopeKind, is_plain_method};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF003",
    name: "method-to-staticmethod",
    summary: "a method handed to a process pool with an unpicklable `self` becomes static",
    description: "`self.work` handed to a process pool while `self` holds a pool, lock, open file, connection, loop or handler: `work` becomes a `@staticmethod` when it never uses `self`; otherwise the finding names what makes `self` unpicklable. `self` of a running `unittest.TestCase` is reported without a fix",
    fix: FixSafety::Unsafe,
    fix_note: "",
    needs_sinks: true,
    dill_solves: false,
};

/// Why a method is reported without a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    PositionalOnly { name: String },
    NoSelfParameter { name: String },
    /// It reads its first parameter (whatever it is called), `super` or `__class__`.
    UsesInstance { name: String, used: String },
    Decorated { name: String },
    /// `__work` is stored as `_Class__work`.
    Mangled { name: String, class: String },
    DefinedByAnotherClass { name: String, other: String },
    CalledUnbound { name: String, class: String },
    SharesLine,
    CommentAfterFirstParameter,
    /// `self` is a running `unittest.TestCase`: whatever the method does, its outcome cannot be pickled.
    RunningTestCase { name: String },
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::PositionalOnly { name } => write!(f, "`{name}` has positional-only parameters"),
            Why::NoSelfParameter { name } => write!(f, "`{name}` has no `self` parameter"),
            Why::UsesInstance { name, used } => write!(f, "`{name}` uses `{used}`, so it cannot become a static method"),
            Why::Decorated { name } => write!(f, "`{name}` is decorated"),
            Why::Mangled { name, class } => write!(
                f,
                "`{name}` is stored as `_{}{name}`, where pickle cannot find a static method by its qualified name",
                class.trim_start_matches('_')
            ),
            Why::DefinedByAnotherClass { name, other } => {
                write!(f, "`{other}` also defines `{name}`, which may override it or be overridden")
            }
            Why::CalledUnbound { name, class } => write!(f, "`{name}` is called unbound, as `{class}.{name}(...)`"),
            Why::SharesLine => f.write_str("the `def` shares its line"),
            Why::CommentAfterFirstParameter => f.write_str("a comment follows the first parameter"),
            Why::RunningTestCase { name } => write!(
                f,
                "make `{name}` a module-level function or a `@staticmethod` that receives what it needs as arguments"
            ),
        }
    }
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in ctx.pickle_sinks() {
        let Some(site) = method_site(ctx, sink.callable, sink.scope) else {
            continue;
        };
        let holders = unpicklable_attributes(ctx, site.class_scope);
        let pickles = format!(
            "`{}.{}` passed to `{}` pickles `{}`",
            site.self_name,
            site.def.name.id,
            sink.kind.describe(),
            site.self_name
        );
        if holders.is_empty() {
            if let Some(base) = test_case_base(ctx, site.class, site.class_scope, 0) {
                let message = format!(
                    "{pickles}, a running `{base}`, which cannot be pickled: its outcome holds the test result and the runner's output stream"
                );
                let remedy = Remedy::NoFix(Why::RunningTestCase { name: site.def.name.id.to_string() }.into());
                findings.push(Finding::at_sink(Rule::MethodToStaticmethod, sink, site.report, message, remedy));
            }
            continue;
        }
        let held: Vec<String> =
            holders.iter().map(|(attr, object)| format!("`self.{attr}` holds {}", object.what())).collect();
        let message = format!("{pickles}, which cannot be pickled: {}", held.join(", "));
        let remedy = Remedy::from_fix(fix(ctx, &site));
        findings.push(Finding::at_sink(Rule::MethodToStaticmethod, sink, site.report, message, remedy));
    }
}

/// The test case classes of `unittest`: while a test runs, the instance's `_outcome` holds the result,
/// whose output stream pickle refuses (`cannot pickle '_io.TextIOWrapper' object`).
const TEST_CASES: &[&str] = &[
    "unittest.TestCase",
    "unittest.case.TestCase",
    "unittest.IsolatedAsyncioTestCase",
    "unittest.async_case.IsolatedAsyncioTestCase",
];

/// Whether the qualified name `q` is the test case class `name`, also through a project module that
/// re-exports `unittest` (`from helpers import unittest`, a common shim): `helpers.unittest.TestCase`.
/// Twisted's `twisted.trial.unittest.TestCase` is another class.
fn is_test_case(q: &str, name: &str) -> bool {
    q == name
        || q.strip_suffix(name).is_some_and(|module| {
            module.ends_with('.') && !module[..module.len() - 1].contains('.') && module != "twisted."
        })
}

/// The `unittest` test case class the class derives from, directly or through classes of the file; none
/// for a class that chooses what pickle sends.
fn test_case_base(ctx: &Context, class: &ast::StmtClassDef, class_scope: ScopeId, depth: u32) -> Option<&'static str> {
    if depth > 8 || CUSTOM_PICKLING.iter().any(|m| ctx.sem.scopes[class_scope].bindings.contains_key(m)) {
        return None;
    }
    let parent = ctx.sem.scopes[class_scope].parent?;
    class.bases().iter().find_map(|base| {
        if let Value::Qualified(q) = ctx.resolver.eval(base, parent)
            && let Some(name) = TEST_CASES.iter().find(|name| is_test_case(&q, name))
        {
            return Some(*name);
        }
        let Expr::Name(name) = base else { return None };
        let (_, binding) = ctx.sem.sole_binding(name.id.as_str(), parent)?;
        let BindingKind::ClassDef(def) = binding.kind else { return None };
        let scope = ctx.sem.scopes.iter().position(|s| matches!(s.kind, ScopeKind::Class(c) if c.range == def.range))?;
        test_case_base(ctx, def, scope, depth + 1)
    })
}

/// `self.<method>` reaching a sink.
struct MethodSite<'a> {
    def: &'a ast::StmtFunctionDef,
    class: &'a ast::StmtClassDef,
    class_scope: ScopeId,
    self_name: &'a str,
    report: TextRange,
}

fn method_site<'a>(ctx: &Context<'_, 'a>, expr: &'a Expr, scope: ScopeId) -> Option<MethodSite<'a>> {
    match expr {
        Expr::Attribute(attr) => {
            let Expr::Name(base) = attr.value.as_ref() else { return None };
            let (_, binding) = ctx.sem.sole_binding(base.id.as_str(), scope)?;
            let BindingKind::Parameter { self_of: Some(class_scope) } = binding.kind else { return None };
            let ScopeKind::Class(class) = ctx.sem.scopes[class_scope].kind else { return None };
            let [method] = ctx.sem.bindings(attr.attr.id.as_str(), class_scope) else { return None };
            let BindingKind::FunctionDef(def) = method.kind else { return None };
            // Static and class methods reached through `self` pickle fine.
            if !is_plain_method(def) {
                return None;
            }
            Some(MethodSite { def, class, class_scope, self_name: base.id.as_str(), report: attr.range })
        }
        _ => method_site(ctx, ctx.resolver.partial_target(expr, scope)?, scope),
    }
}

/// Builds the fix, or says why there is none.
fn fix(ctx: &Context, site: &MethodSite) -> Result<(String, Fix), Refusal> {
    let def = site.def;
    let name = def.name.id.as_str();
    let named = || name.to_string();
    let info = ctx.sem.functions.get(&def.range.start()).ok_or(Refusal::Unexpected("the method was not analysed"))?;
    if !def.parameters.posonlyargs.is_empty() {
        return Err(Why::PositionalOnly { name: named() }.into());
    }
    let first = def.parameters.args.first().ok_or(Why::NoSelfParameter { name: named() })?;
    let self_param = first.parameter.name.id.as_str();
    if let Some(used) = uses_instance(ctx, self_param, info.scope) {
        return Err(Why::UsesInstance { name: named(), used: used.to_string() }.into());
    }
    if !def.decorator_list.is_empty() {
        return Err(Why::Decorated { name: named() }.into());
    }
    if name.starts_with("__") && !name.ends_with("__") {
        return Err(Why::Mangled { name: named(), class: site.class.name.id.to_string() }.into());
    }
    if let Some(other) = other_class_defining(ctx, site.class_scope, name) {
        return Err(Why::DefinedByAnotherClass { name: named(), other: other.to_string() }.into());
    }
    if is_called_unbound(ctx, site.class, name) {
        return Err(Why::CalledUnbound { name: named(), class: site.class.name.id.to_string() }.into());
    }

    let indent = crate::edits::indentation(ctx.text, ctx.tokens, def).ok_or(Why::SharesLine)?;
    let decorator = Edit::insertion(format!("@staticmethod{}{indent}", ctx.layout.eol), def.range.start());
    let removal = Edit::range_deletion(first_parameter_range(ctx, def, first.range)?);
    let title = format!("Make `{name}` a `@staticmethod` without `{self_param}`; call sites stay as they are");
    Ok((title, Fix::unsafe_edits(decorator, [removal])))
}

/// `self`, `super` or `__class__` read inside the method (or a function nested in it).
fn uses_instance<'a>(ctx: &Context<'_, 'a>, self_param: &str, method_scope: ScopeId) -> Option<&'a str> {
    ctx.sem.loads.iter().filter(|load| ctx.sem.is_within(load.scope, method_scope)).find_map(|load| {
        let resolved = ctx.sem.lookup(load.name, load.scope);
        let is_self = load.name == self_param && resolved == Some(method_scope);
        let is_class_cell = matches!(load.name, "super" | "__class__") && resolved.is_none();
        (is_self || is_class_cell).then_some(load.name)
    })
}

/// Another class of the file that defines a method of the same name.
fn other_class_defining<'a>(ctx: &Context<'_, 'a>, class_scope: ScopeId, name: &str) -> Option<&'a str> {
    ctx.sem.scopes.iter().enumerate().find_map(|(id, scope)| match scope.kind {
        ScopeKind::Class(class) if id != class_scope && scope.bindings.contains_key(name) => {
            Some(class.name.id.as_str())
        }
        _ => None,
    })
}

/// `Class.method(...)` anywhere in the file.
fn is_called_unbound(ctx: &Context, class: &ast::StmtClassDef, name: &str) -> bool {
    ctx.sem.calls.iter().any(|site| {
        matches!(site.call.func.as_ref(), Expr::Attribute(attr)
            if attr.attr.id.as_str() == name
                && matches!(attr.value.as_ref(), Expr::Name(base) if base.id == class.name.id))
    })
}

/// The first parameter with the comma and space after it (`self, ` in `(self, x)`), or alone.
fn first_parameter_range(ctx: &Context, def: &ast::StmtFunctionDef, first: TextRange) -> Result<TextRange, Refusal> {
    let close = def.parameters.range.end();
    let mut after = ctx
        .tokens
        .in_range(TextRange::new(first.end(), close))
        .iter()
        .filter(|t| !matches!(t.kind(), TokenKind::NonLogicalNewline | TokenKind::Newline));
    match after.next().map(|t| (t.kind(), t.range())) {
        Some((TokenKind::Comma, _)) => {
            let next = after
                .find(|t| t.kind() != TokenKind::Comment)
                .ok_or(Refusal::Unexpected("no token after the comma"))?;
            if ctx
                .tokens
                .in_range(TextRange::new(first.end(), next.start()))
                .iter()
                .any(|t| t.kind() == TokenKind::Comment)
            {
                return Err(Why::CommentAfterFirstParameter.into());
            }
            Ok(TextRange::new(first.start(), next.start()))
        }
        Some((TokenKind::Rpar, _)) => Ok(first),
        _ => Err(Refusal::Unexpected("the parameter list has an unexpected shape")),
    }
}

#[cfg(test)]
mod tests {
    use super::is_test_case;

    #[test]
    fn test_cases_are_unittest_s_also_through_a_project_shim() {
        assert!(is_test_case("unittest.TestCase", "unittest.TestCase"));
        assert!(is_test_case("helpers.unittest.TestCase", "unittest.TestCase"));
        assert!(!is_test_case("twisted.trial.unittest.TestCase", "unittest.TestCase"));
        assert!(!is_test_case("twisted.unittest.TestCase", "unittest.TestCase"));
        assert!(!is_test_case("myunittest.TestCase", "unittest.TestCase"));
        assert!(!is_test_case("django.test.TestCase", "unittest.TestCase"));
    }
}
