//! AWS API Gateway and Lambda: an HTTP API's CORS configuration (API Gateway answers the
//! preflight), or for a REST API Gateway Responses (its own 4xx/5xx) plus a Lambda proxy
//! integration that returns the headers itself. Configurations are JSON (valid YAML too).

use serde_json::{json, Map, Value};

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let parts = vec![
        Part {
            slot: Slot::Settings,
            place: "HTTP API: cors.json for `aws apigatewayv2 update-api --api-id ID --cors-configuration file://cors.json`\n(CloudFormation: the API's CorsConfiguration). API Gateway then answers preflights itself.".into(),
            code: pretty(&http_api(spec)),
        },
        Part {
            slot: Slot::Settings,
            place: format!(
                "REST API: CloudFormation Resources, so API Gateway's own 4xx/5xx (authorizer,\nthrottling, timeouts) carry the headers; a Gateway Response sends one origin: {}",
                spec.origin()
            ),
            code: pretty(&gateway_responses(spec)),
        },
        Part {
            slot: Slot::Top,
            place: "REST API with Lambda proxy integration (Python): the function answers OPTIONS (route\nit to the function, without authorizer) and adds the headers to every answer, errors included".into(),
            code: lambda(spec),
        },
    ];
    (pitfall_text(pitfall).into(), parts)
}

fn pitfall_text(pitfall: Pitfall) -> &'static str {
    match pitfall {
        Pitfall::NoCors => "With Lambda proxy integration of a REST API, API Gateway passes the function's headers through: the function must return them, or an HTTP API must have a CORS configuration.",
        Pitfall::PreflightRefused => "The OPTIONS preflight reaches an authorizer or a method without OPTIONS (401, 403 \"Missing Authentication Token\"); an HTTP API's ANY or $default route with an authorizer does that too. Let API Gateway's CORS configuration or an OPTIONS route without authorizer answer it.",
        Pitfall::ErrorsWithoutHeaders => "API Gateway's own errors (authorizer 401/403, throttling 429, the 502 of a failed Lambda, timeouts) are Gateway Responses without CORS headers, and a Lambda error response lacks them unless the function adds them. Add DEFAULT_4XX and DEFAULT_5XX responses with the headers.",
        Pitfall::ListIncomplete => "The preflight's answer must list the request's method and every header it sends (AllowMethods, AllowHeaders, or the OPTIONS answer of the REST API).",
        Pitfall::Credentials => "\"*\" (the console's default) cannot be used with credentials: allow the exact origin and AllowCredentials.",
        Pitfall::WrongOrigin => "The allowed origin is compared byte for byte with the Origin header (scheme, host, port, no trailing slash): allow the app's exact origin.",
        Pitfall::Doubled => "API Gateway's CORS configuration and the Lambda both add Access-Control-Allow-Origin (or CloudFront adds one): keep one source.",
        Pitfall::Redirect => "A preflight may not follow a redirect: call the stage's exact URL (custom domain base path, stage name, no trailing slash).",
        Pitfall::NotExposed => "The browser hides response headers that ExposeHeaders (or the function's Access-Control-Expose-Headers) does not list.",
        Pitfall::PrivateNetwork => "API Gateway's CORS configuration has no private-network option: the function (or a Gateway Response) must send Access-Control-Allow-Private-Network: true.",
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Methods an HTTP API's CORS configuration can name.
fn http_methods(spec: &FixSpec) -> Vec<&str> {
    const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    spec.methods
        .iter()
        .map(String::as_str)
        .filter(|m| METHODS.contains(m))
        .collect()
}

fn http_api(spec: &FixSpec) -> Value {
    let mut cors = Map::new();
    cors.insert("AllowOrigins".into(), json!(spec.origins));
    cors.insert("AllowMethods".into(), json!(http_methods(spec)));
    if !spec.headers.is_empty() {
        cors.insert("AllowHeaders".into(), json!(spec.headers));
    }
    if !spec.expose.is_empty() {
        cors.insert("ExposeHeaders".into(), json!(spec.expose));
    }
    if spec.credentials {
        cors.insert("AllowCredentials".into(), json!(true));
    }
    cors.insert("MaxAge".into(), json!(spec.max_age));
    Value::Object(cors)
}

/// The headers every answer carries (the Lambda's and the Gateway Responses').
fn headers(spec: &FixSpec) -> Vec<(&'static str, String)> {
    let mut out = vec![];
    if spec.credentials {
        out.push(("Access-Control-Allow-Credentials", "true".to_string()));
    }
    if !spec.expose.is_empty() {
        out.push(("Access-Control-Expose-Headers", spec.expose_list()));
    }
    out.push(("Vary", "Origin".to_string()));
    out
}

/// The preflight's own headers.
fn preflight_headers(spec: &FixSpec) -> Vec<(&'static str, String)> {
    let mut out = vec![("Access-Control-Allow-Methods", spec.methods_list())];
    if !spec.headers.is_empty() {
        out.push(("Access-Control-Allow-Headers", spec.headers_list()));
    }
    if spec.private_network {
        out.push(("Access-Control-Allow-Private-Network", "true".to_string()));
    }
    out.push(("Access-Control-Max-Age", spec.max_age.to_string()));
    out
}

fn gateway_responses(spec: &FixSpec) -> Value {
    let mut parameters = Map::new();
    let mut set = |name: &str, value: &str| {
        let quoted = format!("'{}'", value.replace('\'', ""));
        parameters.insert(format!("gatewayresponse.header.{name}"), json!(quoted));
    };
    set("Access-Control-Allow-Origin", spec.origin());
    for (name, value) in headers(spec) {
        set(name, &value);
    }
    let resource = |kind: &str| {
        json!({
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": {
                "RestApiId": { "Ref": "Api" },
                "ResponseType": kind,
                "ResponseParameters": Value::Object(parameters.clone()),
            }
        })
    };
    json!({ "Cors4xx": resource("DEFAULT_4XX"), "Cors5xx": resource("DEFAULT_5XX") })
}

fn lambda(spec: &FixSpec) -> String {
    let string = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let origins: Vec<String> = spec.origins.iter().map(|o| string(o)).collect();
    let mut lines: Vec<String> = preflight_headers(spec)
        .into_iter()
        .chain(headers(spec))
        .map(|(name, value)| format!("    {}: {},", string(name), string(&value)))
        .collect();
    lines.sort_by_key(|line| line.contains("\"Vary\""));
    format!(
        "import json, traceback\n\n\
         ALLOWED_ORIGINS = {{{}}}\n\
         CORS_HEADERS = {{\n{}\n}}\n\n\
         def with_cors(handler):  # put @with_cors above your handler\n    \
             def wrapped(event, context):\n        \
                 if event.get(\"httpMethod\") == \"OPTIONS\":\n            \
                     response = {{\"statusCode\": 204, \"body\": \"\"}}\n        \
                 else:\n            \
                     try:\n                \
                         response = handler(event, context)\n            \
                     except Exception:\n                \
                         traceback.print_exc()\n                \
                         response = {{\"statusCode\": 500, \"body\": json.dumps({{\"error\": \"internal\"}})}}\n        \
                 headers = {{k.lower(): v for k, v in (event.get(\"headers\") or {{}}).items()}}\n        \
                 origin = headers.get(\"origin\")\n        \
                 if origin in ALLOWED_ORIGINS:\n            \
                     response[\"headers\"] = {{**(response.get(\"headers\") or {{}}), **CORS_HEADERS,\n                                   \
                     \"Access-Control-Allow-Origin\": origin}}\n        \
                 return response\n    \
             return wrapped",
        origins.join(", "),
        lines.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FixSpec {
        FixSpec {
            origins: vec!["http://127.0.0.1:8080".into()],
            credentials: true,
            methods: vec!["GET".into(), "HEAD".into(), "POST".into(), "PUT".into()],
            headers: vec!["x-api-key".into()],
            expose: vec![],
            preflight: true,
            private_network: false,
            max_age: 600,
            api_origin: "https://x.execute-api.eu-west-1.amazonaws.com".into(),
            path: "/prod/items".into(),
            prefix: "/prod/".into(),
        }
    }

    fn parsed(spec: &FixSpec, index: usize) -> Value {
        let (_, parts) = write(spec, Pitfall::ErrorsWithoutHeaders);
        serde_json::from_str(&parts[index].code).unwrap()
    }

    #[test]
    fn http_api_allows_the_origin_with_credentials() {
        let cors = parsed(&spec(), 0);
        assert_eq!(cors["AllowOrigins"], json!(["http://127.0.0.1:8080"]));
        assert_eq!(cors["AllowCredentials"], json!(true));
        assert_eq!(cors["AllowMethods"], json!(["GET", "HEAD", "POST", "PUT"]));
        assert_eq!(cors["AllowHeaders"], json!(["x-api-key"]));
        assert!(!cors.to_string().contains('*'));
    }

    #[test]
    fn gateway_responses_cover_4xx_and_5xx_with_quoted_values() {
        let resources = parsed(&spec(), 1);
        for (name, kind) in [("Cors4xx", "DEFAULT_4XX"), ("Cors5xx", "DEFAULT_5XX")] {
            let props = &resources[name]["Properties"];
            assert_eq!(props["ResponseType"], kind);
            let params = &props["ResponseParameters"];
            assert_eq!(
                params["gatewayresponse.header.Access-Control-Allow-Origin"],
                "'http://127.0.0.1:8080'"
            );
            assert_eq!(
                params["gatewayresponse.header.Access-Control-Allow-Credentials"],
                "'true'"
            );
        }
    }

    #[test]
    fn the_lambda_echoes_listed_origins_and_answers_options() {
        let spec = FixSpec {
            origins: vec!["http://a.test".into(), "https://b.test".into()],
            ..spec()
        };
        let (_, parts) = write(&spec, Pitfall::NoCors);
        let code = &parts[2].code;
        assert!(code.contains("ALLOWED_ORIGINS = {\"http://a.test\", \"https://b.test\"}"));
        assert!(code.contains("\"Vary\": \"Origin\""));
        assert!(code.contains("\"Access-Control-Allow-Headers\": \"x-api-key\""));
        assert!(code.contains("\"Access-Control-Allow-Methods\": \"GET, HEAD, POST, PUT\""));
        assert!(code.contains("\"OPTIONS\""));
        assert!(code.contains("except Exception"));
        assert!(!code.contains("'*'") && !code.contains("\"*\""));
    }
}
