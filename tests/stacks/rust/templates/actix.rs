//! One actix-web variant of the stack-fix test: tests/e2e/stacks/actix.rs fills the markers.
//! Everything here uses full paths: the snippet's own `use` lines go at the top marker.
#![allow(unused_imports, dead_code)]

@@top@@

@@defs@@

fn json(status: actix_web::http::StatusCode, body: &'static str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::build(status)
        .content_type("application/json")
        .body(body)
}

async fn items() -> actix_web::HttpResponse {
    json(actix_web::http::StatusCode::OK, "{\"items\":[]}")
}

async fn fail_get() -> actix_web::HttpResponse {
    json(actix_web::http::StatusCode::OK, "{\"ok\":true}")
}

async fn fail_post() -> actix_web::Result<actix_web::HttpResponse> {
    Err(actix_web::error::ErrorInternalServerError(
        "unhandled error in POST /api/fail",
    ))
}

pub fn run(port: u16) -> std::io::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        actix_web::HttpServer::new(|| {
            actix_web::App::new()
                @@inner@@
                @@wrap@@
                @@outer@@
                @@route@@
                .route("/api/items", actix_web::web::get().to(items))
                .route("/api/fail", actix_web::web::get().to(fail_get))
                .route("/api/fail", actix_web::web::post().to(fail_post))
        })
        .workers(1)
        .bind(("127.0.0.1", port))?
        .run()
        .await
    })
}
