//! Go `net/http`: one middleware around everything the server serves. It sets the headers before
//! any handler runs, answers preflights itself (before auth), and turns a panic into a 500 that
//! keeps the headers: `net/http` itself answers a panicking handler by closing the connection.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "net/http adds no CORS headers by itself, and headers set in some handlers miss the \
             others. One middleware around the whole handler covers every route."
        }
        Pitfall::PreflightRefused => {
            "The OPTIONS preflight reaches auth (401) or a handler that refuses OPTIONS before \
             anything sets CORS headers. The middleware below wraps auth and answers the \
             preflight itself."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "Headers set in handlers on the success path are missing from http.Error and from a \
             recovery middleware's 500 (and on a panic net/http just closes the connection). The \
             middleware sets them first and recovers panics into a 500 that keeps them."
        }
        Pitfall::ListIncomplete => {
            "Access-Control-Allow-Methods or -Headers leaves out what this request sends. List \
             them as below."
        }
        Pitfall::Credentials => {
            "Access-Control-Allow-Origin: * with Allow-Credentials: true is refused by browsers. \
             Send the app's origin instead; never echo any Origin with credentials."
        }
        Pitfall::WrongOrigin => {
            "Access-Control-Allow-Origin names another origin (a port, http vs https, a trailing \
             slash). Send the app's origin exactly."
        }
        Pitfall::Doubled => {
            "Two layers (a proxy in front, a second middleware, w.Header().Add in a handler) each \
             add Access-Control-Allow-Origin. Keep this middleware and remove the others."
        }
        Pitfall::Redirect => {
            "ServeMux redirects a path registered with a trailing slash when called without it \
             (301), and a preflight cannot follow it. Call the exact path."
        }
        Pitfall::NotExposed => {
            "Scripts read only the response headers in Access-Control-Expose-Headers: add the \
             ones it reads."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private-network access: answer it with \
             Access-Control-Allow-Private-Network: true."
        }
    };
    let middleware = Part {
        slot: Slot::Top,
        place: "in main.go, next to your handlers".into(),
        code: middleware(spec),
    };
    let entry = Part {
        slot: Slot::Entry,
        place: "in main, after every other middleware (auth, logging, recovery): the outermost\n\
                handler, the one passed to http.ListenAndServe"
            .into(),
        code: "handler = withCORS(handler)".into(),
    };
    (text.into(), vec![middleware, entry])
}

fn middleware(spec: &FixSpec) -> String {
    let mut out = String::from(
        "func withCORS(next http.Handler) http.Handler {\n\
         \treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\
         \t\th := w.Header()\n",
    );
    let set = |out: &mut String, indent: &str, name: &str, value: &str| {
        out.push_str(&format!("{indent}h.Set(\"{name}\", {value})\n"));
    };
    if spec.is_allow_list() {
        let cases: Vec<String> = spec.origins.iter().map(|o| format!("\"{o}\"")).collect();
        out.push_str("\t\th.Add(\"Vary\", \"Origin\")\n");
        out.push_str(&format!(
            "\t\tswitch origin := r.Header.Get(\"Origin\"); origin {{\n\t\tcase {}:\n",
            cases.join(", ")
        ));
        set(&mut out, "\t\t\t", "Access-Control-Allow-Origin", "origin");
        out.push_str("\t\t}\n");
    } else {
        let origin = format!("\"{}\"", spec.origin());
        set(&mut out, "\t\t", "Access-Control-Allow-Origin", &origin);
    }
    if spec.credentials {
        set(
            &mut out,
            "\t\t",
            "Access-Control-Allow-Credentials",
            "\"true\"",
        );
    }
    if !spec.expose.is_empty() {
        let expose = format!("\"{}\"", spec.expose_list());
        set(&mut out, "\t\t", "Access-Control-Expose-Headers", &expose);
    }
    out.push_str(
        "\t\tif r.Method == http.MethodOptions && r.Header.Get(\"Access-Control-Request-Method\") != \"\" {\n",
    );
    let methods = format!("\"{}\"", spec.methods_list());
    set(&mut out, "\t\t\t", "Access-Control-Allow-Methods", &methods);
    if !spec.headers.is_empty() {
        let headers = format!("\"{}\"", spec.headers_list());
        set(&mut out, "\t\t\t", "Access-Control-Allow-Headers", &headers);
    }
    if spec.private_network {
        set(
            &mut out,
            "\t\t\t",
            "Access-Control-Allow-Private-Network",
            "\"true\"",
        );
    }
    let max_age = format!("\"{}\"", spec.max_age);
    set(&mut out, "\t\t\t", "Access-Control-Max-Age", &max_age);
    out.push_str(
        "\t\t\tw.WriteHeader(http.StatusNoContent)\n\
         \t\t\treturn\n\
         \t\t}\n\
         \t\tdefer func() {\n\
         \t\t\tif err := recover(); err != nil {\n\
         \t\t\t\tlog.Printf(\"panic: %v\", err)\n\
         \t\t\t\thttp.Error(w, \"internal server error\", http.StatusInternalServerError)\n\
         \t\t\t}\n\
         \t\t}()\n\
         \t\tnext.ServeHTTP(w, r)\n\
         \t})\n\
         }",
    );
    out
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
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        let slots: Vec<Slot> = parts.iter().map(|p| p.slot).collect();
        assert_eq!(slots, [Slot::Top, Slot::Entry]);
        assert_eq!(parts[1].code, "handler = withCORS(handler)");
        parts[0].code.clone()
    }

    #[test]
    fn sets_the_origin_and_answers_the_preflight_with_the_lists() {
        let mut spec = spec();
        spec.methods.push("PUT".into());
        let code = code(&spec);
        assert!(
            code.contains("h.Set(\"Access-Control-Allow-Origin\", \"http://127.0.0.1:5173\")"),
            "{code}"
        );
        assert!(
            code.contains("h.Set(\"Access-Control-Allow-Methods\", \"GET, HEAD, POST, PUT\")"),
            "{code}"
        );
        assert!(
            code.contains("h.Set(\"Access-Control-Allow-Headers\", \"x-api-key\")"),
            "{code}"
        );
        assert!(
            code.contains("\"Access-Control-Max-Age\", \"600\""),
            "{code}"
        );
        assert!(
            code.contains("w.WriteHeader(http.StatusNoContent)"),
            "{code}"
        );
        assert!(!code.contains("Credentials"), "{code}");
        assert!(!code.contains("Vary"), "{code}");
        assert!(!code.contains("\"*\""), "{code}");
    }

    #[test]
    fn panics_become_a_500_after_the_headers_are_set() {
        let code = code(&spec());
        let origin = code.find("Access-Control-Allow-Origin");
        let recover = code.find("recover()");
        let serve = code.find("next.ServeHTTP(w, r)");
        assert!(origin < recover && recover < serve, "{code}");
        assert!(code.contains("http.StatusInternalServerError"), "{code}");
    }

    #[test]
    fn credentials_name_the_origin_never_a_wildcard() {
        let mut spec = spec();
        spec.credentials = true;
        let code = code(&spec);
        assert!(
            code.contains("h.Set(\"Access-Control-Allow-Credentials\", \"true\")"),
            "{code}"
        );
        assert!(code.contains("\"http://127.0.0.1:5173\""), "{code}");
        assert!(!code.contains("\"*\""), "{code}");
    }

    #[test]
    fn an_allow_list_echoes_a_listed_origin_and_varies() {
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let code = code(&spec);
        assert!(code.contains("h.Add(\"Vary\", \"Origin\")"), "{code}");
        assert!(
            code.contains("case \"http://127.0.0.1:5173\", \"https://app.example\":"),
            "{code}"
        );
        assert!(
            code.contains("h.Set(\"Access-Control-Allow-Origin\", origin)"),
            "{code}"
        );
    }

    #[test]
    fn expose_and_private_network() {
        let mut spec = spec();
        spec.headers.clear();
        spec.expose = vec!["x-total".into(), "etag".into()];
        spec.private_network = true;
        let code = code(&spec);
        assert!(!code.contains("Allow-Headers"), "{code}");
        assert!(
            code.contains("h.Set(\"Access-Control-Expose-Headers\", \"x-total, etag\")"),
            "{code}"
        );
        assert!(
            code.contains("h.Set(\"Access-Control-Allow-Private-Network\", \"true\")"),
            "{code}"
        );
    }
}
