//! `addSprint`: consultants (and admins) append a sprint after the last one.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::error::Code;
use chrono::NaiveDate;
use opskit_entity::sprint;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use super::{
    lock_engagement, name,
    rules::{self, MAX_SPRINTS},
};
use crate::{
    domain::{Viewer, access::engagement_access, audit, ids::EngagementId},
    error::{Error, Result, UserError},
};

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewSprint {
    pub engagement_id: EngagementId,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub goal: Option<String>,
}

/// Adds a sprint numbered after the engagement's highest number.
pub async fn add(db: &DatabaseConnection, viewer: &Viewer, input: NewSprint) -> Result<sprint::Model> {
    crate::transaction!(db, |tx| {
        let access = engagement_access(tx, viewer, input.engagement_id).await?;
        access.check(Permission::ManageSprints)?;
        lock_engagement(tx, input.engagement_id).await?;
        let sprints = sprint::Entity::find()
            .filter(sprint::Column::EngagementId.eq(input.engagement_id.0))
            .order_by_asc(sprint::Column::Number)
            .all(tx)
            .await?;
        let mut errors = Vec::new();
        if sprints.len() >= MAX_SPRINTS {
            errors.push(UserError::new(
                "engagementId",
                Code::LimitReached,
                format!("an engagement has at most {MAX_SPRINTS} sprints"),
            ));
        }
        rules::check_dates(&mut errors, input.starts_on, input.ends_on);
        rules::check_overlap(&mut errors, &sprints, input.starts_on, input.ends_on);
        let goal = rules::goal(&mut errors, input.goal.clone());
        if !errors.is_empty() {
            return Err(Error::User(errors));
        }
        let number = sprints.iter().map(|s| s.number).max().unwrap_or(0) + 1;
        let added = sprint::ActiveModel {
            engagement_id: Set(input.engagement_id.0),
            number: Set(number),
            starts_on: Set(input.starts_on),
            ends_on: Set(input.ends_on),
            goal: Set(goal),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let summary = format!("added {} ({} – {})", name(number), added.starts_on, added.ends_on);
        audit::record_in(tx, viewer, &access, Action::SprintAdded, added.id, &summary).await?;
        Ok(added)
    })
}
