//! Rig: actix-web 4 with actix-cors, built from `tests/stacks/rust/` with the axum rig's
//! [`build_rust`](super::axum::build_rust).
//!
//! Broken set-ups: none; `Cors::permissive()` wrapped before an ErrorHandlers middleware that
//! builds its own 500 page (outer, so the page has no CORS headers; the app keeps it when fixed);
//! `Cors::permissive()` wrapped before the auth middleware (auth is outer); preflight headers by
//! hand allowing only `Content-Type` (actix-cors itself refuses an unlisted header with a 400
//! without CORS headers, a different verdict); `*` with credentials set by DefaultHeaders
//! (actix-cors refuses `send_wildcard` with credentials at start-up).

use std::path::{Path, PathBuf};
use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Actix,
    files: &[(
        "server.rs",
        include_str!("../../stacks/rust/templates/actix.rs"),
    )],
    always,
    broken,
    build: Some(build),
    command,
    startup: Duration::from_secs(10),
};

const AUTH: &str = r#"
async fn auth(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let bearer = req.headers().get("authorization").is_some_and(|v| v == "Bearer token");
    if req.path().starts_with("/api/") && !bearer {
        return Err(actix_web::error::ErrorUnauthorized("unauthorized"));
    }
    next.call(req).await
}"#;

const ERROR_PAGE: &str = r#"
fn error_page<B>(
    res: actix_web::dev::ServiceResponse<B>,
) -> actix_web::Result<actix_web::middleware::ErrorHandlerResponse<B>> {
    let (req, _) = res.into_parts();
    let page = json(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, "{\"error\":\"internal\"}");
    let res = actix_web::dev::ServiceResponse::new(req, page).map_into_right_body();
    Ok(actix_web::middleware::ErrorHandlerResponse::Response(res))
}"#;

const BY_HAND: &str = r#"
async fn cors_by_hand(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let origin = req.headers().get("origin").cloned();
    let mut res = if req.method() == actix_web::http::Method::OPTIONS {
        req.into_response(actix_web::HttpResponse::NoContent().finish()).map_into_right_body()
    } else {
        next.call(req).await?.map_into_left_body()
    };
    if let Some(origin) = origin {
        let headers = res.headers_mut();
        let value = actix_web::http::header::HeaderValue::from_static;
        headers.insert(actix_web::http::header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(actix_web::http::header::ACCESS_CONTROL_ALLOW_METHODS, value("GET, POST"));
        headers.insert(actix_web::http::header::ACCESS_CONTROL_ALLOW_HEADERS, value("Content-Type"));
        headers.insert(actix_web::http::header::VARY, value("Origin"));
    }
    Ok(res)
}"#;

fn always(config: Config) -> Fills {
    match config {
        Config::Hidden500 => vec![
            ("@@defs@@", ERROR_PAGE.into()),
            (
                "@@wrap@@",
                ".wrap(actix_web::middleware::ErrorHandlers::new()\n                    \
                 .handler(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, error_page))"
                    .into(),
            ),
        ],
        Config::AuthPreflight => vec![
            ("@@defs@@", AUTH.into()),
            (
                "@@wrap@@",
                ".wrap(actix_web::middleware::from_fn(auth))".into(),
            ),
        ],
        _ => vec![],
    }
}

fn broken(config: Config) -> Fills {
    match config {
        Config::NoCors => vec![],
        Config::Hidden500 | Config::AuthPreflight => {
            vec![("@@inner@@", ".wrap(actix_cors::Cors::permissive())".into())]
        }
        Config::HeaderNotAllowed => vec![
            ("@@defs@@", BY_HAND.into()),
            (
                "@@outer@@",
                ".wrap(actix_web::middleware::from_fn(cors_by_hand))".into(),
            ),
        ],
        Config::WildcardCredentials => vec![(
            "@@outer@@",
            ".wrap(actix_web::middleware::DefaultHeaders::new()\n                    \
             .add((\"Access-Control-Allow-Origin\", \"*\"))\n                    \
             .add((\"Access-Control-Allow-Credentials\", \"true\")))"
                .into(),
        )],
    }
}

fn build(root: &Path, dirs: &[PathBuf], _tools: &Path) -> Result<(), String> {
    super::axum::build_rust("actix", root, dirs)
}

fn command(launch: &Launch) -> tokio::process::Command {
    super::axum::rust_command("actix", launch)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
