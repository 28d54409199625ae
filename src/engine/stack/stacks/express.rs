//! Express with the `cors` package: one `app.use(cors({...}))` before auth, parsers and routes.
//! It answers preflights itself (204), and Express's default error handler (finalhandler) keeps
//! the headers it set, so thrown errors leave as readable 500s.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "No middleware adds CORS headers to this route (or cors() is mounted on another router). \
             app.use(cors({...})) at the top covers every route and answers preflights itself."
        }
        Pitfall::PreflightRefused => {
            "Auth (or another middleware) runs before cors() and answers the OPTIONS preflight itself, \
             often with a 401; Express 5 also rejects the old app.options('*', cors()). \
             Register cors() first: it answers the preflight with 204 before auth sees it."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "CORS headers set inside route handlers are skipped when the handler throws, so Express's \
             error handler sends the 500 without them. With cors() registered first they are set \
             before any route runs, and the default error handler keeps them."
        }
        Pitfall::ListIncomplete => {
            "The methods or allowedHeaders given to cors() leave out what this request sends. \
             List them as below."
        }
        Pitfall::Credentials => {
            "cors() defaults to origin '*', which browsers refuse with credentials, and sends \
             Allow-Credentials alongside '*' when told to. Give the exact origin with \
             credentials: true; cors() then echoes it."
        }
        Pitfall::WrongOrigin => {
            "The origin option names another origin (a port, http vs https, a trailing slash). \
             Name the app's origin exactly."
        }
        Pitfall::Doubled => {
            "cors() and a proxy in front (or a hand-written res.set) both add \
             Access-Control-Allow-Origin. Keep cors() and remove the other."
        }
        Pitfall::Redirect => {
            "The URL redirects (a trailing slash, http to https) and a preflight cannot follow one. \
             Call the final URL; cors() answers its preflight."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers: add them \
             to exposedHeaders."
        }
        Pitfall::PrivateNetwork => {
            "The cors package never sends Access-Control-Allow-Private-Network; the small \
             middleware before cors() adds it to the preflight."
        }
    };
    let mut code = String::from("const cors = require('cors');\n");
    if spec.private_network {
        code.push_str(&private_network_middleware());
    }
    code.push_str("app.use(cors({\n");
    code.push_str(&options(spec, "allowedHeaders", "exposedHeaders"));
    code.push_str("}));");
    let part = Part {
        slot: Slot::Top,
        place:
            "in app.js, right after `const app = express()`: before auth, body parsers and routes"
                .into(),
        code,
    };
    (text.into(), vec![part])
}

/// The option lines shared by `cors` and `@fastify/cors` (they differ only in a few names).
pub(super) fn options(spec: &FixSpec, headers_key: &str, expose_key: &str) -> String {
    let mut out = String::new();
    if spec.is_allow_list() {
        out.push_str(&format!("  origin: {},\n", js_array(&spec.origins)));
    } else {
        out.push_str(&format!("  origin: '{}',\n", spec.origin()));
    }
    if spec.credentials {
        out.push_str("  credentials: true,\n");
    }
    out.push_str(&format!("  methods: {},\n", js_array(&spec.methods)));
    if !spec.headers.is_empty() {
        out.push_str(&format!("  {headers_key}: {},\n", js_array(&spec.headers)));
    }
    if !spec.expose.is_empty() {
        out.push_str(&format!("  {expose_key}: {},\n", js_array(&spec.expose)));
    }
    if spec.preflight {
        out.push_str(&format!("  maxAge: {},\n", spec.max_age));
    }
    out
}

/// `['a', 'b']`.
pub(super) fn js_array(items: &[String]) -> String {
    format!("[{}]", super::common::single_quoted(items))
}

fn private_network_middleware() -> String {
    "app.use((req, res, next) => {\n  \
     if (req.headers['access-control-request-private-network']) {\n    \
     res.set('Access-Control-Allow-Private-Network', 'true');\n  \
     }\n  next();\n});\n"
        .into()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A spec for the writers' tests: one origin, a preflighted GET with `X-Api-Key`.
    pub fn spec() -> FixSpec {
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
        let (_, parts) = write(spec, Pitfall::NoCors);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].slot, Slot::Top);
        parts[0].code.clone()
    }

    #[test]
    fn lists_the_origin_method_and_header() {
        let mut spec = spec();
        spec.methods.push("PUT".into());
        let code = code(&spec);
        assert!(code.contains("origin: 'http://127.0.0.1:5173'"), "{code}");
        assert!(code.contains("'PUT'"), "{code}");
        assert!(code.contains("allowedHeaders: ['x-api-key']"), "{code}");
        assert!(code.contains("maxAge: 600"), "{code}");
        assert!(!code.contains("credentials"), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        let code = code(&spec);
        assert!(code.contains("credentials: true"), "{code}");
        assert!(code.contains("'http://127.0.0.1:5173'"), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn an_allow_list_gives_an_array() {
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let code = code(&spec);
        assert!(
            code.contains("origin: ['http://127.0.0.1:5173', 'https://app.example']"),
            "{code}"
        );
    }

    #[test]
    fn simple_requests_skip_preflight_options_and_expose_what_is_read() {
        let mut spec = spec();
        spec.preflight = false;
        spec.headers.clear();
        spec.expose = vec!["x-total".into()];
        let code = code(&spec);
        assert!(!code.contains("maxAge"), "{code}");
        assert!(!code.contains("allowedHeaders"), "{code}");
        assert!(code.contains("exposedHeaders: ['x-total']"), "{code}");
    }

    #[test]
    fn private_network_goes_before_cors() {
        let mut spec = spec();
        spec.private_network = true;
        let code = code(&spec);
        let pna = code.find("Access-Control-Allow-Private-Network");
        let cors = code.find("app.use(cors(");
        assert!(pna.is_some() && pna < cors, "{code}");
    }
}
