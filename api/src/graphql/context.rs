//! What a resolver reads from the context: the pool, the viewer and the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::loaders::Loaders;
use crate::{domain::Viewer, error::Error};

/// Per-request data, attached by the HTTP layer after authentication.
pub struct RequestData {
    pub viewer: Viewer,
    pub loaders: Loaders,
}

impl RequestData {
    pub fn new(db: DatabaseConnection, viewer: Viewer) -> Self {
        Self { loaders: Loaders::new(db), viewer }
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
        Ok(&self.request()?.loaders)
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
