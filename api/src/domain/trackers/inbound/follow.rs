//! The change a ticket's move makes to its activity, as one command on the
//! write path: log the delivery (once), then complete or reopen the activity
//! with the same rule as a person would, or record the ticket's status and
//! why the activity did not follow.

use chrono::Utc;
use opskit_entity::{
    activity,
    enums::{ActivityStatus, InboundOutcome},
    tracker_connection,
};
use sea_orm::{EntityTrait, Set};

use super::{TicketMoved, insert, settle};
use crate::{
    domain::{
        action::Action,
        engagements::activities::{self, ActivityAction},
        permissions::Permission,
        write::{Command, Done, Step},
    },
    error::{Error, Result},
};

/// Follow ticket `moved` on the loaded activity, for connection `connection`.
pub struct Follow {
    pub connection: i64,
    pub moved: TicketMoved,
}

impl Command for Follow {
    type Target = activity::Model;
    /// The outcome logged; `None` for a replay (nothing changed).
    type Output = Option<(InboundOutcome, String)>;

    fn permission(&self) -> Permission {
        Permission::CompleteActivities
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<Self::Output>> {
        let connection = tracker_connection::Entity::find_by_id(self.connection)
            .one(step.tx)
            .await?
            .ok_or(Error::NotFound("tracker connection"))?;
        let moved = &self.moved;
        // First, so that a replay racing this delivery waits for it and then finds it logged.
        if !insert(step.tx, &connection, moved, Some(step.target.id), InboundOutcome::Ignored, "").await? {
            return Ok(Done::unchanged(None));
        }
        let current = &step.target;
        let title = activities::template_of(step.tx, current).await?.title;
        let action = match (moved.done, current.status) {
            (true, ActivityStatus::Done) | (false, ActivityStatus::NotStarted | ActivityStatus::InProgress) => None,
            (true, _) => Some(ActivityAction::Complete),
            (false, ActivityStatus::Done) => Some(ActivityAction::Reopen),
        };
        let ticket = format!("{} is {}", moved.key, moved.status);
        let done = match action {
            None if current.tracker_status.is_some() => {
                // The ticket is back where the activity is: the recorded status is over.
                let saved = step.save(cleared()).await?;
                let detail = format!("{ticket}: the activity already is where its ticket is");
                Done::saved(
                    saved,
                    Action::ActivityTrackerStatusRecorded,
                    format!("\"{title}\" follows its ticket again ({ticket})"),
                )
                .with_value((InboundOutcome::Ignored, detail))
            }
            None => {
                let detail = format!("{ticket}: the activity already is where its ticket is");
                Done::unchanged((InboundOutcome::Ignored, detail))
            }
            Some(action) => match activities::transition(step, action).await {
                Ok(done) => {
                    let verb = if action == ActivityAction::Complete { "completed" } else { "reopened" };
                    let detail = format!("{ticket}: {verb} the activity");
                    done.summarized(|s| format!("{s}: {ticket}")).with_value((InboundOutcome::Applied, detail))
                }
                Err(Error::User(errors)) => {
                    let reason = errors.iter().map(|e| format!("{} ({})", e.message, e.code)).collect::<Vec<_>>();
                    let reason = reason.join("; ");
                    let saved = step
                        .save(activity::ActiveModel {
                            tracker_status: Set(Some(moved.status.clone())),
                            tracker_status_reason: Set(Some(reason.clone())),
                            tracker_status_at: Set(Some(Utc::now())),
                            ..Default::default()
                        })
                        .await?;
                    let detail = format!("{ticket}, but the activity did not follow: {reason}");
                    let summary = format!("recorded that {ticket} for \"{title}\", which did not follow: {reason}");
                    Done::saved(saved, Action::ActivityTrackerStatusRecorded, summary)
                        .with_value((InboundOutcome::Recorded, detail))
                }
                Err(other) => return Err(other),
            },
        };
        let (outcome, detail) = &done.value;
        settle(step.tx, connection.id, &moved.delivery_id, *outcome, detail).await?;
        Ok(done.map(Some))
    }
}

/// The changes that clear a recorded ticket status.
fn cleared() -> activity::ActiveModel {
    activity::ActiveModel {
        tracker_status: Set(None),
        tracker_status_reason: Set(None),
        tracker_status_at: Set(None),
        ..Default::default()
    }
}
