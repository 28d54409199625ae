//! nginx: `add_header … always` in the location that serves the API, the preflight answered with
//! 204 by a rewrite-phase `return` (before `auth_basic`, `auth_request` and the upstream), and a
//! `map $http_origin` allow-list when several origins are allowed.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "The location that serves this URL adds no CORS headers. add_header is inherited only \
             by a location (or if block) that has no add_header of its own, so headers set in the \
             server block or a parent location vanish in a child with any add_header. Put them in \
             the location that serves the API."
        }
        Pitfall::PreflightRefused => {
            "The OPTIONS preflight reaches auth_basic, auth_request, a token check or the upstream \
             before any CORS answer, and gets a 401/403/405. The fix answers OPTIONS with 204 first \
             in the location: a rewrite-phase return runs before auth, which stays on the real request."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "add_header without `always` only adds headers to 200, 201, 204, 206, 301, 302, 303, \
             304, 307 and 308, so the upstream's 500 (or nginx's own 502/504) leaves without them \
             and the browser hides it. With `always` errors carry them and the 500 reads as a 500."
        }
        Pitfall::ListIncomplete => {
            "Access-Control-Allow-Methods or Allow-Headers is a fixed list (often copied from an \
             example) that leaves out what this request sends. List them as below."
        }
        Pitfall::Credentials => {
            "add_header Access-Control-Allow-Origin * is refused when the request carries \
             credentials, even with Allow-Credentials. Name the exact origin (a map allow-list \
             echoes it) with Allow-Credentials true."
        }
        Pitfall::WrongOrigin => {
            "Access-Control-Allow-Origin names another origin (a hard-coded host, http vs https, a \
             port, or a $http_origin regex that does not match this one). Name the app's origin \
             exactly."
        }
        Pitfall::Doubled => {
            "nginx and the app behind proxy_pass both add Access-Control-Allow-Origin, so the \
             browser sees two values. Keep one layer: proxy_hide_header drops the app's copy."
        }
        Pitfall::Redirect => {
            "A return 301 or rewrite … permanent (a trailing slash, http to https) answers the \
             preflight with a redirect, which the browser does not follow. Call the final URL; the \
             fix answers OPTIONS before any redirect in this location."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers. Add it \
             with `always` so error answers expose it too."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private network access and nginx's 204 lacks \
             Access-Control-Allow-Private-Network: true. Add it."
        }
    };
    let mut parts = Vec::new();
    let allow_origin = if spec.is_allow_list() {
        parts.push(Part {
            slot: Slot::Top,
            place: "in the http { } block of nginx.conf, outside any server".into(),
            code: origin_map(spec),
        });
        "$cors_origin".to_string()
    } else {
        format!("\"{}\"", spec.origin())
    };
    parts.push(Part {
        slot: Slot::Route,
        place: format!(
            "first in the location that serves the API (location {} {{ … }}), before auth, \
             rewrites and proxy_pass;\nno add_header in nested locations or if blocks: it drops these",
            spec.prefix
        ),
        code: location(spec, &allow_origin),
    });
    (text.into(), parts)
}

/// `map $http_origin $cors_origin { … }`: the request's Origin when listed, else empty (nginx
/// then sends no Access-Control-Allow-Origin).
fn origin_map(spec: &FixSpec) -> String {
    let mut out = String::from("map $http_origin $cors_origin {\n    default \"\";\n");
    for origin in &spec.origins {
        out.push_str(&format!("    \"{origin}\" $http_origin;\n"));
    }
    out.push('}');
    out
}

fn location(spec: &FixSpec, allow_origin: &str) -> String {
    let mut out = String::new();
    if spec.preflight {
        out.push_str("if ($request_method = OPTIONS) {\n    return 204;\n}\n");
    }
    let mut header = |name: &str, value: &str| {
        out.push_str(&format!("add_header {name} {value} always;\n"));
    };
    header("Access-Control-Allow-Origin", allow_origin);
    if spec.credentials {
        header("Access-Control-Allow-Credentials", "\"true\"");
    }
    if spec.preflight {
        header(
            "Access-Control-Allow-Methods",
            &format!("\"{}\"", spec.methods_list()),
        );
        if !spec.headers.is_empty() {
            header(
                "Access-Control-Allow-Headers",
                &format!("\"{}\"", spec.headers_list()),
            );
        }
        header("Access-Control-Max-Age", &spec.max_age.to_string());
    }
    if spec.private_network {
        header("Access-Control-Allow-Private-Network", "\"true\"");
    }
    if !spec.expose.is_empty() {
        header(
            "Access-Control-Expose-Headers",
            &format!("\"{}\"", spec.expose_list()),
        );
    }
    if spec.is_allow_list() {
        header("Vary", "Origin");
    }
    out.push_str("# only nginx adds them: drop the upstream's own copy\n");
    out.push_str("proxy_hide_header Access-Control-Allow-Origin;");
    if spec.credentials {
        out.push_str("\nproxy_hide_header Access-Control-Allow-Credentials;");
    }
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

    fn route(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        let routes: Vec<&Part> = parts.iter().filter(|p| p.slot == Slot::Route).collect();
        assert_eq!(routes.len(), 1);
        routes[0].code.clone()
    }

    #[test]
    fn every_add_header_is_always_and_lists_the_request() {
        let code = route(&spec());
        let adds: Vec<&str> = code
            .lines()
            .filter(|l| l.starts_with("add_header"))
            .collect();
        assert!(adds.len() >= 4, "{code}");
        assert!(adds.iter().all(|l| l.ends_with(" always;")), "{code}");
        assert!(code.contains("Access-Control-Allow-Origin \"http://127.0.0.1:5173\""));
        assert!(code.contains("\"GET, HEAD, POST, PUT\""), "{code}");
        assert!(code.contains("\"x-api-key, content-type\""), "{code}");
        assert!(code.contains("Access-Control-Max-Age 600"), "{code}");
        assert!(!code.contains('*'), "{code}");
        assert!(!code.contains("Vary"), "{code}");
    }

    #[test]
    fn the_preflight_is_answered_before_the_headers_and_anything_else() {
        let code = route(&spec());
        let answer = code.find("if ($request_method = OPTIONS)");
        assert_eq!(answer, Some(0), "{code}");
        // The if block adds no headers of its own (it would drop the location's).
        let block = code.split('}').next().unwrap_or("");
        assert!(!block.contains("add_header"), "{code}");
        assert!(block.contains("return 204;"), "{code}");
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        let code = route(&spec);
        assert!(code.contains("Access-Control-Allow-Credentials \"true\" always;"));
        assert!(code.contains("\"http://127.0.0.1:5173\""), "{code}");
        assert!(!code.contains('*'), "{code}");
        assert!(code.contains("proxy_hide_header Access-Control-Allow-Credentials;"));
    }

    #[test]
    fn an_allow_list_maps_the_origin_and_varies() {
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let (_, parts) = write(&spec, Pitfall::WrongOrigin);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].slot, Slot::Top);
        let map = &parts[0].code;
        assert!(map.starts_with("map $http_origin $cors_origin {"), "{map}");
        assert!(
            map.contains("\"http://127.0.0.1:5173\" $http_origin;"),
            "{map}"
        );
        assert!(
            map.contains("\"https://app.example\" $http_origin;"),
            "{map}"
        );
        assert!(map.contains("default \"\";"), "{map}");
        let code = &parts[1].code;
        assert!(code.contains("Access-Control-Allow-Origin $cors_origin always;"));
        assert!(code.contains("add_header Vary Origin always;"), "{code}");
    }

    #[test]
    fn simple_requests_need_no_preflight_answer() {
        let mut spec = spec();
        spec.preflight = false;
        spec.headers.clear();
        spec.expose = vec!["x-total".into()];
        let code = route(&spec);
        assert!(!code.contains("OPTIONS"), "{code}");
        assert!(!code.contains("Max-Age"), "{code}");
        assert!(!code.contains("Allow-Headers"), "{code}");
        assert!(code.contains("Access-Control-Expose-Headers \"x-total\" always;"));
    }

    #[test]
    fn private_network_is_allowed_on_request() {
        let mut spec = spec();
        assert!(!route(&spec).contains("Private-Network"));
        spec.private_network = true;
        assert!(route(&spec).contains("Access-Control-Allow-Private-Network \"true\" always;"));
    }
}
