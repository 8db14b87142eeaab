//! RACI: per capability of an engagement, each party (a named team such as
//! "Customer Cloud Ops" or "AWS ProServe") is Responsible, Accountable,
//! Consulted or Informed. Exactly one party may be accountable for a
//! capability: moving A means first changing its holder to another role.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::error::Code;
use std::collections::HashMap;

use chrono::Utc;
use opskit_entity::{capability, enums::RaciRole, raci_assignment as raci};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{
    Viewer,
    access::{Access, access_via, engagement_access, lock_engagement},
    audit,
    ids::{EngagementId, RaciAssignmentId},
    kits,
};
use crate::error::{Error, Result};

/// Longest accepted party name.
pub const MAX_PARTY: usize = 100;

/// `setRaciAssignment`.
#[derive(Debug, Clone)]
pub struct SetRole {
    pub engagement_id: EngagementId,
    pub capability_id: i64,
    pub party: String,
    pub role: RaciRole,
}

/// `removeRaciAssignment`.
#[derive(Debug, Clone)]
pub struct RemoveRole {
    pub engagement_id: EngagementId,
    pub capability_id: i64,
    pub party: String,
}

/// One row of an engagement's RACI matrix: a capability and its assignments.
#[derive(Debug, Clone)]
pub struct CapabilityRaci {
    pub capability: capability::Model,
    /// Sorted by party name.
    pub assignments: Vec<raci::Model>,
    /// The party holding A, if any.
    pub accountable: Option<String>,
}

/// An assignment the caller may see (`NOT_FOUND` otherwise), with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: RaciAssignmentId) -> Result<(raci::Model, Access)> {
    let found = raci::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("RACI assignment"))?;
    let access = access_via(db, viewer, found.engagement_id, "RACI assignment").await?;
    Ok((found, access))
}

/// Gives a party a role for a capability (or changes its role); consultants
/// and admins. Setting the role a party already has changes nothing.
pub async fn set(db: &DatabaseConnection, viewer: &Viewer, input: SetRole) -> Result<raci::Model> {
    crate::transaction!(db, |tx| {
        let access = engagement_access(tx, viewer, input.engagement_id).await?;
        access.check(Permission::AssessReadiness)?;
        let capability = kits::capability_in(tx, &access, input.capability_id).await?;
        let party = check_party(&input.party)?;
        // Two consultants giving A to different parties at once: the second waits and sees the first.
        lock_engagement(tx, input.engagement_id).await?;
        let rows = capability_rows(tx, input.engagement_id, capability.id).await?;
        let party = canonical_party(tx, input.engagement_id, &rows, party).await?;
        if input.role == RaciRole::A {
            check_accountable_free(&rows, &party, &capability)?;
        }
        let existing = rows.into_iter().find(|r| r.party == party);
        let previous = existing.as_ref().map(|r| r.role);
        let saved = match existing {
            Some(row) if row.role == input.role => return Ok(row),
            Some(row) => {
                let mut active: raci::ActiveModel = row.into();
                active.role = Set(input.role);
                active.updated_by = Set(viewer.user_id.0);
                active.updated_at = Set(Utc::now());
                active.update(tx).await?
            }
            None => {
                raci::ActiveModel {
                    engagement_id: Set(input.engagement_id.0),
                    capability_id: Set(capability.id),
                    party: Set(party.clone()),
                    role: Set(input.role),
                    updated_by: Set(viewer.user_id.0),
                    updated_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(tx)
                .await?
            }
        };
        let summary = match previous {
            Some(old) => {
                format!("changed {party} from {} to {} for {}", role_name(old), role_name(input.role), capability.name)
            }
            None => format!("made {party} {} for {}", role_name(input.role), capability.name),
        };
        audit::record_in(tx, viewer, &access, Action::RaciSet, saved.id, &summary).await?;
        Ok(saved)
    })
}

/// Removes a party's role for a capability; consultants and admins. Returns the removed assignment.
pub async fn remove(db: &DatabaseConnection, viewer: &Viewer, input: RemoveRole) -> Result<raci::Model> {
    crate::transaction!(db, |tx| {
        let access = engagement_access(tx, viewer, input.engagement_id).await?;
        access.check(Permission::AssessReadiness)?;
        let capability = kits::capability_in(tx, &access, input.capability_id).await?;
        let party = check_party(&input.party)?;
        lock_engagement(tx, input.engagement_id).await?;
        let rows = capability_rows(tx, input.engagement_id, capability.id).await?;
        let Some(row) = rows.into_iter().find(|r| same_party(&r.party, &party)) else {
            return Err(Error::user(
                "party",
                Code::NoSuchAssignment,
                format!("{party} has no RACI role for {}", capability.name),
            ));
        };
        raci::Entity::delete_by_id(row.id).exec(tx).await?;
        let summary = format!("removed {} ({}) from {}", row.party, role_name(row.role), capability.name);
        audit::record_in(tx, viewer, &access, Action::RaciRemoved, row.id, &summary).await?;
        Ok(row)
    })
}

/// The party name trimmed with inner runs of whitespace collapsed, or `REQUIRED` / `TOO_LONG`.
fn check_party(party: &str) -> Result<String> {
    let name = party.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::user("party", Code::Required, "`party` must name a team, e.g. \"Customer Cloud Ops\""));
    }
    if name.chars().count() > MAX_PARTY {
        return Err(Error::user("party", Code::TooLong, format!("`party` must be at most {MAX_PARTY} characters")));
    }
    Ok(name)
}

/// Party names are matched without regard to case.
fn same_party(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
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

async fn capability_rows<C: ConnectionTrait>(
    tx: &C,
    engagement: EngagementId,
    capability_id: i64,
) -> Result<Vec<raci::Model>> {
    Ok(raci::Entity::find()
        .filter(raci::Column::EngagementId.eq(engagement.0))
        .filter(raci::Column::CapabilityId.eq(capability_id))
        .all(tx)
        .await?)
}

/// `ACCOUNTABLE_EXISTS` when another party already holds A for the capability.
fn check_accountable_free(rows: &[raci::Model], party: &str, capability: &capability::Model) -> Result<()> {
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

/// How a role reads in a summary.
fn role_name(role: RaciRole) -> &'static str {
    match role {
        RaciRole::R => "responsible",
        RaciRole::A => "accountable",
        RaciRole::C => "consulted",
        RaciRole::I => "informed",
    }
}

/// Sorts party names for display: case-insensitively, then exactly.
fn sort_parties(parties: &mut [String]) {
    parties.sort_by_cached_key(|p| (p.to_lowercase(), p.clone()));
}

/// The RACI matrix of an engagement: one row per capability of its kit, in
/// the order given, with that capability's assignments sorted by party.
pub fn matrix(capabilities: Vec<capability::Model>, assignments: Vec<raci::Model>) -> Vec<CapabilityRaci> {
    let mut by_capability: HashMap<i64, Vec<raci::Model>> = HashMap::new();
    for row in assignments {
        by_capability.entry(row.capability_id).or_default().push(row);
    }
    capabilities
        .into_iter()
        .map(|capability| {
            let mut rows = by_capability.remove(&capability.id).unwrap_or_default();
            rows.sort_by_cached_key(|r| (r.party.to_lowercase(), r.party.clone()));
            let accountable = rows.iter().find(|r| r.role == RaciRole::A).map(|r| r.party.clone());
            CapabilityRaci { capability, assignments: rows, accountable }
        })
        .collect()
}

/// The distinct parties of an engagement's assignments, sorted.
pub fn parties(assignments: &[raci::Model]) -> Vec<String> {
    let mut names: Vec<String> = assignments.iter().map(|r| r.party.clone()).collect();
    sort_parties(&mut names);
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

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
    fn party_names_are_trimmed_required_and_bounded() {
        assert_eq!(check_party("  AWS   ProServe ").unwrap(), "AWS ProServe");
        assert!(matches!(check_party(" \t"), Err(Error::User(e)) if e[0].code == Code::Required));
        assert!(check_party(&"x".repeat(MAX_PARTY)).is_ok());
        assert!(matches!(check_party(&"x".repeat(MAX_PARTY + 1)), Err(Error::User(e)) if e[0].code == Code::TooLong));
    }

    #[test]
    fn only_one_party_is_accountable() {
        let patch = cap(1, "Patch");
        let rows = [row(1, 1, "Ops", RaciRole::A), row(2, 1, "ProServe", RaciRole::R)];
        let refused = check_accountable_free(&rows, "ProServe", &patch);
        assert!(
            matches!(refused, Err(Error::User(e)) if e[0].code == Code::AccountableExists && e[0].message.contains("Ops"))
        );
        assert!(check_accountable_free(&rows, "Ops", &patch).is_ok(), "the holder may be set to A again");
        assert!(check_accountable_free(&rows[1..], "ProServe", &patch).is_ok());
    }

    #[test]
    fn the_matrix_has_every_capability_in_order() {
        let rows = vec![
            row(1, 2, "ops", RaciRole::R),
            row(2, 2, "AWS", RaciRole::A),
            row(3, 1, "Ops", RaciRole::I),
            row(4, 9, "Elsewhere", RaciRole::C),
        ];
        let m = matrix(vec![cap(1, "Change"), cap(2, "Patch"), cap(3, "Tag")], rows.clone());
        assert_eq!(m.iter().map(|r| r.capability.id).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(m[1].assignments.iter().map(|r| r.party.as_str()).collect::<Vec<_>>(), ["AWS", "ops"]);
        assert_eq!(m[1].accountable.as_deref(), Some("AWS"));
        assert_eq!(m[0].accountable, None);
        assert!(m[2].assignments.is_empty());
        assert_eq!(parties(&rows), ["AWS", "Elsewhere", "Ops", "ops"]);
    }
}
