//! Apache httpd (Debian's `/usr/sbin/apache2`): `tests/stacks/apache/apache.conf`, the app a
//! mod_lua handler (`app.lua`) whose unhandled Lua error for `POST /api/fail` is Apache's own
//! 500, the answer `Header set` (without `always`) does not reach. The snippet goes in the server
//! config; the broken auth case puts its CORS set-up in `.htaccess`, which runs after auth.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Apache,
    files: &[
        (
            "apache.conf",
            include_str!("../../stacks/apache/apache.conf"),
        ),
        ("app.lua", include_str!("../../stacks/apache/app.lua")),
        (".htaccess", include_str!("../../stacks/apache/htaccess")),
    ],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(10),
};

/// The token check the server keeps, broken or fixed: a 401 to `/api/` without the token.
const AUTH: &str = "RewriteEngine On
RewriteCond %{HTTP:Authorization} \"!=Bearer token\"
RewriteRule ^/api/ - [R=401,L]";

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

/// The set-up copied from the usual examples: `*`, the preflight answered by a rewrite.
fn usual(set: &str, allow_headers: &str, credentials: bool, preflight: bool) -> String {
    let mut out = format!("{set} Access-Control-Allow-Origin \"*\"\n");
    if credentials {
        out.push_str(&format!(
            "{set} Access-Control-Allow-Credentials \"true\"\n"
        ));
    }
    out.push_str(&format!(
        "{set} Access-Control-Allow-Methods \"GET, POST, OPTIONS\"\n\
         {set} Access-Control-Allow-Headers \"{allow_headers}\""
    ));
    if preflight {
        out.push_str(
            "\nRewriteEngine On\nRewriteCond %{REQUEST_METHOD} OPTIONS\nRewriteRule ^ - [R=204,L]",
        );
    }
    out
}

fn broken(config: Config) -> Fills {
    let always = "Header always set";
    match config {
        Config::NoCors => vec![],
        // `Header set` reaches the app's 200s (its answer to the preflight too), not its 500.
        Config::Hidden500 => vec![("@@top@@", usual("Header set", "Content-Type", false, false))],
        // A correct set-up in .htaccess: per-directory, so it runs after the server's auth.
        Config::AuthPreflight => vec![(
            "@@late@@",
            usual(always, "Authorization, Content-Type", false, true),
        )],
        Config::HeaderNotAllowed => vec![("@@top@@", usual(always, "Content-Type", false, true))],
        Config::WildcardCredentials => {
            vec![("@@top@@", usual(always, "Content-Type", true, false))]
        }
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("/usr/sbin/apache2");
    command
        .arg("-d")
        .arg(launch.dir)
        .args(["-f", "apache.conf", "-DFOREGROUND"])
        .current_dir(launch.dir);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
