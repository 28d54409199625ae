//! Caddy: a `header` directive (not deferred, so Caddy's own errors keep the headers) for the API's
//! path, the preflight answered with 204 in a `handle` (Caddy sorts `handle` before `error` and
//! `respond`), and a `header Origin` matcher that echoes listed origins.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "No header directive matches this URL: Caddy's path matchers are exact unless they end \
             in * (/api misses /api/items), or the header sits in a handle block that does not \
             serve this request. Set them for the API's path at the top of the site block."
        }
        Pitfall::PreflightRefused => {
            "Caddy runs directives in its own order, not as written: basic_auth and forward_auth, \
             then handle, then error and respond. A preflight answered by `respond` comes after the \
             auth's error or the app's handle, which refuse it. The fix answers it in a handle; \
             give basic_auth/forward_auth a `not method OPTIONS` matcher."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "`header` with defer (or a -Header deletion, which implies it) applies only when a \
             handler writes the answer: an error Caddy answers itself (the error directive, \
             reverse_proxy's 502, handle_errors) leaves without the headers and the browser hides \
             it. Without defer they are set before any handler runs and stay on errors."
        }
        Pitfall::ListIncomplete => {
            "Access-Control-Allow-Methods or Allow-Headers is a fixed list (often copied from a \
             snippet) that leaves out what this request sends. List them as below."
        }
        Pitfall::Credentials => {
            "Access-Control-Allow-Origin * is refused when the request carries credentials, even \
             with Allow-Credentials. Name the exact origin (a header Origin matcher echoes a listed \
             one) with Allow-Credentials true."
        }
        Pitfall::WrongOrigin => {
            "Access-Control-Allow-Origin names another origin (a hard-coded host, http vs https, a \
             port, or {header.Origin} checked against another list). Name the app's origin exactly."
        }
        Pitfall::Doubled => {
            "Caddy's header directive and the app behind reverse_proxy both add \
             Access-Control-Allow-Origin: the proxy adds the upstream's headers to Caddy's. Keep one \
             layer: header_down drops the app's copy."
        }
        Pitfall::Redirect => {
            "A redir (a trailing slash, http to https: Caddy's automatic HTTPS redirects http://) \
             answers the preflight with a redirect, which the browser does not follow. Call the \
             final URL; the handle below answers its preflight."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers. Add it to \
             the header block."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private network access and Caddy's answer lacks \
             Access-Control-Allow-Private-Network: true. Add it."
        }
    };
    let mut parts = vec![Part {
        slot: Slot::Top,
        place: "at the top of the API's site block in the Caddyfile".into(),
        code: code(spec),
    }];
    if pitfall == Pitfall::Doubled {
        parts.push(Part {
            slot: Slot::Route,
            place: "inside the reverse_proxy { } block to the app".into(),
            code: "header_down -Access-Control-Allow-Origin\n\
                   header_down -Access-Control-Allow-Credentials"
                .into(),
        });
    }
    (text.into(), parts)
}

fn code(spec: &FixSpec) -> String {
    let path = format!("{}*", spec.prefix);
    let mut out = String::new();
    if spec.preflight {
        out.push_str(&format!(
            "@cors_preflight {{\n\tmethod OPTIONS\n\tpath {path}\n}}\n\
             handle @cors_preflight {{\n\trespond 204\n}}\n"
        ));
    }
    if spec.is_allow_list() {
        out.push_str(&format!("@cors_origin {{\n\tpath {path}\n"));
        for origin in &spec.origins {
            out.push_str(&format!("\theader Origin {origin}\n"));
        }
        out.push_str(
            "}\nheader @cors_origin Access-Control-Allow-Origin \"{http.request.header.Origin}\"\n",
        );
    }
    out.push_str(&format!("header {path} {{\n"));
    let mut header = |name: &str, value: &str| {
        out.push_str(&format!("\t{name} \"{value}\"\n"));
    };
    if !spec.is_allow_list() {
        header("Access-Control-Allow-Origin", spec.origin());
    }
    if spec.credentials {
        header("Access-Control-Allow-Credentials", "true");
    }
    if spec.preflight {
        header("Access-Control-Allow-Methods", &spec.methods_list());
        if !spec.headers.is_empty() {
            header("Access-Control-Allow-Headers", &spec.headers_list());
        }
        header("Access-Control-Max-Age", &spec.max_age.to_string());
    }
    if spec.private_network {
        header("Access-Control-Allow-Private-Network", "true");
    }
    if !spec.expose.is_empty() {
        header("Access-Control-Expose-Headers", &spec.expose_list());
    }
    if spec.is_allow_list() {
        header("Vary", "Origin");
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FixSpec {
        FixSpec {
            origins: vec!["http://127.0.0.1:5173".into()],
            credentials: false,
            methods: vec!["GET".into(), "HEAD".into(), "POST".into(), "PUT".into()],
            headers: vec!["x-api-key".into(), "content-type".into()],
            expose: vec![],
            preflight: true,
            private_network: false,
            max_age: 600,
            api_origin: "http://127.0.0.1:8000".into(),
            path: "/api/items".into(),
            prefix: "/api/".into(),
        }
    }

    fn code_of(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].slot, Slot::Top);
        parts[0].code.clone()
    }

    #[test]
    fn headers_are_not_deferred_and_list_the_request() {
        let code = code_of(&spec());
        assert!(!code.contains("defer") && !code.contains("\t-"), "{code}");
        assert!(code.contains("header /api/* {\n"), "{code}");
        assert!(code.contains("\tAccess-Control-Allow-Origin \"http://127.0.0.1:5173\"\n"));
        assert!(code.contains("\"GET, HEAD, POST, PUT\""), "{code}");
        assert!(code.contains("\"x-api-key, content-type\""), "{code}");
        assert!(code.contains("Access-Control-Max-Age \"600\""), "{code}");
        assert!(!code.contains("Vary"), "{code}");
    }

    #[test]
    fn the_preflight_is_answered_in_a_handle_before_the_app() {
        let code = code_of(&spec());
        assert!(
            code.starts_with("@cors_preflight {\n\tmethod OPTIONS\n\tpath /api/*\n}\n"),
            "{code}"
        );
        assert!(
            code.contains("handle @cors_preflight {\n\trespond 204\n}"),
            "{code}"
        );
        let mut simple = spec();
        simple.preflight = false;
        simple.headers.clear();
        let code = code_of(&simple);
        assert!(
            !code.contains("OPTIONS") && !code.contains("Max-Age"),
            "{code}"
        );
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        let code = code_of(&spec);
        assert!(
            code.contains("\tAccess-Control-Allow-Credentials \"true\"\n"),
            "{code}"
        );
        assert!(code.contains("\"http://127.0.0.1:5173\""), "{code}");
        assert!(!code.contains("\"*\"") && !code.contains(" *\n"), "{code}");
    }

    #[test]
    fn an_allow_list_echoes_a_listed_origin_and_varies() {
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let code = code_of(&spec);
        assert!(
            code.contains("\theader Origin http://127.0.0.1:5173\n"),
            "{code}"
        );
        assert!(
            code.contains("\theader Origin https://app.example\n"),
            "{code}"
        );
        assert!(code.contains(
            "header @cors_origin Access-Control-Allow-Origin \"{http.request.header.Origin}\""
        ));
        assert!(code.contains("\tVary \"Origin\"\n"), "{code}");
        assert_eq!(
            code.matches("Access-Control-Allow-Origin").count(),
            1,
            "{code}"
        );
    }

    #[test]
    fn a_doubled_header_is_dropped_from_the_upstream() {
        let (_, parts) = write(&spec(), Pitfall::Doubled);
        assert_eq!(parts.len(), 2);
        assert!(parts[1]
            .code
            .contains("header_down -Access-Control-Allow-Origin"));
    }
}
