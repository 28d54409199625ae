//! The server view: a request copied from DevTools (Chromium's "Copy as fetch", "Copy as fetch
//! (Node.js)", "Copy as cURL (bash)" and "(cmd)", Firefox's "Copy as cURL" and "Copy as Fetch")
//! or from the page's own `curl` commands, read back into the form.
//!
//! The samples are written exactly as the browsers write them (escaping per devtools-frontend's
//! `NetworkLogView.ts` and Firefox's `devtools/client/shared/curl.js`). Proptest: 2,000 cases of
//! arbitrary strings and 2,000 of mutated samples never panic.

use cors_doctor::engine::evidence::import::{parse, ImportKind, Imported};
use proptest::prelude::*;

/// One sample and everything it must fill in.
struct Row {
    name: &'static str,
    input: &'static str,
    kind: ImportKind,
    url: &'static str,
    method: &'static str,
    /// The form's header lines, in order.
    headers: &'static [&'static str],
    body: &'static str,
    credentials: bool,
    origin: Option<&'static str>,
    /// Names of the dropped headers, in order, as written.
    dropped: &'static [&'static str],
}

const CHROMIUM_FETCH_GET: &str = r#"fetch("http://localhost:8080/api/items?page=2", {
  "headers": {
    "accept": "*/*",
    "accept-language": "en-US,en;q=0.9",
    "priority": "u=1, i",
    "sec-ch-ua": "\"Chromium\";v=\"156\", \"Not)A;Brand\";v=\"24\"",
    "sec-ch-ua-mobile": "?0",
    "sec-ch-ua-platform": "\"Linux\"",
    "sec-fetch-dest": "empty",
    "sec-fetch-mode": "cors",
    "sec-fetch-site": "same-site"
  },
  "referrer": "http://localhost:5173/",
  "referrerPolicy": "strict-origin-when-cross-origin",
  "body": null,
  "method": "GET",
  "mode": "cors",
  "credentials": "omit"
});"#;

const CHROMIUM_FETCH_POST: &str = r#"fetch("https://api.example.com/v1/orders?ref=a%2Fb", {
  "headers": {
    "accept": "application/json",
    "authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
    "content-type": "application/json",
    "priority": "u=1, i",
    "sec-ch-ua": "\"Chromium\";v=\"156\", \"Not)A;Brand\";v=\"24\"",
    "sec-ch-ua-mobile": "?0",
    "sec-ch-ua-platform": "\"macOS\"",
    "sec-fetch-dest": "empty",
    "sec-fetch-mode": "cors",
    "sec-fetch-site": "same-site",
    "x-request-id": "7f3c"
  },
  "referrer": "https://app.example.com/checkout",
  "referrerPolicy": "strict-origin-when-cross-origin",
  "body": "{\"item\":\"book\",\"qty\":2,\"note\":\"line1\\nline2 \\\"quoted\\\"\"}",
  "method": "POST",
  "mode": "cors",
  "credentials": "include"
});"#;

const CHROMIUM_FETCH_GET_CREDENTIALS: &str = r#"fetch("https://api.example.com/v1/me", {
  "headers": {
    "accept": "application/json",
    "accept-language": "de-DE,de;q=0.9,en;q=0.8",
    "cache-control": "no-cache",
    "pragma": "no-cache",
    "sec-fetch-mode": "cors"
  },
  "referrer": "https://app.example.com/account/settings?tab=1",
  "referrerPolicy": "strict-origin-when-cross-origin",
  "body": null,
  "method": "GET",
  "mode": "cors",
  "credentials": "include"
});"#;

const CHROMIUM_FETCH_NODE_COOKIE: &str = r#"fetch("https://api.example.com/v1/me", {
  "headers": {
    "accept": "*/*",
    "accept-language": "en-US,en;q=0.9",
    "sec-ch-ua": "\"Chromium\";v=\"156\", \"Not)A;Brand\";v=\"24\"",
    "sec-fetch-dest": "empty",
    "sec-fetch-mode": "cors",
    "sec-fetch-site": "same-site",
    "x-csrf-token": "abc123",
    "cookie": "session=s3cr3t; theme=dark",
    "Referer": "https://app.example.com/",
    "Referrer-Policy": "strict-origin-when-cross-origin"
  },
  "body": null,
  "method": "GET"
});"#;

const CHROMIUM_FETCH_NODE_POST: &str = r#"fetch("http://127.0.0.1:9090/upload", {
  "headers": {
    "content-type": "text/csv",
    "sec-fetch-mode": "cors"
  },
  "body": "a,b\n1,2",
  "method": "POST"
});"#;

const CHROMIUM_CURL_BASH: &str = r#"curl 'https://api.example.com/v1/notes' \
  -H 'accept: application/json' \
  -H 'accept-language: en-US,en;q=0.9' \
  -H 'content-type: application/json' \
  -b 'session=s3cr3t; theme=dark' \
  -H 'origin: https://app.example.com' \
  -H 'priority: u=1, i' \
  -H 'referer: https://app.example.com/' \
  -H 'sec-ch-ua: "Chromium";v="156", "Not)A;Brand";v="24"' \
  -H 'sec-ch-ua-mobile: ?0' \
  -H 'sec-ch-ua-platform: "Linux"' \
  -H 'sec-fetch-dest: empty' \
  -H 'sec-fetch-mode: cors' \
  -H 'sec-fetch-site: same-site' \
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' \
  --data-raw $'{"text":"it\'s done\u0021","tags":["a\\\\b"]}'"#;

const CHROMIUM_CURL_BASH_PUT: &str = r#"curl 'http://localhost:8080/api/users/42' \
  -X 'PUT' \
  -H 'accept: */*' \
  -H 'content-type: application/json' \
  -H 'origin: http://localhost:5173' \
  -H 'referer: http://localhost:5173/' \
  -H 'sec-fetch-mode: cors' \
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' \
  -H 'x-api-key: k-123' \
  --data-raw $'{\n  "name": "O\'Brien",\n  "note": "say \\"hi\\"\\tnow"\n}'"#;

const CHROMIUM_CURL_BASH_URL: &str = r#"curl 'https://api.example.com/search?q=caf%C3%A9&tags\[\]=a%20b&sort=\{date\}#results' \
  -H 'accept: */*' \
  -H 'origin: https://app.example.com' \
  -H 'sec-fetch-mode: cors' \
  -H 'x-trace: t1'"#;

const CHROMIUM_CURL_BASH_PREFLIGHT: &str = r#"curl 'https://api.example.com/v1/items/9' \
  -X 'OPTIONS' \
  -H 'accept: */*' \
  -H 'accept-language: en-US,en;q=0.9' \
  -H 'access-control-request-headers: authorization,content-type' \
  -H 'access-control-request-method: DELETE' \
  -H 'origin: https://app.example.com' \
  -H 'priority: u=1, i' \
  -H 'referer: https://app.example.com/' \
  -H 'sec-fetch-mode: cors' \
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'"#;

const CHROMIUM_CURL_CMD: &str = r#"curl ^"https://api.example.com/v1/search?q=caf^%^C3^%^A9^&lang=fr^" ^
  -H ^"accept: application/json^" ^
  -H ^"content-type: text/plain;charset=UTF-8^" ^
  -b ^"sid=abc^" ^
  -H ^"origin: https://app.example.com^" ^
  -H ^"sec-ch-ua: ^\^"Chromium^\^";v=^\^"156^\^", ^\^"Not)A;Brand^\^";v=^\^"24^\^"^" ^
  -H ^"user-agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64)^" ^
  -H ^"x-path: C:^\^\temp^" ^
  --data-raw ^"^{^\^"q^\^":^\^"caf^é ^& ^\^\^\^"tea^\^\^\^"^\^",^\^"pct^\^":^\^"100^%^\^"^}^

line2^""#;

const FIREFOX_CURL: &str = r#"curl 'http://localhost:8080/api/items' \
  --compressed \
  -X POST \
  -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' \
  -H 'Accept: */*' \
  -H 'Accept-Language: en-US,en;q=0.5' \
  -H 'Accept-Encoding: gzip, deflate, br, zstd' \
  -H 'Content-Type: application/json' \
  -H 'X-Api-Key: k-123' \
  -H 'Origin: http://localhost:5173' \
  -H 'Connection: keep-alive' \
  -H 'Referer: http://localhost:5173/' \
  -H 'Sec-Fetch-Dest: empty' \
  -H 'Sec-Fetch-Mode: cors' \
  -H 'Sec-Fetch-Site: same-site' \
  -H 'Priority: u=4' \
  -H 'Pragma: no-cache' \
  -H 'Cache-Control: no-cache' \
  --data-raw $'{"a":"b\041"}'"#;

const FIREFOX_CURL_CMD: &str = r#"curl.exe ^"http://localhost:8080/api/items?x=1^%^202^" ^
  -X PATCH ^
  -H ^"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0^" ^
  -H ^"Accept: application/json^" ^
  -H ^"Content-Type: application/json^" ^
  -H ^"Origin: http://localhost:5173^" ^
  --data-raw ^"^{^\^"a^\^":^\^"b ^\^\ c^\^"^}"^

"^""#;

const FIREFOX_FETCH: &str = r#"await fetch("http://localhost:8080/api/items?page=1", {
    "credentials": "omit",
    "headers": {
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
        "Accept": "application/json",
        "Accept-Language": "en-US,en;q=0.5",
        "Content-Type": "application/json",
        "X-Requested-With": "XMLHttpRequest",
        "Sec-Fetch-Dest": "empty",
        "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Site": "same-site",
        "Priority": "u=4"
    },
    "referrer": "http://localhost:5173/",
    "body": "{\"a\":[1,2]}",
    "method": "POST",
    "mode": "cors"
});"#;

const PAGE_ACTUAL: &str = r#"curl -i -X PUT 'http://127.0.0.1:9090/api/items/7' -H 'Origin: http://localhost:5173' -H 'X-Api-Key: k-1' -H 'Content-Type: application/json' --data-raw '{"name":"it'\''s"}'"#;

const PAGE_ACTUAL_COOKIES: &str = r#"curl -i -X PUT 'http://127.0.0.1:9090/api/items/7' -H 'Origin: http://localhost:5173' -H 'X-Api-Key: k-1' -b 'name=value' --data-raw '{"a":1}'  # -b: your cookies"#;

const PAGE_PREFLIGHT: &str = r#"curl -i -X OPTIONS 'http://127.0.0.1:9090/api/items/7' -H 'Origin: http://localhost:5173' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type,x-api-key'"#;

const CURL_PATCH: &str = r#"curl -X PATCH https://api.example.com/items/1 -H "Content-Type: application/merge-patch+json" -H "Authorization: Bearer t0k3n" -d '{"done":true}'"#;

const CURL_DATA_POST: &str =
    r#"curl https://api.example.com/login --data 'user=ann&pass=x%21' -d remember=1"#;

const CURL_GET_QUERY: &str = r#"curl -sSG 'https://api.example.com/find?x=1' --data-urlencode 'q=a b' -H 'Accept: application/json' -H 'X-Empty;' -H 'X-Removed:'"#;

const HAND_EDITED_FETCH: &str = r#"const res = await fetch('https://api.example.com/v2/things', {
  method: 'PATCH', // changed by hand
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer abc`, },
  body: JSON.stringify({ name: "x", n: 2, ok: true, tags: ['a'] }),
  credentials: 'same-origin',
})"#;

const ROWS: &[Row] = &[
    Row {
        name: "chromium fetch, GET without body",
        input: CHROMIUM_FETCH_GET,
        kind: ImportKind::Fetch,
        url: "http://localhost:8080/api/items?page=2",
        method: "GET",
        headers: &[],
        body: "",
        credentials: false,
        origin: Some("http://localhost:5173"),
        dropped: &[
            "accept",
            "accept-language",
            "priority",
            "sec-ch-ua",
            "sec-ch-ua-mobile",
            "sec-ch-ua-platform",
            "sec-fetch-dest",
            "sec-fetch-mode",
            "sec-fetch-site",
        ],
    },
    Row {
        name: "chromium fetch, POST with a JSON body and credentials",
        input: CHROMIUM_FETCH_POST,
        kind: ImportKind::Fetch,
        url: "https://api.example.com/v1/orders?ref=a%2Fb",
        method: "POST",
        headers: &[
            "accept: application/json",
            "authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
            "content-type: application/json",
            "x-request-id: 7f3c",
        ],
        body: r#"{"item":"book","qty":2,"note":"line1\nline2 \"quoted\""}"#,
        credentials: true,
        origin: Some("https://app.example.com"),
        dropped: &[
            "priority",
            "sec-ch-ua",
            "sec-ch-ua-mobile",
            "sec-ch-ua-platform",
            "sec-fetch-dest",
            "sec-fetch-mode",
            "sec-fetch-site",
        ],
    },
    Row {
        name: "chromium fetch, GET with credentials include (disable cache on)",
        input: CHROMIUM_FETCH_GET_CREDENTIALS,
        kind: ImportKind::Fetch,
        url: "https://api.example.com/v1/me",
        method: "GET",
        headers: &["accept: application/json"],
        body: "",
        credentials: true,
        origin: Some("https://app.example.com"),
        dropped: &[
            "accept-language",
            "cache-control",
            "pragma",
            "sec-fetch-mode",
        ],
    },
    Row {
        name: "chromium fetch (Node.js) with cookie and Referer",
        input: CHROMIUM_FETCH_NODE_COOKIE,
        kind: ImportKind::FetchNode,
        url: "https://api.example.com/v1/me",
        method: "GET",
        headers: &["x-csrf-token: abc123"],
        body: "",
        credentials: true,
        origin: Some("https://app.example.com"),
        dropped: &[
            "accept",
            "accept-language",
            "sec-ch-ua",
            "sec-fetch-dest",
            "sec-fetch-mode",
            "sec-fetch-site",
            "cookie",
            "Referer",
            "Referrer-Policy",
        ],
    },
    Row {
        name: "chromium fetch (Node.js) POST without cookie",
        input: CHROMIUM_FETCH_NODE_POST,
        kind: ImportKind::FetchNode,
        url: "http://127.0.0.1:9090/upload",
        method: "POST",
        headers: &["content-type: text/csv"],
        body: "a,b\n1,2",
        credentials: false,
        origin: None,
        dropped: &["sec-fetch-mode"],
    },
    Row {
        name: "chromium cURL (bash): $'…' body, -b cookie",
        input: CHROMIUM_CURL_BASH,
        kind: ImportKind::CurlBash,
        url: "https://api.example.com/v1/notes",
        method: "POST",
        headers: &["accept: application/json", "content-type: application/json"],
        body: r#"{"text":"it's done!","tags":["a\\b"]}"#,
        credentials: true,
        origin: Some("https://app.example.com"),
        dropped: &[
            "accept-language",
            "cookie",
            "origin",
            "priority",
            "referer",
            "sec-ch-ua",
            "sec-ch-ua-mobile",
            "sec-ch-ua-platform",
            "sec-fetch-dest",
            "sec-fetch-mode",
            "sec-fetch-site",
            "user-agent",
        ],
    },
    Row {
        name: "chromium cURL (bash): -X 'PUT', JSON body with quotes, newlines and a tab",
        input: CHROMIUM_CURL_BASH_PUT,
        kind: ImportKind::CurlBash,
        url: "http://localhost:8080/api/users/42",
        method: "PUT",
        headers: &["content-type: application/json", "x-api-key: k-123"],
        body: "{\n  \"name\": \"O'Brien\",\n  \"note\": \"say \\\"hi\\\"\\tnow\"\n}",
        credentials: false,
        origin: Some("http://localhost:5173"),
        dropped: &[
            "accept",
            "origin",
            "referer",
            "sec-fetch-mode",
            "user-agent",
        ],
    },
    Row {
        name: "chromium cURL (bash): query, fragment, percent-escapes and glob escapes",
        input: CHROMIUM_CURL_BASH_URL,
        kind: ImportKind::CurlBash,
        url: "https://api.example.com/search?q=caf%C3%A9&tags[]=a%20b&sort={date}#results",
        method: "GET",
        headers: &["x-trace: t1"],
        body: "",
        credentials: false,
        origin: Some("https://app.example.com"),
        dropped: &["accept", "origin", "sec-fetch-mode"],
    },
    Row {
        name: "chromium cURL (bash) of a preflight row",
        input: CHROMIUM_CURL_BASH_PREFLIGHT,
        kind: ImportKind::CurlBash,
        url: "https://api.example.com/v1/items/9",
        method: "DELETE",
        headers: &["authorization: ", "content-type: "],
        body: "",
        credentials: false,
        origin: Some("https://app.example.com"),
        dropped: &[
            "accept",
            "accept-language",
            "access-control-request-headers",
            "access-control-request-method",
            "origin",
            "priority",
            "referer",
            "sec-fetch-mode",
            "user-agent",
        ],
    },
    Row {
        name: "chromium cURL (cmd): ^ escapes, ^\\^\" quotes, ^%^, ^&, a newline in the body",
        input: CHROMIUM_CURL_CMD,
        kind: ImportKind::CurlCmd,
        url: "https://api.example.com/v1/search?q=caf%C3%A9&lang=fr",
        method: "POST",
        headers: &[
            "accept: application/json",
            "content-type: text/plain;charset=UTF-8",
            r"x-path: C:\temp",
        ],
        body: "{\"q\":\"café & \\\"tea\\\"\",\"pct\":\"100%\"}\nline2",
        credentials: true,
        origin: Some("https://app.example.com"),
        dropped: &["cookie", "origin", "sec-ch-ua", "user-agent"],
    },
    Row {
        name: "firefox cURL (POSIX): unquoted -X POST, \\041, the browser's own headers",
        input: FIREFOX_CURL,
        kind: ImportKind::CurlBash,
        url: "http://localhost:8080/api/items",
        method: "POST",
        headers: &["Content-Type: application/json", "X-Api-Key: k-123"],
        body: r#"{"a":"b!"}"#,
        credentials: false,
        origin: Some("http://localhost:5173"),
        dropped: &[
            "User-Agent",
            "Accept",
            "Accept-Language",
            "Accept-Encoding",
            "Origin",
            "Connection",
            "Referer",
            "Sec-Fetch-Dest",
            "Sec-Fetch-Mode",
            "Sec-Fetch-Site",
            "Priority",
            "Pragma",
            "Cache-Control",
        ],
    },
    Row {
        name: "firefox cURL (cmd, curl.exe): backslashes not doubled, \"^ newline",
        input: FIREFOX_CURL_CMD,
        kind: ImportKind::CurlCmd,
        url: "http://localhost:8080/api/items?x=1%202",
        method: "PATCH",
        headers: &["Accept: application/json", "Content-Type: application/json"],
        body: "{\"a\":\"b \\\\ c\"}\n",
        credentials: false,
        origin: Some("http://localhost:5173"),
        dropped: &["User-Agent", "Origin"],
    },
    Row {
        name: "firefox fetch: await, credentials first",
        input: FIREFOX_FETCH,
        kind: ImportKind::Fetch,
        url: "http://localhost:8080/api/items?page=1",
        method: "POST",
        headers: &[
            "Accept: application/json",
            "Content-Type: application/json",
            "X-Requested-With: XMLHttpRequest",
        ],
        body: r#"{"a":[1,2]}"#,
        credentials: false,
        origin: Some("http://localhost:5173"),
        dropped: &[
            "User-Agent",
            "Accept-Language",
            "Sec-Fetch-Dest",
            "Sec-Fetch-Mode",
            "Sec-Fetch-Site",
            "Priority",
        ],
    },
    Row {
        name: "the page's own actual command, '\\'' quoting",
        input: PAGE_ACTUAL,
        kind: ImportKind::CurlBash,
        url: "http://127.0.0.1:9090/api/items/7",
        method: "PUT",
        headers: &["X-Api-Key: k-1", "Content-Type: application/json"],
        body: r#"{"name":"it's"}"#,
        credentials: false,
        origin: Some("http://localhost:5173"),
        dropped: &["Origin"],
    },
    Row {
        // The comment comes last, so the body is part of the command.
        name: "the page's own actual command with cookies and a trailing comment",
        input: PAGE_ACTUAL_COOKIES,
        kind: ImportKind::CurlBash,
        url: "http://127.0.0.1:9090/api/items/7",
        method: "PUT",
        headers: &["X-Api-Key: k-1"],
        body: r#"{"a":1}"#,
        credentials: true,
        origin: Some("http://localhost:5173"),
        dropped: &["Origin", "cookie"],
    },
    Row {
        name: "the page's own preflight command: the request it stands for",
        input: PAGE_PREFLIGHT,
        kind: ImportKind::CurlBash,
        url: "http://127.0.0.1:9090/api/items/7",
        method: "PUT",
        headers: &["content-type: ", "x-api-key: "],
        body: "",
        credentials: false,
        origin: Some("http://localhost:5173"),
        dropped: &[
            "Origin",
            "Access-Control-Request-Method",
            "Access-Control-Request-Headers",
        ],
    },
    Row {
        name: "hand-written curl: -X PATCH, double quotes, -d",
        input: CURL_PATCH,
        kind: ImportKind::CurlBash,
        url: "https://api.example.com/items/1",
        method: "PATCH",
        headers: &[
            "Content-Type: application/merge-patch+json",
            "Authorization: Bearer t0k3n",
        ],
        body: r#"{"done":true}"#,
        credentials: false,
        origin: None,
        dropped: &[],
    },
    Row {
        name: "hand-written curl: --data implies POST, two data joined with &",
        input: CURL_DATA_POST,
        kind: ImportKind::CurlBash,
        url: "https://api.example.com/login",
        method: "POST",
        headers: &[],
        body: "user=ann&pass=x%21&remember=1",
        credentials: false,
        origin: None,
        dropped: &[],
    },
    Row {
        name: "hand-written curl: -sSG moves url-encoded data to the query, Name; and Name:",
        input: CURL_GET_QUERY,
        kind: ImportKind::CurlBash,
        url: "https://api.example.com/find?x=1&q=a%20b",
        method: "GET",
        headers: &["Accept: application/json", "X-Empty: "],
        body: "",
        credentials: false,
        origin: None,
        dropped: &[],
    },
    Row {
        name: "hand-edited fetch: single quotes, bare keys, comments, JSON.stringify",
        input: HAND_EDITED_FETCH,
        kind: ImportKind::Fetch,
        url: "https://api.example.com/v2/things",
        method: "PATCH",
        headers: &[
            "Content-Type: application/json",
            "Authorization: Bearer abc",
        ],
        body: r#"{"name":"x","n":2,"ok":true,"tags":["a"]}"#,
        credentials: false,
        origin: None,
        dropped: &[],
    },
];

/// What differs between a row and the parse result (empty when they agree).
fn mismatches(row: &Row, got: &Imported) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |field: &str, want: String, have: String| {
        if want != have {
            out.push(format!("{field}: want {want:?}, got {have:?}"));
        }
    };
    let form = &got.form;
    check("kind", format!("{:?}", row.kind), format!("{:?}", got.kind));
    check("url", row.url.into(), form.url.clone());
    check("method", row.method.into(), form.method.clone());
    check("headers", row.headers.join("\n"), form.headers.clone());
    check("body", row.body.into(), form.body.clone());
    check(
        "credentials",
        row.credentials.to_string(),
        form.credentials.to_string(),
    );
    check(
        "origin",
        format!("{:?}", row.origin),
        format!("{:?}", got.origin),
    );
    let dropped: Vec<&str> = got
        .dropped
        .iter()
        .map(|line| line.split(':').next().unwrap_or(""))
        .collect();
    check("dropped", row.dropped.join(", "), dropped.join(", "));
    let defaults = cors_doctor::engine::check::form::FormInput::default();
    check(
        "other fields",
        format!(
            "{} {:?} {:?} {:?}",
            defaults.allow_method_probe,
            defaults.want_headers,
            defaults.app_origin,
            defaults.timeout
        ),
        format!(
            "{} {:?} {:?} {:?}",
            form.allow_method_probe, form.want_headers, form.app_origin, form.timeout
        ),
    );
    out
}

#[test]
fn rows_fill_the_form() {
    assert!(ROWS.len() >= 16, "only {} rows", ROWS.len());
    let mut failures = Vec::new();
    for row in ROWS {
        match parse(row.input) {
            Ok(got) => {
                let problems = mismatches(row, &got);
                if !problems.is_empty() {
                    failures.push(format!(
                        "row `{}`\n  {}\ninput:\n{}\nresult: {got:#?}",
                        row.name,
                        problems.join("\n  "),
                        row.input
                    ));
                }
            }
            Err(error) => failures.push(format!(
                "row `{}`: {error:?}\ninput:\n{}",
                row.name, row.input
            )),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn windows_line_endings_read_the_same() {
    for row in ROWS {
        let crlf = row.input.replace('\n', "\r\n");
        assert_eq!(parse(&crlf), parse(row.input), "row `{}`", row.name);
    }
}

#[test]
fn secrets_are_masked_in_the_dropped_list() {
    let got = parse(CHROMIUM_CURL_BASH).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        got.dropped.contains(&"cookie: ••••".to_string()),
        "{got:#?}"
    );
    assert!(got
        .dropped
        .contains(&"origin: https://app.example.com".to_string()));
    assert!(got.dropped.iter().all(|line| !line.contains("s3cr3t")));
    let node = parse(CHROMIUM_FETCH_NODE_COOKIE).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(node.dropped.iter().all(|line| !line.contains("s3cr3t")));
    let proxy = parse("curl https://x.test/ -H 'Proxy-Authorization: Basic dTpw'")
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(proxy.dropped, ["Proxy-Authorization: ••••"]);
}

#[test]
fn copy_all_yields_the_first_request() {
    let bash = format!("{CHROMIUM_CURL_BASH_URL} ;\n{CHROMIUM_CURL_BASH_PUT}");
    let got = parse(&bash).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.form.method, "GET");
    assert_eq!(got.form.headers, "x-trace: t1");
    let cmd = format!("{CHROMIUM_CURL_CMD} &\r\n{CHROMIUM_CURL_CMD}");
    let got = parse(&cmd).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(got.form.body.ends_with("line2"), "{got:#?}");
}

#[test]
fn older_chromium_cmd_on_one_line() {
    // Before `^"` everywhere, Chromium quoted short commands with plain `"` (carets inside).
    let got = parse(r#"curl "https://a.test/x?a=1^&b=caf^%^C3^%^A9" --compressed"#)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.kind, ImportKind::CurlCmd);
    assert_eq!(got.form.url, "https://a.test/x?a=1&b=caf%C3%A9");
    assert_eq!(got.form.method, "GET");
}

#[test]
fn anything_else_is_not_a_command() {
    for text in [
        "",
        "   \n ",
        "hello",
        "GET /api HTTP/1.1\nHost: x",
        "curl",
        "curl -i -H 'Origin: http://a.test'",
        "curlx 'http://a.test'",
        "fetch(",
        "fetch()",
        "fetch(url, {})",
        "fetch('http://a.test', {headers: {a: }})",
        "fetch('http://a.test', 'POST')",
        "console.log(1); fetch('http://a.test')",
        "Access to fetch at 'http://a.test/' from origin 'http://b.test' has been blocked",
    ] {
        match parse(text) {
            Err(reason) => assert!(!reason.0.is_empty(), "{text:?}"),
            Ok(got) => panic!("{text:?} was read as {got:#?}"),
        }
    }
}

#[test]
fn large_and_deep_inputs_finish() {
    let many = format!("curl 'http://a.test/'{}", " -H 'X-A: b'".repeat(50_000));
    let got = parse(&many).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.form.headers.lines().count(), 50_000);
    let deep = format!("fetch('http://a.test', {{\"a\": {}", "[".repeat(100_000));
    assert!(parse(&deep).is_err());
    let open = format!("fetch('http://a.test', {{\"a\": \"{}", "\\".repeat(100_001));
    assert!(parse(&open).is_err());
    let quotes = format!(
        "curl 'http://a.test/' --data-raw $'{}",
        "\\u".repeat(50_000)
    );
    assert!(parse(&quotes).is_ok());
}

fn cfg() -> ProptestConfig {
    ProptestConfig {
        cases: 2_000,
        ..ProptestConfig::default()
    }
}

/// One edit of a sample: insert text, delete a run, or cut the rest, at a char position.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let text = prop_oneof![
        any::<String>(),
        "[\\\\'\"$^%&;#{}\\[\\]():,\n \t`-]{1,4}",
        Just("\\u".to_string()),
        Just("^\n".to_string()),
        Just("$'".to_string()),
        Just("-X".to_string()),
    ];
    prop_oneof![
        (any::<usize>(), text).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), 0usize..12).prop_map(|(at, n)| Edit::Delete(at, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(sample: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = sample.chars().collect();
    for edit in edits {
        let len = chars.len() + 1;
        match edit {
            Edit::Insert(at, text) => {
                let at = at % len;
                chars.splice(at..at, text.chars());
            }
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            Edit::Truncate(at) => chars.truncate(at % len),
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(cfg())]

    /// 2,000 arbitrary strings, some starting like a command.
    #[test]
    fn never_panics_on_arbitrary_text(
        prefix in prop_oneof![Just(""), Just("curl "), Just("curl ^\""), Just("fetch("), Just("await fetch(\"http://a\", ")],
        text in any::<String>(),
    ) {
        let _ = parse(&format!("{prefix}{text}"));
    }

    /// 2,000 samples from the table with up to four random edits each.
    #[test]
    fn never_panics_on_mutated_samples(
        index in 0..ROWS.len(),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let sample = ROWS.get(index).map(|row| row.input).unwrap_or("");
        let _ = parse(&apply(sample, &edits));
    }
}
