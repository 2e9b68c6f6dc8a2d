//! File discovery: explicit files are taken (unless `--force-exclude` excludes them); folders are walked
//! with `ignore` (honouring `.gitignore`, skipping hidden folders, virtualenvs and what the settings of
//! each folder exclude: see [`crate::config`]), in sorted order.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;

use crate::config::Resolver;

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The Python files to process, sorted.
    pub files: Vec<PathBuf>,
    /// Paths that could not be used, with the reason: each makes the run exit with status 2.
    pub errors: Vec<(PathBuf, String)>,
    /// Paths left out on purpose, with the reason (not errors).
    pub skipped: Vec<(PathBuf, String)>,
}

/// The Python files under `paths`. With `force_exclude`, a path named in `paths` that the settings
/// exclude (itself or a folder above it, up to its project root) is left out too.
pub fn discover(paths: &[PathBuf], resolver: &Arc<Resolver>, force_exclude: bool) -> Discovery {
    let mut found = Discovery::default();
    for root in paths {
        if force_exclude && resolver.is_excluded_with_parents(root) {
            continue;
        }
        match std::fs::metadata(root) {
            Err(err) => found.errors.push((root.clone(), describe_io(&err))),
            Ok(meta) if meta.is_file() => found.files.push(root.clone()),
            Ok(meta) if meta.is_dir() => walk(root, resolver, &mut found),
            Ok(_) => found.errors.push((root.clone(), "not a file or a folder".to_string())),
        }
    }
    found.files.sort();
    found.files.dedup();
    found.errors.sort();
    found.skipped.sort();
    found
}

fn walk(root: &Path, resolver: &Arc<Resolver>, found: &mut Discovery) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let resolver = resolver.clone();
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
            // Files that are not Python are dropped when visited: no need to resolve their settings.
            if !is_dir && !is_source(entry.path()) {
                return true;
            }
            if is_dir && entry.path().join("pyvenv.cfg").exists() {
                return false;
            }
            !resolver.is_excluded(entry.path())
        })
        .threads(std::thread::available_parallelism().map_or(2, |n| n.get()).min(8))
        .build_parallel();
    // Walk on every core; each thread collects its part, merged (and sorted by `discover`) at the end.
    let parts: std::sync::Mutex<Vec<Discovery>> = std::sync::Mutex::default();
    walker.run(|| {
        let canonical_root = &canonical_root;
        let parts = &parts;
        let mut mine = Collector { part: Discovery::default(), parts };
        Box::new(move |entry| {
            mine.visit(root, canonical_root, entry);
            ignore::WalkState::Continue
        })
    });
    for part in parts.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        found.files.extend(part.files);
        found.errors.extend(part.errors);
        found.skipped.extend(part.skipped);
    }
}

/// One walking thread's findings; handed over when the thread is done with it.
struct Collector<'p> {
    part: Discovery,
    parts: &'p std::sync::Mutex<Vec<Discovery>>,
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let part = std::mem::take(&mut self.part);
        self.parts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(part);
    }
}

impl Collector<'_> {
    fn visit(&mut self, root: &Path, canonical_root: &Path, entry: Result<ignore::DirEntry, ignore::Error>) {
        let found = &mut self.part;
        match entry {
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                found.errors.push((path, err.to_string()));
            }
            Ok(entry) => {
                let path = entry.path();
                if !is_source(path) {
                    return;
                }
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    found.files.push(path.to_path_buf());
                } else if entry.path_is_symlink() {
                    // A symlink is taken when it points at a file inside the tree; links to folders are
                    // not followed, and writing through a link must not change a file outside the tree.
                    match std::fs::canonicalize(path) {
                        Err(err) => {
                            found.errors.push((path.to_path_buf(), format!("broken symlink: {}", describe_io(&err))))
                        }
                        Ok(target) if !target.starts_with(canonical_root) => found
                            .skipped
                            .push((path.to_path_buf(), format!("symlink to {} outside the tree", target.display()))),
                        Ok(target) if target.is_file() => found.files.push(path.to_path_buf()),
                        Ok(_) => {}
                    }
                }
            }
        }
    }
}

/// A Python file or a Jupyter notebook.
pub fn is_source(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "py" || ext == "ipynb")
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
        _ if err.raw_os_error() == Some(40) => "too many levels of symbolic links (a symlink loop)".to_string(),
        _ => err.to_string(),
    }
}
