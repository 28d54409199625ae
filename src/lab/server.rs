//! The axum side: one router per port, a single fallback handler for every method and path, and
//! a listener whose connections a handler can cut without answering ([`Cut`]).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::to_bytes;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ORIGIN,
};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use axum::Router;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::log::{Log, LoggedRequest};
use super::query;
use super::respond::{Ctx, Reply};
use super::scenarios::{self, Answer};

/// Request bodies larger than this are logged with the length read so far being unknown (0).
const MAX_BODY: usize = 64 * 1024 * 1024;
const MAX_DELAY_MS: u64 = 60_000;
const NEVER_ANSWER_LIMIT: Duration = Duration::from_secs(600);

/// State common to both ports.
pub(crate) struct Shared {
    pub primary_port: u16,
    pub secondary_port: u16,
    pub hostile_port: u16,
    pub log: Log,
    pub stop: watch::Receiver<bool>,
}

#[derive(Clone)]
pub(crate) struct PortState {
    pub port: u16,
    pub shared: Arc<Shared>,
}

pub(crate) fn router(state: PortState) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// Serves `router` on `listener` until `stop` says so; handlers can [`Cut`] their connection.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let app = router.into_make_service_with_connect_info::<Cut>();
    axum::serve(LabListener(listener), app)
        .with_graceful_shutdown(stopped(stop))
        .await
}

/// One connection's switch: once cut, the connection fails every read and write, so hyper drops
/// it without writing the response it is given and closes the socket: the client reads
/// end-of-stream (a reset if request bytes were left unread) with no byte of HTTP, a network error
/// for a browser (Chromium: `ERR_EMPTY_RESPONSE`), as when a proxy or a dead upstream drops it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cut(Arc<AtomicBool>);

impl Cut {
    fn cut(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn is_cut(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl Connected<IncomingStream<'_, LabListener>> for Cut {
    fn connect_info(stream: IncomingStream<'_, LabListener>) -> Self {
        stream.io().cut.clone()
    }
}

/// Loopback TCP whose every connection carries a [`Cut`].
pub(crate) struct LabListener(TcpListener);

pub(crate) struct LabStream {
    stream: TcpStream,
    cut: Cut,
}

impl Listener for LabListener {
    type Io = LabStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (LabStream, SocketAddr) {
        let (stream, addr) = <TcpListener as Listener>::accept(&mut self.0).await;
        let cut = Cut::default();
        (LabStream { stream, cut }, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

fn cut_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection cut by the lab",
    )
}

impl AsyncRead for LabStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.cut.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for LabStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.cut.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.cut.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.cut.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// Resolves once the lab is told to stop (or its handle is dropped).
pub(crate) async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

async fn handle(State(state): State<PortState>, request: Request) -> Response {
    let shared = &state.shared;
    let (parts, body) = request.into_parts();
    let body_len = tokio::select! {
        body = to_bytes(body, MAX_BODY) => body.map(|b| b.len()).unwrap_or(0),
        () = stopped(shared.stop.clone()) => return shutting_down(),
    };
    let path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let origin = parts
        .headers
        .get(ORIGIN)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    if !is_control(&path) {
        shared.log.push(LoggedRequest {
            port: state.port,
            method: parts.method.to_string(),
            path: path.clone(),
            query: raw_query.clone(),
            target: parts
                .uri
                .path_and_query()
                .map_or_else(|| path.clone(), |t| t.as_str().to_owned()),
            origin: origin.clone(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                    (n.as_str().to_owned(), value)
                })
                .collect(),
            body_len,
        });
    }
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let ctx = Ctx {
        method: parts.method.clone(),
        path,
        query: query::parse(&raw_query),
        raw_query,
        port: state.port,
        acrm: header("access-control-request-method"),
        acrh: header("access-control-request-headers"),
        origin,
        primary_port: shared.primary_port,
        secondary_port: shared.secondary_port,
        body_len,
    };
    if let Some(ms) = ctx
        .param("delay_ms")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        let delay = Duration::from_millis(ms.min(MAX_DELAY_MS));
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = stopped(shared.stop.clone()) => return shutting_down(),
        }
    }
    match ctx.path.as_str() {
        "/" => control(&ctx, || {
            let list = serde_json::json!({
                "primary_origin": format!("http://127.0.0.1:{}", shared.primary_port),
                "secondary_origin": format!("http://127.0.0.1:{}", shared.secondary_port),
                "scenarios": scenarios::scenarios(),
                "hostile_origin": format!("http://127.0.0.1:{}", shared.hostile_port),
                "hostile": super::hostile::hostile_scenarios(),
            });
            Reply::new(StatusCode::OK).json(list.to_string())
        }),
        "/__log" => control(&ctx, || {
            match serde_json::to_string(&shared.log.snapshot()) {
                Ok(json) => Reply::new(StatusCode::OK).json(json),
                Err(e) => Reply::new(StatusCode::INTERNAL_SERVER_ERROR).text(e.to_string()),
            }
        }),
        "/__log/clear" if ctx.method == Method::POST || ctx.is_preflight() => control(&ctx, || {
            shared.log.clear();
            Reply::new(StatusCode::OK).json(r#"{"cleared":true}"#)
        }),
        "/__log/clear" => control(&ctx, || {
            Reply::new(StatusCode::METHOD_NOT_ALLOWED).text("POST /__log/clear clears the log\n")
        }),
        _ => match scenarios::answer(&ctx) {
            Some(Answer::Reply(reply)) => reply.into_response(),
            Some(Answer::Never) => never_answer(shared.stop.clone()).await,
            Some(Answer::Close) => match parts.extensions.get::<ConnectInfo<Cut>>() {
                Some(ConnectInfo(cut)) => {
                    cut.cut();
                    // Never written: the cut connection fails the write and hyper drops it.
                    Reply::new(StatusCode::INTERNAL_SERVER_ERROR)
                        .text("the connection was cut\n")
                        .into_response()
                }
                None => Reply::new(StatusCode::INTERNAL_SERVER_ERROR)
                    .text("this server cannot close connections without answering\n")
                    .into_response(),
            },
            None => Reply::new(StatusCode::NOT_FOUND)
                .text(format!("no scenario at {} (GET / lists them)\n", ctx.path))
                .into_response(),
        },
    }
}

/// `/`, `/__log` and `/__log/clear` are not logged (reading the log must not change it).
fn is_control(path: &str) -> bool {
    path == "/" || path == "/__log" || path == "/__log/clear"
}

/// Control endpoints answer any origin with `*`; their OPTIONS is a permissive preflight.
fn control(ctx: &Ctx, build: impl FnOnce() -> Reply) -> Response {
    let reply = if ctx.is_preflight() {
        let reply =
            Reply::new(StatusCode::NO_CONTENT).header(ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
        let reply = match &ctx.acrh {
            Some(requested) => reply.header(ACCESS_CONTROL_ALLOW_HEADERS, requested),
            None => reply,
        };
        reply.header(ACCESS_CONTROL_MAX_AGE, "0")
    } else {
        build()
    };
    reply
        .header(ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .into_response()
}

async fn never_answer(stop: watch::Receiver<bool>) -> Response {
    tokio::select! {
        () = tokio::time::sleep(NEVER_ANSWER_LIMIT) => Reply::new(StatusCode::GATEWAY_TIMEOUT)
            .text("never-answers gave up after 10 minutes\n")
            .into_response(),
        () = stopped(stop) => shutting_down(),
    }
}

fn shutting_down() -> Response {
    Reply::new(StatusCode::SERVICE_UNAVAILABLE)
        .text("the CORS lab is shutting down\n")
        .into_response()
}
