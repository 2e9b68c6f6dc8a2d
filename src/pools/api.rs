//! The table of process-pool APIs: the one place that knows `multiprocessing`, `concurrent.futures`,
//! `multiprocess`, pathos, pebble, `torch.multiprocessing` and tqdm's `process_map`. The resolver, the
//! task arguments, the messages, `--swap pathos` and the word pre-filter all read it.
//!
//! To add an API: list its constructors in [`CONSTRUCTORS`] (a new pool kind also gets a [`PoolKind`]
//! variant and a [`PoolApi`] in [`POOLS`]), a package with another's API under its own name in
//! [`ALIASES`], a function that makes a process pool and hands it a callable in [`POOL_FUNCTIONS`]; the
//! pre-filter learns the new words by itself.
//!
//! APIs that pickle tasks with cloudpickle or dill by design (joblib's default `loky` backend, loky's
//! executors, dask's `processes` scheduler, ray) send lambdas and local functions fine: they are not in
//! the table, so pickfix stays silent about them.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use ruff_python_ast::{Arguments, Expr};

use super::PoolKind;

/// An argument of a call: its keyword, and its position when it can also be passed positionally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub keyword: &'static str,
    pub position: Option<usize>,
}

/// An argument by keyword or at `position`.
const fn at(keyword: &'static str, position: usize) -> Param {
    Param { keyword, position: Some(position) }
}

/// A keyword-only argument.
const fn keyword(keyword: &'static str) -> Param {
    Param { keyword, position: None }
}

impl Param {
    /// The value passed for this parameter in `arguments`.
    pub fn find(self, arguments: &Arguments) -> Option<&Expr> {
        match self.position {
            Some(position) => arguments.find_argument_value(self.keyword, position),
            None => arguments.find_keyword(self.keyword).map(|k| &k.value),
        }
    }
}

/// Where a call's task data are: what is pickled along with the callable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// The elements of a display or comprehension passed there (`iterable=`, `args=`, `initargs=`).
    Elements(Param),
    /// The elements of each of its elements (`starmap`'s rows).
    Rows(Param),
    /// The values of a dict display passed there (`kwds=`, `kwargs=`).
    Values(Param),
    /// The elements of every positional argument from `from` on (`Executor.map(fn, *iterables)`).
    Iterables { from: usize },
    /// The positional arguments from `from` on, but starred ones, and, when `keywords` is `Some(but)`,
    /// the named keyword arguments but those in `but` (`submit(fn, *args, **kwargs)`).
    Spread { from: usize, keywords: Option<&'static [&'static str]> },
}

/// A pool method that hands a callable to a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub name: &'static str,
    pub data: &'static [Data],
    /// Keyword arguments whose callables run in the parent, never pickled: never sinks.
    pub callbacks: &'static [&'static str],
    /// The pathos `ProcessingPool` method that does the same (`--swap pathos`), for `multiprocessing`'s.
    pub pathos: Option<&'static str>,
}

/// What a pool of one kind takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolApi {
    pub kind: PoolKind,
    /// The class as messages name it: `Pool.map`, `ProcessingPool(initializer=...)`.
    pub display: &'static str,
    /// Tasks (callable and data) are pickled with dill, which handles lambdas, closures and local classes.
    pub dill: bool,
    /// The callable of every method.
    pub callable: Param,
    pub methods: &'static [Method],
    /// Methods that take no task (`close`, `join`, ...).
    pub lifecycle: &'static [&'static str],
    /// The constructor's initializer and its arguments.
    pub initializer: Param,
    pub initargs: &'static [Data],
    /// The constructor's start-method context: with a `fork` context the initializer is not pickled.
    pub context: Option<Param>,
    /// Which calls start the worker processes (what `missing-main-guard` reports at import time).
    pub starts: Starts,
}

/// Which calls start the worker processes of a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starts {
    /// The constructor: `multiprocessing.Pool.__init__` fills the pool, pathos's constructor serves one.
    Constructor,
    /// The first task: any of [`PoolApi::methods`], also handed over by a [`Forwarder`]
    /// (`ProcessPoolExecutor` spawns its workers in `submit`, which `map` calls, from 3.9 to 3.13).
    FirstTask,
}

const fn method(name: &'static str, data: &'static [Data], pathos: &'static str) -> Method {
    Method { name, data, callbacks: &[], pathos: Some(pathos) }
}

const fn with_callbacks(method: Method) -> Method {
    Method { callbacks: &["callback", "error_callback"], ..method }
}

const fn plain(name: &'static str, data: &'static [Data]) -> Method {
    Method { name, data, callbacks: &[], pathos: None }
}

const ITERABLE: &[Data] = &[Data::Elements(at("iterable", 1))];
const ROWS: &[Data] = &[Data::Rows(at("iterable", 1))];
const ARGS_KWDS: &[Data] = &[Data::Elements(at("args", 1)), Data::Values(at("kwds", 2))];
const ITERABLES: &[Data] = &[Data::Iterables { from: 1 }];

/// `multiprocessing.Pool`'s methods, also `multiprocess.Pool`'s.
const MULTIPROCESSING_METHODS: &[Method] = &[
    method("map", ITERABLE, "map"),
    with_callbacks(method("map_async", ITERABLE, "amap")),
    method("imap", ITERABLE, "imap"),
    method("imap_unordered", ITERABLE, "uimap"),
    method("starmap", ROWS, "map"),
    with_callbacks(method("starmap_async", ROWS, "amap")),
    method("apply", ARGS_KWDS, "pipe"),
    with_callbacks(method("apply_async", ARGS_KWDS, "apipe")),
];
const MULTIPROCESSING_LIFECYCLE: &[&str] = &["close", "join", "terminate"];
const MULTIPROCESSING_INITARGS: &[Data] = &[Data::Elements(at("initargs", 2))];

const fn multiprocessing(kind: PoolKind, dill: bool) -> PoolApi {
    PoolApi {
        kind,
        display: "Pool",
        dill,
        callable: at("func", 0),
        methods: MULTIPROCESSING_METHODS,
        lifecycle: MULTIPROCESSING_LIFECYCLE,
        initializer: at("initializer", 1),
        initargs: MULTIPROCESSING_INITARGS,
        context: None,
        starts: Starts::Constructor,
    }
}

/// Every kind of process pool.
pub const POOLS: &[PoolApi] = &[
    multiprocessing(PoolKind::Multiprocessing, false),
    PoolApi {
        kind: PoolKind::Executor,
        display: "ProcessPoolExecutor",
        dill: false,
        callable: at("fn", 0),
        methods: &[plain("submit", &[Data::Spread { from: 1, keywords: Some(&["fn"]) }]), plain("map", ITERABLES)],
        lifecycle: &["shutdown"],
        initializer: at("initializer", 2),
        initargs: &[Data::Elements(at("initargs", 3))],
        context: Some(at("mp_context", 1)),
        starts: Starts::FirstTask,
    },
    multiprocessing(PoolKind::Multiprocess, true),
    PoolApi {
        kind: PoolKind::Pathos,
        display: "ProcessingPool",
        dill: true,
        callable: at("f", 0),
        methods: &[
            plain("map", ITERABLES),
            plain("amap", ITERABLES),
            plain("imap", ITERABLES),
            plain("uimap", ITERABLES),
            // `pipe(f, *args, **kwds)`: every named keyword goes to `f`.
            plain("pipe", &[Data::Spread { from: 1, keywords: Some(&[]) }]),
            plain("apipe", &[Data::Spread { from: 1, keywords: Some(&[]) }]),
        ],
        lifecycle: &["close", "join", "terminate", "clear"],
        initializer: keyword("initializer"),
        initargs: &[Data::Elements(keyword("initargs"))],
        context: None,
        starts: Starts::Constructor,
    },
    PEBBLE,
];

/// `pebble.ProcessPool(max_workers, max_tasks, initializer, initargs, context)`: standard pickle; its
/// workers start on the first `schedule` (which `map` and `submit` call), not in the constructor.
const PEBBLE: PoolApi = PoolApi {
    kind: PoolKind::Pebble,
    display: "pebble.ProcessPool",
    dill: false,
    callable: at("function", 0),
    methods: &[
        plain("schedule", &[Data::Elements(at("args", 1)), Data::Values(at("kwargs", 2))]),
        plain("map", ITERABLES),
        // `submit(function, timeout, /, *args, **kwargs)`: every named keyword goes to `function`.
        plain("submit", &[Data::Spread { from: 2, keywords: Some(&[]) }]),
    ],
    lifecycle: &["close", "stop", "join"],
    initializer: at("initializer", 2),
    initargs: &[Data::Elements(at("initargs", 3))],
    context: Some(at("context", 4)),
    starts: Starts::FirstTask,
};

/// What a constructor makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Makes {
    Pool(PoolKind),
    Process,
    /// `multiprocessing.get_context(...)`: a context behaves like the `multiprocessing` module.
    Context,
    /// A pathos map with a lazily made pool (`pathos.maps.Imap(ProcessPool)`): each call of it makes
    /// the pool named by its [`LAZY_MAP_POOL`] argument and maps with it (dill pickles the tasks).
    LazyMap,
}

/// Constructors, by qualified name (of the package that defines them, not of an alias).
pub const CONSTRUCTORS: &[(&[&str], Makes)] = &[
    (&["multiprocessing.Pool", "multiprocessing.pool.Pool"], Makes::Pool(PoolKind::Multiprocessing)),
    (
        &["concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"],
        Makes::Pool(PoolKind::Executor),
    ),
    (
        &[
            "pathos.multiprocessing.ProcessingPool",
            "pathos.multiprocessing.ProcessPool",
            "pathos.pools.ProcessPool",
            "pathos.pools.ProcessingPool",
        ],
        Makes::Pool(PoolKind::Pathos),
    ),
    (
        &["pebble.ProcessPool", "pebble.pool.ProcessPool", "pebble.pool.process.ProcessPool"],
        Makes::Pool(PoolKind::Pebble),
    ),
    (&["multiprocessing.Process", "multiprocessing.context.Process"], Makes::Process),
    (&["multiprocessing.get_context", "multiprocessing.context.get_context"], Makes::Context),
    (
        &[
            "pathos.maps.Map",
            "pathos.maps.Imap",
            "pathos.maps.Uimap",
            "pathos.maps.Amap",
            "pathos.maps.Smap",
            "pathos.maps.Asmap",
            "pathos.maps.Ismap",
        ],
        Makes::LazyMap,
    ),
];

/// The pool class a [`Makes::LazyMap`] makes when called; without one it maps in the caller.
pub const LAZY_MAP_POOL: Param = at("pool", 0);

/// The `Process` method that starts the child.
pub const PROCESS_START: &str = "start";

/// `Process(target=...)`'s callable and task data.
pub const PROCESS_TARGET: Param = at("target", 1);
pub const PROCESS_DATA: &[Data] = &[Data::Elements(at("args", 3)), Data::Values(at("kwargs", 4))];

/// `get_context(method)`'s start method.
pub const CONTEXT_METHOD: Param = at("method", 0);

/// A package with another's API under its own name: its names are looked up as the other's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias {
    /// The package, whole (`torch.multiprocessing`).
    pub root: &'static str,
    pub same_as: &'static str,
    /// The kind of the pools it makes.
    pub pools: PoolKind,
    /// Its pools, processes and contexts pickle with dill (`multiprocess`), not with pickle.
    pub dill: bool,
}

pub const ALIASES: &[Alias] = &[
    Alias { root: "multiprocess", same_as: "multiprocessing", pools: PoolKind::Multiprocess, dill: true },
    // `torch.multiprocessing` re-exports `multiprocessing` (`from multiprocessing import *`) and only
    // registers reducers for tensors: lambdas and local functions fail as with `multiprocessing`.
    Alias { root: "torch.multiprocessing", same_as: "multiprocessing", pools: PoolKind::Multiprocessing, dill: false },
];

/// A module-level function that makes a process pool, hands it the callable and waits for the results
/// (`tqdm.contrib.concurrent.process_map(fn, *iterables)`): a sink, and at import time it starts
/// processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolFunction {
    /// Its qualified names (of the package that defines it).
    pub names: &'static [&'static str],
    /// The module a file must import it from: every spelling of an import of it names its last part.
    pub module: &'static str,
    /// The function as messages name it, also the word for generated names.
    pub display: &'static str,
    pub callable: Param,
    pub data: &'static [Data],
    /// The start-method context of the pool it makes: with a `fork` context no process imports the
    /// main module (the callable is still pickled as every task is).
    pub context: Option<Param>,
}

pub const POOL_FUNCTIONS: &[PoolFunction] = &[
    // `process_map(fn, *iterables, max_workers=, chunksize=, mp_context=, ...)`: a `ProcessPoolExecutor`'s
    // `map`; `thread_map` uses threads and is not here.
    PoolFunction {
        names: &["tqdm.contrib.concurrent.process_map"],
        module: "tqdm.contrib.concurrent",
        display: "process_map",
        callable: at("fn", 0),
        data: ITERABLES,
        context: Some(keyword("mp_context")),
    },
];

/// The function of [`POOL_FUNCTIONS`] a qualified name names.
pub fn pool_function(qualified: &str) -> Option<&'static PoolFunction> {
    POOL_FUNCTIONS.iter().find(|function| function.names.contains(&qualified))
}

/// A method that hands a callable to a process pool passed as one of its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forwarder {
    pub method: &'static str,
    pub pool: Param,
    pub kind: PoolKind,
    pub callable: Param,
    pub data: &'static [Data],
}

/// `loop.run_in_executor(<process pool>, f, *args)`.
pub const RUN_IN_EXECUTOR: Forwarder = Forwarder {
    method: "run_in_executor",
    pool: at("executor", 0),
    kind: PoolKind::Executor,
    callable: at("func", 1),
    data: &[Data::Spread { from: 2, keywords: None }],
};

/// pathos's pool class, which `--swap pathos` puts in place of `multiprocessing.Pool`: module and name.
pub const PATHOS_POOL: (&str, &str) = ("pathos.multiprocessing", "ProcessingPool");

/// The keywords of `multiprocessing.Pool(...)` that pathos's pool takes with the same meaning.
pub const PATHOS_POOL_KEYWORDS: &[&str] = &["processes", "initializer", "initargs", "maxtasksperchild"];

/// `multiprocessing.Pool`'s map methods' argument that only tunes how tasks are sent (pathos takes it by
/// keyword).
pub const CHUNKSIZE: Param = at("chunksize", 2);

/// How a method of `multiprocessing.Pool` passes its task data, read from [`Method::data`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `map(f, iterable)`: one element a task.
    Map,
    /// `starmap(f, rows)`: each row is spread into the arguments.
    Starmap,
    /// `apply(f, args, kwds)`: one task.
    Apply,
}

impl Method {
    pub fn shape(&self) -> Shape {
        match self.data {
            [Data::Rows(_)] => Shape::Starmap,
            [Data::Elements(_), Data::Values(_)] => Shape::Apply,
            _ => Shape::Map,
        }
    }
}

/// The package that has the API of another under its own name and pickles with dill, for pools of `kind`.
pub fn dill_alias(kind: PoolKind) -> Option<&'static Alias> {
    ALIASES.iter().find(|alias| alias.dill && alias.pools == kind)
}

/// The API of a kind of pool.
pub fn pool(kind: PoolKind) -> &'static PoolApi {
    POOLS.iter().find(|api| api.kind == kind).expect("every pool kind is in POOLS")
}

impl PoolApi {
    pub fn method(&self, name: &str) -> Option<&'static Method> {
        self.methods.iter().find(|m| m.name == name)
    }
}

/// Whether some pool has a method `name` (a cheap filter before resolving the receiver).
pub fn is_pool_method(name: &str) -> bool {
    POOLS.iter().any(|api| api.method(name).is_some())
}

/// What pathos calls `multiprocessing.Pool`'s method `name`, when it has it.
pub fn pathos_name(name: &str) -> Option<&'static str> {
    pool(PoolKind::Multiprocessing).method(name)?.pathos
}

/// Whether `multiprocessing.Pool`'s method `name` takes no task and pathos's pool has it too.
pub fn pathos_keeps(name: &str) -> bool {
    pool(PoolKind::Multiprocessing).lifecycle.contains(&name) && pool(PoolKind::Pathos).lifecycle.contains(&name)
}

/// The words a file must mention to make a process pool or process. Each API lives in a module: the
/// module of a constructor (`multiprocessing` for `multiprocessing.Pool`, `concurrent.futures` for its
/// executor), an alias's package (`multiprocess`, `torch.multiprocessing`) and a pool function's module
/// (`tqdm.contrib.concurrent`). Every import of a module spells its dotted name, or, for a submodule,
/// `from <package> import` (`from concurrent import futures`): those are the words, without a word that
/// contains another (`multiprocess` covers `multiprocessing`, `torch.multiprocessing` and
/// `pathos.multiprocessing`). A dotted word is only ever dropped for a word inside its last part, which
/// `from <package> import <last part>` spells too. So a file that mentions `concurrent` only in prose,
/// or only `import torch` or `from tqdm import tqdm`, is not parsed.
pub fn root_packages() -> Vec<String> {
    let constructor_modules = CONSTRUCTORS
        .iter()
        .flat_map(|(names, _)| names.iter())
        .filter_map(|name| name.rsplit_once('.').map(|(module, _)| module));
    let modules = ALIASES.iter().map(|a| a.root).chain(POOL_FUNCTIONS.iter().map(|f| f.module));
    let kept = without_containing(constructor_modules.chain(modules).map(str::to_string).collect());
    let mut words = kept.clone();
    for module in &kept {
        if let Some((package, _)) = module.rsplit_once('.') {
            words.push(format!("from {package} import"));
        }
    }
    without_containing(words)
}

/// The words sorted, without duplicates and without any word that contains another.
fn without_containing(mut words: Vec<String>) -> Vec<String> {
    words.sort_unstable();
    words.dedup();
    let all = words.clone();
    words.retain(|word| !all.iter().any(|other| other != word && word.contains(other.as_str())));
    words
}

static ROOT_FINDERS: LazyLock<Vec<Finder<'static>>> =
    LazyLock::new(|| root_packages().into_iter().map(|word| Finder::new(word.as_bytes()).into_owned()).collect());

/// Whether `bytes` mention one of the [`root_packages`].
pub fn mentions_a_root_package(bytes: &[u8]) -> bool {
    ROOT_FINDERS.iter().any(|finder| finder.find(bytes).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathos_pool_is_a_pathos_constructor_and_shapes_follow_the_data() {
        let qualified = format!("{}.{}", PATHOS_POOL.0, PATHOS_POOL.1);
        assert!(
            CONSTRUCTORS
                .iter()
                .any(|(names, makes)| names.contains(&qualified.as_str()) && *makes == Makes::Pool(PoolKind::Pathos))
        );
        let shape = |name| pool(PoolKind::Multiprocessing).method(name).unwrap().shape();
        assert_eq!(
            [shape("map"), shape("imap_unordered"), shape("starmap_async"), shape("apply")],
            [Shape::Map, Shape::Map, Shape::Starmap, Shape::Apply]
        );
    }

    #[test]
    fn root_packages_are_the_packages_of_the_table() {
        assert_eq!(
            root_packages(),
            [
                "concurrent.futures",
                "from concurrent import",
                "from pathos import",
                "from tqdm.contrib import",
                "multiprocess",
                "pathos.maps",
                "pathos.pools",
                "pebble",
                "tqdm.contrib.concurrent",
            ]
        );
        for import in [
            "import multiprocessing",
            "import os, multiprocessing",
            "from multiprocessing.pool import Pool",
            "from concurrent.futures import ProcessPoolExecutor",
            "from concurrent import futures",
            "import concurrent.futures as cf",
            "from pathos.pools import ProcessPool",
            "import pathos\np = pathos.pools.ProcessPool()",
            "from pathos import multiprocessing",
            "from torch import multiprocessing as mp",
            "import torch.multiprocessing as mp",
            "from tqdm.contrib.concurrent import process_map",
            "from tqdm.contrib import concurrent",
            "from pebble import ProcessPool",
        ] {
            assert!(mentions_a_root_package(import.as_bytes()), "{import}");
        }
        for other in [
            "import threading",
            "import torch\nfrom tqdm import tqdm\nfrom tqdm.contrib.itertools import product",
            "# concurrent access to the cache is safe",
        ] {
            assert!(!mentions_a_root_package(other.as_bytes()), "{other}");
        }
        // Every module of the table is found however it is imported: whole, or from its package.
        let modules = CONSTRUCTORS
            .iter()
            .flat_map(|(names, _)| names.iter())
            .filter_map(|name| name.rsplit_once('.').map(|(module, _)| module))
            .chain(ALIASES.iter().map(|a| a.root))
            .chain(POOL_FUNCTIONS.iter().map(|f| f.module));
        for module in modules {
            let mut imports = vec![format!("import {module}"), format!("{module}.name")];
            if let Some((package, last)) = module.rsplit_once('.') {
                imports.push(format!("from {package} import {last}"));
            }
            for import in imports {
                assert!(mentions_a_root_package(import.as_bytes()), "{import}");
            }
        }
    }

    #[test]
    fn every_pool_kind_has_one_api_and_pathos_names_are_pathos_methods() {
        for api in POOLS {
            assert_eq!(POOLS.iter().filter(|other| other.kind == api.kind).count(), 1, "{:?}", api.kind);
            for method in api.methods {
                assert!(!method.callbacks.contains(&api.callable.keyword), "{:?}.{}", api.kind, method.name);
            }
        }
        let pathos = pool(PoolKind::Pathos);
        for method in pool(PoolKind::Multiprocessing).methods {
            let name = method.pathos.expect("every multiprocessing method has a pathos equivalent");
            assert!(pathos.method(name).is_some(), "{name}");
        }
        assert_eq!(pathos_name("imap_unordered"), Some("uimap"));
        assert!(pathos_keeps("join") && !pathos_keeps("clear") && !pathos_keeps("map"));
    }
}
