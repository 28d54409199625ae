//! Fastify 5 with `@fastify/cors` 11: `tests/stacks/fastify/server.js`, run by Node with the rig's
//! `node_modules` on `NODE_PATH`.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Fastify,
    files: &[("server.js", include_str!("../../stacks/fastify/server.js"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(20),
};

/// The auth check the app keeps, broken or fixed: a 401 to any `/api/` request without the token.
const AUTH: &str = "fastify.addHook('onRequest', async (request, reply) => {
  if (request.url.startsWith('/api/') && request.headers.authorization !== 'Bearer token') {
    reply.code(401).send({ error: 'unauthorized' });
    return reply;
  }
});";

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

fn broken(config: Config) -> Fills {
    let cors = |options: &str| {
        vec![(
            "@@cors@@",
            format!("fastify.register(require('@fastify/cors'), {options});"),
        )]
    };
    match config {
        Config::NoCors => vec![],
        // The plugin on a hook that runs only when a payload is serialized: a thrown error skips it.
        Config::Hidden500 => cors("{ origin: true, hook: 'preSerialization' }"),
        // A correct set-up, registered after the auth hook.
        Config::AuthPreflight => cors("{ origin: true }"),
        Config::HeaderNotAllowed => cors("{ origin: true, allowedHeaders: ['Content-Type'] }"),
        Config::WildcardCredentials => cors("{ origin: '*', credentials: true }"),
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("node");
    command
        .arg("server.js")
        .current_dir(launch.dir)
        .env("NODE_PATH", launch.tools.join("node/node_modules"));
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
