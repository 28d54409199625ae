//! Vite's dev-server proxy, with a flow of its own: the fix does not change the API, it moves the
//! page. Broken: the Node http rig's broken servers (`super::node::RIG`), checked from the
//! harness's page as every rig is. Fixed: Vite 8 serves the CORS Doctor page itself (a copy of
//! `dist/` as its public directory, under `/some/sub-path/`) with the page's vite-proxy snippet
//! in `vite.config.mjs`; the same request, sent to `<vite origin><path>` from Vite's page, must be
//! same-origin and delivered with the config's status, answered by the still-running API.

use std::path::{Path, PathBuf};
use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::flow::{broken_check, fixed_check, snippet_fills, tools_dir, write_variant, Server};
use super::{Config, Fills, Launch, Rig};
use crate::util::{Harness, Tab, TempDir, APP_PATH};

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
    let result = match broken_check(tab, page_url, Stack::ViteProxy, &api).await {
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
                    // The page Vite serves sends the request to Vite's own origin.
                    let vite_page = format!("{}{APP_PATH}index.html", vite.api());
                    let checked = fixed_check(tab, &vite_page, &vite, &["ok/same-origin"]).await;
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
