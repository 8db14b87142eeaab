//! Starting the server: migrate, load the bundled kit, bind, serve, and stop
//! gracefully on SIGINT/SIGTERM (in-flight requests finish).

use std::{net::SocketAddr, sync::Arc, time::Duration};

use actix_web::{
    App as ActixApp, HttpMessage, HttpServer,
    body::MessageBody,
    dev::{ServerHandle, ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::{Condition, Next, from_fn},
    web,
};
use sea_orm::DatabaseConnection;
use tokio::{sync::watch, task::JoinHandle};
use tracing_actix_web::{RequestId, TracingLogger};

use super::{apq::PersistedQueries, cors, export, graphiql, graphql, health};
use crate::{
    auth::Verifier,
    config::Config,
    db,
    domain::kits::{self, ImportOutcome},
    graphql::{AppSchema, build},
    kit,
};

/// Everything a request handler needs, shared by all workers.
#[derive(Clone)]
pub struct App {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub verifier: Verifier,
    /// Origins allowed to call from a browser (`OPSKIT_CORS_ORIGINS`).
    pub cors_origins: Vec<String>,
    /// Automatic persisted queries' texts, by hash.
    pub persisted_queries: Arc<PersistedQueries>,
    /// `/readyz` is false until the database is migrated.
    pub readiness: Readiness,
}

/// A server that is accepting connections.
pub struct Running {
    pub addr: SocketAddr,
    pub handle: ServerHandle,
    /// The server's task; it ends when the server stops.
    pub server: JoinHandle<std::io::Result<()>>,
}

/// Connects, migrates and imports the bundled kit when it is absent.
pub async fn prepare(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = db::connect(&config.database_url).await?;
    prepare_on(&db).await?;
    Ok(db)
}

/// Migrates `db` and imports the bundled kit when it is absent.
async fn prepare_on(db: &DatabaseConnection) -> anyhow::Result<()> {
    db::migrate(db).await?;
    let doc =
        kit::parse(kit::BUNDLED_KIT, false).map_err(|p| anyhow::anyhow!("bundled kit is invalid: {}", p.join("; ")))?;
    match kits::import(db, &doc).await? {
        ImportOutcome::Imported(_) => tracing::info!(kit = %doc.key, version = %doc.version, "bundled kit imported"),
        ImportOutcome::AlreadyPresent(_) => {
            tracing::debug!(kit = %doc.key, version = %doc.version, "bundled kit present")
        }
    }
    Ok(())
}

/// Connects, binds `bind` and serves, then migrates: `/readyz` answers 503
/// until the migrations and the bundled kit's import are done, and this
/// returns once they are. Await `Running::server` to wait for the server to stop.
pub async fn start(config: &Config, bind: &str, workers: usize) -> anyhow::Result<Running> {
    Verifier::from_config(config)?;
    let db = db::connect(&config.database_url).await?;
    let readiness = Readiness::default();
    let running = serve(App::new(config, db.clone(), readiness.clone())?, bind, workers)?;
    if let Err(err) = prepare_on(&db).await {
        running.handle.stop(false).await;
        return Err(err);
    }
    readiness.set_migrated();
    tracing::debug!("database migrated: ready");
    Ok(running)
}

/// Binds `bind` and serves over a database already prepared (benchmarks pass one that counts statements).
pub fn start_on(config: &Config, db: DatabaseConnection, bind: &str, workers: usize) -> anyhow::Result<Running> {
    let readiness = Readiness::default();
    readiness.set_migrated();
    serve(App::new(config, db, readiness)?, bind, workers)
}

impl App {
    /// The shared state of a server over `db`.
    pub fn new(config: &Config, db: DatabaseConnection, readiness: Readiness) -> anyhow::Result<Self> {
        Ok(App {
            schema: build(db.clone()),
            db,
            verifier: Verifier::from_config(config)?,
            cors_origins: config.cors_origins.clone(),
            persisted_queries: Arc::default(),
            readiness,
        })
    }
}

/// Whether the database is migrated, shared by the server and whoever migrates.
#[derive(Clone)]
pub struct Readiness(Arc<watch::Sender<bool>>);

impl Default for Readiness {
    fn default() -> Self {
        Self(Arc::new(watch::Sender::new(false)))
    }
}

impl Readiness {
    /// The migrations and the bundled kit's import are done.
    pub fn set_migrated(&self) {
        self.0.send_replace(true);
    }

    pub fn is_migrated(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits until the database is migrated (at most `limit`); whether it is.
    pub async fn wait(&self, limit: Duration) -> bool {
        let mut migrated = self.0.subscribe();
        matches!(tokio::time::timeout(limit, migrated.wait_for(|done| *done)).await, Ok(Ok(_)))
    }
}

fn serve(app: App, bind: &str, workers: usize) -> anyhow::Result<Running> {
    let server = HttpServer::new(move || {
        ActixApp::new()
            .app_data(web::Data::new(app.clone()))
            .app_data(web::PayloadConfig::new(4 * 1024 * 1024))
            .wrap(Condition::new(!app.cors_origins.is_empty(), cors::middleware(&app.cors_origins)))
            .wrap(from_fn(request_id_header))
            .wrap(TracingLogger::default())
            .configure(routes)
    })
    .workers(workers.max(1))
    .shutdown_timeout(10)
    .bind(bind)?;
    let addr = server.addrs().first().copied().ok_or_else(|| anyhow::anyhow!("bound to no address"))?;
    let server = server.run();
    // The server accepts connections only while its future runs: spawned
    // here, so that `/readyz` answers while the database is migrated.
    let handle = server.handle();
    Ok(Running { addr, handle, server: tokio::spawn(server) })
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics))
        .route("/graphiql", web::get().to(graphiql::page))
        .route("/graphiql/assets/{name}", web::get().to(graphiql::asset))
        .route("/engagements/{id}/knowledge-base.md", web::get().to(export::knowledge_base))
        .service(web::resource("/graphql").to(graphql::handle));
}

/// Echoes the request ID that every log line of the request carries, so a
/// client can quote it when reporting a problem.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(ToString::to_string);
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}
