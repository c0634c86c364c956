//! The module graphs have no circles: the library's modules (`crates/acjwt/src`) and the CLI's
//! subcommand files (`src/cli`). A module's dependencies are the sibling modules its non-test
//! code names through `crate::` (library) or `super::` (CLI), in `use` lists and paths alike;
//! comments are skipped. `cargo modules` would say the same but is too slow to build here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The code of a module file, without comment lines and without its `#[cfg(test)]` tail.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names after every `prefix::`, expanding `prefix::{a, b::c}` to `a` and `b`.
fn named_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let needle = format!("{prefix}::");
    let mut rest = code;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        if let Some(list) = rest.strip_prefix('{') {
            let end = list.find('}').unwrap_or(list.len());
            for item in list[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    names
}

/// The graph of the modules in `dir`: one per `NAME.rs` (and per folder `NAME/`, all its files
/// together), edges to the siblings each one names after `prefix`.
fn graph(dir: &Path, prefix: &str) -> Graph {
    let mut files: BTreeMap<String, Vec<std::path::PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            files.entry(name).or_default().extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs")
            && !["lib", "main", "mod"].contains(&name.as_str())
        {
            files.entry(name).or_default().push(path);
        }
    }
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    files
        .iter()
        .map(|(module, paths)| {
            let deps = paths
                .iter()
                .flat_map(|path| named_after(&code(path), prefix))
                .filter(|name| name != module && modules.contains(name))
                .collect();
            (module.clone(), deps)
        })
        .collect()
}

/// The `.rs` files below `dir` (a module folder may hold assets, such as serve's page).
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
    found
}

/// A circle in `graph`, as the path that closes it, if there is one.
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(graph, node, &mut Vec::new(), &mut done))
}

#[test]
fn the_library_modules_have_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let graph = graph(&root.join("crates/acjwt/src"), "crate");
    assert!(
        graph.contains_key("jws") && graph.contains_key("keys"),
        "{graph:?}"
    );
    if let Some(found) = circle(&graph) {
        panic!("library modules import each other: {}", found.join(" -> "));
    }
    // The layering the crypto modules promise (crates/acjwt/src/alg.rs).
    assert!(graph["alg"].is_empty(), "{:?}", graph["alg"]);
    for low in ["jws", "keys", "arith"] {
        for high in ["backend", "claims", "verify", "explain"] {
            assert!(!graph[low].contains(high), "{low} imports {high}");
        }
    }
    assert!(!graph["jws"].contains("keys") && !graph["jws"].contains("backend"));
}

#[test]
fn the_cli_modules_have_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let graph = graph(&root.join("src/cli"), "super");
    assert!(
        graph.contains_key("batch") && graph.contains_key("verify"),
        "{graph:?}"
    );
    if let Some(found) = circle(&graph) {
        panic!("CLI modules import each other: {}", found.join(" -> "));
    }
}

#[test]
fn a_circle_is_found() {
    let mut graph = Graph::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["c".to_string()].into());
    graph.insert("c".into(), ["a".to_string()].into());
    assert_eq!(circle(&graph).unwrap(), ["a", "b", "c", "a"]);
    let names = named_after(
        "use super::{Context, batch, files};\nsuper::output::note(x)",
        "super",
    );
    assert!(names.contains("batch") && names.contains("files") && names.contains("output"));
}
