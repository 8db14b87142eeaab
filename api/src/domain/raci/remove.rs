//! `removeRaciAssignment`: takes a party's role for a capability away.

use opskit_entity::{engagement, raci_assignment as raci};
use sea_orm::{DatabaseConnection, EntityTrait};

use super::{Assignments, Party, role_name, same_party};
use crate::{
    domain::{
        Viewer,
        action::Action,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// The party whose role goes.
struct Removal(Party);

impl Command for Removal {
    type Target = engagement::Model;
    type Output = raci::Model;

    fn permission(&self) -> Permission {
        Permission::AssessReadiness
    }

    fn validate(&self) -> Result<()> {
        self.0.validate()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<raci::Model>> {
        let Assignments { capability, party, rows } = self.0.assignments(step).await?;
        let Some(row) = rows.into_iter().find(|r| same_party(&r.party, &party)) else {
            let message = format!("{party} has no RACI role for {}", capability.name);
            return Err(Error::user("party", Code::NoSuchAssignment, message));
        };
        raci::Entity::delete_by_id(row.id).exec(step.tx).await?;
        let summary = format!("removed {} ({}) from {}", row.party, role_name(row.role), capability.name);
        Ok(Done::new(row.clone(), Action::RaciRemoved, row.id, summary))
    }
}

/// Removes a party's role for a capability; returns the removed assignment.
pub async fn remove(db: &DatabaseConnection, viewer: &Viewer, party: Party) -> Result<raci::Model> {
    write::run(db, viewer, On::id(party.engagement_id), Removal(party)).await
}
