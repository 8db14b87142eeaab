//! One subscriber's view of the log: an engagement's events after a cursor
//! (replayed from the table), then live ones from the [`Feed`], each exactly
//! once and in position order. The subscription ends with an error when the
//! caller's token expires (`TOKEN_EXPIRED`) or the caller stops being a
//! member (`ACCESS_REVOKED`, noticed at the membership change's own event).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::Stream;
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::error::RecvError;

use super::{Event, EventFilter, Feed, PAGE, after};
use crate::{
    domain::{Viewer, access::engagement_access, ids::EngagementId, ids::Kind},
    error::{Error, Result},
};

/// What to follow.
#[derive(Debug, Clone)]
pub struct Follow {
    pub engagement: EngagementId,
    /// Deliver the events after this position: a client's cursor, or the
    /// log's [`head`](super::head) for only new events.
    pub after: i64,
    /// Only these dotted types; `None` for all.
    pub types: Option<Vec<String>>,
    /// When the caller's credentials stop being valid.
    pub expires_at: DateTime<Utc>,
}

/// What happens to one event of the engagement.
enum Verdict {
    Deliver(Arc<Event>),
    Skip,
    End(Error),
}

/// The events `follow` names, for `viewer`, who may read the engagement
/// (checked by the caller before subscribing). Subscribes to `feed` at once
/// and reads the table after `what.after` first, so that nothing committed
/// in between is missed.
///
/// An idle subscription is this stream waiting on the feed, so its state is
/// kept small: the reads it makes now and then (each a database future of
/// several KiB) are boxed while they run instead of sized into the stream.
pub fn follow(
    db: DatabaseConnection,
    feed: &Feed,
    viewer: Viewer,
    what: Follow,
) -> impl Stream<Item = Result<Arc<Event>>> + Send + use<> {
    let mut live = feed.subscribe();
    async_stream::stream! {
        let mut position = what.after;
        let engagement_only = EventFilter { engagement: Some(what.engagement), types: None };
        let wanted = EventFilter { engagement: Some(what.engagement), types: what.types.clone() };
        let expiry = tokio::time::sleep_until(until(what.expires_at));
        tokio::pin!(expiry);
        // Whether events may wait in the table that the live feed will not bring.
        let mut behind = true;
        loop {
            let batch = if behind {
                match Box::pin(after(&db, position, &engagement_only, PAGE)).await {
                    Ok(batch) => {
                        behind = batch.len() as u64 == PAGE;
                        batch.into_iter().map(Arc::new).collect()
                    }
                    Err(err) => { yield Err(err); return; }
                }
            } else {
                let woken = tokio::select! {
                    () = &mut expiry => None,
                    received = live.recv() => Some(received),
                };
                match woken {
                    None => { yield Err(Error::TokenExpired); return; }
                    Some(Ok(event)) if event.id > position && engagement_only.matches(&event) => vec![event],
                    Some(Ok(_)) => continue,
                    Some(Err(RecvError::Lagged(_))) => { behind = true; continue; }
                    Some(Err(RecvError::Closed)) => {
                        yield Err(Error::internal(anyhow::anyhow!("the event feed stopped")));
                        return;
                    }
                }
            };
            for event in batch {
                position = event.id;
                if Utc::now() >= what.expires_at {
                    yield Err(Error::TokenExpired);
                    return;
                }
                match Box::pin(judge(&db, &viewer, what.engagement, &wanted, event)).await {
                    Verdict::Deliver(event) => yield Ok(event),
                    Verdict::Skip => {}
                    Verdict::End(err) => { yield Err(err); return; }
                }
            }
        }
    }
}

/// Re-checks access at membership and API key changes (a revoked key stops
/// before it sees its own revocation); filters by type.
async fn judge(
    db: &DatabaseConnection,
    viewer: &Viewer,
    engagement: EngagementId,
    wanted: &EventFilter,
    event: Arc<Event>,
) -> Verdict {
    let membership = [Kind::EngagementMember.name(), Kind::Engagement.name(), Kind::ApiKey.name()];
    if membership.contains(&event.object_type.as_str()) {
        match engagement_access(db, viewer, engagement).await {
            Ok(_) => {}
            Err(Error::NotFound(_)) => return Verdict::End(Error::AccessRevoked),
            Err(err) => return Verdict::End(err),
        }
    }
    if wanted.matches(&event) { Verdict::Deliver(event) } else { Verdict::Skip }
}

/// The tokio instant of `at` (now, when it is past).
fn until(at: DateTime<Utc>) -> tokio::time::Instant {
    let left = (at - Utc::now()).to_std().unwrap_or_default();
    tokio::time::Instant::now() + left
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, db, domain::access_cache::AccessCache, domain::ids::UserId};

    #[tokio::test]
    async fn an_idle_subscription_holds_little() {
        let config = Config::for_database("sqlite::memory:", "a-secret-long-enough-for-hs256-tests-0123");
        let db = db::connect(&config.database_url, &config.limits).await.unwrap_or_else(|e| panic!("{e}"));
        db::migrate(&db).await.unwrap_or_else(|e| panic!("{e}"));
        let feed = Feed::start(db.clone(), AccessCache::new(std::time::Duration::ZERO)).await.unwrap();
        let viewer = Viewer {
            user_id: UserId(1),
            subject: "ada".into(),
            name: None,
            email: None,
            roles: Vec::new(),
            key: None,
            cache: AccessCache::new(std::time::Duration::ZERO),
        };
        let what = Follow {
            engagement: EngagementId(1),
            after: 0,
            types: None,
            expires_at: Utc::now() + chrono::Duration::hours(1),
        };
        let stream = follow(db, &feed, viewer, what);
        // What each subscription keeps while it waits for the next event.
        let size = std::mem::size_of_val(&stream);
        assert!(size <= 1536, "a subscription's stream holds {size} bytes");
    }
}
