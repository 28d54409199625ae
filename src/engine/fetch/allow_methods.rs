//! `Access-Control-Allow-Methods` in the
//! [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch): a `#method` list;
//! methods compare byte-exact; `*` counts only without credentials; safelisted methods always pass.

use std::borrow::Cow;

use super::answers::ServerResponse;
use super::header_name::{is_token, split_list};
use super::method;

pub const HEADER: &str = "access-control-allow-methods";

/// The value of a list header (`None` when absent), to be read by [`parse_items`].
pub fn list_value<'a>(resp: &'a ServerResponse, name: &str) -> Option<Cow<'a, str>> {
    resp.get_cow(name)
}

/// A token list, [extracted](https://fetch.spec.whatwg.org/#extract-header-list-values) from a
/// header value (read in place). Empty items are ignored.
#[derive(Debug, Clone, Copy)]
pub struct List<'a>(&'a str);

impl<'a> List<'a> {
    /// `Err(item)` when an item is not a token.
    pub fn parse(value: &'a str) -> Result<List<'a>, &'a str> {
        match split_list(value).find(|i| !i.is_empty() && !is_token(i)) {
            Some(item) => Err(item),
            None => Ok(List(value)),
        }
    }

    pub fn items(self) -> impl Iterator<Item = &'a str> {
        split_list(self.0).filter(|i| !i.is_empty())
    }

    pub fn contains(self, item: &str) -> bool {
        self.items().any(|i| i == item)
    }

    /// The items, `, `-separated.
    pub fn joined(self) -> String {
        self.items().collect::<Vec<_>>().join(", ")
    }
}

/// Whether the (normalized) `method` passes the preflight's method list.
pub fn allows(list: Option<List<'_>>, method: &str, include_credentials: bool) -> bool {
    if method::is_safelisted(method) {
        return true;
    }
    list.is_some_and(|l| l.contains(method) || (!include_credentials && l.contains("*")))
}
