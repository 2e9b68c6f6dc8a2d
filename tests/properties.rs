//! Property tests over generated and mutated inputs: fixtures truncated, spliced, with bytes flipped,
//! deeply nested, with huge lines or mixed indentation. Whatever the input: no panic, and when pickfix
//! produces output, it parses, a second run changes nothing, and input without findings is unchanged.
//! Notebooks too, through the binary: a mutated code cell never makes pickfix fail inside, and what it
//! writes is JSON that a second run leaves alone.

mod common;

use pickfix::{Settings, Swap, fix_source, source};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use ruff_diagnostics::Applicability;

fn corpus() -> Vec<String> {
    common::fixtures().iter().map(|f| String::from_utf8_lossy(&std::fs::read(&f.path).unwrap()).into_owned()).collect()
}

/// The nearest char boundary at or below `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Splice(usize, usize, usize),
    Flip(Vec<(usize, char)>),
    Nest(usize, usize),
    HugeLine(usize),
    MixIndent(usize),
    /// CRLF line endings from `at` on: a file with both kinds.
    Crlf(usize),
}

fn mutation(len: usize) -> impl Strategy<Value = Mutation> {
    let pieces = prop::sample::select(vec![
        '(', ')', '[', ':', '\n', '\r', '\t', ' ', '"', '\'', '#', '\\', ',', '=', 'λ', '\0',
    ]);
    prop_oneof![
        (0..len).prop_map(Mutation::Truncate),
        (0..len, 0..len, 0..len).prop_map(|(a, b, c)| Mutation::Splice(a, b, c)),
        prop::collection::vec((0..len, pieces), 1..6).prop_map(Mutation::Flip),
        (0..len, 1usize..3000).prop_map(|(at, depth)| Mutation::Nest(at, depth)),
        (1usize..200_000).prop_map(Mutation::HugeLine),
        (0..len).prop_map(Mutation::MixIndent),
        (0..len).prop_map(Mutation::Crlf),
    ]
}

fn apply(texts: &[String], index: usize, m: &Mutation) -> String {
    let text = &texts[index % texts.len()];
    match m {
        Mutation::Truncate(at) => text[..floor(text, *at)].to_string(),
        Mutation::Splice(a, b, c) => {
            let other = &texts[(index + 1 + *c) % texts.len()];
            format!("{}{}", &text[..floor(text, *a)], &other[floor(other, *b)..])
        }
        Mutation::Flip(flips) => {
            let mut chars: Vec<char> = text.chars().collect();
            for (at, c) in flips {
                if !chars.is_empty() {
                    let i = *at % chars.len();
                    chars[i] = *c;
                }
            }
            chars.into_iter().collect()
        }
        Mutation::Nest(at, depth) => {
            let at = floor(text, *at);
            format!("{}{}lambda: 1{}{}", &text[..at], "(".repeat(*depth), ")".repeat(*depth), &text[at..])
        }
        Mutation::HugeLine(len) => format!("{text}\nx = '{}'\n", "m".repeat(*len)),
        Mutation::MixIndent(at) => {
            let at = floor(text, *at);
            format!("{}{}", &text[..at], text[at..].replacen("    ", "\t", 3))
        }
        Mutation::Crlf(at) => {
            let at = floor(text, *at);
            format!("{}{}", &text[..at], text[at..].replace('\n', "\r\n"))
        }
    }
}

/// The invariants, without and with each `--swap`.
fn check(text: &str) -> Result<(), TestCaseError> {
    for swap in [None, Some(Swap::Multiprocess), Some(Swap::Pathos)] {
        check_with(text, &Settings { applicability: Applicability::Unsafe, swap, ..Settings::default() })?;
    }
    Ok(())
}

fn check_with(text: &str, settings: &Settings) -> Result<(), TestCaseError> {
    let fixed = match fix_source(text, settings) {
        Ok(fixed) => fixed,
        // A file that does not parse is reported and left as it was.
        Err(_) if source::parse(text).is_err() => return Ok(()),
        Err(err) => return Err(TestCaseError::fail(format!("{err} on input that parses:\n{text}"))),
    };
    prop_assert!(source::parse(&fixed.text).is_ok(), "the output does not parse:\n{}", fixed.text);
    if fixed.initial.is_empty() {
        prop_assert_eq!(&fixed.text, text);
    }
    let again = fix_source(&fixed.text, settings).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(again.applied, 0, "a second run applied fixes");
    prop_assert_eq!(&again.text, &fixed.text);
    Ok(())
}

#[test]
fn mutated_inputs_never_break_the_invariants() {
    // Deep nesting recurses deeply: run where the CLI's workers run, on a large stack.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let texts = corpus();
            let max = texts.iter().map(String::len).max().unwrap();
            // The suite runs 2,000 cases from a fixed seed, so that a run is reproducible and a red CI
            // names a bug of the change, not of the dice. A search for new bugs runs more cases from a
            // random seed: PICKFIX_PROPTEST_CASES=300000 (PICKFIX_PROPTEST_SEED picks one seed).
            let var = |name| std::env::var(name).ok().and_then(|n| n.parse::<u64>().ok());
            let cases = var("PICKFIX_PROPTEST_CASES");
            let rng_seed = match (var("PICKFIX_PROPTEST_SEED"), cases) {
                (Some(seed), _) => RngSeed::Fixed(seed),
                (None, Some(_)) => RngSeed::Random,
                (None, None) => RngSeed::Fixed(2026),
            };
            let cases = cases.map_or(2000, |n| n as u32);
            let config = Config { cases, rng_seed, failure_persistence: None, ..Config::default() };
            let mut runner = TestRunner::new(config);
            runner.run(&(0..texts.len(), mutation(max)), |(index, m)| check(&apply(&texts, index, &m))).unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn ten_thousand_nested_parentheses_are_handled() {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let text = format!("import multiprocessing\nx = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000));
            check(&text).unwrap();
            let lists = format!("import multiprocessing\nx = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
            check(&lists).unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
}

/// The code cells' sources of a notebook, each joined into one string.
fn code_cells(notebook: &serde_json::Value) -> Vec<String> {
    let cells = notebook["cells"].as_array().into_iter().flatten();
    cells
        .filter(|cell| cell["cell_type"] == "code")
        .map(|cell| match &cell["source"] {
            serde_json::Value::Array(lines) => lines.iter().filter_map(|l| l.as_str()).collect(),
            other => other.as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// Notebooks through the binary: one code cell of a fixture notebook mutated as above. Whatever the
/// cell holds, pickfix never fails inside (no internal error, no crash), a notebook it wrote is valid JSON
/// that a second `--write` leaves as it is, and so is the workers module.
#[test]
fn mutated_notebooks_never_break_the_invariants() {
    let notebooks: Vec<(String, serde_json::Value)> = common::notebook_fixtures()
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f.path).unwrap();
            (f.case.clone(), serde_json::from_str(&text).unwrap())
        })
        .collect();
    let all_cells: Vec<String> = notebooks.iter().flat_map(|(_, nb)| code_cells(nb)).collect();
    let max = all_cells.iter().map(String::len).max().unwrap();
    let cases = std::env::var("PICKFIX_PROPTEST_CASES").ok().and_then(|n| n.parse::<u32>().ok());
    let rng_seed = if cases.is_some() { RngSeed::Random } else { RngSeed::Fixed(2026) };
    let config =
        Config { cases: cases.map_or(60, |n| n / 100 + 1), rng_seed, failure_persistence: None, ..Config::default() };
    let strategy = (0..notebooks.len(), 0usize..8, mutation(max));
    TestRunner::new(config)
        .run(&strategy, |(which, cell, m)| {
            let (name, notebook) = &notebooks[which];
            let mut notebook = notebook.clone();
            let code: Vec<usize> = notebook["cells"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .filter(|(_, c)| c["cell_type"] == "code")
                .map(|(i, _)| i)
                .collect();
            let at = code[cell % code.len()];
            let mut texts = vec![code_cells(&notebook)[cell % code.len()].clone()];
            texts.extend(all_cells.iter().cloned());
            let mutated = apply(&texts, 0, &m);
            notebook["cells"][at]["source"] = serde_json::Value::String(mutated);
            let json = serde_json::to_string_pretty(&notebook).unwrap();
            let file = format!("{name}.ipynb");
            let dir = common::tree(&[(file.as_str(), json.as_bytes())]);
            let first = common::pickfix(dir.path(), &["--write", "--unsafe-fixes", &file]);
            let failed_inside =
                |out: &common::Out| out.stderr.contains("internal error") || out.stderr.contains("panicked");
            prop_assert!(
                !failed_inside(&first),
                "{}\non cell {at}:\n{}",
                first.stderr,
                notebook["cells"][at]["source"]
            );
            let snapshot = |dir: &std::path::Path| {
                let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
                    .collect();
                files.sort();
                files
            };
            let written = snapshot(dir.path());
            let text = std::fs::read_to_string(dir.path().join(&file)).unwrap();
            prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "not JSON after --write:\n{text}");
            let second = common::pickfix(dir.path(), &["--write", "--unsafe-fixes", &file]);
            prop_assert!(!failed_inside(&second), "second run: {}", second.stderr);
            prop_assert!(snapshot(dir.path()) == written, "a second --write changed files:\n{}", second.stdout);
            Ok(())
        })
        .unwrap();
}
