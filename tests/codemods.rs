//! Snapshot of every fixture's findings and diff, plus the invariants ruff's harness checks: the output
//! parses, a second run changes nothing, no-op fixtures stay byte-identical, every fix has a title.

mod common;

use common::{Fixture, Kind, fixtures};
use pickfix::{Remedy, check_source, diff, fix_source, locate, source};

fn render(fixture: &Fixture, text: &str) -> String {
    let settings = fixture.settings();
    let fixed = fix_source(text, &settings).unwrap_or_else(|err| panic!("{}: {err}", fixture.path.display()));
    let mut out = String::new();
    for at in locate(text, &fixed.initial) {
        let f = at.finding;
        let remedy = match &f.remedy {
            Remedy::Fix { title, fix } => format!("fix ({:?}): {title}", fix.applicability()),
            Remedy::NoFix(why) => format!("no fix: {why}"),
        };
        out.push_str(&format!("{}:{} {} {}\n    {remedy}\n", at.line, at.column, f.rule.code(), f.message));
    }
    if fixed.initial.is_empty() {
        out.push_str("no findings\n");
    }
    out.push_str("---\n");
    let name = format!("{}/{}.py", fixture.codemod, fixture.case);
    let patch = diff::unified(&name, text, &fixed.text);
    if patch.is_empty() {
        out.push_str("no changes\n");
    } else {
        // Show carriage returns, which a snapshot would otherwise hide.
        out.push_str(&patch.replace('\r', "␍"));
    }
    out
}

fn check_invariants(fixture: &Fixture, text: &str) {
    let settings = fixture.settings();
    let name = fixture.path.display();
    let fixed = fix_source(text, &settings).unwrap();
    // The output parses (fix_source re-parses too; this checks the public contract).
    source::parse(&fixed.text).unwrap_or_else(|err| panic!("{name}: fixed output does not parse: {err}"));
    // A second run changes nothing and finds nothing fixable.
    let again = fix_source(&fixed.text, &settings).unwrap();
    assert_eq!(again.applied, 0, "{name}: a second run applied fixes");
    assert_eq!(again.text, fixed.text, "{name}: a second run changed the text");
    let remaining = check_source(&fixed.text, &settings).unwrap();
    assert!(remaining.iter().all(|f| f.fix().is_none()), "{name}: fixable findings left after fixing");
    for finding in &fixed.initial {
        if let Remedy::Fix { title, .. } = &finding.remedy {
            assert!(!title.trim().is_empty(), "{name}: a fix without a title");
        }
    }
    match fixture.kind {
        Kind::Noop => {
            assert!(fixed.initial.is_empty(), "{name}: a no-op fixture has findings: {:?}", fixed.initial);
            assert_eq!(fixed.text, text, "{name}: a no-op fixture changed");
        }
        Kind::NoFix => {
            assert!(!fixed.initial.is_empty(), "{name}: no finding");
            assert!(fixed.initial.iter().all(|f| f.fix().is_none()), "{name}: a no-fix fixture has a fix");
            assert_eq!(fixed.text, text, "{name}: a no-fix fixture changed");
        }
        Kind::Rewrite => {
            assert!(fixed.applied > 0, "{name}: nothing was fixed");
            assert_ne!(fixed.text, text, "{name}: the rewrite fixture did not change");
        }
    }
}

#[test]
fn fixtures_snapshots_and_invariants() {
    insta::glob!("../codemods", "*/*.py", |path| {
        let fixture = Fixture::from_path(path);
        let bytes = std::fs::read(path).unwrap();
        let decoded = source::decode(&bytes).unwrap();
        check_invariants(&fixture, &decoded.text);
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            snapshot_suffix => "",
        }, {
            insta::assert_snapshot!(format!("{}__{}", fixture.codemod, fixture.case), render(&fixture, &decoded.text));
        });
    });
}

#[test]
fn as_many_noop_fixtures_as_rewrites() {
    let mut all = fixtures();
    all.extend(common::notebook_fixtures());
    for codemod in all.iter().map(|f| f.codemod.clone()).collect::<std::collections::BTreeSet<_>>() {
        let count = |kind| all.iter().filter(|f| f.codemod == codemod && f.kind == kind).count();
        let (rewrites, noops, nofix) = (count(Kind::Rewrite), count(Kind::Noop), count(Kind::NoFix));
        // A codemod that only reports (no fix at all) is measured by its findings.
        let positives = if rewrites > 0 { rewrites } else { nofix };
        assert!(positives > 0, "{codemod}: no fixture that it fixes or reports");
        assert!(noops >= positives, "{codemod}: {noops} no-op fixtures for {positives} positive ones");
    }
}

#[test]
fn every_fixture_says_what_it_checks_on_line_one() {
    for fixture in fixtures() {
        let text = std::fs::read_to_string(&fixture.path).unwrap();
        let first = text.lines().find(|l| !l.starts_with("#!") && !l.contains("coding")).unwrap_or("");
        assert!(first.starts_with("# "), "{}: line 1 must be a comment saying what it checks", fixture.path.display());
    }
}

#[test]
fn examples_are_fixed_by_all_codemods_together_and_settle() {
    for example in common::examples() {
        let text = std::fs::read_to_string(&example.path).unwrap();
        check_invariants(&example, &text);
    }
}

#[test]
fn the_prefilter_changes_no_finding_of_any_fixture_or_example() {
    for fixture in fixtures().into_iter().chain(common::examples()) {
        let bytes = std::fs::read(&fixture.path).unwrap();
        let text = source::decode(&bytes).unwrap().text;
        let findings = |prefilter: bool| {
            let settings = pickfix::Settings { prefilter, ..fixture.settings() };
            if !settings.may_contain_finding(&bytes) {
                return Vec::new();
            }
            let found = check_source(&text, &settings).unwrap();
            found.iter().map(|f| (f.rule, f.range, f.message.clone())).collect::<Vec<_>>()
        };
        assert_eq!(findings(true), findings(false), "{}", fixture.path.display());
    }
}

#[test]
fn every_fixture_is_fixed_the_same_with_crlf_line_endings() {
    // A CRLF file is the same program: the same findings, and the fix of the LF text with CRLF line
    // endings. Walking back over lines is where `\r\n` is easily taken for two line breaks.
    for fixture in fixtures().into_iter().chain(common::examples()) {
        let text = source::decode(&std::fs::read(&fixture.path).unwrap()).unwrap().text;
        if text.contains('\r') {
            continue;
        }
        let crlf = text.replace('\n', "\r\n");
        let settings = fixture.settings();
        let name = fixture.path.display();
        let lf_fixed = fix_source(&text, &settings).unwrap_or_else(|err| panic!("{name}: {err}"));
        let crlf_fixed = fix_source(&crlf, &settings).unwrap_or_else(|err| panic!("{name} with CRLF: {err}"));
        assert_eq!(crlf_fixed.initial.len(), lf_fixed.initial.len(), "{name}: findings differ with CRLF");
        assert_eq!(crlf_fixed.text, lf_fixed.text.replace('\n', "\r\n"), "{name}: the CRLF fix differs");
    }
}
