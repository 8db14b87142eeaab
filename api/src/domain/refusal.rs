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

/// Test support for every workflow's table-driven test: checks `next`
/// against the specification written out in the test, for every state,
/// action and role. A role that `may` not do an action is refused with its
/// `permission` whatever the state; otherwise `spec` gives the state or the code.
#[cfg(test)]
pub(crate) fn assert_every_transition<F, A, S>(
    states: &[F],
    actions: &[A],
    next: impl Fn(F, A, Role) -> Result<S, Refusal>,
    spec: impl Fn(F, A) -> Result<S, Code>,
    may: impl Fn(Role, A) -> bool,
    permission: impl Fn(A) -> Permission,
) where
    F: Copy + std::fmt::Debug,
    A: Copy + std::fmt::Debug,
    S: std::fmt::Debug + PartialEq,
{
    for &from in states {
        for &action in actions {
            for role in Role::ALL {
                let expected = if may(role, action) {
                    spec(from, action).map_err(Refusal::Rule)
                } else {
                    Err(Refusal::Forbidden(permission(action)))
                };
                assert_eq!(next(from, action, role), expected, "{from:?} {action:?} {role:?}");
            }
        }
    }
}
