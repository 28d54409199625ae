//! Apache httpd: `Header always set` (mod_headers) so Apache's own error answers carry the
//! headers, the preflight answered with 204 by a server-context rewrite (it runs before
//! authentication), and a `SetEnvIf Origin` allow-list when several origins are allowed.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "No Header directive covers this URL (it sits in another <Location>, <Directory> or \
             .htaccess, or mod_headers is not loaded). Set the headers in the server config or \
             the <VirtualHost> of the API."
        }
        Pitfall::PreflightRefused => {
            "Authentication (AuthType/Require, a token check) or the app answers the OPTIONS \
             preflight with 401/403/405 before any CORS answer; rewrites in .htaccess or \
             <Directory> run after auth. A server-context rewrite answers OPTIONS with 204 first."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "`Header set` only reaches successful answers: the 500 of a failing handler, CGI or \
             script, Apache's 401/403 and a proxy's 502 leave without the CORS headers and the \
             browser hides them. `Header always set` puts them on every status."
        }
        Pitfall::ListIncomplete => {
            "Access-Control-Allow-Methods or Allow-Headers is a fixed list (often copied from an \
             example) that leaves out what this request sends. List them as below."
        }
        Pitfall::Credentials => {
            "Access-Control-Allow-Origin \"*\" is refused when the request carries credentials, \
             even with Allow-Credentials. Name the exact origin (SetEnvIf echoes a listed one) \
             with Allow-Credentials true."
        }
        Pitfall::WrongOrigin => {
            "Access-Control-Allow-Origin names another origin (a hard-coded host, http vs https, a \
             port, or a SetEnvIf regex that does not match this one). Name the app's origin exactly."
        }
        Pitfall::Doubled => {
            "Apache and the app behind it (PHP, a proxied backend) both add \
             Access-Control-Allow-Origin, or `Header add` appends a second. Keep one layer: \
             `Header unset` drops the app's copy and `always set` replaces, never appends."
        }
        Pitfall::Redirect => {
            "A Redirect or RewriteRule [R] (a trailing slash, http to https, DirectorySlash) \
             answers the preflight with a redirect, which the browser does not follow. Call the \
             final URL; the OPTIONS rule below comes before other rewrites."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers. Add it \
             with `always` so error answers expose it too."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private network access and the answer lacks \
             Access-Control-Allow-Private-Network: true. Add it."
        }
    };
    let modules = if spec.is_allow_list() {
        "mod_headers, mod_rewrite and mod_setenvif"
    } else {
        "mod_headers and mod_rewrite"
    };
    let part = Part {
        slot: Slot::Top,
        place: format!(
            "in the server config or the <VirtualHost> of the API (not .htaccess: it runs after \
             auth),\nbefore auth and other rewrites; needs {modules}"
        ),
        code: code(spec),
    };
    (text.into(), vec![part])
}

fn code(spec: &FixSpec) -> String {
    let mut out = String::new();
    if spec.is_allow_list() {
        let alternatives: Vec<String> = spec.origins.iter().map(|o| regex_escape(o)).collect();
        out.push_str(&format!(
            "SetEnvIf Origin \"^({})$\" CORS_ORIGIN=$0\n",
            alternatives.join("|")
        ));
        out.push_str(
            "Header always set Access-Control-Allow-Origin \"%{CORS_ORIGIN}e\" env=CORS_ORIGIN\n",
        );
        out.push_str("Header always merge Vary \"Origin\"\n");
    } else {
        out.push_str(&format!(
            "Header always set Access-Control-Allow-Origin \"{}\"\n",
            spec.origin()
        ));
    }
    let mut header = |name: &str, value: &str| {
        out.push_str(&format!("Header always set {name} \"{value}\"\n"));
    };
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
    out.push_str("# only Apache adds it: drop the app's own copy\n");
    out.push_str("Header unset Access-Control-Allow-Origin");
    if spec.preflight {
        out.push_str(&format!(
            "\nRewriteEngine On\nRewriteCond %{{REQUEST_METHOD}} OPTIONS\nRewriteRule ^{} - [R=204,L]",
            spec.prefix
        ));
    }
    out
}

/// `origin` as a literal in an Apache (PCRE) regular expression.
fn regex_escape(origin: &str) -> String {
    let mut out = String::with_capacity(origin.len() + 4);
    for c in origin.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
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

    fn code_of(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].slot, Slot::Top);
        parts[0].code.clone()
    }

    #[test]
    fn every_header_is_always_set_and_lists_the_request() {
        let code = code_of(&spec());
        let sets: Vec<&str> = code.lines().filter(|l| l.starts_with("Header ")).collect();
        assert!(sets.len() >= 4, "{code}");
        let cors_sets = sets.iter().filter(|l| !l.starts_with("Header unset"));
        assert!(
            cors_sets
                .into_iter()
                .all(|l| l.starts_with("Header always set")),
            "{code}"
        );
        assert!(code.contains("Access-Control-Allow-Origin \"http://127.0.0.1:5173\""));
        assert!(code.contains("\"GET, HEAD, POST, PUT\""), "{code}");
        assert!(code.contains("\"x-api-key, content-type\""), "{code}");
        assert!(code.contains("Access-Control-Max-Age \"600\""), "{code}");
        assert!(!code.contains('*'), "{code}");
        assert!(!code.contains("Vary"), "{code}");
    }

    #[test]
    fn the_preflight_is_answered_under_the_prefix() {
        let code = code_of(&spec());
        assert!(
            code.contains("RewriteCond %{REQUEST_METHOD} OPTIONS\n"),
            "{code}"
        );
        assert!(code.ends_with("RewriteRule ^/api/ - [R=204,L]"), "{code}");
        let mut simple = spec();
        simple.preflight = false;
        simple.headers.clear();
        let code = code_of(&simple);
        assert!(!code.contains("Rewrite"), "{code}");
        assert!(!code.contains("Max-Age"), "{code}");
        assert!(!code.contains("Allow-Headers"), "{code}");
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        let code = code_of(&spec);
        assert!(code.contains("Header always set Access-Control-Allow-Credentials \"true\""));
        assert!(code.contains("\"http://127.0.0.1:5173\""), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn an_allow_list_echoes_a_listed_origin_and_varies() {
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let code = code_of(&spec);
        assert!(
            code.contains(
                "SetEnvIf Origin \"^(http://127\\.0\\.0\\.1:5173|https://app\\.example)$\" CORS_ORIGIN=$0"
            ),
            "{code}"
        );
        assert!(
            code.contains("\"%{CORS_ORIGIN}e\" env=CORS_ORIGIN"),
            "{code}"
        );
        assert!(
            code.contains("Header always merge Vary \"Origin\""),
            "{code}"
        );
        let (_, parts) = write(&spec, Pitfall::WrongOrigin);
        assert!(parts[0].place.contains("mod_setenvif"));
    }

    #[test]
    fn exposed_and_private_network_on_request() {
        let mut spec = spec();
        assert!(!code_of(&spec).contains("Expose"));
        spec.expose = vec!["x-total".into()];
        spec.private_network = true;
        let code = code_of(&spec);
        assert!(
            code.contains("Access-Control-Expose-Headers \"x-total\""),
            "{code}"
        );
        assert!(
            code.contains("Access-Control-Allow-Private-Network \"true\""),
            "{code}"
        );
    }
}
