//! The registry is the one source of truth about rules: `Rule::ALL`, `--list`, the README's table and
//! the fixture folders all follow it.

mod common;

use std::collections::BTreeSet;

use common::{Kind, fixtures, root};
use pickfix::{FixSafety, Rule};

#[test]
fn every_rule_is_in_all_once_with_its_own_code_name_and_selector() {
    let codes: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    let names: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(codes.len(), Rule::ALL.len(), "two rules share a code");
    assert_eq!(names.len(), Rule::ALL.len(), "two rules share a name");
    for (index, rule) in Rule::ALL.iter().enumerate() {
        assert_eq!(rule.code(), format!("PF{:03}", index + 1), "ALL is in code order, without gaps");
        assert_eq!(Rule::matching(rule.code()), [*rule]);
        assert_eq!(Rule::matching(rule.name()), [*rule]);
        assert!(!rule.summary().is_empty() && !rule.meta().description.is_empty(), "{}: no summary", rule.code());
    }
    assert_eq!(Rule::matching("ALL"), Rule::ALL);
}

#[test]
fn every_rule_has_a_fixture_folder_with_the_cases_it_needs() {
    let mut all = fixtures();
    all.extend(common::notebook_fixtures());
    let folders: BTreeSet<String> = all.iter().map(|f| f.codemod.clone()).collect();
    for rule in Rule::ALL {
        let folder = rule.folder();
        assert!(folders.contains(&folder), "{}: no fixture folder codemods/{folder}/", rule.code());
        let count = |kind| all.iter().filter(|f| f.codemod == folder && f.kind == kind).count();
        assert!(count(Kind::Noop) > 0, "{}: no no-op fixture (noop_*.py)", rule.code());
        assert!(count(Kind::NoFix) > 0, "{}: no fixture reported without a fix (nofix_*.py)", rule.code());
        let has_fix = rule.meta().fix != FixSafety::None;
        assert_eq!(count(Kind::Rewrite) > 0, has_fix, "{}: rewrite fixtures exactly when it has a fix", rule.code());
    }
    // Every folder belongs to a rule, or to the swap.
    for folder in folders {
        let known = Rule::ALL.iter().any(|r| r.folder() == folder) || folder.starts_with("swap_");
        assert!(known, "codemods/{folder}/ belongs to no rule");
    }
}

#[test]
fn list_prints_the_registry() {
    let out = common::pickfix(&root(), &["--list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), Rule::ALL.len());
    for (line, rule) in lines.iter().zip(Rule::ALL) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&words[..2], [rule.code(), rule.name()]);
        assert!(line.ends_with(rule.summary()), "{line}");
    }
}

/// README.md holds the table the registry makes. `PICKFIX_UPDATE_README=1` writes it there instead of
/// failing (after adding or changing a rule).
#[test]
fn readme_rule_table_is_the_registry() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let table = pickfix::codemods::readme_table();
    if readme.contains(&table) {
        return;
    }
    let header = table.lines().next().unwrap();
    let start = readme.find(header).expect("README.md has no rule table");
    let length: usize =
        readme[start..].split_inclusive('\n').take_while(|line| line.starts_with('|')).map(str::len).sum();
    let updated = format!("{}{table}{}", &readme[..start], &readme[start + length..]);
    if std::env::var_os("PICKFIX_UPDATE_README").is_some() {
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "README.md's rule table differs from the registry (PICKFIX_UPDATE_README=1 writes it); it must read:\n\n{table}"
    );
}
