//! actix-web with actix-cors: an explicit `Cors` (not `Cors::permissive()`), wrapped last so it
//! is the outermost middleware: it answers preflights before auth and adds its headers to every
//! answer, errors and error-handler pages included.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    (pitfall_text(pitfall).into(), parts(spec))
}

fn pitfall_text(pitfall: Pitfall) -> &'static str {
    match pitfall {
        Pitfall::NoCors => "No Cors middleware wraps this route (a `Cors` on one `web::scope` covers only that scope): wrap the whole App.",
        Pitfall::PreflightRefused => "In actix-web the last `.wrap` is the outermost: an auth middleware wrapped after Cors answers the OPTIONS preflight (401) first. actix-cors also answers a preflight it refuses (origin, method or header not listed) with a 400 without CORS headers. Wrap Cors last, listing what the request sends.",
        Pitfall::ErrorsWithoutHeaders => "actix-cors adds its headers to handler errors, but middleware wrapped after it (ErrorHandlers building a new 500, auth, a catch-all) answers outside it, without them. Wrap Cors last.",
        Pitfall::ListIncomplete => "The preflight does not allow what the request sends (hand-set headers, or actix-cors lists without it, which answer 400): list each method and header the request sends.",
        Pitfall::Credentials => "actix-cors refuses `send_wildcard()` with `supports_credentials()` at start-up, so hand-set `*` headers (DefaultHeaders) often stay; with credentials Cors must echo the exact origin and support credentials.",
        Pitfall::WrongOrigin => "`allowed_origin` is compared byte for byte with the Origin header (scheme, host, port, no trailing slash): allow the app's exact origin.",
        Pitfall::Doubled => "A proxy in front of actix-web (or DefaultHeaders) adds Access-Control-Allow-Origin next to actix-cors: keep Cors only and remove the other.",
        Pitfall::Redirect => "A preflight may not follow a redirect: actix-web adds no trailing-slash or https redirect unless NormalizePath or a proxy does; call the final URL.",
        Pitfall::NotExposed => "The browser hides response headers that `expose_headers` does not list.",
        Pitfall::PrivateNetwork => "Chromium's private-network preflight needs `allow_private_network_access()`, behind actix-cors's `draft-private-network-access` feature.",
    }
}

fn parts(spec: &FixSpec) -> Vec<Part> {
    let mut place = String::from("at the top of main.rs");
    if spec.private_network {
        place.push_str(" (Cargo.toml: actix-cors with feature \"draft-private-network-access\")");
    }
    vec![
        Part {
            slot: Slot::Top,
            place,
            code: cors(spec),
        },
        Part {
            slot: Slot::Route,
            place:
                "in App::new(), after every other .wrap (auth too): the last .wrap is the outermost"
                    .into(),
            code: ".wrap(cors()) // outermost: preflights answered before auth, headers on errors"
                .into(),
        },
    ]
}

fn cors(spec: &FixSpec) -> String {
    let mut out =
        String::from("use actix_cors::Cors;\n\nfn cors() -> Cors {\n    Cors::default()\n");
    if spec.is_allow_list() {
        out.push_str("        // echoes the request's Origin when listed, with Vary: Origin\n");
    }
    for origin in &spec.origins {
        out.push_str(&format!("        .allowed_origin({origin:?})\n"));
    }
    out.push_str(&format!(
        "        .allowed_methods({})\n",
        strings(&spec.methods)
    ));
    if !spec.headers.is_empty() {
        out.push_str(&format!(
            "        .allowed_headers({})\n",
            strings(&spec.headers)
        ));
    }
    if !spec.expose.is_empty() {
        out.push_str(&format!(
            "        .expose_headers({})\n",
            strings(&spec.expose)
        ));
    }
    if spec.credentials {
        out.push_str("        .supports_credentials()\n");
    }
    if spec.private_network {
        out.push_str("        .allow_private_network_access()\n");
    }
    out.push_str(&format!("        .max_age({})\n}}", spec.max_age));
    out
}

/// `["a", "b"]` as Rust string literals.
fn strings(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    format!("[{}]", inner.join(", "))
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
    fn credentials_echo_the_origin_never_a_wildcard() {
        let spec = FixSpec {
            credentials: true,
            ..spec()
        };
        let code = code(&spec);
        assert!(code.contains(".allowed_origin(\"http://127.0.0.1:8080\")"));
        assert!(code.contains(".supports_credentials()"));
        for wide in ["permissive", "allow_any_origin", "send_wildcard", "*"] {
            assert!(!code.contains(wide), "{wide}");
        }
    }

    #[test]
    fn allow_list_lists_both_origins() {
        let spec = FixSpec {
            origins: vec!["http://a.test".into(), "https://b.test".into()],
            ..spec()
        };
        let code = code(&spec);
        assert!(code.contains(".allowed_origin(\"http://a.test\")"));
        assert!(code.contains(".allowed_origin(\"https://b.test\")"));
        assert!(code.contains("Vary: Origin"));
        assert!(!code.contains("disable_vary_header"));
    }

    #[test]
    fn the_request_method_and_headers_are_allowed() {
        let spec = FixSpec {
            methods: vec!["GET".into(), "HEAD".into(), "POST".into(), "PUT".into()],
            headers: vec!["x-api-key".into()],
            expose: vec!["x-total".into()],
            preflight: true,
            private_network: true,
            ..spec()
        };
        let parts = parts(&spec);
        let code = code(&spec);
        assert!(code.contains(".allowed_methods([\"GET\", \"HEAD\", \"POST\", \"PUT\"])"));
        assert!(code.contains(".allowed_headers([\"x-api-key\"])"));
        assert!(code.contains(".expose_headers([\"x-total\"])"));
        assert!(code.contains(".allow_private_network_access()"));
        assert!(parts[0].place.contains("draft-private-network-access"));
        assert!(code.contains(".max_age(600)"));
    }

    #[test]
    fn cors_is_wrapped_last() {
        let parts = parts(&spec());
        assert_eq!(parts[1].slot, Slot::Route);
        assert!(parts[1].code.starts_with(".wrap(cors())"));
        assert!(parts[1].place.contains("after every other .wrap"));
    }
}
