//! `updateEngagement`: consultants change an open engagement's name,
//! customer, dates and sprint length. Only the given fields change; sprints
//! already planned keep their dates.

use chrono::NaiveDate;
use opskit_entity::engagement;
use sea_orm::{DatabaseConnection, Set};

use super::{EngagementAction, next, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::EngagementId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Result},
};

/// The fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EngagementChanges {
    pub name: Option<String>,
    pub customer_name: Option<String>,
    pub starts_on: Option<NaiveDate>,
    /// `Some(None)` removes the planned end.
    pub ends_on: Option<Option<NaiveDate>>,
    pub sprint_length_days: Option<i32>,
}

/// Changes an engagement that is not closed.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: EngagementId,
    expected_version: Option<i32>,
    changes: EngagementChanges,
) -> Result<engagement::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), changes).await
}

impl Command for EngagementChanges {
    type Target = engagement::Model;
    type Output = engagement::Model;

    fn permission(&self) -> Permission {
        Permission::ManageEngagement
    }

    /// The limits of its texts, before anything is read; the other rules are
    /// checked with the stored engagement, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = self.name.as_deref().map(|n| validation::name(&mut checks, n));
        let _ = self.customer_name.as_deref().map(|c| validation::customer_name(&mut checks, c));
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<engagement::Model>> {
        let before = &step.target;
        next(before.status, EngagementAction::Update, step.access.role())
            .map_err(|refusal| refusal.into_plain_error("engagementId"))?;
        let mut checks = Checks::new();
        let name = self.name.as_deref().map(|n| validation::name(&mut checks, n));
        let customer = self.customer_name.as_deref().map(|c| validation::customer_name(&mut checks, c));
        let days = self.sprint_length_days.map(|d| validation::sprint_length_days(&mut checks, d));
        let starts_on = self.starts_on.unwrap_or(before.starts_on);
        let ends_on = self.ends_on.unwrap_or(before.ends_on);
        if ends_on.is_some_and(|end| end < starts_on) {
            checks.push("endsOn", Code::InvalidDates, "`endsOn` must not be before `startsOn`");
        }
        checks.finish()?;
        let after = engagement::Model {
            name: name.flatten().unwrap_or_else(|| before.name.clone()),
            customer_name: customer.flatten().unwrap_or_else(|| before.customer_name.clone()),
            sprint_length_days: days.flatten().unwrap_or(before.sprint_length_days),
            starts_on,
            ends_on,
            ..before.clone()
        };
        let changed = changed_fields(before, &after);
        if changed.is_empty() {
            return Ok(Done::unchanged(before.clone()));
        }
        let saved = step
            .save(engagement::ActiveModel {
                name: Set(after.name),
                customer_name: Set(after.customer_name),
                starts_on: Set(after.starts_on),
                ends_on: Set(after.ends_on),
                sprint_length_days: Set(after.sprint_length_days),
                ..Default::default()
            })
            .await?;
        Ok(Done::saved(saved, Action::EngagementUpdated, format!("updated the engagement: {}", changed.join(", "))))
    }
}

/// The names of the fields that differ, for the audit summary.
fn changed_fields(before: &engagement::Model, after: &engagement::Model) -> Vec<&'static str> {
    [
        ("name", before.name != after.name),
        ("customerName", before.customer_name != after.customer_name),
        ("startsOn", before.starts_on != after.starts_on),
        ("endsOn", before.ends_on != after.ends_on),
        ("sprintLengthDays", before.sprint_length_days != after.sprint_length_days),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect()
}
