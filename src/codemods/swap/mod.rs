//! `--swap multiprocess` and `--swap pathos`: pickle's limits lifted by dill, the whole file or nothing.
//!
//! ## What it does
//! In a file where a lambda, a local function or a local class goes to a process pool (PF001, PF002,
//! PF007), it offers, instead of moving that code, to swap the pool for one that pickles with dill, which
//! pickles all three by value (the seed article's second fix). The swap is one fix for the whole file,
//! attached to each of those findings, or, when it cannot be made, each of them says why.
//!
//! - `multiprocess` has `multiprocessing`'s API: every import of `multiprocessing` (at any depth) imports
//!   `multiprocess` under the same name (`import multiprocess as multiprocessing`, `from multiprocess
//!   import Pool`), so `get_context(...)` and `set_start_method(...)` keep applying to the new module.
//! - pathos's `ProcessingPool` differs, so its call sites are rewritten: `starmap(f, rows)` becomes
//!   `map(f, *zip(*rows))`, `apply`/`apply_async(f, args, kwds)` become `pipe`/`apipe(f, *args, **kwds)`,
//!   `imap_unordered` becomes `uimap`, `map_async` becomes `amap`, a positional `chunksize` is passed by
//!   keyword, and `pool.clear()` follows `pool.join()` (pathos caches pools: a closed pool of the same size
//!   would otherwise be handed out again and raise `ValueError: Pool not running`).
//!
//! ## Example
//! ```python
//! from multiprocessing import Pool
//! with Pool(2) as pool:
//!     pool.starmap(lambda a, b: a * b, rows)
//! ```
//! With `--swap pathos`:
//! ```python
//! from pathos.multiprocessing import ProcessingPool as Pool
//! with Pool(2) as pool:
//!     pool.map(lambda a, b: a * b, *zip(*rows))
//! ```
//!
//! ## Fix safety
//! Always unsafe, and opt-in. The program needs a package that is not in the standard library, and both
//! start processes with `fork` on every POSIX system where the original used the platform's default
//! (`spawn` on macOS and Windows, `forkserver` on Linux from Python 3.14): the fix title says so. Leaving
//! a pathos pool's `with` block does not terminate it. Refused, with the reason, when a callable changes
//! state of its caller (dill pickles it, and the change is still lost), captures a variable bound more
//! than once, such as a loop variable (dill reads it when the pool's thread sends the task, later than
//! the call: the tasks would get racy values), or reads a global that only the `__main__` block binds
//! (dill resolves globals in the child's main module, which never runs that block), when a `ProcessPoolExecutor`
//! needs the fix (it pickles with pickle; for pathos, any executor in the file), when
//! `import multiprocessing.<sub>` binds `multiprocessing` itself, and, for pathos, for `Process` targets,
//! pools from `get_context(...)` or with `context=`, `set_start_method`, callbacks, positional
//! arguments after the pool size, pools on `self`, and pools used other than through their methods.
//!
//! Also refused when what a task carries (the values its callable captures from enclosing functions,
//! its parameters' defaults, its task arguments) would still fail (`carried.rs`): an object dill refuses
//! too, as PF005 classifies it (a `sqlite3` connection or cursor, an event loop, a pool or executor, a
//! generator, a `gzip`/`bz2`/`lzma` file or a `NamedTemporaryFile`; dill does pickle plain files,
//! `threading` locks and logging handlers: measured, see `unpicklable.rs`); a `multiprocessing`
//! `Queue`, `Lock`... captured or as a default (only inheritance shares it); and, for pathos, an object
//! of the standard library's `multiprocessing.Manager()`, or a `Queue`, `Lock`... sent as a task
//! argument (PF006 makes it from that manager): pathos's `multiprocess` workers fail with
//! `AuthenticationError: digest sent was rejected` and the pool hangs. `--swap multiprocess` needs no
//! such refusal: it rewrites every `multiprocessing` import, so `multiprocessing.Manager()` is
//! `multiprocess`'s and its proxies reach the pool's workers.

mod carried;
pub mod multiprocess;
pub mod pathos;

use ruff_diagnostics::{Applicability, Fix};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use super::lambda_to_function::{self as pf001, Construct};
use super::local_function_to_function as pf002;
use super::queue_to_pool::Shared;
use super::unpicklable::Object;
use super::{Context, Refusal, hoist};
use crate::edits::fix_of;
use crate::finding::{Finding, Remedy};
use crate::pools::api::{self, Makes};
use crate::pools::{self, PoolKind, Sink, SinkKind, Value};
use crate::semantic::{BindingKind, MODULE_SCOPE, ScopeId};

/// The dill-based package to swap to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Swap {
    Multiprocess,
    Pathos,
}

impl Swap {
    /// The package to install from PyPI.
    pub fn package(self) -> &'static str {
        match self {
            Swap::Multiprocess => "multiprocess",
            Swap::Pathos => "pathos",
        }
    }
}

/// Why the swap is refused for a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// A rule refused to fix a callable for a reason that holds under dill too.
    DillToo {
        refusal: Box<Refusal>,
        limit: DillLimit,
    },
    /// pathos replaces pools, not `Process`.
    ProcessTarget,
    /// The callable goes to an API that pickles with pickle whatever the swap does (as the sink reads).
    StillPickled {
        sink: String,
    },
    /// The file imports a package with `multiprocessing`'s API that pickles with pickle
    /// (`torch.multiprocessing`), which the swap does not replace.
    KeepsPickling {
        package: &'static str,
    },
    /// dill looks module globals up in the child's main module, which never ran the `__main__` block.
    ReadsGuardOnlyGlobal {
        name: String,
    },
    /// dill reads a closure's variables when the pool sends the task, later than the call.
    CapturesRebound {
        name: String,
    },
    /// The task carries (captures, as a default or as a task argument; as written) an object dill
    /// refuses too.
    Unpicklable {
        name: String,
        object: Object,
    },
    /// The task captures, or has as a default, a `multiprocessing` object that reaches a child only by
    /// inheritance, whatever pickles it.
    InheritedOnly {
        name: String,
        kind: Shared,
    },
    Multiprocess(multiprocess::Why),
    Pathos(pathos::Why),
}

/// What dill cannot do either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DillLimit {
    /// The callable changes state of its caller: any pickler loses that change.
    ChangeLost,
    /// The callable uses the instance: dill would pickle it whole.
    WholeObject,
    Generator,
    Coroutine,
    /// The callable relies on state a child has only by inheritance under `fork`.
    Inherited,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::DillToo { refusal, limit } => {
                let limit = match limit {
                    DillLimit::ChangeLost => "dill pickles it, and the change is still lost",
                    DillLimit::WholeObject => "dill would pickle the whole object, with whatever it holds",
                    DillLimit::Generator => "a generator cannot be pickled by dill either",
                    DillLimit::Coroutine => "a coroutine cannot be pickled by dill either",
                    DillLimit::Inherited => "dill cannot send what a child has only by inheritance either",
                };
                write!(f, "{refusal} ({limit})")
            }
            Why::ProcessTarget => {
                f.write_str("`Process(target=...)` is not a pool, which pathos replaces: use `--swap multiprocess`")
            }
            Why::StillPickled { sink } => write!(f, "`{sink}` still pickles with pickle"),
            Why::KeepsPickling { package } => {
                write!(f, "the file imports `{package}`, which the swap does not replace and which pickles with pickle")
            }
            Why::ReadsGuardOnlyGlobal { name } => write!(
                f,
                "the task reads `{name}`, which only the `__main__` block binds: dill looks it up in the child's \
                 main module, which never ran that block"
            ),
            Why::CapturesRebound { name } => write!(
                f,
                "the task captures `{name}`, which is bound more than once (a loop variable?): dill reads it when the \
                 pool sends the task, not when the task is made"
            ),
            Why::Unpicklable { name, object } => write!(
                f,
                "the task carries `{name}`, {}, which dill cannot pickle either: {}",
                object.what(),
                object.advice()
            ),
            Why::InheritedOnly { name, kind } => write!(
                f,
                "the task carries `{name}`, a `multiprocessing.{kind}`, which reaches a child only by inheritance, \
                 whatever pickles it: pass it as a task argument from a `Manager()`, or through `initargs`"
            ),
            Why::Multiprocess(why) => why.fmt(f),
            Why::Pathos(why) => why.fmt(f),
        }
    }
}

/// Whether a finding is one dill makes go away (its rule says so).
fn solvable(finding: &Finding) -> bool {
    finding.rule.meta().dill_solves
}

/// Whether `findings` (made with `--swap`) offer the swap.
pub fn offered(findings: &[Finding]) -> bool {
    findings.iter().any(|finding| solvable(finding) && finding.fix().is_some())
}

/// Replaces the remedy of every finding dill solves with the swap, or with why the swap is refused.
/// `findings` hold every rule that dill solves, selected or not: the decision is the whole file's.
pub(crate) fn apply(ctx: &Context, swap: Swap, findings: &mut [Finding]) {
    if !findings.iter().any(solvable) {
        return;
    }
    let plan = still_wrong(findings).map_or_else(|| plan(ctx, swap, findings), Err);
    for finding in findings.iter_mut().filter(|f| solvable(f)) {
        finding.remedy = match &plan {
            Ok((title, fix)) => Remedy::Fix { title: title.clone(), fix: fix.clone() },
            Err(why) => Remedy::NoFix(Refusal::Swap { package: swap, why: why.clone() }),
        };
    }
}

/// What dill cannot do either, when that is why a rule refused to fix a callable.
fn dill_limit(refusal: &Refusal) -> Option<DillLimit> {
    match refusal {
        Refusal::Move(hoist::Why::ChangesCallerState { .. })
        | Refusal::LocalFunctionToFunction(pf002::Why::Nonlocal { .. }) => Some(DillLimit::ChangeLost),
        Refusal::Move(hoist::Why::UsesInstance { .. }) => Some(DillLimit::WholeObject),
        Refusal::Move(hoist::Why::ReadsRuntimeGlobal { .. } | hoist::Why::UsesInheritedState { .. }) => {
            Some(DillLimit::Inherited)
        }
        Refusal::LambdaToFunction(pf001::Why::Contains(Construct::Yield)) => Some(DillLimit::Generator),
        Refusal::LambdaToFunction(pf001::Why::Contains(Construct::Await)) => Some(DillLimit::Coroutine),
        _ => None,
    }
}

/// A finding that dill would not make right.
fn still_wrong(findings: &[Finding]) -> Option<Why> {
    findings.iter().filter(|f| solvable(f)).find_map(|finding| {
        let refusal = finding.remedy.refusal()?;
        let limit = dill_limit(refusal)?;
        Some(Why::DillToo { refusal: Box::new(refusal.clone()), limit })
    })
}

fn plan(ctx: &Context, swap: Swap, findings: &[Finding]) -> Result<(String, Fix), Why> {
    // A callable given to an executor, a pebble pool or `process_map` (or, for pathos, to a `Process`)
    // is still pickled with pickle: the swap replaces `multiprocessing` alone.
    let still_pickled = |kind: SinkKind| match swap {
        Swap::Multiprocess => matches!(
            kind,
            SinkKind::PoolMethod(PoolKind::Executor | PoolKind::Pebble, _)
                | SinkKind::Initializer(PoolKind::Executor | PoolKind::Pebble)
                | SinkKind::RunInExecutor
                | SinkKind::PoolFunction(_)
        ),
        Swap::Pathos => !matches!(
            kind,
            SinkKind::PoolMethod(PoolKind::Multiprocessing, _) | SinkKind::Initializer(PoolKind::Multiprocessing)
        ),
    };
    if let Some(package) = pickling_alias(ctx) {
        return Err(Why::KeepsPickling { package });
    }
    let reported: Vec<TextRange> = findings.iter().filter(|f| solvable(f)).filter_map(|f| f.sink).collect();
    for sink in ctx.pickle_sinks().filter(|sink| reported.contains(&sink.call.range())) {
        if still_pickled(sink.kind) {
            return Err(match sink.kind {
                SinkKind::ProcessTarget => Why::ProcessTarget,
                other => Why::StillPickled { sink: other.describe() },
            });
        }
        reads_dill_gets_wrong(ctx, sink)?;
        carried::check(ctx, swap, sink, task(ctx, sink))?;
    }
    if swap == Swap::Pathos {
        carried::check_pathos_pools(ctx)?;
    }
    let mut edits = match swap {
        Swap::Multiprocess => multiprocess::edits(ctx).map_err(Why::Multiprocess)?,
        Swap::Pathos => pathos::edits(ctx).map_err(Why::Pathos)?,
    };
    // The same import, asked for by several pools, once.
    edits.sort_by_key(|edit| (edit.start(), edit.end()));
    edits.dedup();
    let (from, to) = match swap {
        Swap::Multiprocess => ("`multiprocessing`", "`multiprocess`"),
        Swap::Pathos => ("`multiprocessing.Pool`", "pathos's `ProcessingPool`"),
    };
    // `get_context()` without a method is the default context.
    let chosen = ctx.sem.calls.iter().any(|site| {
        !site.call.arguments.is_empty()
            && matches!(ctx.resolver.eval(&site.call.func, site.scope),
                Value::Qualified(q) if pools::makes(&q) == Some(Makes::Context))
    });
    let default_start = !chosen && !mentions(ctx, "set_start_method");
    let title = if default_start {
        format!(
            "Swap {from} for {to} (pickles with dill; starts processes with `fork` on every POSIX system, where \
             the code used the platform's default start method)"
        )
    } else {
        format!("Swap {from} for {to} (pickles with dill)")
    };
    let fix = fix_of(edits, Applicability::Unsafe).expect("both packages refuse a file with nothing to swap");
    Ok((title, fix))
}

/// A package of the table with `multiprocessing`'s API that pickles with pickle (`torch.multiprocessing`),
/// when the file imports it (or something in it).
fn pickling_alias(ctx: &Context) -> Option<&'static str> {
    let imported = ctx.sem.scopes.iter().flat_map(|scope| scope.bindings.values().flatten()).filter_map(|binding| {
        matches!(binding.kind, BindingKind::Import | BindingKind::FromImport).then_some(binding.qualified.as_deref()?)
    });
    let imported: Vec<&str> = imported.collect();
    api::ALIASES.iter().filter(|alias| !alias.dill).map(|alias| alias.root).find(|root| {
        imported.iter().any(|q| q.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('.')))
    })
}

/// Whether the identifier `name` appears in the code, as a name or an attribute.
pub(super) fn mentions(ctx: &Context, name: &str) -> bool {
    ctx.tokens.iter().any(|token| token.kind() == TokenKind::Name && &ctx.text[token.range()] == name)
}

/// dill pickles a closure's variables when the pool sends the task, which for `map_async`, `apply_async`
/// and friends is later, from another thread: a loop variable (or any variable bound more than once) may
/// have moved on by then, and the tasks get racy values. It pickles module globals by reference to the
/// main module, which in a spawned child never ran the `__main__` block. PF001 binds both kinds of
/// names with `functools.partial` where the task is made; the swap refuses.
fn reads_dill_gets_wrong(ctx: &Context, sink: &Sink) -> Result<(), Why> {
    let Some((scope, _)) = task(ctx, sink) else { return Ok(()) };
    for load in ctx.sem.loads.iter().filter(|load| ctx.sem.is_within(load.scope, scope)) {
        let Some(bound_in) = ctx.sem.lookup(load.name, load.scope) else { continue };
        if ctx.sem.is_within(bound_in, scope) {
            continue;
        }
        let bindings = ctx.sem.bindings(load.name, bound_in);
        if bound_in == MODULE_SCOPE {
            if !bindings.is_empty() && bindings.iter().all(|b| ctx.sem.is_under_main_guard(b)) {
                return Err(Why::ReadsGuardOnlyGlobal { name: load.name.to_string() });
            }
        } else if bindings.len() > 1 || bindings.iter().any(|b| matches!(b.kind, BindingKind::Other)) {
            return Err(Why::CapturesRebound { name: load.name.to_string() });
        }
    }
    Ok(())
}

/// The scope of the callable a sink sends (a lambda or a function of the file, also through
/// `functools.partial`), with its parameters.
fn task<'a>(ctx: &Context<'_, 'a>, sink: &Sink<'a>) -> Option<(ScopeId, Option<&'a ast::Parameters>)> {
    let callable = ctx.resolver.partial_target(sink.callable, sink.scope).unwrap_or(sink.callable);
    let lambda = |lambda: &'a ast::ExprLambda| {
        ctx.sem.lambdas.get(&lambda.start()).map(|info| (info.scope, lambda.parameters.as_deref()))
    };
    match callable {
        Expr::Lambda(l) => lambda(l),
        Expr::Name(name) => match ctx.sem.sole_binding(name.id.as_str(), sink.scope).map(|(_, b)| b.kind) {
            Some(BindingKind::FunctionDef(def)) => {
                ctx.sem.functions.get(&def.start()).map(|info| (info.scope, Some(&*def.parameters)))
            }
            Some(BindingKind::Assign(Expr::Lambda(l))) => lambda(l),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{DillLimit, Swap, Why};
    use crate::codemods::hoist::{self, Subject};
    use crate::finding::Remedy;
    use crate::{Refusal, Rule, Settings, check_source, fix_source};
    use ruff_diagnostics::Applicability;

    fn settings(swap: Swap) -> Settings {
        let rules = Rule::ALL.iter().copied().filter(|r| *r != Rule::MissingMainGuard).collect();
        Settings { rules, applicability: Applicability::Unsafe, prefilter: true, swap: Some(swap) }
    }

    /// The swapped text of `src` (the swap must not be refused).
    fn outcome(swap: Swap, src: &str) -> String {
        if let Some(why) = refusal(swap, src) {
            panic!("the swap was refused: {why}");
        }
        fix_source(src, &settings(swap)).unwrap().text
    }

    #[test]
    fn multiprocess_keeps_every_import_name() {
        let src = "import multiprocessing, os\nimport multiprocessing.pool as mpp\nimport multiprocessing.connection\nfrom multiprocessing import Pool\n\
                   def f():\n    from multiprocessing.context import Process\n    Pool().map(lambda x: x, [1])\n";
        assert_eq!(
            outcome(Swap::Multiprocess, src),
            "import multiprocess as multiprocessing, os\nimport multiprocess.pool as mpp\nimport multiprocess.connection\nfrom multiprocess import Pool\n\
             def f():\n    from multiprocess.context import Process\n    Pool().map(lambda x: x, [1])\n"
        );
    }

    /// Why the swap is refused in `src`, if it is.
    fn refusal(swap: Swap, src: &str) -> Option<Why> {
        let findings = check_source(src, &settings(swap)).unwrap();
        findings.iter().find_map(|f| match f.remedy.refusal() {
            Some(Refusal::Swap { why, .. }) => Some(why.clone()),
            _ => None,
        })
    }

    #[test]
    fn refusals_say_why() {
        use super::multiprocess::Why as Multiprocess;
        use super::pathos::Why as Pathos;
        let head = "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor as E\n";
        let uses_self = Refusal::Move(hoist::Why::UsesInstance { subject: Subject::Lambda, name: "self".into() });
        let cases: Vec<(Swap, &str, Why)> = vec![
            (
                Swap::Multiprocess,
                "import multiprocessing.pool\nmultiprocessing.pool.Pool().map(lambda x: x, [1])",
                Why::Multiprocess(Multiprocess::SubmoduleImport { module: "multiprocessing.pool".into() }),
            ),
            (
                Swap::Multiprocess,
                "E(mp_context=mp.get_context('spawn'))\nmp.Pool().map(lambda x: x, [1])",
                Why::Multiprocess(Multiprocess::ExecutorContext),
            ),
            (
                Swap::Multiprocess,
                "class C:\n    def r(self):\n        mp.Pool().map(lambda x: self, [1])",
                Why::DillToo { refusal: Box::new(uses_self), limit: DillLimit::WholeObject },
            ),
            (
                Swap::Pathos,
                "mp.set_start_method('spawn')\nmp.Pool().map(lambda x: x, [1])",
                Why::Pathos(Pathos::SetsStartMethod),
            ),
            (
                Swap::Pathos,
                "p = mp.Pool()\np.map(lambda x: x, [1])\nprint(p)",
                Why::Pathos(Pathos::PoolUsedOtherwise { pool: "p".into() }),
            ),
            (
                Swap::Pathos,
                "p = mp.Pool(2, None, ())\np.map(lambda x: x, [1])",
                Why::Pathos(Pathos::ExtraPositionalArguments),
            ),
            (
                Swap::Pathos,
                "p = mp.Pool()\np.map(lambda x: x, [1])\np.close(); p.join(); x = 1",
                Why::Pathos(Pathos::JoinNotAlone),
            ),
            (Swap::Pathos, "E().map(abs, [1])\nmp.Pool().map(lambda x: x, [1])", Why::Pathos(Pathos::Executor)),
            // Pools the swap does not replace: `torch.multiprocessing`'s, pebble's, `process_map`'s.
            (
                Swap::Multiprocess,
                "import torch.multiprocessing as tmp\ntmp.Pool().map(lambda x: x, [1])",
                Why::KeepsPickling { package: "torch.multiprocessing" },
            ),
            (
                Swap::Pathos,
                "from torch import multiprocessing as tmp\ntmp.Pool().map(lambda x: x, [1])",
                Why::KeepsPickling { package: "torch.multiprocessing" },
            ),
            (
                Swap::Multiprocess,
                "import pebble\nwith pebble.ProcessPool() as p:\n    p.schedule(lambda: 1)",
                Why::StillPickled { sink: "pebble.ProcessPool.schedule".into() },
            ),
            (
                Swap::Pathos,
                "import pebble\npebble.ProcessPool(initializer=lambda: None)",
                Why::StillPickled { sink: "pebble.ProcessPool(initializer=...)".into() },
            ),
            (
                Swap::Multiprocess,
                "from tqdm.contrib.concurrent import process_map\nprocess_map(lambda x: x, [1])",
                Why::StillPickled { sink: "process_map".into() },
            ),
        ];
        for (swap, body, expected) in cases {
            let src = format!("{head}{body}\n");
            assert_eq!(refusal(swap, &src), Some(expected), "in:\n{src}");
        }
    }

    /// What a swapped task carries (captured, a default, a task argument) is checked as the swapped
    /// program would pickle it: dill's refusals, objects only inheritance shares, and, for pathos, the
    /// standard library's manager.
    #[test]
    fn the_swap_is_refused_for_what_the_task_carries() {
        use super::pathos::Why as Pathos;
        use crate::codemods::queue_to_pool::Shared;
        use crate::codemods::unpicklable::Object;
        let head = "import multiprocessing as mp, sqlite3, threading, gzip\ndef main():\n";
        let both = [Swap::Multiprocess, Swap::Pathos];
        let unpicklable = |name: &str, object| Why::Unpicklable { name: name.into(), object };
        let cases: Vec<(&[Swap], &str, Option<Why>)> = vec![
            (
                &both,
                "    conn = sqlite3.connect(':memory:')\n    with mp.Pool() as p:\n        p.map(lambda x: conn.execute(x), ['1'])",
                Some(unpicklable("conn", Object::SqliteConnection)),
            ),
            (
                &both,
                "    cur = sqlite3.connect('db').cursor()\n    def work(x, c=cur):\n        return x\n    with mp.Pool() as p:\n        p.map(work, [1])",
                Some(unpicklable("cur", Object::SqliteCursor)),
            ),
            (
                &both,
                "    with mp.Pool() as p:\n        p.map(lambda g: sum(g), [(i for i in range(3))])",
                Some(unpicklable("(i for i in range(3))", Object::Generator)),
            ),
            (
                &both,
                "    out = gzip.open('x.gz', 'wb')\n    with mp.Pool() as p:\n        p.map(lambda x: out.name, [1])",
                Some(unpicklable("out", Object::File)),
            ),
            // dill pickles these: a plain file is reopened by name, a thread lock is made anew.
            (&both, "    f = open('x')\n    with mp.Pool() as p:\n        p.map(lambda x: f.name, [1])", None),
            (
                &both,
                "    lock = threading.Lock()\n    with mp.Pool() as p:\n        p.map(lambda x: lock.locked(), [1])",
                None,
            ),
            (
                &both,
                "    lock = mp.Lock()\n    with mp.Pool() as p:\n        p.map(lambda x: lock.acquire(False), [1])",
                Some(Why::InheritedOnly { name: "lock".into(), kind: Shared::Lock }),
            ),
            (
                &both,
                "    q = mp.Queue()\n    with mp.Pool() as p:\n        p.map(lambda x, q=q: x, [1])",
                Some(Why::InheritedOnly { name: "q".into(), kind: Shared::Queue }),
            ),
            // A manager proxy: `--swap multiprocess` makes the manager multiprocess's too.
            (
                &[Swap::Multiprocess],
                "    d = mp.Manager().dict()\n    with mp.Pool() as p:\n        p.map(lambda x: d.get(x), [1])",
                None,
            ),
            (
                &[Swap::Pathos],
                "    d = mp.Manager().dict()\n    with mp.Pool() as p:\n        p.map(lambda x: d.get(x), [1])",
                Some(Why::Pathos(Pathos::StdlibManager { name: "d".into() })),
            ),
            (
                &[Swap::Pathos],
                "    with mp.Manager() as m:\n        q = m.Queue()\n        with mp.Pool() as p:\n            p.starmap(lambda q, x: q.put(x), [(q, 1)])",
                Some(Why::Pathos(Pathos::StdlibManager { name: "q".into() })),
            ),
            (
                &[Swap::Pathos],
                "    q = mp.Queue()\n    with mp.Pool() as p:\n        p.map(lambda x: x, [1])\n        p.apply(abs, (q,))",
                Some(Why::Pathos(Pathos::SharedArgument { name: "q".into(), kind: Shared::Queue })),
            ),
        ];
        for (swaps, body, expected) in cases {
            let src = format!("{head}{body}\n");
            for swap in swaps {
                assert_eq!(refusal(*swap, &src), expected, "{swap:?} in:\n{src}");
            }
        }
    }

    /// The swap is refused whatever the first parameter of the method is called.
    #[test]
    fn a_lambda_that_uses_the_instance_refuses_the_swap_whatever_it_is_called() {
        for this in ["self", "this", "me"] {
            let src = format!(
                "import multiprocessing as mp\nclass C:\n    def r({this}):\n        mp.Pool().map(lambda x: {this}, [1])\n"
            );
            let uses = Refusal::Move(hoist::Why::UsesInstance { subject: Subject::Lambda, name: this.into() });
            for swap in [Swap::Multiprocess, Swap::Pathos] {
                let expected = Why::DillToo { refusal: Box::new(uses.clone()), limit: DillLimit::WholeObject };
                assert_eq!(refusal(swap, &src), Some(expected), "{swap:?} in:\n{src}");
            }
        }
    }

    /// The swap is a whole-file decision: a rule left out by `--ignore` still refuses it.
    #[test]
    fn ignoring_a_rule_does_not_hide_what_refuses_the_swap() {
        let src = "import multiprocessing as mp\n\n\ndef main():\n    def work(x):\n        return x\n\n    with mp.Pool(2) as p:\n\
                   \x20       for i in range(3):\n            p.map_async(lambda x: x + i, [1])\n        p.map(work, [1])\n";
        for swap in [Swap::Multiprocess, Swap::Pathos] {
            let captures_i = Why::CapturesRebound { name: "i".into() };
            assert_eq!(refusal(swap, src), Some(captures_i.clone()), "{swap:?}");
            let mut settings = settings(swap);
            settings.rules.retain(|rule| *rule != Rule::LambdaToFunction);
            let findings = check_source(src, &settings).unwrap();
            let [finding] = findings.as_slice() else { panic!("{findings:?}") };
            assert_eq!(finding.rule, Rule::LocalFunctionToFunction);
            match &finding.remedy {
                Remedy::NoFix(Refusal::Swap { why, .. }) => assert_eq!(*why, captures_i),
                other => panic!("{swap:?}: the swap is offered with --ignore PF001: {other:?}"),
            }
        }
    }

    #[test]
    fn pathos_imports_its_pool_once_for_several_constructors() {
        let src =
            "import multiprocessing as mp\np = mp.Pool(2)\np.map(lambda x: x, [1])\nq = mp.Pool(3)\nq.map(abs, [1])\n";
        let findings = check_source(src, &settings(Swap::Pathos)).unwrap();
        let fix = findings.iter().find_map(|f| f.fix()).expect("the swap is offered");
        let imports = fix.edits().iter().filter(|e| e.content().is_some_and(|c| c.contains("import"))).count();
        assert_eq!(imports, 1, "{:?}", fix.edits());
        assert_eq!(
            outcome(Swap::Pathos, src),
            "import multiprocessing as mp\n\nfrom pathos.multiprocessing import ProcessingPool\np = ProcessingPool(2)\n\
             p.map(lambda x: x, [1])\nq = ProcessingPool(3)\nq.map(abs, [1])\n"
        );
    }

    #[test]
    fn pathos_apply_arguments_are_spread() {
        let src = "from multiprocessing import Pool\np = Pool()\np.apply(lambda: 1, ())\np.apply(lambda a: a, (1,))\n\
                   p.apply_async(lambda *a: a, rows, kw).get()\n";
        assert_eq!(
            outcome(Swap::Pathos, src),
            "from pathos.multiprocessing import ProcessingPool as Pool\np = Pool()\np.pipe(lambda: 1)\np.pipe(lambda a: a, 1)\n\
             p.apipe(lambda *a: a, *rows, **kw).get()\n"
        );
    }

    #[test]
    fn a_module_pool_takes_the_name_a_from_import_of_pool_binds() {
        // Moving `from multiprocessing import Pool` and importing `ProcessingPool` below it were two
        // edits on one line: the fix was never applied. `multiprocessing.Pool()` takes the swapped name.
        let src = "import multiprocessing\nimport os\nfrom multiprocessing import Pool\np = Pool()\np.map(lambda x: x, [1])\n\
                   q = multiprocessing.Pool()\nq.map(abs, [1])\n";
        assert_eq!(
            outcome(Swap::Pathos, src),
            "import multiprocessing\nimport os\n\nfrom pathos.multiprocessing import ProcessingPool as Pool\n\
             p = Pool()\np.map(lambda x: x, [1])\nq = Pool()\nq.map(abs, [1])\n"
        );
        // One fix swaps the import with the call, also when no call of `Pool` made it swap already: a
        // fix never leaves `Pool()` meaning `multiprocessing.Pool` for a later pass to mend.
        let uncalled = "import multiprocessing\nfrom multiprocessing import Pool\nq = multiprocessing.Pool()\n\
                        q.map(lambda x: x, [1])\n";
        let findings = check_source(uncalled, &settings(Swap::Pathos)).unwrap();
        let fix = findings.iter().find_map(|f| f.fix()).expect("the swap is offered");
        assert!(fix.edits().iter().any(|e| e.content().is_some_and(|c| c.contains("ProcessingPool as Pool"))));
        // A `Pool` read otherwise than called keeps its meaning: `ProcessingPool` is imported instead.
        let read = uncalled.replace("q = ", "print(Pool)\nq = ");
        assert!(outcome(Swap::Pathos, &read).contains("from multiprocessing import Pool\n"));
        assert!(outcome(Swap::Pathos, &read).contains("q = ProcessingPool()\n"));
        // Where a local `Pool` hides it, `ProcessingPool` is imported, and the `from` import stays put.
        let hidden = format!("{src}def f(Pool):\n    return multiprocessing.Pool()\n");
        let out = outcome(Swap::Pathos, &hidden);
        assert!(out.contains("import os\nfrom pathos.multiprocessing import ProcessingPool as Pool\n"), "{out}");
        assert!(out.contains("    return ProcessingPool()\n"), "{out}");
    }

    #[test]
    fn pathos_rewrites_parenthesized_arguments_whole() {
        // `(4)` as written: `chunksize=` goes before the parenthesis, not inside it.
        let src = "from multiprocessing import Pool\np = Pool()\np.map(lambda x: x, rows, (4))\n\
                   p.starmap(lambda a, b: a, (pairs))\np.apply(lambda *a: a, (args))\np.apply((lambda: 1), ())\n";
        assert_eq!(
            outcome(Swap::Pathos, src),
            "from pathos.multiprocessing import ProcessingPool as Pool\np = Pool()\np.map(lambda x: x, rows, chunksize=(4))\n\
             p.map(lambda a, b: a, *zip(*(pairs)))\np.pipe(lambda *a: a, *(args))\np.pipe((lambda: 1))\n"
        );
    }
}
