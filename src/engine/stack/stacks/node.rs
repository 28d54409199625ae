//! Node's `http` module by hand: one `cors(req, res)` that sets the headers with `setHeader` as
//! the handler's first step (so every later `writeHead`, the error branch's included, keeps them)
//! and answers the preflight itself.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "Node's http module sends no CORS headers of its own: each answer needs them. \
             cors(req, res) as the handler's first step sets them on every answer."
        }
        Pitfall::PreflightRefused => {
            "The OPTIONS preflight reaches the auth check or the router (a 401 or 404) before any \
             CORS code. cors(req, res) runs first and answers it with 204."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "The headers are written only in the success branch (res.writeHead(200, {...})), so the \
             catch that answers 500 sends none. setHeader before routing keeps them on every \
             writeHead, errors included."
        }
        Pitfall::ListIncomplete => {
            "The preflight's Access-Control-Allow-Methods or -Allow-Headers leave out what this \
             request sends. List them as below."
        }
        Pitfall::Credentials => {
            "Access-Control-Allow-Origin: * is refused with credentials. Send the exact origin \
             with Access-Control-Allow-Credentials: true."
        }
        Pitfall::WrongOrigin => {
            "The code sends another origin (a port, http vs https, a trailing slash). Send the \
             app's origin exactly."
        }
        Pitfall::Doubled => {
            "Both this code and a proxy in front (or a second setHeader path) add \
             Access-Control-Allow-Origin. Keep one place."
        }
        Pitfall::Redirect => {
            "The URL redirects (a trailing slash, http to https) and a preflight cannot follow \
             one. Call the final URL."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers: the \
             code below sends it."
        }
        Pitfall::PrivateNetwork => {
            "A preflight to a private address asks Access-Control-Request-Private-Network; the \
             code below answers it."
        }
    };
    let parts = vec![
        Part {
            slot: Slot::Top,
            place: "in server.js, before http.createServer".into(),
            code: function(spec),
        },
        Part {
            slot: Slot::Route,
            place: "first line of the request handler, before auth and routing".into(),
            code: "if (cors(req, res)) return;".into(),
        },
    ];
    (text.into(), parts)
}

/// `function cors(req, res)`: true when it answered a preflight.
fn function(spec: &FixSpec) -> String {
    let mut out = String::new();
    if spec.is_allow_list() {
        out.push_str(&format!(
            "const ALLOWED_ORIGINS = {};\n\n",
            super::express::js_array(&spec.origins)
        ));
    }
    out.push_str("function cors(req, res) {\n");
    let indent = if spec.is_allow_list() {
        out.push_str(
            "  res.setHeader('Vary', 'Origin');\n  \
             if (ALLOWED_ORIGINS.includes(req.headers.origin)) {\n    \
             res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n",
        );
        "    "
    } else {
        out.push_str(&format!(
            "  res.setHeader('Access-Control-Allow-Origin', '{}');\n",
            spec.origin()
        ));
        "  "
    };
    if spec.credentials {
        out.push_str(&format!(
            "{indent}res.setHeader('Access-Control-Allow-Credentials', 'true');\n"
        ));
    }
    if !spec.expose.is_empty() {
        out.push_str(&format!(
            "{indent}res.setHeader('Access-Control-Expose-Headers', '{}');\n",
            spec.expose_list()
        ));
    }
    if spec.is_allow_list() {
        out.push_str("  }\n");
    }
    if spec.preflight {
        out.push_str(
            "  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {\n",
        );
        out.push_str(&format!(
            "    res.setHeader('Access-Control-Allow-Methods', '{}');\n",
            spec.methods_list()
        ));
        if !spec.headers.is_empty() {
            out.push_str(&format!(
                "    res.setHeader('Access-Control-Allow-Headers', '{}');\n",
                spec.headers_list()
            ));
        }
        out.push_str(&format!(
            "    res.setHeader('Access-Control-Max-Age', '{}');\n",
            spec.max_age
        ));
        if spec.private_network {
            out.push_str(
                "    if (req.headers['access-control-request-private-network']) {\n      \
                 res.setHeader('Access-Control-Allow-Private-Network', 'true');\n    }\n",
            );
        }
        out.push_str("    res.writeHead(204);\n    res.end();\n    return true;\n  }\n");
    }
    out.push_str("  return false;\n}");
    out
}

#[cfg(test)]
mod tests {
    use super::super::express::tests::spec;
    use super::*;

    fn code(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].slot, Slot::Route);
        assert!(parts[1].code.contains("cors(req, res)"));
        parts[0].code.clone()
    }

    #[test]
    fn one_origin_and_the_preflight_lists() {
        let mut spec = spec();
        spec.methods.push("PATCH".into());
        let code = code(&spec);
        assert!(
            code.contains("'Access-Control-Allow-Origin', 'http://127.0.0.1:5173'"),
            "{code}"
        );
        assert!(code.contains("'GET, HEAD, POST, PATCH'"), "{code}");
        assert!(
            code.contains("'Access-Control-Allow-Headers', 'x-api-key'"),
            "{code}"
        );
        assert!(code.contains("writeHead(204)"), "{code}");
        assert!(!code.contains("Vary"), "{code}");
        assert!(!code.contains("Credentials"), "{code}");
    }

    #[test]
    fn an_allow_list_echoes_with_vary_and_credentials() {
        let mut spec = spec();
        spec.credentials = true;
        spec.origins.push("https://b.example".into());
        let code = code(&spec);
        assert!(code.contains("'https://b.example'"), "{code}");
        assert!(code.contains("res.setHeader('Vary', 'Origin')"), "{code}");
        assert!(
            code.contains("'Access-Control-Allow-Origin', req.headers.origin"),
            "{code}"
        );
        assert!(
            code.contains("'Access-Control-Allow-Credentials', 'true'"),
            "{code}"
        );
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn a_simple_request_needs_no_preflight_branch() {
        let mut spec = spec();
        spec.preflight = false;
        spec.expose = vec!["x-total".into()];
        let code = code(&spec);
        assert!(!code.contains("OPTIONS"), "{code}");
        assert!(
            code.contains("'Access-Control-Expose-Headers', 'x-total'"),
            "{code}"
        );
    }

    #[test]
    fn private_network_is_answered_in_the_preflight() {
        let mut spec = spec();
        spec.private_network = true;
        assert!(code(&spec).contains("'Access-Control-Allow-Private-Network', 'true'"));
    }
}
