//! FastAPI 0.165 / Starlette 1.10 served by uvicorn: `tests/stacks/fastapi/main.py`, run with the
//! rig venv's Python (`python -m uvicorn main:app`).

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Fastapi,
    files: &[("main.py", include_str!("../../stacks/fastapi/main.py"))],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(30),
};

/// The auth check the app keeps, broken or fixed: a 401 to any `/api/` request without the token.
const AUTH: &str = "@app.middleware(\"http\")
async def require_bearer(request: Request, call_next):
    if request.url.path.startswith(\"/api/\") and request.headers.get(\"authorization\") != \"Bearer token\":
        return JSONResponse({\"error\": \"unauthorized\"}, status_code=401)
    return await call_next(request)";

/// `*` with credentials, set by hand on every answer.
const WILDCARD: &str = "@app.middleware(\"http\")
async def add_cors_headers(request: Request, call_next):
    response = await call_next(request)
    response.headers[\"Access-Control-Allow-Origin\"] = \"*\"
    response.headers[\"Access-Control-Allow-Credentials\"] = \"true\"
    return response";

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![("@@auth@@", AUTH.into())],
        _ => vec![],
    }
}

fn broken(config: Config) -> Fills {
    // The usual set-up: `app.add_middleware(CORSMiddleware, ...)` right after `app = FastAPI()`.
    let cors = |options: &str| {
        vec![
            (
                "@@top@@",
                "from fastapi.middleware.cors import CORSMiddleware".to_string(),
            ),
            (
                "@@cors@@",
                format!("app.add_middleware(CORSMiddleware, {options})"),
            ),
        ]
    };
    match config {
        Config::NoCors => vec![],
        // ServerErrorMiddleware is outside it: the unhandled exception's 500 has no headers.
        Config::Hidden500 => {
            cors("allow_origins=[\"*\"], allow_methods=[\"*\"], allow_headers=[\"*\"]")
        }
        // Correct, but the auth middleware (`@app.middleware`, added later) runs first.
        Config::AuthPreflight => cors("allow_origins=[\"*\"], allow_headers=[\"Authorization\"]"),
        // Starlette refuses such a preflight with a 400 (Chromium: PreflightInvalidStatus).
        Config::HeaderNotAllowed => cors("allow_origins=[\"*\"], allow_headers=[\"Content-Type\"]"),
        // Copied from an answer: `*` with credentials, by hand. (CORSMiddleware with
        // allow_origins=["*"] and allow_credentials=True echoes the origin when a cookie is sent.)
        Config::WildcardCredentials => vec![("@@cors@@", WILDCARD.into())],
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(launch.tools.join("venv/bin/python"));
    command
        .args(["-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port"])
        .arg(launch.port.to_string())
        .current_dir(launch.dir)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
