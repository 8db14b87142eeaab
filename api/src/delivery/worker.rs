//! The delivery worker of a server process: one task that runs
//! [`super::run_once`] whenever the event feed says something committed (here
//! or, through `NOTIFY`, on another replica), at every tick, and again at
//! once while rounds find work (the next event of a target becomes due when
//! the one before it succeeds).

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::{broadcast, oneshot};

use super::{DeliveryConfig, Sender, run_once};
use crate::domain::events::Feed;

/// A running worker; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct Worker {
    _stop: Arc<oneshot::Sender<()>>,
}

impl Worker {
    /// Starts the worker of this process.
    pub fn start(db: DatabaseConnection, feed: &Feed, config: DeliveryConfig) -> anyhow::Result<Self> {
        let sender = Sender::new(config.guard, config.timeout)?;
        let (stop_tx, mut stop) = oneshot::channel::<()>();
        let mut events = feed.subscribe();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(config.tick);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut busy = false;
            loop {
                if !busy {
                    tokio::select! {
                        _ = &mut stop => return,
                        received = events.recv() => {
                            // The feed stops with the server.
                            if matches!(received, Err(broadcast::error::RecvError::Closed)) {
                                return;
                            }
                        }
                        _ = tick.tick() => {}
                    }
                }
                // Whatever else woke us meanwhile is covered by this round.
                while events.try_recv().is_ok() {}
                busy = match run_once(&db, &config, &sender).await {
                    Ok(attempted) => attempted > 0,
                    Err(err) => {
                        tracing::warn!(error = ?err, "a delivery round failed");
                        false
                    }
                };
                if matches!(stop.try_recv(), Ok(()) | Err(oneshot::error::TryRecvError::Closed)) {
                    return;
                }
            }
        });
        Ok(Self { _stop: Arc::new(stop_tx) })
    }
}
