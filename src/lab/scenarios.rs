//! The scenario table and what each path answers.

use axum::http::header::{
    ACCESS_CONTROL_EXPOSE_HEADERS, CONTENT_SECURITY_POLICY, LOCATION, WWW_AUTHENTICATE,
};
use axum::http::{HeaderName, StatusCode};

use super::behaviour;
use super::generic;
use super::query::percent_encode;
use super::respond::{allow_lists, AllowHeaders, Cors, Ctx, Reply, ALLOW_METHODS};

/// One path of the lab.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Scenario {
    pub path: &'static str,
    pub summary: &'static str,
}

const fn s(path: &'static str, summary: &'static str) -> Scenario {
    Scenario { path, summary }
}

static SCENARIOS: &[Scenario] = &[
    s("/simple-ok", "correct preflight; 200 with the Origin reflected and credentials allowed"),
    s("/preflight-ok", "same as /simple-ok (for PUT/PATCH/DELETE with custom headers)"),
    s("/acao-missing", "no CORS headers at all (preflight 204, actual 200)"),
    s("/acao-other", "Access-Control-Allow-Origin: https://other.example everywhere"),
    s("/acao-trailing-slash", "Access-Control-Allow-Origin = Origin + \"/\" everywhere"),
    s("/acao-multiple", "two Access-Control-Allow-Origin lines on preflight and actual"),
    s("/wildcard-credentials", "Access-Control-Allow-Origin: * with Allow-Credentials: true"),
    s("/credentials-no-acac", "Origin reflected, never Access-Control-Allow-Credentials"),
    s("/preflight-404", "OPTIONS 404 with the Origin reflected; actual 200"),
    s("/preflight-401", "OPTIONS 401 (WWW-Authenticate: Bearer) without CORS headers; actual 200"),
    s(
        "/preflight-redirect",
        "every method 308 to /preflight-ok (like a trailing-slash redirect): a preflight may not follow it",
    ),
    s("/preflight-no-acao", "preflight 204 with Allow-Methods/-Headers but no Allow-Origin"),
    s("/method-not-allowed", "preflight allows only GET, POST"),
    s("/header-not-allowed", "preflight allows only x-trace-one, x-trace-two, content-type"),
    s("/acah-wildcard", "preflight Allow-Methods: * and Allow-Headers: *, no credentials"),
    s(
        "/hidden-error",
        "GET/HEAD 200 with CORS; writes with a body answer ?status= (default 500) without CORS headers, bodiless writes 400 with CORS (?all=1: every request fails)",
    ),
    s("/error-cors", "actual answers ?status= (default 500, 400-599) with the Origin reflected"),
    s(
        "/redirect-cross-origin",
        "actual 302 (?code=301|302|303|307|308) to the secondary origin's /redirect-target?allow=<Origin>; ?target_allow=* passes",
    ),
    s("/redirect-target", "Allow-Origin = ?allow= (reflects when absent); target of /redirect-cross-origin"),
    s("/redirect-userinfo", "actual 302 to http://user:pass@127.0.0.1:<primary>/simple-ok"),
    s("/not-exposed", "200 with X-Request-Id, X-Total-Count, X-Exposed; only X-Exposed exposed"),
    s("/never-answers", "never responds (until the lab shuts down or 10 minutes pass)"),
    s("/frontend", "an HTML page: a frontend to run the app snippet in (any port is an app origin)"),
    s(
        "/frontend-csp",
        "the same page with Content-Security-Policy: connect-src 'self' (its fetches elsewhere are refused)",
    ),
    s(
        "/generic",
        "all from the query: pf_status, pf_h=Name:value, status, h=Name:value, location; {origin} = the Origin",
    ),
    s(
        "/behaviour",
        "the engine's server-behaviour model (query of Behaviour::to_query: ao, am, opt, gs, rd, net…); also /behaviour/",
    ),
];

/// The lab's stand-in for the user's own frontend.
const FRONTEND: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>My app</title></head><body><h1>My app</h1><p>A frontend on its own origin.</p></body></html>\n";

/// Every scenario path with a one-line summary.
pub fn scenarios() -> &'static [Scenario] {
    SCENARIOS
}

/// What a path answers.
pub(crate) enum Answer {
    Reply(Reply),
    /// Hold the request open and never answer.
    Never,
    /// Close the connection without any HTTP response (a network error for the browser).
    Close,
}

/// The answer for a scenario path, or `None` for an unknown path.
pub(crate) fn answer(ctx: &Ctx) -> Option<Answer> {
    let pf = ctx.is_preflight();
    let reflect = Cors::reflect(ctx);
    let reply = match ctx.path.as_str() {
        "/never-answers" => return Some(Answer::Never),
        "/behaviour" | "/behaviour/" => return Some(behaviour::answer(ctx)),
        "/generic" => generic::answer(ctx),
        "/frontend" => Reply::new(StatusCode::OK).html(FRONTEND),
        "/frontend-csp" => Reply::new(StatusCode::OK)
            .header(
                CONTENT_SECURITY_POLICY,
                "default-src 'self'; connect-src 'self'",
            )
            .html(FRONTEND),
        "/simple-ok" | "/preflight-ok" => standard(ctx, &reflect),
        "/acao-missing" if pf => Reply::new(StatusCode::NO_CONTENT),
        "/acao-missing" => Cors::none().ok(ctx),
        "/acao-other" => standard(ctx, &Cors::fixed("https://other.example", true)),
        "/acao-trailing-slash" => standard(ctx, &Cors::fixed(format!("{}/", ctx.reflect()), true)),
        "/acao-multiple" => {
            let cors = Cors {
                origins: vec![ctx.reflect(), ctx.reflect()],
                credentials: true,
            };
            standard(ctx, &cors)
        }
        "/wildcard-credentials" => standard(ctx, &Cors::fixed("*", true)),
        "/credentials-no-acac" => standard(ctx, &Cors::fixed(ctx.reflect(), false)),
        "/preflight-404" if pf => reflect
            .apply(Reply::new(StatusCode::NOT_FOUND))
            .text(format!("Cannot OPTIONS {}", ctx.path)),
        "/preflight-401" if pf => Reply::new(StatusCode::UNAUTHORIZED)
            .header(WWW_AUTHENTICATE, "Bearer")
            .text("Unauthorized"),
        "/preflight-redirect" => reflect
            .apply(Reply::new(StatusCode::PERMANENT_REDIRECT))
            .header(LOCATION, "/preflight-ok"),
        "/preflight-no-acao" if pf => allow_lists(
            ctx,
            Reply::new(StatusCode::NO_CONTENT),
            ALLOW_METHODS,
            AllowHeaders::Echo,
        ),
        "/preflight-404" | "/preflight-401" | "/preflight-no-acao" => reflect.ok(ctx),
        "/method-not-allowed" if pf => reflect.preflight(ctx, "GET, POST", AllowHeaders::Echo),
        "/header-not-allowed" if pf => reflect.preflight(
            ctx,
            ALLOW_METHODS,
            AllowHeaders::Fixed("x-trace-one, x-trace-two, content-type"),
        ),
        "/method-not-allowed" | "/header-not-allowed" => reflect.ok(ctx),
        "/acah-wildcard" => {
            let cors = Cors::fixed(ctx.reflect(), false);
            if pf {
                cors.preflight(ctx, "*", AllowHeaders::Fixed("*"))
            } else {
                cors.ok(ctx)
            }
        }
        _ if pf && is_actual_only(&ctx.path) => reflect.correct_preflight(ctx),
        // The handler fails for the write, while reads of the same URL work: the usual hidden 500.
        "/hidden-error" if is_read(ctx) && ctx.param("all").is_none() => reflect.ok(ctx),
        // A write without a body fails validation the ordinary way, CORS headers included.
        "/hidden-error" if ctx.body_len == 0 && ctx.param("all").is_none() => reflect
            .apply(Reply::new(StatusCode::BAD_REQUEST))
            .text("{\"error\":\"a body is required\"}"),
        "/hidden-error" => hidden_error(ctx),
        "/error-cors" => {
            let status = ctx.status_param("status", 500, 400..=599);
            let body = serde_json::json!({"scenario": "error-cors", "status": status.as_u16()});
            reflect.apply(Reply::new(status)).text(body.to_string())
        }
        "/redirect-cross-origin" => {
            let allow = ctx
                .param("target_allow")
                .map_or_else(|| ctx.reflect(), str::to_owned);
            let location = format!(
                "http://127.0.0.1:{}/redirect-target?allow={}",
                ctx.secondary_port,
                percent_encode(&allow)
            );
            redirect(ctx, &reflect, &location)
        }
        "/redirect-target" => {
            let allow = ctx
                .param("allow")
                .map_or_else(|| ctx.reflect(), str::to_owned);
            let cors = Cors::fixed(allow.clone(), allow != "*");
            standard(ctx, &cors)
        }
        "/redirect-userinfo" => {
            let location = format!("http://user:pass@127.0.0.1:{}/simple-ok", ctx.primary_port);
            redirect(ctx, &reflect, &location)
        }
        "/not-exposed" => reflect
            .ok(ctx)
            .header(HeaderName::from_static("x-request-id"), "42")
            .header(HeaderName::from_static("x-total-count"), "7")
            .header(HeaderName::from_static("x-exposed"), "yes")
            .header(ACCESS_CONTROL_EXPOSE_HEADERS, "X-Exposed"),
        _ => return None,
    };
    Some(Answer::Reply(reply))
}

fn is_read(ctx: &Ctx) -> bool {
    ctx.method == axum::http::Method::GET || ctx.method == axum::http::Method::HEAD
}

/// Paths whose preflight is the correct one and whose actual answer is special.
fn is_actual_only(path: &str) -> bool {
    matches!(
        path,
        "/hidden-error"
            | "/error-cors"
            | "/redirect-cross-origin"
            | "/redirect-userinfo"
            | "/not-exposed"
    )
}

/// Preflight: the correct one with `cors`; actual: 200 with `cors`.
fn standard(ctx: &Ctx, cors: &Cors) -> Reply {
    if ctx.is_preflight() {
        cors.correct_preflight(ctx)
    } else {
        cors.ok(ctx)
    }
}

fn redirect(ctx: &Ctx, cors: &Cors, location: &str) -> Reply {
    let status = ctx
        .param("code")
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| matches!(c, 301 | 302 | 303 | 307 | 308))
        .unwrap_or(302);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::FOUND);
    cors.apply(Reply::new(status))
        .header(LOCATION, location)
        .text(format!("Redirecting to {location}"))
}

fn hidden_error(ctx: &Ctx) -> Reply {
    let status = ctx.status_param("status", 500, 400..=599);
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    Reply::new(status).html(format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head>\
         <body><h1>{title}</h1><p>hidden-error: this body never reaches the page.</p></body></html>"
    ))
}
