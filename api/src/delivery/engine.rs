//! Enqueue, claim, record: the steps of the machinery, each one transaction.

use chrono::{DateTime, Utc};
use opskit_entity::{
    delivery, delivery_attempt, delivery_cursor,
    enums::{AttemptOutcome, DeliveryStatus},
};
use sea_orm::Iterable;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::{Expr, LockBehavior, LockType, OnConflict},
};

use super::{Answer, DeliveryConfig, Sender, TargetKind, send::retryable, targets};
use crate::{
    domain::events::{self, EventFilter, PAGE},
    error::Result,
};

/// Most deliveries one process attempts at once.
const CLAIM_LIMIT: usize = 32;

/// Writes the deliveries of every event after each target's cursor that the
/// target wants; returns how many were new.
pub async fn enqueue(db: &DatabaseConnection) -> Result<usize> {
    let mut added = 0;
    // Read first: the log up to here is committed in position order.
    let head = events::head(db).await?;
    for kind in TargetKind::iter() {
        for source in targets::sources(db, kind).await? {
            added += enqueue_one(db, kind, &source, head).await?;
        }
    }
    Ok(added)
}

async fn enqueue_one(db: &DatabaseConnection, kind: TargetKind, source: &targets::Source, head: i64) -> Result<usize> {
    if head <= source.position {
        return Ok(0);
    }
    let filter = EventFilter { engagement: source.engagement, types: source.types.clone() };
    let batch: Vec<_> =
        events::after(db, source.position, &filter, PAGE).await?.into_iter().filter(|e| e.id <= head).collect();
    // A full page may stop short of the head; otherwise everything up to the
    // head (read first, and committed in order) was considered.
    let through = match batch.last() {
        Some(last) if batch.len() as u64 == PAGE => last.id.min(head),
        _ => head,
    };
    let now = Utc::now();
    let rows: Vec<delivery::ActiveModel> =
        batch.iter().map(|event| new_delivery(kind, source.target_id, event, now)).collect();
    let count = rows.len();
    crate::transaction!(db, |tx| {
        if !rows.is_empty() {
            // Another replica may have written some already: each once.
            let unique = OnConflict::columns([
                delivery::Column::TargetKind,
                delivery::Column::TargetId,
                delivery::Column::EventId,
            ])
            .do_nothing()
            .to_owned();
            delivery::Entity::insert_many(rows.clone()).on_conflict(unique).exec_without_returning(tx).await?;
        }
        advance(tx, kind, source.target_id, through).await
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

/// Moves a target's cursor forward to `position` (never back).
pub async fn advance<C: ConnectionTrait>(db: &C, kind: TargetKind, target_id: i64, position: i64) -> Result<()> {
    delivery_cursor::Entity::update_many()
        .col_expr(delivery_cursor::Column::Position, Expr::value(position))
        .filter(delivery_cursor::Column::TargetKind.eq(kind))
        .filter(delivery_cursor::Column::TargetId.eq(target_id))
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
/// and leases them to this process (see [`DeliveryConfig::lease`]).
pub async fn claim(db: &DatabaseConnection, config: &DeliveryConfig) -> Result<Vec<delivery::Model>> {
    let heads: Vec<(TargetKind, i64, Option<i64>)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::TargetKind)
        .column(delivery::Column::TargetId)
        .column_as(delivery::Column::EventId.min(), "head")
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .group_by(delivery::Column::TargetKind)
        .group_by(delivery::Column::TargetId)
        .into_tuple()
        .all(db)
        .await?;
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let now = Utc::now();
    let lease_until = now + config.lease();
    crate::transaction!(db, |tx| {
        let mut claimed = Vec::new();
        for (kind, target_id, head) in &heads {
            let Some(head) = head else { continue };
            if claimed.len() >= CLAIM_LIMIT {
                break;
            }
            let mut query = delivery::Entity::find()
                .filter(delivery::Column::TargetKind.eq(*kind))
                .filter(delivery::Column::TargetId.eq(*target_id))
                .filter(delivery::Column::EventId.eq(*head))
                .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
                .filter(delivery::Column::NextAttemptAt.lte(now));
            if crate::db::supports_row_locks(tx) {
                query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
            }
            let Some(due) = query.one(tx).await? else { continue };
            let leased = delivery::ActiveModel {
                id: Set(due.id),
                attempts: Set(due.attempts + 1),
                next_attempt_at: Set(Some(lease_until)),
                ..Default::default()
            }
            .update(tx)
            .await?;
            claimed.push(leased);
        }
        Ok(claimed)
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
    let attempts = claimed.into_iter().map(|delivery| async move {
        let outcome = attempt(db, config, sender, &delivery).await;
        if let Err(err) = &outcome {
            tracing::warn!(error = ?err, delivery = delivery.id, "a delivery attempt was not recorded");
        }
        if let (Ok(verdict), Some(metrics)) = (outcome, crate::metrics::get()) {
            metrics.delivery(delivery.target_kind, verdict.label());
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
) -> Result<Verdict> {
    let Some(event) = opskit_entity::audit_event::Entity::find_by_id(delivery.event_id).one(db).await? else {
        cancel(db, delivery).await?;
        return Ok(Verdict::Cancelled);
    };
    let Some(request) = targets::request(db, delivery, &event).await? else {
        cancel(db, delivery).await?;
        return Ok(Verdict::Cancelled);
    };
    let at = Utc::now();
    let answer = sender.send(request).await;
    record(db, config, delivery, at, &answer).await
}
