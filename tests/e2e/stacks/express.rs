//! Express 5 with the `cors` package: `tests/stacks/express/app.js`, run by Node with the rig's
//! `node_modules` on `NODE_PATH`.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Express,
    files: &[("app.js", include_str!("../../stacks/express/app.js"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(20),
};

/// The auth check the app keeps, broken or fixed: a 401 to any `/api/` request without the token.
const AUTH: &str = "app.use('/api', (req, res, next) => {
  if (req.get('authorization') !== 'Bearer token') {
    return res.status(401).json({ error: 'unauthorized' });
  }
  next();
});";

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

fn broken(config: Config) -> Fills {
    let cors = |options: &str| format!("const cors = require('cors');\napp.use(cors({options}));");
    match config {
        Config::NoCors => vec![],
        // The hand-written set-up: the preflight answered by its own route, the actual answer's
        // header set in each handler once its work is done, so a throw skips it.
        Config::Hidden500 => vec![
            (
                "@@cors@@",
                "app.options('/api/*path', (req, res) => {
  res.set({
    'Access-Control-Allow-Origin': req.get('origin'),
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Content-Type',
  });
  res.sendStatus(204);
});"
                .into(),
            ),
            (
                "@@handler@@",
                "res.set('Access-Control-Allow-Origin', req.get('origin'));".into(),
            ),
        ],
        // A correct set-up, registered after the auth middleware.
        Config::AuthPreflight => vec![("@@cors@@", cors("{ origin: true }"))],
        Config::HeaderNotAllowed => vec![(
            "@@cors@@",
            cors("{ origin: true, allowedHeaders: ['Content-Type'] }"),
        )],
        Config::WildcardCredentials => {
            vec![("@@cors@@", cors("{ origin: '*', credentials: true }"))]
        }
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("node");
    command
        .arg("app.js")
        .current_dir(launch.dir)
        .env("NODE_PATH", launch.tools.join("node/node_modules"))
        .env("NODE_ENV", "production");
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
