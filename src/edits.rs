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

/// The indentation of `stmt` when it starts its own line: only whitespace before it on its line, and no
/// backslash at the end of the line above joining the two (`\` alone on a line, then `with ...`: the
/// statement's logical line starts at the backslash, and moving the `with` line alone would leave it
/// behind, joined to whatever follows).
pub fn indentation<'t>(text: &'t str, tokens: &Tokens, stmt: &impl Ranged) -> Option<&'t str> {
    let indent = ruff_python_ast::whitespace::indentation(text, stmt)?;
    (!joined_to_line_above(text, tokens, text.line_start(stmt.start()))).then_some(indent)
}

/// Whether the line that starts at `line_start` continues the line above, which ends with a backslash
/// that is not inside a comment or a string.
pub fn joined_to_line_above(text: &str, tokens: &Tokens, line_start: TextSize) -> bool {
    let before = &text[..line_start.to_usize()];
    let before = before.strip_suffix('\n').unwrap_or(before);
    let before = before.strip_suffix('\r').unwrap_or(before);
    if before.len() == line_start.to_usize() || !before.ends_with('\\') {
        return false;
    }
    let at = TextSize::try_from(before.len() - 1).unwrap_or_default();
    let next = tokens.partition_point(|token| token.end() <= at);
    let in_comment_or_string = tokens.get(next).is_some_and(|token| {
        token.start() <= at
            && matches!(
                token.kind(),
                TokenKind::Comment | TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle
            )
    });
    !in_comment_or_string
}

/// The start of the line above the line that starts at `at`: the line break that ends it (`\n`, `\r\n`
/// or `\r`) is stepped over whole, so that a CRLF file is read as lines, not as a `\r` line and an empty
/// `\n` one.
pub fn previous_line_start(text: &str, at: TextSize) -> TextSize {
    let before = &text[..at.to_usize()];
    let eol = if before.ends_with("\r\n") { 2 } else { 1 };
    text.line_start(at - TextSize::new(eol))
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
        let previous = previous_line_start(text, at);
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
        let previous = previous_line_start(text, cursor);
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

/// Where isort (and ruff's `I001`) puts an import: its section (`__future__`, the standard library, then
/// everything else), `import m` before `from m import n` within a section, then the module's name
/// without regard to case.
fn import_order(stmt: &Stmt) -> Option<(u8, u8, String)> {
    let (module, style) = match stmt {
        Stmt::Import(import) => (import.names.first()?.name.id.as_str(), 0),
        Stmt::ImportFrom(import) if import.level == 0 => (import.module.as_ref()?.id.as_str(), 1),
        // Relative imports are the local folder's: last.
        Stmt::ImportFrom(_) => return Some((3, 1, String::new())),
        _ => return None,
    };
    let root = module.split('.').next().unwrap_or(module);
    let section = if root == "__future__" {
        0
    } else if ruff_python_stdlib::sys::is_known_standard_library(13, root) {
        1
    } else {
        2
    };
    Some((section, style, module.to_lowercase()))
}

/// The edit that adds an import statement (`import functools`, `from m import n`) to the imports at the
/// top of the module (after the docstring), in the place isort would give it: in its section (a new one,
/// separated by a blank line, when the module has none yet), in order. Without imports, it goes after the
/// docstring, or first.
pub fn add_import(text: &str, body: &[Stmt], statement: &str, layout: &Layout) -> Edit {
    let eol = layout.eol;
    let new = crate::source::parse(statement)
        .ok()
        .and_then(|parsed| parsed.suite().first().and_then(import_order))
        .unwrap_or((2, 0, statement.to_lowercase()));
    let mut imports: Vec<(&Stmt, (u8, u8, String))> = Vec::new();
    let mut docstring = None;
    for (index, stmt) in body.iter().enumerate() {
        if index == 0 && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::StringLiteral(_))) {
            docstring = Some(stmt);
            continue;
        }
        match import_order(stmt) {
            Some(order) => imports.push((stmt, order)),
            None => break,
        }
    }
    if let Some((before, order)) = imports.iter().find(|(_, order)| *order > new) {
        // Above the first import that sorts after it; a blank line closes a new section.
        let gap = if order.0 != new.0 { eol } else { "" };
        return Edit::insertion(format!("{statement}{eol}{gap}"), text.line_start(before.start()));
    }
    match imports.last().map(|(stmt, order)| (*stmt, order.0)).or(docstring.map(|d| (d, u8::MAX))) {
        // At the end of the last import's line, so that it never shares a point with code inserted
        // above the next statement; a blank line opens a new section.
        Some((stmt, section)) => {
            let gap = if section != new.0 && section != u8::MAX { eol } else { "" };
            Edit::insertion(format!("{eol}{gap}{statement}"), text.line_end(stmt.end()))
        }
        None => {
            let at = body.first().map_or(TextSize::new(0), |stmt| text.line_start(stmt.start()));
            Edit::insertion(format!("{statement}{eol}"), at)
        }
    }
}

/// `base`, or `base_2`, `base_3`, ... : the first that no identifier of the module and no name handed out
/// earlier in this pass uses.
pub fn fresh_name<S: std::hash::BuildHasher>(
    base: &str,
    taken: &HashSet<&str, S>,
    reserved: &HashSet<String>,
) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `add_import` makes of `src` for `statement`.
    fn added(src: &str, statement: &str) -> String {
        let parsed = crate::source::parse(src).unwrap();
        let layout = Layout { indent: "    ".to_string(), eol: "\n", quote: '"' };
        let edit = add_import(src, parsed.suite(), statement, &layout);
        crate::apply::apply_fixes(src, [&Fix::safe_edit(edit)]).0
    }

    #[test]
    fn a_backslash_ending_the_line_above_joins_it_unless_in_a_comment_or_string() {
        fn joined(src: &str) -> (Option<&str>, bool) {
            let parsed = crate::source::parse(src).unwrap();
            let last = parsed.suite().last().unwrap();
            let at = src.line_start(last.start());
            (indentation(src, parsed.tokens(), last), joined_to_line_above(src, parsed.tokens(), at))
        }
        assert_eq!(joined("x = 1\n\\\ny = 2\n"), (None, true));
        assert_eq!(joined("x = 1\r\n\\\r\ny = 2\r\n"), (None, true));
        assert_eq!(joined("x = 1  # a path C:\\\ny = 2\n"), (Some(""), false));
        assert_eq!(joined("x = (1,\n     2)\ny = 2\n"), (Some(""), false));
        // A local `def` behind a lone backslash is not moved (its region would start inside a token).
        let src = "import multiprocessing\n\n\ndef main():\n    \\\n    def work(x):\n        return x\n\n\
                   \x20   with multiprocessing.Pool(2) as p:\n        p.map(work, [1])\n";
        let settings =
            crate::Settings { rules: vec![crate::Rule::LocalFunctionToFunction], ..crate::Settings::default() };
        let found = crate::check_source(src, &settings).unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].fix().is_none());
    }

    #[test]
    fn an_import_goes_where_isort_puts_it() {
        let f = "import functools";
        // In order among the standard library's `import m` lines, before its `from m import n` lines.
        assert_eq!(added("import os\nimport sys\nx = 1\n", f), "import functools\nimport os\nimport sys\nx = 1\n");
        assert_eq!(added("import abc\nimport sys\n", f), "import abc\nimport functools\nimport sys\n");
        assert_eq!(added("import os\nfrom abc import ABC\n", f), "import functools\nimport os\nfrom abc import ABC\n");
        // A new section of its own, after `__future__`, before third-party imports.
        assert_eq!(added("import numpy\n", f), "import functools\n\nimport numpy\n");
        assert_eq!(
            added("from __future__ import annotations\n\nimport numpy\n", f),
            "from __future__ import annotations\n\nimport functools\n\nimport numpy\n"
        );
        assert_eq!(
            added("from __future__ import annotations\nx = 1\n", f),
            "from __future__ import annotations\n\nimport functools\nx = 1\n"
        );
        // A third-party import after the standard library, separated by a blank line.
        let pathos = "from pathos.multiprocessing import ProcessingPool";
        assert_eq!(added("import os\n", pathos), format!("import os\n\n{pathos}\n"));
        assert_eq!(added("import os\n\nimport numpy\n", pathos), format!("import os\n\nimport numpy\n{pathos}\n"));
        // No import yet: after the docstring, or first.
        assert_eq!(added("\"\"\"Doc.\"\"\"\nx = 1\n", f), "\"\"\"Doc.\"\"\"\nimport functools\nx = 1\n");
        assert_eq!(added("x = 1\n", f), "import functools\nx = 1\n");
    }
}
