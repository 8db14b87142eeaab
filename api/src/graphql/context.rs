//! What a resolver reads from the context: the pool, the viewer, the loaders
//! and the kit catalog.

use std::sync::{Arc, OnceLock};

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::loaders::Loaders;
use crate::{
    domain::{
        Viewer,
        kits::{Catalog, CatalogHandle},
    },
    error::Error,
};

/// Per-request data, attached by the HTTP layer after authentication.
pub struct RequestData {
    pub viewer: Viewer,
    /// The process's kit catalog (in memory; see [`Catalog`]).
    pub catalog: CatalogHandle,
    db: DatabaseConnection,
    /// Made on the first field that loads rows: a request (or an idle
    /// subscription) that reads none does not pay for some thirty loaders.
    loaders: OnceLock<Loaders>,
}

impl RequestData {
    pub fn new(db: DatabaseConnection, viewer: Viewer, catalog: CatalogHandle) -> Self {
        Self { viewer, catalog, db, loaders: OnceLock::new() }
    }

    /// The request's DataLoaders.
    pub fn loaders(&self) -> &Loaders {
        self.loaders.get_or_init(|| Loaders::new(self.db.clone(), self.catalog.clone()))
    }
}

/// Shorthands for resolvers.
pub trait ContextExt {
    fn db(&self) -> Result<&DatabaseConnection, Error>;
    fn request(&self) -> Result<&RequestData, Error>;
    fn viewer(&self) -> Result<&Viewer, Error> {
        Ok(&self.request()?.viewer)
    }
    fn loaders(&self) -> Result<&Loaders, Error> {
        Ok(self.request()?.loaders())
    }
    /// The kit catalog as it is now: no SQL.
    fn catalog(&self) -> Result<Arc<Catalog>, Error> {
        Ok(self.request()?.catalog.current())
    }
}

impl ContextExt for Context<'_> {
    fn db(&self) -> Result<&DatabaseConnection, Error> {
        self.data::<DatabaseConnection>().map_err(|_| Error::internal(anyhow::anyhow!("no database in the schema")))
    }

    fn request(&self) -> Result<&RequestData, Error> {
        self.data::<RequestData>().map_err(|_| Error::Unauthenticated("authentication required".into()))
    }
}

/// What the transport grants a live connection (WebSocket or SSE), attached
/// beside [`RequestData`]: subscriptions need it.
pub struct Live {
    /// When the caller's token expires; subscriptions end then with `TOKEN_EXPIRED`.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Subscriptions the connection may still start.
    pub slots: std::sync::Arc<tokio::sync::Semaphore>,
    /// Held while a subscription of the connection reads what it starts from
    /// (access, the log's head): a client that starts many at once has one
    /// database read in flight instead of one per subscription, so starting
    /// them costs the server little more memory than holding them.
    pub starting: tokio::sync::Semaphore,
}

impl Live {
    /// A connection whose token expires at `expires_at` (seconds since the
    /// epoch), allowed `subscriptions` subscriptions at once.
    pub fn new(expires_at: i64, subscriptions: usize) -> Self {
        Self {
            expires_at: chrono::DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(subscriptions)),
            starting: tokio::sync::Semaphore::new(1),
        }
    }
}
