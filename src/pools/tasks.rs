//! The task data a sink pickles, read from the table of APIs.

use ruff_python_ast::{self as ast, Expr};

use super::api::{self, Data};
use super::{Sink, SinkKind};

/// The expressions a sink pickles as task data.
pub fn task_arguments<'a>(sink: &Sink<'a>) -> Vec<&'a Expr> {
    let data: &[Data] = match sink.kind {
        SinkKind::PoolMethod(kind, method) => api::pool(kind).method(method).map_or(&[], |m| m.data),
        SinkKind::RunInExecutor => api::RUN_IN_EXECUTOR.data,
        SinkKind::Initializer(kind) => api::pool(kind).initargs,
        SinkKind::ProcessTarget => api::PROCESS_DATA,
    };
    let arguments = &sink.call.arguments;
    let mut out = Vec::new();
    for data in data {
        match *data {
            Data::Elements(param) => out.extend(param.find(arguments).map(elements).unwrap_or_default()),
            Data::Rows(param) => {
                let rows = param.find(arguments).map(elements).unwrap_or_default();
                out.extend(rows.into_iter().flat_map(elements));
            }
            Data::Values(param) => out.extend(param.find(arguments).map(dict_values).unwrap_or_default()),
            Data::Iterables { from } => out.extend(arguments.args.iter().skip(from).flat_map(elements)),
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
