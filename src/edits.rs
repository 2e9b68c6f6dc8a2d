//! Building blocks for edits: where new top-level code and imports go, what they look like, and fresh
//! names. New code follows the file's own indentation and line endings (read by ruff's `Stylist`).

use std::collections::HashSet;

use ruff_diagnostics::{Applicability, Edit, Fix};
use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::{Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

/// One fix made of `edits` (at least one), applied all or nothing.
pub fn fix_of(edits: impl IntoIterator<Item = Edit>, applicability: Applicability) -> Option<Fix> {
    let mut edits = edits.into_iter();
    let first = edits.next()?;
    Some(Fix::applicable_edits(first, edits, applicability))
}

/// Whether nothing but white space or a comment follows `offset` on its line.
pub fn rest_of_line_is_blank(text: &str, offset: TextSize) -> bool {
    let rest = text[TextRange::new(offset, text.line_end(offset))].trim();
    rest.is_empty() || rest.starts_with('#')
}

/// The file's indentation unit and line ending.
#[derive(Debug, Clone)]
pub struct Layout {
    pub indent: String,
    pub eol: &'static str,
    /// The quote the file prefers for new strings.
    pub quote: char,
}

/// Where a new module-level statement goes so that it stands right above module statement `top`: above
/// the comment lines that belong to that statement, below the statement before it.
pub fn insertion_above(text: &str, body: &[Stmt], top: usize) -> TextSize {
    let floor = if top == 0 { TextSize::new(0) } else { text.full_line_end(body[top - 1].end()) };
    comment_lines_above(text, body[top].start(), floor, None)
}

/// The start of the comment lines that belong to the statement starting at `stmt_start`: those directly
/// above its line, not above `floor`, at `indent` exactly (at any indentation when `None`).
pub fn comment_lines_above(text: &str, stmt_start: TextSize, floor: TextSize, indent: Option<&str>) -> TextSize {
    let mut at = text.line_start(stmt_start);
    while at > floor {
        let previous = text.line_start(at - TextSize::new(1));
        let line = &text[previous.to_usize()..at.to_usize()];
        let content = match indent {
            Some(indent) => line.strip_prefix(indent),
            None => Some(line.trim_start()),
        };
        if previous < floor || !content.is_some_and(|rest| rest.starts_with('#')) {
            break;
        }
        at = previous;
    }
    at
}

/// Line endings to put before new top-level code at `at` so that two blank lines separate it from the
/// code above (PEP 8), none at the start of the file.
pub fn blank_lines_before(text: &str, at: TextSize, layout: &Layout) -> String {
    if at == TextSize::new(0) {
        return String::new();
    }
    let mut blanks = 0;
    let mut cursor = at;
    while cursor > TextSize::new(0) && blanks < 2 {
        let previous = text.line_start(cursor - TextSize::new(1));
        if !text[previous.to_usize()..cursor.to_usize()].trim().is_empty() {
            break;
        }
        blanks += 1;
        cursor = previous;
    }
    if cursor == TextSize::new(0) {
        return String::new();
    }
    layout.eol.repeat(2 - blanks)
}

/// The edit that adds an import statement (`import functools`) after the docstring, `__future__` imports
/// and the imports at the top of the module (where ruff's `Importer` and LibCST's `AddImportsVisitor` put
/// it).
pub fn add_import(text: &str, body: &[Stmt], statement: &str, layout: &Layout) -> Edit {
    let mut last = None;
    for (index, stmt) in body.iter().enumerate() {
        let is_docstring =
            index == 0 && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::StringLiteral(_)));
        if is_docstring || stmt.is_import_stmt() || stmt.is_import_from_stmt() {
            last = Some(stmt);
        } else {
            break;
        }
    }
    match last {
        // At the end of the last import's line, so that it never shares a point with code inserted
        // above the next statement.
        Some(stmt) => Edit::insertion(format!("{}{statement}", layout.eol), text.line_end(stmt.end())),
        None => {
            let at = body.first().map_or(TextSize::new(0), |stmt| text.line_start(stmt.start()));
            Edit::insertion(format!("{statement}{}", layout.eol), at)
        }
    }
}

/// `base`, or `base_2`, `base_3`, ... : the first that no identifier of the module and no name handed out
/// earlier in this pass uses.
pub fn fresh_name(base: &str, taken: &HashSet<&str>, reserved: &HashSet<String>) -> String {
    let free = |name: &str| !taken.contains(name) && !reserved.contains(name);
    if free(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}_{n}")).find(|name| free(name)).unwrap_or_default()
}

/// The lines of `region` (each with its line ending), and for each whether it begins inside a multi-line
/// string: re-indenting code must leave such a line exactly as it is.
pub fn lines_for_reindent(text: &str, tokens: &Tokens, region: TextRange) -> Vec<(TextRange, bool)> {
    let strings: Vec<TextRange> = tokens
        .in_range(region)
        .iter()
        .filter(|t| matches!(t.kind(), TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle))
        .map(Ranged::range)
        .filter(|range| text[*range].contains(['\n', '\r']))
        .collect();
    let mut lines = Vec::new();
    let mut line_start = region.start();
    while line_start < region.end() {
        let line_end = text.full_line_end(line_start).min(region.end());
        let inside_string = strings.iter().any(|s| s.start() < line_start && line_start < s.end());
        lines.push((TextRange::new(line_start, line_end), inside_string));
        line_start = line_end;
    }
    lines
}
