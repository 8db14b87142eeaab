//! `setRaciAssignment`: gives a party a role for a capability, or changes
//! the role it has. Setting the role a party already has changes nothing.

use chrono::Utc;
use opskit_entity::{capability, engagement, enums::RaciRole, raci_assignment as raci};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{Assignments, Party, role_name, same_party};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::EngagementId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// A party's new role for a capability.
#[derive(Debug, Clone)]
pub struct SetRole {
    /// Who, for which capability of which engagement.
    pub party: Party,
    /// R, A, C or I.
    pub role: RaciRole,
}

impl Command for SetRole {
    type Target = engagement::Model;
    type Output = raci::Model;

    fn permission(&self) -> Permission {
        Permission::AssessReadiness
    }

    fn validate(&self) -> Result<()> {
        self.party.validate()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<raci::Model>> {
        let Assignments { capability, party, rows } = self.party.assignments(step).await?;
        let party = canonical_party(step.tx, step.engagement_id(), &rows, party).await?;
        if self.role == RaciRole::A {
            accountable_free(&rows, &party, &capability)?;
        }
        let existing = rows.into_iter().find(|r| r.party == party);
        let previous = existing.as_ref().map(|r| r.role);
        let change = raci::ActiveModel {
            role: Set(self.role),
            updated_by: Set(step.viewer.user_id.0),
            updated_at: Set(Utc::now()),
            ..Default::default()
        };
        let saved = match existing {
            Some(row) if row.role == self.role => return Ok(Done::unchanged(row)),
            Some(row) => raci::ActiveModel { id: Set(row.id), ..change }.update(step.tx).await?,
            None => {
                let new = raci::ActiveModel {
                    engagement_id: Set(step.engagement_id().0),
                    capability_id: Set(capability.id),
                    party: Set(party.clone()),
                    ..change
                };
                new.insert(step.tx).await?
            }
        };
        let summary = match previous {
            Some(old) => {
                format!("changed {party} from {} to {} for {}", role_name(old), role_name(self.role), capability.name)
            }
            None => format!("made {party} {} for {}", role_name(self.role), capability.name),
        };
        Ok(Done::new(saved.clone(), Action::RaciSet, saved.id, summary))
    }
}

/// Gives a party a role for a capability (or changes its role).
pub async fn set(db: &DatabaseConnection, viewer: &Viewer, input: SetRole) -> Result<raci::Model> {
    write::run(db, viewer, On::id(input.party.engagement_id), input).await
}

/// The spelling already used for this party in the engagement (so "aws proserve"
/// joins "AWS ProServe" rather than becoming a second party), or `party` itself.
async fn canonical_party<C: ConnectionTrait>(
    tx: &C,
    engagement: EngagementId,
    rows: &[raci::Model],
    party: String,
) -> Result<String> {
    if let Some(row) = rows.iter().find(|r| same_party(&r.party, &party)) {
        return Ok(row.party.clone());
    }
    let used = raci::Entity::find().filter(raci::Column::EngagementId.eq(engagement.0)).all(tx).await?;
    Ok(used.into_iter().map(|r| r.party).find(|p| same_party(p, &party)).unwrap_or(party))
}

/// `ACCOUNTABLE_EXISTS` when another party already holds A for the capability.
pub(super) fn accountable_free(rows: &[raci::Model], party: &str, capability: &capability::Model) -> Result<()> {
    match rows.iter().find(|r| r.role == RaciRole::A && r.party != party) {
        Some(holder) => Err(Error::user(
            "role",
            Code::AccountableExists,
            format!(
                "{} is already accountable for {}: change their role to R first, then make {party} accountable",
                holder.party, capability.name
            ),
        )),
        None => Ok(()),
    }
}
