//! `createEngagement`: the caller becomes its first consultant, and the
//! engagement gets one activity per artifact template of its kit version, the
//! kit's core runbooks, the sprints covering its workshop plan and the plan's
//! sessions.

use chrono::{NaiveDate, Utc};
use opskit_entity::{
    activity, artifact_template, engagement,
    enums::{ActivityStatus, EngagementRole, EngagementStatus},
    kit,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{members, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::{EngagementId, KitId},
        kits,
        permissions::Permission,
        runbooks, sprints,
        validate::Checks,
        workshops,
        write::{self, Done, GlobalCommand, GlobalStep},
    },
    error::{Code, Result},
};

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewEngagement {
    /// A required label, stored trimmed.
    pub name: String,
    /// The customer's name: a required label, stored trimmed.
    pub customer_name: String,
    /// The key of the kit version it runs from (`KIT_NOT_FOUND` unless imported).
    pub kit_key: String,
    /// The version of that kit.
    pub kit_version: String,
    /// The first day of sprint 1: the sprints and sessions are planned from it.
    pub starts_on: NaiveDate,
    /// The length of every planned sprint, 1 to [`validation::MAX_SPRINT_DAYS`] days.
    pub sprint_length_days: i32,
}

impl NewEngagement {
    /// The name, customer name and sprint length checked (and the kit's key and
    /// version capped), or `None` with the errors in `checks`.
    fn fields(&self, checks: &mut Checks) -> Option<(String, String, i32)> {
        let name = validation::name(checks, &self.name);
        let customer = validation::customer_name(checks, &self.customer_name);
        let days = validation::sprint_length_days(checks, self.sprint_length_days);
        let kit = validation::kit_version(checks, &self.kit_key, &self.kit_version);
        name.zip(customer).zip(days).zip(kit).map(|(((n, c), d), ())| (n, c, d))
    }
}

impl GlobalCommand for NewEngagement {
    type Output = engagement::Model;

    fn permission(&self) -> Permission {
        Permission::CreateEngagement
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = self.fields(&mut checks);
        checks.finish_limits()
    }

    async fn apply(&self, step: &GlobalStep<'_>) -> Result<Done<engagement::Model>> {
        let mut checks = Checks::new();
        let fields = self.fields(&mut checks);
        let (name, customer, days) = match fields {
            Some((name, customer, days)) => (Some(name), Some(customer), Some(days)),
            None => (None, None, None),
        };
        let kit = kits::find(step.tx, &self.kit_key, &self.kit_version).await?;
        if kit.is_none() {
            let message = format!("no kit `{}` version `{}` is imported", self.kit_key, self.kit_version);
            checks.push("kitVersion", Code::KitNotFound, message);
        }
        let (((name, customer_name), sprint_length_days), kit) = checks.done(name.zip(customer).zip(days).zip(kit))?;

        let now = Utc::now();
        let engagement = engagement::ActiveModel {
            kit_id: Set(kit.id),
            name: Set(name),
            customer_name: Set(customer_name),
            status: Set(EngagementStatus::Planned),
            starts_on: Set(self.starts_on),
            sprint_length_days: Set(sprint_length_days),
            created_by: Set(step.viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        let id = EngagementId(engagement.id);
        members::insert(step.tx, id, step.viewer.user_id, EngagementRole::Consultant, members::Joining::Now).await?;
        let activity_count = create_activities(step.tx, &engagement, &kit).await?;
        let runbook_count = runbooks::create_core_runbooks(step.tx, id, KitId(kit.id), step.viewer.user_id).await?;
        // The sprints covering the kit's workshop plan, and its sessions (after the activities they link).
        let sprint_count = sprints::generate(step.tx, &engagement).await?;
        let session_count = workshops::generate(step.tx, &engagement).await?;

        let summary = format!(
            "created engagement \"{}\" for {} from kit {} {} with {} activities, {} runbooks, {} sprints and {} workshop sessions",
            engagement.name,
            engagement.customer_name,
            kit.key,
            kit.version,
            activity_count,
            runbook_count,
            sprint_count,
            session_count
        );
        Ok(Done::new(engagement, Action::EngagementCreated, id.0, summary).in_engagement(id))
    }
}

/// Creates the engagement with its first member, activities, runbooks, sprints
/// and sessions, in one transaction.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewEngagement,
    idempotency_key: Option<&str>,
) -> Result<engagement::Model> {
    write::run_global_once(db, viewer, input, idempotency_key).await
}

/// One not-started activity per artifact template of the kit, in kit order; returns how many.
async fn create_activities<C: ConnectionTrait>(
    tx: &C,
    engagement: &engagement::Model,
    kit: &kit::Model,
) -> Result<usize> {
    let templates = artifact_template::Entity::find()
        .filter(artifact_template::Column::KitId.eq(kit.id))
        .order_by_asc(artifact_template::Column::Position)
        .all(tx)
        .await?;
    let activities = templates.iter().map(|t| activity::ActiveModel {
        engagement_id: Set(engagement.id),
        artifact_template_id: Set(t.id),
        status: Set(ActivityStatus::NotStarted),
        created_at: Set(engagement.created_at),
        updated_at: Set(engagement.created_at),
        version: Set(1),
        ..Default::default()
    });
    if !templates.is_empty() {
        activity::Entity::insert_many(activities).exec(tx).await?;
    }
    Ok(templates.len())
}
