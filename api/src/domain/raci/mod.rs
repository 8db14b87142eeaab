//! RACI: per capability of an engagement, each party (a named team such as
//! "Customer Cloud Ops" or "AWS ProServe") is Responsible, Accountable,
//! Consulted or Informed. Exactly one party may be accountable for a
//! capability: moving A means first changing its holder to another role.
//! Consultants (and admins) set and remove roles; every member reads them.

mod matrix;
mod remove;
mod set;
mod validation;

pub use matrix::{CapabilityRaci, get, matrix, parties};
pub use remove::remove;
pub use set::{SetRole, set};
pub use validation::MAX_PARTY;

use opskit_entity::{capability, engagement, enums::RaciRole, raci_assignment as raci};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    domain::{
        access::lock_engagement,
        ids::{CapabilityId, EngagementId},
        kits,
        validate::Checks,
        write::Step,
    },
    error::Result,
};

/// A party in one capability of an engagement: what a RACI change names.
#[derive(Debug, Clone)]
pub struct Party {
    /// The engagement whose RACI matrix changes.
    pub engagement_id: EngagementId,
    /// A capability of the engagement's kit version.
    pub capability_id: CapabilityId,
    /// The team, matched without regard to case against the parties already named.
    pub party: String,
}

/// What a RACI change works on: the capability, the party's name as checked,
/// and the capability's assignments, read under the engagement's lock so
/// that two changes of one engagement see each other.
struct Assignments {
    capability: capability::Model,
    party: String,
    rows: Vec<raci::Model>,
}

impl Party {
    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = validation::party(&mut checks, &self.party);
        checks.finish_limits()
    }

    async fn assignments(&self, step: &Step<'_, engagement::Model>) -> Result<Assignments> {
        let capability = kits::capability_in(step.tx, &step.access, self.capability_id).await?;
        let mut checks = Checks::new();
        let party = validation::party(&mut checks, &self.party);
        let party = checks.done(party)?;
        lock_engagement(step.tx, step.engagement_id()).await?;
        let rows = raci::Entity::find()
            .filter(raci::Column::EngagementId.eq(step.engagement_id().0))
            .filter(raci::Column::CapabilityId.eq(capability.id))
            .all(step.tx)
            .await?;
        Ok(Assignments { capability, party, rows })
    }
}

/// Party names are matched without regard to case.
fn same_party(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// How a role reads in a summary.
fn role_name(role: RaciRole) -> &'static str {
    match role {
        RaciRole::R => "responsible",
        RaciRole::A => "accountable",
        RaciRole::C => "consulted",
        RaciRole::I => "informed",
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::error::{Code, Error};

    fn cap(id: i64, name: &str) -> capability::Model {
        capability::Model {
            id,
            kit_id: 1,
            key: name.to_lowercase(),
            name: name.into(),
            summary: String::new(),
            position: i32::try_from(id).unwrap(),
        }
    }

    fn row(id: i64, capability_id: i64, party: &str, role: RaciRole) -> raci::Model {
        raci::Model {
            id,
            engagement_id: 1,
            capability_id,
            party: party.into(),
            role,
            updated_by: 1,
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn only_one_party_is_accountable() {
        let patch = cap(1, "Patch");
        let rows = [row(1, 1, "Ops", RaciRole::A), row(2, 1, "ProServe", RaciRole::R)];
        let refused = set::accountable_free(&rows, "ProServe", &patch);
        assert!(
            matches!(refused, Err(Error::User(e)) if e[0].code == Code::AccountableExists && e[0].message.contains("Ops"))
        );
        assert!(set::accountable_free(&rows, "Ops", &patch).is_ok(), "the holder may be set to A again");
        assert!(set::accountable_free(&rows[1..], "ProServe", &patch).is_ok());
    }

    #[test]
    fn the_matrix_has_every_capability_in_order() {
        let rows = vec![
            row(1, 2, "ops", RaciRole::R),
            row(2, 2, "AWS", RaciRole::A),
            row(3, 1, "Ops", RaciRole::I),
            row(4, 9, "Elsewhere", RaciRole::C),
        ];
        let kit: Vec<_> = [cap(1, "Change"), cap(2, "Patch"), cap(3, "Tag")].map(std::sync::Arc::new).into();
        let m = matrix(&kit, rows.clone());
        assert_eq!(m.iter().map(|r| r.capability.id).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(m[1].assignments.iter().map(|r| r.party.as_str()).collect::<Vec<_>>(), ["AWS", "ops"]);
        assert_eq!(m[1].accountable.as_deref(), Some("AWS"));
        assert_eq!(m[0].accountable, None);
        assert!(m[2].assignments.is_empty());
        assert_eq!(parties(&rows), ["AWS", "Elsewhere", "Ops", "ops"]);
    }
}
