//! PHP: `header()` calls first in the front controller, before sessions, auth, routing and any
//! output (PHP keeps them on the 500 of an uncaught exception), and an exit with 204 on `OPTIONS`
//! before the auth check.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "No header() call sends Access-Control-Allow-Origin for this script, or it comes after \
             output (an echo, whitespace or a BOM before <?php) and PHP drops it with a \"headers \
             already sent\" warning. Send the headers first in the front controller."
        }
        Pitfall::PreflightRefused => {
            "The OPTIONS preflight runs the whole script, so the auth check or the router answers \
             it (401, 404, 405) before any CORS header. The fix sends the headers and exits with \
             204 on OPTIONS before auth, which stays on the real request."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "The CORS headers are sent in the success branch (a JSON helper, the end of a \
             handler), so an uncaught exception or fatal error answers 500 without them and the \
             browser hides it. header() calls made first stay on PHP's 500."
        }
        Pitfall::ListIncomplete => {
            "Access-Control-Allow-Methods or Allow-Headers is a fixed list (often copied from an \
             answer) that leaves out what this request sends. List them as below."
        }
        Pitfall::Credentials => {
            "header('Access-Control-Allow-Origin: *') is refused when the request carries \
             credentials (cookies, a session), even with Allow-Credentials. Send the exact origin \
             with Allow-Credentials: true."
        }
        Pitfall::WrongOrigin => {
            "Access-Control-Allow-Origin names another origin (a hard-coded host, http vs https, a \
             port, or an HTTP_ORIGIN check against another list). Name the app's origin exactly."
        }
        Pitfall::Doubled => {
            "The web server (Apache's Header, nginx's add_header) and PHP's header() both add \
             Access-Control-Allow-Origin. Keep one layer: remove the server's, or drop these \
             header() calls."
        }
        Pitfall::Redirect => {
            "A header('Location: …') or the web server's redirect (a trailing slash, http to \
             https) answers the preflight with a redirect, which the browser does not follow. Call \
             the final URL; the OPTIONS exit below comes before any redirect in PHP."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers. Send it \
             with the others."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private network access and the answer lacks \
             Access-Control-Allow-Private-Network: true. Send it on OPTIONS."
        }
    };
    let part = Part {
        slot: Slot::Top,
        place: "first in the front controller (index.php), right after <?php:\n\
                before sessions, auth, routing and any output"
            .into(),
        code: code(spec),
    };
    (text.into(), vec![part])
}

fn code(spec: &FixSpec) -> String {
    let mut out = String::new();
    if spec.is_allow_list() {
        out.push_str(&format!(
            "$corsOrigin = $_SERVER['HTTP_ORIGIN'] ?? '';\n\
             if (in_array($corsOrigin, [{}], true)) {{\n    \
             header(\"Access-Control-Allow-Origin: $corsOrigin\");\n}}\n\
             header('Vary: Origin');\n",
            super::common::single_quoted(&spec.origins)
        ));
    } else {
        out.push_str(&format!(
            "header('Access-Control-Allow-Origin: {}');\n",
            spec.origin()
        ));
    }
    if spec.credentials {
        out.push_str("header('Access-Control-Allow-Credentials: true');\n");
    }
    if !spec.expose.is_empty() {
        out.push_str(&format!(
            "header('Access-Control-Expose-Headers: {}');\n",
            spec.expose_list()
        ));
    }
    if spec.preflight {
        out.push_str("if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {\n");
        let mut line = |text: String| {
            out.push_str("    ");
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "header('Access-Control-Allow-Methods: {}');",
            spec.methods_list()
        ));
        if !spec.headers.is_empty() {
            line(format!(
                "header('Access-Control-Allow-Headers: {}');",
                spec.headers_list()
            ));
        }
        line(format!(
            "header('Access-Control-Max-Age: {}');",
            spec.max_age
        ));
        if spec.private_network {
            line("header('Access-Control-Allow-Private-Network: true');".into());
        }
        line("http_response_code(204);".into());
        line("exit;".into());
        out.push('}');
    }
    out.trim_end().to_string()
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
        let (_, parts) = write(spec, Pitfall::PreflightRefused);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].slot, Slot::Top);
        parts[0].code.clone()
    }

    #[test]
    fn headers_come_first_and_the_preflight_exits_with_204() {
        let code = code_of(&spec());
        assert!(
            code.starts_with("header('Access-Control-Allow-Origin: http://127.0.0.1:5173');"),
            "{code}"
        );
        assert!(code.contains("header('Access-Control-Allow-Methods: GET, HEAD, POST, PUT');"));
        assert!(code.contains("header('Access-Control-Allow-Headers: x-api-key, content-type');"));
        assert!(
            code.contains("header('Access-Control-Max-Age: 600');"),
            "{code}"
        );
        let exit = code.find("exit;");
        let status = code.find("http_response_code(204);");
        assert!(status.is_some() && status < exit, "{code}");
        assert!(!code.contains('*') && !code.contains("Vary"), "{code}");
    }

    #[test]
    fn simple_requests_need_no_preflight_answer() {
        let mut spec = spec();
        spec.preflight = false;
        spec.headers.clear();
        spec.expose = vec!["x-total".into()];
        let code = code_of(&spec);
        assert!(
            !code.contains("OPTIONS") && !code.contains("exit"),
            "{code}"
        );
        assert!(code.contains("header('Access-Control-Expose-Headers: x-total');"));
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        let code = code_of(&spec);
        assert!(code.contains("header('Access-Control-Allow-Credentials: true');"));
        assert!(code.contains("http://127.0.0.1:5173"), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn an_allow_list_echoes_a_listed_origin_and_varies() {
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let code = code_of(&spec);
        assert!(code.contains("['http://127.0.0.1:5173', 'https://app.example'], true"));
        assert!(code.contains("header(\"Access-Control-Allow-Origin: $corsOrigin\");"));
        assert!(code.contains("header('Vary: Origin');"), "{code}");
    }

    #[test]
    fn private_network_is_allowed_on_the_preflight() {
        let mut spec = spec();
        assert!(!code_of(&spec).contains("Private-Network"));
        spec.private_network = true;
        let code = code_of(&spec);
        let pna = code.find("Access-Control-Allow-Private-Network: true");
        assert!(pna.is_some() && pna > code.find("OPTIONS"), "{code}");
    }
}
