//! Documented configuration schemas of the stacks the suite cannot run: the S3 bucket CORS
//! configuration and API Gateway's (an HTTP API's CorsConfiguration, a REST API's Gateway
//! Responses) that the writers emit must parse into typed structs that follow the documentation
//! (field names, types, allowed values; `deny_unknown_fields`), and must allow what the request
//! needs, for FixSpecs made by hand and read from real reports.

use std::collections::BTreeMap;

use cors_doctor::engine::check::form::FormInput;
use cors_doctor::engine::evidence::analyse;
use cors_doctor::engine::stack::{snippet_for, write, FixSpec, Pitfall, Slot, Snippet, Stack};
use serde::Deserialize;

// S3: PutBucketCors's CORSConfiguration as JSON (`aws s3api put-bucket-cors`): CORSRules, 1 to
// 100 rules; a rule has AllowedOrigins and AllowedMethods (required), AllowedHeaders,
// ExposeHeaders, MaxAgeSeconds (integer), ID (up to 255 characters).

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct S3Configuration {
    #[serde(rename = "CORSRules")]
    cors_rules: Vec<S3Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct S3Rule {
    #[serde(rename = "ID")]
    id: Option<String>,
    allowed_headers: Option<Vec<String>>,
    allowed_methods: Vec<S3Method>,
    allowed_origins: Vec<String>,
    expose_headers: Option<Vec<String>>,
    max_age_seconds: Option<u32>,
}

/// The only methods S3's CORS rules accept.
#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "UPPERCASE")]
enum S3Method {
    Get,
    Put,
    Post,
    Delete,
    Head,
}

// API Gateway v2 (HTTP API): the Cors object of CreateApi/UpdateApi and of CloudFormation's
// CorsConfiguration; MaxAge from -1 to 86400.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct HttpApiCors {
    allow_credentials: Option<bool>,
    allow_headers: Option<Vec<String>>,
    allow_methods: Option<Vec<HttpApiMethod>>,
    allow_origins: Option<Vec<String>>,
    expose_headers: Option<Vec<String>>,
    max_age: Option<i64>,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
enum HttpApiMethod {
    #[serde(rename = "*")]
    Any,
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "PATCH")]
    Patch,
    #[serde(rename = "DELETE")]
    Delete,
    #[serde(rename = "HEAD")]
    Head,
    #[serde(rename = "OPTIONS")]
    Options,
}

// API Gateway v1 (REST API): CloudFormation's AWS::ApiGateway::GatewayResponse.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct Resource {
    #[serde(rename = "Type")]
    kind: ResourceType,
    properties: GatewayResponse,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
enum ResourceType {
    #[serde(rename = "AWS::ApiGateway::GatewayResponse")]
    GatewayResponse,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct GatewayResponse {
    rest_api_id: serde_json::Value,
    response_type: ResponseType,
    response_parameters: Option<BTreeMap<String, String>>,
    response_templates: Option<BTreeMap<String, String>>,
    status_code: Option<String>,
}

/// The documented gateway response types.
#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum ResponseType {
    #[serde(rename = "DEFAULT_4XX")]
    Default4xx,
    #[serde(rename = "DEFAULT_5XX")]
    Default5xx,
    AccessDenied,
    ApiConfigurationError,
    AuthorizerFailure,
    AuthorizerConfigurationError,
    BadRequestParameters,
    BadRequestBody,
    ExpiredToken,
    IntegrationFailure,
    IntegrationTimeout,
    InvalidApiKey,
    InvalidSignature,
    MissingAuthenticationToken,
    QuotaExceeded,
    RequestTooLarge,
    ResourceNotFound,
    Throttled,
    Unauthorized,
    UnsupportedMediaType,
    WafFiltered,
}

fn spec(origins: &[&str], credentials: bool, methods: &[&str], headers: &[&str]) -> FixSpec {
    FixSpec {
        origins: origins.iter().map(|o| o.to_string()).collect(),
        credentials,
        methods: methods.iter().map(|m| m.to_string()).collect(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        expose: vec!["etag".into(), "x-total".into()],
        preflight: !headers.is_empty() || methods.len() > 3,
        private_network: false,
        max_age: 600,
        api_origin: "https://api.example.com".into(),
        path: "/api/items".into(),
        prefix: "/api/".into(),
    }
}

const CONSOLE: [&str; 3] = [
    "Access to fetch at 'http://127.0.0.1:8000/api/items/7' from origin 'http://localhost:5173' \
     has been blocked by CORS policy: Request header field x-api-key is not allowed by \
     Access-Control-Allow-Headers in preflight response.",
    "Access to fetch at 'http://127.0.0.1:8000/api/items' from origin 'http://localhost:5173' has \
     been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the \
     response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    "Access to fetch at 'https://bucket.s3.amazonaws.com/a.json' from origin 'https://app.example.com' \
     has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the \
     requested resource.",
];

/// Hand-made specs and specs read from real reports (console messages), with their pitfalls.
fn cases() -> Vec<(FixSpec, Pitfall)> {
    let mut out = vec![
        (
            spec(
                &["http://127.0.0.1:8080"],
                false,
                &["GET", "HEAD", "POST"],
                &[],
            ),
            Pitfall::NoCors,
        ),
        (
            spec(
                &["http://localhost:5173", "https://admin.example.com"],
                true,
                &["GET", "HEAD", "POST", "PUT", "DELETE"],
                &["authorization", "x-api-key"],
            ),
            Pitfall::Credentials,
        ),
        (
            spec(
                &["https://app.example.com"],
                true,
                &["GET", "HEAD", "POST", "PATCH", "PROPFIND"],
                &["content-type"],
            ),
            Pitfall::ListIncomplete,
        ),
    ];
    for (index, message) in CONSOLE.iter().enumerate() {
        let form = FormInput {
            app_origin: if index == 1 {
                "http://localhost:5173 https://app.example.com".into()
            } else {
                String::new()
            },
            ..FormInput::default()
        };
        let report = analyse(message, &form, "https://cors-doctor.example")
            .report
            .unwrap_or_else(|| panic!("no report for {message}"));
        let top = &report.causes[0];
        let spec = FixSpec::new(&report, top).unwrap_or_else(|| panic!("no fix for {message}"));
        let snippet = snippet_for(&report, top, Stack::S3).expect("an S3 snippet");
        assert_eq!(snippet, write(&spec, Pitfall::of(top.code), Stack::S3));
        out.push((spec, Pitfall::of(top.code)));
    }
    out
}

fn s3_rules(snippet: &Snippet) -> Vec<S3Rule> {
    let text = snippet.text();
    let config: S3Configuration = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("S3's snippet text is not its schema: {e}\n{text}"));
    config.cors_rules
}

#[test]
fn s3_configuration_follows_the_documented_schema() {
    for (spec, pitfall) in cases() {
        let snippet = write(&spec, pitfall, Stack::S3);
        let rules = s3_rules(&snippet);
        assert!((1..=100).contains(&rules.len()));
        let rule = &rules[0];
        assert!(rule.id.as_ref().is_none_or(|id| id.len() <= 255));
        assert_eq!(rule.allowed_origins, spec.origins, "{spec:?}");
        for origin in &rule.allowed_origins {
            assert!(origin.matches('*').count() <= 1, "{origin}");
            if spec.credentials {
                assert_ne!(origin, "*", "credentials need the exact origin");
            }
        }
        for method in &spec.methods {
            let typed: Result<S3Method, _> = serde_json::from_value(serde_json::json!(method));
            match typed {
                Ok(m) => assert!(rule.allowed_methods.contains(&m), "{method} missing"),
                Err(_) => assert!(
                    snippet
                        .pitfall_text
                        .contains(&format!("cannot allow {method}"))
                        || snippet.pitfall_text.contains(&format!(", {method}")),
                    "{method} is not an S3 method and the text does not say so: {}",
                    snippet.pitfall_text
                ),
            }
        }
        let allowed = rule.allowed_headers.clone().unwrap_or_default();
        for header in &spec.headers {
            assert!(
                allowed.iter().any(|a| a.eq_ignore_ascii_case(header)),
                "{header}"
            );
        }
        assert_eq!(rule.expose_headers.clone().unwrap_or_default(), spec.expose);
        assert_eq!(rule.max_age_seconds, Some(spec.max_age));
    }
}

#[test]
fn s3_names_every_method_it_cannot_allow() {
    let spec = spec(
        &["https://app.example.com"],
        false,
        &["GET", "HEAD", "POST", "PATCH", "OPTIONS"],
        &[],
    );
    let snippet = write(&spec, Pitfall::ListIncomplete, Stack::S3);
    assert!(
        snippet.pitfall_text.contains("cannot allow PATCH, OPTIONS"),
        "{}",
        snippet.pitfall_text
    );
    let methods = &s3_rules(&snippet)[0].allowed_methods;
    assert_eq!(methods, &[S3Method::Get, S3Method::Head, S3Method::Post]);
}

/// The parts of API Gateway's snippet: HTTP API CORS, REST API Gateway Responses, the Lambda.
fn api_gateway(
    spec: &FixSpec,
    pitfall: Pitfall,
) -> (HttpApiCors, BTreeMap<String, Resource>, String) {
    let snippet = write(spec, pitfall, Stack::AwsApiGateway);
    assert_eq!(snippet.parts.len(), 3);
    let json: Vec<&str> = snippet
        .parts
        .iter()
        .filter(|p| p.slot == Slot::Settings)
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(json.len(), 2);
    let cors: HttpApiCors = serde_json::from_str(json[0])
        .unwrap_or_else(|e| panic!("HTTP API CORS is not its schema: {e}\n{}", json[0]));
    let responses: BTreeMap<String, Resource> = serde_json::from_str(json[1])
        .unwrap_or_else(|e| panic!("Gateway Responses are not their schema: {e}\n{}", json[1]));
    let lambda = snippet
        .parts
        .iter()
        .find(|p| p.slot == Slot::Top)
        .map(|p| p.code.clone())
        .unwrap_or_default();
    // The text is what the page shows: each part under `#` comment lines.
    let text = snippet.text();
    for part in &snippet.parts {
        assert!(text.contains(&part.code));
        for line in part.place.lines() {
            assert!(text.contains(&format!("# {line}\n")), "{line}");
        }
    }
    (cors, responses, lambda)
}

#[test]
fn http_api_cors_configuration_follows_the_documented_schema() {
    for (spec, pitfall) in cases() {
        let (cors, _, _) = api_gateway(&spec, pitfall);
        let origins = cors.allow_origins.unwrap_or_default();
        assert_eq!(origins, spec.origins);
        assert_eq!(cors.allow_credentials.unwrap_or(false), spec.credentials);
        if spec.credentials {
            assert!(!origins.iter().any(|o| o == "*"));
        }
        let methods = cors.allow_methods.unwrap_or_default();
        assert!(!methods.contains(&HttpApiMethod::Any));
        for method in &spec.methods {
            if let Ok(m) = serde_json::from_value::<HttpApiMethod>(serde_json::json!(method)) {
                assert!(methods.contains(&m), "{method}");
            }
        }
        let headers = cors.allow_headers.unwrap_or_default();
        for header in &spec.headers {
            assert!(headers.contains(header), "{header}");
        }
        assert_eq!(cors.expose_headers.unwrap_or_default(), spec.expose);
        let max_age = cors.max_age.expect("a max age");
        assert!((-1..=86_400).contains(&max_age));
    }
}

#[test]
fn rest_api_gateway_responses_follow_the_documented_schema() {
    for (spec, pitfall) in cases() {
        let (_, responses, _) = api_gateway(&spec, pitfall);
        let mut kinds: Vec<ResponseType> = Vec::new();
        for resource in responses.values() {
            assert_eq!(resource.kind, ResourceType::GatewayResponse);
            let response = &resource.properties;
            assert!(response.rest_api_id.is_object() || response.rest_api_id.is_string());
            assert!(response.response_templates.is_none() && response.status_code.is_none());
            kinds.push(response.response_type);
            let parameters = response.response_parameters.clone().unwrap_or_default();
            for (key, value) in &parameters {
                let name = key
                    .strip_prefix("gatewayresponse.header.")
                    .unwrap_or_else(|| panic!("not a response header mapping: {key}"));
                assert!(
                    !name.is_empty()
                        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                );
                // A static value is a single-quoted string.
                assert!(
                    value.len() >= 2 && value.starts_with('\'') && value.ends_with('\''),
                    "{value}"
                );
            }
            let header = |name: &str| {
                parameters
                    .get(&format!("gatewayresponse.header.{name}"))
                    .cloned()
            };
            assert_eq!(
                header("Access-Control-Allow-Origin"),
                Some(format!("'{}'", spec.origin()))
            );
            assert_ne!(
                header("Access-Control-Allow-Origin").as_deref(),
                Some("'*'")
            );
            assert_eq!(
                header("Access-Control-Allow-Credentials"),
                spec.credentials.then(|| "'true'".to_string())
            );
            assert_eq!(header("Vary"), Some("'Origin'".to_string()));
        }
        kinds.sort();
        assert_eq!(kinds, [ResponseType::Default4xx, ResponseType::Default5xx]);
    }
}

#[test]
fn the_lambda_returns_the_headers_on_every_answer() {
    for (spec, pitfall) in cases() {
        let (_, _, lambda) = api_gateway(&spec, pitfall);
        for origin in &spec.origins {
            assert!(lambda.contains(&format!("\"{origin}\"")), "{origin}");
        }
        assert!(lambda.contains(&format!(
            "\"Access-Control-Allow-Methods\": \"{}\"",
            spec.methods_list()
        )));
        if !spec.headers.is_empty() {
            assert!(lambda.contains(&format!(
                "\"Access-Control-Allow-Headers\": \"{}\"",
                spec.headers_list()
            )));
        }
        assert_eq!(
            lambda.contains("\"Access-Control-Allow-Credentials\": \"true\""),
            spec.credentials
        );
        assert!(lambda.contains("\"OPTIONS\"") && lambda.contains("except Exception"));
    }
}

#[test]
fn every_written_stack_names_the_origin_and_never_a_wildcard_with_credentials() {
    for stack in [
        Stack::Axum,
        Stack::Actix,
        Stack::Spring,
        Stack::Aspnet,
        Stack::AwsApiGateway,
        Stack::S3,
    ] {
        for (spec, pitfall) in cases() {
            let snippet = write(&spec, pitfall, stack);
            let text = snippet.text();
            for origin in &spec.origins {
                assert!(
                    text.contains(origin.as_str()),
                    "{stack:?}: {origin} missing\n{text}"
                );
            }
            for header in &spec.headers {
                assert!(
                    text.contains(header.as_str()),
                    "{stack:?}: {header} missing\n{text}"
                );
            }
            if spec.credentials {
                assert!(
                    !text.contains("\"*\"") && !text.contains("'*'"),
                    "{stack:?}\n{text}"
                );
            }
            assert!(!snippet.pitfall_text.is_empty());
        }
    }
}
