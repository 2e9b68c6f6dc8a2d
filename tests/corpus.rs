//! Corpus round trip, CI-sized: `scripts/corpus.py` over the installed CPython tree (stdlib and
//! site-packages, about 11,600 files). It checks, on a copy, that nothing panics, every rewritten file
//! parses with `ast.parse`, a second run changes nothing, files without a finding stay byte-identical and
//! the word pre-filter changes no finding. `scripts/corpus-full.sh` adds pinned PyPI packages.

use std::process::Command;

fn python_path(key: &str) -> String {
    let out = Command::new("python3")
        .args(["-c", &format!("import sysconfig; print(sysconfig.get_paths()[{key:?}])")])
        .output()
        .expect("python3 is needed");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn cpython_tree_round_trip() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("python3")
        .arg(format!("{root}/scripts/corpus.py"))
        .args(["--pickfix", env!("CARGO_BIN_EXE_pickfix")])
        .arg(python_path("stdlib"))
        .arg(python_path("purelib"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let files: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("files: ")?.split_whitespace().next()?.parse().ok())
        .expect("a files: line");
    assert!(files > 1000, "the corpus is too small to mean anything: {files} files");
}
