//! Reading RACI: an engagement's matrix (one row per capability of its kit)
//! and the parties it names, from rows loaded in batches by the caller.

use std::{collections::HashMap, sync::Arc};

use opskit_entity::{capability, enums::RaciRole, raci_assignment as raci};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    domain::{
        Viewer,
        access::{Access, access_via},
        ids::{RaciAssignmentId, TypedId},
    },
    error::{Error, Result},
};

/// One row of an engagement's RACI matrix: a capability and its assignments.
#[derive(Debug, Clone)]
pub struct CapabilityRaci {
    /// The capability of the row.
    pub capability: Arc<capability::Model>,
    /// Sorted by party name.
    pub assignments: Vec<raci::Model>,
    /// The party holding A, if any.
    pub accountable: Option<String>,
}

/// An assignment the caller may see (`NOT_FOUND` otherwise), with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: RaciAssignmentId) -> Result<(raci::Model, Access)> {
    let noun = RaciAssignmentId::KIND.noun();
    let found = raci::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound(noun))?;
    let access = access_via(db, viewer, found.engagement_id, noun).await?;
    Ok((found, access))
}

/// The RACI matrix of an engagement: one row per capability of its kit, in
/// the order given, with that capability's assignments sorted by party.
pub fn matrix(capabilities: &[Arc<capability::Model>], assignments: Vec<raci::Model>) -> Vec<CapabilityRaci> {
    let mut by_capability: HashMap<i64, Vec<raci::Model>> = HashMap::new();
    for row in assignments {
        by_capability.entry(row.capability_id).or_default().push(row);
    }
    capabilities
        .iter()
        .cloned()
        .map(|capability| {
            let mut rows = by_capability.remove(&capability.id).unwrap_or_default();
            rows.sort_by_cached_key(|r| party_order(&r.party));
            let accountable = rows.iter().find(|r| r.role == RaciRole::A).map(|r| r.party.clone());
            CapabilityRaci { capability, assignments: rows, accountable }
        })
        .collect()
}

/// The distinct parties of an engagement's assignments, sorted.
pub fn parties(assignments: &[raci::Model]) -> Vec<String> {
    let mut names: Vec<String> = assignments.iter().map(|r| r.party.clone()).collect();
    names.sort_by_cached_key(|p| party_order(p));
    names.dedup();
    names
}

/// How party names sort for display: case-insensitively, then exactly.
fn party_order(party: &str) -> (String, String) {
    (party.to_lowercase(), party.to_owned())
}
