//! Unified diffs of what `--write` would change.

use similar::TextDiff;

use crate::pipeline::Change;

/// The diff of a change: one unified diff for a Python file; for a notebook, one per changed cell
/// (`--- a/<path>:cell 3`), then the diff of the workers module (from `/dev/null` when it is new).
pub fn of_change(path: &str, change: &Change, cwd: &std::path::Path) -> String {
    if change.cells.is_empty() && change.companion.is_none() {
        return unified(path, &change.before, &change.after);
    }
    let mut out = String::new();
    for (cell, before, after) in &change.cells {
        out.push_str(&unified(&format!("{path}:cell {cell}"), &with_newline(before), &with_newline(after)));
    }
    if let Some(companion) = &change.companion {
        let name = crate::output::patch_path(&companion.path, cwd);
        let name = name.trim_start_matches("./");
        let diff = TextDiff::from_lines(companion.before.as_deref().unwrap_or(""), companion.after.as_str());
        let old = if companion.before.is_some() { format!("a/{name}") } else { "/dev/null".to_string() };
        out.push_str(&diff.unified_diff().context_radius(3).header(&old, &format!("b/{name}")).to_string());
        // similar leaves out the last line ending of a diff against an empty text.
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A cell's code ends without a newline; the diff compares whole lines.
fn with_newline(code: &str) -> String {
    if code.is_empty() || code.ends_with('\n') { code.to_string() } else { format!("{code}\n") }
}

/// A unified diff with `--- a/<path>` / `+++ b/<path>` headers; empty when nothing changed.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let path = path.trim_start_matches("./").trim_start_matches('/');
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
