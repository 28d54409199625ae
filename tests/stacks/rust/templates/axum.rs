//! One axum variant of the stack-fix test: tests/e2e/stacks/axum.rs fills the markers.
//! Everything here uses full paths: the snippet's own `use` lines go at the top marker.
#![allow(unused_imports, dead_code)]

@@top@@

@@defs@@

fn json(status: axum::http::StatusCode, body: &'static str) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let content_type = [(axum::http::header::CONTENT_TYPE, "application/json")];
    (status, content_type, body).into_response()
}

async fn items() -> axum::response::Response {
    json(axum::http::StatusCode::OK, "{\"items\":[]}")
}

async fn fail_get() -> axum::response::Response {
    json(axum::http::StatusCode::OK, "{\"ok\":true}")
}

async fn fail_post() -> axum::response::Response {
    panic!("unhandled error in POST /api/fail")
}

pub fn run(port: u16) -> std::io::Result<()> {
    let app = axum::Router::new()
        .route("/api/items", axum::routing::get(items))
        .route("/api/fail", axum::routing::get(fail_get).post(fail_post));
    @@inner@@
    @@auth@@
    @@outer@@
    @@route@@
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        axum::serve(listener, app).await
    })
}
