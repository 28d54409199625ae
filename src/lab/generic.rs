//! `/generic`: a response built entirely from query parameters, for generated tests.
//!
//! | parameter | applies to | default |
//! | --- | --- | --- |
//! | `pf_status` | OPTIONS | 204 |
//! | `pf_h=Name:value` (repeatable) | OPTIONS | none |
//! | `status` | every other method | 200 |
//! | `h=Name:value` (repeatable) | every other method | none |
//! | `location` | every other method | none |
//!
//! Statuses must lie in 200–599. In header values and `location`, the literal token `{origin}` is
//! replaced by the request's Origin header (by nothing when it has none). Query values are only
//! `%XX`-decoded: `+` is a literal `+`, not a space (write a space as `%20`). No CORS header is
//! added automatically (not even `Vary`); only `Cache-Control: no-store` is always sent. A
//! malformed parameter answers 400 with a plain-text explanation and no CORS headers.

use axum::http::header::LOCATION;
use axum::http::{HeaderName, HeaderValue, StatusCode};

use super::respond::{Ctx, Reply};

pub(crate) fn answer(ctx: &Ctx) -> Reply {
    match build(ctx) {
        Ok(reply) => reply,
        Err(message) => Reply::new(StatusCode::BAD_REQUEST).text(format!("/generic: {message}\n")),
    }
}

fn build(ctx: &Ctx) -> Result<Reply, String> {
    let pf = ctx.is_preflight();
    let (status_key, header_key, default) = if pf {
        ("pf_status", "pf_h", 204)
    } else {
        ("status", "h", 200)
    };
    let status = match ctx.param(status_key) {
        None => default,
        Some(raw) => raw
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|code| (200..=599).contains(code))
            .ok_or_else(|| format!("{status_key}={raw:?} is not a status in 200-599"))?,
    };
    let status = StatusCode::from_u16(status).map_err(|e| e.to_string())?;
    let origin = ctx.origin.as_deref().unwrap_or("");
    let mut reply = Reply::new(status).raw();
    for spec in ctx.params(header_key) {
        let (name, value) = spec
            .split_once(':')
            .ok_or_else(|| format!("{header_key}={spec:?} is not Name:value"))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("{header_key}: {:?} is not a header name", name.trim()))?;
        let value = substitute(value.trim(), origin);
        let value = HeaderValue::from_str(&value)
            .map_err(|_| format!("{header_key}: {value:?} is not a header value"))?;
        reply = reply.header_value(name, value);
    }
    if !pf {
        if let Some(location) = ctx.param("location") {
            let location = substitute(location, origin);
            let value = HeaderValue::from_str(&location)
                .map_err(|_| format!("location={location:?} is not a header value"))?;
            reply = reply.header_value(LOCATION, value);
        }
        reply = reply.text(ctx.ok_body());
    }
    Ok(reply)
}

fn substitute(value: &str, origin: &str) -> String {
    value.replace("{origin}", origin)
}
