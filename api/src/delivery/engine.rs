//! Enqueue, claim, record: the steps of the machinery, each one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use opskit_entity::{
    audit_event, delivery, delivery_attempt, delivery_cursor,
    enums::{AttemptOutcome, DeliveryStatus},
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Iterable, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Alias, Expr, LockBehavior, LockType, OnConflict, Query},
};

use super::{Answer, DeliveryConfig, Prepared, Sender, TargetKind, send::retryable, targets};
use crate::{
    domain::events::{self, EventFilter, PAGE},
    error::Result,
};

/// Most deliveries one process attempts at once.
const CLAIM_LIMIT: u64 = 32;
/// Most deliveries written by one insert (each row binds a dozen values).
const INSERT_CHUNK: usize = 500;

/// Writes the deliveries of every event after each target's cursor that the
/// target wants; returns how many were new. The statements it runs do not
/// grow with the number of targets: one read of the log for all of them,
/// one insert (per [`INSERT_CHUNK`] rows), one cursor update per kind.
pub async fn enqueue(db: &DatabaseConnection) -> Result<usize> {
    // Read first: the log up to here is committed in position order.
    let head = events::head(db).await?;
    let mut behind: Vec<(TargetKind, targets::Source, EventFilter)> = Vec::new();
    for kind in TargetKind::iter() {
        for source in targets::sources(db, kind).await?.into_iter().filter(|s| s.position < head) {
            let filter = EventFilter { engagement: source.engagement, types: source.types.clone() };
            behind.push((kind, source, filter));
        }
    }
    let Some(from) = behind.iter().map(|(_, s, _)| s.position).min() else { return Ok(0) };
    let filters: Vec<EventFilter> = behind.iter().map(|(_, _, f)| f.clone()).collect();
    let batch: Vec<_> =
        events::after_any(db, from, &filters, PAGE).await?.into_iter().filter(|e| e.id <= head).collect();
    // A full page may stop short of the head; otherwise everything up to the
    // head (read first, and committed in order) was considered by every target.
    let through = match batch.last() {
        Some(last) if batch.len() as u64 == PAGE => last.id.min(head),
        _ => head,
    };
    let now = Utc::now();
    let rows: Vec<delivery::ActiveModel> = behind
        .iter()
        .flat_map(|(kind, source, filter)| {
            batch
                .iter()
                .filter(move |e| e.id > source.position && filter.matches(e))
                .map(move |e| new_delivery(*kind, source.target_id, e, now))
        })
        .collect();
    let count = rows.len();
    crate::transaction!(db, |tx| {
        for chunk in rows.chunks(INSERT_CHUNK) {
            // Another replica may have written some already: each once.
            let unique = OnConflict::columns([
                delivery::Column::TargetKind,
                delivery::Column::TargetId,
                delivery::Column::EventId,
            ])
            .do_nothing()
            .to_owned();
            delivery::Entity::insert_many(chunk.to_vec()).on_conflict(unique).exec_without_returning(tx).await?;
        }
        for kind in TargetKind::iter() {
            let ids: Vec<i64> = behind.iter().filter(|(k, _, _)| *k == kind).map(|(_, s, _)| s.target_id).collect();
            advance(tx, kind, &ids, through).await?;
        }
        Ok(())
    })?;
    Ok(count)
}

/// A delivery of `event` to target `target_id` of `kind`, due `now`.
pub fn new_delivery(
    kind: TargetKind,
    target_id: i64,
    event: &opskit_entity::audit_event::Model,
    now: DateTime<Utc>,
) -> delivery::ActiveModel {
    delivery::ActiveModel {
        target_kind: Set(kind),
        target_id: Set(target_id),
        engagement_id: Set(event.engagement_id),
        event_id: Set(event.id),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(Some(now)),
        failing_since: Set(None),
        last_http_status: Set(None),
        created_at: Set(now),
        succeeded_at: Set(None),
        ..Default::default()
    }
}

/// Moves the cursors of targets `target_ids` of `kind` forward to `position` (never back).
pub async fn advance<C: ConnectionTrait>(db: &C, kind: TargetKind, target_ids: &[i64], position: i64) -> Result<()> {
    if target_ids.is_empty() {
        return Ok(());
    }
    delivery_cursor::Entity::update_many()
        .col_expr(delivery_cursor::Column::Position, Expr::value(position))
        .filter(delivery_cursor::Column::TargetKind.eq(kind))
        .filter(delivery_cursor::Column::TargetId.is_in(target_ids.iter().copied()))
        .filter(delivery_cursor::Column::Position.lt(position))
        .exec(db)
        .await?;
    Ok(())
}

/// Places a new target's cursor at `position`: it gets the events after it.
pub async fn start_cursor<C: ConnectionTrait>(db: &C, kind: TargetKind, target_id: i64, position: i64) -> Result<()> {
    let row =
        delivery_cursor::ActiveModel { target_kind: Set(kind), target_id: Set(target_id), position: Set(position) };
    let replace = OnConflict::columns([delivery_cursor::Column::TargetKind, delivery_cursor::Column::TargetId])
        .update_column(delivery_cursor::Column::Position)
        .to_owned();
    delivery_cursor::Entity::insert(row).on_conflict(replace).exec_without_returning(db).await?;
    Ok(())
}

/// Takes the due deliveries, the oldest pending one of each target at most,
/// and leases them to this process (see [`DeliveryConfig::lease`]): one
/// select and one update, whatever the number of targets.
pub async fn claim(db: &DatabaseConnection, config: &DeliveryConfig) -> Result<Vec<delivery::Model>> {
    let now = Utc::now();
    let lease_until = now + config.lease();
    // Here only: its `min` and `max` would shadow `Ord`'s elsewhere.
    use sea_orm::sea_query::ExprTrait;
    crate::transaction!(db, |tx| {
        // A pending delivery with an earlier event of the same target waits for it.
        let earlier = Alias::new("earlier");
        let same_target_earlier = Query::select()
            .expr(Expr::val(1))
            .from_as(delivery::Entity, earlier.clone())
            .and_where(
                Expr::col((earlier.clone(), delivery::Column::TargetKind))
                    .equals((delivery::Entity, delivery::Column::TargetKind)),
            )
            .and_where(
                Expr::col((earlier.clone(), delivery::Column::TargetId))
                    .equals((delivery::Entity, delivery::Column::TargetId)),
            )
            .and_where(
                Expr::col((earlier.clone(), delivery::Column::EventId))
                    .lt(Expr::col((delivery::Entity, delivery::Column::EventId))),
            )
            .and_where(Expr::col((earlier, delivery::Column::Status)).eq(DeliveryStatus::Pending.to_value()))
            .to_owned();
        let mut query = delivery::Entity::find()
            .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
            .filter(delivery::Column::NextAttemptAt.lte(now))
            .filter(Expr::not_exists(same_target_earlier))
            .order_by_asc(delivery::Column::Id)
            .limit(CLAIM_LIMIT);
        if crate::db::supports_row_locks(tx) {
            query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let due = query.all(tx).await?;
        if due.is_empty() {
            return Ok(due);
        }
        delivery::Entity::update_many()
            .col_expr(delivery::Column::Attempts, Expr::col(delivery::Column::Attempts).add(1))
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(lease_until))
            .filter(delivery::Column::Id.is_in(due.iter().map(|d| d.id)))
            .exec(tx)
            .await?;
        Ok(due
            .into_iter()
            .map(|d| delivery::Model { attempts: d.attempts + 1, next_attempt_at: Some(lease_until), ..d })
            .collect())
    })
}

/// What an attempt came to, for the log and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Succeeded,
    /// Tried again later.
    Retry,
    /// Refused for good (a 4xx, a target not allowed).
    Failed,
    /// Failing for longer than retries last: the target is told.
    GaveUp,
    /// Not sent: the target is gone or disabled.
    Cancelled,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Succeeded => "succeeded",
            Verdict::Retry => "retry",
            Verdict::Failed => "failed",
            Verdict::GaveUp => "gave_up",
            Verdict::Cancelled => "cancelled",
        }
    }
}

/// Records the attempt at `claimed` (as leased by [`claim`]) that got
/// `answer` at `at`, and what comes next. A lease that lapsed meanwhile
/// (another process took the delivery over) records nothing.
pub async fn record(
    db: &DatabaseConnection,
    config: &DeliveryConfig,
    claimed: &delivery::Model,
    at: DateTime<Utc>,
    answer: &Answer,
) -> Result<Verdict> {
    let (http_status, error, excerpt, took, retry_after) = match answer {
        Answer::Http { status, retry_after, excerpt, took } => {
            (Some(i32::from(*status)), None, Some(excerpt.clone()), *took, *retry_after)
        }
        Answer::NoAnswer { error, took, .. } => (None, Some(error.clone()), None, *took, None),
    };
    let mut verdict = match answer {
        Answer::Http { status, .. } if (200..300).contains(status) => Verdict::Succeeded,
        Answer::Http { status, .. } if retryable(*status) => Verdict::Retry,
        Answer::Http { .. } | Answer::NoAnswer { refused: true, .. } => Verdict::Failed,
        Answer::NoAnswer { .. } => Verdict::Retry,
    };
    let failing_since = claimed.failing_since.unwrap_or(at);
    let schedule = &config.schedule;
    let deadline = failing_since + schedule.give_up_after;
    let now = Utc::now();
    if verdict == Verdict::Retry && now >= deadline {
        verdict = Verdict::GaveUp;
    }
    let mut changes = delivery::ActiveModel { last_http_status: Set(http_status), ..Default::default() };
    match verdict {
        Verdict::Succeeded => {
            changes.status = Set(DeliveryStatus::Succeeded);
            changes.succeeded_at = Set(Some(now));
            changes.next_attempt_at = Set(None);
            changes.failing_since = Set(None);
        }
        Verdict::Retry => {
            let failures = u32::try_from(claimed.attempts).unwrap_or(1);
            let wait = chrono::Duration::from_std(schedule.delay(failures, retry_after)).unwrap_or_default();
            changes.next_attempt_at = Set(Some((now + wait).min(deadline)));
            changes.failing_since = Set(Some(failing_since));
        }
        Verdict::Failed | Verdict::GaveUp | Verdict::Cancelled => {
            changes.status = Set(DeliveryStatus::Failed);
            changes.next_attempt_at = Set(None);
            changes.failing_since = Set(Some(failing_since));
        }
    }
    let outcome = match verdict {
        Verdict::Succeeded => AttemptOutcome::Succeeded,
        Verdict::Retry => AttemptOutcome::Retry,
        _ => AttemptOutcome::Failed,
    };
    let attempt = delivery_attempt::ActiveModel {
        delivery_id: Set(claimed.id),
        number: Set(claimed.attempts),
        attempted_at: Set(at),
        duration_ms: Set(i64::try_from(took.as_millis()).unwrap_or(i64::MAX)),
        outcome: Set(outcome),
        http_status: Set(http_status),
        error: Set(error),
        response_excerpt: Set(excerpt),
        ..Default::default()
    };
    let kept = crate::transaction!(db, |tx| {
        let updated = delivery::Entity::update_many()
            .set(changes.clone())
            .filter(delivery::Column::Id.eq(claimed.id))
            .filter(delivery::Column::Attempts.eq(claimed.attempts))
            .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
            .exec(tx)
            .await?;
        if updated.rows_affected == 1 {
            attempt.clone().insert(tx).await?;
        }
        Ok(updated.rows_affected == 1)
    })?;
    if kept && verdict == Verdict::GaveUp {
        targets::gave_up(db, config, claimed).await?;
    }
    Ok(verdict)
}

/// Marks a claimed delivery as not sent (its target is gone or disabled).
async fn cancel(db: &DatabaseConnection, claimed: &delivery::Model) -> Result<()> {
    let changes = delivery::ActiveModel {
        status: Set(DeliveryStatus::Cancelled),
        next_attempt_at: Set(None),
        attempts: Set(claimed.attempts - 1),
        ..Default::default()
    };
    delivery::Entity::update_many()
        .set(changes)
        .filter(delivery::Column::Id.eq(claimed.id))
        .filter(delivery::Column::Attempts.eq(claimed.attempts))
        .exec(db)
        .await?;
    Ok(())
}

/// One round: enqueue new events, claim what is due, send it all at once,
/// record each answer. Returns how many deliveries were attempted or cancelled.
pub async fn run_once(db: &DatabaseConnection, config: &DeliveryConfig, sender: &Sender) -> Result<usize> {
    enqueue(db).await?;
    let claimed = claim(db, config).await?;
    let count = claimed.len();
    if claimed.is_empty() {
        return Ok(0);
    }
    let events: HashMap<i64, audit_event::Model> = audit_event::Entity::find()
        .filter(audit_event::Column::Id.is_in(claimed.iter().map(|d| d.event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let attempts = claimed.into_iter().map(|delivery| {
        let event = events.get(&delivery.event_id).cloned();
        async move {
            let outcome = attempt(db, config, sender, &delivery, event).await;
            if let Err(err) = &outcome {
                tracing::warn!(error = ?err, delivery = delivery.id, "a delivery attempt was not recorded");
            }
            if let (Ok(verdict), Some(metrics)) = (outcome, crate::metrics::get()) {
                metrics.delivery(delivery.target_kind, verdict.label());
            }
        }
    });
    futures::future::join_all(attempts).await;
    Ok(count)
}

async fn attempt(
    db: &DatabaseConnection,
    config: &DeliveryConfig,
    sender: &Sender,
    delivery: &delivery::Model,
    event: Option<audit_event::Model>,
) -> Result<Verdict> {
    let Some(event) = event else {
        cancel(db, delivery).await?;
        return Ok(Verdict::Cancelled);
    };
    let at = Utc::now();
    match targets::request(db, sender, delivery, &event).await? {
        Prepared::Send(request) => {
            let answer = sender.send(request).await;
            record(db, config, delivery, at, &answer).await
        }
        Prepared::Failed(answer) => record(db, config, delivery, at, &answer).await,
        Prepared::Cancel => {
            cancel(db, delivery).await?;
            Ok(Verdict::Cancelled)
        }
    }
}
