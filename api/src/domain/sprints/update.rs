//! `updateSprint`: consultants (and admins) move a sprint or change its goal.
//! A sprint may not overlap another one, nor leave a session scheduled in it
//! starting outside its new dates.

use chrono::{DateTime, NaiveDate, Utc};
use opskit_entity::{enums::SessionStatus, sprint, workshop_session};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set, sea_query::LockType};

use super::{name, sprint_in, sprints_of, validation};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        ids::SprintId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// What to change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct SprintChanges {
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// `Some(None)` clears the goal.
    pub goal: Option<Option<String>>,
}

impl Command for SprintChanges {
    type Target = sprint::Model;
    type Output = sprint::Model;

    fn permission(&self) -> Permission {
        Permission::ManageSprints
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        if let Some(goal) = &self.goal {
            let _ = validation::goal(&mut checks, goal.as_deref());
        }
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, sprint::Model>) -> Result<Done<sprint::Model>> {
        let before = &step.target;
        let id = SprintId(before.id);
        // Sprint changes of one engagement run one at a time, so that two
        // cannot create an overlap; the sprint's row stays locked so that no
        // session is scheduled into its old dates while they change.
        lock_engagement(step.tx, step.engagement_id()).await?;
        sprint_in(step.tx, &step.access, id, Some(LockType::Update)).await?;

        let starts_on = self.starts_on.unwrap_or(before.starts_on);
        let ends_on = self.ends_on.unwrap_or(before.ends_on);
        let mut checks = Checks::new();
        let goal = match &self.goal {
            Some(goal) => validation::goal(&mut checks, goal.as_deref()),
            None => Some(before.goal.clone()),
        };
        validation::dates(&mut checks, starts_on, ends_on);
        let others = sprints_of(step.tx, step.engagement_id(), Some(id)).await?;
        validation::no_overlap(&mut checks, &others, starts_on, ends_on);
        let sessions = scheduled_in(step, id).await?;
        validation::sessions_inside(&mut checks, before.number, &sessions, starts_on, ends_on);
        let goal = checks.done(goal)?;

        let moved = (starts_on, ends_on) != (before.starts_on, before.ends_on);
        let new_goal = goal != before.goal;
        let mut changes = sprint::ActiveModel::default();
        let mut what = Vec::new();
        if moved {
            (changes.starts_on, changes.ends_on) = (Set(starts_on), Set(ends_on));
            what.push(format!("moved {} to {starts_on} – {ends_on}", name(before.number)));
        }
        if new_goal {
            changes.goal = Set(goal);
            what.push(format!("changed the goal of {}", name(before.number)));
        }
        if what.is_empty() {
            return Ok(Done::unchanged(before.clone()));
        }
        let saved = step.save(changes).await?;
        Ok(Done::saved(saved, Action::SprintUpdated, what.join("; ")))
    }
}

/// Title and start of the sessions scheduled at a time in the sprint and not cancelled.
async fn scheduled_in(step: &Step<'_, sprint::Model>, id: SprintId) -> Result<Vec<(String, DateTime<Utc>)>> {
    let rows: Vec<(String, Option<DateTime<Utc>>)> = workshop_session::Entity::find()
        .select_only()
        .column(workshop_session::Column::Title)
        .column(workshop_session::Column::StartsAt)
        .filter(workshop_session::Column::SprintId.eq(id.0))
        .filter(workshop_session::Column::Status.ne(SessionStatus::Cancelled))
        .filter(workshop_session::Column::StartsAt.is_not_null())
        .into_tuple()
        .all(step.tx)
        .await?;
    Ok(rows.into_iter().filter_map(|(title, at)| Some((title, at?))).collect())
}

/// Applies `changes` to a sprint; an update that changes nothing writes nothing.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: SprintId,
    changes: SprintChanges,
    expected_version: Option<i32>,
) -> Result<sprint::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), changes).await
}
