//! The registry of codemods. A rule is one module (its docs, its `check`, its `META` and its `Why`,
//! the reasons it gives for not fixing), one fixture folder `codemods/<name>/`, and one line in
//! [`registry!`] below. `Rule`, `Rule::ALL`, `--list`, the README's rule table, the swap's policy and
//! the tests' lists all derive from the modules' `META`.

pub mod hoist;
mod imports;
pub mod swap;
pub mod unpicklable;

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};

use ruff_python_ast::parenthesize::parenthesized_range;
use ruff_python_ast::token::Tokens;
use ruff_python_ast::{AnyNodeRef, Expr, ModModule, Stmt};
use ruff_python_codegen::Stylist;
use ruff_python_parser::Parsed;
use ruff_python_trivia::CommentRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::edits::{Layout, fresh_name};
use crate::finding::Finding;
use crate::pools::{Resolver, Sink};
use crate::semantic::Semantic;

/// What a rule declares about itself, as `pub(crate) const META: RuleMeta` in its own module.
#[derive(Debug)]
pub struct RuleMeta {
    /// `PF001`.
    pub code: &'static str,
    /// The kebab-case name, also the fixture folder's name with `_` for `-`.
    pub name: &'static str,
    /// One line, for `--list`.
    pub summary: &'static str,
    /// What it does, for the README's rule table.
    pub description: &'static str,
    /// How safe its fix is.
    pub fix: FixSafety,
    /// What the README adds after the fix safety (`: one class instead of one per call`), or "".
    pub fix_note: &'static str,
    /// It can find something only where a callable or an object is handed to a pool (a sink).
    pub needs_sinks: bool,
    /// Pickling with dill (`--swap`) makes its findings right, instead of its fix.
    pub dill_solves: bool,
}

/// How safe a rule's fix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixSafety {
    Safe,
    /// Applied with `--unsafe-fixes`.
    Unsafe,
    /// Safe in a program (a shebang line, `__main__.py`), unsafe in a module others may import.
    SafeForScripts,
    /// Only a finding: the message says what to do.
    None,
}

impl std::fmt::Display for FixSafety {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FixSafety::Safe => "safe",
            FixSafety::Unsafe => "unsafe (`--unsafe-fixes`)",
            FixSafety::SafeForScripts => "safe for scripts (shebang) and `__main__.py`, unsafe otherwise",
            FixSafety::None => "none",
        })
    }
}

/// Declares the rules: `Variant => module`, in code order. Each module has `META`, `check` and `Why`.
macro_rules! registry {
    ($($variant:ident => $module:ident),+ $(,)?) => {
        $(pub mod $module;)+

        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($variant),+
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            /// What the rule declares about itself.
            pub fn meta(self) -> &'static RuleMeta {
                match self {
                    $(Rule::$variant => &$module::META),+
                }
            }

            fn run(self, ctx: &Context, findings: &mut Vec<Finding>) {
                match self {
                    $(Rule::$variant => $module::check(ctx, findings)),+
                }
            }
        }

        /// Why a finding has no fix: a value to match, which renders the message users read.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Refusal {
            /// Moving code to module level is not possible (shared by PF001, PF002, PF007).
            Move(hoist::Why),
            /// `--swap` was refused for the file.
            Swap { package: swap::Swap, why: swap::Why },
            /// Code of a shape pickfix did not expect (a pickfix limit, not a property of the program).
            Unexpected(&'static str),
            /// In a notebook, the fix would leave the code in the kernel's `__main__`.
            InNotebook,
            /// In a notebook, the fix would change two cells at once.
            CrossesCells,
            $($variant($module::Why)),+
        }

        impl std::fmt::Display for Refusal {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Refusal::Move(why) => why.fmt(f),
                    Refusal::Swap { package, why } => {
                        write!(f, "`--swap {}` refused for this file: {why}", package.package())
                    }
                    Refusal::Unexpected(what) => f.write_str(what),
                    Refusal::InNotebook => f.write_str(
                        "in a notebook the fix would leave the code in the kernel's `__main__`, which a process started with spawn or forkserver cannot import; move the class to a module"
                    ),
                    Refusal::CrossesCells => f.write_str("the fix would change two notebook cells at once"),
                    $(Refusal::$variant(why) => why.fmt(f)),+
                }
            }
        }

        $(
            impl From<$module::Why> for Refusal {
                fn from(why: $module::Why) -> Self {
                    Refusal::$variant(why)
                }
            }
        )+
    };
}

registry! {
    LambdaToFunction => lambda_to_function,
    LocalFunctionToFunction => local_function_to_function,
    MethodToStaticmethod => method_to_staticmethod,
    MissingMainGuard => missing_main_guard,
    UnpicklableArgument => unpicklable_argument,
    QueueToPool => queue_to_pool,
    LocalClassToProcess => local_class_to_process,
    PoolOnSelf => pool_on_self,
    NotebookWorker => notebook_worker,
}

impl From<hoist::Why> for Refusal {
    fn from(why: hoist::Why) -> Self {
        Refusal::Move(why)
    }
}

impl Rule {
    pub fn code(self) -> &'static str {
        self.meta().code
    }

    /// The kebab-case name, also the fixture folder's name with `_` for `-`.
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    pub fn summary(self) -> &'static str {
        self.meta().summary
    }

    /// The fixture folder: `codemods/<name with _>/`.
    pub fn folder(self) -> String {
        self.name().replace('-', "_")
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
                    || rule.folder() == selector
            })
            .collect()
    }
}

/// The README's table of rules, made from the registry (a test checks that README.md holds it).
pub fn readme_table() -> String {
    let mut table = String::from("| code | name | what it does | fix |\n|---|---|---|---|\n");
    for rule in Rule::ALL {
        let meta = rule.meta();
        table.push_str(&format!(
            "| {} | `{}` | {} | {}{} |\n",
            meta.code, meta.name, meta.description, meta.fix, meta.fix_note
        ));
    }
    table
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
    /// The text is the code cells of a notebook, whose workers move to this module.
    pub notebook: Option<&'s notebook_worker::Workers>,
    /// In a notebook: where each code cell starts in the text, and where the last one ends.
    pub cells: &'s [TextSize],
    /// Names handed out in this pass, by the offset of what they name, so that two findings never pick
    /// the same new name and one thing always gets the same name.
    names: RefCell<HashMap<TextSize, String>>,
    reserved: RefCell<HashSet<String>>,
    /// The comments of the file, from its tokens, when first asked for.
    comments: OnceCell<CommentRanges>,
}

impl<'a> Context<'_, 'a> {
    /// The sinks that pickle with `pickle`: lambdas, local functions and classes fail only there.
    pub fn pickle_sinks(&self) -> impl Iterator<Item = &Sink<'a>> {
        self.sinks.iter().filter(|sink| !sink.dill)
    }

    /// Whether the definition at `key` may keep its own `name` when it moves to module level: no
    /// module-level binding, builtin or global read uses the name, and no other definition moved in this
    /// pass keeps it or was given it (two local `job`s of two functions must not both become `job`).
    /// When it may, the name is reserved for it.
    pub fn keep_name(&self, key: TextSize, name: &str) -> bool {
        if let Some(given) = self.names.borrow().get(&key) {
            return given == name;
        }
        if !hoist::is_free_at_module_level(self, name) || self.reserved.borrow().contains(name) {
            return false;
        }
        self.reserved.borrow_mut().insert(name.to_string());
        self.names.borrow_mut().insert(key, name.to_string());
        true
    }

    /// Whether the module-level definition at `key` (a `def` of the `__main__` block, the one binding of
    /// its name) may keep its `name` when it moves: no other definition moved in this pass keeps it or
    /// was given it. When it may, the name is reserved for it.
    pub fn keep_own_name(&self, key: TextSize, name: &str) -> bool {
        if let Some(given) = self.names.borrow().get(&key) {
            return given == name;
        }
        if self.reserved.borrow().contains(name) {
            return false;
        }
        self.reserved.borrow_mut().insert(name.to_string());
        self.names.borrow_mut().insert(key, name.to_string());
        true
    }

    /// The range of `expr` with the parentheses written around it, not counting those of `parent` (a
    /// call's own): the text an edit replaces when the argument becomes something else (`chunksize=x`,
    /// `*rows`), which inside `(x)` would not parse.
    pub fn parenthesized(&self, expr: &Expr, parent: AnyNodeRef) -> TextRange {
        let comments = self.comments.get_or_init(|| CommentRanges::new(crate::source::comment_ranges(self.tokens)));
        parenthesized_range(expr.into(), parent, comments, self.text).unwrap_or_else(|| expr.range())
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

/// One level of indentation as the file writes it. The first indented line's whitespace, as ruff's
/// `Stylist` reads it, spans a lone backslash line before it (`    \`, newline, `    def ...`): then
/// the whitespace after the last line break is the level; four spaces when there is none.
fn indentation_unit(detected: &str) -> String {
    let last = detected.rsplit(['\n', '\r']).next().unwrap_or_default();
    if !last.is_empty() && last.chars().all(|c| c == ' ' || c == '\t') { last.to_string() } else { "    ".to_string() }
}

/// Runs the selected codemods over one parsed file; `entry_point` says the file is a program; `notebook`
/// that it is the code cells of a notebook.
pub fn check(
    text: &str,
    parsed: &Parsed<ModModule>,
    rules: &[Rule],
    entry_point: bool,
    swap: Option<swap::Swap>,
    notebook: Option<(&notebook_worker::Workers, &[TextSize])>,
) -> Vec<Finding> {
    let (notebook, cells) = match notebook {
        Some((workers, cells)) => (Some(workers), cells),
        None => (None, &[][..]),
    };
    let body = parsed.suite();
    let sem = Semantic::build(body);
    let resolver = Resolver::new(&sem);
    let sinks = resolver.sinks();
    if sinks.is_empty() && rules.iter().all(|rule| rule.meta().needs_sinks) {
        return Vec::new();
    }
    let stylist = Stylist::from_tokens(parsed.tokens(), text);
    let layout = Layout {
        indent: indentation_unit(stylist.indentation().as_str()),
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
        notebook,
        cells,
        names: RefCell::default(),
        comments: OnceCell::new(),
        reserved: RefCell::new(notebook.map(|workers| workers.names.keys().cloned().collect()).unwrap_or_default()),
    };
    // In a notebook, PF009 takes the place of PF001 and PF002 (a module-level function would still live
    // in the kernel's `__main__`), and PF004 does not apply: a kernel has no script to run again.
    let in_notebook = |rule: &&Rule| {
        notebook.is_none()
            || !matches!(rule, Rule::LambdaToFunction | Rule::LocalFunctionToFunction | Rule::MissingMainGuard)
    };
    let rules: Vec<Rule> = rules.iter().filter(in_notebook).copied().collect();
    let rules = rules.as_slice();
    let mut findings = Vec::new();
    let Some(swap) = swap.filter(|_| notebook.is_none()) else {
        for rule in rules {
            rule.run(&ctx, &mut findings);
        }
        if notebook.is_some() {
            for finding in &mut findings {
                // A method made static or a class moved to the top level stays in `__main__`.
                if matches!(finding.rule, Rule::MethodToStaticmethod | Rule::LocalClassToProcess)
                    && finding.fix().is_some()
                {
                    finding.remedy = crate::finding::Remedy::NoFix(Refusal::InNotebook);
                }
            }
        }
        return findings;
    };
    // The swap is a decision about the whole file: every rule dill would make right takes part in it,
    // selected or not; only the selected rules' findings are reported.
    for rule in Rule::ALL.iter().filter(|rule| rules.contains(rule) || rule.meta().dill_solves) {
        rule.run(&ctx, &mut findings);
    }
    swap::apply(&ctx, swap, &mut findings);
    findings.retain(|finding| rules.contains(&finding.rule));
    findings
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_indentation_unit_is_whitespace_even_behind_a_backslash_line() {
        assert_eq!(super::indentation_unit("\t"), "\t");
        assert_eq!(super::indentation_unit("  "), "  ");
        assert_eq!(super::indentation_unit("    \\\n    "), "    ");
        assert_eq!(super::indentation_unit("    \\\r\n"), "    ");
    }
}
