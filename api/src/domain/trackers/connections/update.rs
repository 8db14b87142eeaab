//! `updateTrackerConnection`: changes a connection's settings; credentials
//! given replace the stored ones, which are never read back.

use opskit_entity::tracker_connection;
use sea_orm::{DatabaseConnection, Set};

use super::{CREDENTIALS, MANAGE, seal, settings::Settings};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::TrackerConnectionId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// The settings to change; omitted ones stay as they are.
#[derive(Debug, Clone, Default)]
pub struct ConnectionChanges(pub Settings);

impl Command for ConnectionChanges {
    type Target = tracker_connection::Model;
    type Output = tracker_connection::Model;

    fn permission(&self) -> Permission {
        MANAGE
    }

    fn validate(&self) -> Result<()> {
        self.0.limits()
    }

    async fn apply(&self, step: &Step<'_, tracker_connection::Model>) -> Result<Done<tracker_connection::Model>> {
        let before = &step.target;
        let checked = self.0.check(before.system, false)?;
        let mut changed = Vec::new();
        let mut changes = tracker_connection::ActiveModel::default();
        if let Some(name) = checked.name.filter(|n| *n != before.name) {
            changes.name = Set(name);
            changed.push("name");
        }
        if let Some(url) = checked.base_url.filter(|u| *u != before.base_url) {
            changes.base_url = Set(url);
            changed.push("baseUrl");
        }
        if let Some(credentials) = checked.credentials {
            changes.username = Set(credentials.username);
            changes.credentials = Set(seal(CREDENTIALS, &credentials.secret)?);
            changed.push("credentials");
        }
        if let Some(done) = checked.done_transition.filter(|d| *d != before.done_transition) {
            changes.done_transition = Set(done);
            changed.push("doneTransition");
        }
        if let Some(reopen) = checked.reopen_transition.filter(|r| *r != before.reopen_transition) {
            changes.reopen_transition = Set(reopen);
            changed.push("reopenTransition");
        }
        if let Some(table) = checked.table.filter(|t| Some(t) != before.table_name.as_ref()) {
            changes.table_name = Set(Some(table));
            changed.push("table");
        }
        if changed.is_empty() {
            return Ok(Done::unchanged(before.clone()));
        }
        let saved = step.save(changes).await?;
        let summary = format!("updated tracker connection \"{}\": {}", saved.name, changed.join(", "));
        Ok(Done::saved(saved, Action::TrackerConnectionUpdated, summary))
    }
}

/// Applies `changes`; a request that changes nothing writes nothing.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: TrackerConnectionId,
    changes: ConnectionChanges,
    expected_version: Option<i32>,
) -> Result<tracker_connection::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), changes).await
}
