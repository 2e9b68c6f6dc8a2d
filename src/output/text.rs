//! The text formats: `concise` (one line a finding) and `full` (with the source and the fix).

use anstyle::{AnsiColor, Style};
use ruff_diagnostics::Applicability;
use unicode_width::UnicodeWidthChar;

use super::{Fixability, Item, fixability};
use crate::finding::Remedy;

/// Lines of source shown above a finding.
const CONTEXT: usize = 2;
/// Lines of a finding's span shown at most; a longer span is cut with `...`.
const SPAN_LINES: usize = 6;
/// A tab in a shown source line.
const TAB: &str = "    ";

/// The styles text is printed with; all plain when colour is off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Styles {
    pub path: Style,
    pub code: Style,
    pub fixable: Style,
    pub gutter: Style,
    pub underline: Style,
    pub help: Style,
}

impl Styles {
    pub fn coloured() -> Styles {
        let bold = Style::new().bold();
        Styles {
            path: bold,
            code: bold.fg_color(Some(AnsiColor::Red.into())),
            fixable: bold.fg_color(Some(AnsiColor::Cyan.into())),
            gutter: bold.fg_color(Some(AnsiColor::Blue.into())),
            underline: bold.fg_color(Some(AnsiColor::Red.into())),
            help: bold.fg_color(Some(AnsiColor::Cyan.into())),
        }
    }
}

fn paint(style: Style, text: &str) -> String {
    if style == Style::new() { text.to_string() } else { format!("{style}{text}{style:#}") }
}

/// `path:line:col: CODE [*] message`: the first line of both text formats.
fn header(item: &Item, threshold: Applicability, styles: &Styles) -> String {
    let d = item.diagnostic;
    let mark = match fixability(d, threshold) {
        Fixability::Applies => format!("{} ", paint(styles.fixable, "[*]")),
        _ => String::new(),
    };
    let (cell, start) = item.in_cell(d.start);
    let (cell, line) = (cell.map(|cell| format!("cell {cell}:")).unwrap_or_default(), start.line);
    format!(
        "{}:{cell}{}:{}: {} {mark}{}",
        paint(styles.path, item.path),
        line,
        d.start.column,
        paint(styles.code, d.code()),
        d.message()
    )
}

/// `path:line:col: CODE [*] message; fix: title` (or `; unsafe fix with --unsafe-fixes: title`, or
/// `; no fix: reason`).
pub fn concise(item: &Item, threshold: Applicability, styles: &Styles) -> String {
    let note = match &item.diagnostic.finding.remedy {
        Remedy::Fix { title, fix } if fix.applies(threshold) => format!("fix: {title}"),
        Remedy::Fix { title, .. } => format!("unsafe fix with --unsafe-fixes: {title}"),
        Remedy::NoFix(why) => format!("no fix: {why}"),
    };
    format!("{}; {note}", header(item, threshold, styles))
}

/// The header line, the source lines around the finding with its span underlined, then the fix:
///
/// ```text
/// app.py:6:24: PF001 [*] Lambda passed to `Pool.map` cannot be pickled
///   |
/// 4 | def main():
/// 5 |     with multiprocessing.Pool(2) as pool:
/// 6 |         print(pool.map(lambda x: x * 2, [1, 2]))
///   |                        ^^^^^^^^^^^^^^^ PF001
///   |
///   = help: Move the lambda to a module-level function `_main_map_task`
/// ```
///
/// Ends with a blank line, as ruff's does.
pub fn full(item: &Item, threshold: Applicability, styles: &Styles) -> String {
    let d = item.diagnostic;
    let lines: Vec<&str> = item.source.lines().collect();
    let (start, mut end) = (d.start, d.end);
    // A span that ends just after a line break ends on the line before.
    if end.line > start.line && end.column == 1 {
        end.line -= 1;
        end.column = lines.get(end.line - 1).map_or(1, |line| line.chars().count() + 1);
    }
    let last = end.line.min(start.line + SPAN_LINES - 1).min(lines.len().max(1));
    // In a notebook the context stays in the finding's cell, and lines are numbered within it.
    let cell_first = start.line + 1 - item.in_cell(start).1.line;
    let first = start.line.saturating_sub(CONTEXT).max(1).max(cell_first);
    let shown_number = |number: usize| number + 1 - cell_first;
    let width = shown_number(last).to_string().len();
    let gutter = |number: Option<usize>| {
        let number = number.map_or_else(String::new, |n| shown_number(n).to_string());
        paint(styles.gutter, &format!("{number:>width$} |"))
    };
    let mut out = header(item, threshold, styles);
    out.push('\n');
    out.push_str(&gutter(None));
    out.push('\n');
    for number in first..=last {
        let line = lines.get(number - 1).copied().unwrap_or("");
        let shown = line.replace('\t', TAB);
        out.push_str(&gutter(Some(number)));
        if !shown.is_empty() {
            out.push(' ');
            out.push_str(&shown);
        }
        out.push('\n');
        if number < start.line {
            continue;
        }
        // The columns (1-based, characters) underlined on this line: from the start (or the first
        // non-blank character) to the end (or the end of the line).
        let chars = line.chars().count();
        let from = if number == start.line {
            start.column
        } else {
            line.chars().position(|c| !c.is_whitespace()).map_or(chars + 1, |i| i + 1)
        };
        let to = if number == end.line { end.column } else { chars + 1 };
        let (pad, carets) = (display_width(line, from - 1), display_width(line, to.saturating_sub(1)));
        let carets = carets.saturating_sub(pad).max(1);
        out.push_str(&gutter(None));
        out.push(' ');
        out.push_str(&" ".repeat(pad));
        let mut marks = "^".repeat(carets);
        if number == last {
            marks.push(' ');
            marks.push_str(d.code());
        }
        out.push_str(&paint(styles.underline, &marks));
        out.push('\n');
    }
    if end.line > last {
        out.push_str(&paint(styles.gutter, &format!("{:>width$}", "...")));
        out.push('\n');
    }
    out.push_str(&gutter(None));
    out.push('\n');
    let blank = " ".repeat(width + 1);
    let (label, note) = match &d.finding.remedy {
        Remedy::Fix { title, fix } if fix.applies(threshold) => ("help", title.clone()),
        Remedy::Fix { title, .. } => ("help", format!("{title} (unsafe fix: apply it with --unsafe-fixes)")),
        Remedy::NoFix(why) => ("note", format!("no fix: {why}")),
    };
    out.push_str(&format!("{blank}= {}: {note}\n", paint(styles.help, label)));
    out
}

/// The width on screen of the first `chars` characters of `line` (tabs shown as [`TAB`]).
fn display_width(line: &str, chars: usize) -> usize {
    line.chars().take(chars).map(|c| if c == '\t' { TAB.len() } else { c.width().unwrap_or(0) }).sum()
}
