//! Scopes and bindings of one module, built in a single walk.
//!
//! The model is flow-insensitive on purpose: a name means one thing only when every binding of it in its
//! scope means the same thing. `p = Pool()` in one branch and `p = ThreadPool()` in another makes `p`
//! unknown, and pickfix says nothing about unknown receivers.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

pub type ScopeId = usize;
pub const MODULE_SCOPE: ScopeId = 0;

/// How many assignments [`Semantic::follow`] follows a name through.
pub const MAX_FOLLOW: usize = 8;

#[derive(Debug, Clone, Copy)]
pub enum ScopeKind<'a> {
    Module,
    Class(&'a ast::StmtClassDef),
    Function(&'a ast::StmtFunctionDef),
    Lambda(&'a ast::ExprLambda),
    Comprehension,
}

/// What a name was bound to.
#[derive(Debug, Clone, Copy)]
pub enum BindingKind<'a> {
    /// `import a.b as c` (the module path) or `import a.b` (binding `a`).
    Import,
    /// `from m import n`: the qualified name `m.n` is in `qualified`.
    FromImport,
    /// `x = value`, `x: T = value`, `(x := value)`.
    Assign(&'a Expr),
    /// `with value as x`.
    With(&'a Expr),
    FunctionDef(&'a ast::StmtFunctionDef),
    ClassDef(&'a ast::StmtClassDef),
    /// A parameter; `self_of` is the class scope when it is the first parameter of a plain method.
    Parameter {
        self_of: Option<ScopeId>,
    },
    /// Anything else: loop targets, tuple unpacking, `except ... as`, `del`, augmented assignment, ...
    Other,
}

#[derive(Debug, Clone)]
pub struct Binding<'a> {
    pub kind: BindingKind<'a>,
    /// Where the name is bound (the target, parameter, definition name or import alias).
    pub range: TextRange,
    /// For imports: the qualified name the binding stands for.
    pub qualified: Option<String>,
    /// The statement that makes the binding, when there is one.
    pub stmt: Option<&'a Stmt>,
}

#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind<'a>,
    pub parent: Option<ScopeId>,
    pub bindings: HashMap<&'a str, Vec<Binding<'a>>>,
    globals: HashSet<&'a str>,
    nonlocals: HashSet<&'a str>,
}

/// The value of one `self.<attr> = value` (`None` when it cannot be followed) and the method's scope.
pub type SelfAssignment<'a> = (Option<&'a Expr>, ScopeId);

/// A name read somewhere in the module.
#[derive(Debug, Clone, Copy)]
pub struct Load<'a> {
    pub name: &'a str,
    pub scope: ScopeId,
    pub range: TextRange,
}

/// A call expression with where it stands.
#[derive(Debug, Clone, Copy)]
pub struct CallSite<'a> {
    pub call: &'a ast::ExprCall,
    pub scope: ScopeId,
    /// Index of the module-level statement that contains the call.
    pub top: usize,
}

/// Where a lambda or a function stands: its own scope and the module-level statement that contains it.
#[derive(Debug, Clone, Copy)]
pub struct NodeInfo {
    pub scope: ScopeId,
    pub top: usize,
}

#[derive(Debug)]
pub struct Semantic<'a> {
    pub scopes: Vec<Scope<'a>>,
    pub loads: Vec<Load<'a>>,
    pub calls: Vec<CallSite<'a>>,
    pub lambdas: HashMap<TextSize, NodeInfo>,
    /// Functions (`def`) by the start of their statement.
    pub functions: HashMap<TextSize, NodeInfo>,
    /// `self.<attr> = value` in the methods of a class: (class scope, attr) -> [(value, method scope)].
    pub self_attrs: HashMap<(ScopeId, &'a str), Vec<SelfAssignment<'a>>>,
    /// Attribute names assigned on anything but the `self` of a plain method (`worker.f = ...`,
    /// `setattr(worker, "f", ...)`): what such an attribute of an instance holds is not known.
    pub foreign_attr_stores: HashSet<&'a str>,
    /// `setattr(...)` with a name that is not a string literal: any attribute may be assigned.
    pub dynamic_setattr: bool,
    /// Scopes that contain `yield` or `yield from` (their functions make generators).
    pub yields: Vec<ScopeId>,
    /// Every identifier in the module, bound or read: new names must avoid all of them.
    pub all_names: HashSet<&'a str>,
    pub body: &'a [Stmt],
    /// The bodies of module-level `if __name__ == "__main__":` blocks: code that a spawned child, which
    /// imports the module as `__mp_main__`, never runs.
    pub main_guards: Vec<TextRange>,
    /// The same, also for guards inside module-level `for`, `while`, `with`, `try`, `if` and `match`
    /// blocks (`for run in runs: if __name__ == "__main__": ...`).
    nested_main_guards: Vec<TextRange>,
}

impl<'a> Semantic<'a> {
    pub fn build(body: &'a [Stmt]) -> Self {
        let mut builder = Builder {
            sem: Semantic {
                scopes: vec![Scope::new(ScopeKind::Module, None)],
                loads: Vec::new(),
                calls: Vec::new(),
                lambdas: HashMap::default(),
                functions: HashMap::default(),
                yields: Vec::new(),
                self_attrs: HashMap::default(),
                foreign_attr_stores: HashSet::default(),
                dynamic_setattr: false,
                all_names: HashSet::default(),
                body,
                main_guards: body.iter().filter_map(main_guard_body).collect(),
                nested_main_guards: nested_main_guards(body),
            },
            current: MODULE_SCOPE,
            top: 0,
            stmt: None,
        };
        for (index, stmt) in body.iter().enumerate() {
            builder.top = index;
            builder.visit_stmt(stmt);
        }
        builder.sem
    }

    /// The scope whose binding a read of `name` in `from` sees, following Python's rules: class scopes
    /// are seen only by code directly in them; `global` and `nonlocal` are honoured. `None`: a builtin
    /// or an unbound name.
    pub fn lookup(&self, name: &str, from: ScopeId) -> Option<ScopeId> {
        let mut id = from;
        let mut first = true;
        loop {
            let scope = &self.scopes[id];
            let visible = first || !matches!(scope.kind, ScopeKind::Class(_));
            if visible {
                if scope.globals.contains(name) {
                    return self.scopes[MODULE_SCOPE].bindings.contains_key(name).then_some(MODULE_SCOPE);
                }
                if !scope.nonlocals.contains(name) && scope.bindings.contains_key(name) {
                    return Some(id);
                }
            }
            first = false;
            id = scope.parent?;
        }
    }

    /// The scope a read of `name` in `scope` sees, and the binding there when it is the only one: the
    /// shape every rule needs before it trusts what a name stands for.
    pub fn sole_binding(&self, name: &str, scope: ScopeId) -> Option<(ScopeId, &Binding<'a>)> {
        let bound_in = self.lookup(name, scope)?;
        match self.bindings(name, bound_in) {
            [binding] => Some((bound_in, binding)),
            _ => None,
        }
    }

    /// Follows `expr`, while it is a name with a single binding, to the value that binding assigns
    /// (`x = value`; with `through_with` also `with value as x`), at most [`MAX_FOLLOW`] steps: the
    /// expression reached and the scope it is evaluated in. Any other binding stops at the name.
    pub fn follow<'e>(&self, expr: &'e Expr, scope: ScopeId, through_with: bool) -> (&'e Expr, ScopeId)
    where
        'a: 'e,
    {
        let (mut expr, mut scope) = (expr, scope);
        for _ in 0..MAX_FOLLOW {
            let Expr::Name(name) = expr else { break };
            let Some((bound_in, binding)) = self.sole_binding(name.id.as_str(), scope) else { break };
            match binding.kind {
                BindingKind::Assign(value) => (expr, scope) = (value, bound_in),
                BindingKind::With(value) if through_with => (expr, scope) = (value, bound_in),
                _ => break,
            }
        }
        (expr, scope)
    }

    pub fn bindings(&self, name: &str, scope: ScopeId) -> &[Binding<'a>] {
        self.scopes[scope].bindings.get(name).map_or(&[], Vec::as_slice)
    }

    /// The one binding of `name` (bound in `scope`) that a read at `read`, in `scope` itself, surely sees
    /// when the bindings disagree: the nearest one before the read, in a block that contains the read's
    /// statement (so it always runs before the read), with no loop around the read, inside that block,
    /// that binds the name again (a later iteration would see that one). None when a binding is made
    /// from a nested function (`global`, `nonlocal`: a call could rebind the name in between).
    pub fn dominating_binding(&self, name: &str, scope: ScopeId, read: TextRange) -> Option<&Binding<'a>> {
        let body: &[Stmt] = match self.scopes[scope].kind {
            ScopeKind::Module => self.body,
            ScopeKind::Function(def) => &def.body,
            _ => return None,
        };
        let bindings = self.bindings(name, scope);
        let nested = |range: TextRange| {
            self.scopes.iter().enumerate().any(|(id, s)| {
                id != scope
                    && self.is_within(id, scope)
                    && match s.kind {
                        // A definition's own name is bound where the definition stands, not inside it.
                        ScopeKind::Function(def) => def.range.contains_range(range) && def.name.range != range,
                        ScopeKind::Class(class) => class.range.contains_range(range) && class.name.range != range,
                        _ => false,
                    }
            })
        };
        if bindings.iter().any(|b| nested(b.range)) {
            return None;
        }
        // `nonlocal name` in a nested function rebinds it from there, whenever that function is called.
        let rebound_from_nested = self
            .scopes
            .iter()
            .enumerate()
            .any(|(id, s)| id != scope && s.bindings.contains_key(name) && self.lookup(name, id) == Some(scope));
        if rebound_from_nested {
            return None;
        }
        let nearest = bindings.iter().filter(|b| b.range.end() <= read.start()).max_by_key(|b| b.range.start())?;
        let stmt = nearest.stmt?;
        // Only a statement that binds the name whenever it runs: not a walrus inside a condition or a
        // comprehension, not a loop target (the loop may run zero times).
        let binds_when_run = match stmt {
            Stmt::Assign(assign) => assign.targets.iter().any(|t| t.range().contains_range(nearest.range)),
            Stmt::AnnAssign(assign) => assign.value.is_some() && assign.target.range().contains_range(nearest.range),
            Stmt::With(with) => with
                .items
                .iter()
                .any(|item| item.optional_vars.as_deref().is_some_and(|v| v.range().contains_range(nearest.range))),
            Stmt::Import(_) | Stmt::ImportFrom(_) | Stmt::FunctionDef(_) | Stmt::ClassDef(_) => true,
            _ => false,
        };
        if !binds_when_run {
            return None;
        }
        // The blocks from `body` down to the read's statement.
        let mut block = body;
        loop {
            let index = block.iter().position(|s| s.range().contains_range(read))?;
            if block[..index].iter().any(|s| std::ptr::eq(s, stmt)) {
                // Loops from here down to the read must not bind the name again.
                let rebound_in_loop = loops_around(&block[index], read)
                    .iter()
                    .any(|l| bindings.iter().any(|b| !std::ptr::eq(b, nearest) && l.contains_range(b.range)));
                return (!rebound_in_loop).then_some(nearest);
            }
            block = inner_block(&block[index], read)?;
        }
    }

    /// Whether a binding is made only under a `__main__` guard, so that a spawned child never makes it.
    pub fn is_under_main_guard(&self, binding: &Binding) -> bool {
        binding.stmt.is_some_and(|stmt| self.is_in_main_guard(stmt.range()))
    }

    /// The function (`def`) whose body holds `range`, innermost first.
    pub fn function_around(&self, range: TextRange) -> Option<&'a ast::StmtFunctionDef> {
        let holds = |def: &ast::StmtFunctionDef| match (def.body.first(), def.body.last()) {
            (Some(first), Some(last)) => TextRange::new(first.start(), last.end()).contains_range(range),
            _ => false,
        };
        self.scopes
            .iter()
            .filter_map(|scope| match scope.kind {
                ScopeKind::Function(def) if holds(def) => Some(def),
                _ => None,
            })
            .min_by_key(|def| def.range.len())
    }

    /// Whether `range` lies in the body of a module-level `if __name__ == "__main__":` block.
    pub fn is_in_main_guard(&self, range: TextRange) -> bool {
        self.nested_main_guards.iter().any(|guard| guard.contains_range(range))
    }

    /// Whether the module statement `stmt` is a `__main__` guard (holds the body of one).
    pub fn is_main_guard(&self, stmt: &Stmt) -> bool {
        self.main_guards.iter().any(|guard| stmt.range().contains_range(*guard))
    }

    /// Whether `inner` is `outer` or nested inside it.
    pub fn is_within(&self, inner: ScopeId, outer: ScopeId) -> bool {
        let mut id = Some(inner);
        while let Some(current) = id {
            if current == outer {
                return true;
            }
            id = self.scopes[current].parent;
        }
        false
    }

    /// The innermost function (not lambda or comprehension) around `scope`.
    pub fn enclosing_function(&self, scope: ScopeId) -> Option<&'a ast::StmtFunctionDef> {
        let mut id = Some(scope);
        while let Some(current) = id {
            if let ScopeKind::Function(def) = self.scopes[current].kind {
                return Some(def);
            }
            id = self.scopes[current].parent;
        }
        None
    }

    /// Whether `scope` is a function-like scope (function, lambda, comprehension).
    pub fn is_function_like(&self, scope: ScopeId) -> bool {
        matches!(self.scopes[scope].kind, ScopeKind::Function(_) | ScopeKind::Lambda(_) | ScopeKind::Comprehension)
    }
}

impl<'a> Scope<'a> {
    fn new(kind: ScopeKind<'a>, parent: Option<ScopeId>) -> Self {
        Scope { kind, parent, bindings: HashMap::default(), globals: HashSet::default(), nonlocals: HashSet::default() }
    }
}

struct Builder<'a> {
    sem: Semantic<'a>,
    current: ScopeId,
    top: usize,
    stmt: Option<&'a Stmt>,
}

impl<'a> Builder<'a> {
    fn push_scope(&mut self, kind: ScopeKind<'a>) -> ScopeId {
        self.sem.scopes.push(Scope::new(kind, Some(self.current)));
        self.current = self.sem.scopes.len() - 1;
        self.current
    }

    fn pop_scope(&mut self) {
        self.current = self.sem.scopes[self.current].parent.unwrap_or(MODULE_SCOPE);
    }

    fn bind_in(
        &mut self,
        scope: ScopeId,
        name: &'a str,
        range: TextRange,
        kind: BindingKind<'a>,
        qualified: Option<String>,
    ) {
        self.sem.all_names.insert(name);
        let scope = if self.sem.scopes[scope].globals.contains(name) { MODULE_SCOPE } else { scope };
        let binding = Binding { kind, range, qualified, stmt: self.stmt };
        self.sem.scopes[scope].bindings.entry(name).or_default().push(binding);
    }

    fn bind(&mut self, name: &'a str, range: TextRange, kind: BindingKind<'a>) {
        self.bind_in(self.current, name, range, kind, None);
    }

    /// Binds the names of an assignment target; `value` is known only for a plain name target.
    fn bind_target(&mut self, target: &'a Expr, value: Option<&'a Expr>) {
        match target {
            Expr::Name(name) => {
                let kind = value.map_or(BindingKind::Other, BindingKind::Assign);
                self.bind(name.id.as_str(), name.range, kind);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_target(elt, None);
                }
            }
            Expr::Starred(starred) => self.bind_target(&starred.value, None),
            Expr::Attribute(attr) => {
                if let Expr::Name(base) = attr.value.as_ref()
                    && let Some(class) = self.self_class(base.id.as_str())
                {
                    // `None`: an assignment pickfix cannot follow, which makes the attribute unknown.
                    let entry = self.sem.self_attrs.entry((class, attr.attr.id.as_str())).or_default();
                    entry.push((value, self.current));
                } else {
                    self.sem.foreign_attr_stores.insert(attr.attr.id.as_str());
                }
            }
            _ => {}
        }
    }

    /// The class whose instance `name` is, when `name` is the `self` of the method being walked.
    fn self_class(&self, name: &str) -> Option<ScopeId> {
        let scope = self.sem.lookup(name, self.current)?;
        self.sem.bindings(name, scope).iter().find_map(|binding| match binding.kind {
            BindingKind::Parameter { self_of } => self_of,
            _ => None,
        })
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters, self_of: Option<ScopeId>) {
        let mut first = true;
        for param in parameters.posonlyargs.iter().chain(&parameters.args) {
            let kind = BindingKind::Parameter { self_of: if first { self_of } else { None } };
            first = false;
            self.bind(param.parameter.name.id.as_str(), param.parameter.name.range, kind);
        }
        for param in parameters.kwonlyargs.iter() {
            self.bind(
                param.parameter.name.id.as_str(),
                param.parameter.name.range,
                BindingKind::Parameter { self_of: None },
            );
        }
        for param in parameters.vararg.iter().chain(&parameters.kwarg) {
            self.bind(param.name.id.as_str(), param.name.range, BindingKind::Parameter { self_of: None });
        }
    }

    fn visit_parameter_defaults(&mut self, parameters: &'a ast::Parameters) {
        for param in parameters.iter_non_variadic_params() {
            if let Some(default) = &param.default {
                self.visit_expr(default);
            }
            if let Some(annotation) = &param.parameter.annotation {
                self.visit_expr(annotation);
            }
        }
        for param in parameters.vararg.iter().chain(&parameters.kwarg) {
            if let Some(annotation) = &param.annotation {
                self.visit_expr(annotation);
            }
        }
    }

    fn visit_comprehension_scope(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.push_scope(ScopeKind::Comprehension);
        for (index, generator) in generators.iter().enumerate() {
            if index > 0 {
                self.visit_expr(&generator.iter);
            }
            self.bind_target(&generator.target, None);
            self.visit_expr(&generator.target);
            for cond in &generator.ifs {
                self.visit_expr(cond);
            }
        }
        for element in elements {
            self.visit_expr(element);
        }
        self.pop_scope();
    }
}

/// Whether a method defined in a class body takes the instance first (not `@staticmethod`/`@classmethod`).
/// The block of a compound statement that contains `range` (not a nested function's or class's body).
fn inner_block(stmt: &Stmt, range: TextRange) -> Option<&[Stmt]> {
    let holds = |block: &[Stmt]| block.iter().any(|s| s.range().contains_range(range));
    let blocks: Vec<&[Stmt]> = match stmt {
        Stmt::If(s) => std::iter::once(&s.body[..]).chain(s.elif_else_clauses.iter().map(|c| &c.body[..])).collect(),
        Stmt::For(s) => vec![&s.body, &s.orelse],
        Stmt::While(s) => vec![&s.body, &s.orelse],
        Stmt::With(s) => vec![&s.body],
        Stmt::Try(s) => {
            let handlers = s.handlers.iter().map(|h| match h {
                ast::ExceptHandler::ExceptHandler(h) => &h.body[..],
            });
            std::iter::once(&s.body[..]).chain(handlers).chain([&s.orelse[..], &s.finalbody[..]]).collect()
        }
        Stmt::Match(s) => s.cases.iter().map(|c| &c.body[..]).collect(),
        _ => return None,
    };
    blocks.into_iter().find(|block| holds(block))
}

/// The ranges of the `for` and `while` statements from `stmt` down to the statement that holds `range`.
fn loops_around(stmt: &Stmt, range: TextRange) -> Vec<TextRange> {
    let mut loops = Vec::new();
    let mut current = Some(stmt);
    while let Some(stmt) = current {
        if matches!(stmt, Stmt::For(_) | Stmt::While(_)) {
            loops.push(stmt.range());
        }
        current = inner_block(stmt, range).and_then(|block| block.iter().find(|s| s.range().contains_range(range)));
    }
    loops
}

/// The `return` statements of a function body (not of functions or classes nested in it), and whether it
/// yields (a generator).
pub fn returns(def: &ast::StmtFunctionDef) -> (Vec<&ast::StmtReturn>, bool) {
    use ruff_python_ast::visitor::Visitor;
    let mut visitor = ruff_python_ast::helpers::ReturnStatementVisitor::default();
    visitor.visit_body(&def.body);
    (visitor.returns, visitor.is_generator)
}

pub fn is_plain_method(def: &ast::StmtFunctionDef) -> bool {
    !def.decorator_list.iter().any(|decorator| {
        matches!(&decorator.expression, Expr::Name(name) if matches!(name.id.as_str(), "staticmethod" | "classmethod"))
    })
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let outer_stmt = self.stmt.replace(stmt);
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                self.visit_parameter_defaults(&def.parameters);
                if let Some(returns) = &def.returns {
                    self.visit_expr(returns);
                }
                self.bind(def.name.id.as_str(), def.name.range, BindingKind::FunctionDef(def));
                let self_of = match self.sem.scopes[self.current].kind {
                    ScopeKind::Class(_) if is_plain_method(def) => Some(self.current),
                    _ => None,
                };
                let scope = self.push_scope(ScopeKind::Function(def));
                self.sem.functions.insert(def.range.start(), NodeInfo { scope, top: self.top });
                self.bind_parameters(&def.parameters, self_of);
                self.visit_body(&def.body);
                self.pop_scope();
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.bind(class.name.id.as_str(), class.name.range, BindingKind::ClassDef(class));
                self.push_scope(ScopeKind::Class(class));
                self.visit_body(&class.body);
                self.pop_scope();
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.id.as_str();
                    match &alias.asname {
                        Some(asname) => self.bind_in(
                            self.current,
                            asname.id.as_str(),
                            alias.range,
                            BindingKind::Import,
                            Some(module.to_string()),
                        ),
                        None => {
                            let head = module.split('.').next().unwrap_or(module);
                            let head = &module[..head.len()];
                            self.bind_in(self.current, head, alias.range, BindingKind::Import, Some(head.to_string()));
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let name = alias.asname.as_ref().unwrap_or(&alias.name).id.as_str();
                    if name == "*" {
                        continue;
                    }
                    match (&import.module, import.level) {
                        (Some(module), 0) => {
                            let qualified = format!("{}.{}", module.id, alias.name.id);
                            self.bind_in(self.current, name, alias.range, BindingKind::FromImport, Some(qualified));
                        }
                        _ => self.bind(name, alias.range, BindingKind::Other),
                    }
                }
            }
            Stmt::Global(global) => {
                for name in &global.names {
                    self.sem.scopes[self.current].globals.insert(name.id.as_str());
                    self.sem.all_names.insert(name.id.as_str());
                }
            }
            Stmt::Nonlocal(nonlocal) => {
                for name in &nonlocal.names {
                    self.sem.scopes[self.current].nonlocals.insert(name.id.as_str());
                    // The outer variable can now change from here: make it unknown there.
                    let mut parent = self.sem.scopes[self.current].parent;
                    while let Some(id) = parent {
                        if self.sem.is_function_like(id) && self.sem.scopes[id].bindings.contains_key(name.id.as_str())
                        {
                            self.bind_in(id, name.id.as_str(), name.range, BindingKind::Other, None);
                            break;
                        }
                        parent = self.sem.scopes[id].parent;
                    }
                }
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                for target in &assign.targets {
                    self.bind_target(target, Some(&assign.value));
                    self.visit_expr(target);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                self.visit_expr(&assign.annotation);
                self.bind_target(&assign.target, assign.value.as_deref());
                self.visit_expr(&assign.target);
            }
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value);
                self.bind_target(&assign.target, None);
                self.visit_expr(&assign.target);
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.bind_target(&for_stmt.target, None);
                self.visit_expr(&for_stmt.target);
                self.visit_body(&for_stmt.body);
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        match vars.as_ref() {
                            Expr::Name(name) => {
                                self.bind(name.id.as_str(), name.range, BindingKind::With(&item.context_expr));
                            }
                            other => self.bind_target(other, None),
                        }
                        self.visit_expr(vars);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.bind_target(target, None);
                    self.visit_expr(target);
                }
            }
            Stmt::TypeAlias(alias) => {
                if let Expr::Name(name) = alias.name.as_ref() {
                    self.bind(name.id.as_str(), name.range, BindingKind::Other);
                }
                self.visit_expr(&alias.value);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.stmt = outer_stmt;
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(handler_node) = handler;
        if let Some(name) = &handler_node.name {
            self.bind(name.id.as_str(), name.range, BindingKind::Other);
        }
        visitor::walk_except_handler(self, handler);
    }

    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        let name = match pattern {
            ast::Pattern::MatchAs(p) => p.name.as_ref(),
            ast::Pattern::MatchStar(p) => p.name.as_ref(),
            ast::Pattern::MatchMapping(p) => p.rest.as_ref(),
            _ => None,
        };
        if let Some(name) = name {
            self.bind(name.id.as_str(), name.range, BindingKind::Other);
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) => {
                self.sem.all_names.insert(name.id.as_str());
                if name.ctx == ExprContext::Load {
                    self.sem.loads.push(Load { name: name.id.as_str(), scope: self.current, range: name.range });
                }
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    self.visit_parameter_defaults(parameters);
                }
                let scope = self.push_scope(ScopeKind::Lambda(lambda));
                self.sem.lambdas.insert(lambda.range.start(), NodeInfo { scope, top: self.top });
                if let Some(parameters) = &lambda.parameters {
                    self.bind_parameters(parameters, None);
                }
                self.visit_expr(&lambda.body);
                self.pop_scope();
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                // `:=` binds in the nearest scope that is not a comprehension.
                let mut scope = self.current;
                while matches!(self.sem.scopes[scope].kind, ScopeKind::Comprehension) {
                    scope = self.sem.scopes[scope].parent.unwrap_or(MODULE_SCOPE);
                }
                if let Expr::Name(name) = named.target.as_ref() {
                    self.bind_in(scope, name.id.as_str(), name.range, BindingKind::Assign(&named.value), None);
                }
                self.visit_expr(&named.target);
            }
            Expr::ListComp(comp) => self.visit_comprehension_scope(&comp.generators, &[&comp.elt]),
            Expr::SetComp(comp) => self.visit_comprehension_scope(&comp.generators, &[&comp.elt]),
            Expr::Generator(comp) => self.visit_comprehension_scope(&comp.generators, &[&comp.elt]),
            Expr::DictComp(comp) => {
                let mut elements: Vec<&'a Expr> = vec![&comp.value];
                if let Some(key) = comp.key.as_deref() {
                    elements.insert(0, key);
                }
                self.visit_comprehension_scope(&comp.generators, &elements);
            }
            Expr::Call(call) => {
                self.sem.calls.push(CallSite { call, scope: self.current, top: self.top });
                if matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "setattr") {
                    match call.arguments.args.get(1) {
                        Some(Expr::StringLiteral(attr)) => match attr.as_single_part_string() {
                            Some(literal) => {
                                self.sem.foreign_attr_stores.insert(&literal.value);
                            }
                            None => self.sem.dynamic_setattr = true,
                        },
                        _ => self.sem.dynamic_setattr = true,
                    }
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.sem.yields.push(self.current);
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// The bodies of `__main__` guards among `body` and in the blocks of its compound statements, but not in
/// function or class bodies.
fn nested_main_guards(body: &[Stmt]) -> Vec<TextRange> {
    let mut found = Vec::new();
    let mut pending: Vec<&Stmt> = body.iter().collect();
    while let Some(stmt) = pending.pop() {
        if let Some(guard) = main_guard_body(stmt) {
            found.push(guard);
            continue;
        }
        match stmt {
            Stmt::If(s) => {
                pending.extend(&s.body);
                pending.extend(s.elif_else_clauses.iter().flat_map(|c| &c.body));
            }
            Stmt::For(s) => pending.extend(s.body.iter().chain(&s.orelse)),
            Stmt::While(s) => pending.extend(s.body.iter().chain(&s.orelse)),
            Stmt::With(s) => pending.extend(&s.body),
            Stmt::Try(s) => {
                pending.extend(s.body.iter().chain(&s.orelse).chain(&s.finalbody));
                for handler in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    pending.extend(&h.body);
                }
            }
            Stmt::Match(s) => pending.extend(s.cases.iter().flat_map(|c| &c.body)),
            _ => {}
        }
    }
    found
}

/// The body of `if __name__ == "__main__":` (either operand order), not its `elif`/`else` branches.
fn main_guard_body(stmt: &Stmt) -> Option<TextRange> {
    let Stmt::If(if_stmt) = stmt else { return None };
    let Expr::Compare(compare) = if_stmt.test.as_ref() else { return None };
    let ([ast::CmpOp::Eq], [right]) = (&*compare.ops, &*compare.comparators) else { return None };
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
    let is_main = |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == "__main__");
    let guard = (is_name(&compare.left) && is_main(right)) || (is_main(&compare.left) && is_name(right));
    let (first, last) = (if_stmt.body.first()?, if_stmt.body.last()?);
    guard.then(|| TextRange::new(first.start(), last.end()))
}
