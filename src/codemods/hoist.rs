//! Moving code to module level: what the moved code may read, what must be passed to it, and the edits
//! that put a new module-level function above the statement that used it. Shared by the codemods that
//! turn unpicklable callables into module-level functions (PF001, PF002).

use ruff_diagnostics::{Applicability, Edit};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::imports::Needed;
use super::queue_to_pool::{Shared, inherited_only, manager_behind, sends_tasks};
use super::{Context, Refusal};
use crate::edits::{blank_lines_before, comment_lines_above, insertion_above, lines_for_reindent};
use crate::pools::{PoolKind, Sink, SinkKind, Value, is_channel_member, multiprocessing_member};
use crate::semantic::{Binding, BindingKind, MODULE_SCOPE, ScopeId, ScopeKind};

/// What moves, as messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Lambda,
    Function(String),
    /// A local function that moves along with the one handed to the pool.
    Helper(String),
    Class(String),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Lambda => f.write_str("the lambda"),
            Subject::Function(name) | Subject::Class(name) => write!(f, "`{name}`"),
            Subject::Helper(name) => write!(f, "the helper `{name}`"),
        }
    }
}

/// Code that a `def` evaluates where it stands (at module level after the move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionPart {
    Default { parameter: String },
    Decorator { of: String },
    Annotation { parameter: String },
    ReturnAnnotation { of: String },
    Bases { of: String },
}

impl std::fmt::Display for DefinitionPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DefinitionPart::Default { parameter } => write!(f, "the default value of `{parameter}`"),
            DefinitionPart::Decorator { of } => write!(f, "a decorator of `{of}`"),
            DefinitionPart::Annotation { parameter } => write!(f, "the annotation of `{parameter}`"),
            DefinitionPart::ReturnAnnotation { of } => write!(f, "the return annotation of `{of}`"),
            DefinitionPart::Bases { of } => write!(f, "the bases of `{of}`"),
        }
    }
}

/// What kind of local object moved code captures that pickle cannot send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    Function,
    Class,
    Lambda,
}

/// Why code cannot move to module level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// It reads the instance (`self`, or whatever the method's first parameter is called).
    UsesInstance {
        subject: Subject,
        name: String,
    },
    /// Zero-argument `super()` or `__class__`, which need the class cell.
    UsesClassCell {
        subject: Subject,
        name: String,
    },
    /// A function, class or import that only the `__main__` block makes.
    ReadsGuardOnlyDefinition {
        subject: Subject,
        name: String,
    },
    CapturesLocal {
        subject: Subject,
        kind: LocalKind,
        name: String,
    },
    /// `functools.partial` would bind the value before this assignment runs.
    AssignedAfter {
        subject: Subject,
        name: String,
    },
    DefinitionTimeRead {
        part: DefinitionPart,
        name: String,
    },
    /// `functools` names something else, so `functools.partial` cannot be reached.
    FunctoolsTaken,
    /// A definition that must move unchanged reads a local of its function.
    ReadsFromFunction {
        subject: Subject,
        name: String,
    },
    NameTaken {
        subject: Subject,
        name: String,
    },
    /// It changes an object it shares with its caller (`seen.append(x)`): the change stays in the child.
    ChangesCallerState {
        subject: Subject,
        how: String,
    },
    /// The `def` or `class` shares its line with other code.
    SharesLine,
    /// Its lines mix tabs and spaces so that removing one indentation level does not leave valid code.
    MixedIndentation,
    /// It reads a global that a function assigns at run time (`global name`): a spawned child has only
    /// the value the module gives it at import.
    ReadsRuntimeGlobal {
        subject: Subject,
        name: String,
        function: String,
    },
    /// It calls something whose state a child has only by inheritance under `fork` (the parent's
    /// current event loop): moved and run under `spawn`, the child gets a new, empty one.
    UsesInheritedState {
        subject: Subject,
        call: String,
    },
    /// It reads a module its function imports (`import os` inside the function): a module cannot be
    /// passed with `functools.partial`, and the module level does not import it.
    CapturesLocalModule {
        subject: Subject,
        name: String,
    },
    /// It captures a `multiprocessing` queue, lock or value, which reaches a child only by inheritance,
    /// and the pool would send it with every task.
    CapturesInheritedOnly {
        subject: Subject,
        name: String,
        kind: Shared,
    },
    /// A captured value pickle refuses (a lock, a connection, an open file...): the partial that binds it
    /// is pickled with the task and fails, where a function found by name (a `def` of the `__main__`
    /// block under `fork`) did not.
    CapturesUnpicklable {
        subject: Subject,
        name: String,
        what: String,
    },
    /// It captures the function a decorator wraps (`functools.wraps(func)`): pickle sends a function by
    /// its name, and that name now names the wrapper.
    CapturesWrappedFunction {
        subject: Subject,
        name: String,
    },
    /// A `Process` target captures a name that a loop around it rebinds, and the process starts only
    /// after the loop moved on: it reads the last value, `functools.partial` would keep each turn's.
    ReadWhenStarted {
        subject: Subject,
        name: String,
    },
    /// The name of the `def` or `class` is bound more than once in its function.
    Redefined {
        name: String,
    },
    TypeParameters {
        name: String,
    },
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::UsesInstance { subject, name } | Why::UsesClassCell { subject, name } => {
                write!(f, "{subject} uses `{name}`")
            }
            Why::ReadsGuardOnlyDefinition { subject, name } => write!(
                f,
                "{subject} reads `{name}`, which is defined under the `__main__` guard and does not exist in a spawned child"
            ),
            Why::CapturesLocal { subject, kind, name } => {
                let kind = match kind {
                    LocalKind::Function => "local function",
                    LocalKind::Class => "local class",
                    LocalKind::Lambda => "local lambda",
                };
                write!(f, "{subject} captures the {kind} `{name}`, which cannot be pickled")
            }
            Why::AssignedAfter { subject, name } => {
                write!(f, "`{name}` is assigned after {subject}; binding its value there would change the program")
            }
            Why::DefinitionTimeRead { part, name } => {
                write!(f, "{part} reads `{name}`, which a module-level function cannot see")
            }
            Why::FunctoolsTaken => f.write_str("the name `functools` is already used for something else"),
            Why::ReadsFromFunction { subject, name } => write!(f, "{subject} reads `{name}` from its function"),
            Why::NameTaken { subject, name } => {
                write!(f, "{subject} cannot keep its name: `{name}` is already used at module level")
            }
            Why::ChangesCallerState { subject, how } => write!(
                f,
                "{subject} changes state it shares with its caller (`{how}`); in a child process that change \
                 happens to a copy and never reaches the parent: return the value from the task instead"
            ),
            Why::SharesLine => {
                f.write_str("the `def` shares its line with other code (or a backslash joins it to the line above)")
            }
            Why::MixedIndentation => f.write_str(
                "its lines mix tabs and spaces in their indentation, and pickfix cannot re-indent them to module level",
            ),
            Why::ReadsRuntimeGlobal { subject, name, function } => write!(
                f,
                "{subject} reads `{name}`, which `{function}` assigns at run time (`global {name}`): a spawned \
                 child has only the value the module gives it when imported"
            ),
            Why::UsesInheritedState { subject, call } => write!(
                f,
                "{subject} calls `{call}()`, whose state a child has only by inheritance under `fork`: a spawned \
                 child would get a new one"
            ),
            Why::CapturesLocalModule { subject, name } => write!(
                f,
                "{subject} reads the module `{name}`, which its function imports: a module cannot be passed to \
                 another process (import it at module level)"
            ),
            Why::CapturesUnpicklable { subject, name, what } => write!(
                f,
                "{subject} reads `{name}`, {what}, which pickle refuses: bound with `functools.partial` it would be sent to the child"
            ),
            Why::CapturesInheritedOnly { subject, name, kind } => write!(
                f,
                "{subject} captures `{name}`, a `multiprocessing.{kind}`, which reaches a child only by inheritance: \
                 the pool would send it with every task"
            ),
            Why::CapturesWrappedFunction { subject, name } => write!(
                f,
                "{subject} captures `{name}`, the function a decorator wraps: pickle sends a function by its \
                 name, which names the wrapper, so `{name}` cannot reach another process either"
            ),
            Why::ReadWhenStarted { subject, name } => write!(
                f,
                "the loop around {subject} rebinds `{name}`, and the process reads it only when it starts, after \
                 the loop has moved on: binding its value where {subject} stood would change the program"
            ),
            Why::Redefined { name } => write!(f, "`{name}` is bound more than once in its function"),
            Why::TypeParameters { name } => write!(f, "`{name}` has type parameters"),
        }
    }
}

/// The code being moved.
pub(crate) struct Moved<'n> {
    /// How messages name it: "the lambda", "`work`".
    pub what: Subject,
    /// Its own scope: reads from inside it are what it captures.
    pub scope: ScopeId,
    /// Where captured values are bound with `functools.partial` (where the code stood).
    pub site: TextSize,
    /// A name whose reads are not captures: the function itself, when it keeps its name at module level.
    pub own_name: Option<&'n str>,
    /// Whether local functions it calls may move along (instead of making the move impossible).
    pub helpers: bool,
    /// A class: zero-argument `super()` and `__class__` in its methods refer to the class itself.
    pub is_class: bool,
    /// Where a child takes the values the code reads ([`snapshot_point`]), when known.
    pub snapshot: Option<TextSize>,
    /// The code is a `Process` target: under `fork` the child reads the values it captures when it
    /// starts, not where the code was made.
    pub process_target: bool,
}

impl<'n> Moved<'n> {
    /// A `def` that keeps its name when it moves; `helpers` lets the local functions it calls move along.
    pub fn function(what: Subject, def: &'n ast::StmtFunctionDef, scope: ScopeId, helpers: bool) -> Self {
        let own_name = Some(def.name.id.as_str());
        Moved {
            what,
            scope,
            site: def.range.start(),
            own_name,
            helpers,
            is_class: false,
            snapshot: None,
            process_target: false,
        }
    }

    /// The code is handed to `sink`: where and how a child reads what it captures.
    pub fn handed_to(self, ctx: &Context, sink: &Sink) -> Self {
        Moved { snapshot: snapshot_point(ctx, sink), process_target: sink.kind == SinkKind::ProcessTarget, ..self }
    }
}

/// What moved code needs from where it stood.
#[derive(Default)]
pub(crate) struct Captured<'a> {
    /// Values passed with `functools.partial`, in order of first use.
    pub names: Vec<&'a str>,
    /// Local functions it calls, with their statements, to be moved along (only with `Moved::helpers`).
    pub helpers: Vec<(&'a ast::StmtFunctionDef, &'a Stmt)>,
}

/// Calls whose result is state the parent made at run time and a child has only when it is forked: the
/// current event loop (asyncio's, tornado's).
const INHERITED_STATE: &[&str] = &[
    "asyncio.get_event_loop",
    "asyncio.events.get_event_loop",
    "tornado.ioloop.IOLoop.current",
    "tornado.ioloop.IOLoop.instance",
];

/// Names the moved code reads from enclosing function scopes, or that only the `__main__` guard binds,
/// in order of first use: they are passed with `functools.partial`. Other globals and builtins are read
/// as before. An error says why the code cannot move.
pub(crate) fn captures<'a>(ctx: &Context<'_, 'a>, moved: &Moved) -> Result<Captured<'a>, Refusal> {
    let subject = || moved.what.clone();
    let mut captured = Captured::default();
    for site in ctx.sem.calls.iter().filter(|site| ctx.sem.is_within(site.scope, moved.scope)) {
        if let Value::Qualified(call) = ctx.resolver.eval(&site.call.func, site.scope)
            && INHERITED_STATE.contains(&call.as_str())
        {
            return Err(Why::UsesInheritedState { subject: subject(), call }.into());
        }
    }
    for load in ctx.sem.loads.iter().filter(|load| ctx.sem.is_within(load.scope, moved.scope)) {
        let Some(scope) = ctx.sem.lookup(load.name, load.scope) else {
            if matches!(load.name, "super" | "__class__") && !moved.is_class {
                return Err(Why::UsesClassCell { subject: subject(), name: load.name.to_string() }.into());
            }
            continue;
        };
        if ctx.sem.is_within(scope, moved.scope) || moved.own_name == Some(load.name) {
            continue;
        }
        if scope == MODULE_SCOPE {
            // A global exists in a spawned child only if the child binds it when it imports the module:
            // one bound under the `__main__` guard is passed explicitly, like a local; one a function
            // assigns at run time cannot be.
            let bindings = ctx.sem.bindings(load.name, scope);
            if let Some(function) = bindings.iter().find_map(|b| ctx.sem.function_around(b.range)) {
                let (name, function) = (load.name.to_string(), function.name.id.to_string());
                return Err(Why::ReadsRuntimeGlobal { subject: subject(), name, function }.into());
            }
            let guarded: Vec<_> = bindings.iter().filter(|b| ctx.sem.is_under_main_guard(b)).collect();
            if guarded.is_empty() {
                continue;
            }
            if !guarded.iter().all(|b| is_passable_value(b.kind)) {
                return Err(Why::ReadsGuardOnlyDefinition { subject: subject(), name: load.name.to_string() }.into());
            }
        } else {
            let bindings = ctx.sem.bindings(load.name, scope);
            if is_module_import_twin(ctx, load.name, bindings) {
                // The module level imports the same thing under the same name: the moved code reads that.
                continue;
            }
            if bindings.iter().any(|b| matches!(b.kind, BindingKind::Import)) {
                return Err(Why::CapturesLocalModule { subject: subject(), name: load.name.to_string() }.into());
            }
            if let ([binding], true) = (bindings, moved.helpers)
                && let (BindingKind::FunctionDef(helper), Some(stmt)) = (binding.kind, binding.stmt)
            {
                if !captured.helpers.iter().any(|(h, _)| h.range == helper.range) {
                    captured.helpers.push((helper, stmt));
                }
                continue;
            }
            for binding in bindings {
                let name = load.name.to_string();
                let kind = match binding.kind {
                    BindingKind::FunctionDef(_) => LocalKind::Function,
                    BindingKind::ClassDef(_) => LocalKind::Class,
                    BindingKind::Assign(Expr::Lambda(_)) => LocalKind::Lambda,
                    BindingKind::Parameter { self_of: Some(_) } => {
                        return Err(Why::UsesInstance { subject: subject(), name }.into());
                    }
                    _ => continue,
                };
                return Err(Why::CapturesLocal { subject: subject(), kind, name }.into());
            }
        }
        check_bound_before(ctx, load.name, scope, moved)?;
        if !captured.names.contains(&load.name) {
            captured.names.push(load.name);
        }
    }
    Ok(captured)
}

/// Whether a function's import of `name` (every binding of it there is an import) imports what a
/// module-level import of the same name, made by a module statement of its own, imports.
fn is_module_import_twin(ctx: &Context, name: &str, local: &[Binding]) -> bool {
    let imported = |bindings: &[Binding]| -> Option<String> {
        let first = bindings.first()?.qualified.clone()?;
        let all_imports = bindings.iter().all(|b| {
            matches!(b.kind, BindingKind::Import | BindingKind::FromImport) && b.qualified.as_ref() == Some(&first)
        });
        all_imports.then_some(first)
    };
    let module = ctx.sem.bindings(name, MODULE_SCOPE);
    let at_module_level =
        module.iter().all(|b| b.stmt.is_some_and(|stmt| ctx.body.iter().any(|top| std::ptr::eq(top, stmt))));
    at_module_level && imported(local).is_some() && imported(local) == imported(module)
}

/// A pool that sends tasks pickles what the moved code captures with every task: a `multiprocessing`
/// queue, lock or value among the captures makes it fail (`Process` targets and initializers are
/// pickled when the child starts, where such objects are allowed).
pub(crate) fn check_captures_for_tasks(
    ctx: &Context,
    moved: &Moved,
    captured: &[&str],
    sink: &Sink,
) -> Result<(), Refusal> {
    if let Some(name) = captured.iter().find(|name| is_wrapped_function(ctx, name, moved.scope)) {
        return Err(Why::CapturesWrappedFunction { subject: moved.what.clone(), name: name.to_string() }.into());
    }
    // Any binding that may hold such a value counts (`lock = None`, later `lock = Lock()`).
    for name in captured {
        let Some(bound_in) = ctx.sem.lookup(name, moved.scope) else { continue };
        for binding in ctx.sem.bindings(name, bound_in) {
            let (BindingKind::Assign(value) | BindingKind::With(value)) = binding.kind else { continue };
            if let Some(object) = super::unpicklable::unpicklable(ctx, value, bound_in) {
                let (subject, name, what) = (moved.what.clone(), name.to_string(), object.what());
                return Err(Why::CapturesUnpicklable { subject, name, what }.into());
            }
        }
    }
    if !sends_tasks(sink) {
        return Ok(());
    }
    for name in captured {
        let Some((bound_in, binding)) = ctx.sem.sole_binding(name, moved.scope) else { continue };
        let (BindingKind::Assign(value) | BindingKind::With(value)) = binding.kind else { continue };
        if let Some(kind) = inherited_only(ctx, value, bound_in) {
            return Err(Why::CapturesInheritedOnly { subject: moved.what.clone(), name: name.to_string(), kind }.into());
        }
    }
    Ok(())
}

/// Whether `name`, read in `scope`, is the function a decorator wraps: a parameter of a function in
/// which a `def` is decorated with `functools.wraps(name)`. The module-level name of that function then
/// names the wrapper, so pickle, which sends a function by its name, cannot send it.
fn is_wrapped_function(ctx: &Context, name: &str, scope: ScopeId) -> bool {
    let Some((bound_in, binding)) = ctx.sem.sole_binding(name, scope) else { return false };
    if !matches!(binding.kind, BindingKind::Parameter { .. }) {
        return false;
    }
    ctx.sem.functions.values().any(|info| {
        let ScopeKind::Function(def) = ctx.sem.scopes[info.scope].kind else { return false };
        let Some(parent) = ctx.sem.scopes[info.scope].parent else { return false };
        def.decorator_list.iter().any(|decorator| {
            let Expr::Call(call) = &decorator.expression else { return false };
            let wraps = ctx.resolver.eval(&call.func, parent) == Value::Qualified("functools.wraps".to_string());
            wraps
                && matches!(call.arguments.args.first(), Some(Expr::Name(arg))
                    if arg.id.as_str() == name && ctx.sem.lookup(name, parent) == Some(bound_in))
        })
    })
}

/// Whether `name`, read in `scope`, is a channel to the parent: a manager's proxy (`manager.list()`), a
/// `multiprocessing` queue or shared value. Changes made through it reach the parent.
fn is_channel(ctx: &Context, name: &str, scope: ScopeId) -> bool {
    let Some((bound_in, binding)) = ctx.sem.sole_binding(name, scope) else { return false };
    let (BindingKind::Assign(value) | BindingKind::With(value)) = binding.kind else { return false };
    if manager_behind(ctx, value, bound_in).is_some() {
        return true;
    }
    let (Expr::Call(call), scope) = ctx.sem.follow(value, bound_in, true) else { return false };
    match ctx.resolver.eval(&call.func, scope) {
        Value::Qualified(q) => multiprocessing_member(&q).is_some_and(|m| is_channel_member(&m)),
        _ => false,
    }
}

/// `functools.partial` reads a captured variable where the code stood, not when it is called: every
/// binding of it must come before that point (a comprehension's variables always do).
fn check_bound_before(ctx: &Context, name: &str, scope: ScopeId, moved: &Moved) -> Result<(), Refusal> {
    if matches!(ctx.sem.scopes[scope].kind, ScopeKind::Comprehension) {
        return Ok(());
    }
    let site = TextRange::empty(moved.site);
    let bindings = ctx.sem.bindings(name, scope);
    // A binding after the site counts unless the child has taken its values by then, or it is in
    // another branch of an `if` than the site.
    let changes_before_the_child_reads = bindings.iter().any(|b| {
        b.range.start() >= moved.site
            && moved.snapshot.is_none_or(|snapshot| b.range.start() < snapshot)
            && !in_exclusive_branches(ctx.body, site, b.range)
    });
    if changes_before_the_child_reads {
        return Err(Why::AssignedAfter { subject: moved.what.clone(), name: name.to_string() }.into());
    }
    // A loop that rebinds the name and goes on before the child reads it: a process started after the
    // loop reads the last value, `functools.partial` would keep each turn's.
    if moved.process_target
        && let Some(lp) = loop_around(ctx.body, site)
        && !moved.snapshot.is_some_and(|snapshot| lp.range().contains_range(TextRange::empty(snapshot)))
        && bindings.iter().any(|b| lp.range().contains_range(b.range))
    {
        return Err(Why::ReadWhenStarted { subject: moved.what.clone(), name: name.to_string() }.into());
    }
    Ok(())
}

/// Whether a value bound this way can be handed to a child with `functools.partial`: a function, class,
/// lambda or module made under the `__main__` guard cannot (pickle finds none of them in the child).
fn is_passable_value(kind: BindingKind) -> bool {
    match kind {
        BindingKind::Assign(value) => !value.is_lambda_expr(),
        BindingKind::With(_) | BindingKind::Other => true,
        _ => false,
    }
}

/// How safe a move out of the functions around `scope` is, and what the fix title adds when it is not
/// safe: a function around it that the file hands to other code as a value (not only calls) may be run
/// from its source text (`inspect.getsource`, workflow engines that exec a function's source), which
/// would no longer hold what moved out.
pub(crate) fn move_safety(ctx: &Context, scope: ScopeId, what: &Subject) -> (Applicability, String) {
    let mut id = Some(scope);
    while let Some(current) = id {
        let parent = ctx.sem.scopes[current].parent;
        if let (ScopeKind::Function(def), Some(bound_in)) = (ctx.sem.scopes[current].kind, parent) {
            let name = def.name.id.as_str();
            let is_called = |range: TextRange| ctx.sem.calls.iter().any(|site| site.call.func.range() == range);
            let used_as_value = ctx.sem.loads.iter().any(|load| {
                load.name == name && ctx.sem.lookup(name, load.scope) == Some(bound_in) && !is_called(load.range)
            });
            if used_as_value {
                let note = format!(
                    " (unsafe: `{name}` is handed to other code as a value, and code that runs it from its source \
                     text would no longer find {what})"
                );
                return (Applicability::Unsafe, note);
            }
        }
        id = parent;
    }
    (Applicability::Safe, String::new())
}

/// Code evaluated when a module-level `def` runs (defaults, decorators, annotations) may read only
/// builtins and module names bound before `anchor`. `parts` pairs each range with how to name it.
pub(crate) fn check_definition_time_reads(
    ctx: &Context,
    parts: impl IntoIterator<Item = (TextRange, DefinitionPart)>,
    anchor: &Stmt,
) -> Result<(), Refusal> {
    for (range, part) in parts {
        if let Some(name) = definition_time_read(ctx, range, anchor) {
            return Err(Why::DefinitionTimeRead { part, name: name.to_string() }.into());
        }
    }
    Ok(())
}

/// The first name that code in `range`, evaluated by a module-level `def` above `anchor`, could not see:
/// one that is not a builtin or a module name bound before `anchor`.
pub(crate) fn definition_time_read<'a>(ctx: &Context<'_, 'a>, range: TextRange, anchor: &Stmt) -> Option<&'a str> {
    ctx.sem.loads.iter().filter(|l| range.contains_range(l.range)).find_map(|load| {
        let scope = ctx.sem.lookup(load.name, load.scope)?;
        let bound_before = scope == MODULE_SCOPE
            && ctx.sem.bindings(load.name, scope).iter().all(|b| b.stmt.is_some_and(|s| s.end() <= anchor.start()));
        (!bound_before).then_some(load.name)
    })
}

/// A parameter whose default reads a name that a module-level function could not see (a local).
pub(crate) struct LocalDefault<'a> {
    /// Its position among the positional parameters (positional-only ones first); `None` when keyword-only.
    pub index: Option<usize>,
    pub param: &'a ast::ParameterWithDefault,
    pub default: &'a Expr,
    /// The name the default reads.
    pub reads: &'a str,
}

impl<'a> LocalDefault<'a> {
    pub fn parameter(&self) -> &'a str {
        self.param.parameter.name.id.as_str()
    }

    /// Why the move is refused when the default cannot be bound where the definition stood.
    pub fn refusal(&self) -> Why {
        Why::DefinitionTimeRead {
            part: DefinitionPart::Default { parameter: self.parameter().to_string() },
            name: self.reads.to_string(),
        }
    }
}

/// The parameters of a moved definition (above `anchor`) whose defaults read names it could not see there.
pub(crate) fn local_defaults<'a>(
    ctx: &Context<'_, 'a>,
    parameters: &'a ast::Parameters,
    anchor: &Stmt,
) -> Vec<LocalDefault<'a>> {
    let positional = parameters.posonlyargs.iter().chain(&parameters.args).enumerate().map(|(i, p)| (Some(i), p));
    positional
        .chain(parameters.kwonlyargs.iter().map(|p| (None, p)))
        .filter_map(|(index, param)| {
            let default = param.default.as_deref()?;
            let reads = definition_time_read(ctx, default.range(), anchor)?;
            Some(LocalDefault { index, param, default, reads })
        })
        .collect()
}

/// `callable` or `functools.partial(callable, p=value, ..., a=a, ...)`, written at `at` in `scope`, with
/// the import edit when one is needed: `values` are parameters bound to expressions (as written), then
/// each capture is bound to itself.
pub(crate) fn bind_captures(
    ctx: &Context,
    callable: &str,
    values: &[(&str, &str)],
    captures: &[&str],
    scope: ScopeId,
    at: TextSize,
) -> Result<(String, Option<Edit>), Refusal> {
    if captures.is_empty() && values.is_empty() {
        return Ok((callable.to_string(), None));
    }
    let needed = Needed::ThroughModule { module: "functools", member: "partial" };
    let (partial, import) = ctx.reach(needed, scope, at).map_err(|_| Why::FunctoolsTaken)?;
    let bound: Vec<String> = values
        .iter()
        .map(|(parameter, value)| format!("{parameter}={value}"))
        .chain(captures.iter().map(|c| format!("{c}={c}")))
        .collect();
    Ok((format!("{partial}({callable}, {})", bound.join(", ")), import))
}

/// The edits that put `code` (a complete `def`, without a final line ending) right above module
/// statement `top`, followed by two blank lines. The blank lines before it are an edit of their own: two fixes
/// inserting above one statement ask for the same ones, and the engine applies identical edits once.
pub(crate) fn insert_above(ctx: &Context, top: usize, code: &str) -> Vec<Edit> {
    let at = insertion_above(ctx.text, ctx.body, top);
    let mut edits = Vec::new();
    let blank_lines = blank_lines_before(ctx.text, at, &ctx.layout);
    if !blank_lines.is_empty() {
        edits.push(Edit::insertion(blank_lines, at));
    }
    let eol = ctx.layout.eol;
    edits.push(Edit::insertion(format!("{code}{eol}{eol}{eol}"), at));
    edits
}

/// Methods that change the object they are called on.
const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "pop",
    "popitem",
    "remove",
    "clear",
    "setdefault",
    "discard",
    "appendleft",
    "extendleft",
    "sort",
    "reverse",
    "put",
    "put_nowait",
];

/// The first place where moved code changes an object it shares with the code it came from (a
/// captured local, or a name only the `__main__` guard binds): `seen.append(x)`, `seen[k] = v`,
/// `seen.n += 1`. In a child process the change happens to a copy and never reaches the parent.
pub(crate) fn shared_mutation(ctx: &Context, moved: &Moved, captured: &[&str], code: MovedCode) -> Result<(), Refusal> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'c> {
        shared: &'c dyn Fn(&str) -> bool,
        text: &'c str,
        found: Option<String>,
    }
    impl Finder<'_> {
        fn target(&mut self, target: &Expr, whole: &dyn Ranged) {
            let base = match target {
                Expr::Subscript(s) => s.value.as_ref(),
                Expr::Attribute(a) => a.value.as_ref(),
                _ => return,
            };
            if let Expr::Name(name) = base
                && (self.shared)(name.id.as_str())
                && self.found.is_none()
            {
                self.found = Some(self.text[whole.range()].to_string());
            }
        }
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Assign(assign) => assign.targets.iter().for_each(|t| self.target(t, stmt)),
                Stmt::AugAssign(assign) => self.target(&assign.target, stmt),
                Stmt::AnnAssign(assign) => self.target(&assign.target, stmt),
                Stmt::Delete(delete) => delete.targets.iter().for_each(|t| self.target(t, stmt)),
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(attr) = call.func.as_ref()
                && MUTATORS.contains(&attr.attr.id.as_str())
                && let Expr::Name(name) = attr.value.as_ref()
                && (self.shared)(name.id.as_str())
                && self.found.is_none()
            {
                self.found = Some(self.text[call.range()].to_string());
            }
            visitor::walk_expr(self, expr);
        }
    }
    // Shared: passed to the moved code, or read from an enclosing function (a name the moved code binds
    // itself is its own).
    let shared = |name: &str| {
        let from_caller = captured.contains(&name)
            || ctx
                .sem
                .lookup(name, moved.scope)
                .is_some_and(|s| s != MODULE_SCOPE && !ctx.sem.is_within(s, moved.scope));
        from_caller && !is_channel(ctx, name, moved.scope)
    };
    let mut finder = Finder { shared: &shared, text: ctx.text, found: None };
    match code {
        MovedCode::Expr(expr) => finder.visit_expr(expr),
        MovedCode::Body(body) => finder.visit_body(body),
    }
    match finder.found {
        None => Ok(()),
        Some(how) => Err(Why::ChangesCallerState {
            subject: moved.what.clone(),
            how: how.split_whitespace().collect::<Vec<_>>().join(" "),
        }
        .into()),
    }
}

/// The code that moves: a lambda's body or a function's body.
#[derive(Clone, Copy)]
pub(crate) enum MovedCode<'a> {
    Expr(&'a Expr),
    Body(&'a [Stmt]),
}

/// A name can move as it is when no module-level binding, builtin or global read uses it already.
pub(crate) fn is_free_at_module_level(ctx: &Context, name: &str) -> bool {
    !ctx.sem.scopes[MODULE_SCOPE].bindings.contains_key(name)
        && !ruff_python_stdlib::builtins::is_python_builtin(name, 13, false)
        && !ctx.sem.loads.iter().any(|load| load.name == name && ctx.sem.lookup(name, load.scope).is_none())
}

/// The lines that move: comment lines directly above the definition at its indentation, its decorators, and
/// the `def` through the end of its last line.
fn moved_region(ctx: &Context, def: &Stmt) -> Result<TextRange, Refusal> {
    let text = ctx.text;
    let indent = crate::edits::indentation(text, ctx.tokens, def).ok_or(Why::SharesLine)?;
    let start = comment_lines_above(text, def.start(), TextSize::new(0), Some(indent));
    Ok(TextRange::new(start, text.full_line_end(def.end())))
}

/// The region's text with `indent` removed from the start of every line, except lines that begin inside
/// a multi-line string, and with `edits` (in original offsets, within single lines) applied. The region
/// is one statement; when a line does not start with `indent` (tabs and spaces mixed differently from
/// the first line), the result may not be valid code at module level: then it is refused.
pub(crate) fn dedent(
    ctx: &Context,
    region: TextRange,
    indent: &str,
    edits: &[(TextRange, String)],
) -> Result<String, Why> {
    let mut edits: Vec<&(TextRange, String)> = edits.iter().collect();
    edits.sort_by_key(|(range, _)| range.start());
    let mut out = String::with_capacity(region.len().to_usize());
    let mut all_stripped = true;
    for (line, inside_string) in lines_for_reindent(ctx.text, ctx.tokens, region) {
        let text = &ctx.text[line];
        let skip = if !inside_string && text.starts_with(indent) { indent.len() } else { 0 };
        let content_start = line.start() + TextSize::try_from(skip).unwrap_or_default();
        let mut cursor = content_start;
        for (range, replacement) in edits.iter().filter(|(r, _)| r.start() >= content_start && r.start() < line.end()) {
            out.push_str(&ctx.text[TextRange::new(cursor, range.start())]);
            out.push_str(replacement);
            cursor = range.end();
        }
        out.push_str(&ctx.text[TextRange::new(cursor, line.end())]);
        all_stripped &= skip > 0 || indent.is_empty() || inside_string || text.trim().is_empty();
    }
    // Lines that keep their indentation are continuation or comment lines, or lines that broke the
    // re-indent: only parsing tells them apart.
    if !all_stripped && crate::source::parse(&out).is_err() {
        return Err(Why::MixedIndentation);
    }
    Ok(out)
}

/// The region a definition (`def` or `class`) occupies and its code re-indented to column 0 (without the final line ending).
pub(crate) fn moved_code(
    ctx: &Context,
    def: &Stmt,
    inner_edits: &[(TextRange, String)],
) -> Result<(TextRange, String), Refusal> {
    let region = moved_region(ctx, def)?;
    let indent = crate::edits::indentation(ctx.text, ctx.tokens, def).ok_or(Why::SharesLine)?;
    let code = dedent(ctx, region, indent, inner_edits)?;
    Ok((region, code.trim_end_matches(['\n', '\r']).to_string()))
}

/// The edit where a moved definition stood: `binding` (`work = ...`) when something must be bound there;
/// otherwise the lines go, with one blank line after them so that no double gap is left, and a `pass`
/// when the block would be empty.
pub(crate) fn removal(ctx: &Context, def: &Stmt, region: TextRange, binding: Option<String>) -> Edit {
    let indent = crate::edits::indentation(ctx.text, ctx.tokens, def).unwrap_or_default();
    if let Some(binding) = binding {
        return Edit::range_replacement(format!("{indent}{binding}{}", ctx.layout.eol), region);
    }
    if is_alone_in_block(ctx.body, def.range()) {
        return Edit::range_replacement(format!("{indent}pass{}", ctx.layout.eol), region);
    }
    let next_line_end = ctx.text.full_line_end(region.end());
    let end = if region.end() < next_line_end && ctx.text[TextRange::new(region.end(), next_line_end)].trim().is_empty()
    {
        next_line_end
    } else {
        region.end()
    };
    Edit::range_deletion(TextRange::new(region.start(), end))
}

/// Whether the statement at `target` is the only statement of the block it stands in, so that removing it needs a `pass`.
fn is_alone_in_block(body: &[Stmt], target: TextRange) -> bool {
    suite_of(body, target).is_some_and(|suite| suite.len() == 1)
}

/// The block of statements (a body, an `else`, ...) the statement at `target` stands in.
fn suite_of(stmts: &[Stmt], target: TextRange) -> Option<&[Stmt]> {
    for stmt in stmts {
        if stmt.range() == target {
            return Some(stmts);
        }
        if stmt.range().contains_range(target) {
            return suites(stmt).into_iter().find_map(|suite| suite_of(suite, target));
        }
    }
    None
}

/// From the statement at `target` to the end of the block it stands in: what runs after it, in order,
/// when nothing jumps.
pub(crate) fn block_of(body: &[Stmt], target: TextRange) -> Option<TextRange> {
    let suite = suite_of(body, target)?;
    Some(TextRange::new(target.start(), suite.last()?.end()))
}

/// The blocks of statements a compound statement holds, in order (an `if`'s body, then each `elif` and
/// `else`).
fn suites(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::FunctionDef(f) => vec![&f.body],
        Stmt::ClassDef(c) => vec![&c.body],
        Stmt::With(w) => vec![&w.body],
        Stmt::For(f) => vec![&f.body, &f.orelse],
        Stmt::While(w) => vec![&w.body, &w.orelse],
        Stmt::If(i) => std::iter::once(&i.body[..]).chain(i.elif_else_clauses.iter().map(|c| &c.body[..])).collect(),
        Stmt::Try(t) => {
            let handlers = t.handlers.iter().map(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                &h.body[..]
            });
            std::iter::once(&t.body[..]).chain(handlers).chain([&t.orelse[..], &t.finalbody[..]]).collect()
        }
        Stmt::Match(m) => m.cases.iter().map(|c| &c.body[..]).collect(),
        _ => vec![],
    }
}

/// The range a block of statements covers.
fn suite_range(suite: &[Stmt]) -> Option<TextRange> {
    Some(TextRange::new(suite.first()?.start(), suite.last()?.end()))
}

/// Whether `a` and `b` lie in different branches of one `if` (its body, an `elif`, the `else`): each
/// time the code runs, at most one of them does.
fn in_exclusive_branches(body: &[Stmt], a: TextRange, b: TextRange) -> bool {
    let Some(stmt) = body.iter().find(|s| s.range().contains_range(a) && s.range().contains_range(b)) else {
        return false;
    };
    let blocks = suites(stmt);
    let block_of =
        |r: TextRange| blocks.iter().position(|s| suite_range(s).is_some_and(|range| range.contains_range(r)));
    match (stmt, block_of(a), block_of(b)) {
        (Stmt::If(_), Some(x), Some(y)) if x != y => true,
        (_, Some(x), Some(y)) if x == y => in_exclusive_branches(blocks[x], a, b),
        _ => false,
    }
}

/// The innermost `for` or `while` loop around `at` (in its body).
fn loop_around(body: &[Stmt], at: TextRange) -> Option<&Stmt> {
    let stmt = body.iter().find(|s| s.range().contains_range(at))?;
    let inner = suites(stmt).into_iter().find_map(|suite| loop_around(suite, at));
    let is_loop_body = match stmt {
        Stmt::For(f) => suite_range(&f.body).is_some_and(|r| r.contains_range(at)),
        Stmt::While(w) => suite_range(&w.body).is_some_and(|r| r.contains_range(at)),
        _ => false,
    };
    inner.or(is_loop_body.then_some(stmt))
}

/// Where a child takes the values moved code reads, for a task handed to `sink`: where the process is
/// started (a `fork` child copies the parent then), or where the pool call pickles the task. `None`
/// when the code does not show it (a process started elsewhere, an executor's lazily started workers).
pub(crate) fn snapshot_point(ctx: &Context, sink: &Sink) -> Option<TextSize> {
    match sink.kind {
        SinkKind::ProcessTarget => {
            // The process `value` names at `at` is the one made by the sink's call: the call itself, or a
            // name whose binding to it is the last one before `at` (another binding of the name, such as one
            // in a sibling branch, may come after `at`).
            let made_here = |value: &Expr, scope: ScopeId, at: TextSize| match value {
                Expr::Call(call) => call.range() == sink.call.range(),
                Expr::Name(name) => {
                    let Some(bound_in) = ctx.sem.lookup(name.id.as_str(), scope) else { return false };
                    let bindings = ctx.sem.bindings(name.id.as_str(), bound_in);
                    bindings.iter().any(|binding| {
                        matches!(binding.kind, BindingKind::Assign(v) if v.range() == sink.call.range())
                            && binding.range.end() <= at
                            && !bindings
                                .iter()
                                .any(|other| other.range.start() > binding.range.end() && other.range.start() < at)
                    })
                }
                _ => false,
            };
            ctx.sem
                .calls
                .iter()
                .filter(|site| site.call.start() >= sink.call.end())
                .filter(|site| {
                    matches!(site.call.func.as_ref(), Expr::Attribute(attr)
                    if attr.attr.id.as_str() == "start" && made_here(&attr.value, site.scope, site.call.start()))
                })
                .map(|site| site.call.end())
                .min()
        }
        SinkKind::Initializer(PoolKind::Executor) => None,
        _ => Some(sink.call.end()),
    }
}

/// The edits that move a definition (`stmt`, named `name`) unchanged above module statement `top`: it
/// must need nothing from its function and keep its name at module level. Moving the same definition
/// twice (a helper for two functions) gives identical edits, which the engine applies once.
pub(crate) fn move_unchanged(
    ctx: &Context,
    moved: &Moved,
    name: &str,
    stmt: &Stmt,
    top: usize,
) -> Result<Vec<Edit>, Refusal> {
    if let Some(first) = captures(ctx, moved)?.names.first() {
        return Err(Why::ReadsFromFunction { subject: moved.what.clone(), name: first.to_string() }.into());
    }
    if !ctx.keep_name(stmt.start(), name) {
        return Err(Why::NameTaken { subject: moved.what.clone(), name: name.to_string() }.into());
    }
    let (region, code) = moved_code(ctx, stmt, &[])?;
    let mut edits = insert_above(ctx, top, &code);
    edits.push(removal(ctx, stmt, region, None));
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use ruff_diagnostics::Applicability;

    use crate::{Refusal, Rule, Settings, check_source, fix_source};

    fn settings(rule: Rule) -> Settings {
        Settings { rules: vec![rule], applicability: Applicability::Unsafe, ..Settings::default() }
    }

    /// A definition whose lines mix tabs and spaces differently from its first line cannot lose one
    /// indentation level by removing its first line's prefix: no fix, instead of code that does not parse.
    #[test]
    fn mixed_tabs_and_spaces_refuse_the_move() {
        let src = "import dataclasses\nfrom concurrent.futures import ProcessPoolExecutor\n\n\ndef area(r):\n    return r.w\n\n\n\
                   def main():\n \t  @dataclasses.dataclass\n    class Rect:\n        w: int\n\n    rect = Rect(3)\n\
                   \x20   with ProcessPoolExecutor(1) as ex:\n        print(ex.submit(area, rect).result())\n";
        let found = check_source(src, &settings(Rule::LocalClassToProcess)).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].remedy.refusal(), Some(&Refusal::Move(super::Why::MixedIndentation)));
        // Tabs used the same way on every line move as before.
        let tabs = "import multiprocessing\n\n\ndef main():\n\tdef job(x):\n\t\treturn x\n\n\t\
                    multiprocessing.Pool().map(job, [1])\n";
        let out = fix_source(tabs, &settings(Rule::LocalFunctionToFunction)).unwrap().text;
        assert!(out.starts_with("import multiprocessing\n\n\ndef job(x):\n\treturn x\n"), "{out}");
    }

    /// Two definitions of one name in two functions never both take that name at module level: the
    /// second would shadow the first, and the first function's tasks would run the second's code.
    #[test]
    fn two_moved_definitions_never_share_a_module_level_name() {
        let head = "import multiprocessing as mp\n\n\n";
        // Local functions: the second is renamed and bound back where it stood.
        let functions = format!(
            "{head}def f():\n    def job(x):\n        return 1\n\n    mp.Pool().map(job, [1])\n\n\n\
             def g():\n    def job(x):\n        return 2\n\n    mp.Pool().map(job, [1])\n"
        );
        let out = fix_source(&functions, &settings(Rule::LocalFunctionToFunction)).unwrap().text;
        assert_eq!(out.matches("def job(").count(), 1, "{out}");
        assert!(out.contains("def _g_job(x):\n    return 2\n") && out.contains("    job = _g_job\n"), "{out}");
        // Helpers that keep their names: the second function's move waits until the name is free, then
        // is refused, since its helper cannot keep its name.
        let helpers = format!(
            "{head}def f():\n    def _wrap(x):\n        return 1\n\n    def job(x):\n        return _wrap(x)\n\n    mp.Pool().map(job, [1])\n\n\n\
             def g():\n    def _wrap(x):\n        return 2\n\n    def task(x):\n        return _wrap(x)\n\n    mp.Pool().map(task, [1])\n"
        );
        let fixed = fix_source(&helpers, &settings(Rule::LocalFunctionToFunction)).unwrap();
        assert_eq!(fixed.text.matches("def _wrap(").count(), 2, "{}", fixed.text);
        assert_eq!(fixed.text.matches("\ndef _wrap(").count(), 1, "one `_wrap` moved:\n{}", fixed.text);
        assert!(matches!(fixed.remaining[..], [ref finding] if finding.fix().is_none()), "{:?}", fixed.remaining);
        // Local classes keep their names, so the second is refused.
        let classes = format!(
            "{head}def f():\n    class Point:\n        x = 1\n\n    mp.Pool().map(abs, [Point()])\n\n\n\
             def g():\n    class Point:\n        x = 2\n\n    mp.Pool().map(abs, [Point()])\n"
        );
        let findings = check_source(&classes, &settings(Rule::LocalClassToProcess)).unwrap();
        assert!(findings[0].fix().is_some(), "{findings:?}");
        let taken = super::Why::NameTaken { subject: super::Subject::Class("Point".into()), name: "Point".into() };
        assert_eq!(findings[1].remedy.refusal(), Some(&Refusal::Move(taken)));
    }
}
