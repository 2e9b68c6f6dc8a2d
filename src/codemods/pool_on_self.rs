//! `pool-on-self` (PF008)
//!
//! ## What it does
//! Finds `self` sent to another process as task data (an argument of `map`, `apply_async`, `submit`,
//! `Process(args=...)`, ...) while its class keeps a pool or an executor on `self`.
//!
//! ## Why is this bad?
//! Pickling `self` pickles its pool: `NotImplementedError: pool objects cannot be passed between
//! processes or pickled`. Passing `self.work` has the same cause; that shape is reported by PF003
//! (`method-to-staticmethod`), which names the pool and turns `work` into a static method when it can.
//!
//! ## Example
//! ```python
//! class Service:
//!     def __init__(self):
//!         self.pool = Pool()
//!
//!     def run(self):
//!         return self.pool.apply(describe, (self,))
//! ```
//! Use instead: pass the values the task needs (`self.pool.apply(describe, (self.name,))`).
//!
//! ## Fix safety
//! There is no fix: which data the task needs instead of `self` depends on the program.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::unpicklable::unpicklable_attributes;
use super::{Context, FixSafety, Rule, RuleMeta};
use crate::finding::{Finding, Remedy};
use crate::pools::{receiver, task_arguments};
use crate::semantic::BindingKind;

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF008",
    name: "pool-on-self",
    summary: "`self` sent to another process while it keeps a pool or executor",
    description: "`self` sent to another process as task data while its class keeps a pool or executor (`self.work` itself is PF003's)",
    fix: FixSafety::None,
    fix_note: ": pass the values the task needs",
    needs_sinks: true,
    dill_solves: false,
};

/// Why there is no fix: which data the task needs instead of `self` depends on the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    PassValuesNotOwner,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::PassValuesNotOwner => {
                f.write_str("pass the values the task needs instead of the object that owns the pool")
            }
        }
    }
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in &ctx.sinks {
        for argument in task_arguments(sink) {
            let Expr::Name(name) = argument else { continue };
            let Some((_, binding)) = ctx.sem.sole_binding(name.id.as_str(), sink.scope) else { continue };
            let BindingKind::Parameter { self_of: Some(class_scope) } = binding.kind else { continue };
            let pools: Vec<String> = unpicklable_attributes(ctx, class_scope)
                .into_iter()
                .filter(|(_, object)| object.is_pool())
                .map(|(attr, object)| format!("`{}.{attr}` ({})", name.id, object.what().trim_start_matches("a ")))
                .collect();
            let Some(first) = pools.first() else { continue };
            let message = format!(
                "`{}` passed to `{}` carries the pool in {first}, which cannot be pickled",
                name.id,
                receiver(sink.kind)
            );
            let remedy = Remedy::NoFix(Why::PassValuesNotOwner.into());
            findings.push(Finding::at_sink(Rule::PoolOnSelf, sink, argument.range(), message, remedy));
        }
    }
}
