//! What the benchmarks share: the processes they measure and fresh databases.

pub mod process;

use anyhow::Context;

/// A new, empty database `name` on the PostgreSQL server of `server_url`; its URL.
pub async fn fresh_postgres(server_url: &str, name: &str) -> anyhow::Result<String> {
    use opskit_api::sea_orm::{ConnectionTrait, Database};
    let admin = Database::connect(server_url).await?;
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    admin.close().await?;
    let (base, _) = server_url.rsplit_once('/').context("a database URL ends in /<database>")?;
    Ok(format!("{base}/{name}"))
}
