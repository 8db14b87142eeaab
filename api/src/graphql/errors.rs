//! Where domain errors become GraphQL errors: top-level errors carry
//! `extensions.code`; rule violations become a payload's `userErrors`.
//! Internal causes are logged here, once, and never shown.

use async_graphql::{ErrorExtensions, SimpleObject};

use crate::error::{Error, Result, UserError as DomainUserError};

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        let code = err.code();
        let message = match &err {
            Error::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "internal error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", code.as_str());
            if let Error::Conflict { current_version, .. } = &err {
                ext.set("currentVersion", *current_version);
            }
        })
    }
}

/// A rule the input broke. `code` is stable: match on it, not on `message`.
#[derive(Debug, Clone, SimpleObject)]
pub struct UserError {
    /// Path to the input field at fault, e.g. `["input", "sprintLengthDays"]`.
    pub field: Vec<String>,
    /// Human-readable explanation.
    pub message: String,
    /// Stable code, e.g. `REQUIRED`, `TOO_LONG`, `INVALID_URL`, `LAST_CONSULTANT`,
    /// `DISCOVERY_NOT_DONE`, `WRONG_ANSWER_KIND`, `APPROVALS_MISSING`; the README
    /// lists every code by area.
    pub code: String,
    /// The object the entry is about when it is not named by the input: a
    /// failed close-out check names each unfinished activity, runbook or
    /// deviation here. Null otherwise.
    pub object_id: Option<async_graphql::ID>,
}

impl From<DomainUserError> for UserError {
    fn from(e: DomainUserError) -> Self {
        let object_id = e.object.map(|(kind, raw)| super::ids::encode_named(kind.name(), raw));
        Self { field: e.field, message: e.message, code: e.code.as_str().to_owned(), object_id }
    }
}

/// Splits a domain result into a payload's object and `userErrors`; every other
/// error stays a top-level error.
pub fn payload<T>(result: Result<T>) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
    match result {
        Ok(value) => Ok((Some(value), Vec::new())),
        Err(Error::User(errors)) => Ok((None, errors.into_iter().map(UserError::from).collect())),
        Err(other) => Err(other.into()),
    }
}
