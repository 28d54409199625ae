//! The credentials half of the [CORS check](https://fetch.spec.whatwg.org/#cors-check):
//! with `credentials: "include"`, `Access-Control-Allow-Credentials` must be exactly `true`
//! (case-sensitive; `True`, `1` and `true, true` all fail).

use super::answers::ServerResponse;

pub const HEADER: &str = "access-control-allow-credentials";

/// `Err(value)` (empty when absent) unless the header is exactly `true`.
pub fn check(resp: &ServerResponse) -> Result<(), String> {
    match resp.get_cow(HEADER) {
        Some(v) if v == "true" => Ok(()),
        Some(v) => Err(v.into_owned()),
        None => Err(String::new()),
    }
}
