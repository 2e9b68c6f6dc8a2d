//! Hostile inputs, each with a named outcome: a clear message naming the file and the cause, exit status
//! 2 when a file could not be processed, every other file still processed, nothing lost. Also signals
//! during `--write` and two runs at once.

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{FIXED, LAMBDA, pickfix, tree};

/// A tree with one good file beside the hostile ones: it must always be fixed.
fn with_good_file(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let mut all: Vec<(&str, &[u8])> = files.to_vec();
    all.push(("zz_good.py", LAMBDA.as_bytes()));
    tree(&all)
}

fn assert_good_file_fixed(dir: &Path) {
    assert_eq!(fs::read_to_string(dir.join("zz_good.py")).unwrap(), FIXED, "the other file was not processed");
}

#[test]
fn empty_and_comment_only_files_are_fine() {
    let dir = with_good_file(&[("empty.py", b""), ("comments.py", b"# only\n# comments: multiprocessing\n")]);
    let out = pickfix(dir.path(), &["--write", "--no-prefilter", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fs::read(dir.path().join("empty.py")).unwrap(), b"");
    assert_good_file_fixed(dir.path());
}

#[test]
fn python2_syntax_is_reported_and_left_alone() {
    let py2 = b"import multiprocessing\nprint \"hello\"\nexec \"x = 1\"\n";
    let dir = with_good_file(&[("legacy.py", py2)]);
    let out = pickfix(dir.path(), &["--write", "."]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("./legacy.py:2:7: cannot parse: "), "{}", out.stderr);
    assert_eq!(fs::read(dir.path().join("legacy.py")).unwrap(), py2);
    assert_good_file_fixed(dir.path());
}

#[test]
fn a_20_mb_file_is_fixed_and_every_other_byte_kept() {
    let mut big = String::from("import multiprocessing\n");
    let filler = "# padding line that makes this file large, with a word: multiprocessing\n";
    while big.len() < 20 << 20 {
        big.push_str(filler);
    }
    let prefix_len = big.len();
    big.push_str(
        "\n\ndef main():\n    with multiprocessing.Pool(2) as pool:\n        print(pool.map(lambda x: x, [1]))\n",
    );
    let dir = tree(&[("big.py", big.as_bytes())]);
    let out = pickfix(dir.path(), &["--write", "big.py"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let fixed = fs::read_to_string(dir.path().join("big.py")).unwrap();
    assert_eq!(&fixed[..prefix_len], &big[..prefix_len], "bytes before the edit changed");
    assert!(fixed.ends_with("print(pool.map(_main_map_task, [1]))\n"), "{}", &fixed[fixed.len() - 200..]);
}

#[test]
fn a_directory_named_like_a_python_file_is_walked() {
    let dir = tree(&[("x.py/inner.py", LAMBDA.as_bytes())]);
    let out = pickfix(dir.path(), &["x.py"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with("x.py/inner.py:6:24: PF001"), "{}", out.stdout);
}

#[test]
fn symlink_loops_broken_links_and_links_out_of_the_tree() {
    let outside = tree(&[("outside.py", LAMBDA.as_bytes())]);
    let dir = with_good_file(&[]);
    symlink("loop.py", dir.path().join("loop.py")).unwrap();
    symlink("missing.py", dir.path().join("dangling.py")).unwrap();
    symlink(outside.path().join("outside.py"), dir.path().join("out.py")).unwrap();
    let out = pickfix(dir.path(), &["--write", "."]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("./loop.py: broken symlink: too many levels of symbolic links"), "{}", out.stderr);
    assert!(out.stderr.contains("./dangling.py: broken symlink: no such file or folder"), "{}", out.stderr);
    assert!(out.stderr.contains("./out.py: skipped: symlink to "), "{}", out.stderr);
    assert_eq!(fs::read_to_string(outside.path().join("outside.py")).unwrap(), LAMBDA, "wrote outside the tree");
    assert_good_file_fixed(dir.path());
}

#[test]
fn an_unreadable_file_is_reported_by_name() {
    let dir = with_good_file(&[("secret.py", LAMBDA.as_bytes())]);
    let is_root = unsafe { libc::geteuid() } == 0;
    // root reads any file whatever its mode; /proc/self/mem refuses a plain read even to root.
    let unreadable = if is_root {
        "/proc/self/mem".to_string()
    } else {
        fs::set_permissions(dir.path().join("secret.py"), fs::Permissions::from_mode(0o000)).unwrap();
        "secret.py".to_string()
    };
    let out = pickfix(dir.path(), &["--write", &unreadable, "zz_good.py"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains(&format!("{unreadable}: cannot read: ")), "{}", out.stderr);
    assert_good_file_fixed(dir.path());
}

/// Starts `pickfix --write` over a large tree, sends `signal` once it is under way, and checks that every
/// file is either as it was or completely fixed, with no temporary file left.
fn interrupt_during_write(signal: i32) {
    let files: Vec<(String, &[u8])> =
        (0..4000).map(|i| (format!("pkg{}/m{i}.py", i % 20), LAMBDA.as_bytes())).collect();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    let dir = tree(&refs);
    let child = Command::new(env!("CARGO_BIN_EXE_pickfix"))
        .args(["--write", "."])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first file is written, then interrupt.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !files.iter().take(200).any(|(p, _)| fs::read_to_string(dir.path().join(p)).is_ok_and(|t| t == FIXED)) {
        assert!(std::time::Instant::now() < deadline, "no file was written within a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
    unsafe {
        libc::kill(i32::try_from(child.id()).unwrap(), signal);
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "the run was not interrupted (it may have finished first): {stderr}");
    assert!(stderr.contains("interrupted; every file is either as it was or completely fixed"), "{stderr}");
    let (mut fixed, mut original) = (0, 0);
    for (path, _) in &files {
        match fs::read_to_string(dir.path().join(path)).unwrap().as_str() {
            text if text == FIXED => fixed += 1,
            text if text == LAMBDA => original += 1,
            other => panic!("{path} is neither original nor fixed:\n{other}"),
        }
    }
    assert!(fixed > 0 && original > 0, "fixed {fixed}, original {original}: the signal came too late to test");
    for entry in walk(dir.path()) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.starts_with(".pickfix-"), "temporary file left behind: {}", entry.display());
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn sigint_during_write_leaves_every_file_whole() {
    interrupt_during_write(libc::SIGINT);
}

#[test]
fn sigterm_during_write_leaves_every_file_whole() {
    interrupt_during_write(libc::SIGTERM);
}

#[test]
fn two_runs_at_once_fix_every_file_once() {
    let files: Vec<(String, &[u8])> = (0..600).map(|i| (format!("m{i}.py"), LAMBDA.as_bytes())).collect();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    let dir = tree(&refs);
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_pickfix"))
            .args(["--write", "."])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (start(), start());
    for run in [first.wait_with_output().unwrap(), second.wait_with_output().unwrap()] {
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(matches!(run.status.code(), Some(0)), "{stderr}");
    }
    for (path, _) in &files {
        assert_eq!(fs::read_to_string(dir.path().join(path)).unwrap(), FIXED, "{path}");
    }
    assert_eq!(walk(dir.path()).len(), files.len(), "temporary files left behind");
}

#[test]
fn a_disk_that_refuses_the_temporary_file_leaves_the_original_intact() {
    // A file size limit of 0 makes every write to a file fail (EFBIG), as a full disk would; the output
    // goes to pipes, which the limit does not touch.
    let dir = with_good_file(&[]);
    let out = Command::new("bash")
        .args(["-c", &format!("trap '' XFSZ; ulimit -f 0; exec {} --write .", env!("CARGO_BIN_EXE_pickfix"))])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("./zz_good.py: cannot write: "), "{stderr}");
    assert!(stderr.contains("Fixed 0 problems in 0 files"), "{stderr}");
    assert_eq!(fs::read_to_string(dir.path().join("zz_good.py")).unwrap(), LAMBDA);
    assert_eq!(walk(dir.path()).len(), 1, "a temporary file was left behind");
}
