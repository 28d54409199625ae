//! `Access-Control-Allow-Methods` in the
//! [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch): a `#method` list;
//! methods compare byte-exact; `*` counts only without credentials; safelisted methods always pass.

use super::answers::ServerResponse;
use super::header_name::{is_token, split_list};
use super::method;

pub const HEADER: &str = "access-control-allow-methods";

/// [Extracts](https://fetch.spec.whatwg.org/#extract-header-list-values) a token list:
/// `Ok(None)` when absent, `Err(item)` when an item is not a token. Empty items are ignored.
pub fn parse_list(resp: &ServerResponse, name: &str) -> Result<Option<Vec<String>>, String> {
    let Some(value) = resp.get(name) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for item in split_list(&value).filter(|i| !i.is_empty()) {
        if !is_token(item) {
            return Err(item.to_string());
        }
        out.push(item.to_string());
    }
    Ok(Some(out))
}

/// Whether the (normalized) `method` passes the preflight's method list.
pub fn allows(list: Option<&[String]>, method: &str, include_credentials: bool) -> bool {
    if method::is_safelisted(method) {
        return true;
    }
    let list = list.unwrap_or(&[]);
    list.iter().any(|m| m == method) || (!include_credentials && list.iter().any(|m| m == "*"))
}
