//! PHP's built-in server (Debian's `php -S`, `display_errors` off as in production):
//! `tests/stacks/php/router.php`, a front controller whose uncaught exception for
//! `POST /api/fail` is PHP's own 500. The snippet goes first in the script, right after `<?php`.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Php,
    files: &[("router.php", include_str!("../../stacks/php/router.php"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(10),
};

/// The token check the script keeps, broken or fixed: a 401 to `/api/` without the token.
const AUTH: &str = "if (str_starts_with($path, '/api/') && ($_SERVER['HTTP_AUTHORIZATION'] ?? '') !== 'Bearer token') {
    http_response_code(401);
    echo json_encode(['error' => 'unauthorized']);
    exit;
}";

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

/// The set-up copied from the usual answers: `*`, the preflight answered with an exit.
fn usual(allow_headers: &str, credentials: bool) -> String {
    let mut out = String::from("header('Access-Control-Allow-Origin: *');\n");
    if credentials {
        out.push_str("header('Access-Control-Allow-Credentials: true');\n");
    }
    out.push_str(&format!(
        "if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {{
    header('Access-Control-Allow-Methods: GET, POST, OPTIONS');
    header('Access-Control-Allow-Headers: {allow_headers}');
    exit;
}}"
    ));
    out
}

fn broken(config: Config) -> Fills {
    match config {
        Config::NoCors => vec![],
        // The preflight answered at the top, the actual answer's header in the JSON helper:
        // the uncaught exception never reaches it.
        Config::Hidden500 => vec![
            (
                "@@top@@",
                "if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Origin: *');
    header('Access-Control-Allow-Methods: GET, POST, OPTIONS');
    header('Access-Control-Allow-Headers: Content-Type');
    exit;
}"
                .into(),
            ),
            (
                "@@respond@@",
                "header('Access-Control-Allow-Origin: *');".into(),
            ),
        ],
        // A correct set-up, after the auth check.
        Config::AuthPreflight => vec![("@@late@@", usual("Authorization, Content-Type", false))],
        Config::HeaderNotAllowed => vec![("@@top@@", usual("Content-Type", false))],
        Config::WildcardCredentials => vec![("@@top@@", usual("Content-Type", true))],
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("php");
    command
        .args(["-n", "-d", "display_errors=0", "-d", "log_errors=1", "-S"])
        .arg(format!("127.0.0.1:{}", launch.port))
        .arg("router.php")
        .current_dir(launch.dir)
        // A few workers, so one idle browser connection never holds up the next request.
        .env("PHP_CLI_SERVER_WORKERS", "4");
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
