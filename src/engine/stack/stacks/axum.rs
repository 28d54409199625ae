//! axum with tower-http's `CorsLayer`: one layer, added last so it is the outermost, with a
//! `CatchPanicLayer` inside it so a panicking handler's 500 still gets the headers.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    (pitfall_text(pitfall).into(), parts(spec))
}

fn pitfall_text(pitfall: Pitfall) -> &'static str {
    match pitfall {
        Pitfall::NoCors => "No CorsLayer wraps this route: a layer given to `route_layer` or to a nested Router runs only for the routes it wraps. Add one CorsLayer to the whole app, last.",
        Pitfall::PreflightRefused => "In axum the last `.layer` is the outermost: a CorsLayer added before the auth layer (or as a `route_layer`) lets auth or the router answer the OPTIONS preflight without CORS headers. Add the CorsLayer last, so it answers the preflight itself.",
        Pitfall::ErrorsWithoutHeaders => "A panicking handler gives no response, and a CatchPanicLayer added after the CorsLayer makes a 500 outside it, without CORS headers. Add CatchPanicLayer first, then the CorsLayer last.",
        Pitfall::ListIncomplete => "CorsLayer answers the preflight with only the methods and headers given to `allow_methods`/`allow_headers`; list each one the request sends (`Any` cannot go with credentials).",
        Pitfall::Credentials => "tower-http panics at start-up for `allow_origin(Any)` with `allow_credentials(true)`, so a hand-set `*` often stays; with credentials the exact origin must be echoed, with `allow_credentials(true)`.",
        Pitfall::WrongOrigin => "`allow_origin` is compared byte for byte with the Origin header (scheme, host, port, no trailing slash): allow the app's exact origin.",
        Pitfall::Doubled => "A proxy in front of axum (or a SetResponseHeaderLayer) adds Access-Control-Allow-Origin too: keep the CorsLayer only and remove the other.",
        Pitfall::Redirect => "A preflight may not follow a redirect: axum adds no trailing-slash or https redirect, so it comes from a proxy or a layer in front; call the final URL.",
        Pitfall::NotExposed => "The browser hides response headers that `expose_headers` does not list.",
        Pitfall::PrivateNetwork => "Chromium's private-network preflight needs `allow_private_network(true)` on the CorsLayer.",
    }
}

fn parts(spec: &FixSpec) -> Vec<Part> {
    vec![
        Part {
            slot: Slot::Top,
            place: "at the top of main.rs (Cargo.toml: tower-http with features \"cors\", \"catch-panic\")".into(),
            code: layer(spec),
        },
        Part {
            slot: Slot::Route,
            place: "after every route and every other .layer (auth too): the last .layer is the outermost".into(),
            code: "let app = app\n    .layer(CatchPanicLayer::new()) // a panic becomes a 500 inside CORS\n    .layer(cors()); // outermost: answers preflights before auth"
                .into(),
        },
    ]
}

fn layer(spec: &FixSpec) -> String {
    let mut out = String::from(
        "use axum::http::{HeaderName, HeaderValue, Method};\n\
         use std::time::Duration;\n\
         use tower_http::catch_panic::CatchPanicLayer;\n\
         use tower_http::cors::CorsLayer;\n\n\
         fn cors() -> CorsLayer {\n    CorsLayer::new()\n",
    );
    let origins: Vec<String> = spec
        .origins
        .iter()
        .map(|o| format!("HeaderValue::from_static({o:?})"))
        .collect();
    if spec.is_allow_list() {
        out.push_str(
            "        // echoes the request's Origin when listed; Vary: Origin is on by default\n",
        );
        out.push_str(&format!(
            "        .allow_origin([{}])\n",
            origins.join(", ")
        ));
    } else {
        out.push_str(&format!("        .allow_origin({})\n", origins.join("")));
    }
    let methods: Vec<String> = spec.methods.iter().map(|m| method(m)).collect();
    out.push_str(&format!(
        "        .allow_methods([{}])\n",
        methods.join(", ")
    ));
    if !spec.headers.is_empty() {
        out.push_str(&format!(
            "        .allow_headers([{}])\n",
            names(&spec.headers)
        ));
    }
    if !spec.expose.is_empty() {
        out.push_str(&format!(
            "        .expose_headers([{}])\n",
            names(&spec.expose)
        ));
    }
    if spec.credentials {
        out.push_str("        .allow_credentials(true)\n");
    }
    if spec.private_network {
        out.push_str("        .allow_private_network(true)\n");
    }
    out.push_str(&format!(
        "        .max_age(Duration::from_secs({}))\n}}",
        spec.max_age
    ));
    out
}

/// `Method::GET` for the standard methods, parsed at start-up for the others.
fn method(name: &str) -> String {
    const STANDARD: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
    ];
    if STANDARD.contains(&name) {
        format!("Method::{name}")
    } else {
        format!("Method::from_bytes(b{name:?}).unwrap()")
    }
}

fn names(list: &[String]) -> String {
    list.iter()
        .map(|h| format!("HeaderName::from_static({h:?})"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FixSpec {
        FixSpec {
            origins: vec!["http://127.0.0.1:8080".into()],
            credentials: false,
            methods: vec!["GET".into(), "HEAD".into(), "POST".into()],
            headers: vec![],
            expose: vec![],
            preflight: false,
            private_network: false,
            max_age: 600,
            api_origin: "http://127.0.0.1:9090".into(),
            path: "/api/items".into(),
            prefix: "/api/".into(),
        }
    }

    fn code(spec: &FixSpec) -> String {
        parts(spec)
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn credentials_echo_the_origin_never_any() {
        let spec = FixSpec {
            credentials: true,
            ..spec()
        };
        let code = code(&spec);
        assert!(code.contains(".allow_origin(HeaderValue::from_static(\"http://127.0.0.1:8080\"))"));
        assert!(code.contains(".allow_credentials(true)"));
        assert!(!code.contains("Any"));
        assert!(!code.contains('*'));
    }

    #[test]
    fn allow_list_lists_both_origins_and_keeps_vary() {
        let spec = FixSpec {
            origins: vec!["http://a.test".into(), "https://b.test".into()],
            ..spec()
        };
        let code = code(&spec);
        assert!(code.contains(
            ".allow_origin([HeaderValue::from_static(\"http://a.test\"), HeaderValue::from_static(\"https://b.test\")])"
        ));
        assert!(code.contains("Vary: Origin"));
        assert!(
            !code.contains(".vary("),
            "must not replace the default Vary"
        );
    }

    #[test]
    fn the_request_method_and_headers_are_allowed() {
        let spec = FixSpec {
            methods: vec![
                "GET".into(),
                "HEAD".into(),
                "POST".into(),
                "PROPFIND".into(),
                "PATCH".into(),
            ],
            headers: vec!["x-api-key".into(), "authorization".into()],
            expose: vec!["x-total".into()],
            preflight: true,
            private_network: true,
            ..spec()
        };
        let code = code(&spec);
        assert!(code.contains("Method::PATCH"));
        assert!(code.contains("Method::from_bytes(b\"PROPFIND\")"));
        assert!(code.contains(".allow_headers([HeaderName::from_static(\"x-api-key\"), HeaderName::from_static(\"authorization\")])"));
        assert!(code.contains(".expose_headers([HeaderName::from_static(\"x-total\")])"));
        assert!(code.contains(".allow_private_network(true)"));
        assert!(code.contains("Duration::from_secs(600)"));
    }

    #[test]
    fn cors_is_the_outermost_layer_with_catch_panic_inside() {
        let code = code(&spec());
        let catch = code.find(".layer(CatchPanicLayer::new())");
        let cors = code.find(".layer(cors())");
        assert!(matches!((catch, cors), (Some(c), Some(o)) if c < o));
        assert!(!code.contains("route_layer"));
    }

    #[test]
    fn origins_are_rust_string_literals() {
        let spec = FixSpec {
            origins: vec!["http://x\".test".into()],
            ..spec()
        };
        assert!(code(&spec).contains("from_static(\"http://x\\\".test\")"));
    }
}
