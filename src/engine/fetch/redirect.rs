//! [HTTP-redirect fetch](https://fetch.spec.whatwg.org/#http-redirect-fetch): at most 20 hops,
//! http(s) only, no `user:pass@` for CORS, the tainted (`null`) origin, and the method rewrite
//! (301/302 POST→GET, 303 non-GET/HEAD→GET, which drops the body and its headers).

use std::sync::Arc;

use url::Url;

use super::answers::ServerResponse;
use super::origin::{same_origin, PageOrigin};
use super::url_cache;

pub const MAX_REDIRECTS: usize = 20;

/// [Redirect status](https://fetch.spec.whatwg.org/#redirect-status).
pub fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// `Location` of a redirect response: `None` when absent (the 3xx is then an ordinary response),
/// `Some(Err(value))` when it does not parse against `base`.
pub fn location(resp: &ServerResponse, base: &Url) -> Option<Result<Arc<Url>, String>> {
    let (value, lines) = resp.get_counted("location")?;
    if lines > 1 {
        return Some(Err(value.into_owned()));
    }
    Some(url_cache::join(base, &value).map_err(|_| value.into_owned()))
}

/// Whether the hop from `current` to `next` taints the request's origin (it becomes `null`):
/// a cross-origin hop that starts from a URL that is already cross-origin with the page.
pub fn taints(page: &PageOrigin, current: &Url, next: &Url) -> bool {
    !same_origin(current, next) && !page.same_origin(current)
}

/// Whether the redirect turns the method into `GET`, which drops the body (and its headers).
pub fn becomes_get(status: u16, method: &str) -> bool {
    ((status == 301 || status == 302) && method == "POST")
        || (status == 303 && method != "GET" && method != "HEAD")
}

/// [Request-body-header names](https://fetch.spec.whatwg.org/#request-body-header-name),
/// removed when the body is dropped.
pub fn is_request_body_header(name: &str) -> bool {
    [
        "content-encoding",
        "content-language",
        "content-location",
        "content-type",
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(name))
}

pub fn has_credentials(url: &Url) -> bool {
    // A user name or password is serialized with an `@` after it.
    url.as_str().contains('@') && (!url.username().is_empty() || url.password().is_some())
}
