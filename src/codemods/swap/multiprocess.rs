//! `--swap multiprocess`: every import of `multiprocessing`, at any depth, imports `multiprocess` under
//! the same name, so `get_context(...)` and `set_start_method(...)` keep applying to the new module.

use ruff_diagnostics::Edit;
use ruff_python_ast::Stmt;
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_text_size::Ranged;

use super::super::Context;
use crate::pools::api::{Alias, dill_alias, pool};
use crate::pools::{PoolKind, Value};

/// Why the file cannot import `multiprocess` instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// A `ProcessPoolExecutor(mp_context=...)` would get a `multiprocess` context.
    ExecutorContext,
    /// `import multiprocessing.<sub>` binds `multiprocessing` itself.
    SubmoduleImport {
        module: String,
    },
    NoImport,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::ExecutorContext => {
                f.write_str("a `ProcessPoolExecutor`'s `mp_context` would become a `multiprocess` context")
            }
            Why::SubmoduleImport { module } => {
                write!(f, "`import {module}` binds `multiprocessing` itself; import it with `as` first")
            }
            Why::NoImport => f.write_str("no `import multiprocessing` to swap"),
        }
    }
}

/// Every import statement of the module, at any depth.
fn imports(body: &[Stmt]) -> Vec<&Stmt> {
    struct Imports<'a>(Vec<&'a Stmt>);
    impl<'a> StatementVisitor<'a> for Imports<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if stmt.is_import_stmt() || stmt.is_import_from_stmt() {
                self.0.push(stmt);
            }
            walk_stmt(self, stmt);
        }
    }
    let mut visitor = Imports(Vec::new());
    visitor.visit_body(body);
    visitor.0
}

/// `multiprocess`, the package with `multiprocessing`'s API whose pools pickle with dill.
fn package() -> &'static Alias {
    dill_alias(PoolKind::Multiprocess).expect("the table has multiprocess")
}

/// `multiprocessing` or `multiprocessing.<sub>`, with what follows `multiprocessing`.
fn multiprocessing_module(name: &str) -> Option<&str> {
    let rest = name.strip_prefix(package().same_as)?;
    (rest.is_empty() || rest.starts_with('.')).then_some(rest)
}

pub(super) fn edits(ctx: &Context) -> Result<Vec<Edit>, Why> {
    // `ProcessPoolExecutor(mp_context=mp.get_context(...))` would get a `multiprocess` context.
    let context = pool(PoolKind::Executor).context;
    let executor_context = ctx.sem.calls.iter().any(|site| {
        ctx.resolver.eval_call(site.call, site.scope) == Value::Pool(PoolKind::Executor)
            && context.is_some_and(|param| param.find(&site.call.arguments).is_some())
    });
    if executor_context {
        return Err(Why::ExecutorContext);
    }
    let Alias { root, same_as, .. } = package();
    let mut edits = Vec::new();
    for stmt in imports(ctx.body) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let Some(rest) = multiprocessing_module(alias.name.as_str()) else { continue };
                    match (&alias.asname, rest.is_empty()) {
                        (None, true) => {
                            edits.push(Edit::range_replacement(format!("{root} as {same_as}"), alias.range()))
                        }
                        // `import multiprocessing.connection` beside a module-level `import
                        // multiprocessing` only loads the submodule, which `multiprocess.connection` does.
                        (None, false) if plain_import_beside(ctx, stmt) => {
                            edits.push(Edit::range_replacement(format!("{root}{rest}"), alias.name.range()))
                        }
                        (None, false) => {
                            return Err(Why::SubmoduleImport { module: alias.name.to_string() });
                        }
                        (Some(_), _) => {
                            edits.push(Edit::range_replacement(format!("{root}{rest}"), alias.name.range()))
                        }
                    }
                }
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                let Some(module) = &from.module else { continue };
                if let Some(rest) = multiprocessing_module(module.as_str()) {
                    edits.push(Edit::range_replacement(format!("{root}{rest}"), module.range()));
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return Err(Why::NoImport);
    }
    Ok(edits)
}

/// Whether `stmt` and a plain `import multiprocessing` are both module-level statements, and the name
/// `multiprocess` is free for the submodule import to bind.
fn plain_import_beside(ctx: &Context, stmt: &Stmt) -> bool {
    let at_module_level = |s: &Stmt| ctx.body.iter().any(|top| std::ptr::eq(top, s));
    let Alias { root, same_as, .. } = package();
    let plain = ctx.body.iter().any(|top| match top {
        Stmt::Import(import) => {
            import.names.iter().any(|alias| alias.name.as_str() == *same_as && alias.asname.is_none())
        }
        _ => false,
    });
    plain && at_module_level(stmt) && !ctx.sem.all_names.contains(root)
}
