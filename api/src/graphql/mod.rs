//! The GraphQL schema: thin types and resolvers over the domain services.
//! Resolvers take the viewer and loaders from the context, call one domain
//! function and convert the result.

mod connection;
mod context;
mod errors;
pub mod ids;
mod loaders;
mod mutations;
mod node;
mod query;
mod shared;
mod subscription;
mod types;

use async_graphql::Schema;
use sea_orm::DatabaseConnection;

use crate::{
    delivery::DeliveryConfig,
    domain::events::Feed,
    limits::{CostGuard, Limits},
};
pub use context::{Live, RequestData};
pub use ids::{decode as decode_id, encode as encode_id};
pub use loaders::Loaders;

/// The complete schema type.
pub type AppSchema = Schema<query::Query, mutations::Mutation, subscription::Subscription>;

/// Deepest selection accepted.
pub const MAX_DEPTH: usize = 15;

/// Builds the schema over a database pool and the process's event feed; the
/// [`CostGuard`] enforces `limits`' cost and mutation limits.
pub fn build(db: DatabaseConnection, limits: &Limits, feed: Feed, delivery: DeliveryConfig) -> AppSchema {
    Schema::build(query::Query, mutations::Mutation::default(), subscription::Subscription)
        .data(db)
        .data(feed)
        .data(delivery)
        .data(std::sync::Arc::new(shared::Resolutions::default()))
        .extension(CostGuard::new(limits))
        .limit_depth(MAX_DEPTH)
        .limit_recursive_depth(64)
        .finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(query::Query, mutations::Mutation::default(), subscription::Subscription).finish().sdl()
}
