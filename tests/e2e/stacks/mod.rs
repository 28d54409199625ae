//! Fixes proven on real servers: for each verified stack, every broken configuration is started
//! as the real server, the page's check must name the expected cause (and Chromium's own reason
//! must agree); then the snippet the page shows for that stack is applied, byte for byte, and the
//! same request must be delivered (a hidden 500 readable as a 500).
//!
//! A rig (one file per stack) gives the server's template files, with `@@marker@@`s where code
//! goes: the snippet slots (`@@top@@`, `@@route@@`, `@@bottom@@`, `@@settings@@`, `@@entry@@`,
//! [`Slot::marker`]) and the rig's own (`@@port@@`, `@@tools@@`, and any the rig names in its
//! fills). The broken server gets `always` + `broken` fills; the fixed one `always` + the
//! snippet's parts. Unfilled markers become empty.

use std::path::{Path, PathBuf};
use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use crate::util::Form;
use crate::verdict::ChromiumSays;

mod flow;
pub use flow::run;

// Debian's servers and PHP's built-in one.
mod apache;
mod caddy;
mod nginx;
mod php;

// npm: Express, Fastify, Node by hand, Vite's dev-server proxy.
mod express;
mod fastify;
mod node;
mod vite_proxy;

// PyPI: FastAPI, Flask, Django; Debian's Go.
mod django;
mod fastapi;
mod flask;
mod go;

// crates: axum, actix-web.
mod actix;
mod axum;

/// The broken configurations every verified stack is tried with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Config {
    /// No CORS at all. Request: `GET /api/items`.
    NoCors,
    /// CORS set up the usual way, but `POST /api/fail` raises an unhandled error (a 500 without
    /// CORS headers); `GET /api/fail` answers 200. Request: `POST /api/fail` with
    /// `Content-Type: application/json` and body `{"a":1}`.
    Hidden500,
    /// An auth check that answers 401 to anything under `/api/` without
    /// `Authorization: Bearer token` runs before CORS, so it refuses the preflight too.
    /// Request: `GET /api/items` with `Authorization: Bearer token`.
    AuthPreflight,
    /// CORS allows only `Content-Type` as a request header. Request: `GET /api/items` with
    /// `X-Api-Key: k`.
    HeaderNotAllowed,
    /// `Access-Control-Allow-Origin: *` (with `Access-Control-Allow-Credentials: true`, copied
    /// from an answer). Request: `GET /api/items` with credentials.
    WildcardCredentials,
}

impl Config {
    pub const ALL: [Config; 5] = [
        Config::NoCors,
        Config::Hidden500,
        Config::AuthPreflight,
        Config::HeaderNotAllowed,
        Config::WildcardCredentials,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Config::NoCors => "no-cors",
            Config::Hidden500 => "hidden-500",
            Config::AuthPreflight => "auth-preflight",
            Config::HeaderNotAllowed => "header-not-allowed",
            Config::WildcardCredentials => "wildcard-credentials",
        }
    }

    /// The form the check sends to the server at `api` (`http://127.0.0.1:<port>`).
    pub fn form(self, api: &str) -> Form {
        let get = |headers: &str| Form {
            url: format!("{api}/api/items"),
            method: Some("GET".into()),
            headers: Some(headers.into()),
            ..Form::default()
        };
        match self {
            Config::NoCors => get(""),
            Config::Hidden500 => Form {
                url: format!("{api}/api/fail"),
                method: Some("POST".into()),
                headers: Some("Content-Type: application/json".into()),
                body: Some("{\"a\":1}".into()),
                ..Form::default()
            },
            Config::AuthPreflight => get("Authorization: Bearer token"),
            Config::HeaderNotAllowed => get("X-Api-Key: k"),
            Config::WildcardCredentials => Form {
                credentials: true,
                ..get("")
            },
        }
    }

    /// Codes the broken server's top cause may have (matched by prefix, as the contract says).
    pub fn expected(self) -> &'static [&'static str] {
        match self {
            Config::NoCors => &["response/allow-origin"],
            Config::Hidden500 => &["response/hidden-server-error"],
            // A 401 without CORS headers is `preflight/allow-origin` in Chromium; with them,
            // `preflight/status`: the page ranks both.
            Config::AuthPreflight => &["preflight/allow-origin", "preflight/status"],
            Config::HeaderNotAllowed => &["preflight/header-not-allowed"],
            Config::WildcardCredentials => &["response/credentials"],
        }
    }

    /// What Chromium itself must report for the broken server of `stack`.
    pub fn chromium(self, stack: Stack) -> ChromiumSays {
        match (self, stack) {
            // Starlette's CORSMiddleware answers a preflight that asks for a header it does not
            // allow with 400 (its CORS headers included), so Chromium reports the status; the
            // page still names the refused header (its header probes tell it apart).
            (Config::HeaderNotAllowed, Stack::Fastapi) => {
                ChromiumSays::CorsError(&["PreflightInvalidStatus"], None)
            }
            (Config::NoCors | Config::Hidden500, _) => {
                ChromiumSays::CorsError(&["MissingAllowOriginHeader"], None)
            }
            (Config::AuthPreflight, _) => ChromiumSays::CorsError(
                &[
                    "PreflightInvalidStatus",
                    "PreflightMissingAllowOriginHeader",
                ],
                None,
            ),
            (Config::HeaderNotAllowed, _) => {
                ChromiumSays::CorsError(&["HeaderDisallowedByPreflightResponse"], Some("x-api-key"))
            }
            (Config::WildcardCredentials, _) => ChromiumSays::CorsError(
                &["WildcardOriginNotAllowed", "InvalidAllowCredentials"],
                None,
            ),
        }
    }

    /// The status the fixed server's answer must show the page.
    pub fn fixed_status(self) -> u16 {
        match self {
            Config::Hidden500 => 500,
            _ => 200,
        }
    }
}

/// Marker → text.
pub type Fills = Vec<(&'static str, String)>;

/// Where one variant (a broken or fixed server) lives and listens.
pub struct Launch<'a> {
    /// The variant's own directory, with the rig's files written and filled.
    pub dir: &'a Path,
    /// The directory holding every variant of this run (for rigs that build them together).
    pub root: &'a Path,
    /// The variant's index among those built together.
    pub index: usize,
    pub port: u16,
    /// `$TOOLS_DIR/stacks`: `node/node_modules`, `venv/bin/python`, … (see `scripts/setup`).
    pub tools: &'a Path,
}

/// A rig's build step: the run's root, the variant directories, `$TOOLS_DIR/stacks`.
pub type BuildFn = fn(root: &Path, dirs: &[PathBuf], tools: &Path) -> Result<(), String>;

/// One stack's real server, broken and fixed.
pub struct Rig {
    pub stack: Stack,
    /// The server's files: path in the variant's directory, template text with `@@marker@@`s.
    pub files: &'static [(&'static str, &'static str)],
    /// Fills both the broken and the fixed server get (e.g. the auth check for `AuthPreflight`).
    pub always: fn(Config) -> Fills,
    /// Fills that make the broken configuration (its CORS set-up, done wrong).
    pub broken: fn(Config) -> Fills,
    /// Builds the variants in `dirs` once, after they are written (Go, Rust); blocking is fine,
    /// it runs on a blocking thread.
    pub build: Option<BuildFn>,
    /// The command that serves one variant on `127.0.0.1:<port>`; the harness puts it in a
    /// process group of its own and ends the group.
    pub command: fn(&Launch) -> tokio::process::Command,
    /// How long the server may take before it accepts a connection.
    pub startup: Duration,
}

/// The picker lists every stack, shows nothing until one is picked, remembers the choice across
/// reloads, marks the stacks the suite cannot run, and several app origins become an allow-list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picker_lists_every_stack_and_is_remembered() {
    use crate::util::Harness;

    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page = harness.site.page_url();
    let form = Form {
        url: harness.lab.url("/acao-missing?case=stack-picker"),
        ..Form::default()
    };
    let mut failures = Vec::new();
    tab.check(&page, &form).await;
    let options = tab
        .eval("Array.from(document.querySelectorAll('[data-testid=stack] option')).map(o => o.value).filter(v => v)")
        .await;
    let want: Vec<&str> = Stack::ALL.iter().map(|s| s.id()).collect();
    if options != serde_json::json!(want) {
        failures.push(format!("picker options {options}, expected {want:?}"));
    }
    let count = "document.querySelectorAll('[data-testid=fix-snippet]').length";
    if tab.eval(count).await != serde_json::json!(0) {
        failures.push("a fix snippet shows before a stack is picked".into());
    }
    let s3 = flow::page_snippet(&tab, Stack::S3).await;
    let unverified = "document.querySelector('[data-testid=fix-unverified]') !== null";
    if s3.is_err() || tab.eval(unverified).await != serde_json::json!(true) {
        failures.push(format!(
            "s3: snippet {s3:?}, and it must be marked as not verified"
        ));
    }
    // Reloaded and checked again: the choice is remembered.
    tab.check(&page, &form).await;
    let value = tab
        .eval("document.querySelector('[data-testid=stack]').value")
        .await;
    // The worker writes the snippet (it starts again after the reload).
    tab.wait_for(
        "document.querySelector('[data-testid=fix-snippet]') !== null",
        Duration::from_secs(15),
    )
    .await;
    let shown = tab
        .eval("document.querySelector('[data-testid=fix-snippet]')?.dataset.stack ?? null")
        .await;
    if value != "s3" || shown != "s3" {
        failures.push(format!(
            "after a reload the picker shows {value} and the snippet {shown}, expected s3"
        ));
    }
    // Two app origins: the nginx fix keeps an allow-list and varies on Origin; verified stacks
    // carry no "not verified" note.
    tab.open(&page).await;
    tab.fill_form(&form).await;
    tab.fill(
        "app-origin",
        &format!("{} https://admin.example.com", harness.site.origin),
    )
    .await;
    tab.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'done'",
        Duration::from_secs(30),
    )
    .await;
    match flow::page_snippet(&tab, Stack::Nginx).await {
        Ok(text) => {
            for needle in [
                harness.site.origin.as_str(),
                "https://admin.example.com",
                "Vary",
            ] {
                if !text.contains(needle) {
                    failures.push(format!("nginx allow-list snippet lacks {needle}:\n{text}"));
                }
            }
        }
        Err(why) => failures.push(format!("nginx: {why}")),
    }
    if tab.eval(unverified).await != serde_json::json!(false) {
        failures.push("nginx is verified by the suite, yet marked as not verified".into());
    }
    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
