//! Spring Boot (Spring MVC + Spring Security): one global CORS mapping for every path, `/error`
//! included, and `http.cors(...)` so Spring Security's CorsFilter answers the preflight before
//! authentication.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let parts = vec![
        Part {
            slot: Slot::Settings,
            place: "a new class next to your @SpringBootApplication (CorsConfig.java)".into(),
            code: config(spec),
        },
        Part {
            slot: Slot::Route,
            place: "Spring Security: in your SecurityFilterChain bean, before http.build();\nit uses the mapping above and answers the preflight before authentication".into(),
            code: "http.cors(org.springframework.security.config.Customizer.withDefaults());".into(),
        },
    ];
    (pitfall_text(pitfall).into(), parts)
}

fn pitfall_text(pitfall: Pitfall) -> &'static str {
    match pitfall {
        Pitfall::NoCors => "No CORS mapping covers this path (a @CrossOrigin on another controller, or addMapping for another pattern): map \"/**\".",
        Pitfall::PreflightRefused => "Spring Security authenticates the OPTIONS preflight and answers 401/403 unless `http.cors(...)` puts its CorsFilter first; then the preflight is answered before authentication.",
        Pitfall::ErrorsWithoutHeaders => "An exception is rendered by a second dispatch to /error, which a mapping like \"/api/**\" does not cover, so the 500 has no CORS headers: map \"/**\".",
        Pitfall::ListIncomplete => "allowedMethods defaults to GET, HEAD, POST and the preflight is refused (403 \"Invalid CORS request\") for anything not listed: list the request's methods and headers.",
        Pitfall::Credentials => "Spring refuses allowedOrigins(\"*\") with allowCredentials(true) (IllegalArgumentException), so a hand-set `*` filter often stays; list the exact origin with allowCredentials(true).",
        Pitfall::WrongOrigin => "allowedOrigins is compared exactly with the Origin header (scheme, host, port, no trailing slash): list the app's origin.",
        Pitfall::Doubled => "Two layers add Access-Control-Allow-Origin (a proxy or a filter setting headers by hand, plus Spring's CORS): keep Spring's only.",
        Pitfall::Redirect => "A preflight may not follow a redirect: Spring Security's redirect to a login page or to https answers the preflight; with `http.cors(...)` the preflight is answered first. Call the final URL.",
        Pitfall::NotExposed => "The browser hides response headers that exposedHeaders does not list.",
        Pitfall::PrivateNetwork => "Chromium's private-network preflight needs allowPrivateNetwork(true) (Spring Framework 6.1.3 or later).",
    }
}

/// A Java string literal.
fn java(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn java_list(items: &[String]) -> String {
    items.iter().map(|i| java(i)).collect::<Vec<_>>().join(", ")
}

fn config(spec: &FixSpec) -> String {
    let mut lines = vec![
        "        registry.addMapping(\"/**\") // \"/**\" covers /error: errors get the headers too"
            .to_string(),
    ];
    lines.push(format!(
        "            .allowedOrigins({})",
        java_list(&spec.origins)
    ));
    lines.push(format!(
        "            .allowedMethods({})",
        java_list(&spec.methods)
    ));
    if !spec.headers.is_empty() {
        lines.push(format!(
            "            .allowedHeaders({})",
            java_list(&spec.headers)
        ));
    }
    if !spec.expose.is_empty() {
        lines.push(format!(
            "            .exposedHeaders({})",
            java_list(&spec.expose)
        ));
    }
    if spec.credentials {
        lines.push("            .allowCredentials(true)".into());
    }
    if spec.private_network {
        lines.push("            .allowPrivateNetwork(true)".into());
    }
    lines.push(format!("            .maxAge({});", spec.max_age));
    format!(
        "import org.springframework.context.annotation.Configuration;\n\
         import org.springframework.web.servlet.config.annotation.CorsRegistry;\n\
         import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;\n\n\
         @Configuration\n\
         public class CorsConfig implements WebMvcConfigurer {{\n    \
             @Override\n    \
             public void addCorsMappings(CorsRegistry registry) {{\n\
         {}\n    \
             }}\n\
         }}",
        lines.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FixSpec {
        FixSpec {
            origins: vec!["http://127.0.0.1:8080".into()],
            credentials: true,
            methods: vec!["GET".into(), "HEAD".into(), "POST".into(), "DELETE".into()],
            headers: vec!["authorization".into(), "x-api-key".into()],
            expose: vec!["x-total".into()],
            preflight: true,
            private_network: false,
            max_age: 600,
            api_origin: "http://127.0.0.1:9090".into(),
            path: "/api/items".into(),
            prefix: "/api/".into(),
        }
    }

    fn code(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::PreflightRefused);
        parts
            .iter()
            .map(|p| p.code.clone())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn credentials_list_the_exact_origin_for_every_path() {
        let code = code(&spec());
        assert!(code.contains(".allowedOrigins(\"http://127.0.0.1:8080\")"));
        assert!(code.contains(".allowCredentials(true)"));
        assert!(code.contains("addMapping(\"/**\")"));
        assert!(!code.contains("\"*\""));
        assert!(code.contains("http.cors("));
    }

    #[test]
    fn allow_list_methods_headers_exposed() {
        let spec = FixSpec {
            origins: vec!["http://a.test".into(), "https://b.test".into()],
            ..spec()
        };
        let code = code(&spec);
        assert!(code.contains(".allowedOrigins(\"http://a.test\", \"https://b.test\")"));
        assert!(code.contains(".allowedMethods(\"GET\", \"HEAD\", \"POST\", \"DELETE\")"));
        assert!(code.contains(".allowedHeaders(\"authorization\", \"x-api-key\")"));
        assert!(code.contains(".exposedHeaders(\"x-total\")"));
        assert!(code.contains(".maxAge(600);"));
    }

    #[test]
    fn braces_balance() {
        let code = code(&spec());
        assert_eq!(code.matches('{').count(), code.matches('}').count());
        assert_eq!(code.matches('(').count(), code.matches(')').count());
    }
}
