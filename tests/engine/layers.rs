//! The engine's module graph, read from the source text of `src/engine/` (std only, no parser
//! crate): no module cycles, and the `fetch` layer never imports the `check` layer.
//!
//! Every reference to another engine module counts: `use super::x`, `super::super::x`,
//! `use crate::engine::a::b`, `crate::engine::a::b::Thing` in expressions, grouped uses
//! (`use super::{a, b::{c}}`). Comments, string literals and `#[cfg(test)] mod … { … }` blocks do
//! not. A reference resolves to the longest module path that exists as a file; when it names an
//! item that module re-exports (`pub use`), it resolves on to where the item lives.
//!
//! Edges that are not dependencies between files are dropped: a file's edges to itself, a parent's
//! edges to its own descendants (it declares them), and a file's edges to its own ancestors, unless
//! the item named is defined in the ancestor's file itself (a type kept in a `mod.rs`). So a
//! façade's re-exports never make a cycle, but a child that uses its parent's own type does
//! depend on that parent.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

/// A module path such as `["engine", "fetch", "simulate"]`.
type Module = Vec<String>;

/// One dependency of a file on another engine file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: Module,
    to: Module,
    /// 1-based line in `from` where the path starts.
    line: usize,
    /// The reference as written, expanded out of its group: `super::report::Outcome`.
    path: String,
}

fn name(module: &[String]) -> String {
    module.join("::")
}

// ---------------------------------------------------------------------------------------------
// Source text → tokens, without comments, literals and test modules.

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Blanks comments, string and char literals with spaces, keeping every newline (so line numbers
/// stay right) and lifetimes.
fn blank_comments_and_literals(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = c.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for ch in out.iter_mut().take(to.min(c.len())).skip(from) {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
    };
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            let end = (i..c.len()).find(|&j| c[j] == '\n').unwrap_or(c.len());
            blank(&mut out, i, end);
            i = end;
        } else if c[i] == '/' && next == Some('*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < c.len() && depth > 0 {
                if c[j] == '/' && c.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if c[j] == '*' && c.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if c[i] == 'r'
            && (i == 0
                || !is_ident_char(c[i - 1])
                || (c[i - 1] == 'b' && (i < 2 || !is_ident_char(c[i - 2]))))
            && matches!(next, Some('"') | Some('#'))
        {
            // A raw string `r"…"`, `r#"…"#`, `br"…"`; `r#ident` is not one.
            let mut j = i + 1;
            while c.get(j) == Some(&'#') {
                j += 1;
            }
            let hashes = j - i - 1;
            if c.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let mut k = j + 1;
            while k < c.len() {
                if c[k] == '"' && (1..=hashes).all(|h| c.get(k + h) == Some(&'#')) {
                    k += 1 + hashes;
                    break;
                }
                k += 1;
            }
            blank(&mut out, i, k);
            i = k;
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if c[i] == '\'' {
            // `'x'` or `'\n'`/`'\u{..}'` is a char literal; `'a` is a lifetime.
            if next == Some('\\') {
                let end = (i + 2..c.len().min(i + 14)).find(|&j| c[j] == '\'');
                let end = end.map_or(i + 1, |e| e + 1);
                blank(&mut out, i, end);
                i = end;
            } else if c.get(i + 2) == Some(&'\'') {
                blank(&mut out, i, i + 3);
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// Blanks every `#[cfg(test)]` (alone on its line) `mod name { … }` or `mod name;`, keeping
/// newlines. Run on text whose comments and literals are already blank.
fn blank_test_modules(code: &str) -> String {
    let mut c: Vec<char> = code.chars().collect();
    let mut line_start = 0;
    while line_start < c.len() {
        let line_end = (line_start..c.len())
            .find(|&j| c[j] == '\n')
            .unwrap_or(c.len());
        let line: String = c[line_start..line_end].iter().collect();
        if line.trim() == "#[cfg(test)]" {
            let rest: String = c[line_end..].iter().collect();
            let words: Vec<&str> = rest.split_whitespace().take(3).collect();
            let is_mod = matches!(words.as_slice(), ["mod", ..] | ["pub", "mod", ..]);
            if is_mod {
                // The first `{` or `;` after `mod`, then the matching `}`.
                let mut j = line_end;
                while j < c.len() && c[j] != '{' && c[j] != ';' {
                    j += 1;
                }
                if j < c.len() && c[j] == '{' {
                    let mut depth = 0;
                    while j < c.len() {
                        match c[j] {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                }
                let end = (j + 1).min(c.len());
                for ch in &mut c[line_start..end] {
                    if *ch != '\n' {
                        *ch = ' ';
                    }
                }
            }
        }
        line_start = line_end + 1;
    }
    c.into_iter().collect()
}

/// The code of a file as the graph sees it.
fn code(src: &str) -> String {
    blank_test_modules(&blank_comments_and_literals(src))
}

#[derive(Debug, Clone)]
struct Tok {
    text: String,
    line: usize,
}

fn tokens(code: &str) -> Vec<Tok> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push(Tok {
                text: "::".into(),
                line,
            });
            i += 2;
        } else if is_ident_char(ch) {
            let mut j = i;
            while j < c.len() && is_ident_char(c[j]) {
                j += 1;
            }
            let mut text: String = c[i..j].iter().collect();
            // A raw identifier `r#type` is `type`.
            if text == "r"
                && c.get(j) == Some(&'#')
                && c.get(j + 1).is_some_and(|&n| is_ident_char(n))
            {
                let mut k = j + 1;
                while k < c.len() && is_ident_char(c[k]) {
                    k += 1;
                }
                text = c[j + 1..k].iter().collect();
                j = k;
            }
            out.push(Tok { text, line });
            i = j;
        } else {
            out.push(Tok {
                text: ch.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_alphabetic())
}

// ---------------------------------------------------------------------------------------------
// Paths.

/// One path out of a `use` tree or an expression, with the line where it starts.
#[derive(Debug, Clone)]
struct Leaf {
    segments: Vec<String>,
    alias: Option<String>,
    line: usize,
}

/// Parses a path or `use` tree at `toks[i]` below `prefix`, pushing its leaves; returns the index
/// after it.
fn parse_tree(
    toks: &[Tok],
    i: usize,
    prefix: &[String],
    line: usize,
    out: &mut Vec<Leaf>,
) -> usize {
    let text = |j: usize| toks.get(j).map(|t| t.text.as_str());
    let mut segments = prefix.to_vec();
    let mut j = i;
    if text(j) == Some("::") {
        j += 1;
    }
    loop {
        match text(j) {
            Some("{") => {
                j += 1;
                loop {
                    match text(j) {
                        None => return j,
                        Some("}") => return j + 1,
                        Some(",") => j += 1,
                        Some(_) => {
                            let k = parse_tree(toks, j, &segments, line, out);
                            j = if k == j { j + 1 } else { k };
                        }
                    }
                }
            }
            Some("*") => {
                segments.push("*".into());
                out.push(Leaf {
                    segments,
                    alias: None,
                    line,
                });
                return j + 1;
            }
            Some(t) if is_ident(t) => {
                // `{self, …}` inside a group names the prefix itself.
                if t != "self" || segments.is_empty() {
                    segments.push(t.to_string());
                }
                j += 1;
                if text(j) == Some("::") {
                    j += 1;
                    continue;
                }
                let mut alias = None;
                if text(j) == Some("as") {
                    alias = text(j + 1).map(str::to_string);
                    j += 2;
                }
                out.push(Leaf {
                    segments,
                    alias,
                    line,
                });
                return j;
            }
            _ => {
                // A path that ends in `::<T>` (turbofish) or is cut off.
                if segments.len() > prefix.len() {
                    out.push(Leaf {
                        segments,
                        alias: None,
                        line,
                    });
                }
                return j;
            }
        }
    }
}

/// Is the `use` at `toks[i]` public (`pub use`, `pub(crate) use`, …)?
fn is_pub_use(toks: &[Tok], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|p| toks.get(p)) else {
        return false;
    };
    if prev.text == "pub" {
        return true;
    }
    if prev.text != ")" {
        return false;
    }
    let open = (0..i - 1).rev().find(|&k| toks[k].text == "(");
    open.and_then(|k| k.checked_sub(1))
        .is_some_and(|k| toks[k].text == "pub")
}

/// Every path in `code` that may name another module, and whether it comes from a `pub use`.
/// `use` paths may be relative (`use child::X`); expression paths start with `super`, `crate` or
/// `self`.
fn paths(code: &str) -> Vec<(Leaf, bool)> {
    let toks = tokens(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].text.as_str();
        let prev = i.checked_sub(1).map(|p| toks[p].text.as_str());
        let next = toks.get(i + 1).map(|t| t.text.as_str());
        if t == "use" && prev != Some("::") {
            let public = is_pub_use(&toks, i);
            let mut leaves = Vec::new();
            let line = toks.get(i + 1).map_or(toks[i].line, |t| t.line);
            let k = parse_tree(&toks, i + 1, &[], line, &mut leaves);
            out.extend(leaves.into_iter().map(|l| (l, public)));
            i = k.max(i + 1);
        } else if matches!(t, "super" | "crate" | "self")
            && next == Some("::")
            && prev != Some("::")
            && prev != Some("in")
        {
            let mut leaves = Vec::new();
            let k = parse_tree(&toks, i, &[], toks[i].line, &mut leaves);
            out.extend(leaves.into_iter().map(|l| (l, false)));
            i = k.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The absolute path (from the crate root) of `segments` written in `from`.
fn absolute(from: &[String], segments: &[String]) -> Option<Vec<String>> {
    let first = segments.first()?;
    match first.as_str() {
        "crate" => Some(segments[1..].to_vec()),
        "super" => {
            let mut base = from.to_vec();
            let mut k = 0;
            while segments.get(k).map(String::as_str) == Some("super") {
                base.pop()?;
                k += 1;
            }
            base.extend_from_slice(&segments[k..]);
            Some(base)
        }
        "self" => {
            let mut base = from.to_vec();
            base.extend_from_slice(&segments[1..]);
            Some(base)
        }
        _ => {
            let mut base = from.to_vec();
            base.extend_from_slice(segments);
            Some(base)
        }
    }
}

/// The longest existing module that `path` starts with, and the item it names there, if any.
fn resolve(modules: &BTreeSet<Module>, path: &[String]) -> Option<(Module, Option<String>)> {
    (1..=path.len()).rev().find_map(|n| {
        let module = path[..n].to_vec();
        modules
            .contains(&module)
            .then(|| (module, path.get(n).cloned()))
    })
}

/// Item names introduced by `struct`, `enum`, `fn`, `trait`, `type`, `const`, `static`, `union`,
/// `mod` in `code`.
fn defined_items(code: &str) -> BTreeSet<String> {
    let toks = tokens(code);
    toks.windows(2)
        .filter(|w| {
            matches!(
                w[0].text.as_str(),
                "struct" | "enum" | "fn" | "trait" | "type" | "const" | "static" | "union" | "mod"
            ) && is_ident(&w[1].text)
        })
        .map(|w| w[1].text.clone())
        .collect()
}

fn is_strict_prefix(short: &[String], long: &[String]) -> bool {
    short.len() < long.len() && long.starts_with(short)
}

/// The dependencies between `files` (module path, source text), one edge per reference.
fn edges(files: &[(Module, String)]) -> Vec<Edge> {
    let modules: BTreeSet<Module> = files.iter().map(|(m, _)| m.clone()).collect();
    let parsed: Vec<(Module, Vec<(Leaf, bool)>)> = files
        .iter()
        .map(|(m, src)| (m.clone(), paths(&code(src))))
        .collect();
    let defined: HashMap<Module, BTreeSet<String>> = files
        .iter()
        .map(|(m, src)| (m.clone(), defined_items(&code(src))))
        .collect();
    // module → name it re-exports → absolute path of the original.
    let mut reexports: HashMap<Module, HashMap<String, Vec<String>>> = HashMap::new();
    for (module, leaves) in &parsed {
        for (leaf, public) in leaves {
            let Some(last) = leaf.segments.last() else {
                continue;
            };
            let exported = leaf.alias.clone().unwrap_or_else(|| last.clone());
            if !*public || exported == "*" || exported == "_" {
                continue;
            }
            if let Some(abs) = absolute(module, &leaf.segments) {
                reexports
                    .entry(module.clone())
                    .or_default()
                    .insert(exported, abs);
            }
        }
    }
    let follow = |mut at: (Module, Option<String>)| {
        for _ in 0..16 {
            let Some(item) = &at.1 else { break };
            let Some(original) = reexports.get(&at.0).and_then(|r| r.get(item)) else {
                break;
            };
            match resolve(&modules, original) {
                Some(next) if next != at => at = next,
                _ => break,
            }
        }
        at
    };
    let mut out = Vec::new();
    for (from, leaves) in &parsed {
        for (leaf, _) in leaves {
            let Some(abs) = absolute(from, &leaf.segments) else {
                continue;
            };
            let Some(target) = resolve(&modules, &abs) else {
                continue;
            };
            let (to, item) = follow(target);
            let keep = if &to == from || is_strict_prefix(from, &to) {
                false
            } else if is_strict_prefix(&to, from) {
                item.is_some_and(|item| defined.get(&to).is_some_and(|d| d.contains(&item)))
            } else {
                true
            };
            if keep {
                out.push(Edge {
                    from: from.clone(),
                    to,
                    line: leaf.line,
                    path: leaf.segments.join("::"),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

// ---------------------------------------------------------------------------------------------
// Cycles.

fn graph(edges: &[Edge]) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in edges {
        g.entry(name(&e.from)).or_default().insert(name(&e.to));
        g.entry(name(&e.to)).or_default();
    }
    g
}

/// Tarjan's strongly connected components.
fn components(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let g = s.g;
        for w in g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            component.sort();
            s.out.push(component);
        }
    }
    let mut s = State {
        g,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// The cycles among the modules, each closed (`[a, b, a]`): for every edge that lies on a cycle,
/// the shortest cycle through it, so every edge to break shows up. Sorted, no duplicates.
fn cycles(edges: &[Edge]) -> Vec<Vec<String>> {
    let g = graph(edges);
    let mut found = BTreeSet::new();
    for component in components(&g) {
        let members: BTreeSet<&String> = component.iter().collect();
        for u in &component {
            for v in &g[u] {
                if !members.contains(v) {
                    continue;
                }
                // Shortest path v → u inside the component.
                let mut parent: HashMap<&String, &String> = HashMap::new();
                let mut queue = VecDeque::from([v]);
                let mut seen = BTreeSet::from([v]);
                while let Some(x) = queue.pop_front() {
                    if x == u {
                        break;
                    }
                    for y in &g[x] {
                        if members.contains(y) && seen.insert(y) {
                            parent.insert(y, x);
                            queue.push_back(y);
                        }
                    }
                }
                // Walk back from u to v: [u, …, v], then turn it into the ring [u, v, …].
                let mut back = vec![u];
                let mut at = u;
                while at != v {
                    let Some(p) = parent.get(at) else { break };
                    back.push(p);
                    at = p;
                }
                if at != v {
                    continue;
                }
                back.reverse(); // [v, …, u]
                let mut ring = vec![u.clone()];
                ring.extend(back[..back.len() - 1].iter().map(|x| (*x).clone()));
                // Start at the smallest name so a cycle is found once.
                let start = ring
                    .iter()
                    .enumerate()
                    .min_by(|a, b| a.1.cmp(b.1))
                    .map_or(0, |(i, _)| i);
                ring.rotate_left(start);
                ring.push(ring[0].clone());
                found.insert(ring);
            }
        }
    }
    found.into_iter().collect()
}

/// Edges from a module under `from` to a module under `to`.
fn crossing<'a>(edges: &'a [Edge], from: &[&str], to: &[&str]) -> Vec<&'a Edge> {
    let under = |m: &Module, prefix: &[&str]| {
        m.len() >= prefix.len() && m.iter().zip(prefix).all(|(a, b)| a == b)
    };
    edges
        .iter()
        .filter(|e| under(&e.from, from) && under(&e.to, to))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reporting.

/// Where each module's file is and what it says, to print references.
struct Sources {
    file: BTreeMap<String, String>,
    text: BTreeMap<String, String>,
}

impl Sources {
    fn file(&self, module: &str) -> String {
        self.file
            .get(module)
            .cloned()
            .unwrap_or_else(|| module.to_string())
    }

    fn line(&self, module: &str, line: usize) -> String {
        self.text
            .get(module)
            .and_then(|t| t.lines().nth(line.saturating_sub(1)))
            .map_or(String::new(), |l| l.trim().to_string())
    }

    /// One line per referring source line: `file:line: paths -> target    [the line]`.
    fn references(&self, edges: &[&Edge]) -> Vec<String> {
        let mut groups: BTreeMap<(String, usize, String), Vec<&str>> = BTreeMap::new();
        for e in edges {
            groups
                .entry((name(&e.from), e.line, name(&e.to)))
                .or_default()
                .push(&e.path);
        }
        groups
            .into_iter()
            .map(|((from, line, to), paths)| {
                format!(
                    "    {}:{line}: {} -> {to}    [{}]",
                    self.file(&from),
                    paths.join(", "),
                    self.line(&from, line)
                )
            })
            .collect()
    }
}

fn describe(found: &[Vec<String>], edges: &[Edge], sources: &Sources) -> String {
    let mut s = format!(
        "the engine's modules form {} cycle(s); break each one at one of the references listed \
         (move the shared item down to the module both use, or pass it in):\n",
        found.len()
    );
    for (n, ring) in found.iter().enumerate() {
        s += &format!("\ncycle {}: {}\n", n + 1, ring.join(" -> "));
        let files: Vec<String> = ring.iter().map(|m| sources.file(m)).collect();
        s += &format!("  files: {}\n", files.join(" -> "));
        for pair in ring.windows(2) {
            let step: Vec<&Edge> = edges
                .iter()
                .filter(|e| name(&e.from) == pair[0] && name(&e.to) == pair[1])
                .collect();
            for line in sources.references(&step) {
                s += &line;
                s.push('\n');
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The real tree.

struct Tree {
    files: Vec<(Module, String)>,
    sources: Sources,
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            rs_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn engine_tree() -> Tree {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut paths = Vec::new();
    let dir = src.join("engine");
    assert!(dir.is_dir(), "no engine directory at {}", dir.display());
    rs_files(&dir, &mut paths);
    if src.join("engine.rs").is_file() {
        paths.push(src.join("engine.rs"));
    }
    paths.sort();
    let mut files = Vec::new();
    let mut sources = Sources {
        file: BTreeMap::new(),
        text: BTreeMap::new(),
    };
    for path in paths {
        let rel = path.strip_prefix(&src).unwrap_or(&path);
        let mut module: Module = rel
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        if module.last().is_some_and(|l| l == "mod.rs") {
            module.pop();
        } else if let Some(last) = module.last_mut() {
            *last = last.trim_end_matches(".rs").to_string();
        }
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if let Some(other) = sources.file.insert(name(&module), shown.clone()) {
            panic!("{other} and {shown} are both module {}", name(&module));
        }
        sources.text.insert(name(&module), text.clone());
        files.push((module, text));
    }
    Tree { files, sources }
}

#[test]
fn engine_modules_have_no_cycles() {
    let tree = engine_tree();
    let edges = edges(&tree.files);
    assert!(
        !edges.is_empty(),
        "found no references between the {} engine files: the scanner is broken",
        tree.files.len()
    );
    let found = cycles(&edges);
    assert!(
        found.is_empty(),
        "{}",
        describe(&found, &edges, &tree.sources)
    );
}

#[test]
fn fetch_layer_never_imports_check_layer() {
    let fetch = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine/fetch");
    if !fetch.is_dir() {
        eprintln!(
            "note: {} does not exist yet; the fetch-never-imports-check rule is skipped",
            fetch.display()
        );
        return;
    }
    let tree = engine_tree();
    let edges = edges(&tree.files);
    let bad = crossing(&edges, &["engine", "fetch"], &["engine", "check"]);
    let listed = tree.sources.references(&bad);
    assert!(
        bad.is_empty(),
        "the fetch layer must not import the check layer; {} reference(s):\n{}",
        bad.len(),
        listed.join("\n")
    );
}

/// The server view sits on top: neither `fetch` nor `check` may import `evidence`.
#[test]
fn lower_layers_never_import_the_server_view() {
    let tree = engine_tree();
    let edges = edges(&tree.files);
    for lower in ["fetch", "check"] {
        let bad = crossing(&edges, &["engine", lower], &["engine", "evidence"]);
        let listed = tree.sources.references(&bad);
        assert!(
            bad.is_empty(),
            "the {lower} layer must not import the evidence layer; {} reference(s):\n{}",
            bad.len(),
            listed.join("\n")
        );
    }
}

/// The stack fixes sit on top of `check`: no other layer may import `stack` (they would pull
/// twenty stacks' text into code that has no use for it).
#[test]
fn no_layer_imports_the_stack_fixes() {
    let tree = engine_tree();
    let edges = edges(&tree.files);
    for lower in ["fetch", "check", "evidence"] {
        let bad = crossing(&edges, &["engine", lower], &["engine", "stack"]);
        let listed = tree.sources.references(&bad);
        assert!(
            bad.is_empty(),
            "the {lower} layer must not import the stack layer; {} reference(s):\n{}",
            bad.len(),
            listed.join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The checker itself, on small made-up trees: it can fail, and it reads what it claims to.

fn synthetic(files: &[(&str, &str)]) -> Vec<(Module, String)> {
    files
        .iter()
        .map(|(m, src)| (m.split("::").map(str::to_string).collect(), src.to_string()))
        .collect()
}

fn no_sources() -> Sources {
    Sources {
        file: BTreeMap::new(),
        text: BTreeMap::new(),
    }
}

fn edge_names(edges: &[Edge]) -> BTreeSet<(String, String)> {
    edges.iter().map(|e| (name(&e.from), name(&e.to))).collect()
}

#[test]
fn self_test_finds_a_known_cycle() {
    let files = synthetic(&[
        ("engine", "pub mod a;\npub mod b;\n"),
        ("engine::a", "use super::b;\npub struct A;\n"),
        (
            "engine::b",
            "pub fn f() -> u8 {\n    super::a::helper()\n}\n",
        ),
    ]);
    let edges = edges(&files);
    let found = cycles(&edges);
    assert_eq!(
        found,
        vec![vec![
            "engine::a".to_string(),
            "engine::b".to_string(),
            "engine::a".to_string(),
        ]],
        "edges: {edges:#?}"
    );
    let text = describe(&found, &edges, &no_sources());
    assert!(
        text.contains("cycle 1: engine::a -> engine::b -> engine::a"),
        "{text}"
    );
    assert!(text.contains("super::a::helper"), "{text}");
}

#[test]
fn self_test_passes_an_acyclic_tree_and_reads_every_form() {
    let files = synthetic(&[
        ("engine", "//! [`fetch`] and [`check`]\npub mod check;\npub mod fetch;\n"),
        (
            "engine::fetch",
            "mod token;\nmod method;\nmod header;\n\
             pub use method::{normalize as normalize_method, Method};\n\
             pub use header::Name;\n",
        ),
        ("engine::fetch::token", "pub fn is_token(s: &str) -> bool { !s.is_empty() }\n"),
        (
            "engine::fetch::method",
            "//! Uses no header: `super::header` is only in this comment.\n\
             use super::token::is_token;\n\
             pub struct Method;\n\
             /// See [`super::header::Name`].\n\
             pub fn normalize(m: &str) -> String { let _ = \"super::header::Name\"; m.into() }\n\
             #[cfg(test)]\nmod tests {\n    use super::super::header::Name;\n    use crate::engine::check::form;\n}\n",
        ),
        (
            "engine::fetch::header",
            "use super::{token::{self, is_token}, Method};\n\
             pub struct Name<'a>(&'a str, char);\n\
             fn f() -> char { let _ = r#\"crate::engine::check\"#; '\"' }\n",
        ),
        (
            "engine::check",
            "pub mod form;\npub mod report;\npub mod diagnosis;\npub use report::Report;\n",
        ),
        (
            "engine::check::form",
            "use crate::engine::fetch::{normalize_method, Name};\n\
             pub fn parse() { let _ = crate::engine::fetch::Method; }\n",
        ),
        (
            "engine::check::report",
            "pub struct Report { step: super::diagnosis::sequence::Step }\n",
        ),
        (
            "engine::check::diagnosis",
            "pub mod sequence;\npub struct Context;\n\
             use super::super::check::form::{self};\n",
        ),
        (
            "engine::check::diagnosis::sequence",
            "use super::Context;\nuse super::super::Report;\n\
             pub struct Step;\nfn f() { super::nothing_here::X; }\n",
        ),
    ]);
    let edges = edges(&files);
    let want: BTreeSet<(String, String)> = [
        ("engine::fetch::method", "engine::fetch::token"),
        ("engine::fetch::header", "engine::fetch::token"),
        ("engine::fetch::header", "engine::fetch::method"),
        ("engine::check::form", "engine::fetch::method"),
        ("engine::check::form", "engine::fetch::header"),
        (
            "engine::check::report",
            "engine::check::diagnosis::sequence",
        ),
        ("engine::check::diagnosis", "engine::check::form"),
        (
            "engine::check::diagnosis::sequence",
            "engine::check::diagnosis",
        ),
        (
            "engine::check::diagnosis::sequence",
            "engine::check::report",
        ),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(edge_names(&edges), want, "edges: {edges:#?}");
    // report → sequence → report is a cycle; the rest is not.
    let found = cycles(&edges);
    assert_eq!(
        found,
        vec![vec![
            "engine::check::diagnosis::sequence".to_string(),
            "engine::check::report".to_string(),
            "engine::check::diagnosis::sequence".to_string(),
        ]],
        "{}",
        describe(&found, &edges, &no_sources())
    );
    // Without `use super::super::Report` the tree is acyclic.
    let mut fixed = files.clone();
    if let Some(f) = fixed
        .iter_mut()
        .find(|(m, _)| name(m) == "engine::check::diagnosis::sequence")
    {
        f.1 = f.1.replace("use super::super::Report;", "");
    }
    let fixed_edges = self::edges(&fixed);
    assert!(cycles(&fixed_edges).is_empty(), "edges: {fixed_edges:#?}");
    assert!(crossing(&fixed_edges, &["engine", "fetch"], &["engine", "check"]).is_empty());
}

#[test]
fn self_test_a_parent_type_used_by_a_child_closes_a_cycle() {
    // sequence uses diagnosis's own `Context`; diagnosis uses report; report uses sequence.
    let files = synthetic(&[
        ("engine", "pub mod diagnosis;\npub mod report;\n"),
        (
            "engine::diagnosis",
            "pub mod sequence;\npub struct Context;\nuse super::report::Report;\n",
        ),
        (
            "engine::diagnosis::sequence",
            "use super::Context;\npub struct Step;\n",
        ),
        (
            "engine::report",
            "pub struct Report { s: Vec<super::diagnosis::sequence::Step> }\n",
        ),
    ]);
    let found = cycles(&edges(&files));
    assert_eq!(
        found,
        vec![vec![
            "engine::diagnosis".to_string(),
            "engine::report".to_string(),
            "engine::diagnosis::sequence".to_string(),
            "engine::diagnosis".to_string(),
        ]]
    );
}

#[test]
fn self_test_a_facade_does_not_hide_a_cycle_between_its_children() {
    let files = synthetic(&[
        ("engine", "pub mod fetch;\n"),
        (
            "engine::fetch",
            "mod x;\nmod y;\npub use x::X;\npub use y::Y;\n",
        ),
        ("engine::fetch::x", "pub struct X(super::Y);\n"),
        (
            "engine::fetch::y",
            "use crate::engine::fetch::X;\npub struct Y;\n",
        ),
    ]);
    let found = cycles(&edges(&files));
    assert_eq!(
        found,
        vec![vec![
            "engine::fetch::x".to_string(),
            "engine::fetch::y".to_string(),
            "engine::fetch::x".to_string(),
        ]]
    );
}

#[test]
fn self_test_finds_fetch_importing_check() {
    let files = synthetic(&[
        (
            "engine",
            "pub mod check;\npub mod fetch;\npub use check::report::Report;\n",
        ),
        ("engine::fetch", "mod a;\nmod b;\n"),
        ("engine::fetch::a", "use super::super::check::plan;\n"),
        ("engine::fetch::b", "fn f(r: crate::engine::Report) {}\n"),
        ("engine::check", "pub mod plan;\npub mod report;\n"),
        ("engine::check::plan", ""),
        ("engine::check::report", "pub struct Report;\n"),
    ]);
    let edges = edges(&files);
    let bad: BTreeSet<(String, String)> =
        crossing(&edges, &["engine", "fetch"], &["engine", "check"])
            .into_iter()
            .map(|e| (name(&e.from), name(&e.to)))
            .collect();
    let want: BTreeSet<(String, String)> = [
        ("engine::fetch::a", "engine::check::plan"),
        ("engine::fetch::b", "engine::check::report"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(bad, want, "edges: {edges:#?}");
}
