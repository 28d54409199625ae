//! Header lists: the form's header textarea (`parse_header_lines`), the request-header rules
//! (forbidden names, safelisting, `Access-Control-Request-Headers`), and the response lists the
//! Fetch rules parse (`Access-Control-Allow-Origin` / `-Credentials` / `-Methods` / `-Headers` /
//! `-Max-Age` / `-Expose-Headers`, `Location`) as raw lines on a preflight and a response, run
//! through the simulator in both browsers, then the exposure and fix rules.
//!
//! Fields (split on U+001E): the request's header text, its method, the preflight's header
//! lines, the response's header lines, the response header names the code reads, flags
//! (`c`: credentials included, `r`: the response redirects to another origin).
#![no_main]

mod common;

use cors_doctor::engine::check::form::{parse_header_lines, parse_name_list};
use cors_doctor::engine::fetch::{
    access_control_request_headers, cors_unsafe_header_names, exposed_header_names, fix_headers,
    is_forbidden_request_name, is_safelisted_method, missing_exposed_headers, needs_preflight,
    normalize_method, simulate_in, Browser, CredentialsMode, Hop, Request, ServerAnswers,
    ServerResponse,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [header_text, method, preflight, response, want, flags] = common::fields::<6>(data);
    let headers = parse_header_lines(&header_text, &mut Vec::new());
    let mut request = Request::new(
        "https://app.example.com",
        "https://api.example.com/items",
        &method,
    );
    if flags.contains('c') {
        request = request.credentials(CredentialsMode::Include);
    }
    for (name, value) in &headers {
        let _ = is_forbidden_request_name(name);
        request = request.header(name, value);
    }
    let _ = normalize_method(&method);
    let _ = is_safelisted_method(&method);
    let _ = needs_preflight(&request);
    let _ = cors_unsafe_header_names(&request);
    let _ = access_control_request_headers(&request);

    let preflight = ServerResponse {
        status: 204,
        headers: common::raw_header_lines(&preflight),
    };
    let mut response = ServerResponse {
        status: 200,
        headers: common::raw_header_lines(&response),
    };
    let mut hops = Vec::new();
    if flags.contains('r') {
        let mut redirect = response.clone();
        redirect.status = 307;
        redirect
            .headers
            .push(("Location".into(), "https://other.example.com/items".into()));
        hops.push(Hop::new(Some(preflight.clone()), redirect));
        response.headers.push(("X-Hop".into(), "2".into()));
    }
    hops.push(Hop::new(Some(preflight), response.clone()));
    let answers = ServerAnswers { hops };
    for browser in [Browser::Spec, Browser::Chromium] {
        let trace = simulate_in(browser, &request, &answers);
        let _ = trace.verdict.code();
        for step in &trace.steps {
            let _ = step.text();
        }
    }

    let wanted = parse_name_list(&want);
    let exposed = exposed_header_names(&request, &response);
    let _ = missing_exposed_headers(&wanted, &exposed);
    let fix = fix_headers(&request, &wanted);
    let _ = (fix.preflight, fix.actual);
});
