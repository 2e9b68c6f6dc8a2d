//! What an attribute of `self`, a parameter or a function's result may hold, as far as the file shows
//! it: every value that reaches it, or nothing when one of them cannot be seen.
//!
//! A value reaches `self.<attr>` through `self.<attr> = value` in a method of the class, through a
//! parameter of `__init__` (`self.f = f`) from every construction site of the class in the file
//! (`Worker(open(p))`), and through a dataclass or attrs field (its default, its factory, or what each
//! construction site passes). A parameter of a plain function receives what every call of the function
//! passes. The answer is unknown (`None`) when something else may assign the attribute (`w.f = ...`,
//! `setattr`, a subclass), when the class or function is used other than by calling it (passed around,
//! a classmethod's `cls(...)`), when a call spreads `*args`/`**kwargs`, or when nothing is found.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::{Resolver, Value};
use crate::semantic::{BindingKind, CallSite, ScopeId, ScopeKind, is_plain_method};

/// One value that may reach an attribute, a parameter or a result.
#[derive(Debug, Clone, Copy)]
pub enum Held<'a> {
    /// This expression, evaluated in this scope.
    Value(&'a Expr, ScopeId),
    /// What calling this callable without arguments makes (`field(default_factory=threading.Lock)`).
    Made(&'a Expr, ScopeId),
}

/// Decorators that make a class's `__init__` from its fields.
const FIELD_CLASSES: &[&str] = &[
    "dataclasses.dataclass",
    "attr.s",
    "attr.attrs",
    "attr.define",
    "attr.mutable",
    "attr.frozen",
    "attrs.define",
    "attrs.mutable",
    "attrs.frozen",
];

/// Calls that declare a field with options (`default=`, `default_factory=`/`factory=`, `init=`).
const FIELD_CALLS: &[&str] = &["dataclasses.field", "attr.ib", "attr.attrib", "attr.field", "attrs.field"];

/// `attrs.Factory(f)` as a default.
const FACTORIES: &[&str] = &["attr.Factory", "attrs.Factory"];

/// A field of a dataclass or an attrs class.
struct Field<'a> {
    name: &'a str,
    /// The parameter of the generated `__init__`: attrs drops leading underscores.
    parameter: String,
    default: Option<Held<'a>>,
    init: bool,
}

/// A class whose `__init__` is made from its fields.
struct FieldClass<'a> {
    fields: Vec<Field<'a>>,
    /// Positional arguments map to fields in order (a dataclass without bases or keyword-only fields).
    positional: bool,
}

impl<'a> Resolver<'_, 'a> {
    /// Every value `self.<attr>` of an instance of the class may hold; `None` when not known.
    pub fn held_by_attribute(&self, class_scope: ScopeId, attr: &str) -> Option<Vec<Held<'a>>> {
        if self.sem.dynamic_setattr
            || self.sem.foreign_attr_stores.contains(attr)
            || self.subclass_stores(class_scope, attr)
        {
            return None;
        }
        let mut held = Vec::new();
        if let Some(fields) = self.field_class(class_scope)
            && let Some(field) = fields.fields.iter().find(|f| f.name == attr)
        {
            held.extend(self.field_values(class_scope, &fields, field)?);
        }
        for (value, scope) in self.sem.self_attrs.get(&(class_scope, attr)).map_or(&[][..], Vec::as_slice) {
            let value = (*value)?;
            match self.init_parameter(value, *scope, class_scope) {
                Some(parameter) => held.extend(self.parameter_values(parameter, *scope)?),
                None => held.push(Held::Value(value, *scope)),
            }
        }
        (!held.is_empty()).then_some(held)
    }

    /// The attributes a class's instances get: `self.<attr> = ...` in its methods and its fields.
    pub fn instance_attributes(&self, class_scope: ScopeId) -> Vec<&'a str> {
        let mut names: Vec<&'a str> =
            self.sem.self_attrs.keys().filter(|(class, _)| *class == class_scope).map(|(_, attr)| *attr).collect();
        if let Some(fields) = self.field_class(class_scope) {
            names.extend(fields.fields.iter().map(|f| f.name));
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Every value a parameter (the name `name`, read in `scope`) receives from the
    /// calls of its function in the file: `__init__`'s from the construction sites of its class, a plain
    /// function's from its calls. `None` when a call cannot be followed or there is none.
    pub fn parameter_values(&self, name: &str, scope: ScopeId) -> Option<Vec<Held<'a>>> {
        let (scope, binding) = self.sem.sole_binding(name, scope)?;
        if !matches!(binding.kind, BindingKind::Parameter { self_of: None }) {
            return None;
        }
        let ScopeKind::Function(def) = self.sem.scopes[scope].kind else { return None };
        let parent = self.sem.scopes[scope].parent?;
        let (sites, skip_first) = match self.sem.scopes[parent].kind {
            ScopeKind::Class(_) if def.name.id.as_str() == "__init__" && is_plain_method(def) => {
                (self.construction_sites(parent)?, true)
            }
            ScopeKind::Module | ScopeKind::Function(_) => (self.call_sites(def.name.id.as_str(), parent, def)?, false),
            _ => return None,
        };
        let parameters = &def.parameters;
        let positional: Vec<&ast::ParameterWithDefault> =
            parameters.posonlyargs.iter().chain(&parameters.args).skip(usize::from(skip_first)).collect();
        let position = positional.iter().position(|p| p.parameter.name.id.as_str() == name);
        let keyword_only = parameters.kwonlyargs.iter().find(|p| p.parameter.name.id.as_str() == name);
        let param = position.map(|i| positional[i]).or(keyword_only)?;
        let by_keyword = !parameters.posonlyargs.iter().any(|p| p.parameter.name.id.as_str() == name);
        let mut held = Vec::new();
        for site in sites {
            let arguments = &site.call.arguments;
            if arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none()) {
                return None;
            }
            let passed = position
                .and_then(|i| arguments.args.get(i))
                .or_else(|| by_keyword.then(|| arguments.find_keyword(name).map(|k| &k.value)).flatten());
            match (passed, param.default.as_deref()) {
                (Some(value), _) => held.push(Held::Value(value, site.scope)),
                (None, Some(default)) => held.push(Held::Value(default, parent)),
                (None, None) => return None,
            }
        }
        Some(held)
    }

    /// What a function of the file returns: the value of each `return` (a bare `return` or the end of
    /// the body gives `None`, left out). `None` for a generator, a coroutine, or no `return value`.
    pub fn returned_values(&self, def: &'a ast::StmtFunctionDef) -> Option<Vec<Held<'a>>> {
        if def.is_async {
            return None;
        }
        let scope = self.sem.functions.get(&def.range.start())?.scope;
        if self.sem.yields.contains(&scope) {
            return None;
        }
        let (returns, _) = crate::semantic::returns(def);
        let held: Vec<Held<'a>> =
            returns.iter().filter_map(|r| r.value.as_deref()).map(|value| Held::Value(value, scope)).collect();
        (!held.is_empty()).then_some(held)
    }

    /// `value` (read in `scope`) is a parameter of the class's own `__init__`: its name.
    fn init_parameter(&self, value: &'a Expr, scope: ScopeId, class_scope: ScopeId) -> Option<&'a str> {
        let Expr::Name(name) = value else { return None };
        let ScopeKind::Function(def) = self.sem.scopes[scope].kind else { return None };
        let is_init = def.name.id.as_str() == "__init__" && self.sem.scopes[scope].parent == Some(class_scope);
        let (bound_in, binding) = self.sem.sole_binding(name.id.as_str(), scope)?;
        (is_init && bound_in == scope && matches!(binding.kind, BindingKind::Parameter { self_of: None }))
            .then_some(name.id.as_str())
    }

    /// Whether a class of the file that names this one among its bases assigns `self.<attr>`.
    fn subclass_stores(&self, class_scope: ScopeId, attr: &str) -> bool {
        let ScopeKind::Class(class) = self.sem.scopes[class_scope].kind else { return true };
        self.sem.self_attrs.keys().any(|(other, name)| {
            *name == attr
                && *other != class_scope
                && matches!(self.sem.scopes[*other].kind, ScopeKind::Class(sub) if sub.bases().iter().any(
                    |base| matches!(base, Expr::Name(b) if b.id == class.name.id)))
        })
    }

    /// Every call that makes an instance of the class (`Worker(...)`), when the class is used only by
    /// calling it (or in `isinstance`) and has no subclass or classmethod (`cls(...)`) in the file.
    fn construction_sites(&self, class_scope: ScopeId) -> Option<Vec<&CallSite<'a>>> {
        let ScopeKind::Class(class) = self.sem.scopes[class_scope].kind else { return None };
        let classmethod = class.body.iter().any(|stmt| {
            matches!(stmt, Stmt::FunctionDef(def) if def.decorator_list.iter().any(
                |d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "classmethod")))
        });
        let subclassed = self.sem.scopes.iter().any(|scope| {
            matches!(scope.kind, ScopeKind::Class(sub) if sub.bases().iter().any(
                |base| matches!(base, Expr::Name(b) if b.id == class.name.id)))
        });
        if classmethod || subclassed {
            return None;
        }
        let parent = self.sem.scopes[class_scope].parent?;
        match self.sem.bindings(class.name.id.as_str(), parent) {
            [binding] if matches!(binding.kind, BindingKind::ClassDef(_)) => {}
            _ => return None,
        }
        self.call_sites(class.name.id.as_str(), parent, class)
    }

    /// The calls of `name` (bound in `bound_in` to `node`), when every read of it is one (or stands in
    /// `isinstance`/`issubclass`); `None` when it is read otherwise or never called.
    fn call_sites(&self, name: &str, bound_in: ScopeId, node: &impl Ranged) -> Option<Vec<&CallSite<'a>>> {
        match self.sem.bindings(name, bound_in) {
            [binding] if binding.range.start() >= node.start() && binding.range.end() <= node.end() => {}
            _ => return None,
        }
        let reaches = |n: &str, scope: ScopeId| n == name && self.sem.lookup(n, scope) == Some(bound_in);
        let sites: Vec<&CallSite<'a>> = self
            .sem
            .calls
            .iter()
            .filter(|site| matches!(site.call.func.as_ref(), Expr::Name(f) if reaches(f.id.as_str(), site.scope)))
            .collect();
        let checks: Vec<&CallSite<'a>> = self
            .sem
            .calls
            .iter()
            .filter(|site| {
                matches!(site.call.func.as_ref(), Expr::Name(f)
                    if matches!(f.id.as_str(), "isinstance" | "issubclass") && self.sem.lookup(f.id.as_str(), site.scope).is_none())
            })
            .collect();
        let other_reads = self.sem.loads.iter().filter(|load| reaches(load.name, load.scope)).any(|load| {
            let called = sites.iter().any(|site| site.call.func.range() == load.range);
            let checked = checks
                .iter()
                .any(|site| site.call.arguments.args.get(1).is_some_and(|a| a.range().contains_range(load.range)));
            !called && !checked
        });
        (!other_reads && !sites.is_empty()).then_some(sites)
    }

    /// A dataclass or attrs class that gets its `__init__` from its fields (not one it defines itself).
    fn field_class(&self, class_scope: ScopeId) -> Option<FieldClass<'a>> {
        let ScopeKind::Class(class) = self.sem.scopes[class_scope].kind else { return None };
        let parent = self.sem.scopes[class_scope].parent?;
        let decorator = class.decorator_list.iter().find_map(|d| {
            let (callee, call) = match &d.expression {
                Expr::Call(call) => (call.func.as_ref(), Some(call)),
                other => (other, None),
            };
            let Value::Qualified(q) = self.eval(callee, parent) else { return None };
            FIELD_CLASSES.contains(&q.as_str()).then_some((q, call))
        })?;
        if self.sem.scopes[class_scope].bindings.contains_key("__init__") {
            return None;
        }
        let (qualified, call) = decorator;
        let attrs = !qualified.starts_with("dataclasses.");
        let keyword_only = call.is_some_and(|c| {
            c.arguments
                .find_keyword("kw_only")
                .is_some_and(|k| !matches!(k.value, Expr::BooleanLiteral(ref b) if !b.value))
        });
        let mut positional = !attrs && class.bases().is_empty() && !keyword_only;
        let mut fields = Vec::new();
        for stmt in &class.body {
            let (target, annotation, value) = match stmt {
                Stmt::AnnAssign(a) => (a.target.as_ref(), Some(a.annotation.as_ref()), a.value.as_deref()),
                Stmt::Assign(a) if attrs => match (a.targets.as_slice(), a.value.as_ref()) {
                    ([target], Expr::Call(call)) if self.is_field_call(call, class_scope) => {
                        (target, None, Some(a.value.as_ref()))
                    }
                    _ => continue,
                },
                _ => continue,
            };
            let Expr::Name(name) = target else { continue };
            if let Some(annotation) = annotation {
                let base = match annotation {
                    Expr::Subscript(sub) => sub.value.as_ref(),
                    other => other,
                };
                match self.eval(base, class_scope) {
                    Value::Qualified(q) if q == "typing.ClassVar" => continue,
                    Value::Qualified(q) if q == "dataclasses.KW_ONLY" => {
                        positional = false;
                        continue;
                    }
                    _ => {}
                }
            }
            let name = name.id.as_str();
            let parameter = if attrs { name.trim_start_matches('_').to_string() } else { name.to_string() };
            let mut field = Field { name, parameter, default: None, init: true };
            match value {
                Some(Expr::Call(call)) if self.is_field_call(call, class_scope) => {
                    let arguments = &call.arguments;
                    if !arguments.args.is_empty() {
                        return None;
                    }
                    if arguments.find_keyword("kw_only").is_some() {
                        positional = false;
                    }
                    field.init = !arguments
                        .find_keyword("init")
                        .is_some_and(|k| matches!(k.value, Expr::BooleanLiteral(ref b) if !b.value));
                    if let Some(default) = arguments.find_keyword("default") {
                        field.default = Some(self.default_of(&default.value, class_scope));
                    } else if let Some(factory) =
                        arguments.find_keyword("default_factory").or_else(|| arguments.find_keyword("factory"))
                    {
                        field.default = Some(Held::Made(&factory.value, class_scope));
                    }
                }
                Some(value) => field.default = Some(self.default_of(value, class_scope)),
                None => {}
            }
            fields.push(field);
        }
        Some(FieldClass { fields, positional })
    }

    fn is_field_call(&self, call: &ast::ExprCall, scope: ScopeId) -> bool {
        matches!(self.eval(&call.func, scope), Value::Qualified(q) if FIELD_CALLS.contains(&q.as_str()))
    }

    /// A default value, or the factory inside `attrs.Factory(f)`.
    fn default_of(&self, value: &'a Expr, scope: ScopeId) -> Held<'a> {
        if let Expr::Call(call) = value
            && matches!(self.eval(&call.func, scope), Value::Qualified(q) if FACTORIES.contains(&q.as_str()))
            && let [factory] = &*call.arguments.args
        {
            return Held::Made(factory, scope);
        }
        Held::Value(value, scope)
    }

    /// Every value a field gets: what each construction site passes, or its default.
    fn field_values(&self, class_scope: ScopeId, class: &FieldClass<'a>, field: &Field<'a>) -> Option<Vec<Held<'a>>> {
        if !field.init {
            return field.default.map(|d| vec![d]);
        }
        let position = class.fields.iter().filter(|f| f.init).position(|f| f.name == field.name)?;
        let mut held = Vec::new();
        for site in self.construction_sites(class_scope)? {
            let arguments = &site.call.arguments;
            if arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none()) {
                return None;
            }
            if !arguments.args.is_empty() && !class.positional {
                return None;
            }
            let passed =
                arguments.args.get(position).or_else(|| arguments.find_keyword(&field.parameter).map(|k| &k.value));
            match (passed, field.default) {
                (Some(value), _) => held.push(Held::Value(value, site.scope)),
                (None, Some(default)) => held.push(default),
                (None, None) => return None,
            }
        }
        Some(held)
    }
}

#[cfg(test)]
mod tests {
    use ruff_text_size::Ranged;

    use super::*;
    use crate::semantic::Semantic;

    /// What `self.<attr>` of the class `class` in `src` may hold, as source text (`made f` for a factory).
    fn held(src: &str, class: &str, attr: &str) -> Option<Vec<String>> {
        let parsed = crate::source::parse(src).unwrap();
        let sem = Semantic::build(parsed.suite());
        let resolver = Resolver::new(&sem);
        let scope = sem
            .scopes
            .iter()
            .position(|s| matches!(s.kind, ScopeKind::Class(c) if c.name.id.as_str() == class))
            .unwrap();
        let held = resolver.held_by_attribute(scope, attr)?;
        Some(
            held.iter()
                .map(|h| match h {
                    Held::Value(v, _) => src[v.range()].to_string(),
                    Held::Made(f, _) => format!("made {}", &src[f.range()]),
                })
                .collect(),
        )
    }

    const W: &str = "class W:\n    def __init__(self, f, g=None, *, h=1):\n        self.f = f\n        self.g = g\n        self.h = h\n        self.d = open('x')\n";

    #[test]
    fn init_parameters_receive_what_every_construction_site_passes() {
        let cases: &[(&str, &str, Option<&[&str]>)] = &[
            ("W(open(p))\nW(open(q), g=3, h=2)", "f", Some(&["open(p)", "open(q)"])),
            ("W(open(p))\nW(open(q), g=3, h=2)", "g", Some(&["None", "3"])),
            ("W(open(p))\nW(open(q), g=3, h=2)", "h", Some(&["1", "2"])),
            ("W(open(p))\nif isinstance(x, W):\n    pass", "f", Some(&["open(p)"])),
            ("def make(p):\n    return W(open(p))", "d", Some(&["open('x')"])),
            // Used otherwise than by calling it, spread arguments, no construction site: unknown.
            ("W(open(p))\nfactory = W", "f", None),
            ("W(*args)", "f", None),
            ("W(**kw)", "f", None),
            ("", "f", None),
            // Assigned outside the class, or by setattr.
            ("w = W(open(p))\nw.f = 3", "f", None),
            ("w = W(open(p))\nsetattr(w, 'f', 3)", "f", None),
            ("w = W(open(p))\nsetattr(w, name, 3)", "f", None),
            // A subclass, or a classmethod that calls `cls(...)`, makes instances pickfix cannot follow.
            ("class V(W):\n    pass\nW(open(p))", "f", None),
        ];
        for (rest, attr, expected) in cases {
            let src = format!("{W}{rest}\n");
            let expected = expected.map(|e| e.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(held(&src, "W", attr), expected, "self.{attr} in:\n{src}");
        }
        let classmethod = "class W:\n    def __init__(self, f):\n        self.f = f\n    @classmethod\n    def of(cls, p):\n        return cls(p)\nW(open(p))\n";
        assert_eq!(held(classmethod, "W", "f"), None);
    }

    #[test]
    fn dataclass_and_attrs_fields_hold_their_default_or_what_is_passed() {
        let d = "import threading, dataclasses, attr, attrs\nfrom dataclasses import dataclass, field\n";
        let cases: &[(&str, &str, Option<&[&str]>)] = &[
            (
                "@dataclass\nclass C:\n    n: int\n    lock: threading.Lock = field(default_factory=threading.Lock)\nC(1)",
                "lock",
                Some(&["made threading.Lock"]),
            ),
            (
                "@dataclass\nclass C:\n    n: int\n    lock: object = field(default_factory=threading.Lock)\nC(1, None)\nC(2, lock=threading.RLock())",
                "lock",
                Some(&["None", "threading.RLock()"]),
            ),
            (
                "@dataclasses.dataclass(frozen=True)\nclass C:\n    f: object = None\nC(open(p))",
                "f",
                Some(&["open(p)"]),
            ),
            (
                "@attrs.define\nclass C:\n    _lock: object = attrs.Factory(threading.Lock)\nC()\nC(lock=None)",
                "_lock",
                Some(&["made threading.Lock", "None"]),
            ),
            (
                "@attr.s\nclass C:\n    lock = attr.ib(factory=threading.Lock)\nC()",
                "lock",
                Some(&["made threading.Lock"]),
            ),
            // attrs: positional arguments are not mapped; ClassVar is no field; a class's own __init__ wins.
            ("@attrs.define\nclass C:\n    f: object = None\nC(open(p))", "f", None),
            (
                "from typing import ClassVar\n@dataclass\nclass C:\n    f: ClassVar[object] = threading.Lock()\nC()",
                "f",
                None,
            ),
            ("@dataclass\nclass C:\n    f: object = None\n    def __init__(self):\n        pass\nC()", "f", None),
            ("class C:\n    f: object = threading.Lock()\nC()", "f", None),
        ];
        for (rest, attr, expected) in cases {
            let src = format!("{d}{rest}\n");
            let expected = expected.map(|e| e.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(held(&src, "C", attr), expected, "self.{attr} in:\n{src}");
        }
    }

    #[test]
    fn parameters_of_plain_functions_and_results_of_functions() {
        let src = "import sqlite3\ndef connect(p):\n    if p:\n        return sqlite3.connect(p)\n    return None\ndef run(db):\n    use(db)\nrun(connect(p))\nrun(db=connect(q))\ndef gen():\n    yield 1\n    return 2\ndef cb(x):\n    pass\nmap(cb, y)\ncb(1)\n";
        let parsed = crate::source::parse(src).unwrap();
        let sem = Semantic::build(parsed.suite());
        let resolver = Resolver::new(&sem);
        let text = |held: Option<Vec<Held>>| {
            held.map(|h| {
                h.iter()
                    .map(|h| match h {
                        Held::Value(v, _) | Held::Made(v, _) => src[v.range()].to_string(),
                    })
                    .collect::<Vec<_>>()
            })
        };
        let def = |name: &str| {
            sem.scopes
                .iter()
                .find_map(|s| match s.kind {
                    ScopeKind::Function(d) if d.name.id.as_str() == name => Some(d),
                    _ => None,
                })
                .unwrap()
        };
        let scope_of = |name: &str| sem.functions[&def(name).range.start()].scope;
        assert_eq!(
            text(resolver.returned_values(def("connect"))),
            Some(vec!["sqlite3.connect(p)".into(), "None".into()])
        );
        assert_eq!(text(resolver.returned_values(def("gen"))), None);
        assert_eq!(
            text(resolver.parameter_values("db", scope_of("run"))),
            Some(vec!["connect(p)".into(), "connect(q)".into()])
        );
        // Passed to `map` as well as called: unknown.
        assert_eq!(text(resolver.parameter_values("x", scope_of("cb"))), None);
    }
}
