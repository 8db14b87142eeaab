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

pub use create::{NewConnection, create};
pub use delete::delete;
pub use read::{InboundFilter, get, inbound_log};
pub use rotate::rotate_secret;
pub use settings::{Credentials, Settings};
pub use update::{ConnectionChanges, update};

use opskit_entity::{enums::TrackerSystem, tracker_connection};

use crate::{
    domain::permissions::Permission,
    error::{Error, Result},
    secrets,
};

/// What managing tracker connections needs.
// Managing members until the permission of all integrations lands.
pub const MANAGE: Permission = Permission::ManageIntegrations;

crate::scoped!(opskit_entity::tracker_connection::Model, tracker_connection, crate::domain::ids::TrackerConnectionId,
    "tracker connection", updated_at: Some(opskit_entity::tracker_connection::Column::UpdatedAt));

/// The sealing purpose of a connection's credentials.
const CREDENTIALS: &str = "tracker_connection.credentials";
/// The sealing purpose of a connection's inbound secret.
const INBOUND_SECRET: &str = "tracker_connection.inbound_secret";

/// A new inbound secret: 32 random bytes, hex.
fn new_secret() -> String {
    rand::random::<[u8; 32]>().iter().map(|b| format!("{b:02x}")).collect()
}

fn seal(purpose: &str, plain: &str) -> Result<String> {
    secrets::key().seal(purpose, plain.as_bytes()).map_err(Error::internal)
}

fn open(purpose: &str, sealed: &str) -> Result<String> {
    let plain = secrets::key().open(purpose, sealed).map_err(Error::internal)?;
    String::from_utf8(plain).map_err(|e| Error::internal(anyhow::anyhow!("a sealed secret is not text: {e}")))
}

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
