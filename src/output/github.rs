//! `--output-format github`: GitHub Actions workflow commands, one a finding, which annotate the lines
//! of a pull request.

use super::Item;

/// `::error title=pickfix (PF001),file=app.py,line=6,col=24,endLine=6,endColumn=39::PF001 message`.
pub fn github(item: &Item) -> String {
    let d = item.diagnostic;
    let file = item.path.strip_prefix("./").unwrap_or(item.path);
    // In a notebook, lines count within the cell (as ruff reports them).
    let ((_, start), (_, end)) = (item.in_cell(d.start), item.in_cell(d.end));
    format!(
        "::error title={},file={},line={},col={},endLine={},endColumn={}::{}",
        property(&format!("pickfix ({})", d.code())),
        property(file),
        start.line,
        start.column,
        end.line,
        end.column,
        data(&format!("{} {}", d.code(), d.message())),
    )
}

/// A command's message, escaped as the runner reads it.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A command's property value: also `:` and `,` are escaped.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
