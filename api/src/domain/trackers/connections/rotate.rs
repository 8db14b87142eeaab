//! `rotateTrackerInboundSecret`: a Jira connection gets a new inbound webhook
//! secret, shown this once; webhooks signed with the old one are refused from now on.

use opskit_entity::{enums::TrackerSystem, tracker_connection};
use sea_orm::{DatabaseConnection, Set};

use super::{CreatedConnection, INBOUND_SECRET, MANAGE, new_secret, seal};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::TrackerConnectionId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

struct Rotate;

impl Command for Rotate {
    type Target = tracker_connection::Model;
    type Output = CreatedConnection;

    fn permission(&self) -> Permission {
        MANAGE
    }

    async fn apply(&self, step: &Step<'_, tracker_connection::Model>) -> Result<Done<Self::Output>> {
        if step.target.system != TrackerSystem::Jira {
            let message = "only a Jira connection signs its webhooks: ServiceNow sends an API key";
            return Err(Error::user("trackerConnectionId", Code::NotConnectable, message));
        }
        let secret = new_secret();
        let changes = tracker_connection::ActiveModel {
            inbound_secret: Set(Some(seal(INBOUND_SECRET, &secret)?)),
            ..Default::default()
        };
        let saved = step.save(changes).await?;
        let summary = format!("rotated the inbound secret of tracker connection \"{}\"", saved.name);
        let id = saved.id;
        Ok(Done::new(
            CreatedConnection { row: saved, secret: Some(secret) },
            Action::TrackerConnectionSecretRotated,
            id,
            summary,
        ))
    }
}

/// Gives a Jira connection a new inbound secret; returns it, shown this once.
pub async fn rotate_secret(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: TrackerConnectionId,
    expected_version: Option<i32>,
) -> Result<CreatedConnection> {
    write::run(db, viewer, On::versioned(id, expected_version), Rotate).await
}
