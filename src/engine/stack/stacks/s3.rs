//! S3 bucket CORS configuration: one JSON document (`CORSRules`), the input of
//! `aws s3api put-bucket-cors`. S3 echoes a listed origin with `Allow-Credentials: true` and
//! `Vary: Origin` by itself; it allows only five methods.

use serde_json::{json, Map, Value};

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

/// The only methods a CORS rule of S3 accepts.
const S3_METHODS: [&str; 5] = ["GET", "PUT", "POST", "DELETE", "HEAD"];

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let mut text = pitfall_text(pitfall).to_string();
    let refused: Vec<&str> = spec
        .methods
        .iter()
        .map(String::as_str)
        .filter(|m| !S3_METHODS.contains(m))
        .collect();
    if !refused.is_empty() {
        text.push_str(&format!(
            " S3 cannot allow {}: its CORS rules take only GET, PUT, POST, DELETE and HEAD.",
            refused.join(", ")
        ));
    }
    text.push_str(" Apply it with `aws s3api put-bucket-cors --bucket BUCKET --cors-configuration file://cors.json` (it replaces the bucket's rules).");
    let part = Part {
        slot: Slot::Settings,
        place: "cors.json, for aws s3api put-bucket-cors (the console's CORS editor takes the list inside CORSRules)".into(),
        code: configuration(spec),
    };
    (text, vec![part])
}

fn pitfall_text(pitfall: Pitfall) -> &'static str {
    match pitfall {
        Pitfall::NoCors => "The bucket has no CORS configuration, or no rule matches this origin and method, so S3 answers without CORS headers.",
        Pitfall::PreflightRefused => "S3 answers a preflight that matches no rule with 403 (\"CORSResponse: This CORS request is not allowed\"): a rule must list the origin, the method and every request header.",
        Pitfall::ErrorsWithoutHeaders => "S3 adds CORS headers to its errors (403, 404) only when a rule matches the request; behind CloudFront the Origin header must also be forwarded to the bucket.",
        Pitfall::ListIncomplete => "AllowedHeaders must name every header the request sends, and AllowedMethods its method.",
        Pitfall::Credentials => "With \"*\" in AllowedOrigins S3 answers `*`, which a request with credentials refuses; list the exact origin and S3 echoes it with Allow-Credentials: true.",
        Pitfall::WrongOrigin => "AllowedOrigins is compared with the Origin header exactly (scheme, host, port, no trailing slash): list the app's origin.",
        Pitfall::Doubled => "CloudFront (a response headers policy) or a proxy in front of the bucket adds Access-Control-Allow-Origin too: keep one of them, the bucket's rules or the policy.",
        Pitfall::Redirect => "A preflight may not follow a redirect: call the bucket's regional endpoint, not a website endpoint or a host that redirects.",
        Pitfall::NotExposed => "The browser hides response headers (ETag, x-amz-*) that ExposeHeaders does not list.",
        Pitfall::PrivateNetwork => "S3 has no setting for the private-network preflight (Access-Control-Allow-Private-Network); a proxy in front has to add it.",
    }
}

/// `{"CORSRules": [rule]}`, pretty-printed.
fn configuration(spec: &FixSpec) -> String {
    let mut rule = Map::new();
    rule.insert("AllowedOrigins".into(), json!(spec.origins));
    let methods: Vec<&str> = spec
        .methods
        .iter()
        .map(String::as_str)
        .filter(|m| S3_METHODS.contains(m))
        .collect();
    rule.insert("AllowedMethods".into(), json!(methods));
    if !spec.headers.is_empty() {
        rule.insert("AllowedHeaders".into(), json!(spec.headers));
    }
    if !spec.expose.is_empty() {
        rule.insert("ExposeHeaders".into(), json!(spec.expose));
    }
    rule.insert("MaxAgeSeconds".into(), json!(spec.max_age));
    let document = json!({ "CORSRules": [Value::Object(rule)] });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FixSpec {
        FixSpec {
            origins: vec!["http://127.0.0.1:8080".into()],
            credentials: true,
            methods: vec!["GET".into(), "HEAD".into(), "POST".into()],
            headers: vec![],
            expose: vec![],
            preflight: false,
            private_network: false,
            max_age: 600,
            api_origin: "https://b.s3.amazonaws.com".into(),
            path: "/k".into(),
            prefix: "/".into(),
        }
    }

    fn rule(spec: &FixSpec) -> Value {
        let (_, parts) = write(spec, Pitfall::NoCors);
        assert_eq!(parts.len(), 1, "one JSON document");
        let doc: Value = serde_json::from_str(&parts[0].code).unwrap();
        doc["CORSRules"][0].clone()
    }

    #[test]
    fn credentials_list_the_exact_origin() {
        let rule = rule(&spec());
        assert_eq!(rule["AllowedOrigins"], json!(["http://127.0.0.1:8080"]));
        assert!(!rule.to_string().contains('*'));
    }

    #[test]
    fn allow_list_and_lists() {
        let spec = FixSpec {
            origins: vec!["http://a.test".into(), "https://b.test".into()],
            headers: vec!["x-api-key".into()],
            expose: vec!["etag".into()],
            methods: vec!["GET".into(), "HEAD".into(), "POST".into(), "PUT".into()],
            ..spec()
        };
        let rule = rule(&spec);
        assert_eq!(
            rule["AllowedOrigins"],
            json!(["http://a.test", "https://b.test"])
        );
        assert_eq!(
            rule["AllowedMethods"],
            json!(["GET", "HEAD", "POST", "PUT"])
        );
        assert_eq!(rule["AllowedHeaders"], json!(["x-api-key"]));
        assert_eq!(rule["ExposeHeaders"], json!(["etag"]));
        assert_eq!(rule["MaxAgeSeconds"], json!(600));
    }

    #[test]
    fn methods_s3_refuses_are_left_out_and_named() {
        let spec = FixSpec {
            methods: vec!["GET".into(), "HEAD".into(), "POST".into(), "PATCH".into()],
            ..spec()
        };
        let (text, _) = write(&spec, Pitfall::ListIncomplete);
        assert_eq!(
            rule(&spec)["AllowedMethods"],
            json!(["GET", "HEAD", "POST"])
        );
        assert!(text.contains("cannot allow PATCH"), "{text}");
        let (plain, _) = write(&self::spec(), Pitfall::ListIncomplete);
        assert!(!plain.contains("cannot allow"));
    }

    #[test]
    fn the_text_is_json_for_odd_origins() {
        let spec = FixSpec {
            origins: vec!["http://x\".test".into()],
            ..spec()
        };
        assert_eq!(rule(&spec)["AllowedOrigins"][0], "http://x\".test");
    }
}
