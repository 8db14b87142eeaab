//! `acceptDeviationRisk`: the customer's stakeholder (or an admin) accepts the
//! risk of a deviation that has a mitigation plan; who and when are recorded.

use chrono::Utc;
use opskit_entity::deviation;
use sea_orm::DatabaseConnection;

use super::{
    describe, read,
    status::{self, Transition},
    store,
};
use crate::{
    domain::{Viewer, audit, ids::DeviationId, versions},
    error::{Error, Result},
};

/// Accepts the deviation's risk on the customer's behalf.
pub async fn accept_risk(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DeviationId,
    expected_version: Option<i32>,
) -> Result<deviation::Model> {
    crate::transaction!(db, |tx| {
        let (before, access) = read::get(tx, viewer, id).await?;
        access.check_stakeholder("accepting a deviation's risk")?;
        versions::check("deviation", before.version, expected_version)?;
        let has_mitigation_plan = read::has_mitigation_plan(&before);
        let next = status::next(before.status, Transition::AcceptRisk { has_mitigation_plan })
            .map_err(|rule| Error::User(vec![rule]))?;
        let after = deviation::Model {
            status: next,
            risk_accepted_by: Some(viewer.user_id.0),
            risk_accepted_at: Some(Utc::now()),
            ..before.clone()
        };
        let saved = store::save(tx, &before, after).await?;
        let summary = format!("accepted the risk of deviation {}", describe(&saved));
        audit::record_in(tx, viewer, &access, "deviation.risk_accepted", "Deviation", saved.id, &summary).await?;
        Ok(saved)
    })
}
