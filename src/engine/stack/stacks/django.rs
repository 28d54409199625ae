//! Django with django-cors-headers: `CorsMiddleware` first in `MIDDLEWARE` and the `CORS_*`
//! settings. It answers preflights itself and adds the headers on the way out to every response,
//! Django's own 4xx/5xx included, as long as nothing above it answers first.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;
use super::common::quoted;

/// django-cors-headers' `default_headers` and `default_methods`.
const DEFAULT_HEADERS: [&str; 6] = [
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
];
const DEFAULT_METHODS: [&str; 6] = ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"];

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "Nothing adds CORS headers to this URL: django-cors-headers is not installed, or \
             CORS_URLS_REGEX does not match it. The settings below cover the API."
        }
        Pitfall::PreflightRefused => {
            "A middleware above CorsMiddleware (auth, CommonMiddleware, a custom one) answers the \
             OPTIONS preflight first, often 401 or a redirect. CorsMiddleware first in MIDDLEWARE \
             answers the preflight before them."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "Headers set by hand in a view or decorator are lost when the view raises: Django's 500 \
             is built outside it. CorsMiddleware adds the headers to every response on the way \
             out, that 500 included."
        }
        Pitfall::ListIncomplete => {
            "CORS_ALLOW_HEADERS or CORS_ALLOW_METHODS replaces the defaults and leaves out what \
             this request sends. Extend the defaults as below."
        }
        Pitfall::Credentials => {
            "Access-Control-Allow-Origin: * with Allow-Credentials (set by hand) is refused by \
             browsers. List the origin in CORS_ALLOWED_ORIGINS with CORS_ALLOW_CREDENTIALS; it is \
             echoed. Never combine CORS_ALLOW_ALL_ORIGINS with credentials (any site would be \
             echoed)."
        }
        Pitfall::WrongOrigin => {
            "CORS_ALLOWED_ORIGINS names another origin (a port, http vs https); entries are \
             scheme://host[:port] without a path or trailing slash."
        }
        Pitfall::Doubled => {
            "CorsMiddleware and a proxy in front (or headers set in a view) both add \
             Access-Control-Allow-Origin. Keep CorsMiddleware and remove the others."
        }
        Pitfall::Redirect => {
            "APPEND_SLASH makes CommonMiddleware redirect a URL without its trailing slash (a POST \
             in DEBUG raises instead), and a preflight cannot follow it. Call the exact URL; with \
             CorsMiddleware above CommonMiddleware the preflight is answered before any redirect."
        }
        Pitfall::NotExposed => {
            "Scripts read only the response headers in CORS_EXPOSE_HEADERS: add the ones it reads."
        }
        Pitfall::PrivateNetwork => {
            "The preflight asks for private-network access; django-cors-headers answers it only \
             with CORS_ALLOW_PRIVATE_NETWORK = True."
        }
    };
    let middleware = Part {
        slot: Slot::Top,
        place: "settings.py: the first entry of MIDDLEWARE, above CommonMiddleware and auth".into(),
        code: "\"corsheaders.middleware.CorsMiddleware\",".into(),
    };
    let settings = Part {
        slot: Slot::Settings,
        place: "settings.py, after INSTALLED_APPS and MIDDLEWARE".into(),
        code: settings(spec),
    };
    (text.into(), vec![middleware, settings])
}

fn settings(spec: &FixSpec) -> String {
    let mut imports = Vec::new();
    let mut lines = vec![
        "INSTALLED_APPS += [\"corsheaders\"]".to_string(),
        format!("CORS_ALLOWED_ORIGINS = {}", quoted(&spec.origins)),
    ];
    if spec.prefix != "/" {
        lines.push(format!("CORS_URLS_REGEX = r\"^{}.*$\"", spec.prefix));
    }
    if spec.credentials {
        lines.push("CORS_ALLOW_CREDENTIALS = True".into());
    }
    let extra_headers = extra(&spec.headers, &DEFAULT_HEADERS, str::to_ascii_lowercase);
    if !extra_headers.is_empty() {
        imports.push("default_headers");
        lines.push(format!(
            "CORS_ALLOW_HEADERS = (*default_headers, {})",
            tuple_items(&extra_headers)
        ));
    }
    // HEAD is safelisted: browsers never ask a preflight for it.
    let methods: Vec<String> = spec
        .methods
        .iter()
        .filter(|m| *m != "HEAD")
        .cloned()
        .collect();
    let extra_methods = extra(&methods, &DEFAULT_METHODS, str::to_ascii_uppercase);
    if !extra_methods.is_empty() {
        imports.push("default_methods");
        lines.push(format!(
            "CORS_ALLOW_METHODS = (*default_methods, {})",
            tuple_items(&extra_methods)
        ));
    }
    if !spec.expose.is_empty() {
        lines.push(format!("CORS_EXPOSE_HEADERS = {}", quoted(&spec.expose)));
    }
    if spec.preflight {
        lines.push(format!("CORS_PREFLIGHT_MAX_AGE = {}", spec.max_age));
    }
    if spec.private_network {
        lines.push("CORS_ALLOW_PRIVATE_NETWORK = True".into());
    }
    let mut out = String::new();
    if !imports.is_empty() {
        out.push_str(&format!(
            "from corsheaders.defaults import {}\n\n",
            imports.join(", ")
        ));
    }
    out.push_str(&lines.join("\n"));
    out
}

/// The items of `wanted` that `defaults` lacks (compared after `norm`).
fn extra(wanted: &[String], defaults: &[&str], norm: fn(&str) -> String) -> Vec<String> {
    wanted
        .iter()
        .map(|item| norm(item))
        .filter(|item| !defaults.contains(&item.as_str()))
        .collect()
}

/// `"a", "b"` (a one-item tuple tail needs no trailing comma after `*defaults,`).
fn tuple_items(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
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

    fn parts(spec: &FixSpec) -> (String, String) {
        let (_, parts) = write(spec, Pitfall::PreflightRefused);
        let slots: Vec<Slot> = parts.iter().map(|p| p.slot).collect();
        assert_eq!(slots, [Slot::Top, Slot::Settings]);
        (parts[0].code.clone(), parts[1].code.clone())
    }

    #[test]
    fn the_middleware_comes_first_and_the_settings_list_the_request() {
        let (middleware, settings) = parts(&spec());
        assert_eq!(middleware, "\"corsheaders.middleware.CorsMiddleware\",");
        assert!(
            settings.contains("INSTALLED_APPS += [\"corsheaders\"]"),
            "{settings}"
        );
        assert!(
            settings.contains("CORS_ALLOWED_ORIGINS = [\"http://127.0.0.1:5173\"]"),
            "{settings}"
        );
        assert!(
            settings.contains("CORS_URLS_REGEX = r\"^/api/.*$\""),
            "{settings}"
        );
        assert!(
            settings.contains("from corsheaders.defaults import default_headers\n"),
            "{settings}"
        );
        assert!(
            settings.contains("CORS_ALLOW_HEADERS = (*default_headers, \"x-api-key\")"),
            "{settings}"
        );
        assert!(!settings.contains("CORS_ALLOW_METHODS"), "{settings}");
        assert!(
            settings.contains("CORS_PREFLIGHT_MAX_AGE = 600"),
            "{settings}"
        );
        assert!(!settings.contains("CREDENTIALS"), "{settings}");
        assert!(!settings.contains("ALLOW_ALL"), "{settings}");
    }

    #[test]
    fn defaults_cover_common_headers_and_other_methods_extend_them() {
        let mut spec = spec();
        spec.headers = vec!["authorization".into(), "content-type".into()];
        spec.methods.push("PROPFIND".into());
        let (_, settings) = parts(&spec);
        assert!(!settings.contains("CORS_ALLOW_HEADERS"), "{settings}");
        assert!(
            settings.contains("CORS_ALLOW_METHODS = (*default_methods, \"PROPFIND\")"),
            "{settings}"
        );
        assert!(
            settings.contains("from corsheaders.defaults import default_methods\n"),
            "{settings}"
        );
    }

    #[test]
    fn credentials_list_the_origin() {
        let mut spec = spec();
        spec.credentials = true;
        let (_, settings) = parts(&spec);
        assert!(
            settings.contains("CORS_ALLOW_CREDENTIALS = True"),
            "{settings}"
        );
        assert!(settings.contains("\"http://127.0.0.1:5173\""), "{settings}");
        assert!(!settings.contains("ALLOW_ALL"), "{settings}");
    }

    #[test]
    fn an_allow_list_lists_every_origin() {
        // django-cors-headers adds `Vary: Origin` to every response it handles.
        let mut spec = spec();
        spec.origins.push("https://app.example".into());
        let (_, settings) = parts(&spec);
        assert!(
            settings.contains(
                "CORS_ALLOWED_ORIGINS = [\"http://127.0.0.1:5173\", \"https://app.example\"]"
            ),
            "{settings}"
        );
    }

    #[test]
    fn simple_requests_expose_and_private_network() {
        let mut spec = spec();
        spec.preflight = false;
        spec.headers.clear();
        spec.prefix = "/".into();
        spec.expose = vec!["x-total".into()];
        spec.private_network = true;
        let (_, settings) = parts(&spec);
        assert!(!settings.contains("MAX_AGE"), "{settings}");
        assert!(!settings.contains("import"), "{settings}");
        assert!(!settings.contains("CORS_URLS_REGEX"), "{settings}");
        assert!(
            settings.contains("CORS_EXPOSE_HEADERS = [\"x-total\"]"),
            "{settings}"
        );
        assert!(
            settings.contains("CORS_ALLOW_PRIVATE_NETWORK = True"),
            "{settings}"
        );
    }
}
