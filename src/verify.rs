//! The last check of every pass of fixes, before anything is written: the fixed text must not change
//! what the program's names mean. A fix that passed its own rule's checks can still go wrong next to
//! another one (two moved functions taking one name), and a wrong name is the kind of mistake that
//! makes a program run and print something else. When the check fails, the file is left as it was.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::Stmt;

use crate::semantic::{MODULE_SCOPE, Semantic};

/// What a pass of fixes did to the program's names that no fix may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// A module-level name is bound more often than before: a new binding shadows an old one or another
    /// new one.
    Shadowed(String),
    /// A name is read where nothing binds it any more (nor a builtin): it would raise `NameError`.
    Unbound(String),
}

impl std::fmt::Display for NameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameProblem::Shadowed(name) => write!(f, "the module-level name `{name}` would be bound twice"),
            NameProblem::Unbound(name) => write!(f, "`{name}` would be read where nothing binds it"),
        }
    }
}

/// The names of one module: how often each module-level name is bound, and the names read where nothing
/// binds them. The names after one pass of fixes are the names before the next: build them once.
pub struct Names {
    module_bindings: HashMap<String, usize>,
    unbound_reads: HashSet<String>,
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
        Names { module_bindings, unbound_reads }
    }
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
    unbound.first().map(|name| NameProblem::Unbound((*name).clone()))
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
}
