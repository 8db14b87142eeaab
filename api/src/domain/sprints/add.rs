//! `addSprint`: consultants (and admins) append a sprint after the last one.

use chrono::NaiveDate;
use opskit_entity::{engagement, sprint};
use sea_orm::{ActiveModelTrait, DatabaseConnection};

use super::{name, row, sprints_of, validation};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        ids::EngagementId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewSprint {
    pub engagement_id: EngagementId,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub goal: Option<String>,
}

impl Command for NewSprint {
    type Target = engagement::Model;
    type Output = sprint::Model;

    fn permission(&self) -> Permission {
        Permission::ManageSprints
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = validation::goal(&mut checks, self.goal.as_deref());
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<sprint::Model>> {
        // Two sprint changes at once could otherwise overlap or share a number.
        lock_engagement(step.tx, step.engagement_id()).await?;
        let sprints = sprints_of(step.tx, step.engagement_id(), None).await?;
        let mut checks = Checks::new();
        validation::room(&mut checks, sprints.len());
        validation::dates(&mut checks, self.starts_on, self.ends_on);
        validation::no_overlap(&mut checks, &sprints, self.starts_on, self.ends_on);
        let goal = validation::goal(&mut checks, self.goal.as_deref());
        let goal = checks.done(goal)?;

        let number = sprints.iter().map(|s| s.number).max().unwrap_or(0) + 1;
        let added = row(step.target.id, number, self.starts_on, self.ends_on, goal).insert(step.tx).await?;
        let summary = format!("added {} ({} – {})", name(number), added.starts_on, added.ends_on);
        Ok(Done::saved(added, Action::SprintAdded, summary))
    }
}

/// Adds a sprint numbered after the engagement's highest number.
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewSprint,
    idempotency_key: Option<&str>,
) -> Result<sprint::Model> {
    write::run_once(db, viewer, On::id(input.engagement_id), input, idempotency_key).await
}
