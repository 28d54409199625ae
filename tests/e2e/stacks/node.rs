//! Node's `http` module by hand: `tests/stacks/node/server.js`.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Node,
    files: &[("server.js", include_str!("../../stacks/node/server.js"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(20),
};

/// The auth check the app keeps, broken or fixed: a 401 to any `/api/` request without the token.
const AUTH: &str =
    "if (req.url.startsWith('/api/') && req.headers.authorization !== 'Bearer token') {
    return json(res, 401, { error: 'unauthorized' });
  }";

/// A hand-written set-up: the origin echoed on every answer, the preflight answered with `allow`.
fn by_hand(allow: &str) -> String {
    format!(
        "res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '');
  if (req.method === 'OPTIONS') {{
    res.writeHead(204, {{ 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': '{allow}' }});
    return res.end();
  }}"
    )
}

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

fn broken(config: Config) -> Fills {
    match config {
        Config::NoCors => vec![],
        // The headers written only in the success branch: the catch's 500 has none.
        Config::Hidden500 => vec![
            (
                "@@cors@@",
                "if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Origin': req.headers.origin || '',
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Content-Type',
    });
    return res.end();
  }"
                .into(),
            ),
            (
                "@@success@@",
                "res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '');".into(),
            ),
        ],
        // A correct set-up, after the auth check.
        Config::AuthPreflight => vec![("@@cors@@", by_hand("Authorization"))],
        Config::HeaderNotAllowed => vec![("@@cors@@", by_hand("Content-Type"))],
        Config::WildcardCredentials => vec![(
            "@@cors@@",
            "res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Credentials', 'true');"
                .into(),
        )],
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("node");
    command.arg("server.js").current_dir(launch.dir);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
