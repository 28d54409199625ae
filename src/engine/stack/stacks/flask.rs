//! Flask with Flask-Cors: `CORS(app, ...)` right after `app = Flask(__name__)`. Flask-Cors adds
//! its headers in an `after_request` hook and around Flask's exception handlers, so 4xx/5xx keep
//! them; it does not answer preflights before `before_request` hooks, so a small hook registered
//! before auth answers them (Flask-Cors then adds the headers to that answer).

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;
use super::common::quoted;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "Nothing adds CORS headers to this route: no CORS(app), or its resources pattern does \
             not match this path. CORS(app) with the API's prefix covers every route and error."
        }
        Pitfall::PreflightRefused => {
            "A before_request hook (auth) answers the OPTIONS preflight, often 401, before the \
             route runs; Flask-Cors only decorates that refusal. The hook below, registered before \
             auth, answers preflights first."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "Headers set by @cross_origin or inside a view are lost when the view raises: Flask's \
             500 comes from its error handler. CORS(app) also wraps that handler, so errors keep \
             the headers (unless PROPAGATE_EXCEPTIONS or debug re-raises them)."
        }
        Pitfall::ListIncomplete => {
            "allow_headers or methods given to Flask-Cors leave out what this request sends; it then \
             drops those from the preflight answer. List them as below."
        }
        Pitfall::Credentials => {
            "A hand-written Access-Control-Allow-Origin: * with Allow-Credentials is refused by \
             browsers. Flask-Cors with supports_credentials=True echoes the listed origin; never \
             leave origins at its '*' default then (it would echo any site)."
        }
        Pitfall::WrongOrigin => {
            "origins names another origin (a port, http vs https, a trailing slash). Name the \
             app's origin exactly."
        }
        Pitfall::Doubled => {
            "Flask-Cors and a proxy in front (or a hand-written after_request) both add \
             Access-Control-Allow-Origin. Keep CORS(app) and remove the other."
        }
        Pitfall::Redirect => {
            "Flask redirects a route declared with a trailing slash when called without it (308), \
             and a preflight cannot follow it. Call the route's exact URL."
        }
        Pitfall::NotExposed => {
            "Scripts read only the response headers in expose_headers: add the ones it reads."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private-network access; Flask-Cors answers false unless \
             allow_private_network=True."
        }
    };
    let part = Part {
        slot: Slot::Top,
        place: "in app.py, right after app = Flask(__name__): before any @app.before_request\n\
                (auth) and the routes"
            .into(),
        code: format!("{}\n\n{PREFLIGHT}", cors_call(spec)),
    };
    (text.into(), vec![part])
}

/// Answers a preflight before the other `before_request` hooks; Flask-Cors decorates the answer.
const PREFLIGHT: &str = "@app.before_request
def answer_preflight():
    if request.method == \"OPTIONS\" and \"Access-Control-Request-Method\" in request.headers:
        return app.make_default_options_response()";

fn cors_call(spec: &FixSpec) -> String {
    let mut lines = vec!["    app,".to_string()];
    if spec.prefix != "/" {
        lines.push(format!("    resources=r\"{}*\",", spec.prefix));
    }
    lines.push(format!("    origins={},", quoted(&spec.origins)));
    lines.push(format!("    methods={},", quoted(&spec.methods)));
    if !spec.headers.is_empty() {
        lines.push(format!("    allow_headers={},", quoted(&spec.headers)));
    }
    if spec.credentials {
        lines.push("    supports_credentials=True,".into());
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
    format!(
        "from flask import request\nfrom flask_cors import CORS\n\nCORS(\n{}\n)",
        lines.join("\n")
    )
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

    fn code(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::PreflightRefused);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].slot, Slot::Top);
        parts[0].code.clone()
    }

    #[test]
    fn lists_the_route_origin_method_and_header() {
        let mut spec = spec();
        spec.methods.push("DELETE".into());
        let code = code(&spec);
        assert!(code.contains("resources=r\"/api/*\""), "{code}");
        assert!(
            code.contains("origins=[\"http://127.0.0.1:5173\"]"),
            "{code}"
        );
        assert!(code.contains("\"DELETE\""), "{code}");
        assert!(code.contains("allow_headers=[\"x-api-key\"]"), "{code}");
        assert!(code.contains("max_age=600"), "{code}");
        assert!(!code.contains("supports_credentials"), "{code}");
    }

    #[test]
    fn the_preflight_is_answered_by_a_hook_after_cors() {
        let code = code(&spec());
        let cors = code.find("CORS(\n");
        let hook = code.find("@app.before_request");
        assert!(cors.is_some() && hook > cors, "{code}");
        assert!(code.contains("make_default_options_response()"), "{code}");
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        spec.prefix = "/".into();
        let code = code(&spec);
        assert!(code.contains("supports_credentials=True"), "{code}");
        assert!(code.contains("\"http://127.0.0.1:5173\""), "{code}");
        assert!(!code.contains("resources"), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn an_allow_list_lists_every_origin() {
        // Flask-Cors adds `Vary: Origin` itself when several origins are listed.
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let code = code(&spec);
        assert!(
            code.contains("origins=[\"http://127.0.0.1:5173\", \"https://app.example\"]"),
            "{code}"
        );
    }

    #[test]
    fn simple_requests_expose_and_private_network() {
        let mut spec = spec();
        spec.preflight = false;
        spec.headers.clear();
        spec.expose = vec!["x-total".into()];
        spec.private_network = true;
        let code = code(&spec);
        assert!(!code.contains("max_age"), "{code}");
        assert!(!code.contains("allow_headers"), "{code}");
        assert!(code.contains("expose_headers=[\"x-total\"]"), "{code}");
        assert!(code.contains("allow_private_network=True"), "{code}");
    }
}
