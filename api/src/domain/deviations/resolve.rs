//! `resolveDeviation`: a consultant (or an admin) closes a deviation, because
//! the design was aligned or the risk is mitigated in full. Resolved is final.

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

/// Resolves the deviation; a risk acceptance stays on record.
pub async fn resolve(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DeviationId,
    expected_version: Option<i32>,
) -> Result<deviation::Model> {
    crate::transaction!(db, |tx| {
        let (before, access) = read::get(tx, viewer, id).await?;
        access.check_consultant("resolving a deviation")?;
        versions::check("deviation", before.version, expected_version)?;
        let next = status::next(before.status, Transition::Resolve).map_err(|rule| Error::User(vec![rule]))?;
        let after = deviation::Model {
            status: next,
            resolved_by: Some(viewer.user_id.0),
            resolved_at: Some(Utc::now()),
            ..before.clone()
        };
        let saved = store::save(tx, &before, after).await?;
        let summary = format!("resolved deviation {}", describe(&saved));
        audit::record_in(tx, viewer, &access, "deviation.resolved", "Deviation", saved.id, &summary).await?;
        Ok(saved)
    })
}
