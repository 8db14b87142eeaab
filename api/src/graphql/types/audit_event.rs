//! The audit trail: every change, with who made it, to what, and when.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::audit_event;

use super::{engagement::Engagement, user::User};
use crate::{
    domain::{
        audit_trail::AuditFilter,
        ids::{AuditEventId, EngagementId, UserId},
    },
    error::Error,
    graphql::ids,
};

/// One recorded change.
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    pub async fn id(&self) -> ID {
        ids::encode(AuditEventId(self.0.id))
    }
    /// Dotted verb, e.g. `engagement.created`, `member.role_changed`, `raci.set`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// GraphQL type of the changed object, e.g. `EngagementMember`.
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }
    /// Global ID of the changed object, for `node(id)` (which is `NOT_FOUND` once the object is removed).
    async fn object_id(&self) -> ID {
        ids::encode_named(&self.0.object_type, self.0.object_id)
    }
    /// Who made the change; null for the system (e.g. the bundled kit's import at first start).
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.actor_id {
            Some(id) => Ok(Some(User::load(ctx, UserId(id)).await?)),
            None => Ok(None),
        }
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// What changed, in words.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The engagement the change happened in; null for changes outside any engagement (kit imports).
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Option<Engagement>> {
        // The event was reached through an access check on this engagement.
        match self.0.engagement_id {
            Some(id) => Ok(Some(Engagement::load(ctx, EngagementId(id)).await?)),
            None => Ok(None),
        }
    }
}

/// Narrowing the audit trail; every given condition must hold.
/// What the audit trail is sorted by (ties broken by ID, the log's order).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum AuditEventOrderField {
    /// The log's order: by position, which grows with commit time.
    Position,
    /// When the change was made.
    OccurredAt,
    /// By action name (code point order), e.g. `activity.completed`.
    Action,
}

/// Sort order of the audit trail: a field and a direction.
pub type AuditEventOrder = super::order::Order<AuditEventOrderField>;

impl From<AuditEventOrderField> for crate::domain::audit_trail::AuditSort {
    fn from(field: AuditEventOrderField) -> Self {
        match field {
            AuditEventOrderField::Position => Self::Position,
            AuditEventOrderField::OccurredAt => Self::OccurredAt,
            AuditEventOrderField::Action => Self::Action,
        }
    }
}

#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// Only these actions, e.g. `["raci.set", "raci.removed"]`; an empty list matches nothing.
    pub actions: Option<Vec<String>>,
    /// Only changes to objects of this type, e.g. `EngagementMember`.
    pub object_type: Option<String>,
    /// Only changes made by this user (a `User` ID).
    pub actor_id: Option<ID>,
    /// Only changes at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only changes strictly before this instant.
    pub until: Option<DateTime<Utc>>,
}

impl AuditEventFilter {
    /// The domain filter; an `actorId` that is not a user's ID is `BAD_USER_INPUT`.
    pub fn into_domain(self) -> Result<AuditFilter, Error> {
        let actor = match &self.actor_id {
            Some(id) => Some(
                ids::decode::<UserId>(id)
                    .map_err(|_| Error::BadUserInput(format!("`actorId` `{}` is not a user's ID", id.as_str())))?,
            ),
            None => None,
        };
        Ok(AuditFilter {
            actions: self.actions,
            object_type: self.object_type,
            actor,
            since: self.since,
            until: self.until,
        })
    }
}
