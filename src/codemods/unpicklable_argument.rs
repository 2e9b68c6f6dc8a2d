//! `unpicklable-argument` (PF005)
//!
//! ## What it does
//! Finds a task argument that pickle refuses, handed to a process: an open file, a `threading` lock,
//! condition, event or semaphore, a `sqlite3` connection or cursor, an event loop, a logging handler, a
//! pool, or a generator object placed inside the task iterable or passed as an argument. Arguments are
//! the elements of `map`/`imap`/`starmap` iterables (a generator *as* the iterable is fine), `args=`
//! and `kwds=` of `apply`/`apply_async`, the arguments of `submit` and `run_in_executor`, `initargs=`,
//! and `Process(args=..., kwargs=...)`. Simple local assignments are followed (`f = open(p)` ...
//! `Process(args=(f,))`), and so are attributes of `self` (`pool.map(work, [self.f])`, where the class
//! assigns `self.f = open(p)`, or `self.f = f` and every construction site passes `Report(open(p))`, or a
//! dataclass field's default makes the object), results of the file's functions (`self.conn = connect(p)`
//! where `connect` returns `sqlite3.connect(p)`), and parameters that every call of their function
//! passes such an object. When any of those values is something else, nothing is reported.
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

use ruff_text_size::Ranged;

use super::unpicklable::{Object, unpicklable};
use super::{Context, FixSafety, Rule, RuleMeta};
use crate::finding::{Finding, Remedy};
use crate::pools::{receiver, task_arguments};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "PF005",
    name: "unpicklable-argument",
    summary: "a task argument pickle refuses (open file, lock, connection, generator...)",
    description: "an open file, `threading` lock, thread queue, `sqlite3` connection or cursor, event loop, logging handler, pool, manager or generator object sent to a process as a task argument (sockets are fine)",
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

pub(crate) fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 40 {
        format!("{}...", one_line.chars().take(37).collect::<String>())
    } else {
        one_line
    }
}
