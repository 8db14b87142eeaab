//! The fields every versioned object shows about its changes, declared once
//! and flattened into each object (`#[graphql(flatten)]`), so `createdAt`,
//! `updatedAt` and `version` read the same everywhere. The type itself never
//! appears in the schema.

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};

/// When an object was created and last changed, and its version.
#[derive(SimpleObject)]
pub struct Stamps {
    /// When the object was created.
    pub created_at: DateTime<Utc>,
    /// When the object last changed.
    pub updated_at: DateTime<Utc>,
    /// Increases with every change; pass it as `expectedVersion` to detect concurrent edits.
    pub version: i32,
}
