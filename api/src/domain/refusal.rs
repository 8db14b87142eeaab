//! The one shape every workflow answers with: a pure
//! `next(state, action, role) -> Result<State, Refusal>` in the
//! `workflow.rs` beside its aggregate. A refusal is either the role (a
//! top-level `FORBIDDEN`, decided by the permission table) or a rule of the
//! state machine (a `userErrors` entry with a stable code).

use super::{
    access::forbidden,
    permissions::{self, Permission, Role},
};
use crate::error::{Code, Error, UserError};

/// Why a workflow refuses an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The caller's role lacks this permission.
    Forbidden(Permission),
    /// The action is not possible from the current state.
    Rule(Code),
}

impl Refusal {
    /// `Forbidden` unless the permission table lets `role` do `permission`.
    pub fn unless_allowed(role: Role, permission: Permission) -> Result<(), Refusal> {
        if permissions::allows(role, permission) { Ok(()) } else { Err(Refusal::Forbidden(permission)) }
    }

    /// The error a mutation answers with: `FORBIDDEN`, or a `userErrors`
    /// entry on `field` explained by `message`.
    pub fn into_error(self, field: &str, message: impl Into<String>) -> Error {
        match self {
            Refusal::Forbidden(permission) => forbidden(permission),
            Refusal::Rule(code) => Error::User(vec![UserError::new(field, code, message)]),
        }
    }

    /// As [`Refusal::into_error`], with the code's own explanation.
    pub fn into_plain_error(self, field: &str) -> Error {
        match self {
            Refusal::Forbidden(_) => self.into_error(field, ""),
            Refusal::Rule(code) => self.into_error(field, code.message()),
        }
    }
}
