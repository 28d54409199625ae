//! `/behaviour` (and `/behaviour/`, the target of a trailing-slash redirect): the engine's
//! server-behaviour model ([`Behaviour`]) answering over the wire, so that the configuration the
//! simulator asks is the one a real browser meets.
//!
//! The query is [`Behaviour::to_query`]'s (see `src/engine/fetch/behaviour.rs`); other parameters
//! (`delay_ms`) are ignored by the model and kept in redirect targets. With the network up the
//! answer is exactly [`Behaviour::respond`]: its status and its header lines in order, duplicates
//! kept, nothing CORS-related added (only `Cache-Control: no-store`, and for a non-`OPTIONS`
//! answer that is not a redirect, a small text body). `net=down` closes the connection without
//! any HTTP response; `net=hangs` never answers. A malformed query answers 400 with a plain-text
//! explanation and no CORS headers.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use url::Url;

use crate::engine::fetch::{Behaviour, Incoming, Network, ServerResponse};

use super::respond::{Ctx, Reply};
use super::scenarios::Answer;

pub(crate) fn answer(ctx: &Ctx) -> Answer {
    let pairs = ctx.query.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let behaviour = match Behaviour::from_query(pairs) {
        Ok(b) => b,
        Err(e) => return Answer::Reply(bad_request(&e.0)),
    };
    match behaviour.network {
        Network::Down => return Answer::Close,
        Network::Hangs => return Answer::Never,
        Network::Up => {}
    }
    let url = match request_url(ctx) {
        Ok(url) => url,
        Err(message) => return Answer::Reply(bad_request(&message)),
    };
    let response = behaviour.respond(&incoming(ctx, &url));
    Answer::Reply(reply(ctx, &response))
}

/// `http://127.0.0.1:<port><path>?<raw query>`: the URL the browser asked for.
fn request_url(ctx: &Ctx) -> Result<Url, String> {
    let mut url = format!("http://127.0.0.1:{}{}", ctx.port, ctx.path);
    if !ctx.raw_query.is_empty() {
        url.push('?');
        url.push_str(&ctx.raw_query);
    }
    Url::parse(&url).map_err(|e| format!("{url:?} is not a URL: {e}"))
}

/// The request as the model sees it. Always hop 0: a redirect target's query no longer has `rd`.
fn incoming<'a>(ctx: &'a Ctx, url: &'a Url) -> Incoming<'a> {
    let options = ctx.is_preflight();
    Incoming {
        hop: 0,
        url,
        origin: ctx.origin.as_deref(),
        method: ctx.method.as_str(),
        request_method: ctx.acrm.as_deref().filter(|_| options),
        request_headers: ctx.acrh.as_deref(),
        with_body: ctx.body_len > 0,
    }
}

/// The model's response on the wire: its status and header lines in order; a body only for a
/// non-`OPTIONS`, non-redirect answer whose status allows one.
fn reply(ctx: &Ctx, response: &ServerResponse) -> Reply {
    let Ok(status) = StatusCode::from_u16(response.status) else {
        return server_error(&format!("status {} cannot be sent", response.status));
    };
    let mut reply = Reply::new(status).raw();
    for (name, value) in &response.headers {
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            return server_error(&format!("{name:?} is not a header name"));
        };
        let Ok(value) = HeaderValue::from_bytes(value.as_bytes()) else {
            return server_error(&format!("{name}: {value:?} is not a header value"));
        };
        reply = reply.header_value(header, value);
    }
    if !ctx.is_preflight() && !status.is_redirection() {
        reply = reply.text(ctx.ok_body());
    }
    reply
}

fn bad_request(message: &str) -> Reply {
    Reply::new(StatusCode::BAD_REQUEST).text(format!("/behaviour: {message}\n"))
}

fn server_error(message: &str) -> Reply {
    Reply::new(StatusCode::INTERNAL_SERVER_ERROR).text(format!("/behaviour: {message}\n"))
}
