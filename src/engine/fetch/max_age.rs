//! `Access-Control-Max-Age` in the [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch):
//! how long the preflight is cached. Default 5 s; Chromium caps it at 7200 s (2 h).

use super::answers::ServerResponse;

pub const HEADER: &str = "access-control-max-age";
pub const DEFAULT_SECONDS: u64 = 5;
pub const CHROMIUM_CAP_SECONDS: u64 = 7200;

/// (seconds per spec, seconds Chromium uses).
pub fn seconds(resp: &ServerResponse) -> (u64, u64) {
    let spec = resp
        .get_cow(HEADER)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .map(|v| {
            v.bytes().fold(0u64, |acc, b| {
                acc.saturating_mul(10)
                    .saturating_add(u64::from(b.saturating_sub(b'0')))
            })
        })
        .unwrap_or(DEFAULT_SECONDS);
    (spec, spec.min(CHROMIUM_CAP_SECONDS))
}
