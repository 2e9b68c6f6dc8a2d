//! `unpicklable-argument` (PF005)
//!
//! ## What it does
//! Finds a task argument that pickle refuses, handed to a process: an open file, a `threading` lock,
//! condition, event or semaphore, a `sqlite3` connection or cursor, an event loop, a logging handler, a
//! pool, or a generator object placed inside the task iterable or passed as an argument. Arguments are
//! the elements of `map`/`imap`/`starmap` iterables (a generator *as* the iterable is fine), `args=`
//! and `kwds=` of `apply`/`apply_async`, the arguments of `submit` and `run_in_executor`, `initargs=`,
//! and `Process(args=..., kwargs=...)`. Simple local assignments are followed (`f = open(p)` ...
//! `Process(args=(f,))`).
//!
//! ## Why is this bad?
//! Every task argument is pickled to reach the child: `TypeError: cannot pickle '_io.TextIOWrapper'
//! object`, `cannot pickle '_thread.lock' object`, `cannot pickle 'sqlite3.Connection' object`,
//! `cannot pickle 'generator' object`. A `Process` argument is pickled under `spawn` and `forkserver`.
//!
//! ## Example
//! ```python
//! log = open("run.log", "a")
//! Process(target=work, args=(log,)).start()
//! ```
//! Use instead:
//! ```python
//! Process(target=work, args=("run.log",)).start()   # work() opens the file itself
//! ```
//!
//! ## Fix safety
//! There is no fix: what the worker needs instead of the object (a path, a DSN, an `initializer`)
//! depends on the program. The message says what to pass. Sockets are not reported: multiprocessing
//! reduces them.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::unpicklable::{Object, unpicklable};
use super::{Context, FixSafety, Rule, RuleMeta};
use crate::finding::{Finding, Remedy};
use crate::pools::{PoolKind, Sink, SinkKind};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF005",
    name: "unpicklable-argument",
    summary: "a task argument pickle refuses (open file, lock, connection, generator...)",
    description: "an open file, `threading` lock, `sqlite3` connection or cursor, event loop, logging handler, pool or generator object sent to a process as a task argument (sockets are fine)",
    fix: FixSafety::None,
    fix_note: ": the message says what to pass instead",
    needs_sinks: true,
    dill_solves: false,
};

/// Why there is no fix: the worker needs something else than the object, and the program decides what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    PassInstead(Object),
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::PassInstead(object) => f.write_str(object.advice()),
        }
    }
}

pub(crate) fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    for sink in ctx.pickle_sinks() {
        for argument in task_arguments(sink) {
            let Some(object) = unpicklable(ctx, argument, sink.scope) else { continue };
            let written = shorten(&ctx.text[argument.range()]);
            let message =
                format!("`{written}` passed to `{}` is {}, which cannot be pickled", receiver(sink.kind), object.what());
            let remedy = Remedy::NoFix(Why::PassInstead(object).into());
            findings.push(Finding::at_sink(Rule::UnpicklableArgument, sink, argument.range(), message, remedy));
        }
    }
}

/// Where the argument goes, as written at the call.
pub(crate) fn receiver(kind: SinkKind) -> String {
    match kind {
        SinkKind::ProcessTarget => "Process(...)".to_string(),
        SinkKind::Initializer(PoolKind::Multiprocessing | PoolKind::Multiprocess) => "Pool(initargs=...)".to_string(),
        SinkKind::Initializer(PoolKind::Pathos) => "ProcessingPool(initargs=...)".to_string(),
        SinkKind::Initializer(PoolKind::Executor) => "ProcessPoolExecutor(initargs=...)".to_string(),
        other => other.describe(),
    }
}

pub(crate) fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 40 {
        format!("{}...", one_line.chars().take(37).collect::<String>())
    } else {
        one_line
    }
}

/// The expressions a sink pickles as task data.
pub(crate) fn task_arguments<'a>(sink: &Sink<'a>) -> Vec<&'a Expr> {
    let arguments = &sink.call.arguments;
    let mut out = Vec::new();
    match sink.kind {
        SinkKind::PoolMethod(PoolKind::Multiprocessing | PoolKind::Multiprocess, method) => match method {
            "map" | "map_async" | "imap" | "imap_unordered" => {
                out.extend(arguments.find_argument_value("iterable", 1).map(elements).unwrap_or_default());
            }
            "starmap" | "starmap_async" => {
                let rows = arguments.find_argument_value("iterable", 1).map(elements).unwrap_or_default();
                out.extend(rows.into_iter().flat_map(elements));
            }
            _ => {
                out.extend(arguments.find_argument_value("args", 1).map(elements).unwrap_or_default());
                out.extend(arguments.find_argument_value("kwds", 2).map(dict_values).unwrap_or_default());
            }
        },
        SinkKind::PoolMethod(PoolKind::Pathos, "pipe" | "apipe") => {
            out.extend(arguments.args.iter().skip(1).filter(|a| !a.is_starred_expr()));
            out.extend(arguments.keywords.iter().filter(|k| k.arg.is_some()).map(|k| &k.value));
        }
        SinkKind::PoolMethod(PoolKind::Executor | PoolKind::Pathos, "map")
        | SinkKind::PoolMethod(PoolKind::Pathos, _) => {
            out.extend(arguments.args.iter().skip(1).flat_map(elements));
        }
        SinkKind::PoolMethod(PoolKind::Executor, _) => {
            out.extend(arguments.args.iter().skip(1).filter(|a| !a.is_starred_expr()));
            out.extend(
                arguments.keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| a != "fn")).map(|k| &k.value),
            );
        }
        SinkKind::RunInExecutor => out.extend(arguments.args.iter().skip(2).filter(|a| !a.is_starred_expr())),
        SinkKind::Initializer(kind) => {
            let initargs = match kind {
                PoolKind::Multiprocessing | PoolKind::Multiprocess => arguments.find_argument_value("initargs", 2),
                PoolKind::Executor => arguments.find_argument_value("initargs", 3),
                PoolKind::Pathos => arguments.find_keyword("initargs").map(|k| &k.value),
            };
            out.extend(initargs.map(elements).unwrap_or_default());
        }
        SinkKind::ProcessTarget => {
            out.extend(arguments.find_argument_value("args", 3).map(elements).unwrap_or_default());
            out.extend(arguments.find_argument_value("kwargs", 4).map(dict_values).unwrap_or_default());
        }
    }
    out
}

/// The elements of a display or comprehension; nothing for anything else (its elements are unknown).
fn elements(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().filter(|e| !e.is_starred_expr()).collect(),
        Expr::ListComp(comp) => vec![&comp.elt],
        Expr::SetComp(comp) => vec![&comp.elt],
        Expr::Generator(comp) => vec![&comp.elt],
        _ => Vec::new(),
    }
}

fn dict_values(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Dict(dict) => dict.items.iter().map(|item| &item.value).collect(),
        _ => Vec::new(),
    }
}
