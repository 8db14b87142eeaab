//! `orderBy` arguments: a field of the list's own enum and a direction.

use async_graphql::{InputObject, InputType};

use super::{
    activity::ActivityOrderField,
    audit_event::AuditEventOrderField,
    catalog::KitOrderField,
    deviation::DeviationOrderField,
    engagement::{KnowledgeBaseOrderField, RunbookOrderField},
    engagement_member::MemberOrderField,
    enums::OrderDirection,
    workshop_session::WorkshopSessionOrderField,
};

/// Sort order of a list: a field and a direction; ties are broken by ID.
#[derive(InputObject)]
#[graphql(
    concrete(name = "ActivityOrder", params(ActivityOrderField)),
    concrete(name = "AuditEventOrder", params(AuditEventOrderField)),
    concrete(name = "ChronologicalOrder", params(ChronologicalOrderField)),
    concrete(name = "KitOrder", params(KitOrderField)),
    concrete(name = "KnowledgeBaseOrder", params(KnowledgeBaseOrderField)),
    concrete(name = "DeviationOrder", params(DeviationOrderField)),
    concrete(name = "MemberOrder", params(MemberOrderField)),
    concrete(name = "RunbookOrder", params(RunbookOrderField)),
    concrete(name = "WorkshopSessionOrder", params(WorkshopSessionOrderField))
)]
pub struct Order<F: InputType> {
    /// What to sort by.
    pub field: F,
    /// Ascending (the default) or descending; ties are broken by ID in the same direction.
    #[graphql(default_with = "OrderDirection::Asc")]
    pub direction: OrderDirection,
}

impl<F: InputType> Order<F> {
    /// The domain's sort (its default without an order) and whether it is descending.
    pub fn into_domain<S: From<F> + Default>(order: Option<Self>) -> (S, bool) {
        order.map_or_else(Default::default, |o| (o.field.into(), o.direction == OrderDirection::Desc))
    }
}

/// The one order of a log-like list: when each entry came to be (ties broken by ID).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum ChronologicalOrderField {
    /// When the entry was created (for deliveries: their event's position).
    CreatedAt,
}

/// Sort order of a log-like list: oldest or newest first.
pub type ChronologicalOrder = Order<ChronologicalOrderField>;

/// Whether a log-like list is newest first: as `order` says, or `default`.
pub fn newest_first(order: Option<ChronologicalOrder>, default: bool) -> bool {
    order.map_or(default, |o| o.direction == OrderDirection::Desc)
}
