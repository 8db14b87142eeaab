//! `createApiKey`: consultants (and admins) give a machine access to one
//! engagement with a role; the secret is in the answer, once.

use chrono::{DateTime, Utc};
use opskit_entity::{api_key, engagement, enums::ApiKeyRole};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{MAX_KEYS, hash, new_secret, visible_prefix};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        ids::EngagementId,
        permissions::Permission,
        users,
        validate::Checks,
        write::{self, Command, Done, On, Step, WithSecret},
    },
    error::{Code, Error, Result},
};

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub engagement_id: EngagementId,
    /// What the key is for, e.g. "Jira automation".
    pub name: String,
    pub role: ApiKeyRole,
    /// When it stops working; never when absent.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key just created: the secret is known this once.
pub type CreatedKey = WithSecret<api_key::Model>;

impl Command for NewApiKey {
    type Target = engagement::Model;
    type Output = CreatedKey;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let name = checks.label("name", &self.name);
        if self.expires_at.is_some_and(|at| at <= Utc::now()) {
            checks.push("expiresAt", Code::OutOfRange, "`expiresAt` must lie in the future");
        }
        checks.done(name).map(drop)
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<CreatedKey>> {
        lock_engagement(step.tx, step.engagement_id()).await?;
        let held =
            api_key::Entity::find().filter(api_key::Column::EngagementId.eq(step.target.id)).all(step.tx).await?;
        if held.len() >= MAX_KEYS {
            return Err(Error::user(
                "engagementId",
                Code::LimitReached,
                format!("an engagement holds at most {MAX_KEYS} API keys, revoked ones included"),
            ));
        }
        let name = self.name.trim().to_owned();
        let secret = new_secret();
        let secret_hash = hash(&secret);
        // The key's own identity: what it does is recorded as done by it.
        let subject = format!("api-key:{}", &secret_hash[..24]);
        let acting_as = users::ensure_user(step.tx, &subject, Some(format!("{name} (API key)")), None).await?;
        let key = api_key::ActiveModel {
            engagement_id: Set(step.target.id),
            user_id: Set(acting_as.id),
            name: Set(name),
            role: Set(self.role),
            prefix: Set(visible_prefix(&secret)),
            secret_hash: Set(secret_hash),
            created_by: Set(step.viewer.user_id.0),
            created_at: Set(Utc::now()),
            expires_at: Set(self.expires_at),
            last_used_at: Set(None),
            revoked_at: Set(None),
            revoked_by: Set(None),
            version: Set(1),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        let summary = format!("created the {} API key \"{}\" ({}…)", role_name(key.role), key.name, key.prefix);
        let id = key.id;
        Ok(Done::new(CreatedKey { row: key, secret: Some(secret) }, Action::ApiKeyCreated, id, summary))
    }
}

/// Creates a key; with an idempotency `key`, a retry returns it again (without the secret).
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewApiKey,
    idempotency_key: Option<&str>,
) -> Result<CreatedKey> {
    write::run_once(db, viewer, On::id(input.engagement_id), input, idempotency_key).await
}

/// How a role reads in summaries.
pub fn role_name(role: ApiKeyRole) -> &'static str {
    match role {
        ApiKeyRole::Integration => "integration",
        ApiKeyRole::ReadOnly => "read-only",
    }
}
