//! Reading endpoints and their delivery log. Endpoint URLs may carry tokens,
//! so only those who manage integrations read them (`FORBIDDEN` for other
//! members, `NOT_FOUND` for strangers, as for anything of an engagement).

use std::collections::HashMap;

use opskit_entity::{audit_event, delivery, delivery_attempt, enums::DeliveryStatus, webhook_endpoint};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    delivery::TargetKind,
    domain::{
        Viewer,
        access::{Access, engagement_access},
        ids::{EngagementId, WebhookEndpointId},
        page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
        permissions::Permission,
        write::Scope,
    },
    error::Result,
};

/// An endpoint the caller may manage (`NOT_FOUND` for strangers, `FORBIDDEN` for other members).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: WebhookEndpointId,
) -> Result<(webhook_endpoint::Model, Access)> {
    let (endpoint, access) = webhook_endpoint::Model::load(db, viewer, id).await?;
    access.check(Permission::ManageIntegrations)?;
    Ok((endpoint, access))
}

/// The endpoints of an engagement, oldest first, for a caller who manages its integrations.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    engagement: EngagementId,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<webhook_endpoint::Model>> {
    let access = engagement_access(db, viewer, engagement).await?;
    access.check(Permission::ManageIntegrations)?;
    let query =
        webhook_endpoint::Entity::find().filter(webhook_endpoint::Column::EngagementId.eq(access.engagement.id));
    let order = SortOrder::<webhook_endpoint::Entity> {
        column: webhook_endpoint::Column::Id,
        id_column: webhook_endpoint::Column::Id,
        descending,
        cursor: |e| Cursor(SortValue::I(e.id), e.id),
    };
    page::keyset(db, query, &order, args).await
}

/// One delivery with its attempts, oldest attempt first.
#[derive(Debug, Clone)]
pub struct DeliveryLog {
    pub delivery: delivery::Model,
    /// The event delivered (always there: events are never deleted).
    pub event: Option<audit_event::Model>,
    pub attempts: Vec<delivery_attempt::Model>,
}

/// The delivery log of `endpoint` (which the caller was allowed to read),
/// newest event first, optionally only deliveries in `status`: four
/// statements whatever the page's size.
pub async fn deliveries<C: ConnectionTrait>(
    db: &C,
    endpoint: &webhook_endpoint::Model,
    status: Option<Vec<DeliveryStatus>>,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<DeliveryLog>> {
    let mut query = delivery::Entity::find()
        .filter(delivery::Column::TargetKind.eq(TargetKind::Webhook))
        .filter(delivery::Column::TargetId.eq(endpoint.id));
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
