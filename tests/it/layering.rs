//! The crate's layers, written once ([`LAYERS`], leaves first), held by a test: every path a
//! source file names — `use` trees (`use crate::{a::B, c::{D, E}}`), inline paths
//! (`crate::a::B`, `$crate::a::B`, `super::super::a::B`) and paths through the crate root's
//! re-exports (`crate::ExchangeError`) — may point only to its own module or to a lower layer.
//! Comments (doc links included: a leaf's docs may name who drives it) and string literals are
//! not code. A parent module re-exporting its own children is its surface, not an import.
//!
//! Also: every module of `src/` has a layer, no import cycle among the files, and the flows
//! never reach the blocking side. `a_planted_upward_import_fails` shows the check fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, from the leaves to the top. A module may name modules of lower layers only:
/// not a higher layer, and not another module of its own layer. An entry `a::b` places that
/// submodule apart from its parent `a` (the longest entry matching a path wins).
const LAYERS: &[&[&str]] = &[
    // XML 1.0's character rules (speech's SSML and the eligibility writer share them).
    // Also: any error's wire form and the `{"code", "message"}` serialisation every error
    // uses (`error_report`), and the `tracing` hooks (`trace`: codes and step names in).
    &["xml_text", "error_report", "trace"],
    // Leaves: values and codecs that name nothing else of the crate.
    &["date", "tlv", "person", "my_number", "speech", "manual"],
    // Digests, signature algorithms and the signature backends (card and pki both use them).
    &["crypto"],
    &["apdu"],
    &["transport"],
    &["error"],
    &["exchange"],
    &["session"],
    &["card"],
    &["pki"],
    // Files and credentials built on the card and the PKI: eligibility files, signed
    // documents (CMS / PDF), mdoc presentations.
    &["eligibility", "document", "mdoc"],
    // The sans-IO conversations.
    &["flows"],
    &["employer"],
    // Drivers: I/O, the clock, threads, the OS's randomness (feature `std`).
    &["runner"],
    &["employer::driver", "pcsc", "terminal", "relying_party"],
    // Re-exports of the parsers for fuzzing.
    &["internal"],
];

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

/// One source file: its module path (`src/card/pin.rs` → `["card", "pin"]`, `src/card/mod.rs`
/// → `["card"]`, `src/lib.rs` → `[]`), its name for messages, and its text.
struct Source {
    module: Vec<String>,
    name: String,
    text: String,
}

fn module_of(rel: &Path) -> Vec<String> {
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

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(src()).unwrap().to_path_buf();
            Source {
                module: module_of(&rel),
                // '/' on every platform (the names below are written that way).
                name: format!(
                    "src/{}",
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/")
                ),
                text: std::fs::read_to_string(&f).unwrap(),
            }
        })
        .collect()
}

/// The text with comments, string and char literals blanked (newlines kept, so line numbers
/// hold): their `{`, `}` and `::` are not code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && starts_token(&chars, i) {
            // A raw string r"…" / r#"…"# (or `r#ident`, which has no quote).
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.extend(std::iter::repeat_n(' ', j + 1 - i));
            i = j + 1;
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    out.extend(std::iter::repeat_n(' ', hashes + 1));
                    i += hashes + 1;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('{', '\n', '\u{7B}') — or a lifetime ('a), kept as is.
            if next == Some('\\') {
                let end = (i + 2..chars.len())
                    .find(|&k| chars[k] == '\'')
                    .unwrap_or(i + 1);
                out.extend(std::iter::repeat_n(' ', end + 1 - i));
                i = end + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                out.push_str("   ");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether `chars[i]` starts a token: not inside an identifier (a `b` prefix, as in `br"…"`,
/// still counts).
fn starts_token(chars: &[char], i: usize) -> bool {
    let word = |k: usize| {
        chars
            .get(k)
            .is_some_and(|p| p.is_alphanumeric() || *p == '_')
    };
    match i.checked_sub(1) {
        None => true,
        Some(p) if chars[p] == 'b' => p == 0 || !word(p - 1),
        Some(p) => !word(p),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Colons,
    Open,
    Close,
    Semi,
    Comma,
    Star,
    Other,
}

/// Tokens with their line numbers.
fn tokens(code: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push((Token::Ident(word.trim_start_matches("r#").to_owned()), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((Token::Colons, line));
            i += 2;
        } else {
            out.push((
                match c {
                    '{' => Token::Open,
                    '}' => Token::Close,
                    ';' => Token::Semi,
                    ',' => Token::Comma,
                    '*' => Token::Star,
                    _ => Token::Other,
                },
                line,
            ));
            i += 1;
        }
    }
    out
}

/// A path named in a file: its segments as written, the module it is named from (file module
/// plus inline `mod x { … }`), and the line.
#[derive(Debug)]
struct Named {
    segments: Vec<String>,
    from: Vec<String>,
    line: usize,
}

/// Expands the use tree starting at `toks[*i]` under `prefix`, up to `;`, `,` or `}`.
fn use_tree(
    toks: &[(Token, usize)],
    i: &mut usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) {
    let mut path = prefix;
    while let Some((t, _)) = toks.get(*i) {
        match t {
            Token::Ident(w) if w == "as" => {
                // `… as name`: the alias is not a path.
                *i += 2;
                break;
            }
            Token::Ident(w) => {
                path.push(w.clone());
                *i += 1;
            }
            Token::Colons | Token::Star => *i += 1,
            Token::Open => {
                *i += 1;
                loop {
                    use_tree(toks, i, path.clone(), out);
                    match toks.get(*i).map(|t| &t.0) {
                        Some(Token::Comma) => *i += 1,
                        Some(Token::Close) => {
                            *i += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                return;
            }
            _ => break,
        }
    }
    // `use a::{self, …}` names `a`.
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    out.push(path);
}

/// Every path a file names that starts at `crate`, `$crate`, `super` or `self`.
fn named_paths(file_module: &[String], text: &str) -> Vec<Named> {
    let code = code_only(text);
    let toks = tokens(&code);
    let mut out = Vec::new();
    // Inline modules: (name, brace depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let here = |inline: &Vec<(String, usize)>| -> Vec<String> {
        let mut m = file_module.to_vec();
        m.extend(inline.iter().map(|(n, _)| n.clone()));
        m
    };
    let mut i = 0;
    while i < toks.len() {
        let (t, line) = &toks[i];
        let prev_colons = i > 0 && toks[i - 1].0 == Token::Colons;
        match t {
            Token::Open => {
                depth += 1;
                i += 1;
            }
            Token::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Token::Ident(w) if w == "mod" => {
                if let (Some((Token::Ident(name), _)), Some((Token::Open, _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    depth += 1;
                    inline.push((name.clone(), depth));
                    i += 3;
                } else {
                    i += 1;
                }
            }
            Token::Ident(w) if w == "use" && !prev_colons => {
                i += 1;
                let mut paths = Vec::new();
                use_tree(&toks, &mut i, Vec::new(), &mut paths);
                let from = here(&inline);
                for segments in paths {
                    out.push(Named {
                        segments,
                        from: from.clone(),
                        line: *line,
                    });
                }
            }
            Token::Ident(w)
                if !prev_colons && matches!(w.as_str(), "crate" | "$crate" | "super" | "self") =>
            {
                let mut segments = vec![w.clone()];
                let mut j = i + 1;
                while let (Some((Token::Colons, _)), Some((Token::Ident(s), _))) =
                    (toks.get(j), toks.get(j + 1))
                {
                    segments.push(s.clone());
                    j += 2;
                }
                if segments.len() > 1 {
                    out.push(Named {
                        segments,
                        from: here(&inline),
                        line: *line,
                    });
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

/// The absolute path (from the crate root) of a named path; `None` for a path that does not
/// start inside the crate (`std::…`, a dependency).
fn absolute(named: &Named) -> Option<Vec<String>> {
    let mut segs = named.segments.iter();
    let mut base = match segs.next()?.as_str() {
        "crate" | "$crate" => Vec::new(),
        "self" => named.from.clone(),
        "super" => {
            let mut b = named.from.clone();
            b.pop();
            b
        }
        _ => return None,
    };
    let rest: Vec<String> = segs.cloned().collect();
    let mut rest = rest.as_slice();
    while let Some((first, tail)) = rest.split_first() {
        if first != "super" {
            break;
        }
        base.pop();
        rest = tail;
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The crate root's re-exports: `ExchangeError` → `error::ExchangeError`, `digest` →
/// `crypto::digest`.
fn root_reexports(sources: &[Source]) -> BTreeMap<String, Vec<String>> {
    let mut map = BTreeMap::new();
    for s in sources.iter().filter(|s| s.module.is_empty()) {
        // `pub use a::B;` at the root names `a::B` without `crate::`: read those trees too.
        let code = code_only(&s.text);
        let toks = tokens(&code);
        let mut i = 0;
        while i < toks.len() {
            if toks[i].0 == Token::Ident("use".into()) {
                i += 1;
                let mut paths = Vec::new();
                use_tree(&toks, &mut i, Vec::new(), &mut paths);
                for p in paths {
                    if let Some(last) = p.last() {
                        let p = if p.first().is_some_and(|f| f == "crate") {
                            p[1..].to_vec()
                        } else {
                            p.clone()
                        };
                        map.insert(last.clone(), p);
                    }
                }
            } else {
                i += 1;
            }
        }
    }
    map
}

/// The layer index and entry of a module path (longest entry that is a prefix of it).
fn layer_of(path: &[String]) -> Option<(usize, Vec<String>)> {
    let mut best: Option<(usize, Vec<String>)> = None;
    for (index, layer) in LAYERS.iter().enumerate() {
        for entry in layer.iter() {
            let entry: Vec<String> = entry.split("::").map(str::to_owned).collect();
            if path.starts_with(&entry) && best.as_ref().is_none_or(|(_, b)| entry.len() > b.len())
            {
                best = Some((index, entry));
            }
        }
    }
    best
}

/// What a source names, resolved: (line, the module naming it, the absolute target).
fn references(sources: &[Source]) -> Vec<(String, usize, Vec<String>, Vec<String>)> {
    let reexports = root_reexports(sources);
    let mut out = Vec::new();
    for s in sources {
        for named in named_paths(&s.module, &s.text) {
            let Some(mut target) = absolute(&named) else {
                continue;
            };
            // Through a root re-export: `crate::ExchangeError` is `crate::error::ExchangeError`.
            if let Some(real) = target.first().and_then(|f| reexports.get(f))
                && real.first() != target.first()
            {
                let mut t = real.clone();
                t.extend(target[1..].iter().cloned());
                target = t;
            }
            out.push((s.name.clone(), named.line, named.from, target));
        }
    }
    out
}

/// Every reference from a module to a higher layer, or to another module of its own layer.
fn violations(sources: &[Source]) -> Vec<String> {
    let mut out = Vec::new();
    for (file, line, from, target) in references(sources) {
        let (Some((from_layer, from_entry)), Some((to_layer, to_entry))) =
            (layer_of(&from), layer_of(&target))
        else {
            continue;
        };
        // A parent re-exporting (or declaring) its own children is its surface.
        if target.starts_with(&from) || from_entry == to_entry {
            continue;
        }
        if to_layer >= from_layer {
            out.push(format!(
                "{file}:{line}: {} (layer {from_layer}) names {} (layer {to_layer})",
                from.join("::"),
                target.join("::"),
            ));
        }
    }
    out
}

#[test]
fn every_path_points_down_the_layers() {
    let found = violations(&sources());
    assert!(
        found.is_empty(),
        "upward or sideways references (layers in tests/it/layering.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_module_has_a_layer() {
    let tops: BTreeSet<String> = sources()
        .iter()
        .filter_map(|s| s.module.first().cloned())
        .collect();
    for top in &tops {
        assert!(
            layer_of(std::slice::from_ref(top)).is_some(),
            "src/{top} has no layer: add it to LAYERS in tests/it/layering.rs"
        );
    }
    // The scanner sees the paths it must: a use tree, an inline path, a root re-export.
    let refs = references(&sources());
    let names = |file: &str, target: &str| {
        refs.iter()
            .any(|(f, _, _, t)| f == file && t.join("::").starts_with(target))
    };
    assert!(names("src/card/cv_trust.rs", "crypto::backend"));
    assert!(names("src/pki/error.rs", "crypto::backend::KeyError"));
    assert!(names("src/card/error.rs", "transport::TransportError"));
}

/// The real sources, one file's text changed.
fn planted(file: &str, change: impl Fn(&str) -> String) -> Vec<String> {
    let mut sources = sources();
    let s = sources.iter_mut().find(|s| s.name == file).unwrap();
    s.text = change(&s.text);
    violations(&sources)
}

#[test]
fn a_planted_upward_import_fails() {
    // A `use` line in a leaf.
    let found = planted("src/date.rs", |t| {
        format!("{t}\nuse crate::pki::TrustStore;\n")
    });
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("date (layer 1) names pki::TrustStore"),
        "{found:?}"
    );
    // An inline path in a function body, a module deeper.
    let found = planted("src/card/pin.rs", |t| {
        format!("{t}\nfn planted() -> usize {{ crate::flows::PIN_LEN }}\n")
    });
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("card::pin (layer 8) names flows::PIN_LEN"),
        "{found:?}"
    );
    // `super::super::…` from an inline test module, inside a nested use tree.
    let found = planted("src/pki/path.rs", |t| {
        format!(
            "{t}\n#[cfg(test)]\nmod planted {{\n    use super::super::{{Certificate, super::runner::{{Reply, Runner}}}};\n}}\n"
        )
    });
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|f| f.contains("pki::path::planted (layer 9) names runner::")),
        "{found:?}"
    );
    // Through a root re-export, and sideways within the leaves.
    let found = planted("src/tlv.rs", |t| {
        format!("{t}\nconst _: Option<crate::MyNumber> = None;\n")
    });
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("tlv (layer 1) names my_number::MyNumber (layer 1)"),
        "{found:?}"
    );
    // A comment or a string naming a higher layer is not an import.
    let found = planted("src/date.rs", |t| {
        format!("{t}\n// crate::pki::TrustStore\nconst _: &str = \"crate::pki::TrustStore\";\n")
    });
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn flows_never_reach_the_blocking_side() {
    let mut seen = BTreeSet::new();
    for (file, line, _, target) in references(&sources()) {
        if !file.starts_with("src/flows/") {
            continue;
        }
        let t = target.join("::");
        seen.extend(target.first().cloned());
        for forbidden in [
            "transport",
            "runner",
            "pcsc",
            "exchange::Exchange",
            "session",
        ] {
            assert!(
                !(t == forbidden || t.starts_with(&format!("{forbidden}::"))),
                "{file}:{line} names {t}"
            );
        }
    }
    // The scan saw the flows' real references (an empty scan would pass the loop above).
    for layer in ["apdu", "card", "pki"] {
        assert!(
            seen.contains(layer),
            "no reference from src/flows to {layer}: {seen:?}"
        );
    }
}

#[test]
fn no_import_cycle_among_the_crate_files() {
    if let Some(cycle) = import_cycle(&sources()) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn a_planted_import_cycle_fails() {
    // Two leaves naming each other: a cycle between two files the layer check would also
    // refuse; the cycle check finds it on its own.
    let mut sources = sources();
    for (file, line) in [
        ("src/date.rs", "use crate::tlv::Tlv;"),
        ("src/tlv.rs", "use crate::date::CalendarDate;"),
    ] {
        let s = sources.iter_mut().find(|s| s.name == file).unwrap();
        s.text = format!("{line}\n{}", s.text);
    }
    let cycle = import_cycle(&sources).expect("the planted cycle is found");
    assert!(
        cycle == ["date", "tlv", "date"] || cycle == ["tlv", "date", "tlv"],
        "{cycle:?}"
    );
}

/// A cycle among the files' production imports (module paths joined with `::`), if any.
fn import_cycle(sources: &[Source]) -> Option<Vec<String>> {
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    // The file a path lands in: its longest prefix that is a file's module.
    let file_of = |path: &[String]| {
        (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| modules.contains(p))
    };
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for s in sources {
        // Production code only: a unit test may use a sibling that uses its module.
        let production = s.text.split("#[cfg(test)]").next().unwrap_or("");
        for named in named_paths(&s.module, production) {
            let Some(target) = absolute(&named).and_then(|t| file_of(&t)) else {
                continue;
            };
            // A module root re-exporting its children, or a child using its parent's
            // re-exports, is the module's own surface, not a cycle between concepts.
            if target.starts_with(&s.module) || s.module.starts_with(&target) {
                continue;
            }
            edges.entry(s.module.clone()).or_default().insert(target);
        }
    }
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
            return Some(cycle.iter().map(|m| m.join("::")).collect());
        }
    }
    None
}
