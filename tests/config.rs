//! Configuration files, flags over them, exclusion and file-level suppression, end to end with the
//! real binary on temporary trees.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{LAMBDA, Out, pickfix, tree};

/// A module that starts a pool without a `__main__` guard: one PF004 finding, whose fix is unsafe.
const GUARDLESS: &str = "import multiprocessing\nwith multiprocessing.Pool(2) as p:\n    p.map(abs, [1])\n";

/// `(path, code)` of each finding of a `--output-format concise` run, in order.
fn findings(out: &Out) -> Vec<(String, String)> {
    out.stdout
        .lines()
        .filter_map(|line| {
            let (path, rest) = line.split_once(':')?;
            let code = rest.split_whitespace().nth(1)?;
            code.starts_with("PF").then(|| (path.to_string(), code.to_string()))
        })
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["--output-format", "concise"];
    all.extend_from_slice(args);
    let out = pickfix(dir, &all);
    assert!(out.code == 0 || out.code == 1, "exit {}: {}{}", out.code, out.stdout, out.stderr);
    findings(&out)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect()
}

#[test]
fn select_extend_select_and_ignore_from_pyproject() {
    let both = [("a.py", LAMBDA.as_bytes()), ("g.py", GUARDLESS.as_bytes())];
    let with = |config: &str| {
        let mut files = both.to_vec();
        files.push(("pyproject.toml", config.as_bytes()));
        let dir = tree(&files);
        run(dir.path(), &[])
    };
    assert_eq!(with("[project]\nname = \"x\"\n"), pairs(&[("./a.py", "PF001"), ("./g.py", "PF004")]));
    assert_eq!(with("[tool.pickfix]\nselect = [\"PF004\"]\n"), pairs(&[("./g.py", "PF004")]));
    assert_eq!(
        with("[tool.pickfix]\nselect = [\"lambda-to-function\"]\nextend-select = [\"PF004\"]\n"),
        pairs(&[("./a.py", "PF001"), ("./g.py", "PF004")])
    );
    assert_eq!(with("[tool.pickfix]\nignore = [\"PF001\"]\n"), pairs(&[("./g.py", "PF004")]));
}

#[test]
fn exclude_replaces_the_defaults_and_extend_exclude_adds_to_them() {
    let files = |config: &'static str| {
        tree(&[
            ("pickfix.toml", config.as_bytes()),
            ("venv/lib/v.py", LAMBDA.as_bytes()),
            ("gen/g.py", LAMBDA.as_bytes()),
            ("src/s.py", LAMBDA.as_bytes()),
        ])
    };
    let dir = files("exclude = [\"gen\"]\n");
    assert_eq!(run(dir.path(), &[]), pairs(&[("./src/s.py", "PF001"), ("./venv/lib/v.py", "PF001")]));
    let dir = files("extend-exclude = [\"gen\"]\n");
    assert_eq!(run(dir.path(), &[]), pairs(&[("./src/s.py", "PF001")]));
}

#[test]
fn per_file_ignores_match_anchored_globs_and_bare_names() {
    let dir = tree(&[
        ("pyproject.toml", b"[tool.pickfix.per-file-ignores]\n\"tests/*\" = [\"PF001\"]\n\"conftest.py\" = [\"PF\"]\n"),
        ("tests/t.py", LAMBDA.as_bytes()),
        ("tests/deep/conftest.py", LAMBDA.as_bytes()),
        ("src/tests/t.py", LAMBDA.as_bytes()),
        ("src/app.py", LAMBDA.as_bytes()),
    ]);
    assert_eq!(run(dir.path(), &[]), pairs(&[("./src/app.py", "PF001"), ("./src/tests/t.py", "PF001")]));
}

#[test]
fn unsafe_fixes_and_swap_from_a_config_file_and_flags_over_them() {
    let dir = tree(&[("pickfix.toml", b"unsafe-fixes = true\n"), ("g.py", GUARDLESS.as_bytes())]);
    let out = pickfix(dir.path(), &["--no-unsafe-fixes", "--write"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("g.py")).unwrap(), GUARDLESS);
    let out = pickfix(dir.path(), &["--write"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(fs::read_to_string(dir.path().join("g.py")).unwrap().contains("if __name__ == \"__main__\":"));

    let dir = tree(&[("pickfix.toml", b"swap = \"pathos\"\n"), ("a.py", LAMBDA.as_bytes())]);
    let out = pickfix(dir.path(), &["--output-format", "concise"]);
    assert!(out.stdout.contains("unsafe fix with --unsafe-fixes: Swap `multiprocessing.Pool`"), "{}", out.stdout);
    assert!(out.stderr.contains("`pip install pathos`"), "{}", out.stderr);
    let out = pickfix(dir.path(), &["--swap", "multiprocess", "--unsafe-fixes", "--write"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("`pip install multiprocess`"), "{}", out.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.py")).unwrap(),
        LAMBDA.replace("import multiprocessing\n", "import multiprocess as multiprocessing\n")
    );
}

#[test]
fn the_closest_config_wins_and_a_pyproject_without_the_table_is_skipped() {
    let dir = tree(&[
        ("pyproject.toml", b"[tool.pickfix]\nselect = [\"PF004\"]\n"),
        ("a.py", LAMBDA.as_bytes()),
        ("g.py", GUARDLESS.as_bytes()),
        // Its own settings: PF001 only.
        ("sub/pickfix.toml", b"select = [\"PF001\"]\n"),
        ("sub/a.py", LAMBDA.as_bytes()),
        ("sub/g.py", GUARDLESS.as_bytes()),
        // No [tool.pickfix]: the root's settings apply.
        ("other/pyproject.toml", b"[tool.ruff]\nline-length = 100\n"),
        ("other/a.py", LAMBDA.as_bytes()),
        ("other/g.py", GUARDLESS.as_bytes()),
        // In one folder, pickfix.toml comes before pyproject.toml.
        ("both/pickfix.toml", b"select = [\"PF001\"]\n"),
        ("both/pyproject.toml", b"[tool.pickfix]\nselect = [\"PF004\"]\n"),
        ("both/a.py", LAMBDA.as_bytes()),
        ("both/g.py", GUARDLESS.as_bytes()),
    ]);
    let expected = [("./both/a.py", "PF001"), ("./g.py", "PF004"), ("./other/g.py", "PF004"), ("./sub/a.py", "PF001")];
    assert_eq!(run(dir.path(), &[]), pairs(&expected));
    // Named files and a run from inside a folder find the same configuration.
    assert_eq!(run(dir.path(), &["sub/a.py", "sub/g.py", "a.py"]), pairs(&[("sub/a.py", "PF001")]));
    assert_eq!(run(&dir.path().join("sub"), &[]), pairs(&[("./a.py", "PF001")]));
    assert_eq!(run(&dir.path().join("other"), &[]), pairs(&[("./g.py", "PF004")]));
}

#[test]
fn flags_win_over_config_files() {
    let dir = tree(&[
        ("pyproject.toml", b"[tool.pickfix]\nselect = [\"PF004\"]\nignore = [\"PF001\"]\n"),
        ("a.py", LAMBDA.as_bytes()),
        ("g.py", GUARDLESS.as_bytes()),
    ]);
    // --select starts afresh, as in ruff: the file's select and ignore no longer apply.
    assert_eq!(run(dir.path(), &["--select", "PF001"]), pairs(&[("./a.py", "PF001")]));
    // --extend-select and --ignore add to what the file selects.
    assert_eq!(run(dir.path(), &["--extend-select", "PF001"]), pairs(&[("./a.py", "PF001"), ("./g.py", "PF004")]));
    assert_eq!(run(dir.path(), &["--ignore", "PF004"]), pairs(&[]));
}

#[test]
fn unknown_keys_and_bad_values_are_errors_that_name_file_key_and_allowed_values() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "pyproject.toml",
            "[tool.pickfix]\nselect = [\"PF001\"]\nselct = [\"PF002\"]\n",
            &["pyproject.toml:3:1:", "unknown key `tool.pickfix.selct`", "allowed keys: select, extend-select, ignore"],
        ),
        (
            "pickfix.toml",
            "swap = \"dill\"\n",
            &["pickfix.toml:1:8:", "`swap` = \"dill\" is not allowed", "allowed values: \"multiprocess\", \"pathos\""],
        ),
        (
            "pickfix.toml",
            "unsafe-fixes = \"yes\"\n",
            &["pickfix.toml:1:16:", "`unsafe-fixes` must be a boolean", "allowed values: true, false"],
        ),
        (
            "pyproject.toml",
            "[tool.pickfix]\nignore = [\"PF999\"]\n",
            &[
                "pyproject.toml:2:11:",
                "`tool.pickfix.ignore`: unknown rule selector `PF999`",
                "allowed values: a code (PF001 to",
            ],
        ),
        (
            "pickfix.toml",
            "[per-file-ignores]\n\"tests/*\" = [\"PF9\"]\n",
            &["pickfix.toml:2:14:", "`per-file-ignores.\"tests/*\"`: unknown rule selector `PF9`", "allowed values:"],
        ),
    ];
    for (name, config, expected) in cases {
        let dir = tree(&[(*name, config.as_bytes()), ("sub/a.py", LAMBDA.as_bytes())]);
        let out = pickfix(dir.path(), &[]);
        assert_eq!(out.code, 2, "{config}: {}{}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "", "{config}: nothing is processed");
        for part in *expected {
            assert!(out.stderr.contains(part), "{config}: `{part}` not in {}", out.stderr);
        }
        // The same error for a named file and for --show-settings.
        assert_eq!(pickfix(dir.path(), &["sub/a.py"]).code, 2);
        assert_eq!(pickfix(dir.path(), &["--show-settings", "sub/a.py"]).code, 2);
    }
}

#[test]
fn config_uses_one_file_for_everything_and_isolated_uses_none() {
    let dir = tree(&[
        ("ci.toml", b"select = [\"PF004\"]\nextend-exclude = [\"skipped\"]\n"),
        ("pickfix.toml", b"ignore = [\"PF\"]\n"),
        ("sub/pickfix.toml", b"ignore = [\"PF\"]\n"),
        ("sub/a.py", LAMBDA.as_bytes()),
        ("sub/g.py", GUARDLESS.as_bytes()),
        ("skipped/g.py", GUARDLESS.as_bytes()),
    ]);
    assert_eq!(run(dir.path(), &[]), pairs(&[]));
    assert_eq!(run(dir.path(), &["--config", "ci.toml"]), pairs(&[("./sub/g.py", "PF004")]));
    assert_eq!(
        run(dir.path(), &["--isolated"]),
        pairs(&[("./skipped/g.py", "PF004"), ("./sub/a.py", "PF001"), ("./sub/g.py", "PF004")])
    );
    // A pyproject.toml given with --config is read from [tool.pickfix].
    fs::write(dir.path().join("ci.toml"), "[tool.pickfix]\nselect = [\"PF004\"]\n").unwrap();
    fs::rename(dir.path().join("ci.toml"), dir.path().join("sub/pyproject.toml")).unwrap();
    assert_eq!(
        run(dir.path(), &["--config", "sub/pyproject.toml"]),
        pairs(&[("./skipped/g.py", "PF004"), ("./sub/g.py", "PF004")])
    );
    let missing = pickfix(dir.path(), &["--config", "nope.toml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.toml: no such file"), "{}", missing.stderr);
    assert_eq!(pickfix(dir.path(), &["--config", "x.toml", "--isolated"]).code, 2);
}

#[test]
fn show_settings_names_the_config_file_and_what_it_sets() {
    let dir = tree(&[
        (
            "pyproject.toml",
            b"[tool.pickfix]\nselect = [\"PF001\", \"PF004\"]\nswap = \"multiprocess\"\nextend-exclude = [\"gen\"]\n\n[tool.pickfix.per-file-ignores]\n\"tests/*\" = [\"PF004\"]\n",
        ),
        ("tests/t.py", LAMBDA.as_bytes()),
    ]);
    let out = pickfix(dir.path(), &["--show-settings", "tests/t.py", "--unsafe-fixes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for line in [
        "file: tests/t.py\n",
        "config file: pyproject.toml [tool.pickfix]\n",
        "rules: [PF001]\n",
        "per-file-ignores here: [PF004]\n",
        "unsafe-fixes: true\n",
        "swap: multiprocess\n",
        "extend-exclude: [\"gen\"]\n",
        "per-file-ignores: {\"tests/*\" = [PF004]}\n",
        "excluded: false\n",
    ] {
        assert!(out.stdout.contains(line), "`{line}` not in:\n{}", out.stdout);
    }
    let root = fs::canonicalize(dir.path()).unwrap();
    let isolated = pickfix(&root, &["--show-settings", "tests/t.py", "--isolated"]);
    assert!(isolated.stdout.contains("config file: none (--isolated)\n"), "{}", isolated.stdout);
    assert!(isolated.stdout.contains("rules: [PF001, PF002, PF003, PF004"), "{}", isolated.stdout);
    assert!(isolated.stdout.contains("\"site-packages\", \"venv\"]\n"), "{}", isolated.stdout);
}

#[test]
fn exclusion_is_anchored_at_the_project_root_when_walking_dot() {
    let files = [
        ("tests/t.py", LAMBDA.as_bytes()),
        ("tests/deep/t.py", LAMBDA.as_bytes()),
        ("src/tests/t.py", LAMBDA.as_bytes()),
        ("src/pkg/m.py", LAMBDA.as_bytes()),
        ("src/pkg/n.py", LAMBDA.as_bytes()),
    ];
    let kept = pairs(&[("./src/pkg/n.py", "PF001"), ("./src/tests/t.py", "PF001")]);
    let dir = tree(&files);
    assert_eq!(run(dir.path(), &["--exclude", "tests/*", "--exclude", "src/pkg/m.py"]), kept);
    assert_eq!(run(dir.path(), &["--extend-exclude", "./tests", "--exclude", "m.py"]), kept);
    let mut configured = files.to_vec();
    configured.push(("pyproject.toml", b"[tool.pickfix]\nextend-exclude = [\"tests/*\", \"src/pkg/m.py\"]\n"));
    let dir = tree(&configured);
    assert_eq!(run(dir.path(), &[]), kept);
    assert_eq!(run(dir.path(), &["."]), kept);
    // Patterns in a config file stay anchored at its folder when pickfix runs elsewhere.
    assert_eq!(run(&dir.path().join("src"), &[]), pairs(&[("./pkg/n.py", "PF001"), ("./tests/t.py", "PF001")]));
    assert_eq!(
        run(&dir.path().join("src"), &[".."]),
        pairs(&[("../src/pkg/n.py", "PF001"), ("../src/tests/t.py", "PF001")])
    );
}

#[test]
fn force_exclude_applies_exclusion_to_files_named_on_the_command_line() {
    let dir = tree(&[
        ("pyproject.toml", b"[tool.pickfix]\nextend-exclude = [\"tests/*\", \"gen.py\"]\n"),
        ("tests/t.py", LAMBDA.as_bytes()),
        ("src/gen.py", LAMBDA.as_bytes()),
        ("venv/v.py", LAMBDA.as_bytes()),
        ("src/app.py", LAMBDA.as_bytes()),
    ]);
    let named = ["tests/t.py", "src/gen.py", "venv/v.py", "src/app.py"];
    assert_eq!(run(dir.path(), &named).len(), 4, "named files are processed without --force-exclude");
    let mut args = vec!["--force-exclude"];
    args.extend(named);
    assert_eq!(run(dir.path(), &args), pairs(&[("src/app.py", "PF001")]));
    let out = pickfix(dir.path(), &["--force-exclude", "tests/t.py"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "No problems found.\n"), "{}", out.stderr);
}

#[test]
fn a_build_folder_is_processed_like_any_other() {
    // ruff dropped `build` from its default exclusions (a package may well have a `build` module);
    // `dist` and the others match at any depth, as in ruff.
    let dir = tree(&[
        ("src/pkg/build/b.py", LAMBDA.as_bytes()),
        ("build/lib/b.py", LAMBDA.as_bytes()),
        ("src/pkg/dist/d.py", LAMBDA.as_bytes()),
        ("node_modules/n.py", LAMBDA.as_bytes()),
        ("src/pkg/__pycache__/c.py", LAMBDA.as_bytes()),
    ]);
    assert_eq!(run(dir.path(), &[]), pairs(&[("./build/lib/b.py", "PF001"), ("./src/pkg/build/b.py", "PF001")]));
    // A .gitignore'd build output stays skipped.
    fs::write(dir.path().join(".gitignore"), "/build/\n").unwrap();
    assert_eq!(run(dir.path(), &[]), pairs(&[("./src/pkg/build/b.py", "PF001")]));
}

#[test]
fn file_level_noqa_suppresses_the_whole_file_or_some_rules() {
    let both = format!("{LAMBDA}\n{GUARDLESS}");
    let dir = tree(&[
        ("all.py", format!("# pickfix: noqa\n{both}").as_bytes()),
        ("some.py", format!("{both}# pickfix: noqa: PF004  (this module only runs under fork)\n").as_bytes()),
        ("bad.py", format!("# pickfix: noqa: pf004\n{both}").as_bytes()),
        ("plain.py", both.as_bytes()),
    ]);
    let expected = [
        ("./bad.py", "PF001"),
        ("./bad.py", "PF004"),
        ("./plain.py", "PF001"),
        ("./plain.py", "PF004"),
        ("./some.py", "PF001"),
    ];
    assert_eq!(run(dir.path(), &[]), pairs(&expected));
    // --write leaves the suppressed file alone.
    let out = pickfix(dir.path(), &["--write", "--unsafe-fixes", "all.py"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(fs::read_to_string(dir.path().join("all.py")).unwrap().contains("lambda x"));
}

#[test]
fn stdin_gets_the_settings_of_its_file_name() {
    let dir = tree(&[("pkg/pickfix.toml", b"ignore = [\"PF001\"]\n")]);
    let out = common::pickfix_stdin(dir.path(), &["-", "--stdin-filename", "pkg/a.py"], Some(LAMBDA.as_bytes()));
    assert_eq!((out.code, out.stdout.as_str()), (0, LAMBDA), "{}", out.stderr);
    let out = common::pickfix_stdin(dir.path(), &["-", "--stdin-filename", "a.py"], Some(LAMBDA.as_bytes()));
    assert_eq!((out.code, out.stdout.as_str()), (0, common::FIXED), "{}", out.stderr);
}

/// ruff keeps pickfix's codes in `# noqa` comments only when they are declared external (as the README
/// says, `lint.external = ["PF"]`): otherwise RUF102 (invalid-rule-code) reports `PF001`, and RUF100
/// (unused-noqa), which reports nothing about codes it does not know, deletes them with its fix when it
/// removes an unused code beside them (ruff 0.17.6).
#[test]
fn ruff_keeps_pickfix_codes_in_noqa_comments_with_lint_external() {
    const RUFF: &str = "0.17.6";
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target/ruff-venv");
    let ruff = venv.join("bin/ruff");
    let installed = Command::new(&ruff)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == format!("ruff {RUFF}"));
    if !installed {
        let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().is_ok_and(|s| s.success());
        let pip = venv.join("bin/pip");
        let got = made
            && Command::new(&pip)
                .args(["install", "--quiet", "--disable-pip-version-check", &format!("ruff=={RUFF}")])
                .status()
                .is_ok_and(|s| s.success());
        if !got {
            println!("skipped: could not install ruff {RUFF} with pip into {}", venv.display());
            return;
        }
    }
    let source = LAMBDA.replace("[1, 2]))", "[1, 2]))  # noqa: PF001");
    let mixed = "import os  # noqa: E501, PF001\n";
    let external = b"[tool.ruff.lint]\nexternal = [\"PF\"]\n";
    let bare = b"[tool.ruff.lint]\n";
    let dir = tree(&[
        ("ext/app.py", source.as_bytes()),
        ("ext/mixed.py", mixed.as_bytes()),
        ("ext/pyproject.toml", external),
        ("bare/app.py", source.as_bytes()),
        ("bare/mixed.py", mixed.as_bytes()),
        ("bare/pyproject.toml", bare),
    ]);
    let ruff_check = |args: &[&str]| {
        let out = Command::new(&ruff)
            .args(["check", "--no-cache", "--select", "RUF100,RUF102", "--output-format", "concise"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    let checked = ruff_check(&["ext/app.py"]);
    assert!(!checked.contains("RUF100") && !checked.contains("RUF102"), "{checked}");
    let fixed = ruff_check(&["--fix", "ext/mixed.py"]);
    assert!(!fixed.contains("RUF102"), "{fixed}");
    assert_eq!(fs::read_to_string(dir.path().join("ext/mixed.py")).unwrap(), "import os  # noqa: PF001\n");
    // Without the setting, ruff calls the code invalid, and RUF100's fix takes it away.
    let checked = ruff_check(&["bare/app.py"]);
    assert!(checked.contains("RUF102 [*] Invalid rule code in `# noqa`: PF001"), "{checked}");
    ruff_check(&["--fix", "bare/mixed.py"]);
    assert_eq!(fs::read_to_string(dir.path().join("bare/mixed.py")).unwrap(), "import os\n");
    // And pickfix honours the comment ruff kept.
    assert_eq!(run(dir.path(), &["ext/app.py"]), pairs(&[]));
}
