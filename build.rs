//! Makes each codemod's module docs (its `//!` lines) available at run time, for `pickfix rule`: a
//! table from module name (`lambda_to_function`) to its docs, written to `$OUT_DIR/rule_docs.rs`.

use std::path::Path;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=src/codemods");
    let mut modules: Vec<_> = fs::read_dir("src/codemods")
        .expect("src/codemods")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    modules.sort();
    let mut table = String::from("/// The `//!` docs of each module of `src/codemods/`, by module name.\n");
    table.push_str("pub(crate) const RULE_DOCS: &[(&str, &str)] = &[\n");
    for path in modules {
        let source = fs::read_to_string(&path).expect("a module's source");
        let docs: Vec<&str> = source
            .lines()
            .filter_map(|line| line.strip_prefix("//!"))
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect();
        let name = path.file_stem().and_then(|stem| stem.to_str()).expect("a UTF-8 module name");
        table.push_str(&format!("    ({name:?}, {:?}),\n", docs.join("\n")));
    }
    table.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("rule_docs.rs");
    fs::write(out, table).expect("writing rule_docs.rs");
}
