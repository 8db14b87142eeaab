//! Probes for load balancers and orchestrators; no authentication.

use actix_web::{HttpResponse, web};

use super::server::App;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

/// The database answers.
pub async fn readyz(app: web::Data<App>) -> HttpResponse {
    match crate::db::ping(&app.db).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready\n"),
        Err(err) => {
            tracing::warn!(error = %err, "database not reachable");
            HttpResponse::ServiceUnavailable().content_type("text/plain").body("database unreachable\n")
        }
    }
}
