//! `retireRunbook`: a core runbook is set aside when the customer chose
//! another architecture, replaced by a custom runbook of the engagement or
//! for a stated reason (at least one of the two). A retired runbook is final
//! and leaves `runbooksPlanned`.

use chrono::Utc;
use opskit_entity::{enums::RunbookKind, runbook};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use super::{RunbookAction, advance};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::RunbookId,
        permissions::Permission,
        validate::{Checks, MAX_TEXT},
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// Why a core runbook is set aside.
#[derive(Debug, Clone, Default)]
pub struct Retirement {
    /// Why; required without `replaced_by`.
    pub reason: Option<String>,
    /// The custom runbook of the same engagement that replaces it.
    pub replaced_by: Option<RunbookId>,
}

/// Retires runbook `id`, as the caller last read it.
pub async fn retire(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: RunbookId,
    retirement: Retirement,
    expected_version: Option<i32>,
) -> Result<runbook::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), retirement).await
}

impl Retirement {
    /// The reason, trimmed; `REQUIRED` when there is neither a reason nor a replacement.
    fn checked_reason(&self) -> Result<Option<String>> {
        let mut checks = Checks::new();
        let reason = checks.optional("reason", self.reason.as_deref(), MAX_TEXT).flatten();
        if reason.is_none() && self.replaced_by.is_none() && checks.is_empty() {
            checks.push(
                "reason",
                Code::Required,
                "give a `reason` or the custom runbook that replaces it (`replacedBy`)",
            );
        }
        checks.finish().map(|()| reason)
    }
}

impl Command for Retirement {
    type Target = runbook::Model;
    type Output = runbook::Model;

    fn permission(&self) -> Permission {
        RunbookAction::Retire.permission()
    }

    fn validate(&self) -> Result<()> {
        self.checked_reason().map(drop)
    }

    async fn apply(&self, step: &Step<'_, runbook::Model>) -> Result<Done<runbook::Model>> {
        let status = advance(step, RunbookAction::Retire)?;
        let current = &step.target;
        if current.kind != RunbookKind::Core {
            return Err(Error::user("runbookId", Code::NotACoreRunbook, Code::NotACoreRunbook.message()));
        }
        if let Some(id) = self.replaced_by {
            let found = runbook::Entity::find_by_id(id.0).one(step.tx).await?;
            match found {
                Some(r) if r.engagement_id == current.engagement_id && r.kind == RunbookKind::Custom => {}
                Some(r) if r.engagement_id == current.engagement_id => {
                    let message = Code::NotACustomRunbook.message();
                    return Err(Error::user("replacedBy", Code::NotACustomRunbook, message));
                }
                _ => return Err(Error::user("replacedBy", Code::NotFound, "no such runbook in this engagement")),
            }
        }
        let reason = self.checked_reason()?;
        let saved = step
            .save(runbook::ActiveModel {
                status: Set(status),
                retired_at: Set(Some(Utc::now())),
                retired_by: Set(Some(step.viewer.user_id.0)),
                retired_reason: Set(reason.clone()),
                replaced_by_id: Set(self.replaced_by.map(|r| r.0)),
                ..Default::default()
            })
            .await?;
        let mut summary = format!("retired runbook \"{}\"", saved.title);
        if let Some(reason) = reason {
            summary.push_str(&format!(": {reason}"));
        }
        Ok(Done::saved(saved, Action::RunbookRetired, summary))
    }
}
