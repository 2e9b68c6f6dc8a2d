//! Configuration files and how they combine with the command line, the way ruff does it.
//!
//! Settings come from `[tool.pickfix]` in a `pyproject.toml`, or from the top-level keys of a
//! `.pickfix.toml` or `pickfix.toml`. Each file uses the closest one found from its folder upward (in one
//! folder `.pickfix.toml` comes first, then `pickfix.toml`, then `pyproject.toml`; a `pyproject.toml`
//! without `[tool.pickfix]` is skipped). Settings are not merged between files: the closest one wins,
//! and the command line's flags win over it. `--config PATH` uses one file for everything;
//! `--isolated` uses none.
//!
//! Patterns (`exclude`, `extend-exclude`, `per-file-ignores`) are anchored at the project root, the
//! folder of the file that defines them (the working directory for flags): `tests/*` and `src/pkg/m.py`
//! name paths under the root, `./build` only the root's `build`; a pattern without a `/` (`build`,
//! `*_pb2.py`) matches a file or folder of that name at any depth.

use rustc_hash::FxHashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use clap::ValueEnum;
use globset::{Glob, GlobSet, GlobSetBuilder};
use ruff_diagnostics::Applicability;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::{Rule, Settings, Swap};

/// The keys a configuration may hold.
pub const KEYS: &[&str] =
    &["select", "extend-select", "ignore", "exclude", "extend-exclude", "per-file-ignores", "unsafe-fixes", "swap"];

/// The names of configuration files, in the order they are looked for in one folder.
pub const FILE_NAMES: &[&str] = &[".pickfix.toml", "pickfix.toml", "pyproject.toml"];

/// Skipped unless a configuration's `exclude` replaces them: ruff's default `exclude` (which no longer
/// lists `build`), plus `__pycache__`. Each matches a folder of that name at any depth.
pub const DEFAULT_EXCLUDE: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// What one configuration file says; a key it does not set is `None` (or empty).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    /// Glob → rule selectors, in the file's order.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    pub unsafe_fixes: Option<bool>,
    pub swap: Option<Swap>,
}

/// A configuration file that applies: its path and what it says.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// Absolute.
    pub path: PathBuf,
    pub options: Options,
}

impl ConfigFile {
    /// The project root: the folder of the file.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }
}

/// The configuration file in `dir` (absolute), if there is one that configures pickfix.
pub fn find_in(dir: &Path) -> Result<Option<ConfigFile>, String> {
    for name in FILE_NAMES {
        let path = dir.join(name);
        if path.is_file()
            && let Some(config) = load(&path)?
        {
            return Ok(Some(config));
        }
    }
    Ok(None)
}

/// Reads the configuration file at `path` (absolute). `None`: a `pyproject.toml` without
/// `[tool.pickfix]`.
pub fn load(path: &Path) -> Result<Option<ConfigFile>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("{}: cannot read: {}", display(path), crate::files::describe_io(&err)))?;
    let options = parse(path, &text)?;
    Ok(options.map(|options| ConfigFile { path: path.to_path_buf(), options }))
}

/// Parses a configuration file's text; `path` names it in errors and tells a `pyproject.toml` (whose
/// keys are under `[tool.pickfix]`) from the others (top-level keys).
pub fn parse(path: &Path, text: &str) -> Result<Option<Options>, String> {
    let here = |span: std::ops::Range<usize>, message: String| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
        format!("{}:{line}:{column}: {message}", display(path))
    };
    let document = DeTable::parse(text).map_err(|err| {
        let message = format!("invalid TOML: {}", err.message().trim_end());
        here(err.span().unwrap_or(0..0), message)
    })?;
    let pyproject = path.file_name().is_some_and(|name| name == "pyproject.toml");
    let (table, prefix) = if pyproject {
        let tool = match lookup(document.get_ref(), "tool").map(|t| t.get_ref()) {
            Some(DeValue::Table(tool)) => tool,
            _ => return Ok(None),
        };
        match lookup(tool, "pickfix") {
            None => return Ok(None),
            Some(value) => match value.get_ref() {
                DeValue::Table(table) => (table, "tool.pickfix."),
                other => {
                    let message = format!("`tool.pickfix` must be a table, not {}", other.type_str());
                    return Err(here(value.span(), message));
                }
            },
        }
    } else {
        (document.get_ref(), "")
    };
    let mut options = Options::default();
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        let full = format!("{prefix}{name}");
        let fail = |span: std::ops::Range<usize>, message: String| Err(here(span, message));
        let strings = |value: &Spanned<DeValue>, what: &str| -> Result<Vec<Spanned<String>>, String> {
            let DeValue::Array(items) = value.get_ref() else {
                return Err(here(
                    value.span(),
                    format!("`{full}` must be an array of {what}, not {}", value.get_ref().type_str()),
                ));
            };
            items
                .iter()
                .map(|item| match item.get_ref() {
                    DeValue::String(s) => Ok(Spanned::new(item.span(), s.to_string())),
                    other => Err(here(
                        item.span(),
                        format!("`{full}` must be an array of {what}, not one holding {}", other.type_str()),
                    )),
                })
                .collect()
        };
        let selectors = |value: &Spanned<DeValue>, full: &str| -> Result<Vec<String>, String> {
            let words = strings(value, "rule selectors (strings)")?;
            for word in &words {
                if Rule::matching(word.get_ref()).is_empty() {
                    return Err(here(
                        word.span(),
                        format!(
                            "`{full}`: unknown rule selector `{}`; allowed values: {}",
                            word.get_ref(),
                            allowed_selectors()
                        ),
                    ));
                }
            }
            Ok(words.into_iter().map(Spanned::into_inner).collect())
        };
        let globs = |value: &Spanned<DeValue>| -> Result<Vec<String>, String> {
            let words = strings(value, "glob patterns (strings)")?;
            for word in &words {
                if let Err(err) = Glob::new(word.get_ref()) {
                    return Err(here(
                        word.span(),
                        format!("`{full}`: invalid glob `{}`: {}", word.get_ref(), err.kind()),
                    ));
                }
            }
            Ok(words.into_iter().map(Spanned::into_inner).collect())
        };
        match name {
            "select" => options.select = Some(selectors(value, &full)?),
            "extend-select" => options.extend_select = selectors(value, &full)?,
            "ignore" => options.ignore = selectors(value, &full)?,
            "exclude" => options.exclude = Some(globs(value)?),
            "extend-exclude" => options.extend_exclude = globs(value)?,
            "per-file-ignores" => {
                let DeValue::Table(entries) = value.get_ref() else {
                    return fail(
                        value.span(),
                        format!(
                            "`{full}` must be a table of glob = [rule selectors], not {}",
                            value.get_ref().type_str()
                        ),
                    );
                };
                for (glob, codes) in entries.iter() {
                    let glob_text = glob.get_ref().to_string();
                    if let Err(err) = Glob::new(&glob_text) {
                        return fail(glob.span(), format!("`{full}`: invalid glob `{glob_text}`: {}", err.kind()));
                    }
                    let codes = selectors(codes, &format!("{full}.\"{glob_text}\""))?;
                    options.per_file_ignores.push((glob_text, codes));
                }
            }
            "unsafe-fixes" => match value.get_ref() {
                DeValue::Boolean(b) => options.unsafe_fixes = Some(*b),
                other => {
                    return fail(
                        value.span(),
                        format!("`{full}` must be a boolean; allowed values: true, false (not {})", describe(other)),
                    );
                }
            },
            "swap" => {
                let word = match value.get_ref() {
                    DeValue::String(s) => Some(s.as_ref()),
                    _ => None,
                };
                match word.and_then(|w| Swap::from_str(w, false).ok()) {
                    Some(swap) => options.swap = Some(swap),
                    None => {
                        return fail(
                            value.span(),
                            format!(
                                "`{full}` = {} is not allowed; allowed values: {}",
                                describe(value.get_ref()),
                                allowed_swaps()
                            ),
                        );
                    }
                }
            }
            _ => {
                let allowed = KEYS.join(", ");
                return fail(key.span(), format!("unknown key `{full}`; allowed keys: {allowed}"));
            }
        }
    }
    Ok(Some(options))
}

fn lookup<'a, 'i>(table: &'a DeTable<'i>, name: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table.iter().find(|(key, _)| key.get_ref().as_ref() == name).map(|(_, value)| value)
}

/// A TOML value as a user would write it, for messages.
fn describe(value: &DeValue) -> String {
    match value {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        other => other.type_str().to_string(),
    }
}

/// What a rule selector may be, for messages.
pub fn allowed_selectors() -> String {
    let (first, last) = (Rule::ALL[0], Rule::ALL[Rule::ALL.len() - 1]);
    format!(
        "a code ({} to {}), a code prefix (PF, PF00), a rule name ({}, ...) or ALL (see `pickfix --list`)",
        first.code(),
        last.code(),
        first.name()
    )
}

/// `"multiprocess", "pathos"`.
fn allowed_swaps() -> String {
    let names: Vec<String> = Swap::value_variants()
        .iter()
        .filter_map(|swap| swap.to_possible_value().map(|value| format!("\"{}\"", value.get_name())))
        .collect();
    names.join(", ")
}

fn swap_name(swap: Swap) -> String {
    swap.to_possible_value().map_or_else(String::new, |value| value.get_name().to_string())
}

/// A path for messages: relative to the working directory when under it.
pub fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically (symlinks are not followed).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Glob patterns anchored at a project root.
#[derive(Debug, Clone)]
pub struct Patterns {
    root: PathBuf,
    /// Patterns without a `/`: matched against a path's last component.
    basename: GlobSet,
    /// Patterns with a `/`: matched against the path relative to the root.
    anchored: GlobSet,
    /// Patterns that start with `/`: matched against the absolute path.
    absolute: GlobSet,
    /// The patterns as written.
    pub written: Vec<String>,
}

impl Patterns {
    /// `what` names the patterns' origin in errors (`--exclude`).
    pub fn new(root: &Path, patterns: &[String], what: &str) -> Result<Patterns, String> {
        let mut sets = [GlobSetBuilder::new(), GlobSetBuilder::new(), GlobSetBuilder::new()];
        for pattern in patterns {
            let glob =
                |text: &str| Glob::new(text).map_err(|err| format!("{what}: invalid glob `{pattern}`: {}", err.kind()));
            if pattern.starts_with('/') {
                sets[2].add(glob(pattern)?);
            } else if let Some(rest) = pattern.strip_prefix("./") {
                sets[1].add(glob(rest.trim_end_matches('/'))?);
            } else if pattern.trim_end_matches('/').contains('/') {
                sets[1].add(glob(pattern.trim_end_matches('/'))?);
            } else {
                sets[0].add(glob(pattern.trim_end_matches('/'))?);
            }
        }
        let [basename, anchored, absolute] = sets.map(|set| set.build().unwrap_or_else(|_| GlobSet::empty()));
        Ok(Patterns { root: root.to_path_buf(), basename, anchored, absolute, written: patterns.to_vec() })
    }

    pub fn empty(root: &Path) -> Patterns {
        Patterns::new(root, &[], "").expect("no patterns, no error")
    }

    /// Whether the absolute path `path` matches.
    pub fn is_match(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|name| self.basename.is_match(name))
            || path.strip_prefix(&self.root).is_ok_and(|rel| self.anchored.is_match(rel))
            || self.absolute.is_match(path)
    }
}

/// What the command line says about settings; these win over configuration files.
#[derive(Debug, Clone)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--exclude`/`--extend-exclude`, anchored at the working directory; added to the files' lists.
    pub exclude: Patterns,
    pub unsafe_fixes: Option<bool>,
    pub swap: Option<Swap>,
    pub prefilter: bool,
}

/// The settings that apply under one project root.
#[derive(Debug)]
pub struct Resolved {
    /// The configuration file they come from; `None`: defaults and flags only.
    pub source: Option<PathBuf>,
    pub root: PathBuf,
    pub rules: Vec<Rule>,
    pub applicability: Applicability,
    pub swap: Option<Swap>,
    pub prefilter: bool,
    /// The file's `exclude`, or the defaults.
    pub exclude: Patterns,
    pub extend_exclude: Patterns,
    pub flag_exclude: Patterns,
    pub per_file_ignores: Vec<(Patterns, Vec<Rule>)>,
}

fn resolve_selectors(words: &[String]) -> Vec<Rule> {
    words.iter().filter(|w| !w.trim().is_empty()).flat_map(|word| Rule::matching(word)).collect()
}

impl Resolved {
    fn new(config: Option<&ConfigFile>, root: &Path, overrides: &Overrides) -> Result<Resolved, String> {
        let options = config.map(|c| c.options.clone()).unwrap_or_default();
        let origin = |key: &str| match config {
            Some(config) => format!("{}: `{key}`", display(&config.path)),
            None => format!("`{key}`"),
        };
        // Layers as in ruff: the file's, then the command line's; a layer's `select` starts afresh
        // (dropping what earlier layers selected or ignored), `extend-select` adds, `ignore` removes.
        let mut rules = Rule::ALL.to_vec();
        let layers = [
            (options.select.as_deref(), options.extend_select.as_slice(), options.ignore.as_slice()),
            (overrides.select.as_deref(), overrides.extend_select.as_slice(), overrides.ignore.as_slice()),
        ];
        for (select, extend, ignore) in layers {
            if let Some(select) = select {
                rules = resolve_selectors(select);
            }
            rules.extend(resolve_selectors(extend));
            let ignored = resolve_selectors(ignore);
            rules.retain(|rule| !ignored.contains(rule));
        }
        rules.sort();
        rules.dedup();
        let defaults: Vec<String> = DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect();
        let exclude = Patterns::new(root, options.exclude.as_ref().unwrap_or(&defaults), &origin("exclude"))?;
        let extend_exclude = Patterns::new(root, &options.extend_exclude, &origin("extend-exclude"))?;
        let mut per_file_ignores = Vec::new();
        for (glob, codes) in &options.per_file_ignores {
            let patterns = Patterns::new(root, std::slice::from_ref(glob), &origin("per-file-ignores"))?;
            per_file_ignores.push((patterns, resolve_selectors(codes)));
        }
        let unsafe_fixes = overrides.unsafe_fixes.or(options.unsafe_fixes).unwrap_or(false);
        Ok(Resolved {
            source: config.map(|c| c.path.clone()),
            root: root.to_path_buf(),
            rules,
            applicability: if unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe },
            swap: overrides.swap.or(options.swap),
            prefilter: overrides.prefilter,
            exclude,
            extend_exclude,
            flag_exclude: overrides.exclude.clone(),
            per_file_ignores,
        })
    }

    /// Whether the absolute path `path` (a file or a folder) is excluded.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(path) || self.extend_exclude.is_match(path) || self.flag_exclude.is_match(path)
    }

    /// The rules `per-file-ignores` turns off for the absolute path `file`.
    pub fn ignored_for(&self, file: &Path) -> Vec<Rule> {
        let mut ignored: Vec<Rule> = self
            .per_file_ignores
            .iter()
            .filter(|(patterns, _)| patterns.is_match(file))
            .flat_map(|(_, rules)| rules.iter().copied())
            .collect();
        ignored.sort();
        ignored.dedup();
        ignored
    }

    /// The settings for the absolute path `file`.
    pub fn settings_for(&self, file: &Path) -> Settings {
        let ignored = self.ignored_for(file);
        Settings {
            rules: self.rules.iter().copied().filter(|rule| !ignored.contains(rule)).collect(),
            applicability: self.applicability,
            prefilter: self.prefilter,
            swap: self.swap,
        }
    }
}

/// Finds the settings of each path: from `--config`, from no file (`--isolated`), or from the closest
/// configuration file, read once per folder. Errors in configuration files are collected: the command
/// line reports them and stops before it processes a file.
#[derive(Debug)]
pub struct Resolver {
    cwd: PathBuf,
    overrides: Overrides,
    /// `--config` or `--isolated`: these settings for every path.
    fixed: Option<Arc<Resolved>>,
    /// No configuration file: defaults and flags, rooted at the working directory.
    default: Arc<Resolved>,
    /// Settings by folder, keyed by the folder's path as bytes (hashing a `Path` walks its components,
    /// which showed in profiles of large trees).
    dirs: RwLock<FxHashMap<std::ffi::OsString, Arc<Resolved>>>,
    errors: Mutex<Vec<String>>,
}

impl Resolver {
    /// `config`: `--config PATH`; `isolated`: `--isolated`.
    pub fn new(cwd: &Path, overrides: Overrides, config: Option<&Path>, isolated: bool) -> Result<Resolver, String> {
        let default = Arc::new(Resolved::new(None, cwd, &overrides)?);
        let fixed = match config {
            Some(path) => {
                let path = absolute(cwd, path);
                if !path.is_file() {
                    return Err(format!("--config {}: no such file", display(&path)));
                }
                let config = load(&path)?.unwrap_or(ConfigFile { path: path.clone(), options: Options::default() });
                let root = config.root().to_path_buf();
                Some(Arc::new(Resolved::new(Some(&config), &root, &overrides)?))
            }
            None if isolated => Some(default.clone()),
            None => None,
        };
        Ok(Resolver {
            cwd: cwd.to_path_buf(),
            overrides,
            fixed,
            default,
            dirs: RwLock::default(),
            errors: Mutex::default(),
        })
    }

    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// `path` (as given, relative to the working directory or absolute) made absolute.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        absolute(&self.cwd, path)
    }

    /// The settings for paths in the absolute folder `dir`.
    pub fn for_dir(&self, dir: &Path) -> Arc<Resolved> {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        if let Some(found) = self.dirs.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(dir.as_os_str()) {
            return found.clone();
        }
        let here = match find_in(dir) {
            Ok(Some(config)) => match Resolved::new(Some(&config), config.root(), &self.overrides) {
                Ok(resolved) => Some(Arc::new(resolved)),
                Err(err) => {
                    self.error(err);
                    None
                }
            },
            Ok(None) => None,
            Err(err) => {
                self.error(err);
                None
            }
        };
        let resolved = here.unwrap_or_else(|| match dir.parent() {
            Some(parent) => self.for_dir(parent),
            None => self.default.clone(),
        });
        self.dirs
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(dir.as_os_str().to_owned(), resolved.clone());
        resolved
    }

    /// The settings for `path` (a file or a folder, as given): those of its folder.
    pub fn for_path(&self, path: &Path) -> Arc<Resolved> {
        let path = self.absolute(path);
        self.for_dir(path.parent().unwrap_or(&path))
    }

    /// Whether `path` (as given) is excluded by the settings of its folder.
    pub fn is_excluded(&self, path: &Path) -> bool {
        let path = self.absolute(path);
        self.for_dir(path.parent().unwrap_or(&path)).is_excluded(&path)
    }

    /// `--force-exclude` for a path named on the command line: whether it, or a folder above it up to
    /// its project root, is excluded.
    pub fn is_excluded_with_parents(&self, path: &Path) -> bool {
        let path = self.absolute(path);
        for ancestor in path.ancestors() {
            let Some(parent) = ancestor.parent() else { break };
            let settings = self.for_dir(parent);
            if settings.is_excluded(ancestor) {
                return true;
            }
            if parent == settings.root || ancestor == settings.root {
                break;
            }
        }
        false
    }

    /// The settings for the file at `path` (as given), `per-file-ignores` applied.
    pub fn settings_for(&self, path: &Path) -> Settings {
        let absolute = self.absolute(path);
        self.for_dir(absolute.parent().unwrap_or(&absolute)).settings_for(&absolute)
    }

    fn error(&self, message: String) {
        self.errors.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(message);
    }

    /// The errors met in configuration files so far, each once.
    pub fn errors(&self) -> Vec<String> {
        let mut errors = self.errors.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        errors.sort();
        errors.dedup();
        errors
    }
}

/// `--show-settings FILE`: the settings that apply to `file` and where they come from.
pub fn show(resolver: &Resolver, file: &Path) -> String {
    let settings = resolver.for_path(file);
    let absolute = resolver.absolute(file);
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let codes = |rules: &[Rule]| {
        let codes: Vec<&str> = rules.iter().map(|r| r.code()).collect();
        format!("[{}]", codes.join(", "))
    };
    let mut out = String::new();
    out.push_str(&format!("file: {}\n", file.display()));
    match &settings.source {
        Some(source) => {
            let table = if source.file_name().is_some_and(|n| n == "pyproject.toml") { " [tool.pickfix]" } else { "" };
            out.push_str(&format!("config file: {}{table}\n", display(source)));
        }
        None if resolver.fixed.is_some() => out.push_str("config file: none (--isolated)\n"),
        None => out.push_str("config file: none (defaults)\n"),
    }
    out.push_str(&format!("project root: {}\n", settings.root.display()));
    let ignored = settings.ignored_for(&absolute);
    let rules: Vec<Rule> = settings.rules.iter().copied().filter(|r| !ignored.contains(r)).collect();
    out.push_str(&format!("rules: {}\n", codes(&rules)));
    out.push_str(&format!("per-file-ignores here: {}\n", codes(&ignored)));
    out.push_str(&format!("unsafe-fixes: {}\n", settings.applicability == Applicability::Unsafe));
    out.push_str(&format!("swap: {}\n", settings.swap.map_or_else(|| "none".to_string(), swap_name)));
    out.push_str(&format!("exclude: {}\n", list(&settings.exclude.written)));
    out.push_str(&format!("extend-exclude: {}\n", list(&settings.extend_exclude.written)));
    out.push_str(&format!("--exclude: {}\n", list(&settings.flag_exclude.written)));
    let per_file: Vec<String> = settings
        .per_file_ignores
        .iter()
        .map(|(patterns, rules)| format!("\"{}\" = {}", patterns.written.join(""), codes(rules)))
        .collect();
    out.push_str(&format!("per-file-ignores: {{{}}}\n", per_file.join(", ")));
    out.push_str(&format!("excluded: {}\n", resolver.is_excluded_with_parents(file)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(name: &str, text: &str) -> Result<Option<Options>, String> {
        parse(Path::new(name), text)
    }

    #[test]
    fn pyproject_without_the_table_is_skipped_and_pickfix_toml_uses_top_level_keys() {
        assert!(options("pyproject.toml", "[tool.ruff]\nselect = [\"E\"]\n").unwrap().is_none());
        assert!(options("pyproject.toml", "[project]\nname = \"x\"\n").unwrap().is_none());
        let o =
            options("pyproject.toml", "[tool.pickfix]\nselect = [\"PF001\"]\nunsafe-fixes = true\n").unwrap().unwrap();
        assert_eq!(o.select, Some(vec!["PF001".to_string()]));
        assert_eq!(o.unsafe_fixes, Some(true));
        let o = options("pickfix.toml", "swap = \"pathos\"\n[per-file-ignores]\n\"tests/*\" = [\"PF004\"]\n")
            .unwrap()
            .unwrap();
        assert_eq!(o.swap, Some(Swap::Pathos));
        assert_eq!(o.per_file_ignores, vec![("tests/*".to_string(), vec!["PF004".to_string()])]);
    }

    #[test]
    fn errors_name_the_file_the_place_the_key_and_the_allowed_values() {
        let err = options("pickfix.toml", "select = [\"PF001\"]\nfoo = 1\n").unwrap_err();
        assert!(err.starts_with("pickfix.toml:2:1: unknown key `foo`; allowed keys: select, "), "{err}");
        let err = options("pyproject.toml", "[tool.pickfix]\nswap = \"dill\"\n").unwrap_err();
        assert_eq!(
            err,
            "pyproject.toml:2:8: `tool.pickfix.swap` = \"dill\" is not allowed; allowed values: \"multiprocess\", \"pathos\""
        );
        let err = options("pickfix.toml", "unsafe-fixes = \"yes\"\n").unwrap_err();
        assert!(err.contains("`unsafe-fixes` must be a boolean; allowed values: true, false"), "{err}");
        let err = options("pickfix.toml", "ignore = [\"PF999\"]\n").unwrap_err();
        assert!(
            err.starts_with("pickfix.toml:1:11: `ignore`: unknown rule selector `PF999`; allowed values:"),
            "{err}"
        );
        let err = options("pickfix.toml", "select = \"PF001\"\n").unwrap_err();
        assert!(err.contains("`select` must be an array of rule selectors (strings), not string"), "{err}");
        let err = options("pickfix.toml", "exclude = [\"a[\"]\n").unwrap_err();
        assert!(err.contains("`exclude`: invalid glob `a[`"), "{err}");
        let err = options("pickfix.toml", "select = [\n").unwrap_err();
        assert!(err.starts_with("pickfix.toml:"), "{err}");
    }

    #[test]
    fn patterns_are_anchored_at_the_root_and_bare_names_match_at_any_depth() {
        let root = Path::new("/p");
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let p = Patterns::new(root, &words(&["tests/*", "build", "./dist", "src/pkg/m.py"]), "x").unwrap();
        assert!(p.is_match(Path::new("/p/tests/a.py")));
        assert!(p.is_match(Path::new("/p/tests/sub/a.py")));
        assert!(!p.is_match(Path::new("/p/src/tests/a.py")));
        assert!(p.is_match(Path::new("/p/src/pkg/build")));
        assert!(p.is_match(Path::new("/p/dist")));
        assert!(!p.is_match(Path::new("/p/src/dist")));
        assert!(p.is_match(Path::new("/p/src/pkg/m.py")));
        assert!(!p.is_match(Path::new("/q/tests/a.py")));
    }

    #[test]
    fn absolute_resolves_dots_lexically() {
        assert_eq!(absolute(Path::new("/a/b"), Path::new("./c/../d.py")), PathBuf::from("/a/b/d.py"));
        assert_eq!(absolute(Path::new("/a/b"), Path::new("/x/./y")), PathBuf::from("/x/y"));
    }
}
