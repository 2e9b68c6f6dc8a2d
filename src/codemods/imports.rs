//! Making sure a module or a name of a module can be reached from the code a fix writes: the one way
//! every codemod adds an import. An import already there (under any alias) is reused when it surely
//! runs before the new code: a module-level statement of its own, above it, not inside `if`, `try` or
//! the `__main__` guard (an import under `if TYPE_CHECKING:` never runs). Otherwise one is added after
//! the module's imports, and asking twice gives the same edit, which the engine applies once.

use ruff_diagnostics::Edit;
use ruff_python_ast::Stmt;
use ruff_text_size::{Ranged, TextSize};

use super::Context;
use crate::edits::add_import;
use crate::pools::Value;
use crate::semantic::{MODULE_SCOPE, ScopeId};

/// What the new code needs to reach.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Needed<'n> {
    /// A module, reached by its name: `import functools`.
    Module(&'n str),
    /// `module.member`, imported as a module when no import reaches it (`import functools` for
    /// `functools.partial`).
    ThroughModule { module: &'n str, member: &'n str },
    /// `module.member`, imported by name when no import reaches it (`from m import member`).
    ByName { module: &'n str, member: &'n str },
}

impl Context<'_, '_> {
    /// The text that reaches `needed` from code at `at` in `scope`, and the import to add when none does
    /// yet; `Err` names the name that an import would have to bind and that already means something else.
    pub(crate) fn reach(&self, needed: Needed, scope: ScopeId, at: TextSize) -> Result<(String, Option<Edit>), String> {
        let (module, member) = match needed {
            Needed::Module(module) => (module, None),
            Needed::ThroughModule { module, member } | Needed::ByName { module, member } => (module, Some(member)),
        };
        let qualified_member = member.map(|member| format!("{module}.{member}"));
        let mut names: Vec<&&str> = self.sem.scopes[MODULE_SCOPE].bindings.keys().collect();
        names.sort();
        for name in names.into_iter().filter(|name| self.runs_before(name, at)) {
            let Value::Qualified(q) = self.resolver.eval_name(name, scope, 0) else { continue };
            if q == module {
                return Ok((member.map_or_else(|| (*name).to_string(), |member| format!("{name}.{member}")), None));
            }
            if qualified_member.as_deref() == Some(q.as_str()) {
                return Ok(((*name).to_string(), None));
            }
        }
        let (binds, statement, text) = match needed {
            Needed::Module(module) => (module, format!("import {module}"), module.to_string()),
            Needed::ThroughModule { module, member } => {
                (module, format!("import {module}"), format!("{module}.{member}"))
            }
            Needed::ByName { module, member } => (member, format!("from {module} import {member}"), member.to_string()),
        };
        let binds = binds.split('.').next().unwrap_or(binds);
        if self.sem.all_names.contains(binds) {
            return Err(binds.to_string());
        }
        Ok((text, Some(add_import(self.text, self.body, &statement, &self.layout))))
    }

    /// Whether every module-level binding of `name` is made by a module statement of its own (not
    /// nested in a block) that ends before `at`.
    fn runs_before(&self, name: &str, at: TextSize) -> bool {
        let is_module_statement = |stmt: &Stmt| self.body.iter().any(|top| std::ptr::eq(top, stmt));
        self.sem
            .bindings(name, MODULE_SCOPE)
            .iter()
            .all(|binding| binding.stmt.is_some_and(|stmt| is_module_statement(stmt) && stmt.end() <= at))
    }
}

#[cfg(test)]
mod tests {
    use ruff_diagnostics::Applicability;

    use crate::{Refusal, Rule, Settings, check_source, fix_source};

    fn fixed(rule: Rule, src: &str) -> String {
        let settings = Settings { rules: vec![rule], applicability: Applicability::Unsafe, ..Settings::default() };
        fix_source(src, &settings).unwrap().text
    }

    #[test]
    fn an_import_already_there_is_reused_under_its_alias() {
        let lambda = "def m(k):\n    with mp.Pool() as p:\n        p.map(lambda x: x * k, [1])\n";
        for (imports, partial) in [
            ("import functools as ft\n", "ft.partial"),
            ("from functools import partial\n", "partial"),
            ("from functools import partial as bind\n", "bind"),
            ("", "functools.partial"),
        ] {
            let src = format!("import multiprocessing as mp\n{imports}\n\n{lambda}");
            let out = fixed(Rule::LambdaToFunction, &src);
            assert!(out.contains(&format!("p.map({partial}(_m_map_task, k=k), [1])")), "{imports:?}:\n{out}");
            let added = out.lines().filter(|line| *line == "import functools").count();
            assert_eq!(added, usize::from(imports.is_empty()), "{out}");
        }
        // The manager comes from the module the file already imports, under its alias.
        let src = "import multiprocessing as mp\nfrom multiprocessing import Queue\n\n\ndef m():\n    q = Queue()\n    with mp.Pool() as p:\n        p.map(f, [q])\n";
        let out = fixed(Rule::QueueToPool, src);
        assert!(out.contains("    manager = mp.Manager()\n    q = manager.Queue()\n"), "{out}");
        assert_eq!(out.matches("import").count(), 2, "{out}");
    }

    /// An import that may not have run where the new code runs is not reused: the fix adds its own.
    #[test]
    fn an_import_that_may_not_run_first_is_not_reused() {
        let lambda = "def m(k):\n    with mp.Pool() as p:\n        p.map(lambda x: x * k, [1])\n";
        for imports in [
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from functools import partial\n",
            "try:\n    import functools as ft\nexcept ImportError:\n    pass\n",
            "if __name__ == '__main__':\n    from functools import partial\n",
        ] {
            let src = format!("import multiprocessing as mp\n{imports}\n\n{lambda}");
            let out = fixed(Rule::LambdaToFunction, &src);
            assert!(out.contains("p.map(functools.partial(_m_map_task, k=k), [1])"), "{imports:?}:\n{out}");
            assert_eq!(out.lines().filter(|line| *line == "import functools").count(), 1, "{out}");
        }
        // An import below the code that needs it may not have run when that code runs.
        let src = format!("import multiprocessing as mp\n\n\n{lambda}import functools as ft\n");
        let out = fixed(Rule::LambdaToFunction, &src);
        assert!(out.contains("p.map(functools.partial(_m_map_task, k=k), [1])"), "{out}");
        assert!(out.starts_with("import functools\nimport multiprocessing as mp\n"), "{out}");
        // pathos's pool imported for type checkers only: the name is taken by an import that never runs,
        // so the swap is refused rather than relying on it.
        let src = "import multiprocessing as mp\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pathos.multiprocessing import ProcessingPool\n\n\ndef m():\n    with mp.Pool(2) as p:\n        p.map(lambda x: x, [1])\n";
        let settings =
            Settings { applicability: Applicability::Unsafe, swap: Some(crate::Swap::Pathos), ..Settings::default() };
        let findings = check_source(src, &settings).unwrap();
        let taken = crate::codemods::swap::Why::Pathos(crate::codemods::swap::pathos::Why::ProcessingPoolTaken);
        assert!(
            matches!(findings[0].remedy.refusal(), Some(Refusal::Swap { why, .. }) if *why == taken),
            "{findings:?}"
        );
    }

    #[test]
    fn a_name_taken_by_something_else_refuses_the_fix() {
        let src = "import multiprocessing as mp\nfunctools = None\n\n\ndef m(k):\n    with mp.Pool() as p:\n        p.map(lambda x: x * k, [1])\n";
        let findings = check_source(src, &Settings::default()).unwrap();
        assert_eq!(findings[0].remedy.refusal(), Some(&Refusal::Move(super::super::hoist::Why::FunctoolsTaken)));
    }
}
