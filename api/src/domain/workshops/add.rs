//! `addWorkshopSession`: consultants (and admins) add a custom session,
//! after the kit's sessions, optionally already scheduled.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::error::Code;
use chrono::{DateTime, Utc};
use opskit_entity::{
    activity,
    enums::{Audience, SessionStatus, WorkshopPhase},
    workshop_session,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set};

use super::{
    rules::{self, MAX_SESSIONS},
    when,
};
use crate::{
    domain::{
        Viewer,
        access::engagement_access,
        audit,
        ids::{ActivityId, EngagementId, SprintId},
        kits, sprints,
    },
    error::{Error, Result, UserError},
};

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub engagement_id: EngagementId,
    pub title: String,
    pub phase: WorkshopPhase,
    pub audience: Audience,
    pub duration_minutes: i32,
    pub capability_id: Option<i64>,
    /// Activities of the engagement the session works on.
    pub activity_ids: Vec<ActivityId>,
    pub sprint_id: Option<SprintId>,
    /// Needs `sprint_id`, and must fall on one of its days.
    pub starts_at: Option<DateTime<Utc>>,
}

/// Adds a custom session. A capability of another kit, or an activity or
/// sprint of another engagement, is `NOT_FOUND`.
pub async fn add(db: &DatabaseConnection, viewer: &Viewer, input: NewSession) -> Result<workshop_session::Model> {
    crate::transaction!(db, |tx| {
        let access = engagement_access(tx, viewer, input.engagement_id).await?;
        access.check(Permission::ScheduleSessions)?;
        let capability = match input.capability_id {
            Some(id) => Some(kits::capability_in(tx, &access, crate::domain::ids::CapabilityId(id)).await?),
            None => None,
        };
        let activity_ids = rules::distinct(input.activity_ids.iter().map(|a| a.0));
        let found: Vec<i64> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .filter(activity::Column::EngagementId.eq(access.engagement.id))
            .filter(activity::Column::Id.is_in(activity_ids.iter().copied()))
            .into_tuple()
            .all(tx)
            .await?;
        if found.len() != activity_ids.len() {
            return Err(Error::NotFound("activity"));
        }
        let sprint = match input.sprint_id {
            Some(id) => Some(sprints::sprint_in(tx, &access, id, true).await?),
            None => None,
        };

        let mut errors = Vec::new();
        let positions: Vec<i32> = workshop_session::Entity::find()
            .select_only()
            .column(workshop_session::Column::Position)
            .filter(workshop_session::Column::EngagementId.eq(access.engagement.id))
            .into_tuple()
            .all(tx)
            .await?;
        if positions.len() >= MAX_SESSIONS {
            errors.push(UserError::new(
                "engagementId",
                Code::LimitReached,
                format!("an engagement has at most {MAX_SESSIONS} workshop sessions"),
            ));
        }
        let title = rules::title(&mut errors, &input.title);
        rules::check_duration(&mut errors, input.duration_minutes);
        match (input.starts_at, &sprint) {
            (Some(starts_at), Some(sprint)) => rules::check_starts_in(&mut errors, starts_at, sprint),
            (Some(_), None) => {
                errors.push(UserError::new("sprintId", Code::Required, "a session with `startsAt` needs a `sprintId`"))
            }
            (None, _) => {}
        }
        if !errors.is_empty() {
            return Err(Error::User(errors));
        }

        let now = Utc::now();
        let added = workshop_session::ActiveModel {
            engagement_id: Set(access.engagement.id),
            workshop_template_id: Set(None),
            position: Set(positions.iter().copied().max().unwrap_or(-1) + 1),
            phase: Set(input.phase),
            title: Set(title),
            audience: Set(input.audience),
            duration_minutes: Set(input.duration_minutes),
            capability_id: Set(capability.map(|c| c.id)),
            sprint_id: Set(sprint.as_ref().map(|s| s.id)),
            starts_at: Set(input.starts_at),
            status: Set(SessionStatus::Planned),
            notes: Set(None),
            outcomes: Set(serde_json::json!([])),
            attendee_member_ids: Set(serde_json::json!([])),
            activity_ids: Set(serde_json::json!(activity_ids)),
            cancel_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let mut summary = format!("added session \"{}\"", added.title);
        if let Some(sprint) = &sprint {
            summary.push_str(&format!(" in {}", sprints::name(sprint.number)));
        }
        if let Some(at) = added.starts_at {
            summary.push_str(&format!(" at {}", when(at)));
        }
        audit::record_in(tx, viewer, &access, Action::SessionAdded, added.id, &summary).await?;
        Ok(added)
    })
}
