//! The stable error codes: `docs/error-codes.md` is generated from the sources
//! (every `fn code` of the workspace's crates, the bindings' own codes and the
//! `argument.*` / `transport.*` codes they derive) and this test fails when a
//! code is added, removed or moved without the page being regenerated
//! (`MYNACARD_BLESS=1 cargo test -p mynacard-ffi --test error_codes` rewrites
//! it). It also fails when one code is defined in two places, and when the C
//! header documents a code that does not exist.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `a.b` / `a.b_c.d`: lower-case segments, at least two.
fn is_code(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        && parts[0]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase())
}

/// The string literals in `text` (plain `"…"`, no escapes needed for codes).
fn literals(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// The bodies of every `fn code(` in `text` (brace-matched).
fn code_fn_bodies(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("fn code(") {
        let start = from + i;
        let Some(open) = text[start..].find('{') else {
            break;
        };
        let open = start + open;
        let mut depth = 0usize;
        let mut end = open;
        for (j, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(&text[open..end]);
        from = end.max(start + 1);
    }
    out
}

/// Every code and where it is defined.
fn codes() -> BTreeMap<String, Vec<String>> {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for krate in [
        "mynacard-transport",
        "mynacard-virtual-card",
        "mynacard-ffi",
        "mynacard-py",
    ] {
        rust_files(&root.join("crates").join(krate).join("src"), &mut files);
    }
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |code: String, file: &str| {
        let places = found.entry(code).or_default();
        if !places.iter().any(|p| p == file) {
            places.push(file.to_owned());
        }
    };
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Test modules and doc examples assert codes; they do not define them.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let code_lines: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for body in code_fn_bodies(&code_lines) {
            for lit in literals(body) {
                if is_code(lit) {
                    add(lit.to_owned(), &rel);
                }
            }
        }
        if rel.starts_with("crates/mynacard-ffi/") || rel.starts_with("crates/mynacard-py/") {
            // The bindings' own codes: `Error::new(kind, "code", …)` and
            // `Error::argument("what", …)` → `argument.what`.
            for (i, _) in code_lines.match_indices("Error::new(") {
                let call = &code_lines[i..(i + 200).min(code_lines.len())];
                if let Some(lit) = literals(call).into_iter().find(|l| is_code(l)) {
                    add(lit.to_owned(), &rel);
                }
            }
            for (i, _) in code_lines.match_indices("Error::argument(") {
                let call = &code_lines[i..(i + 80).min(code_lines.len())];
                if let Some(what) = literals(call).first() {
                    add(format!("argument.{what}"), &rel);
                }
            }
            if code_lines.contains("Failure::null(") {
                add("argument.null".to_owned(), &rel);
            }
        }
    }
    // The transport errors' codes are derived from their variant names.
    use mynacard::transport::TransportError as T;
    for e in [
        T::CardRemoved,
        T::CardReset,
        T::NoCard,
        T::ReaderUnavailable,
        T::Timeout,
        T::Cancelled,
        T::CommandTooLong { len: 0, max: 0 },
        T::Other(String::new()),
    ] {
        add(
            mynacard_ffi::jobs::Error::from(e).code().to_owned(),
            "crates/mynacard-transport/src/lib.rs",
        );
    }
    found
}

fn page(codes: &BTreeMap<String, Vec<String>>) -> String {
    let mut out = String::from(
        "# Error codes\n\n\
         <!-- Generated by crates/mynacard-ffi/tests/error_codes.rs from the sources: do not edit.\n     \
         MYNACARD_BLESS=1 cargo test -p mynacard-ffi --test error_codes regenerates it. -->\n\n\
         Every error of the library and its bindings has a stable `code()`: Rust\n\
         (`code()`, serde `{\"code\", \"message\"}`), C (`mynacard_last_error_code()`) and\n\
         Python (`MynacardError.code`) give the same string. Codes are never reused for\n\
         another meaning; a new code is a minor change, a removed or renamed one a\n\
         breaking change. Messages are for people and may change; they never contain\n\
         personal values.\n\n",
    );
    let mut family = String::new();
    for (code, places) in codes {
        let head = code.split('.').next().unwrap_or_default();
        if head != family {
            family = head.to_owned();
            out.push_str(&format!(
                "\n## `{family}.*`\n\n| code | defined in |\n|---|---|\n"
            ));
        }
        let places: Vec<String> = places.iter().map(|p| format!("`{p}`")).collect();
        out.push_str(&format!("| `{code}` | {} |\n", places.join(", ")));
    }
    out.push_str(&format!("\n{} codes.\n", codes.len()));
    out
}

#[test]
fn the_error_code_page_lists_every_code() {
    let codes = codes();
    assert!(
        codes.len() > 100,
        "only {} codes found: the scan is broken",
        codes.len()
    );
    for must in [
        "pki.revoked",
        "flow.pin.blocked",
        "callback.failed",
        "transport.no_card",
    ] {
        assert!(codes.contains_key(must), "{must} not found");
    }
    let generated = page(&codes);
    let path = root().join("docs/error-codes.md");
    if std::env::var_os("MYNACARD_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let missing: Vec<_> = codes
            .keys()
            .filter(|c| !committed.contains(&format!("| `{c}` |")))
            .collect();
        panic!(
            "docs/error-codes.md is out of date (codes without a line: {missing:?}); \
             regenerate with MYNACARD_BLESS=1 cargo test -p mynacard-ffi --test error_codes"
        );
    }
}

#[test]
fn no_code_is_defined_by_two_error_types() {
    // One code, one meaning: the `fn code` of two error types (two files of the
    // library) never give the same string. (The bindings reuse the library's
    // codes on purpose: `flow.cancelled` for a cancel token is the flows' own.)
    // The signature backends' `KeyError` gives the code of the `PkiError` it
    // becomes (one meaning, by design).
    let becomes_pki_error = ["src/crypto/backend/mod.rs"];
    let twice: Vec<_> = codes()
        .into_iter()
        .filter(|(_, places)| {
            places
                .iter()
                .filter(|p| p.starts_with("src/") && !becomes_pki_error.contains(&p.as_str()))
                .count()
                > 1
        })
        .collect();
    assert!(
        twice.is_empty(),
        "codes defined by two error types: {twice:?}"
    );
}

#[test]
fn the_c_header_documents_only_codes_that_exist() {
    let codes = codes();
    let header =
        std::fs::read_to_string(root().join("crates/mynacard-ffi/include/mynacard.h")).unwrap();
    let families: Vec<&str> = codes.keys().filter_map(|c| c.split('.').next()).collect();
    // Guidance ids (`card.pin.enter`, `consent.medication`) share the look of
    // codes; the header names them as ids, codes after "code".
    let guidance = ["card.pin.enter", "consent.medication"];
    let mut unknown = Vec::new();
    for part in header.split('`').skip(1).step_by(2) {
        let part = part.trim_matches('"');
        let family = part.split('.').next().unwrap_or_default();
        if !families.contains(&family) || guidance.contains(&part) || !part.contains('.') {
            continue;
        }
        if let Some(prefix) = part.strip_suffix(".*").or_else(|| part.strip_suffix('*')) {
            if !codes.keys().any(|c| c.starts_with(prefix)) {
                unknown.push(part.to_owned());
            }
        } else if is_code(part) && !codes.contains_key(part) && !part.contains("_run") {
            unknown.push(part.to_owned());
        }
    }
    assert!(
        unknown.is_empty(),
        "mynacard.h documents codes that do not exist: {unknown:?}"
    );
}
