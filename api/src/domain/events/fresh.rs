//! How a process's kit catalog follows imports made anywhere: every event the
//! feed hands out (this process's commits, and on PostgreSQL every replica's,
//! by `NOTIFY` with catch-up by position) is looked at, and a `kit.*` event
//! for a kit version the catalog does not hold (an `importKit` on another
//! replica, `opskit kit import`) reloads it; so does falling behind the feed,
//! when events may have been missed. (The access cache is told by the feed
//! itself, see [`Feed::start`].)

use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::error::RecvError;

use super::Feed;
use crate::domain::{ids::KitId, kits::CatalogHandle};

/// Starts following `feed` for the catalog; stops with the feed.
pub fn keep_fresh(feed: &Feed, db: DatabaseConnection, catalog: CatalogHandle) {
    let mut events = feed.subscribe();
    tokio::spawn(async move {
        loop {
            let reloaded = match events.recv().await {
                Ok(event) if event.action.starts_with("kit.") => catalog.ensure_kit(&db, KitId(event.object_id)).await,
                Ok(_) => Ok(()),
                Err(RecvError::Lagged(_)) => catalog.reload(&db).await,
                Err(RecvError::Closed) => return,
            };
            if let Err(err) = reloaded {
                tracing::warn!(error = %err, "reloading the kit catalog failed; the next kit event retries");
            }
        }
    });
}
