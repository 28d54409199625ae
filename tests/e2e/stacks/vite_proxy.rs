//! Vite's dev-server proxy, with a flow of its own: the fix does not change the API, it moves the
//! page. Broken: the Node http rig's broken servers (`super::node::RIG`), checked from the
//! harness's page as every rig is. Fixed: Vite 8 serves the CORS Doctor page itself (a copy of
//! `dist/` as its public directory, under `/some/sub-path/`) with the page's vite-proxy snippet
//! in `vite.config.mjs`; the same request, sent to `<vite origin><path>` from Vite's page, must be
//! same-origin and delivered with the config's status, answered by the still-running API.

use std::path::{Path, PathBuf};
use std::time::Duration;

use cors_doctor::engine::check::report::Report;
use cors_doctor::engine::fetch::Code;
use cors_doctor::engine::stack::{snippet_for, Snippet, Stack};
use serde_json::Value;

use super::flow::{page_snippet, snippet_fills, tools_dir, write_variant, Server, Variant};
use super::{Config, Fills, Launch, Rig};
use crate::util::{probe, Harness, Tab, TempDir, APP_PATH};
use crate::verdict::{agrees, ChromiumSays};

pub static RIG: Rig = Rig {
    stack: Stack::ViteProxy,
    files: &[(
        "vite.config.mjs",
        include_str!("../../stacks/vite/vite.config.mjs"),
    )],
    always: nothing,
    broken: nothing,
    build: Some(copy_dist),
    command,
    startup: Duration::from_secs(30),
};

/// Vite's own config has no broken form: the broken side is the API, checked directly.
fn nothing(_: Config) -> Fills {
    Vec::new()
}

/// Gives each Vite variant the page: `dist/` copied to `public/`, and an empty `site/` root.
fn copy_dist(_root: &Path, dirs: &[PathBuf], _tools: &Path) -> Result<(), String> {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist");
    let entries: Vec<PathBuf> = std::fs::read_dir(&dist)
        .map_err(|e| format!("read {}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    for dir in dirs {
        let public = dir.join("public");
        for made in [&public, &dir.join("site")] {
            std::fs::create_dir_all(made).map_err(|e| format!("{}: {e}", made.display()))?;
        }
        for file in &entries {
            let Some(name) = file.file_name() else {
                continue;
            };
            std::fs::copy(file, public.join(name))
                .map_err(|e| format!("copy {}: {e}", file.display()))?;
        }
    }
    Ok(())
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("node");
    command
        .arg(launch.tools.join("node/node_modules/vite/bin/vite.js"))
        .args([
            "--host",
            "127.0.0.1",
            "--strictPort",
            "--configLoader",
            "native",
        ])
        .arg("--port")
        .arg(launch.port.to_string())
        .current_dir(launch.dir);
    command
}

/// The top cause's code, and whether one of `expected` covers it.
fn top_covered(report: &Value, expected: &[&str]) -> (String, bool) {
    let code = report["causes"][0]["code"]
        .as_str()
        .unwrap_or("(no cause)")
        .to_string();
    let covered = expected.iter().any(|want| {
        matches!((Code::parse(want), Code::parse(&code)), (Some(w), Some(g)) if w.covers(&g))
    });
    (code, covered)
}

/// The broken API checked from the harness's page: the expected cause, Chromium agreeing, and
/// the page's vite-proxy snippet (equal to the engine's).
async fn broken(tab: &Tab, page_url: &str, api: &Variant) -> Result<Snippet, String> {
    let config = api.config;
    let form = config.form(&api.api());
    let report = tab.check(page_url, &form).await;
    let (code, covered) = top_covered(&report, config.expected());
    let mut problems = Vec::new();
    if !covered {
        problems.push(format!(
            "top cause {code}, expected one of {:?}; causes: {}",
            config.expected(),
            report["causes"]
        ));
    }
    let records = tab
        .chromium_records(&form.url, form.method.as_deref().unwrap_or("GET"))
        .await;
    if let Err(why) = agrees(config.chromium(Stack::Node), &records) {
        problems.push(format!("Chromium: {why}; records {records:?}"));
    }
    let page = page_snippet(tab, Stack::ViteProxy).await?;
    let report: Report = serde_json::from_value(report).map_err(|e| format!("report-json: {e}"))?;
    let engine = report
        .causes
        .first()
        .and_then(|top| snippet_for(&report, top, Stack::ViteProxy))
        .ok_or_else(|| format!("the engine writes no vite-proxy fix for {code}"))?;
    if page != engine.text() {
        if std::env::var_os("CORS_DOCTOR_STALE_DIST").is_some() {
            println!("CORS_DOCTOR_STALE_DIST: the page's snippet differs; applying the engine's");
        } else {
            problems.push(format!(
                "the page's snippet differs from the engine's:\n--- page\n{page}\n--- engine\n{}",
                engine.text()
            ));
        }
    }
    if problems.is_empty() {
        Ok(engine)
    } else {
        Err(problems.join("\n"))
    }
}

/// The same request from the page Vite serves, to Vite's origin: same-origin, delivered.
async fn fixed(tab: &Tab, vite: &Variant) -> Result<(), String> {
    let config = vite.config;
    let page_url = format!("{}{APP_PATH}index.html", vite.api());
    let form = config.form(&vite.api());
    let report = tab.check(&page_url, &form).await;
    let (code, covered) = top_covered(&report, &["ok/same-origin"]);
    let actual = probe(&report, "actual");
    let mut problems = Vec::new();
    if !covered
        || actual["outcome"] != "delivered"
        || actual["status"].as_u64() != Some(u64::from(config.fixed_status()))
    {
        problems.push(format!(
            "expected ok/same-origin, delivered with status {}; top cause {code}, actual probe \
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

/// One config: the API started broken and checked, then Vite started with the snippet in front
/// of it. Returns whether the broken check passed, and the row's failure if any.
async fn row(
    tab: &Tab,
    page_url: &str,
    root: &Path,
    index: usize,
    config: Config,
) -> (bool, Result<(), String>) {
    let api_rig = &super::node::RIG;
    let mut fills = (api_rig.always)(config);
    fills.extend((api_rig.broken)(config));
    let api = write_variant(
        api_rig,
        root,
        &format!("api-{}", config.name()),
        config,
        fills,
    );
    let server = match Server::start(api_rig, root, index, &api).await {
        Ok(server) => server,
        Err(why) => return (false, Err(format!("the API: {why}"))),
    };
    let result = match broken(tab, page_url, &api).await {
        Err(why) => (false, Err(format!("broken: {why}"))),
        Ok(snippet) => {
            let name = format!("vite-{}", config.name());
            let vite = write_variant(&RIG, root, &name, config, snippet_fills(&snippet));
            let tools = tools_dir();
            let started = match copy_dist(root, std::slice::from_ref(&vite.dir), &tools) {
                Ok(()) => Server::start(&RIG, root, index, &vite).await,
                Err(why) => Err(why),
            };
            match started {
                Ok(dev) => {
                    let checked = fixed(tab, &vite).await;
                    let log = dev.log_tail();
                    dev.stop().await;
                    (
                        true,
                        checked.map_err(|why| format!("fixed: {why}\nvite log:\n{log}")),
                    )
                }
                Err(why) => (true, Err(format!("vite: {why}"))),
            }
        }
    };
    let log = server.log_tail();
    server.stop().await;
    match result {
        (ok, Err(why)) => (ok, Err(format!("{why}\nAPI log:\n{log}"))),
        done => done,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page_url = harness.site.page_url();
    let root = TempDir::new("cors-doctor-stack-vite-proxy");
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for (index, config) in Config::ALL.into_iter().enumerate() {
        let (broken_ok, result) = row(&tab, &page_url, &root.path, index, config).await;
        let fixed = match (&result, broken_ok) {
            (Ok(()), _) => "delivered (same-origin)",
            (Err(_), true) => "FAILED",
            (Err(_), false) => "not run",
        };
        let cause = if broken_ok {
            "expected cause"
        } else {
            "FAILED"
        };
        table.push(format!(
            "vite-proxy {:<22} broken: {cause:<15} fixed: {fixed}",
            config.name()
        ));
        if let Err(why) = result {
            failures.push(format!("vite-proxy {}: {why}", config.name()));
        }
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
        "{} failure(s) for vite-proxy:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
