//! Fits a ruff-formatted codebase: the imports pickfix adds go where isort puts them. The real `ruff`
//! (pinned in `tests/swap-requirements.txt`, in the virtualenv `scripts/swap-venv.sh` makes) checks every
//! rewrite fixture and shipped example with `--select I` before and after `--write --unsafe-fixes`: a
//! fixed file has no import-sorting finding that the original did not have.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Kind, examples, fixtures, root};

/// The `ruff` of the tests' virtualenv, made when missing.
fn ruff() -> PathBuf {
    let out = Command::new("bash")
        .arg(root().join("scripts/swap-venv.sh"))
        .output()
        .expect("cannot run scripts/swap-venv.sh");
    assert!(out.status.success(), "scripts/swap-venv.sh failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let python = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    python.with_file_name("ruff")
}

/// ruff's import-sorting findings in `file`, as `code: message` lines without positions.
fn isort_findings(ruff: &Path, file: &Path) -> Vec<String> {
    let out = Command::new(ruff)
        .args(["check", "--isolated", "--select", "I", "--output-format", "concise", "--no-cache", "--exit-zero"])
        .arg(file)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_once(": ").map(|(_, rest)| rest.to_string()))
        .filter(|rest| rest.starts_with('I'))
        .collect()
}

#[test]
fn added_imports_are_sorted_as_ruff_sorts_them() {
    let ruff = ruff();
    let work = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut problems = Vec::new();
    for fixture in fixtures().into_iter().chain(examples()).filter(|f| f.kind == Kind::Rewrite) {
        let original = std::fs::read(&fixture.path).unwrap();
        let decoded = pickfix::source::decode(&original).unwrap();
        let fixed = pickfix::fix_source(&decoded.text, &fixture.settings()).unwrap();
        if !fixed.text.contains("import") || fixed.text == decoded.text {
            continue;
        }
        let name = format!("{}-{}", fixture.codemod, fixture.path.file_name().unwrap().to_string_lossy());
        let (before, after) = (work.path().join(format!("before-{name}")), work.path().join(format!("after-{name}")));
        std::fs::write(&before, &original).unwrap();
        std::fs::write(&after, pickfix::source::encode(&fixed.text, decoded.encoding, decoded.bom).unwrap()).unwrap();
        let (old, new) = (isort_findings(&ruff, &before), isort_findings(&ruff, &after));
        if new.len() > old.len() {
            let diff = Command::new(&ruff)
                .args(["check", "--isolated", "--select", "I", "--diff"])
                .arg(&after)
                .output()
                .unwrap();
            problems.push(format!("{}: {new:?}\n{}", fixture.path.display(), String::from_utf8_lossy(&diff.stdout)));
        }
        checked += 1;
    }
    println!("checked {checked} rewritten fixtures with {}", ruff.display());
    assert!(checked > 50, "too few rewritten fixtures to mean anything: {checked}");
    assert!(problems.is_empty(), "new import-sorting findings:\n{}", problems.join("\n"));
}
