//! Output formats and the flags that shape output, end to end: `--output-format` (each format's content
//! parsed or compared whole; SARIF validated against the official 2.1.0 schema), `--color`, the summary's
//! count of hidden unsafe fixes, `--diff` patches applied by `git apply` and `patch -p1`, `--statistics`,
//! `--show-fixes`, `-q`, `--silent`, the exit-status flags, `check`, `--fix` and `pickfix rule`.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{FIXED, LAMBDA, Out, pickfix, pickfix_stdin, tree};
use serde_json::Value;

/// A module (no shebang) whose PF004 fix is unsafe.
const LIBRARY: &str = "import multiprocessing\nwith multiprocessing.Pool(2) as p:\n    p.map(abs, [1])\n";
/// A PF005 finding, which has no fix.
const NOFIX: &str = "import multiprocessing\n\n\ndef work(f):\n    return f.read()\n\n\ndef main():\n    with open(\"x\") as fh, multiprocessing.Pool(2) as pool:\n        pool.apply(work, (fh,))\n";

fn json(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|err| panic!("{err}: {}", out.stdout))
}

#[test]
fn full_is_the_default_and_shows_the_source_the_span_and_the_fix() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    let out = pickfix(dir.path(), &["app.py"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let expected = "\
app.py:6:24: PF001 [*] Lambda passed to `Pool.map` cannot be pickled
  |
4 | def main():
5 |     with multiprocessing.Pool(2) as pool:
6 |         print(pool.map(lambda x: x * 2, [1, 2]))
  |                        ^^^^^^^^^^^^^^^ PF001
  |
  = help: Move the lambda to a module-level function `_main_map_task`

Found 1 problem (1 fixable).
[*] 1 fixable with `pickfix --write`.
";
    assert_eq!(out.stdout, expected);
    assert_eq!(out.stdout, pickfix(dir.path(), &["--output-format", "full", "app.py"]).stdout);
}

#[test]
fn full_says_which_fix_is_unsafe_and_why_there_is_none() {
    let dir = tree(&[("lib.py", LIBRARY.as_bytes()), ("nofix.py", NOFIX.as_bytes())]);
    let out = pickfix(dir.path(), &["lib.py", "nofix.py"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("lib.py:2:6: PF004 Module-level code"), "{}", out.stdout);
    assert!(out.stdout.contains("2 | with multiprocessing.Pool(2) as p:\n  |      ^^^^^^^^^^^^^^^^^^^^^^^ PF004\n"));
    assert!(out.stdout.contains("(unsafe fix: apply it with --unsafe-fixes)"), "{}", out.stdout);
    assert!(out.stdout.contains("   = note: no fix: open it in the worker and pass its path instead\n"));
    // Two-digit line numbers widen the gutter.
    assert!(out.stdout.contains("10 |         pool.apply(work, (fh,))\n   |                           ^^ PF005\n"));
}

#[test]
fn the_summary_counts_unsafe_fixes_and_names_the_flag_that_applies_them() {
    let dir = tree(&[("lib.py", LIBRARY.as_bytes())]);
    let out = pickfix(dir.path(), &["lib.py"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.ends_with(
            "Found 1 problem (0 fixable).\nNo fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
        ),
        "{}",
        out.stdout
    );
    let dir = tree(&[("app.py", LAMBDA.as_bytes()), ("lib.py", LIBRARY.as_bytes())]);
    let out = pickfix(dir.path(), &[]);
    assert!(
        out.stdout.ends_with(
            "[*] 1 fixable with `pickfix --write` (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
        ),
        "{}",
        out.stdout
    );
    let write = pickfix(dir.path(), &["--fix"]);
    assert_eq!(write.code, 1, "{}", write.stderr);
    assert!(
        write.stderr.contains(
            "Fixed 1 problem in 1 file; 1 left (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
        ),
        "{}",
        write.stderr
    );
    let unsafe_fixes = pickfix(dir.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(unsafe_fixes.code, 0, "{}", unsafe_fixes.stderr);
    assert!(
        unsafe_fixes.stderr.contains("Fixed 1 problem in 1 file; 0 left without a fix."),
        "{}",
        unsafe_fixes.stderr
    );
}

#[test]
fn concise_is_one_line_a_finding() {
    let dir = tree(&[("lib.py", LIBRARY.as_bytes()), ("nofix.py", NOFIX.as_bytes())]);
    let out = pickfix(dir.path(), &["--output-format", "concise", "lib.py", "nofix.py"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("lib.py:2:6: PF004 Module-level code starts processes"), "{}", out.stdout);
    assert!(lines[0].ends_with(
        "; unsafe fix with --unsafe-fixes: Move the code that starts processes under `if __name__ == \"__main__\":`"
    ));
    assert_eq!(
        lines[1],
        "nofix.py:10:27: PF005 `fh` passed to `Pool.apply` is an open file, which cannot be pickled; no fix: open it in the worker and pass its path instead"
    );
}

/// Applies JSON edits (rows and columns in characters) to `text`.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |location: &Value| {
        let (row, column) = (location["row"].as_u64().unwrap() as usize, location["column"].as_u64().unwrap() as usize);
        let line_start: usize = text.split_inclusive('\n').take(row - 1).map(str::len).sum();
        line_start + text[line_start..].chars().take(column - 1).map(char::len_utf8).sum::<usize>()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(&e["location"]), offset(&e["end_location"]), e["content"].as_str().unwrap()))
        .collect();
    spans.sort_by_key(|span| std::cmp::Reverse(span.0));
    let mut out = text.to_string();
    for (start, end, content) in spans {
        out.replace_range(start..end, content);
    }
    out
}

#[test]
fn json_lists_each_finding_with_its_fix_edits_or_why_there_is_none() {
    // A non-ASCII character before the lambda: columns count characters, not bytes.
    let lambda = LAMBDA.replace("print(", "print('é', ");
    let dir = tree(&[("app.py", lambda.as_bytes()), ("lib.py", LIBRARY.as_bytes()), ("nofix.py", NOFIX.as_bytes())]);
    let out = pickfix(dir.path(), &["--output-format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let findings = json(&out);
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), 3, "{}", out.stdout);
    let app = &findings[0];
    assert_eq!(app["code"], "PF001");
    assert_eq!(app["name"], "lambda-to-function");
    assert_eq!(app["message"], "Lambda passed to `Pool.map` cannot be pickled");
    assert_eq!(app["filename"], "./app.py");
    assert_eq!(app["location"], serde_json::json!({"row": 6, "column": 29}));
    assert_eq!(app["end_location"], serde_json::json!({"row": 6, "column": 44}));
    assert_eq!(app["fix"]["title"], "Move the lambda to a module-level function `_main_map_task`");
    assert_eq!(app["fix"]["applicability"], "safe");
    assert!(app.get("no_fix_reason").is_none(), "{app}");
    // The edits, applied, give what --write writes.
    let edits = app["fix"]["edits"].as_array().unwrap();
    assert_eq!(apply_edits(&lambda, edits), FIXED.replace("print(", "print('é', "));

    assert_eq!(findings[1]["code"], "PF004");
    assert_eq!(findings[1]["fix"]["applicability"], "unsafe");
    assert_eq!(findings[2]["code"], "PF005");
    assert_eq!(findings[2]["fix"], Value::Null);
    assert_eq!(findings[2]["no_fix_reason"], "open it in the worker and pass its path instead");
    // Nothing but the JSON on stdout; an empty run is an empty array.
    let clean = tree(&[("clean.py", b"x = 1\n")]);
    let empty = pickfix(clean.path(), &["--output-format", "json"]);
    assert_eq!((empty.code, json(&empty)), (0, serde_json::json!([])));
}

#[test]
fn json_lines_has_one_object_a_line_the_same_as_json() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes()), ("nofix.py", NOFIX.as_bytes())]);
    let lines = pickfix(dir.path(), &["--output-format", "json-lines"]);
    let array = json(&pickfix(dir.path(), &["--output-format", "json"]));
    let parsed: Vec<Value> = lines.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(Value::Array(parsed), array);
    assert_eq!(lines.stdout.lines().count(), 2, "{}", lines.stdout);
}

#[test]
fn github_annotates_each_finding() {
    let dir = tree(&[("pkg/app.py", LAMBDA.as_bytes())]);
    let out = pickfix(dir.path(), &["--output-format", "github"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "::error title=pickfix (PF001),file=pkg/app.py,line=6,col=24,endLine=6,endColumn=39::PF001 Lambda passed to \
         `Pool.map` cannot be pickled\n"
    );
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_names_each_rule() {
    let dir = tree(&[("my app.py", LAMBDA.as_bytes()), ("nofix.py", NOFIX.as_bytes())]);
    let out = pickfix(dir.path(), &["--output-format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log = json(&out);
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema = fs::read_to_string(schema_path).unwrap();
    // The official schema's pattern for `run.language` has a stray `]`, which the validator's check of
    // the schema itself rejects as a regex; pickfix writes no `language`, so mending it changes nothing.
    let broken = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(schema.contains(broken));
    let schema: Value = serde_json::from_str(&schema.replace(broken, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#)).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", out.stdout);
    // The validator does reject what is not SARIF.
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]})));
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    assert!(!validator.is_valid(&bad));

    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "pickfix");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), pickfix::Rule::ALL.len());
    for (rule, entry) in pickfix::Rule::ALL.iter().zip(rules) {
        assert_eq!(entry["id"], rule.code());
        assert_eq!(entry["name"], rule.name());
        assert_eq!(entry["shortDescription"]["text"], rule.summary());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "PF001");
    assert_eq!(results[0]["level"], "error");
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "my%20app.py");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 6, "startColumn": 24, "endLine": 6, "endColumn": 39})
    );
    assert_eq!(results[1]["ruleId"], "PF005");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    // Not a terminal here: no colour by default.
    assert!(!pickfix(dir.path(), &[]).stdout.contains('\x1b'));
    assert!(!pickfix(dir.path(), &["--color", "never"]).stdout.contains('\x1b'));
    let always = pickfix(dir.path(), &["--color", "always"]);
    assert!(always.stdout.contains("\x1b["), "{}", always.stdout);
    // Machine formats never get colour.
    let json = pickfix(dir.path(), &["--color", "always", "--output-format", "json"]);
    assert!(!json.stdout.contains('\x1b'));
}

#[test]
fn colour_on_a_terminal_but_not_with_no_color() {
    // `script` gives pickfix a terminal; skip where util-linux's `script` is missing.
    if Command::new("script").arg("--version").stdout(Stdio::null()).status().is_err() {
        eprintln!("skipped: no `script` command");
        return;
    }
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    let run = |no_color: bool| {
        let mut command = Command::new("script");
        command
            .args(["-qec", &format!("{} app.py", env!("CARGO_BIN_EXE_pickfix")), "/dev/null"])
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&command.output().unwrap().stdout).into_owned()
    };
    let coloured = run(false);
    assert!(coloured.contains("\x1b["), "{coloured}");
    let plain = run(true);
    assert!(plain.contains("PF001") && !plain.contains("\x1b["), "{plain}");
}

/// A project folder `proj/` with `pkg/app.py`, beside a folder `other/`.
fn project() -> tempfile::TempDir {
    tree(&[("proj/pkg/app.py", LAMBDA.as_bytes()), ("other/.keep", b"")])
}

fn check_patch_applies(dir: &Path, patch: &str) {
    let run = |program: &str, args: &[&str]| {
        let mut child = Command::new(program)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("{program}: {err}"));
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), patch.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}\n{patch}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run("git", &["apply", "--check", "-"]);
    run("patch", &["-p1", "--dry-run"]);
    run("git", &["apply", "-"]);
}

#[test]
fn diff_prints_only_the_patch_on_stdout_and_it_applies_from_the_working_directory() {
    let dir = project();
    let proj = dir.path().join("proj");
    let absolute = proj.join("pkg/app.py");
    let absolute = absolute.to_str().unwrap();
    for arg in [".", "pkg", "pkg/app.py", absolute, "../proj/pkg/app.py", "../proj/pkg/../pkg"] {
        let out = pickfix(&proj, &["--diff", arg]);
        assert_eq!(out.code, 1, "{arg}: {}", out.stderr);
        assert!(out.stdout.starts_with("--- a/pkg/app.py\n+++ b/pkg/app.py\n@@ "), "{arg}: {}", out.stdout);
        assert!(!out.stdout.contains("PF001") && !out.stdout.contains("Would fix"), "{arg}: {}", out.stdout);
        // Findings left and the summary go to stderr.
        assert!(out.stderr.contains("Would fix 1 problem in 1 file; 0 left without a fix."), "{arg}: {}", out.stderr);
        check_patch_applies(&proj, &out.stdout);
        assert_eq!(fs::read_to_string(absolute).unwrap(), FIXED, "{arg}");
        fs::write(absolute, LAMBDA).unwrap();
    }
    // Findings left without a fix also go to stderr.
    let nofix = tree(&[("nofix.py", NOFIX.as_bytes())]);
    let out = pickfix(nofix.path(), &["--diff"]);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("nofix.py:10:27: PF005"), "{}", out.stderr);
}

#[test]
fn diff_of_standard_input_names_the_stdin_filename_relative_to_the_working_directory() {
    let dir = project();
    let proj = dir.path().join("proj");
    let name = proj.join("pkg/app.py");
    let out =
        pickfix_stdin(&proj, &["--diff", "-", "--stdin-filename", name.to_str().unwrap()], Some(LAMBDA.as_bytes()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with("--- a/pkg/app.py\n+++ b/pkg/app.py\n"), "{}", out.stdout);
    check_patch_applies(&proj, &out.stdout);
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = tree(&[("a.py", LAMBDA.as_bytes()), ("b.py", LAMBDA.as_bytes()), ("lib.py", LIBRARY.as_bytes())]);
    let out = pickfix(dir.path(), &["--statistics"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("2\tPF001\t[*] lambda-to-function\n1\tPF004\t[ ] missing-main-guard\nFound 3 problems"),
        "{}",
        out.stdout
    );
    let json = json(&pickfix(dir.path(), &["--statistics", "--output-format", "json"]));
    assert_eq!(
        json,
        serde_json::json!([
            {"code": "PF001", "name": "lambda-to-function", "count": 2, "fixable": true},
            {"code": "PF004", "name": "missing-main-guard", "count": 1, "fixable": false},
        ])
    );
}

#[test]
fn show_fixes_lists_what_was_fixed_per_file_and_rule() {
    let dir = tree(&[("a.py", LAMBDA.as_bytes()), ("lib.py", LIBRARY.as_bytes())]);
    let out = pickfix(dir.path(), &["--fix", "--unsafe-fixes", "--show-fixes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "Fixed 2 problems:\n- ./a.py:\n    1 × PF001 (lambda-to-function)\n- ./lib.py:\n    1 × PF004 (missing-main-guard)\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn quiet_prints_only_findings_and_silent_nothing() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    let quiet = pickfix(dir.path(), &["-q", "--output-format", "concise"]);
    assert_eq!(quiet.code, 1);
    assert_eq!(quiet.stdout.lines().count(), 1, "{}", quiet.stdout);
    assert!(quiet.stdout.starts_with("./app.py:6:24: PF001"));
    for args in [&["-qq"][..], &["--silent"], &["-s", "--diff"]] {
        let out = pickfix(dir.path(), args);
        assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (1, "", ""), "{args:?}");
    }
    let quiet_write = pickfix(dir.path(), &["-q", "--write"]);
    assert_eq!((quiet_write.code, quiet_write.stdout.as_str(), quiet_write.stderr.as_str()), (0, "", ""));
    assert_eq!(fs::read_to_string(dir.path().join("app.py")).unwrap(), FIXED);
}

#[test]
fn exit_zero_and_exit_non_zero_on_fix() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes()), ("nofix.py", NOFIX.as_bytes())]);
    assert_eq!(pickfix(dir.path(), &["--exit-zero"]).code, 0);
    let broken = tree(&[("broken.py", b"import multiprocessing\ndef f(:\n")]);
    assert_eq!(pickfix(broken.path(), &["--exit-zero"]).code, 2, "errors still exit 2");
    let only_fixable = tree(&[("app.py", LAMBDA.as_bytes())]);
    assert_eq!(pickfix(only_fixable.path(), &["--fix", "--exit-non-zero-on-fix"]).code, 1);
    assert_eq!(pickfix(only_fixable.path(), &["--fix", "--exit-non-zero-on-fix"]).code, 0, "nothing left to fix");
    assert_eq!(pickfix(dir.path(), &["--exit-zero", "--exit-non-zero-on-fix"]).code, 2, "they conflict");
}

#[test]
fn check_and_fix_are_accepted_as_ruff_users_type_them() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    let check = pickfix(dir.path(), &["check", "--output-format", "concise", "."]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.starts_with("./app.py:6:24: PF001"), "{}", check.stdout);
    let fix = pickfix(dir.path(), &["check", "--fix", "."]);
    assert_eq!(fix.code, 0, "{}", fix.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("app.py")).unwrap(), FIXED);
}

#[test]
fn rule_prints_the_docs_of_one_rule_or_all() {
    let out = pickfix(Path::new("."), &["rule", "PF001"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("# lambda-to-function (PF001)\n\nFix: safe.\n\n## What it does\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("## Why is this bad?"), "{}", out.stdout);
    assert_eq!(pickfix(Path::new("."), &["rule", "lambda-to-function"]).stdout, out.stdout);
    let all = pickfix(Path::new("."), &["rule", "--all"]);
    assert_eq!(all.code, 0);
    for rule in pickfix::Rule::ALL {
        assert!(all.stdout.contains(&format!("# {} ({})\n", rule.name(), rule.code())), "{}", rule.code());
    }
    let unknown = pickfix(Path::new("."), &["rule", "PF999"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule `PF999`"), "{}", unknown.stderr);
    assert_eq!(pickfix(Path::new("."), &["rule"]).code, 2, "a rule or --all is needed");
}

#[test]
fn a_syntax_error_on_standard_input_is_placed() {
    let dir = tree(&[]);
    let out = pickfix_stdin(dir.path(), &["-", "--stdin-filename", "app.py"], Some(b"x = 1\ndef f(:\n"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("app.py:2:7: cannot parse: "), "{}", out.stderr);
}
