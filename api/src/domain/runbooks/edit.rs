//! `editRunbook`: a new revision of a DRAFT. With a stale `expectedVersion`
//! the edit is refused with `CONFLICT`, never applied over someone else's.

use opskit_entity::{runbook, runbook_revision};
use sea_orm::DatabaseConnection;

use super::{RunbookAction, advance, revisions, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::RunbookId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

struct Edit {
    body: String,
    change_summary: String,
}

impl Command for Edit {
    type Target = runbook::Model;
    type Output = (runbook::Model, runbook_revision::Model);

    fn permission(&self) -> Permission {
        RunbookAction::Edit.permission()
    }

    fn validate(&self) -> Result<()> {
        validation::body_and_summary(&self.body, &self.change_summary).map(drop)
    }

    async fn apply(&self, step: &Step<'_, runbook::Model>) -> Result<Done<Self::Output>> {
        let status = advance(step, RunbookAction::Edit)?;
        let (body, change_summary) = validation::body_and_summary(&self.body, &self.change_summary)?;
        let (saved, revision) = revisions::save_draft(step, status, body, change_summary).await?;
        let summary =
            format!("edited runbook \"{}\" (revision {}): {}", saved.title, revision.number, revision.change_summary);
        let id = saved.id;
        Ok(Done::new((saved, revision), Action::RunbookEdited, id, summary))
    }
}

/// Adds a revision to a DRAFT runbook; returns the runbook and the new revision.
pub async fn edit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: RunbookId,
    body: String,
    change_summary: String,
    expected_version: Option<i32>,
) -> Result<(runbook::Model, runbook_revision::Model)> {
    write::run(db, viewer, On::versioned(id, expected_version), Edit { body, change_summary }).await
}
