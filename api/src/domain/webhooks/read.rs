//! Reading endpoints and their delivery log. Endpoint URLs may carry tokens,
//! so only those who manage integrations read them (`FORBIDDEN` for other
//! members, `NOT_FOUND` for strangers, as for anything of an engagement).

use opskit_entity::{enums::DeliveryStatus, webhook_endpoint};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    delivery::{DeliveryLog, TargetKind, log},
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

/// The delivery log of `endpoint` (which the caller was allowed to read),
/// newest event first, optionally only deliveries in `status`.
pub async fn deliveries<C: ConnectionTrait>(
    db: &C,
    endpoint: &webhook_endpoint::Model,
    status: Option<Vec<DeliveryStatus>>,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<DeliveryLog>> {
    log::deliveries(db, TargetKind::Webhook, endpoint.id, status, descending, args).await
}
