//! Which calls start processes, read from the table of APIs ([`api::PoolApi::starts`],
//! [`api::PROCESS_START`]): what `missing-main-guard` looks for at import time.
//!
//! A `Process` is started through its name, a subscript of a list of processes, or a loop variable over
//! one. A list of processes is known conservatively: a list or tuple display, or a comprehension, whose
//! elements are all `Process(...)`, a slice of one, the sum of two, or a name whose every binding is one (or `[]`) and that is only ever
//! `.append`ed, `.insert`ed or `.extend`ed with processes; a list a function fills, or that gets a
//! subscript assignment, is not followed. Processes from an explicit `fork` context import nothing and
//! never count; neither does anything that is not a process (threads). Calling a pathos map made with
//! a process pool class (`Imap(ProcessPool)(f, xs)`) makes that pool, so it starts processes; so does a
//! pool function (`process_map(f, xs)`).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::api::{self, Makes, Starts};
use super::{DILL_FORK_CONTEXT, FORK_CONTEXT, MAX_DEPTH, Resolver, Value, constructor};
use crate::semantic::{Binding, BindingKind, ScopeId};

impl<'a> Resolver<'_, 'a> {
    /// Whether `call` starts processes that import the main module: the constructor of a pool that
    /// starts its workers at once, the first task handed to one that starts them then, or
    /// `Process.start()`; never from an explicit `fork` context (a forked child imports nothing).
    pub fn starts_processes(&self, call: &ast::ExprCall, scope: ScopeId) -> bool {
        if let Value::Pool(kind) = self.eval_call(call, scope) {
            return api::pool(kind).starts == Starts::Constructor && !self.is_forked_pool(call, scope);
        }
        match self.eval(&call.func, scope) {
            Value::ProcessMap(_) => return true,
            // `process_map(f, xs)` makes its pool and hands it tasks: it starts processes, unless its
            // context is an explicit `fork` one.
            Value::Qualified(q) if let Some(function) = api::pool_function(&q) => {
                let context = function.context.and_then(|context| context.find(&call.arguments));
                return !context.is_some_and(|context| {
                    matches!(self.eval(context, scope), Value::Qualified(q) if q == FORK_CONTEXT || q == DILL_FORK_CONTEXT)
                });
            }
            _ => {}
        }
        let Expr::Attribute(attr) = call.func.as_ref() else { return false };
        let method = attr.attr.id.as_str();
        if method == api::PROCESS_START && self.is_spawned_process(&attr.value, scope) {
            return true;
        }
        let forwarder = api::RUN_IN_EXECUTOR;
        let (pool, takes_task) = if method == forwarder.method {
            (forwarder.pool.find(&call.arguments), true)
        } else {
            (Some(attr.value.as_ref()), false)
        };
        let Some(pool) = pool else { return false };
        let Value::Pool(kind) = self.eval(pool, scope) else { return false };
        let api = api::pool(kind);
        let takes_task = takes_task || api.method(method).is_some();
        takes_task && api.starts == Starts::FirstTask && !self.pool_is_forked(pool, scope)
    }

    /// Whether `expr` is a `multiprocessing.Process` (not from a `fork` context): directly, a subscript
    /// of a list of processes, or a loop variable over one.
    pub fn is_spawned_process(&self, expr: &Expr, scope: ScopeId) -> bool {
        self.is_process_at(expr, scope, 0)
    }

    fn is_process_at(&self, expr: &Expr, scope: ScopeId, depth: u32) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match self.eval_at(expr, scope, depth) {
            Value::Process(fork) => return !fork,
            Value::Unknown => {}
            _ => return false,
        }
        match expr {
            Expr::Subscript(sub) if !sub.slice.is_slice_expr() => self.is_process_list_at(&sub.value, scope, depth + 1),
            Expr::Name(name) => {
                let Some(bound_in) = self.sem.lookup(name.id.as_str(), scope) else { return false };
                let bindings = self.sem.bindings(name.id.as_str(), bound_in);
                !bindings.is_empty()
                    && bindings.iter().all(|binding| match binding.kind {
                        BindingKind::Assign(value) => self.is_process_at(value, bound_in, depth + 1),
                        BindingKind::Other => iterated(binding)
                            .is_some_and(|iterable| self.is_process_list_at(iterable, bound_in, depth + 1)),
                        _ => false,
                    })
            }
            _ => false,
        }
    }

    /// Whether `expr` is a non-empty list (or tuple, or comprehension) whose elements are all processes.
    fn is_process_list_at(&self, expr: &Expr, scope: ScopeId, depth: u32) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match expr {
            Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
                !elts.is_empty() && elts.iter().all(|e| !e.is_starred_expr() && self.is_process_at(e, scope, depth + 1))
            }
            Expr::ListComp(ast::ExprListComp { elt, .. })
            | Expr::SetComp(ast::ExprSetComp { elt, .. })
            | Expr::Generator(ast::ExprGenerator { elt, .. }) => {
                self.scope_of(elt).is_some_and(|inner| self.is_process_at(elt, inner, depth + 1))
            }
            Expr::Subscript(sub) if sub.slice.is_slice_expr() => self.is_process_list_at(&sub.value, scope, depth + 1),
            Expr::BinOp(ast::ExprBinOp { left, op: ast::Operator::Add, right, .. }) => {
                self.is_process_list_at(left, scope, depth + 1) && self.is_process_list_at(right, scope, depth + 1)
            }
            Expr::Name(name) => self.is_process_list_name(name.id.as_str(), scope, depth),
            _ => false,
        }
    }

    /// A name whose every binding is a list of processes or `[]`, and that is only ever `.append`ed,
    /// `.insert`ed or `.extend`ed with processes: at least one process in all.
    fn is_process_list_name(&self, name: &str, scope: ScopeId, depth: u32) -> bool {
        let Some(bound_in) = self.sem.lookup(name, scope) else { return false };
        let bindings = self.sem.bindings(name, bound_in);
        let mut any = false;
        for binding in bindings {
            match binding.kind {
                BindingKind::Assign(Expr::List(list)) if list.elts.is_empty() => {}
                BindingKind::Assign(value) if self.is_process_list_at(value, bound_in, depth + 1) => any = true,
                _ => return false,
            }
        }
        for site in &self.sem.calls {
            let Expr::Attribute(attr) = site.call.func.as_ref() else { continue };
            let Expr::Name(receiver) = attr.value.as_ref() else { continue };
            if receiver.id.as_str() != name || self.sem.lookup(name, site.scope) != Some(bound_in) {
                continue;
            }
            let args = &site.call.arguments;
            let added = match (attr.attr.id.as_str(), &*args.args, args.keywords.is_empty()) {
                ("append", [item], true) => self.is_process_at(item, site.scope, depth + 1),
                ("insert", [_, item], true) => self.is_process_at(item, site.scope, depth + 1),
                ("extend", [items], true) => self.is_process_list_at(items, site.scope, depth + 1),
                ("append" | "insert" | "extend", _, _) => false,
                _ => continue,
            };
            if !added {
                return false;
            }
            any = true;
        }
        any
    }

    /// The scope an element of a comprehension is evaluated in: that of the call it is, or of the name
    /// it starts with.
    fn scope_of(&self, elt: &Expr) -> Option<ScopeId> {
        let range = elt.range();
        self.sem
            .calls
            .iter()
            .find(|site| site.call.range() == range)
            .map(|site| site.scope)
            .or_else(|| self.sem.loads.iter().find(|load| load.range.start() == range.start()).map(|load| load.scope))
    }

    /// Whether a pool's constructor call makes it in an explicit `fork` context: from a `fork` context,
    /// or with one as its context argument (`ProcessPoolExecutor(mp_context=get_context("fork"))`).
    fn is_forked_pool(&self, call: &ast::ExprCall, scope: ScopeId) -> bool {
        let Value::Qualified(q) = self.eval(&call.func, scope) else { return false };
        let Some((Makes::Pool(kind), fork, _)) = constructor(&q) else { return false };
        let context = api::pool(kind).context.and_then(|context| context.find(&call.arguments));
        fork || context.is_some_and(|context| {
            matches!(self.eval(context, scope), Value::Qualified(q) if q == FORK_CONTEXT || q == DILL_FORK_CONTEXT)
        })
    }

    /// Whether the pool `expr` stands for, followed to its constructor call, is made in a `fork` context.
    fn pool_is_forked(&self, expr: &Expr, scope: ScopeId) -> bool {
        match self.sem.follow(expr, scope, true) {
            (Expr::Call(call), at) => self.is_forked_pool(call, at),
            _ => false,
        }
    }
}

/// The iterable that a loop variable bound by `binding` runs over: the `for` statement or the
/// comprehension whose target is that plain name.
fn iterated<'a>(binding: &Binding<'a>) -> Option<&'a Expr> {
    let stmt = binding.stmt?;
    if let Stmt::For(for_stmt) = stmt
        && for_stmt.target.range() == binding.range
    {
        return for_stmt.target.is_name_expr().then_some(&*for_stmt.iter);
    }
    let mut finder = GeneratorFinder { target: binding.range, found: None };
    finder.visit_stmt(stmt);
    finder.found
}

/// Finds the comprehension generator whose target is a plain name at `target`.
struct GeneratorFinder<'a> {
    target: TextRange,
    found: Option<&'a Expr>,
}

impl<'a> Visitor<'a> for GeneratorFinder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_none() && stmt.range().contains_range(self.target) {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_none() && expr.range().contains_range(self.target) {
            visitor::walk_expr(self, expr);
        }
    }

    fn visit_comprehension(&mut self, comprehension: &'a ast::Comprehension) {
        if self.found.is_none() && comprehension.target.is_name_expr() && comprehension.target.range() == self.target {
            self.found = Some(&comprehension.iter);
            return;
        }
        visitor::walk_comprehension(self, comprehension);
    }
}

#[cfg(test)]
mod tests {
    use ruff_text_size::Ranged;

    use crate::pools::Resolver;
    use crate::semantic::Semantic;

    /// The source of every call in `src` that starts processes.
    fn starters(src: &str) -> Vec<String> {
        let parsed = crate::source::parse(src).unwrap();
        let sem = Semantic::build(parsed.suite());
        let resolver = Resolver::new(&sem);
        sem.calls
            .iter()
            .filter(|site| resolver.starts_processes(site.call, site.scope))
            .map(|site| src[site.call.range()].to_string())
            .collect()
    }

    #[test]
    fn executors_start_on_the_first_task_pools_in_the_constructor() {
        let cases: &[(&str, &[&str])] = &[
            ("from concurrent.futures import ProcessPoolExecutor as E\nex = E(2)\nwith E() as idle:\n    pass", &[]),
            (
                "from concurrent.futures import ProcessPoolExecutor as E\nex = E(2)\nex.submit(f, 1)",
                &["ex.submit(f, 1)"],
            ),
            (
                "from concurrent.futures import ProcessPoolExecutor as E\nwith E() as ex:\n    ex.map(f, x)",
                &["ex.map(f, x)"],
            ),
            ("from concurrent.futures import ProcessPoolExecutor as E\nex = E()\nex.shutdown()", &[]),
            (
                "from concurrent.futures import ProcessPoolExecutor as E\nasync def m(loop):\n    with E() as ex:\n        await loop.run_in_executor(ex, f)",
                &["loop.run_in_executor(ex, f)"],
            ),
            (
                "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor as E\nex = E(mp_context=mp.get_context('fork'))\nex.submit(f)",
                &[],
            ),
            ("import multiprocessing as mp\np = mp.Pool(2)\np.map(f, x)", &["mp.Pool(2)"]),
            ("import multiprocess as mp\nmp.Pool(2)\nmp.get_context('fork').Pool(2)", &["mp.Pool(2)"]),
            ("from pathos.pools import ProcessPool\nProcessPool(2)", &["ProcessPool(2)"]),
        ];
        for (src, expected) in cases {
            assert_eq!(starters(src), *expected, "in:\n{src}");
        }
    }

    #[test]
    fn pebble_pools_start_on_the_first_task_process_map_when_called() {
        let cases: &[(&str, &[&str])] = &[
            (
                "import pebble
p = pebble.ProcessPool(2)
p.close()
p.join()",
                &[],
            ),
            (
                "import pebble
with pebble.ProcessPool(2) as p:
    p.schedule(f)",
                &["p.schedule(f)"],
            ),
            (
                "from pebble import ProcessPool
p = ProcessPool()
p.map(f, x)",
                &["p.map(f, x)"],
            ),
            (
                "import multiprocessing as mp
import pebble
p = pebble.ProcessPool(context=mp.get_context('fork'))
p.schedule(f)",
                &[],
            ),
            (
                "from tqdm.contrib.concurrent import process_map
process_map(f, x)",
                &["process_map(f, x)"],
            ),
            (
                "import multiprocessing as mp
from tqdm.contrib.concurrent import process_map, thread_map
process_map(f, x, mp_context=mp.get_context('fork'))
thread_map(f, x)",
                &[],
            ),
            (
                "import torch.multiprocessing as mp
mp.Pool(2)
mp.Process(target=f).start()",
                &["mp.Pool(2)", "mp.Process(target=f).start()"],
            ),
        ];
        for (src, expected) in cases {
            assert_eq!(starters(src), *expected, "in:\n{src}");
        }
    }

    #[test]
    fn processes_are_followed_through_lists_loops_and_comprehensions() {
        let p = "from multiprocessing import Process\n";
        let cases: &[(&str, &[&str])] = &[
            ("procs = [Process(target=f), Process(target=g)]\nprocs[0].start()", &["procs[0].start()"]),
            (
                "procs = [Process(target=f, args=(i,)) for i in range(3)]\nfor p in procs:\n    p.start()",
                &["p.start()"],
            ),
            ("procs = (Process(target=f),)\n[p.start() for p in procs]", &["p.start()"]),
            ("ps = []\nps.append(Process(target=f))\nfor p in ps:\n    p.start()", &["p.start()"]),
            ("a = [Process()]\nb = [Process()]\nfor p in a + b[1:]:\n    p.start()", &["p.start()"]),
            ("for p in [Process()]:\n    p.start()\nfor p in [Process()]:\n    p.join()", &["p.start()"]),
            // Empty, mixed, filled with something else, or not followed: silent.
            ("ps = []\nfor p in ps:\n    p.start()", &[]),
            ("ps = [Process(), t]\nfor p in ps:\n    p.start()", &[]),
            ("ps = [Process()]\nps.append(t)\nps[0].start()", &[]),
            ("ps = [Process()]\nps.insert(0, t)\nps[0].start()", &[]),
            ("ps = [Process()]\nps += [t]\nps[0].start()", &[]),
            ("ps = make()\nfor p in ps:\n    p.start()", &[]),
            ("for i, p in enumerate([Process()]):\n    p.start()", &[]),
            (
                "import multiprocessing as mp\nctx = mp.get_context('fork')\nfor p in [ctx.Process(target=f)]:\n    p.start()",
                &[],
            ),
            (
                "import threading\nts = [threading.Thread(target=f) for _ in x]\nfor t in ts:\n    t.start()\n[t.start() for t in ts]",
                &[],
            ),
        ];
        for (src, expected) in cases {
            let src = format!("{p}{src}");
            assert_eq!(starters(&src), *expected, "in:\n{src}");
        }
    }

    #[test]
    fn a_pathos_map_with_a_process_pool_starts_processes_when_called() {
        let cases: &[(&str, &[&str])] = &[
            (
                "from pathos.maps import Imap
from pathos.pools import ProcessPool
m = Imap(ProcessPool)
m(f, x)",
                &["m(f, x)"],
            ),
            (
                "import pathos
list(pathos.maps.Amap(pool=pathos.pools.ProcessPool, nodes=2)(f, x))",
                &["pathos.maps.Amap(pool=pathos.pools.ProcessPool, nodes=2)(f, x)"],
            ),
            (
                "from pathos.maps import Uimap
import multiprocess as mp
Uimap(mp.Pool)(f, x)",
                &["Uimap(mp.Pool)(f, x)"],
            ),
            // Serial (no pool, or `map`), threads, or a name bound to both: silent.
            (
                "from pathos.maps import Imap
m = Imap()
m(f, x)
Imap(map)(f, x)",
                &[],
            ),
            (
                "from pathos.maps import Imap
from pathos.pools import ThreadPool
Imap(ThreadPool)(f, x)",
                &[],
            ),
            (
                "from pathos.maps import Imap
from pathos.pools import ProcessPool
m = Imap()
m = Imap(ProcessPool) if c else m
m(f, x)",
                &[],
            ),
        ];
        for (src, expected) in cases {
            assert_eq!(starters(src), *expected, "in:\n{src}");
        }
    }

    #[test]
    fn a_comprehension_target_finds_its_own_generator() {
        // Two comprehensions bind `p` in one statement: each `p` iterates its own list.
        let src = "from multiprocessing import Process\nimport threading\nx = ([p.start() for p in [threading.Thread()]], [p.start() for p in [Process()]])";
        assert_eq!(starters(src), ["p.start()"]);
    }
}
