//! Schema migrations of opskit. Every migration is written with sea-query's
//! schema builder so the same code creates the schema on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_initial;
mod m20261129_000002_engagement_workflow;
mod m20261129_000006_runbooks;
mod m20261130_08b_000001_review_rounds;
mod m20261130_08b_000002_invitations;
mod m20261130_08b_000003_full_text_search;
mod m20261130_11a_000001_api_keys;
mod m20261130_11b_000001_deliveries;
mod m20261130_11c_000001_tracker_references;
mod m20261130_11c_000002_tracker_connections;
mod m20261130_12_000001_lifecycle;
mod util;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_initial::Migration),
            Box::new(m20261129_000002_engagement_workflow::Migration),
            Box::new(m20261129_000006_runbooks::Migration),
            Box::new(m20261130_08b_000001_review_rounds::Migration),
            Box::new(m20261130_08b_000002_invitations::Migration),
            Box::new(m20261130_08b_000003_full_text_search::Migration),
            Box::new(m20261130_12_000001_lifecycle::Migration),
            Box::new(m20261130_11b_000001_deliveries::Migration),
            Box::new(m20261130_11a_000001_api_keys::Migration),
            Box::new(m20261130_11c_000001_tracker_references::Migration),
            Box::new(m20261130_11c_000002_tracker_connections::Migration),
        ]
    }
}
