//! The exact response headers that fix the request, for the user's app origin.

use super::CheckContext;
use crate::engine::check::report::FixHeaderSet;
use crate::engine::fetch::{fix_headers, Request};

/// The exact headers that make this request pass, for causes a server change fixes.
pub fn fix_headers_for(context: &CheckContext) -> Option<FixHeaderSet> {
    let request: Request = context.app_request();
    let headers = fix_headers(&request, &context.form.want_headers);
    if headers.actual.is_empty() {
        return None;
    }
    Some(FixHeaderSet {
        preflight: headers.preflight,
        actual: headers.actual,
    })
}
