//! `deleteTrackerConnection`: disconnects the tracker. Its inbound and
//! delivery logs go with it; the tracker references on activities stay (they
//! are the customer's tickets).

use opskit_entity::tracker_connection;
use sea_orm::{DatabaseConnection, EntityTrait};

use super::{MANAGE, system_name};
use crate::{
    delivery::{TargetKind, log},
    domain::{
        Viewer,
        action::Action,
        ids::TrackerConnectionId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

struct Delete;

impl Command for Delete {
    type Target = tracker_connection::Model;
    type Output = tracker_connection::Model;

    fn permission(&self) -> Permission {
        MANAGE
    }

    async fn apply(&self, step: &Step<'_, tracker_connection::Model>) -> Result<Done<tracker_connection::Model>> {
        let gone = step.target.clone();
        log::forget(step.tx, TargetKind::TrackerConnection, gone.id).await?;
        tracker_connection::Entity::delete_by_id(gone.id).exec(step.tx).await?;
        let summary = format!("disconnected {} \"{}\"", system_name(gone.system), gone.name);
        let id = gone.id;
        Ok(Done::new(gone, Action::TrackerConnectionDeleted, id, summary))
    }
}

/// Removes a connection; returns it as it was.
pub async fn delete(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: TrackerConnectionId,
    expected_version: Option<i32>,
) -> Result<tracker_connection::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), Delete).await
}
