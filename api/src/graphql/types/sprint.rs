//! Sprints: the numbered time boxes of an engagement.

use crate::domain::ids::SprintId;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use opskit_entity::sprint;

use super::{engagement::Engagement, workshop_session::WorkshopSession};
use crate::{
    domain::{sprints, workshops},
    graphql::{
        context::ContextExt,
        ids,
        loaders::{many, one},
    },
};

/// A numbered sprint of an engagement. Sprints of one engagement never overlap.
pub struct Sprint(pub sprint::Model);

#[Object]
impl Sprint {
    pub async fn id(&self) -> ID {
        ids::encode(SprintId(self.0.id))
    }
    /// 1, 2, 3, ... in the order the sprints were created.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// `Sprint 3`.
    async fn name(&self) -> String {
        sprints::name(self.0.number)
    }
    /// First day.
    async fn starts_on(&self) -> NaiveDate {
        self.0.starts_on
    }
    /// Last day (inclusive).
    async fn ends_on(&self) -> NaiveDate {
        self.0.ends_on
    }
    async fn goal(&self) -> Option<&str> {
        self.0.goal.as_deref()
    }
    /// Increases with every change; pass it as `expectedVersion` to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Sessions scheduled in this sprint, by start time (those without a time
    /// last), then position.
    async fn workshop_sessions(&self, ctx: &Context<'_>) -> Result<Vec<WorkshopSession>> {
        let rows = many(&ctx.loaders()?.workshop_sessions_by_engagement, self.0.engagement_id).await?;
        Ok(workshops::in_sprint(rows, SprintId(self.0.id)).into_iter().map(WorkshopSession).collect())
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        // Reached through an engagement the caller was allowed to read.
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
}
