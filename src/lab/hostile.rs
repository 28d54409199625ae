//! The hostile port: a raw TCP server (not axum) whose paths misbehave the way broken servers,
//! proxies and non-HTTP services do: huge and endless bodies, a drip, too many or too large
//! headers, bytes that are not UTF-8 or not HTTP at all, a reset in the middle of the headers, a
//! body shorter than its `Content-Length`, markup meant to run in the page, a slow preflight,
//! status 999.
//!
//! Bounded: at most [`MAX_CONNECTIONS`] connections at once (more are closed at once), each one
//! ends within [`CONNECTION_LIMIT`] (or when the lab stops); a request head may not exceed
//! [`MAX_HEAD`] bytes, a request body is read up to [`MAX_REQUEST_BODY`]; the 50 MB bodies are
//! streamed from one static 64 KB block, never held in memory. Every response closes its
//! connection (`Connection: close`), and every request is logged like the axum ports'.
//!
//! Query `delay_ms=N` (at most 10 s) delays any path before it misbehaves. Unless a path says
//! otherwise, responses reflect the request's `Origin` with credentials
//! allowed, so the browser hands them to the page: the point is what the page then does with them.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use super::log::{Log, LoggedRequest};
use super::scenarios::Scenario;
use super::server::stopped;

/// Connections served at once; further ones are closed without a byte.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// A connection ends after this, whatever it is doing.
pub(crate) const CONNECTION_LIMIT: Duration = Duration::from_secs(60);
/// The request line and headers may not exceed this many bytes.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// At most this much of a request body is read (and then the connection is closed).
const MAX_REQUEST_BODY: usize = 1024 * 1024;
/// The request head must arrive within this.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// What the 50 MB paths send.
pub(crate) const BIG_BODY: usize = 50 * 1024 * 1024;
/// The block the big bodies repeat.
const BLOCK: usize = 64 * 1024;
/// `/drip`: one byte per tick, at most this many bytes.
const DRIP_TICK: Duration = Duration::from_millis(200);
const DRIP_BYTES: usize = 150;
/// Query `delay_ms=N` waits this long at most before any path answers.
const MAX_DELAY: Duration = Duration::from_secs(10);
/// `/slow-preflight`: how long the OPTIONS answer takes.
pub(crate) const SLOW_PREFLIGHT: Duration = Duration::from_secs(5);
/// `/huge-header`: the length of its one header value.
pub(crate) const HUGE_HEADER: usize = 60 * 1024;
/// `/many-headers`: how many `X-Hostile-NNN` headers.
pub(crate) const MANY_HEADERS: usize = 200;

const fn s(path: &'static str, summary: &'static str) -> Scenario {
    Scenario { path, summary }
}

static HOSTILE: &[Scenario] = &[
    s("/big", "200 with a 50 MB body and its Content-Length, streamed"),
    s("/big-chunked", "200 with a 50 MB chunked body, streamed"),
    s("/drip", "200 at once, then the body one byte every 200 ms (150 bytes)"),
    s("/redirect-loop", "302 to itself (?hop=N+1), forever, with CORS headers"),
    s("/many-headers", "200 with 200 X-Hostile-NNN headers, all exposed"),
    s("/huge-header", "200 with one 60 KB header value (X-Huge, exposed)"),
    s("/not-utf8", "200, charset=utf-8, with a body of invalid UTF-8 sequences"),
    s("/not-http", "answers bytes that are not HTTP (no status line), then closes"),
    s("/reset-in-headers", "sends half a header line, then resets the connection (RST)"),
    s("/short-body", "Content-Length: 1000 and 10 bytes of body, then closes"),
    s(
        "/markup",
        "text/html body with <script>/onerror markup; a status text and an exposed X-Markup header with markup",
    ),
    s("/slow-preflight", "OPTIONS answers a correct preflight after 5 s; other methods 200 at once"),
    s("/status-999", "status line HTTP/1.1 999 with CORS headers"),
    s("/never-answers", "reads the request and never answers (until the lab stops or 60 s)"),
];

/// The hostile port's paths with a one-line summary.
pub fn hostile_scenarios() -> &'static [Scenario] {
    HOSTILE
}

/// Serves the hostile paths on `listener` until `stop` says so; open connections end with it.
pub(crate) async fn serve(
    listener: TcpListener,
    log: Log,
    stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let port = listener.local_addr()?.port();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // A transient accept error (e.g. too many open files): breathe, go on.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                    drop(stream);
                    continue;
                };
                let log = log.clone();
                let stop = stop.clone();
                tasks.spawn(async move {
                    let _slot = slot;
                    tokio::select! {
                        _ = tokio::time::timeout(CONNECTION_LIMIT, connection(stream, &log, port)) => {}
                        () = stopped(stop) => {}
                    }
                });
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            () = stopped(stop.clone()) => break,
        }
    }
    tasks.shutdown().await;
    Ok(())
}

/// A request as the hostile port reads it.
#[derive(Debug, Default)]
struct Incoming {
    method: String,
    path: String,
    query: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Incoming {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn is_preflight(&self) -> bool {
        self.method == "OPTIONS"
    }

    /// The `Access-Control-*` lines that let the page read the response.
    fn cors(&self) -> String {
        let mut lines = match self.header("origin") {
            Some(origin) => format!(
                "Access-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\n"
            ),
            None => "Access-Control-Allow-Origin: *\r\n".to_owned(),
        };
        if self.is_preflight() {
            if let Some(method) = self.header("access-control-request-method") {
                lines.push_str(&format!("Access-Control-Allow-Methods: {method}\r\n"));
            }
            if let Some(headers) = self.header("access-control-request-headers") {
                lines.push_str(&format!("Access-Control-Allow-Headers: {headers}\r\n"));
            }
            lines.push_str("Access-Control-Max-Age: 0\r\n");
        }
        lines
    }
}

async fn connection(mut stream: TcpStream, log: &Log, port: u16) -> io::Result<()> {
    let read = tokio::time::timeout(HEAD_TIMEOUT, read_request(&mut stream)).await;
    let Ok(Ok(Some((request, body_len)))) = read else {
        return Ok(());
    };
    log.push(LoggedRequest {
        port,
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        target: request.target.clone(),
        origin: request.header("origin").map(str::to_owned),
        headers: request.headers.clone(),
        body_len,
    });
    if respond(&mut stream, &request).await? == Finish::Reset {
        // Dropped with SO_LINGER 0: the kernel sends RST, not FIN.
        return Ok(());
    }
    // Half-close and drain what the client still sends, so closing does not reset the answer.
    stream.shutdown().await?;
    let mut sink = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_millis(500), async {
        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
    })
    .await;
    Ok(())
}

/// Reads the request head (at most [`MAX_HEAD`] bytes) and up to [`MAX_REQUEST_BODY`] of its
/// body. `None` when the client closed first or the head is not a request.
async fn read_request(stream: &mut TcpStream) -> io::Result<Option<(Incoming, usize)>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    };
    let head = String::from_utf8_lossy(buf.get(..head_end).unwrap_or_default()).into_owned();
    let Some(request) = parse_head(&head) else {
        return Ok(None);
    };
    let declared = request
        .header("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST_BODY);
    let mut body_len = buf.len().saturating_sub(head_end + 4);
    while body_len < declared {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body_len += n;
    }
    Ok(Some((request, body_len.min(declared))))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &str) -> Option<Incoming> {
    let mut lines = head.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Incoming {
        method,
        path: path.to_owned(),
        query: query.to_owned(),
        target: target.to_owned(),
        headers,
    })
}

/// A complete, small response: status line, CORS, `extra` header lines, the body.
fn simple(request: &Incoming, status_line: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let body = if request.method == "HEAD" || request.is_preflight() {
        &[][..]
    } else {
        body
    };
    let mut out = format!(
        "HTTP/1.1 {status_line}\r\n{cors}{extra}Content-Length: {len}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        cors = request.cors(),
        len = body.len(),
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn ok_body(request: &Incoming) -> Vec<u8> {
    serde_json::json!({
        "hostile": request.path.trim_start_matches('/'),
        "method": request.method,
    })
    .to_string()
    .into_bytes()
}

/// How a connection ends once its answer is written.
#[derive(Debug, PartialEq, Eq)]
enum Finish {
    /// Half-close, drain, close.
    Close,
    /// Drop at once (SO_LINGER 0 is set): a reset.
    Reset,
}

async fn respond(stream: &mut TcpStream, request: &Incoming) -> io::Result<Finish> {
    if let Some(ms) = request
        .query
        .split('&')
        .find_map(|pair| pair.strip_prefix("delay_ms="))
        .and_then(|ms| ms.parse::<u64>().ok())
    {
        tokio::time::sleep(Duration::from_millis(ms).min(MAX_DELAY)).await;
    }
    if request.path == "/reset-in-headers" {
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/pl")
            .await?;
        stream.flush().await?;
        tokio::time::sleep(Duration::from_millis(50)).await;
        stream.set_zero_linger()?;
        return Ok(Finish::Reset);
    }
    answer(stream, request).await.map(|()| Finish::Close)
}

async fn answer(stream: &mut TcpStream, request: &Incoming) -> io::Result<()> {
    let pf = request.is_preflight();
    let text = "Content-Type: text/plain; charset=utf-8\r\n";
    match request.path.as_str() {
        "/never-answers" => {
            // Hold the connection (the caller's time limit or the lab's stop ends it).
            tokio::time::sleep(CONNECTION_LIMIT).await;
            Ok(())
        }
        "/not-http" => {
            stream
                .write_all(b"\x00\x01\x02SSH-2.0-hostile\r\n\xff\xfe\xfd not HTTP at all\r\n\r\n")
                .await
        }
        "/slow-preflight" if pf => {
            tokio::time::sleep(SLOW_PREFLIGHT).await;
            stream
                .write_all(&simple(request, "204 No Content", "", b""))
                .await
        }
        _ if pf => {
            stream
                .write_all(&simple(request, "204 No Content", "", b""))
                .await
        }
        "/big" => {
            let head = format!(
                "HTTP/1.1 200 OK\r\n{cors}{text}Content-Length: {BIG_BODY}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                cors = request.cors(),
            );
            stream.write_all(head.as_bytes()).await?;
            stream_big(stream, false).await
        }
        "/big-chunked" => {
            let head = format!(
                "HTTP/1.1 200 OK\r\n{cors}{text}Transfer-Encoding: chunked\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                cors = request.cors(),
            );
            stream.write_all(head.as_bytes()).await?;
            stream_big(stream, true).await
        }
        "/drip" => {
            let head = format!(
                "HTTP/1.1 200 OK\r\n{cors}{text}Cache-Control: no-store\r\nConnection: close\r\n\r\n",
                cors = request.cors(),
            );
            stream.write_all(head.as_bytes()).await?;
            for byte in b"drip.".iter().cycle().take(DRIP_BYTES) {
                stream.write_all(&[*byte]).await?;
                stream.flush().await?;
                tokio::time::sleep(DRIP_TICK).await;
            }
            Ok(())
        }
        "/redirect-loop" => {
            let hop = request
                .query
                .strip_prefix("hop=")
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0);
            let extra = format!("Location: /redirect-loop?hop={}\r\n", hop.saturating_add(1));
            stream
                .write_all(&simple(request, "302 Found", &extra, b"around again"))
                .await
        }
        "/many-headers" => {
            let mut extra = String::new();
            let mut names = Vec::with_capacity(MANY_HEADERS);
            for i in 0..MANY_HEADERS {
                extra.push_str(&format!("X-Hostile-{i:03}: value {i}\r\n"));
                names.push(format!("X-Hostile-{i:03}"));
            }
            extra.push_str(&format!(
                "Access-Control-Expose-Headers: {}\r\n",
                names.join(", ")
            ));
            stream
                .write_all(&simple(request, "200 OK", &extra, &ok_body(request)))
                .await
        }
        "/huge-header" => {
            let value: String = "0123456789abcdef"
                .chars()
                .cycle()
                .take(HUGE_HEADER)
                .collect();
            let extra = format!("X-Huge: {value}\r\nAccess-Control-Expose-Headers: X-Huge\r\n");
            stream
                .write_all(&simple(request, "200 OK", &extra, &ok_body(request)))
                .await
        }
        "/not-utf8" => {
            let body: &[u8] =
                b"before \xff\xfe \xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x90\x28\xbc \x80 after";
            stream
                .write_all(&simple(request, "200 OK", text, body))
                .await
        }
        "/short-body" => {
            let head = format!(
                "HTTP/1.1 200 OK\r\n{cors}{text}Content-Length: 1000\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nshort body",
                cors = request.cors(),
            );
            stream.write_all(head.as_bytes()).await
        }
        "/markup" => {
            let extra = "Content-Type: text/html; charset=utf-8\r\n\
                X-Markup: <img src=x onerror=\"window.__pwned='header'\"><script>window.__pwned='header'</script>\r\n\
                Access-Control-Expose-Headers: X-Markup\r\n";
            let body = "<!DOCTYPE html><title>hostile</title>\
                <script>window.__pwned='body';alert('pwned')</script>\
                <img src=x onerror=\"window.__pwned='img'\">\
                <h1 id=\"hostile-markup\">markup from the server</h1>";
            let status = "200 <b>OK</b><script>window.__pwned='status'</script>";
            stream
                .write_all(&simple(request, status, extra, body.as_bytes()))
                .await
        }
        "/slow-preflight" => {
            stream
                .write_all(&simple(request, "200 OK", text, &ok_body(request)))
                .await
        }
        "/status-999" => {
            stream
                .write_all(&simple(request, "999 Hostile", text, &ok_body(request)))
                .await
        }
        _ => {
            let body = format!(
                "no hostile path at {} (GET / on the lab lists them)\n",
                request.path
            );
            stream
                .write_all(&simple(request, "404 Not Found", text, body.as_bytes()))
                .await
        }
    }
}

/// Writes [`BIG_BODY`] bytes from one static block, as chunks when `chunked`. Ends early (with
/// the write's error) when the client goes away.
async fn stream_big(stream: &mut TcpStream, chunked: bool) -> io::Result<()> {
    static BLOCK_BYTES: [u8; BLOCK] = block();
    let mut left = BIG_BODY;
    while left > 0 {
        let n = left.min(BLOCK);
        let part = BLOCK_BYTES.get(..n).unwrap_or_default();
        if chunked {
            stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
            stream.write_all(part).await?;
            stream.write_all(b"\r\n").await?;
        } else {
            stream.write_all(part).await?;
        }
        left -= n;
    }
    if chunked {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    stream.flush().await
}

/// 64 KB of printable text: lines of `0123…` ending in a newline.
const fn block() -> [u8; BLOCK] {
    let mut out = [0u8; BLOCK];
    let mut i = 0;
    while i < BLOCK {
        out[i] = if i % 64 == 63 {
            b'\n'
        } else {
            b"0123456789"[i % 10]
        };
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::{BIG_BODY, HUGE_HEADER, MANY_HEADERS, MAX_CONNECTIONS};
    use crate::lab::Lab;

    const ORIGIN: &str = "http://localhost:3000";

    async fn connect(lab: &Lab, method: &str, path: &str) -> TcpStream {
        let mut stream = TcpStream::connect(("127.0.0.1", lab.hostile_port()))
            .await
            .expect("connect");
        let raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\nAccess-Control-Request-Method: PUT\r\n\r\n"
        );
        stream.write_all(raw.as_bytes()).await.expect("write");
        stream
    }

    /// Reads until the lab closes: the bytes, their count and whether it ended with a reset.
    async fn read_all(stream: &mut TcpStream, keep: usize) -> (Vec<u8>, usize, bool) {
        let mut kept = Vec::new();
        let mut total = 0;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let read = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buf))
                .await
                .expect("the lab closes within 20 s");
            match read {
                Ok(0) => return (kept, total, false),
                Ok(n) => {
                    total += n;
                    let room = keep.saturating_sub(kept.len()).min(n);
                    kept.extend_from_slice(&buf[..room]);
                }
                Err(e) => {
                    assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}");
                    return (kept, total, true);
                }
            }
        }
    }

    fn head_of(bytes: &[u8]) -> String {
        let text = String::from_utf8_lossy(bytes);
        text.split("\r\n\r\n").next().unwrap_or("").to_owned()
    }

    #[tokio::test]
    async fn big_bodies_stream_fifty_megabytes() {
        let lab = Lab::start().await.expect("start");
        let mut stream = connect(&lab, "GET", "/big").await;
        let (kept, total, reset) = read_all(&mut stream, 4096).await;
        let head = head_of(&kept);
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(
            head.contains(&format!("Content-Length: {BIG_BODY}")),
            "{head}"
        );
        assert!(head.contains(&format!("Access-Control-Allow-Origin: {ORIGIN}")));
        assert_eq!(total, head.len() + 4 + BIG_BODY);
        assert!(!reset);

        let mut stream = connect(&lab, "GET", "/big-chunked").await;
        let (kept, total, _) = read_all(&mut stream, 4096).await;
        let head = head_of(&kept);
        assert!(head.contains("Transfer-Encoding: chunked"), "{head}");
        let chunks = BIG_BODY / (64 * 1024);
        // Each 64 KB chunk is framed as "10000\r\n…\r\n"; the last chunk is "0\r\n\r\n".
        assert_eq!(total, head.len() + 4 + BIG_BODY + chunks * 9 + 5);
        lab.shutdown().await;
    }

    #[tokio::test]
    async fn broken_answers_break_as_described() {
        let lab = Lab::start().await.expect("start");
        let mut stream = connect(&lab, "GET", "/not-http").await;
        let (kept, _, _) = read_all(&mut stream, 4096).await;
        assert!(!kept.starts_with(b"HTTP/") && !kept.is_empty());

        let mut stream = connect(&lab, "GET", "/reset-in-headers").await;
        let (kept, _, reset) = read_all(&mut stream, 4096).await;
        assert_eq!(kept, b"HTTP/1.1 200 OK\r\nContent-Type: text/pl");
        assert!(reset, "the connection was reset");

        let mut stream = connect(&lab, "GET", "/short-body").await;
        let (kept, _, _) = read_all(&mut stream, 4096).await;
        let text = String::from_utf8_lossy(&kept);
        assert!(text.contains("Content-Length: 1000\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\nshort body"), "{text}");

        let mut stream = connect(&lab, "GET", "/status-999").await;
        let (kept, _, _) = read_all(&mut stream, 4096).await;
        assert!(kept.starts_with(b"HTTP/1.1 999 Hostile\r\n"));

        let mut stream = connect(&lab, "GET", "/many-headers").await;
        let (kept, _, _) = read_all(&mut stream, 64 * 1024).await;
        let head = head_of(&kept);
        let hostile = head.lines().filter(|l| l.starts_with("X-Hostile-")).count();
        assert_eq!(hostile, MANY_HEADERS);

        let mut stream = connect(&lab, "GET", "/huge-header").await;
        let (kept, _, _) = read_all(&mut stream, 128 * 1024).await;
        let head = head_of(&kept);
        let huge = head
            .lines()
            .find_map(|l| l.strip_prefix("X-Huge: "))
            .map_or(0, str::len);
        assert_eq!(huge, HUGE_HEADER);

        let mut stream = connect(&lab, "GET", "/not-utf8").await;
        let (kept, _, _) = read_all(&mut stream, 4096).await;
        let body = kept.split(|b| *b == b'\n').next_back().unwrap_or_default();
        assert!(std::str::from_utf8(body).is_err());

        let mut stream = connect(&lab, "GET", "/redirect-loop?hop=7").await;
        let (kept, _, _) = read_all(&mut stream, 4096).await;
        assert!(head_of(&kept).contains("Location: /redirect-loop?hop=8"));

        // A preflight is answered at once (but for /slow-preflight's), echoing the method.
        let mut stream = connect(&lab, "OPTIONS", "/markup").await;
        let (kept, _, _) = read_all(&mut stream, 4096).await;
        let head = head_of(&kept);
        assert!(head.starts_with("HTTP/1.1 204"), "{head}");
        assert!(head.contains("Access-Control-Allow-Methods: PUT"), "{head}");
        assert_eq!(
            lab.requests()
                .iter()
                .filter(|r| r.port == lab.hostile_port())
                .count(),
            9
        );
        lab.shutdown().await;
    }

    #[tokio::test]
    async fn connections_are_bounded_and_end_with_the_lab() {
        let lab = Lab::start().await.expect("start");
        let mut held = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            held.push(connect(&lab, "GET", "/never-answers").await);
        }
        // Let the lab take them all in.
        let deadline = Instant::now() + Duration::from_secs(5);
        while lab.requests().len() < MAX_CONNECTIONS && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut extra = connect(&lab, "GET", "/status-999").await;
        let (kept, _, _) = read_all(&mut extra, 4096).await;
        assert!(
            kept.is_empty(),
            "a connection beyond the limit is closed unanswered"
        );
        let started = Instant::now();
        lab.shutdown().await;
        assert!(started.elapsed() < Duration::from_secs(2));
        for mut stream in held {
            let (kept, _, _) = read_all(&mut stream, 64).await;
            assert!(kept.is_empty());
        }
    }
}
