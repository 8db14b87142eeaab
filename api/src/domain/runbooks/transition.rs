//! The runbook mutations that take nothing but the runbook: `startRunbook`,
//! `submitRunbookForReview`, `baselineRunbook` and `reviseRunbook`. Each is a
//! step of the workflow followed by its own rule, in the file of its verb.

use opskit_entity::runbook;
use sea_orm::DatabaseConnection;

use super::{RunbookAction, advance, baseline, revise, start, submit};
use crate::{
    domain::{
        Viewer,
        ids::RunbookId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// A step of the workflow that needs no input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// TEMPLATE → DRAFT, from the kit template's skeleton.
    Start,
    /// DRAFT → IN_REVIEW, when the body is not empty.
    Submit,
    /// IN_REVIEW → BASELINE, once signed off.
    Baseline,
    /// BASELINE → DRAFT, from the baselined body.
    Revise,
}

impl Transition {
    /// The workflow's action.
    pub const fn action(self) -> RunbookAction {
        match self {
            Transition::Start => RunbookAction::Start,
            Transition::Submit => RunbookAction::Submit,
            Transition::Baseline => RunbookAction::Baseline,
            Transition::Revise => RunbookAction::Revise,
        }
    }
}

impl Command for Transition {
    type Target = runbook::Model;
    type Output = runbook::Model;

    fn permission(&self) -> Permission {
        self.action().permission()
    }

    async fn apply(&self, step: &Step<'_, runbook::Model>) -> Result<Done<runbook::Model>> {
        let status = advance(step, self.action())?;
        match self {
            Transition::Start => start::start(step, status).await,
            Transition::Submit => submit::submit(step, status).await,
            Transition::Baseline => baseline::baseline(step, status).await,
            Transition::Revise => revise::revise(step, status).await,
        }
    }
}

/// Moves runbook `id` on by `transition`, as the caller last read it.
pub async fn transition(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: RunbookId,
    transition: Transition,
    expected_version: Option<i32>,
) -> Result<runbook::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), transition).await
}
