//! Reading tracker connections, their inbound logs (what the tracker sent)
//! and their delivery logs (the tickets opskit moved): every member of the
//! engagement may see them (the credentials are never part of what is read).

use opskit_entity::{
    enums::{DeliveryStatus, InboundOutcome},
    tracker_connection, tracker_inbound_delivery as inbound,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    delivery::{DeliveryLog, TargetKind, log},
    domain::{
        Viewer,
        access::Access,
        ids::TrackerConnectionId,
        page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
        write::Scope,
    },
    error::Result,
};

/// A connection the caller may see (`NOT_FOUND` otherwise), with the caller's access.
pub async fn get(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: TrackerConnectionId,
) -> Result<(tracker_connection::Model, Access)> {
    tracker_connection::Model::load(db, viewer, id).await
}

/// Narrowing an inbound log.
#[derive(Debug, Clone, Default)]
pub struct InboundFilter {
    pub outcome: Option<InboundOutcome>,
}

/// A page of what the connection (already read by the caller) received, newest first.
pub async fn inbound_log(
    db: &DatabaseConnection,
    connection: &tracker_connection::Model,
    filter: &InboundFilter,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<inbound::Model>> {
    let mut query = inbound::Entity::find().filter(inbound::Column::ConnectionId.eq(connection.id));
    if let Some(outcome) = filter.outcome {
        query = query.filter(inbound::Column::Outcome.eq(outcome));
    }
    let order = SortOrder::<inbound::Entity> {
        column: inbound::Column::Id,
        id_column: inbound::Column::Id,
        descending,
        cursor: |d| Cursor(SortValue::I(d.id), d.id),
    };
    page::keyset(db, query, &order, args).await
}

/// A page of the connection's delivery log (the ticket moves sent, with
/// their attempts), newest event first, optionally only those in `status`.
pub async fn deliveries(
    db: &DatabaseConnection,
    connection: &tracker_connection::Model,
    status: Option<Vec<DeliveryStatus>>,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<DeliveryLog>> {
    log::deliveries(db, TargetKind::TrackerConnection, connection.id, status, descending, args).await
}
