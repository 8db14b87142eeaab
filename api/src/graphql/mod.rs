//! The GraphQL schema: thin types and resolvers over the domain services.
//! Resolvers take the viewer and loaders from the context, call one domain
//! function and convert the result.

mod connection;
mod context;
mod errors;
mod ids;
mod loaders;
mod mutations;
mod node;
mod query;
mod types;

use async_graphql::{EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

pub use context::RequestData;
pub use ids::{decode as decode_id, encode as encode_id};
pub use loaders::Loaders;

/// The complete schema type.
pub type AppSchema = Schema<query::Query, mutations::Mutation, EmptySubscription>;

/// Deepest selection accepted.
pub const MAX_DEPTH: usize = 15;
/// Highest query complexity accepted (a field costs 1; a connection multiplies by its page size).
pub const MAX_COMPLEXITY: usize = 20_000;

/// Builds the schema over a database pool.
pub fn build(db: DatabaseConnection) -> AppSchema {
    Schema::build(query::Query, mutations::Mutation::default(), EmptySubscription)
        .data(db)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(64)
        .extension(crate::metrics::CostMetrics)
        .finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(query::Query, mutations::Mutation::default(), EmptySubscription).finish().sdl()
}
