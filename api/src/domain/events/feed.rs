//! Fan-out of new events inside one process. One pump per process reads new
//! events from the table by position and hands each, once, to every
//! subscriber of the process. It is woken:
//!
//! - after a commit in this process ([`committed`], called by the write path) —
//!   the in-process broadcast that is all SQLite needs;
//! - on PostgreSQL, by `NOTIFY opskit_events, '<position>'`, which the write
//!   path issues inside the change's transaction, so PostgreSQL delivers it to
//!   every replica's `LISTEN` only once the change committed;
//! - and every [`CATCH_UP`] while anyone is subscribed, in case a
//!   notification was lost (a dropped connection, another process writing the
//!   SQLite file).
//!
//! Whatever woke it, the pump reads everything after the last position it
//! handed out, so a missed wake-up delays events but never loses one.
//!
//! Before it hands an event to the subscribers, the pump shows it to the
//! process's [`AccessCache`], which forgets the memberships or API keys the
//! change touched: a subscriber that checks access again on that event (a
//! subscription of a removed member, of a revoked key) never reads a stale entry.

use std::{
    sync::{Arc, LazyLock},
    time::Duration,
};

use sea_orm::{
    DatabaseConnection, DbBackend, SqlxPostgresConnector,
    sqlx::postgres::{PgListener, PgPoolOptions},
};
use tokio::sync::{broadcast, oneshot, watch};

use super::{Event, EventFilter, PAGE, after, head};
use crate::{domain::access_cache::AccessCache, error::Result};

/// The PostgreSQL channel carrying new positions.
pub const CHANNEL: &str = "opskit_events";

/// How often the pump reads the table even when nothing woke it.
pub const CATCH_UP: Duration = Duration::from_secs(2);

/// Events a slow subscriber may fall behind before it reads the table itself.
const BUFFER: usize = 1024;

/// Commits with events in this process, counted (the pump waits on changes).
static COMMITS: LazyLock<watch::Sender<u64>> = LazyLock::new(|| watch::Sender::new(0));

/// Tells this process's pumps that a change committed. The write path calls
/// it after every successful commit.
pub fn committed() {
    COMMITS.send_modify(|n| *n = n.wrapping_add(1));
}

/// New events of one process, handed to its subscribers. Cloning shares the
/// pump; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct Feed {
    inner: Arc<Inner>,
}

struct Inner {
    events: broadcast::Sender<Arc<Event>>,
    /// Dropped with the last `Feed`, which stops the pump.
    _stop: oneshot::Sender<()>,
}

impl Feed {
    /// Starts the pump at the newest committed event; on PostgreSQL it
    /// `LISTEN`s first, so no notification after that point is missed.
    /// Every event is shown to `access` before any subscriber sees it.
    pub async fn start(db: DatabaseConnection, access: AccessCache) -> Result<Self> {
        let (db, listener) = match db.get_database_backend() {
            DbBackend::Postgres => {
                // The feed reads on connections of its own, outside the pool
                // requests wait on and without the request deadline: the
                // listener holds one for good.
                let options = (*db.get_postgres_connection_pool().connect_options()).clone();
                let own = PgPoolOptions::new()
                    .max_connections(2)
                    .connect_with(options.options([("statement_timeout", "0")]))
                    .await
                    .map_err(crate::error::Error::internal)?;
                let mut listener = PgListener::connect_with(&own).await.map_err(crate::error::Error::internal)?;
                listener.listen(CHANNEL).await.map_err(crate::error::Error::internal)?;
                (SqlxPostgresConnector::from_sqlx_postgres_pool(own), Some(listener))
            }
            _ => (db, None),
        };
        let position = head(&db).await?;
        let (events, _) = broadcast::channel(BUFFER);
        let (stop_tx, stop_rx) = oneshot::channel();
        tokio::spawn(pump(db, events.clone(), stop_rx, listener, position, access));
        Ok(Self { inner: Arc::new(Inner { events, _stop: stop_tx }) })
    }

    /// Events committed from now on, in position order. A receiver that lags
    /// behind by more than the buffer gets `Lagged` and must read the table.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.inner.events.subscribe()
    }
}

async fn pump(
    db: DatabaseConnection,
    events: broadcast::Sender<Arc<Event>>,
    mut stop: oneshot::Receiver<()>,
    mut listener: Option<PgListener>,
    mut position: i64,
    access: AccessCache,
) {
    let mut local = COMMITS.subscribe();
    let mut tick = tokio::time::interval(CATCH_UP);
    loop {
        let ticked = tokio::select! {
            _ = &mut stop => return,
            _ = local.changed() => false,
            () = notified(&mut listener) => false,
            _ = tick.tick() => true,
        };
        // The catch-up read is for subscribers: with none, an idle process
        // stays idle (the next commit's wake-up reads what it skipped). A
        // server always has one, its caches (see `keep_fresh`): one small read
        // every `CATCH_UP` is how a change by another process that sent no
        // notification (a SQLite file shared between processes) reaches them.
        if ticked && events.receiver_count() == 0 {
            continue;
        }
        position = publish(&db, &events, position, &access).await;
    }
}

/// Waits for a notification (or a lost connection, after which the pump reads
/// the table anyway); forever without a listener.
async fn notified(listener: &mut Option<PgListener>) {
    match listener {
        Some(listener) => {
            if let Err(err) = listener.try_recv().await {
                tracing::warn!(error = %err, "listening for events failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        None => std::future::pending().await,
    }
}

/// Hands out every event after `position`; returns the new position.
async fn publish(
    db: &DatabaseConnection,
    events: &broadcast::Sender<Arc<Event>>,
    mut position: i64,
    access: &AccessCache,
) -> i64 {
    let all = EventFilter::default();
    loop {
        match after(db, position, &all, PAGE).await {
            Ok(batch) => {
                let full = batch.len() as u64 == PAGE;
                for event in batch {
                    position = event.id;
                    access.apply_event(&event.action);
                    // No subscriber is not an error.
                    let _ = events.send(Arc::new(event));
                }
                if !full {
                    return position;
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "reading new events failed");
                return position;
            }
        }
    }
}
