//! The layers the README draws, held by a test rather than by convention:
//! - no module under `src/flows/` reaches the blocking side (the `Transport` trait,
//!   `Exchange`, the runner): flows are driven by bytes only;
//! - no import cycle among the crate's source files (a file-level graph built from
//!   `use crate::…` / `use super::…` paths).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file: `src/card/pin.rs` → `["card", "pin"]`,
/// `src/card/mod.rs` → `["card"]`, `src/lib.rs` → `[]`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The `use` statements of a file outside its `#[cfg(test)]` part, joined into one
/// line each (a `use` may span several lines).
fn uses(text: &str) -> Vec<String> {
    let production = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in production.lines() {
        let line = line.trim();
        if let Some(cur) = current.as_mut() {
            cur.push_str(line);
            if line.ends_with(';') {
                out.push(current.take().unwrap());
            }
        } else if let Some(rest) = line
            .strip_prefix("pub use ")
            .or_else(|| line.strip_prefix("pub(crate) use "))
            .or_else(|| line.strip_prefix("use "))
        {
            if rest.ends_with(';') {
                out.push(rest.to_owned());
            } else {
                current = Some(rest.to_owned());
            }
        }
    }
    out
}

#[test]
fn flows_never_reach_the_blocking_side() {
    let mut files = Vec::new();
    rust_files(&src().join("flows"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for u in uses(&text) {
            for forbidden in [
                "crate::transport",
                "crate::runner",
                "crate::pcsc",
                "exchange::Exchange",
                "Transport}",
                "Transport,",
            ] {
                assert!(
                    !u.contains(forbidden),
                    "{} imports {forbidden}: `use {u}`",
                    file.display()
                );
            }
        }
    }
}

/// Resolves `crate::a::b::C` (or `super::…` relative to `module`) to the longest
/// module path that is a source file.
fn resolve(
    module: &[String],
    is_dir_module: bool,
    path: &str,
    modules: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let mut segs: Vec<&str> = path.split("::").map(str::trim).collect();
    let mut base: Vec<String> = match segs.first().copied() {
        Some("crate") => {
            segs.remove(0);
            Vec::new()
        }
        Some("super") => {
            let mut b = module.to_vec();
            // `super` in `a/b.rs` is `a`; in `a/b/mod.rs` it is also `a`.
            let _ = is_dir_module;
            while segs.first() == Some(&"super") {
                segs.remove(0);
                b.pop();
            }
            b
        }
        Some("self") => {
            segs.remove(0);
            module.to_vec()
        }
        _ => return None,
    };
    let mut best = None;
    for seg in segs {
        let seg = seg.trim_start_matches('{');
        if seg.is_empty() || seg.contains(['{', '}', ',', ' ', '*']) {
            break;
        }
        base.push(seg.to_owned());
        if modules.contains(&base) {
            best = Some(base.clone());
        } else {
            break;
        }
    }
    best
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e` (enough for cycle
/// detection at file level).
fn expand(u: &str) -> Vec<String> {
    let u = u.trim_end_matches(';').replace(char::is_whitespace, "");
    let Some(open) = u.find('{') else {
        return vec![u];
    };
    let prefix = &u[..open];
    let inner = &u[open + 1..u.len().saturating_sub(1)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}{p}")))
        .collect()
}

#[test]
fn no_import_cycle_among_the_crate_files() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let is_dir = file.file_name().is_some_and(|n| n == "mod.rs");
        let text = std::fs::read_to_string(file).unwrap();
        for u in uses(&text) {
            for path in expand(&u) {
                if let Some(target) = resolve(&module, is_dir, &path, &modules) {
                    // A module root re-exporting its children, or a child using its
                    // parent's re-exports, is the module's own surface, not a cycle
                    // between concepts: count only edges between unrelated files.
                    if target.starts_with(&module) || module.starts_with(&target) {
                        continue;
                    }
                    edges.entry(module.clone()).or_default().insert(target);
                }
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in modules.iter() {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(cycle) = visit(node, &edges, &mut state, &mut Vec::new())
        {
            let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            panic!("import cycle: {}", names.join(" → "));
        }
    }
}
