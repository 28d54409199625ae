//! Caddy (Debian's): `tests/stacks/caddy/Caddyfile`, admin endpoint and automatic HTTPS off. The
//! app is the site's own routes; `POST /api/fail` triggers Caddy's error path (the `error`
//! directive, as a failing reverse_proxy would), which deferred `header` operations miss.
//! The snippet goes at the top of the site block.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Caddy,
    files: &[("Caddyfile", include_str!("../../stacks/caddy/Caddyfile"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(15),
};

/// The token check the site keeps, broken or fixed: a 401 to `/api/` without the token.
const AUTH: &str = "@unauthorized {
	path /api/*
	not header Authorization \"Bearer token\"
}
error @unauthorized \"unauthorized\" 401";

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

/// The set-up copied from the usual snippets: `*`, the preflight answered by `respond`.
fn usual(defer: bool, allow_headers: &str, credentials: bool) -> String {
    let mut out =
        String::from("@preflight method OPTIONS\nrespond @preflight 204\nheader /api/* {\n");
    if defer {
        out.push_str("\tdefer\n");
    }
    out.push_str("\tAccess-Control-Allow-Origin *\n");
    if credentials {
        out.push_str("\tAccess-Control-Allow-Credentials true\n");
    }
    out.push_str(&format!(
        "\tAccess-Control-Allow-Methods \"GET, POST, OPTIONS\"\n\
         \tAccess-Control-Allow-Headers \"{allow_headers}\"\n}}"
    ));
    out
}

fn broken(config: Config) -> Fills {
    match config {
        Config::NoCors => vec![],
        // `defer` (written to override an upstream's headers): Caddy's own 500 skips it.
        Config::Hidden500 => vec![("@@top@@", usual(true, "Content-Type", false))],
        // A correct set-up, but `respond` runs after the auth's `error` in Caddy's order.
        Config::AuthPreflight => vec![(
            "@@late@@",
            usual(false, "Authorization, Content-Type", false),
        )],
        Config::HeaderNotAllowed => vec![("@@top@@", usual(false, "Content-Type", false))],
        Config::WildcardCredentials => vec![("@@top@@", usual(false, "Content-Type", true))],
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("caddy");
    command
        .args(["run", "--config", "Caddyfile", "--adapter", "caddyfile"])
        .current_dir(launch.dir)
        // Caddy's storage and autosaved config stay in the variant's directory.
        .env("HOME", launch.dir)
        .env("XDG_CONFIG_HOME", launch.dir)
        .env("XDG_DATA_HOME", launch.dir);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
