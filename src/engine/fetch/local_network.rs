//! Local network requests: a page calling a *more private* address space (public → local or
//! loopback, local → loopback), per [Private Network Access](https://wicg.github.io/private-network-access/#private-network-request).
//!
//! The simulator follows that draft: a page that is not a secure context may not make such a
//! request at all ([`insecure`]; the draft's secure-context restriction, which Chromium 156
//! enforces); from a secure context it is preflighted with
//! `Access-Control-Request-Private-Network: true` and the preflight must answer
//! `Access-Control-Allow-Private-Network: true`. Chromium 156 calls this "local network access"
//! and asks the user for a permission instead of relying on that header (see `chromium.rs`).

use url::Url;

use super::answers::ServerResponse;
use super::code::{Code, Finding};
use super::origin::{address_space, AddressSpace, PageOrigin};

pub const ALLOW_HEADER: &str = "access-control-allow-private-network";

/// `Some((page space, target space))` when the request goes to a more private space.
pub fn crossing(page: &PageOrigin, url: &Url) -> Option<(AddressSpace, AddressSpace)> {
    let from = page.address_space();
    let to = address_space(url);
    (to > from).then_some((from, to))
}

/// The finding for a page that is not a secure context calling a more private address: the
/// browser refuses it before sending anything (no preflight, no permission prompt).
pub fn insecure(page: &PageOrigin, from: AddressSpace, to: AddressSpace) -> Finding {
    Finding::new(
        Code::NetworkLocalNetworkAccess,
        format!(
            "The {} page {} is not a secure context (not https) and calls a {} address: the browser refuses it before sending anything.",
            from.as_str(),
            page.serialized(),
            to.as_str()
        ),
    )
    .with("page_space", from.as_str())
    .with("target_space", to.as_str())
    .with("secure_context", "false")
}

/// `Err(value)` (empty when absent) unless the preflight allows the private network request.
pub fn check(resp: &ServerResponse) -> Result<(), String> {
    match resp.get_cow(ALLOW_HEADER) {
        Some(v) if v == "true" => Ok(()),
        Some(v) => Err(v.into_owned()),
        None => Err(String::new()),
    }
}
