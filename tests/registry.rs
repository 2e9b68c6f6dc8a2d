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
    let all = fixtures();
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

/// README.md holds the table the registry makes; on a mismatch the message shows the table to paste.
#[test]
fn readme_rule_table_is_the_registry() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table = pickfix::codemods::readme_table();
    assert!(readme.contains(&table), "README.md's rule table differs from the registry; it must read:\n\n{table}");
}
