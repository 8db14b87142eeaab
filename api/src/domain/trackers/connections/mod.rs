//! Tracker connections: an engagement's link to the customer's Jira site or
//! ServiceNow instance. Consultants and admins create, change and remove
//! them; the credentials are sealed at rest ([`crate::secrets`]) and never
//! read back through the API; a Jira connection's inbound secret is shown
//! once, when made or rotated.

mod create;
mod delete;
mod read;
mod rotate;
mod settings;
mod update;

pub use create::{CreatedConnection, NewConnection, create};
pub use delete::delete;
pub use read::{InboundFilter, deliveries, get, inbound_log};
pub use rotate::rotate_secret;
pub use settings::{Credentials, Settings};
pub use update::{ConnectionChanges, update};

use opskit_entity::{enums::TrackerSystem, tracker_connection};

use crate::{domain::permissions::Permission, error::Result, secrets};

/// What managing tracker connections needs.
// Managing members until the permission of all integrations lands.
pub const MANAGE: Permission = Permission::ManageIntegrations;

crate::scoped!(opskit_entity::tracker_connection::Model, tracker_connection, crate::domain::ids::TrackerConnectionId,
    "tracker connection", updated_at: Some(opskit_entity::tracker_connection::Column::UpdatedAt));

impl crate::domain::redeliver::Target for tracker_connection::Model {
    const KIND: crate::delivery::TargetKind = crate::delivery::TargetKind::TrackerConnection;
    const ACTION: crate::domain::action::Action = crate::domain::action::Action::TrackerRedeliveryRequested;
    fn target_id(&self) -> i64 {
        self.id
    }
    fn engagement(&self) -> i64 {
        self.engagement_id
    }
    fn describe(&self) -> String {
        format!("{} \"{}\"", system_name(self.system), self.name)
    }
}

/// The sealing purpose of a connection's credentials.
const CREDENTIALS: &str = "tracker_connection.credentials";
/// The sealing purpose of a connection's inbound secret.
const INBOUND_SECRET: &str = "tracker_connection.inbound_secret";

/// A new inbound secret: 32 random bytes, hex.
fn new_secret() -> String {
    rand::random::<[u8; 32]>().iter().map(|b| format!("{b:02x}")).collect()
}

use secrets::{open_text as open, seal_text as seal};

/// How opskit signs in to the connection's tracker: the HTTP `Authorization` header.
pub fn authorization(connection: &tracker_connection::Model) -> Result<String> {
    use base64::{Engine, engine::general_purpose::STANDARD};
    let secret = open(CREDENTIALS, &connection.credentials)?;
    Ok(if connection.username.is_empty() {
        format!("Bearer {secret}")
    } else {
        format!("Basic {}", STANDARD.encode(format!("{}:{secret}", connection.username)))
    })
}

/// The connection's inbound webhook secret (Jira), to verify signatures with.
pub fn inbound_secret(connection: &tracker_connection::Model) -> Result<Option<String>> {
    connection.inbound_secret.as_deref().map(|sealed| open(INBOUND_SECRET, sealed)).transpose()
}

/// The systems a connection can be made to.
pub fn connectable(system: TrackerSystem) -> bool {
    matches!(system, TrackerSystem::Jira | TrackerSystem::Servicenow)
}

/// How people call the system, in summaries.
pub fn system_name(system: TrackerSystem) -> &'static str {
    match system {
        TrackerSystem::Jira => "Jira",
        TrackerSystem::Servicenow => "ServiceNow",
        TrackerSystem::Other => "another tracker",
    }
}
