//! The run: broken servers checked, snippets read from the page, fixed servers checked.
//!
//! Every failure is collected with what it takes to debug it (the report's causes, Chromium's
//! records, the server's log) and the test fails once, at the end, listing them all.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use cors_doctor::engine::check::report::Report;
use cors_doctor::engine::fetch::Code;
use cors_doctor::engine::stack::{snippet_for, Slot, Snippet, Stack};
use serde_json::Value;
use tokio::process::Child;

use super::{Config, Fills, Launch, Rig};
use crate::util::{probe, Form, Harness, Tab, TempDir};
use crate::verdict::{agrees, ChromiumSays};

/// `$TOOLS_DIR/stacks`, where `scripts/setup` installs the servers' packages.
pub fn tools_dir() -> PathBuf {
    let base = std::env::var_os("TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/cors-doctor")))
        .unwrap_or_else(|| PathBuf::from("/tmp/cors-doctor-tools"));
    base.join("stacks")
}

/// A free loopback port (the listener is dropped; the server binds it right after).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One server directory, written and filled, with the port it will listen on.
pub struct Variant {
    pub config: Config,
    pub dir: PathBuf,
    pub port: u16,
}

impl Variant {
    pub fn api(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Writes `rig`'s files into `root/<name>` with `fills` (plus `@@port@@`, `@@tools@@`).
pub fn write_variant(
    rig: &Rig,
    root: &Path,
    name: &str,
    config: Config,
    mut fills: Fills,
) -> Variant {
    let dir = root.join(name);
    let port = free_port();
    fills.push(("@@port@@", port.to_string()));
    fills.push(("@@tools@@", tools_dir().display().to_string()));
    for (path, template) in rig.files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("create the variant's directories");
        }
        std::fs::write(&target, fill(template, &fills)).expect("write a server file");
    }
    Variant { config, dir, port }
}

/// `template` with every `@@marker@@` replaced by its fills (joined by newlines), or removed.
pub fn fill(template: &str, fills: &Fills) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("@@") {
        let after = &rest[start + 2..];
        let Some(len) = after.find("@@") else { break };
        let name = &after[..len];
        let is_marker = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !is_marker {
            out.push_str(&rest[..start + 2]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..start]);
        let marker = &rest[start..start + len + 4];
        let texts: Vec<&str> = fills
            .iter()
            .filter(|(m, _)| *m == marker)
            .map(|(_, t)| t.as_str())
            .collect();
        out.push_str(&texts.join("\n"));
        rest = &after[len + 2..];
    }
    out.push_str(rest);
    out
}

/// The fills that apply `snippet`: each part at its slot's marker.
pub fn snippet_fills(snippet: &Snippet) -> Fills {
    snippet
        .parts
        .iter()
        .map(|part| (slot_marker(part.slot), part.code.clone()))
        .collect()
}

fn slot_marker(slot: Slot) -> &'static str {
    slot.marker()
}

/// Runs the rig's build step (if any) for `variants`, on a blocking thread.
pub async fn build(rig: &Rig, root: &Path, variants: &[Variant]) -> Result<(), String> {
    let Some(build) = rig.build else {
        return Ok(());
    };
    let root = root.to_path_buf();
    let dirs: Vec<PathBuf> = variants.iter().map(|v| v.dir.clone()).collect();
    let tools = tools_dir();
    tokio::task::spawn_blocking(move || build(&root, &dirs, &tools))
        .await
        .map_err(|e| format!("the build step panicked: {e}"))?
}

/// A server the test started: its own process group, ended by id.
pub struct Server {
    child: Child,
    pgid: u32,
    log: PathBuf,
}

impl Server {
    /// Starts variant `index` of `root` and waits until its port accepts connections.
    pub async fn start(
        rig: &Rig,
        root: &Path,
        index: usize,
        variant: &Variant,
    ) -> Result<Server, String> {
        let tools = tools_dir();
        let launch = Launch {
            dir: &variant.dir,
            root,
            index,
            port: variant.port,
            tools: &tools,
        };
        let log = variant.dir.join("server.log");
        let out =
            std::fs::File::create(&log).map_err(|e| format!("create {}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut command = (rig.command)(&launch);
        command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .kill_on_drop(true);
        let child = command
            .spawn()
            .map_err(|e| format!("starting {:?} failed: {e}", command.as_std()))?;
        let pgid = child.id().ok_or("the server exited at once")?;
        let mut server = Server { child, pgid, log };
        let deadline = Instant::now() + rig.startup;
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", variant.port))
                .await
                .is_ok()
            {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = server.log_tail();
                return Err(format!(
                    "the server exited ({status}) before listening:\n{log}"
                ));
            }
            if Instant::now() >= deadline {
                let log = server.log_tail();
                server.stop().await;
                return Err(format!(
                    "the server did not listen on port {} within {:?}:\n{log}",
                    variant.port, rig.startup
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The last lines the server logged.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Ends the server's process group: TERM, then KILL after 5 s.
    pub async fn stop(mut self) {
        let group = format!("-{}", self.pgid);
        let _ = tokio::process::Command::new("kill")
            .args(["-TERM", "--", &group])
            .status()
            .await;
        if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
            .await
            .is_err()
        {
            let _ = tokio::process::Command::new("kill")
                .args(["-KILL", "--", &group])
                .status()
                .await;
            let _ = self.child.wait().await;
        }
    }
}

/// Picks `stack` in the page's picker and returns the text of the top cause's fix snippet.
pub async fn page_snippet(tab: &Tab, stack: Stack) -> Result<String, String> {
    tab.eval(&format!(
        "(() => {{ const s = document.querySelector('[data-testid=stack]'); if (!s) return false; \
         s.value = '{id}'; s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }})()",
        id = stack.id()
    ))
    .await
    .as_bool()
    .filter(|&picked| picked)
    .ok_or("the report has no stack picker")?;
    let first = format!(
        "document.querySelector('[data-testid=cause] [data-testid=fix-snippet][data-stack=\"{}\"]')",
        stack.id()
    );
    // The worker writes the fixes: the first time it also has to start.
    tab.wait_for(&format!("{first} !== null"), Duration::from_secs(15))
        .await;
    tab.eval(&format!("{first}.textContent"))
        .await
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "the fix snippet has no text".to_string())
}

/// The top cause's code, and whether it is covered by one of `expected`.
pub fn top_covered(report: &Value, expected: &[&str]) -> (String, bool) {
    let code = report["causes"][0]["code"]
        .as_str()
        .unwrap_or("(no cause)")
        .to_string();
    let covered = expected.iter().any(|want| {
        matches!((Code::parse(want), Code::parse(&code)), (Some(w), Some(g)) if w.covers(&g))
    });
    (code, covered)
}

/// Checks a broken server from `page_url`: the expected cause, Chromium agreeing, and the
/// snippet to apply (the page's, equal to the engine's).
pub async fn broken_check(
    tab: &Tab,
    page_url: &str,
    stack: Stack,
    variant: &Variant,
) -> Result<Snippet, String> {
    let config = variant.config;
    let form: Form = config.form(&variant.api());
    let report = tab.check(page_url, &form).await;
    let (code, covered) = top_covered(&report, config.expected());
    let records = tab
        .chromium_records(&form.url, form.method.as_deref().unwrap_or("GET"))
        .await;
    let mut problems = Vec::new();
    if !covered {
        problems.push(format!(
            "top cause {code}, expected one of {:?}; causes: {}",
            config.expected(),
            report["causes"]
        ));
    }
    if let Err(why) = agrees(config.chromium(stack), &records) {
        problems.push(format!("Chromium: {why}; records {records:?}"));
    }
    let page_text = page_snippet(tab, stack).await;
    let parsed: Result<Report, String> =
        serde_json::from_value(report.clone()).map_err(|e| format!("report-json: {e}"));
    let engine = parsed.and_then(|r| {
        r.causes
            .first()
            .and_then(|top| snippet_for(&r, top, stack))
            .ok_or_else(|| format!("the engine writes no {} fix for {code}", stack.id()))
    });
    let snippet = match (page_text, engine) {
        (Ok(text), Ok(snippet)) if text == snippet.text() => Some(snippet),
        // While writers change, a dist/ built earlier shows older text; developers may apply the
        // engine's text then (CI never sets this: there the bytes must match).
        (Ok(_), Ok(snippet)) if std::env::var_os("CORS_DOCTOR_STALE_DIST").is_some() => {
            println!("CORS_DOCTOR_STALE_DIST: the page's snippet differs; applying the engine's");
            Some(snippet)
        }
        (Ok(text), Ok(snippet)) => {
            problems.push(format!(
                "the page's snippet differs from the engine's:\n--- page\n{text}\n--- engine\n{}",
                snippet.text()
            ));
            None
        }
        (page, engine) => {
            problems.push(format!(
                "snippet: page {page:?}, engine {:?}",
                engine.map(|s| s.text())
            ));
            None
        }
    };
    match snippet {
        Some(snippet) if problems.is_empty() => Ok(snippet),
        _ => Err(problems.join("\n")),
    }
}

/// Checks a fixed server from `page_url`: the top cause is one of `expected` and the request is
/// delivered with the config's status, as Chromium saw it too.
pub async fn fixed_check(
    tab: &Tab,
    page_url: &str,
    variant: &Variant,
    expected: &[&str],
) -> Result<(), String> {
    let config = variant.config;
    let form = config.form(&variant.api());
    let report = tab.check(page_url, &form).await;
    let (code, covered) = top_covered(&report, expected);
    let actual = probe(&report, "actual");
    let status = actual["status"].as_u64();
    let mut problems = Vec::new();
    if !covered
        || actual["outcome"] != "delivered"
        || status != Some(u64::from(config.fixed_status()))
    {
        problems.push(format!(
            "expected {expected:?}, delivered with status {}; top cause {code}, actual probe \
             {actual}; causes: {}",
            config.fixed_status(),
            report["causes"]
        ));
    }
    let records = tab
        .chromium_records(&form.url, form.method.as_deref().unwrap_or("GET"))
        .await;
    let says = ChromiumSays::Delivered(Some(i64::from(config.fixed_status())));
    if let Err(why) = agrees(says, &records) {
        problems.push(format!("Chromium: {why}; records {records:?}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// One phase's variants: written, built, each started, checked by `row`, and stopped.
async fn phase<T>(
    rig: &Rig,
    root: &Path,
    variants: &[Variant],
    failures: &mut Vec<String>,
    label: &str,
    mut row: impl AsyncRow<T>,
) -> Vec<Option<T>> {
    let mut out: Vec<Option<T>> = variants.iter().map(|_| None).collect();
    if let Err(why) = build(rig, root, variants).await {
        failures.push(format!("{} {label}: build failed: {why}", rig.stack.id()));
        return out;
    }
    for (index, variant) in variants.iter().enumerate() {
        let name = format!("{} {label} {}", rig.stack.id(), variant.config.name());
        match Server::start(rig, root, index, variant).await {
            Ok(server) => {
                match row.run(variant, &server).await {
                    Ok(value) => out[index] = Some(value),
                    Err(why) => failures.push(format!("{name}: {why}")),
                }
                server.stop().await;
            }
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    out
}

/// A row of a phase: checks one running variant.
trait AsyncRow<T> {
    async fn run(&mut self, variant: &Variant, server: &Server) -> Result<T, String>;
}

struct BrokenRows<'a> {
    tab: &'a Tab,
    page_url: &'a str,
    stack: Stack,
}

impl AsyncRow<Snippet> for BrokenRows<'_> {
    async fn run(&mut self, variant: &Variant, server: &Server) -> Result<Snippet, String> {
        broken_check(self.tab, self.page_url, self.stack, variant)
            .await
            .map_err(|why| format!("{why}\nserver log:\n{}", server.log_tail()))
    }
}

struct FixedRows<'a> {
    tab: &'a Tab,
    page_url: &'a str,
}

impl AsyncRow<()> for FixedRows<'_> {
    async fn run(&mut self, variant: &Variant, server: &Server) -> Result<(), String> {
        fixed_check(self.tab, self.page_url, variant, &["ok"])
            .await
            .map_err(|why| format!("{why}\nserver log:\n{}", server.log_tail()))
    }
}

/// The whole proof for one rig: every [`Config`] broken, then fixed with the page's snippet.
pub async fn run(rig: &Rig) {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page_url = harness.site.page_url();
    let root = TempDir::new(&format!("cors-doctor-stack-{}", rig.stack.id()));
    let mut failures = Vec::new();
    let mut table = Vec::new();

    let broken: Vec<Variant> = Config::ALL
        .iter()
        .map(|&config| {
            let mut fills = (rig.always)(config);
            fills.extend((rig.broken)(config));
            write_variant(
                rig,
                &root.path,
                &format!("broken-{}", config.name()),
                config,
                fills,
            )
        })
        .collect();
    let rows = BrokenRows {
        tab: &tab,
        page_url: &page_url,
        stack: rig.stack,
    };
    let snippets = phase(rig, &root.path, &broken, &mut failures, "broken", rows).await;

    let fixed: Vec<Variant> = broken
        .iter()
        .zip(&snippets)
        .filter_map(|(variant, snippet)| {
            let snippet = snippet.as_ref()?;
            let mut fills = (rig.always)(variant.config);
            fills.extend(snippet_fills(snippet));
            let name = format!("fixed-{}", variant.config.name());
            Some(write_variant(rig, &root.path, &name, variant.config, fills))
        })
        .collect();
    let rows = FixedRows {
        tab: &tab,
        page_url: &page_url,
    };
    let delivered = phase(rig, &root.path, &fixed, &mut failures, "fixed", rows).await;

    for config in Config::ALL {
        let cause = broken
            .iter()
            .zip(&snippets)
            .find(|(v, _)| v.config == config)
            .map_or("—", |(_, s)| {
                if s.is_some() {
                    "expected cause"
                } else {
                    "FAILED"
                }
            });
        let fixed_ok = fixed
            .iter()
            .zip(&delivered)
            .find(|(v, _)| v.config == config)
            .map_or(
                "not run",
                |(_, d)| if d.is_some() { "delivered" } else { "FAILED" },
            );
        table.push(format!(
            "{:<10} {:<22} broken: {cause:<15} fixed: {fixed_ok}",
            rig.stack.id(),
            config.name()
        ));
    }
    println!("{}", table.join("\n"));
    harness.stop().await;
    if std::env::var_os("CORS_DOCTOR_KEEP_RIGS").is_some() {
        let kept = root.path.with_extension("kept");
        let _ = std::fs::rename(&root.path, &kept);
        println!("variants kept in {}", kept.display());
    }
    assert!(
        failures.is_empty(),
        "{} failure(s) for {}:\n\n{}",
        failures.len(),
        rig.stack.id(),
        failures.join("\n\n")
    );
}
