//! `--output-format sarif`: one SARIF 2.1.0 log with one run: the tool (pickfix and every rule) and a
//! result for each finding. `tests/output.rs` validates it against the official schema.

use std::path::Path;

use serde_json::{Value, json};

use super::{Item, rule_docs};
use crate::codemods::Rule;
use crate::finding::Remedy;

/// The log, with the results made by [`sarif_result`].
pub fn sarif(results: Vec<Value>, cwd: &Path) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code(),
                "name": rule.name(),
                "shortDescription": { "text": rule.summary() },
                "fullDescription": { "text": rule_docs(*rule) },
                "help": { "text": rule.meta().description },
                "properties": { "fix": rule.meta().fix.to_string() },
            })
        })
        .collect();
    let mut root = cwd.to_string_lossy().into_owned();
    if !root.ends_with('/') {
        root.push('/');
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pickfix",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://crates.io/crates/pickfix",
                    "rules": rules,
                }
            },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": format!("file://{}", uri(&root)) } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// One finding as a SARIF result.
pub fn sarif_result(item: &Item) -> Value {
    let d = item.diagnostic;
    let index = Rule::ALL.iter().position(|rule| *rule == d.finding.rule).unwrap_or_default();
    let text = match &d.finding.remedy {
        Remedy::Fix { title, .. } => format!("{}; fix: {title}", d.message()),
        Remedy::NoFix(why) => format!("{}; no fix: {why}", d.message()),
    };
    // In a notebook, lines count within the cell (as ruff reports them).
    let ((_, start), (_, end)) = (item.in_cell(d.start), item.in_cell(d.end));
    json!({
        "ruleId": d.code(),
        "ruleIndex": index,
        "level": "error",
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(item.path),
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                }
            }
        }],
    })
}

/// A relative path is relative to the folder pickfix ran in (`%SRCROOT%`); an absolute one is a
/// `file://` URI.
fn artifact(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", uri(path)) })
    } else {
        json!({ "uri": uri(path.strip_prefix("./").unwrap_or(path)), "uriBaseId": "%SRCROOT%" })
    }
}

/// A path as a URI reference: bytes other than unreserved characters and `/` are percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_escape_what_a_uri_cannot_hold() {
        assert_eq!(super::uri("my dir/a%b.py"), "my%20dir/a%25b.py");
    }
}
