//! Probes for load balancers and orchestrators, and the metrics for
//! Prometheus; no authentication.

use actix_web::{HttpResponse, web};

use super::server::App;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

/// The database is migrated and answers.
pub async fn readyz(app: web::Data<App>) -> HttpResponse {
    if !app.readiness.is_migrated() {
        return HttpResponse::ServiceUnavailable().content_type("text/plain").body("migrating\n");
    }
    match crate::db::ping(&app.db).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready\n"),
        Err(err) => {
            tracing::warn!(error = %err, "database not reachable");
            HttpResponse::ServiceUnavailable().content_type("text/plain").body("database unreachable\n")
        }
    }
}

/// `/metrics`, in Prometheus' text format.
pub async fn metrics(app: web::Data<App>) -> HttpResponse {
    match crate::metrics::get() {
        Some(metrics) => {
            HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.render(&app.db))
        }
        None => HttpResponse::ServiceUnavailable().content_type("text/plain").body("metrics are off\n"),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::{App as ActixApp, http::StatusCode, test, web};

    use super::*;
    use crate::{Config, auth::Verifier, http::server::Readiness};

    async fn status(app: App) -> (StatusCode, String) {
        let service =
            test::init_service(ActixApp::new().app_data(web::Data::new(app)).route("/readyz", web::get().to(readyz)))
                .await;
        let resp = test::call_service(&service, test::TestRequest::get().uri("/readyz").to_request()).await;
        let status = resp.status();
        (status, String::from_utf8_lossy(&test::read_body(resp).await).into_owned())
    }

    #[actix_web::test]
    async fn not_ready_while_migrating_or_when_the_database_is_gone() {
        let config = Config::for_database("sqlite::memory:", "a-secret-long-enough-for-hs256-tests-0123");
        let db = crate::db::connect("sqlite::memory:", &config.limits).await.unwrap_or_else(|e| panic!("{e}"));
        crate::db::migrate(&db).await.unwrap_or_else(|e| panic!("{e}"));
        let verifier = Verifier::from_config(&config).await.unwrap_or_else(|e| panic!("{e}"));
        let readiness = Readiness::default();
        let app = App::new(&config, db.clone(), verifier, readiness.clone()).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status(app.clone()).await, (StatusCode::SERVICE_UNAVAILABLE, "migrating\n".to_owned()));
        readiness.set_migrated();
        assert_eq!(status(app.clone()).await, (StatusCode::OK, "ready\n".to_owned()));
        db.close().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status(app).await, (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n".to_owned()));
    }
}
