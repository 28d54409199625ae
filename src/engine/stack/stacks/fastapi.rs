//! FastAPI / Starlette: the finished app wrapped in `CORSMiddleware` and served as `main:app`.
//! `app.add_middleware` layers sit inside Starlette's `ServerErrorMiddleware`, so an unhandled
//! exception's 500 leaves without their headers; the outer wrapper sees that 500 too, and answers
//! preflights before any middleware (auth) or route runs.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;
use super::common::quoted;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "No CORSMiddleware covers this app (or it was added to a mounted sub-app only). \
             Wrapping the finished app covers every route, errors included."
        }
        Pitfall::PreflightRefused => {
            "An auth middleware or dependency answers the OPTIONS preflight before CORSMiddleware \
             runs: app.add_middleware and @app.middleware run last-added first. Wrapping the \
             finished app lets CORSMiddleware answer the preflight before anything else."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "Starlette's ServerErrorMiddleware sits outside every app.add_middleware layer, so an \
             unhandled exception's 500 leaves without CORS headers even with CORSMiddleware. \
             Wrapping the finished app puts them on that 500 too."
        }
        Pitfall::ListIncomplete => {
            "allow_methods defaults to GET only and allow_headers to the safelisted ones; Starlette \
             answers other preflights 400. List what this request sends."
        }
        Pitfall::Credentials => {
            "allow_origins=[\"*\"] answers * (Starlette echoes the origin only when a cookie is \
             sent), which browsers refuse with credentials. Name the origin with \
             allow_credentials=True."
        }
        Pitfall::WrongOrigin => {
            "allow_origins names another origin (a port, http vs https, a trailing slash): \
             Starlette compares them exactly. Name the app's origin."
        }
        Pitfall::Doubled => {
            "CORSMiddleware and a proxy in front (or a second CORSMiddleware, or headers set in a \
             route) both add Access-Control-Allow-Origin. Keep this wrapper and remove the others."
        }
        Pitfall::Redirect => {
            "FastAPI redirects a path without its trailing slash (redirect_slashes) with a 307, and \
             a preflight cannot follow it. Call the route's exact path."
        }
        Pitfall::NotExposed => {
            "Scripts read only the response headers in expose_headers: add the ones it reads."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private-network access; Starlette answers it 400 unless \
             allow_private_network=True."
        }
    };
    let import = Part {
        slot: Slot::Top,
        place: "with the imports at the top of main.py".into(),
        code: "from fastapi.middleware.cors import CORSMiddleware".into(),
    };
    let entry = Part {
        slot: Slot::Entry,
        place: "at the very end of main.py, after every route and middleware, instead of any\n\
                app.add_middleware(CORSMiddleware, ...): uvicorn serves this wrapped main:app"
            .into(),
        code: wrapper(spec),
    };
    (text.into(), vec![import, entry])
}

/// `app = CORSMiddleware(app, ...)` with the spec's options, one per line.
fn wrapper(spec: &FixSpec) -> String {
    let mut lines = vec![
        "    app,".to_string(),
        format!("    allow_origins={},", quoted(&spec.origins)),
        format!("    allow_methods={},", quoted(&spec.methods)),
    ];
    if !spec.headers.is_empty() {
        lines.push(format!("    allow_headers={},", quoted(&spec.headers)));
    }
    if spec.credentials {
        lines.push("    allow_credentials=True,".into());
    }
    if !spec.expose.is_empty() {
        lines.push(format!("    expose_headers={},", quoted(&spec.expose)));
    }
    if spec.private_network {
        lines.push("    allow_private_network=True,".into());
    }
    if spec.preflight {
        lines.push(format!("    max_age={},", spec.max_age));
    }
    format!("app = CORSMiddleware(\n{}\n)", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FixSpec {
        FixSpec {
            origins: vec!["http://127.0.0.1:5173".into()],
            credentials: false,
            methods: vec!["GET".into(), "HEAD".into(), "POST".into()],
            headers: vec!["x-api-key".into()],
            expose: vec![],
            preflight: true,
            private_network: false,
            max_age: 600,
            api_origin: "http://127.0.0.1:8000".into(),
            path: "/api/items".into(),
            prefix: "/api/".into(),
        }
    }

    fn entry(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        let slots: Vec<Slot> = parts.iter().map(|p| p.slot).collect();
        assert_eq!(slots, [Slot::Top, Slot::Entry]);
        assert!(parts[0].code.contains("import CORSMiddleware"));
        parts[1].code.clone()
    }

    #[test]
    fn wraps_the_app_with_the_origin_methods_and_headers() {
        let mut spec = spec();
        spec.methods.push("PATCH".into());
        let code = entry(&spec);
        assert!(
            code.starts_with("app = CORSMiddleware(\n    app,"),
            "{code}"
        );
        assert!(!code.contains("add_middleware"), "{code}");
        assert!(
            code.contains("allow_origins=[\"http://127.0.0.1:5173\"]"),
            "{code}"
        );
        assert!(code.contains("\"PATCH\""), "{code}");
        assert!(code.contains("allow_headers=[\"x-api-key\"]"), "{code}");
        assert!(code.contains("max_age=600"), "{code}");
        assert!(!code.contains("allow_credentials"), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        let code = entry(&spec);
        assert!(code.contains("allow_credentials=True"), "{code}");
        assert!(code.contains("\"http://127.0.0.1:5173\""), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn an_allow_list_lists_every_origin() {
        // Starlette echoes a listed origin with `Vary: Origin` itself.
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let code = entry(&spec);
        assert!(
            code.contains("allow_origins=[\"http://127.0.0.1:5173\", \"https://app.example\"]"),
            "{code}"
        );
    }

    #[test]
    fn simple_requests_expose_and_private_network() {
        let mut spec = spec();
        spec.preflight = false;
        spec.headers.clear();
        spec.expose = vec!["x-total".into()];
        let code = entry(&spec);
        assert!(!code.contains("max_age"), "{code}");
        assert!(!code.contains("allow_headers"), "{code}");
        assert!(code.contains("expose_headers=[\"x-total\"]"), "{code}");
        assert!(!code.contains("allow_private_network"), "{code}");
        spec.private_network = true;
        assert!(entry(&spec).contains("allow_private_network=True"));
    }
}
