//! The one `check` helper and its tiny DSL, so a case is one table row:
//! `(name, request, answers, expected)`.
//!
//! * request: `[flags] METHOD URL [| Name: value]…`; flags: `include`, `omit`, `no-cors`,
//!   `same-origin-mode`, `manual`, `error`, `from=<page origin>`, `body=<text>`; `{api}` is
//!   [`API`], `{page}` is [`PAGE`].
//! * answers: hops separated by ` >> `; a hop is `[OPTIONS <status> [| header]… ;] <status> [| header]…`.
//!   Header shorthands: `ACAO ACAC ACAM ACAH ACEH ACMA ACAPN`; `{origin}` is the page origin.
//!   `-` means "no answers: look at `check_request` only".
//! * expected: `code [key=value]…`; keys are matched against the finding's params, except
//!   `preflight=0|1` (trace), `acrh=<value|none>` (request), and for `ok`: `status`, `exposed`
//!   (comma list, `none` for empty), `url`, `redirected`.

use cors_doctor::engine::fetch::*;

pub const PAGE: &str = "http://127.0.0.1:8080";
pub const API: &str = "http://127.0.0.1:9090/api";

fn expand(s: &str, origin: &str) -> String {
    s.replace("{api}", API)
        .replace("{page}", PAGE)
        .replace("{origin}", origin)
}

fn header(h: &str) -> (String, String) {
    let (n, v) = h.split_once(':').unwrap_or((h, ""));
    let n = n.trim();
    let full = match n {
        "ACAO" => "Access-Control-Allow-Origin",
        "ACAC" => "Access-Control-Allow-Credentials",
        "ACAM" => "Access-Control-Allow-Methods",
        "ACAH" => "Access-Control-Allow-Headers",
        "ACEH" => "Access-Control-Expose-Headers",
        "ACMA" => "Access-Control-Max-Age",
        "ACAPN" => "Access-Control-Allow-Private-Network",
        other => other,
    };
    // One space after the colon belongs to the DSL; the rest is the value as sent.
    (
        full.to_string(),
        v.strip_prefix(' ').unwrap_or(v).to_string(),
    )
}

pub fn request(spec: &str) -> Request {
    let mut parts = spec.split(" | ");
    let head = parts.next().unwrap_or("");
    let mut page = PAGE.to_string();
    let mut words: Vec<&str> = Vec::new();
    let mut flags: Vec<&str> = Vec::new();
    let mut body = None;
    for w in head.split(' ').filter(|w| !w.is_empty()) {
        if let Some(o) = w.strip_prefix("from=") {
            page = o.to_string();
        } else if let Some(b) = w.strip_prefix("body=") {
            body = Some(b.to_string());
        } else if words.is_empty()
            && [
                "include",
                "omit",
                "no-cors",
                "same-origin-mode",
                "manual",
                "error",
            ]
            .contains(&w)
        {
            flags.push(w);
        } else {
            words.push(w);
        }
    }
    let method = words.first().copied().unwrap_or("GET");
    let url = expand(words.get(1).copied().unwrap_or("{api}"), &page);
    let mut r = Request::new(&page, &url, method);
    for f in flags {
        r = match f {
            "include" => r.credentials(CredentialsMode::Include),
            "omit" => r.credentials(CredentialsMode::Omit),
            "no-cors" => r.mode(RequestMode::NoCors),
            "same-origin-mode" => r.mode(RequestMode::SameOrigin),
            "manual" => r.redirect(RedirectMode::Manual),
            "error" => r.redirect(RedirectMode::Error),
            _ => r,
        };
    }
    if let Some(b) = body {
        r = r.body(&b);
    }
    for h in parts {
        let (n, v) = header(h);
        r = r.header(&n, &v);
    }
    r
}

fn response(spec: &str, origin: &str) -> ServerResponse {
    let mut parts = spec.trim().split(" | ");
    let status = parts
        .next()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| panic!("bad status in {spec:?}"));
    let headers = parts.map(|h| header(&expand(h, origin))).collect();
    ServerResponse { status, headers }
}

pub fn answers(spec: &str, origin: &str) -> ServerAnswers {
    let hops = spec
        .split(" >> ")
        .map(|hop| {
            let (pf, actual) = match hop.trim().strip_prefix("OPTIONS ") {
                Some(rest) => {
                    let (pf, actual) = rest
                        .split_once(" ; ")
                        .unwrap_or_else(|| panic!("hop {hop:?} needs `OPTIONS … ; …`"));
                    (Some(response(pf, origin)), actual)
                }
                None => (None, hop),
            };
            Hop {
                preflight: pf,
                response: response(actual, origin),
            }
        })
        .collect();
    ServerAnswers { hops }
}

/// Runs one case; `Err` explains the difference.
pub fn check(req_spec: &str, answers_spec: &str, expected: &str) -> Result<(), String> {
    let req = request(req_spec);
    let mut exp = expected.split(' ').filter(|w| !w.is_empty());
    let want_code = exp.next().unwrap_or("ok");
    let want: Vec<(&str, &str)> = exp
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
        .collect();

    if answers_spec == "-" {
        let findings = check_request(&req);
        let Some(f) = findings.iter().find(|f| f.code.as_str() == want_code) else {
            let got: Vec<String> = findings.iter().map(|f| f.code.as_str()).collect();
            return Err(format!("check_request: want {want_code}, got {got:?}"));
        };
        return match_params(f, &want, None, &req);
    }

    let origin = req.page_origin.clone();
    let trace = simulate(&req, &answers(answers_spec, &origin));
    let got = trace.verdict.code().as_str();
    if got != want_code {
        let why = trace
            .verdict
            .finding()
            .map(|f| f.message.clone())
            .unwrap_or_default();
        return Err(format!("want {want_code}, got {got} ({why})"));
    }
    if let Some(f) = trace.verdict.finding() {
        if f.message.is_empty() {
            return Err("empty message".into());
        }
        return match_params(f, &want, Some(&trace), &req);
    }
    let Verdict::Delivered {
        status,
        final_url,
        exposed_headers,
        redirected,
        ..
    } = &trace.verdict
    else {
        return Err("not delivered".into());
    };
    for (k, v) in &want {
        let ok = match *k {
            "status" => status.to_string() == *v,
            "url" => final_url == v,
            "redirected" => redirected.to_string() == *v,
            "exposed" => {
                let list = if *v == "none" {
                    String::new()
                } else {
                    v.to_string()
                };
                exposed_headers.join(",") == list
            }
            _ => common(k, v, &trace, &req)?,
        };
        if !ok {
            return Err(format!("{k}: want {v}, got {:?}", trace.verdict));
        }
    }
    Ok(())
}

fn common(k: &str, v: &str, trace: &Trace, req: &Request) -> Result<bool, String> {
    Ok(match k {
        "preflight" => (trace.preflight_sent as u8).to_string() == v,
        "acrh" => access_control_request_headers(req).unwrap_or_else(|| "none".into()) == v,
        other => return Err(format!("unknown expectation key {other}")),
    })
}

fn match_params(
    f: &Finding,
    want: &[(&str, &str)],
    trace: Option<&Trace>,
    req: &Request,
) -> Result<(), String> {
    for (k, v) in want {
        let ok = match (*k, trace) {
            ("preflight" | "acrh", Some(t)) => common(k, v, t, req)?,
            _ => f.param(k) == Some(*v),
        };
        if !ok {
            return Err(format!("{k}: want {v:?}, finding {:?}", f));
        }
    }
    Ok(())
}

/// Runs a table and reports every failing row at once.
pub fn run(table: &[(&str, &str, &str, &str)]) {
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(name, req, ans, exp)| {
            check(req, ans, exp).err().map(|e| format!("{name}: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}
