//! The delivery log of one target (any kind): its deliveries, newest event
//! first, each with its attempts; asking for one event again; forgetting a
//! target's deliveries when it goes.

use std::collections::HashMap;

use chrono::Utc;
use opskit_entity::{audit_event, delivery, delivery_attempt, delivery_cursor, enums::DeliveryStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::{TargetKind, new_delivery};
use crate::{
    domain::page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
    error::{Code, Error, Result},
};

/// One delivery with its attempts, oldest attempt first.
#[derive(Debug, Clone)]
pub struct DeliveryLog {
    pub delivery: delivery::Model,
    /// The event delivered (always there: events are never deleted).
    pub event: Option<audit_event::Model>,
    pub attempts: Vec<delivery_attempt::Model>,
}

/// The deliveries to target `target_id` of `kind` (which the caller was
/// allowed to read), newest event first, optionally only those in `status`:
/// four statements whatever the page's size.
pub async fn deliveries<C: ConnectionTrait>(
    db: &C,
    kind: TargetKind,
    target_id: i64,
    status: Option<Vec<DeliveryStatus>>,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<DeliveryLog>> {
    let mut query = delivery::Entity::find()
        .filter(delivery::Column::TargetKind.eq(kind))
        .filter(delivery::Column::TargetId.eq(target_id));
    if let Some(status) = status {
        query = query.filter(delivery::Column::Status.is_in(status));
    }
    let order = SortOrder::<delivery::Entity> {
        column: delivery::Column::EventId,
        id_column: delivery::Column::Id,
        descending,
        cursor: |d| Cursor(SortValue::I(d.event_id), d.id),
    };
    let found = page::keyset(db, query, &order, args).await?;
    let ids: Vec<i64> = found.edges.iter().map(|(_, d)| d.id).collect();
    let attempts = attempts_of(db, &ids).await?;
    let events: HashMap<i64, audit_event::Model> = audit_event::Entity::find()
        .filter(audit_event::Column::Id.is_in(found.edges.iter().map(|(_, d)| d.event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(found.map(|delivery| DeliveryLog {
        attempts: attempts.get(&delivery.id).cloned().unwrap_or_default(),
        event: events.get(&delivery.event_id).cloned(),
        delivery,
    }))
}

/// The attempts of the deliveries `ids`, by delivery, oldest first.
pub async fn attempts_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<delivery_attempt::Model>>> {
    let mut by_delivery: HashMap<i64, Vec<delivery_attempt::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_delivery);
    }
    let rows = delivery_attempt::Entity::find()
        .filter(delivery_attempt::Column::DeliveryId.is_in(ids.iter().copied()))
        .order_by_asc(delivery_attempt::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        by_delivery.entry(row.delivery_id).or_default().push(row);
    }
    Ok(by_delivery)
}

/// Queues event `event_id` of `engagement_id` for target `target_id` of
/// `kind` again (or for the first time), due now, in its turn among the
/// target's deliveries; returns the event and its delivery. An event of
/// another engagement is the user error `NOT_FOUND` on `eventId`.
pub async fn requeue<C: ConnectionTrait>(
    db: &C,
    kind: TargetKind,
    target_id: i64,
    engagement_id: i64,
    event_id: i64,
) -> Result<(audit_event::Model, delivery::Model)> {
    let event = audit_event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .filter(|e| e.engagement_id == Some(engagement_id))
        .ok_or_else(|| Error::user("eventId", Code::NotFound, "no such event in this engagement"))?;
    let now = Utc::now();
    let existing = delivery::Entity::find()
        .filter(delivery::Column::TargetKind.eq(kind))
        .filter(delivery::Column::TargetId.eq(target_id))
        .filter(delivery::Column::EventId.eq(event.id))
        .one(db)
        .await?;
    let queued = match existing {
        Some(found) => {
            delivery::ActiveModel {
                id: Set(found.id),
                status: Set(DeliveryStatus::Pending),
                next_attempt_at: Set(Some(now)),
                failing_since: Set(None),
                ..Default::default()
            }
            .update(db)
            .await?
        }
        None => new_delivery(kind, target_id, &event, now).insert(db).await?,
    };
    Ok((event, queued))
}

/// Removes the deliveries (their attempts go with them: foreign key, cascade)
/// and the cursor of a target that is deleted.
pub async fn forget<C: ConnectionTrait>(db: &C, kind: TargetKind, target_id: i64) -> Result<()> {
    delivery::Entity::delete_many()
        .filter(delivery::Column::TargetKind.eq(kind))
        .filter(delivery::Column::TargetId.eq(target_id))
        .exec(db)
        .await?;
    delivery_cursor::Entity::delete_many()
        .filter(delivery_cursor::Column::TargetKind.eq(kind))
        .filter(delivery_cursor::Column::TargetId.eq(target_id))
        .exec(db)
        .await?;
    Ok(())
}
