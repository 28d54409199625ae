//! One home per cause: its summary, its fix, how to settle it from outside the browser, where it
//! breaks the sequence picture, and whether a server change fixes it. Every `match` here is
//! exhaustive, so a new [`Code`] without a fix does not compile.

use std::collections::BTreeMap;

use super::CheckContext;
use crate::engine::fetch::{
    normalize_method, AllowOriginDetail as O, Code, CredentialsDetail as C,
};

/// Where a cause breaks the exchange the sequence picture shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    /// Refused before anything was sent.
    NotSent,
    /// No HTTP server answered.
    NoServer,
    /// The server never answered.
    NoAnswer,
    /// The preflight failed; the request itself was never sent.
    PreflightFails,
    /// The request was sent and its response failed the CORS check.
    ResponseFails,
    /// The page got the response.
    Delivered,
    /// The evidence cannot place it.
    Unknown,
}

/// Who can fix a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixedBy {
    /// A change to the server's answers (headers, status, routing).
    Server,
    /// A change to the request or the page (URL, headers, method, form).
    Request,
    /// Nothing to fix.
    Nobody,
}

/// Everything the report says about one cause.
#[derive(Debug, Clone, PartialEq)]
pub struct About {
    pub summary: String,
    pub fix: String,
    /// The step that confirms it, or tells it from the causes it looks like.
    pub settle: &'static str,
    pub picture: Picture,
    pub fixed_by: FixedBy,
}

const CURL_PREFLIGHT: &str =
    "the preflight curl command below shows the OPTIONS status and headers";
const CURL_ACTUAL: &str = "the actual-request curl command below shows the status and headers";
const CURL_CHAIN: &str = "curl -iL on the URL shows every redirect and its headers";
const NOTHING: &str = "";

/// The facts about `code` for this request; `params` are the cause's parameters.
pub fn about(code: Code, context: &CheckContext, params: &BTreeMap<String, String>) -> About {
    let app = &context.form.app_origin;
    let origin = &context.page_origin;
    let param = |k: &str| params.get(k).cloned().unwrap_or_default();
    let method = params
        .get("method")
        .cloned()
        .unwrap_or_else(|| normalize_method(&context.form.method));
    let server = |summary: String, fix: String, settle: &'static str, picture: Picture| About {
        summary,
        fix,
        settle,
        picture,
        fixed_by: FixedBy::Server,
    };
    let request = |summary: String, fix: String| About {
        summary,
        fix,
        settle: NOTHING,
        picture: Picture::NotSent,
        fixed_by: FixedBy::Request,
    };
    let allow_origin_fix = format!(
        "Send exactly `Access-Control-Allow-Origin: {app}` on every response, errors and redirects included: one value, no trailing slash, same scheme and port. To allow several origins, compare the request's Origin with an allow-list, echo the match, and add `Vary: Origin`."
    );
    match code {
        Code::Ok => About {
            summary: "The browser delivered the response; CORS allows this request.".into(),
            fix: String::new(),
            settle: NOTHING,
            picture: Picture::Delivered,
            fixed_by: FixedBy::Nobody,
        },
        Code::OkSameOrigin => About {
            summary: "The URL has the same origin as this page: CORS does not apply to it.".into(),
            fix: String::new(),
            settle: NOTHING,
            picture: Picture::Delivered,
            fixed_by: FixedBy::Nobody,
        },
        Code::OkHeaderNotExposed => server(
            format!("The response was delivered, but your code cannot read `{}`: the server does not expose it.", param("header")),
            format!("List the header in Access-Control-Expose-Headers on the actual response, e.g. `Access-Control-Expose-Headers: {}`.", param("header")),
            CURL_ACTUAL,
            Picture::Delivered,
        ),
        Code::InputInvalidUrl if param("reason") == "credentials" => request(
            "The URL carries `user:password@`, which fetch() refuses.".into(),
            "Remove `user:password@` from the URL: fetch() refuses URLs with credentials. Send an Authorization header instead.".into(),
        ),
        Code::InputInvalidUrl => request(
            "The URL is not an absolute URL.".into(),
            "Enter an absolute URL, such as `https://api.example.com/v1/items`.".into(),
        ),
        Code::InputUnsupportedScheme => request(
            "The URL is not http(s): CORS requests exist only for those.".into(),
            "Use an http:// or https:// URL: CORS requests exist only for those.".into(),
        ),
        Code::InputForbiddenMethod => request(
            format!("The browser will not send the method {method}."),
            match param("reason").as_str() {
                "body" => "GET and HEAD requests cannot carry a body: move the data into the query string, or use POST.".into(),
                "invalid" => "Use a valid method name (letters, digits and `!#$%&'*+-.^_`|~`), such as GET, POST or PATCH.".into(),
                _ => "Browsers never send CONNECT, TRACE or TRACK: use another method.".into(),
            },
        ),
        Code::InputForbiddenHeader => request(
            format!("Scripts may not set the header `{}`: the browser drops it or refuses.", param("header")),
            if param("header") == "cookie" {
                "Remove the Cookie header: the browser sends its own cookies when the request is made with credentials (tick \"Send credentials\", `credentials: \"include\"` in fetch).".into()
            } else {
                format!("Remove the `{}` header: the browser sets it itself and ignores any value a script gives.", param("header"))
            },
        ),
        Code::InputInvalidHeader => request(
            "The browser rejects a header name or value in the request.".into(),
            "Fix the header in the form: names are tokens (no spaces or colons), values have no line breaks or characters above U+00FF.".into(),
        ),
        Code::InputDisallowedByMode => request(
            "The request's mode does not allow it (same-origin to another origin, or no-cors with a method or redirect mode it refuses).".into(),
            "Use mode \"cors\" (fetch's default) for cross-origin requests you want to read.".into(),
        ),
        Code::InputInvalidTimeout => request(
            "The timeout is not a positive number of seconds.".into(),
            "Enter the timeout in seconds, e.g. 15.".into(),
        ),
        Code::InputTooLarge => request(
            format!("The {} field is larger than the page sends.", param("field")),
            "Shorten the field marked in the form: servers refuse request lines and headers over 8–16 KB, and CORS never depends on the body's bytes.".into(),
        ),
        Code::NetworkUnreachable => About {
            summary: "No HTTP server answered at this URL: the connection was refused, the name did not resolve, TLS failed, or the connection was reset.".into(),
            fix: "Check the URL, host and port, that the server runs and listens on that address, and that its TLS certificate is valid (open the URL in a tab).".into(),
            settle: "opening the URL in a tab shows the browser's own network or certificate error",
            picture: Picture::NoServer,
            fixed_by: FixedBy::Server,
        },
        Code::NetworkTimeout => About {
            summary: "No answer within the time limit: the server accepted the request but never answered, or the network dropped it.".into(),
            fix: "Check that the server is up and the request is not stuck; raise the timeout if it is only slow.".into(),
            settle: CURL_ACTUAL,
            picture: Picture::NoAnswer,
            fixed_by: FixedBy::Server,
        },
        Code::NetworkContentSecurityPolicy => request(
            format!("Your app's page refused the request itself: its Content-Security-Policy ({}) does not list this URL, so the browser never sent it. This is not a CORS failure, and the server cannot fix it.", match param("directive").as_str() { "" => "connect-src", d => d }),
            "Add the API's origin to the `connect-src` directive of your app's Content-Security-Policy (the header or `<meta http-equiv>` your frontend's host or framework sends), then check again.".into(),
        ),
        Code::NetworkMixedContent => request(
            "An https page may not call an http URL: the browser blocks it as mixed content.".into(),
            "Call the API over https: an https page may not call http URLs (except loopback).".into(),
        ),
        Code::NetworkLocalNetworkAccess if param("secure_context") == "false" => request(
            "Your page is not a secure context (http, not localhost) and calls a more private address (loopback or your local network): the browser refuses it before sending anything, whatever the server answers.".into(),
            "Serve your app over https (or from localhost) so the browser can ask the user for local network access, or call the API at a public address.".into(),
        ),
        Code::NetworkLocalNetworkAccess => server(
            "A public page calls a private or loopback address: the browser's local network rules apply.".into(),
            "Serve the API from a public address, or let the browser ask the user for local network access (the preflight must allow it).".into(),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightStatus => server(
            "The preflight (OPTIONS) is answered with a status other than 2xx: a route without OPTIONS (404/405), or authentication that runs before CORS (401/403).".into(),
            "Answer `OPTIONS` for this URL with 204 (or 200) and the CORS headers below, before authentication and routing: preflights never carry cookies or an Authorization header, so auth middleware must let them through.".into(),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightRedirect => server(
            "The preflight is answered with a redirect (a trailing slash, http→https, another host): a preflight may not follow redirects.".into(),
            "Call the final URL directly (mind trailing slashes and http→https): a preflight cannot follow a redirect. Or answer OPTIONS at this URL without redirecting.".into(),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightAllowOrigin(detail) => server(
            match detail {
                O::WildcardWithCredentials => "The preflight answers `Access-Control-Allow-Origin: *`, which does not count when the request includes credentials.".into(),
                _ => format!("The preflight (OPTIONS) answer does not allow {origin}: Access-Control-Allow-Origin is missing, names another origin, or is malformed. Often something answers OPTIONS before the CORS layer does (authentication with 401/403, a router with 404/405), and that answer has no CORS headers."),
            },
            format!("Answer the OPTIONS preflight with `Access-Control-Allow-Origin: {app}` and a 2xx status, from the CORS layer, before authentication and routing (and send the header on the actual response too)."),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightCredentials => server(
            "The request includes credentials, and the preflight lacks `Access-Control-Allow-Credentials: true`.".into(),
            format!("Answer the OPTIONS preflight with `Access-Control-Allow-Origin: {app}` (not `*`) and `Access-Control-Allow-Credentials: true`."),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightMethodNotAllowed => server(
            format!("The preflight does not allow the method {method}: it is missing from Access-Control-Allow-Methods (method names are case-sensitive; `*` does not count with credentials)."),
            format!("Add `{method}` to Access-Control-Allow-Methods on the OPTIONS response (method names are case-sensitive; `*` works only without credentials)."),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightHeaderNotAllowed => server(
            format!("The preflight does not allow the request header `{}`: it is missing from Access-Control-Allow-Headers.", param("header")),
            format!("Add `{}` to Access-Control-Allow-Headers on the OPTIONS response.", param("header")),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightAuthorizationWildcard => server(
            "`Access-Control-Allow-Headers: *` does not cover `Authorization` (the Fetch Standard, Firefox and Safari refuse it; Chromium still lets it pass with a deprecation report).".into(),
            "List `Authorization` by name in Access-Control-Allow-Headers: `*` does not cover it.".into(),
            CURL_PREFLIGHT,
            Picture::Delivered,
        ),
        Code::PreflightInvalidAllowList => server(
            "Access-Control-Allow-Methods or -Headers on the preflight cannot be parsed (e.g. items separated by `;` instead of `,`), so the browser allows nothing.".into(),
            "Send the lists comma-separated, one token per item, e.g. `Access-Control-Allow-Methods: GET, POST, PUT`.".into(),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightLocalNetwork => server(
            "The preflight lacks `Access-Control-Allow-Private-Network: true` for a request into a more private network.".into(),
            "Answer the preflight with `Access-Control-Allow-Private-Network: true`, or serve the API from a public address.".into(),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::PreflightAny => server(
            "The preflight (OPTIONS) fails, and the probes cannot say which of its checks.".into(),
            format!("Answer OPTIONS with 204, `Access-Control-Allow-Origin: {app}`, and the methods and headers below."),
            CURL_PREFLIGHT,
            Picture::PreflightFails,
        ),
        Code::ResponseAllowOrigin(_) => server(
            format!("The response does not allow {origin}: Access-Control-Allow-Origin is missing, names another origin, ends in a slash, or appears twice (a proxy and the app both adding it)."),
            allow_origin_fix,
            CURL_ACTUAL,
            Picture::ResponseFails,
        ),
        Code::ResponseCredentials(detail) => server(
            match detail {
                C::WildcardOrigin => "The response allows `*`, which does not count when the request includes credentials: it must name your origin.".into(),
                C::MissingAllow => "The request includes credentials, and the response lacks `Access-Control-Allow-Credentials: true`.".into(),
                C::Unknown => "With credentials, the server must answer with your exact origin (not `*`) and `Access-Control-Allow-Credentials: true`; one of the two is wrong.".into(),
            },
            format!("With credentials, send `Access-Control-Allow-Origin: {app}` (never `*`) and `Access-Control-Allow-Credentials: true` on the response. Or, if the request does not need cookies, send it without credentials."),
            CURL_ACTUAL,
            Picture::ResponseFails,
        ),
        Code::ResponseHiddenServerError => server(
            format!("Your {method} reaches the server, but the response carries no CORS headers, most likely because it is an error (4xx/5xx) from a handler, auth layer or proxy that skips them. The browser reports a CORS error instead of the error."),
            "Fix the error the server returns for this request (see the server log; the curl command shows the status and body), and make error responses carry the same CORS headers as successful ones: register the CORS layer before error handlers and authentication (in nginx, `add_header … always`).".into(),
            CURL_ACTUAL,
            Picture::ResponseFails,
        ),
        Code::ResponseAny => server(
            "The response fails the CORS check, and the probes cannot say which part.".into(),
            allow_origin_fix,
            CURL_ACTUAL,
            Picture::ResponseFails,
        ),
        Code::RedirectTaintedOrigin => server(
            "The URL redirects to another origin; after that hop the browser sends `Origin: null`, which the target does not allow.".into(),
            "Call the final URL directly so no cross-origin redirect happens, or make the redirect target answer `Access-Control-Allow-Origin: *` (it sees `Origin: null`).".into(),
            CURL_CHAIN,
            Picture::ResponseFails,
        ),
        Code::RedirectCredentialsInUrl => server(
            "The URL redirects to a Location with `user:password@` in it, which a CORS request refuses to follow.".into(),
            "Remove `user:password@` from the redirect's Location, and pass credentials another way.".into(),
            CURL_CHAIN,
            Picture::ResponseFails,
        ),
        Code::RedirectUnsupportedScheme => server(
            "The URL redirects to a non-http(s) URL.".into(),
            "Redirect only to http(s) URLs.".into(),
            CURL_CHAIN,
            Picture::ResponseFails,
        ),
        Code::RedirectTooMany => server(
            "The URL redirects more than 20 times (a redirect loop).".into(),
            "Break the redirect loop: check the rules that rewrite this URL (trailing slash, scheme, host).".into(),
            CURL_CHAIN,
            Picture::ResponseFails,
        ),
        Code::RedirectInvalidLocation => server(
            "A redirect's Location cannot be parsed as a URL.".into(),
            "Send an absolute or correctly relative URL in Location.".into(),
            CURL_CHAIN,
            Picture::ResponseFails,
        ),
        Code::RedirectModeError => request(
            "The server redirected and the request uses `redirect: \"error\"`.".into(),
            "Call the final URL directly, or allow redirects (`redirect: \"follow\"`).".into(),
        ),
    }
}
