//! Starting the server: migrate, load the bundled kit, bind, serve, and stop
//! gracefully on SIGINT/SIGTERM (in-flight requests finish).

use std::{net::SocketAddr, sync::Arc};

use actix_web::{
    App as ActixApp, HttpMessage, HttpServer,
    body::MessageBody,
    dev::{ServerHandle, ServiceRequest, ServiceResponse},
    guard,
    http::header::{HeaderName, HeaderValue},
    middleware::{Condition, Next, from_fn},
    web,
};
use sea_orm::DatabaseConnection;
use tokio::{sync::watch, task::JoinHandle};
use tracing_actix_web::{RequestId, TracingLogger};

use super::{
    access_log::PathOnly,
    apq::PersistedQueries,
    cors, export, graphiql, graphql, health,
    live::{self, Connections},
    reports, starting, trackers,
};
use crate::{
    auth::Verifier,
    config::Config,
    db,
    delivery::Worker,
    domain::{
        access_cache::AccessCache,
        events::{self, Feed},
        kits::{self, CatalogHandle, ImportOutcome},
    },
    graphql::{AppSchema, build, ids},
    kit,
    limits::{Budgets, Limits},
    secrets,
};

/// Everything a request handler needs, shared by all workers.
#[derive(Clone)]
pub struct App {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub verifier: Verifier,
    pub limits: Limits,
    /// Every identity's query budget (in this process).
    pub budgets: Arc<Budgets>,
    /// Live connections per identity, counted against the configured limit.
    pub connections: Connections,
    /// Subscriptions one WebSocket connection may run at once.
    pub max_subscriptions_per_connection: usize,
    /// Origins allowed to call from a browser (`OPSKIT_CORS_ORIGINS`).
    pub cors_origins: Vec<String>,
    /// Automatic persisted queries' texts, by hash.
    pub persisted_queries: Arc<PersistedQueries>,
    /// Parsed documents of recent query texts.
    pub documents: Arc<super::documents::Documents>,
    /// `/readyz` is false until the database is migrated.
    pub readiness: Readiness,
    /// This process's delivery worker (webhooks), stopped with the last clone.
    pub deliveries: Option<Worker>,
    /// Every kit version, in memory; reloaded when a kit is imported.
    pub catalog: CatalogHandle,
    /// Who callers are and their memberships, for a few seconds.
    pub access: AccessCache,
}

impl App {
    /// The shared state over a prepared database: the schema with its event
    /// feed (whose pump starts here) and the limits of `config`.
    pub async fn new(
        config: &Config,
        db: DatabaseConnection,
        verifier: Verifier,
        readiness: Readiness,
    ) -> anyhow::Result<Self> {
        let limits = config.limits.clone();
        let access = AccessCache::new(config.access_cache_ttl);
        let feed = Feed::start(db.clone(), access.clone())
            .await
            .map_err(|e| anyhow::anyhow!("the event feed did not start: {e:?}"))?;
        // Loading and reloading the catalog are not requests: on PostgreSQL
        // they read on a connection of their own, without the request
        // deadline (`statement_timeout`); SQLite's pool has no deadline.
        let unbounded = match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                let limits = Limits { pool_size: Some(1), ..config.limits.without_deadline() };
                db::connect(&config.database_url, &limits).await?
            }
            _ => db.clone(),
        };
        let catalog = CatalogHandle::load(&unbounded)
            .await
            .map_err(|e| anyhow::anyhow!("the kit catalog did not load: {e:?}"))?;
        events::keep_fresh(&feed, unbounded, catalog.clone());
        let deliveries = if config.delivery.worker {
            // The worker reads and writes on connections of its own, beside
            // the pool requests wait on, and without the request deadline.
            let limits = Limits { pool_size: Some(2), ..config.limits.without_deadline() };
            let own = db::connect(&config.database_url, &limits).await?;
            Some(Worker::start(own, &feed, config.delivery)?)
        } else {
            None
        };
        Ok(Self {
            deliveries,
            schema: build(db.clone(), &limits, feed, config.delivery),
            db,
            verifier,
            budgets: Arc::new(Budgets::new(limits.budget, limits.window)),
            limits,
            connections: Connections::new(config.max_connections_per_identity),
            max_subscriptions_per_connection: config.max_subscriptions_per_connection,
            cors_origins: config.cors_origins.clone(),
            persisted_queries: Arc::default(),
            documents: Arc::default(),
            readiness,
            catalog,
            access,
        })
    }
}

/// A server that is accepting connections.
pub struct Running {
    pub addr: SocketAddr,
    pub handle: ServerHandle,
    /// The server's task; it ends when the server stops.
    pub server: JoinHandle<std::io::Result<()>>,
}

/// Connects, migrates and imports the bundled kit when it is absent (on a
/// pool without the request deadline), then opens the pool requests use.
pub async fn prepare(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let setup = db::connect(&config.database_url, &config.limits.without_deadline()).await?;
    import_bundled_kit(&setup).await?;
    setup.close().await?;
    db::connect(&config.database_url, &config.limits).await
}

async fn import_bundled_kit(db: &DatabaseConnection) -> anyhow::Result<()> {
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

/// Binds `bind` and answers at once, then migrates: while the migrations
/// and the bundled kit's import run, `/readyz` is 503 `migrating` and every
/// other request 503 `UNAVAILABLE` (so orchestrators hold traffic back and
/// clients retry); once they are done the full server takes over the same
/// socket (connections arriving meanwhile wait in its backlog) and this
/// returns. Await `Running::server` to wait for the server to stop.
pub async fn start(config: &Config, bind: &str, workers: usize) -> anyhow::Result<Running> {
    let verifier = Verifier::from_config(config).await?;
    ids::install(config.id_key()?)?;
    secrets::install(config.secrets_key()?)?;
    let listener = std::net::TcpListener::bind(bind)?;
    let migrating = starting::serve(listener.try_clone()?)?;
    let prepared = prepare(config).await;
    migrating.handle.stop(true).await;
    migrating.server.await??;
    serve(App::new(config, prepared?, verifier, Readiness::migrated()).await?, Bind::Listener(listener), workers)
}

/// Binds `bind` over a database already prepared (benchmarks pass one that counts statements).
pub async fn start_on(config: &Config, db: DatabaseConnection, bind: &str, workers: usize) -> anyhow::Result<Running> {
    let verifier = Verifier::from_config(config).await?;
    ids::install(config.id_key()?)?;
    secrets::install(config.secrets_key()?)?;
    serve(App::new(config, db, verifier, Readiness::migrated()).await?, Bind::Address(bind), workers)
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
    /// A database prepared before the server starts.
    pub fn migrated() -> Self {
        let readiness = Self::default();
        readiness.set_migrated();
        readiness
    }

    /// The migrations and the bundled kit's import are done.
    pub fn set_migrated(&self) {
        self.0.send_replace(true);
    }

    pub fn is_migrated(&self) -> bool {
        *self.0.borrow()
    }
}

/// Where the server listens: an address to bind, or a socket bound already.
enum Bind<'a> {
    Address(&'a str),
    Listener(std::net::TcpListener),
}

fn serve(app: App, bind: Bind<'_>, workers: usize) -> anyhow::Result<Running> {
    let server = HttpServer::new(move || {
        ActixApp::new()
            .app_data(web::Data::new(app.clone()))
            .app_data(web::PayloadConfig::new(4 * 1024 * 1024))
            .wrap(Condition::new(!app.cors_origins.is_empty(), cors::middleware(&app.cors_origins)))
            .wrap(from_fn(request_id_header))
            .wrap(TracingLogger::<PathOnly>::new())
            .configure(routes)
    })
    .workers(workers.max(1))
    .shutdown_timeout(10);
    let server = match bind {
        Bind::Address(address) => server.bind(address)?,
        Bind::Listener(listener) => server.listen(listener)?,
    };
    let addr = server.addrs().first().copied().ok_or_else(|| anyhow::anyhow!("bound to no address"))?;
    let server = server.run();
    // The server accepts connections only while its future runs: spawned here.
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
        .route("/engagements/{id}/reports/{file}", web::get().to(reports::report))
        .route("/hooks/jira/{connection}", web::post().to(trackers::jira))
        .route("/hooks/servicenow/{connection}", web::post().to(trackers::servicenow))
        .service(
            web::resource("/graphql")
                .route(web::get().guard(guard::fn_guard(live::is_websocket)).to(live::websocket))
                .to(graphql::handle),
        );
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
