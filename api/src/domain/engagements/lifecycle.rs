//! `startEngagement`, `closeEngagement`, `reopenEngagement`: the workflow's
//! step, plus the close-out checks a close obeys and the reason a forced close
//! records.

use chrono::{DateTime, Utc};
use opskit_entity::engagement;
use sea_orm::{DatabaseConnection, Set};

use super::{EngagementAction, closeout, next};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::EngagementId,
        permissions::Permission,
        validate::{Checks, MAX_TEXT},
        write::{self, Command, Done, On, Step},
    },
    error::{Error, Result},
};

/// How to close: normally (the close-out checks must pass), or forced by an admin for a reason.
#[derive(Debug, Clone, Default)]
pub struct Closing {
    /// Close although close-out checks fail (admins only; needs `reason`).
    pub force: bool,
    /// Why; required when forced, kept with the engagement.
    pub reason: Option<String>,
}

/// PLANNED → ACTIVE.
pub async fn start(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: EngagementId,
    expected_version: Option<i32>,
) -> Result<engagement::Model> {
    let step = Transition { action: EngagementAction::Start, reason: None };
    write::run(db, viewer, On::versioned(id, expected_version), step).await
}

/// ACTIVE → CLOSED, once the close-out checks pass (or forced by an admin, with a reason).
pub async fn close(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: EngagementId,
    expected_version: Option<i32>,
    closing: Closing,
) -> Result<engagement::Model> {
    let action = if closing.force { EngagementAction::ForceClose } else { EngagementAction::Close };
    let step = Transition { action, reason: closing.reason };
    write::run(db, viewer, On::versioned(id, expected_version), step).await
}

/// CLOSED → ACTIVE: the engagement can change again.
pub async fn reopen(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: EngagementId,
    expected_version: Option<i32>,
) -> Result<engagement::Model> {
    let step = Transition { action: EngagementAction::Reopen, reason: None };
    write::run(db, viewer, On::versioned(id, expected_version), step).await
}

/// One step of the workflow, with the reason a forced close gives.
struct Transition {
    action: EngagementAction,
    reason: Option<String>,
}

impl Command for Transition {
    type Target = engagement::Model;
    type Output = engagement::Model;

    fn permission(&self) -> Permission {
        self.action.permission()
    }

    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        match self.action {
            EngagementAction::ForceClose => {
                checks.required("reason", self.reason.as_deref().unwrap_or_default(), MAX_TEXT);
            }
            _ => {
                checks.optional("reason", self.reason.as_deref(), MAX_TEXT);
            }
        }
        checks.finish()
    }

    fn runs_on_closed(&self) -> bool {
        true
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<engagement::Model>> {
        let current = &step.target;
        let status = next(current.status, self.action, step.access.role())
            .map_err(|refusal| refusal.into_plain_error("engagementId"))?;
        if self.action == EngagementAction::Close {
            let unfinished = closeout::unfinished(step.tx, step.engagement_id()).await?;
            if !unfinished.is_empty() {
                return Err(Error::User(unfinished));
            }
        }
        let reason = self.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        let changes = match self.action {
            EngagementAction::Close | EngagementAction::ForceClose => engagement::ActiveModel {
                closed_at: Set(Some(Utc::now())),
                closed_by: Set(Some(step.viewer.user_id.0)),
                close_reason: Set(reason.clone()),
                ..Default::default()
            },
            EngagementAction::Reopen => engagement::ActiveModel {
                closed_at: Set(None::<DateTime<Utc>>),
                closed_by: Set(None),
                close_reason: Set(None),
                ..Default::default()
            },
            EngagementAction::Start | EngagementAction::Update => engagement::ActiveModel::default(),
        };
        let saved = step.save(engagement::ActiveModel { status: Set(status), ..changes }).await?;
        let (event, summary) = match self.action {
            EngagementAction::Start => (Action::EngagementStarted, "started the engagement".to_owned()),
            EngagementAction::Close => (Action::EngagementClosed, "closed the engagement".to_owned()),
            EngagementAction::ForceClose => (
                Action::EngagementForceClosed,
                format!("closed the engagement despite its close-out checks: {}", reason.unwrap_or_default()),
            ),
            EngagementAction::Reopen => (Action::EngagementReopened, "reopened the engagement".to_owned()),
            EngagementAction::Update => (Action::EngagementUpdated, "updated the engagement".to_owned()),
        };
        Ok(Done::saved(saved, event, summary))
    }
}
