//! Rule tables: one row per case, `(name, request, answers, expected)` (see `util.rs`).

use crate::util::run;

#[test]
fn input() {
    run(&[
        ("relative url", "GET /api", "-", "input/invalid-url"),
        ("garbage url", "GET http://[::1/", "-", "input/invalid-url"),
        (
            "bad page origin",
            "from=nope GET {api}",
            "-",
            "input/invalid-url field=page_origin",
        ),
        (
            "file scheme",
            "GET file:///etc/passwd",
            "-",
            "input/unsupported-scheme scheme=file",
        ),
        (
            "data scheme",
            "GET data:text/plain,hi",
            "-",
            "input/unsupported-scheme scheme=data",
        ),
        (
            "ftp scheme",
            "GET ftp://example.com/x",
            "-",
            "input/unsupported-scheme scheme=ftp",
        ),
        (
            "credentials in url",
            "GET http://u:p@127.0.0.1:9090/",
            "-",
            "input/invalid-url reason=credentials",
        ),
        (
            "CONNECT",
            "CONNECT {api}",
            "-",
            "input/forbidden-method method=CONNECT",
        ),
        (
            "trace any case",
            "trace {api}",
            "-",
            "input/forbidden-method method=TRACE",
        ),
        (
            "TRACK",
            "TRACK {api}",
            "-",
            "input/forbidden-method method=TRACK",
        ),
        (
            "method not a token",
            "GE(T {api}",
            "-",
            "input/forbidden-method reason=invalid",
        ),
        (
            "GET with body",
            "body=x GET {api}",
            "-",
            "input/forbidden-method reason=body",
        ),
        (
            "cookie dropped",
            "GET {api} | Cookie: a=b",
            "-",
            "input/forbidden-header header=cookie",
        ),
        (
            "host dropped",
            "GET {api} | Host: evil",
            "-",
            "input/forbidden-header header=host",
        ),
        (
            "origin dropped",
            "GET {api} | Origin: http://x",
            "-",
            "input/forbidden-header header=origin",
        ),
        (
            "sec- prefix",
            "GET {api} | Sec-Fetch-Site: none",
            "-",
            "input/forbidden-header header=sec-fetch-site",
        ),
        (
            "proxy- prefix",
            "GET {api} | Proxy-Authorization: x",
            "-",
            "input/forbidden-header header=proxy-authorization",
        ),
        (
            "method override trace",
            "POST {api} | X-HTTP-Method-Override: TRACE",
            "-",
            "input/forbidden-header header=x-http-method-override",
        ),
        (
            "method override list",
            "POST {api} | X-Method-Override: GET, connect",
            "-",
            "input/forbidden-header header=x-method-override",
        ),
        (
            "x-http-method track",
            "POST {api} | X-HTTP-Method: track",
            "-",
            "input/forbidden-header header=x-http-method",
        ),
        (
            "bad header name",
            "GET {api} | X Test: 1",
            "-",
            "input/invalid-header",
        ),
        (
            "empty header name",
            "GET {api} | : 1",
            "-",
            "input/invalid-header",
        ),
        (
            "non-byte value",
            "GET {api} | X-Test: \u{263a}",
            "-",
            "input/invalid-header header=x-test",
        ),
        (
            "NUL in value",
            "GET {api} | X-Test: a\u{0}b",
            "-",
            "input/invalid-header header=x-test",
        ),
        ("same origin", "GET {page}/x", "-", "ok/same-origin"),
        (
            "mixed content",
            "from=https://app.example GET http://api.example/x",
            "-",
            "network/mixed-content",
        ),
        (
            "https to localhost is fine",
            "from=https://app.example GET http://localhost:9090/",
            "-",
            "network/local-network-access target_space=loopback",
        ),
        (
            "public to private",
            "from=https://app.example GET https://192.168.1.10/",
            "-",
            "network/local-network-access page_space=public target_space=local",
        ),
        (
            "private to loopback",
            "from=http://10.0.0.2 GET http://127.0.0.1:9/",
            "-",
            "network/local-network-access page_space=local",
        ),
        (
            "an insecure public page to loopback is refused before sending",
            "from=http://app.example GET http://127.0.0.1:9090/",
            "-",
            "network/local-network-access page_space=public target_space=loopback secure_context=false",
        ),
        (
            "same-origin mode",
            "same-origin-mode GET {api}",
            "-",
            "input/disallowed-by-mode",
        ),
        (
            "no-cors PUT",
            "no-cors PUT {api}",
            "-",
            "input/disallowed-by-mode method=PUT",
        ),
        (
            "no-cors drops custom header",
            "no-cors GET {api} | X-Test: 1",
            "-",
            "input/forbidden-header reason=no-cors",
        ),
    ]);
}

#[test]
fn simple_requests() {
    run(&[
        ("GET with ACAO echo", "GET {api}", "200 | ACAO: {origin}", "ok status=200 preflight=0"),
        ("GET with *", "GET {api}", "200 | ACAO: *", "ok preflight=0"),
        ("HEAD", "HEAD {api}", "200 | ACAO: *", "ok preflight=0"),
        ("POST text/plain", "body=x POST {api}", "200 | ACAO: *", "ok preflight=0"),
        ("POST form", "body=a=1 POST {api} | Content-Type: application/x-www-form-urlencoded", "200 | ACAO: *", "ok preflight=0"),
        ("POST multipart", "body=x POST {api} | Content-Type: multipart/form-data; boundary=x", "200 | ACAO: *", "ok preflight=0"),
        ("lower-case get is normalized", "get {api}", "200 | ACAO: *", "ok preflight=0"),
        ("missing ACAO", "GET {api}", "200", "response/allow-origin/missing status=200"),
        ("missing ACAO on 500 without preflight", "GET {api}", "500", "response/allow-origin/missing status=500"),
        ("500 with ACAO delivered", "GET {api}", "500 | ACAO: *", "ok status=500"),
        ("trailing slash", "GET {api}", "200 | ACAO: {origin}/", "response/allow-origin/mismatch value=http://127.0.0.1:8080/"),
        ("upper case", "GET {api}", "200 | ACAO: HTTP://127.0.0.1:8080", "response/allow-origin/mismatch"),
        ("explicit default port", "from=http://app.test GET http://api.test/", "200 | ACAO: http://app.test:80", "response/allow-origin/mismatch"),
        ("other origin", "GET {api}", "200 | ACAO: http://example.com", "response/allow-origin/mismatch value=http://example.com"),
        ("whitespace trimmed", "GET {api}", "200 | ACAO:   {origin}  ", "ok"),
        ("two lines", "GET {api}", "200 | ACAO: {origin} | ACAO: {origin}", "response/allow-origin/multiple"),
        ("comma list", "GET {api}", "200 | ACAO: {origin}, http://b.test", "response/allow-origin/multiple"),
        ("space list", "GET {api}", "200 | ACAO: {origin} http://b.test", "response/allow-origin/multiple"),
        ("star twice", "GET {api}", "200 | ACAO: * | ACAO: *", "response/allow-origin/multiple"),
        ("no scheme", "GET {api}", "200 | ACAO: 127.0.0.1:8080", "response/allow-origin/invalid"),
        ("empty value", "GET {api}", "200 | ACAO: ", "response/allow-origin/invalid"),
        ("null when not tainted", "GET {api}", "200 | ACAO: null", "response/allow-origin/mismatch value=null"),
        ("opaque page allowed by null", "from=null GET https://api.example/", "200 | ACAO: null", "ok"),
        ("header name any case", "GET {api}", "200 | access-control-ALLOW-origin: {origin}", "ok"),
        ("safelisted headers only", "GET {api} | Accept: application/json | Accept-Language: en-US,en;q=0.9 | Content-Language: de", "200 | ACAO: *", "ok preflight=0 acrh=none"),
        ("range bytes=0-", "GET {api} | Range: bytes=0-", "206 | ACAO: *", "ok status=206 preflight=0"),
        ("no-cors opaque", "no-cors GET {api}", "200", "ok status=0 exposed=none"),
        ("same-origin no CORS", "GET {page}/x", "200 | X-Secret: 1 | Set-Cookie: a=b", "ok exposed=x-secret"),
    ]);
}

#[test]
fn credentials() {
    run(&[
        ("include + echo + true", "include GET {api}", "200 | ACAO: {origin} | ACAC: true", "ok"),
        ("include + *", "include GET {api}", "200 | ACAO: * | ACAC: true", "response/credentials/wildcard-origin"),
        ("include without ACAC", "include GET {api}", "200 | ACAO: {origin}", "response/credentials/missing-allow value="),
        ("include + True", "include GET {api}", "200 | ACAO: {origin} | ACAC: True", "response/credentials/missing-allow value=True"),
        ("include + 1", "include GET {api}", "200 | ACAO: {origin} | ACAC: 1", "response/credentials/missing-allow"),
        ("include + two trues", "include GET {api}", "200 | ACAO: {origin} | ACAC: true | ACAC: true", "response/credentials/missing-allow"),
        ("same-origin credentials + *", "GET {api}", "200 | ACAO: *", "ok"),
        ("omit ignores ACAC", "omit GET {api}", "200 | ACAO: * | ACAC: false", "ok"),
        ("preflight needs ACAC", "include PUT {api}", "OPTIONS 204 | ACAO: {origin} | ACAM: PUT ; 200 | ACAO: {origin} | ACAC: true", "preflight/credentials"),
        ("preflight * with credentials", "include PUT {api}", "OPTIONS 204 | ACAO: * | ACAC: true | ACAM: PUT ; 200", "preflight/allow-origin/wildcard-with-credentials"),
        ("preflight and actual ok", "include PUT {api} | X-A: 1", "OPTIONS 204 | ACAO: {origin} | ACAC: true | ACAM: PUT | ACAH: x-a ; 200 | ACAO: {origin} | ACAC: true", "ok preflight=1"),
    ]);
}

#[test]
fn preflight() {
    run(&[
        ("PUT needs preflight", "PUT {api}", "OPTIONS 204 | ACAO: {origin} | ACAM: PUT ; 200 | ACAO: {origin}", "ok preflight=1"),
        ("no preflight answer", "PUT {api}", "200 | ACAO: {origin}", "network/unreachable missing=preflight"),
        ("no answer at all", "GET {api}", "200 | ACAO: * >> 200", "ok"),
        ("preflight 404 no CORS", "PUT {api}", "OPTIONS 404 ; 200", "preflight/allow-origin/missing status=404"),
        ("preflight 401 with ACAO", "PUT {api}", "OPTIONS 401 | ACAO: {origin} ; 200", "preflight/status status=401"),
        ("preflight 500 with ACAO", "PUT {api}", "OPTIONS 500 | ACAO: * | ACAM: PUT ; 200", "preflight/status status=500"),
        ("preflight redirect", "PUT {api}", "OPTIONS 301 | Location: /elsewhere | ACAO: * ; 200", "preflight/redirect status=301"),
        ("preflight mismatch", "PUT {api}", "OPTIONS 204 | ACAO: http://a.test ; 200", "preflight/allow-origin/mismatch"),
        ("preflight multiple", "PUT {api}", "OPTIONS 204 | ACAO: *, * ; 200", "preflight/allow-origin/multiple"),
        ("preflight invalid", "PUT {api}", "OPTIONS 204 | ACAO: foo ; 200", "preflight/allow-origin/invalid"),
        ("method missing", "PUT {api}", "OPTIONS 204 | ACAO: * ; 200 | ACAO: *", "preflight/method-not-allowed method=PUT"),
        ("method other", "DELETE {api}", "OPTIONS 204 | ACAO: * | ACAM: GET, POST, PUT ; 200", "preflight/method-not-allowed method=DELETE"),
        ("delete normalized", "delete {api}", "OPTIONS 204 | ACAO: * | ACAM: DELETE ; 200 | ACAO: *", "ok"),
        ("patch not normalized", "patch {api}", "OPTIONS 204 | ACAO: * | ACAM: PATCH ; 200 | ACAO: *", "preflight/method-not-allowed method=patch"),
        ("PATCH upper ok", "PATCH {api}", "OPTIONS 204 | ACAO: * | ACAM: PATCH ; 200 | ACAO: *", "ok"),
        ("methods case-sensitive", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: put ; 200", "preflight/method-not-allowed"),
        ("star methods", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: * ; 200 | ACAO: *", "ok"),
        ("ACAM over two lines", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: GET | ACAM: PUT ; 200 | ACAO: *", "ok"),
        ("ACAM bad token", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: PUT, BAD METHOD ; 200", "preflight/invalid-allow-list header=access-control-allow-methods"),
        ("ACAM empty items", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: ,PUT,, ; 200 | ACAO: *", "ok"),
        ("ACAH bad token", "GET {api} | X-A: 1", "OPTIONS 204 | ACAO: * | ACAH: x-a, x(b) ; 200", "preflight/invalid-allow-list header=access-control-allow-headers"),
        ("header missing", "GET {api} | X-A: 1", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=x-a"),
        ("header case-insensitive", "GET {api} | X-Api-Key: k", "OPTIONS 204 | ACAO: * | ACAH: X-API-KEY ; 200 | ACAO: *", "ok acrh=x-api-key"),
        ("second header missing", "GET {api} | X-B: 1 | X-A: 1", "OPTIONS 204 | ACAO: * | ACAH: x-a ; 200", "preflight/header-not-allowed header=x-b"),
        ("json content type", "body={} POST {api} | Content-Type: application/json", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=content-type"),
        ("json allowed", "body={} POST {api} | Content-Type: application/json", "OPTIONS 204 | ACAO: * | ACAH: Content-Type ; 201 | ACAO: *", "ok status=201"),
        ("star headers", "GET {api} | X-A: 1", "OPTIONS 204 | ACAO: * | ACAH: * ; 200 | ACAO: *", "ok"),
        ("star not for authorization", "GET {api} | Authorization: Bearer x", "OPTIONS 204 | ACAO: * | ACAH: * ; 200 | ACAO: *", "preflight/authorization-wildcard header=authorization"),
        ("authorization listed", "GET {api} | Authorization: Bearer x", "OPTIONS 204 | ACAO: * | ACAH: *, Authorization ; 200 | ACAO: *", "ok"),
        ("authorization missing", "GET {api} | Authorization: Bearer x", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=authorization"),
        ("star headers with credentials", "include GET {api} | X-A: 1", "OPTIONS 204 | ACAO: {origin} | ACAC: true | ACAH: * ; 200", "preflight/header-not-allowed header=x-a"),
        ("star methods with credentials", "include PUT {api}", "OPTIONS 204 | ACAO: {origin} | ACAC: true | ACAM: * ; 200", "preflight/method-not-allowed"),
        ("acrh sorted lower", "GET {api} | X-B: 1 | x-a: 2 | X-A: 3", "OPTIONS 204 | ACAO: * | ACAH: x-a,x-b ; 200 | ACAO: *", "ok acrh=x-a,x-b"),
        ("acrh json", "body=1 POST {api} | Content-Type: application/json | Accept: */*", "OPTIONS 204 | ACAO: * | ACAH: content-type ; 200 | ACAO: *", "ok acrh=content-type"),
        ("hidden 500", "PUT {api}", "OPTIONS 204 | ACAO: {origin} | ACAM: PUT ; 500", "response/hidden-server-error status=500"),
        ("hidden 404", "GET {api} | X-A: 1", "OPTIONS 204 | ACAO: * | ACAH: x-a ; 404", "response/hidden-server-error status=404"),
        ("actual 200 without ACAO after preflight", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: PUT ; 200", "response/allow-origin/missing status=200"),
        ("actual mismatch after preflight", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: PUT ; 500 | ACAO: http://x.test", "response/allow-origin/mismatch"),
        ("max-age text", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: PUT | ACMA: 86400 ; 200 | ACAO: *", "ok"),
        ("value over 128 bytes", "GET {api} | Accept: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=accept"),
        ("text/html content type", "body=x POST {api} | Content-Type: text/html", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=content-type"),
        ("content-language bad char", "GET {api} | Content-Language: de/at", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=content-language"),
        ("range suffix", "GET {api} | Range: bytes=-500", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=range"),
        ("range two ranges", "GET {api} | Range: bytes=0-1,5-6", "OPTIONS 204 | ACAO: * ; 200", "preflight/header-not-allowed header=range"),
        ("304 delivered", "GET {api} | If-None-Match: \"x\"", "OPTIONS 204 | ACAO: * | ACAH: if-none-match ; 304 | ACAO: *", "ok status=304"),
        ("304 without ACAO", "GET {api} | If-None-Match: \"x\"", "OPTIONS 204 | ACAO: * | ACAH: if-none-match ; 304", "response/allow-origin/missing status=304"),
    ]);
}

#[test]
fn local_network() {
    run(&[
        (
            "public to private needs ACAPN",
            "from=https://app.example GET https://192.168.1.10/",
            "OPTIONS 204 | ACAO: https://app.example ; 200 | ACAO: *",
            "preflight/local-network value= preflight=1",
        ),
        (
            "public to private ok",
            "from=https://app.example GET https://192.168.1.10/",
            "OPTIONS 204 | ACAO: * | ACAPN: true ; 200 | ACAO: *",
            "ok preflight=1",
        ),
        (
            "ACAPN wrong value",
            "from=https://app.example GET https://10.1.2.3/",
            "OPTIONS 204 | ACAO: * | ACAPN: yes ; 200 | ACAO: *",
            "preflight/local-network value=yes",
        ),
        (
            "loopback to loopback: nothing",
            "GET {api}",
            "200 | ACAO: *",
            "ok preflight=0",
        ),
        (
            "public to localhost",
            "from=https://app.example GET http://localhost:3000/",
            "OPTIONS 204 | ACAO: * ; 200 | ACAO: *",
            "preflight/local-network",
        ),
        (
            "insecure public page to loopback: refused, nothing sent",
            "from=http://app.example:8080 GET http://127.0.0.1:3000/",
            "OPTIONS 204 | ACAO: * | ACAPN: true ; 200 | ACAO: *",
            "network/local-network-access secure_context=false preflight=0",
        ),
        (
            "local to public: nothing",
            "from=http://192.168.0.2 GET https://api.example/",
            "200 | ACAO: *",
            "ok preflight=0",
        ),
    ]);
}

#[test]
fn redirects() {
    run(&[
        ("same-origin redirect", "GET {api}", "302 | ACAO: * | Location: /b >> 200 | ACAO: {origin}", "ok redirected=true url=http://127.0.0.1:9090/b"),
        ("redirect needs ACAO", "GET {api}", "302 | Location: /b >> 200 | ACAO: *", "response/allow-origin/missing status=302"),
        ("cross-origin hop taints", "GET {api}", "302 | ACAO: * | Location: http://other.test/ >> 200 | ACAO: {origin}", "redirect/tainted-origin value=http://127.0.0.1:8080"),
        ("tainted allows null", "GET {api}", "302 | ACAO: * | Location: http://other.test/ >> 200 | ACAO: null", "ok"),
        ("tainted allows *", "GET {api}", "307 | ACAO: * | Location: http://other.test/ >> 200 | ACAO: *", "ok"),
        ("tainted missing", "GET {api}", "302 | ACAO: * | Location: http://other.test/ >> 200", "response/allow-origin/missing"),
        ("page to api: not tainted", "GET {page}/r", "302 | Location: {api} >> 200 | ACAO: {origin}", "ok"),
        ("credentials in Location", "GET {api}", "302 | ACAO: * | Location: http://u:p@127.0.0.1:9090/x >> 200 | ACAO: *", "redirect/credentials-in-url"),
        ("ftp Location", "GET {api}", "302 | ACAO: * | Location: ftp://example.com/ >> 200", "redirect/unsupported-scheme scheme=ftp"),
        ("data Location", "GET {api}", "301 | ACAO: * | Location: data:text/plain,x >> 200", "redirect/unsupported-scheme scheme=data"),
        ("bad Location", "GET {api}", "302 | ACAO: * | Location: http://[::1 >> 200", "redirect/invalid-location"),
        ("3xx without Location is a response", "GET {api}", "300 | ACAO: *", "ok status=300 redirected=false"),
        ("missing hop", "GET {api}", "302 | ACAO: * | Location: /b", "network/unreachable missing=response hop=1"),
        ("redirect mode error", "error GET {api}", "302 | ACAO: * | Location: /b >> 200", "redirect/mode-error"),
        ("redirect mode manual", "manual GET {api}", "302 | ACAO: * | Location: /b >> 200", "ok status=0"),
        ("303 PUT becomes GET", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: PUT ; 303 | ACAO: * | Location: /b >> 200 | ACAO: *", "ok"),
        ("307 PUT preflights again", "PUT {api}", "OPTIONS 204 | ACAO: * | ACAM: PUT ; 307 | ACAO: * | Location: /b >> OPTIONS 204 | ACAO: * ; 200 | ACAO: *", "preflight/method-not-allowed"),
        ("302 POST json drops content-type", "body={} POST {api} | Content-Type: application/json", "OPTIONS 204 | ACAO: * | ACAH: content-type ; 302 | ACAO: * | Location: /b >> 200 | ACAO: *", "ok"),
        ("https page redirected to http", "from=https://app.example GET https://api.example/", "302 | ACAO: * | Location: http://api.example/ >> 200", "network/mixed-content"),
        ("redirect to page origin", "GET {api}", "302 | ACAO: * | Location: {page}/x >> 200 | ACAO: {origin}", "redirect/tainted-origin"),
    ]);
}

#[test]
fn too_many_redirects() {
    let hop = "302 | ACAO: * | Location: /again";
    let hops21 = vec![hop; 21].join(" >> ") + " >> 200 | ACAO: *";
    let hops20 = vec![hop; 20].join(" >> ") + " >> 200 | ACAO: *";
    crate::util::check("GET {api}", &hops21, "redirect/too-many").unwrap();
    crate::util::check("GET {api}", &hops20, "ok redirected=true").unwrap();
}

#[test]
fn exposed_headers() {
    run(&[
        (
            "safelisted only",
            "GET {api}",
            "200 | ACAO: * | Content-Type: text/plain | X-Total: 3 | Content-Length: 1",
            "ok exposed=content-length,content-type",
        ),
        (
            "listed",
            "GET {api}",
            "200 | ACAO: * | ACEH: X-Total | X-Total: 3",
            "ok exposed=x-total",
        ),
        (
            "star",
            "GET {api}",
            "200 | ACAO: * | ACEH: * | X-Total: 3 | Set-Cookie: a=b",
            "ok exposed=access-control-allow-origin,access-control-expose-headers,x-total",
        ),
        (
            "star with credentials literal",
            "include GET {api}",
            "200 | ACAO: {origin} | ACAC: true | ACEH: * | X-Total: 3",
            "ok exposed=none",
        ),
        (
            "set-cookie never",
            "GET {api}",
            "200 | ACAO: * | ACEH: set-cookie | Set-Cookie: a=b",
            "ok exposed=none",
        ),
        (
            "unparsable list",
            "GET {api}",
            "200 | ACAO: * | ACEH: x-total x-b | X-Total: 3",
            "ok exposed=none",
        ),
    ]);
}
