//! [Mixed content](https://w3c.github.io/webappsec-mixed-content/#should-block-fetch): an https
//! page may not fetch an `http:` URL unless the host is potentially trustworthy (loopback,
//! `localhost`, `*.localhost`). Checked on the request URL and on every redirect target.

use url::Url;

use super::origin::{is_potentially_trustworthy, PageOrigin};

pub fn blocks(page: &PageOrigin, url: &Url) -> bool {
    page.is_https() && url.scheme() == "http" && !is_potentially_trustworthy(url)
}
