//! Output formats: how findings are printed (`--output-format`), the rules' docs (`pickfix rule`), and
//! the paths a patch names. The pipeline returns data; these functions turn it into text, never print.

mod github;
mod json;
mod sarif;
mod text;

use std::path::{Component, Path, PathBuf};

use ruff_diagnostics::Applicability;
use ruff_source_file::LineIndex;
use ruff_text_size::TextSize;

use crate::codemods::Rule;
use crate::pipeline::{Diagnostic, Position};

pub use github::github;
pub use json::{JsonFinding, json_finding, statistics_json};
pub use sarif::{sarif, sarif_result};
pub use text::{Styles, concise, full};

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// `path:line:col: CODE message`, the source with the finding underlined, and the fix (default).
    #[default]
    Full,
    /// One line a finding: `path:line:col: CODE [*] message; fix: title`.
    Concise,
    /// A JSON array of findings.
    Json,
    /// One JSON object a line.
    JsonLines,
    /// GitHub Actions workflow commands (`::error ...`): annotations on a pull request.
    Github,
    /// SARIF 2.1.0, for code scanning tools.
    Sarif,
}

impl OutputFormat {
    /// Formats read by programs: nothing but the findings goes to their stream (no summary, no colour).
    pub fn is_machine(self) -> bool {
        !matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

/// One finding with what printing it needs: the file's name as shown and the text the finding's
/// positions (and its fix's edits) refer to.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub index: &'a LineIndex,
    pub diagnostic: &'a Diagnostic,
    /// In a notebook: each code cell's first line in `source` and its number (see
    /// [`crate::pipeline::FileReport::cell_starts`]); empty for a Python file.
    pub cells: &'a [(usize, usize)],
}

impl Item<'_> {
    /// A position in the source (1-based line and column, columns in characters).
    pub fn position(&self, offset: TextSize) -> Position {
        let at = self.index.line_column(offset, self.source);
        Position { line: at.line.get(), column: at.column.get() }
    }

    /// A position as users see it: in a notebook, the cell and the line within it; in a Python file,
    /// no cell and the position itself.
    pub fn in_cell(&self, position: Position) -> (Option<usize>, Position) {
        in_cell(self.cells, position)
    }
}

/// A position of a notebook's joined cells (`cells`: each cell's first line and number) as the cell and
/// the line within it; a position of a Python file (no cells) as it is.
pub fn in_cell(cells: &[(usize, usize)], position: Position) -> (Option<usize>, Position) {
    match cells.iter().rev().find(|(first, _)| *first <= position.line) {
        Some(&(first, cell)) => (Some(cell), Position { line: position.line - first + 1, ..position }),
        None => (None, position),
    }
}

/// How a finding's remedy reads under the given fix threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixability {
    /// `--write` applies the fix.
    Applies,
    /// The fix is unsafe: only `--unsafe-fixes` applies it.
    Hidden,
    /// There is no fix.
    None,
}

pub fn fixability(diagnostic: &Diagnostic, threshold: Applicability) -> Fixability {
    match diagnostic.finding.fix() {
        Some(fix) if fix.applies(threshold) => Fixability::Applies,
        Some(_) => Fixability::Hidden,
        None => Fixability::None,
    }
}

// `RULE_DOCS`: each codemod module's `//!` docs, extracted by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// The docs of a rule (its module's `//!` comment), for `pickfix rule`.
pub fn rule_docs(rule: Rule) -> &'static str {
    let module = rule.folder();
    RULE_DOCS.iter().find(|(name, _)| *name == module).map_or("", |(_, docs)| docs)
}

/// What `pickfix rule CODE` prints: a title, the fix safety, then the rule's docs without their own
/// title line.
pub fn rule_page(rule: Rule) -> String {
    let docs = rule_docs(rule);
    let title = format!("`{}` ({})", rule.name(), rule.code());
    let body = docs.strip_prefix(&title).unwrap_or(docs).trim_start_matches('\n');
    format!("# {} ({})\n\nFix: {}.\n\n{}\n", rule.name(), rule.code(), rule.meta().fix, body.trim_end())
}

/// The path a patch names for `path`, so that `git apply` and `patch -p1` work from `cwd`: relative to
/// `cwd` (also for absolute paths and paths through `..`), with `/` separators. A file outside `cwd`
/// keeps `..` components (such a patch applies from a folder above).
pub fn patch_path(path: &Path, cwd: &Path) -> String {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    // Resolve symlinked folders (not the file itself, which the patch names as given).
    let resolved = match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => {
            parent.canonicalize().map(|dir| dir.join(name)).unwrap_or_else(|_| normalise(&absolute))
        }
        _ => normalise(&absolute),
    };
    let base = cwd.canonicalize().unwrap_or_else(|_| normalise(cwd));
    let relative = relative_to(&resolved, &base);
    let words: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    words.join("/")
}

/// `path` with `.` and `..` resolved lexically.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base`, both absolute.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &path[common..] {
        out.push(component);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_paths_are_relative_to_the_working_directory() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path().join("repo");
        std::fs::create_dir_all(cwd.join("pkg")).unwrap();
        assert_eq!(patch_path(Path::new("./pkg/app.py"), &cwd), "pkg/app.py");
        assert_eq!(patch_path(&cwd.join("pkg/app.py"), &cwd), "pkg/app.py");
        assert_eq!(patch_path(Path::new("../repo/pkg/../pkg/app.py"), &cwd), "pkg/app.py");
        assert_eq!(patch_path(Path::new("../other/app.py"), &cwd), "../other/app.py");
    }

    #[test]
    fn every_rule_has_docs() {
        for &rule in Rule::ALL {
            let page = rule_page(rule);
            assert!(page.starts_with(&format!("# {} ({})\n", rule.name(), rule.code())), "{page}");
            assert!(page.contains("## What it does"), "{page}");
        }
    }
}
