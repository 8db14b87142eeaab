//! `createEngagement`: the caller becomes its first consultant, and the
//! engagement gets one activity per artifact template of its kit version.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::error::Code;
use chrono::{NaiveDate, Utc};
use opskit_entity::{
    activity, artifact_template, engagement, engagement_member,
    enums::{ActivityStatus, EngagementRole, EngagementStatus},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::{
    domain::{
        Viewer, audit,
        ids::{EngagementId, KitId},
        kits, runbooks, sprints, workshops,
    },
    error::{Error, Result, UserError},
};

/// Longest accepted sprint, in days.
pub const MAX_SPRINT_DAYS: i32 = 90;

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewEngagement {
    pub name: String,
    pub customer_name: String,
    pub kit_key: String,
    pub kit_version: String,
    pub starts_on: NaiveDate,
    pub sprint_length_days: i32,
}

pub(crate) use crate::domain::validate::check_label;

/// Creates the engagement, its first member and its activities in one transaction.
pub async fn create(db: &DatabaseConnection, viewer: &Viewer, input: NewEngagement) -> Result<engagement::Model> {
    viewer.check(Permission::CreateEngagement)?;
    let mut errors = Vec::new();
    check_label(&mut errors, "name", &input.name);
    check_label(&mut errors, "customerName", &input.customer_name);
    if !(1..=MAX_SPRINT_DAYS).contains(&input.sprint_length_days) {
        errors.push(UserError::new(
            "sprintLengthDays",
            Code::OutOfRange,
            format!("`sprintLengthDays` must be between 1 and {MAX_SPRINT_DAYS}"),
        ));
    }
    let kit = kits::find(db, &input.kit_key, &input.kit_version).await?;
    if kit.is_none() {
        errors.push(UserError::new(
            "kitVersion",
            Code::KitNotFound,
            format!("no kit `{}` version `{}` is imported", input.kit_key, input.kit_version),
        ));
    }
    let Some(kit) = kit.filter(|_| errors.is_empty()) else {
        return Err(Error::User(errors));
    };

    crate::transaction!(db, |tx| {
        let now = Utc::now();
        let engagement = engagement::ActiveModel {
            kit_id: Set(kit.id),
            name: Set(input.name.trim().to_owned()),
            customer_name: Set(input.customer_name.trim().to_owned()),
            status: Set(EngagementStatus::Planned),
            starts_on: Set(input.starts_on),
            sprint_length_days: Set(input.sprint_length_days),
            created_by: Set(viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;

        engagement_member::ActiveModel {
            engagement_id: Set(engagement.id),
            user_id: Set(viewer.user_id.0),
            role: Set(EngagementRole::Consultant),
            added_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;

        let templates = artifact_template::Entity::find()
            .filter(artifact_template::Column::KitId.eq(kit.id))
            .order_by_asc(artifact_template::Column::Position)
            .all(tx)
            .await?;
        let activities = templates.iter().map(|t| activity::ActiveModel {
            engagement_id: Set(engagement.id),
            artifact_template_id: Set(t.id),
            status: Set(ActivityStatus::NotStarted),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        });
        if !templates.is_empty() {
            activity::Entity::insert_many(activities).exec(tx).await?;
        }

        let runbook_count =
            runbooks::create_core_runbooks(tx, EngagementId(engagement.id), KitId(kit.id), viewer.user_id).await?;
        // The sprints covering the kit's workshop plan, and its sessions (after the activities they link).
        let sprint_count = sprints::generate(tx, &engagement).await?;
        let session_count = workshops::generate(tx, &engagement).await?;

        let summary = format!(
            "created engagement \"{}\" for {} from kit {} {} with {} activities, {} runbooks, {} sprints and {} workshop sessions",
            engagement.name,
            engagement.customer_name,
            kit.key,
            kit.version,
            templates.len(),
            runbook_count,
            sprint_count,
            session_count
        );
        let change = audit::Change {
            engagement: Some(crate::domain::ids::EngagementId(engagement.id)),
            action: Action::EngagementCreated,
            object_id: engagement.id,
            summary: &summary,
        };
        audit::record(tx, Some(viewer), change).await?;
        Ok(engagement)
    })
}
