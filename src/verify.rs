//! The last check of every pass of fixes, before anything is written: the fixed text must not change
//! what the program's names mean. A fix that passed its own rule's checks can still go wrong next to
//! another one (two moved functions taking one name), and a wrong name is the kind of mistake that
//! makes a program run and print something else. When the check fails, the file is left as it was.
//!
//! Three things are checked: no module-level name is bound more often than before, no name is read where
//! nothing binds it, and functions are not called (directly, through `functools.partial`, or by a pool
//! whose call shows the arguments) in ways their parameters do not accept more often than before: a moved
//! function that gained a parameter and kept a caller that does not pass it. A call that was already
//! wrong (a lambda taking no argument handed to `map`) stays wrong under the moved function's new name
//! and is no new problem.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{self as ast, Expr, Stmt};

use crate::pools::{Resolver, Value, call_shape};
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId, ScopeKind, Semantic};

/// What a pass of fixes did to the program's names that no fix may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// A module-level name is bound more often than before: a new binding shadows an old one or another
    /// new one.
    Shadowed(String),
    /// A name is read where nothing binds it any more (nor a builtin): it would raise `NameError`.
    Unbound(String),
    /// A module-level function is called with arguments its parameters do not accept: it would raise
    /// `TypeError`.
    Mismatched(String),
}

impl std::fmt::Display for NameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameProblem::Shadowed(name) => write!(f, "the module-level name `{name}` would be bound twice"),
            NameProblem::Unbound(name) => write!(f, "`{name}` would be read where nothing binds it"),
            NameProblem::Mismatched(name) => {
                write!(f, "`{name}` would be called with arguments its parameters do not accept")
            }
        }
    }
}

/// The names of one module: how often each module-level name is bound, and the names read where nothing
/// binds them. The names after one pass of fixes are the names before the next: build them once.
pub struct Names {
    module_bindings: HashMap<String, usize>,
    unbound_reads: HashSet<String>,
    /// For each module-level function, how many of its calls pass arguments it does not accept.
    mismatched_calls: HashMap<String, usize>,
}

impl Names {
    pub fn of(body: &[Stmt]) -> Names {
        let sem = Semantic::build(body);
        let module_bindings = sem.scopes[MODULE_SCOPE]
            .bindings
            .iter()
            .map(|(name, bindings)| (name.to_string(), bindings.len()))
            .collect();
        let unbound_reads = sem
            .loads
            .iter()
            .filter(|load| sem.lookup(load.name, load.scope).is_none() && !is_always_bound(load.name))
            .map(|load| load.name.to_string())
            .collect();
        Names { module_bindings, unbound_reads, mismatched_calls: mismatched_calls(&sem) }
    }
}

/// How a call passes its arguments: positional ones, and keywords by name. `None` for `*args` or `**kw`
/// at the call, whose contents are unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Passed {
    positional: usize,
    keywords: Vec<String>,
}

impl Passed {
    fn of(arguments: &ast::Arguments, skip: usize) -> Option<Passed> {
        if arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none()) {
            return None;
        }
        let keywords = arguments.keywords.iter().filter_map(|k| k.arg.as_ref().map(|a| a.to_string())).collect();
        Some(Passed { positional: arguments.args.len().saturating_sub(skip), keywords })
    }
}

/// Whether arguments passed as `passed` bind to `params` as Python binds them; with `partial`, only the
/// first part of the arguments is known (`functools.partial(f, ...)`), so missing ones are no error.
fn accepts(params: &ast::Parameters, passed: &Passed, partial: bool) -> bool {
    let positional: Vec<&ast::ParameterWithDefault> = params.posonlyargs.iter().chain(&params.args).collect();
    if passed.positional > positional.len() && params.vararg.is_none() {
        return false;
    }
    let mut filled: Vec<&str> = positional.iter().take(passed.positional).map(|p| p.parameter.name.as_str()).collect();
    for keyword in &passed.keywords {
        let posonly = params.posonlyargs.iter().any(|p| p.parameter.name.as_str() == keyword);
        let named = params.args.iter().chain(&params.kwonlyargs).any(|p| p.parameter.name.as_str() == keyword);
        // A keyword that names a positional-only parameter goes to `**kwargs`, when there is one.
        let twice = named && filled.contains(&keyword.as_str());
        if twice || (!named && params.kwarg.is_none()) || (posonly && params.kwarg.is_none()) {
            return false;
        }
        if named {
            filled.push(keyword);
        }
    }
    partial
        || positional
            .iter()
            .copied()
            .chain(&params.kwonlyargs)
            .all(|p| p.default.is_some() || filled.contains(&p.parameter.name.as_str()))
}

/// A function a call can be checked against: a `def` or a lambda, with the name it is counted under.
struct Callee<'a> {
    name: String,
    parameters: Option<&'a ast::Parameters>,
}

/// The function `expr` is, seen from `scope`: a lambda written there, or a name whose only binding in
/// the scope that binds it (not a class body) is an undecorated `def` or `name = lambda ...`. Functions
/// of every scope count, not only module-level ones: a fix moves a local function or a lambda to module
/// level under a new name, and a call that was wrong before stays wrong after; only new ones are the
/// fix's doing.
fn callee<'a>(sem: &Semantic<'a>, expr: &'a Expr, scope: ScopeId) -> Option<Callee<'a>> {
    let name = match expr {
        Expr::Lambda(lambda) => {
            return Some(Callee { name: "<lambda>".to_string(), parameters: lambda.parameters.as_deref() });
        }
        Expr::Name(name) => name.id.as_str(),
        _ => return None,
    };
    let bound_in = sem.lookup(name, scope)?;
    if let ScopeKind::Class(_) = sem.scopes[bound_in].kind {
        return None;
    }
    let parameters = match sem.bindings(name, bound_in) {
        [binding] => match binding.kind {
            BindingKind::FunctionDef(def) if def.decorator_list.is_empty() => Some(def.parameters.as_ref()),
            BindingKind::Assign(Expr::Lambda(lambda)) => lambda.parameters.as_deref(),
            _ => return None,
        },
        _ => return None,
    };
    Some(Callee { name: name.to_string(), parameters })
}

/// The function `functools.partial(f, ...)` wraps, when `call` is one.
fn partial_target<'e>(resolver: &Resolver, call: &'e ast::ExprCall, scope: ScopeId) -> Option<&'e Expr> {
    if resolver.eval(&call.func, scope) != Value::Qualified("functools.partial".to_string()) {
        return None;
    }
    call.arguments.args.first().filter(|f| !f.is_starred_expr())
}

/// For each function (by name; `<lambda>` for lambdas written at the call), how many calls pass
/// arguments it does not accept: direct calls, `functools.partial(f, ...)`, and pools whose call shows
/// how they call `f` (or a partial of it).
fn mismatched_calls(sem: &Semantic) -> HashMap<String, usize> {
    let resolver = Resolver::new(sem);
    let partial_of = |call, scope| partial_target(&resolver, call, scope);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let no_parameters = ast::Parameters::default();
    let mut count = |callee: Callee, passed: &Passed, partial: bool| {
        if !accepts(callee.parameters.unwrap_or(&no_parameters), passed, partial) {
            *counts.entry(callee.name).or_default() += 1;
        }
    };
    for site in &sem.calls {
        let arguments = &site.call.arguments;
        if let Some(def) = callee(sem, &site.call.func, site.scope) {
            if let Some(passed) = Passed::of(arguments, 0) {
                count(def, &passed, false);
            }
        } else if let Some(target) = partial_of(site.call, site.scope)
            && let Some(def) = callee(sem, target, site.scope)
            && let Some(passed) = Passed::of(arguments, 1)
        {
            count(def, &passed, true);
        }
    }
    for sink in resolver.sinks() {
        let Some(shape) = call_shape(&sink) else { continue };
        let mut passed = Passed { positional: shape.positional, keywords: shape.keywords };
        let def = match sink.callable {
            Expr::Call(call) => {
                let Some(target) = partial_of(call, sink.scope) else { continue };
                let Some(bound) = Passed::of(&call.arguments, 1) else { continue };
                passed.positional += bound.positional;
                // A keyword given to both the partial and the call is the call's: once.
                let new: Vec<String> = bound.keywords.into_iter().filter(|k| !passed.keywords.contains(k)).collect();
                passed.keywords.extend(new);
                callee(sem, target, sink.scope)
            }
            callable => callee(sem, callable, sink.scope),
        };
        if let Some(def) = def {
            count(def, &passed, false);
        }
    }
    counts
}

/// Builtins and the globals every module has (`__name__`, `__file__`), in any Python 3 version.
fn is_always_bound(name: &str) -> bool {
    ruff_python_stdlib::builtins::is_python_builtin(name, 14, false)
        || ruff_python_stdlib::builtins::python_magic_globals(14).any(|global| global == name)
}

/// The first problem the fixes that turned a text with names `old` into one with names `new` made, if any.
pub fn check(old: &Names, new: &Names) -> Option<NameProblem> {
    let mut shadowed: Vec<&String> = new
        .module_bindings
        .iter()
        .filter(|(name, count)| **count > 1 && **count > old.module_bindings.get(*name).copied().unwrap_or(0))
        .map(|(name, _)| name)
        .collect();
    shadowed.sort();
    if let Some(name) = shadowed.first() {
        return Some(NameProblem::Shadowed((*name).clone()));
    }
    let mut unbound: Vec<&String> = new.unbound_reads.difference(&old.unbound_reads).collect();
    unbound.sort();
    if let Some(name) = unbound.first() {
        return Some(NameProblem::Unbound((*name).clone()));
    }
    // Counted over all functions: a fix that moves a function renames it, and the calls that were wrong
    // under the old name are wrong under the new one.
    let total = |names: &Names| names.mismatched_calls.values().sum::<usize>();
    if total(new) <= total(old) {
        return None;
    }
    let mut mismatched: Vec<&String> = new
        .mismatched_calls
        .iter()
        .filter(|(name, count)| **count > old.mismatched_calls.get(*name).copied().unwrap_or(0))
        .map(|(name, _)| name)
        .collect();
    mismatched.sort();
    mismatched.first().map(|name| NameProblem::Mismatched((*name).clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(before: &str, after: &str) -> Option<NameProblem> {
        let (before, after) = (crate::source::parse(before).unwrap(), crate::source::parse(after).unwrap());
        check(&Names::of(before.suite()), &Names::of(after.suite()))
    }

    #[test]
    fn a_second_binding_of_a_module_name_or_a_new_unbound_read_is_a_problem() {
        let local = "def f():\n    def job():\n        return 1\n    return job\n\
                     def g():\n    def job():\n        return 2\n    return job\n";
        let clash =
            "def job():\n    return 1\ndef f():\n    return job\ndef job():\n    return 2\ndef g():\n    return job\n";
        assert_eq!(problem(local, clash), Some(NameProblem::Shadowed("job".into())));
        let renamed = "def job():\n    return 1\ndef f():\n    return job\ndef _g_job():\n    return 2\ndef g():\n    return _g_job\n";
        assert_eq!(problem(local, renamed), None);
        // A lambda that read a local, moved without it.
        let lambda = "def f(k):\n    return lambda x: x * k\n";
        let lost = "def _task(x):\n    return x * k\ndef f(k):\n    return _task\n";
        assert_eq!(problem(lambda, lost), Some(NameProblem::Unbound("k".into())));
        // Names that were unbound before (builtins, names from `*` imports) are not the fixes' doing.
        assert_eq!(problem("print(x)\n", "def f():\n    print(x)\nf()\n"), None);
    }

    #[test]
    fn a_moved_function_called_with_arguments_it_does_not_accept_is_a_problem() {
        let m = "import functools\nimport multiprocessing\n";
        let before = format!("{m}def run(k):\n    def job(x):\n        return x * k\n    job(1)\n");
        // The capture became a keyword-only parameter; the call left in `run` does not pass it.
        let lost = format!("{m}def _run_job(x, *, k):\n    return x * k\ndef run(k):\n    _run_job(1)\n");
        assert_eq!(problem(&before, &lost), Some(NameProblem::Mismatched("_run_job".into())));
        let kept = format!("{m}def _run_job(x, *, k):\n    return x * k\ndef run(k):\n    _run_job(1, k=k)\n");
        assert_eq!(problem(&before, &kept), None);
        // A partial that binds the capture, handed to a pool that passes one argument: accepted.
        let pooled = format!(
            "{m}def _t(x, *, k):\n    return x * k\ndef run(k):\n    with multiprocessing.Pool() as p:\n        p.map(functools.partial(_t, k=k), [1])\n"
        );
        assert_eq!(problem(&before, &pooled), None);
        // The same partial binding a name the function lacks, or a map that passes an argument too many.
        let wrong = pooled.replace("k=k), [1]", "n=k), [1]");
        assert_eq!(problem(&before, &wrong), Some(NameProblem::Mismatched("_t".into())));
        let too_many = format!(
            "{m}def _t():\n    return 1\ndef run(k):\n    with multiprocessing.Pool() as p:\n        p.map(_t, [1])\n"
        );
        assert_eq!(problem(&before, &too_many), Some(NameProblem::Mismatched("_t".into())));
        // Calls that were already wrong before the fix, or that spread unknown arguments, are not counted.
        let wrong_before = format!("{m}def f(a):\n    pass\nf()\n");
        assert_eq!(problem(&wrong_before, &format!("{wrong_before}x = 1\n")), None);
        assert_eq!(problem(&before, &format!("{m}xs, kw = [], {{}}\ndef g(a):\n    pass\ng(*xs)\ng(**kw)\n")), None);
    }

    #[test]
    fn a_call_that_was_wrong_before_a_move_is_no_new_problem() {
        let m = "import multiprocessing\n";
        let pool = "    with multiprocessing.Pool() as p:\n";
        // A lambda that takes no argument, handed to `map`: wrong as written, wrong after the move.
        let lambda = format!("{m}def main():\n{pool}        p.map(lambda: 1, [1])\n");
        let moved =
            format!("{m}def _main_map_task():\n    return 1\ndef main():\n{pool}        p.map(_main_map_task, [1])\n");
        assert_eq!(problem(&lambda, &moved), None);
        // A local function called with an argument too many, moved: the same.
        let local =
            format!("{m}def main():\n    def job():\n        return 1\n    job(2)\n{pool}        p.map(job, [1])\n");
        let hoisted = format!(
            "{m}def _main_job():\n    return 1\ndef main():\n    _main_job(2)\n{pool}        p.map(_main_job, [1])\n"
        );
        assert_eq!(problem(&local, &hoisted), None);
        // A named lambda, moved: counted under its name before, its new name after.
        let named = format!("{m}def main():\n    f = lambda: 1\n{pool}        p.map(f, [1])\n");
        assert_eq!(problem(&named, &moved), None);
        // But a moved lambda that lost the parameter the pool passes is a new problem.
        let fine = lambda.replace("lambda: 1", "lambda x: 1");
        assert_eq!(problem(&fine, &moved), Some(NameProblem::Mismatched("_main_map_task".into())));
    }

    #[test]
    fn arguments_bind_as_python_binds_them() {
        let def = |src: &str| {
            let parsed = crate::source::parse(&format!("def f{src}:\n    pass\n")).unwrap();
            let Stmt::FunctionDef(def) = &parsed.suite()[0] else { unreachable!() };
            def.parameters.as_ref().clone()
        };
        let passed = |positional: usize, keywords: &[&str]| Passed {
            positional,
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
        };
        assert!(accepts(&def("(a, b=1)"), &passed(1, &[]), false));
        assert!(!accepts(&def("(a, b=1)"), &passed(3, &[]), false));
        assert!(accepts(&def("(a, *rest)"), &passed(3, &[]), false));
        assert!(!accepts(&def("(a, b)"), &passed(1, &["a"]), false));
        assert!(accepts(&def("(a, b)"), &passed(1, &["b"]), false));
        assert!(!accepts(&def("(a, /, b)"), &passed(0, &["a", "b"]), false));
        assert!(accepts(&def("(a, /, b, **kw)"), &passed(1, &["a", "b"]), false));
        assert!(!accepts(&def("(a, *, k)"), &passed(1, &[]), false));
        assert!(accepts(&def("(a, *, k)"), &passed(0, &["k"]), true));
        assert!(!accepts(&def("(a)"), &passed(0, &["z"]), true));
        assert!(accepts(&def("(a, **kw)"), &passed(0, &["z", "a"]), false));
    }
}
