//! File discovery: explicit files are always taken; folders are walked with `ignore` (honouring
//! `.gitignore`, skipping hidden folders, virtualenvs, caches and build output), in sorted order.

use std::path::{Path, PathBuf};

use globset::GlobSet;
use ignore::WalkBuilder;

/// Folders never walked into (ruff's defaults, plus `__pycache__`).
const SKIPPED_DIRS: &[&str] =
    &["__pycache__", "__pypackages__", "_build", "build", "buck-out", "dist", "node_modules", "site-packages", "venv"];

/// The Python files to process, sorted, and the paths that could not be used, with the reason.
pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Err(err) => errors.push((root.clone(), describe_io(&err))),
            Ok(meta) if meta.is_file() => found.push(root.clone()),
            Ok(meta) if meta.is_dir() => walk(root, exclude, &mut found, &mut errors),
            Ok(_) => errors.push((root.clone(), "not a file or a folder".to_string())),
        }
    }
    found.sort();
    found.dedup();
    errors.sort();
    (found, errors)
}

fn walk(root: &Path, exclude: &GlobSet, found: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let exclude_dirs = exclude.clone();
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir {
                let name = entry.file_name().to_string_lossy();
                if SKIPPED_DIRS.contains(&name.as_ref()) || entry.path().join("pyvenv.cfg").exists() {
                    return false;
                }
            }
            !is_excluded(&exclude_dirs, entry.path())
        })
        .build();
    for entry in walker {
        match entry {
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                errors.push((path, err.to_string()));
            }
            Ok(entry) => {
                let path = entry.path();
                let is_py = path.extension().is_some_and(|ext| ext == "py");
                // A symlink is taken when it points at a file; links to folders are not followed.
                let is_file = entry.file_type().is_some_and(|t| t.is_file())
                    || entry.path_is_symlink() && std::fs::metadata(path).is_ok_and(|m| m.is_file());
                if is_py && is_file {
                    found.push(path.to_path_buf());
                }
            }
        }
    }
}

fn is_excluded(exclude: &GlobSet, path: &Path) -> bool {
    !exclude.is_empty()
        && (exclude.is_match(path) || path.file_name().is_some_and(|name| exclude.is_match(Path::new(name))))
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// An I/O error as a short reason.
pub fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}
