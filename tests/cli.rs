//! The command line end to end on temporary trees: each flag, each exit status, and writes that lose
//! nothing.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::{FIXED, LAMBDA, pickfix, pickfix_stdin, tree};

const CLEAN: &str = "import multiprocessing\n\n\ndef f(x):\n    return x\n";

#[test]
fn report_mode_lists_findings_and_exits_1_without_writing() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes()), ("clean.py", CLEAN.as_bytes())]);
    let out = pickfix(dir.path(), &["--output-format", "concise"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "./app.py:6:24: PF001 [*] Lambda passed to `Pool.map` cannot be pickled; fix: Move the lambda to a \
         module-level function `_main_map_task`\nFound 1 problem (1 fixable).\n[*] 1 fixable with `pickfix --write`.\n"
    );
    assert_eq!(fs::read_to_string(dir.path().join("app.py")).unwrap(), LAMBDA);
}

#[test]
fn clean_tree_exits_0() {
    let dir = tree(&[("clean.py", CLEAN.as_bytes())]);
    let out = pickfix(dir.path(), &["."]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "No problems found.\n");
}

#[test]
fn diff_shows_exactly_what_write_does() {
    let dir = tree(&[("pkg/app.py", LAMBDA.as_bytes())]);
    let out = pickfix(dir.path(), &["--diff", "pkg"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with("--- a/pkg/app.py\n+++ b/pkg/app.py\n"), "{}", out.stdout);
    assert_eq!(fs::read_to_string(dir.path().join("pkg/app.py")).unwrap(), LAMBDA, "--diff wrote");
    // The diff applies with patch(1) or git and gives what --write gives.
    let copy = tree(&[("pkg/app.py", LAMBDA.as_bytes()), ("fix.diff", out.stdout.as_bytes())]);
    let applied =
        Command::new("git").args(["apply", "--unsafe-paths", "fix.diff"]).current_dir(copy.path()).status().unwrap();
    assert!(applied.success());
    let write = pickfix(dir.path(), &["--write", "pkg"]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    assert_eq!(
        fs::read_to_string(copy.path().join("pkg/app.py")).unwrap(),
        fs::read_to_string(dir.path().join("pkg/app.py")).unwrap()
    );
}

#[test]
fn write_fixes_keeps_permissions_and_a_second_run_changes_nothing() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    let path = dir.path().join("app.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o754)).unwrap();
    let out = pickfix(dir.path(), &["--write", "app.py"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Fixed 1 problem in app.py"), "{}", out.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o754);
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind: {leftovers:?}");
    let again = pickfix(dir.path(), &["--write", "app.py"]);
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("Fixed 0 problems in 0 files"), "{}", again.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
}

#[test]
fn bad_files_are_reported_left_untouched_and_the_rest_is_processed() {
    let broken = b"import multiprocessing\ndef f(:\n    pass\n";
    let latin1_without_cookie = b"import multiprocessing\nx = '\xe9'\n";
    let dir = tree(&[
        ("a_broken.py", broken),
        ("b_bytes.py", latin1_without_cookie),
        ("c_app.py", LAMBDA.as_bytes()),
        ("d_nul.py", b"import multiprocessing\n\0\n"),
    ]);
    let out = pickfix(dir.path(), &["--write", ".", "missing.py"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    // `path:line:col: cannot parse: ...`, as compilers print errors, so editors and CI can jump to them.
    assert!(out.stderr.contains("./a_broken.py:2:7: cannot parse: "), "{}", out.stderr);
    assert!(out.stderr.contains("./b_bytes.py:2:6: cannot parse: not valid UTF-8"), "{}", out.stderr);
    assert!(
        out.stderr.contains("declare its encoding on line 1 or 2, e.g. `# -*- coding: latin-1 -*-`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("./d_nul.py:2:1: cannot parse: source code contains a NUL byte"), "{}", out.stderr);
    assert!(out.stderr.contains("missing.py: no such file or folder"), "{}", out.stderr);
    assert_eq!(fs::read(dir.path().join("a_broken.py")).unwrap(), broken);
    assert_eq!(fs::read(dir.path().join("b_bytes.py")).unwrap(), latin1_without_cookie);
    assert_eq!(fs::read_to_string(dir.path().join("c_app.py")).unwrap(), FIXED);
}

#[test]
fn crlf_bom_and_latin1_cookie_survive_a_write_byte_for_byte() {
    let crlf = format!("\u{feff}{}", LAMBDA.replace('\n', "\r\n"));
    let mut latin1 = b"# -*- coding: latin-1 -*-\n# caf\xe9\n".to_vec();
    latin1.extend_from_slice(LAMBDA.as_bytes());
    let dir = tree(&[("crlf.py", crlf.as_bytes()), ("latin.py", &latin1)]);
    let out = pickfix(dir.path(), &["--write", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let expected = format!("\u{feff}{}", FIXED.replace('\n', "\r\n"));
    assert_eq!(fs::read_to_string(dir.path().join("crlf.py")).unwrap(), expected);
    let mut expected_latin1 = b"# -*- coding: latin-1 -*-\n# caf\xe9\n".to_vec();
    expected_latin1.extend_from_slice(FIXED.as_bytes());
    assert_eq!(fs::read(dir.path().join("latin.py")).unwrap(), expected_latin1);
}

#[test]
fn select_ignore_and_unknown_rules() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    assert_eq!(pickfix(dir.path(), &["--select", "PF001"]).code, 1);
    assert_eq!(pickfix(dir.path(), &["--select", "lambda-to-function"]).code, 1);
    let ignored = pickfix(dir.path(), &["--ignore", "PF"]);
    assert_eq!((ignored.code, ignored.stdout.as_str()), (0, "No problems found.\n"));
    let unknown = pickfix(dir.path(), &["--select", "PF999"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule selector `PF999`"), "{}", unknown.stderr);
    let conflicting = pickfix(dir.path(), &["--diff", "--write"]);
    assert_eq!(conflicting.code, 2);
}

#[test]
fn noqa_suppresses_a_finding() {
    let source = LAMBDA.replace("[1, 2]))", "[1, 2]))  # noqa: PF001");
    let dir = tree(&[("app.py", source.as_bytes())]);
    let out = pickfix(dir.path(), &[]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "No problems found.\n"));
}

#[test]
fn a_comment_that_only_contains_noqa_in_a_word_does_not_suppress() {
    let source = LAMBDA.replace("[1, 2]))", "[1, 2]))  # data from snoqalmie");
    let dir = tree(&[("app.py", source.as_bytes())]);
    let out = pickfix(dir.path(), &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with("./app.py:6:24: PF001 [*] "), "{}", out.stdout);
}

#[test]
fn a_malformed_noqa_beside_a_finding_is_reported_and_suppresses_nothing() {
    let source = LAMBDA.replace("[1, 2]))", "[1, 2]))  # noqa; PF001");
    let dir = tree(&[("app.py", source.as_bytes())]);
    let out = pickfix(dir.path(), &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with("./app.py:6:24: PF001 [*] "), "{}", out.stdout);
    let warning = "./app.py:6: warning: invalid `# noqa` directive (expected `:` followed by rule codes after `noqa`); it suppresses nothing\n";
    assert_eq!(out.stderr, warning);
    // --write fixes the line all the same, and says why the comment did not stop it.
    let write = pickfix(dir.path(), &["--write"]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    assert!(write.stderr.starts_with(warning), "{}", write.stderr);
}

#[test]
fn stdin_writes_the_fixed_text_to_stdout() {
    let dir = tree(&[]);
    let out = pickfix_stdin(dir.path(), &["-", "--stdin-filename", "app.py"], Some(LAMBDA.as_bytes()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, FIXED);
    let diff = pickfix_stdin(dir.path(), &["--diff", "-", "--stdin-filename", "app.py"], Some(LAMBDA.as_bytes()));
    assert_eq!(diff.code, 1);
    assert!(diff.stdout.starts_with("--- a/app.py\n"), "{}", diff.stdout);
    let broken = pickfix_stdin(dir.path(), &["-"], Some(b"def f(:\n"));
    assert_eq!(broken.code, 2);
    assert_eq!(broken.stdout, "def f(:\n", "the input must come back unchanged");
}

#[test]
fn discovery_honours_gitignore_defaults_and_exclude_but_not_for_explicit_files() {
    let dir = tree(&[
        (".gitignore", b"ignored/\n"),
        ("ignored/a.py", LAMBDA.as_bytes()),
        (".hidden/b.py", LAMBDA.as_bytes()),
        ("venv/lib/c.py", LAMBDA.as_bytes()),
        ("env2/pyvenv.cfg", b"home = /usr\n"),
        ("env2/d.py", LAMBDA.as_bytes()),
        ("__pycache__/e.py", LAMBDA.as_bytes()),
        ("gen/f.py", LAMBDA.as_bytes()),
        ("src/g.py", LAMBDA.as_bytes()),
    ]);
    let out = pickfix(dir.path(), &["--exclude", "gen"]);
    assert_eq!(out.code, 1);
    let paths: Vec<&str> =
        out.stdout.lines().filter_map(|l| l.split(':').next()).filter(|p| p.ends_with(".py")).collect();
    assert_eq!(paths, ["./src/g.py"], "{}", out.stdout);
    let explicit = pickfix(dir.path(), &["ignored/a.py"]);
    assert!(explicit.stdout.starts_with("ignored/a.py:6:24: PF001"), "{}", explicit.stdout);
}

#[test]
fn output_is_sorted_by_path() {
    let dir = tree(&[("b.py", LAMBDA.as_bytes()), ("a.py", LAMBDA.as_bytes()), ("c/d.py", LAMBDA.as_bytes())]);
    let out = pickfix(dir.path(), &[]);
    let paths: Vec<&str> =
        out.stdout.lines().filter_map(|l| l.split(':').next()).filter(|p| p.ends_with(".py")).collect();
    assert_eq!(paths, ["./a.py", "./b.py", "./c/d.py"]);
}

#[test]
fn symlinked_file_is_written_through_and_the_link_kept() {
    let dir = tree(&[("real/app.py", LAMBDA.as_bytes())]);
    std::os::unix::fs::symlink("real/app.py", dir.path().join("link.py")).unwrap();
    let out = pickfix(dir.path(), &["--write", "link.py"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(fs::symlink_metadata(dir.path().join("link.py")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(dir.path().join("real/app.py")).unwrap(), FIXED);
}

#[test]
fn read_only_file_is_reported_and_untouched() {
    // Even as root, who could write anyway, pickfix refuses a read-only file.
    let dir = tree(&[("app.py", LAMBDA.as_bytes())]);
    let path = dir.path().join("app.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let out = pickfix(dir.path(), &["--write", "app.py"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("app.py: cannot write:"), "{}", out.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), LAMBDA);
}

#[test]
fn broken_pipe_is_not_an_error() {
    let mut many = String::from("import multiprocessing\n\nwith multiprocessing.Pool() as pool:\n");
    for i in 0..2000 {
        many.push_str(&format!("    pool.map(lambda x: x + {i}, [])\n"));
    }
    let dir = tree(&[("many.py", many.as_bytes())]);
    let status = Command::new("bash")
        .args([
            "-c",
            &format!("{} many.py | head -n 1 >/dev/null; exit ${{PIPESTATUS[0]}}", env!("CARGO_BIN_EXE_pickfix")),
        ])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn list_names_every_codemod() {
    let out = pickfix(Path::new("."), &["--list"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("PF001 lambda-to-function"), "{}", out.stdout);
}

#[test]
fn readme_before_and_after_are_what_pickfix_does() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let blocks: Vec<&str> = readme.split("```python\n").skip(1).map(|rest| rest.split("```").next().unwrap()).collect();
    let (before, after) = (blocks[0], blocks[1]);
    let fixed = pickfix::fix_source(before, &pickfix::Settings::default()).unwrap();
    assert_eq!(fixed.text, after);
}

#[test]
fn swap_is_opt_in_names_the_package_and_touches_only_files_with_a_finding() {
    let dir = tree(&[("app.py", LAMBDA.as_bytes()), ("clean.py", CLEAN.as_bytes())]);
    // Offered, not applied, without --unsafe-fixes; stderr says what to install and how to apply it.
    let offered = pickfix(dir.path(), &["--swap", "pathos", "--write", "--output-format", "concise", "."]);
    assert_eq!(offered.code, 1, "{}", offered.stderr);
    assert!(
        offered.stdout.contains("unsafe fix with --unsafe-fixes: Swap `multiprocessing.Pool`"),
        "{}",
        offered.stdout
    );
    assert!(offered.stderr.contains("install it with `pip install pathos`"), "{}", offered.stderr);
    assert!(offered.stderr.contains("add --unsafe-fixes to apply it"), "{}", offered.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("app.py")).unwrap(), LAMBDA);

    let written = pickfix(dir.path(), &["--swap", "multiprocess", "--unsafe-fixes", "--write", "."]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(written.stderr.contains("Fixed 1 problem in 1 file"), "{}", written.stderr);
    assert!(written.stderr.contains("`pip install multiprocess`"), "{}", written.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("app.py")).unwrap(),
        LAMBDA.replace("import multiprocessing\n", "import multiprocess as multiprocessing\n")
    );
    assert_eq!(fs::read_to_string(dir.path().join("clean.py")).unwrap(), CLEAN);
    let again = pickfix(dir.path(), &["--swap", "multiprocess", "--unsafe-fixes", "--write", "."]);
    assert!(again.stderr.contains("Fixed 0 problems in 0 files"), "{}", again.stderr);
    assert!(!again.stderr.contains("pip install"), "{}", again.stderr);

    let unknown = pickfix(dir.path(), &["--swap", "dill"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("possible values: multiprocess, pathos"), "{}", unknown.stderr);
}

#[test]
fn the_prefilter_keeps_files_that_import_only_a_dill_based_pool_package() {
    let multiprocess = "import multiprocess as mp\nwith mp.Pool(2) as p:\n    p.map(abs, [1])\n";
    let pathos = "from pathos.pools import ProcessPool\nProcessPool(2).map(abs, [1])\n";
    for src in [multiprocess, pathos] {
        let dir = tree(&[("app.py", src.as_bytes())]);
        for args in [&["app.py"][..], &["--no-prefilter", "app.py"]] {
            let out = pickfix(dir.path(), args);
            assert_eq!(out.code, 1, "{args:?} on:\n{src}\n{}{}", out.stdout, out.stderr);
            assert!(out.stdout.contains(": PF004 "), "{args:?} on:\n{src}\n{}", out.stdout);
        }
    }
}
