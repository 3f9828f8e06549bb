//! The bindings chapter of the manual (`src/manual/bindings.md`): its C and Python snippets
//! are verbatim parts of files that CI runs: the C test `tests/c/test_reception.c` and the
//! Python package docstring (a doctest in the pytest suite).

use std::path::Path;

fn read(rel: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The bodies of the README's fenced blocks tagged `lang`.
fn blocks(readme: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    readme
        .split(fence.as_str())
        .skip(1)
        .filter_map(|rest| rest.split("\n```").next().map(str::to_owned))
        .collect()
}

#[test]
fn readme_c_snippet_is_part_of_the_c_test() {
    let readme = read("src/manual/bindings.md");
    let test = read("crates/mynacard-ffi/tests/c/test_reception.c");
    let c = blocks(&readme, "c");
    assert!(!c.is_empty(), "the bindings chapter has no C snippet");
    for block in c {
        assert!(
            test.contains(&block),
            "the bindings chapter's C snippet is not in test_reception.c:\n{block}"
        );
    }
}

#[test]
fn readme_python_snippet_is_the_package_doctest() {
    let readme = read("src/manual/bindings.md");
    let package = read("crates/mynacard-py/python/mynacard/__init__.py");
    let py = blocks(&readme, "python");
    assert!(!py.is_empty(), "the bindings chapter has no Python snippet");
    for block in py {
        assert!(block.contains(">>> "), "not a doctest:\n{block}");
        assert!(
            package.contains(&block),
            "the bindings chapter's Python snippet is not the package docstring:\n{block}"
        );
    }
}
