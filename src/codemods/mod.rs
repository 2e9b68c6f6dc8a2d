//! The registry of codemods: one `Rule` variant, one module, one fixture folder `codemods/<name>/`.

mod hoist;
pub mod lambda_to_function;
pub mod local_class_to_process;
pub mod local_function_to_function;
pub mod method_to_staticmethod;
pub mod missing_main_guard;
pub mod pool_on_self;
pub mod queue_to_pool;
pub mod swap;
mod unpicklable;
pub mod unpicklable_argument;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use ruff_python_ast::token::Tokens;
use ruff_python_ast::{ModModule, Stmt};
use ruff_python_codegen::Stylist;
use ruff_python_parser::Parsed;
use ruff_text_size::TextSize;

use crate::edits::{Layout, fresh_name};
use crate::finding::Finding;
use crate::pools::{Resolver, Sink};
use crate::semantic::Semantic;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    LambdaToFunction,
    LocalFunctionToFunction,
    MethodToStaticmethod,
    MissingMainGuard,
    UnpicklableArgument,
    QueueToPool,
    LocalClassToProcess,
    PoolOnSelf,
}

impl Rule {
    pub const ALL: &'static [Rule] = &[
        Rule::LambdaToFunction,
        Rule::LocalFunctionToFunction,
        Rule::MethodToStaticmethod,
        Rule::MissingMainGuard,
        Rule::UnpicklableArgument,
        Rule::QueueToPool,
        Rule::LocalClassToProcess,
        Rule::PoolOnSelf,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::LambdaToFunction => "PF001",
            Rule::LocalFunctionToFunction => "PF002",
            Rule::MethodToStaticmethod => "PF003",
            Rule::MissingMainGuard => "PF004",
            Rule::UnpicklableArgument => "PF005",
            Rule::QueueToPool => "PF006",
            Rule::LocalClassToProcess => "PF007",
            Rule::PoolOnSelf => "PF008",
        }
    }

    /// The kebab-case name, also the fixture folder's name with `_` for `-`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::LambdaToFunction => "lambda-to-function",
            Rule::LocalFunctionToFunction => "local-function-to-function",
            Rule::MethodToStaticmethod => "method-to-staticmethod",
            Rule::MissingMainGuard => "missing-main-guard",
            Rule::UnpicklableArgument => "unpicklable-argument",
            Rule::QueueToPool => "queue-to-pool",
            Rule::LocalClassToProcess => "local-class-to-process",
            Rule::PoolOnSelf => "pool-on-self",
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            Rule::LambdaToFunction => "a lambda handed to a process pool becomes a module-level function",
            Rule::LocalFunctionToFunction => "a local function handed to a process pool moves to module level",
            Rule::MethodToStaticmethod => "a method handed to a process pool with an unpicklable `self` becomes static",
            Rule::MissingMainGuard => {
                "module-level code that starts processes moves under `if __name__ == \"__main__\":`"
            }
            Rule::UnpicklableArgument => "a task argument pickle refuses (open file, lock, connection, generator...)",
            Rule::QueueToPool => {
                "a multiprocessing Queue, Lock, Event, Value... sent to a pool as a task argument is made by a Manager()"
            }
            Rule::LocalClassToProcess => "an instance of a class defined in a function sent to or from a process",
            Rule::PoolOnSelf => "`self` sent to another process while it keeps a pool or executor",
        }
    }

    /// The rules a `--select`/`--ignore` word names: a code, a code prefix (`PF`, `PF00`), a name, or `ALL`.
    pub fn matching(selector: &str) -> Vec<Rule> {
        let selector = selector.trim();
        if selector.eq_ignore_ascii_case("ALL") {
            return Rule::ALL.to_vec();
        }
        Rule::ALL
            .iter()
            .copied()
            .filter(|rule| {
                rule.code().starts_with(&selector.to_ascii_uppercase()) && selector.len() >= 2
                    || rule.name() == selector
                    || rule.name().replace('-', "_") == selector
            })
            .collect()
    }
}

/// What every codemod sees of one file: its text, syntax, scopes and the process-pool sinks in it.
pub struct Context<'s, 'a> {
    pub text: &'a str,
    pub body: &'a [Stmt],
    pub tokens: &'a Tokens,
    pub sem: &'s Semantic<'a>,
    pub resolver: Resolver<'s, 'a>,
    /// Every sink, also those of dill-based pools (`multiprocess`, `pathos`), which still refuse queues
    /// and pools as task data.
    pub sinks: Vec<Sink<'a>>,
    pub layout: Layout,
    /// The file is run as a program (a shebang line, or `__main__.py`), not imported by other modules.
    pub entry_point: bool,
    /// Names handed out in this pass, by the offset of what they name, so that two findings never pick
    /// the same new name and one thing always gets the same name.
    names: RefCell<HashMap<TextSize, String>>,
    reserved: RefCell<HashSet<String>>,
}

impl<'a> Context<'_, 'a> {
    /// The sinks that pickle with `pickle`: lambdas, local functions and classes fail only there.
    pub fn pickle_sinks(&self) -> impl Iterator<Item = &Sink<'a>> {
        self.sinks.iter().filter(|sink| !sink.dill)
    }

    /// A fresh module-level name for the thing at `key`.
    pub fn new_name(&self, key: TextSize, base: &str) -> String {
        if let Some(name) = self.names.borrow().get(&key) {
            return name.clone();
        }
        let name = fresh_name(base, &self.sem.all_names, &self.reserved.borrow());
        self.reserved.borrow_mut().insert(name.clone());
        self.names.borrow_mut().insert(key, name.clone());
        name
    }
}

/// Runs the selected codemods over one parsed file; `entry_point` says the file is a program.
pub fn check(
    text: &str,
    parsed: &Parsed<ModModule>,
    rules: &[Rule],
    entry_point: bool,
    swap: Option<swap::Swap>,
) -> Vec<Finding> {
    let body = parsed.suite();
    let sem = Semantic::build(body);
    let resolver = Resolver::new(&sem);
    let sinks = resolver.sinks();
    if sinks.is_empty() && !rules.contains(&Rule::MissingMainGuard) {
        return Vec::new();
    }
    let stylist = Stylist::from_tokens(parsed.tokens(), text);
    let layout = Layout {
        indent: stylist.indentation().as_str().to_string(),
        eol: stylist.line_ending().as_str(),
        quote: stylist.quote().as_char(),
    };
    let ctx = Context {
        text,
        body,
        tokens: parsed.tokens(),
        sem: &sem,
        resolver,
        sinks,
        layout,
        entry_point: entry_point || text.starts_with("#!"),
        names: RefCell::default(),
        reserved: RefCell::default(),
    };
    let mut findings = Vec::new();
    for rule in rules {
        match rule {
            Rule::LambdaToFunction => lambda_to_function::check(&ctx, &mut findings),
            Rule::LocalFunctionToFunction => local_function_to_function::check(&ctx, &mut findings),
            Rule::MethodToStaticmethod => method_to_staticmethod::check(&ctx, &mut findings),
            Rule::MissingMainGuard => missing_main_guard::check(&ctx, &mut findings),
            Rule::UnpicklableArgument => unpicklable_argument::check(&ctx, &mut findings),
            Rule::QueueToPool => queue_to_pool::check(&ctx, &mut findings),
            Rule::LocalClassToProcess => local_class_to_process::check(&ctx, &mut findings),
            Rule::PoolOnSelf => pool_on_self::check(&ctx, &mut findings),
        }
    }
    if let Some(swap) = swap {
        swap::apply(&ctx, swap, &mut findings);
    }
    findings
}
