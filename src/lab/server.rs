//! The axum side: one router per port, a single fallback handler for every method and path.

use std::sync::Arc;
use std::time::Duration;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ORIGIN,
};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use tokio::sync::watch;

use super::log::{Log, LoggedRequest};
use super::query;
use super::respond::{Ctx, Reply};
use super::scenarios::{self, Answer};

/// Request bodies larger than this are logged with the length read so far being unknown (0).
const MAX_BODY: usize = 64 * 1024 * 1024;
const MAX_DELAY_MS: u64 = 60_000;
const NEVER_ANSWER_LIMIT: Duration = Duration::from_secs(600);

/// State common to both ports.
pub(crate) struct Shared {
    pub primary_port: u16,
    pub secondary_port: u16,
    pub log: Log,
    pub stop: watch::Receiver<bool>,
}

#[derive(Clone)]
pub(crate) struct PortState {
    pub port: u16,
    pub shared: Arc<Shared>,
}

pub(crate) fn router(state: PortState) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// Resolves once the lab is told to stop (or its handle is dropped).
pub(crate) async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

async fn handle(State(state): State<PortState>, request: Request) -> Response {
    let shared = &state.shared;
    let (parts, body) = request.into_parts();
    let body_len = tokio::select! {
        body = to_bytes(body, MAX_BODY) => body.map(|b| b.len()).unwrap_or(0),
        () = stopped(shared.stop.clone()) => return shutting_down(),
    };
    let path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let origin = parts
        .headers
        .get(ORIGIN)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    if !is_control(&path) {
        shared.log.push(LoggedRequest {
            port: state.port,
            method: parts.method.to_string(),
            path: path.clone(),
            query: raw_query.clone(),
            origin: origin.clone(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                    (n.as_str().to_owned(), value)
                })
                .collect(),
            body_len,
        });
    }
    let ctx = Ctx {
        method: parts.method.clone(),
        path,
        acrh: parts
            .headers
            .get("access-control-request-headers")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        origin,
        query: query::parse(&raw_query),
        primary_port: shared.primary_port,
        secondary_port: shared.secondary_port,
        body_len,
    };
    if let Some(ms) = ctx
        .param("delay_ms")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        let delay = Duration::from_millis(ms.min(MAX_DELAY_MS));
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = stopped(shared.stop.clone()) => return shutting_down(),
        }
    }
    match ctx.path.as_str() {
        "/" => control(&ctx, || {
            let list = serde_json::json!({
                "primary_origin": format!("http://127.0.0.1:{}", shared.primary_port),
                "secondary_origin": format!("http://127.0.0.1:{}", shared.secondary_port),
                "scenarios": scenarios::scenarios(),
            });
            Reply::new(StatusCode::OK).json(list.to_string())
        }),
        "/__log" => control(&ctx, || {
            match serde_json::to_string(&shared.log.snapshot()) {
                Ok(json) => Reply::new(StatusCode::OK).json(json),
                Err(e) => Reply::new(StatusCode::INTERNAL_SERVER_ERROR).text(e.to_string()),
            }
        }),
        "/__log/clear" if ctx.method == Method::POST || ctx.is_preflight() => control(&ctx, || {
            shared.log.clear();
            Reply::new(StatusCode::OK).json(r#"{"cleared":true}"#)
        }),
        "/__log/clear" => control(&ctx, || {
            Reply::new(StatusCode::METHOD_NOT_ALLOWED).text("POST /__log/clear clears the log\n")
        }),
        _ => match scenarios::answer(&ctx) {
            Some(Answer::Reply(reply)) => reply.into_response(),
            Some(Answer::Never) => never_answer(shared.stop.clone()).await,
            None => Reply::new(StatusCode::NOT_FOUND)
                .text(format!("no scenario at {} (GET / lists them)\n", ctx.path))
                .into_response(),
        },
    }
}

/// `/`, `/__log` and `/__log/clear` are not logged (reading the log must not change it).
fn is_control(path: &str) -> bool {
    path == "/" || path == "/__log" || path == "/__log/clear"
}

/// Control endpoints answer any origin with `*`; their OPTIONS is a permissive preflight.
fn control(ctx: &Ctx, build: impl FnOnce() -> Reply) -> Response {
    let reply = if ctx.is_preflight() {
        let reply =
            Reply::new(StatusCode::NO_CONTENT).header(ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
        let reply = match &ctx.acrh {
            Some(requested) => reply.header(ACCESS_CONTROL_ALLOW_HEADERS, requested),
            None => reply,
        };
        reply.header(ACCESS_CONTROL_MAX_AGE, "0")
    } else {
        build()
    };
    reply
        .header(ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .into_response()
}

async fn never_answer(stop: watch::Receiver<bool>) -> Response {
    tokio::select! {
        () = tokio::time::sleep(NEVER_ANSWER_LIMIT) => Reply::new(StatusCode::GATEWAY_TIMEOUT)
            .text("never-answers gave up after 10 minutes\n")
            .into_response(),
        () = stopped(stop) => shutting_down(),
    }
}

fn shutting_down() -> Response {
    Reply::new(StatusCode::SERVICE_UNAVAILABLE)
        .text("the CORS lab is shutting down\n")
        .into_response()
}
