//! Flask 3.1 with Flask-Cors 6: `tests/stacks/flask/app.py`, run with the rig venv's Python
//! (`app.run` on the rig's port; debug off, so unhandled exceptions become Flask's 500).

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Flask,
    files: &[("app.py", include_str!("../../stacks/flask/app.py"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(30),
};

/// The auth check the app keeps, broken or fixed: a 401 to any `/api/` request without the token.
const AUTH: &str = "@app.before_request
def require_bearer():
    if request.path.startswith(\"/api/\") and request.headers.get(\"Authorization\") != \"Bearer token\":
        return jsonify(error=\"unauthorized\"), 401";

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
            format!("from flask_cors import CORS\n\nCORS(app{options})"),
        )]
    };
    match config {
        Config::NoCors => vec![],
        // Flask-Cors's per-view decorator: it answers the preflight and decorates the view's own
        // answer, but a raised exception leaves the view and Flask's 500 has no headers.
        Config::Hidden500 => vec![
            ("@@cors@@", "from flask_cors import cross_origin".into()),
            ("@@view@@", "@cross_origin()".into()),
        ],
        // Correct, but the auth hook answers the preflight 401 (Flask-Cors decorates the 401).
        Config::AuthPreflight => cors(""),
        Config::HeaderNotAllowed => cors(", allow_headers=[\"Content-Type\"]"),
        // Copied from an answer: `*` with credentials, by hand.
        Config::WildcardCredentials => vec![(
            "@@cors@@",
            "@app.after_request
def add_cors_headers(response):
    response.headers[\"Access-Control-Allow-Origin\"] = \"*\"
    response.headers[\"Access-Control-Allow-Credentials\"] = \"true\"
    return response"
                .into(),
        )],
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(launch.tools.join("venv/bin/python"));
    command
        .arg("app.py")
        .current_dir(launch.dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("FLASK_DEBUG");
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
