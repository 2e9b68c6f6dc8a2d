//! `--output-format json` and `json-lines`: the fields of ruff's JSON output that apply to pickfix.

use ruff_diagnostics::Applicability;
use ruff_text_size::Ranged;
use serde::Serialize;

use super::Item;
use crate::codemods::Rule;
use crate::finding::Remedy;
use crate::pipeline::Position;

/// A place: 1-based row and column, columns counting characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub row: usize,
    pub column: usize,
}

impl From<Position> for Location {
    fn from(position: Position) -> Location {
        Location { row: position.line, column: position.column }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonEdit {
    /// The new text (empty for a deletion).
    pub content: String,
    pub location: Location,
    pub end_location: Location,
    /// In a notebook: the cell the edit is in; rows count within it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonFix {
    pub title: String,
    /// `safe` or `unsafe` (applied only with `--unsafe-fixes`).
    pub applicability: &'static str,
    pub edits: Vec<JsonEdit>,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct JsonFinding {
    pub code: &'static str,
    /// The rule's name (`lambda-to-function`).
    pub name: &'static str,
    pub message: String,
    pub fix: Option<JsonFix>,
    /// Why there is no fix; only when `fix` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_fix_reason: Option<String>,
    pub filename: String,
    pub location: Location,
    pub end_location: Location,
    /// In a notebook: the cell (1-based, counting every cell) the finding is in; rows count within it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
}

pub fn json_finding(item: &Item) -> JsonFinding {
    let d = item.diagnostic;
    let (fix, no_fix_reason) = match &d.finding.remedy {
        Remedy::Fix { title, fix } => {
            let edits = fix
                .edits()
                .iter()
                .map(|edit| JsonEdit {
                    content: edit.content().unwrap_or_default().to_string(),
                    location: item.in_cell(item.position(edit.start())).1.into(),
                    end_location: item.in_cell(item.position(edit.end())).1.into(),
                    cell: item.in_cell(item.position(edit.start())).0,
                })
                .collect();
            let applicability = match fix.applicability() {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
                Applicability::DisplayOnly => "display-only",
            };
            (Some(JsonFix { title: title.clone(), applicability, edits }), None)
        }
        Remedy::NoFix(why) => (None, Some(why.to_string())),
    };
    JsonFinding {
        code: d.code(),
        name: d.finding.rule.name(),
        message: d.message().to_string(),
        fix,
        no_fix_reason,
        filename: item.path.to_string(),
        location: item.in_cell(d.start).1.into(),
        end_location: item.in_cell(d.end).1.into(),
        cell: item.in_cell(d.start).0,
    }
}

/// One rule's line of `--statistics`.
#[derive(Debug, Clone, Serialize)]
pub struct Statistic {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    /// Some of its findings have a fix `--write` applies.
    pub fixable: bool,
}

/// `--statistics` with a JSON format: `[{code, name, count, fixable}]`.
pub fn statistics_json(counts: &[(Rule, usize, bool)]) -> serde_json::Value {
    let rows: Vec<Statistic> = counts
        .iter()
        .map(|&(rule, count, fixable)| Statistic { code: rule.code(), name: rule.name(), count, fixable })
        .collect();
    serde_json::to_value(rows).unwrap_or_default()
}
