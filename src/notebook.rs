//! Jupyter notebooks: the code cells as one Python text, and the notebook's JSON given back with only the
//! changed cells' `source` replaced.
//!
//! `ruff_notebook` reads and validates the notebook (nbformat 4, the cells ruff treats as Python: code
//! cells without a cell magic) and joins the code cells the way ruff does, each followed by a newline, so
//! positions and cell numbers match ruff's. It is not used for writing: `Notebook::write` re-serialises
//! the whole file with sorted keys, a one-space indent and new cell ids, which would change bytes outside
//! the cells pickfix edits. Instead, each cell's `source` value is located in the file's own bytes
//! (serde_json's `RawValue` borrows it from the input, so its offset is known) and only the values of
//! changed cells are replaced, written in the style of the value they replace (a list of lines with the
//! same separators and indentation, or one string), reusing the original text of every line that did not
//! change.

use std::ops::Range;

use ruff_notebook::Notebook as RuffNotebook;
use ruff_text_size::TextSize;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A notebook read from its JSON text.
#[derive(Debug, Clone)]
pub struct Notebook {
    /// The code cells pickfix reads, in order.
    cells: Vec<CodeCell>,
    /// The code cells joined, each followed by a newline: the text rules check and fixes edit.
    pub source: String,
    /// Where each cell starts in `source`, and where the last one ends (`cells.len() + 1` offsets).
    pub boundaries: Vec<TextSize>,
    /// The code cells (positions among them) tagged `parameters` or `injected-parameters` (papermill).
    pub parameter_cells: Vec<usize>,
}

#[derive(Debug, Clone)]
struct CodeCell {
    /// 1-based position among all the notebook's cells (markdown too), as ruff and Jupyter count.
    number: usize,
    /// The bytes of the cell's `source` value in the JSON text.
    span: Range<usize>,
    /// The cell's code as stored.
    text: String,
}

/// Why a file is not a notebook pickfix can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookError(pub String);

impl std::fmt::Display for NotebookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Deserialize)]
struct RawNotebook<'a> {
    #[serde(borrow)]
    cells: Vec<RawCell<'a>>,
    #[serde(default)]
    metadata: serde_json::Value,
}

/// Whether the notebook's kernel runs Python: `language_info.name`, else `kernelspec.language`, else the
/// kernelspec's name (Colab writes `{"name": "python3", "display_name": "Python 3"}` without a language,
/// where ruff's `is_python_notebook` says no); a notebook that names no kernel is taken as Python.
fn is_python(metadata: &serde_json::Value) -> bool {
    if let Some(name) = metadata.pointer("/language_info/name").and_then(serde_json::Value::as_str) {
        return name == "python";
    }
    let kernel = metadata.get("kernelspec");
    if let Some(language) = kernel.and_then(|k| k.get("language")).and_then(serde_json::Value::as_str) {
        return language.eq_ignore_ascii_case("python");
    }
    match kernel.and_then(|k| k.get("name")).and_then(serde_json::Value::as_str) {
        Some(name) => name.to_ascii_lowercase().contains("python"),
        None => true,
    }
}

#[derive(Deserialize)]
struct RawCell<'a> {
    #[serde(borrow)]
    source: &'a RawValue,
}

/// Whether `path` names a notebook.
pub fn is_notebook(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|ext| ext == "ipynb")
}

impl Notebook {
    /// Reads a notebook from its JSON text. `Ok(None)`: a valid notebook whose kernel is not Python.
    pub fn read(json: &str) -> Result<Option<Notebook>, NotebookError> {
        let ruff = RuffNotebook::from_source_code(json).map_err(|err| NotebookError(describe(&err)))?;
        let raw: RawNotebook =
            serde_json::from_str(json).map_err(|err| NotebookError(format!("not a valid notebook: {err}")))?;
        if !is_python(&raw.metadata) {
            return Ok(None);
        }
        if raw.cells.len() != ruff.cells().len() {
            return Err(NotebookError("not a valid notebook: the cells could not be located".to_string()));
        }
        let base = json.as_ptr() as usize;
        let boundaries: Vec<TextSize> = ruff.cell_offsets().iter().copied().collect();
        let source = ruff.source_code().to_string();
        let mut cells = Vec::new();
        for (start, range) in ruff.index().iter().zip(boundaries.windows(2)) {
            let index = start.cell_index().to_zero_indexed();
            let value = raw.cells[index].source.get();
            let offset = value.as_ptr() as usize - base;
            let text = source[range[0].to_usize()..range[1].to_usize()].to_string();
            let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
            cells.push(CodeCell { number: index + 1, span: offset..offset + value.len(), text });
        }
        if cells.is_empty() {
            // ruff's text for a notebook without code is one newline, and no cell holds it.
            let boundaries = vec![TextSize::new(0)];
            return Ok(Some(Notebook { cells, source: String::new(), boundaries, parameter_cells: Vec::new() }));
        }
        let parameter_cells = ruff
            .index()
            .iter()
            .enumerate()
            .filter(|(_, start)| {
                let cell = &ruff.cells()[start.cell_index().to_zero_indexed()];
                cell.metadata().extra.get("tags").and_then(serde_json::Value::as_array).is_some_and(|tags| {
                    tags.iter().any(|tag| matches!(tag.as_str(), Some("parameters" | "injected-parameters")))
                })
            })
            .map(|(position, _)| position)
            .collect();
        Ok(Some(Notebook { cells, source, boundaries, parameter_cells }))
    }

    /// Where each code cell starts in [`Notebook::source`] (its 1-based first line) and its number.
    pub fn cell_starts(&self) -> Vec<(usize, usize)> {
        let mut first = 1;
        let mut starts = Vec::with_capacity(self.cells.len());
        for cell in &self.cells {
            starts.push((first, cell.number));
            // Each cell occupies its own lines plus the newline that follows it (universal newlines, as
            // ruff counts them).
            first += lines_with_ends(&cell.text).len().max(1) + usize::from(ends_with_newline(&cell.text));
        }
        starts
    }

    /// The cells of `source` cut at `boundaries` (the text after fixing, and where its cells now start).
    pub fn cells_of<'t>(&self, source: &'t str, boundaries: &[TextSize]) -> Vec<&'t str> {
        boundaries
            .windows(2)
            .map(|range| {
                let cell = &source[range[0].to_usize()..range[1].to_usize()];
                cell.strip_suffix('\n').unwrap_or(cell)
            })
            .collect()
    }

    /// The changed cells: (number, old code, new code) for each cell whose code differs in `source`.
    pub fn changed_cells(&self, source: &str, boundaries: &[TextSize]) -> Vec<(usize, String, String)> {
        self.cells
            .iter()
            .zip(self.cells_of(source, boundaries))
            .filter(|(cell, new)| cell.text != *new)
            .map(|(cell, new)| (cell.number, cell.text.clone(), new.to_string()))
            .collect()
    }

    /// The notebook's JSON with the code of each cell taken from `source` cut at `boundaries`: only the
    /// `source` values of changed cells differ from `json`.
    pub fn write(&self, json: &str, source: &str, boundaries: &[TextSize]) -> Result<String, NotebookError> {
        let new_cells = self.cells_of(source, boundaries);
        if new_cells.len() != self.cells.len() {
            return Err(NotebookError("the fixed text no longer has one part per cell".to_string()));
        }
        let ascii = json.is_ascii();
        let mut out = String::with_capacity(json.len() + 256);
        let mut cursor = 0;
        for (cell, new) in self.cells.iter().zip(new_cells) {
            if cell.text == new {
                continue;
            }
            out.push_str(&json[cursor..cell.span.start]);
            out.push_str(&render_source(json, cell.span.clone(), new, ascii)?);
            cursor = cell.span.end;
        }
        out.push_str(&json[cursor..]);
        Ok(out)
    }

    /// The notebook as it would read with `source` cut at `boundaries` as its cells (for placing findings
    /// in fixed text).
    pub fn with_source(&self, source: &str, boundaries: &[TextSize]) -> Notebook {
        let cells = self
            .cells
            .iter()
            .zip(self.cells_of(source, boundaries))
            .map(|(cell, text)| CodeCell { number: cell.number, span: cell.span.clone(), text: text.to_string() })
            .collect();
        Notebook {
            cells,
            source: source.to_string(),
            boundaries: boundaries.to_vec(),
            parameter_cells: self.parameter_cells.clone(),
        }
    }

    /// The code cells that do not parse on their own (IPython syntax): their position among the code
    /// cells, number and the parser's reason.
    pub fn broken_cells(&self) -> Vec<(usize, usize, String)> {
        self.cells
            .iter()
            .enumerate()
            .filter_map(|(position, cell)| {
                let err = crate::source::parse_notebook(&format!("{}\n", cell.text)).err()?;
                Some((position, cell.number, err.0))
            })
            .collect()
    }

    /// The notebook without the code cells at `positions` (among the code cells): they are not read,
    /// and writing leaves them as they are.
    pub fn without(&self, positions: &[usize]) -> Notebook {
        let kept: Vec<(usize, &CodeCell)> =
            self.cells.iter().enumerate().filter(|(position, _)| !positions.contains(position)).collect();
        let mut source = String::new();
        let mut boundaries = vec![TextSize::new(0)];
        for (_, cell) in &kept {
            source.push_str(&cell.text);
            source.push('\n');
            boundaries.push(TextSize::of(source.as_str()));
        }
        let parameter_cells = kept
            .iter()
            .enumerate()
            .filter(|(_, (old, _))| self.parameter_cells.contains(old))
            .map(|(new, _)| new)
            .collect();
        let cells = kept.into_iter().map(|(_, cell)| cell.clone()).collect();
        Notebook { cells, source, boundaries, parameter_cells }
    }

    /// The 1-based cell numbers, in order.
    pub fn cell_numbers(&self) -> impl Iterator<Item = usize> + '_ {
        self.cells.iter().map(|cell| cell.number)
    }
}

/// Turns ruff's error into a sentence that names the cause.
fn describe(err: &ruff_notebook::NotebookError) -> String {
    use ruff_notebook::NotebookError as E;
    match err {
        E::Io(err) => format!("cannot read: {err}"),
        E::Json(err) | E::InvalidJson(err) => format!("not valid JSON ({err})"),
        E::InvalidSchema(err) => format!("not a valid notebook: {err}"),
        E::InvalidFormat(version) => format!("nbformat {version} is not supported (only nbformat 4)"),
    }
}

/// The JSON of a cell's new `source`, in the style of the value at `span` of `json`.
fn render_source(json: &str, span: Range<usize>, code: &str, ascii: bool) -> Result<String, NotebookError> {
    let raw = &json[span.clone()];
    if raw.starts_with('"') {
        return Ok(quote(code, ascii));
    }
    let elements: Vec<&RawValue> =
        serde_json::from_str(raw).map_err(|err| NotebookError(format!("a cell's source is not a list ({err})")))?;
    let at = |value: &RawValue| value.get().as_ptr() as usize - raw.as_ptr() as usize;
    let (open, separator, close) = match elements.as_slice() {
        [] => {
            // `[]`: indent one step more than the line of `"source"`, with the file's indentation step.
            let line_start = json[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = json[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let step = indent_step(json);
            (format!("\n{indent}{step}"), format!(",\n{indent}{step}"), format!("\n{indent}"))
        }
        [only] => {
            let open = raw[1..at(only)].to_string();
            let close = raw[at(only) + only.get().len()..raw.len() - 1].to_string();
            (open.clone(), format!(",{open}"), close)
        }
        [first, second, ..] => {
            let last = elements[elements.len() - 1];
            let open = raw[1..at(first)].to_string();
            let separator = raw[at(first) + first.get().len()..at(second)].to_string();
            let close = raw[at(last) + last.get().len()..raw.len() - 1].to_string();
            (open, separator, close)
        }
    };
    // Lines that did not change keep their own JSON text (escapes included).
    let mut known: Vec<(String, &str)> = Vec::new();
    for element in &elements {
        if let Ok(line) = serde_json::from_str::<String>(element.get()) {
            known.push((line, element.get()));
        }
    }
    let lines: Vec<String> = lines_with_ends(code)
        .into_iter()
        .map(|line| {
            known.iter().find(|(old, _)| old == line).map_or_else(|| quote(line, ascii), |(_, raw)| raw.to_string())
        })
        .collect();
    if lines.is_empty() {
        return Ok("[]".to_string());
    }
    Ok(format!("[{open}{}{close}]", lines.join(&separator)))
}

/// The lines of `text`, each with its line ending: `\n`, `\r\n` or a lone `\r` (universal newlines).
fn lines_with_ends(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\n' => i + 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(&text[start..end]);
        start = end;
        i = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

fn ends_with_newline(text: &str) -> bool {
    text.ends_with(['\n', '\r'])
}

/// The indentation step of a JSON text: the leading whitespace of its second line.
fn indent_step(json: &str) -> String {
    json.lines().nth(1).map(|line| line.chars().take_while(|c| *c == ' ' || *c == '\t').collect()).unwrap_or_default()
}

/// A JSON string; with `ascii`, characters outside ASCII as `\uXXXX` escapes (as Python's `json` writes
/// them by default), so that a file written that way stays that way.
fn quote(text: &str, ascii: bool) -> String {
    let quoted = serde_json::to_string(text).expect("a string serialises");
    if !ascii || quoted.is_ascii() {
        return quoted;
    }
    let mut out = String::with_capacity(quoted.len() + 16);
    for c in quoted.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Shifts cell `boundaries` through edits applied to the text they cut: an edit before a boundary moves
/// it by the length it adds or removes; an insertion exactly at a boundary belongs to the cell that
/// starts there (the last boundary, the end of the text, moves with it). Edits must not cross a boundary.
pub fn shift_boundaries(boundaries: &mut [TextSize], edits: &[(TextSize, TextSize, usize)]) {
    let last = boundaries.len().saturating_sub(1);
    for (i, boundary) in boundaries.iter_mut().enumerate() {
        let original = *boundary;
        let mut delta: i64 = 0;
        for &(start, end, len) in edits {
            let before = end < original || (end == original && (start < end || i == last && i > 0));
            if before {
                delta += len as i64 - i64::from(u32::from(end - start));
            }
        }
        *boundary = TextSize::new((i64::from(u32::from(original)) + delta) as u32);
    }
}

/// Whether an edit from `start` to `end` crosses a cell boundary (replaces text on both sides of it).
pub fn crosses_boundary(boundaries: &[TextSize], start: TextSize, end: TextSize) -> bool {
    boundaries.iter().any(|&b| start < b && b < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "# Title"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "import math\n",
    "x = 1"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": "print(x)"
  }
 ],
 "metadata": {
  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
 },
 "nbformat": 4,
 "nbformat_minor": 2
}
"##;

    #[test]
    fn cells_are_joined_and_located() {
        let nb = Notebook::read(NB).unwrap().unwrap();
        assert_eq!(nb.source, "import math\nx = 1\nprint(x)\n");
        assert_eq!(nb.cell_numbers().collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(nb.cell_starts(), vec![(1, 2), (3, 3)]);
        assert_eq!(lines_with_ends("a\rb\r\nc\nd"), vec!["a\r", "b\r\n", "c\n", "d"]);
        // Nothing changed: the very same bytes.
        assert_eq!(nb.write(NB, &nb.source, &nb.boundaries).unwrap(), NB);
    }

    #[test]
    fn only_changed_sources_are_rewritten_in_their_own_style() {
        let nb = Notebook::read(NB).unwrap().unwrap();
        let new = "import math\nfrom w import f\nx = 1\nprint(x)\n";
        let mut boundaries = nb.boundaries.clone();
        shift_boundaries(&mut boundaries, &[(TextSize::new(12), TextSize::new(12), 16)]);
        let json = nb.write(NB, new, &boundaries).unwrap();
        assert_eq!(json, NB.replace("\"import math\\n\",\n", "\"import math\\n\",\n    \"from w import f\\n\",\n"));
        let cells = nb.changed_cells(new, &boundaries);
        assert_eq!(
            cells,
            vec![(2, "import math\nx = 1".to_string(), "import math\nfrom w import f\nx = 1".to_string())]
        );
    }

    #[test]
    fn insertions_at_a_boundary_go_to_the_next_cell_and_string_sources_stay_strings() {
        let nb = Notebook::read(NB).unwrap().unwrap();
        let mut boundaries = nb.boundaries.clone();
        let at = boundaries[1];
        shift_boundaries(&mut boundaries, &[(at, at, 4)]);
        let new = "import math\nx = 1\ny=1\nprint(x)\n";
        assert_eq!(nb.cells_of(new, &boundaries), vec!["import math\nx = 1", "y=1\nprint(x)"]);
        let json = nb.write(NB, new, &boundaries).unwrap();
        assert!(json.contains(r#""source": "y=1\nprint(x)""#), "{json}");
    }

    #[test]
    fn bad_notebooks_name_their_cause() {
        let err = Notebook::read("{\"cells\": [").unwrap_err();
        assert!(err.0.starts_with("not valid JSON"), "{err}");
        let err =
            Notebook::read("{\"cells\": [], \"metadata\": {}, \"nbformat\": 3, \"nbformat_minor\": 0}").unwrap_err();
        assert!(err.0.contains("nbformat 3"), "{err}");
        let err = Notebook::read("{\"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 0}").unwrap_err();
        assert!(err.0.starts_with("not a valid notebook"), "{err}");
    }

    #[test]
    fn colab_notebooks_without_a_language_are_python() {
        let json = |meta: &str| serde_json::from_str::<serde_json::Value>(meta).unwrap();
        assert!(is_python(&json(r#"{"kernelspec": {"name": "python3", "display_name": "Python 3"}}"#)));
        assert!(is_python(&json("{}")));
        assert!(!is_python(&json(r#"{"kernelspec": {"name": "ir", "language": "R"}}"#)));
        assert!(!is_python(&json(r#"{"language_info": {"name": "julia"}}"#)));
    }

    #[test]
    fn non_ascii_files_written_with_escapes_keep_them() {
        assert_eq!(quote("é\n", true), "\"\\u00e9\\n\"");
        assert_eq!(quote("é", false), "\"é\"");
    }
}
