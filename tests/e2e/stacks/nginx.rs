//! nginx (Debian's) as a reverse proxy: `tests/stacks/nginx/nginx.conf`. The app it proxies to is
//! a second server of the same nginx on a unix socket in the variant's directory; its 500 for
//! `POST /api/fail` is a real upstream error that the front location passes on, which is where
//! `add_header` without `always` drops the CORS headers. The snippet goes in `location /api/`.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Nginx,
    files: &[("nginx.conf", include_str!("../../stacks/nginx/nginx.conf"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(10),
};

/// The token check the location keeps, broken or fixed: a 401 without the token.
const AUTH: &str = "if ($http_authorization != \"Bearer token\") {
    return 401;
}";

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

/// The set-up copied from the usual examples: `*`, the preflight answered by an `if` block.
fn usual(always: bool, allow_headers: &str, credentials: bool) -> String {
    let tail = if always { " always;" } else { ";" };
    let mut out = String::from("if ($request_method = OPTIONS) {\n    return 204;\n}\n");
    out.push_str(&format!("add_header Access-Control-Allow-Origin *{tail}\n"));
    if credentials {
        out.push_str(&format!(
            "add_header Access-Control-Allow-Credentials true{tail}\n"
        ));
    }
    out.push_str(&format!(
        "add_header Access-Control-Allow-Methods \"GET, POST, OPTIONS\"{tail}\n"
    ));
    out.push_str(&format!(
        "add_header Access-Control-Allow-Headers \"{allow_headers}\"{tail}"
    ));
    out
}

fn broken(config: Config) -> Fills {
    match config {
        Config::NoCors => vec![],
        // add_header without `always`: the 204 and 200s carry the headers, the upstream's 500 not.
        Config::Hidden500 => vec![("@@route@@", usual(false, "Content-Type", false))],
        // A correct set-up, but after the token check, so the preflight gets its 401.
        Config::AuthPreflight => vec![(
            "@@late@@",
            usual(true, "Authorization, Content-Type", false),
        )],
        Config::HeaderNotAllowed => vec![("@@route@@", usual(true, "Content-Type", false))],
        Config::WildcardCredentials => vec![("@@route@@", usual(true, "Content-Type", true))],
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("/usr/sbin/nginx");
    command
        .arg("-p")
        .arg(launch.dir)
        .args(["-c", "nginx.conf", "-e", "stderr", "-g", "daemon off;"])
        // The unix socket's relative path resolves against the working directory.
        .current_dir(launch.dir);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
