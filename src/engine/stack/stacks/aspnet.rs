//! ASP.NET Core (minimal hosting): a named CORS policy with `WithOrigins` (never
//! `AllowAnyOrigin` with credentials), `UseCors` before authentication, and an exception handler
//! so an unhandled exception becomes a 500 that keeps the CORS headers.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let parts = vec![
        Part {
            slot: Slot::Top,
            place: "Program.cs, with the other builder.Services calls, before builder.Build()".into(),
            code: services(spec),
        },
        Part {
            slot: Slot::Route,
            place: "Program.cs, right after builder.Build() (after UseRouting if you call it),\nbefore UseAuthentication, UseAuthorization and the endpoints".into(),
            code: pipeline(spec),
        },
    ];
    (pitfall_text(pitfall).into(), parts)
}

fn pitfall_text(pitfall: Pitfall) -> &'static str {
    match pitfall {
        Pitfall::NoCors => "AddCors only registers policies: without app.UseCors(\"policy\") (or [EnableCors] on this endpoint) no CORS header is sent.",
        Pitfall::PreflightRefused => "UseCors placed after UseAuthentication/UseAuthorization (or a fallback policy requiring authentication) lets auth answer the OPTIONS preflight 401. Call UseCors before them.",
        Pitfall::ErrorsWithoutHeaders => "An unhandled exception without an exception handler becomes Kestrel's bare 500, sent without the headers the CORS middleware would add. UseExceptionHandler writes the 500 itself, with them.",
        Pitfall::ListIncomplete => "WithMethods and WithHeaders list exactly what the preflight allows: add the request's method and every header it sends.",
        Pitfall::Credentials => "ASP.NET Core refuses AllowAnyOrigin() with AllowCredentials() at start-up, so a hand-set `*` often stays; use WithOrigins with the exact origin and AllowCredentials().",
        Pitfall::WrongOrigin => "WithOrigins is compared with the Origin header (scheme, host, port; a trailing slash never matches): list the app's exact origin.",
        Pitfall::Doubled => "IIS, a proxy or a middleware setting headers by hand adds Access-Control-Allow-Origin next to UseCors: keep UseCors only.",
        Pitfall::Redirect => "A preflight may not follow a redirect: UseHttpsRedirection redirects http preflights. Call the https URL.",
        Pitfall::NotExposed => "The browser hides response headers that WithExposedHeaders does not list.",
        Pitfall::PrivateNetwork => "ASP.NET Core's CORS policy has no private-network option: the small middleware before UseCors adds the header.",
    }
}

/// A C# string literal.
fn cs(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn cs_list(items: &[String]) -> String {
    items.iter().map(|i| cs(i)).collect::<Vec<_>>().join(", ")
}

fn services(spec: &FixSpec) -> String {
    let mut lines = vec![
        "builder.Services.AddProblemDetails(); // for UseExceptionHandler()".to_string(),
        "builder.Services.AddCors(options => options.AddPolicy(\"app\", policy => policy".into(),
        format!("    .WithOrigins({})", cs_list(&spec.origins)),
        format!("    .WithMethods({})", cs_list(&spec.methods)),
    ];
    if !spec.headers.is_empty() {
        lines.push(format!("    .WithHeaders({})", cs_list(&spec.headers)));
    }
    if !spec.expose.is_empty() {
        lines.push(format!(
            "    .WithExposedHeaders({})",
            cs_list(&spec.expose)
        ));
    }
    if spec.credentials {
        lines.push("    .AllowCredentials()".into());
    }
    lines.push(format!(
        "    .SetPreflightMaxAge(TimeSpan.FromSeconds({}))));",
        spec.max_age
    ));
    lines.join("\n")
}

fn pipeline(spec: &FixSpec) -> String {
    let mut lines = vec![
        "app.UseExceptionHandler(); // a thrown exception: a 500 with the CORS headers".to_string(),
    ];
    if spec.private_network {
        lines.push(
            "app.Use(async (context, next) =>\n{\n    \
             if (context.Request.Headers.ContainsKey(\"Access-Control-Request-Private-Network\"))\n        \
             context.Response.Headers[\"Access-Control-Allow-Private-Network\"] = \"true\";\n    \
             await next(context);\n});"
                .into(),
        );
    }
    lines.push("app.UseCors(\"app\"); // before auth: it answers the preflight".into());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FixSpec {
        FixSpec {
            origins: vec!["http://127.0.0.1:8080".into()],
            credentials: true,
            methods: vec!["GET".into(), "HEAD".into(), "POST".into(), "PATCH".into()],
            headers: vec!["x-api-key".into()],
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
    fn credentials_with_origins_never_any_origin() {
        let code = code(&spec());
        assert!(code.contains(".WithOrigins(\"http://127.0.0.1:8080\")"));
        assert!(code.contains(".AllowCredentials()"));
        assert!(!code.contains("AllowAnyOrigin"));
        assert!(!code.contains("\"*\""));
    }

    #[test]
    fn lists_and_order() {
        let spec = FixSpec {
            origins: vec!["http://a.test".into(), "https://b.test".into()],
            private_network: true,
            ..spec()
        };
        let code = code(&spec);
        assert!(code.contains(".WithOrigins(\"http://a.test\", \"https://b.test\")"));
        assert!(code.contains(".WithMethods(\"GET\", \"HEAD\", \"POST\", \"PATCH\")"));
        assert!(code.contains(".WithHeaders(\"x-api-key\")"));
        assert!(code.contains(".WithExposedHeaders(\"x-total\")"));
        assert!(code.contains("TimeSpan.FromSeconds(600)"));
        let handler = code.find("app.UseExceptionHandler()");
        let network = code.find("Access-Control-Allow-Private-Network");
        let cors = code.find("app.UseCors(\"app\")");
        assert!(matches!((handler, network, cors), (Some(h), Some(n), Some(c)) if h < n && n < c));
        assert_eq!(code.matches('(').count(), code.matches(')').count());
    }
}
