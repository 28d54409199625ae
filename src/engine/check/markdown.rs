//! The report as Markdown, to paste into a ticket or a chat.

use super::mask::mask_value;
use super::report::{whole, Report};

/// A short Markdown summary: the request, the ranked causes with their fixes, the probes. Secret
/// header values are masked (the report's own are already; this holds for any report).
pub fn report_markdown(report: &Report) -> String {
    let request = &report.request;
    let mut out = format!(
        "### CORS Doctor: `{} {}`\n\nFrom `{}` (app origin `{}`), credentials {}.\n",
        request.method, request.url, report.page_origin, report.app_origin, request.credentials
    );
    if let Some(recognised) = &report.recognised {
        out.push_str(&format!(
            "\nFrom evidence ({}): {recognised}\n",
            report.source.as_str()
        ));
    }
    if !request.headers.is_empty() {
        out.push_str("\nRequest headers:\n");
        for (name, value) in &request.headers {
            out.push_str(&format!("- `{name}: {}`\n", mask_value(name, value)));
        }
    }
    out.push_str("\n#### Likely causes\n\n");
    if report.causes.is_empty() {
        out.push_str("None named: the check was cancelled.\n");
    }
    for (rank, cause) in report.causes.iter().enumerate() {
        out.push_str(&format!(
            "{}. **`{}`** ({}% sure): {}\n",
            rank + 1,
            cause.code,
            whole(cause.confidence * 100.0),
            cause.summary
        ));
        for sentence in &cause.evidence {
            out.push_str(&format!("   - {sentence}\n"));
        }
        if !cause.fix.is_empty() {
            out.push_str(&format!("   - Fix: {}\n", cause.fix));
        }
        if let Some(headers) = &cause.fix_headers {
            let block = |title: &str, list: &[(String, String)]| {
                let lines: Vec<String> = list.iter().map(|(n, v)| format!("   {n}: {v}")).collect();
                format!(
                    "   - {title}:\n\n   ```http\n{}\n   ```\n",
                    lines.join("\n")
                )
            };
            if let Some(preflight) = &headers.preflight {
                out.push_str(&block("On the OPTIONS preflight response", preflight));
            }
            out.push_str(&block("On the actual response", &headers.actual));
        }
    }
    if !report.har.is_empty() {
        out.push_str("\n#### Requests in the HAR\n\n| request | verdict | status | alike |\n| --- | --- | --- | --- |\n");
        for entry in &report.har {
            out.push_str(&format!(
                "| `{} {}` | `{}` | {} | {} |\n",
                entry.method, entry.url, entry.code, entry.status, entry.group_size
            ));
        }
    }
    if !report.probes.is_empty() {
        out.push_str("\n#### Requests the page sent\n\n| probe | request | outcome | status | time |\n| --- | --- | --- | --- | --- |\n");
        for probe in &report.probes {
            out.push_str(&format!(
                "| {} | `{} {}` ({}) | {} | {} | {} |\n",
                probe.name,
                probe.method,
                probe.url,
                probe.mode,
                probe.outcome.as_str(),
                probe
                    .status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "—".into()),
                probe
                    .duration_ms
                    .map(|d| format!("{} ms", whole(d)))
                    .unwrap_or_default()
            ));
        }
    }
    if !report.curl.is_empty() {
        out.push_str("\n#### Confirm with curl\n\n```sh\n");
        out.push_str(&report.curl.join("\n"));
        out.push_str("\n```\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::check::diagnosis::{form_problems_report, report, CheckContext};
    use crate::engine::check::form::{parse_form, FormInput};

    const PAGE: &str = "http://127.0.0.1:8080";

    fn exports(form: &FormInput) -> (String, String) {
        let report = match parse_form(form, PAGE) {
            Ok(parsed) => report(
                &CheckContext {
                    page_origin: PAGE.into(),
                    form: parsed,
                },
                &[],
                &[],
            ),
            Err(problems) => form_problems_report(PAGE, form, &problems),
        };
        let json = serde_json::to_string(&report).unwrap_or_default();
        (json, report_markdown(&report))
    }

    #[test]
    fn exports_never_carry_secrets() {
        let cases = [
            // Sent as typed, listed masked (the request summary and the curl commands).
            (
                "http://127.0.0.1:9090/x",
                "Authorization: Bearer s3cr3t\nX-Api-Key: k-s3cr3t-key",
            ),
            // A value fetch() refuses: the finding quotes it, the scrub masks it.
            (
                "http://127.0.0.1:9090/x",
                "Authorization: Bearer s3cr3t\u{2603}",
            ),
            // A line without a colon: the form problem quotes it.
            ("http://127.0.0.1:9090/x", "Authorization Bearer s3cr3t"),
            // A password in the URL.
            ("http://me:s3cr3t@127.0.0.1:9090/x", "Cookie: sid=s3cr3t"),
        ];
        for (url, headers) in cases {
            let form = FormInput {
                url: url.into(),
                method: "PUT".into(),
                headers: headers.into(),
                ..FormInput::default()
            };
            let (json, markdown) = exports(&form);
            assert!(!json.contains("s3cr3t"), "{headers}: {json}");
            assert!(!markdown.contains("s3cr3t"), "{headers}: {markdown}");
            assert!(json.contains(MASK_JSON) || json.contains("••••"), "{json}");
        }
        let (json, markdown) = exports(&FormInput {
            url: "http://127.0.0.1:9090/x".into(),
            headers: "Authorization: Bearer s3cr3t".into(),
            ..FormInput::default()
        });
        assert!(json.contains("Bearer ••••"), "{json}");
        assert!(
            markdown.contains("`Authorization: Bearer ••••`"),
            "{markdown}"
        );
        assert!(
            markdown.contains("'Authorization: Bearer ••••'"),
            "{markdown}"
        );
    }

    /// `••••` as a URL holds it.
    const MASK_JSON: &str = "%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2";
}
