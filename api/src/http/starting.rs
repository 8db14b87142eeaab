//! The server while it starts: bound at once so probes get an answer, but
//! the database is still being migrated. `/healthz` is up, `/readyz` says
//! `migrating` and everything else is `UNAVAILABLE` with `Retry-After`.

use actix_web::{HttpResponse, HttpServer, web};
use serde_json::json;

use super::server::Running;
use crate::error::ErrorCode;

/// Serves the starting answers on `listener` with one worker. No connection
/// is kept alive: a client reusing one after the full server takes over the
/// socket would find it closed under its next request.
pub fn serve(listener: std::net::TcpListener) -> anyhow::Result<Running> {
    let server = HttpServer::new(|| {
        actix_web::App::new()
            .route("/healthz", web::get().to(super::health::healthz))
            .route("/readyz", web::get().to(migrating))
            .default_service(web::to(unavailable))
    })
    .workers(1)
    .keep_alive(actix_web::http::KeepAlive::Disabled)
    .disable_signals()
    .listen(listener)?;
    let addr = server.addrs().first().copied().ok_or_else(|| anyhow::anyhow!("bound to no address"))?;
    let server = server.run();
    let handle = server.handle();
    Ok(Running { addr, handle, server: tokio::spawn(server) })
}

async fn migrating() -> HttpResponse {
    HttpResponse::ServiceUnavailable().content_type("text/plain").body("migrating\n")
}

/// A GraphQL-shaped refusal, so clients that read `extensions.code` retry.
async fn unavailable() -> HttpResponse {
    let body = json!({ "errors": [{
        "message": "the server is starting: its database is being migrated; retry shortly",
        "extensions": { "code": ErrorCode::Unavailable.as_str() },
    }] });
    HttpResponse::ServiceUnavailable().insert_header(("Retry-After", "1")).json(body)
}
