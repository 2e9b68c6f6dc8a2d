//! The task data a sink pickles, read from the table of APIs.

use ruff_python_ast::{self as ast, Expr};

use super::api::{self, Data};
use super::{Sink, SinkKind};

/// Where a sink's task data are, by the table.
fn sink_data(kind: SinkKind) -> &'static [Data] {
    match kind {
        SinkKind::PoolMethod(kind, method) => api::pool(kind).method(method).map_or(&[], |m| m.data),
        SinkKind::RunInExecutor => api::RUN_IN_EXECUTOR.data,
        SinkKind::Initializer(kind) => api::pool(kind).initargs,
        SinkKind::ProcessTarget => api::PROCESS_DATA,
        SinkKind::PoolFunction(function) => function.data,
    }
}

/// The expressions a sink pickles as task data: the elements of what [`task_data`] finds, where a
/// display or comprehension shows them.
pub fn task_arguments<'a>(sink: &Sink<'a>) -> Vec<&'a Expr> {
    collect(sink, true)
}

/// The values a sink pickles as task data, as written: the iterable of `map` (not its elements), the
/// `args=` tuple, the `kwds=` dict, the arguments of `submit`. What [`task_arguments`] opens up is in them.
pub fn task_data<'a>(sink: &Sink<'a>) -> Vec<&'a Expr> {
    collect(sink, false)
}

/// The task data of a sink, opened up (`open`) into the elements of displays or as written.
fn collect<'a>(sink: &Sink<'a>, open: bool) -> Vec<&'a Expr> {
    let arguments = &sink.call.arguments;
    let mut out = Vec::new();
    let opened = |expr: &'a Expr, how: fn(&'a Expr) -> Vec<&'a Expr>| if open { how(expr) } else { vec![expr] };
    for data in sink_data(sink.kind) {
        match *data {
            Data::Elements(param) => out.extend(param.find(arguments).map(|e| opened(e, elements)).unwrap_or_default()),
            Data::Rows(param) => {
                let rows = param.find(arguments).map(|e| opened(e, elements)).unwrap_or_default();
                out.extend(rows.into_iter().flat_map(|row| opened(row, elements)));
            }
            Data::Values(param) => {
                out.extend(param.find(arguments).map(|e| opened(e, dict_values)).unwrap_or_default())
            }
            Data::Iterables { from } => out.extend(arguments.args.iter().skip(from).flat_map(|e| opened(e, elements))),
            Data::Spread { from, keywords } => {
                out.extend(arguments.args.iter().skip(from).filter(|a| !a.is_starred_expr()));
                if let Some(but) = keywords {
                    out.extend(
                        arguments
                            .keywords
                            .iter()
                            .filter(|k| k.arg.as_ref().is_some_and(|a| !but.contains(&a.as_str())))
                            .map(|k| &k.value),
                    );
                }
            }
        }
    }
    out
}

/// Where task data go, as written at the call: `Pool.map`, `Pool(initargs=...)`, `Process(...)`.
pub fn receiver(kind: SinkKind) -> String {
    match kind {
        SinkKind::ProcessTarget => "Process(...)".to_string(),
        SinkKind::Initializer(kind) => format!("{}(initargs=...)", api::pool(kind).display),
        other => other.describe(),
    }
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

/// How every call of a sink's callable passes its arguments, as far as the sink's call shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallShape {
    /// How many positional arguments each call passes.
    pub positional: usize,
    /// The keyword arguments each call passes.
    pub keywords: Vec<String>,
}

/// The [`CallShape`] of a sink's callable, when the call shows it: `pool.map(f, xs)` calls `f(x)`,
/// `Process(target=f, args=(a, b), kwargs={"k": v})` calls `f(a, b, k=v)`. `None` when it does not
/// (an argument tuple built elsewhere, rows of different lengths, `*args`).
pub fn call_shape(sink: &Sink) -> Option<CallShape> {
    let arguments = &sink.call.arguments;
    let mut shape = CallShape::default();
    // A display passed whole as the positional arguments: its length (absent: none).
    let spread = |param: api::Param| -> Option<usize> {
        match param.find(arguments) {
            None => Some(0),
            Some(Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }))
                if !elts.iter().any(Expr::is_starred_expr) =>
            {
                Some(elts.len())
            }
            Some(_) => None,
        }
    };
    // A dict display passed whole as the keyword arguments: its keys (absent: none).
    let keys = |param: api::Param| -> Option<Vec<String>> {
        match param.find(arguments) {
            None => Some(Vec::new()),
            Some(Expr::Dict(dict)) => dict
                .items
                .iter()
                .map(|item| match &item.key {
                    Some(Expr::StringLiteral(key)) => Some(key.value.to_str().to_string()),
                    _ => None,
                })
                .collect(),
            Some(_) => None,
        }
    };
    let data: &[Data] = match sink.kind {
        SinkKind::PoolMethod(kind, method) => {
            let method = api::pool(kind).method(method)?;
            if method.shape() == api::Shape::Map && matches!(method.data, [Data::Elements(_)]) {
                // One element of the iterable a call.
                return Some(CallShape { positional: 1, keywords: Vec::new() });
            }
            method.data
        }
        SinkKind::RunInExecutor => api::RUN_IN_EXECUTOR.data,
        SinkKind::Initializer(kind) => api::pool(kind).initargs,
        SinkKind::ProcessTarget => api::PROCESS_DATA,
        SinkKind::PoolFunction(function) => function.data,
    };
    for data in data {
        match *data {
            Data::Elements(param) => shape.positional += spread(param)?,
            Data::Values(param) => shape.keywords.extend(keys(param)?),
            Data::Rows(param) => {
                let rows = match param.find(arguments)? {
                    Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => elts,
                    _ => return None,
                };
                let lengths: Vec<usize> = rows
                    .iter()
                    .map(|row| match row {
                        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. })
                            if !elts.iter().any(Expr::is_starred_expr) =>
                        {
                            Some(elts.len())
                        }
                        _ => None,
                    })
                    .collect::<Option<_>>()?;
                let first = *lengths.first()?;
                if lengths.iter().any(|length| *length != first) {
                    return None;
                }
                shape.positional += first;
            }
            Data::Iterables { from } | Data::Spread { from, .. } => {
                let positional = arguments.args.iter().skip(from);
                if positional.clone().any(Expr::is_starred_expr) {
                    return None;
                }
                shape.positional += positional.count();
                if let Data::Spread { keywords: Some(but), .. } = *data {
                    for keyword in &arguments.keywords {
                        match &keyword.arg {
                            None => return None,
                            Some(name) if !but.contains(&name.as_str()) => shape.keywords.push(name.to_string()),
                            Some(_) => {}
                        }
                    }
                }
            }
        }
    }
    Some(shape)
}
