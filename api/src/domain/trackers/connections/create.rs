//! `createTrackerConnection`: connects an engagement to the customer's Jira
//! or ServiceNow (one connection per system). The connection acts in the
//! audit trail as a user of its own; a Jira connection gets the secret its
//! inbound webhooks are signed with, returned this once. From then on, the
//! activity events of the engagement move their tickets ([`super::super::outbound`]).

use chrono::Utc;
use opskit_entity::{engagement, enums::TrackerSystem, tracker_connection};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{
    CREDENTIALS, INBOUND_SECRET, MANAGE, connectable, new_secret, seal,
    settings::{Settings, defaults},
    system_name,
};
use crate::{
    delivery::{TargetKind, start_cursor},
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        events,
        ids::EngagementId,
        permissions::Permission,
        users,
        write::{self, Command, Done, On, Step, WithSecret},
    },
    error::{Code, Error, Result},
};

/// A connection to make.
#[derive(Debug, Clone)]
pub struct NewConnection {
    pub engagement_id: EngagementId,
    pub system: TrackerSystem,
    pub settings: Settings,
}

impl NewConnection {
    fn checked(&self) -> Result<super::settings::CheckedSettings> {
        if !connectable(self.system) {
            return Err(Error::user("system", Code::NotConnectable, "opskit connects to Jira and ServiceNow"));
        }
        self.settings.check(self.system, true)
    }
}

/// A connection just made, with its inbound secret in plain text (Jira),
/// known this once.
pub type CreatedConnection = WithSecret<tracker_connection::Model>;

impl Command for NewConnection {
    type Target = engagement::Model;
    type Output = CreatedConnection;

    fn permission(&self) -> Permission {
        MANAGE
    }

    fn validate(&self) -> Result<()> {
        self.checked().map(drop)
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<Self::Output>> {
        let settings = self.checked()?;
        let engagement = step.engagement_id();
        lock_engagement(step.tx, engagement).await?;
        let existing = tracker_connection::Entity::find()
            .filter(tracker_connection::Column::EngagementId.eq(engagement.0))
            .filter(tracker_connection::Column::System.eq(self.system))
            .one(step.tx)
            .await?;
        if existing.is_some() {
            let message = format!("the engagement is connected to {} already", system_name(self.system));
            return Err(Error::user("system", Code::TrackerConnected, message));
        }
        let (name, base_url, credentials) = match (settings.name, settings.base_url, settings.credentials) {
            (Some(n), Some(u), Some(c)) => (n, u, c),
            _ => return Err(Error::internal(anyhow::anyhow!("checked settings lack a required value"))),
        };
        let (done, reopen, table) = defaults(self.system);
        let secret = (self.system == TrackerSystem::Jira).then(new_secret);
        // The user the connection acts as: its own, named for people reading the audit trail.
        let subject = format!("opskit:tracker-connection:{}", uuid::Uuid::new_v4().simple());
        let actor_name = format!("{} connection \"{name}\"", system_name(self.system));
        let actor = users::ensure_user(step.tx, &subject, Some(actor_name), None).await?;
        let now = Utc::now();
        let saved = tracker_connection::ActiveModel {
            engagement_id: Set(engagement.0),
            system: Set(self.system),
            name: Set(name.clone()),
            base_url: Set(base_url),
            username: Set(credentials.username),
            credentials: Set(seal(CREDENTIALS, &credentials.secret)?),
            inbound_secret: Set(secret.as_deref().map(|s| seal(INBOUND_SECRET, s)).transpose()?),
            done_transition: Set(settings.done_transition.unwrap_or_else(|| done.to_owned())),
            reopen_transition: Set(settings.reopen_transition.unwrap_or_else(|| reopen.to_owned())),
            table_name: Set(settings.table.or(table.map(str::to_owned))),
            actor_id: Set(actor.id),
            created_by: Set(step.viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        // It moves the tickets of the activity events after this one.
        let head = events::head(step.tx).await?;
        start_cursor(step.tx, TargetKind::TrackerConnection, saved.id, head).await?;
        let summary = format!("connected the engagement to {} \"{name}\"", system_name(self.system));
        let id = saved.id;
        let created = CreatedConnection { row: saved, secret };
        Ok(Done::new(created, Action::TrackerConnectionCreated, id, summary))
    }
}

/// Creates a connection; returns it with its inbound secret (Jira), shown
/// this once. With an idempotency `key`, a retry returns it again (without the secret).
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewConnection,
    idempotency_key: Option<&str>,
) -> Result<CreatedConnection> {
    write::run_once(db, viewer, On::id(input.engagement_id), input, idempotency_key).await
}
