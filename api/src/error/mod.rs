//! One error type for the whole API. Each variant is a stable code that clients
//! see as `extensions.code` (GraphQL) or in a mutation's `userErrors`.
//! Database and other internal causes are logged once, where they are turned
//! into a response, and reach clients only as `INTERNAL`.

mod code;

use std::fmt;

pub use code::{Code, ErrorCode};

use crate::domain::ids::{Kind, TypedId};

/// Result of every domain function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A broken business rule or invalid input: reported in a mutation payload's
/// `userErrors`, never as a top-level error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    /// Path of the input field at fault, e.g. `["input", "sprintLengthDays"]`.
    pub field: Vec<String>,
    pub message: String,
    /// Stable machine-readable code, e.g. `LAST_CONSULTANT`.
    pub code: Code,
    /// The stored object the entry is about, when it is not the input's own
    /// (a close-out check names each unfinished activity).
    pub object: Option<(Kind, i64)>,
}

impl UserError {
    /// An entry about `field` of the input; a dotted field (`credentials.email`)
    /// names a field of a nested input object.
    pub fn new(field: &str, code: Code, message: impl Into<String>) -> Self {
        let mut path = vec!["input".to_owned()];
        path.extend(field.split('.').filter(|f| !f.is_empty()).map(str::to_owned));
        Self { field: path, message: message.into(), code, object: None }
    }

    /// The same entry, about the object `id`.
    pub fn about<I: TypedId>(mut self, id: I) -> Self {
        self.object = Some((I::KIND, id.raw()));
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid credentials: HTTP 401.
    #[error("{0}")]
    Unauthenticated(String),
    /// Authenticated, but the caller's role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The object does not exist, or the caller may not know it exists.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The object changed since the caller read it (`expectedVersion` is stale).
    #[error("{message}")]
    Conflict { message: String, current_version: i32 },
    /// Malformed input the schema could not catch (a bad ID, a page too large).
    #[error("{0}")]
    BadUserInput(String),
    /// A search longer than a search may be (characters or terms).
    #[error("{0}")]
    QueryTooLong(String),
    /// Rule violations reported in the mutation payload.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    User(Vec<UserError>),
    /// The database took too long: its statement was cancelled.
    #[error("the request ran past its deadline")]
    Timeout,
    /// No database connection came free in time.
    #[error("the server is busy: no database connection came free in time")]
    Unavailable,
    /// A subscription ended because the caller's token expired.
    #[error("the token expired: subscribe again with a fresh token")]
    TokenExpired,
    /// A subscription ended because the caller may no longer read its engagement.
    #[error("you are no longer a member of this engagement: the subscription ended")]
    AccessRevoked,
    /// A configured limit on connections or subscriptions is reached.
    #[error("{0}")]
    TooMany(String),
    /// Anything else; the cause is logged, never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl Error {
    /// A `NOT_FOUND` renamed to `what` (the row asked for rather than the
    /// engagement it hides behind); other errors as they are.
    pub fn naming(self, what: &'static str) -> Self {
        match self {
            Error::NotFound(_) => Error::NotFound(what),
            other => other,
        }
    }

    /// The stable code clients see.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::BadUserInput(_) | Error::User(_) => ErrorCode::BadUserInput,
            Error::Timeout => ErrorCode::Timeout,
            Error::Unavailable => ErrorCode::Unavailable,
            Error::TokenExpired => ErrorCode::TokenExpired,
            Error::AccessRevoked => ErrorCode::AccessRevoked,
            Error::TooMany(_) => ErrorCode::TooManySubscriptions,
            Error::QueryTooLong(_) => ErrorCode::QueryTooLong,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// A single rule violation.
    pub fn user(field: &str, code: Code, message: impl Into<String>) -> Self {
        Error::User(vec![UserError::new(field, code, message)])
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Error::Internal(cause.into())
    }
}

impl From<sea_orm::DbErr> for Error {
    /// A pool that had no connection free in time is `Unavailable`; a statement
    /// PostgreSQL cancelled at `statement_timeout` is `Timeout`.
    fn from(err: sea_orm::DbErr) -> Self {
        match err {
            sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout) => Error::Unavailable,
            other if other.to_string().contains("canceling statement due to statement timeout") => Error::Timeout,
            other => Error::Internal(other.into()),
        }
    }
}

impl From<sea_orm::TransactionError<Error>> for Error {
    fn from(err: sea_orm::TransactionError<Error>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner,
        }
    }
}
