//! Optimistic concurrency: objects carry a `version` that every change
//! increments; a caller who passes the version it saw gets `CONFLICT` when
//! someone changed the object since.

use crate::error::{Error, Result};

/// `CONFLICT` when the caller expected another version than the current one.
pub fn check(what: &str, current: i32, expected: Option<i32>) -> Result<()> {
    match expected {
        Some(seen) if seen != current => Err(Error::Conflict {
            message: format!("the {what} changed since you read it: its version is {current}, not {seen}"),
            current_version: current,
        }),
        _ => Ok(()),
    }
}
