//! `curl -i` / `curl -v` output: the response heads (and, with `-v`, the request lines) of one
//! or more exchanges, turned into the fixed answers the simulator replays.

use crate::engine::fetch::{Request, ServerAnswers, ServerResponse};

/// What `curl -v` shows of a request (`> METHOD target HTTP/x` and `> Name: value` lines).
#[derive(Debug, Clone, PartialEq)]
pub struct SentHead {
    pub method: String,
    /// The request target as sent (`/path?q`), or an absolute URL through a proxy.
    pub target: String,
    /// The `Host` header, when shown.
    pub host: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// One request/response exchange in the output, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// With `-v` only.
    pub sent: Option<SentHead>,
    /// The final head of this exchange (`100 Continue` and proxy `Connection established`
    /// heads skipped).
    pub response: ServerResponse,
    /// `HTTP/1.1`, `HTTP/2`, …
    pub version: String,
}

/// Why the text is not curl output.
#[derive(Debug, Clone, PartialEq)]
pub struct NotCurlOutput(pub String);

/// Every exchange in `text`. Never panics.
pub fn parse(text: &str) -> Result<Vec<Exchange>, NotCurlOutput> {
    let _ = text;
    Err(NotCurlOutput("not implemented".into()))
}

/// The answers the simulator replays for `request`: hop by hop (a 3xx with `Location` followed
/// by more output moves to the next hop), each hop's `OPTIONS` exchange as its preflight.
pub fn answers(exchanges: &[Exchange], request: &Request) -> ServerAnswers {
    let _ = (exchanges, request);
    ServerAnswers::default()
}
