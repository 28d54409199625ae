//! Cloudflare Workers (not run here: written from the Workers documentation). The `fetch` handler
//! answers the preflight first, runs the Worker's own code in a `try` so a throw becomes a 500
//! instead of Cloudflare's error page, and sets the headers on a mutable copy of every answer.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "The Worker returns its answers (or the origin's, from fetch) without CORS headers. \
             The fetch handler below adds them to every answer."
        }
        Pitfall::PreflightRefused => {
            "The OPTIONS preflight reaches the Worker's auth check or router (a 401, 404 or 405). \
             The handler below answers it first, with 204."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "An uncaught exception ends the Worker with Cloudflare's error page (1101), and error \
             answers built in the code skip the headers. The try below turns a throw into a 500 \
             and every answer gets the headers."
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
            "The Worker sends another origin (a port, http vs https, a trailing slash). Send the \
             app's origin exactly."
        }
        Pitfall::Doubled => {
            "headers.append adds a second Access-Control-Allow-Origin when the origin the Worker \
             fetches already sends one. headers.set, as below, replaces it."
        }
        Pitfall::Redirect => {
            "The URL redirects (a trailing slash, http to https in the zone's settings) and a \
             preflight cannot follow. Call the final URL."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers: the code \
             below sends it."
        }
        Pitfall::PrivateNetwork => {
            "A preflight to a private address asks Access-Control-Request-Private-Network; the \
             preflight answer below allows it."
        }
    };
    let mut code = header_functions(spec, "", "");
    code.push_str(
        "\n\nexport default {\n  async fetch(request, env, ctx) {\n    \
         const cors = corsHeaders(request);\n",
    );
    if spec.preflight {
        code.push_str(
            "    if (request.method === 'OPTIONS' && request.headers.has('Access-Control-Request-Method')) {\n      \
             return new Response(null, { status: 204, headers: { ...cors, ...PREFLIGHT } });\n    }\n",
        );
    }
    code.push_str(
        "    let response;\n    try {\n      \
         response = await handle(request, env, ctx); // your current fetch code\n    \
         } catch (err) {\n      \
         console.error(err);\n      \
         response = Response.json({ error: 'internal error' }, { status: 500 });\n    }\n    \
         response = new Response(response.body, response); // mutable headers\n    \
         for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);\n    \
         return response;\n  },\n};",
    );
    let part = Part {
        slot: Slot::Entry,
        place: "replaces the Worker's export default; its current fetch code becomes \
                handle(request, env, ctx)"
            .into(),
        code,
    };
    (text.into(), vec![part])
}

/// `corsHeaders(request)` (the headers for every answer) and, for preflighted requests,
/// `PREFLIGHT`, in JavaScript or (with type annotations) TypeScript.
pub(super) fn header_functions(spec: &FixSpec, request_type: &str, return_type: &str) -> String {
    let mut always: Vec<(&str, String)> = Vec::new();
    if spec.credentials {
        always.push(("Access-Control-Allow-Credentials", "'true'".into()));
    }
    if !spec.expose.is_empty() {
        always.push((
            "Access-Control-Expose-Headers",
            format!("'{}'", spec.expose_list()),
        ));
    }
    let mut out = String::new();
    if spec.is_allow_list() {
        out.push_str(&format!(
            "const ALLOWED_ORIGINS = {};\n\n",
            super::express::js_array(&spec.origins)
        ));
    }
    out.push_str(&format!(
        "function corsHeaders(request{request_type}){return_type} {{\n"
    ));
    if spec.is_allow_list() {
        out.push_str(
            "  const origin = request.headers.get('Origin') ?? '';\n  \
             if (!ALLOWED_ORIGINS.includes(origin)) return { Vary: 'Origin' };\n  \
             return {\n    Vary: 'Origin',\n    'Access-Control-Allow-Origin': origin,\n",
        );
    } else {
        out.push_str(&format!(
            "  return {{\n    'Access-Control-Allow-Origin': '{}',\n",
            spec.origin()
        ));
    }
    for (name, value) in &always {
        out.push_str(&format!("    '{name}': {value},\n"));
    }
    out.push_str("  };\n}");
    if spec.preflight {
        out.push_str(&format!(
            "\n\nconst PREFLIGHT = {{\n  'Access-Control-Allow-Methods': '{}',\n",
            spec.methods_list()
        ));
        if !spec.headers.is_empty() {
            out.push_str(&format!(
                "  'Access-Control-Allow-Headers': '{}',\n",
                spec.headers_list()
            ));
        }
        out.push_str(&format!(
            "  'Access-Control-Max-Age': '{}',\n",
            spec.max_age
        ));
        if spec.private_network {
            out.push_str("  'Access-Control-Allow-Private-Network': 'true',\n");
        }
        out.push_str("};");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::express::tests::spec;
    use super::*;

    fn code(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].slot, Slot::Entry);
        parts[0].code.clone()
    }

    #[test]
    fn one_origin_the_lists_and_errors_caught() {
        let code = code(&spec());
        assert!(
            code.contains("'Access-Control-Allow-Origin': 'http://127.0.0.1:5173'"),
            "{code}"
        );
        assert!(
            code.contains("'Access-Control-Allow-Methods': 'GET, HEAD, POST'"),
            "{code}"
        );
        assert!(
            code.contains("'Access-Control-Allow-Headers': 'x-api-key'"),
            "{code}"
        );
        assert!(code.contains("status: 500"), "{code}");
        assert!(code.contains("response.headers.set"), "{code}");
        assert!(!code.contains("append"), "{code}");
        assert!(!code.contains("Vary"), "{code}");
    }

    #[test]
    fn an_allow_list_with_credentials_echoes_and_varies() {
        let mut spec = spec();
        spec.credentials = true;
        spec.origins.push("https://b.example".into());
        let code = code(&spec);
        assert!(code.contains("'https://b.example'"), "{code}");
        assert!(
            code.contains("'Access-Control-Allow-Origin': origin"),
            "{code}"
        );
        assert!(code.contains("Vary: 'Origin'"), "{code}");
        assert!(
            code.contains("'Access-Control-Allow-Credentials': 'true'"),
            "{code}"
        );
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn simple_requests_have_no_preflight_branch() {
        let mut spec = spec();
        spec.preflight = false;
        spec.expose = vec!["x-total".into()];
        let code = code(&spec);
        assert!(!code.contains("PREFLIGHT"), "{code}");
        assert!(
            code.contains("'Access-Control-Expose-Headers': 'x-total'"),
            "{code}"
        );
    }
}
