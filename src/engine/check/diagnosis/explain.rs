//! The fix for each cause, in plain words, for the user's app origin.

use super::CheckContext;
use crate::engine::check::report::FixHeaderSet;
use crate::engine::fetch::{fix_headers, Request};

/// What to change, for a cause code with its parameters.
pub fn fix_text(
    code: &str,
    context: &CheckContext,
    param: impl Fn(&str) -> Option<String>,
) -> String {
    let app = &context.form.app_origin;
    let family = code.split('/').take(2).collect::<Vec<_>>().join("/");
    match family.as_str() {
        "ok" if code == "ok/header-not-exposed" => format!(
            "List the header in Access-Control-Expose-Headers on the actual response, e.g. `Access-Control-Expose-Headers: {}`.",
            param("header").unwrap_or_default()
        ),
        "ok/same-origin" | "ok" => String::new(),
        "response/allow-origin" => format!(
            "Send exactly `Access-Control-Allow-Origin: {app}` on every response, errors included: one value, no trailing slash, same scheme and port. To allow several origins, compare the request's Origin with an allow-list, echo the match, and add `Vary: Origin`."
        ),
        "response/credentials" => format!(
            "With credentials, send `Access-Control-Allow-Origin: {app}` (never `*`) and `Access-Control-Allow-Credentials: true` on the response. Or, if the request does not need cookies, send it without credentials."
        ),
        "response/hidden-server-error" => "Fix the error the server returns for this request (see the server log; the curl command shows the status and body), and make error responses carry the same CORS headers as successful ones: register the CORS layer before error handlers and authentication (in nginx, `add_header … always`).".into(),
        "preflight/status" => "Answer `OPTIONS` for this URL with 204 (or 200) and the CORS headers below, before authentication and routing: preflights never carry cookies or an Authorization header, so auth middleware must let them through.".into(),
        "preflight/redirect" => "Call the final URL directly (mind trailing slashes and http→https): a preflight cannot follow a redirect. Or answer OPTIONS at this URL without redirecting.".into(),
        "preflight/allow-origin" => format!(
            "Answer the OPTIONS preflight with `Access-Control-Allow-Origin: {app}` (and send it on the actual response too)."
        ),
        "preflight/credentials" => format!(
            "Answer the OPTIONS preflight with `Access-Control-Allow-Origin: {app}` (not `*`) and `Access-Control-Allow-Credentials: true`."
        ),
        "preflight/method-not-allowed" => format!(
            "Add `{}` to Access-Control-Allow-Methods on the OPTIONS response (method names are case-sensitive; `*` works only without credentials).",
            param("method").unwrap_or_else(|| context.form.method.clone())
        ),
        "preflight/header-not-allowed" => format!(
            "Add `{}` to Access-Control-Allow-Headers on the OPTIONS response.",
            param("header").unwrap_or_default()
        ),
        "preflight/authorization-wildcard" => "List `Authorization` by name in Access-Control-Allow-Headers: `*` does not cover it.".into(),
        "preflight/local-network" => "Answer the preflight with `Access-Control-Allow-Private-Network: true`, or serve the API from a public address.".into(),
        "redirect/tainted-origin" => "Call the final URL directly so no cross-origin redirect happens, or make the redirect target answer `Access-Control-Allow-Origin: *` (it sees `Origin: null`).".into(),
        "redirect/credentials-in-url" => "Remove `user:password@` from the redirect's Location, and pass credentials another way.".into(),
        "redirect/unsupported-scheme" => "Redirect only to http(s) URLs.".into(),
        "network/unreachable" => "Check the URL, host and port, that the server runs and listens on that address, and that its TLS certificate is valid (open the URL in a tab).".into(),
        "network/timeout" => "Check that the server is up and the request is not stuck; raise the timeout if it is only slow.".into(),
        "network/mixed-content" => "Call the API over https: an https page may not call http URLs (except loopback).".into(),
        "network/local-network-access" => "Serve the API from a public address, or let the browser ask the user for local network access (the preflight must allow it).".into(),
        "input/invalid-url" if param("reason").as_deref() == Some("credentials") => "Remove `user:password@` from the URL: fetch() refuses URLs with credentials. Send an Authorization header instead.".into(),
        "input/invalid-url" => "Enter an absolute URL, such as `https://api.example.com/v1/items`.".into(),
        "input/unsupported-scheme" => "Use an http:// or https:// URL: CORS requests exist only for those.".into(),
        "input/forbidden-method" if param("reason").as_deref() == Some("body") => "GET and HEAD requests cannot carry a body: move the data into the query string, or use POST.".into(),
        "input/forbidden-method" if param("reason").as_deref() == Some("invalid") => "Use a valid method name (letters, digits and `!#$%&'*+-.^_`|~`), such as GET, POST or PATCH.".into(),
        "input/forbidden-method" => "Browsers never send CONNECT, TRACE or TRACK: use another method.".into(),
        "input/forbidden-header" if param("header").as_deref() == Some("cookie") => "Remove the Cookie header: the browser sends its own cookies when the request is made with credentials (tick \"Send credentials\", `credentials: \"include\"` in fetch).".into(),
        "input/forbidden-header" => format!(
            "Remove the `{}` header: the browser sets it itself and ignores any value a script gives.",
            param("header").unwrap_or_default()
        ),
        _ if family.starts_with("input") => "Fix the request in the form: the browser will not send it as it is.".into(),
        _ => String::new(),
    }
}

/// The exact headers that make this request pass, for causes a server change fixes.
pub fn fix_headers_for(code: &str, context: &CheckContext) -> Option<FixHeaderSet> {
    let fixable = code.starts_with("preflight")
        || code.starts_with("response")
        || code == "redirect/tainted-origin"
        || code == "ok/header-not-exposed";
    if !fixable {
        return None;
    }
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
